//! The library page: every runbook of the index, filtered as the technician types, and the
//! drill scenarios trainers start from.
//!
//! A runbook that failed to load stays listed, marked broken with the parser's message, so
//! the author can fix it and everyone else can keep working with the rest.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::hooks::{use_library, LibraryStatus};
use crate::library::{LibraryEntry, Loadable};
use crate::pages::open::OpenRunbook;
use crate::platform::{focus, hand_over};
use stepwise_view::text::DEBRIEF_LINK;
use stepwise_view::{
    count_text, matches, DrillCard, DrillsSection, LibraryFrame, RunbookCard, RunbookList,
};

#[component]
pub fn LibraryPage() -> Html {
    let handle = use_library();
    // Where the first-load module's page left off, if it handed over mid-search.
    let handed = use_memo((), |_| hand_over::take_search().unwrap_or_default());
    let query = use_state(|| handed.0.clone());
    {
        let focused = handed.1;
        use_effect_with((), move |_| {
            if focused {
                focus::move_to("#search");
            }
        });
    }
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
                .filter(|e| matches(&e.meta, &query))
                .collect();
            let count = count_text(shown.len(), library.entries.len(), &query);
            html! {
                <RunbookList count={count}>
                    { for shown.into_iter().map(|entry| html! { <LibraryCard entry={entry.clone()} /> }) }
                </RunbookList>
            }
        }
    };
    html! {
        <LibraryFrame query={(*query).clone()} {on_input}>
            { body }
            { drills(&handle.status) }
            <OpenRunbook library={handle.clone()} />
        </LibraryFrame>
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
        let broken = match &d.scenario {
            Loadable::Broken(message) => Some(AttrValue::from(message.clone())),
            _ => None,
        };
        let title = html! {
            <Link<Route> to={Route::Drill { id: d.meta.id.clone() }}>{ d.meta.title.clone() }</Link<Route>>
        };
        html! { <DrillCard key={d.meta.id.clone()} meta={d.meta.clone()} {title} {broken} /> }
    });
    let debrief = html! { <Link<Route> to={Route::Debrief}>{ DEBRIEF_LINK }</Link<Route>> };
    html! { <DrillsSection {debrief}>{ for cards }</DrillsSection> }
}

#[derive(Debug, Clone, PartialEq, Properties)]
struct RunbookCardProps {
    entry: LibraryEntry,
}

/// A library card: its title links to a new session unless the runbook is broken.
#[component]
fn LibraryCard(props: &RunbookCardProps) -> Html {
    let meta = &props.entry.meta;
    let broken = props.entry.runbook.broken();
    let title = match broken {
        None => html! {
            <Link<Route> to={Route::Run { id: meta.id.to_string() }}>{ meta.title.clone() }</Link<Route>>
        },
        Some(_) => html! { <span>{ meta.title.clone() }</span> },
    };
    html! { <RunbookCard meta={meta.clone()} {title} broken={broken.map(|m| AttrValue::from(m.to_owned()))} /> }
}
