import { useState } from 'react';
import { api, bound, type Result, type RunResult } from '../api';
import { Card, PageHeader, ResultView, Unavailable } from '../components/ui';

const sample = `// Runs in the same sandbox your AI agents use.
const words = ["sandboxed", "typescript", "for", "agents"];
words.map((w) => w.toUpperCase()).join(" ");
`;

/** Try code in the sandbox, as an agent would send it. */
export function Playground() {
  const [code, setCode] = useState(sample);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Result<RunResult>>();
  const canRun = bound('RunCode');
  const run = async () => {
    if (!canRun) return;
    setRunning(true);
    setResult(await api.runCode(code));
    setRunning(false);
  };
  return (
    <>
      <PageHeader
        title="Playground"
        subtitle="Run TypeScript in the sandbox with the same permissions and packages as your agents."
        actions={
          <button className="btn btn-primary" onClick={run} disabled={running || !canRun}>
            {running ? 'Running…' : 'Run'}
          </button>
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
        <p className="muted small">Ctrl+Enter runs. The last expression is the result.</p>
      </Card>
      {result && (
        <Card title="Result">
          <ResultView what="Results" result={result}>
            {(r) => (
              <>
                <pre className={`output ${r.ok ? '' : 'output-error'}`}>{r.ok ? r.output : r.error}</pre>
                {r.logs.length > 0 && <pre className="output output-logs">{r.logs.join('\n')}</pre>}
                <p className="muted small">{r.durationMs} ms</p>
              </>
            )}
          </ResultView>
        </Card>
      )}
    </>
  );
}
