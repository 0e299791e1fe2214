//! Generators for the benchmarks: a runbook of any number of steps, and a session of any
//! number of records on it, signed and as a hand-over file. Deterministic: fixed seeds, ids
//! and times, so every run measures the same bytes.

use std::fmt::Write as _;
use std::sync::Arc;

use stepwise_core::evidence::{AllowedSigners, Export, SeedKey, Unsigned};
use stepwise_core::runbook::{parse, Runbook, SourceFormat};
use stepwise_core::session::{Action, Actor, AppInfo, HandoverFile, Session, Start};
use stepwise_core::{Digest, ItemId, SessionId, StepId, Timestamp};

/// The id of the generated runbook of `steps` steps.
pub fn runbook_id(steps: usize) -> String {
    format!("bench-{steps}-steps")
}

/// A runbook of `steps` steps, each with a Markdown body and three checklist items (the
/// second asks for evidence), a few inputs and two speed codes: the shape of a real one,
/// just long.
pub fn runbook_yaml(steps: usize) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "id: {id}\ntitle: \"Generated runbook of {steps} steps\"\nversion: \"1.0.0\"\nkind: incident\n\
         category: Benchmark\ntags: [benchmark, generated]\n\
         summary: |\n  A generated runbook for the benchmarks: **{steps} steps**, three items each.\n\
         inputs:\n  - {{id: ticket, label: Ticket, kind: ticket, required: true}}\n  - {{id: host, label: Host, kind: host}}\n\
         speed_codes:\n  - id: update\n    title: Customer update\n    audience: customer\n    template: \"Ticket {{{{ticket}}}}: we are on step {{{{elapsed}}}}.\"\n\
         steps:\n",
        id = runbook_id(steps)
    );
    for n in 1..=steps {
        let _ = write!(
            out,
            "  - id: s{n}\n    title: \"Step {n}: check the service and record what you see\"\n    estimate: 2m\n\
             \x20   body: |\n      Look at **component {n}** in the monitoring console. If it is red, note the\n\
             \x20     error and the time; see [the guide](https://intranet.example.org/guide/{n}).\n\
             \x20   checklist:\n      - {{id: look, text: \"Open the console for component {n}\"}}\n\
             \x20     - {{id: note, text: \"Record its state\", evidence: \"State as shown\"}}\n\
             \x20     - {{id: tell, text: \"Tell the user\", required: false}}\n"
        );
    }
    out
}

/// The same content as a plain static HTML page: the limit the app is measured against.
pub fn runbook_html(steps: usize) -> String {
    let mut out = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Generated runbook of {steps} steps</title></head><body>\
         <h1>Generated runbook of {steps} steps</h1><p>A generated runbook for the benchmarks: <strong>{steps} steps</strong>, three items each.</p><ol>"
    );
    for n in 1..=steps {
        let _ = write!(
            out,
            "<li><h2>Step {n}: check the service and record what you see</h2><p>Look at <strong>component {n}</strong> in the monitoring console. \
             If it is red, note the error and the time; see <a href=\"https://intranet.example.org/guide/{n}\">the guide</a>.</p>\
             <ul><li><label><input type=\"checkbox\"> Open the console for component {n}</label></li>\
             <li><label><input type=\"checkbox\"> Record its state</label> <input type=\"text\" aria-label=\"State as shown\"></li>\
             <li><label><input type=\"checkbox\"> Tell the user</label></li></ul></li>"
        );
    }
    out.push_str("</ol></body></html>\n");
    out
}

/// The signing key of every generated session.
pub fn key() -> SeedKey {
    SeedKey::from_seed([42; 32])
}

pub fn actor() -> Actor {
    Actor {
        name: "Bench Technician".into(),
        email: Some("bench@example.org".into()),
    }
}

/// `allowed_signers` trusting [`key`].
pub fn allowed_signers() -> String {
    format!(
        "bench@example.org namespaces=\"stepwise-log\" {}\n",
        key().public_key().to_openssh("")
    )
}

/// The parsed runbook of [`runbook_yaml`].
pub fn runbook(steps: usize) -> (Arc<Runbook>, String) {
    let source = runbook_yaml(steps);
    let runbook = parse("bench.yaml", source.as_bytes(), SourceFormat::Yaml)
        .expect("the generated runbook parses");
    (Arc::new(runbook), source)
}

/// A session of `records` records (header included) on the runbook of `steps` steps: items
/// checked and unchecked across the steps, with a note every tenth record.
pub fn session(steps: usize, records: usize) -> (Session, String) {
    let (runbook, source) = runbook(steps);
    let start = Start {
        session: SessionId::from_random_bytes([records as u8; 16]),
        app: AppInfo {
            name: "stepwise".into(),
            version: "bench".into(),
        },
        runbook_sha256: Digest::of(source.as_bytes()),
        priority_matrix: None,
        signer: Some(key().public_key().key_id().to_string()),
        drill: None,
    };
    let at = |n: usize| {
        Timestamp::from_unix_millis(1_780_000_000_000 + n as i64 * 1000).expect("in range")
    };
    let mut session = Session::start(runbook, start, at(0), Some(actor()));
    let mut n = 1;
    while session.lines().len() < records {
        session
            .apply(next_action(&session, n), at(n), Some(actor()))
            .expect("generated actions are valid");
        n += 1;
    }
    (session, source)
}

/// Check the next unchecked `look` item, or once all are checked uncheck them again; a note
/// every tenth action.
fn next_action(session: &Session, n: usize) -> Action {
    if n.is_multiple_of(10) {
        return Action::AddNote {
            step: None,
            text: format!("Note {n}: still looking."),
        };
    }
    let steps = session.runbook().steps.len();
    let step = StepId::new(format!("s{}", (n % steps) + 1));
    let item = ItemId::new("look");
    if session.state().is_checked(&step, &item) {
        Action::UncheckItem { step, item }
    } else {
        Action::CheckItem { step, item }
    }
}

/// The hand-over file of `session` (how the browser benchmark imports a large session).
pub fn handover(session: &Session, source: &str) -> String {
    HandoverFile::of(session, "bench.yaml", false, source, None).to_json()
}

/// The signed export of `session`, by [`key`].
pub fn export(session: &Session) -> Export {
    let key = key();
    let at = Timestamp::from_unix_millis(1_790_000_000_000).expect("in range");
    let unsigned = Unsigned::prepare(session, &key.public_key(), at, Some(actor()))
        .expect("the generated session is held by the bench key");
    let (dsse, ssh) = (
        key.sign(&unsigned.dsse_message()),
        key.sign(&unsigned.sshsig_message()),
    );
    unsigned.finish(dsse, ssh).expect("the bench key signs")
}

pub fn trust() -> AllowedSigners {
    AllowedSigners::parse(&allowed_signers()).expect("the generated allowed_signers parses")
}

#[cfg(test)]
mod tests {
    use stepwise_core::evidence::verify_envelope;
    use stepwise_core::runbook::lint;

    use super::*;

    #[test]
    fn the_generated_runbook_lints_clean_and_has_its_steps() {
        let yaml = runbook_yaml(50);
        let report = lint("bench.yaml", yaml.as_bytes(), SourceFormat::Yaml, None);
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        assert_eq!(report.runbook.map(|r| r.steps.len()), Some(50));
        assert_eq!(runbook_html(50).matches("<h2>").count(), 50);
    }

    #[test]
    fn the_generated_session_has_its_records_and_its_export_verifies() {
        let (session, source) = session(20, 300);
        assert_eq!(session.lines().len(), 300);
        let export = export(&session);
        let log = verify_envelope(
            export.envelope.as_bytes(),
            &trust(),
            Some(source.as_bytes()),
        )
        .expect("verifies");
        assert_eq!(log.entries(), 300);
        assert!(handover(&session, &source).contains("stepwise-handover/1"));
    }
}
