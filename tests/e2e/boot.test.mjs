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
    if (/^stepwise_lite_wasm\.[0-9a-f]{12}\.js$/.test(name)) seen.lite = true;
    if (/^stepwise_bg\.[0-9a-f]{12}\.wasm$/.test(name)) seen.full = true;
  });
  return seen;
}

test("a first visit to the library loads only the small module, and its search works", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url, { identity: false });
  const seen = modules(page);
  // Nothing of ours to warn of either: the worker is blocked here (openPage), which is no
  // failure of the app's (Playwright says so itself, in a warning of its own).
  const warnings = [];
  page.on("console", (message) => message.type() === "warning" && /stepwise/i.test(message.text()) && warnings.push(message.text()));
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
  assert.deepEqual(warnings, []);
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

/** `#app` as text with every element's attributes sorted and each field's value, so that two
 * pages built by different code (innerHTML, Yew) compare equal when a person sees the same. */
function pageOf(page) {
  return page.evaluate(() => {
    const canon = (node) => {
      if (node.nodeType === Node.TEXT_NODE) return node.data;
      if (node.nodeType !== Node.ELEMENT_NODE) return "";
      const attrs = [...node.attributes].map((a) => `${a.name}="${a.value}"`);
      if (node.localName === "input") attrs.push(`(value)="${node.value}"`);
      const inner = [...node.childNodes].map(canon).join("");
      return `<${node.localName} ${attrs.sort().join(" ")}>${inner}</${node.localName}>\n`;
    };
    return canon(document.getElementById("app"));
  });
}

test("the small module draws the web app's library page, before and after a search", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const seen = modules(page);
  await page.goto(env.server.url);
  await page.getByRole("link", { name: "Test Technician" }).waitFor();
  const search = page.getByLabel("Search title, category, tag or id");
  const small = await pageOf(page);
  await search.fill("vpn");
  await page.getByTestId("library-count").filter({ hasText: "match" }).waitFor();
  const smallSearched = await pageOf(page);
  assert.equal(seen.full, false, "drawn by the small module");

  await page.getByRole("link", { name: "Sessions" }).click();
  await page.getByRole("link", { name: "Library" }).click();
  await page.locator(".runbooks .card").first().waitFor();
  assert.equal(seen.full, true, "then by the web app");
  assert.equal(await pageOf(page), small);
  await search.fill("vpn");
  await page.getByTestId("library-count").filter({ hasText: "match" }).waitFor();
  assert.equal(await pageOf(page), smallSearched);
  assert.deepEqual(problems, []);
  await close();
});

/** Serves the index with its first runbook's title replaced, after `delay` ms. */
async function indexWithTitle(page, title, delay = 0) {
  await page.route("**/runbooks/index.json", async (route) => {
    const response = await route.fetch();
    const index = await response.json();
    index.runbooks[0].title = title;
    await new Promise((resolve) => setTimeout(resolve, delay));
    await route.fulfill({ response, body: JSON.stringify(index) });
  });
}

test("the library is drawn at once from the index last read, then from the server's", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.goto(env.server.url);
  const firstTitle = page.locator(".runbooks .card h2 a").first();
  const before = await firstTitle.textContent();
  // The server's index changes, and takes its time to arrive.
  await indexWithTitle(page, "Renamed on the server", 1500);
  const seen = modules(page);
  await page.reload();
  await firstTitle.filter({ hasText: before }).waitFor();
  assert.equal(await page.evaluate(() => performance.getEntriesByType("resource").some((e) => e.name.endsWith("index.json"))), false, "drawn before the server's index arrived");
  // A search typed meanwhile is kept when the page is drawn again.
  const search = page.getByLabel("Search title, category, tag or id");
  await search.fill("renamed");
  await page.getByTestId("library-count").filter({ hasText: /^0 of / }).waitFor();
  await page.locator(".runbooks .card h2 a", { hasText: "Renamed on the server" }).waitFor();
  assert.match(await page.getByTestId("library-count").textContent(), /^1 of \d+ runbooks match$/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "search");
  assert.equal(seen.full, false, "the files still match the index: no hand-over");
  // The next visit is drawn from the server's.
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem("stepwise.last-index")));
  assert.equal(kept.runbooks[0].title, "Renamed on the server");
  assert.deepEqual(problems, []);
  await close();
});

test("text from the index is shown as text, never run as markup", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const hostile = `<img src=x onerror="window.pwned = 1"><script>window.pwned = 2</script>"'&`;
  await indexWithTitle(page, hostile);
  const seen = modules(page);
  await page.goto(env.server.url);
  const title = page.locator(".runbooks .card h2 a").first();
  await title.waitFor();
  assert.equal(await title.textContent(), hostile);
  assert.equal(await page.locator("#app img, #app script").count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(seen.full, false, "drawn by the small module");
  assert.deepEqual(problems, []);
  await close();
});

test("a press on the library readies the web app before its click lands; typing a search does not", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.goto(env.server.url);
  const seen = modules(page);
  await page.locator(".runbooks .card").first().waitFor();
  await page.getByLabel("Search title, category, tag or id").pressSequentially("vpn");
  await page.getByTestId("library-count").filter({ hasText: "match" }).waitFor();
  await page.waitForLoadState("networkidle");
  assert.equal(seen.full, false, "a search stays on the small module");
  const link = page.locator(".runbooks .card h2 a", { hasText: /vpn/i });
  await link.hover();
  const wasm = page.waitForRequest((r) => /\/stepwise_bg\.[0-9a-f]{12}\.wasm$/.test(r.url()), { timeout: 10_000 });
  await page.mouse.down();
  await wasm;
  assert.equal(await page.locator(".runbooks .card").count(), 1, "still the small module's page while the button is down");
  await page.mouse.up();
  await page.waitForURL(SESSION_URL);
  await page.locator(".checklist input[type=checkbox]").first().check();
  await page.getByTestId("progress").filter({ hasText: /^1 of / }).waitFor();
  assert.deepEqual(problems, []);
  await close();
});
