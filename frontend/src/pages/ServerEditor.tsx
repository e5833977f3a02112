import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Probe, type Secret, type ServerForm, type ServerView, type TestFailure } from '../api';
import { Banner, Field, splitList } from '../components/forms';
import { Card, Pill } from '../components/ui';
import { duration } from '../format';
import { get, queries } from '../queries';

/** A change to mcp-config.json; each returns the file as it is now. */
export type ServersChange =
  | { op: 'save'; original: string; form: ServerForm }
  | { op: 'disable'; name: string; disabled: boolean }
  | { op: 'askForChanges'; on: boolean }
  | { op: 'remove'; name: string }
  | { op: 'import'; picks: { client: string; name: string }[] };

function change(c: ServersChange) {
  switch (c.op) {
    case 'save':
      return api.saveMCPServer(c.original, c.form);
    case 'disable':
      return api.setMCPServerDisabled(c.name, c.disabled);
    case 'askForChanges':
      return api.setAskForChanges(c.on);
    case 'remove':
      return api.removeMCPServer(c.name);
    case 'import':
      return api.importServers(c.picks);
  }
}

/** Changes mcp-config.json; the servers list shows the file the backend returns. */
export function useServersChange() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (c: ServersChange) => get(change(c)),
    onSuccess: (v) => {
      client.setQueryData(queries.mcpServers.queryKey, v);
      // Which clients' servers are in the file already.
      void client.invalidateQueries({ queryKey: queries.importableServers.queryKey });
    },
  });
}

const empty: ServerForm = {
  name: '',
  command: '',
  args: [],
  cwd: '',
  env: [],
  url: '',
  type: '',
  headers: [],
  disabled: false,
  description: '',
  allowTools: [],
  denyTools: [],
  approvalDefault: '',
  approvalAllow: [],
  approvalAsk: [],
  approvalDeny: [],
};

/** Adds or edits one entry of mcp-config.json, with a test connection. */
export function ServerEditor(props: {
  original?: ServerView;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const orig = props.original;
  const [f, setF] = useState<ServerForm>(orig ? { ...empty, ...orig } : empty);
  const [kind, setKind] = useState<'stdio' | 'http' | 'sse'>(
    orig ? (orig.transport as 'stdio' | 'http' | 'sse') : 'stdio',
  );
  const [argsText, setArgsText] = useState((orig?.args ?? []).join('\n'));
  const saving = useServersChange();
  // A new test clears the last one's outcome.
  const testing = useMutation({ mutationFn: (form: ServerForm) => get(api.testMCPServer(orig?.name ?? '', form)) });
  const busy = saving.isPending ? 'save' : testing.isPending ? 'test' : undefined;
  const probe = testing.data?.probe;
  const failure = testing.data?.failure;

  // The form as the backend takes it: only the chosen kind's fields.
  const form = (): ServerForm =>
    kind === 'stdio'
      ? { ...f, url: '', type: '', headers: [], args: argsText.split('\n').filter((a) => a.trim() !== '') }
      : { ...f, command: '', args: [], cwd: '', env: [], type: kind === 'sse' ? 'sse' : '' };

  const save = () => saving.mutate({ op: 'save', original: orig?.name ?? '', form: form() }, { onSuccess: props.onSaved });
  const test = () => testing.mutate(form());

  return (
    <Card title={orig ? `Edit ${orig.name}` : 'Add an MCP server'} className="editor">
      <div className="form-grid">
        <Field label="Name" hint="Letters, digits, '_', '-', '.'; code loads it with mcpFactory.load(name).">
          <input className="input mono" aria-label="Server name" value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
        </Field>
        <Field label="Kind">
          <div className="segmented" role="radiogroup" aria-label="Kind">
            {(['stdio', 'http', 'sse'] as const).map((k) => (
              <label key={k} className={kind === k ? 'on' : ''}>
                <input type="radio" name="kind" checked={kind === k} onChange={() => setKind(k)} />
                {{ stdio: 'Program (stdio)', http: 'URL (streamable HTTP)', sse: 'URL (SSE, legacy)' }[k]}
              </label>
            ))}
          </div>
        </Field>
        {kind === 'stdio' ? (
          <>
            <Field label="Command" hint="The program to start, e.g. npx, node, uvx, or an absolute path.">
              <input className="input mono" aria-label="Command" value={f.command} onChange={(e) => setF({ ...f, command: e.target.value })} />
            </Field>
            <Field label="Arguments" hint="One per line.">
              <textarea className="input mono" rows={3} aria-label="Arguments" value={argsText} onChange={(e) => setArgsText(e.target.value)} />
            </Field>
            <Field label="Working folder">
              <input className="input mono" aria-label="Working folder" value={f.cwd} onChange={(e) => setF({ ...f, cwd: e.target.value })} />
            </Field>
            <Field label="Environment" hint="${env:NAME} takes the value from MCP Conductor's own environment.">
              <SecretRows label="variable" rows={f.env} onChange={(env) => setF({ ...f, env })} />
            </Field>
          </>
        ) : (
          <>
            <Field label="URL">
              <input className="input mono" aria-label="URL" value={f.url} placeholder="https://…" onChange={(e) => setF({ ...f, url: e.target.value })} />
            </Field>
            <Field label="Headers" hint="For example Authorization: Bearer ${env:MY_TOKEN}.">
              <SecretRows label="header" rows={f.headers} onChange={(headers) => setF({ ...f, headers })} />
            </Field>
          </>
        )}
        <Field label="Description">
          <input className="input" aria-label="Description" value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
        </Field>
        <Field label="Only these tools" hint="Names or globs, comma separated; empty allows all.">
          <input className="input mono" aria-label="Allowed tools" value={f.allowTools.join(', ')} onChange={(e) => setF({ ...f, allowTools: splitList(e.target.value) })} />
        </Field>
        <Field label="Never these tools" hint="Applied after the list above.">
          <input className="input mono" aria-label="Denied tools" value={f.denyTools.join(', ')} onChange={(e) => setF({ ...f, denyTools: splitList(e.target.value) })} />
        </Field>
        <Field label="Ask before these calls" hint="Tools whose calls from code wait for the user's approval. Names or globs, comma separated.">
          <input className="input mono" aria-label="Tools that need approval" value={f.approvalAsk.join(', ')} onChange={(e) => setF({ ...f, approvalAsk: splitList(e.target.value) })} />
        </Field>
        <Field label="Refuse these calls" hint="Code may not call these tools, and no one is asked.">
          <input className="input mono" aria-label="Tools code may not call" value={f.approvalDeny.join(', ')} onChange={(e) => setF({ ...f, approvalDeny: splitList(e.target.value) })} />
        </Field>
        <Field label="No approval needed" hint="A name written out here wins over any pattern above.">
          <input className="input mono" aria-label="Tools that need no approval" value={f.approvalAllow.join(', ')} onChange={(e) => setF({ ...f, approvalAllow: splitList(e.target.value) })} />
        </Field>
        <Field label="Other tools">
          <select className="input" aria-label="Approval of other tools" value={f.approvalDefault} onChange={(e) => setF({ ...f, approvalDefault: e.target.value })}>
            <option value="">As “Ask for changes” says</option>
            <option value="allow">Call without asking</option>
            <option value="ask">Ask before each call</option>
            <option value="deny">Refuse</option>
          </select>
        </Field>
        <label className="check">
          <input type="checkbox" checked={f.disabled} onChange={(e) => setF({ ...f, disabled: e.target.checked })} />
          Disabled (sandboxed code cannot reach it)
        </label>
      </div>
      {saving.error && <Banner tone="bad">{saving.error.message}</Banner>}
      {testing.error && <Banner tone="bad">{testing.error.message}</Banner>}
      {failure && <TestFailed f={failure} />}
      {probe && <ProbeResult probe={probe} />}
      <div className="row-tight editor-actions">
        <button className="btn" onClick={test} disabled={!!busy}>
          {busy === 'test' ? 'Connecting…' : 'Test connection'}
        </button>
        <span className="grow" />
        <button className="btn" onClick={props.onCancel}>
          Cancel
        </button>
        <button className="btn btn-primary" onClick={save} disabled={!!busy}>
          {busy === 'save' ? 'Saving…' : 'Save'}
        </button>
      </div>
    </Card>
  );
}

function SecretRows(props: { label: string; rows: Secret[]; onChange: (rows: Secret[]) => void }) {
  const set = (i: number, r: Secret) => props.onChange(props.rows.map((x, j) => (j === i ? r : x)));
  return (
    <div className="secret-rows">
      {props.rows.map((r, i) => (
        <div className="row-tight" key={i}>
          <input className="input mono" aria-label={`${props.label} name`} placeholder="NAME" value={r.name} onChange={(e) => set(i, { ...r, name: e.target.value })} />
          <input
            className="input mono grow"
            aria-label={`${props.label} value`}
            placeholder={r.stored ? '•••••• stored — type to replace' : 'value'}
            value={r.value}
            onChange={(e) => set(i, { ...r, value: e.target.value })}
          />
          <button className="btn btn-small" aria-label={`Remove ${props.label}`} onClick={() => props.onChange(props.rows.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button className="btn btn-small" onClick={() => props.onChange([...props.rows, { name: '', value: '', stored: false }])}>
        Add {props.label}
      </button>
    </div>
  );
}

function TestFailed(props: { f: TestFailure }) {
  const { f } = props;
  return (
    <div className="probe probe-failed" data-testid="probe-failure" role="alert">
      <div className="banner banner-bad">
        <strong>{f.message}</strong> {f.hint}
      </div>
      {f.stderr.length > 0 && (
        <>
          <h3>What the program printed (its last lines)</h3>
          <pre className="output output-logs" data-testid="probe-stderr">
            {f.stderr.join('\n')}
          </pre>
        </>
      )}
      {f.detail && (
        <details className="muted small">
          <summary>Details</summary>
          <span className="mono break-anywhere">{f.detail}</span>
        </details>
      )}
    </div>
  );
}

function ProbeResult(props: { probe: Probe }) {
  const p = props.probe;
  return (
    <div className="probe" data-testid="probe">
      <Banner tone="ok">
        Connected to {p.serverName || 'the server'} {p.serverVersion} in {duration(p.durationMs)}: {p.tools.length} tools.
      </Banner>
      <ul className="tool-list">
        {p.tools.map((t) => (
          <li key={t.name}>
            <span className="mono strong nowrap">{t.name}</span>
            {!t.allowed && <Pill tone="muted">blocked by the tool lists</Pill>}
            {t.description && <span className="muted small">{t.description}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
