//! The page for a route that does not exist.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[component]
pub fn NotFoundPage() -> Html {
    html! {
        <section class="page">
            <h1>{ "Page not found" }</h1>
            <p><Link<Route> to={Route::Library}>{ "Back to the library" }</Link<Route>></p>
        </section>
    }
}
