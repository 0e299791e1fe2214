// Browser benchmarks in headless Chromium (Playwright), each figure paired with a baseline
// measured in the same run: the built app against plain static HTML showing the same
// content, a 10,000-record session against a 100-record one. Budgets are checked on ratios
// (and the one byte budget), never on absolute times. Writes bench/results/browser.json and
// prints a Markdown table.
//
//   node bench/browser.mjs INPUTS_DIR      (bench/run does the set-up: build, generators)
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

import { openPage, setIdentity, startBrowser, startServer } from "../tests/e2e/harness.mjs";

const ROOT = resolve(import.meta.dirname, "..");
const DIST = process.env.STEPWISE_DIST ?? join(ROOT, "dist");
const BIN = process.env.STEPWISE_BIN ?? join(ROOT, "target/release/stepwise");
const INPUTS = process.argv[2] ?? join(ROOT, "bench/results/inputs");
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const BIG = "bench-500-steps";

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

/** A web root: a copy of dist/ plus static baseline pages, every file with its .gz. */
function site(extraRunbook) {
  const root = mkdtempSync(join(tmpdir(), "stepwise-bench-"));
  cpSync(DIST, root, { recursive: true });
  if (extraRunbook) {
    cpSync(join(INPUTS, `${BIG}.yaml`), join(root, `runbooks/${BIG}.yaml`));
    execFileSync(BIN, ["index", join(root, "runbooks")]);
  }
  const index = JSON.parse(readFileSync(join(root, "runbooks/index.json"), "utf8"));
  writeFileSync(join(root, "library.html"), libraryHtml(index));
  cpSync(join(INPUTS, `${BIG}.html`), join(root, `${BIG}.html`));
  for (const file of ["runbooks/index.json", "library.html", `${BIG}.html`, `runbooks/${BIG}.yaml`]) {
    try {
      writeFileSync(join(root, `${file}.gz`), gzipSync(readFileSync(join(root, file)), { level: 9 }));
    } catch {}
  }
  return { root, index };
}

/** The library as a static page: the same entries, cards and search box, no script. */
function libraryHtml(index) {
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const cards = index.runbooks
    .map((r) => `<li class="card"><h2><a href="#/run/${esc(r.id)}">${esc(r.title)}</a></h2><p>${esc(r.kind)} · ${esc(r.category)} · v${esc(r.version)}</p><ul>${r.tags.map((t) => `<li>${esc(t)}</li>`).join("")}</ul></li>`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Runbooks</title><link rel="stylesheet" href="assets/${readdir(join(DIST, "assets")).find((f) => f.endsWith(".css"))}"></head><body><main><h1>Runbooks</h1><label>Search <input type="search"></label><ul class="runbooks">${cards}</ul></main></body></html>`;
}

function readdir(dir) {
  return execFileSync("ls", [dir], { encoding: "utf8" }).split("\n").filter(Boolean);
}

/**
 * Makes every page `page` opens note two times: when it is ready in the DOM, and when the
 * first frame after that has been drawn, which is when a person can see and use it.
 *
 * An app page is ready when `ready` first holds (checked on every DOM change from the
 * document's creation on: a check installed by `evaluate` once the navigation commits starts
 * only when Playwright's call reaches the page, tens of ms late for a page ready before it).
 * A static baseline (*.html) is ready at DOMContentLoaded, when its whole text is parsed.
 *
 * The budgets are on the drawn time: nothing can be seen or clicked before it. Ready in the
 * DOM alone is no steady baseline either: a static page of 500 steps is parsed in a few tens
 * of ms but takes its browser hundreds more to lay out its 2,000 form controls, and whether
 * that layout falls before or after DOMContentLoaded depends on whether the parser yields to
 * a frame first (the same page measured 66 and 800 ms here).
 *
 * Drawn means `requestAnimationFrame` and then a message: the message is delivered after the
 * frame whose callbacks ran has been styled, laid out and painted. Same rule, both pages.
 */
async function watchReady(page, ready) {
  await page.addInitScript((src) => {
    if (location.protocol === "about:") return;
    let readyAt;
    let drawnAt;
    window.__benchReady = new Promise((r) => (readyAt = r));
    window.__benchDrawn = new Promise((r) => (drawnAt = r));
    const done = () => {
      readyAt(performance.now());
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => drawnAt(performance.now());
        channel.port2.postMessage(null);
      });
    };
    if (location.pathname.endsWith(".html")) {
      document.addEventListener("DOMContentLoaded", done, { once: true });
      return;
    }
    const test = new Function(`return (${src})();`);
    const check = () => {
      if (!test()) return;
      observer.disconnect();
      done();
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  }, ready.toString());
}

/** Milliseconds from navigation start until `url` was ready in the DOM and drawn (see `watchReady`). */
async function timeUntil(page, url) {
  await page.goto("about:blank");
  await page.goto(url, { waitUntil: "commit" });
  return page.evaluate(async () => ({ ready: await window.__benchReady, drawn: await window.__benchDrawn }));
}

/**
 * The app at `appUrl` against the static page at `staticUrl`, alternating, after one warm-up
 * load of each (caches, compiled wasm, the last index): medians of the two times of
 * `timeUntil`, for each.
 */
async function compare(page, appUrl, staticUrl) {
  await timeUntil(page, appUrl);
  await timeUntil(page, staticUrl);
  const app = [];
  const plain = [];
  for (let i = 0; i < RUNS; i++) {
    app.push(await timeUntil(page, appUrl));
    plain.push(await timeUntil(page, staticUrl));
  }
  const medians = (xs) => ({ ready: median(xs.map((x) => x.ready)), drawn: median(xs.map((x) => x.drawn)) });
  return { app: medians(app), static: medians(plain) };
}

/** Bytes on the wire (compressed, headers included) for loading `url` until `ready` and the network is idle. */
async function bytesOf(browser, url, ready) {
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  let bytes = 0;
  const files = [];
  const urls = new Map();
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
  cdp.on("Network.loadingFinished", (e) => {
    bytes += e.encodedDataLength;
    files.push([urls.get(e.requestId), e.encodedDataLength]);
  });
  await page.goto(url);
  if (ready) await page.waitForFunction(ready);
  await page.waitForLoadState("networkidle");
  await context.close();
  return { bytes, files };
}

const results = [];
function record(name, value, baseline, unit, budget, note = "") {
  const ratio = baseline ? value / baseline : null;
  const met = budget === null ? null : budget.kind === "ratio" ? ratio <= budget.max : value <= budget.max;
  // budget.kind: "ratio" (value / baseline) or "max" (the value itself).
  results.push({ name, value, baseline, unit, ratio, budget, met, note });
}

const chrome = await startBrowser();
const browser = chrome.browser;
try {
  // 1. First load and the library being interactive, against the same list as static HTML.
  const lib = site(false);
  const libServer = await startServer(lib.root);
  const count = lib.index.runbooks.length;
  const libraryReady = new Function(`return document.querySelectorAll(".runbooks .card").length === ${count} && document.querySelector("input[type=search], .search input") !== null;`);
  // The app's library is ready once every card and the search box are in the DOM; the
  // static page's at DOMContentLoaded, when its list is parsed (see `watchReady`).
  const first = await bytesOf(browser, libServer.url, libraryReady);
  const staticFirst = await bytesOf(browser, `${libServer.url}library.html`, null);
  record("first load of the library, bytes on the wire (gzip)", first.bytes, staticFirst.bytes, "bytes", { kind: "max", max: 300 * 1024 },
    first.files.sort((a, b) => b[1] - a[1]).slice(0, 4).map(([u, b]) => `${new URL(u).pathname.split("/").pop()} ${Math.round(b / 1024)} KB`).join(", "));

  const { page, context } = await openPage(browser, libServer.url);
  await watchReady(page, libraryReady);
  const library = await compare(page, libServer.url, `${libServer.url}library.html`);
  record("navigation to the library until it is drawn and interactive (median ms)", library.app.drawn, library.static.drawn, "ms", { kind: "ratio", max: 2 });
  record("the same, until ready in the DOM (median ms)", library.app.ready, library.static.ready, "ms", null, "not yet drawn");
  await context.close();
  libServer.stop();

  // 2. Opening a 500-step runbook, and checking items in it, against static HTML.
  const big = site(true);
  const bigServer = await startServer(big.root);
  const run = await openPage(browser, bigServer.url);
  const bigReady = () => document.querySelectorAll(".steps li").length === 500 && document.querySelector(".checklist input[type=checkbox]") !== null;
  await watchReady(run.page, bigReady);
  const open = await compare(run.page, `${bigServer.url}#/run/${BIG}`, `${bigServer.url}${BIG}.html`);
  record("opening the 500-step runbook until its run page is drawn and usable (median ms)", open.app.drawn, open.static.drawn, "ms", { kind: "ratio", max: 2 });
  record("the same, until ready in the DOM (median ms)", open.app.ready, open.static.ready, "ms", null, "not yet drawn");

  await run.page.goto(`${bigServer.url}#/run/${BIG}`);
  await run.page.locator(".checklist input[type=checkbox]").first().waitFor();
  const clicks = await run.page.evaluate(async () => {
    const times = [];
    const progress = () => document.querySelector("[data-testid=progress]").textContent;
    for (let i = 0; i < 200; i++) {
      const box = document.querySelector(".checklist input[type=checkbox]");
      const before = progress();
      const t0 = performance.now();
      box.click();
      if (progress() === before) {
        await new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            if (progress() !== before) {
              observer.disconnect();
              resolve();
            }
          });
          observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        });
      }
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 5));
    }
    return times;
  });
  record("checking an item in the 500-step runbook until the DOM shows it, p50 (ms)", percentile(clicks, 50), null, "ms", null);
  record("checking an item in the 500-step runbook until the DOM shows it, p95 (ms)", percentile(clicks, 95), null, "ms", { kind: "max", max: 16 }, "one frame");

  // 3. Large sessions: appending, resuming and exporting at 10,000 records against 100.
  const sessions = {};
  for (const n of [100, 10000]) {
    const s = await openPage(browser, bigServer.url);
    await s.page.goto(`${bigServer.url}#/sessions`);
    await s.page.getByLabel("Choose a hand-over file").setInputFiles(join(INPUTS, `session-${n}.handover.json`));
    await s.page.waitForURL(/#\/session\//, { timeout: 120000 });
    await s.page.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor({ timeout: 120000 });
    const appends = await s.page.evaluate(async () => {
      const times = [];
      const saved = () => document.querySelector("[data-testid=saving]")?.textContent === "All changes saved";
      for (let i = 0; i < 20; i++) {
        const box = document.querySelector(".checklist input[type=checkbox]");
        const t0 = performance.now();
        box.click();
        await new Promise((resolve) => {
          const tick = () => (saved() && performance.now() > t0 ? resolve() : requestAnimationFrame(tick));
          requestAnimationFrame(tick);
        });
        times.push(performance.now() - t0);
      }
      return times;
    });
    const resumes = [];
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      await s.page.reload();
      await s.page.getByTestId("progress").waitFor({ timeout: 120000 });
      resumes.push(Date.now() - t0);
    }
    const exports = [];
    for (let i = 0; i < 5; i++) {
      const download = s.page.waitForEvent("download");
      const t0 = Date.now();
      await s.page.getByRole("button", { name: "Export signed log" }).click();
      await download;
      await s.page.getByTestId("head-hash").waitFor();
      exports.push(Date.now() - t0);
      await s.page.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();
    }
    sessions[n] = { append: median(appends), resume: median(resumes), export: median(exports) };
    await s.close();
  }
  record("appending a record (click until stored) at 10,000 records vs 100 (median ms)", sessions[10000].append, sessions[100].append, "ms", { kind: "ratio", max: 1.5 });
  record("resuming a session after a reload, 10,000 records vs 100 (median ms)", sessions[10000].resume, sessions[100].resume, "ms", null);
  record("exporting and signing a session, 10,000 records vs 100 (median ms)", sessions[10000].export, sessions[100].export, "ms", null);
  await run.close();
  bigServer.stop();
  rmSync(lib.root, { recursive: true, force: true });
  rmSync(big.root, { recursive: true, force: true });
} finally {
  await chrome.close();
}

// 4. Native verification of a 10,000-record log against sha256sum of the same bytes.
const log = join(INPUTS, "log-10000.stepwise.json");
const wall = (cmd, args) => {
  const t0 = process.hrtime.bigint();
  execFileSync(cmd, args, { stdio: "ignore" });
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const verifies = [];
const sums = [];
for (let i = 0; i < 21; i++) {
  verifies.push(wall(BIN, ["verify", log, "--allowed-signers", join(INPUTS, "allowed_signers")]));
  sums.push(wall("sha256sum", [log]));
}
record("stepwise verify of a 10,000-record log vs sha256sum of it (median ms)", median(verifies), median(sums), "ms", { kind: "ratio", max: 5 });

const out = join(ROOT, "bench/results");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "browser.json"), JSON.stringify(results, null, 2));
const fmt = (v, unit) => (v === null ? "—" : unit === "bytes" ? `${(v / 1024).toFixed(1)} KB` : `${v.toFixed(1)} ms`);
console.log("| measurement | value | baseline | ratio | budget | met |\n|---|---|---|---|---|---|");
for (const r of results) {
  const budget = r.budget === null ? "—" : r.budget.kind === "ratio" ? `ratio ≤ ${r.budget.max}` : `≤ ${fmt(r.budget.max, r.unit)}`;
  const met = r.met === null ? "" : r.met ? "yes" : "**no**";
  console.log(`| ${r.name}${r.note ? ` (${r.note})` : ""} | ${fmt(r.value, r.unit)} | ${fmt(r.baseline, r.unit)} | ${r.ratio === null ? "—" : r.ratio.toFixed(2)} | ${budget} | ${met} |`);
}
