import { useEffect, useState } from 'react';
import { api, onEvent, type AutostartStatus, type InstallProgress, type Result } from '../api';
import { Banner, CopyButton } from '../components/forms';
import { Card, PageHeader, Pill, ResultView, Switch } from '../components/ui';
import { useEvent, useResult } from '../hooks';

/** Status at a glance: Deno, the endpoint, clients, recent runs, folders. */
export function Overview() {
  const paths = useResult(api.paths);
  return (
    <>
      <PageHeader
        title="Overview"
        subtitle="MCP Conductor runs the TypeScript your AI agents write in a locked-down Deno sandbox."
      />
      <div className="grid grid-2">
        <RuntimeCard />
        <EndpointCard />
      </div>
      <div className="grid grid-2">
        <ClientsCard />
        <TrayCard />
      </div>
      <RecentCard />
      <AutostartCard />
      <Card title="Folders">
        <ResultView what="The folders" result={paths.result} onRetry={paths.reload}>
          {(p) => (
            <dl className="kv">
              <dt>Home</dt>
              <dd className="mono">{p.home}</dd>
              <dt>Workspace</dt>
              <dd>
                <span className="mono">{p.workspace}</span>
                <OpenButton label="Open workspace folder" open={api.openWorkspaceFolder} />
              </dd>
              <dt>Logs</dt>
              <dd>
                <span className="mono">{p.logs}</span>
                <OpenButton label="Open logs" open={api.openLogsFolder} />
              </dd>
            </dl>
          )}
        </ResultView>
      </Card>
    </>
  );
}

function RuntimeCard() {
  const runtime = useResult(api.runtime);
  const engine = useResult(api.engine);
  const [progress, setProgress] = useState<InstallProgress>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string>();
  // GitHub releases by default; the npm registry for machines behind an npm mirror.
  const [source, setSource] = useState<'github' | 'npm'>('github');
  useEvent('deno:progress', (p) => setProgress(p as InstallProgress));
  const install = async () => {
    setBusy(true);
    setErr(undefined);
    setProgress({ phase: 'resolve', done: 0, total: -1, percent: -1, bytesPerSecond: 0 });
    const r = await api.installDeno(source);
    setBusy(false);
    if (r.kind !== 'ok') setErr(r.kind === 'error' ? r.message : r.reason);
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
              <div className="mono muted small">
                {rt.path} <span className="muted">({rt.source})</span>
              </div>
            ) : (
              <div className="muted">{rt.detail}</div>
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
            <div className="row-tight">
              <button className="btn btn-primary btn-small" onClick={install} disabled={busy}>
                {busy ? 'Installing…' : rt.found ? 'Update Deno' : 'Install Deno'}
              </button>
              <select
                aria-label="Download from"
                value={source}
                disabled={busy}
                onChange={(e) => setSource(e.target.value as 'github' | 'npm')}
              >
                <option value="github">from GitHub releases</option>
                <option value="npm">from the npm registry</option>
              </select>
              {rt.pinned && <span className="muted small">{rt.pinned} chooses the Deno in use.</span>}
            </div>
            {busy && progress && <ProgressBar p={progress} />}
            {err && <Banner tone="bad">{err}</Banner>}
          </div>
        )}
      </ResultView>
    </Card>
  );
}

function ProgressBar(props: { p: InstallProgress }) {
  const { p } = props;
  const known = p.percent >= 0;
  const mb = (n: number) => (n / 1048576).toFixed(1);
  return (
    <div className="progress-wrap">
      <div
        className={`progress ${known ? '' : 'progress-unknown'}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={known ? Math.round(p.percent) : undefined}
      >
        <div className="progress-fill" style={{ width: known ? `${p.percent}%` : '30%' }} />
      </div>
      <div className="muted small">
        {p.phase === 'download'
          ? `Downloading ${mb(p.done)}${p.total > 0 ? ` of ${mb(p.total)}` : ''} MB` +
            (p.bytesPerSecond > 0 ? ` at ${mb(p.bytesPerSecond)} MB/s` : '')
          : { resolve: 'Finding the latest release…', verify: 'Verifying…', extract: 'Unpacking…', done: 'Done' }[
              p.phase
            ] ?? p.phase}
      </div>
    </div>
  );
}

function EndpointCard() {
  const endpoint = useResult(api.endpoint);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string>();
  const toggle = async (on: boolean, port: number) => {
    setBusy(true);
    const r = await api.setEndpoint(on, port);
    setErr(r.kind === 'error' ? r.message : undefined);
    setBusy(false);
    endpoint.reload();
  };
  return (
    <Card title="Local endpoint">
      <ResultView what="The endpoint's address" result={endpoint.result} onRetry={endpoint.reload}>
        {(ep) => (
          <div className="stat" data-testid="endpoint">
            {ep.running ? <Pill tone="ok">Serving</Pill> : <Pill tone={ep.enabled ? 'bad' : 'muted'}>Stopped</Pill>}
            {ep.running ? (
              <div className="stat-main mono">{ep.url}</div>
            ) : (
              <div className="muted">{ep.detail || 'The local MCP endpoint is not serving.'}</div>
            )}
            <Switch
              checked={ep.enabled}
              disabled={busy}
              label={`Serve MCP on 127.0.0.1:${ep.port}`}
              onChange={(on) => toggle(on, ep.port)}
            />
            {ep.running && (
              <div className="row-tight">
                <CopyButton label="Copy URL" text={ep.url} />
                <CopyButton
                  label="Copy token"
                  get={async () => {
                    const t = await api.endpointToken();
                    return t.kind === 'ok' ? t.value : undefined;
                  }}
                />
              </div>
            )}
            <div className="muted small">Clients send the token as “Authorization: Bearer &lt;token&gt;”.</div>
            {err && <Banner tone="bad">{err}</Banner>}
          </div>
        )}
      </ResultView>
    </Card>
  );
}

function ClientsCard() {
  const clients = useResult(api.clients);
  return (
    <Card title="Clients" aside={<a href="#/clients">Manage</a>}>
      <ResultView what="The AI clients" result={clients.result} onRetry={clients.reload}>
        {(cs) => {
          const shown = cs.filter((c) => c.installed || c.configured);
          return shown.length === 0 ? (
            <p className="muted">No AI clients were found on this machine.</p>
          ) : (
            <ul className="plain-list">
              {shown.map((c) => (
                <li key={c.id}>
                  <span>{c.name}</span>
                  {c.state === 'registered' ? (
                    <Pill tone="ok">Connected</Pill>
                  ) : c.state === 'registered-but-different' ? (
                    <Pill tone="warn">Changed</Pill>
                  ) : (
                    <Pill tone="muted">Not connected</Pill>
                  )}
                </li>
              ))}
            </ul>
          );
        }}
      </ResultView>
    </Card>
  );
}

function TrayCard() {
  const tray = useResult(api.trayStatus);
  return (
    <Card title="Tray icon">
      <ResultView what="The tray icon's status" result={tray.result} onRetry={tray.reload}>
        {(t) => (
          <div className="stat">
            {t.running && t.visible && <Pill tone="ok">In the tray</Pill>}
            {t.running && !t.visible && <Pill tone="warn">Not shown</Pill>}
            {!t.running && <Pill tone="muted">Off</Pill>}
            <div className="muted">
              {t.running && t.visible ? 'Closing this window keeps MCP Conductor running in the tray.' : t.detail}
            </div>
          </div>
        )}
      </ResultView>
    </Card>
  );
}

function RecentCard() {
  const recent = useResult(() => api.activity('', 5));
  useEvent('execution', recent.reload);
  return (
    <Card title="Recent executions" aside={<a href="#/activity">All activity</a>}>
      <ResultView what="Recent executions" result={recent.result} onRetry={recent.reload}>
        {(es) =>
          es.length === 0 ? (
            <p className="muted">Nothing has run yet.</p>
          ) : (
            <ul className="plain-list" data-testid="recent">
              {es.map((e) => (
                <li key={e.id}>
                  <span className="small">{new Date(e.time).toLocaleTimeString()}</span>
                  <span>{e.client || 'unknown client'}</span>
                  <span className="mono small ellipsis">{e.code.split('\n')[0]}</span>
                  {e.status === 'success' ? <Pill tone="ok">OK</Pill> : <Pill tone="bad">{e.errorType || 'Failed'}</Pill>}
                </li>
              ))}
            </ul>
          )
        }
      </ResultView>
    </Card>
  );
}

function AutostartCard() {
  const [state, setState] = useState<Result<AutostartStatus>>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.autostart().then(setState);
    // The tray's "Start on login" item changes it too.
    return onEvent('autostart', () => api.autostart().then(setState));
  }, []);
  const toggle = async (on: boolean) => {
    setBusy(true);
    setState(await api.setAutostart(on));
    setBusy(false);
  };
  return (
    <Card title="Start on login">
      <ResultView what="Start on login" result={state} onRetry={() => api.autostart().then(setState)}>
        {(a) =>
          a.supported ? (
            <div className="row">
              <Switch
                checked={a.enabled}
                disabled={busy}
                label="Start MCP Conductor in the tray when I log in"
                onChange={toggle}
              />
              {a.enabled && <span className="mono muted small">{a.path}</span>}
            </div>
          ) : (
            <p className="muted">Start on login is not supported on this system.</p>
          )
        }
      </ResultView>
    </Card>
  );
}

function OpenButton(props: { label: string; open: () => Promise<Result<void>> }) {
  const [err, setErr] = useState<string>();
  return (
    <span className="open-button">
      {err && (
        <span className="inline-error" role="alert">
          {err}
        </span>
      )}
      <button
        className="btn btn-small"
        onClick={async () => {
          const r = await props.open();
          setErr(r.kind === 'error' ? r.message : r.kind === 'unavailable' ? r.reason : undefined);
        }}
      >
        {props.label}
      </button>
    </span>
  );
}
