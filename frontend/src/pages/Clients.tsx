import { api } from '../api';
import { Card, PageHeader, Pill, ResultView } from '../components/ui';
import { useResult } from '../hooks';

/** The AI clients on this machine and whether MCP Conductor is set up in each. */
export function Clients() {
  const { result, reload } = useResult(api.clients);
  return (
    <>
      <PageHeader
        title="Clients"
        subtitle="AI apps that can use MCP Conductor: Cursor, Claude Desktop, VS Code and others."
        actions={
          <button className="btn" onClick={reload}>
            Refresh
          </button>
        }
      />
      <Card>
        <ResultView what="The AI clients on this machine" result={result} onRetry={reload}>
          {(clients) =>
            clients.length === 0 ? (
              <p className="muted">No AI clients were found on this machine.</p>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th>Client</th>
                    <th>Status</th>
                    <th>Configuration</th>
                  </tr>
                </thead>
                <tbody>
                  {clients.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <div className="strong">{c.name || c.id}</div>
                        {c.detail && <div className="muted small">{c.detail}</div>}
                      </td>
                      <td>
                        {c.configured ? (
                          <Pill tone="ok">Connected</Pill>
                        ) : c.installed ? (
                          <Pill tone="warn">Not connected</Pill>
                        ) : (
                          <Pill tone="muted">Not installed</Pill>
                        )}
                      </td>
                      <td className="mono small">{c.configPath}</td>
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
