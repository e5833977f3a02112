import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, permissionNames, type Grant, type PermissionName, type Settings, type SettingsView } from '../api';
import { Banner, Field, ListEditor } from '../components/forms';
import { Card, PageHeader, PathText, QueryView, Switch } from '../components/ui';
import { get, queries } from '../queries';

const permissionInfo: Record<PermissionName, { title: string; what: string; placeholder: string; paths?: boolean }> = {
  read: { title: 'Read files', what: 'folders or files', placeholder: '/path/to/folder', paths: true },
  write: { title: 'Write files', what: 'folders or files', placeholder: '/path/to/folder', paths: true },
  net: { title: 'Network', what: 'hosts', placeholder: 'api.example.com or host:port' },
  env: { title: 'Environment variables', what: 'variable names', placeholder: 'API_URL' },
  run: { title: 'Run programs', what: 'programs', placeholder: 'git' },
  ffi: { title: 'Native libraries (FFI)', what: 'libraries', placeholder: '/usr/lib/libfoo.so', paths: true },
  sys: { title: 'System information', what: 'APIs', placeholder: 'hostname, osRelease, …' },
};

/** A limit as the page edits it: in the unit people think in. */
interface Limit {
  key: 'defaultTimeoutMs' | 'maxTimeoutMs' | 'maxMemoryMB' | 'maxOutputBytes' | 'maxConcurrency';
  label: string;
  unit: string;
  /** settings value → field text, and back; the effective value for the default */
  show: (v: number) => string;
  parse: (t: string) => number;
}

const num = (t: string) => (t.trim() === '' ? 0 : Number(t));
const round1 = (v: number) => String(Math.round(v * 10) / 10);
const limits: Limit[] = [
  { key: 'defaultTimeoutMs', label: 'Default time limit', unit: 's', show: (v) => round1(v / 1000), parse: (t) => Math.round(num(t) * 1000) },
  { key: 'maxTimeoutMs', label: 'Longest time limit', unit: 's', show: (v) => round1(v / 1000), parse: (t) => Math.round(num(t) * 1000) },
  { key: 'maxMemoryMB', label: 'Memory (heap)', unit: 'MiB', show: String, parse: (t) => Math.round(num(t)) },
  { key: 'maxOutputBytes', label: 'Output per stream', unit: 'MiB', show: (v) => String(Math.round((v / 1048576) * 100) / 100), parse: (t) => Math.round(num(t) * 1048576) },
  { key: 'maxConcurrency', label: 'Runs at once', unit: '', show: String, parse: (t) => Math.round(num(t)) },
];

/** What sandboxed code may touch, its limits, and which packages it may import. */
export function Permissions() {
  const settings = useQuery(queries.settings);
  return (
    <>
      <PageHeader
        title="Permissions & packages"
        subtitle="Your limits on sandboxed code. The code's author, the model, cannot widen them."
      />
      <QueryView what="The sandbox's permissions and allowed packages" query={settings}>
        {(v) => <SettingsForm view={v} />}
      </QueryView>
    </>
  );
}

/**
 * The form over the settings in the cache. Edits are a draft of their own:
 * the settings shown follow the cache (a save from the tray, a reload) until
 * the first edit, and a save or Discard drops the draft.
 */
function SettingsForm(props: { view: SettingsView }) {
  const { view } = props;
  const client = useQueryClient();
  const [draft, setDraft] = useState<Settings>();
  const s = draft ?? view.settings;
  const [msg, setMsg] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  // A message is about the form as it was: any edit, or Discard, clears it.
  const edit = (next: Settings) => {
    setDraft(next);
    setMsg(undefined);
  };
  const locked = (field: string) => view.overrides[field];
  const dirty = draft !== undefined && JSON.stringify(draft) !== JSON.stringify(view.settings);

  const saving = useMutation({
    mutationFn: (next: Settings) => get(api.saveSettings(next)),
    onSuccess: (saved) => {
      client.setQueryData(queries.settings.queryKey, saved);
      setDraft(undefined);
      setMsg({ tone: 'ok', text: 'Saved. The next run uses these settings.' });
    },
    // Keep what the user typed; say what is wrong.
    onError: (e) => setMsg({ tone: 'bad', text: e.message }),
  });
  const save = () => {
    const bad = limits.find((l) => Number.isNaN(s[l.key]));
    if (bad || Number.isNaN(s.poolSize) || Number.isNaN(s.http?.port) || Number.isNaN(s.python?.poolSize)) {
      setMsg({ tone: 'bad', text: `${bad?.label ?? 'A limit'}: type a number, or leave the field empty for the default.` });
      return;
    }
    saving.mutate(s);
  };
  const setGrant = (name: PermissionName, g: Grant) => edit({ ...s, permissions: { ...s.permissions, [name]: g } });
  const pick = async (title: string, start: string) => {
    const r = await api.chooseFolder(title, start);
    if (r.kind === 'ok') return r.value || undefined;
    setMsg({ tone: 'bad', text: r.kind === 'error' ? r.message : 'The folder dialog is not available here; type the path.' });
    return undefined;
  };

  return (
    <div className="settings">
      {view.error && <Banner tone="bad">The settings in force are invalid: {view.error}</Banner>}
      {dirty && !msg && (
        <div className="visually-hidden" role="status">
          Unsaved changes
        </div>
      )}
      <Card title="Workspace">
        <Field
          label="Working folder of the sandbox"
          hint={
            <>
              Relative paths in the grants below are resolved against it. In force:{' '}
              <PathText path={view.effective.workspace} />
            </>
          }
          locked={locked('workspace')}
        >
          <div className="row-tight">
            <input
              className="input mono grow"
              aria-label="Workspace folder"
              value={s.workspace ?? ''}
              placeholder={view.effective.workspace}
              disabled={!!locked('workspace')}
              onChange={(e) => edit({ ...s, workspace: e.target.value })}
            />
            <button
              className="btn btn-small"
              disabled={!!locked('workspace')}
              onClick={() =>
                void pick('Workspace folder', s.workspace || view.effective.workspace).then((d) => {
                  if (d) edit({ ...s, workspace: d });
                })
              }
            >
              Choose…
            </button>
          </div>
        </Field>
      </Card>

      <Card title="Deno permissions">
        {locked('permissions') && (
          <Banner tone="info">
            {locked('permissions')} sets the permissions; change it where MCP Conductor is started. In force:{' '}
            <span className="mono">{view.effective.flags.join(' ') || 'none'}</span>
          </Banner>
        )}
        <div className="perm-grid">
          {permissionNames.map((name) => (
            <PermissionRow
              key={name}
              name={name}
              grant={s.permissions[name] ?? {}}
              disabled={!!locked('permissions')}
              onChange={(g) => setGrant(name, g)}
              pick={pick}
            />
          ))}
        </div>
      </Card>

      <Card title="Allowed packages">
        <Field
          label="npm: and jsr: packages code may import, each with a version"
          hint="For example npm:zod@^3 or jsr:@std/path@^1. Code imports them without a version and gets yours."
          locked={locked('allowedPackages')}
        >
          <ListEditor
            label="Add a package"
            items={(locked('allowedPackages') ? view.effective.packages : s.allowedPackages) ?? []}
            placeholder="npm:zod@^3"
            disabled={!!locked('allowedPackages')}
            onChange={(items) => edit({ ...s, allowedPackages: items })}
            check={async (v) => {
              const r = await api.checkPackage(v);
              return r.kind === 'error' ? capitalise(r.message) : undefined;
            }}
          />
        </Field>
      </Card>

      <Card title="Python">
        <Field
          label="Python (run_python_code)"
          hint="Python runs through Pyodide in the same sandbox, with the same permissions; each run gets a fresh interpreter."
          locked={locked('python.disabled')}
        >
          <Switch
            label="Let agents run Python"
            checked={locked('python.disabled') ? view.effective.python : !s.python?.disabled}
            disabled={!!locked('python.disabled')}
            onChange={(on) => edit({ ...s, python: { ...s.python, disabled: !on } })}
          />
        </Field>
        <Field
          label="Python packages code may import"
          hint="Pyodide's own packages by name (numpy), other pure-Python packages with a version (tabulate==0.9.0). They are installed ahead of the first run, with a checksum; nothing is downloaded while code runs."
          locked={locked('python.packages')}
        >
          <ListEditor
            label="Add a Python package"
            items={(locked('python.packages') ? view.effective.pythonPackages : s.python?.packages) ?? []}
            placeholder="numpy"
            disabled={!!locked('python.packages')}
            onChange={(items) => edit({ ...s, python: { ...s.python, packages: items } })}
            check={async (v) => {
              const r = await api.checkPythonPackage(v);
              return r.kind === 'error' ? capitalise(r.message) : undefined;
            }}
          />
        </Field>
        <div className="limits">
          <Field label="Package index (pure-Python wheels)" locked={locked('python.index')}>
            <input
              className="input mono grow"
              aria-label="Package index"
              placeholder="https://pypi.example.com/simple/"
              value={s.python?.index ?? ''}
              disabled={!!locked('python.index')}
              onChange={(e) => edit({ ...s, python: { ...s.python, index: e.target.value.trim() } })}
            />
          </Field>
          <Field label="Pyodide's packages (folder URL)" locked={locked('python.pyodideIndex')}>
            <input
              className="input mono grow"
              aria-label="Pyodide's packages"
              placeholder="https://mirror.example.com/pyodide/"
              value={s.python?.pyodideIndex ?? ''}
              disabled={!!locked('python.pyodideIndex')}
              onChange={(e) => edit({ ...s, python: { ...s.python, pyodideIndex: e.target.value.trim() } })}
            />
          </Field>
          <Field label="Python interpreters kept ready" locked={locked('python.poolSize')}>
            <UnitInput
              label="Python interpreters kept ready"
              unit="(about 200 MB each)"
              placeholder={`${view.effective.pythonPoolSize} (default)`}
              value={
                locked('python.poolSize')
                  ? String(view.effective.pythonPoolSize)
                  : (s.python?.poolSize ?? '') + ''
              }
              disabled={!!locked('python.poolSize')}
              onChange={(t) => edit({ ...s, python: { ...s.python, poolSize: t.trim() === '' ? null : Number(t) } })}
            />
          </Field>
        </div>
      </Card>

      <Card title="Limits">
        <div className="limits">
          {limits.map((l) => {
            const set = s[l.key];
            return (
              <Field key={l.key} label={l.label} locked={locked(l.key)}>
                <UnitInput
                  label={l.label}
                  unit={l.unit}
                  placeholder={`${l.show(view.effective[l.key])} (default)`}
                  value={locked(l.key) ? l.show(view.effective[l.key]) : set ? l.show(set) : ''}
                  disabled={!!locked(l.key)}
                  onChange={(t) => edit({ ...s, [l.key]: l.parse(t) })}
                />
              </Field>
            );
          })}
          <Field label="Processes kept ready" locked={locked('poolSize')}>
            <UnitInput
              label="Processes kept ready"
              unit=""
              placeholder={`${view.effective.poolSize} (default)`}
              value={locked('poolSize') ? String(view.effective.poolSize) : (s.poolSize ?? '') + ''}
              disabled={!!locked('poolSize')}
              onChange={(t) => edit({ ...s, poolSize: t.trim() === '' ? null : Number(t) })}
            />
          </Field>
          <Field label="Local endpoint port">
            <UnitInput
              label="Local endpoint port"
              unit=""
              placeholder={`${view.effective.httpPort} (default)`}
              value={s.http?.port ? String(s.http.port) : ''}
              onChange={(t) => edit({ ...s, http: { ...s.http, port: t.trim() === '' ? 0 : Number(t) } })}
            />
          </Field>
        </div>
        <p className="muted small">An empty field uses the default shown in it.</p>
      </Card>

      <div className="save-bar">
        {msg && <Banner tone={msg.tone}>{msg.text}</Banner>}
        <div className="row-tight">
          <PathText path={view.path} className="muted small" />
          <button
            className="btn"
            disabled={!dirty || saving.isPending}
            onClick={() => {
              setDraft(undefined);
              setMsg(undefined);
            }}
          >
            Discard changes
          </button>
          <button className="btn btn-primary" disabled={!dirty || saving.isPending} onClick={save}>
            {saving.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </div>
    </div>
  );
}

function PermissionRow(props: {
  name: PermissionName;
  grant: Grant;
  disabled: boolean;
  onChange: (g: Grant) => void;
  pick: (title: string, start: string) => Promise<string | undefined>;
}) {
  const info = permissionInfo[props.name];
  const g = props.grant;
  const list = g.list ?? [];
  const mode = g.all ? 'all' : list.length > 0 ? 'list' : 'none';
  const [listMode, setListMode] = useState(mode === 'list');
  const shown = listMode || mode === 'list' ? (g.all ? 'all' : 'list') : mode;
  return (
    <div className="perm-row" data-permission={props.name}>
      <div className="perm-head">
        <strong>{info.title}</strong>
        <select
          className="input"
          aria-label={`${info.title} permission`}
          value={shown}
          disabled={props.disabled}
          onChange={(e) => {
            const m = e.target.value;
            setListMode(m === 'list');
            props.onChange(m === 'all' ? { all: true } : m === 'list' ? { list } : {});
          }}
        >
          <option value="none">Not allowed</option>
          <option value="list">Only these {info.what}</option>
          <option value="all">All {info.what}</option>
        </select>
      </div>
      {shown === 'list' && (
        <ListEditor
          label={`Add to ${info.title}`}
          items={list}
          placeholder={info.placeholder}
          disabled={props.disabled}
          onChange={(items) => props.onChange({ list: items })}
          extra={
            info.paths && (
              <button
                className="btn btn-small"
                onClick={() =>
                  void props.pick(info.title, list[list.length - 1] ?? '').then((d) => {
                    if (d && !list.includes(d)) props.onChange({ list: [...list, d] });
                  })
                }
              >
                Choose folder…
              </button>
            )
          }
        />
      )}
    </div>
  );
}

/** A number field with its unit beside it. */
function UnitInput(props: {
  label: string;
  unit: string;
  placeholder: string;
  value: string;
  disabled?: boolean;
  onChange: (text: string) => void;
}) {
  return (
    <div className="unit-input">
      <input
        className="input"
        inputMode="decimal"
        aria-label={props.unit ? `${props.label} (${unitName[props.unit] ?? props.unit})` : props.label}
        placeholder={props.placeholder}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.unit && <span className="unit">{props.unit}</span>}
    </div>
  );
}

const unitName: Record<string, string> = { s: 'seconds', MiB: 'mebibytes' };

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
