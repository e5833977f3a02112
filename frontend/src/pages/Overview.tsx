import { useEffect, useState } from 'react';
import { api, copyText, onEvent, type AutostartStatus, type Result } from '../api';
import { Card, PageHeader, Pill, ResultView, Switch } from '../components/ui';
import { useResult } from '../hooks';

/** Status at a glance, start on login, and the app's folders. */
export function Overview() {
  const runtime = useResult(api.runtime);
  const endpoint = useResult(api.endpoint);
  const tray = useResult(api.trayStatus);
  const paths = useResult(api.paths);

  return (
    <>
      <PageHeader
        title="Overview"
        subtitle="MCP Conductor runs the TypeScript your AI agents write in a locked-down Deno sandbox."
      />
      <div className="grid grid-3">
        <Card title="Deno runtime">
          <ResultView what="Deno's status" result={runtime.result} onRetry={runtime.reload}>
            {(rt) =>
              rt.found ? (
                <div className="stat">
                  <Pill tone="ok">Ready</Pill>
                  <div className="stat-main">Deno {rt.version}</div>
                  <div className="mono muted">{rt.path}</div>
                </div>
              ) : (
                <div className="stat">
                  <Pill tone="warn">Missing</Pill>
                  <div className="stat-main">Deno is not installed</div>
                  <div className="muted">{rt.detail}</div>
                </div>
              )
            }
          </ResultView>
        </Card>
        <Card title="Local endpoint">
          <ResultView what="The endpoint's address" result={endpoint.result} onRetry={endpoint.reload}>
            {(ep) =>
              ep.running ? (
                <div className="stat">
                  <Pill tone="ok">Serving</Pill>
                  <div className="stat-main mono">{ep.url}</div>
                  <CopyButton text={ep.url} />
                </div>
              ) : (
                <div className="stat">
                  <Pill tone="bad">Stopped</Pill>
                  <div className="muted">{ep.detail || 'The local MCP endpoint is not serving.'}</div>
                </div>
              )
            }
          </ResultView>
        </Card>
        <Card title="Tray icon">
          <ResultView what="The tray icon's status" result={tray.result} onRetry={tray.reload}>
            {(t) => (
              <div className="stat">
                {t.running && t.visible && <Pill tone="ok">In the tray</Pill>}
                {t.running && !t.visible && <Pill tone="warn">Not shown</Pill>}
                {!t.running && <Pill tone="muted">Off</Pill>}
                <div className="muted">
                  {t.running && t.visible
                    ? 'Closing this window keeps MCP Conductor running in the tray.'
                    : t.detail}
                </div>
              </div>
            )}
          </ResultView>
        </Card>
      </div>

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

function CopyButton(props: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      className="btn btn-small"
      onClick={async () => {
        setCopied(await copyText(props.text));
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? 'Copied' : 'Copy URL'}
    </button>
  );
}
