//! ITIL priority and SLA clocks: the Impact x Urgency matrix, priorities with their targets,
//! calendars (24x7 or business hours with holidays), and due times from a start, a target
//! and the pauses so far.
//!
//! Everything is data (`priority.yaml`; an MSP ships one per client) and everything is a pure
//! function of its arguments: the clock is read by the caller and passed in as `now`. This
//! module does not record anything; the session's records say which priority was set when,
//! and when the clock was paused.

use std::collections::BTreeMap;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use serde::{Deserialize, Serialize};

use crate::runbook::{parse_duration, ParseError, SourceFormat};
use crate::time::Timestamp;

/// A priority matrix file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    pub id: String,
    pub title: String,
    pub impact: Vec<Level>,
    pub urgency: Vec<Level>,
    /// Impact id -> urgency id -> priority id.
    pub matrix: BTreeMap<String, BTreeMap<String, String>>,
    pub priorities: Vec<Priority>,
    pub calendars: Vec<Calendar>,
}

/// An Impact or Urgency level, with what a technician decides it by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub id: String,
    pub label: String,
    pub description: String,
    #[serde(default)]
    pub questions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priority {
    /// `P1` … `P5`.
    pub id: String,
    pub label: String,
    /// A CSS colour such as `#b42318`.
    pub colour: String,
    /// First-response target, such as `15m`.
    pub response: String,
    /// Resolution target, such as `4h`.
    pub resolution: String,
    /// The id of the calendar the targets count in.
    pub calendar: String,
}

/// When SLA time counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    pub id: String,
    /// Absent: around the clock (24x7).
    #[serde(default)]
    pub hours: Option<BusinessHours>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// The site's offset from UTC, such as `+01:00`.
    pub utc_offset: String,
    /// Working days, such as `[mon, tue, wed, thu, fri]`.
    pub days: Vec<String>,
    /// Opening and closing time, `HH:MM`, local.
    pub opens: String,
    pub closes: String,
    /// Dates (`YYYY-MM-DD`, local) on which no SLA time counts.
    #[serde(default)]
    pub holidays: Vec<String>,
}

/// Parses a matrix file (structure only; `check` reports its semantic problems).
pub fn parse_matrix(file: &str, bytes: &[u8], format: SourceFormat) -> Result<Matrix, ParseError> {
    crate::runbook::deserialize_source(file, bytes, format)
}

impl Matrix {
    /// The priority for an Impact and Urgency pair.
    pub fn priority(&self, impact: &str, urgency: &str) -> Option<&Priority> {
        let id = self.matrix.get(impact)?.get(urgency)?;
        self.priorities.iter().find(|p| &p.id == id)
    }

    pub fn calendar(&self, id: &str) -> Option<&Calendar> {
        self.calendars.iter().find(|c| c.id == id)
    }

    /// Every problem of the matrix as a message: cells missing or naming no priority,
    /// unknown levels, targets that are not positive durations, a response target longer than
    /// the resolution target, calendars that are unknown or malformed.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for impact in &self.impact {
            for urgency in &self.urgency {
                match self
                    .matrix
                    .get(&impact.id)
                    .and_then(|row| row.get(&urgency.id))
                {
                    None => problems.push(format!(
                        "matrix: no priority for impact `{}` and urgency `{}`",
                        impact.id, urgency.id
                    )),
                    Some(p) if !self.priorities.iter().any(|q| &q.id == p) => {
                        problems.push(format!(
                            "matrix: impact `{}`, urgency `{}` names unknown priority `{p}`",
                            impact.id, urgency.id
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        for (impact, row) in &self.matrix {
            if !self.impact.iter().any(|l| &l.id == impact) {
                problems.push(format!("matrix: unknown impact `{impact}`"));
            }
            for urgency in row
                .keys()
                .filter(|u| !self.urgency.iter().any(|l| &l.id == *u))
            {
                problems.push(format!(
                    "matrix: unknown urgency `{urgency}` under impact `{impact}`"
                ));
            }
        }
        for p in &self.priorities {
            let response = parse_duration(&p.response);
            let resolution = parse_duration(&p.resolution);
            if response.is_none() {
                problems.push(format!(
                    "priority `{}`: response `{}` is not a positive duration",
                    p.id, p.response
                ));
            }
            if resolution.is_none() {
                problems.push(format!(
                    "priority `{}`: resolution `{}` is not a positive duration",
                    p.id, p.resolution
                ));
            }
            if let (Some(a), Some(b)) = (response, resolution) {
                if a > b {
                    problems.push(format!(
                        "priority `{}`: response target {} is longer than resolution target {}",
                        p.id, p.response, p.resolution
                    ));
                }
            }
            match contrast_with_white(&p.colour) {
                None => problems.push(format!(
                    "priority `{}`: colour `{}` is not a colour such as `#b42318`",
                    p.id, p.colour
                )),
                Some(ratio) if ratio < MIN_CONTRAST => problems.push(format!(
                    "priority `{}`: colour `{}` has a contrast of {ratio:.1}:1 with the white text on it, below {MIN_CONTRAST}:1 (WCAG AA)",
                    p.id, p.colour
                )),
                Some(_) => {}
            }
            match self.calendar(&p.calendar) {
                None => problems.push(format!(
                    "priority `{}`: unknown calendar `{}`",
                    p.id, p.calendar
                )),
                Some(c) => {
                    if let Err(e) = c.clock() {
                        problems.push(format!("calendar `{}`: {e}", c.id));
                    }
                }
            }
        }
        problems
    }
}

impl Calendar {
    /// The calendar in a form that computes; the message says what is malformed.
    pub fn clock(&self) -> Result<Clock, String> {
        let Some(hours) = &self.hours else {
            return Ok(Clock::Always);
        };
        let offset = parse_offset(&hours.utc_offset)
            .ok_or_else(|| format!("utc_offset `{}` is not like `+01:00`", hours.utc_offset))?;
        let time = |t: &str| {
            NaiveTime::parse_from_str(t, "%H:%M")
                .map_err(|_| format!("`{t}` is not a time like `08:30`"))
        };
        let (opens, closes) = (time(&hours.opens)?, time(&hours.closes)?);
        if opens >= closes {
            return Err(format!(
                "opens {} is not before closes {}",
                hours.opens, hours.closes
            ));
        }
        let days = hours
            .days
            .iter()
            .map(|d| {
                d.parse::<Weekday>()
                    .map_err(|_| format!("`{d}` is not a weekday"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if days.is_empty() {
            return Err("no working days".to_owned());
        }
        let holidays = hours
            .holidays
            .iter()
            .map(|d| {
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| format!("holiday `{d}` is not a date"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Clock::Business {
            offset,
            days,
            opens,
            closes,
            holidays,
        })
    }
}

/// A calendar that computes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clock {
    Always,
    Business {
        offset: FixedOffset,
        days: Vec<Weekday>,
        opens: NaiveTime,
        closes: NaiveTime,
        holidays: Vec<NaiveDate>,
    },
}

/// A stretch during which the clock stood still; `until` is `None` while it still stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: Timestamp,
    pub until: Option<Timestamp>,
}

/// How far along an SLA target is at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Under 75% of the target used.
    Ok,
    /// 75% or more used.
    Warning,
    Breached,
}

/// The least contrast a priority's colour must have with the white text of its badge: WCAG
/// 2.1 AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// The contrast ratio (1 to 21) of white text on `colour` (`#rgb` or `#rrggbb`); `None` when
/// it is not such a colour.
pub fn contrast_with_white(colour: &str) -> Option<f64> {
    let hex = colour.strip_prefix('#')?;
    let digits: Vec<u8> = hex
        .chars()
        .map(|c| c.to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    let (r, g, b) = match digits.as_slice() {
        [r, g, b] => (r * 17, g * 17, b * 17),
        [r1, r2, g1, g2, b1, b2] => (r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2),
        _ => return None,
    };
    // WCAG relative luminance of sRGB.
    let channel = |v: u8| {
        let c = f64::from(v) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    Some(1.05 / (luminance + 0.05))
}

/// The longest a search for a due time goes on (a calendar open one minute a year would
/// otherwise walk for ever).
const HORIZON_DAYS: i64 = 3 * 366;

impl Clock {
    /// SLA seconds that count between `from` and `to`, leaving out closed hours and pauses.
    pub fn counted(&self, from: Timestamp, to: Timestamp, pauses: &[Pause]) -> i64 {
        let mut total = 0;
        for (start, end) in self.open_spans(from, to) {
            total += minus_pauses(start, end, pauses, to);
        }
        total
    }

    /// When `target` seconds of SLA time will have counted since `from`, given the pauses so
    /// far; `None` while the clock is paused or when the calendar never opens in the horizon.
    pub fn due(&self, from: Timestamp, target: i64, pauses: &[Pause]) -> Option<Timestamp> {
        if pauses.iter().any(|p| p.until.is_none()) {
            return None;
        }
        let horizon = Timestamp::from_unix_millis(from.unix_millis() + HORIZON_DAYS * 86_400_000)?;
        let mut left = target * 1000;
        for (start, end) in self.open_spans(from, horizon) {
            let mut cursor = start;
            for (pause_start, pause_end) in pauses_within(start, end, pauses) {
                if pause_start > cursor {
                    let span = pause_start - cursor;
                    if span >= left {
                        return Timestamp::from_unix_millis(cursor + left);
                    }
                    left -= span;
                }
                cursor = cursor.max(pause_end);
            }
            let span = (end - cursor).max(0);
            if span >= left {
                return Timestamp::from_unix_millis(cursor + left);
            }
            left -= span;
        }
        None
    }

    /// Where a target stands at `now`.
    pub fn standing(
        &self,
        from: Timestamp,
        target: i64,
        pauses: &[Pause],
        now: Timestamp,
    ) -> Standing {
        let used = self.counted(from, now, pauses);
        if used >= target {
            Standing::Breached
        } else if used * 4 >= target * 3 {
            Standing::Warning
        } else {
            Standing::Ok
        }
    }

    /// The open stretches of the calendar between `from` and `to`, in milliseconds.
    fn open_spans(&self, from: Timestamp, to: Timestamp) -> Vec<(i64, i64)> {
        let (from, to) = (from.unix_millis(), to.unix_millis());
        if to <= from {
            return Vec::new();
        }
        match self {
            Clock::Always => vec![(from, to)],
            Clock::Business {
                offset,
                days,
                opens,
                closes,
                holidays,
            } => {
                let Some(start) = DateTime::<Utc>::from_timestamp_millis(from) else {
                    return Vec::new();
                };
                let mut date = start.with_timezone(offset).date_naive();
                let mut spans = Vec::new();
                for _ in 0..=HORIZON_DAYS {
                    let open = local_millis(offset, date, *opens);
                    if open.is_some_and(|o| o >= to) {
                        break;
                    }
                    if days.contains(&date.weekday()) && !holidays.contains(&date) {
                        if let (Some(open), Some(close)) =
                            (open, local_millis(offset, date, *closes))
                        {
                            let (a, b) = (open.max(from), close.min(to));
                            if a < b {
                                spans.push((a, b));
                            }
                        }
                    }
                    let Some(next) = date.checked_add_signed(Duration::days(1)) else {
                        break;
                    };
                    date = next;
                }
                spans
            }
        }
    }
}

fn local_millis(offset: &FixedOffset, date: NaiveDate, time: NaiveTime) -> Option<i64> {
    offset
        .from_local_datetime(&date.and_time(time))
        .single()
        .map(|t| t.timestamp_millis())
}

/// The parts of the pauses inside `[start, end)`, in order, clipped; an open pause runs to `now`.
fn pauses_within(start: i64, end: i64, pauses: &[Pause]) -> Vec<(i64, i64)> {
    let mut parts: Vec<(i64, i64)> = pauses
        .iter()
        .filter_map(|p| {
            let a = p.from.unix_millis().max(start);
            let b = p.until.map_or(end, |u| u.unix_millis()).min(end);
            (a < b).then_some((a, b))
        })
        .collect();
    parts.sort();
    parts
}

fn minus_pauses(start: i64, end: i64, pauses: &[Pause], now: Timestamp) -> i64 {
    let mut counted = 0;
    let mut cursor = start;
    let end = end.min(now.unix_millis());
    for (a, b) in pauses_within(start, end, pauses) {
        if a > cursor {
            counted += a - cursor;
        }
        cursor = cursor.max(b);
    }
    if end > cursor {
        counted += end - cursor;
    }
    counted / 1000
}

fn parse_offset(text: &str) -> Option<FixedOffset> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = text.get(1..)?.split_once(':')?;
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// One SLA target of a session as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetView {
    /// When it falls due; `None` while the clock is paused.
    pub due: Option<Timestamp>,
    /// Where it stands now, or where it stood when it was met.
    pub standing: Standing,
    /// When it was met (first response given; session completed).
    pub met: Option<Timestamp>,
}

/// A session's SLA: the Priority in force and both targets.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaView<'a> {
    pub priority: &'a Priority,
    pub response: TargetView,
    pub resolution: TargetView,
}

/// The SLA of a session at `now`, from its records alone: counted from the session's start
/// with the targets of the Priority in force. "Waiting on customer" pauses stop the
/// resolution clock, not the response clock. `None` until a Priority is set, or when the
/// matrix does not know it.
pub fn sla<'a>(
    matrix: &'a Matrix,
    state: &crate::session::State,
    now: Timestamp,
) -> Option<SlaView<'a>> {
    let choice = state.priorities.last()?;
    let priority = matrix.priorities.iter().find(|p| p.id == choice.priority)?;
    let clock = matrix.calendar(&priority.calendar)?.clock().ok()?;
    let start = state.started;
    let view = |target: &str, pauses: &[Pause], met: Option<Timestamp>| {
        let seconds = parse_duration(target).map_or(0, |s| s as i64);
        let at = met.unwrap_or(now);
        // Pauses still open at `at` count up to `at`.
        TargetView {
            due: clock.due(start, seconds, pauses),
            standing: clock.standing(start, seconds, pauses, at),
            met,
        }
    };
    let resolved = match state.status {
        crate::session::Status::Completed { .. } => state.closed_at,
        _ => None,
    };
    Some(SlaView {
        priority,
        response: view(&priority.response, &[], state.responded),
        resolution: view(&priority.resolution, &state.pauses, resolved),
    })
}
