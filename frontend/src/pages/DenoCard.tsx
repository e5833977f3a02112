import { useMutation, useMutationState, useQuery, useQueryClient, type MutationState } from '@tanstack/react-query';
import { api, type InstallProgress, type RuntimeStatus } from '../api';
import { Banner } from '../components/forms';
import { Card, PathText, Pill, QueryView } from '../components/ui';
import { progressView } from '../format';
import { useStored } from '../hooks';
import { get, mutationKeys, queries } from '../queries';

type Source = 'github' | 'npm';
const sources = ['github', 'npm'] as const;
const sourceName: Record<Source, string> = { github: 'GitHub releases', npm: 'the npm registry' };
const other = (s: Source): Source => (s === 'github' ? 'npm' : 'github');

const starting: InstallProgress = { phase: 'resolve', done: 0, total: -1, percent: -1, bytesPerSecond: 0 };

/** The Deno runtime: ready or missing, and installing or updating it. */
export function DenoCard() {
  const runtime = useQuery(queries.runtime);
  const engine = useQuery(queries.engine).data;
  // The install's steps arrive as "deno:progress" events (useBackendEvents).
  const progress = useQuery(queries.denoProgress).data;
  // GitHub releases by default; the npm registry for machines behind an npm
  // mirror. The choice is kept.
  const [source, setSource] = useStored<Source>('deno.source', 'github', sources, 'local');
  const client = useQueryClient();
  const { mutate } = useMutation({
    mutationKey: mutationKeys.installDeno,
    mutationFn: (from: Source) => get(api.installDeno(from)),
    onMutate: () => {
      client.setQueryData(queries.denoProgress.queryKey, starting);
    },
    // Installing… lasts until the cards show the new Deno and engine.
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queries.runtime.queryKey }),
        client.invalidateQueries({ queryKey: queries.engine.queryKey }),
      ]),
  });
  // The latest install, read from the mutation cache: one started before
  // the user left the page is still shown, with its progress, on return.
  const latest = useMutationState({
    filters: { mutationKey: mutationKeys.installDeno },
    select: (m) => m.state as MutationState<RuntimeStatus, Error, Source>,
  }).at(-1);
  const busy = latest?.status === 'pending';
  const failed =
    latest?.status === 'error' && latest.variables
      ? { message: latest.error?.message ?? '', source: latest.variables }
      : undefined;
  const install = (from: Source) => {
    if (busy) return;
    setSource(from);
    mutate(from);
  };
  return (
    <Card title="Deno runtime">
      <QueryView what="Deno's status" query={runtime}>
        {(rt) => (
          <div className="stat" data-testid="runtime">
            {rt.found ? <Pill tone="ok">Ready</Pill> : <Pill tone="warn">Missing</Pill>}
            <div className="stat-main">{rt.found ? `Deno ${rt.version}` : 'Deno is not installed'}</div>
            {rt.found ? (
              <div className="muted small">
                <PathText path={rt.path} /> ({rt.source})
              </div>
            ) : (
              <div className="muted">Deno runs the sandboxed code. Install it here; it takes a minute.</div>
            )}
            {engine && !engine.running && rt.found && <Banner tone="bad">Code cannot run: {engine.error}</Banner>}
            {engine?.running && (
              <div className="muted small">
                {engine.confined ? 'Kernel confinement: ' : 'No kernel confinement: '}
                {engine.confinement}
              </div>
            )}
            {rt.pinned ? (
              <div className="muted small" data-testid="deno-pinned">
                {rt.pinned} chooses the Deno in use, so it is not installed or updated from here.
              </div>
            ) : (
              <div className="row-tight">
                <button className="btn btn-primary btn-small" onClick={() => install(source)} disabled={busy}>
                  {busy ? 'Installing…' : rt.found ? 'Update Deno' : 'Install Deno'}
                </button>
                <label className="inline-field">
                  <span className="visually-hidden">Download from</span>
                  <select
                    className="input"
                    value={source}
                    disabled={busy}
                    onChange={(e) => setSource(e.target.value as Source)}
                  >
                    <option value="github">from GitHub releases</option>
                    <option value="npm">from the npm registry</option>
                  </select>
                </label>
              </div>
            )}
            {busy && progress && <ProgressBar p={progress} label="Installing Deno" />}
            {failed && (
              <div className="banner banner-bad" role="alert" data-testid="install-error">
                <p>{failed.message}</p>
                <div className="row-tight banner-actions">
                  <button className="btn btn-small" onClick={() => install(failed.source)}>
                    Try again
                  </button>
                  <button className="btn btn-small" onClick={() => install(other(failed.source))}>
                    Install from {sourceName[other(failed.source)]} instead
                  </button>
                </div>
              </div>
            )}
          </div>
        )}
      </QueryView>
    </Card>
  );
}

/** The install's progress: the bar and its text come from the same numbers. */
export function ProgressBar(props: { p: InstallProgress; label: string }) {
  const v = progressView(props.p);
  const known = v.percent !== undefined;
  return (
    <div className="progress-wrap">
      <div
        className={`progress ${known ? '' : 'progress-unknown'}`}
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={v.percent}
        aria-valuetext={v.text}
      >
        <div className="progress-fill" style={known ? { width: `${v.percent}%` } : undefined} />
      </div>
      <div className="muted small" data-testid="progress-text">
        {v.text}
      </div>
    </div>
  );
}
