// A minimal MCP client over stdio, as Cursor runs the conductor: it starts
// `mcp-conductor --stdio`, initializes, calls one tool once and exits.
import { spawn } from 'node:child_process';
import readline from 'node:readline';

/** Runs code through a separate --stdio server; resolves to run_deno_code's structured result. */
export function runFromStdioClient({ binary, home, conductorHome, deno, client, code }) {
  return callFromStdioClient({ binary, home, conductorHome, deno, client, tool: 'run_deno_code', args: { deno_code: code } });
}

/** Calls one tool through a separate --stdio server; resolves to its structured result. */
export function callFromStdioClient({ binary, home, conductorHome, deno, client, tool, args }) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--stdio'], {
      env: { PATH: process.env.PATH, HOME: home, MCP_CONDUCTOR_HOME: conductorHome, MCP_CONDUCTOR_DENO: deno },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const send = (msg) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);
    const guard = setTimeout(() => {
      child.kill();
      reject(new Error('the --stdio server did not answer'));
    }, 120_000); // a hang guard, not a speed bound
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const msg = JSON.parse(line);
      if (msg.id === 1) {
        send({ method: 'notifications/initialized' });
        send({ id: 2, method: 'tools/call', params: { name: tool, arguments: args } });
      } else if (msg.id === 2) {
        clearTimeout(guard);
        child.stdin.end();
        if (msg.error) reject(new Error(JSON.stringify(msg.error)));
        else if (msg.result.isError) reject(new Error(JSON.stringify(msg.result.content)));
        else resolve(msg.result.structuredContent);
      }
    });
    child.on('error', reject);
    send({
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: client, version: '1.0.0' } },
    });
  });
}
