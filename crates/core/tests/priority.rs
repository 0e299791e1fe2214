//! Priority matrices and SLA clocks, table-driven: every cell of the bundled matrix, the
//! example 4x4, broken matrices, and clocks across weekends, holidays, pauses and offsets.

use stepwise_core::priority::{parse_matrix, Clock, Matrix, Pause, Standing};
use stepwise_core::runbook::{parse_duration, SourceFormat};
use stepwise_core::Timestamp;

fn matrix(path: &str) -> Matrix {
    let full = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&full).expect("readable");
    parse_matrix(path, &bytes, SourceFormat::Yaml).expect("parses")
}

fn t(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap_or_else(|| panic!("bad timestamp {text}"))
}

#[test]
fn every_cell_of_the_default_matrix() {
    let m = matrix("runbooks/priority.yaml");
    assert_eq!(m.check(), Vec::<String>::new());
    let cells = [
        ("high", "high", "P1", "Critical", "15m", "4h"),
        ("high", "medium", "P2", "High", "30m", "8h"),
        ("high", "low", "P3", "Medium", "2h", "24h"),
        ("medium", "high", "P2", "High", "30m", "8h"),
        ("medium", "medium", "P3", "Medium", "2h", "24h"),
        ("medium", "low", "P4", "Low", "8h", "80h"),
        ("low", "high", "P3", "Medium", "2h", "24h"),
        ("low", "medium", "P4", "Low", "8h", "80h"),
        ("low", "low", "P5", "Planning", "16h", "160h"),
    ];
    for (impact, urgency, id, label, response, resolution) in cells {
        let p = m
            .priority(impact, urgency)
            .unwrap_or_else(|| panic!("{impact} x {urgency}"));
        assert_eq!(
            (p.id.as_str(), p.label.as_str()),
            (id, label),
            "{impact} x {urgency}"
        );
        assert_eq!(
            (p.response.as_str(), p.resolution.as_str()),
            (response, resolution)
        );
    }
    assert_eq!(m.priority("high", "unknown"), None);
}

#[test]
fn the_example_4x4_is_complete() {
    let m = matrix("runbooks/examples/msp-client-4x4.priority.yaml");
    assert_eq!(m.check(), Vec::<String>::new());
    assert_eq!(m.impact.len() * m.urgency.len(), 16);
    assert_eq!(
        m.priority("minor", "low").map(|p| p.id.as_str()),
        Some("P5")
    );
}

#[test]
fn broken_matrices_are_reported() {
    let base = std::fs::read_to_string(format!(
        "{}/../../runbooks/priority.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("readable");
    let cases = [
        (
            "low: {high: P3, medium: P4, low: P5}",
            "low: {high: P3, medium: P4}",
            "matrix: no priority for impact `low` and urgency `low`",
        ),
        (
            "low: {high: P3, medium: P4, low: P5}",
            "low: {high: P3, medium: P4, low: P9}",
            "names unknown priority `P9`",
        ),
        (
            "response: 15m, resolution: 4h",
            "response: 5h, resolution: 4h",
            "priority `P1`: response target 5h is longer than resolution target 4h",
        ),
        (
            "response: 15m, resolution: 4h",
            "response: soon, resolution: 4h",
            "priority `P1`: response `soon` is not a positive duration",
        ),
        (
            "calendar: 24x7}\n  - {id: P2",
            "calendar: nightly}\n  - {id: P2",
            "priority `P1`: unknown calendar `nightly`",
        ),
        (
            "opens: \"08:00\"",
            "opens: \"19:00\"",
            "calendar `business`: opens 19:00 is not before closes 18:00",
        ),
        (
            "utc_offset: \"+00:00\"",
            "utc_offset: \"CET\"",
            "utc_offset `CET` is not like `+01:00`",
        ),
        (
            "colour: \"#8a6d00\"",
            "colour: \"#e8c547\"",
            "priority `P3`: colour `#e8c547` has a contrast of 1.7:1 with the white text on it, below 4.5:1 (WCAG AA)",
        ),
        (
            "colour: \"#8a6d00\"",
            "colour: \"yellow\"",
            "priority `P3`: colour `yellow` is not a colour such as `#b42318`",
        ),
    ];
    for (from, to, want) in cases {
        assert!(base.contains(from), "fixture text `{from}` not found");
        let text = base.replacen(from, to, 1);
        let m = parse_matrix("p.yaml", text.as_bytes(), SourceFormat::Yaml).expect("parses");
        let problems = m.check();
        assert!(
            problems.iter().any(|p| p.contains(want)),
            "want `{want}` in {problems:#?}"
        );
    }
}

fn business(offset: &str, holidays: &[&str]) -> Clock {
    let m = matrix("runbooks/priority.yaml");
    let mut calendar = m.calendar("business").expect("business calendar").clone();
    let hours = calendar.hours.as_mut().expect("business hours");
    hours.utc_offset = offset.to_owned();
    hours.holidays = holidays.iter().map(|h| h.to_string()).collect();
    calendar.clock().expect("valid calendar")
}

/// (what, clock, start, target, pauses, due)
type Case = (
    &'static str,
    Clock,
    &'static str,
    &'static str,
    Vec<Pause>,
    Option<&'static str>,
);

#[test]
fn due_times_across_calendars_weekends_holidays_and_pauses() {
    let pause = |a: &str, b: &str| Pause {
        from: t(a),
        until: Some(t(b)),
    };
    let cases: Vec<Case> = vec![
        (
            "24x7 adds straight time",
            Clock::Always,
            "2026-12-07T10:00:00Z",
            "4h",
            vec![],
            Some("2026-12-07T14:00:00.000Z"),
        ),
        (
            "Friday evening runs into Monday",
            business("+00:00", &[]),
            "2026-12-04T17:00:00Z",
            "2h",
            vec![],
            Some("2026-12-07T09:00:00.000Z"),
        ),
        (
            "a holiday and a weekend are skipped",
            business("+00:00", &["2026-12-25"]),
            "2026-12-24T17:00:00Z",
            "2h",
            vec![],
            Some("2026-12-28T09:00:00.000Z"),
        ),
        (
            "a ticket logged before opening starts at opening",
            business("+00:00", &[]),
            "2026-12-08T06:00:00Z",
            "1h",
            vec![],
            Some("2026-12-08T09:00:00.000Z"),
        ),
        (
            "a ticket logged on Saturday starts Monday",
            business("+00:00", &[]),
            "2026-12-05T11:00:00Z",
            "30m",
            vec![],
            Some("2026-12-07T08:30:00.000Z"),
        ),
        (
            "business hours in another offset",
            business("+01:00", &[]),
            "2026-12-07T07:30:00Z",
            "1h",
            vec![],
            Some("2026-12-07T08:30:00.000Z"),
        ),
        (
            "a pause overnight stops the clock",
            Clock::Always,
            "2026-12-07T20:00:00Z",
            "4h",
            vec![pause("2026-12-07T22:00:00Z", "2026-12-08T06:00:00Z")],
            Some("2026-12-08T08:00:00.000Z"),
        ),
        (
            "a pause in closed hours changes nothing",
            business("+00:00", &[]),
            "2026-12-07T17:00:00Z",
            "2h",
            vec![pause("2026-12-07T19:00:00Z", "2026-12-08T07:00:00Z")],
            Some("2026-12-08T09:00:00.000Z"),
        ),
        (
            "an open pause has no due time",
            Clock::Always,
            "2026-12-07T10:00:00Z",
            "1h",
            vec![Pause {
                from: t("2026-12-07T10:10:00Z"),
                until: None,
            }],
            None,
        ),
    ];
    for (what, clock, start, target, pauses, due) in cases {
        let target = parse_duration(target).expect("duration") as i64;
        let got = clock.due(t(start), target, &pauses).map(|d| d.to_string());
        assert_eq!(got.as_deref(), due, "{what}");
    }
}

#[test]
fn standing_through_a_pause_that_spans_the_breach() {
    let clock = Clock::Always;
    let start = t("2026-12-07T10:00:00Z");
    let pauses = [Pause {
        from: t("2026-12-07T10:30:00Z"),
        until: Some(t("2026-12-07T12:00:00Z")),
    }];
    assert_eq!(
        clock
            .due(start, 3600, &pauses)
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-12-07T12:30:00.000Z")
    );
    for (now, want) in [
        ("2026-12-07T10:20:00Z", Standing::Ok),
        ("2026-12-07T11:30:00Z", Standing::Ok),
        ("2026-12-07T12:15:00Z", Standing::Warning),
        ("2026-12-07T12:31:00Z", Standing::Breached),
    ] {
        assert_eq!(
            clock.standing(start, 3600, &pauses, t(now)),
            want,
            "at {now}"
        );
    }
    assert_eq!(
        clock.counted(start, t("2026-12-07T12:15:00Z"), &pauses),
        45 * 60
    );
}

/// Contrast of white text on a colour, against the WCAG 2.1 formula's known values.
#[test]
fn contrast_of_white_text_follows_wcag() {
    use stepwise_core::priority::contrast_with_white;
    // (colour, contrast to one decimal, or None)
    let cases: [(&str, Option<&str>); 8] = [
        ("#ffffff", Some("1.0")),
        ("#000000", Some("21.0")),
        ("#000", Some("21.0")),
        ("#767676", Some("4.5")),
        ("#777777", Some("4.5")),
        ("#b42318", Some("6.6")),
        ("red", None),
        ("#12345", None),
    ];
    for (colour, want) in cases {
        let got = contrast_with_white(colour).map(|c| format!("{c:.1}"));
        assert_eq!(got.as_deref(), want, "{colour}");
    }
    // #767676 is the darkest grey that passes AA on white; #777777 just fails.
    assert!(contrast_with_white("#767676").is_some_and(|c| c >= 4.5));
    assert!(contrast_with_white("#777777").is_some_and(|c| c < 4.5));
}
