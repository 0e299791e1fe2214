// Speed codes: filled from the session, missing values shown as such, copied in one click and
// recorded.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { SESSION_URL, openPage, setup } from "./harness.mjs";

const env = setup();

test("a speed code is filled, copied to the clipboard and recorded", async () => {
  const { page, context, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(env.server.url).origin });
  await page.goto(`${env.server.url}#/run/password-mfa-reset`);
  await page.waitForURL(SESSION_URL);
  await page.getByTestId("speed-codes").locator("summary").click();
  const code = page.locator(".speed-code", { hasText: "Acknowledgement to customer" });
  const text = await code.locator("pre").textContent();
  assert.match(text, /Your request \[ticket not set\] is logged/);
  assert.match(text, /Test Technician, Service Desk/);
  assert.match(await code.getByRole("note").textContent(), /Not set yet: ticket/);

  await code.getByRole("button", { name: /^Copy/ }).click();
  await page.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Hand over to a colleague (save file)" }).click();
  const log = JSON.parse(readFileSync(await (await download).path(), "utf8")).log.trimEnd().split("\n");
  const last = JSON.parse(log.at(-1));
  assert.deepEqual([last.type, last.code, last.actor.name], ["speed_code_copied", "acknowledge", "Test Technician"]);
  assert.deepEqual(problems, []);
  await close();
});
