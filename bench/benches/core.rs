//! Native benchmarks of the core, each against a baseline measured in the same run: appending
//! a record to a session of 100 and of 10,000 records (the ratio must stay flat), replaying,
//! exporting and verifying a 10,000-record session against hashing its bytes. Writes
//! `bench/results/native.json` and prints a table. Timings are medians of several runs;
//! budgets are checked on ratios only, never on absolute times (machines are noisy).

use std::fs;
use std::path::Path;
use std::time::Instant;

use stepwise_bench::{export, session, trust};
use stepwise_core::evidence::verify_envelope;
use stepwise_core::session::{Action, Session};
use stepwise_core::{Digest, ItemId, StepId, Timestamp};

const STEPS: usize = 500;

fn main() {
    let mut results = Vec::new();
    let (small, _) = session(STEPS, 100);
    let (large, source) = session(STEPS, 10_000);
    let append_small = per_append(&small);
    let append_large = per_append(&large);
    results.push(result(
        "append a record at 10,000 records vs at 100 (ns per append)",
        append_large,
        append_small,
        1.5,
    ));
    let lines = large.lines().to_vec();
    let runbook = large.runbook().clone();
    let sha = Digest::of(source.as_bytes());
    let replay = median(5, || {
        let _ =
            Session::replay(runbook.clone().into(), sha, lines.iter().cloned()).expect("replays");
    });
    let jsonl = large.to_jsonl();
    let hash = median(20, || {
        let _ = Digest::of(jsonl.as_bytes());
    });
    results.push(result(
        "resume (replay) a 10,000-record session vs SHA-256 of its bytes",
        replay,
        hash,
        f64::NAN,
    ));
    let sign = median(5, || {
        let _ = export(&large);
    });
    results.push(result(
        "export and sign a 10,000-record session vs SHA-256 of its bytes",
        sign,
        hash,
        f64::NAN,
    ));
    let envelope = export(&large).envelope;
    let trust = trust();
    let verify = median(5, || {
        let _ = verify_envelope(envelope.as_bytes(), &trust, None).expect("verifies");
    });
    // The 5x budget is on the CLI against sha256sum, processes and all (bench/browser.mjs).
    results.push(result(
        "verify a 10,000-record log in process vs SHA-256 of its bytes",
        verify,
        hash,
        f64::NAN,
    ));
    write(&results);
}

struct Measured {
    name: &'static str,
    value_ns: f64,
    baseline_ns: f64,
    budget: f64,
}

fn result(name: &'static str, value_ns: f64, baseline_ns: f64, budget: f64) -> Measured {
    Measured {
        name,
        value_ns,
        baseline_ns,
        budget,
    }
}

/// Nanoseconds per `apply`, median over runs of 200 appends to a fresh copy of `base`.
fn per_append(base: &Session) -> f64 {
    let at = Timestamp::from_unix_millis(1_800_000_000_000).expect("in range");
    let step = StepId::new("s2");
    let item = ItemId::new("tell");
    let mut samples: Vec<f64> = (0..9)
        .map(|_| {
            let mut s = base.clone();
            let start = Instant::now();
            for n in 0..200 {
                let action = if n % 2 == 0 {
                    Action::CheckItem {
                        step: step.clone(),
                        item: item.clone(),
                    }
                } else {
                    Action::UncheckItem {
                        step: step.clone(),
                        item: item.clone(),
                    }
                };
                s.apply(action, at, None).expect("valid");
            }
            start.elapsed().as_nanos() as f64 / 200.0
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn median(runs: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm caches and allocator
    let mut samples: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_nanos() as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn write(results: &[Measured]) {
    println!("| measurement | value | baseline | ratio | budget |\n|---|---|---|---|---|");
    let mut json = Vec::new();
    for m in results {
        let ratio = m.value_ns / m.baseline_ns;
        let budget = if m.budget.is_nan() {
            "—".to_owned()
        } else {
            format!("≤ {}", m.budget)
        };
        let verdict = if m.budget.is_nan() || ratio <= m.budget {
            ""
        } else {
            " MISSED"
        };
        println!(
            "| {} | {} | {} | {ratio:.2} | {budget}{verdict} |",
            m.name,
            shown(m.value_ns),
            shown(m.baseline_ns)
        );
        json.push(serde_json::json!({
            "name": m.name, "value_ns": m.value_ns, "baseline_ns": m.baseline_ns,
            "ratio": ratio, "budget_ratio": if m.budget.is_nan() { serde_json::Value::Null } else { m.budget.into() },
        }));
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("results");
    if fs::create_dir_all(&dir).is_ok() {
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        if let Err(e) = fs::write(dir.join("native.json"), text) {
            eprintln!("bench/results/native.json not written: {e}");
        }
    }
}

fn shown(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}
