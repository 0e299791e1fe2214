//! Who is working: the technician's name (and optional e-mail), set once per browser
//! profile. Every record names it as its actor.

use stepwise_core::session::Actor;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::{use_session, SessionHandle};

#[component]
pub fn IdentityPage() -> Html {
    let Some(handle) = use_session() else {
        return html! { <p class="error" role="alert">{ "Internal error: the session provider is missing." }</p> };
    };
    html! {
        <section class="page">
            <h1>{ "Your identity" }</h1>
            <p>{ "Every record of every session you run in this browser names you as the technician who acted." }</p>
            <IdentityForm {handle} />
        </section>
    }
}

#[derive(Clone, PartialEq, Properties)]
pub struct IdentityFormProps {
    pub handle: SessionHandle,
}

#[component]
pub fn IdentityForm(props: &IdentityFormProps) -> Html {
    let name = use_node_ref();
    let email = use_node_ref();
    let current = props.handle.identity();
    let onsubmit = {
        let (name, email, handle) = (name.clone(), email.clone(), props.handle.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |node: &NodeRef| {
                node.cast::<HtmlInputElement>()
                    .map(|i| i.value().trim().to_owned())
                    .unwrap_or_default()
            };
            let (name, email) = (value(&name), value(&email));
            if !name.is_empty() {
                handle.set_identity(Actor {
                    name,
                    email: (!email.is_empty()).then_some(email),
                });
            }
        })
    };
    html! {
        // Uncontrolled fields (`defaultvalue`): a re-render while typing must not reset them.
        // The key renews the form when the stored identity arrives or changes.
        <form class="identity" {onsubmit} key={current.as_ref().map(|a| a.name.clone()).unwrap_or_default()}>
            if let Some(actor) = &current {
                <p role="status" data-testid="identity">{ format!("You are recorded as {}.", actor.name) }</p>
            }
            <label for="identity-name">{ "Your name" }</label>
            <input id="identity-name" type="text" ref={name} required=true autocomplete="name"
                defaultvalue={current.as_ref().map(|a| a.name.clone()).unwrap_or_default()} />
            <label for="identity-email">{ "E-mail (optional)" }</label>
            <input id="identity-email" type="email" ref={email} autocomplete="email"
                defaultvalue={current.as_ref().and_then(|a| a.email.clone()).unwrap_or_default()} />
            <button type="submit">{ "Save" }</button>
        </form>
    }
}
