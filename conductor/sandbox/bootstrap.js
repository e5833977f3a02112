// MCP Conductor sandbox bootstrap. Deno runs this file as the main module;
// it waits on stdin for exactly one job, then runs the job's code.
//
// Channel: the host writes one JSON line per message to stdin. This file
// writes messages to stdout framed as <key><json>\n, where <key> is a random
// per-execution secret the host sends with the job. The key lives only in
// this closure, so code cannot forge a frame; every other byte on stdout and
// stderr is the code's own output.
//
// Everything this file needs after user code starts is captured first, so
// that code patching globals (JSON, TextEncoder, Deno.stdout...) cannot
// intercept or corrupt the channel.
"use strict";
(() => {
  const stdoutWrite = Deno.stdout.writeSync.bind(Deno.stdout);
  const stderrWrite = Deno.stderr.writeSync.bind(Deno.stderr);
  const stdinRead = Deno.stdin.read.bind(Deno.stdin);
  const exit = Deno.exit;
  const encoder = new TextEncoder();
  const encode = encoder.encode.bind(encoder);
  const decoder = new TextDecoder();
  const decode = (b) => decoder.decode(b);
  const stringify = JSON.stringify;
  const parseJSON = JSON.parse;
  const defineProperty = Object.defineProperty;
  const freeze = Object.freeze;
  const NotCapable = Deno.errors.NotCapable;
  const PermissionDenied = Deno.errors.PermissionDenied;
  const addEventListener = globalThis.addEventListener.bind(globalThis);
  const dynamicImport = (u) => import(u);

  // Written once, before any job, so the host knows this process has booted.
  const READY = "\x1econductor-ready\n";
  let key = "";
  let maxReturn = 1 << 20;
  let moduleURL = "";

  function writeAll(bytes, write = stdoutWrite) {
    let off = 0;
    while (off < bytes.length) off += write(bytes.subarray(off));
  }
  function send(msg) {
    writeAll(encode(key + stringify(msg) + "\n"));
  }

  // Host → sandbox: newline-delimited JSON.
  const inbox = [];
  let buffered = new Uint8Array(0);
  async function readMessage() {
    for (;;) {
      if (inbox.length) return inbox.shift();
      const chunk = new Uint8Array(65536);
      const n = await stdinRead(chunk);
      if (n === null) return null;
      const merged = new Uint8Array(buffered.length + n);
      merged.set(buffered);
      merged.set(chunk.subarray(0, n), buffered.length);
      let start = 0;
      for (let i = 0; i < merged.length; i++) {
        if (merged[i] === 10) {
          inbox.push(parseJSON(decode(merged.subarray(start, i))));
          start = i + 1;
        }
      }
      buffered = merged.slice(start);
    }
  }

  // Calls to the host (mcpFactory). Replies arrive on stdin, which is read
  // only while a call is pending, so an idle channel never keeps the event
  // loop alive. Calls run concurrently on the host.
  const PromiseCtor = Promise;
  const pending = new Map();
  let nextId = 1;
  let pumping = false;
  async function pump() {
    if (pumping) return;
    pumping = true;
    try {
      while (pending.size > 0) {
        const m = await readMessage();
        if (m === null) {
          for (const p of pending.values()) p.reject(new Error("the conductor closed the channel"));
          pending.clear();
          break;
        }
        const p = pending.get(m.id);
        if (!p) continue;
        pending.delete(m.id);
        if (m.error !== undefined) p.reject(new Error(m.error));
        else p.resolve(m.result);
      }
    } finally {
      pumping = false;
    }
  }
  function call(method, params) {
    return new PromiseCtor((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      send({ t: "call", id, method, params });
      pump();
    });
  }

  function camel(name) {
    return name.replace(/[-_.]+([a-zA-Z0-9])/g, (_, c) => c.toUpperCase());
  }
  function makeClient(name, tools) {
    const client = {
      name,
      tools: freeze([...tools]),
      callTool: (tool, args) => call("callTool", { server: name, tool: String(tool), args: args ?? {} }),
      listTools: () => call("listTools", { server: name }),
      listResources: () => call("listResources", { server: name }),
      readResource: (uri) => call("readResource", { server: name, uri: String(uri) }),
      listPrompts: () => call("listPrompts", { server: name }),
      getPrompt: (prompt, args) => call("getPrompt", { server: name, name: String(prompt), args: args ?? {} }),
    };
    for (const t of tools) {
      const fn = (args) => client.callTool(t, args);
      if (!(t in client)) client[t] = fn;
      const alias = camel(t);
      if (!(alias in client)) client[alias] = fn;
    }
    return freeze(client);
  }
  // mcpFactory reaches the MCP servers the administrator configured. It is
  // frozen and cannot be replaced; every call is checked again by the host.
  const mcpFactory = freeze({
    listServers: () => call("listServers", {}),
    load: async (name) => {
      const info = await call("load", { server: String(name) });
      return makeClient(info.name, info.tools);
    },
  });

  // toJSONValue turns any value into something JSON can carry; values JSON
  // cannot represent become descriptive strings.
  function toJSONValue(v, seen, depth) {
    switch (typeof v) {
      case "undefined":
        return null;
      case "number":
        return Number.isFinite(v) ? v : String(v);
      case "bigint":
        return v.toString() + "n";
      case "function":
        return "[Function: " + (v.name || "anonymous") + "]";
      case "symbol":
        return v.toString();
      case "string":
      case "boolean":
        return v;
    }
    if (v === null) return null;
    if (seen.has(v)) return "[Circular]";
    if (depth > 64) return "[Too deep]";
    seen.add(v);
    try {
      if (typeof v.toJSON === "function") return toJSONValue(v.toJSON(), seen, depth + 1);
      if (v instanceof Error) return (v.name || "Error") + ": " + v.message;
      if (v instanceof Map) {
        const o = {};
        for (const [k, x] of v) o[String(k)] = toJSONValue(x, seen, depth + 1);
        return o;
      }
      if (v instanceof Set || ArrayBuffer.isView(v) || Array.isArray(v)) {
        const a = [];
        for (const x of Array.from(v)) a.push(toJSONValue(x, seen, depth + 1));
        return a;
      }
      if (v instanceof Promise) return "[Promise]";
      const o = {};
      for (const k of Object.keys(v)) {
        try {
          o[k] = toJSONValue(v[k], seen, depth + 1);
        } catch (e) {
          o[k] = "[Thrown: " + String(e && e.message || e) + "]";
        }
      }
      return o;
    } finally {
      seen.delete(v);
    }
  }

  const selfURL = import.meta.url;
  // V8 shortens long URLs in stack traces ("data:text/javascript,abc......xyz").
  const shortURL = /data:text\/javascript,[^\s()]*?(?=:\d+:\d+)/g;
  function cleanText(s) {
    s = String(s).split(selfURL).join("conductor:bootstrap");
    if (moduleURL) s = s.split(moduleURL).join("code.ts");
    return s.replace(shortURL, "code.ts");
  }

  function classify(e) {
    const msg = String(e && e.message || e);
    if (/^Requires import access to|--cached-only|not found in cache|Module not found|Import ".*" not a dependency/.test(msg)) return "dependency";
    if (e instanceof NotCapable || e instanceof PermissionDenied || /^Requires \S+ access to/.test(msg)) return "permission";
    if (e instanceof RangeError && /allocation failed/.test(msg)) return "limit";
    return "runtime";
  }

  let reported = false;
  function reportError(e) {
    if (reported) return;
    reported = true;
    const name = (e && e.name) || "Error";
    const stack = e && e.stack ? cleanText(e.stack) : "";
    send({
      t: "error",
      kind: classify(e),
      name: String(name),
      message: cleanText(e && e.message !== undefined ? e.message : e),
      stack,
    });
  }

  addEventListener("unhandledrejection", (ev) => {
    ev.preventDefault();
    reportError(ev.reason);
    exit(1);
  });
  addEventListener("error", (ev) => {
    ev.preventDefault();
    reportError(ev.error ?? ev.message);
    exit(1);
  });

  async function main() {
    // Warm the module loader while no job is waiting, so the job's own
    // import is quicker.
    await dynamicImport("data:text/javascript,export%20default%200");
    writeAll(encode(READY));
    const job = await readMessage();
    if (job === null) exit(0); // host went away before sending work
    key = job.key;
    if (job.maxReturn) maxReturn = job.maxReturn;
    defineProperty(globalThis, "mcpFactory", {
      value: mcpFactory,
      writable: false,
      configurable: false,
      enumerable: false,
    });
    for (const [name, value] of Object.entries(job.globals || {})) {
      defineProperty(globalThis, name, {
        value: deepFreeze(value),
        writable: false,
        configurable: false,
        enumerable: false,
      });
    }
    // A data: URL imports in a fraction of the time a blob: URL takes.
    moduleURL = "data:text/javascript," + encodeURIComponent(job.code);
    let mod;
    try {
      mod = await dynamicImport(moduleURL);
    } catch (e) {
      reportError(e);
      exit(1);
    }
    let text;
    try {
      text = stringify(toJSONValue(mod.default, new Set(), 0));
    } catch (e) {
      text = stringify("[Unserializable: " + String(e && e.message || e) + "]");
    }
    if (text.length > maxReturn) {
      reported = true;
      send({
        t: "error",
        kind: "limit",
        name: "LimitError",
        message: "the return value is " + text.length + " bytes of JSON, over the " + maxReturn +
          "-byte limit; return a smaller value or write it to a file",
      });
      exit(1);
    }
    send({ t: "result", value: text });
    // When the event loop has drained, say so: the host then ends the process
    // at once instead of waiting for Deno's teardown. Listeners the code
    // added while it ran were registered earlier and have already run.
    // A keyed end marker on stderr tells the host that stream is complete
    // too, so it need not wait for the pipes to close.
    addEventListener("unload", () => {
      if (Deno.exitCode !== 0) return;
      writeAll(encode(key + "end\n"), stderrWrite);
      send({ t: "exit" });
    });
  }

  function deepFreeze(v) {
    if (v && typeof v === "object") {
      for (const k of Object.keys(v)) deepFreeze(v[k]);
      freeze(v);
    }
    return v;
  }

  main();
})();
