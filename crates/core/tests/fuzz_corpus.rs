//! Replays the committed fuzz corpora on stable Rust, so every CI run re-checks each input the
//! fuzzer ever kept: `fuzz/corpus/lint/` through parse + lint and Markdown, and
//! `fuzz/corpus/verify/` through evidence verification. The fuzzer itself needs nightly
//! features: `cd fuzz && cargo +nightly fuzz run lint` (or `verify`).

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use stepwise_core::evidence::{verify_envelope, verify_sshsig, AllowedSigners};
use stepwise_core::markdown;
use stepwise_core::runbook::{lint, SourceFormat};

#[test]
fn every_corpus_input_lints_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/lint");
    let entries = fs::read_dir(&dir).expect("fuzz/corpus/lint exists");
    let today = NaiveDate::from_ymd_opt(2026, 12, 3);
    let mut replayed = 0;
    for entry in entries.filter_map(Result::ok) {
        let data = fs::read(entry.path()).expect("readable corpus file");
        for format in [SourceFormat::Yaml, SourceFormat::Json] {
            let report = lint("corpus", &data, format, today);
            assert!(
                report.runbook.is_some() || report.has_errors(),
                "{}: no runbook and no error",
                entry.path().display()
            );
        }
        if let Ok(text) = std::str::from_utf8(&data) {
            markdown::render(text);
        }
        replayed += 1;
    }
    assert!(replayed >= 50, "the corpus has shrunk to {replayed} inputs");
}

/// The `verify` target's corpus (`fuzz/corpus/verify/`): every kept input, tried as an
/// envelope, as a log under the golden signature, as a signature over the golden log and as
/// an allowed_signers file, must give an answer without panicking; only the golden bytes
/// verify.
#[test]
fn every_verify_corpus_input_is_judged_without_panicking() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let fixture = |name: &str| {
        fs::read(root.join("tests/fixtures/evidence").join(name)).expect("committed fixture")
    };
    let trust = String::from_utf8(fixture("allowed_signers")).expect("UTF-8");
    let trust = AllowedSigners::parse(&trust).expect("the fixture parses");
    let golden_jsonl = fixture("golden.jsonl");
    let golden_sig = String::from_utf8(fixture("golden.jsonl.sig")).expect("UTF-8");
    let golden_envelope = fixture("golden.stepwise.json");
    let entries = fs::read_dir(root.join("fuzz/corpus/verify")).expect("fuzz/corpus/verify exists");
    let mut replayed = 0;
    for entry in entries.filter_map(Result::ok) {
        let data = fs::read(entry.path()).expect("readable corpus file");
        let name = entry.path().display().to_string();
        if verify_envelope(&data, &trust, None).is_ok() {
            assert_eq!(
                data, golden_envelope,
                "{name}: verified but is not the golden envelope"
            );
        }
        if verify_sshsig(&data, &golden_sig, &trust, None).is_ok() {
            assert_eq!(
                data, golden_jsonl,
                "{name}: verified but is not the golden log"
            );
        }
        let text = String::from_utf8_lossy(&data);
        let _ = verify_sshsig(&golden_jsonl, &text, &trust, None);
        if let Ok(signers) = AllowedSigners::parse(&text) {
            let _ = verify_sshsig(&golden_jsonl, &golden_sig, &signers, None);
        }
        replayed += 1;
    }
    assert!(
        replayed >= 50,
        "the verify corpus has shrunk to {replayed} inputs"
    );
}
