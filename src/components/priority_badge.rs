//! A Priority as a badge in its matrix's colour, white text on it. The linter holds every
//! colour to 4.5:1 against that white (`priority::contrast_with_white`), so the pair reads
//! in light and dark themes alike.
//!
//! The colour is data, and the CSP forbids inline styles (`style-src 'self'`): it is set as
//! a CSS custom property through the CSSOM, which the CSP allows, and the stylesheet paints
//! with it.

use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct PriorityBadgeProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// A CSS colour such as `#b42318`.
    pub colour: AttrValue,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

#[component]
pub fn PriorityBadge(props: &PriorityBadgeProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.colour.clone(), move |colour| {
            if let Some(element) = node.cast::<HtmlElement>() {
                // The property name is ours and always valid; a colour the CSS engine does not
                // understand leaves the stylesheet's default, which also contrasts.
                if element
                    .style()
                    .set_property("--priority-colour", colour)
                    .is_err()
                {
                    gloo::console::warn!("the Priority colour could not be applied");
                }
            }
        });
    }
    html! {
        <span ref={node} class="priority-badge" data-testid={props.testid.clone()}>
            { format!("{} {}", props.id, props.label) }
        </span>
    }
}
