//! Drills at speed: the rules of drill records, when injects fall due on the drill clock
//! (with the trainer's pauses), scoring two scripted trainees, and the debrief of their
//! signed and verified logs. Every instant is handed in; nothing waits.

use std::sync::Arc;

use stepwise_core::drill::{due_injects, parse_scenario, score, Debrief, DrillClock, Scenario};
use stepwise_core::evidence::{verify_envelope, AllowedSigners, SeedKey, Unsigned};
use stepwise_core::runbook::{parse, Runbook, SourceFormat};
use stepwise_core::session::{
    Action, Actor, AppInfo, Delivery, Rejection, ScenarioRef, Session, Start,
};
use stepwise_core::{Digest, ItemId, SessionId, StepId, Timestamp};

const RUNBOOK: &[u8] = include_bytes!("fixtures/branching.yaml");
const SCENARIO: &[u8] = include_bytes!("fixtures/branching-drill.yaml");

fn runbook() -> Arc<Runbook> {
    Arc::new(parse("branching.yaml", RUNBOOK, SourceFormat::Yaml).expect("fixture parses"))
}

fn scenario() -> Scenario {
    parse_scenario("branching-drill.yaml", SCENARIO, SourceFormat::Yaml).expect("fixture parses")
}

/// Wall time `n` seconds after the session starts.
fn at(n: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_780_000_000_000 + n * 1000).expect("in range")
}

fn person(name: &str) -> Actor {
    Actor {
        name: name.into(),
        email: None,
    }
}

fn drill_session(name: &str, key: Option<&SeedKey>, id: u8) -> Session {
    let start = Start {
        session: SessionId::from_random_bytes([id; 16]),
        app: AppInfo {
            name: "stepwise".into(),
            version: "test".into(),
        },
        runbook_sha256: Digest::of(RUNBOOK),
        priority_matrix: None,
        signer: key.map(|k| k.public_key().key_id().to_string()),
        drill: Some(ScenarioRef {
            id: "branching-drill".into(),
            sha256: Digest::of(SCENARIO),
        }),
    };
    Session::start(runbook(), start, at(0), Some(person(name)))
}

/// Applies `(second, action)` pairs, panicking on the first refusal.
fn script(session: &mut Session, name: &str, steps: Vec<(i64, Action)>) {
    for (second, action) in steps {
        let shown = format!("{action:?}");
        session
            .apply(action, at(second), Some(person(name)))
            .unwrap_or_else(|e| panic!("at {second}s, {shown} refused: {e}"));
    }
}

fn check(step: &str, item: &str) -> Action {
    Action::CheckItem {
        step: StepId::new(step),
        item: ItemId::new(item),
    }
}

fn enter(step: &str) -> Action {
    Action::EnterStep(StepId::new(step))
}

fn decide(step: &str, option: &str) -> Action {
    Action::Decide {
        step: StepId::new(step),
        option: option.into(),
    }
}

fn deliver(inject: &str) -> Action {
    Action::DeliverInject {
        inject: inject.into(),
        by: Delivery::Schedule,
    }
}

fn ack(inject: &str) -> Action {
    Action::AcknowledgeInject {
        inject: inject.into(),
    }
}

fn site() -> Action {
    Action::SetInput {
        input: "site".into(),
        value: "Leeds".into(),
    }
}

fn due(session: &Session, second: i64) -> Vec<String> {
    due_injects(&scenario(), session.state(), at(second))
        .into_iter()
        .map(|i| i.id.clone())
        .collect()
}

/// The fast trainee: right decision, every required item, the manager updated in 40 s.
fn alice_run(key: Option<&SeedKey>) -> Session {
    let mut s = drill_session("Alice", key, 1);
    script(
        &mut s,
        "Alice",
        vec![
            (60, Action::StartDrill),
            (70, site()),
            (120, check("triage", "look")),
            (180, check("triage", "record")),
            (
                190,
                Action::SetEvidence {
                    step: StepId::new("triage"),
                    item: ItemId::new("record"),
                    value: "E42".into(),
                },
            ),
            (200, decide("triage", "escalate")),
            (360, deliver("manager-calls")),
            (370, ack("manager-calls")),
            (
                400,
                Action::CopySpeedCode {
                    code: "update".into(),
                },
            ),
            (420, enter("escalate")),
            (425, deliver("second-user")),
            (430, ack("second-user")),
            (500, check("escalate", "call")),
            (540, enter("leeds-desk")),
            (550, check("leeds-desk", "visit")),
            (560, enter("close")),
            (570, check("close", "confirm")),
            (
                580,
                Action::Complete {
                    outcome: "resolved".into(),
                    summary: "Escalated; fixed by second line".into(),
                },
            ),
        ],
    );
    s
}

/// The slow trainee: wrong decision, a skipped item, no update sent, 22 minutes on triage.
fn bob_run(key: Option<&SeedKey>) -> Session {
    let mut s = drill_session("Bob <script>alert(1)</script>", key, 2);
    let name = "Bob <script>alert(1)</script>";
    script(
        &mut s,
        name,
        vec![
            (60, Action::StartDrill),
            (70, site()),
            (360, deliver("manager-calls")),
            (500, ack("manager-calls")),
            (
                600,
                Action::SkipItem {
                    step: StepId::new("triage"),
                    item: ItemId::new("record"),
                    reason: "=no error shown".into(),
                },
            ),
            (610, check("triage", "look")),
            (1260, deliver("vendor")),
            (1270, ack("vendor")),
            (1320, decide("triage", "fixed")),
            (1380, enter("close")),
            (1385, deliver("second-user")),
            (1400, check("close", "confirm")),
            (
                1410,
                Action::Complete {
                    outcome: "resolved".into(),
                    summary: "It started working".into(),
                },
            ),
        ],
    );
    s
}

#[test]
fn the_scenario_fixture_parses_with_typed_durations() {
    let s = scenario();
    assert_eq!(s.runbook.id.as_str(), "branching");
    assert_eq!(s.injects[0].at.map(|d| d.secs()), Some(300));
    assert_eq!(s.injects[1].after_step, Some(StepId::new("triage")));
    assert_eq!(s.targets[0].within.map(|d| d.secs()), Some(600));
    assert_eq!(s.scoring.time, 40);
}

#[test]
fn drill_records_follow_their_rules() {
    let mut s = drill_session("Alice", None, 3);
    let refused = |s: &mut Session, second: i64, action: Action| {
        s.apply(action, at(second), Some(person("Alice")))
            .expect_err("refused")
    };
    assert_eq!(
        refused(&mut s, 1, check("triage", "look")),
        Rejection::BriefingFirst
    );
    assert_eq!(
        refused(&mut s, 1, deliver("manager-calls")),
        Rejection::BriefingFirst
    );
    script(&mut s, "Alice", vec![(10, Action::StartDrill)]);
    assert_eq!(
        refused(&mut s, 11, Action::StartDrill),
        Rejection::DrillAlreadyStarted
    );
    assert_eq!(
        refused(&mut s, 11, Action::ResumeDrill),
        Rejection::DrillNotPaused
    );
    assert_eq!(
        refused(&mut s, 11, ack("manager-calls")),
        Rejection::InjectNotDelivered("manager-calls".into())
    );
    script(
        &mut s,
        "Alice",
        vec![
            (20, deliver("manager-calls")),
            (21, ack("manager-calls")),
            (22, Action::PauseDrill),
        ],
    );
    assert_eq!(
        refused(&mut s, 23, deliver("manager-calls")),
        Rejection::InjectAlreadyDelivered("manager-calls".into())
    );
    assert_eq!(
        refused(&mut s, 23, ack("manager-calls")),
        Rejection::InjectAlreadyAcknowledged("manager-calls".into())
    );
    assert_eq!(
        refused(&mut s, 23, Action::PauseDrill),
        Rejection::DrillAlreadyPaused
    );

    // A live session takes no drill record at all.
    let start = Start {
        session: SessionId::from_random_bytes([5; 16]),
        app: AppInfo {
            name: "stepwise".into(),
            version: "test".into(),
        },
        runbook_sha256: Digest::of(RUNBOOK),
        priority_matrix: None,
        signer: None,
        drill: None,
    };
    let mut live = Session::start(runbook(), start, at(0), None);
    assert!(!live.header().is_drill());
    assert_eq!(
        refused(&mut live, 1, Action::StartDrill),
        Rejection::NotADrill
    );
    assert_eq!(refused(&mut live, 1, deliver("x")), Rejection::NotADrill);

    // The drill's records replay to the same state, through the stored bytes.
    let replayed =
        Session::replay(runbook(), Digest::of(RUNBOOK), s.lines().to_vec()).expect("replays");
    assert_eq!(replayed.state(), s.state());
    assert!(s.lines()[0].contains(r#""mode":"drill","scenario":{"id":"branching-drill""#));
}

#[test]
fn injects_fall_due_on_the_drill_clock_and_wait_while_it_is_paused() {
    let mut s = drill_session("Alice", None, 6);
    assert!(
        due(&s, 10_000).is_empty(),
        "nothing before the briefing ends"
    );
    script(&mut s, "Alice", vec![(60, Action::StartDrill)]);
    // (wall second, injects due then)
    let before_pause: &[(i64, &[&str])] = &[
        (60, &[]),
        (359, &[]),
        (360, &["manager-calls"]),
        (1259, &["manager-calls"]),
        (1260, &["manager-calls", "vendor"]),
    ];
    for (second, want) in before_pause {
        assert_eq!(due(&s, *second), *want, "at {second}s");
    }
    // The trainer pauses at drill minute 1 for ten minutes: everything moves ten minutes on.
    script(&mut s, "Trainer", vec![(120, Action::PauseDrill)]);
    assert!(due(&s, 5_000).is_empty(), "nothing falls due while paused");
    script(&mut s, "Trainer", vec![(720, Action::ResumeDrill)]);
    assert_eq!(due(&s, 959), Vec::<String>::new());
    assert_eq!(due(&s, 960), vec!["manager-calls".to_owned()]);
    let clock = DrillClock::of(s.state()).expect("started");
    assert_eq!(clock.elapsed(at(960)), 300_000);

    // Leaving the triage step brings the step-triggered inject; delivering removes it.
    script(
        &mut s,
        "Alice",
        vec![(961, deliver("manager-calls")), (970, enter("escalate"))],
    );
    assert_eq!(due(&s, 971), vec!["second-user".to_owned()]);
    script(&mut s, "Trainer", vec![(972, deliver("second-user"))]);
    assert!(due(&s, 973).is_empty());
}

#[test]
fn scoring_the_fast_and_the_slow_trainee() {
    let s = scenario();
    let alice = score(&s, &alice_run(None));
    assert_eq!(alice.total, 100, "{alice:#?}");
    assert_eq!((alice.required_done, alice.required_total), (5, 5));
    let triage = &alice.steps[0];
    assert_eq!(triage.step.as_str(), "triage");
    assert_eq!(triage.taken_ms(), 360_000);
    assert_eq!(triage.target_ms, Some(600_000));
    assert_eq!(triage.decision.as_deref(), Some("escalate"));
    let calls = &alice.injects[0];
    assert_eq!(
        (
            calls.delivered_ms,
            calls.acknowledged_after_ms,
            calls.responded_after_ms,
            calls.credit
        ),
        (Some(300_000), Some(10_000), Some(40_000), Some(1.0))
    );
    assert_eq!(
        alice.injects[2].credit, None,
        "the vendor inject never arrived"
    );
    assert_eq!(alice.ended_ms, 520_000);

    let bob = score(&s, &bob_run(None));
    // time 40 x 10/22, decisions 30 x 0, required items 20 x 2/3, communications 10 x 0.
    let expected = (40.0 * 10.0 / 22.0 + 20.0 * 2.0 / 3.0_f64).round() as u32;
    assert_eq!(bob.total, expected, "{bob:#?}");
    assert_eq!(bob.total, 32);
    assert_eq!((bob.required_done, bob.required_total), (2, 3));
    assert_eq!(bob.skipped[0].2, "=no error shown");
    assert_eq!(bob.steps[0].taken_ms(), 1_320_000);
    assert!(bob.steps[0].is_over_target());
    assert!(
        !bob.steps.iter().any(|s| s.step.as_str() == "escalate"),
        "off his path, escalate's target is not held against him"
    );
    let parts: Vec<(&str, Option<f64>)> = bob.parts.iter().map(|p| (p.name, p.fraction)).collect();
    assert_eq!(parts[1], ("decisions", Some(0.0)));
    assert_eq!(parts[3], ("communications", Some(0.0)));
    assert_eq!(bob.injects[2].acknowledged_after_ms, Some(10_000));
}

#[test]
fn the_debrief_takes_verified_drill_logs_of_its_scenario_only() {
    let (ka, kb) = (SeedKey::from_seed([1; 32]), SeedKey::from_seed([2; 32]));
    let trust = AllowedSigners::parse(&format!(
        "alice@example.org {}\nbob@example.org {}\n",
        ka.public_key().to_openssh(""),
        kb.public_key().to_openssh("")
    ))
    .expect("parses");
    let signed = |session: &Session, key: &SeedKey| {
        let unsigned =
            Unsigned::prepare(session, &key.public_key(), at(2000), None).expect("holder");
        let (d, s) = (
            key.sign(&unsigned.dsse_message()),
            key.sign(&unsigned.sshsig_message()),
        );
        let export = unsigned.finish(d, s).expect("signs");
        verify_envelope(export.envelope.as_bytes(), &trust, None).expect("verifies")
    };
    let mut debrief = Debrief::new(scenario(), Digest::of(SCENARIO));
    let alice = signed(&alice_run(Some(&ka)), &ka);
    debrief
        .add(&alice, runbook(), Digest::of(RUNBOOK))
        .expect("alice joins");
    debrief
        .add(
            &signed(&bob_run(Some(&kb)), &kb),
            runbook(),
            Digest::of(RUNBOOK),
        )
        .expect("bob joins");
    assert_eq!(
        debrief.add(&alice, runbook(), Digest::of(RUNBOOK)),
        Err("the same log is already in the debrief".into())
    );
    let other = Debrief::new(scenario(), Digest::of(b"another version")).add(
        &alice,
        runbook(),
        Digest::of(RUNBOOK),
    );
    assert!(other
        .expect_err("refused")
        .starts_with("another version of scenario"));

    let names: Vec<&str> = debrief.trainees.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Alice", "Bob <script>alert(1)</script>"]);
    assert_eq!(debrief.trainees[0].signed_by, "alice@example.org");
    assert_eq!(
        (
            debrief.trainees[0].card.total,
            debrief.trainees[1].card.total
        ),
        (100, 32)
    );

    let csv = debrief.to_csv();
    assert!(csv
        .starts_with("trainee,signed_by,section,id,title,target,actual,expected,result,score\r\n"));
    assert!(
        csv.contains(
            "Alice,alice@example.org,step,triage,Triage,10:00,6:00,escalate,escalate,\r\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains(",skipped,triage/record,,,,,'=no error shown,"),
        "formulas neutralised: {csv}"
    );
    assert!(csv.contains("Alice,alice@example.org,total,,completed: resolved,,8:40,,5/5 required items done,100\r\n"), "{csv}");

    let page = debrief.to_html();
    assert!(page.contains("DRILL — training exercise, not a live incident"));
    assert!(page.contains("Bob &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>"), "log text never becomes markup");
    assert_eq!(page.matches("<svg class=\"chart\"").count(), 2);

    let timeline = debrief.timeline_chart().to_svg();
    for want in [
        "Target",
        "Alice",
        "Bob &lt;script&gt;",
        "class=\"over\"",
        "class=\"inject\"",
        "triage target",
    ] {
        assert!(timeline.contains(want), "timeline lacks {want}: {timeline}");
    }
    let scores = debrief.score_chart().to_svg();
    assert!(
        scores.contains(">100 / 100<") && scores.contains(">32 / 100<"),
        "{scores}"
    );
}

/// Every malformed scenario under `tests/fixtures/bad-drills/` yields the diagnostic its
/// first line names (`# expect: LINE:COL: error: MESSAGE`), linted against the fixture
/// runbook as the library.
#[test]
fn every_bad_drill_fixture_yields_its_diagnostic() {
    use stepwise_core::drill::lint_scenario;
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bad-drills");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/bad-drills exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 15, "fixtures: {}", files.len());
    let library = runbook();
    let mut failures = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .expect("a file")
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(path).expect("readable");
        let text = String::from_utf8_lossy(&bytes);
        let want = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{name}: no `# expect:` line"));
        let report = lint_scenario(&name, &bytes, SourceFormat::Yaml, &[&library]);
        let got: Vec<String> = report.diagnostics.iter().map(|d| d.render(&name)).collect();
        if !got.contains(&format!("{name}:{want}")) {
            failures.push(format!("{name}: want {want}\n  got {got:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let clean = lint_scenario(
        "branching-drill.yaml",
        SCENARIO,
        SourceFormat::Yaml,
        &[&library],
    );
    assert!(clean.diagnostics.is_empty(), "{:?}", clean.diagnostics);
}

/// A scenario's preset Impact and Urgency must be levels of the matrix the drill runs under,
/// and come as a pair; the bundled matrix is the one checked against.
#[test]
fn preset_impact_and_urgency_are_checked_against_the_matrix() {
    use stepwise_core::drill::lint_scenario_priority;
    use stepwise_core::priority::parse_matrix;
    let matrix_yaml = include_bytes!("../../../runbooks/priority.yaml");
    let matrix = parse_matrix("priority.yaml", matrix_yaml, SourceFormat::Yaml).expect("parses");
    let lint = |source: &str| -> Vec<String> {
        lint_scenario_priority("d.yaml", source.as_bytes(), SourceFormat::Yaml, &matrix)
            .iter()
            .map(|d| d.render("d.yaml"))
            .collect()
    };
    let head = "id: d\ntitle: D\nrunbook: {id: branching}\nbriefing: Go.\n";
    assert_eq!(
        lint(&format!("{head}impact: medium\nurgency: high\n")),
        Vec::<String>::new()
    );
    let ids: Vec<&str> = matrix.impact.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(
        lint(&format!("{head}impact: catastrophic\nurgency: high\n")),
        [format!(
            "d.yaml:5:9: error: impact `catastrophic` is not a level of the priority matrix `{}` ({})",
            matrix.id,
            ids.join(", ")
        )]
    );
    assert_eq!(
        lint(&format!("{head}urgency: high\n")),
        ["d.yaml:5:10: warning: urgency is preset but impact is not, so the drill starts without a priority"]
    );
    // The fixture scenario presets a valid pair.
    assert_eq!(
        lint_scenario_priority(
            "branching-drill.yaml",
            SCENARIO,
            SourceFormat::Yaml,
            &matrix
        ),
        Vec::new()
    );
}
