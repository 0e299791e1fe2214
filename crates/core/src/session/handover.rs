//! The hand-over file: an in-progress session passed to a colleague on another machine.
//!
//! It carries the runbook's exact source (so the receiver replays against the same bytes,
//! whatever its own library holds) and the log's exact lines. The receiver replays it, which
//! checks every link of the chain, and then records a `handover` naming both technicians, so
//! the chain continues unbroken. It is not evidence by itself: the signed export is.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::engine::Session;

/// The `format` of a hand-over file.
pub const HANDOVER_FORMAT: &str = "stepwise-handover/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverFile {
    pub format: String,
    pub runbook: HandoverRunbook,
    /// The session's JSON Lines, byte for byte.
    pub log: String,
    /// The source of the priority matrix the header names, when the session has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix: Option<String>,
    /// The source of the drill scenario the header names, when the session is a drill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverRunbook {
    pub file: String,
    /// Opened from a file rather than the library, on the sending side.
    #[serde(default)]
    pub local: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HandoverError {
    #[error("not a hand-over file: {0}")]
    Malformed(String),
    #[error("file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("hand-over format `{0}` is not supported (expected `{HANDOVER_FORMAT}`)")]
    Format(String),
}

impl HandoverFile {
    /// The file for `session`, whose runbook came from `file` with this exact `source`, and
    /// whose priority matrix (if any) has this source.
    pub fn of(
        session: &Session,
        file: &str,
        local: bool,
        source: &str,
        matrix: Option<&str>,
    ) -> HandoverFile {
        HandoverFile {
            format: HANDOVER_FORMAT.to_owned(),
            runbook: HandoverRunbook {
                file: file.to_owned(),
                local,
                source: source.to_owned(),
            },
            log: session.to_jsonl(),
            matrix: matrix.map(str::to_owned),
            scenario: None,
        }
    }

    /// The same file, carrying the drill scenario's source too.
    pub fn with_scenario(mut self, source: Option<&str>) -> HandoverFile {
        self.scenario = source.map(str::to_owned);
        self
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .expect("a hand-over file holds only strings, which always serialize")
    }

    pub fn parse(text: &str) -> Result<HandoverFile, HandoverError> {
        let limit = crate::evidence::MAX_LOG_BYTES;
        if text.len() > limit {
            return Err(HandoverError::TooLarge {
                size: text.len(),
                limit,
            });
        }
        let file: HandoverFile =
            serde_json::from_str(text).map_err(|e| HandoverError::Malformed(e.to_string()))?;
        if file.format != HANDOVER_FORMAT {
            return Err(HandoverError::Format(file.format));
        }
        Ok(file)
    }

    /// The log's lines, without their line ends.
    pub fn lines(&self) -> Vec<String> {
        self.log.lines().map(str::to_owned).collect()
    }
}
