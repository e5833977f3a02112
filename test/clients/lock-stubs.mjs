// Adds to package-lock.json an entry for every optional platform package
// that a dependency names but the lock lacks. npm install leaves out an
// optional package the registry cannot serve (a registry mirror may lack the
// builds for other platforms), and npm ci then refuses the lock as out of
// sync. Each stub carries the os/cpu/libc its name says, so npm ci skips it on
// other platforms and fetches it by name on its own.
//
// After changing package.json: npm install --no-audit --no-fund, then
// node lock-stubs.mjs.
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("./package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const pkgs = lock.packages;

function resolves(from, name) {
  let base = from;
  for (;;) {
    if (pkgs[(base ? base + "/" : "") + "node_modules/" + name]) return true;
    if (!base) return false;
    const i = base.lastIndexOf("node_modules/");
    base = i <= 0 ? "" : base.slice(0, i - 1);
  }
}

function platform(name) {
  const p = {};
  if (/darwin/.test(name)) p.os = ["darwin"];
  else if (/win32|windows/.test(name)) p.os = ["win32"];
  else if (/linux/.test(name)) p.os = ["linux"];
  if (/arm64/.test(name)) p.cpu = ["arm64"];
  else if (/x64/.test(name)) p.cpu = ["x64"];
  if (/musl/.test(name)) p.libc = ["musl"];
  else if (/gnu|glibc/.test(name) || p.os?.[0] === "linux") p.libc = ["glibc"];
  return p;
}

let added = 0;
for (const [path, node] of Object.entries(pkgs)) {
  for (const [name, version] of Object.entries(node.optionalDependencies ?? {})) {
    if (resolves(path, name)) continue;
    const p = platform(name);
    if (!p.os) throw new Error(`${name}: no platform in its name; add it to the lock by hand`);
    pkgs["node_modules/" + name] = { version, dev: node.dev, optional: true, ...p };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => a.localeCompare(b, "en")));
lock.packages = sorted;
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`added ${added} stub entries`);
