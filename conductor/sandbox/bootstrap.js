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
  const readFileSync = Deno.readFileSync;
  const args = arrayFrom(Deno.args);

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

  // --- Python (Pyodide) ----------------------------------------------
  // fileURL is the file: URL of a folder spelled with forward slashes
  // (/usr/x, or C:/x on Windows).
  const fileURL = (dir) => (dir[0] === "/" ? "file://" : "file:///") + dir;
  // With the arguments "python <pyodide folder> <snapshot or ""> <mounts
  // JSON> <working folder>" the process boots a Pyodide interpreter before
  // it says it is ready, and its one job is Python code. The interpreter is
  // never reused: the process ends with the job.
  async function bootPython() {
    const dir = args[1], snapshot = args[2], mounts = parseJSON(args[3]), cwd = args[4];
    const { loadPyodide } = await dynamicImport(fileURL(dir) + "/pyodide.mjs");
    const opts = { __proto__: null, indexURL: dir + "/", packages: [] };
    if (snapshot) opts._loadSnapshot = readFileSync(snapshot);
    const py = await loadPyodide(opts);
    // stdin is the host's channel: Python's own stdin is always at its end.
    py.setStdin({ error: true });
    py.setStdout({ write: (b) => { writeAll(b, stdoutWrite); return u8Length(b); } });
    py.setStderr({ write: (b) => { writeAll(b, stderrWrite); return u8Length(b); } });
    // The grants, mapped at their own names (on Windows /c/... for C:\...):
    // the same Deno permissions (and kernel rules) judge every access, as
    // for JavaScript.
    for (const m of mounts) {
      try {
        py.FS.mkdirTree(m.at);
        py.mountNodeFS(m.at, m.host);
      } catch (_) { /* unreadable: left out, like any file the code cannot read */ }
    }
    if (cwd) {
      try {
        py.FS.mkdirTree(cwd);
        py.FS.chdir(cwd);
      } catch (_) { /* stays in Pyodide's home */ }
    }
    py.registerJsModule("_conductor", {
      call: (method, params) => call(StringCtor(method), parseJSON(StringCtor(params))).then((r) => stringify(r === undefined ? null : r)),
    });
    pyodide = py;
    return py.runPython(PY_RUNNER);
  }
  let pyodide;

  const PY_RUNNER = `
import json as _json, linecache as _linecache, math as _math, sys as _sys, traceback as _traceback
from pyodide.code import eval_code_async as _eval
import _conductor

class _Server:
    """One MCP server: await srv.call_tool("t", {...}) or await srv.t(...)."""
    def __init__(self, name, tools):
        self.name, self.tools = name, tuple(tools)
    async def _call(self, method, params):
        return _json.loads(await _conductor.call(method, _json.dumps(params)))
    async def call_tool(self, tool, args=None, **kwargs):
        return await self._call("callTool", {"server": self.name, "tool": str(tool), "args": {**(args or {}), **kwargs}})
    async def list_tools(self):
        return await self._call("listTools", {"server": self.name})
    async def list_resources(self):
        return await self._call("listResources", {"server": self.name})
    async def read_resource(self, uri):
        return await self._call("readResource", {"server": self.name, "uri": str(uri)})
    async def list_prompts(self):
        return await self._call("listPrompts", {"server": self.name})
    async def get_prompt(self, name, args=None):
        return await self._call("getPrompt", {"server": self.name, "name": str(name), "args": args or {}})
    def __getattr__(self, tool):
        if tool in self.tools:
            return lambda args=None, **kwargs: self.call_tool(tool, args, **kwargs)
        raise AttributeError(f"MCP server {self.name!r} has no tool {tool!r}")
    def __repr__(self):
        return f"<MCP server {self.name!r}: {len(self.tools)} tools>"

class _Factory:
    """The MCP servers the administrator configured."""
    async def list_servers(self):
        return _json.loads(await _conductor.call("listServers", "{}"))
    async def load(self, name):
        info = _json.loads(await _conductor.call("load", _json.dumps({"server": str(name)})))
        return _Server(info["name"], info["tools"])

def _jsonable(v, depth, seen):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return v if _math.isfinite(v) else repr(v)
    if depth > 64:
        return "[Too deep]"
    if isinstance(v, (list, tuple, dict)):
        if id(v) in seen:
            return "[Circular]"
        seen.add(id(v))
        try:
            if isinstance(v, dict):
                if not all(isinstance(k, (str, int, float, bool)) or k is None for k in v):
                    return repr(v)
                return {(k if isinstance(k, str) else _json.dumps(k)): _jsonable(x, depth + 1, seen) for k, x in v.items()}
            return [_jsonable(x, depth + 1, seen) for x in v]
        finally:
            seen.discard(id(v))
    return repr(v)

def _report(e):
    frames = [f for f in _traceback.extract_tb(e.__traceback__) if f.filename == "<code>"]
    text = ""
    if frames:
        text = "Traceback (most recent call last):\\n" + "".join(_traceback.format_list(frames))
    text += "".join(_traceback.format_exception_only(e))
    return _json.dumps({"name": type(e).__name__, "message": str(e), "stack": text.rstrip()})

async def _run(code, globals_json):
    _linecache.cache["<code>"] = (len(code), None, code.splitlines(True), "<code>")
    g = {"__name__": "__main__", "__builtins__": __builtins__, "mcp_factory": _Factory()}
    g.update(_json.loads(globals_json))
    try:
        v = await _eval(code, g, filename="<code>")
    except SystemExit as e:
        if e.code in (None, 0):
            v = None
        else:
            return _report(e)
    except BaseException as e:
        return _report(e)
    finally:
        _sys.stdout.flush()
        _sys.stderr.flush()
    try:
        return _json.dumps({"value": _json.dumps(_jsonable(v, 0, set()), ensure_ascii=False)})
    except BaseException as e:
        return _json.dumps({"value": _json.dumps("[Unserializable: " + repr(e) + "]")})
_run
`;

  async function mainPython() {
    let run;
    try {
      run = await bootPython();
    } catch (e) {
      writeAll(encode("the Python interpreter (Pyodide) did not start: " + StringCtor(e && e.message || e) + "\n"), stderrWrite);
      exit(70);
    }
    writeAll(encode(READY), stdoutWrite);
    const job = await readMessage();
    if (job === null) exit(0);
    key = job.key;
    if (job.maxReturn) maxReturn = job.maxReturn;
    let out;
    try {
      const wheels = job.packages || [];
      if (wheels.length > 0) {
        // The allowlisted packages the job asked for, from the read-only
        // cache (nothing is downloaded here).
        const failures = [];
        await pyodide.loadPackage(wheels, { messageCallback: () => {}, errorCallback: (m) => { failures[failures.length] = StringCtor(m); } });
        if (failures.length > 0) throw { name: "PackageError", message: failures[0] };
      }
      out = parseJSON(await run(StringCtor(job.python), stringify(job.globals || {})));
    } catch (e) {
      out = { name: StringCtor(e && e.name || "InternalError"), message: StringCtor(e && e.message || e), stack: "" };
    }
    if (hasOwn(out, "value")) {
      if (out.value.length > maxReturn) {
        send({ __proto__: null, t: "error", name: "LimitError", kind: "limit",
          message: "the return value is " + out.value.length + " bytes of JSON, over the " + maxReturn +
            "-byte limit; return a smaller value or write it to a file" });
        exit(1);
      }
      send({ __proto__: null, t: "result", value: out.value });
    } else {
      send({ __proto__: null, t: "error", name: StringCtor(out.name), message: StringCtor(out.message), stack: StringCtor(out.stack) });
      exit(1);
    }
    // The run ends with the code's top level: tasks it left behind are not
    // waited for (the interpreter goes with the process).
    writeAll(encode(key + "end\n"), stderrWrite);
    send({ __proto__: null, t: "exit" });
    exit(0);
  }

  // "python-snapshot <pyodide folder>": boot an interpreter, write its
  // memory snapshot to stdout and end (the host stores it; no job runs).
  async function makeSnapshot() {
    const dir = args[1];
    const { loadPyodide } = await dynamicImport(fileURL(dir) + "/pyodide.mjs");
    const py = await loadPyodide({ __proto__: null, indexURL: dir + "/", packages: [], _makeSnapshot: true });
    writeAll(py.makeMemorySnapshot(), stdoutWrite);
    exit(0);
  }

  if (args[0] === "python") mainPython();
  else if (args[0] === "python-snapshot") makeSnapshot();
  else main();
})();
