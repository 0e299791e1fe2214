//! Fuzz target: drill scenarios. Parse and lint against the bundled library and its priority
//! matrix (YAML and JSON), and, for a scenario that parses, the drill clock and inject
//! schedule on a fresh session, must never panic, whatever the bytes. Run with
//! `cargo +nightly fuzz run scenario` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run scenario`);
//! crates/core/tests/fuzz_corpus.rs replays the corpus on stable in every CI run.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use stepwise_core::drill::{due_injects, lint_scenario, lint_scenario_priority};
use stepwise_core::priority::{parse_matrix, Matrix};
use stepwise_core::runbook::{parse, Runbook, SourceFormat};
use stepwise_core::session::{Action, AppInfo, ScenarioRef, Session, Start};
use stepwise_core::{Digest, SessionId, Timestamp};

const RUNBOOK: &[u8] = include_bytes!("../../runbooks/phishing-reported.yaml");

fn library() -> &'static Arc<Runbook> {
    static LIBRARY: OnceLock<Arc<Runbook>> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        Arc::new(parse("phishing-reported.yaml", RUNBOOK, SourceFormat::Yaml).expect("bundled runbook parses"))
    })
}

const MATRIX: &[u8] = include_bytes!("../../runbooks/priority.yaml");

fn matrix() -> &'static Matrix {
    static MATRIX_PARSED: OnceLock<Matrix> = OnceLock::new();
    MATRIX_PARSED.get_or_init(|| parse_matrix("priority.yaml", MATRIX, SourceFormat::Yaml).expect("bundled matrix parses"))
}

fuzz_target!(|data: &[u8]| {
    let runbook = library();
    for format in [SourceFormat::Yaml, SourceFormat::Json] {
        lint_scenario_priority("fuzz", data, format, matrix());
        let report = lint_scenario("fuzz", data, format, &[runbook.as_ref()]);
        assert!(report.scenario.is_some() || report.has_errors());
        let Some(scenario) = report.scenario else { continue };
        let start = Start {
            session: SessionId::from_random_bytes([1; 16]),
            app: AppInfo { name: "fuzz".into(), version: "0".into() },
            runbook_sha256: Digest::of(RUNBOOK),
            priority_matrix: None,
            signer: None,
            drill: Some(ScenarioRef { id: scenario.id.clone(), sha256: Digest::of(data) }),
        };
        let t = |s: i64| Timestamp::from_unix_millis(1_800_000_000_000 + s * 1000).expect("in range");
        let mut session = Session::start(runbook.clone(), start, t(0), None);
        let _ = session.apply(Action::StartDrill, t(1), None);
        for minute in [0, 1, 5, 60, 60 * 24 * 400] {
            for inject in due_injects(&scenario, session.state(), t(minute * 60)) {
                let _ = session.apply(
                    Action::DeliverInject { inject: inject.id.clone(), by: stepwise_core::session::Delivery::Schedule },
                    t(minute * 60),
                    None,
                );
            }
        }
        let _ = stepwise_core::drill::score(&scenario, &session);
    }
});
