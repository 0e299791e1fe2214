// Shared set-up for the end-to-end tests: `stepwise serve` on a free port over dist/, and
// Debian's Chromium driven by playwright-core (no browser download is possible here).
import { spawn } from "node:child_process";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

const BIN = process.env.STEPWISE_BIN ?? "target/debug/stepwise";
const DIST = process.env.STEPWISE_DIST ?? "dist";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

// Every server this process started. A test that fails before its own `server.stop()` must
// not leave one running, nor wait for it: a server holds no reference on the event loop
// (below), so the process ends when its tests do, and the servers are stopped at exit.
const servers = new Set();
process.on("exit", () => {
  for (const child of servers) child.kill();
});

/** Starts `stepwise serve --port 0` over `dir` and resolves with its base URL once it listens. */
export function startServer(dir = DIST) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ["serve", "--dir", dir, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    servers.add(child);
    child.unref();
    child.stdout.unref();
    child.stderr.unref();
    const stop = () => {
      servers.delete(child);
      child.kill();
    };
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`stepwise serve did not start in 20 s\n${out}\n${err}`));
    }, 20_000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = out.match(/at (http:\/\/\S+\/)/);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], stop });
      }
    });
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("exit", (code) => {
      servers.delete(child);
      clearTimeout(timer);
      reject(new Error(`stepwise serve exited with ${code}\n${err}`));
    });
  });
}

/**
 * Launches Chromium. Playwright gives every launch a fresh temporary profile (its own
 * `--user-data-dir`, removed on close) and every `newContext()` fresh storage, so tests never
 * see each other's data; it refuses a `--user-data-dir` argument of ours for that reason.
 */
export async function startBrowser() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  return { browser, close: () => browser.close() };
}

/**
 * A new page that records console errors, uncaught exceptions, CSP violations and requests
 * to any other origin, so every test can assert that none happened.
 */
export async function openPage(browser, baseUrl, { identity = true, serviceWorkers = "block" } = {}) {
  // The offline worker is tested on its own (offline.test.mjs); elsewhere it is blocked, so
  // that `page.route` sees every request and each test starts from the network.
  const context = await browser.newContext({ serviceWorkers });
  const page = await context.newPage();
  const problems = [];
  const origin = new URL(baseUrl).origin;
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith("data:")) problems.push(`external request: ${url}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  if (identity) await setIdentity(page, baseUrl);
  return { page, problems, context, close: () => context.close() };
}

/** The address of a session: `#/session/<uuid v4>`. */
export const SESSION_URL = /#\/session\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Sets the technician's name for this browser context, as a person does on first use. */
export async function setIdentity(page, baseUrl, name = "Test Technician") {
  await page.goto(`${baseUrl}#/identity`);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByTestId("identity").filter({ hasText: name }).waitFor();
}

/**
 * Starts one server and one browser for a test file, and stops them after it. The returned
 * object's `server` and `chrome` are set once the `before` hook has run.
 */
export function setup() {
  const env = { server: null, chrome: null };
  before(async () => {
    env.server = await startServer();
    env.chrome = await startBrowser();
  });
  after(async () => {
    await env.chrome?.close();
    env.server?.stop();
  });
  return env;
}
