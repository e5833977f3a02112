// How the pages read the backend's state: TanStack Query.
//
// Each thing the window shows is one query here (its key and how to load
// it), shared by every component that shows it: the Overview's cards and
// its checklist read the engine's status once, not three times. The
// backend says when its state changed through Wails events; `invalidatedBy`
// maps each event to the queries it makes stale, and `useBackendEvents`
// (mounted once, in App) refetches those a page shows and marks the others
// stale, so they load again when a page shows them. Mutations (saving,
// installing, running) are `useMutation`s in the pages: their pending state
// replaces busy flags, and what they return goes into the cache.
import { notifyManager, QueryClient, queryOptions, skipToken, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, onEvent, type InstallProgress, type Result } from './api';

/** A backend call that gave no value: `unavailable` (not there yet) or `error`. */
export class BackendError extends Error {
  readonly kind: 'unavailable' | 'error';
  constructor(kind: 'unavailable' | 'error', message: string) {
    super(message);
    this.name = 'BackendError';
    this.kind = kind;
  }
}

/** The value of a call, for a query or mutation function: it throws a BackendError when there is none. */
export async function get<T>(call: Promise<Result<T>>): Promise<T> {
  const r = await call;
  if (r.kind === 'ok') return r.value;
  throw new BackendError(r.kind, r.kind === 'error' ? r.message : r.reason);
}

/** Whether an error is the backend saying a service is not available yet. */
export function isUnavailable(e: unknown): boolean {
  return e instanceof BackendError && e.kind === 'unavailable';
}

/** The window's query client. */
export function newQueryClient(): QueryClient {
  // What a click starts shows before the click is over, as React's own
  // state does: TanStack Query tells React of a change in a microtask
  // rather than in the next task (its default, setTimeout 0), so Run turns
  // into Stop, and the last outcome goes, in the same turn as the click.
  notifyManager.setScheduler(queueMicrotask);
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The backend is in this process, not on a network: a call never
        // waits for the browser to think it is online (by default TanStack
        // Query pauses while it is offline, as on a machine without one).
        networkMode: 'always',
        // A failed call is the backend's answer, not a lost packet: the page
        // shows it at once, with Retry.
        retry: false,
        // staleTime 0: a page shows what it showed last at once, and loads
        // it again behind (on mount, and when the window becomes visible).
      },
      mutations: { networkMode: 'always', retry: false },
    },
  });
}

/** The newest runs in the audit log, all or by status ('success', 'error'). */
const activity = (status: string, limit: number) =>
  queryOptions({ queryKey: ['activity', status, limit], queryFn: () => get(api.activity(status, limit)) });

/** The queries, one per thing the window shows. */
export const queries = {
  /** Fixed while the app runs. */
  version: queryOptions({ queryKey: ['version'], queryFn: () => get(api.version()), staleTime: Infinity }),
  userHome: queryOptions({ queryKey: ['userHome'], queryFn: () => get(api.userHome()), staleTime: Infinity }),
  paths: queryOptions({ queryKey: ['paths'], queryFn: () => get(api.paths()) }),
  autostart: queryOptions({ queryKey: ['autostart'], queryFn: () => get(api.autostart()) }),
  trayStatus: queryOptions({ queryKey: ['trayStatus'], queryFn: () => get(api.trayStatus()) }),
  endpoint: queryOptions({ queryKey: ['endpoint'], queryFn: () => get(api.endpoint()) }),
  runtime: queryOptions({ queryKey: ['runtime'], queryFn: () => get(api.runtime()) }),
  engine: queryOptions({ queryKey: ['engine'], queryFn: () => get(api.engine()) }),
  python: queryOptions({ queryKey: ['python'], queryFn: () => get(api.python()) }),
  clients: queryOptions({ queryKey: ['clients'], queryFn: () => get(api.clients()) }),
  clientLinks: queryOptions({ queryKey: ['clientLinks'], queryFn: () => get(api.clientLinks()) }),
  settings: queryOptions({ queryKey: ['settings'], queryFn: () => get(api.settings()) }),
  mcpServers: queryOptions({ queryKey: ['mcpServers'], queryFn: () => get(api.mcpServers()) }),
  importableServers: queryOptions({ queryKey: ['importableServers'], queryFn: () => get(api.importableServers()) }),
  /** The tool calls waiting for the person's answer (the approval dialog). */
  approvals: queryOptions({ queryKey: ['approvals'], queryFn: () => get(api.approvals()) }),
  activity,
  /** Saves and deletions of skills, under 'activity' so they follow the same refreshes. */
  skillChanges: queryOptions({ queryKey: ['activity', 'skills'], queryFn: () => get(api.skillChanges(50)) }),
  skills: queryOptions({ queryKey: ['skills'], queryFn: () => get(api.skills()) }),
  skillSource: (name: string) => queryOptions({ queryKey: ['skills', 'source', name], queryFn: () => get(api.skillSource(name)) }),
  /** The Overview's recent runs; its checklist's "code has run" reads the same. */
  recentRuns: activity('', 5),
  /** The running install's last step: never loaded, only set from "deno:progress" events. */
  denoProgress: queryOptions<InstallProgress>({ queryKey: ['denoProgress'], queryFn: skipToken, staleTime: Infinity }),
  /** The same for a Pyodide install, from "python:progress" events. */
  pythonProgress: queryOptions<InstallProgress>({ queryKey: ['pythonProgress'], queryFn: skipToken, staleTime: Infinity }),
};

/** Mutations that pages other than their own follow (useMutationState). */
export const mutationKeys = {
  installDeno: ['installDeno'],
  installPython: ['installPython'],
  run: ['run'],
} as const;

/**
 * The queries each backend event makes stale (app/events.go names the
 * events). A prefix covers every query under it: ['activity'] is every
 * filter of the Activity page and the Overview's recent runs.
 */
export const invalidatedBy: Record<string, QueryKey[]> = {
  // The engine, its policy, the endpoint or Deno may have changed; so may
  // the servers' connection states, and the entry clients get.
  status: [['engine'], ['runtime'], ['python'], ['endpoint'], ['settings'], ['clients'], ['clientLinks'], ['mcpServers']],
  // The settings file was saved (by this window or the tray); the engine reloads.
  settings: [['settings'], ['engine'], ['runtime'], ['python'], ['endpoint'], ['paths'], ['clientLinks'], ['mcpServers']],
  // A client's configuration was written, from the window or the tray.
  clients: [['clients']],
  // Some process's code ran (from the audit log).
  execution: [['activity']],
  // The tray's "Start on login" item changed it.
  autostart: [['autostart']],
  // Approval questions started or stopped waiting.
  approvals: [['approvals']],
};

/** Keeps client's cache in step with the backend's events; returns the unsubscribe function. */
export function followBackendEvents(client: QueryClient): () => void {
  const offs = Object.entries(invalidatedBy).map(([name, keys]) =>
    onEvent(name, () => {
      for (const queryKey of keys) void client.invalidateQueries({ queryKey });
    }),
  );
  offs.push(
    onEvent('deno:progress', (p) => {
      client.setQueryData(queries.denoProgress.queryKey, p as InstallProgress);
    }),
    onEvent('python:progress', (p) => {
      client.setQueryData(queries.pythonProgress.queryKey, p as InstallProgress);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}

/** followBackendEvents while the window lives (App mounts it once). */
export function useBackendEvents(): void {
  const client = useQueryClient();
  useEffect(() => followBackendEvents(client), [client]);
}
