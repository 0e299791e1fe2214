//! A chart from the core's geometry (`drill::debrief::Chart`) as SVG DOM. The printable HTML
//! is made from the same geometry by the core, so screen and paper show the same picture.
//! Labels are text nodes; nothing here is parsed as markup.

use std::rc::Rc;

use stepwise_core::drill::debrief::{Chart, Shape};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ChartViewProps {
    pub chart: Rc<Chart>,
    #[prop_or_default]
    pub testid: AttrValue,
}

#[component]
pub fn ChartView(props: &ChartViewProps) -> Html {
    let chart = &props.chart;
    let shapes = chart.shapes.iter().map(|shape| match shape {
        Shape::Rect { x, y, w, h, class, label } => html! {
            <rect class={*class} x={num(*x)} y={num(*y)} width={num(*w)} height={num(*h)}>
                <title>{ label.clone() }</title>
            </rect>
        },
        Shape::Line { x1, y1, x2, y2, class } => html! {
            <line class={*class} x1={num(*x1)} y1={num(*y1)} x2={num(*x2)} y2={num(*y2)} />
        },
        Shape::Text { x, y, text, class, anchor } => html! {
            <text class={*class} x={num(*x)} y={num(*y)} text-anchor={*anchor}>{ text.clone() }</text>
        },
        Shape::Marker { x, y, class, label } => html! {
            <polygon class={*class} points={Shape::diamond(*x, *y)}>
                <title>{ label.clone() }</title>
            </polygon>
        },
    });
    html! {
        <figure class="chart-figure">
            <svg class="chart" viewBox={format!("0 0 {:.0} {:.0}", chart.width, chart.height)}
                width={num(chart.width)} height={num(chart.height)} role="img"
                aria-label={chart.title.clone()} data-testid={props.testid.clone()}>
                <title>{ chart.title.clone() }</title>
                { for shapes }
            </svg>
            <figcaption>{ chart.title.clone() }</figcaption>
        </figure>
    }
}

fn num(value: f64) -> String {
    format!("{value:.1}")
}
