// Signed evidence end to end: a log exported from the real app is accepted by `stepwise
// verify`, by the independent Python verifier (written from docs/evidence.md alone) and by
// `ssh-keygen -Y verify`; a tampered copy is rejected by all three; the in-app verifier
// agrees; and a second export extends the first byte for byte.
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
const PY = join(ROOT, "tests/verifier/stepwise_verify.py");
const PRINCIPAL = "alice@example.org";

async function saved(page, button) {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: button }).click();
  const file = await download;
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { input, encoding: "utf8" });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** ssh-keygen's -Overify-time for the seal's ts: validity is judged at signing time. */
function verifyTime(jsonl) {
  const seal = JSON.parse(jsonl.trimEnd().split("\n").pop());
  return seal.ts.slice(0, 19).replace(/[-:T]/g, "");
}

test("a log exported from the app verifies with stepwise, Python and ssh-keygen, and tampering is caught", async () => {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-evidence-"));
  const alice = await openPage(env.chrome.browser, env.server.url, { identity: false });
  const { page } = alice;
  await setIdentity(page, env.server.url, "Alice Adams");
  await page.getByLabel("E-mail (optional)").fill(PRINCIPAL);
  await page.getByRole("button", { name: "Save" }).click();
  const line = (await page.getByTestId("allowed-signers-line").filter({ hasText: PRINCIPAL }).textContent()).trim();
  const keyId = (await page.getByTestId("key-id").textContent()).trim();
  assert.match(line, /^alice@example\.org namespaces="stepwise-log" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\S+$/);
  assert.match(keyId, /^SHA256:[A-Za-z0-9+/]{43}$/);
  const signers = join(dir, "allowed_signers");
  writeFileSync(signers, `${line}\n`);

  await page.goto(`${env.server.url}#/run/password-mfa-reset`);
  await page.waitForURL(SESSION_URL);
  const sessionUrl = page.url();
  await page.locator(".checklist input[type=checkbox]").first().check();
  await page.getByTestId("progress").filter({ hasText: /^1 of / }).waitFor();

  const envelope = await saved(page, "Export signed log");
  assert.match(envelope.name, /^stepwise-password-mfa-reset-[0-9a-f]{8}\.stepwise\.json$/);
  const head = (await page.getByTestId("head-hash").textContent()).trim();
  assert.match(await page.getByTestId("ticket-note").textContent(), new RegExp(`Head hash: ${head}`));
  const jsonl = await saved(page, "Save log (.jsonl)");
  const sig = await saved(page, "Save SSH signature (.jsonl.sig)");
  const html = await saved(page, "Save report (HTML, printable)");
  assert.match(html.bytes.toString(), /<h2>Timeline<\/h2>/);
  assert.match(html.bytes.toString(), new RegExp(head));

  const files = { env: join(dir, "log.stepwise.json"), jsonl: join(dir, "log.jsonl"), sig: join(dir, "log.jsonl.sig") };
  writeFileSync(files.env, envelope.bytes);
  writeFileSync(files.jsonl, jsonl.bytes);
  writeFileSync(files.sig, sig.bytes);
  const payload = JSON.parse(envelope.bytes).payload;
  assert.equal(Buffer.from(payload, "base64").toString(), jsonl.bytes.toString(), "both files carry the same bytes");
  const lines = jsonl.bytes.toString().trimEnd().split("\n");
  assert.equal(JSON.parse(lines[0]).signer, keyId, "the header names this browser's key");
  assert.equal(JSON.parse(lines.at(-1)).type, "seal");

  // Accepted by all three.
  const runbook = join(ROOT, "runbooks/password-mfa-reset.yaml");
  const ours = run(BIN, ["verify", files.env, "--allowed-signers", signers, "--runbook", runbook]);
  assert.equal(ours.code, 0, ours.out);
  assert.match(ours.out, new RegExp(`^OK .*signer=${PRINCIPAL} key=${keyId.replace(/[+/]/g, "\\$&")} entries=${lines.length - 1} head=${head}`, "m"));
  const oursPair = run(BIN, ["verify", files.jsonl, "--allowed-signers", signers]);
  assert.equal(oursPair.code, 0, oursPair.out);
  const python = run("python3", [PY, files.env, "--allowed-signers", signers, "--runbook", runbook]);
  assert.equal(python.code, 0, python.out);
  assert.match(python.out, new RegExp(`head=${head}`));
  const ssh = run("ssh-keygen", ["-Y", "verify", "-f", signers, "-I", PRINCIPAL, "-n", "stepwise-log", "-s", files.sig, `-Overify-time=${verifyTime(jsonl.bytes.toString())}`], jsonl.bytes);
  assert.equal(ssh.code, 0, ssh.out);
  assert.match(ssh.out, /Good "stepwise-log" signature for alice@example\.org/);

  // One byte changed in the first record: rejected by all three.
  const tampered = jsonl.bytes.toString().replace('"type":"header"', '"type":"header" ');
  const bad = { env: join(dir, "bad.stepwise.json"), jsonl: join(dir, "bad.jsonl"), sig: join(dir, "bad.jsonl.sig") };
  const badEnvelope = JSON.parse(envelope.bytes);
  badEnvelope.payload = Buffer.from(tampered).toString("base64");
  writeFileSync(bad.env, JSON.stringify(badEnvelope));
  writeFileSync(bad.jsonl, tampered);
  writeFileSync(bad.sig, sig.bytes);
  const oursBad = run(BIN, ["verify", bad.env, "--allowed-signers", signers]);
  assert.equal(oursBad.code, 1, oursBad.out);
  assert.match(oursBad.out, /FAIL .*record 1: .*chain/);
  const pythonBad = run("python3", [PY, bad.env, "--allowed-signers", signers]);
  assert.equal(pythonBad.code, 1, pythonBad.out);
  assert.match(pythonBad.out, /FAIL .*record 1: .*chain/);
  const sshBad = run("ssh-keygen", ["-Y", "verify", "-f", signers, "-I", PRINCIPAL, "-n", "stepwise-log", "-s", bad.sig, `-Overify-time=${verifyTime(tampered)}`], tampered);
  assert.notEqual(sshBad.code, 0, sshBad.out);

  // The in-app verifier: the good log with its trust is valid, with its report; the
  // tampered one is not, and says why.
  // A log dropped before the library's allowed_signers has arrived waits for it.
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route("**/runbooks/allowed_signers", async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(`${env.server.url}#/verify`);
  await page.getByLabel("Choose signed logs").setInputFiles([files.env]);
  await page.getByTestId("waiting").filter({ hasText: "Waiting for the library's allowed_signers to load" }).waitFor();
  assert.equal(await page.getByTestId("verdict").count(), 0, "nothing is judged before the trust has loaded");
  release();
  await page.getByTestId("verdict").filter({ hasText: "is not trusted" }).waitFor();
  await page.unroute("**/runbooks/allowed_signers");
  await page.getByLabel("Choose signed logs").setInputFiles([files.env, signers, bad.env, files.jsonl, files.sig]);
  const verdicts = page.getByTestId("verdict");
  await verdicts.nth(2).waitFor();
  const texts = await verdicts.allTextContents();
  // One verdict per log: the allowed_signers file is the trust, and the .sig goes with its .jsonl.
  assert.equal(texts.length, 3, texts.join("\n"));
  const of = (name) => texts.find((t) => t.includes(name)) ?? "";
  assert.match(of("log.stepwise.json"), /^Valid: log\.stepwise\.json/);
  assert.match(of("log.stepwise.json"), new RegExp(`head=${head}`));
  assert.match(of("log.stepwise.json"), /Timeline/);
  assert.match(of("log.jsonl"), /^Valid: log\.jsonl/);
  assert.match(of("bad.stepwise.json"), /^Not valid: bad\.stepwise\.json.*record 1: the chain is broken/);
  assert.match(await page.getByTestId("trust-used").textContent(), /allowed_signers \(dropped\)/);
  // Without the dropped trust, the library's allowed_signers (no keys) trusts nobody.
  await page.getByLabel("Choose signed logs").setInputFiles([files.env]);
  await page.getByTestId("verdict").filter({ hasText: "is not trusted" }).waitFor();

  // The export was recorded in the chain; a second export extends the first byte for byte.
  await page.goto(sessionUrl);
  await page.locator(".checklist input[type=checkbox]").nth(1).check();
  await page.getByTestId("progress").filter({ hasText: /^2 of / }).waitFor();
  const second = await saved(page, "Export signed log");
  const secondLines = Buffer.from(JSON.parse(second.bytes).payload, "base64").toString().trimEnd().split("\n");
  assert.deepEqual(secondLines.slice(0, lines.length - 1), lines.slice(0, -1), "earlier records kept byte for byte");
  const exported = JSON.parse(secondLines[lines.length - 1]);
  assert.equal(exported.type, "exported");
  assert.equal(exported.head, head);
  assert.equal(exported.entries, lines.length - 1);
  writeFileSync(join(dir, "second.stepwise.json"), second.bytes);
  const secondOk = run(BIN, ["verify", join(dir, "second.stepwise.json"), "--allowed-signers", signers]);
  assert.equal(secondOk.code, 0, secondOk.out);

  assert.deepEqual(alice.problems, []);
  await alice.close();
});

test("without WebCrypto Ed25519 the software key signs, survives a reload, and its export verifies", async () => {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-evidence-"));
  const bob = await openPage(env.chrome.browser, env.server.url, { identity: false });
  const { page } = bob;
  // As on an intranet over plain HTTP or in an older browser: no Ed25519 in WebCrypto.
  await page.addInitScript(() => {
    const original = crypto.subtle.generateKey.bind(crypto.subtle);
    crypto.subtle.generateKey = (algorithm, ...rest) =>
      (algorithm?.name ?? algorithm) === "Ed25519"
        ? Promise.reject(new DOMException("Ed25519 is not supported", "NotSupportedError"))
        : original(algorithm, ...rest);
  });
  await setIdentity(page, env.server.url, "Bob Brown");
  await page.getByLabel("E-mail (optional)").fill("bob@example.org");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("a software key in this browser's storage").waitFor();
  const keyId = (await page.getByTestId("key-id").textContent()).trim();
  const line = (await page.getByTestId("allowed-signers-line").filter({ hasText: "bob@example.org" }).textContent()).trim();
  await page.reload();
  await page.getByTestId("key-id").filter({ hasText: keyId }).waitFor();

  await page.goto(`${env.server.url}#/run/password-mfa-reset`);
  await page.waitForURL(SESSION_URL);
  await page.locator(".checklist input[type=checkbox]").first().check();
  await page.getByTestId("progress").filter({ hasText: /^1 of / }).waitFor();
  const envelope = await saved(page, "Export signed log");
  const file = join(dir, "bob.stepwise.json");
  writeFileSync(file, envelope.bytes);
  const signers = join(dir, "allowed_signers");
  writeFileSync(signers, `${line}\n`);
  const ours = run(BIN, ["verify", file, "--allowed-signers", signers]);
  assert.equal(ours.code, 0, ours.out);
  assert.match(ours.out, new RegExp(`signer=bob@example\\.org key=${keyId.replace(/[+/]/g, "\\$&")} `));
  const python = run("python3", [PY, file, "--allowed-signers", signers]);
  assert.equal(python.code, 0, python.out);
  assert.deepEqual(bob.problems, []);
  await bob.close();
});
