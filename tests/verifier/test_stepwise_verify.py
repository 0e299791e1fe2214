"""Tests for stepwise_verify.py, building logs from docs/evidence.md alone.

Run from the repository root:

    python3 -m unittest discover -s tests/verifier
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Any, Optional, Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import stepwise_verify as sv

SCRIPT = Path(__file__).with_name("stepwise_verify.py")
PAYLOAD_TYPE = "application/vnd.stepwise.log+jsonl"

KEY_A = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KEY_B = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))

RUNBOOK = b"id: vpn-not-connecting\nversion: 1.3.0\nsteps: []\n"
ALICE = {"name": "Alice", "email": "alice@example.org"}
BOB = {"name": "Bob", "email": "bob@example.org"}
SEAL_TS = "2026-12-03T09:14:05.120Z"


# --------------------------------------------------------------------------
# Building logs per the spec
# --------------------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def ssh_string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def wire_blob(key: Ed25519PrivateKey) -> bytes:
    raw = key.public_key().public_bytes_raw()
    return ssh_string(b"ssh-ed25519") + ssh_string(raw)


def ssh_key_line(key: Ed25519PrivateKey) -> str:
    return "ssh-ed25519 " + b64(wire_blob(key))


def key_id(key: Ed25519PrivateKey) -> str:
    return "SHA256:" + b64(hashlib.sha256(wire_blob(key)).digest()).rstrip("=")


def chain(records: Sequence[dict[str, Any]]) -> list[bytes]:
    """Assign seq and prev and serialize each record once."""
    lines: list[bytes] = []
    prev = "0" * 64
    for seq, record in enumerate(records):
        full = {"seq": seq, **record, "prev": prev}
        line = json.dumps(full, separators=(",", ":")).encode("utf-8")
        lines.append(line)
        prev = hashlib.sha256(line).hexdigest()
    return lines


def make_records(
    seal_key: Ed25519PrivateKey = KEY_A,
    handover_to: Optional[Ed25519PrivateKey] = None,
    seal_ts: str = SEAL_TS,
) -> list[dict[str, Any]]:
    header = {
        "type": "header",
        "format": 1,
        "session": "3f1c2a9e-6b1d-4c7a-9e2f-0a1b2c3d4e5f",
        "app": {"name": "stepwise", "version": "0.1.0"},
        "mode": "live",
        "runbook": {
            "id": "vpn-not-connecting",
            "version": "1.3.0",
            "sha256": hashlib.sha256(RUNBOOK).hexdigest(),
        },
        "priority_matrix": "ab" * 32,
        "signer": key_id(KEY_A),
        "ts": "2026-12-03T09:00:00.000Z",
        "actor": ALICE,
    }
    body: list[dict[str, Any]] = [
        {"type": "step_entered", "step": "check-cable", "ts": "2026-12-03T09:01:00.000Z", "actor": ALICE},
        {"type": "item_checked", "item": "cable-ok", "ts": "2026-12-03T09:02:00.000Z", "actor": ALICE},
        {"type": "note", "text": "user rebooted — ok", "ts": "2026-12-03T09:03:00.000Z", "actor": ALICE},
    ]
    if handover_to is not None:
        body.append({
            "type": "handover", "from": ALICE, "to": BOB, "signer": key_id(handover_to),
            "ts": "2026-12-03T09:05:00.000Z", "actor": ALICE,
        })
    body.append({"type": "completed", "ts": "2026-12-03T09:14:00.000Z", "actor": ALICE})
    entries = 1 + len(body)
    seal = {"type": "seal", "entries": entries, "key": ssh_key_line(seal_key), "ts": seal_ts, "actor": ALICE}
    return [header, *body, seal]


def payload_of(lines: Sequence[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


def pae(payload_type: str, payload: bytes) -> bytes:
    t = payload_type.encode("utf-8")
    return b"DSSEv1 " + str(len(t)).encode() + b" " + t + b" " + str(len(payload)).encode() + b" " + payload


def envelope(
    payload: bytes,
    signer: Ed25519PrivateKey = KEY_A,
    keyid: Optional[str] = None,
    payload_type: str = PAYLOAD_TYPE,
) -> bytes:
    sig = signer.sign(pae(payload_type, payload))
    doc = {
        "payload": b64(payload),
        "payloadType": payload_type,
        "signatures": [{"keyid": keyid or key_id(signer), "sig": b64(sig)}],
    }
    return json.dumps(doc).encode("utf-8")


def allowed_line(principals: str, key: Ed25519PrivateKey, options: str = "") -> str:
    return f"{principals} {options + ' ' if options else ''}{ssh_key_line(key)} laptop\n"


GOOD_ALLOWED = allowed_line("alice@example.org", KEY_A, 'namespaces="stepwise-log",valid-after="20260101Z"')


# --------------------------------------------------------------------------
# Tests through the command line
# --------------------------------------------------------------------------


class CliTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self._tmp.name)
        self.runbook = self.write("runbook.yaml", RUNBOOK)

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def write(self, name: str, data: bytes | str) -> Path:
        path = self.dir / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def run_verifier(
        self, envelopes: Sequence[bytes], allowed: str = GOOD_ALLOWED, runbook: Optional[Path] = None
    ) -> subprocess.CompletedProcess[str]:
        files = [str(self.write(f"log{i}.stepwise.json", e)) for i, e in enumerate(envelopes)]
        cmd = [sys.executable, str(SCRIPT), *files, "--allowed-signers", str(self.write("allowed_signers", allowed))]
        if runbook is not None:
            cmd += ["--runbook", str(runbook)]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60)

    def assert_ok(self, result: subprocess.CompletedProcess[str]) -> str:
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertTrue(result.stdout.startswith("OK "), result.stdout)
        return result.stdout

    def assert_fail(self, result: subprocess.CompletedProcess[str], keyword: str) -> str:
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 1, result.stdout)
        self.assertTrue(lines[0].startswith("FAIL "), lines[0])
        self.assertIn(keyword, lines[0])
        return lines[0]


class AcceptTest(CliTestCase):
    def test_good_log(self) -> None:
        lines = chain(make_records())
        out = self.assert_ok(self.run_verifier([envelope(payload_of(lines))]))
        head = hashlib.sha256(lines[-1]).hexdigest()
        self.assertIn(f"signer=alice@example.org key={key_id(KEY_A)} entries={len(lines) - 1} head={head}", out)
        self.assertEqual(len(out.splitlines()), 1)

    def test_good_log_with_runbook(self) -> None:
        env = envelope(payload_of(chain(make_records())))
        self.assert_ok(self.run_verifier([env], runbook=self.runbook))

    def test_handover_sealed_by_second_key(self) -> None:
        lines = chain(make_records(seal_key=KEY_B, handover_to=KEY_B))
        allowed = GOOD_ALLOWED + allowed_line('"bob@example.org,bob"', KEY_B, 'namespaces="stepwise-log"')
        out = self.assert_ok(self.run_verifier([envelope(payload_of(lines), signer=KEY_B)], allowed))
        self.assertIn(f"signer=bob@example.org,bob key={key_id(KEY_B)}", out)

    def test_principals_of_all_matching_lines(self) -> None:
        allowed = (
            "# team keys\n\n"
            + allowed_line("alice@example.org", KEY_A)
            + allowed_line("helpdesk@example.org", KEY_A, 'valid-after="20261203091405Z"')
            + allowed_line("old@example.org", KEY_A, 'valid-before="20261203091404Z"')
            + allowed_line("ca@example.org", KEY_A, 'cert-authority,namespaces="stepwise-log"')
        )
        out = self.assert_ok(self.run_verifier([envelope(payload_of(chain(make_records())))], allowed))
        self.assertIn("signer=alice@example.org,helpdesk@example.org ", out)

    def test_several_files_one_bad(self) -> None:
        good = envelope(payload_of(chain(make_records())))
        bad = envelope(payload_of(chain(make_records())), payload_type="text/plain")
        result = self.run_verifier([good, bad])
        self.assertEqual(result.returncode, 1)
        out = result.stdout.splitlines()
        self.assertEqual(len(out), 2)
        self.assertTrue(out[0].startswith("OK "))
        self.assertTrue(out[1].startswith("FAIL ") and "payload type" in out[1])


class RejectTest(CliTestCase):
    def test_one_byte_changed_in_a_record(self) -> None:
        payload = payload_of(chain(make_records()))
        env = envelope(payload)
        tampered = payload.replace(b"cable-ok", b"cable-OK")
        self.assertNotEqual(payload, tampered)
        env = env.replace(b64(payload).encode(), b64(tampered).encode())
        line = self.assert_fail(self.run_verifier([env]), "chain")
        self.assertIn("record 3:", line)

    def test_one_byte_changed_in_the_seal(self) -> None:
        payload = payload_of(chain(make_records()))
        tampered = payload.replace(SEAL_TS.encode(), SEAL_TS.replace("120Z", "121Z").encode())
        env = envelope(payload).replace(b64(payload).encode(), b64(tampered).encode())
        self.assert_fail(self.run_verifier([env]), "signature")

    def test_truncated(self) -> None:
        lines = chain(make_records())[:-2]
        line = self.assert_fail(self.run_verifier([envelope(payload_of(lines))]), "seal")
        self.assertIn(f"record {len(lines) - 1}:", line)

    def test_seal_removed(self) -> None:
        lines = chain(make_records())[:-1]
        self.assert_fail(self.run_verifier([envelope(payload_of(lines))]), "seal")

    def test_seal_not_last(self) -> None:
        lines = chain(make_records() + [{"type": "note", "text": "after", "ts": SEAL_TS}])
        line = self.assert_fail(self.run_verifier([envelope(payload_of(lines))]), "seal")
        self.assertIn(f"record {len(lines) - 2}:", line)

    def test_seal_entries_wrong(self) -> None:
        records = make_records()
        records[-1]["entries"] = 3
        self.assert_fail(self.run_verifier([envelope(payload_of(chain(records)))]), "seal")

    def test_records_swapped(self) -> None:
        lines = chain(make_records())
        lines[1], lines[2] = lines[2], lines[1]
        line = self.assert_fail(self.run_verifier([envelope(payload_of(lines))]), "seq")
        self.assertIn("record 1:", line)

    def test_seq_gap(self) -> None:
        lines = chain(make_records())
        del lines[2]
        self.assert_fail(self.run_verifier([envelope(payload_of(lines))]), "seq")

    def test_signed_by_a_different_key(self) -> None:
        env = envelope(payload_of(chain(make_records())), signer=KEY_B, keyid=key_id(KEY_A))
        self.assert_fail(self.run_verifier([env]), "signature")

    def test_key_not_in_allowed_signers(self) -> None:
        allowed = allowed_line("bob@example.org", KEY_B)
        self.assert_fail(self.run_verifier([envelope(payload_of(chain(make_records())))], allowed), "not trusted")

    def test_key_expired(self) -> None:
        allowed = allowed_line("alice@example.org", KEY_A, 'valid-before="20261201Z"')
        line = self.assert_fail(self.run_verifier([envelope(payload_of(chain(make_records())))], allowed), "not valid")
        self.assertIn(f"not valid at {SEAL_TS}", line)

    def test_key_not_yet_valid(self) -> None:
        allowed = allowed_line("alice@example.org", KEY_A, 'valid-after="202612030915"')
        self.assert_fail(self.run_verifier([envelope(payload_of(chain(make_records())))], allowed), "not valid")

    def test_namespace_not_allowed(self) -> None:
        allowed = allowed_line("alice@example.org", KEY_A, 'namespaces="git,file"')
        self.assert_fail(self.run_verifier([envelope(payload_of(chain(make_records())))], allowed), "namespace")

    def test_bad_payload_type(self) -> None:
        env = envelope(payload_of(chain(make_records())), payload_type="application/vnd.in-toto+json")
        self.assert_fail(self.run_verifier([env]), "payload type")

    def test_handover_but_sealed_by_first_key(self) -> None:
        lines = chain(make_records(seal_key=KEY_A, handover_to=KEY_B))
        allowed = GOOD_ALLOWED + allowed_line("bob@example.org", KEY_B)
        line = self.assert_fail(self.run_verifier([envelope(payload_of(lines))], allowed), "key id")
        self.assertIn("handover at record 4", line)

    def test_envelope_keyid_disagrees_with_seal(self) -> None:
        env = envelope(payload_of(chain(make_records())), keyid=key_id(KEY_B))
        self.assert_fail(self.run_verifier([env]), "key id")

    def test_header_mode_and_scenario_must_agree(self) -> None:
        scenario = {"id": "phishing-tabletop", "sha256": "cd" * 32}
        drill = make_records()
        drill[0] |= {"mode": "drill", "scenario": scenario}
        self.assert_ok(self.run_verifier([envelope(payload_of(chain(drill)))]))
        for change, keyword in [
            ({"mode": "drill"}, "names no scenario"),
            ({"mode": "drill", "scenario": {"id": "phishing-tabletop"}}, "names no scenario"),
            ({"mode": "drill", "scenario": {"id": "x", "sha256": "CD" * 32}}, "names no scenario"),
            ({"mode": "live", "scenario": scenario}, "names a scenario"),
            ({"mode": "rehearsal"}, "expected live or drill"),
        ]:
            with self.subTest(change=change):
                records = make_records()
                records[0] |= change
                line = self.assert_fail(self.run_verifier([envelope(payload_of(chain(records)))]), keyword)
                self.assertIn("record 0", line)

    def test_runbook_mismatch(self) -> None:
        other = self.write("other.yaml", RUNBOOK + b"# edited\n")
        env = envelope(payload_of(chain(make_records())))
        self.assert_fail(self.run_verifier([env], runbook=other), "runbook")

    def test_garbage_input(self) -> None:
        good = payload_of(chain(make_records()))
        rng = random.Random(1)
        garbage = [
            b"",
            b"\xff\xfe\x00\x01garbage",
            rng.randbytes(512),
            b"[]",
            b'"payload"',
            b"[" * 100_000,
            b'{"payload": 5, "payloadType": [], "signatures": {}}',
            b'{"payload": "!!", "payloadType": "%s", "signatures": [{"sig": "AAAA"}]}' % PAYLOAD_TYPE.encode(),
            b'{"payload": NaN}',
            envelope(b"\xff\xfe\n"),
            envelope(b'{"seq": 1e999999}\n'),
            envelope(b'{"seq": ' + b"9" * 5000 + b"}\n"),
            envelope(b"[" * 100_000 + b"\n"),
            envelope(good.replace(b'"format":1', b'"format":true')),
            envelope(good.replace(b'"seq":0', b'"seq":0.0')),
            envelope(good[:-1]),
            envelope(good + b"\n"),
        ]
        for i, data in enumerate(garbage):
            with self.subTest(i=i):
                result = self.run_verifier([data])
                self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
                self.assertNotIn("Traceback", result.stderr)
                self.assertRegex(result.stdout, r"^FAIL \S+: [^\n]+\n$")
                self.assertNotIn("internal error", result.stdout)

    def test_unreadable_file(self) -> None:
        cmd = [sys.executable, str(SCRIPT), str(self.dir / "missing.json"),
               "--allowed-signers", str(self.write("allowed_signers", GOOD_ALLOWED))]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 2)
        self.assertNotIn("Traceback", result.stderr)


# --------------------------------------------------------------------------
# Tests of the pieces, in process
# --------------------------------------------------------------------------


class AllowedSignersTest(unittest.TestCase):
    def parse(self, text: str) -> list[sv.AllowedSigner]:
        signers, _warnings = sv.parse_allowed_signers(text.encode("utf-8"))
        return signers

    def test_forms(self) -> None:
        key = ssh_key_line(KEY_A)
        signers = self.parse(
            f"# comment\n\n   \n"
            f"a@x {key}\n"
            f'"b@x,c@x" {key} comment with spaces\n'
            f'd@x namespaces="stepwise-log,git",valid-before="20270101Z" {key}\n'
            f'e@x valid-after="20260102",VALID-BEFORE="202601031200" {key}\n'
            f"f@x cert-authority {key}\n"
            f"g@x ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ==\n"
        )
        self.assertEqual([s.principals for s in signers], [("a@x",), ("b@x", "c@x"), ("d@x",), ("e@x",)])
        self.assertIsNone(signers[0].namespaces)
        self.assertEqual(signers[2].namespaces, ("stepwise-log", "git"))
        self.assertEqual(signers[3].valid_after, sv.parse_signer_time("20260102000000Z"))
        self.assertEqual(signers[3].valid_before, sv.parse_signer_time("202601031200Z"))

    def test_malformed_lines_are_skipped(self) -> None:
        key = ssh_key_line(KEY_A)
        text = (
            f'a@x namespaces="unterminated {key}\n'
            f'b@x valid-after="20261340Z" {key}\n'
            f"c@x no-such-option {key}\n"
            f"d@x ssh-ed25519 AAAA\n"
            f"e@x\n"
        )
        signers, warnings = sv.parse_allowed_signers(text.encode("utf-8"))
        self.assertEqual(signers, [])
        self.assertEqual(len(warnings), 5)

    def test_validity_bounds_inclusive(self) -> None:
        signer = self.parse(f'a@x valid-after="20261203091405Z",valid-before="20261203091405" {ssh_key_line(KEY_A)}\n')[0]
        t = sv.parse_seal_ts(SEAL_TS)
        self.assertTrue(signer.valid_at(t))
        self.assertFalse(signer.valid_at(t - 1))
        self.assertFalse(signer.valid_at(t + 1))

    def test_namespace_patterns(self) -> None:
        self.assertTrue(sv.match_pattern_list("stepwise-log", ("git", "stepwise-*")))
        self.assertFalse(sv.match_pattern_list("stepwise-log", ("*", "!stepwise-log")))
        self.assertFalse(sv.match_pattern_list("stepwise-log", ("stepwise",)))


class PieceTest(unittest.TestCase):
    def test_key_id_and_pae(self) -> None:
        key = sv.parse_seal_key(ssh_key_line(KEY_A))
        self.assertEqual(key.key_id, key_id(KEY_A))
        self.assertEqual(sv.pae("t", b"ab"), b"DSSEv1 1 t 2 ab")

    def test_malformed_seal_keys(self) -> None:
        blob = wire_blob(KEY_A)
        bad = [
            None,
            "ssh-ed25519",
            "ssh-rsa " + b64(blob),
            "ssh-ed25519  " + b64(blob),
            "ssh-ed25519 " + b64(blob) + " comment",
            "ssh-ed25519 " + b64(blob)[:-1] + "*",
            "ssh-ed25519 " + b64(blob) + "=",
            "ssh-ed25519 " + b64(blob + b"\x00"),
            "ssh-ed25519 " + b64(blob[:-1]),
            "ssh-ed25519 " + b64(ssh_string(b"ssh-rsa") + blob[15:]),
        ]
        for value in bad:
            with self.subTest(value=value), self.assertRaises(ValueError):
                sv.parse_seal_key(value)

    def test_mutations_never_crash(self) -> None:
        """Every single-byte change of a re-signed log fails cleanly, never crashes."""
        signers, _ = sv.parse_allowed_signers(GOOD_ALLOWED.encode())
        payload = payload_of(chain(make_records(handover_to=KEY_A)))
        sv.verify_envelope(envelope(payload), signers, RUNBOOK)
        seal_start = payload.rindex(b"\n", 0, len(payload) - 1) + 1
        rng = random.Random(7)
        for pos in range(len(payload)):
            mutated = bytearray(payload)
            mutated[pos] = rng.choice([0x00, 0x22, 0x30, 0x5C, 0x7B, 0x7D, 0xFF, mutated[pos] ^ 0x01])
            if mutated == payload:
                continue
            with self.subTest(pos=pos):
                try:
                    sv.verify_envelope(envelope(bytes(mutated)), signers, RUNBOOK)
                except sv.VerifyError:
                    continue
                # Re-signed, so only a harmless change inside the seal may pass.
                self.assertGreaterEqual(pos, seal_start)


if __name__ == "__main__":
    unittest.main()
