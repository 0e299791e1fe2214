//! Evidence end to end: a real session, exported with fixed keys and fixed 2026 times, then
//! tampered with in the ways docs/evidence.md guards against. Three verifiers judge every
//! file and must agree, for the reason the case names: our `stepwise verify`, the Python
//! verifier in tests/verifier (written from the spec alone) and OpenSSH's `ssh-keygen -Y
//! verify` on the SSHSIG pair. Also: `stepwise verify`/`report` exit codes, a byte-flip sweep
//! that must never pass nor panic, and the committed golden vector.
//!
//! The auditor's tools are required, never skipped: when python3's `cryptography` or
//! `ssh-keygen` is missing the tests fail and say so (scripts/lib/ensure.sh,
//! `ensure_auditor_tools`, installs both).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, OnceLock};

use stepwise_core::evidence::{pae, sshsig, Envelope, Export, SeedKey, Unsigned, PAYLOAD_TYPE};
use stepwise_core::runbook::{parse, SourceFormat};
use stepwise_core::session::{Action, Actor, AppInfo, Body, Record, Seq, Session, Start};
use stepwise_core::{Digest, ItemId, SessionId, StepId, Timestamp};
use tempfile::TempDir;

const ALICE_SEED: [u8; 32] = [7; 32];
const BOB_SEED: [u8; 32] = [8; 32];
const MALLORY_SEED: [u8; 32] = [9; 32];
const RUNBOOK: &str = "runbooks/vpn-not-connecting.yaml";
const OTHER_RUNBOOK: &str = "runbooks/disk-space-alert.yaml";
const GOLDEN: &str = "tests/fixtures/evidence";
/// Seconds after the session's start at which every export here is sealed.
const SEAL_AT: i64 = 1_800;

// ---------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------

#[test]
fn a_good_export_verifies_in_all_three_and_prints_its_facts() {
    let t = Tmp::new();
    let (session, export) = good_export();
    let dir = check(&t, &Case::new("good", Files::of(&export)));
    let envelope = dir.join("log.stepwise.json");
    let out = stepwise(&[
        "verify",
        s(&envelope),
        "--allowed-signers",
        s(&dir.join("allowed_signers")),
    ]);
    assert_eq!(
        stdout(&out).trim_end(),
        format!(
            "OK {} signer=alice@example.org key={} entries={} head={}",
            envelope.display(),
            alice().public_key().key_id(),
            session.lines().len(),
            export.head.to_hex()
        )
    );
}

#[test]
fn the_right_runbook_verifies_and_another_is_a_runbook_mismatch() {
    let t = Tmp::new();
    let files = Files::of(&good_export().1);
    check(
        &t,
        &Case {
            runbook: Some(repo(RUNBOOK)),
            ..Case::new("same-runbook", files.clone())
        },
    );
    // ssh-keygen knows nothing of runbooks: for it the pair is simply well signed.
    check(
        &t,
        &Case {
            runbook: Some(repo(OTHER_RUNBOOK)),
            log: Reject("runbook"),
            ..Case::new("other-runbook", files)
        },
    );
}

#[test]
fn tampering_without_the_key_is_rejected_by_all_three() {
    let t = Tmp::new();
    let good = Files::of(&good_export().1);
    let lines = lines_of(&good.jsonl);
    let mut swapped = lines.clone();
    swapped.swap(1, 2);
    let one_byte = replace_once(&good.jsonl, "rebooted the router", "rebooted the routes");
    let cases = [
        Case {
            log: Reject("chain"),
            ssh: Reject("incorrect signature"),
            ..Case::new("one-byte-changed", good.with_payload(one_byte))
        },
        Case {
            log: Reject("truncated"),
            ssh: Reject("incorrect signature"),
            ..Case::new(
                "truncated",
                good.with_payload(join(&lines[..lines.len() - 1])),
            )
        },
        Case {
            log: Reject("seq"),
            ssh: Reject("incorrect signature"),
            ..Case::new("swapped", good.with_payload(join(&swapped)))
        },
    ];
    for case in &cases {
        check(&t, case);
    }
}

#[test]
fn a_seal_removed_and_re_signed_by_the_same_key_is_truncated() {
    let t = Tmp::new();
    let (session, _) = good_export();
    // The key's owner re-signs the bare session lines. ssh-keygen sees only bytes and a valid
    // signature, so it accepts: only the log's own structure, which ours and Python's read,
    // shows the seal is missing. Asserting the acceptance shows the re-signing is genuine.
    let files = Files::signed(session.to_jsonl().as_bytes(), &alice(), None);
    check(
        &t,
        &Case {
            log: Reject("truncated"),
            ..Case::new("seal-removed", files)
        },
    );
}

#[test]
fn a_header_whose_mode_and_scenario_disagree_is_rejected_though_signed() {
    let t = Tmp::new();
    let good = Files::of(&good_export().1);
    let scenario = format!(
        r#""mode":"live","scenario":{{"id":"phishing-tabletop","sha256":"{}"}}"#,
        "cd".repeat(32)
    );
    // Written so by the producer and signed by the key holding the session: ssh-keygen sees
    // a good signature; the log format (docs/evidence.md, check 4) is what refuses it.
    let cases = [
        ("drill-without-scenario", r#""mode":"drill""#, "no scenario"),
        ("live-with-scenario", scenario.as_str(), "names a scenario"),
    ];
    for (name, header, reason) in cases {
        let payload = with_header(&good.jsonl, r#""mode":"live""#, header);
        check(
            &t,
            &Case {
                log: Reject(reason),
                ..Case::new(name, Files::signed(&payload, &alice(), None))
            },
        );
    }
}

#[test]
fn a_wrong_key_is_rejected_by_all_three() {
    let t = Tmp::new();
    let good = Files::of(&good_export().1);
    let alice_id = alice().public_key().key_id().to_string();
    let cases = [
        // The envelope still names Alice's key, which the seal also names.
        Case {
            log: Reject("signature"),
            ssh: Reject(""),
            ..Case::new(
                "wrong-key",
                Files::signed(&good.jsonl, &mallory(), Some(&alice_id)),
            )
        },
        // The envelope honestly names the key that signed, which is not the seal's. The
        // SSHSIG pair names no key id outside its signature, so there it is the signature.
        Case {
            log: Reject("key id"),
            pair: Some(Reject("signature")),
            ssh: Reject(""),
            ..Case::new(
                "wrong-key-named",
                Files::signed(&good.jsonl, &mallory(), None),
            )
        },
    ];
    for case in &cases {
        check(&t, case);
    }
}

#[test]
fn trust_is_checked_for_key_namespace_and_validity_at_the_seal() {
    let t = Tmp::new();
    let good = Files::of(&good_export().1);
    let (mallory_session, _) = session_by(&mallory(), RUNBOOK, [3; 16]);
    let mallory_export = export(&mallory_session, &mallory(), Some(mallory_actor()));
    let alice_key = alice().public_key().to_openssh("");
    let cases = [
        Case {
            log: Reject("not trusted"),
            ssh: Reject(""),
            ..Case::new("untrusted", Files::of(&mallory_export))
        },
        Case {
            trust: alice_trust(",valid-before=\"20260201Z\""),
            log: Reject("not valid"),
            ssh: Reject("expired"),
            ..Case::new("expired", good.clone())
        },
        Case {
            trust: format!(
                "alice@example.org namespaces=\"stepwise-log\",valid-after=\"20270101Z\" {alice_key}\n"
            ),
            log: Reject("not valid"),
            ssh: Reject("not yet valid"),
            ..Case::new("not-yet-valid", good.clone())
        },
        Case {
            trust: format!("alice@example.org namespaces=\"git\" {alice_key}\n"),
            log: Reject("namespace"),
            ssh: Reject(""),
            ..Case::new("other-namespace", good)
        },
    ];
    for case in &cases {
        check(&t, case);
    }
}

#[test]
fn after_a_handover_only_the_new_holder_can_sign() {
    let t = Tmp::new();
    let session = handed_over_session();
    let by_bob = export(&session, &bob(), Some(bob_actor()));
    assert_eq!(
        seal_by(&session, &bob(), Some(bob_actor())),
        Files::of(&by_bob),
        "the forging helper builds exactly what export builds"
    );
    assert!(
        Unsigned::prepare(&session, &alice().public_key(), at(SEAL_AT), None).is_err(),
        "export refuses a key that no longer holds the session"
    );
    let trust = format!("{}{}", alice_trust(""), bob_trust());
    check(
        &t,
        &Case {
            trust: trust.clone(),
            principal: "bob@example.org",
            ..Case::new("handover-bob", Files::of(&by_bob))
        },
    );
    // Alice's key still makes a good signature, and ssh-keygen cannot see the handover inside
    // the log, so it accepts; ours and Python's see the seal's key disagree with the holder.
    check(
        &t,
        &Case {
            trust,
            log: Reject("key id"),
            ..Case::new(
                "handover-alice",
                seal_by(&session, &alice(), Some(alice_actor())),
            )
        },
    );
}

/// Fixed seeds, session id and times give the same bytes as the committed files, which all
/// three verifiers accept. After a deliberate format change, regenerate them with
/// `STEPWISE_UPDATE_GOLDEN=1 cargo test -p stepwise-cli --test verify golden`.
#[test]
fn golden_vector_is_byte_identical_and_verifies() {
    let export = golden_export();
    let dir = repo(GOLDEN);
    let trust = alice_trust("");
    let files = [
        ("golden.stepwise.json", export.envelope.as_bytes()),
        ("golden.jsonl", export.jsonl.as_bytes()),
        ("golden.jsonl.sig", export.sshsig.as_bytes()),
        ("allowed_signers", trust.as_bytes()),
    ];
    if std::env::var_os("STEPWISE_UPDATE_GOLDEN").is_some() {
        for (name, bytes) in files {
            fs::write(dir.join(name), bytes).expect("writes the golden files");
        }
    }
    for (name, bytes) in files {
        let committed = fs::read(dir.join(name))
            .unwrap_or_else(|e| panic!("{GOLDEN}/{name} is committed: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&committed),
            String::from_utf8_lossy(bytes),
            "{GOLDEN}/{name} differs from what export now writes"
        );
    }
    let t = Tmp::new();
    check(
        &t,
        &Case {
            trust: fs::read_to_string(dir.join("allowed_signers")).expect("committed"),
            runbook: Some(dir.join("vpn-not-connecting.yaml")),
            ..Case::new(
                "golden",
                Files {
                    envelope: fs::read(dir.join("golden.stepwise.json")).expect("committed"),
                    jsonl: fs::read(dir.join("golden.jsonl")).expect("committed"),
                    sig: fs::read(dir.join("golden.jsonl.sig")).expect("committed"),
                },
            )
        },
    );
}

/// A genuinely signed log whose text is made to hurt: markup and script in notes and inputs,
/// a bidirectional override, a NUL, a spreadsheet formula. It verifies (the signature says
/// who wrote it, not that it is harmless), and every report prints it inert. The browser
/// half is tests/e2e/hostile.test.mjs, which drops the committed copy on `#/verify`.
#[test]
fn a_hostile_signed_log_verifies_and_every_report_prints_it_inert() {
    let file = format!("{GOLDEN}/vpn-not-connecting.yaml");
    let (mut session, actor) = session_by(&alice(), &file, [0x66; 16]);
    let notes = [
        "<script>window.__pwned='note'</script><img src=x onerror=\"window.__pwned='img'\">",
        "=HYPERLINK(\"https://evil.example/\",\"click\")",
        "admin\u{202E}txt.exe and a NUL\u{0}here",
        "| table | breaker |\n# heading\n[link](javascript:window.__pwned='md')",
    ];
    for (n, text) in notes.iter().enumerate() {
        let note = Action::AddNote {
            step: None,
            text: (*text).to_owned(),
        };
        apply(&mut session, 300 + n as i64, &actor, note);
    }
    apply(
        &mut session,
        310,
        &actor,
        input("error_code", "<svg onload=\"window.__pwned='svg'\">"),
    );
    let export = export(&session, &alice(), Some(actor));
    let path = repo(&format!("{GOLDEN}/hostile.stepwise.json"));
    if std::env::var_os("STEPWISE_UPDATE_GOLDEN").is_some() {
        fs::write(&path, &export.envelope).expect("writes the hostile log");
    }
    let committed = fs::read_to_string(&path)
        .expect("tests/fixtures/evidence/hostile.stepwise.json is committed");
    assert_eq!(
        committed, export.envelope,
        "the hostile log differs from what export now writes"
    );

    let trust = repo(&format!("{GOLDEN}/allowed_signers"));
    let (p, t) = (s(&path), s(&trust));
    let verified = stepwise(&["verify", p, "--allowed-signers", t]);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    let html = stdout(&stepwise(&[
        "report",
        p,
        "--allowed-signers",
        t,
        "--format",
        "html",
    ]));
    assert!(
        !html.contains("<script>window") && !html.contains("<img") && !html.contains("<svg"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;window.__pwned=&#39;note&#39;&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("admin‹U+202E›txt.exe and a NUL‹U+0000›here"),
        "{html}"
    );
    let md = stdout(&stepwise(&[
        "report",
        p,
        "--allowed-signers",
        t,
        "--format",
        "md",
    ]));
    assert!(
        md.contains("\\<script\\>")
            && md.contains("\\| table \\| breaker \\| \\# heading \\[link\\]"),
        "{md}"
    );
    let csv = stdout(&stepwise(&[
        "report",
        p,
        "--allowed-signers",
        t,
        "--format",
        "csv",
    ]));
    assert!(
        csv.contains(",\"'=HYPERLINK("),
        "formulas are neutralised: {csv}"
    );
    assert!(
        !csv.contains(",=HYPERLINK(") && !csv.contains(",\"=HYPERLINK("),
        "{csv}"
    );
}

// ---------------------------------------------------------------------------------------
// `stepwise verify` and `stepwise report` as commands
// ---------------------------------------------------------------------------------------

#[test]
fn without_allowed_signers_every_file_fails_as_not_trusted() {
    let t = Tmp::new();
    let dir = write_files(&t, "no-trust", &Files::of(&good_export().1));
    let out = stepwise(&[
        "verify",
        s(&dir.join("log.stepwise.json")),
        s(&dir.join("log.jsonl")),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.lines()
            .all(|l| l.starts_with("FAIL ") && l.contains("not trusted")),
        "{text}"
    );
    let help = stdout(&stepwise(&["verify", "--help"]));
    assert!(help.contains("Trust fails closed"), "{help}");
}

#[test]
fn a_log_over_the_size_limit_is_refused_unread_naming_the_limit() {
    let t = Tmp::new();
    let trust = t.write("allowed_signers", alice_trust("").as_bytes());
    let huge = t.write("huge.stepwise.json", b"");
    // Sparse: the file claims its size without taking the disk space.
    fs::File::options()
        .write(true)
        .open(&huge)
        .and_then(|f| f.set_len(stepwise_core::evidence::MAX_LOG_BYTES as u64 + 1))
        .expect("sized");
    let out = stepwise(&["verify", s(&huge), "--allowed-signers", s(&trust)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        format!(
            "FAIL {}: file is {} bytes, over the limit of {} bytes",
            huge.display(),
            stepwise_core::evidence::MAX_LOG_BYTES + 1,
            stepwise_core::evidence::MAX_LOG_BYTES
        )
    );
}

#[test]
fn one_line_per_file_and_any_failure_exits_1() {
    let t = Tmp::new();
    let good = Files::of(&good_export().1);
    let ok = write_files(&t, "ok", &good);
    let bad = write_files(
        &t,
        "bad",
        &good.with_payload(replace_once(&good.jsonl, "LT-0042", "LT-0043")),
    );
    let trust = t.write("allowed_signers", alice_trust("").as_bytes());
    let out = stepwise(&[
        "verify",
        s(&ok.join("log.stepwise.json")),
        s(&bad.join("log.stepwise.json")),
        s(&ok.join("log.jsonl")),
        s(&bad.join("log.jsonl")),
        "--allowed-signers",
        s(&trust),
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let verdicts: Vec<&str> = text
        .lines()
        .map(|l| l.split_once(' ').map_or(l, |(v, _)| v))
        .collect();
    assert_eq!(verdicts, ["OK", "FAIL", "OK", "FAIL"], "{text}");
    assert!(
        text.contains(&format!(
            "FAIL {}: record 3: the chain is broken",
            bad.join("log.stepwise.json").display()
        )),
        "{text}"
    );
}

#[test]
fn unreadable_inputs_exit_2_naming_the_file() {
    let t = Tmp::new();
    let dir = write_files(&t, "files", &Files::of(&good_export().1));
    let trust = t.write("allowed_signers", alice_trust("").as_bytes());
    let envelope = dir.join("log.stepwise.json");
    let no_sig = t.write("lonely.jsonl", b"{}\n");
    let malformed = t.write(
        "malformed_signers",
        b"# trusted keys\nalice@example.org ssh-ed25519 !!!not-base64\n",
    );
    let not_utf8 = t.write("binary_signers", b"# ok\nali\xffce ssh-ed25519 AAAA\n");
    let missing = "/no/such/log.stepwise.json";
    let cases: [(&[&str], String); 6] = [
        (
            &["verify", missing, "--allowed-signers", s(&trust)],
            missing.into(),
        ),
        (
            &["verify", s(&no_sig), "--allowed-signers", s(&trust)],
            format!("{}.sig", no_sig.display()),
        ),
        (
            &[
                "verify",
                s(&envelope),
                "--allowed-signers",
                "/no/such/allowed_signers",
            ],
            "/no/such/allowed_signers".into(),
        ),
        (
            &["verify", s(&envelope), "--allowed-signers", s(&malformed)],
            format!("{}:2:19:", malformed.display()),
        ),
        (
            &["verify", s(&envelope), "--allowed-signers", s(&not_utf8)],
            format!("{}:2:4:", not_utf8.display()),
        ),
        (
            &[
                "verify",
                s(&envelope),
                "--allowed-signers",
                s(&trust),
                "--runbook",
                "/no/such/runbook.yaml",
            ],
            "/no/such/runbook.yaml".into(),
        ),
    ];
    for (args, named) in cases {
        let out = stepwise(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(&named), "{args:?} names {named}: {err}");
    }
    assert_eq!(stepwise(&["verify"]).status.code(), Some(2), "no FILE");
    // A readable file beside an unreadable one is still reported.
    let out = stepwise(&[
        "verify",
        s(&envelope),
        missing,
        "--allowed-signers",
        s(&trust),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).starts_with("OK "), "{}", stdout(&out));
}

#[test]
fn no_byte_flip_passes_and_no_input_panics() {
    let t = Tmp::new();
    let good = Files::of(&good_export().1);
    let trust = t.write("allowed_signers", alice_trust("").as_bytes());
    let mut envelopes = Vec::new();
    let mut logs = Vec::new();
    for i in 0..good.envelope.len() {
        let mut bytes = good.envelope.clone();
        bytes[i] ^= 0x01;
        envelopes.push(t.write(&format!("flip/{i}.stepwise.json"), &bytes));
    }
    for i in 0..good.jsonl.len() {
        let mut bytes = good.jsonl.clone();
        bytes[i] ^= 0x01;
        let path = t.write(&format!("flip/{i}.jsonl"), &bytes);
        t.write(&format!("flip/{i}.jsonl.sig"), &good.sig);
        logs.push(path);
    }
    let garbage: [&[u8]; 9] = [
        b"",
        b"\n",
        b"\xff\xfe\x00garbage",
        b"{}",
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        br#"{"payload":"/w==","payloadType":"application/vnd.stepwise.log+jsonl","signatures":[{"keyid":"x","sig":"AA=="}]}"#,
        br#"{"payload":"","payloadType":"application/vnd.stepwise.log+jsonl","signatures":[]}"#,
        b"{\"seq\":0}\n{\"seq\":1,\"type\":\"seal\"}\n",
        "{\"seq\":0,\"type\":\"header\",\"prev\":\"\u{202e}\"}\n\u{1b}[2J\n".as_bytes(),
    ];
    for (i, bytes) in garbage.iter().enumerate() {
        envelopes.push(t.write(&format!("garbage/{i}.stepwise.json"), bytes));
        logs.push(t.write(&format!("garbage/{i}.jsonl"), bytes));
        t.write(&format!("garbage/{i}.jsonl.sig"), bytes);
    }
    for files in [&envelopes, &logs] {
        let mut args = vec!["verify", "--allowed-signers", s(&trust)];
        args.extend(files.iter().map(|p| s(p)));
        let out = stepwise(&args);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(text.lines().count(), files.len(), "one line per file");
        let passed: Vec<&str> = text.lines().filter(|l| !l.starts_with("FAIL ")).collect();
        assert!(passed.is_empty(), "{passed:#?}");
    }
    // The Python verifier takes envelopes only; it must agree on every one of them.
    let mut args = vec!["--allowed-signers", s(&trust)];
    args.extend(envelopes.iter().map(|p| s(p)));
    let out = python(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), envelopes.len());
    assert!(text.lines().all(|l| l.starts_with("FAIL ")), "{text}");
}

#[test]
fn report_prints_a_verified_log_in_each_format() {
    let t = Tmp::new();
    let (_, export) = good_export();
    let dir = write_files(&t, "report", &Files::of(&export));
    let trust = t.write("allowed_signers", alice_trust("").as_bytes());
    let head = export.head.to_hex();
    for (format, marker) in [
        (None, "# vpn-not-connecting"),
        (Some("md"), "# vpn-not-connecting"),
        (Some("html"), "<!doctype html>"),
        (Some("csv"), "seq,ts,actor,type,step,item,detail\r\n"),
    ] {
        for file in ["log.stepwise.json", "log.jsonl"] {
            let path = dir.join(file);
            let mut args = vec!["report", s(&path), "--allowed-signers", s(&trust)];
            args.extend(format.iter().flat_map(|f| ["--format", f]));
            let out = stepwise(&args);
            let text = stdout(&out);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
            assert!(text.starts_with(marker), "{args:?}: {text}");
            assert!(text.contains("rebooted the router"), "{args:?}: {text}");
            if format != Some("csv") {
                assert!(text.contains(&head), "{args:?} names the head: {text}");
                assert!(text.contains("alice@example.org"), "{args:?}: {text}");
            }
        }
    }
}

#[test]
fn report_refuses_a_log_that_does_not_verify() {
    let t = Tmp::new();
    let good = Files::of(&good_export().1);
    let dir = write_files(
        &t,
        "tampered",
        &good.with_payload(replace_once(&good.jsonl, "LT-0042", "LT-0043")),
    );
    let trust = t.write("allowed_signers", alice_trust("").as_bytes());
    let out = stepwise(&[
        "report",
        s(&dir.join("log.stepwise.json")),
        "--allowed-signers",
        s(&trust),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no report: {}", stdout(&out));
    assert!(stderr(&out).contains("chain"), "{}", stderr(&out));
    let untrusted = t.write("nobody", b"# nobody\n");
    let out = stepwise(&[
        "report",
        s(&dir.join("log.stepwise.json")),
        "--allowed-signers",
        s(&untrusted),
    ]);
    assert_eq!(out.status.code(), Some(1));
    // Until the core can report a log without a trust decision, trust is required.
    let out = stepwise(&["report", s(&dir.join("log.stepwise.json"))]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--allowed-signers"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------------------
// One check for every case: three verifiers, one verdict
// ---------------------------------------------------------------------------------------

/// What a verifier must say about a case.
#[derive(Debug, Clone, Copy)]
enum Verdict {
    Accept,
    /// Rejected, the reason containing this keyword ("" when the tool gives no reason).
    Reject(&'static str),
}
use Verdict::{Accept, Reject};

struct Case {
    name: &'static str,
    files: Files,
    /// The allowed_signers file's text.
    trust: String,
    runbook: Option<PathBuf>,
    /// The principal ssh-keygen is asked about (`-I`).
    principal: &'static str,
    /// Ours and Python's, on the envelope; ours on the `.jsonl` pair too unless `pair` says.
    log: Verdict,
    pair: Option<Verdict>,
    /// `ssh-keygen -Y verify` on the `.jsonl` pair.
    ssh: Verdict,
}

impl Case {
    /// Alice's export trusted as Alice's, no runbook given: every verifier accepts.
    fn new(name: &'static str, files: Files) -> Case {
        Case {
            name,
            files,
            trust: alice_trust(""),
            runbook: None,
            principal: "alice@example.org",
            log: Accept,
            pair: None,
            ssh: Accept,
        }
    }
}

/// Writes the case's files to their own folder and runs the three verifiers on them.
fn check(t: &Tmp, case: &Case) -> PathBuf {
    let dir = write_files(t, case.name, &case.files);
    let trust = t.write(
        &format!("{}/allowed_signers", case.name),
        case.trust.as_bytes(),
    );
    let runbook: Vec<&str> = case
        .runbook
        .iter()
        .flat_map(|r| ["--runbook", s(r)])
        .collect();
    for file in ["log.stepwise.json", "log.jsonl"] {
        let path = dir.join(file);
        let mut args = vec!["verify", s(&path), "--allowed-signers", s(&trust)];
        args.extend(&runbook);
        let verdict = match file {
            "log.jsonl" => case.pair.unwrap_or(case.log),
            _ => case.log,
        };
        let out = stepwise(&args);
        expect(
            case,
            &format!("stepwise verify {file}"),
            verdict,
            &out,
            &stdout(&out),
        );
    }
    let envelope = dir.join("log.stepwise.json");
    let mut args = vec![s(&envelope), "--allowed-signers", s(&trust)];
    args.extend(&runbook);
    let out = python(&args);
    expect(case, "the Python verifier", case.log, &out, &stdout(&out));
    let out = ssh_keygen_verify(&dir, &trust, case.principal);
    let said = format!("{}{}", stdout(&out), stderr(&out));
    expect(case, "ssh-keygen -Y verify", case.ssh, &out, &said);
    dir
}

fn expect(case: &Case, verifier: &str, verdict: Verdict, out: &Output, said: &str) {
    let name = case.name;
    match verdict {
        Accept => assert!(
            out.status.success(),
            "{name}: {verifier} must accept, said:\n{said}"
        ),
        Reject(word) => {
            // A rejection is a verdict: exit 1 from ours and Python's (2 would be a usage
            // error, 101 a panic), any failure from ssh-keygen (it exits 255).
            let code = out.status.code();
            let rejected = if verifier.starts_with("ssh-keygen") {
                code.is_some_and(|c| c != 0)
            } else {
                code == Some(1)
            };
            assert!(
                rejected,
                "{name}: {verifier} must reject, exited {code:?}, said:\n{said}\n{}",
                stderr(out)
            );
            assert!(
                said.contains(word),
                "{name}: {verifier} must reject for `{word}`, said:\n{said}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Sessions, exports and forgeries
// ---------------------------------------------------------------------------------------

fn alice() -> SeedKey {
    SeedKey::from_seed(ALICE_SEED)
}

fn bob() -> SeedKey {
    SeedKey::from_seed(BOB_SEED)
}

fn mallory() -> SeedKey {
    SeedKey::from_seed(MALLORY_SEED)
}

fn person(name: &str, email: &str) -> Actor {
    Actor {
        name: name.into(),
        email: Some(email.into()),
    }
}

fn alice_actor() -> Actor {
    person("Alice Example", "alice@example.org")
}

fn bob_actor() -> Actor {
    person("Bob Example", "bob@example.org")
}

fn mallory_actor() -> Actor {
    person("Mallory Example", "mallory@example.org")
}

/// `seconds` after 2026-03-02T09:00:00.250Z: fixed times, with milliseconds, in 2026.
fn at(seconds: i64) -> Timestamp {
    let start = Timestamp::parse("2026-03-02T09:00:00.250Z").expect("a valid time");
    Timestamp::from_unix_millis(start.unix_millis() + seconds * 1000).expect("in range")
}

/// `-Overify-time` for ssh-keygen: the seal's time in whole UTC seconds.
fn verify_time() -> String {
    at(SEAL_AT)
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect()
}

fn alice_trust(options: &str) -> String {
    format!(
        "# Stepwise signers. Keys are retired with valid-before, never deleted.\n\
         alice@example.org namespaces=\"stepwise-log\",valid-after=\"20260101Z\"{options} {}\n",
        alice().public_key().to_openssh("alice laptop")
    )
}

fn bob_trust() -> String {
    format!(
        "bob@example.org namespaces=\"stepwise-log\",valid-after=\"20260101Z\" {}\n",
        bob().public_key().to_openssh("")
    )
}

fn apply(session: &mut Session, seconds: i64, actor: &Actor, action: Action) {
    let what = format!("{action:?}");
    session
        .apply(action, at(seconds), Some(actor.clone()))
        .unwrap_or_else(|e| panic!("{what} is accepted: {e}"));
}

fn check_item(step: &str, item: &str) -> Action {
    Action::CheckItem {
        step: StepId::new(step),
        item: ItemId::new(item),
    }
}

fn input(id: &str, value: &str) -> Action {
    Action::SetInput {
        input: id.into(),
        value: value.into(),
    }
}

/// A session of the runbook in `file` (relative to the repository), started by `key`'s
/// owner, with a few minutes of ordinary work in it.
fn session_by(key: &SeedKey, file: &str, id: [u8; 16]) -> (Session, Actor) {
    let actor = match key.public_key() {
        k if k == bob().public_key() => bob_actor(),
        k if k == mallory().public_key() => mallory_actor(),
        _ => alice_actor(),
    };
    let path = repo(file);
    let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().expect("a file").to_string_lossy();
    let runbook = parse(&name, &bytes, SourceFormat::Yaml).expect("the runbook parses");
    let start = Start {
        session: SessionId::from_random_bytes(id),
        app: AppInfo {
            name: "stepwise".into(),
            version: "0.1.0".into(),
        },
        runbook_sha256: Digest::of(&bytes),
        priority_matrix: None,
        signer: Some(key.public_key().key_id().to_string()),
        drill: None,
    };
    let mut session = Session::start(Arc::new(runbook), start, at(0), Some(actor.clone()));
    let a = &actor;
    apply(&mut session, 30, a, input("user", "jo.bloggs@example.org"));
    apply(&mut session, 45, a, input("hostname", "LT-0042"));
    apply(&mut session, 60, a, input("vpn_client", "GlobalProtect"));
    apply(
        &mut session,
        90,
        a,
        check_item("gather-details", "confirm-user-device"),
    );
    let note = Action::AddNote {
        step: Some(StepId::new("gather-details")),
        text: "User rebooted the router; same error".into(),
    };
    apply(&mut session, 120, a, note);
    apply(
        &mut session,
        150,
        a,
        check_item("gather-details", "record-client"),
    );
    apply(
        &mut session,
        200,
        a,
        Action::EnterStep(StepId::new("check-outage")),
    );
    apply(
        &mut session,
        260,
        a,
        check_item("check-outage", "status-page"),
    );
    (session, actor)
}

/// Exports `session` sealed at [`SEAL_AT`], signed by `key` as the app's signer would.
fn export(session: &Session, key: &SeedKey, actor: Option<Actor>) -> Export {
    export_at(session, key, SEAL_AT, actor)
}

fn export_at(session: &Session, key: &SeedKey, seconds: i64, actor: Option<Actor>) -> Export {
    let unsigned = Unsigned::prepare(session, &key.public_key(), at(seconds), actor)
        .expect("the key holds the session");
    let dsse = key.sign(&unsigned.dsse_message());
    let sshsig = key.sign(&unsigned.sshsig_message());
    unsigned
        .finish(dsse, sshsig)
        .expect("the signatures verify")
}

fn good_export() -> (Session, Export) {
    let (session, actor) = session_by(&alice(), RUNBOOK, [1; 16]);
    let export = export(&session, &alice(), Some(actor));
    (session, export)
}

/// Alice starts and hands over to Bob, whose key holds the session from then on.
fn handed_over_session() -> Session {
    let (mut session, alice_actor) = session_by(&alice(), RUNBOOK, [2; 16]);
    let handover = Action::HandOver {
        from: alice_actor.clone(),
        to: bob_actor(),
        signer: Some(bob().public_key().key_id().to_string()),
    };
    apply(&mut session, 600, &alice_actor, handover);
    apply(
        &mut session,
        900,
        &bob_actor(),
        check_item("check-outage", "similar-tickets"),
    );
    session
}

/// The golden session: fixed everything, an earlier export marked in the chain, then more
/// work and the export that is committed.
fn golden_export() -> Export {
    let file = format!("{GOLDEN}/vpn-not-connecting.yaml");
    let (mut session, actor) = session_by(&alice(), &file, [0x5e; 16]);
    let first = export_at(&session, &alice(), 1_200, Some(actor.clone()));
    session
        .apply(first.mark(), at(1_200), Some(actor.clone()))
        .expect("the export is marked");
    let similar = check_item("check-outage", "similar-tickets");
    apply(&mut session, 1_500, &actor, similar);
    export(&session, &alice(), Some(actor))
}

/// What someone holding `key` can make of `session`, whoever holds it: a seal by that key
/// and both signatures, exactly as an export would build them.
fn seal_by(session: &Session, key: &SeedKey, actor: Option<Actor>) -> Files {
    let entries = session.lines().len() as u64;
    let seal = Record {
        seq: Seq(entries),
        body: Body::Seal {
            entries,
            key: key.public_key().to_openssh(""),
        },
        ts: at(SEAL_AT),
        actor,
        prev: session.head(),
    };
    let mut payload = session.to_jsonl();
    payload.push_str(&serde_json::to_string(&seal).expect("a record serializes"));
    payload.push('\n');
    Files::signed(payload.as_bytes(), key, None)
}

/// The three files of one export, as the app saves them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Files {
    envelope: Vec<u8>,
    jsonl: Vec<u8>,
    sig: Vec<u8>,
}

impl Files {
    fn of(export: &Export) -> Files {
        Files {
            envelope: export.envelope.clone().into_bytes(),
            jsonl: export.jsonl.clone().into_bytes(),
            sig: export.sshsig.clone().into_bytes(),
        }
    }

    /// `payload` signed by `key` (DSSE and SSHSIG), the envelope naming `keyid` or, by
    /// default, the key that signed.
    fn signed(payload: &[u8], key: &SeedKey, keyid: Option<&str>) -> Files {
        let own = key.public_key().key_id().to_string();
        let dsse = key.sign(&pae(PAYLOAD_TYPE, payload));
        let ssh = key.sign(&sshsig::signed_data(payload));
        Files {
            envelope: Envelope::new(payload, keyid.unwrap_or(&own), &dsse)
                .to_json()
                .into_bytes(),
            jsonl: payload.to_vec(),
            sig: sshsig::armor(&key.public_key(), &ssh).into_bytes(),
        }
    }

    /// Another payload under these files' signatures: what a tamperer without the key makes.
    fn with_payload(&self, payload: Vec<u8>) -> Files {
        let original: Envelope =
            serde_json::from_slice(&self.envelope).expect("an envelope we wrote parses");
        let mut envelope = Envelope::new(&payload, "", &[0; 64]);
        envelope.signatures = original.signatures;
        Files {
            envelope: envelope.to_json().into_bytes(),
            jsonl: payload,
            sig: self.sig.clone(),
        }
    }
}

fn lines_of(jsonl: &[u8]) -> Vec<&[u8]> {
    jsonl
        .strip_suffix(b"\n")
        .expect("ends in a newline")
        .split(|&b| b == b'\n')
        .collect()
}

fn join(lines: &[&[u8]]) -> Vec<u8> {
    lines
        .iter()
        .flat_map(|l| l.iter().copied().chain([b'\n']))
        .collect()
}

/// The log with the header's one `from` replaced by `to` and every `prev` after it re-linked
/// over the new bytes, as a producer writing that header would have chained it.
fn with_header(jsonl: &[u8], from: &str, to: &str) -> Vec<u8> {
    let mut lines: Vec<String> = lines_of(jsonl)
        .iter()
        .map(|l| String::from_utf8(l.to_vec()).expect("UTF-8"))
        .collect();
    assert_eq!(lines[0].matches(from).count(), 1, "`{from}` occurs once");
    lines[0] = lines[0].replacen(from, to, 1);
    for i in 1..lines.len() {
        let start = lines[i].find(r#""prev":""#).expect("every record has prev") + 8;
        let prev = Digest::of(lines[i - 1].as_bytes()).to_hex();
        lines[i].replace_range(start..start + 64, &prev);
    }
    lines
        .iter()
        .flat_map(|l| [l.as_str(), "\n"])
        .collect::<String>()
        .into_bytes()
}

/// `bytes` with the one occurrence of `from` (same length as `to`) replaced.
fn replace_once(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    assert_eq!(text.matches(from).count(), 1, "`{from}` occurs once");
    assert_eq!(from.len(), to.len());
    text.replacen(from, to, 1).into_bytes()
}

// ---------------------------------------------------------------------------------------
// Files and processes
// ---------------------------------------------------------------------------------------

struct Tmp(TempDir);

impl Tmp {
    fn new() -> Tmp {
        require_auditor_tools();
        Tmp(tempfile::tempdir().expect("a temporary folder"))
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.path().join(name);
        fs::create_dir_all(path.parent().expect("inside the folder")).expect("mkdir");
        fs::write(&path, bytes).expect("writes");
        path
    }
}

fn write_files(t: &Tmp, name: &str, files: &Files) -> PathBuf {
    t.write(&format!("{name}/log.stepwise.json"), &files.envelope);
    t.write(&format!("{name}/log.jsonl.sig"), &files.sig);
    let jsonl = t.write(&format!("{name}/log.jsonl"), &files.jsonl);
    jsonl.parent().expect("a folder").to_path_buf()
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn s(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stepwise(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn python(args: &[&str]) -> Output {
    Command::new("python3")
        .arg(repo("tests/verifier/stepwise_verify.py"))
        .args(args)
        .output()
        .expect("python3 runs")
}

fn ssh_keygen_verify(dir: &Path, trust: &Path, principal: &str) -> Output {
    let message = fs::File::open(dir.join("log.jsonl")).expect("the log was written");
    Command::new("ssh-keygen")
        .args([
            "-Y",
            "verify",
            "-f",
            s(trust),
            "-I",
            principal,
            "-n",
            "stepwise-log",
        ])
        .args(["-s", s(&dir.join("log.jsonl.sig"))])
        .arg(format!("-Overify-time={}", verify_time()))
        // allowed_signers times carry a `Z`; pin the zone for -Overify-time, which has none.
        .env("TZ", "UTC")
        .stdin(Stdio::from(message))
        .output()
        .expect("ssh-keygen runs")
}

/// Fails, never skips, when an auditor's tool is missing: CI installs them.
fn require_auditor_tools() {
    static CHECKED: OnceLock<()> = OnceLock::new();
    CHECKED.get_or_init(|| {
        let python = Command::new("python3")
            .args(["-c", "import cryptography"])
            .output();
        assert!(
            python.as_ref().is_ok_and(|o| o.status.success()),
            "python3 with the `cryptography` package is required for the independent \
             verifier (run scripts/lib/ensure.sh's ensure_auditor_tools, or \
             `pip install --user cryptography`): {python:?}"
        );
        let ssh = Command::new("ssh-keygen").arg("-?").output();
        assert!(
            ssh.is_ok(),
            "ssh-keygen is required for `ssh-keygen -Y verify` (apt-get install \
             openssh-client): {ssh:?}"
        );
    });
}
