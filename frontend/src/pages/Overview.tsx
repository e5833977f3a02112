import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Result } from '../api';
import { Banner, CopyButton } from '../components/forms';
import { Card, PageHeader, PathText, Pill, QueryView, Switch } from '../components/ui';
import { resultLabel, when } from '../format';
import { get, queries } from '../queries';
import { Checklist } from './Checklist';
import { DenoCard } from './DenoCard';
import { PythonCard } from './PythonCard';

/** Status at a glance: getting started, Deno, the endpoint, Python, clients, recent runs, folders. */
export function Overview() {
  const paths = useQuery(queries.paths);
  return (
    <>
      <PageHeader
        title="Overview"
        subtitle="MCP Conductor runs the TypeScript and Python your AI agents write in a locked-down Deno sandbox."
      />
      <Checklist />
      <div className="grid grid-2">
        <DenoCard />
        <EndpointCard />
      </div>
      <PythonCard />
      <div className="grid grid-2">
        <ClientsCard />
        <TrayCard />
      </div>
      <RecentCard />
      <AutostartCard />
      <Card title="Folders">
        <QueryView what="The folders" query={paths}>
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
        </QueryView>
      </Card>
    </>
  );
}

function EndpointCard() {
  const client = useQueryClient();
  const endpoint = useQuery(queries.endpoint);
  const engine = useQuery(queries.engine);
  const toggle = useMutation({
    mutationFn: (to: { on: boolean; port: number }) => get(api.setEndpoint(to.on, to.port)),
    onSuccess: (status) => client.setQueryData(queries.endpoint.queryKey, status),
  });
  const engineDown = engine.data?.running === false;
  return (
    <Card title="Local endpoint">
      <QueryView what="The endpoint's address" query={endpoint}>
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
              disabled={toggle.isPending}
              label={`Serve MCP on 127.0.0.1:${ep.port}`}
              onChange={(on) => toggle.mutate({ on, port: ep.port })}
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
            {toggle.error && <Banner tone="bad">{toggle.error.message}</Banner>}
          </div>
        )}
      </QueryView>
    </Card>
  );
}

function ClientsCard() {
  const clients = useQuery(queries.clients);
  return (
    <Card title="Clients" aside={<a href="#/clients">Manage</a>}>
      <QueryView what="The AI clients" query={clients}>
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
                  ) : c.state === 'disabled' ? (
                    <Pill tone="warn">Switched off</Pill>
                  ) : c.state === 'blocked' ? (
                    <Pill tone="bad">Blocked</Pill>
                  ) : (
                    <Pill tone="muted">Not connected</Pill>
                  )}
                </li>
              ))}
            </ul>
          );
        }}
      </QueryView>
    </Card>
  );
}

function TrayCard() {
  const tray = useQuery(queries.trayStatus);
  return (
    <Card title="Tray icon">
      <QueryView what="The tray icon's status" query={tray}>
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
      </QueryView>
    </Card>
  );
}

function RecentCard() {
  const recent = useQuery(queries.recentRuns);
  return (
    <Card title="Recent runs" aside={<a href="#/activity">All activity</a>}>
      <QueryView what="Recent runs" query={recent}>
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
      </QueryView>
    </Card>
  );
}

function AutostartCard() {
  // The tray's "Start on login" item changes it too (the "autostart" event).
  const client = useQueryClient();
  const autostart = useQuery(queries.autostart);
  const toggle = useMutation({
    mutationFn: (on: boolean) => get(api.setAutostart(on)),
    onSuccess: (status) => client.setQueryData(queries.autostart.queryKey, status),
  });
  return (
    <Card title="Start on login">
      <QueryView what="Start on login" query={autostart}>
        {(a) =>
          a.supported ? (
            <>
              <div className="row">
                <Switch
                  checked={a.enabled}
                  disabled={toggle.isPending}
                  label="Start MCP Conductor in the tray when I log in"
                  onChange={(on) => toggle.mutate(on)}
                />
                {a.enabled && <PathText path={a.path} className="muted small" />}
              </div>
              {toggle.error && <Banner tone="bad">{toggle.error.message}</Banner>}
            </>
          ) : (
            <p className="muted">Start on login is not supported on this system.</p>
          )
        }
      </QueryView>
    </Card>
  );
}

/** Opens a folder in the file manager, and says so when none opened it. */
function OpenButton(props: { label: string; path: string; open: () => Promise<Result<void>> }) {
  const open = useMutation({ mutationFn: () => get(props.open()) });
  return (
    <span className="open-button">
      <button className="btn btn-small" onClick={() => open.mutate()}>
        {props.label}
      </button>
      {open.error && (
        <span className="inline-error" role="alert">
          {capitalise(open.error.message)}. <CopyButton label="Copy path" text={props.path} />
        </span>
      )}
    </span>
  );
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
