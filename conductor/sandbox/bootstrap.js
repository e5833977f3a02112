// MCP Conductor sandbox bootstrap. Deno runs this file as the main module;
// it waits on stdin for exactly one job, then runs the job's code.
//
// Channel: the host writes one JSON line per message to stdin. This file
// writes messages to stdout framed as <key><json>\n, where <key> is a random
// per-execution secret the host sends with the job. Every other byte on
// stdout and stderr is the code's own output.
//
// Everything this file touches after user code starts is captured first,
// methods and getters alike, and called through captured functions, never
// looked up again on objects the code can patch (the primordials pattern of
// Node's and Deno's own internals). The host does not rely on the key's
// secrecy for anything but telling frames from printed text: it enforces
// every limit itself (see process.go and runner.go).
"use strict";
(() => {
  // --- primordials -------------------------------------------------------
  const FunctionPrototypeCall = Function.prototype.call;
  const uncurry = FunctionPrototypeCall.bind.bind(FunctionPrototypeCall);
  const getter = (proto, name) => uncurry(Object.getOwnPropertyDescriptor(proto, name).get);
  const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
  const U8 = Uint8Array;
  const u8Length = getter(TypedArrayPrototype, "length");
  const u8Subarray = uncurry(TypedArrayPrototype.subarray);
  const u8Set = uncurry(TypedArrayPrototype.set);
  const u8Slice = uncurry(TypedArrayPrototype.slice);
  const stringify = JSON.stringify;
  const parseJSON = JSON.parse;
  const defineProperty = Object.defineProperty;
  const freeze = Object.freeze;
  const hasOwn = Object.hasOwn;
  const keys = Object.keys;
  const isArray = Array.isArray;
  const arrayFrom = Array.from;
  const isView = ArrayBuffer.isView;
  const numberIsFinite = Number.isFinite;
  const StringCtor = String;
  const PromiseCtor = Promise;
  const ErrorCtor = Error;
  const MapCtor = Map;
  const SetCtor = Set;
  const mapEntries = uncurry(Map.prototype.entries);
  const setHas = uncurry(Set.prototype.has);
  const setAdd = uncurry(Set.prototype.add);
  const setDelete = uncurry(Set.prototype.delete);
  const stringReplace = uncurry(String.prototype.replace);
  const regexpSource = /[-_.]+([a-zA-Z0-9])/g;
  const toUpperCase = uncurry(String.prototype.toUpperCase);
  const bigintToString = uncurry(BigInt.prototype.toString);
  const symbolToString = uncurry(Symbol.prototype.toString);
  const stdoutWrite = Deno.stdout.writeSync.bind(Deno.stdout);
  const stderrWrite = Deno.stderr.writeSync.bind(Deno.stderr);
  const stdinRead = Deno.stdin.read.bind(Deno.stdin);
  const exit = Deno.exit;
  const encoder = new TextEncoder();
  const encode = encoder.encode.bind(encoder);
  const decoder = new TextDecoder();
  const decode = decoder.decode.bind(decoder);
  const addEventListener = globalThis.addEventListener.bind(globalThis);
  const getExitCode = getter(Deno, "exitCode");
  const dynamicImport = (u) => import(u);

  // Written once, before any job, so the host knows this process has booted.
  const READY = "\x1econductor-ready\n";
  // At most this many mcpFactory calls are on their way to the host at
  // once; more wait here, in the code's own memory. The host refuses more.
  const MAX_IN_FLIGHT = 16;
  let key = "";
  let maxReturn = 1 << 20;

  function writeAll(bytes, write) {
    const n = u8Length(bytes);
    let off = 0;
    while (off < n) off += write(u8Subarray(bytes, off));
  }
  function send(msg) {
    writeAll(encode(key + stringify(msg) + "\n"), stdoutWrite);
  }

  // Host → sandbox: newline-delimited JSON, queued in a null-prototype
  // object (no array or map method the code could patch).
  const inbox = { __proto__: null };
  let inHead = 0, inTail = 0;
  let buffered = new U8(0);
  async function readMessage() {
    for (;;) {
      if (inHead < inTail) {
        const m = inbox[inHead];
        delete inbox[inHead++];
        return m;
      }
      const chunk = new U8(65536);
      const n = await stdinRead(chunk);
      if (n === null) return null;
      const had = u8Length(buffered);
      const merged = new U8(had + n);
      u8Set(merged, buffered);
      u8Set(merged, u8Subarray(chunk, 0, n), had);
      let start = 0;
      const total = had + n;
      for (let i = 0; i < total; i++) {
        if (merged[i] === 10) {
          inbox[inTail++] = parseJSON(decode(u8Subarray(merged, start, i)));
          start = i + 1;
        }
      }
      buffered = u8Slice(merged, start);
    }
  }

  // Calls to the host (mcpFactory). Replies arrive on stdin, which is read
  // only while a call is pending, so an idle channel never keeps the event
  // loop alive. Calls run concurrently on the host, MAX_IN_FLIGHT at a time.
  const pending = { __proto__: null }; // id → {resolve, reject}, sent
  const waiting = { __proto__: null }; // queued, not yet sent
  let inFlight = 0, waitHead = 0, waitTail = 0, nextId = 1, pumping = false;
  function dispatch() {
    while (inFlight < MAX_IN_FLIGHT && waitHead < waitTail) {
      const c = waiting[waitHead];
      delete waiting[waitHead++];
      let frame;
      try {
        frame = { __proto__: null, t: "call", id: c.id, method: c.method, params: c.params };
        send(frame);
      } catch (e) {
        c.reject(e);
        continue;
      }
      pending[c.id] = c;
      inFlight++;
    }
    pump();
  }
  async function pump() {
    if (pumping) return;
    pumping = true;
    try {
      while (inFlight > 0) {
        const m = await readMessage();
        if (m === null) {
          for (const id in pending) pending[id].reject(new ErrorCtor("the conductor closed the channel"));
          break;
        }
        const id = m !== null && typeof m === "object" && hasOwn(m, "id") ? m.id : undefined;
        const p = pending[id];
        if (p === undefined) continue;
        delete pending[id];
        inFlight--;
        if (hasOwn(m, "error")) p.reject(new ErrorCtor(StringCtor(m.error)));
        else p.resolve(hasOwn(m, "result") ? m.result : undefined);
        dispatch();
      }
    } finally {
      pumping = false;
    }
  }
  function call(method, params) {
    return new PromiseCtor((resolve, reject) => {
      waiting[waitTail++] = { __proto__: null, id: nextId++, method, params, resolve, reject };
      dispatch();
    });
  }

  function camel(name) {
    return stringReplace(name, regexpSource, (_, c) => toUpperCase(c));
  }
  function makeClient(name, tools) {
    const client = {
      name,
      tools: freeze(arrayFrom(tools)),
      callTool: (tool, args) => call("callTool", { __proto__: null, server: name, tool: StringCtor(tool), args: args ?? {} }),
      listTools: () => call("listTools", { __proto__: null, server: name }),
      listResources: () => call("listResources", { __proto__: null, server: name }),
      readResource: (uri) => call("readResource", { __proto__: null, server: name, uri: StringCtor(uri) }),
      listPrompts: () => call("listPrompts", { __proto__: null, server: name }),
      getPrompt: (prompt, args) => call("getPrompt", { __proto__: null, server: name, name: StringCtor(prompt), args: args ?? {} }),
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
    listServers: () => call("listServers", { __proto__: null }),
    // search finds tools across the servers by name and description words:
    // search("write file", { server?, detail?: "names" | "descriptions" | "full", limit? }).
    search: (query, options) => call("search", { __proto__: null, query: StringCtor(query), options: options ?? {} }),
    load: async (name) => {
      const info = await call("load", { __proto__: null, server: StringCtor(name) });
      return makeClient(info.name, info.tools);
    },
  });

  // toJSONValue turns any value into something JSON can carry; values JSON
  // cannot represent become descriptive strings. It runs the code's own
  // getters and toJSON methods, on the code's own values.
  function toJSONValue(v, seen, depth) {
    switch (typeof v) {
      case "undefined":
        return null;
      case "number":
        return numberIsFinite(v) ? v : StringCtor(v);
      case "bigint":
        return bigintToString(v) + "n";
      case "function":
        return "[Function: " + (v.name || "anonymous") + "]";
      case "symbol":
        return symbolToString(v);
      case "string":
      case "boolean":
        return v;
    }
    if (v === null) return null;
    if (setHas(seen, v)) return "[Circular]";
    if (depth > 64) return "[Too deep]";
    setAdd(seen, v);
    try {
      if (typeof v.toJSON === "function") return toJSONValue(v.toJSON(), seen, depth + 1);
      if (v instanceof ErrorCtor) return (v.name || "Error") + ": " + v.message;
      if (v instanceof MapCtor) {
        const o = {};
        for (const [k, x] of mapEntries(v)) o[StringCtor(k)] = toJSONValue(x, seen, depth + 1);
        return o;
      }
      if (v instanceof SetCtor || isView(v) || isArray(v)) {
        const a = [];
        let i = 0;
        for (const x of arrayFrom(v)) a[i++] = toJSONValue(x, seen, depth + 1);
        return a;
      }
      if (v instanceof PromiseCtor) return "[Promise]";
      const o = {};
      for (const k of keys(v)) {
        try {
          o[k] = toJSONValue(v[k], seen, depth + 1);
        } catch (e) {
          o[k] = "[Thrown: " + StringCtor(e && e.message || e) + "]";
        }
      }
      return o;
    } finally {
      setDelete(seen, v);
    }
  }

  // Errors go to the host as they are: it classifies them and rewrites
  // internal URLs and positions (see errors.go), trusting none of it.
  let reported = false;
  function reportError(e) {
    if (reported) return;
    reported = true;
    let name = "Error", message = "", stack = "";
    try {
      name = StringCtor((e && e.name) || "Error");
      message = StringCtor(e && e.message !== undefined ? e.message : e);
      stack = e && e.stack ? StringCtor(e.stack) : "";
    } catch (x) {
      message = "[the thrown value could not be read]";
    }
    send({ __proto__: null, t: "error", name, message, stack });
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
    writeAll(encode(READY), stdoutWrite);
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
    for (const name of keys(job.globals || {})) {
      defineProperty(globalThis, name, {
        value: deepFreeze(job.globals[name]),
        writable: false,
        configurable: false,
        enumerable: false,
      });
    }
    // A data: URL imports in a fraction of the time a blob: URL takes.
    let mod;
    try {
      mod = await dynamicImport(job.url);
    } catch (e) {
      reportError(e);
      exit(1);
    }
    let text;
    try {
      text = stringify(toJSONValue(mod.default, new SetCtor(), 0));
    } catch (e) {
      text = stringify("[Unserializable: " + StringCtor(e && e.message || e) + "]");
    }
    if (text.length > maxReturn) {
      reported = true;
      send({ __proto__: null, t: "error", name: "LimitError", kind: "limit",
        message: "the return value is " + text.length + " bytes of JSON, over the " + maxReturn +
          "-byte limit; return a smaller value or write it to a file" });
      exit(1);
    }
    send({ __proto__: null, t: "result", value: text });
    // When the event loop has drained, say so: the host then ends the process
    // at once instead of waiting for Deno's teardown. Listeners the code
    // added while it ran were registered earlier and have already run.
    // A keyed end marker on stderr tells the host that stream is complete
    // too, so it need not wait for the pipes to close.
    addEventListener("unload", () => {
      if (getExitCode() !== 0) return;
      writeAll(encode(key + "end\n"), stderrWrite);
      send({ __proto__: null, t: "exit" });
    });
  }

  function deepFreeze(v) {
    if (v && typeof v === "object") {
      for (const k of keys(v)) deepFreeze(v[k]);
      freeze(v);
    }
    return v;
  }

  main();
})();
