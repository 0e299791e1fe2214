// Static hosting as it happens on an intranet: the app served from a sub-path, opened once,
// then run with the server gone; runbooks edited on the server show at the next load; a new
// build is offered with a reload banner. The service worker is allowed here (elsewhere the
// harness blocks it).
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { SESSION_URL, openPage, setIdentity, startBrowser, startServer } from "./harness.mjs";

const DIST = process.env.STEPWISE_DIST ?? "dist";
const SUBPATH = "tools/stepwise/";
let chrome;

before(async () => {
  chrome = await startBrowser();
});
after(async () => {
  await chrome?.close();
});

/** A copy of dist/ under /tools/stepwise/ of a fresh web root, and a server for it. */
async function site() {
  const root = mkdtempSync(join(tmpdir(), "stepwise-site-"));
  const app = join(root, SUBPATH);
  cpSync(DIST, app, { recursive: true });
  writeFileSync(join(root, "index.html"), '<!doctype html><title>Intranet</title><a href="tools/stepwise/">Stepwise</a>');
  // The served copy changes in these tests: drop the precompressed files so edits show.
  rmSync(join(app, "runbooks/index.json.gz"));
  rmSync(join(app, "sw.js.gz"));
  const server = await startServer(root);
  return { app, server, url: `${server.url}${SUBPATH}` };
}

/**
 * Waits until this build's worker is active and controls the page. A page still uncontrolled
 * once the worker has activated (one CI run saw it: a load that raced the activation, which
 * `clients.claim()` can miss) is controlled from its next load, as a technician's would be:
 * so it is reloaded then. A worker that never activates fails with the state it reached.
 */
async function controlled(page) {
  try {
    await page.waitForFunction(() => navigator.serviceWorker.getRegistration().then((r) => r?.active?.state === "activated"));
  } catch (error) {
    const state = await page.evaluate(() =>
      navigator.serviceWorker.getRegistration().then((r) =>
        r ? ["installing", "waiting", "active"].map((k) => `${k}: ${r[k]?.state ?? "none"}`).join(", ") : "no registration",
      ),
    );
    throw new Error(`the service worker did not activate (${state}): ${error.message}`);
  }
  try {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 3000 });
  } catch {
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  }
}

test("after one visit from a sub-path, the app opens and runs a runbook with the server gone", async () => {
  const { server, url } = await site();
  const { page, context, problems } = await openPage(chrome.browser, url, { identity: false, serviceWorkers: "allow" });
  await setIdentity(page, url);
  await page.goto(url);
  await page.locator(".runbooks .card").first().waitFor();
  await controlled(page);
  const sameOrigin = await page.evaluate(() => performance.getEntriesByType("resource").every((e) => e.name.startsWith(location.origin)));
  assert.ok(sameOrigin, "every request stays on our origin");

  server.stop();
  await context.setOffline(true);
  await page.reload();
  await page.locator(".runbooks .card h2 a", { hasText: /vpn/i }).click();
  await page.waitForURL(SESSION_URL);
  assert.ok(page.url().startsWith(url), `the session stays under ${SUBPATH}: ${page.url()}`);
  await page.locator(".checklist input[type=checkbox]").first().check();
  await page.getByTestId("progress").filter({ hasText: /^1 of / }).waitFor();
  await page.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();
  await page.reload();
  await page.getByTestId("progress").filter({ hasText: /^1 of / }).waitFor();
  // Offline, failed fetches are expected noise; no CSP violation or page error is.
  assert.deepEqual(problems.filter((p) => /CSP|page error/.test(p)), []);
  await context.close();
});

test("a runbook edited on the server shows at the next load, and a new build offers a reload", async () => {
  const { app, server, url } = await site();
  const { page, context, problems } = await openPage(chrome.browser, url, { serviceWorkers: "allow" });
  await page.goto(url);
  await page.locator(".runbooks .card").first().waitFor();
  await controlled(page);

  // The runbooks are fetched network-first: an edit on the server is seen at once.
  const indexPath = join(app, "runbooks/index.json");
  const index = readFileSync(indexPath, "utf8");
  writeFileSync(indexPath, index.replace('"title": "VPN not connecting"', '"title": "VPN not connecting (edited on the server)"'));
  await page.reload();
  await page.locator(".runbooks .card h2", { hasText: "VPN not connecting (edited on the server)" }).waitFor();

  // A new build: its service worker installs in the background and the page offers a reload.
  const swPath = join(app, "sw.js");
  const sw = readFileSync(swPath, "utf8");
  const build = sw.match(/const BUILD = "([0-9a-f]+)"/)[1];
  writeFileSync(swPath, sw.replace(`const BUILD = "${build}"`, 'const BUILD = "0000newbuild0000"'));
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  const banner = page.locator("#update-banner");
  await banner.waitFor();
  assert.match(await banner.textContent(), /A new version of Stepwise is available/);
  await Promise.all([page.waitForEvent("load"), banner.getByRole("button", { name: "Reload now" }).click()]);
  await page.locator(".runbooks .card").first().waitFor();
  await page.waitForFunction(() => caches.keys().then((keys) => keys.includes("stepwise-shell-0000newbuild0000")));
  const keys = await page.evaluate(() => caches.keys());
  assert.ok(!keys.includes(`stepwise-shell-${build}`), `the old build's cache is gone: ${keys}`);
  assert.equal(await page.locator("#update-banner").count(), 0);
  assert.deepEqual(problems, []);
  server.stop();
  await context.close();
});
