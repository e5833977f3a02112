// End-to-end smoke test: headless Chromium drives the real Go backend
// through the Wails dev server (a desktop build with -tags dev serves the
// frontend and the bindings on CONDUCTOR_E2E_URL). Run by the Go GUI tests
// (app/guitest), which start that server; screenshots go to
// $CONDUCTOR_ARTIFACTS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const url = process.env.CONDUCTOR_E2E_URL;
const artifacts = process.env.CONDUCTOR_ARTIFACTS || fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-e2e-'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

let context;
let page;

before(async () => {
  assert.ok(url, 'CONDUCTOR_E2E_URL is not set: start the app built with -tags desktop,dev,webkit2_41 first');
  assert.ok(fs.existsSync(chromiumPath), `${chromiumPath} is missing (apt-get install chromium)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    viewport: { width: 1200, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await context.newPage();
  await page.goto(url);
});

after(async () => {
  await context?.close();
});

test('the sidebar shows the version the Go backend reports', async () => {
  const version = await page.evaluate(() => window.go.app.App.Version());
  assert.match(version, /\S/);
  await page.waitForFunction((v) => document.querySelector('.brand-sub')?.textContent === `v${v}`, version);
});

test('the overview shows the backend folders', async () => {
  const paths = await page.evaluate(() => window.go.app.App.Paths());
  for (const p of [paths.home, paths.workspace, paths.logs]) {
    await page.getByText(p, { exact: true }).waitFor();
  }
  await page.screenshot({ path: path.join(artifacts, 'e2e-overview.png') });
});

test('every page renders, and unbound services say "not available yet"', async () => {
  const pages = ['overview', 'permissions', 'servers', 'clients', 'activity', 'playground'];
  for (const id of pages) {
    await page.click(`a[href="#/${id}"]`);
    await page.waitForSelector(`main[data-page="${id}"] h1`);
    if (id !== 'overview') {
      await page.waitForSelector(`main[data-page="${id}"] [data-state="unavailable"]`);
      const text = await page.textContent(`main[data-page="${id}"] [data-state="unavailable"]`);
      assert.match(text, /Not available yet/);
    }
    await page.screenshot({ path: path.join(artifacts, `e2e-${id}.png`) });
  }
  assert.equal(await page.isDisabled('main[data-page="playground"] button.btn-primary'), true);
});

test('the start-on-login switch writes through the backend', async () => {
  await page.click('a[href="#/overview"]');
  const sw = page.getByRole('switch');
  await sw.waitFor({ state: 'attached' });
  assert.equal(await sw.isChecked(), false);
  await page.click('.switch');
  await page.waitForFunction(async () => (await window.go.app.App.Autostart()).enabled === true);
  assert.equal(await sw.isChecked(), true);
  await page.click('.switch');
  await page.waitForFunction(async () => (await window.go.app.App.Autostart()).enabled === false);
});
