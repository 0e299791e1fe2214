// Priority on the run page and the SLA clocks: set, changed with a reason, paused while
// waiting on the customer, and a breach recorded as it happens (with Playwright's clock).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { SESSION_URL, openPage, setup } from "./harness.mjs";

const env = setup();

async function log(page) {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Hand over to a colleague (save file)" }).click();
  const text = readFileSync(await (await download).path(), "utf8");
  return JSON.parse(text).log.trimEnd().split("\n").map((line) => JSON.parse(line));
}

test("priority is confirmed, changed with a reason, and the clocks follow the records", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.clock.install({ time: new Date("2026-12-07T09:00:00Z") });
  await page.goto(`${env.server.url}#/run/vpn-not-connecting`);
  await page.waitForURL(SESSION_URL);
  const inForce = page.getByTestId("priority-in-force");
  await inForce.filter({ hasText: "No Priority yet" }).waitFor();

  await page.getByLabel("Impact", { exact: true }).selectOption({ label: "High" });
  await page.getByLabel("Urgency", { exact: true }).selectOption({ label: "High" });
  await page.getByRole("button", { name: "Confirm priority" }).click();
  await inForce.filter({ hasText: "P1 Critical" }).waitFor();
  assert.match(await page.getByTestId("clock-response").textContent(), /due 2026-12-07 09:15 UTC \(in 1[45] min\) — on track/);
  assert.match(await page.getByTestId("clock-resolution").textContent(), /due 2026-12-07 13:00 UTC/);

  // Changing it needs a reason.
  await page.getByLabel("Urgency", { exact: true }).selectOption({ label: "Medium" });
  await page.getByRole("button", { name: "Change priority" }).click();
  await page.getByRole("alert").filter({ hasText: "a reason for changing the Priority is required" }).waitFor();
  await page.getByLabel("Urgency", { exact: true }).selectOption({ label: "Medium" });
  await page.getByLabel("Reason for the change").fill("Workaround: users can use the office network");
  await page.getByRole("button", { name: "Change priority" }).click();
  await inForce.filter({ hasText: "P2 High" }).waitFor();

  // 40 minutes pass without a response: the response target (30 min) is breached, once.
  await page.clock.fastForward("40:00");
  await page.getByTestId("clock-response").filter({ hasText: "BREACHED" }).waitFor();
  await page.getByRole("button", { name: "Mark first response given" }).click();
  await page.getByTestId("clock-response").filter({ hasText: "met late" }).waitFor();

  // Waiting on the customer stops the resolution clock.
  await page.getByRole("button", { name: "Waiting on customer (pause clock)" }).click();
  await page.getByTestId("clock-resolution").filter({ hasText: "paused" }).waitFor();
  await page.clock.fastForward("01:00:00");
  await page.getByRole("button", { name: "Resume clock" }).click();
  await page.getByTestId("clock-resolution").filter({ hasText: "due 2026-12-07 18:00 UTC" }).waitFor();
  await page.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();

  const records = await log(page);
  const types = records.map((r) => r.type);
  assert.deepEqual(
    types.filter((t) => ["priority_set", "sla_breached", "responded", "sla_paused", "sla_resumed"].includes(t)),
    ["priority_set", "priority_set", "sla_breached", "responded", "sla_paused", "sla_resumed"],
  );
  const [first, second] = records.filter((r) => r.type === "priority_set");
  assert.deepEqual([first.priority, second.priority, second.reason], ["P1", "P2", "Workaround: users can use the office network"]);
  assert.equal(first.matrix, records[0].priority_matrix, "the header names the matrix every priority came from");
  assert.equal(records.find((r) => r.type === "sla_breached").target, "response");

  // Time worked, for the PSA: stretches between records, one row each.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export time entries (CSV)" }).click();
  const csv = readFileSync(await (await download).path(), "utf8").split("\r\n");
  assert.equal(csv[0], "date,start,end,minutes,technician,ticket,runbook,summary");
  assert.match(csv[1], /^2026-12-07,09:00,09:00,1,Test Technician,,VPN not connecting v1\.0\.0,$/);
  assert.ok(csv.filter((row) => row.includes("Test Technician")).length >= 2, "the idle hour splits the work");

  // The library's matrix changes; this session keeps the matrix its header names.
  await page.route("**/runbooks/priority.yaml", async (route) => {
    const response = await route.fetch();
    const text = (await response.text()).replace("response: 30m, resolution: 8h", "response: 1h, resolution: 12h");
    await route.fulfill({ response, body: text });
  });
  await page.reload();
  await inForce.filter({ hasText: "P2 High" }).waitFor();
  assert.match(await page.getByTestId("clock-resolution").textContent(), /due 2026-12-07 18:00 UTC/);
  assert.deepEqual(problems, []);
  await close();
});

test("the SLA strip is on every page of a running session, and a breach is recorded on any page", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.clock.install({ time: new Date("2026-12-07T09:00:00Z") });
  await page.goto(`${env.server.url}#/run/vpn-not-connecting`);
  await page.waitForURL(SESSION_URL);
  const sessionUrl = page.url();
  const strip = page.getByTestId("session-clock");
  await strip.getByTestId("strip-priority").filter({ hasText: "No Priority yet" }).waitFor();
  await page.getByLabel("Impact", { exact: true }).selectOption({ label: "High" });
  await page.getByLabel("Urgency", { exact: true }).selectOption({ label: "High" });
  await page.getByRole("button", { name: "Confirm priority" }).click();
  await strip.getByTestId("strip-priority").filter({ hasText: "P1 Critical" }).waitFor();
  assert.equal(await strip.getByRole("link", { name: "Back to the session" }).count(), 0, "no link back on the session itself");

  // Away from the run page (in-app navigation: the session stays open), the strip stays.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" }).click();
  await page.getByRole("heading", { name: "Sessions" }).waitFor();
  assert.match(await strip.getByTestId("strip-response").textContent(), /^First response 1[45] min left — on track$/);
  assert.match(await strip.getByTestId("strip-resolution").textContent(), /^Resolution (3 h 59|4 h 00) min left — on track$/);
  await page.clock.fastForward("12:00");
  await strip.getByTestId("strip-response").filter({ hasText: "over 75% used" }).waitFor();
  assert.match(await strip.getByTestId("strip-response").getAttribute("class"), /\bwarning\b/);

  // The response target passes while the technician is on the library page: recorded there.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Library" }).click();
  await page.clock.fastForward("05:00");
  await strip.getByTestId("strip-response").filter({ hasText: /over — BREACHED$/ }).waitFor();
  await page.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();
  await strip.getByRole("link", { name: "Back to the session" }).click();
  assert.equal(page.url(), sessionUrl);
  await page.getByTestId("clock-response").filter({ hasText: "BREACHED" }).waitFor();
  const breaches = (await log(page)).filter((r) => r.type === "sla_breached");
  assert.deepEqual(breaches.map((r) => r.target), ["response"], "recorded once, while away");
  assert.equal(breaches[0].ts.slice(0, 16), "2026-12-07T09:17");

  assert.deepEqual(problems, []);
  await close();
});
