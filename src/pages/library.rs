//! The library page: every runbook of the index, filtered as the technician types, and the
//! drill scenarios trainers start from.
//!
//! A runbook that failed to load stays listed, marked broken with the parser's message, so
//! the author can fix it and everyone else can keep working with the rest.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::SearchBox;
use crate::hooks::{use_library, LibraryStatus};
use crate::library::{LibraryEntry, Loadable};
use crate::pages::open::OpenRunbook;

#[component]
pub fn LibraryPage() -> Html {
    let handle = use_library();
    let query = use_state(String::new);
    let on_input = {
        let query = query.clone();
        Callback::from(move |text: String| query.set(text))
    };
    let Some(handle) = handle else {
        return html! { <p class="error" role="alert">{ "Internal error: the library provider is missing." }</p> };
    };
    let body = match &handle.status {
        LibraryStatus::Loading => {
            html! { <p class="status" role="status">{ "Loading the runbook library…" }</p> }
        }
        LibraryStatus::Failed(message) => html! {
            <div class="error" role="alert">
                <p>{ "The runbook library could not be loaded." }</p>
                <pre>{ message.clone() }</pre>
            </div>
        },
        LibraryStatus::Ready(library) => {
            let shown: Vec<&LibraryEntry> = library
                .entries
                .iter()
                .filter(|e| matches(e, &query))
                .collect();
            let count = if query.trim().is_empty() {
                format!("{} runbooks", library.entries.len())
            } else {
                format!(
                    "{} of {} runbooks match",
                    shown.len(),
                    library.entries.len()
                )
            };
            html! {
                <>
                    <p class="count" role="status" data-testid="library-count">{ count }</p>
                    <ul class="runbooks">
                        { for shown.into_iter().map(|entry| html! { <RunbookCard entry={entry.clone()} /> }) }
                    </ul>
                </>
            }
        }
    };
    html! {
        <section class="page library">
            <h1>{ "Runbooks" }</h1>
            <SearchBox value={(*query).clone()} {on_input} label="Search title, category, tag or id" />
            { body }
            { drills(&handle.status) }
            <OpenRunbook library={handle.clone()} />
        </section>
    }
}

/// The library's drill scenarios, for trainers: each starts a drill at `#/drill/<id>`.
fn drills(status: &LibraryStatus) -> Html {
    let LibraryStatus::Ready(library) = status else {
        return html! {};
    };
    if library.drills.is_empty() {
        return html! {};
    }
    let cards = library.drills.iter().map(|d| {
        let title = match &d.scenario {
            Loadable::Broken(_) => html! { <>{ d.meta.title.clone() }<span class="broken-badge">{ " (broken)" }</span></> },
            _ => html! {
                <Link<Route> to={Route::Drill { id: d.meta.id.clone() }}>{ d.meta.title.clone() }</Link<Route>>
            },
        };
        html! {
            <li class="card drill-card" key={d.meta.id.clone()} data-testid="drill-card">
                <h3>{ title }</h3>
                <p class="meta"><span class="drill-badge">{ "DRILL" }</span>
                    { format!(" of runbook {}", d.meta.runbook) }</p>
                if let Loadable::Broken(message) = &d.scenario {
                    <pre class="message">{ message.clone() }</pre>
                }
            </li>
        }
    });
    html! {
        <section class="drills" aria-labelledby="drills-title">
            <h2 id="drills-title">{ "Drills" }</h2>
            <p class="hint">{ "Training exercises on the same runbooks, with a scenario, timed injects and target times. Everything a drill records is marked DRILL. Compare trainees afterwards on the " }
                <Link<Route> to={Route::Debrief}>{ "debrief page" }</Link<Route>>{ "." }</p>
            <ul class="drill-list">{ for cards }</ul>
        </section>
    }
}

/// Every word of the query must appear in the entry's title, id, kind, category or tags.
fn matches(entry: &LibraryEntry, query: &str) -> bool {
    let meta = &entry.meta;
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

#[derive(Debug, Clone, PartialEq, Properties)]
struct RunbookCardProps {
    entry: LibraryEntry,
}

#[component]
fn RunbookCard(props: &RunbookCardProps) -> Html {
    let meta = &props.entry.meta;
    let tags = meta
        .tags
        .iter()
        .map(|t| html! { <li class="tag">{ t.clone() }</li> });
    let broken = props.entry.runbook.broken();
    let title = match broken {
        None => html! {
            <Link<Route> to={Route::Run { id: meta.id.to_string() }}>{ meta.title.clone() }</Link<Route>>
        },
        Some(_) => html! { <span>{ meta.title.clone() }</span> },
    };
    html! {
        <li class={classes!("card", broken.is_some().then_some("broken"))}>
            <h2>{ title }</h2>
            <p class="meta">
                <span class={classes!("kind", meta.kind.label())}>{ meta.kind.label() }</span>
                <span class="category">{ meta.category.clone() }</span>
                <span class="version">{ format!("v{}", meta.version) }</span>
            </p>
            <ul class="tags" aria-label="Tags">{ for tags }</ul>
            if let Some(message) = broken {
                <div class="error" role="note">
                    <strong>{ "Broken: this runbook cannot be opened." }</strong>
                    <pre>{ message.to_owned() }</pre>
                </div>
            }
        </li>
    }
}

#[cfg(test)]
mod tests {
    use stepwise_core::runbook::{IndexEntry, Kind};
    use stepwise_core::RunbookId;

    use super::*;

    fn entry() -> LibraryEntry {
        LibraryEntry {
            meta: IndexEntry {
                id: RunbookId::new("vpn-not-connecting"),
                file: "vpn-not-connecting.yaml".into(),
                title: "VPN not connecting".into(),
                version: "1.0.0".into(),
                kind: Kind::Incident,
                category: "Network / Remote access".into(),
                tags: vec!["remote-work".into()],
                sha256: stepwise_core::Digest::of(b""),
            },
            runbook: Loadable::Broken("not needed here".into()),
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
}
