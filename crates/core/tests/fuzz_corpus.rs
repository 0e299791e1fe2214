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

fn corpus(name: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(name);
    let mut inputs: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| {
            let path = e.path();
            let bytes = fs::read(&path).expect("readable corpus file");
            (path.display().to_string(), bytes)
        })
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 20,
        "the {name} corpus has shrunk to {} inputs",
        inputs.len()
    );
    inputs
}

/// The `scenario` target's corpus: drill scenarios parsed and linted against a bundled
/// runbook and the bundled priority matrix, and for those that parse, the drill clock, schedule and score of a session.
#[test]
fn every_scenario_corpus_input_lints_and_schedules_without_panicking() {
    use std::sync::Arc;

    use stepwise_core::drill::{due_injects, lint_scenario, lint_scenario_priority, score};
    use stepwise_core::priority::parse_matrix;
    use stepwise_core::runbook::parse;
    use stepwise_core::session::{Action, AppInfo, Delivery, ScenarioRef, Session, Start};
    use stepwise_core::{Digest, SessionId, Timestamp};

    let source = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runbooks/phishing-reported.yaml"),
    )
    .expect("bundled");
    let runbook =
        Arc::new(parse("phishing-reported.yaml", &source, SourceFormat::Yaml).expect("parses"));
    let matrix_source =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runbooks/priority.yaml"))
            .expect("bundled");
    let matrix = parse_matrix("priority.yaml", &matrix_source, SourceFormat::Yaml).expect("parses");
    let t = |s: i64| Timestamp::from_unix_millis(1_800_000_000_000 + s * 1000).expect("in range");
    for (name, data) in corpus("scenario") {
        for format in [SourceFormat::Yaml, SourceFormat::Json] {
            lint_scenario_priority("corpus", &data, format, &matrix);
            let report = lint_scenario("corpus", &data, format, &[runbook.as_ref()]);
            assert!(
                report.scenario.is_some() || report.has_errors(),
                "{name}: no scenario and no error"
            );
            let Some(scenario) = report.scenario else {
                continue;
            };
            let start = Start {
                session: SessionId::from_random_bytes([1; 16]),
                app: AppInfo {
                    name: "corpus".into(),
                    version: "0".into(),
                },
                runbook_sha256: Digest::of(&source),
                priority_matrix: None,
                signer: None,
                drill: Some(ScenarioRef {
                    id: scenario.id.clone(),
                    sha256: Digest::of(&data),
                }),
            };
            let mut session = Session::start(runbook.clone(), start, t(0), None);
            let _ = session.apply(Action::StartDrill, t(1), None);
            for minute in [0, 1, 5, 60] {
                let due: Vec<String> = due_injects(&scenario, session.state(), t(minute * 60))
                    .iter()
                    .map(|i| i.id.clone())
                    .collect();
                for inject in due {
                    let _ = session.apply(
                        Action::DeliverInject {
                            inject,
                            by: Delivery::Schedule,
                        },
                        t(minute * 60),
                        None,
                    );
                }
            }
            let _ = score(&scenario, &session);
        }
    }
}

/// The `keys` target's corpus: key lines, allowed_signers files and armored signatures.
#[test]
fn every_keys_corpus_input_is_judged_without_panicking() {
    use stepwise_core::evidence::{sshsig, PublicKey, SeedKey};
    use stepwise_core::Timestamp;

    let key = SeedKey::from_seed([3; 32]);
    let at = Timestamp::from_unix_millis(1_800_000_000_000).expect("in range");
    for (name, data) in corpus("keys") {
        let text = String::from_utf8_lossy(&data);
        if let Ok(parsed) = PublicKey::from_openssh(&text) {
            assert_eq!(
                PublicKey::from_openssh(&parsed.to_openssh("c")),
                Ok(parsed),
                "{name}"
            );
        }
        if let Ok(signers) = AllowedSigners::parse(&text) {
            let _ = signers.principals_for(&key.public_key(), sshsig::NAMESPACE, at);
        }
        assert!(
            sshsig::verify(&key.public_key(), b"log\n", &text).is_err(),
            "{name}: a random input signed for our key"
        );
    }
}
