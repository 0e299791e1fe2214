//! `stepwise`: the command-line adapter around stepwise-core.
//!
//! A thin `main`: parse arguments, run one command, map its outcome to an exit code
//! (0 ok, 1 findings or a failed check, 2 usage or I/O error). Rules live in the core; this
//! crate owns files, sockets and the terminal.

mod index;
mod serve;

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "stepwise",
    version,
    about = "Stepwise runbook engine: serve the app, keep the library index"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// Write DIR/index.json from the runbooks in DIR, or with --check report whether it is
    /// up to date.
    Index {
        dir: PathBuf,
        /// Do not write; exit 1 when index.json differs from what would be written.
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve { dir, port, host } => serve::run(&dir, host, port),
        Command::Index { dir, check } => index::run(&dir, check),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("stepwise: error: {error:#}");
            ExitCode::from(2)
        }
    }
}
