//! The root component: providers for the library and the session, the top bar, and the
//! hash router.
//!
//! Hash routes (`#/`, `#/run/<id>`, `#/session/<id>` …) keep the app working from any static
//! host and any sub-path, since the server only ever sees the page's own URL.

use std::rc::Rc;

use stepwise_view::text::NO_NAME;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::hooks::{use_session, LibraryProvider, SessionProvider};
use crate::library::Library;
use crate::pages::{
    DebriefPage, IdentityPage, LibraryPage, NotFoundPage, PriorityPage, RunPage, SessionClock,
    SessionPage, SessionsPage, Source, VerifyPage,
};
use crate::platform::download;
use crate::state::Saving;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Library,
    /// Starts a new session of a library runbook.
    #[at("/run/:id")]
    Run { id: String },
    /// Starts a new session of a runbook opened from disk in this tab.
    #[at("/local/:id")]
    Local { id: String },
    #[at("/session/:id")]
    Session { id: String },
    /// Starts a drill of a library scenario.
    #[at("/drill/:id")]
    Drill { id: String },
    /// Compares trainees' signed logs of one drill.
    #[at("/debrief")]
    Debrief,
    #[at("/sessions")]
    Sessions,
    #[at("/identity")]
    Identity,
    #[at("/priority")]
    Priority,
    /// Checks signed logs: the auditor's page.
    #[at("/verify")]
    Verify,
    #[not_found]
    #[at("/404")]
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Default, Properties)]
pub struct AppProps {
    /// A library to show instead of fetching `runbooks/index.json`; for tests and embedding.
    #[prop_or_default]
    pub library: Option<Rc<Library>>,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    html! {
        <HashRouter>
            <LibraryProvider preloaded={props.library.clone()}>
                <SessionProvider>
                    <TopBar />
                    <StorageBanner />
                    <SessionClock />
                    <main id="main">
                        <Switch<Route> render={switch} />
                    </main>
                </SessionProvider>
            </LibraryProvider>
        </HashRouter>
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Library => html! { <LibraryPage /> },
        Route::Run { id } => html! { <RunPage {id} source={Source::Library} /> },
        Route::Local { id } => html! { <RunPage {id} source={Source::Local} /> },
        Route::Session { id } => html! { <SessionPage {id} /> },
        Route::Drill { id } => html! { <RunPage {id} source={Source::Drill} /> },
        Route::Debrief => html! { <DebriefPage /> },
        Route::Sessions => html! { <SessionsPage /> },
        Route::Identity => html! { <IdentityPage /> },
        Route::Priority => html! { <PriorityPage /> },
        Route::Verify => html! { <VerifyPage /> },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

#[component]
fn TopBar() -> Html {
    let handle = use_session();
    let who = handle
        .as_ref()
        .and_then(|h| h.identity())
        .map_or(NO_NAME.to_owned(), |a| a.name);
    let saving = handle
        .as_ref()
        .filter(|h| h.session().is_some())
        .map(|h| h.saving());
    let status = match saving {
        None => html! {},
        Some(Saving::Saved) => {
            html! { <span class="saving saved" data-testid="saving">{ "All changes saved" }</span> }
        }
        Some(Saving::Pending) => {
            html! { <span class="saving pending" data-testid="saving">{ "Saving…" }</span> }
        }
        Some(Saving::Failed(_)) => {
            html! { <span class="saving failed" data-testid="saving">{ "Not saved" }</span> }
        }
    };
    html! {
        <header class="topbar">
            <Link<Route> to={Route::Library} classes="brand">{ "Stepwise" }</Link<Route>>
            <nav aria-label="Main">
                <Link<Route> to={Route::Library}>{ "Library" }</Link<Route>>
                <Link<Route> to={Route::Sessions}>{ "Sessions" }</Link<Route>>
                <Link<Route> to={Route::Priority}>{ "Priority" }</Link<Route>>
                <Link<Route> to={Route::Verify}>{ "Verify" }</Link<Route>>
                <Link<Route> to={Route::Debrief}>{ "Debrief" }</Link<Route>>
                <Link<Route> to={Route::Identity}>{ who }</Link<Route>>
            </nav>
            <span aria-live="polite">{ status }</span>
        </header>
    }
}

/// Shown at once when storage fails: the work goes on in memory, and the log can be saved
/// to a file right now so nothing is lost.
#[component]
fn StorageBanner() -> Html {
    let Some(handle) = use_session() else {
        return html! {};
    };
    let Saving::Failed(message) = handle.saving() else {
        return html! {};
    };
    let export = {
        let handle = handle.clone();
        Callback::from(move |_| {
            let Some(session) = handle.session() else {
                return;
            };
            let name = format!("stepwise-{}.jsonl", session.header().session);
            if let Err(e) = download::save_text(&name, "application/x-ndjson", &session.to_jsonl())
            {
                gloo::console::error!(format!("export failed: {e}"));
            }
        })
    };
    html! {
        <div class="storage-banner" role="alert" data-testid="storage-banner">
            <p>
                <strong>{ "Your work is not being saved in this browser: " }</strong>{ message }
                { ". You can keep working; export the log now so nothing is lost." }
            </p>
            <button type="button" onclick={export}>{ "Export the log now" }</button>
        </div>
    }
}
