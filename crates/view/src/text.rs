//! What the library page says, and which entries its search shows: plain Rust, so that the
//! web app's Yew components (`library.rs`) and the first-load module's DOM (crates/lite)
//! draw the same page from the same words. The markup itself is each module's own; the
//! boot tests hold the two pages equal.

use stepwise_core::runbook::IndexEntry;

pub const LIBRARY_HEADING: &str = "Runbooks";
pub const SEARCH_LABEL: &str = "Search title, category, tag or id";
pub const DRILLS_HEADING: &str = "Drills";
/// Followed by a link to the debrief page ([`DEBRIEF_LINK`]) and a full stop.
pub const DRILLS_HINT: &str = "Training exercises on the same runbooks, with a scenario, timed injects and target times. Everything a drill records is marked DRILL. Compare trainees afterwards on the ";
pub const DEBRIEF_LINK: &str = "debrief page";
pub const DRILL_BADGE: &str = "DRILL";
pub const OPEN_FILE_HEADING: &str = "Run a runbook from a file";
pub const OPEN_FILE_LABEL: &str = "Choose a runbook file (YAML or JSON)";
/// The picker's `accept` attribute.
pub const OPEN_FILE_ACCEPT: &str = ".yaml,.yml,.json";
pub const OPEN_FILE_HINT: &str = "…or drop it here. It is checked as `stepwise lint` would and run in this tab only; it is not added to the library.";
/// The top bar's link to the identity page while no name is set.
pub const NO_NAME: &str = "Set your name";

/// Every word of the query must appear in the entry's title, id, kind, category or tags.
pub fn matches(meta: &IndexEntry, query: &str) -> bool {
    let haystack = format!(
        "{} {} {} {} {}",
        meta.title,
        meta.id,
        meta.kind.label(),
        meta.category,
        meta.tags.join(" ")
    )
    .to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

/// The status line above the cards.
pub fn count_text(shown: usize, total: usize, query: &str) -> String {
    if query.trim().is_empty() {
        format!("{total} runbooks")
    } else {
        format!("{shown} of {total} runbooks match")
    }
}

/// What a drill card says under its title.
pub fn drill_of(runbook: &str) -> String {
    format!(" of runbook {runbook}")
}

#[cfg(test)]
mod tests {
    use stepwise_core::runbook::Kind;
    use stepwise_core::RunbookId;

    use super::*;

    fn entry() -> IndexEntry {
        IndexEntry {
            id: RunbookId::new("vpn-not-connecting"),
            file: "vpn-not-connecting.yaml".into(),
            title: "VPN not connecting".into(),
            version: "1.0.0".into(),
            kind: Kind::Incident,
            category: "Network / Remote access".into(),
            tags: vec!["remote-work".into()],
            sha256: stepwise_core::Digest::of(b""),
        }
    }

    #[test]
    fn every_word_must_match_somewhere() {
        let e = entry();
        for (query, want) in [
            ("", true),
            ("vpn", true),
            ("VPN Network", true),
            ("incident remote-work", true),
            ("request", false),
            ("vpn printer", false),
        ] {
            assert_eq!(matches(&e, query), want, "query {query:?}");
        }
    }

    #[test]
    fn the_count_says_how_many_match_once_there_is_a_query() {
        assert_eq!(count_text(12, 12, ""), "12 runbooks");
        assert_eq!(count_text(12, 12, "  "), "12 runbooks");
        assert_eq!(count_text(3, 12, "vpn"), "3 of 12 runbooks match");
    }
}
