import { MutationObserver, notifyManager, onlineManager, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, followBackendEvents, get, isUnavailable, newQueryClient, queries } from './queries';

interface G {
  window?: unknown;
}

/** A stand-in Wails: bound methods that count their calls, and events. */
function fakeApp(methods: Record<string, () => unknown>) {
  const calls: Record<string, number> = {};
  const listeners = new Map<string, Set<(...d: unknown[]) => void>>();
  const App = Object.fromEntries(
    Object.entries(methods).map(([name, fn]) => [
      name,
      () => {
        calls[name] = (calls[name] ?? 0) + 1;
        return Promise.resolve(fn());
      },
    ]),
  );
  (globalThis as G).window = {
    go: { app: { App } },
    runtime: {
      EventsOn: (name: string, cb: (...d: unknown[]) => void) => {
        const set = listeners.get(name) ?? new Set();
        set.add(cb);
        listeners.set(name, set);
        return () => set.delete(cb);
      },
    },
  };
  const emit = (name: string, ...data: unknown[]) => listeners.get(name)?.forEach((cb) => cb(...data));
  return { calls, emit, listeners };
}

/** Waits until nothing is fetching (a refetch starts within invalidateQueries). */
async function settled(client: ReturnType<typeof newQueryClient>) {
  while (client.isFetching() > 0) await new Promise((r) => setTimeout(r, 0));
}

afterEach(() => {
  delete (globalThis as G).window;
  onlineManager.setOnline(true);
});

describe('get', () => {
  it('gives the value of an ok result', async () => {
    expect(await get(Promise.resolve({ kind: 'ok', value: 3 }))).toBe(3);
  });
  it('throws an error result as a BackendError', async () => {
    const e: unknown = await get(Promise.resolve({ kind: 'error', message: 'port in use' })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BackendError);
    expect((e as BackendError).message).toBe('port in use');
    expect(isUnavailable(e)).toBe(false);
  });
  it('throws not available yet as unavailable, with its reason', async () => {
    const e: unknown = await get(Promise.resolve({ kind: 'unavailable', reason: 'no Clients service' })).catch((x: unknown) => x);
    expect(isUnavailable(e)).toBe(true);
    expect((e as Error).message).toBe('no Clients service');
  });
});

describe('the query client', () => {
  it('calls the backend while the browser says it is offline', async () => {
    fakeApp({ Version: () => '1.2.3' });
    onlineManager.setOnline(false);
    expect(await newQueryClient().fetchQuery(queries.version)).toBe('1.2.3');
  });
  it('tells React of a mutation before the task that started it is over', async () => {
    const client = newQueryClient();
    const seen: string[] = [];
    const observer = new MutationObserver(client, { mutationFn: () => new Promise<never>(() => undefined) });
    // As useMutation subscribes: through the notify manager.
    observer.subscribe(notifyManager.batchCalls((r: { status: string }) => seen.push(r.status)));
    void observer.mutate();
    await Promise.resolve(); // one microtask later, no new task
    expect(seen).toEqual(['pending']);
  });
  it('does not retry a failed call', async () => {
    const app = fakeApp({ Engine: () => Promise.reject(new Error('engine: broken')) });
    await expect(newQueryClient().fetchQuery(queries.engine)).rejects.toThrow('engine: broken');
    expect(app.calls.Engine).toBe(1);
  });
});

describe('followBackendEvents', () => {
  it('reloads the queries shown that an event makes stale, and only those', async () => {
    const app = fakeApp({
      Settings: () => ({ path: '/s' }),
      Clients: () => [],
      Activity: () => [],
    });
    const client = newQueryClient();
    const stop = followBackendEvents(client);
    // Shown: an observer each, as a mounted page has.
    const shown = () => undefined;
    const offs = [
      new QueryObserver(client, queries.settings).subscribe(shown),
      new QueryObserver(client, queries.clients).subscribe(shown),
      new QueryObserver(client, queries.recentRuns).subscribe(shown),
    ];
    await settled(client);
    expect(app.calls).toEqual({ Settings: 1, Clients: 1, Activity: 1 });

    app.emit('execution', { id: 'x' });
    await settled(client);
    expect(app.calls).toEqual({ Settings: 1, Clients: 1, Activity: 2 });

    app.emit('clients', 'cursor');
    await settled(client);
    expect(app.calls).toEqual({ Settings: 1, Clients: 2, Activity: 2 });

    app.emit('settings');
    await settled(client);
    expect(app.calls).toEqual({ Settings: 2, Clients: 2, Activity: 2 });

    for (const off of offs) off();
    stop();
    expect([...app.listeners.values()].every((s) => s.size === 0)).toBe(true);
  });

  it('marks queries not shown stale, to load when a page shows them', async () => {
    const app = fakeApp({ Engine: () => ({ running: true }) });
    const client = newQueryClient();
    followBackendEvents(client);
    await client.fetchQuery(queries.engine);
    app.emit('status');
    await settled(client);
    expect(app.calls.Engine).toBe(1);
    expect(client.getQueryState(queries.engine.queryKey)?.isInvalidated).toBe(true);
  });

  it('keeps the install progress from deno:progress events', () => {
    const app = fakeApp({});
    const client = newQueryClient();
    followBackendEvents(client);
    const p = { phase: 'download', done: 5, total: 10, percent: 50, bytesPerSecond: 1 };
    app.emit('deno:progress', p);
    expect(client.getQueryData(queries.denoProgress.queryKey)).toEqual(p);
  });
});
