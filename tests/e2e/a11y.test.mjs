// Accessibility as tested fact: axe-core (WCAG 2.1 A and AA) finds nothing on any route, in
// the states people meet under stress (a decision, a skipped item, the priority panel, an
// inject, verdicts, a debrief with charts), in light and in dark; a keyboard-only journey
// from the library to a signed export, with focus always visible and never lost; live
// regions for progress, SLA standing and injects; reduced motion; a print stylesheet.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";

import AxeBuilder from "@axe-core/playwright";

import { SESSION_URL, openPage, setIdentity, setup } from "./harness.mjs";

const env = setup();
const ROOT = resolve(import.meta.dirname, "../..");
const EVIDENCE = join(ROOT, "tests/fixtures/evidence");

async function axe(page, state, found) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  assert.ok(result.passes.length > 10, `${state}: axe ran its checks`);
  for (const v of result.violations) {
    found.push(`${state}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }
}

for (const scheme of ["light", "dark"]) {
  test(`axe finds no WCAG 2.1 A/AA violation on any route (${scheme})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "stepwise-a11y-"));
    const { page, problems, close } = await openPage(env.chrome.browser, env.server.url, { identity: false });
    await page.emulateMedia({ colorScheme: scheme });
    await page.clock.install({ time: new Date("2026-12-08T09:00:00Z") });
    const found = [];
    await setIdentity(page, env.server.url, "Ada Lovelace");
    await page.getByLabel("E-mail (optional)").fill("ada@example.org");
    await page.getByRole("button", { name: "Save" }).click();
    const line = (await page.getByTestId("allowed-signers-line").filter({ hasText: "ada@example.org" }).textContent()).trim();
    await axe(page, "identity", found);

    await page.goto(env.server.url);
    await page.locator(".runbooks .card").first().waitFor();
    await axe(page, "library", found);

    await page.goto(`${env.server.url}#/priority`);
    await page.getByLabel("Impact").selectOption({ index: 1 });
    await page.getByLabel("Urgency").selectOption({ index: 1 });
    await page.getByTestId("priority").locator(".priority-badge").waitFor();
    await axe(page, "priority calculator", found);

    // A drill of the ransomware runbook: the briefing, then a decision, a skipped item, the
    // priority panel and an inject on screen at once.
    await page.goto(`${env.server.url}#/drill/ransomware-outbreak`);
    await page.getByTestId("briefing").waitFor();
    await axe(page, "drill briefing", found);
    await page.getByRole("button", { name: "Start the drill" }).click();
    await page.getByTestId("priority-in-force").locator(".priority-badge").waitFor();
    await page.locator(".checklist li").nth(1).getByRole("button", { name: "Skip…" }).click();
    await page.getByLabel("Why is this item skipped? (recorded for the audit)").fill("Asset tag unreadable; recorded from the EDR console instead");
    await page.keyboard.press("Enter");
    await page.locator(".skip-reason").waitFor();
    await page.getByTestId("trainer-panel").locator("summary").click();
    await page.getByRole("button", { name: /^Deliver “Dan calls/ }).click();
    await page.getByTestId("inject").waitFor();
    assert.ok(await page.getByRole("radio").count() + (await page.locator(".decision button, .decision input").count()) > 0, "the decision is on screen");
    await axe(page, "run page with a decision, a skip, the priority panel and an inject", found);
    await page.getByTestId("inject").getByRole("button", { name: "Acknowledge" }).click();
    await page.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export signed log" }).click();
    const log = join(dir, "drill.stepwise.json");
    writeFileSync(log, readFileSync(await (await download).path()));
    await page.getByTestId("evidence").waitFor();
    await axe(page, "run page after a signed export", found);

    await page.goto(`${env.server.url}#/sessions`);
    await page.locator(".card").first().waitFor();
    await axe(page, "sessions", found);

    const signers = join(dir, "allowed_signers");
    writeFileSync(signers, `${readFileSync(join(EVIDENCE, "allowed_signers"), "utf8")}${line}\n`);
    const junk = join(dir, "not-a-log.stepwise.json");
    writeFileSync(junk, "{}");
    await page.goto(`${env.server.url}#/verify`);
    await page.getByLabel("Choose signed logs").setInputFiles([join(EVIDENCE, "golden.stepwise.json"), log, junk, signers]);
    await page.getByTestId("verdict").nth(2).waitFor();
    for (const summary of await page.locator("[data-testid=verdict] summary").all()) await summary.click();
    await axe(page, "verify with valid and invalid verdicts and open reports", found);

    await page.goto(`${env.server.url}#/debrief`);
    await page.getByLabel("Choose trainees' signed logs").setInputFiles([log, signers]);
    await page.getByTestId("timeline-chart").waitFor();
    await axe(page, "debrief with its table and charts", found);

    await page.goto(`${env.server.url}#/no-such-page`);
    await page.locator("main h1").waitFor();
    await axe(page, "not found", found);

    assert.deepEqual(found, []);
    assert.deepEqual(problems, []);
    await close();
  });
}

/** The element that has focus, and whether the focus ring is drawn on it. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const style = el ? getComputedStyle(el) : null;
    return {
      tag: el?.tagName ?? "",
      id: el?.id ?? "",
      text: (el?.getAttribute("aria-label") || el?.textContent || el?.id || "").trim().slice(0, 60),
      onBody: el === document.body || el === null,
      visible: Boolean(el?.matches(":focus-visible")) && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    };
  });
}

async function tabTo(page, accept, limit = 80, key = "Tab") {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    assert.ok(!f.onBody, "focus never falls back to the page");
    assert.ok(f.visible, `focus is visible on ${f.tag} ${f.text}`);
    if (accept(f)) return f;
  }
  throw new Error("not reached by Tab");
}

test("keyboard only: from the library to a signed export, focus always visible, never lost", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.goto(env.server.url);
  await page.locator(".runbooks .card").first().waitFor();
  await tabTo(page, (f) => f.tag === "INPUT");
  await page.keyboard.type("password");
  await page.getByTestId("library-count").filter({ hasText: "match" }).waitFor();
  await tabTo(page, (f) => f.tag === "A" && /password/i.test(f.text));
  await page.keyboard.press("Enter");
  await page.waitForURL(SESSION_URL);
  const progress = page.getByTestId("progress");
  await progress.waitFor();
  assert.equal(await progress.getAttribute("aria-live"), "polite", "progress is announced");

  // The checklist with the shortcuts (the step's title has focus on arrival), then the
  // priority with Tab and the arrow keys.
  assert.equal((await focused(page)).id, "step-title", "arriving on a step focuses its title");
  await page.keyboard.press("j");
  await page.keyboard.press("x");
  await progress.filter({ hasText: /^1 of / }).waitFor();
  let f = await focused(page);
  assert.ok(!f.onBody && f.visible, "after checking, focus stays on the item and shows");
  await tabTo(page, (x) => x.id === "sla-impact", 120, "Shift+Tab");
  await page.keyboard.press("ArrowDown");
  f = await tabTo(page, (x) => x.tag === "BUTTON" && /Confirm priority/.test(x.text));
  await page.keyboard.press("Enter");
  await page.getByTestId("priority-in-force").locator(".priority-badge").waitFor();
  assert.ok(!(await focused(page)).onBody, "after confirming, focus is not lost");
  assert.equal(await page.getByTestId("session-clock").locator("[aria-live=polite]").count() >= 2, true, "SLA standing is announced");

  // The export, with Enter on its button.
  const download = page.waitForEvent("download");
  await tabTo(page, (x) => x.tag === "BUTTON" && /Export signed log/.test(x.text), 120);
  await page.keyboard.press("Enter");
  const file = await download;
  assert.match(file.suggestedFilename(), /\.stepwise\.json$/);
  await page.getByTestId("head-hash").waitFor();
  f = await focused(page);
  assert.ok(!f.onBody, "after the export, focus is not lost");
  assert.deepEqual(problems, []);
  await close();
});

test("reduced motion runs no animation, and a printed run page is the report without the chrome", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.goto(`${env.server.url}#/run/vpn-not-connecting`);
  await page.waitForURL(SESSION_URL);
  await page.locator(".checklist input[type=checkbox]").first().check();
  await page.getByTestId("progress").filter({ hasText: /^1 of / }).waitFor();
  assert.equal(await page.evaluate(() => document.getAnimations().length), 0, "nothing moves");
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior), "auto");

  await page.emulateMedia({ media: "print", reducedMotion: "reduce" });
  for (const selector of [".topbar", ".session-clock", ".step-nav", ".steps"]) {
    const shown = await page.locator(selector).evaluateAll((els) => els.some((el) => getComputedStyle(el).display !== "none"));
    assert.equal(shown, false, `${selector} is not printed`);
  }
  assert.ok(await page.locator("#step-title").isVisible(), "the step itself is printed");
  const pdf = await page.pdf({ format: "A4" });
  assert.ok(pdf.length > 1000 && pdf.subarray(0, 5).toString() === "%PDF-", "it prints");
  assert.deepEqual(problems, []);
  await close();
});
