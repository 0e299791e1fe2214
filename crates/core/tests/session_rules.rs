//! Session rules on a branching runbook: the path, evidence, skips, completion, closing,
//! handover and exports. One fixture, one helper per action, a table where cases repeat.

use std::sync::Arc;

use stepwise_core::runbook::{parse, Runbook, SourceFormat};
use stepwise_core::session::{
    Action, Actor, AppInfo, Delivery, DeviationKind, Rejection, ScenarioRef, Session, Start, Status,
};
use stepwise_core::{Digest, ItemId, SessionId, StepId, Timestamp};

const SOURCE: &[u8] = include_bytes!("fixtures/branching.yaml");

fn runbook() -> Arc<Runbook> {
    Arc::new(parse("branching.yaml", SOURCE, SourceFormat::Yaml).expect("fixture parses"))
}

fn at(n: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_780_000_000_000 + n * 1000).expect("in range")
}

fn alice() -> Actor {
    Actor {
        name: "Alice".into(),
        email: None,
    }
}

fn start() -> Session {
    start_with(None, 9)
}

/// A session of the fixture, live or (with a scenario) a drill.
fn start_with(drill: Option<ScenarioRef>, id: u8) -> Session {
    let start = Start {
        session: SessionId::from_random_bytes([id; 16]),
        app: AppInfo {
            name: "stepwise".into(),
            version: "test".into(),
        },
        runbook_sha256: Digest::of(SOURCE),
        priority_matrix: Some(Digest::of(b"matrix")),
        signer: None,
        drill,
    };
    Session::start(runbook(), start, at(0), Some(alice()))
}

/// Applies actions in order, panicking on the first rejection with its index.
fn run(session: &mut Session, actions: Vec<Action>) {
    for (n, action) in actions.into_iter().enumerate() {
        let shown = format!("{action:?}");
        session
            .apply(action, at(n as i64 + 1), Some(alice()))
            .unwrap_or_else(|e| panic!("action {n} ({shown}) refused: {e}"));
    }
}

fn check(step: &str, item: &str) -> Action {
    Action::CheckItem {
        step: StepId::new(step),
        item: ItemId::new(item),
    }
}

fn evidence(step: &str, item: &str, value: &str) -> Action {
    Action::SetEvidence {
        step: StepId::new(step),
        item: ItemId::new(item),
        value: value.into(),
    }
}

fn skip(step: &str, item: &str, reason: &str) -> Action {
    Action::SkipItem {
        step: StepId::new(step),
        item: ItemId::new(item),
        reason: reason.into(),
    }
}

fn decide(step: &str, option: &str) -> Action {
    Action::Decide {
        step: StepId::new(step),
        option: option.into(),
    }
}

fn input(id: &str, value: &str) -> Action {
    Action::SetInput {
        input: id.into(),
        value: value.into(),
    }
}

fn complete() -> Action {
    Action::Complete {
        outcome: "resolved".into(),
        summary: "Fixed by a restart".into(),
    }
}

fn path_ids(session: &Session) -> Vec<String> {
    let rb = session.runbook();
    session
        .state()
        .path(rb)
        .steps
        .iter()
        .map(|&i| rb.steps[i].id.to_string())
        .collect()
}

#[test]
fn the_path_follows_decisions_and_when_conditions() {
    let mut s = start();
    assert_eq!(
        path_ids(&s),
        ["triage"],
        "an undecided decision ends the known path"
    );
    assert_eq!(s.state().path(s.runbook()).pending, Some(0));
    run(&mut s, vec![decide("triage", "escalate")]);
    assert_eq!(
        path_ids(&s),
        ["triage", "escalate", "close"],
        "leeds-desk is hidden until site is Leeds"
    );
    run(&mut s, vec![input("site", "Leeds")]);
    assert_eq!(path_ids(&s), ["triage", "escalate", "leeds-desk", "close"]);
    run(&mut s, vec![decide("triage", "fixed")]);
    assert_eq!(
        path_ids(&s),
        ["triage", "close"],
        "a changed decision changes the path"
    );
}

#[test]
fn progress_counts_only_the_path_and_evidence_is_needed_to_count() {
    let mut s = start();
    let rb = runbook();
    run(
        &mut s,
        vec![check("triage", "look"), check("triage", "record")],
    );
    let p = s.state().progress(&rb);
    assert_eq!(
        (p.done, p.total),
        (1, 2),
        "`record` is checked but its evidence is missing"
    );
    run(&mut s, vec![evidence("triage", "record", "VPN error 809")]);
    assert_eq!(s.state().progress(&rb).done, 2);
    run(&mut s, vec![decide("triage", "fixed")]);
    let p = s.state().progress(&rb);
    assert_eq!(
        (p.done, p.total, p.required_total),
        (2, 4, 3),
        "close joins the path; escalate does not"
    );
}

#[test]
fn completion_needs_every_required_item_on_the_path_done_or_skipped() {
    let mut s = start();
    assert_eq!(
        s.apply(complete(), at(1), None),
        Err(Rejection::OpenItem {
            step: StepId::new("triage"),
            item: ItemId::new("look")
        })
    );
    run(
        &mut s,
        vec![
            check("triage", "look"),
            check("triage", "record"),
            evidence("triage", "record", "err 809"),
        ],
    );
    assert_eq!(
        s.apply(complete(), at(5), None),
        Err(Rejection::PendingDecision(StepId::new("triage")))
    );
    run(&mut s, vec![decide("triage", "fixed")]);
    assert_eq!(
        s.apply(complete(), at(6), None),
        Err(Rejection::OpenItem {
            step: StepId::new("close"),
            item: ItemId::new("confirm")
        })
    );
    assert_eq!(
        s.apply(skip("close", "confirm", "   "), at(7), None),
        Err(Rejection::Required("reason for skipping"))
    );
    run(
        &mut s,
        vec![
            skip("close", "confirm", "User unreachable, closed per policy"),
            complete(),
        ],
    );
    assert!(matches!(s.state().status, Status::Completed { .. }));
    let p = s.state().progress(s.runbook());
    assert_eq!(p.skipped, 1);
    assert!(s.state().deviations.iter().any(|d| matches!(&d.kind, DeviationKind::Skipped { reason, .. } if reason.starts_with("User unreachable"))));
}

#[test]
fn a_closed_session_accepts_only_exports_of_all_its_records() {
    let mut s = start();
    run(
        &mut s,
        vec![Action::Abandon {
            reason: "Duplicate of INC-1".into(),
        }],
    );
    assert_eq!(
        s.apply(check("triage", "look"), at(9), None),
        Err(Rejection::Closed("abandoned"))
    );
    let head = Digest::of(b"the seal line of an export");
    let count = s.lines().len() as u64;
    assert_eq!(
        s.apply(
            Action::MarkExported {
                head,
                entries: count - 1
            },
            at(9),
            None
        ),
        Err(Rejection::WrongEntries {
            named: count - 1,
            actual: count
        })
    );
    run(
        &mut s,
        vec![Action::MarkExported {
            head,
            entries: count,
        }],
    );
    assert_eq!(s.state().exports, vec![head]);
    assert!(s
        .lines()
        .last()
        .is_some_and(|l| l.contains(&format!(r#""head":"{head}""#))));
}

#[test]
fn handover_names_both_technicians_and_replays() {
    let mut s = start();
    let bob = Actor {
        name: "Bob".into(),
        email: Some("bob@example.org".into()),
    };
    run(
        &mut s,
        vec![
            check("triage", "look"),
            Action::HandOver {
                from: alice(),
                to: bob.clone(),
                signer: None,
            },
        ],
    );
    assert_eq!(s.state().technician, Some(bob.clone()));
    let line = s.lines().last().cloned().unwrap_or_default();
    assert!(line.contains(r#""type":"handover","from":{"name":"Alice"},"to":{"name":"Bob","email":"bob@example.org"}"#), "{line}");
    let again =
        Session::replay(runbook(), Digest::of(SOURCE), s.lines().iter().cloned()).expect("replays");
    assert_eq!(again.state(), s.state());
}

#[test]
fn inputs_are_checked_against_their_kind() {
    let cases = [
        (input("site", "Paris"), false),
        (input("site", "London"), true),
        (input("contact", "not an address"), false),
        (input("contact", "user@example.org"), true),
        (input("users", "many"), false),
        (input("users", "NaN"), false),
        (input("users", "12"), true),
        (input("nope", "x"), false),
        (input("site", " "), false),
    ];
    for (action, ok) in cases {
        let mut s = start();
        let shown = format!("{action:?}");
        assert_eq!(s.apply(action, at(1), None).is_ok(), ok, "{shown}");
    }
    let mut s = start();
    run(&mut s, vec![input("site", "London")]);
    assert_eq!(
        s.apply(input("site", "London"), at(2), None),
        Err(Rejection::Unchanged)
    );
}

#[test]
fn checking_ahead_of_the_current_step_is_a_visible_deviation() {
    let mut s = start();
    run(
        &mut s,
        vec![
            decide("triage", "escalate"),
            check("close", "confirm"),
            check("triage", "look"),
        ],
    );
    let kinds: Vec<_> = s
        .state()
        .deviations
        .iter()
        .map(|d| (d.seq, d.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![(
            2,
            DeviationKind::OutOfOrder {
                step: StepId::new("close"),
                item: ItemId::new("confirm")
            }
        )]
    );
}

#[test]
fn other_rejections() {
    let mut s = start();
    let cases = [
        (
            decide("escalate", "x"),
            Rejection::NoDecision(StepId::new("escalate")),
        ),
        (
            decide("triage", "maybe"),
            Rejection::UnknownOption {
                step: StepId::new("triage"),
                option: "maybe".into(),
            },
        ),
        (
            evidence("triage", "look", "x"),
            Rejection::NoEvidencePrompt {
                step: StepId::new("triage"),
                item: ItemId::new("look"),
            },
        ),
        (
            Action::CopySpeedCode {
                code: "nope".into(),
            },
            Rejection::UnknownSpeedCode("nope".into()),
        ),
        (
            Action::AddNote {
                step: None,
                text: "".into(),
            },
            Rejection::Required("note text"),
        ),
        (
            Action::Abandon { reason: "".into() },
            Rejection::Required("reason for abandoning"),
        ),
    ];
    for (action, want) in cases {
        assert_eq!(s.apply(action, at(1), None), Err(want));
    }
    assert_eq!(s.lines().len(), 1, "nothing refused was recorded");
}

/// Any action of any type, valid or not, chosen by two numbers.
fn any_action(kind: u8, pick: u8) -> Action {
    let items = [
        ("triage", "look"),
        ("triage", "record"),
        ("escalate", "call"),
        ("leeds-desk", "visit"),
        ("close", "confirm"),
        ("close", "nope"),
    ];
    let (step, item) = items[usize::from(pick) % items.len()];
    let word = ["", "Leeds", "London", "fixed", "escalate", "x@y.org", "7"][usize::from(pick) % 7];
    let inject = ["call", "vendor", ""][usize::from(pick) % 3];
    match kind % 18 {
        0 => check(step, item),
        1 => Action::UncheckItem {
            step: StepId::new(step),
            item: ItemId::new(item),
        },
        2 => skip(step, item, word),
        3 => evidence(step, item, word),
        4 => decide(step, word),
        5 => input(["site", "contact", "users"][usize::from(pick) % 3], word),
        6 => Action::EnterStep(StepId::new(step)),
        7 => Action::AddNote {
            step: Some(StepId::new(step)),
            text: word.into(),
        },
        8 => Action::CopySpeedCode {
            code: if pick.is_multiple_of(2) {
                "update".into()
            } else {
                word.into()
            },
        },
        9 => Action::HandOver {
            from: alice(),
            to: Actor {
                name: word.into(),
                email: None,
            },
            signer: None,
        },
        10 => complete(),
        11 => Action::Abandon {
            reason: word.into(),
        },
        12 => Action::MarkExported {
            head: Digest::of(word.as_bytes()),
            entries: u64::from(pick),
        },
        13 => Action::StartDrill,
        14 => Action::PauseDrill,
        15 => Action::ResumeDrill,
        16 => Action::DeliverInject {
            inject: inject.into(),
            by: if pick.is_multiple_of(2) {
                Delivery::Schedule
            } else {
                Delivery::Trainer
            },
        },
        _ => Action::AcknowledgeInject {
            inject: inject.into(),
        },
    }
}

/// The same session as [`start`], as a drill of some scenario.
fn start_drill() -> Session {
    start_with(
        Some(ScenarioRef {
            id: "drill".into(),
            sha256: Digest::of(b"scenario"),
        }),
        8,
    )
}

proptest::proptest! {
    #[test]
    fn any_sequence_of_any_action_replays_to_the_same_state(drill in proptest::prelude::any::<bool>(), codes in proptest::collection::vec((0u8..18, proptest::prelude::any::<u8>()), 0..80)) {
        let mut s = if drill { start_drill() } else { start() };
        for (n, (kind, pick)) in codes.into_iter().enumerate() {
            let before = s.lines().len();
            let accepted = s.apply(any_action(kind, pick), at(n as i64 + 1), Some(alice())).is_ok();
            proptest::prop_assert_eq!(s.lines().len(), before + usize::from(accepted));
        }
        let again = Session::replay(runbook(), Digest::of(SOURCE), s.lines().iter().cloned()).expect("own log replays");
        proptest::prop_assert_eq!(again.state(), s.state());
        proptest::prop_assert_eq!(again.to_jsonl(), s.to_jsonl());
    }
}

#[test]
fn a_handed_over_session_replays_and_its_chain_continues_with_both_names() {
    use stepwise_core::session::{HandoverError, HandoverFile};

    let mut s = start();
    run(
        &mut s,
        vec![check("triage", "look"), decide("triage", "escalate")],
    );
    let text = HandoverFile::of(
        &s,
        "branching.yaml",
        true,
        std::str::from_utf8(SOURCE).expect("utf-8"),
        Some("id: m"),
    )
    .to_json();

    // On the colleague's machine: parse, replay against the carried source, hand over.
    let file = HandoverFile::parse(&text).expect("parses");
    assert_eq!(
        file.matrix.as_deref(),
        Some("id: m"),
        "the matrix travels with the session"
    );
    let source = file.runbook.source.as_bytes();
    let rb = Arc::new(
        parse(&file.runbook.file, source, SourceFormat::Yaml).expect("carried source parses"),
    );
    let mut received =
        Session::replay(rb, Digest::of(source), file.lines()).expect("the chain verifies");
    assert_eq!(received.state(), s.state());
    let bob = Actor {
        name: "Bob".into(),
        email: None,
    };
    let from = received
        .state()
        .technician
        .clone()
        .expect("the starter is known");
    received
        .apply(
            Action::HandOver {
                from,
                to: bob.clone(),
                signer: None,
            },
            at(10),
            Some(bob.clone()),
        )
        .expect("accepted");
    received
        .apply(check("escalate", "call"), at(11), Some(bob.clone()))
        .expect("accepted");
    assert_eq!(
        received.lines()[..s.lines().len()],
        *s.lines(),
        "the earlier records are kept byte for byte"
    );
    let replayed = Session::replay(
        runbook(),
        Digest::of(SOURCE),
        received.lines().iter().cloned(),
    )
    .expect("one chain");
    assert_eq!(replayed.state().technician, Some(bob));

    let mut tampered = HandoverFile::parse(&text).expect("parses");
    tampered.log = tampered.log.replace("\"look\"", "\"record\"");
    let rb = Arc::new(parse("b.yaml", SOURCE, SourceFormat::Yaml).expect("parses"));
    assert!(
        Session::replay(rb, Digest::of(SOURCE), tampered.lines()).is_err(),
        "an edited hand-over is refused"
    );
    assert!(matches!(HandoverFile::parse("{\"format\": \"other/9\", \"runbook\": {\"file\": \"x\", \"source\": \"\"}, \"log\": \"\"}"), Err(HandoverError::Format(_))));
    assert!(matches!(
        HandoverFile::parse("not json"),
        Err(HandoverError::Malformed(_))
    ));
}

#[test]
fn the_last_change_of_each_item_is_known_by_seq() {
    let mut s = start();
    run(
        &mut s,
        vec![
            check("triage", "look"),
            check("triage", "record"),
            evidence("triage", "record", "e"),
        ],
    );
    let state = s.state();
    assert_eq!(
        state.last_change(&StepId::new("triage"), &ItemId::new("look")),
        Some(1)
    );
    assert_eq!(
        state.last_change(&StepId::new("triage"), &ItemId::new("record")),
        Some(3)
    );
    assert_eq!(
        state.last_change(&StepId::new("close"), &ItemId::new("confirm")),
        None
    );
}

#[test]
fn speed_codes_fill_from_inputs_and_the_session() {
    use stepwise_core::speed_code::{fill, session_value};

    let mut s = start();
    let now = at(5);
    let template = &s.runbook().speed_codes[0].template.clone();
    let before = fill(template, |n| session_value(&s, None, n, now));
    assert_eq!(
        (before.text.as_str(), before.missing.clone()),
        ("Hello [contact not set]", vec!["contact".to_owned()])
    );
    run(&mut s, vec![input("contact", "ana@example.org")]);
    assert_eq!(
        fill(template, |n| session_value(&s, None, n, now)).text,
        "Hello ana@example.org"
    );
    let fields = fill(
        "{{technician}} / {{runbook}} / {{ticket}} / {{priority}}",
        |n| session_value(&s, None, n, now),
    );
    assert_eq!(
        fields.text,
        "Alice / Branching (v2) / [ticket not set] / [priority not set]"
    );
    run(
        &mut s,
        vec![Action::CopySpeedCode {
            code: "update".into(),
        }],
    );
    assert!(s
        .lines()
        .last()
        .is_some_and(|l| l.contains(r#""type":"speed_code_copied","code":"update""#)));
}

#[test]
fn priority_and_sla_clocks_come_from_the_records() {
    use stepwise_core::priority::{parse_matrix, sla, Standing};

    let path = format!(
        "{}/../../runbooks/priority.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(path).expect("bundled matrix");
    let matrix = parse_matrix("priority.yaml", &bytes, SourceFormat::Yaml).expect("parses");
    let sha = Digest::of(b"matrix");
    let set =
        |impact: &str, urgency: &str, priority: &str, reason: Option<&str>| Action::SetPriority {
            impact: impact.into(),
            urgency: urgency.into(),
            priority: priority.into(),
            matrix: sha,
            reason: reason.map(Into::into),
        };
    let mut s = start();
    assert!(
        sla(&matrix, s.state(), at(0)).is_none(),
        "no Priority, no clock"
    );
    run(&mut s, vec![set("high", "high", "P1", None)]);
    let minutes =
        |m: i64| Timestamp::from_unix_millis(at(0).unix_millis() + m * 60_000).expect("in range");
    let view = sla(&matrix, s.state(), minutes(5)).expect("a clock");
    assert_eq!(view.priority.id, "P1");
    assert_eq!(view.response.due, Some(minutes(15)));
    assert_eq!(view.resolution.due, Some(minutes(240)));
    assert_eq!(view.response.standing, Standing::Ok);
    assert_eq!(
        sla(&matrix, s.state(), minutes(12))
            .expect("a clock")
            .response
            .standing,
        Standing::Warning
    );
    assert_eq!(
        sla(&matrix, s.state(), minutes(16))
            .expect("a clock")
            .response
            .standing,
        Standing::Breached
    );

    // Changing the Priority needs a reason; the same Impact and Urgency is no change.
    assert_eq!(
        s.apply(set("high", "medium", "P2", None), at(2), None),
        Err(Rejection::Required("reason for changing the Priority"))
    );
    assert_eq!(
        s.apply(set("high", "high", "P1", Some("again")), at(2), None),
        Err(Rejection::Unchanged)
    );
    let other = Action::SetPriority {
        impact: "low".into(),
        urgency: "low".into(),
        priority: "P5".into(),
        matrix: Digest::of(b"other"),
        reason: Some("x".into()),
    };
    assert!(matches!(
        s.apply(other, at(2), None),
        Err(Rejection::OtherMatrix { .. })
    ));

    // Waiting on the customer stops the resolution clock only.
    let t =
        |m: i64| Timestamp::from_unix_millis(at(0).unix_millis() + m * 60_000).expect("in range");
    s.apply(Action::MarkResponded, t(10), None)
        .expect("accepted");
    assert_eq!(
        s.apply(Action::MarkResponded, t(11), None),
        Err(Rejection::AlreadyResponded)
    );
    s.apply(
        Action::PauseSla {
            reason: "Waiting for the user's callback".into(),
        },
        t(60),
        None,
    )
    .expect("accepted");
    assert_eq!(
        s.apply(
            Action::PauseSla {
                reason: "again".into()
            },
            t(61),
            None
        ),
        Err(Rejection::AlreadyPaused)
    );
    let paused = sla(&matrix, s.state(), t(120)).expect("a clock");
    assert_eq!(paused.resolution.due, None, "no due time while paused");
    assert_eq!(paused.response.met, Some(t(10)));
    assert_eq!(
        paused.response.standing,
        Standing::Ok,
        "met in time stays met"
    );
    s.apply(Action::ResumeSla, t(90), None).expect("accepted");
    assert_eq!(
        sla(&matrix, s.state(), t(100))
            .expect("a clock")
            .resolution
            .due,
        Some(t(270)),
        "30 minutes paused"
    );
    assert_eq!(
        s.apply(Action::ResumeSla, t(91), None),
        Err(Rejection::NotPaused)
    );

    // A breach is recorded once per target.
    s.apply(
        Action::RecordBreach {
            target: "resolution".into(),
        },
        t(280),
        None,
    )
    .expect("accepted");
    assert_eq!(
        s.apply(
            Action::RecordBreach {
                target: "resolution".into()
            },
            t(281),
            None
        ),
        Err(Rejection::AlreadyBreached("resolution".into()))
    );
    assert_eq!(
        s.apply(
            Action::RecordBreach {
                target: "lunch".into()
            },
            t(281),
            None
        ),
        Err(Rejection::UnknownTarget("lunch".into()))
    );
    let replayed =
        Session::replay(runbook(), Digest::of(SOURCE), s.lines().iter().cloned()).expect("replays");
    assert_eq!(replayed.state(), s.state());
}

#[test]
fn time_worked_is_the_stretches_between_records() {
    use stepwise_core::timesheet::{time_entries, to_csv};

    let mut s = start();
    let m = |minutes: i64| {
        Timestamp::from_unix_millis(at(0).unix_millis() + minutes * 60_000).expect("in range")
    };
    s.apply(check("triage", "look"), m(5), Some(alice()))
        .expect("accepted");
    s.apply(check("triage", "record"), m(12), Some(alice()))
        .expect("accepted");
    // An hour without a record ends the stretch; a hand-over starts another technician's.
    s.apply(evidence("triage", "record", "err"), m(80), Some(alice()))
        .expect("accepted");
    let bob = Actor {
        name: "Bob, \"the fixer\"".into(),
        email: None,
    };
    s.apply(
        Action::HandOver {
            from: alice(),
            to: bob.clone(),
            signer: None,
        },
        m(81),
        Some(bob.clone()),
    )
    .expect("accepted");
    s.apply(decide("triage", "fixed"), m(90), Some(bob))
        .expect("accepted");
    let entries = time_entries(&s);
    let summary: Vec<(i64, &str)> = entries
        .iter()
        .map(|e| (e.minutes, e.technician.as_str()))
        .collect();
    assert_eq!(
        summary,
        [(12, "Alice"), (1, "Alice"), (9, "Bob, \"the fixer\"")]
    );
    let csv = to_csv(&s);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "date,start,end,minutes,technician,ticket,runbook,summary"
    );
    assert_eq!(lines[1], "2026-05-28,20:26,20:38,12,Alice,,Branching v2,");
    assert_eq!(
        lines[3],
        "2026-05-28,21:47,21:56,9,\"Bob, \"\"the fixer\"\"\",,Branching v2,"
    );
}

#[test]
fn speed_codes_name_the_priority_and_due_times_once_set() {
    use stepwise_core::priority::parse_matrix;
    use stepwise_core::speed_code::{fill, session_value};

    let path = format!(
        "{}/../../runbooks/priority.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let matrix = parse_matrix(
        "priority.yaml",
        &std::fs::read(path).expect("bundled"),
        SourceFormat::Yaml,
    )
    .expect("parses");
    let mut s = start();
    let template =
        "{{priority}}: respond by {{response_due}}, resolve by {{resolution_due}} ({{elapsed}})";
    let before = fill(template, |n| session_value(&s, Some(&matrix), n, at(60)));
    assert_eq!(
        before.missing,
        ["priority", "response_due", "resolution_due"]
    );
    let set = Action::SetPriority {
        impact: "high".into(),
        urgency: "high".into(),
        priority: "P1".into(),
        matrix: Digest::of(b"matrix"),
        reason: None,
    };
    s.apply(set, at(1), None).expect("accepted");
    let after = fill(template, |n| session_value(&s, Some(&matrix), n, at(60)));
    assert_eq!(after.text, "P1 Critical: respond by 2026-05-28T20:41:40.000Z, resolve by 2026-05-29T00:26:40.000Z (1 min)");
}
