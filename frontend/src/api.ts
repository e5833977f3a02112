// The typed layer between the pages and the Go backend.
//
// Wails exposes each exported method of the Go App struct (package app) as
// window.go.app.App.<Method>, returning a promise. A method the backend does
// not bind yet is simply absent: call() turns that, and Go errors wrapping
// services.ErrNotAvailable ("not available yet"), into an `unavailable`
// result, so pages show an honest "not available yet" state instead of
// invented data.

/** The outcome of one backend call. */
export type Result<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'error'; message: string };

/** Folders the app uses (Go: backend.Paths). */
export interface Paths {
  home: string;
  workspace: string;
  logs: string;
}

/** Start-on-login state (Go: app.AutostartStatus). */
export interface AutostartStatus {
  supported: boolean;
  enabled: boolean;
  path: string;
}

/** Tray icon state (Go: app.TrayStatus). */
export interface TrayStatus {
  running: boolean;
  visible: boolean;
  detail: string;
}

/** The local MCP endpoint (Go: backend.EndpointStatus). */
export interface EndpointStatus {
  url: string;
  running: boolean;
  detail: string;
  enabled: boolean;
  port: number;
}

/** The Deno runtime (Go: backend.RuntimeStatus). */
export interface RuntimeStatus {
  found: boolean;
  path: string;
  version: string;
  detail: string;
  source: string;
  pinned: string;
}

/** Whether code can run (Go: backend.EngineStatus). */
export interface EngineStatus {
  running: boolean;
  error: string;
  confined: boolean;
  confinement: string;
}

/** Python's state (Go: backend.PythonStatus). */
export interface PythonStatus {
  enabled: boolean;
  installed: boolean;
  version: string;
  path: string;
  detail: string;
  warm: number;
  poolSize: number;
  idleMB: number;
}

/** One step of a Deno or Pyodide install (Go: backend.InstallProgress), events "deno:progress" and "python:progress". */
export interface InstallProgress {
  phase: string;
  done: number;
  total: number;
  percent: number;
  bytesPerSecond: number;
}

/** One AI client (Go: backend.ClientStatus). */
export interface ClientStatus {
  id: string;
  name: string;
  installed: boolean;
  /** Our entry is in the client's file (also when switched off or blocked). */
  configured: boolean;
  /** The client switched our entry off, and Register turns it back on. */
  reenable: boolean;
  /** Our entry is there but someone changed it: Repair rewrites it. */
  drifted: boolean;
  configPath: string;
  detail: string;
  state: string;
  differs: string;
}

/** A register/unregister/repair, previewed or done (Go: backend.ClientChange). */
export interface ClientChange {
  path: string;
  diff: string;
  changed: boolean;
  written: boolean;
  backup: string;
  status: ClientStatus;
}

/** An install link or command (Go: backend.ClientLink). */
export interface ClientLink {
  client: string;
  label: string;
  value: string;
}

/** One Deno permission (Go: config.Grant): everything, a list, or nothing. */
export interface Grant {
  all?: boolean;
  list?: string[] | null;
}

/** The permission names, in display order (Go: config.Permissions). */
export const permissionNames = ['read', 'write', 'net', 'env', 'run', 'ffi', 'sys'] as const;
export type PermissionName = (typeof permissionNames)[number];

/** The settings file (Go: config.Settings); zero fields mean the default. */
export interface Settings {
  workspace?: string;
  permissions: Record<PermissionName, Grant>;
  allowedPackages?: string[] | null;
  defaultTimeoutMs?: number;
  maxTimeoutMs?: number;
  maxMemoryMB?: number;
  maxOutputBytes?: number;
  maxConcurrency?: number;
  poolSize?: number | null;
  mcpConfig?: string;
  deno?: string;
  http: { disabled?: boolean; port?: number };
  python?: PythonSettings;
  /** save_skill: off when disableSaving is true; asks the person first when requireApproval is true. */
  skills?: { disableSaving?: boolean; requireApproval?: boolean };
}

/** Python's settings (Go: config.PythonSettings). */
export interface PythonSettings {
  disabled?: boolean;
  pyodide?: string;
  poolSize?: number | null;
  packages?: string[] | null;
  index?: string;
  pyodideIndex?: string;
}

/** The policy in force (Go: backend.Effective). */
export interface Effective {
  workspace: string;
  flags: string[];
  packages: string[];
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
  maxMemoryMB: number;
  maxOutputBytes: number;
  maxConcurrency: number;
  poolSize: number;
  httpEnabled: boolean;
  httpPort: number;
  python: boolean;
  pythonPackages: string[];
  pythonPoolSize: number;
}

/** The Permissions & packages page (Go: backend.SettingsView). */
export interface SettingsView {
  path: string;
  settings: Settings;
  effective: Effective;
  /** settings field → the environment variable that overrides it */
  overrides: Record<string, string>;
  error: string;
}

/** An env variable or header; a stored secret comes as value "" and stored true (Go: backend.Secret). */
export interface Secret {
  name: string;
  value: string;
  stored: boolean;
}

/** An MCP server entry as edited (Go: backend.ServerForm). */
export interface ServerForm {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Secret[];
  url: string;
  type: string;
  headers: Secret[];
  disabled: boolean;
  description: string;
  allowTools: string[];
  denyTools: string[];
  /** Rule for the tools no approval list names: '' (the "ask for changes" switch decides), 'allow', 'ask' or 'deny'. */
  approvalDefault: string;
  approvalAllow: string[];
  approvalAsk: string[];
  approvalDeny: string[];
}

/** An entry as listed (Go: backend.ServerView). */
export interface ServerView extends ServerForm {
  transport: string;
  /** The command line or URL, secrets masked. */
  runs: string;
  error: string;
  /** The running engine's view: connected, not connected, error, disabled; '' without an engine. */
  status: string;
}

/** mcp-config.json (Go: backend.ServersView). */
export interface ServersView {
  path: string;
  error: string;
  servers: ServerView[];
  /** Calls from code of tools that may change things wait for a person's approval. */
  askForChanges: boolean;
}

/** What a test connection found (Go: proxy.Probe). */
export interface Probe {
  serverName: string;
  serverVersion: string;
  instructions?: string;
  tools: { name: string; description?: string; allowed: boolean }[];
  durationMs: number;
}

/** Why a test connection failed (Go: backend.TestFailure). */
export interface TestFailure {
  message: string;
  hint: string;
  /** The last lines the program printed on its error output. */
  stderr: string[];
  detail: string;
}

/** What Test connection found (Go: backend.ServerTest): a probe or a failure. */
export interface ServerTest {
  probe: Probe | null;
  failure: TestFailure | null;
}

/** A server configured in an AI client (Go: backend.ImportCandidate). */
export interface ImportCandidate {
  client: string;
  clientName: string;
  path: string;
  name: string;
  transport: string;
  summary: string;
  exists: boolean;
  error: string;
  dropped: string[];
}

/** One MCP tool call made by sandboxed code (Go: backend.ToolCall). */
export interface ToolCall {
  server: string;
  tool: string;
  ok: boolean;
  error: string;
  durationMs: number;
}

/** The Skills page (Go: backend.SkillsView). */
export interface SkillsView {
  folder: string;
  /** Whether code may save skills (settings: skills.disableSaving). */
  saving: boolean;
  /** Whether each save by an AI client waits for a person's approval (settings: skills.requireApproval). */
  approval: boolean;
  skills: Skill[];
}

/** One saved skill (Go: backend.Skill). */
export interface Skill {
  name: string;
  description: string;
  /** The specifier code imports it with: skills/<name>. */
  import: string;
  savedAt: string;
  exports: SkillExport[];
  /** Why it cannot be described; '' when it can. */
  problem: string;
}

/** One exported name of a skill (Go: backend.SkillExport). */
export interface SkillExport {
  name: string;
  kind: string;
  signature: string;
  doc: string;
}

/** A skill in the Skills page's editor (Go: backend.SkillDraft). */
export interface SkillDraft {
  name: string;
  description: string;
  source: string;
  /** The saved state it was opened from; '' for a new skill. */
  revision: string;
}

/** What saving a draft did (Go: backend.SkillSave): saved, or refused with nothing written. */
export interface SkillSave {
  /** The skill as saved, with its new revision. */
  saved: SkillDraft | null;
  view: SkillsView | null;
  problem: SkillProblem | null;
}

/** Why a draft was not saved (Go: backend.SkillProblem). */
export interface SkillProblem {
  message: string;
  /** Where Deno stopped reading the source (1-based); 0 when it is not at a place in it. */
  line: number;
  column: number;
  /** The skill changed on disk since it was opened (or a new skill's name is taken). */
  changed: boolean;
}

/** A save or deletion of a skill, from the audit log (Go: backend.SkillChange). */
export interface SkillChange {
  time: string;
  client: string;
  skill: string;
  /** saved, replaced or deleted */
  action: string;
  ok: boolean;
  /** Why it was refused. */
  error: string;
  source: string;
  description: string;
}

/** One execution from the audit log (Go: backend.Execution), also event "execution". */
export interface Execution {
  id: string;
  time: string;
  client: string;
  status: string;
  errorType: string;
  error: string;
  durationMs: number;
  code: string;
  /** 'python' for run_python_code, '' for run_deno_code. */
  language: string;
  stdout: string;
  stderr: string;
  toolCalls: number;
  calls: ToolCall[];
  approvals: Approval[];
}

/** The decision on one tool call that needed approval, or that a rule denied (Go: backend.Approval). */
export interface Approval {
  time: string;
  server: string;
  tool: string;
  allowed: boolean;
  rule: string;
  why: string;
  decision: string;
  via: string;
  approver: string;
  reason: string;
}

/** run_deno_code's structured result (Go: sandbox.Result). */
export interface RunResult {
  status: 'success' | 'error';
  returnValue: unknown;
  stdout: string;
  stderr: string;
  error?: { type: string; message: string };
  executionTimeMs: number;
  toolCalls?: { server: string; tool: string; durationMs: number; ok: boolean; error?: string }[];
}

/** A tool call made from code, or a skill to save, that waits for the person's answer (Go: backend.ApprovalQuestion). */
export interface ApprovalQuestion {
  id: string;
  /** The AI client whose code makes the call ("playground" for the Playground's). */
  client: string;
  server: string;
  tool: string;
  /** The arguments as indented JSON, secrets masked. */
  args: string;
  /** The rule that asks. */
  why: string;
  choices: string[];
  /** Set for a skill the AI client wants to save (server, tool and args are then empty). */
  skill?: SkillToSave;
}

/** A skill waiting for the person's approval to be saved (Go: backend.SkillToSave). */
export interface SkillToSave {
  name: string;
  description: string;
  /** It replaces the saved skill of that name. */
  replaces: boolean;
  source: string;
}

/** The marker Go's services.ErrNotAvailable puts in error messages. */
export const NOT_AVAILABLE = 'not available yet';

type Bound = Record<string, ((...args: unknown[]) => Promise<unknown>) | undefined>;

interface WailsWindow {
  go?: { app?: { App?: Bound } };
  runtime?: {
    EventsOn?: (name: string, cb: (...data: unknown[]) => void) => () => void;
    ClipboardSetText?: (text: string) => Promise<boolean>;
  };
}

function wails(): WailsWindow {
  return (globalThis as unknown as { window?: WailsWindow }).window ?? {};
}

/** Whether the page runs inside the app (or its dev server) at all. */
export function insideApp(): boolean {
  return wails().go?.app?.App !== undefined;
}

/** Whether the backend binds a method (a service the page can use). */
export function bound(method: string): boolean {
  return typeof wails().go?.app?.App?.[method] === 'function';
}

/** Calls a bound Go method by name and classifies the outcome. */
export async function call<T>(method: string, ...args: unknown[]): Promise<Result<T>> {
  const bound = wails().go?.app?.App;
  const fn = bound?.[method];
  if (typeof fn !== 'function') {
    return {
      kind: 'unavailable',
      reason: bound
        ? `${NOT_AVAILABLE}: this version of MCP Conductor has no ${method} service`
        : `${NOT_AVAILABLE}: open this page inside the MCP Conductor app`,
    };
  }
  try {
    return { kind: 'ok', value: (await fn(...args)) as T };
  } catch (e) {
    const message = errorText(e);
    if (message.includes(NOT_AVAILABLE)) {
      return { kind: 'unavailable', reason: message };
    }
    return { kind: 'error', message };
  }
}

function errorText(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'message' in e) return String(e.message);
  return String(e);
}

/** Subscribes to a backend event; returns the unsubscribe function. */
export function onEvent(name: string, cb: (...data: unknown[]) => void): () => void {
  const on = wails().runtime?.EventsOn;
  return on ? on(name, cb) : () => undefined;
}

/** Puts text on the clipboard through the app, falling back to the browser. */
export async function copyText(text: string): Promise<boolean> {
  const set = wails().runtime?.ClipboardSetText;
  if (set) return set(text);
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The backend API, one typed function per bound method. */
export const api = {
  version: () => call<string>('Version'),
  paths: () => call<Paths>('Paths'),
  userHome: () => call<string>('UserHome'),
  openWorkspaceFolder: () => call<void>('OpenWorkspaceFolder'),
  openLogsFolder: () => call<void>('OpenLogsFolder'),
  autostart: () => call<AutostartStatus>('Autostart'),
  setAutostart: (on: boolean) => call<AutostartStatus>('SetAutostart', on),
  trayStatus: () => call<TrayStatus>('TrayStatus'),
  endpoint: () => call<EndpointStatus>('Endpoint'),
  endpointToken: () => call<string>('EndpointToken'),
  setEndpoint: (on: boolean, port: number) => call<EndpointStatus>('SetEndpoint', on, port),
  runtime: () => call<RuntimeStatus>('Runtime'),
  engine: () => call<EngineStatus>('Engine'),
  installDeno: (source = '', baseUrl = '') => call<RuntimeStatus>('InstallDeno', { source, baseUrl }),
  clients: () => call<ClientStatus[]>('Clients'),
  registerClient: (id: string, apply: boolean, force = false) =>
    call<ClientChange>('RegisterClient', id, { apply, force }),
  repairClient: (id: string, apply: boolean) => call<ClientChange>('RepairClient', id, { apply, force: false }),
  unregisterClient: (id: string, apply: boolean) => call<ClientChange>('UnregisterClient', id, { apply, force: false }),
  clientLinks: () => call<ClientLink[]>('ClientLinks'),
  settings: () => call<SettingsView>('Settings'),
  saveSettings: (s: Settings) => call<SettingsView>('SaveSettings', s),
  chooseFolder: (title: string, start: string) => call<string>('ChooseFolder', title, start),
  mcpServers: () => call<ServersView>('MCPServers'),
  saveMCPServer: (original: string, form: ServerForm) => call<ServersView>('SaveMCPServer', original, form),
  removeMCPServer: (name: string) => call<ServersView>('RemoveMCPServer', name),
  setMCPServerDisabled: (name: string, disabled: boolean) => call<ServersView>('SetMCPServerDisabled', name, disabled),
  setAskForChanges: (on: boolean) => call<ServersView>('SetAskForChanges', on),
  testMCPServer: (original: string, form: ServerForm) => call<ServerTest>('TestMCPServer', original, form),
  importableServers: () => call<ImportCandidate[]>('ImportableServers'),
  importServers: (picks: { client: string; name: string }[]) => call<ServersView>('ImportServers', picks),
  activity: (status = '', limit = 200) => call<Execution[]>('Activity', { status, limit }),
  skillChanges: (limit = 50) => call<SkillChange[]>('SkillChanges', limit),
  skills: () => call<SkillsView>('Skills'),
  skillSource: (name: string) => call<string>('SkillSource', name),
  deleteSkill: (name: string) => call<SkillsView>('DeleteSkill', name),
  setSkillSaving: (mode: 'on' | 'ask' | 'off') => call<SkillsView>('SetSkillSaving', mode),
  openSkill: (name: string) => call<SkillDraft>('OpenSkill', name),
  saveSkill: (draft: SkillDraft) => call<SkillSave>('SaveSkill', draft),
  runCode: (code: string, timeoutMs = 0, runId = '', language: Language = 'javascript') =>
    call<RunResult>('RunCode', { code, timeoutMs, runId, language }),
  stopRun: (runId: string) => call<boolean>('StopRun', runId),
  /** Runs code without holding a call open: the outcome comes as the "run" event. */
  run: (code: string, timeoutMs: number, runId: string, language: Language = 'javascript') =>
    runByEvent(code, timeoutMs, runId, language),
  checkPackage: (spec: string) => call<void>('CheckPackage', spec),
  approvals: () => call<ApprovalQuestion[]>('Approvals'),
  answerApproval: (id: string, choice: string) => call<void>('AnswerApproval', id, choice),
  checkPythonPackage: (spec: string) => call<void>('CheckPythonPackage', spec),
  python: () => call<PythonStatus>('Python'),
  installPython: () => call<PythonStatus>('InstallPython'),
  quit: () => call<void>('Quit'),
};

/** A run's outcome (Go: app.RunDone), event "run". */
export interface RunDone {
  runId: string;
  result: RunResult | null;
  error: string;
}

/** The Playground's languages: run_deno_code or run_python_code. */
export type Language = 'javascript' | 'python';

async function runByEvent(code: string, timeoutMs: number, runId: string, language: Language): Promise<Result<RunResult>> {
  let off: () => void = () => undefined;
  const done = new Promise<RunDone>((resolve) => {
    off = onEvent('run', (d) => {
      if ((d as RunDone).runId === runId) resolve(d as RunDone);
    });
  });
  try {
    const started = await call<void>('StartRun', { code, timeoutMs, runId, language });
    if (started.kind !== 'ok') return started;
    const d = await done;
    if (d.error || !d.result) return { kind: 'error', message: d.error || 'the run ended without a result' };
    return { kind: 'ok', value: d.result };
  } finally {
    off();
  }
}

/** A fresh id for a run (crypto.randomUUID needs a secure context, which wails:// is not). */
export function newRunId(): string {
  return `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
