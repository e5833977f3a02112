import { useState } from 'react';
import { api, type ImportCandidate, type Result, type ServersView, type ServerView } from '../api';
import { Banner, Confirm, Modal } from '../components/forms';
import { Card, PageHeader, PathText, Pill, ResultView } from '../components/ui';
import { useResult } from '../hooks';
import { ServerEditor } from './ServerEditor';

/** Upstream MCP servers whose tools sandboxed code can call. */
export function Servers() {
  const { result, reload } = useResult(api.mcpServers);
  const [override, setOverride] = useState<ServersView>();
  const [editing, setEditing] = useState<ServerView | 'new'>();
  const [importing, setImporting] = useState(false);
  const [removing, setRemoving] = useState<string>();
  const [err, setErr] = useState<string>();
  const shown = override && result?.kind === 'ok' ? { kind: 'ok' as const, value: override } : result;

  const apply = async (p: Promise<Result<ServersView>>) => {
    const r = await p;
    if (r.kind === 'ok') {
      setOverride(r.value);
      setErr(undefined);
      return true;
    }
    setErr(r.kind === 'error' ? r.message : r.reason);
    return false;
  };

  return (
    <>
      <PageHeader
        title="MCP servers"
        subtitle="Servers from mcp-config.json. Sandboxed code calls their tools through MCP Conductor."
        actions={
          <>
            <button className="btn" onClick={() => setImporting(true)}>
              Import…
            </button>
            <button className="btn btn-primary" onClick={() => setEditing('new')}>
              Add server
            </button>
          </>
        }
      />
      {err && <Banner tone="bad">{err}</Banner>}
      <ResultView what="Your configured MCP servers" result={shown} onRetry={reload}>
        {(v) => (
          <>
            {v.error && (
              <Banner tone="bad">
                {v.error}. MCP Conductor will not change this file until it parses; fix it in an editor.
              </Banner>
            )}
            {editing && (
              <ServerEditor
                original={editing === 'new' ? undefined : editing}
                onCancel={() => setEditing(undefined)}
                onSaved={(nv) => {
                  setOverride(nv);
                  setEditing(undefined);
                }}
              />
            )}
            <Card>
              {v.servers.length === 0 ? (
                <p className="muted">No MCP servers are configured. Add one, or import those of Cursor or Claude Desktop.</p>
              ) : (
                <table className="table" data-testid="servers">
                  <thead>
                    <tr>
                      <th scope="col">Server</th>
                      <th scope="col">Status</th>
                      <th scope="col">Runs</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {v.servers.map((s) => (
                      <tr key={s.name} data-server={s.name}>
                        <td>
                          <div className="strong">{s.name}</div>
                          {s.description && <div className="muted small">{s.description}</div>}
                        </td>
                        <td>
                          {s.disabled ? (
                            <Pill tone="muted">Disabled</Pill>
                          ) : s.status === 'connected' ? (
                            <Pill tone="ok">Connected</Pill>
                          ) : s.error ? (
                            <Pill tone="bad">{s.status === 'error' ? 'Error' : 'Invalid'}</Pill>
                          ) : (
                            <Pill tone="muted">Starts on first use</Pill>
                          )}
                          {s.error && <div className="inline-error break-anywhere">{s.error}</div>}
                        </td>
                        <td className="small">
                          <PathText path={s.transport === 'stdio' ? s.runs : `${s.transport}: ${s.runs}`} />
                        </td>
                        <td className="actions">
                          <button className="btn btn-small" disabled={!!v.error} onClick={() => setEditing(s)}>
                            Edit
                          </button>
                          <button
                            className="btn btn-small"
                            disabled={!!v.error}
                            onClick={() => apply(api.setMCPServerDisabled(s.name, !s.disabled))}
                          >
                            {s.disabled ? 'Enable' : 'Disable'}
                          </button>
                          <button
                            className="btn btn-small btn-danger"
                            disabled={!!v.error}
                            onClick={() => setRemoving(s.name)}
                          >
                            Remove
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <p className="muted small">
                <PathText path={v.path} />
              </p>
            </Card>
          </>
        )}
      </ResultView>
      {removing && (
        <Confirm
          title={`Remove ${removing}?`}
          confirm="Remove"
          danger
          onCancel={() => setRemoving(undefined)}
          onConfirm={async () => {
            const name = removing;
            setRemoving(undefined);
            await apply(api.removeMCPServer(name));
          }}
        >
          <p>
            Sandboxed code will no longer reach <span className="mono">{removing}</span>. The entry is removed from
            mcp-config.json; a backup of the file is kept.
          </p>
        </Confirm>
      )}
      {importing && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImport={async (picks) => {
            if (await apply(api.importServers(picks))) setImporting(false);
          }}
        />
      )}
    </>
  );
}

function ImportDialog(props: { onClose: () => void; onImport: (p: { client: string; name: string }[]) => void }) {
  const { result, reload } = useResult(api.importableServers);
  const [picked, setPicked] = useState<string[]>([]);
  const key = (c: ImportCandidate) => `${c.client}/${c.name}`;
  const list = result?.kind === 'ok' ? result.value : [];
  return (
    <Modal
      title="Import MCP servers from your AI clients"
      onClose={props.onClose}
      actions={
        <>
          <button className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button
            className="btn btn-primary"
            disabled={picked.length === 0}
            onClick={() =>
              props.onImport(
                list.filter((c) => picked.includes(key(c))).map((c) => ({ client: c.client, name: c.name })),
              )
            }
          >
            Import {picked.length || ''}
          </button>
        </>
      }
    >
      <ResultView what="Servers of Cursor and Claude Desktop" result={result} onRetry={reload}>
        {(cands) =>
          cands.length === 0 ? (
            <p className="muted">Neither Cursor nor Claude Desktop has MCP servers configured.</p>
          ) : (
            <ul className="pick-list">
              {cands.map((c) =>
                c.name === '' ? (
                  <li key={c.client} className="inline-error">
                    {c.clientName}: {c.error}
                  </li>
                ) : (
                  <li key={key(c)}>
                    <label>
                      <input
                        type="checkbox"
                        disabled={!!c.error || c.exists}
                        checked={picked.includes(key(c))}
                        onChange={(e) =>
                          setPicked(e.target.checked ? [...picked, key(c)] : picked.filter((p) => p !== key(c)))
                        }
                      />
                      <span className="strong">{c.name}</span>
                      <span className="muted small">from {c.clientName}</span>
                    </label>
                    <div className="mono small muted">{c.summary}</div>
                    {c.exists && <div className="small">Already in mcp-config.json.</div>}
                    {c.error && <div className="inline-error">{c.error}</div>}
                    {c.dropped.length > 0 && (
                      <div className="muted small">Left out (client-only settings): {c.dropped.join(', ')}</div>
                    )}
                  </li>
                ),
              )}
            </ul>
          )
        }
      </ResultView>
    </Modal>
  );
}
