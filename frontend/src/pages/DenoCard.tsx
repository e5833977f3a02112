import { useState } from 'react';
import { api, type InstallProgress } from '../api';
import { Banner } from '../components/forms';
import { Card, PathText, Pill, ResultView } from '../components/ui';
import { progressView } from '../format';
import { useEvent, useLive, useStored } from '../hooks';

type Source = 'github' | 'npm';
const sources = ['github', 'npm'] as const;
const sourceName: Record<Source, string> = { github: 'GitHub releases', npm: 'the npm registry' };
const other = (s: Source): Source => (s === 'github' ? 'npm' : 'github');

/** Events after which the engine's state may differ. */
export const statusEvents = ['status', 'settings'];

/** The Deno runtime: ready or missing, and installing or updating it. */
export function DenoCard() {
  const runtime = useLive(api.runtime, statusEvents);
  const engine = useLive(api.engine, statusEvents);
  const [progress, setProgress] = useState<InstallProgress>();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<{ message: string; source: Source }>();
  // GitHub releases by default; the npm registry for machines behind an npm
  // mirror. The choice is kept.
  const [source, setSource] = useStored<Source>('deno.source', 'github', sources, 'local');
  useEvent('deno:progress', (p) => setProgress(p as InstallProgress));
  const install = async (from: Source) => {
    setSource(from);
    setBusy(true);
    setFailed(undefined);
    setProgress({ phase: 'resolve', done: 0, total: -1, percent: -1, bytesPerSecond: 0 });
    const r = await api.installDeno(from);
    setBusy(false);
    if (r.kind !== 'ok') setFailed({ message: r.kind === 'error' ? r.message : r.reason, source: from });
    runtime.reload();
    engine.reload();
  };
  return (
    <Card title="Deno runtime">
      <ResultView what="Deno's status" result={runtime.result} onRetry={runtime.reload}>
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
            {engine.result?.kind === 'ok' && !engine.result.value.running && rt.found && (
              <Banner tone="bad">Code cannot run: {engine.result.value.error}</Banner>
            )}
            {engine.result?.kind === 'ok' && engine.result.value.running && (
              <div className="muted small">
                {engine.result.value.confined ? 'Kernel confinement: ' : 'No kernel confinement: '}
                {engine.result.value.confinement}
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
            {busy && progress && <ProgressBar p={progress} />}
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
      </ResultView>
    </Card>
  );
}

/** The install's progress: the bar and its text come from the same numbers. */
export function ProgressBar(props: { p: InstallProgress }) {
  const v = progressView(props.p);
  const known = v.percent !== undefined;
  return (
    <div className="progress-wrap">
      <div
        className={`progress ${known ? '' : 'progress-unknown'}`}
        role="progressbar"
        aria-label="Installing Deno"
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
