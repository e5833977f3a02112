import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ImportCandidate, ServerView } from '../api';
import { Banner, Confirm, Modal } from '../components/forms';
import { Card, PageHeader, PathText, Pill, QueryView } from '../components/ui';
import { queries } from '../queries';
import { ServerEditor, useServersChange } from './ServerEditor';

/** Upstream MCP servers whose tools sandboxed code can call. */
export function Servers() {
  const servers = useQuery(queries.mcpServers);
  const [editing, setEditing] = useState<ServerView | 'new'>();
  const [importing, setImporting] = useState(false);
  const [removing, setRemoving] = useState<string>();
  // Disable, Remove and Import; an import's error shows in its dialog.
  const changing = useServersChange();
  const err = changing.variables?.op === 'import' ? undefined : changing.error;
  // The switch shows what was asked for while the file is being written.
  const asking = changing.isPending && changing.variables?.op === 'askForChanges' ? changing.variables.on : undefined;

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
      {err && <Banner tone="bad">{err.message}</Banner>}
      <QueryView what="Your configured MCP servers" query={servers}>
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
                onSaved={() => setEditing(undefined)}
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
                            onClick={() => changing.mutate({ op: 'disable', name: s.name, disabled: !s.disabled })}
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
            <Card>
              <label className="check">
                <input
                  type="checkbox"
                  aria-label="Ask for changes"
                  checked={asking ?? v.askForChanges}
                  disabled={!!v.error || changing.isPending}
                  onChange={(e) => changing.mutate({ op: 'askForChanges', on: e.target.checked })}
                />
                Ask for changes: code's calls of tools that may change something (not marked read-only) wait for the user's approval, unless a server's rules
                say otherwise
              </label>
              <p className="muted small">
                The user is asked through the AI client that ran the code, if it supports questions (elicitation); otherwise the call is refused.
              </p>
            </Card>
          </>
        )}
      </QueryView>
      {removing && (
        <Confirm
          title={`Remove ${removing}?`}
          confirm="Remove"
          danger
          onCancel={() => setRemoving(undefined)}
          onConfirm={() => {
            setRemoving(undefined);
            changing.mutate({ op: 'remove', name: removing });
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
          importing={changing.isPending}
          error={changing.variables?.op === 'import' ? changing.error : null}
          onImport={(picks) => changing.mutate({ op: 'import', picks }, { onSuccess: () => setImporting(false) })}
        />
      )}
    </>
  );
}

function ImportDialog(props: {
  onClose: () => void;
  onImport: (p: { client: string; name: string }[]) => void;
  importing: boolean;
  error: Error | null;
}) {
  const candidates = useQuery(queries.importableServers);
  const [picked, setPicked] = useState<string[]>([]);
  const key = (c: ImportCandidate) => `${c.client}/${c.name}`;
  const list = candidates.data ?? [];
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
            disabled={picked.length === 0 || props.importing}
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
      {props.error && <Banner tone="bad">{props.error.message}</Banner>}
      <QueryView what="Servers of Cursor and Claude Desktop" query={candidates}>
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
      </QueryView>
    </Modal>
  );
}
