// Hostile input in the browser: every file of tests/fixtures/hostile/, and the ones too big
// to commit, picked as "open a runbook from a file": refused with the message its first line
// names (the same as `stepwise lint`), or opened and rendered inert. A genuinely signed log
// full of markup and bidirectional overrides is judged valid on #/verify and shown inert.
// Throughout: no dialog opens, no navigation happens, no injected script runs.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";

import { SESSION_URL, openPage, setup } from "./harness.mjs";

const env = setup();
const ROOT = resolve(import.meta.dirname, "../..");
const HOSTILE = join(ROOT, "tests/fixtures/hostile");
const EVIDENCE = join(ROOT, "tests/fixtures/evidence");
const HEAD = 'id: hostile\ntitle: Hostile\nversion: "1"\nkind: incident\n';

function cases() {
  const files = readdirSync(HOSTILE)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((name) => {
      const buffer = readFileSync(join(HOSTILE, name));
      const want = buffer.toString("utf8").split("\n")[0].replace("# hostile: ", "");
      return { name, buffer, want };
    });
  const steps = (n) => HEAD + "steps:\n" + Array.from({ length: n }, (_, i) => `  - {id: s${i}, title: S}\n`).join("");
  const tenMb = Buffer.from(HEAD + `summary: "${"x".repeat(10 * 1024 * 1024)}"\n`);
  files.push({ name: "ten-mb.yaml", buffer: tenMb, want: `1:1: error: file is ${tenMb.length} bytes, over the limit of 1048576 bytes` });
  files.push({ name: "too-many-steps.yaml", buffer: Buffer.from(steps(1001)), want: "5:1: error: 1001 steps, over the limit of 1000" });
  return files;
}

async function guard(page) {
  const seen = { dialogs: [], navigations: 0 };
  page.on("dialog", async (dialog) => {
    seen.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return seen;
}

test("every hostile runbook is refused naming its limit, or opens inert", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const seen = await guard(page);
  for (const { name, buffer, want } of cases()) {
    await page.goto(env.server.url);
    await page.locator(".runbooks .card").first().waitFor();
    await page.getByLabel("Choose a runbook file (YAML or JSON)").setInputFiles({ name, mimeType: "text/yaml", buffer });
    if (want === "inert") {
      await page.waitForURL(SESSION_URL, { timeout: 10000 });
      await page.getByTestId("progress").waitFor();
      const app = page.locator("#app");
      for (const selector of ["script", "img", "svg", "math", "iframe", "object", "embed", "style", "meta", "base", "form[action]", "[onerror]", "[onload]", "[onclick]", "a[href^='javascript' i]", "a[href^='data' i]", "a[href^='vbscript' i]", "a[href^='file' i]"]) {
        assert.equal(await app.locator(selector).count(), 0, `${name}: ${selector} must not exist in the app`);
      }
      for (const link of await app.locator("a[href]").all()) {
        const href = await link.getAttribute("href");
        assert.ok(/^(https?:|mailto:|tel:|#|[^:]*$)/i.test(href), `${name}: link to ${href}`);
      }
    } else {
      const report = page.getByTestId("open-problems");
      await report.filter({ hasText: `${name}:${want}` }).waitFor({ timeout: 10000 });
      assert.match(page.url(), /#\/$/, `${name} does not open`);
    }
    assert.equal(await page.evaluate(() => window.__pwned), undefined, `${name}: no injected script ran`);
  }
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(problems, []);
  await close();
});

test("a signed log full of markup and overrides is valid on #/verify and shown inert", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const seen = await guard(page);
  await page.goto(`${env.server.url}#/verify`);
  await page.getByLabel("Choose signed logs").setInputFiles([join(EVIDENCE, "hostile.stepwise.json"), join(EVIDENCE, "allowed_signers")]);
  const verdict = page.getByTestId("verdict");
  await verdict.filter({ hasText: "Valid: hostile.stepwise.json" }).waitFor();
  await verdict.locator("summary").click();
  const text = await verdict.textContent();
  assert.match(text, /<script>window\.__pwned='note'<\/script>/, "markup is shown as text");
  assert.match(text, /admin‹U\+202E›txt\.exe and a NUL‹U\+0000›here/, "overrides are shown, not obeyed");
  const app = page.locator("#app");
  for (const selector of ["script", "img", "svg", "[onerror]", "[onload]", "a[href^='javascript' i]"]) {
    assert.equal(await app.locator(selector).count(), 0, `${selector} must not exist`);
  }
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.match(page.url(), /#\/verify$/);
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(problems, []);
  await close();
});
