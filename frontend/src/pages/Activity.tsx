import { Fragment, useCallback, useState } from 'react';
import { api, type Execution } from '../api';
import { Card, PageHeader, Pill, ResultView } from '../components/ui';
import { useEvent, useResult } from '../hooks';

/** Every execution, live: who asked, what ran, what came out. */
export function Activity() {
  const [status, setStatus] = useState('');
  const load = useCallback(() => api.activity(status), [status]);
  const { result, reload } = useResult(load, [status]);
  const [open, setOpen] = useState<string>();
  useEvent('execution', reload);
  return (
    <>
      <PageHeader
        title="Activity"
        subtitle="Code your AI clients ran, from the audit log. New runs appear as they finish."
        actions={
          <select className="input" aria-label="Show" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All runs</option>
            <option value="success">Succeeded</option>
            <option value="error">Failed</option>
          </select>
        }
      />
      <Card>
        <ResultView what="Recent runs" result={result} onRetry={reload}>
          {(entries) =>
            entries.length === 0 ? (
              <p className="muted">Nothing has run yet.</p>
            ) : (
              <table className="table table-click" data-testid="activity">
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Client</th>
                    <th>Code</th>
                    <th>Result</th>
                    <th className="num">Tool calls</th>
                    <th className="num">Duration</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => (
                    <Fragment key={e.id}>
                      <tr onClick={() => setOpen(open === e.id ? undefined : e.id)} aria-expanded={open === e.id}>
                        <td className="small nowrap">{new Date(e.time).toLocaleString()}</td>
                        <td className="nowrap">{e.client || '—'}</td>
                        <td className="mono small"><span className="ellipsis">{e.code.split("\n")[0]}</span></td>
                        <td>{e.status === 'success' ? <Pill tone="ok">OK</Pill> : <Pill tone="bad">{e.errorType || 'Failed'}</Pill>}</td>
                        <td className="num">{e.toolCalls}</td>
                        <td className="num">{Math.round(e.durationMs)} ms</td>
                      </tr>
                      {open === e.id && (
                        <tr className="detail-row">
                          <td colSpan={6}>
                            <Detail e={e} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            )
          }
        </ResultView>
      </Card>
    </>
  );
}

function Detail(props: { e: Execution }) {
  const { e } = props;
  return (
    <div className="detail">
      <h3>Code</h3>
      <pre className="output">{e.code}</pre>
      {e.error && (
        <>
          <h3>Error ({e.errorType})</h3>
          <pre className="output output-error">{e.error}</pre>
        </>
      )}
      {e.stdout && (
        <>
          <h3>Output</h3>
          <pre className="output">{e.stdout}</pre>
        </>
      )}
      {e.stderr && (
        <>
          <h3>Errors printed</h3>
          <pre className="output output-logs">{e.stderr}</pre>
        </>
      )}
      {e.calls.length > 0 && (
        <>
          <h3>Tool calls</h3>
          <ul className="plain-list">
            {e.calls.map((c, i) => (
              <li key={i}>
                <span className="mono">
                  {c.server}.{c.tool}
                </span>
                {c.ok ? <Pill tone="ok">OK</Pill> : <Pill tone="bad">{c.error || 'Failed'}</Pill>}
                <span className="muted small">{Math.round(c.durationMs)} ms</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
