// End-to-end test: headless Chromium drives the real Go backend through the
// Wails dev server (a desktop build with -tags dev serves the frontend and
// the bindings on CONDUCTOR_E2E_URL), with the real engine and Deno. Run by
// the Go GUI tests (app/guitest), which start the app in a private session
// and pass its home folders; screenshots go to $CONDUCTOR_ARTIFACTS. The
// tests run in order and build on each other, as a user would; the last one
// quits the app from its window.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { brokenWords, contrastProblems, fullShot, layoutProblems } from './checks.mjs';
import { callFromStdioClient, runFromStdioClient } from './stdio.mjs';

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
const binary = env('E2E_BINARY');
const deno = env('E2E_DENO');
const artifacts = process.env.CONDUCTOR_ARTIFACTS || fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-e2e-'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

// A folder holding a file the sandbox may not read until it is granted.
const shared = path.join(home, 'shared-notes');
const note = path.join(shared, 'note.txt');
const readNote = `Deno.readTextFileSync(${JSON.stringify(note)})`;
// Another server's secret in Cursor's file, which the preview must not show.
const githubToken = 'ghp_e2eSecretThatMustNotShow0123456789';

let context;
let page;

const shot = (name) => fullShot(page, path.join(artifacts, `e2e-${name}.png`));
const go = async (id) => {
  await page.click(`a[href="#/${id}"]`);
  await page.waitForSelector(`main[data-page="${id}"] h1`);
};
const outcome = () => page.locator('[data-testid="outcome"]');
const editor = () => page.getByRole('textbox', { name: 'Code to run' });

/** Runs code from the Playground page and returns the outcome element's data. */
async function runInPlayground(code, { seconds = '' } = {}) {
  await go('playground');
  await editor().fill(code);
  await page.getByLabel(/Time limit/).fill(seconds);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).waitFor({ timeout: 120_000 });
  await outcome().waitFor();
  return { status: await outcome().getAttribute('data-status'), text: await outcome().innerText() };
}

/** The dialog open now: it must be modal, named, and hold the focus. */
async function openDialog() {
  const d = page.locator('dialog[open]');
  await d.waitFor();
  assert.equal(await d.getAttribute('aria-modal'), 'true');
  assert.ok(await d.getAttribute('aria-labelledby'));
  assert.ok(await d.evaluate((el) => el.matches(':modal') && el.contains(document.activeElement)), 'focus is not in the dialog');
  return d;
}

before(async () => {
  fs.mkdirSync(shared, { recursive: true });
  fs.writeFileSync(note, 'the note says hello');
  fs.writeFileSync(
    path.join(home, '.cursor', 'mcp.json'),
    JSON.stringify({ mcpServers: { github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: githubToken } } } }, null, 2),
  );
  assert.ok(fs.existsSync(chromiumPath), `${chromiumPath} is missing (apt-get install chromium)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    viewport: { width: 1200, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  // Every wait ends as soon as its condition holds; the bound only guards against a hang.
  page.setDefaultTimeout(180_000);
  page.on('dialog', (d) => {
    throw new Error(`the page opened a browser dialog: ${d.message()}`);
  });
  await page.goto(url);
});

after(async () => {
  await context?.close();
});

test('the overview shows the engine, and a first-run checklist that ticks itself', async () => {
  const version = await page.evaluate(() => window.go.app.App.Version());
  await page.waitForFunction((v) => document.querySelector('.brand-sub')?.textContent === `v${v}`, version);
  await page.locator('[data-testid="runtime"]').getByText('Ready').waitFor();
  await page.locator('[data-testid="endpoint"]').getByText(`http://127.0.0.1:${port}/mcp`).waitFor();
  await page.getByRole('button', { name: 'Copy token' }).waitFor();
  const paths = await page.evaluate(() => window.go.app.App.Paths());
  assert.equal(paths.home, conductorHome);
  await page.locator('dd', { hasText: 'workspace' }).first().waitFor();
  // MCP_CONDUCTOR_DENO picks the Deno: no install or update is offered that would not be used.
  await page.locator('[data-testid="deno-pinned"]').getByText('MCP_CONDUCTOR_DENO chooses the Deno in use').waitFor();
  assert.equal(await page.getByRole('button', { name: /Update Deno|Install Deno/ }).count(), 0);
  const step = (id) => page.locator(`[data-testid="checklist"] [data-step="${id}"]`);
  await step('deno').and(page.locator('[data-done="true"]')).waitFor();
  for (const id of ['folder', 'client', 'run']) assert.equal(await step(id).getAttribute('data-done'), 'false', id);
  await shot('overview');
});

test('the endpoint card follows the engine as it changes, without a reload', async () => {
  const card = page.locator('[data-testid="endpoint"]');
  await page.evaluate(() => window.go.app.App.SetEndpoint(false, 0));
  await card.getByText('Off', { exact: true }).waitFor();
  assert.equal(await card.getAttribute('data-running'), 'false');
  await page.evaluate(() => window.go.app.App.SetEndpoint(true, 0));
  await card.getByText('Serving', { exact: true }).waitFor();
  await card.getByText(`http://127.0.0.1:${port}/mcp`).waitFor();
});

test('Open logs says so when no file manager opens the folder', async () => {
  await page.getByRole('button', { name: 'Open logs' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'No file manager opened the logs folder' });
  await alert.waitFor();
  await alert.getByRole('button', { name: 'Copy path' }).waitFor();
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
  assert.match(denied.text, /Error · permission/);
  assert.match(denied.text, /Requires read access/);

  await go('permissions');
  await page.getByLabel('Read files permission').selectOption('list');
  await page.getByLabel('Add to Read files').fill(shared);
  await page.getByRole('button', { name: 'Add', exact: true }).first().click();
  await page.locator('[data-permission="read"] .tags').getByText(shared).waitFor();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const saved = page.getByText('Saved. The next run uses these settings.');
  await saved.waitFor();
  await shot('permissions');
  const settings = JSON.parse(fs.readFileSync(path.join(conductorHome, 'settings.json'), 'utf8'));
  assert.deepEqual(settings.permissions.read, { list: [shared] });

  const allowed = await runInPlayground(readNote);
  assert.equal(allowed.status, 'success', allowed.text);
  assert.match(allowed.text, /the note says hello/);
});

test('Permissions: limits in human units, messages that follow the form, chips checked when added', async () => {
  await go('permissions');
  // Human units: seconds and MiB, the defaults as placeholders.
  const limit = page.getByLabel('Default time limit (seconds)');
  assert.equal(await limit.getAttribute('placeholder'), '30 (default)');
  assert.equal(await page.getByLabel('Output per stream (mebibytes)').getAttribute('placeholder'), '1 (default)');

  // "Saved" goes away with the next edit; an error goes away with Discard.
  await page.getByRole('button', { name: 'Save', exact: true }).waitFor();
  await page.getByLabel('Local endpoint port').fill('80');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'port 80' });
  await refused.waitFor();
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await refused.waitFor({ state: 'detached' });
  await limit.fill('45');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved. The next run uses these settings.').waitFor();
  await limit.fill('40');
  await page.getByText('Saved. The next run uses these settings.').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Discard changes' }).click();
  assert.equal(await limit.inputValue(), '45');
  const settings = JSON.parse(fs.readFileSync(path.join(conductorHome, 'settings.json'), 'utf8'));
  assert.equal(settings.defaultTimeoutMs, 45000);

  // A package without a version is refused when it is added, not at Save.
  const pkg = page.getByLabel('Add a package');
  await pkg.fill('zod');
  await pkg.press('Enter');
  await page.getByRole('alert').filter({ hasText: /pin a version/i }).waitFor();
  assert.equal(await page.locator('.tags').getByText('zod').count(), 0);
  assert.equal(await pkg.inputValue(), 'zod', 'the text stays for correcting');
  await pkg.fill('npm:zod@^3');
  await page.getByRole('alert').filter({ hasText: /pin a version/i }).waitFor({ state: 'detached' });
  await pkg.press('Enter');
  await page.locator('.tags').getByText('npm:zod@^3').waitFor();
  await shot('permissions-edited');
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await page.locator('.tags').getByText('npm:zod@^3').waitFor({ state: 'detached' });
});

test('(b) an upstream MCP server is tested (what failed, and what it printed), fixed, and saved', async () => {
  await go('servers');
  await page.getByRole('button', { name: 'Add server' }).click();
  await page.getByLabel('Server name').fill('everything');
  await page.getByLabel('Command').fill(node);
  await page.getByLabel('Arguments').fill('/nowhere/index.js\nstdio');
  await page.getByRole('button', { name: 'Test connection' }).click();
  const failure = page.locator('[data-testid="probe-failure"]');
  await failure.waitFor({ timeout: 60_000 });
  assert.match(await failure.innerText(), /The program ended (with exit status \d+ )?before it answered\. Check the arguments/);
  assert.match(await page.locator('[data-testid="probe-stderr"]').innerText(), /Cannot find module '\/nowhere\/index\.js'/);
  assert.doesNotMatch(await failure.innerText(), /no answer within|client is closing/);
  await shot('servers-test-failed');

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

test('approvals: a server\'s rules and the "ask for changes" switch are written to mcp-config.json', async () => {
  await go('servers');
  const file = () => JSON.parse(fs.readFileSync(path.join(conductorHome, 'mcp-config.json'), 'utf8'));
  await page.locator('tr[data-server="everything"]').getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Tools that need approval').fill('toggle-*, get-sum');
  await page.getByLabel('Tools code may not call').fill('trigger-*');
  await page.getByLabel('Approval of other tools').selectOption('allow');
  await shot('servers-approval');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByLabel('Tools that need approval').waitFor({ state: 'detached' });
  assert.deepEqual(file().mcpServers.everything.approval, { default: 'allow', ask: ['toggle-*', 'get-sum'], deny: ['trigger-*'] });

  const ask = page.getByLabel('Ask for changes');
  assert.equal(await ask.isChecked(), false, 'the switch is off by default');
  await ask.check();
  await page.waitForFunction(() => document.querySelector('input[aria-label="Ask for changes"]')?.checked && !document.querySelector('input[aria-label="Ask for changes"]')?.disabled);
  assert.equal(file().askForChanges, true);
  await ask.uncheck();
  await page.waitForFunction(() => !document.querySelector('input[aria-label="Ask for changes"]')?.checked && !document.querySelector('input[aria-label="Ask for changes"]')?.disabled);
  assert.equal(file().askForChanges, undefined);
  // The entry's rules survive the switch's edits.
  assert.deepEqual(file().mcpServers.everything.approval.deny, ['trigger-*']);
});

test('removing a server asks in a modal dialog: Escape cancels and gives the focus back', async () => {
  await go('servers');
  await page.getByRole('button', { name: 'Add server' }).click();
  await page.getByLabel('Server name').fill('scratch');
  await page.getByLabel('Command').fill(node);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const row = page.locator('tr[data-server="scratch"]');
  await row.waitFor();
  const remove = row.getByRole('button', { name: 'Remove' });
  await remove.click();
  const d = await openDialog();
  assert.match(await d.innerText(), /Remove scratch\?/);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Cancel');
  await shot('servers-remove-dialog');
  await page.keyboard.press('Escape');
  await d.waitFor({ state: 'detached' });
  assert.ok(await remove.evaluate((b) => b === document.activeElement), 'the focus did not come back to Remove');
  await row.waitFor();
  await remove.click();
  await (await openDialog()).getByRole('button', { name: 'Remove' }).click();
  await row.waitFor({ state: 'detached' });
});

test('(c) registering Cursor previews the change with secrets masked, then writes ~/.cursor/mcp.json', async () => {
  await go('clients');
  const row = page.locator('tr[data-client="cursor"]');
  await row.getByText('Not connected').waitFor();
  const setUp = row.getByRole('button', { name: 'Set up' });
  await setUp.click();
  let d = await openDialog();
  const diff = d.locator('[data-testid="diff"]');
  assert.match(await diff.innerText(), /\+\s+"mcp-conductor": \{/);
  assert.doesNotMatch(await d.innerText(), new RegExp(githubToken), 'the preview shows the GitHub token');
  assert.match(await diff.innerText(), /"GITHUB_PERSONAL_ACCESS_TOKEN": "••••••"/);
  assert.match(fs.readFileSync(path.join(home, '.cursor', 'mcp.json'), 'utf8'), /ghp_e2e/, 'the preview wrote the file');
  await shot('clients-preview');
  await page.keyboard.press('Escape');
  await d.waitFor({ state: 'detached' });
  assert.ok(await setUp.evaluate((b) => b === document.activeElement), 'the focus did not come back to Set up');
  await setUp.click();
  d = await openDialog();
  await d.getByRole('button', { name: 'Write mcp.json' }).click();
  await row.getByText('Connected', { exact: true }).waitFor();
  await shot('clients');
  const cfg = JSON.parse(fs.readFileSync(path.join(home, '.cursor', 'mcp.json'), 'utf8'));
  const entry = cfg.mcpServers['mcp-conductor'];
  assert.equal(entry.command, path.join(conductorHome, 'bin', 'mcp-conductor'));
  assert.deepEqual(entry.args, ['--stdio']);
  assert.equal(entry.env.MCP_CONDUCTOR_HOME, conductorHome);
  assert.equal(cfg.mcpServers.github.env.GITHUB_PERSONAL_ACCESS_TOKEN, githubToken, 'the secret itself is kept');
});

test('a client that switched the entry off shows "Switched off" with why, Remove, and Turn on, which switches it back on', async () => {
  const file = path.join(home, '.cursor', 'mcp.json');
  const cfg = JSON.parse(fs.readFileSync(file, 'utf8'));
  cfg.mcpServers['mcp-conductor'].disabled = true;
  fs.writeFileSync(file, JSON.stringify(cfg, null, 2));
  await go('clients');
  await page.getByRole('button', { name: 'Refresh' }).click();
  const row = page.locator('tr[data-client="cursor"]');
  await row.getByText('Switched off', { exact: true }).waitFor();
  assert.equal(await page.getByText(/mcp\.json updated/).count(), 0, 'Refresh left the banner of the earlier change');
  assert.match(await row.innerText(), /switched off: the client set "disabled": true in the entry\. Register turns it back on\./);
  assert.equal(await row.getByRole('button', { name: 'Remove' }).count(), 1, 'a switched-off entry offers no Remove');
  assert.equal(await row.getByRole('button', { name: 'Set up' }).count(), 0, 'a switched-off entry is offered Set up as if it were missing');
  await shot('clients-switched-off');
  await row.getByRole('button', { name: 'Turn on' }).click();
  const d = await openDialog();
  const diff = await d.locator('[data-testid="diff"]').innerText();
  assert.match(diff, /-\s+"disabled": true/);
  assert.match(diff, /\+\s+"disabled": false/);
  await d.getByRole('button', { name: 'Write mcp.json' }).click();
  await row.getByText('Connected', { exact: true }).waitFor();
  const after = JSON.parse(fs.readFileSync(file, 'utf8')).mcpServers['mcp-conductor'];
  assert.equal(after.disabled, false, 'Turn on left the entry switched off');
  assert.deepEqual(after.args, ['--stdio']);
});

test('the Playground: a code editor, errors marked where they are, Stop, and no stale result', async () => {
  await go('playground');
  // A real editor: TypeScript highlighting, Tab indents, brackets close.
  await editor().fill('');
  await editor().pressSequentially('function f(');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('return 1');
  const text = await editor().innerText();
  assert.match(text, /function f\(\)\n\s{2,}return 1/);
  assert.ok(await page.locator('.cm-content span').filter({ hasText: /^function$/ }).count(), 'no highlighted keyword');

  // The error's position, in the message and marked in the code.
  const thrown = await runInPlayground('const o = { a: 1 };\nfunction g() {\n  throw new TypeError("bad");\n}\ng();');
  assert.equal(thrown.status, 'error');
  assert.match(thrown.text, /code\.ts:3:9/);
  const jump = page.getByRole('button', { name: 'Show line 3, column 9' });
  await jump.waitFor();
  await page.locator('.cm-lintRange-error').waitFor();
  await jump.click();
  assert.match(await page.locator('.cm-activeLine').innerText(), /throw new TypeError/);
  await shot('playground-error');

  // Stop while running; the old result is gone as soon as a run starts.
  await editor().fill('await new Promise(() => setInterval(() => {}, 1000))');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('button', { name: 'Stop' }).waitFor();
  assert.equal(await outcome().count(), 0, 'the previous result is still shown');
  await page.getByRole('button', { name: 'Stop' }).click();
  await outcome().waitFor({ timeout: 60_000 });
  assert.match(await outcome().innerText(), /Error · runtime[\s\S]*cancelled/);

  // A labelled time limit, in seconds.
  const slow = await runInPlayground('await new Promise((r) => setTimeout(r, 60000))', { seconds: '1' });
  assert.match(slow.text, /Error · timeout[\s\S]*1000 ms/);
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
  const rows = page.locator('[data-testid="activity"] tbody tr:not(.detail-row)');
  await rows.first().waitFor();
  const n = await rows.count();
  assert.ok(n >= 3, `${n} executions listed`);
  // A run from elsewhere appears without reloading the page.
  await page.evaluate(() => window.go.app.App.RunCode({ code: '"live " + (40 + 2)', timeoutMs: 0 }));
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="activity"] tbody tr:not(.detail-row)').length > n, n);
  await rows.first().click();
  await page.getByText('"live " + (40 + 2)').first().waitFor();
});

test('Activity is live for a separate --stdio server (as Cursor runs it), reachable by keyboard, and keeps its filter', async () => {
  await go('activity');
  const rows = page.locator('[data-testid="activity"] tbody tr:not(.detail-row)');
  await rows.first().waitFor();
  const res = await runFromStdioClient({ binary, home, conductorHome, deno, client: 'e2e-stdio-client', code: '"from a stdio client"' });
  assert.equal(res.status, 'success', JSON.stringify(res));
  // No navigation, no refresh: the row arrives from the audit log.
  await page.locator('[data-testid="activity"] tbody tr', { hasText: 'e2e-stdio-client' }).waitFor();

  // The rows open from the keyboard.
  await page.getByRole('button', { name: 'Refresh' }).focus();
  let reached = false;
  for (let i = 0; i < 10 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.classList.contains('row-button'));
  }
  assert.ok(reached, 'Tab never reached a row');
  const first = page.locator('.row-button').first();
  assert.equal(await first.getAttribute('aria-expanded'), 'false');
  await page.keyboard.press('Enter');
  assert.equal(await first.getAttribute('aria-expanded'), 'true');
  await page.locator('.detail-row').waitFor();
  await shot('activity-detail');

  // The filter stays when the user comes back.
  await page.getByLabel('Show').selectOption('error');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="activity"] tbody tr:not(.detail-row)')].every((r) => /Error/.test(r.textContent)),
  );
  await go('overview');
  await go('activity');
  assert.equal(await page.getByLabel('Show').inputValue(), 'error');
  await page.getByLabel('Show').selectOption('');
  await shot('activity');
});

test('Skills: a skill an AI client saved is listed with its signatures, shown, imported, deleted, and Activity shows it', async () => {
  const source = 'export function greet(name: string): string { return `hello ${name}` }\n';
  const saved = await callFromStdioClient({
    binary, home, conductorHome, deno, client: 'e2e-skill-client',
    tool: 'save_skill', args: { name: 'greet', description: 'Greets someone.', source },
  });
  assert.equal(saved.import, 'skills/greet', JSON.stringify(saved));
  await go('skills');
  const row = page.locator('[data-testid="skills"] tbody tr', { hasText: 'skills/greet' });
  await row.getByText('function greet(name: string): string').waitFor();
  await row.getByText('Greets someone.').waitFor();
  await row.getByRole('button', { name: 'View source' }).click();
  const d = await openDialog();
  assert.equal((await d.locator('[data-testid="skill-source"]').innerText()).trimEnd(), source.trimEnd());
  await shot('skill-source');
  await d.getByRole('button', { name: 'Close' }).click();

  const r = await runInPlayground('import { greet } from "skills/greet"; greet("e2e")');
  assert.equal(r.status, 'success', r.text);
  assert.match(r.text, /hello e2e/);

  await go('skills');
  await shot('skills');
  await row.getByRole('button', { name: 'Delete' }).click();
  const c = await openDialog();
  await c.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('No skills are saved yet').waitFor();
  assert.ok(!fs.existsSync(path.join(conductorHome, 'skills', 'greet.ts')), 'greet.ts is still there');
  assert.equal((await runInPlayground('import { greet } from "skills/greet"; greet("e2e")')).status, 'error');

  await go('activity');
  const changes = page.locator('[data-testid="skill-changes"] tbody tr');
  await changes.filter({ hasText: 'e2e-skill-client' }).filter({ hasText: 'saved' }).waitFor();
  await changes.filter({ hasText: 'Skills page' }).filter({ hasText: 'deleted' }).waitFor();
});

test('Skills: a skill is edited and saved (its file and backup checked), a bad source shows Deno\'s error and writes nothing, an AI client\'s save meanwhile is not overwritten, a new skill', async () => {
  const file = path.join(conductorHome, 'skills', 'tools.ts');
  const backupsOf = () =>
    fs
      .readdirSync(path.join(conductorHome, 'backups', 'skills'))
      .filter((n) => n.endsWith('_tools.ts'))
      .map((n) => fs.readFileSync(path.join(conductorHome, 'backups', 'skills', n), 'utf8'));
  const saveAsModel = (source) =>
    callFromStdioClient({
      binary, home, conductorHome, deno, client: 'e2e-skill-client',
      tool: 'save_skill', args: { name: 'tools', description: 'Doubles.', source },
    });
  const v1 = 'export function double(n: number): number { return n * 2 }\n';
  await saveAsModel(v1);
  await go('skills');
  const row = page.locator('[data-testid="skills"] tbody tr', { hasText: 'skills/tools' });
  await row.getByRole('button', { name: 'Edit' }).click();
  const form = page.locator('[data-testid="skill-editor"]');
  const source = form.getByRole('textbox', { name: 'Skill source' });
  await source.waitFor();
  assert.equal((await source.innerText()).trimEnd(), v1.trimEnd());
  assert.equal(await form.getByLabel('Skill description').inputValue(), 'Doubles.');
  assert.ok(await form.getByRole('button', { name: 'Save' }).isDisabled(), 'Save is enabled with nothing changed');

  // An edit, saved: the file holds it, the backup holds what it replaced.
  const v2 = '/** Triples. */\nexport function triple(n: number): number { return n * 3 }';
  await form.getByLabel('Skill description').fill('Triples a number.');
  await source.fill(v2);
  await form.getByText('Unsaved changes').waitFor();
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByText(/^Saved\. The next run that imports skills\/tools uses this version/).waitFor();
  assert.equal(fs.readFileSync(file, 'utf8'), v2);
  assert.deepEqual(backupsOf(), [v1]);
  await row.getByText('function triple(n: number): number').waitFor();
  await row.getByText('Triples a number.').waitFor();

  // A source Deno cannot read: its message and position, marked; nothing written.
  await source.fill('export function triple(n: number) {\n  return `x ${n`\n}');
  await form.getByRole('button', { name: 'Save' }).click();
  const problem = form.locator('[data-testid="skill-problem"]');
  await problem.waitFor();
  assert.match(await problem.innerText(), /Deno cannot read the source: SyntaxError: Unterminated template[\s\S]*skills\/tools\.ts:2:/);
  // Deno's excerpt keeps its lines: the line it stopped at, as written.
  assert.match(await problem.locator('[data-testid="skill-problem-excerpt"]').innerText(), /^2 \|\s+return `x \$\{n`$/m);
  await problem.getByRole('button', { name: /^Show line 2, column \d+$/ }).waitFor();
  await form.locator('.cm-lintRange-error').waitFor();
  await shot('skill-editor-error');
  assert.equal(fs.readFileSync(file, 'utf8'), v2, 'a source that does not parse was written');
  assert.deepEqual(backupsOf(), [v1]);
  await form.getByRole('button', { name: 'Discard changes' }).click();
  assert.equal((await source.innerText()).trimEnd(), v2);
  assert.equal(await problem.count(), 0);

  // An AI client saves the skill while the form is open: the form's save is
  // refused, the client's version stays, and reloading shows it.
  const v3 = 'export function quadruple(n: number): number { return n * 4 }\n';
  await saveAsModel(v3);
  await source.fill(`${v2}\n// my edit`);
  await form.getByRole('button', { name: 'Save' }).click();
  await problem.getByText(/changed since you opened it/).waitFor();
  assert.equal(fs.readFileSync(file, 'utf8'), v3, "the AI client's save was overwritten");
  await problem.getByRole('button', { name: 'Reload the saved skill' }).click();
  await problem.waitFor({ state: 'detached' });
  assert.equal((await source.innerText()).trimEnd(), v3.trimEnd());
  assert.equal(await form.getByLabel('Skill description').inputValue(), 'Doubles.');
  await form.getByRole('button', { name: 'Close' }).click();
  await form.waitFor({ state: 'detached' });

  // A new skill: a name that is a path is refused; a good one is saved.
  await page.getByRole('button', { name: 'New skill' }).click();
  await form.getByLabel('Skill name').fill('../escape');
  await form.getByLabel('Skill description').fill('Says hi.');
  await source.fill('export function hi(): string { return "hi" }');
  await form.getByRole('button', { name: 'Save' }).click();
  await problem.getByText(/is not a skill name/).waitFor();
  assert.ok(!fs.existsSync(path.join(conductorHome, 'escape.ts')), 'a skill was written outside the skills folder');
  await form.getByLabel('Skill name').fill('hi');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByText('Saved. Code imports it as skills/hi.').waitFor();
  assert.equal(fs.readFileSync(path.join(conductorHome, 'skills', 'hi.ts'), 'utf8'), 'export function hi(): string { return "hi" }');
  await shot('skill-editor');
  await form.getByRole('button', { name: 'Close' }).click();
  const r = await runInPlayground('import { hi } from "skills/hi"; import { quadruple } from "skills/tools"; hi() + quadruple(2)');
  assert.equal(r.status, 'success', r.text);
  assert.match(r.text, /hi8/);

  await go('activity');
  const changes = page.locator('[data-testid="skill-changes"] tbody tr');
  await changes.filter({ hasText: 'Skills page' }).filter({ hasText: 'skills/tools' }).filter({ hasText: 'replaced' }).first().waitFor();
  await changes.filter({ hasText: 'Skills page' }).filter({ hasText: 'skills/hi' }).filter({ hasText: 'saved' }).first().waitFor();
});

test('Skills: the switch sets what AI clients\' save_skill does, in settings.json: off refuses a save, each save asks, allowed again', async () => {
  const skills = () => JSON.parse(fs.readFileSync(path.join(conductorHome, 'settings.json'), 'utf8')).skills ?? {};
  const save = () =>
    callFromStdioClient({
      binary, home, conductorHome, deno, client: 'e2e-switch',
      tool: 'save_skill', args: { name: 'switched', description: 'Saved under the switch.', source: 'export function s(): number { return 1 }\n' },
    });
  await go('skills');
  const sw = page.getByTestId('skill-saving');
  assert.equal(await sw.inputValue(), 'on');
  await sw.selectOption('off');
  await page.getByText('AI clients cannot save skills').waitFor();
  assert.equal(skills().disableSaving, true, JSON.stringify(skills()));
  await assert.rejects(save(), /save_skill/);
  assert.ok(!fs.existsSync(path.join(conductorHome, 'skills', 'switched.ts')), 'a save went through with saving off');
  await sw.selectOption('ask');
  await page.getByText(/you are asked \(or its client is\)/).waitFor();
  assert.deepEqual([skills().disableSaving ?? false, skills().requireApproval], [false, true], JSON.stringify(skills()));
  await sw.selectOption('on');
  await page.getByText('AI clients may save skills.').waitFor();
  assert.deepEqual([skills().disableSaving ?? false, skills().requireApproval ?? false], [false, false], JSON.stringify(skills()));
  const saved = await save();
  assert.equal(saved.import, 'skills/switched', JSON.stringify(saved));
});

test('the checklist ticked itself as the user went, and left', async () => {
  await go('overview');
  await page.locator('[data-testid="checklist"]').waitFor({ state: 'detached' });
  await page.locator('[data-testid="recent"]').getByText('e2e-stdio-client').waitFor();
});

test('Python: the Playground switches language, the Overview shows the interpreters, Permissions turns it off', async () => {
  await go('playground');
  await page.getByRole('radio', { name: 'Python' }).click();
  const thrown = await runInPlayground('x = 1\n\ndef f():\n    return x / 0\n\nf()');
  assert.equal(thrown.status, 'error');
  assert.match(thrown.text, /Error · runtime[\s\S]*File "<code>", line 4, in f[\s\S]*ZeroDivisionError/);
  await page.getByRole('button', { name: 'Show line 4, column 1' }).waitFor();
  const ok = await runInPlayground('print("from python")\nsum(range(10))');
  assert.equal(ok.status, 'success');
  assert.match(ok.text, /45[\s\S]*from python/);
  await shot('playground-python');
  // Each language keeps its own code.
  await page.getByRole('radio', { name: 'TypeScript' }).click();
  assert.doesNotMatch(await editor().innerText(), /sum\(range/);
  await page.getByRole('radio', { name: 'Python' }).click();
  assert.match(await editor().innerText(), /sum\(range\(10\)\)/);
  await page.getByRole('radio', { name: 'TypeScript' }).click();

  // After the first Python run, an interpreter waits, and the card says what it holds.
  await go('overview');
  const card = page.locator('[data-testid="python"]');
  await card.getByText(/Pyodide \d+\.\d+\.\d+/).waitFor();
  await card.getByText(/1 of 1 interpreter ready, holding \d+ MB/).waitFor({ timeout: 60_000 });

  // Turned off on Permissions & packages, Python is off everywhere.
  await go('permissions');
  const python = page.getByRole('switch', { name: 'Let agents run Python' });
  assert.equal(await python.isChecked(), true);
  await page.locator('.switch', { hasText: 'Let agents run Python' }).click();
  assert.equal(await python.isChecked(), false);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved. The next run uses these settings.').waitFor();
  await go('overview');
  await card.getByText('Python is turned off in Permissions & packages.').waitFor();
  const settings = JSON.parse(fs.readFileSync(path.join(conductorHome, 'settings.json'), 'utf8'));
  assert.equal(settings.python?.disabled, true);
  await go('permissions');
  await page.locator('.switch', { hasText: 'Let agents run Python' }).click();
  assert.equal(await python.isChecked(), true);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved. The next run uses these settings.').waitFor();
});

const sizes = [
  [820, 560], // the window's minimum size
  [1120, 760], // its default size
  [1400, 900],
];
const pages = ['overview', 'permissions', 'servers', 'clients', 'skills', 'activity', 'playground'];

test('every page fits its window at three sizes, breaks no word, and reads well, in light and dark', async () => {
  const problems = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [w, h] of sizes) {
      await page.setViewportSize({ width: w, height: h });
      for (const id of pages) {
        await go(id);
        await page.waitForFunction(() => !document.querySelector('[data-state="loading"]'));
        if (id === 'activity') await page.locator('.row-button').first().click(); // the detail too
        if (id === 'playground') await page.locator('.cm-content').waitFor();
        for (const p of await layoutProblems(page)) problems.push(`${id} ${w}x${h} ${scheme}: ${p}`);
        for (const p of await brokenWords(page)) problems.push(`${id} ${w}x${h} ${scheme}: ${p}`);
        if (w === 1120) for (const p of await contrastProblems(page)) problems.push(`${id} ${scheme}: ${p}`);
        await fullShot(page, path.join(artifacts, `page-${id}-${w}x${h}-${scheme}.png`));
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1200, height: 860 });
  assert.deepEqual(problems, []);
});

test('dialogs read well in dark mode too', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await go('clients');
  await page.locator('tr[data-client="cursor"]').getByRole('button', { name: 'Remove' }).click();
  await openDialog();
  assert.deepEqual(await contrastProblems(page), []);
  await page.screenshot({ path: path.join(artifacts, 'page-clients-dialog-dark.png') });
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'light' });
});

test('Quit in the window ends the app (for desktops without a tray)', async () => {
  await go('overview');
  await page.getByRole('button', { name: 'Quit' }).click();
  const d = await openDialog();
  await shot('quit-dialog');
  await d.getByRole('button', { name: 'Quit' }).click();
  // The Go test checks that the process exits with status 0.
});
