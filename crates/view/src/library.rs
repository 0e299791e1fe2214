//! The library's cards, drills and open-file section. Each module passes in its own links
//! (the web app's router links, the first-load module's plain anchors) as `Html`.

use stepwise_core::runbook::{DrillEntry, IndexEntry};
use web_sys::File;
use yew::prelude::*;

use crate::{FileDrop, SearchBox};

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

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct LibraryFrameProps {
    /// The search as typed.
    pub query: AttrValue,
    pub on_input: Callback<String>,
    /// The list (or why there is none), the drills and the open-file section.
    pub children: Html,
}

/// The library page around its content: the heading and the search field.
#[component]
pub fn LibraryFrame(props: &LibraryFrameProps) -> Html {
    html! {
        <section class="page library">
            <h1>{ "Runbooks" }</h1>
            <SearchBox value={props.query.clone()} on_input={props.on_input.clone()}
                label="Search title, category, tag or id" />
            { props.children.clone() }
        </section>
    }
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct RunbookListProps {
    /// [`count_text`] of the cards shown.
    pub count: AttrValue,
    /// The [`RunbookCard`]s.
    pub children: Html,
}

/// The cards that match the search, with how many they are.
#[component]
pub fn RunbookList(props: &RunbookListProps) -> Html {
    html! {
        <>
            <p class="count" role="status" data-testid="library-count">{ props.count.clone() }</p>
            <ul class="runbooks">{ props.children.clone() }</ul>
        </>
    }
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct RunbookCardProps {
    pub meta: IndexEntry,
    /// The title, as a link to run it (or plain text when it cannot be opened).
    pub title: Html,
    /// Why the runbook cannot be opened.
    #[prop_or_default]
    pub broken: Option<AttrValue>,
}

#[component]
pub fn RunbookCard(props: &RunbookCardProps) -> Html {
    let meta = &props.meta;
    let tags = meta
        .tags
        .iter()
        .map(|t| html! { <li class="tag">{ t.clone() }</li> });
    html! {
        <li class={classes!("card", props.broken.is_some().then_some("broken"))}>
            <h2>{ props.title.clone() }</h2>
            <p class="meta">
                <span class={classes!("kind", meta.kind.label())}>{ meta.kind.label() }</span>
                <span class="category">{ meta.category.clone() }</span>
                <span class="version">{ format!("v{}", meta.version) }</span>
            </p>
            <ul class="tags" aria-label="Tags">{ for tags }</ul>
            if let Some(message) = &props.broken {
                <div class="error" role="note">
                    <strong>{ "Broken: this runbook cannot be opened." }</strong>
                    <pre>{ message.clone() }</pre>
                </div>
            }
        </li>
    }
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct DrillCardProps {
    pub meta: DrillEntry,
    /// The title, as a link to start the drill.
    pub title: Html,
    /// Why the scenario cannot be started.
    #[prop_or_default]
    pub broken: Option<AttrValue>,
}

#[component]
pub fn DrillCard(props: &DrillCardProps) -> Html {
    let title = match &props.broken {
        Some(_) => {
            html! { <>{ props.meta.title.clone() }<span class="broken-badge">{ " (broken)" }</span></> }
        }
        None => props.title.clone(),
    };
    html! {
        <li class="card drill-card" data-testid="drill-card">
            <h3>{ title }</h3>
            <p class="meta"><span class="drill-badge">{ "DRILL" }</span>
                { format!(" of runbook {}", props.meta.runbook) }</p>
            if let Some(message) = &props.broken {
                <pre class="message">{ message.clone() }</pre>
            }
        </li>
    }
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct DrillsSectionProps {
    /// A link to the debrief page.
    pub debrief: Html,
    /// The [`DrillCard`]s.
    pub children: Html,
}

/// The library's drill scenarios, for trainers.
#[component]
pub fn DrillsSection(props: &DrillsSectionProps) -> Html {
    html! {
        <section class="drills" aria-labelledby="drills-title">
            <h2 id="drills-title">{ "Drills" }</h2>
            <p class="hint">{ "Training exercises on the same runbooks, with a scenario, timed injects and target times. Everything a drill records is marked DRILL. Compare trainees afterwards on the " }
                { props.debrief.clone() }{ "." }</p>
            <ul class="drill-list">{ props.children.clone() }</ul>
        </section>
    }
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct OpenFileSectionProps {
    pub on_files: Callback<Vec<File>>,
    /// What became of the last file.
    #[prop_or_default]
    pub children: Html,
}

/// Running a runbook from a file: the picker and drop zone, then the outcome.
#[component]
pub fn OpenFileSection(props: &OpenFileSectionProps) -> Html {
    html! {
        <section class="open-file" aria-labelledby="open-file-heading">
            <h2 id="open-file-heading">{ "Run a runbook from a file" }</h2>
            <FileDrop label="Choose a runbook file (YAML or JSON)" accept=".yaml,.yml,.json"
                hint="…or drop it here. It is checked as `stepwise lint` would and run in this tab only; it is not added to the library."
                on_files={props.on_files.clone()} />
            { props.children.clone() }
        </section>
    }
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
