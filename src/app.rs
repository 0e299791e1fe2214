//! The root component: providers for the library and the session, and the hash router.
//!
//! Hash routes (`#/`, `#/run/<id>`) keep the app working from any static host and any
//! sub-path, since the server only ever sees the page's own URL.

use std::rc::Rc;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::hooks::{LibraryProvider, SessionProvider};
use crate::library::Library;
use crate::pages::{LibraryPage, NotFoundPage, RunPage, Source};

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Library,
    #[at("/run/:id")]
    Run { id: String },
    /// A runbook opened from disk in this tab, not from the library.
    #[at("/local/:id")]
    Local { id: String },
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
                    <header class="topbar">
                        <Link<Route> to={Route::Library} classes="brand">{ "Stepwise" }</Link<Route>>
                    </header>
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
        Route::NotFound => html! { <NotFoundPage /> },
    }
}
