import { lazy, Suspense, useMemo, useRef, useState } from 'react';
import { api, bound, newRunId, type Result, type RunResult } from '../api';
import type { Marker } from '../components/CodeEditor';
import { Banner } from '../components/forms';
import { Card, PageHeader, Pill, ResultView, ToolCalls, Unavailable } from '../components/ui';
import { duration, errorPosition, msToSeconds, resultLabel, secondsToMs } from '../format';
import { useResult } from '../hooks';

const sample = `// Runs in the same sandbox your AI agents use, with the same permissions.
const words = ["sandboxed", "typescript", "for", "agents"];
words.map((w) => w.toUpperCase()).join(" ");
`;

// CodeMirror is loaded with this page only, not with the window.
const CodeEditor = lazy(() => import('../components/CodeEditor').then((m) => ({ default: m.CodeEditor })));

// The code and the last result survive leaving the page and coming back.
let kept = sample;
let keptResult: Result<RunResult> | undefined;

/** Try code in the sandbox, as an agent would send it. */
export function Playground() {
  const [code, setCode] = useState(kept);
  const [timeout, setTimeoutText] = useState('');
  const [runId, setRunId] = useState<string>();
  const [stopping, setStopping] = useState(false);
  const [result, setShown] = useState<Result<RunResult> | undefined>(keptResult);
  const setResult = (r: Result<RunResult> | undefined) => {
    keptResult = r;
    setShown(r);
  };
  const [jump, setJump] = useState(0);
  const settings = useResult(api.settings);
  const canRun = bound('StartRun');
  const running = runId !== undefined;
  const current = useRef<string>(undefined);
  const timeoutMs = secondsToMs(timeout);
  const defaultLimit =
    settings.result?.kind === 'ok' && settings.result.value.effective.defaultTimeoutMs
      ? msToSeconds(settings.result.value.effective.defaultTimeoutMs)
      : undefined;

  const run = async () => {
    if (!canRun || current.current || Number.isNaN(timeoutMs)) return;
    const id = newRunId();
    current.current = id;
    setRunId(id);
    setResult(undefined); // the old result must not pass for this run's
    const r = await api.run(code, timeoutMs, id);
    current.current = undefined;
    setRunId(undefined);
    setStopping(false);
    setResult(r);
  };
  const stop = async () => {
    if (!runId) return;
    setStopping(true);
    await api.stopRun(runId);
  };

  const marker = useMemo<Marker | undefined>(() => {
    if (result?.kind !== 'ok' || !result.value.error) return undefined;
    const pos = errorPosition(result.value.error.message);
    return pos && { ...pos, message: result.value.error.message.split('\n')[0] };
  }, [result]);

  return (
    <>
      <PageHeader
        title="Playground"
        subtitle="Run TypeScript in the sandbox with the same permissions and packages as your agents."
      />
      {!canRun && <Unavailable what="Running code from here" />}
      <Card
        title="Code"
        aside={
          <div className="row-tight run-bar">
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
            label="Code to run"
            value={code}
            onChange={(c) => {
              kept = c;
              setCode(c);
            }}
            onRun={run}
            marker={marker}
            jump={jump}
          />
        </Suspense>
        {Number.isNaN(timeoutMs) && <Banner tone="bad">The time limit is a number of seconds, such as 30.</Banner>}
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
      {result && (
        <Card title="Result">
          <ResultView what="Results" result={result}>
            {(r) => <Outcome r={r} marker={marker} onJump={() => setJump((j) => j + 1)} />}
          </ResultView>
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
