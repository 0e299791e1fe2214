// A drill end to end, with Playwright's clock so nobody waits: two trainees run the phishing
// tabletop, injects arrive on the drill clock (and one from the trainer panel), one trainee
// answers an inject with the expected speed code, both export signed logs, and the trainer's
// debrief verifies them and shows both in its table and charts. Everything says DRILL.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";

import { SESSION_URL, openPage, setIdentity, setup } from "./harness.mjs";

const env = setup();
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = process.env.STEPWISE_BIN ?? join(ROOT, "target/debug/stepwise");
const START = new Date("2026-12-08T09:00:00Z");

async function trainee(name, email) {
  const t = await openPage(env.chrome.browser, env.server.url, { identity: false });
  await t.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(env.server.url).origin });
  await t.page.clock.install({ time: START });
  await setIdentity(t.page, env.server.url, name);
  await t.page.getByLabel("E-mail (optional)").fill(email);
  await t.page.getByRole("button", { name: "Save" }).click();
  t.line = (await t.page.getByTestId("allowed-signers-line").filter({ hasText: email }).textContent()).trim();
  return t;
}

/** Starts the phishing tabletop from the library page, as a trainee does. */
async function startDrill(page) {
  await page.goto(`${env.server.url}#/`);
  await page.getByTestId("drill-card").getByRole("link", { name: /Phishing tabletop/ }).click();
  await page.waitForURL(SESSION_URL);
  await page.getByTestId("briefing").getByText("Accounts Payable").waitFor();
  assert.match(await page.getByTestId("drill-banner").textContent(), /^DRILL — Phishing tabletop: the finance invoice\. A training exercise, not a live incident\.$/);
  assert.match(await page.getByTestId("drill-clock").textContent(), /briefing/);
  assert.equal(await page.locator(".checklist").count(), 0, "no checklist before the briefing ends");
  await page.getByRole("button", { name: "Start the drill" }).click();
  await page.locator(".checklist").waitFor();
  assert.equal(await page.getByLabel("Reporting user").inputValue(), "priya.shah@example.org", "presets are recorded");
  await page.getByTestId("priority-in-force").filter({ hasText: /^P2/ }).waitFor();
}

async function exportSigned(page) {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export signed log" }).click();
  const file = await download;
  return readFileSync(await file.path());
}

test("two trainees run a drill with injects, and the debrief compares their signed logs", async () => {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-drill-"));
  const alice = await trainee("Alice Adams", "alice@example.org");
  const bob = await trainee("Bob Brown", "bob@example.org");

  // Alice works quickly and answers the first inject with the expected speed code.
  await startDrill(alice.page);
  const a = alice.page;
  const boxes = a.locator(".checklist input[type=checkbox]");
  await boxes.nth(0).check();
  await boxes.nth(2).check();
  await a.getByTestId("progress").filter({ hasText: /^2 of / }).waitFor();
  await a.clock.fastForward("04:00");
  const inject = a.getByTestId("inject").filter({ hasText: "A second user reports the same email" });
  await inject.waitFor();
  assert.equal(await inject.getAttribute("role"), "alert", "injects are announced");
  assert.match(await a.getByTestId("drill-clock").textContent(), /Drill clock 4:0\d/);
  await inject.getByRole("button", { name: "Acknowledge" }).click();
  await inject.waitFor({ state: "detached" });
  await a.getByTestId("speed-codes").locator("summary").click();
  await a.locator(".speed-code", { hasText: "Acknowledgement to reporter" }).getByRole("button", { name: /^Copy/ }).click();
  // The trainer sends the sign-in alert early, from the trainer panel on the same screen.
  await a.getByTestId("trainer-panel").locator("summary").click();
  await a.getByRole("button", { name: "Deliver “Sign-in alert: Priya's account from an unfamiliar country” now" }).click();
  await a.getByTestId("inject").filter({ hasText: "Sign-in alert" }).getByRole("button", { name: "Acknowledge" }).click();
  await a.getByTestId("trainer-panel").getByText("delivered at 4:0", { exact: false }).first().waitFor();
  await a.getByRole("button", { name: "Pause the drill clock" }).click();
  await a.getByTestId("drill-clock").filter({ hasText: "(paused)" }).waitFor();
  await a.clock.fastForward("10:00");
  assert.equal(await a.getByTestId("inject").count(), 0, "nothing arrives while the drill clock is paused");
  await a.getByRole("button", { name: "Resume the drill clock" }).click();
  await a.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();
  const aliceLog = await exportSigned(a);
  assert.match(await a.getByTestId("ticket-note").textContent(), /^DRILL — training exercise, not a live incident/);

  // Bob is slow: the injects pile up and he answers none of them.
  await startDrill(bob.page);
  const b = bob.page;
  await b.locator(".checklist input[type=checkbox]").first().check();
  await b.clock.fastForward("21:00");
  await b.getByTestId("inject").filter({ hasText: "The CFO wants to know" }).waitFor();
  assert.equal(await b.getByTestId("inject").count(), 3, "three timed injects have arrived");
  await b.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();
  const bobLog = await exportSigned(b);
  await b.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" }).click();
  const card = b.locator("section[aria-label='In progress'] .card", { hasText: "Suspected phishing" });
  assert.match(await card.textContent(), /DRILL scenario phishing-tabletop: a training exercise/);

  // Both logs verify as drills with our CLI, and the report says DRILL.
  const signers = join(dir, "allowed_signers");
  writeFileSync(signers, `${alice.line}\n${bob.line}\n`);
  const files = [join(dir, "alice.stepwise.json"), join(dir, "bob.stepwise.json")];
  writeFileSync(files[0], aliceLog);
  writeFileSync(files[1], bobLog);
  const verify = spawnSync(BIN, ["verify", ...files, "--allowed-signers", signers], { encoding: "utf8" });
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  const header = JSON.parse(Buffer.from(JSON.parse(aliceLog).payload, "base64").toString().split("\n")[0]);
  assert.equal(header.mode, "drill");
  assert.equal(header.scenario.id, "phishing-tabletop");
  assert.match(header.scenario.sha256, /^[0-9a-f]{64}$/);
  const report = spawnSync(BIN, ["report", files[0], "--allowed-signers", signers], { encoding: "utf8" });
  assert.match(report.stdout, /^> \*\*DRILL — training exercise, not a live incident\*\*/);
  assert.match(report.stdout, /inject_delivered/);

  // The trainer's debrief: an altered log is left out with its reason, both trainees scored.
  const altered = JSON.parse(bobLog);
  altered.payload = Buffer.from(Buffer.from(altered.payload, "base64").toString().replace('"type":"header"', '"type":"header" ')).toString("base64");
  const bad = join(dir, "altered.stepwise.json");
  writeFileSync(bad, JSON.stringify(altered));
  // Its drills are held back until the logs are dropped: the page waits for them and then
  // scores, rather than turning the logs away as "not in the library".
  const trainer = await openPage(env.chrome.browser, env.server.url, { identity: false });
  const t = trainer.page;
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await t.route("**/runbooks/drills/*.yaml", async (route) => {
    await released;
    await route.continue();
  });
  await t.goto(`${env.server.url}#/debrief`);
  await t.getByLabel("Choose trainees' signed logs").setInputFiles([...files, bad, signers]);
  await t.getByTestId("waiting").filter({ hasText: "Waiting for the library's drills to load" }).waitFor();
  assert.equal(await t.getByTestId("admission").count(), 0, "nothing is judged before the drills have loaded");
  release();
  const summary = t.getByTestId("debrief-summary");
  await summary.waitFor();
  assert.equal(await t.getByTestId("waiting").count(), 0);
  const admissions = await t.getByTestId("admission").allTextContents();
  assert.equal(admissions.length, 3, admissions.join("\n"));
  assert.match(admissions[2], /^Left out: altered\.stepwise\.json.*record 1: the chain is broken/);
  const rows = await summary.locator("tbody tr").allTextContents();
  assert.equal(rows.length, 2, rows.join("\n"));
  assert.match(rows[0], /^Alice Adamsalice@example\.org\d+/);
  assert.match(rows[1], /^Bob Brownbob@example\.org\d+/);
  const score = async (name) => Number(await summary.locator("tr", { hasText: name }).locator("td.score").textContent());
  assert.ok((await score("Alice Adams")) > (await score("Bob Brown")), "the faster, responsive trainee scores higher");
  for (const chart of ["score-chart", "timeline-chart"]) {
    const text = await t.getByTestId(chart).textContent();
    assert.match(text, /Alice Adams/, `${chart} shows Alice`);
    assert.match(text, /Bob Brown/, `${chart} shows Bob`);
  }
  assert.ok(await t.getByTestId("timeline-chart").locator("polygon.inject").count() >= 4, "injects are marked on the timeline");
  const alicePart = t.getByTestId("trainee").filter({ hasText: "Alice Adams" });
  assert.match(await alicePart.textContent(), /A second user reports the same email/);
  const csv = t.waitForEvent("download");
  await t.getByRole("button", { name: "Save debrief (CSV)" }).click();
  const text = readFileSync(await (await csv).path(), "utf8");
  assert.match(text, /^trainee,signed_by,section,/);
  assert.match(text, /\r\nAlice Adams,alice@example\.org,inject,second-reporter,/);
  assert.match(text, /\r\nBob Brown,bob@example\.org,total,/);
  const html = t.waitForEvent("download");
  await t.getByRole("button", { name: "Save debrief (HTML, printable)" }).click();
  const page = readFileSync(await (await html).path(), "utf8");
  assert.match(page, /DRILL — training exercise, not a live incident/);
  assert.equal((page.match(/<svg class="chart"/g) ?? []).length, 2);

  for (const p of [alice, bob, trainer]) {
    assert.deepEqual(p.problems, []);
    await p.close();
  }
});
