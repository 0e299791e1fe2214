// Opening a runbook from disk: a good file runs, a broken one shows the linter's positions,
// and a hostile one renders inert.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { SESSION_URL, openPage, setup } from "./harness.mjs";

const HOSTILE = new URL("../fixtures/hostile/injection.yaml", import.meta.url);
const GOOD = new URL("../../runbooks/printer-peripheral-request.yaml", import.meta.url);

const env = setup();

async function pick(page, name, buffer) {
  await page.goto(env.server.url);
  await page.locator(".runbooks .card").first().waitFor();
  await page.getByLabel("Choose a runbook file (YAML or JSON)").setInputFiles({ name, mimeType: "text/yaml", buffer });
}

test("a good file from disk runs without joining the library", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const source = readFileSync(GOOD, "utf8").replace("id: printer-peripheral-request", "id: my-draft");
  await pick(page, "my-draft.yaml", Buffer.from(source));
  await page.waitForURL(SESSION_URL);
  await page.getByText("Opened from a file: this runbook is not in the library.").waitFor();
  await page.locator(".checklist input[type=checkbox]").first().check();
  await page.getByTestId("progress").filter({ hasText: /^1 of / }).waitFor();
  await page.goto(env.server.url);
  await page.locator(".runbooks .card").first().waitFor();
  assert.equal(await page.locator(".card", { hasText: "my-draft" }).count(), 0);
  assert.deepEqual(problems, []);
  await close();
});

test("a broken file shows every problem with its line and column, as the CLI does", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const broken = [
    "id: draft",
    "title: Draft",
    'version: "1"',
    "kind: incident",
    "steps:",
    "  - id: a",
    "    title: A",
    "    next: nowhere",
    "    estimate: soon",
    "  - id: a",
    "    title: Again",
    "",
  ].join("\n");
  await pick(page, "draft.yaml", Buffer.from(broken));
  const report = page.getByTestId("open-problems");
  await report.waitFor();
  const text = await report.textContent();
  assert.match(text, /draft\.yaml:8:11: error: step `a`: `next` names unknown step `nowhere`/);
  assert.match(text, /draft\.yaml:9:15: error: step `a`: estimate `soon` is not a duration/);
  assert.match(text, /draft\.yaml:10:9: error: duplicate step id `a`/);
  assert.match(page.url(), /#\/$/, "a broken file does not open");

  await page.getByLabel("Choose a runbook file (YAML or JSON)").setInputFiles({
    name: "syntax.yaml",
    mimeType: "text/yaml",
    buffer: Buffer.from("id: x\ntitle: [unclosed\n"),
  });
  await report.filter({ hasText: "syntax.yaml:2:8:" }).waitFor();
  assert.deepEqual(problems, []);
  await close();
});

test("a file can be dropped onto the page", async () => {
  const { page, close } = await openPage(env.chrome.browser, env.server.url);
  await page.goto(env.server.url);
  await page.locator(".runbooks .card").first().waitFor();
  const source = readFileSync(GOOD, "utf8").replace("id: printer-peripheral-request", "id: dropped");
  const transfer = await page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], "dropped.yaml", { type: "text/yaml" }));
    return data;
  }, source);
  await page.getByTestId("file-drop").dispatchEvent("drop", { dataTransfer: transfer });
  await page.waitForURL(SESSION_URL);
  await close();
});

test("script, event handlers, SVG and javascript: links in a runbook render inert", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const dialogs = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await pick(page, "injection.yaml", readFileSync(HOSTILE));
  await page.waitForURL(SESSION_URL);
  await page.getByTestId("progress").waitFor();

  const app = page.locator("#app");
  // Markup arrived as text: visible, and no element was made from it.
  assert.match(await app.textContent(), /<script>window.__pwned = 'title'<\/script>Hostile <b>title<\/b>/);
  for (const selector of ["script", "img", "svg", "iframe", "[onerror]", "[onload]", "[onclick]", "a[href^='javascript']", "a[href^='data']"]) {
    assert.equal(await app.locator(selector).count(), 0, `${selector} must not exist in the app`);
  }
  // Unsafe links keep their words and lose their target; the link text can be clicked safely.
  await app.getByText("click me").click();
  await page.getByRole("button", { name: /Go on/ }).first().click();
  await page.getByRole("button", { name: "Next step →" }).click();
  await page.locator(".step-position", { hasText: /^Step 2 of/ }).waitFor();

  assert.equal(await page.evaluate(() => window.__pwned), undefined, "no injected script ran");
  assert.deepEqual(dialogs, []);
  assert.match(page.url(), SESSION_URL, "no navigation happened");
  assert.deepEqual(problems, []);
  await close();
});
