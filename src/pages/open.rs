//! Opening a runbook from disk: pick or drop a file, see every problem the linter finds with
//! its line and column, or run it at once. The file is never added to the library.

use stepwise_core::runbook::{lint, SourceFormat, MAX_SOURCE_BYTES};
use stepwise_view::OpenFileSection;
use web_sys::File;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::first;
use crate::hooks::LibraryHandle;
use crate::library::LoadedRunbook;
use crate::platform::{clock, files, hand_over};

#[derive(Clone, PartialEq, Properties)]
pub struct OpenRunbookProps {
    pub library: LibraryHandle,
}

/// What became of the last file.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Reading(String),
    /// The file cannot run: every diagnostic, rendered `FILE:LINE:COL: error: MESSAGE`.
    Problems(String, Vec<String>),
}

#[component]
pub fn OpenRunbook(props: &OpenRunbookProps) -> Html {
    let outcome = use_state(|| None::<Outcome>);
    let navigator = use_navigator();
    let on_file = {
        let outcome = outcome.clone();
        let library = props.library.clone();
        Callback::from(move |file: File| {
            let outcome = outcome.clone();
            let library = library.clone();
            let navigator = navigator.clone();
            outcome.set(Some(Outcome::Reading(file.name())));
            wasm_bindgen_futures::spawn_local(async move {
                match check(&file).await {
                    Ok(runbook) => {
                        let id = runbook.runbook.id.to_string();
                        library.open(runbook);
                        outcome.set(None);
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Local { id });
                        }
                    }
                    Err(lines) => outcome.set(Some(Outcome::Problems(file.name(), lines))),
                }
            });
        })
    };
    {
        // A file chosen on the first-load module's library page, before this app ran.
        let on_file = on_file.clone();
        use_effect_with((), move |_| {
            if let Some(file) = hand_over::take_file() {
                on_file.emit(file);
            }
        });
    }
    let result = match &*outcome {
        None => html! {},
        Some(Outcome::Reading(name)) => {
            html! { <p role="status">{ format!("Checking {name}…") }</p> }
        }
        Some(Outcome::Problems(name, lines)) => html! {
            <div class="error" role="alert" data-testid="open-problems">
                <p><strong>{ format!("{name} cannot be run:") }</strong></p>
                <pre>{ lines.join("\n") }</pre>
            </div>
        },
    };
    html! { <OpenFileSection on_files={first(on_file)}>{ result }</OpenFileSection> }
}

/// Reads and lints the file; a runbook without errors comes back ready to run.
async fn check(file: &File) -> Result<LoadedRunbook, Vec<String>> {
    let name = file.name();
    let Some(format) = SourceFormat::from_file_name(&name) else {
        return Err(vec![format!("{name}: not a .yaml, .yml or .json file")]);
    };
    // Said as the linter says it (`FILE:1:1: error: …`), without reading a byte of it.
    let size = file.size();
    if size > MAX_SOURCE_BYTES as f64 {
        return Err(vec![format!(
            "{name}:1:1: error: file is {size} bytes, over the limit of {MAX_SOURCE_BYTES} bytes"
        )]);
    }
    let bytes = files::read_bytes(file, MAX_SOURCE_BYTES)
        .await
        .map_err(|e| vec![e])?;
    let today =
        chrono::DateTime::from_timestamp_millis(clock::now().unix_millis()).map(|t| t.date_naive());
    let report = lint(&name, &bytes, format, today);
    match report.runbook {
        Some(runbook) if !report.has_errors() => {
            Ok(LoadedRunbook::new(&name, runbook, &bytes, true))
        }
        _ => Err(report.diagnostics.iter().map(|d| d.render(&name)).collect()),
    }
}
