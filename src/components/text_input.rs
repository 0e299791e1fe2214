//! A one-line text field that keeps what is being typed: uncontrolled, with its starting text
//! set as the element's `defaultValue`.
//!
//! Yew 0.23 honours `defaultvalue` only on `<textarea>`; on `<input>` it becomes an inert
//! HTML attribute, so a saved value (an input, an evidence answer, the technician's name)
//! came back empty after a reload. Binding `value` instead would put the saved text back on
//! every re-render and wipe a half-typed answer. Setting `defaultValue` from an effect does
//! what a form field should: it shows the saved text, and once the technician types, the
//! browser keeps their text until it is saved.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct TextInputProps {
    pub id: AttrValue,
    /// The `type` attribute: `text`, `email`, `number`…
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    /// The saved text the field shows until the technician types.
    #[prop_or_default]
    pub initial: AttrValue,
    /// For a page or form that reads the field's value itself.
    #[prop_or_default]
    pub node: NodeRef,
    #[prop_or_default]
    pub onchange: Option<Callback<Event>>,
    #[prop_or_default]
    pub disabled: bool,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    /// `aria-invalid`, when the field needs an answer it does not have yet.
    #[prop_or_default]
    pub invalid: bool,
}

#[component]
pub fn TextInput(props: &TextInputProps) -> Html {
    {
        let node = props.node.clone();
        use_effect_with(props.initial.clone(), move |initial| {
            if let Some(input) = node.cast::<HtmlInputElement>() {
                input.set_default_value(initial);
            }
        });
    }
    html! {
        <input ref={props.node.clone()} id={props.id.clone()} type={props.kind.clone()}
            onchange={props.onchange.clone()} disabled={props.disabled} required={props.required}
            autocomplete={props.autocomplete.clone()}
            aria-invalid={props.invalid.then_some("true")} />
    }
}
