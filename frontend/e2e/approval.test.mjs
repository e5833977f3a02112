// End-to-end test of approvals in the window (run by app/guitest's
// TestBrowserApproves): the app's home has the filesystem server with "ask
// for changes" on. Code from the Playground, and code from a separate
// --stdio conductor whose client cannot ask, both wait for the person's
// answer in the window's dialog.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { fullShot } from './checks.mjs';
import { callFromStdioClient, runFromStdioClient } from './stdio.mjs';

const url = process.env.CONDUCTOR_E2E_URL;
assert.ok(url, 'CONDUCTOR_E2E_URL is not set: run this through app/guitest (go test -tags gui ./app/guitest/)');
const artifacts = process.env.CONDUCTOR_ARTIFACTS || fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-e2e-'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const shared = process.env.E2E_SHARED;
assert.ok(shared, 'E2E_SHARED is not set');

let browser;
let page;
const shot = (name) => fullShot(page, path.join(artifacts, `approval-${name}.png`));
const go = async (id) => {
  await page.click(`a[href="#/${id}"]`);
  await page.waitForSelector(`main[data-page="${id}"] h1`);
};
const write = (file) =>
  `const fs = await mcpFactory.load("filesystem");\n` +
  `let out = "written";\ntry { await fs.write_file({ path: ${JSON.stringify(file)}, content: "hello" }); } catch (e) { out = e.message; }\nout`;

/** The approval dialog, once open: modal, named, with the focus on Deny. */
async function question() {
  const d = page.locator('dialog[open]');
  await d.waitFor();
  assert.equal(await d.getAttribute('aria-modal'), 'true');
  assert.match(await d.locator('h2').innerText(), /Allow this tool call\?/);
  assert.ok(await d.evaluate((el) => el.matches(':modal')), 'the dialog is not modal');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Deny');
  return d;
}

before(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1120, height: 900 } });
  page.setDefaultTimeout(180_000); // a hang guard: every wait ends when its condition holds
  await page.goto(url);
});

after(async () => {
  await browser?.close();
});

test('the Playground asks in the window, and "Allow once" lets the call run', async () => {
  const file = path.join(shared, 'from-playground.txt');
  await go('playground');
  await page.getByRole('textbox', { name: 'Code to run' }).fill(write(file));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const d = await question();
  const text = await d.innerText();
  assert.match(text, /Code run in the Playground wants to call the tool write_file of the MCP server filesystem/);
  assert.match(await d.getByTestId('approval-args').innerText(), /from-playground\.txt/);
  await shot('playground-question');
  // Escape does not dismiss a question: it must be answered.
  await page.keyboard.press('Escape');
  assert.ok(await d.isVisible());
  // From the keyboard: Enter on a focused "Allow once".
  await d.getByRole('button', { name: 'Allow once' }).focus();
  await page.keyboard.press('Enter');
  await d.waitFor({ state: 'detached' });
  const outcome = page.locator('[data-testid="outcome"]');
  await outcome.waitFor();
  assert.match(await outcome.innerText(), /written/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'hello');
});

test('a --stdio conductor whose client cannot ask asks the app, and "Deny" keeps the tool from running', async () => {
  const canary = path.join(shared, 'canary.txt');
  const result = runFromStdioClient({
    binary: process.env.E2E_BINARY,
    home: process.env.E2E_HOME,
    conductorHome: process.env.E2E_CONDUCTOR_HOME,
    deno: process.env.E2E_DENO,
    client: 'headless-client',
    code: write(canary),
  });
  const d = await question();
  assert.match(await d.innerText(), /Code run by headless-client wants to call the tool write_file/);
  await shot('stdio-question');
  await d.getByRole('button', { name: 'Deny' }).click();
  await d.waitFor({ state: 'detached' });
  const r = await result;
  assert.match(String(r.returnValue), /denied it/);
  assert.ok(!fs.existsSync(canary), 'the denied call ran');
});

test('a skill save that needs approval asks in the window with the skill and its source, and offers only Allow once and Deny', async () => {
  const source = 'export function shout(s: string): string { return s.toUpperCase() }\n';
  const stdio = {
    binary: process.env.E2E_BINARY,
    home: process.env.E2E_HOME,
    conductorHome: process.env.E2E_CONDUCTOR_HOME,
    deno: process.env.E2E_DENO,
    client: 'headless-client',
  };
  const result = callFromStdioClient({
    ...stdio,
    tool: 'save_skill',
    args: { name: 'shouter', description: 'Shouts a string.', source },
  });
  const d = page.locator('dialog[open]');
  await d.waitFor();
  assert.match(await d.locator('h2').innerText(), /Save this skill\?/);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Deny');
  const text = await d.innerText();
  assert.match(text, /headless-client wants to save the skill shouter/);
  assert.match(text, /It is a new skill\./);
  assert.match(text, /Shouts a string\./);
  assert.equal((await d.getByTestId('approval-source').innerText()).trimEnd(), source.trimEnd());
  const buttons = await d.getByRole('button').allInnerTexts();
  assert.deepEqual(buttons, ['Allow once', 'Deny']);
  await shot('skill-question');
  await d.getByRole('button', { name: 'Allow once' }).click();
  await d.waitFor({ state: 'detached' });
  const r = await result;
  assert.equal(r.import, 'skills/shouter');
  assert.equal(fs.readFileSync(path.join(process.env.E2E_CONDUCTOR_HOME, 'skills', 'shouter.ts'), 'utf8'), source);
});
