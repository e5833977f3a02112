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

/** Folders the app uses (Go: app.Paths). */
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

/** The local MCP endpoint (Go: services.EndpointStatus). */
export interface EndpointStatus {
  url: string;
  running: boolean;
  detail: string;
}

/** The Deno runtime (Go: services.RuntimeStatus). */
export interface RuntimeStatus {
  found: boolean;
  path: string;
  version: string;
  detail: string;
}

/** One AI client (Go: services.ClientStatus). */
export interface ClientStatus {
  id: string;
  name: string;
  installed: boolean;
  configured: boolean;
  configPath: string;
  detail: string;
}

// The shapes below belong to services the backend does not bind yet; the
// pages only render them once the matching method exists.

/** What sandboxed code may do (expected from App.Policy). */
export interface PolicySummary {
  permissions: string[];
  packages: string[];
  workspace: string;
  limits: Record<string, string | number>;
}

/** One upstream MCP server (expected from App.MCPServers). */
export interface MCPServer {
  name: string;
  command: string;
  status: string;
  tools: number;
}

/** One past run or call (expected from App.Activity). */
export interface ActivityEntry {
  time: string;
  client: string;
  summary: string;
  ok: boolean;
  durationMs: number;
}

/** A playground run's outcome (expected from App.RunCode). */
export interface RunResult {
  ok: boolean;
  output: string;
  logs: string[];
  error: string;
  durationMs: number;
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
  if (e && typeof e === 'object' && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}

/** Subscribes to a backend event; returns the unsubscribe function. */
export function onEvent(name: string, cb: (...data: unknown[]) => void): () => void {
  const on = wails().runtime?.EventsOn;
  return on ? on(name, cb) : () => {};
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
  openWorkspaceFolder: () => call<void>('OpenWorkspaceFolder'),
  openLogsFolder: () => call<void>('OpenLogsFolder'),
  autostart: () => call<AutostartStatus>('Autostart'),
  setAutostart: (on: boolean) => call<AutostartStatus>('SetAutostart', on),
  trayStatus: () => call<TrayStatus>('TrayStatus'),
  endpoint: () => call<EndpointStatus>('Endpoint'),
  runtime: () => call<RuntimeStatus>('Runtime'),
  clients: () => call<ClientStatus[]>('Clients'),
  // Not bound by the backend yet: these report `unavailable` until they are.
  policy: () => call<PolicySummary>('Policy'),
  mcpServers: () => call<MCPServer[]>('MCPServers'),
  activity: () => call<ActivityEntry[]>('Activity'),
  runCode: (code: string) => call<RunResult>('RunCode', code),
};
