// What a static host serves: a strict CSP with no inline script, relative URLs only (so any
// sub-path works), no request to any other origin, and not one CSP violation on any route.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { SESSION_URL, openPage, setup } from "./harness.mjs";

const env = setup();
const DIST = process.env.STEPWISE_DIST ?? "dist";

test("the page's CSP is strict and its files name nothing outside the app", async () => {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
  const directives = Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives["default-src"], ["'self'"]);
  assert.deepEqual(directives["script-src"], ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives["object-src"], ["'none'"]);
  assert.deepEqual(directives["base-uri"], ["'none'"]);
  assert.ok(!csp.includes("unsafe-inline") && !/\bhttps?:/.test(csp), csp);
  assert.ok(!/<script(?![^>]*\bsrc=)/.test(html), "no inline script");
  assert.ok(!/<style/.test(html) && !/\sstyle=/.test(html), "no inline style");
  const shipped = [
    join(DIST, "index.html"),
    join(DIST, "sw.js"),
    join(DIST, "manifest.webmanifest"),
    ...readdirSync(join(DIST, "assets")).filter((f) => /\.(js|css)$/.test(f)).map((f) => join(DIST, "assets", f)),
  ];
  for (const file of shipped) {
    const text = readFileSync(file, "utf8");
    // href/src/url()/import/register targets: relative, never absolute or to another host.
    const refs = [...text.matchAll(/(?:href|src)="([^"]+)"|url\(([^)]+)\)|from "([^"]+)"|new URL\("([^"]+)"/g)].map((m) => m.slice(1).find(Boolean));
    for (const ref of refs) {
      assert.ok(!/^(https?:)?\/\//.test(ref) && !ref.startsWith("/"), `${file} refers to ${ref}`);
    }
  }
});

test("no route violates the CSP or reaches another origin", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const routes = ["#/", "#/sessions", "#/priority", "#/verify", "#/debrief", "#/identity", "#/drill/major-outage-comms", "#/no-such-route", "#/run/vpn-not-connecting"];
  for (const route of routes) {
    await page.goto(`${env.server.url}${route}`);
    await page.locator("main h1").first().waitFor();
  }
  await page.waitForURL(SESSION_URL);
  const served = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
  assert.ok(served.every((u) => u.startsWith(new URL(env.server.url).origin)), served.join("\n"));
  assert.deepEqual(problems, []);
  await close();
});

test("a runbook or drill opened at its address is fetched once, by the boot script's preload", async () => {
  const { page, problems, close } = await openPage(env.chrome.browser, env.server.url);
  const index = JSON.parse(readFileSync(join(DIST, "runbooks/index.json"), "utf8"));
  const drill = index.drills.find((d) => d.id === "major-outage-comms");
  const runbookFile = (id) => index.runbooks.find((r) => r.id === id).file;
  for (const [route, files] of [
    ["#/run/vpn-not-connecting", [runbookFile("vpn-not-connecting")]],
    ["#/drill/major-outage-comms", [drill.file, runbookFile(drill.runbook)]],
  ]) {
    const requests = [];
    const listener = (request) => requests.push(new URL(request.url()).pathname);
    page.on("request", listener);
    await page.goto("about:blank");
    await page.goto(`${env.server.url}${route}`);
    await page.locator("main h1").first().waitFor();
    await page.waitForLoadState("networkidle");
    page.off("request", listener);
    // The preload links are in the document, and the app took their responses rather than
    // asking again.
    const preloaded = await page.evaluate(() =>
      [...document.querySelectorAll("link[rel=preload][as=fetch]")].map((l) => new URL(l.href).pathname),
    );
    for (const file of files) {
      const path = new URL(`runbooks/${file}`, env.server.url).pathname;
      assert.ok(preloaded.includes(path), `${route}: ${path} preloaded (${preloaded.join(", ")})`);
      assert.equal(requests.filter((p) => p === path).length, 1, `${route}: ${path} requested once:\n${requests.join("\n")}`);
    }
  }
  assert.deepEqual(problems, []);
  await close();
});
