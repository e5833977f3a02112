// An MCP server (stdio) with one tool, "arrive", that proves calls run
// concurrently without measuring time: a call waits until `count` calls
// are waiting together, then each of them answers "together". A call that
// waits `patience` seconds without company answers "alone", which is what
// calls made one after another get.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const server = new Server({ name: "barrier", version: "1.0.0" }, { capabilities: { tools: {} } });
const waiting = [];

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [{
    name: "arrive",
    description: "Wait until `count` calls wait together, or `patience` seconds pass.",
    inputSchema: {
      type: "object",
      properties: { count: { type: "number" }, patience: { type: "number" } },
      required: ["count"],
    },
  }],
}));

server.setRequestHandler(CallToolRequestSchema, async (req) => {
  const { count, patience = 60 } = req.params.arguments ?? {};
  const word = await new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.splice(waiting.indexOf(entry), 1);
      resolve("alone");
    }, patience * 1000);
    const entry = () => { clearTimeout(timer); resolve("together"); };
    waiting.push(entry);
    if (waiting.length >= count) waiting.splice(0).forEach((f) => f());
  });
  return { content: [{ type: "text", text: word }] };
});

await server.connect(new StdioServerTransport());
