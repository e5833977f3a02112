import { useState } from 'react';
import { api, bound, type Result, type RunResult } from '../api';
import { Card, PageHeader, Pill, ResultView, Unavailable } from '../components/ui';

const sample = `// Runs in the same sandbox your AI agents use, with the same permissions.
const words = ["sandboxed", "typescript", "for", "agents"];
words.map((w) => w.toUpperCase()).join(" ");
`;

/** Try code in the sandbox, as an agent would send it. */
export function Playground() {
  const [code, setCode] = useState(sample);
  const [timeout, setTimeoutMs] = useState('');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Result<RunResult>>();
  const canRun = bound('RunCode');
  const run = async () => {
    if (!canRun || running) return;
    setRunning(true);
    setResult(await api.runCode(code, Number(timeout) || 0));
    setRunning(false);
  };
  return (
    <>
      <PageHeader
        title="Playground"
        subtitle="Run TypeScript in the sandbox with the same permissions and packages as your agents."
        actions={
          <>
            <input
              className="input input-narrow"
              type="number"
              min={0}
              placeholder="default"
              aria-label="Time limit (ms)"
              title="Time limit in milliseconds"
              value={timeout}
              onChange={(e) => setTimeoutMs(e.target.value)}
            />
            <button className="btn btn-primary" onClick={run} disabled={running || !canRun}>
              {running ? 'Running…' : 'Run'}
            </button>
          </>
        }
      />
      {!canRun && <Unavailable what="Running code from here" />}
      <Card title="Code">
        <textarea
          className="code"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-label="Code to run"
          onKeyDown={(e) => {
            if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') run();
          }}
        />
        <p className="muted small">Ctrl+Enter runs. The value of the last expression is the result.</p>
      </Card>
      {result && (
        <Card title="Result">
          <ResultView what="Results" result={result}>
            {(r) => <Outcome r={r} />}
          </ResultView>
        </Card>
      )}
    </>
  );
}

function Outcome(props: { r: RunResult }) {
  const { r } = props;
  return (
    <div className="outcome" data-testid="outcome" data-status={r.status}>
      <div className="row-tight">
        {r.status === 'success' ? <Pill tone="ok">Success</Pill> : <Pill tone="bad">{r.error?.type ?? 'error'}</Pill>}
        <span className="muted small">{r.executionTimeMs.toFixed(1)} ms</span>
      </div>
      {r.error && <pre className="output output-error" data-testid="error">{r.error.message}</pre>}
      {r.status === 'success' && (
        <>
          <h3>Return value</h3>
          <pre className="output" data-testid="return-value">{JSON.stringify(r.returnValue, null, 2)}</pre>
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
          <h3>Errors printed</h3>
          <pre className="output output-logs">{r.stderr}</pre>
        </>
      )}
      {r.toolCalls && r.toolCalls.length > 0 && (
        <>
          <h3>Tool calls</h3>
          <ul className="plain-list">
            {r.toolCalls.map((c, i) => (
              <li key={i}>
                <span className="mono">
                  {c.server}.{c.tool}
                </span>
                {c.ok ? <Pill tone="ok">OK</Pill> : <Pill tone="bad">{c.error || 'Failed'}</Pill>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
