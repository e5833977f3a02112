import { useEffect, useState } from 'react';
import { api, onEvent, type AutostartStatus, type Result } from '../api';
import { Banner, CopyButton } from '../components/forms';
import { Card, PageHeader, PathText, Pill, ResultView, Switch } from '../components/ui';
import { resultLabel, when } from '../format';
import { useLive, useResult } from '../hooks';
import { Checklist } from './Checklist';
import { DenoCard, statusEvents } from './DenoCard';

/** Status at a glance: getting started, Deno, the endpoint, clients, recent runs, folders. */
export function Overview() {
  const paths = useResult(api.paths);
  return (
    <>
      <PageHeader
        title="Overview"
        subtitle="MCP Conductor runs the TypeScript your AI agents write in a locked-down Deno sandbox."
      />
      <Checklist />
      <div className="grid grid-2">
        <DenoCard />
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
              <dd>
                <PathText path={p.home} />
              </dd>
              <dt>Workspace</dt>
              <dd>
                <PathText path={p.workspace} />
                <OpenButton label="Open workspace folder" path={p.workspace} open={api.openWorkspaceFolder} />
              </dd>
              <dt>Logs</dt>
              <dd>
                <PathText path={p.logs} />
                <OpenButton label="Open logs" path={p.logs} open={api.openLogsFolder} />
              </dd>
            </dl>
          )}
        </ResultView>
      </Card>
    </>
  );
}

function EndpointCard() {
  const endpoint = useLive(api.endpoint, statusEvents);
  const engine = useLive(api.engine, statusEvents);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string>();
  const toggle = async (on: boolean, port: number) => {
    setBusy(true);
    const r = await api.setEndpoint(on, port);
    setErr(r.kind === 'error' ? r.message : undefined);
    setBusy(false);
    endpoint.reload();
  };
  const engineDown = engine.result?.kind === 'ok' && !engine.result.value.running;
  return (
    <Card title="Local endpoint">
      <ResultView what="The endpoint's address" result={endpoint.result} onRetry={endpoint.reload}>
        {(ep) => (
          <div className="stat" data-testid="endpoint" data-running={ep.running}>
            {ep.running ? (
              <Pill tone="ok">Serving</Pill>
            ) : !ep.enabled ? (
              <Pill tone="muted">Off</Pill>
            ) : engineDown ? (
              <Pill tone="warn">Waiting for Deno</Pill>
            ) : (
              <Pill tone="bad">Stopped</Pill>
            )}
            {ep.running ? (
              <div className="stat-main mono break-anywhere">{ep.url}</div>
            ) : (
              <div className="muted" data-testid="endpoint-detail">
                {!ep.enabled
                  ? 'Turned off: AI clients that use the HTTP endpoint cannot reach MCP Conductor.'
                  : engineDown
                    ? 'It starts on its own once Deno is ready.'
                    : ep.detail || 'The local MCP endpoint is not serving.'}
              </div>
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
  const clients = useLive(api.clients, ['clients', 'status']);
  return (
    <Card title="Clients" aside={<a href="#/clients">Manage</a>}>
      <ResultView what="The AI clients" result={clients.result} onRetry={clients.reload}>
        {(cs) => {
          const shown = cs.filter((c) => c.installed || c.configured);
          return shown.length === 0 ? (
            <div className="empty" data-testid="no-clients">
              <p>No AI client was found on this computer.</p>
              <p className="muted small">
                MCP Conductor works with {cs.map((c) => c.name).join(', ')}. You can set one up now, before it is installed.
              </p>
              <a className="btn btn-small" href="#/clients">
                Set up a client anyway
              </a>
            </div>
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
            {!(t.running && t.visible) && (
              <div className="muted small">Quit MCP Conductor from the sidebar or with Ctrl+Q.</div>
            )}
          </div>
        )}
      </ResultView>
    </Card>
  );
}

function RecentCard() {
  const recent = useLive(() => api.activity('', 5), ['execution']);
  return (
    <Card title="Recent runs" aside={<a href="#/activity">All activity</a>}>
      <ResultView what="Recent runs" result={recent.result} onRetry={recent.reload}>
        {(es) =>
          es.length === 0 ? (
            <p className="muted">Nothing has run yet. Runs of your AI clients appear here as they finish.</p>
          ) : (
            <ul className="plain-list recent" data-testid="recent">
              {es.map((e) => {
                const label = resultLabel(e.status, e.errorType);
                return (
                  <li key={e.id}>
                    <span className="small nowrap">{when(e.time)}</span>
                    <span className="nowrap clip recent-client">{e.client || 'unknown client'}</span>
                    <span className="mono small clip grow">{e.code.split('\n')[0]}</span>
                    <Pill tone={label.ok ? 'ok' : 'bad'}>{label.text}</Pill>
                  </li>
                );
              })}
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
              {a.enabled && <PathText path={a.path} className="muted small" />}
            </div>
          ) : (
            <p className="muted">Start on login is not supported on this system.</p>
          )
        }
      </ResultView>
    </Card>
  );
}

/** Opens a folder in the file manager, and says so when none opened it. */
function OpenButton(props: { label: string; path: string; open: () => Promise<Result<void>> }) {
  const [err, setErr] = useState<string>();
  return (
    <span className="open-button">
      <button
        className="btn btn-small"
        onClick={async () => {
          const r = await props.open();
          setErr(r.kind === 'error' ? r.message : r.kind === 'unavailable' ? r.reason : undefined);
        }}
      >
        {props.label}
      </button>
      {err && (
        <span className="inline-error" role="alert">
          {capitalise(err)}. <CopyButton label="Copy path" text={props.path} />
        </span>
      )}
    </span>
  );
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
