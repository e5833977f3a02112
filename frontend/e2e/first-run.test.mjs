// End-to-end test of a first run where no Deno can be found (run by
// app/guitest's TestFirstRunInstallsDeno): the app points at a local npm
// registry that is down for the first request, then serves the real Deno.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { fullShot } from './checks.mjs';

const url = process.env.CONDUCTOR_E2E_URL;
assert.ok(url, 'CONDUCTOR_E2E_URL is not set: run this through app/guitest (go test -tags gui ./app/guitest/)');
const artifacts = process.env.CONDUCTOR_ARTIFACTS || fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-e2e-'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

let browser;
let page;
const shot = (name) => fullShot(page, path.join(artifacts, `first-run-${name}.png`));
const go = async (id) => {
  await page.click(`a[href="#/${id}"]`);
  await page.waitForSelector(`main[data-page="${id}"] h1`);
};

before(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1120, height: 900 } });
  // Every wait ends as soon as its condition holds; the bound only guards against a hang.
  page.setDefaultTimeout(180_000);
  await page.goto(url);
});

after(async () => {
  await browser?.close();
});

test('without Deno the Overview says what is missing, and the endpoint waits for it', async () => {
  const runtime = page.locator('[data-testid="runtime"]');
  await runtime.getByText('Missing').waitFor();
  await runtime.getByRole('button', { name: 'Install Deno' }).waitFor();
  const endpoint = page.locator('[data-testid="endpoint"]');
  await endpoint.getByText('Waiting for Deno').waitFor();
  assert.match(await endpoint.innerText(), /starts on its own once Deno is ready/);
  assert.doesNotMatch(await endpoint.innerText(), /waiting for the engine/);
  assert.equal(await page.locator('[data-step="deno"]').getAttribute('data-done'), 'false');
  // No client installed: the card names the supported ones and leads to setting one up.
  const none = page.locator('[data-testid="no-clients"]');
  assert.match(await none.innerText(), /works with Cursor, Claude Desktop/);
  await none.getByRole('link', { name: 'Set up a client anyway' }).waitFor();
  await shot('missing');
});

test('the download source is kept across pages', async () => {
  await page.getByLabel('Download from').selectOption('npm');
  await go('activity');
  await go('overview');
  assert.equal(await page.getByLabel('Download from').inputValue(), 'npm');
});

test('a failed install says what failed in one sentence, and offers the other source and a retry', async () => {
  await page.getByRole('button', { name: 'Install Deno' }).click();
  const err = page.locator('[data-testid="install-error"]');
  await err.waitFor({ timeout: 120_000 });
  const text = await err.locator('p').innerText();
  assert.equal(text, 'Deno could not be installed from the npm registry: the server answered 503 Service Unavailable.');
  await err.getByRole('button', { name: 'Install from GitHub releases instead' }).waitFor();
  await shot('install-failed');

  await err.getByRole('button', { name: 'Try again' }).click();
  const runtime = page.locator('[data-testid="runtime"]');
  await runtime.getByText('Ready').waitFor({ timeout: 300_000 });
  await err.waitFor({ state: 'detached' });
});

test('after the install every card follows without a reload: Deno ready, the endpoint serving, the checklist ticked', async () => {
  await page.locator('[data-testid="endpoint"]').getByText('Serving', { exact: true }).waitFor({ timeout: 60_000 });
  await page.locator('[data-step="deno"][data-done="true"]').waitFor();
  assert.match(await page.locator('[data-testid="runtime"]').innerText(), /installed by mcp-conductor/);
  await shot('installed');
});

test('Ctrl+Q asks, and Quit ends the app', async () => {
  await page.keyboard.press('Control+q');
  const d = page.locator('dialog[open]');
  await d.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Cancel');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Quit');
  await page.keyboard.press('Enter');
  // The Go test checks that the process exits with status 0.
});
