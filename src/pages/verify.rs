//! `#/verify`: an auditor drops signed logs and sees, per file, valid or not and why, with
//! the report of each valid one. Verification is core's; this page reads files and shows.
//!
//! Trust comes from the library's `runbooks/allowed_signers`, or from an `allowed_signers`
//! file dropped with the logs. A `X.jsonl` is checked with the `X.jsonl.sig` beside it.

use std::rc::Rc;

use stepwise_core::evidence::{
    verify_envelope, verify_sshsig, AllowedSigners, Report, Signer, VerifiedLog, MAX_LOG_BYTES,
};
use web_sys::File;
use yew::prelude::*;

use crate::components::{FileDrop, ReportView};
use crate::library::LIBRARY_BASE;
use crate::platform::{fetch, files};

/// One dropped file's verdict.
#[derive(Debug, Clone, PartialEq)]
struct Verdict {
    name: String,
    outcome: Result<(String, Rc<Report>), String>,
}

/// Where trust comes from, and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Trust {
    pub from: String,
    pub signers: Result<AllowedSigners, String>,
}

#[component]
pub fn VerifyPage() -> Html {
    let library_trust = use_library_trust();
    let dropped = use_dropped();
    // Checked again when the library's trust arrives, so files dropped before it are not
    // judged against no trust at all.
    let checked = use_memo(
        ((*dropped.read).clone(), (*library_trust).clone()),
        |(read, trust)| {
            let read = read.as_ref()?;
            let (from, results) = verify_dropped(read, trust.clone())?;
            Some((
                from,
                results.into_iter().map(verdict_of).collect::<Vec<_>>(),
            ))
        },
    );
    html! {
        <section class="page verify">
            <h1>{ "Verify signed logs" }</h1>
            <p>{ "Drop one or more signed logs (" }<code>{ ".stepwise.json" }</code>{ ", or a " }
               <code>{ ".jsonl" }</code>{ " with its " }<code>{ ".jsonl.sig" }</code>
               { "). Signature, trust, chain and seal are checked here, in your browser; nothing is uploaded." }</p>
            <p class="hint">{ trust_hint(&library_trust) }</p>
            <FileDrop label="Choose signed logs" hint="Several files at once are fine."
                accept=".json,.jsonl,.sig,allowed_signers" multiple=true on_files={dropped.on_files} />
            if dropped.read.is_some() && checked.is_none() {
                <p class="hint" role="status" data-testid="waiting">{ "Waiting for the library's allowed_signers to load; the logs are checked then." }</p>
            }
            if let Some((from, _)) = &*checked {
                <p class="hint" data-testid="trust-used">{ format!("Checked against {from}.") }</p>
            }
            <ul class="verdicts" data-testid="verdicts">
                { for checked.iter().flat_map(|(_, verdicts)| verdicts.iter().map(verdict_view)) }
            </ul>
        </section>
    }
}

/// The files last picked or dropped, once read, and the callback that reads them.
pub(crate) struct Dropped {
    pub read: UseStateHandle<Option<Rc<Vec<ReadFile>>>>,
    pub on_files: Callback<Vec<File>>,
}

/// Keeps what was dropped rather than what came of it, so a page can judge it again when
/// something it depends on (the library's trust, its drills) has loaded.
#[hook]
pub(crate) fn use_dropped() -> Dropped {
    let read = use_state(|| None::<Rc<Vec<ReadFile>>>);
    let on_files = {
        let read = read.clone();
        Callback::from(move |dropped: Vec<File>| {
            let read = read.clone();
            wasm_bindgen_futures::spawn_local(async move {
                read.set(Some(Rc::new(read_all(dropped).await)));
            });
        })
    };
    Dropped { read, on_files }
}

/// The library's `runbooks/allowed_signers`, fetched once per page.
#[hook]
pub(crate) fn use_library_trust() -> UseStateHandle<Option<Trust>> {
    let library_trust = use_state(|| None::<Trust>);
    {
        let library_trust = library_trust.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("{LIBRARY_BASE}allowed_signers");
                let signers = match fetch::bytes(&url).await {
                    Ok(bytes) => parse_trust(&url, &bytes),
                    Err(e) => Err(e.to_string()),
                };
                library_trust.set(Some(Trust { from: url, signers }));
            });
        });
    }
    library_trust
}

/// What the page says of the trust it will check against.
pub(crate) fn trust_hint(trust: &Option<Trust>) -> String {
    match trust {
        None => "Loading the library's allowed_signers…".to_owned(),
        Some(Trust { from, signers: Ok(s) }) => format!("Trusted keys: {} from {from}. Drop a file named allowed_signers with the logs to use another.", s.entries().len()),
        Some(Trust { from, signers: Err(e) }) => format!("The library's allowed_signers ({from}) is unusable: {e}. Drop an allowed_signers file with the logs."),
    }
}

/// Reads every picked or dropped file; a file that cannot be read keeps its reason.
pub(crate) async fn read_all(dropped: Vec<File>) -> Vec<ReadFile> {
    let mut read = Vec::new();
    for file in dropped {
        let bytes = files::read_bytes(&file, MAX_LOG_BYTES).await;
        read.push((file.name(), bytes));
    }
    read
}

fn verdict_of((name, outcome): Checked) -> Verdict {
    let outcome = outcome.map(|verified| {
        let line = format!(
            "signer={} key={} entries={} head={}",
            verified.principals().join(";"),
            verified.key_id(),
            verified.entries(),
            verified.head()
        );
        let signer = Signer {
            key_id: verified.key_id().to_string(),
            principals: verified.principals().to_vec(),
        };
        let report = Report::new(verified.records(), verified.head(), Some(signer));
        (line, Rc::new(report))
    });
    Verdict { name, outcome }
}

fn verdict_view(v: &Verdict) -> Html {
    match &v.outcome {
        Ok((line, report)) => html! {
            <li class="verdict valid" data-testid="verdict">
                <p><strong>{ "Valid: " }</strong>{ v.name.clone() }</p>
                <p class="why">{ line.clone() }</p>
                <ReportView report={report.clone()} />
            </li>
        },
        Err(why) => html! {
            <li class="verdict invalid" data-testid="verdict">
                <p><strong>{ "Not valid: " }</strong>{ v.name.clone() }</p>
                <p class="why" role="alert">{ why.clone() }</p>
            </li>
        },
    }
}

fn parse_trust(name: &str, bytes: &[u8]) -> Result<AllowedSigners, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
    AllowedSigners::parse(text).map_err(|e| format!("{name}:{e}"))
}

pub(crate) type ReadFile = (String, Result<Vec<u8>, String>);

/// A dropped log's name, and the log once it verified or why it did not.
pub(crate) type Checked = (String, Result<VerifiedLog, String>);

/// Verifies every log among `read` against the trust dropped with them or the library's.
/// A `.sig` goes with its `.jsonl`; an `allowed_signers` file is the trust, not a log.
/// `None` while there is no dropped trust and the library's has not loaded yet.
pub(crate) fn verify_dropped(
    read: &[ReadFile],
    library: Option<Trust>,
) -> Option<(String, Vec<Checked>)> {
    let dropped_trust = read
        .iter()
        .find(|(name, _)| name.ends_with("allowed_signers"))
        .map(|(name, bytes)| Trust {
            from: format!("{name} (dropped)"),
            signers: bytes.clone().and_then(|b| parse_trust(name, &b)),
        });
    let trust = dropped_trust.or(library)?;
    let mut verdicts = Vec::new();
    for (name, bytes) in read {
        if name.ends_with("allowed_signers") {
            continue;
        }
        if let Some(log) = name.strip_suffix(".sig") {
            if read.iter().any(|(other, _)| other == log) {
                continue; // checked with its log
            }
        }
        let outcome = match (&trust.signers, bytes) {
            (Err(e), _) => Err(format!("trust is unusable: {e}")),
            (_, Err(e)) => Err(e.clone()),
            (Ok(signers), Ok(bytes)) => verify_one(name, bytes, read, signers),
        };
        verdicts.push((name.clone(), outcome));
    }
    Some((trust.from, verdicts))
}

fn verify_one(
    name: &str,
    bytes: &[u8],
    read: &[ReadFile],
    signers: &AllowedSigners,
) -> Result<VerifiedLog, String> {
    if name.ends_with(".sig") {
        return Err(format!(
            "a signature without its log: drop {} with it",
            name.trim_end_matches(".sig")
        ));
    }
    if name.ends_with(".jsonl") {
        let sig_name = format!("{name}.sig");
        let sig = read
            .iter()
            .find(|(other, _)| *other == sig_name)
            .and_then(|(_, b)| b.as_ref().ok())
            .ok_or(format!("no {sig_name} was dropped with it"))?;
        let armored = String::from_utf8_lossy(sig);
        return verify_sshsig(bytes, &armored, signers, None).map_err(|e| e.to_string());
    }
    verify_envelope(bytes, signers, None).map_err(|e| e.to_string())
}
