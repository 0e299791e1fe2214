// A technician's first walk through the app, in a real browser against the built dist/.
import assert from "node:assert/strict";
import { test } from "node:test";

import { SESSION_URL, openPage, setup } from "./harness.mjs";

const env = setup();

test("the library lists the runbooks and filters as you type", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.goto(env.server.url);
  const cards = page.locator(".runbooks .card");
  await cards.first().waitFor();
  const total = await cards.count();
  assert.ok(total >= 3, `expected at least 3 runbooks, saw ${total}`);
  await page.getByLabel("Search title, category, tag or id").fill("phishing");
  await page.getByTestId("library-count").filter({ hasText: "match" }).waitFor();
  assert.equal(await cards.count(), 1);
  assert.match(await cards.first().textContent(), /phishing/i);
  await page.getByLabel("Search title, category, tag or id").fill("no runbook says this");
  await page.getByTestId("library-count").filter({ hasText: `0 of ${total}` }).waitFor();
  assert.deepEqual(problems, []);
  await close();
});

test("open a runbook, check an item, and the progress indicator moves", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.goto(env.server.url);
  await page.locator(".runbooks .card h2 a", { hasText: /vpn/i }).click();
  await page.waitForURL(SESSION_URL);
  const progress = page.getByTestId("progress");
  await progress.waitFor();
  const before = await progress.textContent();
  assert.match(before, /^0 of \d+ items done \(0%\)$/);

  const first = page.locator(".checklist input[type=checkbox]").first();
  await first.check();
  await page.getByTestId("progress").filter({ hasText: /^1 of / }).waitFor();
  assert.notEqual(await progress.textContent(), before);

  // Unchecking is an action too, and the count follows it.
  await first.uncheck();
  await page.getByTestId("progress").filter({ hasText: /^0 of / }).waitFor();
  await first.check();

  // Next and previous step, by button and by keyboard.
  const title = page.locator("#step-title");
  const firstTitle = await title.textContent();
  await page.getByRole("button", { name: "Next step →" }).click();
  await page.locator(".step-position", { hasText: /^Step 2 of/ }).waitFor();
  assert.notEqual(await title.textContent(), firstTitle);
  await page.keyboard.press("[");
  await page.locator(".step-position", { hasText: /^Step 1 of/ }).waitFor();
  assert.equal(await title.textContent(), firstTitle);
  assert.equal(await first.isChecked(), true, "the check survives moving between steps");
  await page.keyboard.press("]");
  await page.locator(".step-position", { hasText: /^Step 2 of/ }).waitFor();

  assert.deepEqual(problems, []);
  await close();
});

test("a runbook that fails to parse is listed as broken and the others still open", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  // Serve an index that names one more runbook, whose file is not valid YAML for the format.
  await page.route("**/runbooks/index.json", async (route) => {
    const response = await route.fetch();
    const index = await response.json();
    index.runbooks.push({ ...index.runbooks[0], id: "broken", file: "broken.yaml", title: "Broken fixture" });
    await route.fulfill({ response, json: index });
  });
  await page.route("**/runbooks/broken.yaml", (route) =>
    route.fulfill({ contentType: "text/yaml", body: "id: broken\ntitle: Broken\nversion: '1'\nkind: outage\nsteps: []\n" }),
  );
  await page.goto(env.server.url);
  const broken = page.locator(".card.broken");
  await broken.waitFor();
  assert.match(await broken.textContent(), /broken\.yaml:4:7: unknown variant `outage`/);
  assert.equal(await broken.locator("a").count(), 0, "a broken runbook offers no link");

  await page.locator(".card:not(.broken) h2 a").first().click();
  await page.getByTestId("progress").waitFor();
  assert.deepEqual(problems, []);
  await close();
});

test("an unknown route and an unknown runbook say so", async () => {
  const { page, close } = await openPage(env.chrome.browser, env.server.url);
  await page.goto(`${env.server.url}#/run/no-such-runbook`);
  await page.getByRole("heading", { name: "No such runbook" }).waitFor();
  await page.goto(`${env.server.url}#/nowhere`);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  await close();
});

test("keyboard only: items, toggling, skipping with a reason, notes, steps and the shortcut list", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.goto(`${env.server.url}#/run/password-mfa-reset`);
  await page.waitForURL(SESSION_URL);
  const progress = page.getByTestId("progress");
  await progress.waitFor();
  const boxes = page.locator(".checklist input[type=checkbox]");

  await page.keyboard.press("j");
  assert.equal(await boxes.nth(0).evaluate((el) => el === document.activeElement), true, "j focuses the first item");
  await page.keyboard.press("x");
  await progress.filter({ hasText: /^1 of / }).waitFor();
  await page.keyboard.press("j");
  assert.equal(await boxes.nth(1).evaluate((el) => el === document.activeElement), true, "j moves to the next item");
  await page.keyboard.press("k");
  await page.keyboard.press("x");
  await progress.filter({ hasText: /^0 of / }).waitFor();

  // The second item is optional (nothing to skip); the third is required.
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("s");
  const reason = page.getByLabel("Why is this item skipped? (recorded for the audit)");
  await reason.waitFor();
  assert.equal(await reason.evaluate((el) => el === document.activeElement), true, "s puts the cursor in the reason");
  await page.keyboard.type("Caller verified in person at the desk");
  await page.keyboard.press("Enter");
  await page.locator(".skip-reason", { hasText: "Skipped: Caller verified in person at the desk" }).waitFor();

  await page.locator("#step-title").focus();
  await page.keyboard.press("n");
  assert.equal(await page.getByLabel("Add a note to this step").evaluate((el) => el === document.activeElement), true);
  await page.keyboard.type("no shortcut fires while typing: j k x s ]");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.locator(".notes li", { hasText: "no shortcut fires while typing" }).waitFor();
  await page.locator(".step-position", { hasText: /^Step 1 of/ }).waitFor();

  await page.locator("#step-title").focus();
  await page.keyboard.press("?");
  await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
  await page.keyboard.press("Escape");
  assert.equal(await page.getByTestId("shortcuts").count(), 0);
  assert.deepEqual(problems, []);
  await close();
});
