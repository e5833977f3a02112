import { useMutation, useMutationState, useQuery, useQueryClient, type MutationState } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { api, bound, newRunId, type Language, type RunResult } from '../api';
import type { Marker } from '../components/CodeEditor';
import { Banner } from '../components/forms';
import { Card, ErrorView, PageHeader, Pill, ToolCalls, Unavailable } from '../components/ui';
import { duration, errorPosition, msToSeconds, resultLabel, secondsToMs } from '../format';
import { useStored } from '../hooks';
import { get, mutationKeys, queries } from '../queries';

const sample = `// Runs in the same sandbox your AI agents use, with the same permissions.
const words = ["sandboxed", "typescript", "for", "agents"];
words.map((w) => w.toUpperCase()).join(" ");
`;

const pythonSample = `# Runs in a fresh Python interpreter, in the same sandbox as TypeScript.
words = ["sandboxed", "python", "for", "agents"]
" ".join(w.upper() for w in words)
`;

const languages = ['javascript', 'python'] as const;

// CodeMirror is loaded with this page only, not with the window.
const CodeEditor = lazy(() => import('../components/CodeEditor').then((m) => ({ default: m.CodeEditor })));

interface Run {
  code: string;
  timeoutMs: number;
  runId: string;
  language: Language;
}

/** Try code in the sandbox, as an agent would send it. */
export function Playground() {
  // The code of each language survives leaving the page and coming back (and a reload).
  const [language, setLanguage] = useStored<Language>('playground.language', 'javascript', languages);
  const [jsCode, setJSCode] = useStored<string>('playground.code', sample);
  const [pyCode, setPyCode] = useStored<string>('playground.python', pythonSample);
  const python = useQuery(queries.python).data;
  const [code, setCode] = language === 'python' ? [pyCode, setPyCode] : [jsCode, setJSCode];
  const [timeout, setTimeoutText] = useState('');
  const [jump, setJump] = useState(0);
  const settings = useQuery(queries.settings);
  const queryClient = useQueryClient();
  const canRun = bound('StartRun');
  const timeoutMs = secondsToMs(timeout);
  const defaultLimit = settings.data?.effective.defaultTimeoutMs
    ? msToSeconds(settings.data.effective.defaultTimeoutMs)
    : undefined;

  const { mutate } = useMutation({
    mutationKey: mutationKeys.run,
    mutationFn: (r: Run) => get(api.run(r.code, r.timeoutMs, r.runId, r.language)),
    // The last run's outcome stays while the window lives (gcTime), so it
    // is there when the user comes back; the runs before it go.
    gcTime: Infinity,
    onMutate: () => {
      const cache = queryClient.getMutationCache();
      for (const m of cache.findAll({ mutationKey: mutationKeys.run })) {
        if (m.state.status !== 'pending') cache.remove(m);
      }
    },
  });
  // The latest run, from the mutation cache: still running, with Stop, when
  // the user left the page and came back.
  const last = useMutationState({
    filters: { mutationKey: mutationKeys.run },
    select: (m) => m.state as MutationState<RunResult, Error, Run>,
  }).at(-1);
  const running = last?.status === 'pending';
  const runId = last?.variables?.runId;
  const stopper = useMutation({ mutationFn: (id: string) => get(api.stopRun(id)) });
  // Asked to stop, the run says so until it ends.
  const stopping = running && stopper.variables === runId && !stopper.isError;

  const run = () => {
    // The cache, not the last render, says whether a run is on: Ctrl+Enter
    // twice in a row starts one.
    if (!canRun || Number.isNaN(timeoutMs) || queryClient.isMutating({ mutationKey: mutationKeys.run }) > 0) return;
    // A new run replaces the last one's outcome at once: it must not pass for this run's.
    mutate({ code, timeoutMs, runId: newRunId(), language });
  };
  const stop = () => {
    if (runId) stopper.mutate(runId);
  };

  const outcome = last?.status === 'success' ? last.data : undefined;
  const failed = last?.status === 'error' ? last.error : null;
  const marker = useMemo<Marker | undefined>(() => {
    if (!outcome?.error) return undefined;
    const pos = errorPosition(outcome.error.message);
    return pos && { ...pos, message: outcome.error.message.split('\n')[0] };
  }, [outcome]);

  return (
    <>
      <PageHeader
        title="Playground"
        subtitle="Run TypeScript or Python in the sandbox with the same permissions and packages as your agents."
      />
      {!canRun && <Unavailable what="Running code from here" />}
      <Card
        title="Code"
        aside={
          <div className="row-tight run-bar">
            <div className="segmented" role="radiogroup" aria-label="Language">
              {languages.map((l) => (
                <button
                  key={l}
                  role="radio"
                  aria-checked={language === l}
                  className={`btn btn-small ${language === l ? 'btn-primary' : ''}`}
                  onClick={() => setLanguage(l)}
                  disabled={running}
                >
                  {l === 'python' ? 'Python' : 'TypeScript'}
                </button>
              ))}
            </div>
            <label className="inline-field">
              <span>Time limit</span>
              <input
                className="input input-narrow"
                inputMode="decimal"
                placeholder={defaultLimit ? `${defaultLimit} (default)` : 'default'}
                aria-describedby="timeout-unit"
                aria-invalid={Number.isNaN(timeoutMs) || undefined}
                value={timeout}
                onChange={(e) => setTimeoutText(e.target.value)}
              />
              <span id="timeout-unit" className="muted small">
                seconds
              </span>
            </label>
            {running ? (
              <button className="btn btn-danger-solid" onClick={stop} disabled={stopping}>
                {stopping ? 'Stopping…' : 'Stop'}
              </button>
            ) : (
              <button className="btn btn-primary" onClick={run} disabled={!canRun || Number.isNaN(timeoutMs)}>
                Run
              </button>
            )}
          </div>
        }
      >
        <Suspense fallback={<div className="code-editor state state-loading">Loading the editor…</div>}>
          <CodeEditor
            key={language}
            label="Code to run"
            language={language}
            value={code}
            onChange={setCode}
            onRun={run}
            marker={marker}
            jump={jump}
          />
        </Suspense>
        {Number.isNaN(timeoutMs) && <Banner tone="bad">The time limit is a number of seconds, such as 30.</Banner>}
        {language === 'python' && python && !python.enabled && (
          <Banner tone="info">
            Python cannot run here: {python.detail}
          </Banner>
        )}
        <p className="muted small">
          Ctrl+Enter runs. Tab indents. The value of the last expression is the result.
        </p>
      </Card>
      {running && (
        <Card title="Result">
          <div className="state state-loading" role="status" data-state="running">
            Running…
          </div>
        </Card>
      )}
      {outcome && (
        <Card title="Result">
          <Outcome r={outcome} marker={marker} onJump={() => setJump((j) => j + 1)} />
        </Card>
      )}
      {failed && (
        <Card title="Result">
          <ErrorView what="Results" error={failed} />
        </Card>
      )}
    </>
  );
}

function Outcome(props: { r: RunResult; marker?: Marker; onJump: () => void }) {
  const { r, marker } = props;
  const label = resultLabel(r.status, r.error?.type);
  return (
    <div className="outcome" data-testid="outcome" data-status={r.status}>
      <div className="row-tight">
        <Pill tone={label.ok ? 'ok' : 'bad'}>{label.text}</Pill>
        <span className="muted small">{duration(r.executionTimeMs)}</span>
        {marker && (
          <button className="btn btn-small" onClick={props.onJump} data-testid="error-position">
            Show line {marker.line}, column {marker.column}
          </button>
        )}
      </div>
      {r.error && (
        <pre className="output output-error" data-testid="error">
          {r.error.message}
        </pre>
      )}
      {r.status === 'success' && (
        <>
          <h3>Return value</h3>
          <pre className="output" data-testid="return-value">
            {JSON.stringify(r.returnValue, null, 2) ?? 'undefined'}
          </pre>
        </>
      )}
      {r.stdout && (
        <>
          <h3>Output</h3>
          <pre className="output">{r.stdout}</pre>
        </>
      )}
      {r.stderr && (
        <>
          <h3>Error output</h3>
          <pre className="output output-logs">{r.stderr}</pre>
        </>
      )}
      {r.toolCalls && r.toolCalls.length > 0 && (
        <>
          <h3>Tool calls</h3>
          <ToolCalls calls={r.toolCalls} />
        </>
      )}
    </div>
  );
}
