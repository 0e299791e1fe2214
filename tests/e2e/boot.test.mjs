// The boot path: the library is drawn by its small first-load module, and the web app takes
// its place as soon as anything else is needed, with nothing the technician did lost.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { SESSION_URL, openPage, setIdentity, setup } from "./harness.mjs";

const env = setup();
const GOOD = new URL("../../runbooks/printer-peripheral-request.yaml", import.meta.url);

/**
 * Serves the VPN runbook edited after `stepwise index` (so its digest is not the index's),
 * after `delay` ms, as a slow server would.
 */
async function editedOnServer(page, delay = 0) {
  await page.route("**/runbooks/vpn-not-connecting.yaml", async (route) => {
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, delay));
    await route.fulfill({ response, body: `${await response.text()}\n# edited on the server\n` });
  });
}

/** Which of the two modules the page has fetched so far. */
function modules(page) {
  const seen = { lite: false, full: false };
  page.on("request", (request) => {
    const name = new URL(request.url()).pathname.split("/").pop();
    if (/^stepwise_lite_bg\.[0-9a-f]{12}\.wasm$/.test(name)) seen.lite = true;
    if (/^stepwise_bg\.[0-9a-f]{12}\.wasm$/.test(name)) seen.full = true;
  });
  return seen;
}

test("a first visit to the library loads only the small module, and its search works", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url, { identity: false });
  const seen = modules(page);
  await page.goto(env.server.url);
  const cards = page.locator(".runbooks .card");
  await cards.first().waitFor();
  const total = await cards.count();
  assert.equal(await page.getByTestId("library-count").textContent(), `${total} runbooks`);
  await page.getByLabel("Search title, category, tag or id").fill("vpn");
  await page.getByTestId("library-count").filter({ hasText: `1 of ${total} runbooks match` }).waitFor();
  assert.equal(await cards.count(), 1);
  await page.getByRole("link", { name: "Set your name" }).waitFor();
  assert.equal(await page.locator("[data-testid=drill-card] a").count() > 0, true, "the drills are listed with links");
  // Give the web app time it would take to arrive, had it been asked for.
  await page.waitForLoadState("networkidle");
  assert.deepEqual(seen, { lite: true, full: false });
  assert.deepEqual(problems, []);
  await close();
});

test("a card opens its runbook in the web app, which then shows the library itself", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.goto(env.server.url);
  const seen = modules(page);
  // The name set in the web app (by openPage) shows in the small module's top bar.
  await page.getByRole("link", { name: "Test Technician" }).waitFor();
  assert.equal(seen.full, false, "the library came from the small module");
  await page.locator(".runbooks .card h2 a", { hasText: /vpn/i }).click();
  await page.waitForURL(SESSION_URL);
  assert.equal(seen.full, true, "the web app took over");
  await page.locator(".checklist input[type=checkbox]").first().check();
  await page.getByTestId("progress").filter({ hasText: /^1 of / }).waitFor();
  await page.getByRole("link", { name: "Library" }).click();
  await page.locator(".runbooks .card").first().waitFor();
  assert.equal(await page.locator("#app > header.topbar").count(), 1, "one top bar: the small module is gone");
  assert.deepEqual(problems, []);
  await close();
});

test("a file chosen on the small module's page is checked and run by the web app", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.goto(env.server.url);
  const seen = modules(page);
  await page.locator(".runbooks .card").first().waitFor();
  const source = readFileSync(GOOD, "utf8").replace("id: printer-peripheral-request", "id: handed-over");
  await page.getByLabel("Choose a runbook file (YAML or JSON)").setInputFiles({ name: "handed-over.yaml", mimeType: "text/yaml", buffer: Buffer.from(source) });
  await page.waitForURL(SESSION_URL);
  await page.getByText("Opened from a file: this runbook is not in the library.").waitFor();
  assert.equal(seen.full, true);
  // Taken once: the library page does not open it again.
  await page.getByRole("link", { name: "Library" }).click();
  await page.locator(".runbooks .card").first().waitFor();
  await page.waitForTimeout(300);
  assert.ok(!SESSION_URL.test(page.url()), `stays on the library: ${page.url()}`);
  assert.deepEqual(problems, []);
  await close();
});

test("a library the small module cannot vouch for is shown by the web app", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const seen = modules(page);
  await editedOnServer(page);
  await page.goto(env.server.url);
  await page.locator(".runbooks .card").first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll("#app > header.topbar").length === 1);
  await page.waitForLoadState("networkidle");
  assert.deepEqual(seen, { lite: true, full: true });
  // The edited runbook is valid: the web app opens it.
  await page.locator(".runbooks .card h2 a", { hasText: /vpn/i }).click();
  await page.waitForURL(SESSION_URL);
  assert.deepEqual(problems, []);
  await close();
});

test("a search typed before the web app takes over is kept, with the cursor in it", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const seen = modules(page);
  // A slow server with an edited runbook: the small module hands over once it has checked.
  await editedOnServer(page, 1500);
  await page.goto(env.server.url);
  const cards = page.locator(".runbooks .card");
  await cards.first().waitFor();
  const total = await cards.count();
  const search = page.getByLabel("Search title, category, tag or id");
  await search.fill("vpn");
  assert.equal(seen.full, false, "typed on the small module's page");
  await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => /stepwise_bg\.[0-9a-f]{12}\.wasm$/.test(e.name)));
  await page.locator(".runbooks .card").filter({ hasText: "VPN" }).waitFor();
  await page.waitForFunction(() => document.querySelector("#search")?.value === "vpn" && document.activeElement?.id === "search");
  assert.equal(await page.getByTestId("library-count").textContent(), `1 of ${total} runbooks match`);
  assert.equal(seen.full, true);
  assert.deepEqual(problems, []);
  // The web app's own, delayed request for the file may still be held by the route.
  await page.unrouteAll({ behavior: "ignoreErrors" });
  await close();
});

test("a name kept by an earlier version, with no mirror of it yet, is shown by the web app", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url, { identity: false });
  await setIdentity(page, env.server.url, "Earlier Version");
  await page.evaluate(() => localStorage.clear());
  await page.goto(env.server.url);
  await page.getByRole("link", { name: "Earlier Version" }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem("stepwise.identity-name")), "Earlier Version", "mirrored again");
  assert.deepEqual(problems, []);
  await close();
});
