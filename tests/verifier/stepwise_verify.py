#!/usr/bin/env python3
"""Independent verifier for Stepwise signed completion logs (evidence format 1).

This script is written from docs/evidence.md alone, without reading the Rust
implementation, so that it checks that implementation independently. It uses
only the standard library and the `cryptography` package.

Usage:

    python3 stepwise_verify.py FILE... --allowed-signers FILE [--runbook FILE]

Each FILE is a DSSE envelope (`*.stepwise.json`). The checks of the section
"What a verifier checks, in order" run in that order, and the first failure is
the answer. Per file one line is printed:

    OK FILE signer=PRINCIPALS key=KEYID entries=N head=HEXHASH
    FAIL FILE: record SEQ: REASON        (or FAIL FILE: REASON)

Exit status: 0 if every file is OK, 1 if any failed, 2 on usage errors or
unreadable files.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, NoReturn, Optional, Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

PAYLOAD_TYPE = "application/vnd.stepwise.log+jsonl"
NAMESPACE = "stepwise-log"
KEY_TYPE = "ssh-ed25519"
ZERO_HASH = "0" * 64
SIGNATURE_LEN = 64
ED25519_KEY_LEN = 32


# --------------------------------------------------------------------------
# Errors and small helpers
# --------------------------------------------------------------------------


class VerifyError(Exception):
    """A failed check: the reason and, where there is one, the record's seq."""

    def __init__(self, reason: str, seq: Optional[int] = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.seq = seq

    def __str__(self) -> str:
        if self.seq is None:
            return self.reason
        return f"record {self.seq}: {self.reason}"


def fail(reason: str, seq: Optional[int] = None) -> NoReturn:
    raise VerifyError(reason, seq)


def show(value: Any, limit: int = 48) -> str:
    """A short, single-line, ASCII rendering of an untrusted JSON value."""
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def one_line(text: str) -> str:
    """Replace control characters so that a report stays on one line."""
    return "".join(c if c.isprintable() else "?" for c in text)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_int(value: Any) -> bool:
    """A JSON integer (bool is a subclass of int in Python and is excluded)."""
    return type(value) is int


def strict_b64decode(text: str) -> bytes:
    """Decode standard, padded, canonical base64; raise ValueError otherwise."""
    data = base64.b64decode(text, validate=True)
    if base64.b64encode(data).decode("ascii") != text:
        raise ValueError("non-canonical base64")
    return data


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"duplicate key {show(key)}")
        obj[key] = value
    return obj


def parse_json(text: str) -> Any:
    """Strict JSON: no NaN/Infinity, no duplicate keys. Raises ValueError."""
    try:
        return json.loads(
            text, object_pairs_hook=_unique_object, parse_constant=_reject_constant
        )
    except RecursionError:
        raise ValueError("nested too deeply") from None


# --------------------------------------------------------------------------
# SSH keys
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SshKey:
    """An ssh-ed25519 public key: its SSH wire blob and the 32 key bytes."""

    blob: bytes
    raw: bytes

    @property
    def key_id(self) -> str:
        digest = hashlib.sha256(self.blob).digest()
        return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def _read_ssh_string(buf: bytes, offset: int) -> tuple[bytes, int]:
    if offset + 4 > len(buf):
        raise ValueError("truncated wire blob")
    length = int.from_bytes(buf[offset : offset + 4], "big")
    end = offset + 4 + length
    if end > len(buf):
        raise ValueError("truncated wire blob")
    return buf[offset + 4 : end], end


def parse_wire_blob(blob: bytes) -> SshKey:
    """string "ssh-ed25519", string of 32 key bytes, and nothing else."""
    key_type, offset = _read_ssh_string(blob, 0)
    if key_type != KEY_TYPE.encode("ascii"):
        raise ValueError("wire blob is not ssh-ed25519")
    raw, offset = _read_ssh_string(blob, offset)
    if len(raw) != ED25519_KEY_LEN:
        raise ValueError(f"key is {len(raw)} bytes, expected {ED25519_KEY_LEN}")
    if offset != len(blob):
        raise ValueError("trailing bytes after the key")
    return SshKey(blob=blob, raw=raw)


def parse_key_fields(key_type: str, b64: str) -> SshKey:
    """The key type token and the base64 token of an OpenSSH public key."""
    if key_type != KEY_TYPE:
        raise ValueError(f"key type is {show(key_type)}, expected {KEY_TYPE}")
    try:
        blob = strict_b64decode(b64)
    except ValueError:
        raise ValueError("key is not valid base64") from None
    return parse_wire_blob(blob)


def parse_seal_key(value: Any) -> SshKey:
    """The seal's `key`: exactly `ssh-ed25519 <base64>`."""
    if not isinstance(value, str):
        raise ValueError("not a string")
    parts = value.split(" ")
    if len(parts) != 2:
        raise ValueError("expected 'ssh-ed25519 <base64>'")
    return parse_key_fields(parts[0], parts[1])


# --------------------------------------------------------------------------
# Times
# --------------------------------------------------------------------------

SEAL_TS_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.[0-9]{3}Z"
)
SIGNER_TIME_RE = re.compile(
    r"([0-9]{4})([0-9]{2})([0-9]{2})(?:([0-9]{2})([0-9]{2})([0-9]{2})?)?[Zz]?"
)


def _epoch(fields: Iterable[Optional[str]]) -> int:
    """Whole UTC seconds since the epoch; ValueError for impossible dates."""
    parts = [int(f) if f else 0 for f in fields]
    return int(datetime(*parts, tzinfo=timezone.utc).timestamp())


def parse_seal_ts(value: Any) -> int:
    """RFC 3339 UTC with milliseconds, truncated to whole seconds."""
    if not isinstance(value, str):
        raise ValueError("not a string")
    match = SEAL_TS_RE.fullmatch(value)
    if match is None:
        raise ValueError("not RFC 3339 UTC with milliseconds")
    return _epoch(match.groups())


def parse_signer_time(value: str) -> int:
    """allowed_signers YYYYMMDD[HHMM[SS]] with optional Z, read as UTC."""
    match = SIGNER_TIME_RE.fullmatch(value)
    if match is None:
        raise ValueError(f"bad time {show(value)}")
    return _epoch(match.groups())


# --------------------------------------------------------------------------
# allowed_signers
# --------------------------------------------------------------------------

SPACE = " \t\r\n"
KEY_TYPE_RE = re.compile(r"(?:ssh|ecdsa|sk)-[A-Za-z0-9@._+-]+")
OPTION_RE = re.compile(r'([A-Za-z][A-Za-z0-9-]*)(?:=(?:"([^"]*)"|([^",]*)))?')


@dataclass(frozen=True)
class AllowedSigner:
    line_no: int
    principals: tuple[str, ...]
    key: SshKey
    namespaces: Optional[tuple[str, ...]]  # None: every namespace
    valid_after: Optional[int]
    valid_before: Optional[int]

    def allows_namespace(self, namespace: str) -> bool:
        return self.namespaces is None or match_pattern_list(namespace, self.namespaces)

    def valid_at(self, t: int) -> bool:
        if self.valid_after is not None and t < self.valid_after:
            return False
        return self.valid_before is None or t <= self.valid_before


class SkipLine(Exception):
    """A line that is irrelevant here (another key type, cert-authority)."""


def match_pattern(name: str, pattern: str) -> bool:
    """OpenSSH pattern: `*` any run of characters, `?` one character."""
    regex = "".join(
        ".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern
    )
    return re.fullmatch(regex, name, re.DOTALL) is not None


def match_pattern_list(name: str, patterns: Sequence[str]) -> bool:
    """OpenSSH pattern-list: a matching `!pattern` denies, else any match allows."""
    matched = False
    for pattern in patterns:
        if pattern.startswith("!"):
            if match_pattern(name, pattern[1:]):
                return False
        elif match_pattern(name, pattern):
            matched = True
    return matched


def split_token(text: str) -> tuple[str, str]:
    """Split off the first token; whitespace inside double quotes is kept."""
    quoted = False
    end = 0
    while end < len(text):
        c = text[end]
        if c == '"':
            quoted = not quoted
        elif c in SPACE and not quoted:
            break
        end += 1
    if quoted:
        raise ValueError("unterminated quote")
    return text[:end], text[end:].lstrip(SPACE)


def split_list(value: str) -> tuple[str, ...]:
    return tuple(value.split(","))


def parse_principals(token: str) -> tuple[str, ...]:
    if token.startswith('"'):
        if len(token) < 2 or not token.endswith('"') or '"' in token[1:-1]:
            raise ValueError("bad quoting in principals")
        token = token[1:-1]
    elif '"' in token:
        raise ValueError("bad quoting in principals")
    if not token:
        raise ValueError("no principals")
    return split_list(token)


def parse_options(text: str) -> dict[str, str]:
    """Comma-separated options; values optionally double-quoted."""
    options: dict[str, str] = {}
    pos = 0
    while True:
        match = OPTION_RE.match(text, pos)
        if match is None:
            raise ValueError(f"bad options {show(text)}")
        name = match.group(1).lower()
        value = match.group(2) if match.group(2) is not None else match.group(3)
        if name in options:
            raise ValueError(f"option {name} given twice")
        options[name] = value if value is not None else ""
        pos = match.end()
        if pos == len(text):
            return options
        if text[pos] != ",":
            raise ValueError(f"bad options {show(text)}")
        pos += 1


def parse_allowed_signer(line_no: int, text: str) -> Optional[AllowedSigner]:
    """One line; None for blank and comment lines. Raises SkipLine/ValueError."""
    text = text.lstrip(SPACE)
    if not text or text.startswith("#"):
        return None
    token, rest = split_token(text)
    principals = parse_principals(token)
    token, rest = split_token(rest)
    options: dict[str, str] = {}
    if not KEY_TYPE_RE.fullmatch(token):
        options = parse_options(token)
        token, rest = split_token(rest)
    key_type = token
    key_b64, _comment = split_token(rest)
    if not key_type or not key_b64:
        raise ValueError("missing key")
    if "cert-authority" in options:
        raise SkipLine("cert-authority")
    if key_type != KEY_TYPE:
        raise SkipLine(f"key type {key_type}")
    unknown = set(options) - {"namespaces", "valid-after", "valid-before"}
    if unknown:
        raise ValueError(f"unsupported option {sorted(unknown)[0]}")
    namespaces = options.get("namespaces")
    valid_after = options.get("valid-after")
    valid_before = options.get("valid-before")
    return AllowedSigner(
        line_no=line_no,
        principals=principals,
        key=parse_key_fields(key_type, key_b64),
        namespaces=None if namespaces is None else split_list(namespaces),
        valid_after=None if valid_after is None else parse_signer_time(valid_after),
        valid_before=None if valid_before is None else parse_signer_time(valid_before),
    )


def parse_allowed_signers(data: bytes) -> tuple[list[AllowedSigner], list[str]]:
    """All usable ssh-ed25519 lines, and warnings for malformed lines.

    A malformed line is skipped, never trusted: that can only deny trust.
    """
    signers: list[AllowedSigner] = []
    warnings: list[str] = []
    for line_no, raw in enumerate(data.split(b"\n"), start=1):
        try:
            signer = parse_allowed_signer(line_no, raw.decode("utf-8"))
        except SkipLine:
            continue
        except (ValueError, UnicodeDecodeError) as err:
            warnings.append(f"allowed_signers line {line_no} skipped: {err}")
            continue
        if signer is not None:
            signers.append(signer)
    return signers, warnings


# --------------------------------------------------------------------------
# The checks, in the order of docs/evidence.md
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    payload_type: str
    payload: bytes
    keyid: Any
    sig: bytes


@dataclass(frozen=True)
class Line:
    raw: bytes  # the exact bytes, without the trailing newline
    record: dict[str, Any]


@dataclass(frozen=True)
class Verified:
    principals: tuple[str, ...]
    key_id: str
    entries: int
    head: str

    def report(self) -> str:
        return (
            f"signer={','.join(self.principals)} key={self.key_id} "
            f"entries={self.entries} head={self.head}"
        )


def check_envelope(raw: bytes) -> Envelope:
    """Check 1: the DSSE envelope."""
    try:
        doc = parse_json(raw.decode("utf-8"))
    except UnicodeDecodeError:
        fail("envelope is not UTF-8")
    except ValueError as err:
        fail(f"envelope is not valid JSON: {err}")
    if not isinstance(doc, dict):
        fail("envelope is not a JSON object")
    payload_b64 = doc.get("payload")
    payload_type = doc.get("payloadType")
    signatures = doc.get("signatures")
    if not isinstance(payload_b64, str):
        fail("envelope has no payload string")
    if not isinstance(payload_type, str):
        fail("envelope has no payloadType string")
    if not isinstance(signatures, list):
        fail("envelope has no signatures list")
    if len(signatures) != 1:
        fail(f"envelope has {len(signatures)} signatures, expected exactly one")
    entry = signatures[0]
    if not isinstance(entry, dict) or not isinstance(entry.get("sig"), str):
        fail("envelope signature has no sig string")
    if payload_type != PAYLOAD_TYPE:
        fail(f"wrong payload type {show(payload_type)}")
    try:
        payload = strict_b64decode(payload_b64)
    except ValueError:
        fail("payload is not valid base64")
    try:
        sig = strict_b64decode(entry["sig"])
    except ValueError:
        fail("signature is not valid base64")
    if len(sig) != SIGNATURE_LEN:
        fail(f"signature is {len(sig)} bytes, expected {SIGNATURE_LEN}")
    return Envelope(payload_type, payload, entry.get("keyid"), sig)


def check_lines(payload: bytes) -> list[Line]:
    """Check 2: UTF-8, non-empty, ends in a newline, one JSON object a line."""
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError as err:
        fail("not valid UTF-8", payload.count(b"\n", 0, err.start))
    if not payload:
        fail("payload is empty")
    if not payload.endswith(b"\n"):
        fail("payload does not end in a newline")
    lines: list[Line] = []
    for seq, raw in enumerate(payload[:-1].split(b"\n")):
        try:
            record = parse_json(raw.decode("utf-8"))
        except ValueError as err:
            fail(f"not valid JSON: {err}", seq)
        if not isinstance(record, dict):
            fail("not a JSON object", seq)
        lines.append(Line(raw, record))
    return lines


def check_chain(lines: Sequence[Line]) -> None:
    """Check 3: seq equals the line number; prev is the previous line's hash."""
    expected_prev = ZERO_HASH
    for seq, line in enumerate(lines):
        actual_seq = line.record.get("seq")
        if not is_int(actual_seq) or actual_seq != seq:
            fail(f"seq is {show(actual_seq)}, expected {seq}", seq)
        prev = line.record.get("prev")
        if prev != expected_prev:
            what = "64 zeros" if seq == 0 else f"SHA-256 of record {seq - 1}"
            fail(f"chain broken: prev {show(prev, 20)} is not the {what}", seq)
        expected_prev = sha256_hex(line.raw)


def check_structure(lines: Sequence[Line]) -> None:
    """Check 4: header first, exactly one seal and it is last."""
    header = lines[0].record
    if header.get("type") != "header":
        fail(f"first record has type {show(header.get('type'))}, expected header", 0)
    if not is_int(header.get("format")) or header["format"] != 1:
        fail(f"header format is {show(header.get('format'))}, expected 1", 0)
    if not isinstance(header.get("signer"), str):
        fail("header has no signer", 0)
    mode, scenario = header.get("mode"), header.get("scenario")
    if mode == "drill":
        named = isinstance(scenario, dict) and isinstance(scenario.get("id"), str)
        if not named or not re.fullmatch(r"[0-9a-f]{64}", str(scenario.get("sha256"))):
            fail("header has mode drill but names no scenario (id and sha256)", 0)
    elif mode == "live":
        if "scenario" in header:
            fail("header has mode live but names a scenario", 0)
    else:
        fail(f"header mode is {show(mode)}, expected live or drill", 0)
    last = len(lines) - 1
    for seq, line in enumerate(lines[:last]):
        if line.record.get("type") == "seal":
            fail("seal before the last record", seq)
    seal = lines[last].record
    if seal.get("type") != "seal":
        fail("last record is not a seal: the log is truncated", last)
    entries = seal.get("entries")
    if not is_int(entries) or entries != last:
        fail(f"seal entries is {show(entries)}, expected its seq {last}", last)


def session_holder(lines: Sequence[Line]) -> tuple[Any, int]:
    """The key id holding the session at the seal, and where it was set."""
    holder, since = lines[0].record.get("signer"), 0
    for seq in range(1, len(lines) - 1):
        record = lines[seq].record
        if record.get("type") == "handover":
            holder, since = record.get("signer"), seq
    return holder, since


def check_key(lines: Sequence[Line], envelope: Envelope) -> SshKey:
    """Check 5: the seal key, the envelope keyid and the session holder agree."""
    seal_seq = len(lines) - 1
    try:
        key = parse_seal_key(lines[seal_seq].record.get("key"))
    except ValueError as err:
        fail(f"seal key is not a well-formed ssh-ed25519 key: {err}", seal_seq)
    if envelope.keyid != key.key_id:
        fail(
            f"key id mismatch: envelope keyid {show(envelope.keyid, 60)}, "
            f"seal key {key.key_id}",
            seal_seq,
        )
    holder, since = session_holder(lines)
    if not isinstance(holder, str):
        fail("handover has no signer key id", since)
    if holder != key.key_id:
        origin = "header" if since == 0 else f"handover at record {since}"
        fail(
            f"key id mismatch: seal key {key.key_id}, "
            f"session held by {show(holder, 60)} ({origin})",
            seal_seq,
        )
    return key


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding."""
    type_bytes = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(type_bytes), type_bytes, len(payload), payload)


def check_signature(envelope: Envelope, key: SshKey) -> None:
    """Check 6: Ed25519 over the PAE."""
    try:
        public_key = Ed25519PublicKey.from_public_bytes(key.raw)
        public_key.verify(envelope.sig, pae(envelope.payload_type, envelope.payload))
    except (InvalidSignature, ValueError):
        fail(f"signature does not verify with key {key.key_id}")


def check_trust(
    key: SshKey, seal: dict[str, Any], seal_seq: int, signers: Sequence[AllowedSigner]
) -> tuple[str, ...]:
    """Check 7: allowed_signers. Returns the principals of the matching lines."""
    ts = seal.get("ts")
    try:
        t = parse_seal_ts(ts)
    except ValueError as err:
        fail(f"seal ts {show(ts)}: {err}", seal_seq)
    with_key = [s for s in signers if s.key.raw == key.raw]
    if not with_key:
        fail(f"key {key.key_id} is not trusted: not in allowed_signers")
    in_namespace = [s for s in with_key if s.allows_namespace(NAMESPACE)]
    if not in_namespace:
        fail(f"key {key.key_id} is not allowed for namespace {NAMESPACE}")
    valid = [s for s in in_namespace if s.valid_at(t)]
    if not valid:
        fail(f"key {key.key_id} is not valid at {ts}")
    return tuple(dict.fromkeys(p for s in valid for p in s.principals))


def check_runbook(header: dict[str, Any], runbook: bytes) -> None:
    """Check 8: the runbook file's SHA-256."""
    info = header.get("runbook")
    expected = info.get("sha256") if isinstance(info, dict) else None
    if not isinstance(expected, str):
        fail("header has no runbook.sha256", 0)
    actual = sha256_hex(runbook)
    if actual != expected:
        fail(f"runbook hash mismatch: header {show(expected, 70)}, file {actual}", 0)


def verify_envelope(
    raw: bytes, signers: Sequence[AllowedSigner], runbook: Optional[bytes] = None
) -> Verified:
    """Run every check in order; raise VerifyError at the first failure."""
    envelope = check_envelope(raw)
    lines = check_lines(envelope.payload)
    check_chain(lines)
    check_structure(lines)
    key = check_key(lines, envelope)
    check_signature(envelope, key)
    seal_seq = len(lines) - 1
    principals = check_trust(key, lines[seal_seq].record, seal_seq, signers)
    if runbook is not None:
        check_runbook(lines[0].record, runbook)
    return Verified(
        principals=principals,
        key_id=key.key_id,
        entries=seal_seq,
        head=sha256_hex(lines[seal_seq].raw),
    )


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def verify_file(
    path: str, signers: Sequence[AllowedSigner], runbook: Optional[bytes]
) -> tuple[int, str]:
    """Exit status contribution and the report line for one file."""
    try:
        raw = read_bytes(path)
    except OSError as err:
        return 2, f"FAIL {path}: cannot read file: {err.strerror or err}"
    try:
        verified = verify_envelope(raw, signers, runbook)
    except VerifyError as err:
        return 1, f"FAIL {path}: {err}"
    except Exception as err:  # fail closed on anything unforeseen
        return 1, f"FAIL {path}: internal error: {type(err).__name__}"
    return 0, f"OK {path} {verified.report()}"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description="Verify Stepwise signed completion logs (docs/evidence.md)."
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="*.stepwise.json")
    parser.add_argument("--allowed-signers", required=True, metavar="FILE")
    parser.add_argument("--runbook", metavar="FILE")
    args = parser.parse_args(argv)

    try:
        signers, warnings = parse_allowed_signers(read_bytes(args.allowed_signers))
        runbook = read_bytes(args.runbook) if args.runbook is not None else None
    except OSError as err:
        print(f"error: cannot read {err.filename}: {err.strerror}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"warning: {one_line(warning)}", file=sys.stderr)

    status = 0
    for path in args.files:
        code, report = verify_file(path, signers, runbook)
        print(one_line(report), flush=True)
        status = max(status, code)
    return status


if __name__ == "__main__":
    sys.exit(main())
