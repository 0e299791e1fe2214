//! The library page as the web app's Yew components: its frame, cards, drills and open-file
//! section. The page passes in its router links as `Html`.

use stepwise_core::runbook::{DrillEntry, IndexEntry};
use web_sys::File;
use yew::prelude::*;

use crate::text::{
    drill_of, DRILLS_HEADING, DRILLS_HINT, DRILL_BADGE, LIBRARY_HEADING, OPEN_FILE_ACCEPT,
    OPEN_FILE_HEADING, OPEN_FILE_HINT, OPEN_FILE_LABEL, SEARCH_LABEL,
};
use crate::{FileDrop, SearchBox};

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
            <h1>{ LIBRARY_HEADING }</h1>
            <SearchBox value={props.query.clone()} on_input={props.on_input.clone()}
                label={SEARCH_LABEL} />
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
            <p class="meta"><span class="drill-badge">{ DRILL_BADGE }</span>
                { drill_of(props.meta.runbook.as_str()) }</p>
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
            <h2 id="drills-title">{ DRILLS_HEADING }</h2>
            <p class="hint">{ DRILLS_HINT }
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
            <h2 id="open-file-heading">{ OPEN_FILE_HEADING }</h2>
            <FileDrop label={OPEN_FILE_LABEL} accept={OPEN_FILE_ACCEPT} hint={OPEN_FILE_HINT}
                on_files={props.on_files.clone()} />
            { props.children.clone() }
        </section>
    }
}
