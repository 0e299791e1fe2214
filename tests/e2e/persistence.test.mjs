// Nothing acknowledged is lost: reloads, closed tabs and full storage, in a real browser.
import assert from "node:assert/strict";
import { test } from "node:test";

import { SESSION_URL, openPage, setup } from "./harness.mjs";

const env = setup();

/** Starts the VPN runbook and checks its first two items; resolves once they are stored. */
async function startAndCheck(page) {
  await page.goto(`${env.server.url}#/run/vpn-not-connecting`);
  await page.waitForURL(SESSION_URL);
  const boxes = page.locator(".checklist input[type=checkbox]");
  await boxes.nth(0).check();
  await page.getByTestId("progress").filter({ hasText: /^1 of / }).waitFor();
  await boxes.nth(1).check();
  await page.getByTestId("progress").filter({ hasText: /^2 of / }).waitFor();
  await page.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();
  assert.equal(await page.locator(".item-saving").count(), 0, "no item waits for storage once all is saved");
  return page.url();
}

async function snapshot(page) {
  await page.getByTestId("progress").waitFor();
  return {
    progress: await page.getByTestId("progress").textContent(),
    checked: await page.locator(".checklist input[type=checkbox]").evaluateAll((els) => els.map((e) => e.checked)),
    step: await page.locator("#step-title").textContent(),
  };
}

test("checked items and saved inputs survive a reload exactly", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const url = await startAndCheck(page);
  // Saved inputs come back in their fields (regression: yew's `defaultvalue` is inert on
  // <input>, so saved values used to show as empty fields after a reload).
  const host = page.getByLabel("Device hostname");
  await host.fill("LT-0042");
  await host.press("Enter");
  await page.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();
  await page.getByRole("button", { name: "Next step →" }).click();
  await page.locator(".step-position", { hasText: /^Step 2 of/ }).waitFor();
  await page.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();
  const before = await snapshot(page);
  await page.reload();
  assert.equal(page.url(), url);
  assert.deepEqual(await snapshot(page), before);
  assert.equal(await host.inputValue(), "LT-0042");
  assert.equal(await page.getByLabel("User (UPN)").inputValue(), "", "an input never set stays empty");
  assert.deepEqual(problems, []);
  await close();
});

test("a tab closed mid-run resumes in a new one, and the sessions page lists it", async () => {
  const { page, context, problems } = await openPage(env.chrome.browser, env.server.url);
  const url = await startAndCheck(page);
  const before = await snapshot(page);
  await page.close({ runBeforeUnload: false });

  const again = await context.newPage();
  await again.goto(`${env.server.url}#/sessions`);
  const entry = again.locator("section[aria-label='In progress'] .card", { hasText: "VPN not connecting" });
  await entry.waitFor();
  assert.match(await entry.textContent(), /2 of \d+ items/);
  await entry.getByRole("link").click();
  await again.waitForURL(url);
  assert.deepEqual(await snapshot(again), before);
  assert.deepEqual(problems, []);
  await context.close();
});

test("when storage is full the technician sees it at once and can export the log", async () => {
  const { page, close } = await openPage(env.chrome.browser, env.server.url);
  await page.addInitScript(() => {
    const budget = { left: Infinity };
    window.__storageBudget = budget;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      const size = typeof value === "string" ? value.length * 2 : 64;
      if (size > budget.left) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      budget.left -= size;
      return put.call(this, value, key);
    };
  });
  await page.reload();
  await startAndCheck(page);
  // Chromium gives a test profile gigabytes and compresses what it stores, so a real disk
  // cannot be filled here in reasonable time. Instead this page's IndexedDB gets a small
  // byte budget (an init script counts what `put` stores and throws the browser's own
  // QuotaExceededError past it), and the test fills that budget with junk first, exactly as
  // other data filling the profile would.
  const filled = await page.evaluate(async () => {
    window.__storageBudget.left = 256 * 1024;
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open("filler", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("junk");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (let i = 0; i < 1000; i++) {
      try {
        db.transaction("junk", "readwrite").objectStore("junk").put("x".repeat(16 * 1024), i);
      } catch (e) {
        return e.name === "QuotaExceededError" ? i : -1;
      }
    }
    return -1;
  });
  assert.ok(filled >= 0, "storage filled up");

  await page.locator(".checklist input[type=checkbox]").nth(3).check();
  const banner = page.getByTestId("storage-banner");
  await banner.waitFor();
  assert.match(await banner.textContent(), /storage is full/);
  assert.equal(await page.getByTestId("saving").textContent(), "Not saved");
  // The work goes on in memory, and the item says it is not saved.
  await page.getByTestId("progress").filter({ hasText: /^3 of / }).waitFor();
  assert.equal(await page.locator(".item-saving").textContent(), " (not saved)");

  const download = page.waitForEvent("download");
  await banner.getByRole("button", { name: "Export the log now" }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /^stepwise-[0-9a-f-]{36}\.jsonl$/);
  const path = await file.path();
  const { readFileSync } = await import("node:fs");
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  assert.equal(lines.length, 4, "header and three checks, including the one storage refused");
  assert.match(lines[0], /"type":"header"/);
  assert.match(lines[3], /"type":"item_checked"/);
  assert.match(lines[3], /"actor":\{"name":"Test Technician"\}/);
  await close();
});

/** Two tabs of one session: one writes, the other is read-only until it takes over. */
async function neverForks(first, context, problems) {
  const url = await startAndCheck(first);
  const second = await context.newPage();
  await second.goto(url);
  const readOnly = second.getByTestId("read-only");
  await readOnly.waitFor();
  assert.equal(await second.locator(".checklist input[type=checkbox]").first().isDisabled(), true);

  // The first tab goes on writing.
  await first.locator(".checklist input[type=checkbox]").nth(3).check();
  await first.getByTestId("progress").filter({ hasText: /^3 of / }).waitFor();
  await first.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();

  // Taking over replays what the first tab wrote, and turns the first tab read-only.
  await readOnly.getByRole("button", { name: "Take over here" }).click();
  await second.getByTestId("progress").filter({ hasText: /^3 of / }).waitFor();
  await first.getByTestId("read-only").waitFor();
  await second.locator(".checklist input[type=checkbox]").nth(4).check();
  await second.getByTestId("progress").filter({ hasText: /^4 of / }).waitFor();
  await second.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();
  assert.equal(await first.locator(".checklist input[type=checkbox]").nth(4).isDisabled(), true);

  // One chain: a fresh tab replays every record from both tabs without a break.
  await first.close();
  await second.close();
  const third = await context.newPage();
  await third.goto(url);
  await third.getByTestId("progress").filter({ hasText: /^4 of / }).waitFor();
  assert.equal(await third.getByTestId("read-only").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
}

test("the same session in two tabs never forks (Web Locks)", async () => {
  const { page, context, problems } = await openPage(env.chrome.browser, env.server.url);
  await neverForks(page, context, problems);
});

test("the same session in two tabs never forks over plain HTTP, without Web Locks", async () => {
  const { page, context, problems } = await openPage(env.chrome.browser, env.server.url);
  // As on an intranet served over http://, where browsers offer no navigator.locks.
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined });
  });
  await page.reload();
  assert.equal(await page.evaluate(() => navigator.locks), undefined);
  await neverForks(page, context, problems);
});

test("discarding a session asks why and records it; nothing is deleted", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const url = await startAndCheck(page);
  const id = url.split("/").pop();
  await page.goto(`${env.server.url}#/sessions`);
  const entry = page.locator("section[aria-label='In progress'] .card", { hasText: "VPN not connecting" });
  await entry.getByRole("button", { name: "Discard…" }).click();
  await entry.getByLabel("Why is this session discarded? (recorded)").fill("Opened by mistake");
  await entry.getByRole("button", { name: "Discard session" }).click();
  await page.waitForURL(`${env.server.url}#/session/${id}`);
  await page.getByTestId("status").filter({ hasText: "Abandoned: Discarded: Opened by mistake" }).waitFor();
  await page.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();
  await page.goto(`${env.server.url}#/sessions`);
  await page.locator("section[aria-label='Abandoned'] .card", { hasText: "VPN not connecting" }).waitFor();
  assert.deepEqual(problems, []);
  await close();
});
