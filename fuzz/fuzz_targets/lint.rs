//! Fuzz target: runbook parse + lint (YAML and JSON) and Markdown rendering must never panic,
//! whatever the bytes. Run with `cargo +nightly fuzz run lint`; the corpus is replayed on
//! stable by crates/core/tests/fuzz_corpus.rs in every CI run.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use stepwise_core::markdown;
use stepwise_core::runbook::{lint, SourceFormat};

fuzz_target!(|data: &[u8]| {
    // The overdue-review rule needs a date; a fixed one keeps runs reproducible.
    let today = NaiveDate::from_ymd_opt(2026, 12, 3);
    for format in [SourceFormat::Yaml, SourceFormat::Json] {
        let report = lint("fuzz", data, format, today);
        // A report either has a runbook or says why not.
        assert!(report.runbook.is_some() || report.has_errors());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = markdown::render(text);
    }
});
