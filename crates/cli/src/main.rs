//! `stepwise`: the command-line adapter around stepwise-core.
//!
//! A thin `main`: parse arguments, run one command, map its outcome to an exit code
//! (0 ok, 1 findings or a failed check, 2 usage or I/O error). Rules live in the core; this
//! crate owns files, sockets and the terminal.

mod index;
mod lint;
mod output;
mod report;
mod serve;
mod verify;

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::output::out;

#[derive(Debug, Parser)]
#[command(
    name = "stepwise",
    version,
    about = "Stepwise runbook engine: lint runbooks, keep the library index, serve the app, \
             verify and report signed completion logs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Which format `stepwise schema` describes.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaFormat {
    Runbook,
    Drill,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the built app (and its runbooks) as static files.
    Serve {
        /// The folder to serve: the output of ./scripts/build.
        #[arg(long, default_value = "dist")]
        dir: PathBuf,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// The address to listen on. Keep the loopback default unless colleagues need it.
        #[arg(long, default_value = "127.0.0.1")]
        host: IpAddr,
    },
    /// Report every problem in runbooks: files, or folders searched recursively.
    Lint {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the runbook format (committed as runbooks/runbook.schema.json),
    /// or with `drill` of the drill scenario format (runbooks/drill.schema.json).
    Schema {
        #[arg(value_enum, default_value = "runbook")]
        format: SchemaFormat,
    },
    /// Write DIR/index.json from the runbooks in DIR, or with --check report whether it is
    /// up to date.
    Index {
        dir: PathBuf,
        /// Do not write; exit 1 when index.json differs from what would be written.
        #[arg(long)]
        check: bool,
    },
    /// Verify signed completion logs (docs/evidence.md): print `OK FILE signer=… key=…
    /// entries=N head=HEX` or `FAIL FILE: record N: reason` per file; exit 0 when all are OK,
    /// 1 when any failed, 2 when an input could not be read.
    ///
    /// Each FILE is a DSSE envelope (`*.stepwise.json`), or a `X.jsonl` whose OpenSSH
    /// signature is read from `X.jsonl.sig`. Trust fails closed: without --allowed-signers
    /// nobody is trusted, so every file FAILs with "not trusted".
    Verify {
        /// Signed logs: `*.stepwise.json` envelopes, or `X.jsonl` with `X.jsonl.sig` beside it.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The OpenSSH allowed_signers file naming the trusted keys. Without it every file
        /// fails as not trusted.
        #[arg(long, value_name = "FILE")]
        allowed_signers: Option<PathBuf>,
        /// The runbook file the logs must have been run from (its SHA-256 is compared with
        /// the header's).
        #[arg(long, value_name = "FILE")]
        runbook: Option<PathBuf>,
    },
    /// Print the completion report of a signed log (a `*.stepwise.json`, or a `X.jsonl`
    /// beside `X.jsonl.sig`). The log is verified first; exit 1, with no report, when it
    /// does not verify.
    Report {
        /// A signed log: a `*.stepwise.json` envelope, or `X.jsonl` with `X.jsonl.sig` beside it.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// How the report is spelled.
        #[arg(long, value_enum, default_value_t = report::Format::Md)]
        format: report::Format,
        /// The OpenSSH allowed_signers file naming the trusted keys. Required for now: a
        /// report names its signer, so only a log from a trusted key is reported.
        #[arg(long, value_name = "FILE", required = true)]
        allowed_signers: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve { dir, port, host } => serve::run(&dir, host, port),
        Command::Index { dir, check } => index::run(&dir, check),
        Command::Schema { format } => {
            match format {
                SchemaFormat::Runbook => out!("{}", stepwise_core::runbook::schema_json()),
                SchemaFormat::Drill => out!("{}", stepwise_core::runbook::drill_schema_json()),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Lint { paths } => lint::run(&paths, chrono::Local::now().date_naive()),
        Command::Verify {
            files,
            allowed_signers,
            runbook,
        } => verify::run(&files, allowed_signers.as_deref(), runbook.as_deref()),
        Command::Report {
            file,
            format,
            allowed_signers,
        } => report::run(&file, format, &allowed_signers),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("stepwise: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use stepwise_core::runbook::{drill_schema_json, schema_json};

    #[test]
    fn committed_schemas_are_the_generated_ones() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runbooks");
        for (file, generated, command) in [
            ("runbook.schema.json", schema_json(), "stepwise schema"),
            (
                "drill.schema.json",
                drill_schema_json(),
                "stepwise schema drill",
            ),
        ] {
            let committed = std::fs::read_to_string(dir.join(file)).expect("committed");
            assert_eq!(committed, generated, "run `{command} > runbooks/{file}`");
        }
    }

    /// The schema's top-level `required` names, after checking it refuses unknown fields.
    fn required(schema: &serde_json::Value) -> Vec<&str> {
        assert_eq!(schema["additionalProperties"], false);
        schema["required"]
            .as_array()
            .expect("a required list")
            .iter()
            .filter_map(|v| v.as_str())
            .collect()
    }

    #[test]
    fn schema_refuses_unknown_fields_and_names_required_ones() {
        let schema: serde_json::Value = serde_json::from_str(&schema_json()).expect("valid JSON");
        let required = required(&schema);
        for field in ["id", "title", "version", "kind", "steps"] {
            assert!(required.contains(&field), "{field} is required");
        }
        assert_eq!(schema["$defs"]["Step"]["additionalProperties"], false);
    }

    #[test]
    fn drill_schema_refuses_unknown_fields_and_types_durations() {
        let schema: serde_json::Value =
            serde_json::from_str(&drill_schema_json()).expect("valid JSON");
        let required = required(&schema);
        for field in ["id", "title", "runbook", "briefing"] {
            assert!(required.contains(&field), "{field} is required");
        }
        assert_eq!(schema["$defs"]["Inject"]["additionalProperties"], false);
        let duration = &schema["$defs"]["Duration"];
        assert_eq!(duration["type"], "string");
        let pattern = duration["pattern"].as_str().expect("a pattern");
        assert!(pattern.contains("[0-9]+m"), "{pattern}");
    }
}
