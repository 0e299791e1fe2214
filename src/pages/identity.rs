//! Who is working: the technician's name (and optional e-mail), set once per browser
//! profile, and the signing key that vouches for their exports. Every record names the
//! technician as its actor; the page shows the key as OpenSSH spells it, with the exact
//! `allowed_signers` line an administrator adds so that auditors trust it.

use stepwise_core::evidence::NAMESPACE;
use stepwise_core::session::Actor;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::TextInput;
use crate::hooks::{use_session, SessionHandle};
use crate::platform::clipboard;

#[component]
pub fn IdentityPage() -> Html {
    let Some(handle) = use_session() else {
        return html! { <p class="error" role="alert">{ "Internal error: the session provider is missing." }</p> };
    };
    html! {
        <section class="page">
            <h1>{ "Your identity" }</h1>
            <p>{ "Every record of every session you run in this browser names you as the technician who acted." }</p>
            <IdentityForm handle={handle.clone()} />
            <SigningKey {handle} />
        </section>
    }
}

#[derive(Clone, PartialEq, Properties)]
struct SigningKeyProps {
    handle: SessionHandle,
}

#[component]
fn SigningKey(props: &SigningKeyProps) -> Html {
    let key = match props.handle.key() {
        None => return html! { <p role="status">{ "Loading your signing key…" }</p> },
        Some(Err(e)) => {
            return html! { <p class="error" role="alert">{ format!("This browser could not make a signing key: {e}. Sessions still run, but cannot be exported signed.") }</p> }
        }
        Some(Ok(key)) => key,
    };
    let actor = props.handle.identity();
    let public = key.public_key();
    let openssh = public.to_openssh(actor.as_ref().map(|a| a.name.as_str()).unwrap_or(""));
    let principal = principal_of(actor.as_ref());
    let allowed = format!(
        "{principal} namespaces=\"{NAMESPACE}\" {}",
        public.to_openssh("")
    );
    let copy = |text: String| {
        Callback::from(move |_: MouseEvent| {
            let text = text.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = clipboard::copy_text(&text).await {
                    gloo::console::warn!(format!("copy failed: {e}"));
                }
            });
        })
    };
    html! {
        <section class="signing-key" aria-labelledby="key-title">
            <h2 id="key-title">{ "Your signing key" }</h2>
            <p>{ format!("Your exports are signed with an Ed25519 key kept in this browser profile: {}.", key.kind()) }</p>
            <dl>
                <dt>{ "Fingerprint (key id)" }</dt>
                <dd><code data-testid="key-id">{ public.key_id().to_string() }</code></dd>
                <dt>{ "Public key" }</dt>
                <dd><code data-testid="public-key">{ openssh.clone() }</code>
                    <button type="button" onclick={copy(openssh)}>{ "Copy" }</button></dd>
                <dt>{ "Line for allowed_signers" }</dt>
                <dd><code data-testid="allowed-signers-line">{ allowed.clone() }</code>
                    <button type="button" onclick={copy(allowed)}>{ "Copy" }</button></dd>
            </dl>
            <p class="hint">{ "Send that line to whoever keeps runbooks/allowed_signers. When this key is retired, they add valid-before=\"YYYYMMDDZ\" to it rather than deleting it, so your old logs keep verifying." }</p>
        </section>
    }
}

/// The principal an administrator lists: the e-mail, else the name without spaces.
fn principal_of(actor: Option<&Actor>) -> String {
    match actor {
        Some(Actor { email: Some(e), .. }) => e.clone(),
        Some(Actor { name, .. }) => name.split_whitespace().collect::<Vec<_>>().join("."),
        None => "technician@example.org".to_owned(),
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
        // Uncontrolled fields (`TextInput`): a re-render while typing must not reset them.
        // The key renews the form when the stored identity arrives or changes.
        <form class="identity" {onsubmit} key={current.as_ref().map(|a| a.name.clone()).unwrap_or_default()}>
            if let Some(actor) = &current {
                <p role="status" data-testid="identity">{ format!("You are recorded as {}.", actor.name) }</p>
            }
            <label for="identity-name">{ "Your name" }</label>
            <TextInput id="identity-name" node={name} required=true autocomplete="name"
                initial={current.as_ref().map(|a| a.name.clone()).unwrap_or_default()} />
            <label for="identity-email">{ "E-mail (optional)" }</label>
            <TextInput id="identity-email" kind="email" node={email} autocomplete="email"
                initial={current.as_ref().and_then(|a| a.email.clone()).unwrap_or_default()} />
            <button type="submit">{ "Save" }</button>
        </form>
    }
}
