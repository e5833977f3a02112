import { api } from '../api';
import { Card, PageHeader, Pill, ResultView } from '../components/ui';
import { useResult } from '../hooks';

/** Recent runs: who asked, what happened, how long it took. */
export function Activity() {
  const { result, reload } = useResult(api.activity);
  return (
    <>
      <PageHeader
        title="Activity"
        subtitle="Recent code runs and tool calls from your AI clients."
        actions={
          <button className="btn" onClick={reload}>
            Refresh
          </button>
        }
      />
      <Card>
        <ResultView what="Recent runs and tool calls" result={result} onRetry={reload}>
          {(entries) =>
            entries.length === 0 ? (
              <p className="muted">Nothing has run yet.</p>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Client</th>
                    <th>Run</th>
                    <th>Result</th>
                    <th className="num">Duration</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e, i) => (
                    <tr key={`${e.time}-${i}`}>
                      <td className="small">{new Date(e.time).toLocaleString()}</td>
                      <td>{e.client}</td>
                      <td className="mono small">{e.summary}</td>
                      <td>{e.ok ? <Pill tone="ok">OK</Pill> : <Pill tone="bad">Failed</Pill>}</td>
                      <td className="num">{e.durationMs} ms</td>
                    </tr>
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
