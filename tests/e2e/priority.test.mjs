// The priority calculator decides from the matrix in runbooks/priority.yaml.
import assert from "node:assert/strict";
import { test } from "node:test";

import { openPage, setup } from "./harness.mjs";

const env = setup();

test("impact and urgency give the matrix's priority and targets", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.goto(`${env.server.url}#/priority`);
  const result = page.getByTestId("priority");
  await result.filter({ hasText: "Choose Impact and Urgency." }).waitFor();
  for (const [impact, urgency, want] of [
    ["High", "High", "P1 Critical"],
    ["High", "Low", "P3 Medium"],
    ["Medium", "Medium", "P3 Medium"],
    ["Low", "Medium", "P4 Low"],
    ["Low", "Low", "P5 Planning"],
  ]) {
    await page.getByLabel("Impact").selectOption({ label: impact });
    await page.getByLabel("Urgency").selectOption({ label: urgency });
    await result.locator(".priority-badge", { hasText: want }).waitFor();
  }
  await page.getByLabel("Impact").selectOption({ label: "High" });
  await page.getByLabel("Urgency").selectOption({ label: "High" });
  assert.match(await result.textContent(), /Respond within 15m, resolve within 4h \(24x7 calendar\)/);
  assert.deepEqual(problems, []);
  await close();
});
