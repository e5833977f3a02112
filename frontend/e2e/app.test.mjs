// End-to-end test: headless Chromium drives the real Go backend through the
// Wails dev server (a desktop build with -tags dev serves the frontend and
// the bindings on CONDUCTOR_E2E_URL), with the real engine and Deno. Run by
// the Go GUI tests (app/guitest), which start the app in a private session
// and pass its home folders; screenshots go to $CONDUCTOR_ARTIFACTS. The
// tests run in order and build on each other, as a user would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  assert.ok(v, `${name} is not set: run this through app/guitest (go test -tags gui ./app/guitest/)`);
  return v;
};
const url = env('CONDUCTOR_E2E_URL');
const home = env('E2E_HOME');
const conductorHome = env('E2E_CONDUCTOR_HOME');
const node = env('E2E_NODE');
const everything = env('E2E_EVERYTHING');
const port = env('E2E_PORT');
const artifacts = process.env.CONDUCTOR_ARTIFACTS || fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-e2e-'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

// A folder holding a file the sandbox may not read until it is granted.
const shared = path.join(home, 'shared-notes');
const note = path.join(shared, 'note.txt');
const readNote = `Deno.readTextFileSync(${JSON.stringify(note)})`;

let context;
let page;

const shot = (name) => page.screenshot({ path: path.join(artifacts, `e2e-${name}.png`), fullPage: true });
const go = async (id) => {
  await page.click(`a[href="#/${id}"]`);
  await page.waitForSelector(`main[data-page="${id}"] h1`);
};

/** Runs code from the Playground page and returns the outcome element's data. */
async function runInPlayground(code) {
  await go('playground');
  await page.getByLabel('Code to run').fill(code);
  const before = await page.locator('[data-testid="outcome"]').count();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).waitFor();
  await page.waitForSelector('[data-testid="outcome"]');
  assert.ok(before <= 1);
  const outcome = page.locator('[data-testid="outcome"]');
  return {
    status: await outcome.getAttribute('data-status'),
    text: await outcome.innerText(),
  };
}

before(async () => {
  fs.mkdirSync(shared, { recursive: true });
  fs.writeFileSync(note, 'the note says hello');
  assert.ok(fs.existsSync(chromiumPath), `${chromiumPath} is missing (apt-get install chromium)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    viewport: { width: 1200, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(url);
});

after(async () => {
  await context?.close();
});

test('the overview shows the engine: Deno ready, the endpoint serving, the folders', async () => {
  const version = await page.evaluate(() => window.go.app.App.Version());
  await page.waitForFunction((v) => document.querySelector('.brand-sub')?.textContent === `v${v}`, version);
  await page.locator('[data-testid="runtime"]').getByText('Ready').waitFor();
  await page.locator('[data-testid="endpoint"]').getByText(`http://127.0.0.1:${port}/mcp`).waitFor();
  await page.getByRole('button', { name: 'Copy token' }).waitFor();
  const paths = await page.evaluate(() => window.go.app.App.Paths());
  assert.equal(paths.home, conductorHome);
  await page.getByText(paths.workspace, { exact: true }).waitFor();
  await shot('overview');
});

test('the start-on-login switch writes through the backend', async () => {
  const sw = page.getByRole('switch', { name: /Start MCP Conductor/ });
  assert.equal(await sw.isChecked(), false);
  await page.locator('.switch', { hasText: 'Start MCP Conductor' }).click();
  await page.waitForFunction(async () => (await window.go.app.App.Autostart()).enabled === true);
  assert.equal(await sw.isChecked(), true);
  await page.locator('.switch', { hasText: 'Start MCP Conductor' }).click();
  await page.waitForFunction(async () => (await window.go.app.App.Autostart()).enabled === false);
});

test('(a) a read grant saved on the Permissions page is used by the next run', async () => {
  const denied = await runInPlayground(readNote);
  assert.equal(denied.status, 'error');
  assert.match(denied.text, /permission/);
  assert.match(denied.text, /Requires read access/);

  await go('permissions');
  await page.getByLabel('Read files permission').selectOption('list');
  await page.getByLabel('Add to Read files').fill(shared);
  await page.getByRole('button', { name: 'Add', exact: true }).first().click();
  await page.locator('[data-permission="read"] .tags').getByText(shared).waitFor();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved. The next run uses these settings.').waitFor();
  await shot('permissions');
  const settings = JSON.parse(fs.readFileSync(path.join(conductorHome, 'settings.json'), 'utf8'));
  assert.deepEqual(settings.permissions.read, { list: [shared] });

  const allowed = await runInPlayground(readNote);
  assert.equal(allowed.status, 'success', allowed.text);
  assert.match(allowed.text, /the note says hello/);
});

test('(b) an upstream MCP server is added, tested (its tools listed) and saved', async () => {
  await go('servers');
  await page.getByRole('button', { name: 'Add server' }).click();
  await page.getByLabel('Server name').fill('everything');
  await page.getByLabel('Command').fill(node);
  await page.getByLabel('Arguments').fill(`${everything}\nstdio`);
  await page.getByRole('button', { name: 'Test connection' }).click();
  const probe = page.locator('[data-testid="probe"]');
  await probe.waitFor({ timeout: 60_000 });
  await probe.getByText('echo', { exact: true }).waitFor();
  assert.match(await probe.innerText(), /Connected to .*tools/);
  await shot('servers-test');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('tr[data-server="everything"]').waitFor();
  await shot('servers');
  const cfg = JSON.parse(fs.readFileSync(path.join(conductorHome, 'mcp-config.json'), 'utf8'));
  assert.deepEqual(cfg.mcpServers.everything, { command: node, args: [everything, 'stdio'] });
});

test('(c) registering Cursor previews the change, then writes ~/.cursor/mcp.json', async () => {
  await go('clients');
  const row = page.locator('tr[data-client="cursor"]');
  await row.getByText('Not connected').waitFor();
  await row.getByRole('button', { name: 'Set up' }).click();
  const diff = page.locator('[data-testid="diff"]');
  await diff.waitFor();
  assert.match(await diff.innerText(), /\+\s+"mcp-conductor": \{/);
  assert.equal(fs.existsSync(path.join(home, '.cursor', 'mcp.json')), false, 'the preview wrote the file');
  await shot('clients-preview');
  await page.getByRole('button', { name: 'Write mcp.json' }).click();
  await row.getByText('Connected', { exact: true }).waitFor();
  await shot('clients');
  const cfg = JSON.parse(fs.readFileSync(path.join(home, '.cursor', 'mcp.json'), 'utf8'));
  const entry = cfg.mcpServers['mcp-conductor'];
  assert.equal(entry.command, path.join(conductorHome, 'bin', 'mcp-conductor'));
  assert.deepEqual(entry.args, ['--stdio']);
  assert.equal(entry.env.MCP_CONDUCTOR_HOME, conductorHome);
});

test('(d) the Playground runs code that calls the upstream server, and Activity shows it live', async () => {
  const r = await runInPlayground(
    'const e = await mcpFactory.load("everything");\nconst out = await e.callTool("echo", { message: "hi from the sandbox" });\nconsole.log("called");\nout',
  );
  assert.equal(r.status, 'success', r.text);
  assert.match(r.text, /hi from the sandbox/);
  assert.match(r.text, /everything\.echo/);
  await shot('playground');

  await go('activity');
  const rows = page.locator('[data-testid="activity"] tbody tr');
  await rows.first().waitFor();
  const n = await rows.count();
  assert.ok(n >= 3, `${n} executions listed`);
  // A run from elsewhere appears without reloading the page.
  await page.evaluate(() => window.go.app.App.RunCode({ code: '"live " + (40 + 2)', timeoutMs: 0 }));
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="activity"] tbody tr').length > n, n);
  await page.locator('[data-testid="activity"] tbody tr').first().click();
  await page.getByText('"live " + (40 + 2)').first().waitFor();
  await page.getByLabel('Show').selectOption('error');
  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid="activity"] tbody tr:not(.detail-row)')].every((r) => /permission/.test(r.textContent)),
  );
  await page.getByLabel('Show').selectOption('');
  await shot('activity');
});
