import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type ClientChange, type ClientStatus, type Result } from '../api';
import { Banner, CopyButton, Modal } from '../components/forms';
import { Card, PageHeader, PathText, Pill, QueryView } from '../components/ui';
import { get, queries } from '../queries';

type Action = 'register' | 'repair' | 'unregister';

const verbs: Record<Action, string> = { register: 'Set up', repair: 'Repair', unregister: 'Remove' };

function run(action: Action, c: ClientStatus, apply: boolean): Promise<Result<ClientChange>> {
  switch (action) {
    case 'register':
      return api.registerClient(c.id, apply, !c.installed);
    case 'repair':
      return api.repairClient(c.id, apply);
    default:
      return api.unregisterClient(c.id, apply);
  }
}

/** The AI clients on this machine: set MCP Conductor up in each, with a preview. */
export function Clients() {
  // A change made from the tray shows here at once (the "clients" event).
  const clients = useQuery(queries.clients);
  const links = useQuery(queries.clientLinks);
  const queryClient = useQueryClient();
  const [preview, setPreview] = useState<{ action: Action; client: ClientStatus; change: ClientChange }>();
  const [done, setDone] = useState<{ tone: 'ok' | 'bad'; text: string }>();

  // Each action is previewed (apply: false), then written.
  const previewing = useMutation({
    mutationFn: (a: { action: Action; client: ClientStatus }) => get(run(a.action, a.client, false)),
    onMutate: () => setDone(undefined),
    onSuccess: (change, { action, client }) => {
      if (change.changed) setPreview({ action, client, change });
      else setDone({ tone: 'ok', text: `${client.name}: nothing to change in ${change.path}.` });
    },
    onError: (e) => setDone({ tone: 'bad', text: e.message }),
  });
  const writing = useMutation({
    mutationFn: (a: { action: Action; client: ClientStatus }) => get(run(a.action, a.client, true)),
    onSuccess: (change, { client }) =>
      setDone({
        tone: 'ok',
        text: `${client.name}: ${change.path} updated${change.backup ? ` (backup: ${change.backup})` : ''}. Restart ${client.name} to apply it.`,
      }),
    onError: (e) => setDone({ tone: 'bad', text: e.message }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queries.clients.queryKey }),
  });
  const ask = (action: Action, client: ClientStatus) => {
    if (!previewing.isPending && !writing.isPending) previewing.mutate({ action, client });
  };
  const confirmWrite = () => {
    if (!preview) return;
    setPreview(undefined);
    writing.mutate({ action: preview.action, client: preview.client });
  };

  return (
    <>
      <PageHeader
        title="Clients"
        subtitle="AI apps that can use MCP Conductor: Cursor, Claude Desktop, VS Code and others."
        actions={
          <button
            className="btn"
            onClick={() => {
              // What the last change said is about the list before this one.
              setDone(undefined);
              void clients.refetch();
            }}
          >
            Refresh
          </button>
        }
      />
      {done && <Banner tone={done.tone}>{done.text}</Banner>}
      <Card>
        <QueryView what="The AI clients on this machine" query={clients}>
          {(clients) => (
            <table className="table" data-testid="clients">
              <thead>
                <tr>
                  <th scope="col">Client</th>
                  <th scope="col">Status</th>
                  <th scope="col">Configuration file</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {clients.map((c) => (
                  <tr key={c.id} data-client={c.id}>
                    <td>
                      <div className="strong nowrap">{c.name || c.id}</div>
                      {c.detail && <div className="muted small">{c.detail}</div>}
                    </td>
                    <td>
                      <StatePill c={c} />
                    </td>
                    <td className="small">
                      <PathText path={c.configPath} />
                    </td>
                    <td className="actions">
                      {c.state === 'registered-but-different' && (
                        <button className="btn btn-small btn-primary" onClick={() => ask('repair', c)}>
                          Repair
                        </button>
                      )}
                      {c.reenable && (
                        <button className="btn btn-small btn-primary" onClick={() => ask('register', c)}>
                          Turn on
                        </button>
                      )}
                      {!c.configured && c.state !== 'unreadable' && (
                        <button
                          className={`btn btn-small ${c.installed ? 'btn-primary' : ''}`}
                          title={c.installed ? undefined : `${c.name} was not found; its file is written all the same`}
                          onClick={() => ask('register', c)}
                        >
                          {c.installed ? 'Set up' : 'Set up anyway'}
                        </button>
                      )}
                      {c.configured && (
                        <button className="btn btn-small" onClick={() => ask('unregister', c)}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryView>
      </Card>
      <Card title="Other ways to set up">
        <QueryView what="Install links and commands" query={links}>
          {(ls) => (
            <dl className="kv kv-wide">
              {ls.map((l) => (
                <div key={l.client} className="kv-row">
                  <dt>{l.label}</dt>
                  <dd>
                    <span className="mono small clip" title={l.value}>
                      {l.value}
                    </span>
                    <CopyButton label="Copy" text={l.value} />
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </QueryView>
      </Card>
      {preview && (
        <Modal
          title={`${verbs[preview.action]} MCP Conductor in ${preview.client.name}`}
          onClose={() => setPreview(undefined)}
          actions={
            <>
              <button className="btn" onClick={() => setPreview(undefined)}>
                Cancel
              </button>
              <button
                className={`btn ${preview.action === 'unregister' ? 'btn-danger-solid' : 'btn-primary'}`}
                onClick={confirmWrite}
              >
                Write {preview.change.path.split('/').pop()}
              </button>
            </>
          }
        >
          <p className="muted small">
            <PathText path={preview.change.path} />
          </p>
          <p className="muted small">Secrets of other servers in this file are shown as ••••••; they are not changed.</p>
          <pre className="diff" data-testid="diff">
            {preview.change.diff.split('\n').map((line, i) => (
              <span key={i} className={diffClass(line)}>
                {line + '\n'}
              </span>
            ))}
          </pre>
        </Modal>
      )}
    </>
  );
}

function diffClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@')) return 'head';
  return line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : '';
}

function StatePill(props: { c: ClientStatus }) {
  switch (props.c.state) {
    case 'registered':
      return <Pill tone="ok">Connected</Pill>;
    case 'registered-but-different':
      return <Pill tone="warn">Changed ({props.c.differs})</Pill>;
    case 'installed':
      return <Pill tone="warn">Not connected</Pill>;
    case 'unreadable':
      return <Pill tone="bad">Unreadable</Pill>;
    case 'disabled':
      return <Pill tone="warn">Switched off</Pill>;
    case 'blocked':
      return <Pill tone="bad">Blocked</Pill>;
  }
  return <Pill tone="muted">Not installed</Pill>;
}
