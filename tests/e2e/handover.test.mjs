// Hand-over between two technicians on two machines (two browser contexts): the chain goes on.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { SESSION_URL, openPage, setIdentity, setup } from "./harness.mjs";

const env = setup();

async function saveHandover(page) {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Hand over to a colleague (save file)" }).click();
  const file = await download;
  return readFileSync(await file.path(), "utf8");
}

test("a session handed over continues on another machine with a handover record", async () => {
  const alice = await openPage(env.chrome.browser, env.server.url, { identity: false });
  await setIdentity(alice.page, env.server.url, "Alice Adams");
  await alice.page.goto(`${env.server.url}#/run/password-mfa-reset`);
  await alice.page.waitForURL(SESSION_URL);
  const id = alice.page.url().split("/").pop();
  await alice.page.locator(".checklist input[type=checkbox]").first().check();
  await alice.page.getByTestId("progress").filter({ hasText: /^1 of / }).waitFor();
  const handed = await saveHandover(alice.page);
  const aliceLines = JSON.parse(handed).log.trimEnd().split("\n");
  assert.equal(aliceLines.length, 2);

  const bob = await openPage(env.chrome.browser, env.server.url, { identity: false });
  await setIdentity(bob.page, env.server.url, "Bob Brown");
  await bob.page.goto(`${env.server.url}#/sessions`);
  await bob.page.getByLabel("Choose a hand-over file").setInputFiles({
    name: `stepwise-handover-${id}.json`,
    mimeType: "application/json",
    buffer: Buffer.from(handed),
  });
  await bob.page.waitForURL(`${env.server.url}#/session/${id}`);
  await bob.page.getByTestId("progress").filter({ hasText: /^1 of / }).waitFor();
  await bob.page.locator(".checklist input[type=checkbox]").nth(1).check();
  await bob.page.getByTestId("progress").filter({ hasText: /^2 of / }).waitFor();
  await bob.page.getByTestId("saving").filter({ hasText: "All changes saved" }).waitFor();

  // Stored on Bob's machine: a reload resumes it.
  await bob.page.reload();
  await bob.page.getByTestId("progress").filter({ hasText: /^2 of / }).waitFor();

  const lines = JSON.parse(await saveHandover(bob.page)).log.trimEnd().split("\n");
  assert.deepEqual(lines.slice(0, 2), aliceLines, "Alice's records are kept byte for byte");
  const handover = JSON.parse(lines[2]);
  assert.equal(handover.type, "handover");
  assert.deepEqual([handover.from.name, handover.to.name], ["Alice Adams", "Bob Brown"]);
  assert.equal(JSON.parse(lines[3]).actor.name, "Bob Brown");

  // An edited hand-over file is refused with the failing record named.
  const edited = JSON.parse(handed);
  edited.log = edited.log.replace('"type":"header"', '"type":"header" ');
  const carol = await openPage(env.chrome.browser, env.server.url);
  await carol.page.goto(`${env.server.url}#/sessions`);
  await carol.page.getByLabel("Choose a hand-over file").setInputFiles({
    name: "edited.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(edited)),
  });
  await carol.page.getByTestId("handover-error").filter({ hasText: /does not verify: record 1/ }).waitFor();
  for (const who of [alice, bob, carol]) {
    assert.deepEqual(who.problems, []);
    await who.close();
  }
});
