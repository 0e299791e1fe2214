//! Session engine: apply, replay, and the chain, from a fixture runbook.

use std::sync::Arc;

use proptest::prelude::*;
use stepwise_core::runbook::{parse, Runbook, SourceFormat};
use stepwise_core::session::{Action, AppInfo, Rejection, ReplayErrorKind, Session, Start};
use stepwise_core::{Digest, ItemId, SessionId, StepId, Timestamp};

const SOURCE: &[u8] = include_bytes!("fixtures/two-steps.yaml");

fn runbook() -> Arc<Runbook> {
    Arc::new(parse("two-steps.yaml", SOURCE, SourceFormat::Yaml).expect("fixture parses"))
}

fn at(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_780_000_000_000 + ms).expect("in range")
}

fn start() -> Session {
    let start = Start {
        session: SessionId::from_random_bytes([1; 16]),
        app: AppInfo {
            name: "stepwise".into(),
            version: "test".into(),
        },
        runbook_sha256: Digest::of(SOURCE),
        priority_matrix: None,
        signer: None,
        drill: None,
    };
    Session::start(runbook(), start, at(0), None)
}

fn check(step: &str, item: &str) -> Action {
    Action::CheckItem {
        step: StepId::new(step),
        item: ItemId::new(item),
    }
}

fn uncheck(step: &str, item: &str) -> Action {
    Action::UncheckItem {
        step: StepId::new(step),
        item: ItemId::new(item),
    }
}

fn replay(lines: &[String]) -> Result<Session, stepwise_core::session::ReplayError> {
    Session::replay(runbook(), Digest::of(SOURCE), lines.iter().cloned())
}

#[test]
fn header_is_record_zero_with_runbook_hash() {
    let s = start();
    let line = &s.lines()[0];
    assert!(
        line.starts_with(r#"{"seq":0,"type":"header","format":1,"#),
        "{line}"
    );
    assert!(line.contains(&format!(r#""sha256":"{}""#, Digest::of(SOURCE))));
    assert!(line.contains(&format!(r#""prev":"{}""#, "0".repeat(64))));
    assert!(
        line.contains(r#""ts":"2026-05-28T20:26:40.000Z""#),
        "{line}"
    );
}

#[test]
fn each_record_chains_to_the_exact_previous_line() {
    let mut s = start();
    s.apply(check("first", "a"), at(1), None).expect("accepted");
    s.apply(Action::EnterStep(StepId::new("second")), at(2), None)
        .expect("accepted");
    let lines = s.lines();
    assert_eq!(lines.len(), 3);
    for pair in lines.windows(2) {
        let prev = format!(r#""prev":"{}""#, Digest::of(pair[0].as_bytes()));
        assert!(
            pair[1].contains(&prev),
            "{} does not chain to {}",
            pair[1],
            pair[0]
        );
    }
    assert_eq!(s.head(), Digest::of(lines[2].as_bytes()));
    assert_eq!(
        s.to_jsonl(),
        format!("{}\n{}\n{}\n", lines[0], lines[1], lines[2])
    );
}

#[test]
fn progress_follows_checks_and_unchecks() {
    let mut s = start();
    let rb = runbook();
    assert_eq!(s.state().progress(&rb).done, 0);
    assert_eq!(s.state().progress(&rb).total, 3);
    assert_eq!(s.state().progress(&rb).required_total, 2);
    s.apply(check("first", "b"), at(1), None).expect("accepted");
    let p = s.state().progress(&rb);
    assert_eq!((p.done, p.required_done, p.percent()), (1, 0, 33));
    s.apply(uncheck("first", "b"), at(2), None)
        .expect("accepted");
    assert_eq!(s.state().progress(&rb).done, 0);
    assert_eq!(s.state().step_progress(&rb, &StepId::new("first")), (0, 2));
}

#[test]
fn invalid_actions_are_rejected_and_record_nothing() {
    let mut s = start();
    let cases = [
        (
            check("nope", "a"),
            Rejection::UnknownStep(StepId::new("nope")),
        ),
        (
            check("first", "zz"),
            Rejection::UnknownItem {
                step: StepId::new("first"),
                item: ItemId::new("zz"),
            },
        ),
        (
            uncheck("first", "a"),
            Rejection::NotChecked {
                step: StepId::new("first"),
                item: ItemId::new("a"),
            },
        ),
        (
            Action::EnterStep(StepId::new("first")),
            Rejection::AlreadyOnStep(StepId::new("first")),
        ),
    ];
    for (action, want) in cases {
        assert_eq!(s.apply(action, at(1), None), Err(want));
    }
    assert_eq!(s.lines().len(), 1);
    s.apply(check("first", "a"), at(1), None).expect("accepted");
    assert_eq!(
        s.apply(check("first", "a"), at(2), None),
        Err(Rejection::AlreadyChecked {
            step: StepId::new("first"),
            item: ItemId::new("a")
        })
    );
}

#[test]
fn replay_rejects_tampering_naming_the_record() {
    let mut s = start();
    s.apply(check("first", "a"), at(1), None).expect("accepted");
    s.apply(check("second", "c"), at(2), None)
        .expect("accepted");
    s.apply(uncheck("first", "a"), at(3), None)
        .expect("accepted");
    let lines = s.lines().to_vec();

    let mut edited = lines.clone();
    edited[1] = edited[1].replace(r#""item":"a""#, r#""item":"b""#);
    assert_eq!(
        replay(&edited).unwrap_err().seq,
        2,
        "an edit breaks the next link"
    );
    assert!(matches!(
        replay(&edited).unwrap_err().kind,
        ReplayErrorKind::BadLink
    ));

    let mut dropped = lines.clone();
    dropped.remove(2);
    let err = replay(&dropped).unwrap_err();
    assert_eq!(
        (err.seq, err.kind),
        (2, ReplayErrorKind::SeqGap { found: 3 })
    );

    let mut swapped = lines.clone();
    swapped.swap(1, 2);
    assert_eq!(replay(&swapped).unwrap_err().seq, 1);

    let err = replay(&lines[1..]).unwrap_err();
    assert_eq!((err.seq, err.kind), (0, ReplayErrorKind::NoHeader));

    let mut garbage = lines.clone();
    garbage[3] = "{not json".into();
    assert!(matches!(
        replay(&garbage).unwrap_err().kind,
        ReplayErrorKind::Malformed(_)
    ));

    let other = Session::replay(runbook(), Digest::of(b"other bytes"), lines.iter().cloned());
    assert_eq!(other.unwrap_err().kind, ReplayErrorKind::OtherRunbook);
}

/// Actions as indices so that proptest explores valid and invalid ones alike.
fn action_from(code: (u8, u8)) -> Action {
    let items = [
        ("first", "a"),
        ("first", "b"),
        ("second", "c"),
        ("second", "x"),
    ];
    let (step, item) = items[usize::from(code.1) % items.len()];
    match code.0 % 3 {
        0 => check(step, item),
        1 => uncheck(step, item),
        _ => Action::EnterStep(StepId::new(step)),
    }
}

proptest! {
    #[test]
    fn any_action_sequence_replays_to_the_same_state(codes in prop::collection::vec((any::<u8>(), any::<u8>()), 0..60)) {
        let mut s = start();
        for (n, code) in codes.into_iter().enumerate() {
            let before = s.lines().len();
            let accepted = s.apply(action_from(code), at(n as i64 + 1), None).is_ok();
            prop_assert_eq!(s.lines().len(), before + usize::from(accepted));
        }
        let again = replay(s.lines()).expect("own log replays");
        prop_assert_eq!(again.state(), s.state());
        prop_assert_eq!(again.head(), s.head());
        prop_assert_eq!(again.to_jsonl(), s.to_jsonl());
    }

    #[test]
    fn any_single_byte_change_is_detected(index in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let mut s = start();
        s.apply(check("first", "a"), at(1), None).expect("accepted");
        s.apply(check("second", "c"), at(2), None).expect("accepted");
        let original = s.lines().to_vec();
        let mut bytes = original[1].clone().into_bytes();
        let i = index.index(bytes.len());
        bytes[i] ^= flip;
        // A change that leaves the line invalid UTF-8 cannot even be stored as a line.
        if let Ok(changed) = String::from_utf8(bytes) {
            let tampered = vec![original[0].clone(), changed, original[2].clone()];
            prop_assert!(replay(&tampered).is_err());
        }
    }
}
