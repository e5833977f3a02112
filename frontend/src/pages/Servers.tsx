import { api } from '../api';
import { Card, PageHeader, Pill, ResultView } from '../components/ui';
import { useResult } from '../hooks';

/** Upstream MCP servers whose tools sandboxed code can call. */
export function Servers() {
  const { result, reload } = useResult(api.mcpServers);
  return (
    <>
      <PageHeader
        title="MCP servers"
        subtitle="Servers from mcp-config.json. Sandboxed code calls their tools through MCP Conductor."
      />
      <Card>
        <ResultView what="Your configured MCP servers" result={result} onRetry={reload}>
          {(servers) =>
            servers.length === 0 ? (
              <p className="muted">No MCP servers are configured.</p>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th>Server</th>
                    <th>Status</th>
                    <th>Tools</th>
                    <th>Command</th>
                  </tr>
                </thead>
                <tbody>
                  {servers.map((s) => (
                    <tr key={s.name}>
                      <td className="strong">{s.name}</td>
                      <td>
                        <Pill tone={s.status === 'running' ? 'ok' : 'muted'}>{s.status}</Pill>
                      </td>
                      <td>{s.tools}</td>
                      <td className="mono small">{s.command}</td>
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
