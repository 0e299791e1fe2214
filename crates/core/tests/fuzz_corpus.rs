//! Replays the committed fuzz corpus (`fuzz/corpus/lint/`) through parse + lint and Markdown
//! on stable Rust, so every CI run re-checks each input the fuzzer ever kept. The fuzzer
//! itself needs nightly: `cd fuzz && cargo +nightly fuzz run lint`.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
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
