import { afterEach, describe, expect, it } from 'vitest';
import { api, bound, call, insideApp, NOT_AVAILABLE } from './api';

interface G {
  window?: unknown;
}

function bind(methods: Record<string, (...a: unknown[]) => Promise<unknown>>) {
  (globalThis as G).window = { go: { app: { App: methods } } };
}

afterEach(() => {
  delete (globalThis as G).window;
});

describe('call', () => {
  const cases: {
    name: string;
    methods?: Record<string, (...a: unknown[]) => Promise<unknown>>;
    method: string;
    args?: unknown[];
    want: { kind: string; value?: unknown; match?: RegExp };
  }[] = [
    { name: 'outside the app', method: 'Version', want: { kind: 'unavailable', match: /inside the MCP Conductor app/ } },
    { name: 'method not bound yet', methods: {}, method: 'Policy', want: { kind: 'unavailable', match: /no Policy service/ } },
    { name: 'ok', methods: { Version: () => Promise.resolve('1.0.0') }, method: 'Version', want: { kind: 'ok', value: '1.0.0' } },
    {
      name: 'arguments pass through',
      methods: { SetAutostart: (on) => Promise.resolve({ supported: true, enabled: on, path: '/p' }) },
      method: 'SetAutostart',
      args: [true],
      want: { kind: 'ok', value: { supported: true, enabled: true, path: '/p' } },
    },
    {
      name: 'Go ErrNotAvailable (string rejection)',
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- Wails rejects with the Go error's text, a string
      methods: { Clients: () => Promise.reject('clients: not available yet') },
      method: 'Clients',
      want: { kind: 'unavailable', match: /^clients: not available yet$/ },
    },
    {
      name: 'other Go error',
      methods: { Endpoint: () => Promise.reject(new Error('local endpoint: port in use')) },
      method: 'Endpoint',
      want: { kind: 'error', match: /port in use/ },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      if (c.methods) bind(c.methods);
      const r = await call(c.method, ...(c.args ?? []));
      expect(r.kind).toBe(c.want.kind);
      if (r.kind === 'ok') expect(r.value).toEqual(c.want.value);
      if (r.kind === 'unavailable') expect(r.reason).toMatch(c.want.match!);
      if (r.kind === 'error') expect(r.message).toMatch(c.want.match!);
    });
  }
});

describe('api', () => {
  it('reports unbound services as unavailable, never as data', async () => {
    bind({ Version: () => Promise.resolve('x') });
    for (const r of [await api.settings(), await api.mcpServers(), await api.activity(), await api.runCode('1')]) {
      expect(r.kind).toBe('unavailable');
      if (r.kind === 'unavailable') expect(r.reason).toContain(NOT_AVAILABLE);
    }
  });
  it('passes the Go methods their argument shapes', async () => {
    const seen: unknown[][] = [];
    const rec = (...a: unknown[]) => {
      seen.push(a);
      return Promise.resolve(null);
    };
    bind({ RunCode: rec, Activity: rec, RegisterClient: rec, InstallDeno: rec, SetEndpoint: rec });
    await api.runCode('1 + 1', 500);
    await api.activity('error', 5);
    await api.registerClient('cursor', false, true);
    await api.installDeno();
    await api.setEndpoint(true, 47813);
    expect(seen).toEqual([
      [{ code: '1 + 1', timeoutMs: 500, runId: '', language: 'javascript' }],
      [{ status: 'error', limit: 5 }],
      ['cursor', { apply: false, force: true }],
      [{ source: '', baseUrl: '' }],
      [true, 47813],
    ]);
  });
  it('runs code without holding a call open: the outcome comes as the run event', async () => {
    const listeners: ((d: unknown) => void)[] = [];
    const result = { status: 'success', returnValue: 2, stdout: '', stderr: '', executionTimeMs: 1 };
    (globalThis as G).window = {
      go: {
        app: {
          App: {
            StartRun: (req: { runId: string }) => {
              setTimeout(() => {
                listeners.forEach((l) => l({ runId: 'someone-else', result: null, error: 'not mine' }));
                listeners.forEach((l) => l({ runId: req.runId, result, error: '' }));
              });
              return Promise.resolve();
            },
          },
        },
      },
      runtime: {
        EventsOn: (_: string, cb: (d: unknown) => void) => {
          listeners.push(cb);
          return () => listeners.splice(listeners.indexOf(cb), 1);
        },
      },
    };
    expect(await api.run('1 + 1', 0, 'r1')).toEqual({ kind: 'ok', value: result });
    expect(listeners).toHaveLength(0);
  });
  it('asks for Python by name', async () => {
    const seen: unknown[][] = [];
    bind({
      RunCode: (...a: unknown[]) => {
        seen.push(a);
        return Promise.resolve(null);
      },
    });
    await api.runCode('sum(range(10))', 0, 'p1', 'python');
    expect(seen).toEqual([[{ code: 'sum(range(10))', timeoutMs: 0, runId: 'p1', language: 'python' }]]);
  });
  it('knows which methods are bound', () => {
    expect(bound('Version')).toBe(false);
    bind({ Version: () => Promise.resolve('x') });
    expect(bound('Version')).toBe(true);
    expect(bound('RunCode')).toBe(false);
  });
  it('knows when it runs inside the app', () => {
    expect(insideApp()).toBe(false);
    bind({});
    expect(insideApp()).toBe(true);
  });
});
