//! A completion report on screen: the same model the HTML and Markdown files are made from.

use std::rc::Rc;

use stepwise_core::evidence::report::{Report, Row, SECTIONS};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ReportViewProps {
    pub report: Rc<Report>,
}

#[component]
pub fn ReportView(props: &ReportViewProps) -> Html {
    let report = &props.report;
    html! {
        <div class="report" data-testid="report">
            if report.is_drill() {
                <p class="drill-banner" role="note"><strong>{ "DRILL" }</strong>{ " — training exercise, not a live incident" }</p>
            }
            <h3>{ report.title.clone() }</h3>
            <table class="facts">
                { for report.facts.iter().map(|(label, value)| html! {
                    <tr><th scope="row">{ label.clone() }</th><td>{ value.clone() }</td></tr>
                }) }
            </table>
            { for SECTIONS.iter().map(|(heading, kinds)| {
                let rows: Vec<&Row> = report.rows_of(kinds).collect();
                if rows.is_empty() { html! {} } else { html! {
                    <>
                        <h4>{ *heading }</h4>
                        { rows_table(&rows) }
                    </>
                } }
            }) }
            <details>
                <summary>{ format!("Timeline ({} records)", report.timeline.len()) }</summary>
                { rows_table(&report.timeline.iter().collect::<Vec<_>>()) }
            </details>
        </div>
    }
}

fn rows_table(rows: &[&Row]) -> Html {
    html! {
        <table class="timeline">
            <thead><tr>
                <th scope="col">{ "seq" }</th><th scope="col">{ "time" }</th><th scope="col">{ "actor" }</th>
                <th scope="col">{ "type" }</th><th scope="col">{ "step" }</th><th scope="col">{ "item" }</th>
                <th scope="col">{ "detail" }</th>
            </tr></thead>
            <tbody>
                { for rows.iter().map(|r| html! {
                    <tr>
                        <td>{ r.seq }</td><td>{ r.ts.clone() }</td><td>{ r.actor.clone() }</td>
                        <td>{ r.kind }</td><td>{ r.step.clone() }</td><td>{ r.item.clone() }</td>
                        <td>{ r.detail.clone() }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
