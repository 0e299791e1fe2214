//! The run page's evidence panel: after a signed export, its head hash, the companion files
//! (the `.jsonl` + `.jsonl.sig` pair for `ssh-keygen`, the reports) and the ticket note.

use std::rc::Rc;

use yew::prelude::*;

use crate::hooks::{Exported, SessionHandle};

#[derive(Clone, PartialEq, Properties)]
pub struct EvidencePanelProps {
    pub handle: SessionHandle,
    pub exported: Option<Rc<Exported>>,
}

#[component]
pub fn EvidencePanel(props: &EvidencePanelProps) -> Html {
    let Some(done) = props.exported.clone() else {
        return html! {};
    };
    let save = |suffix: &'static str, mime: &'static str, text: fn(&Exported) -> String| {
        let (handle, done) = (props.handle.clone(), done.clone());
        Callback::from(move |_: MouseEvent| {
            handle.save_export_file(&format!("{}{suffix}", done.stem), mime, &text(&done))
        })
    };
    let note = done.report.ticket_note();
    let copy = {
        let (handle, note) = (props.handle.clone(), note.clone());
        Callback::from(move |_: MouseEvent| handle.copy_ticket_note(note.clone()))
    };
    html! {
        <section class="evidence" aria-labelledby="evidence-title" data-testid="evidence">
            <h2 id="evidence-title">{ "Signed export" }</h2>
            <p role="status">
                { format!("Exported {} records, signed by {}. Head hash: ", done.export.entries, done.key_id) }
                <code data-testid="head-hash">{ done.export.head.to_hex() }</code>
            </p>
            <p class="session-actions">
                <button type="button" onclick={save(".jsonl", "application/jsonl", |d| d.export.jsonl.clone())}>{ "Save log (.jsonl)" }</button>
                <button type="button" onclick={save(".jsonl.sig", "text/plain", |d| d.export.sshsig.clone())}>{ "Save SSH signature (.jsonl.sig)" }</button>
                <button type="button" onclick={save(".report.html", "text/html", |d| d.report.to_html())}>{ "Save report (HTML, printable)" }</button>
                <button type="button" onclick={save(".report.md", "text/markdown", |d| d.report.to_markdown())}>{ "Save report (Markdown)" }</button>
                <button type="button" onclick={copy}>{ "Copy ticket note" }</button>
            </p>
            <pre class="ticket-note" data-testid="ticket-note">{ note }</pre>
        </section>
    }
}
