// Walking a branching runbook: decisions and inputs choose the path, evidence and skips
// decide what counts, and a session completes only when the path is settled.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { SESSION_URL, openPage, setup } from "./harness.mjs";

const BRANCHING = new URL("../fixtures/e2e/branching.yaml", import.meta.url);

const env = setup();

const stepTitles = (page) => page.locator(".steps .step-title").allTextContents();

test("decide, answer evidence, skip with a reason, and complete", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.goto(env.server.url);
  await page.locator(".runbooks .card").first().waitFor();
  await page.getByLabel("Choose a runbook file (YAML or JSON)").setInputFiles({
    name: "branching.yaml",
    mimeType: "text/yaml",
    buffer: readFileSync(BRANCHING),
  });
  await page.waitForURL(SESSION_URL);
  const progress = page.getByTestId("progress");
  await progress.waitFor();
  assert.deepEqual(await stepTitles(page), ["Triage"], "the path stops at the undecided decision");

  await page.getByLabel("Look at it").check();
  await page.getByLabel("Record the error").check();
  await progress.filter({ hasText: /^1 of 2 items/ }).waitFor();
  await page.getByLabel("Evidence: Paste the error message").fill("VPN error 809");
  await page.getByRole("button", { name: "Save evidence" }).click();
  await progress.filter({ hasText: /^2 of 2 items/ }).waitFor();

  await page.getByRole("button", { name: "Escalate" }).click();
  await page.locator(".steps .step-title", { hasText: "Close" }).waitFor();
  assert.deepEqual(await stepTitles(page), ["Triage", "Escalate", "Close"]);
  await page.getByLabel("Site", { exact: true }).selectOption("Leeds");
  await page.locator(".steps .step-title", { hasText: "Walk to the Leeds desk" }).waitFor();
  assert.deepEqual(await stepTitles(page), ["Triage", "Escalate", "Walk to the Leeds desk", "Close"]);

  await page.getByRole("button", { name: "Next step →" }).click();
  await page.locator("#step-title", { hasText: "Escalate" }).waitFor();
  await page.getByRole("button", { name: "Skip…" }).click();
  await page.getByLabel("Why is this item skipped? (recorded for the audit)").fill("Second line on strike; agreed with the duty manager");
  await page.getByRole("button", { name: "Skip item" }).click();
  await page.locator(".skip-reason", { hasText: "Skipped: Second line on strike; agreed with the duty manager" }).waitFor();
  await page.getByTestId("deviations").locator("summary").click();
  await page.getByTestId("deviations").getByText("skipped: Second line on strike").waitFor();
  assert.match(await page.getByTestId("deviations").textContent(), /`call` in `escalate` skipped: Second line on strike/);

  await page.keyboard.press("]");
  await page.locator("#step-title", { hasText: "Walk to the Leeds desk" }).waitFor();
  await page.getByLabel("Visit the user").check();
  await page.keyboard.press("]");
  await page.locator("#step-title", { hasText: "Close" }).waitFor();

  const complete = page.getByRole("button", { name: "Complete session" });
  assert.equal(await complete.isDisabled(), true, "an open required item blocks completion");
  await page.getByLabel("Add a note to this step").fill("User confirmed by phone at 14:10");
  await page.getByRole("button", { name: "Add note" }).click();
  await page.locator(".notes li", { hasText: "User confirmed by phone" }).waitFor();
  await page.getByLabel("Confirm with the user").check();
  await page.getByLabel("Summary for the ticket").fill("Escalated; user visited and confirmed working");
  await complete.click();
  await page.getByTestId("status").filter({ hasText: "Completed (resolved): Escalated; user visited" }).waitFor();
  assert.equal(await page.getByLabel("Send the survey").isDisabled(), true, "a completed session is read-only");
  assert.deepEqual(problems, []);
  await close();
});
