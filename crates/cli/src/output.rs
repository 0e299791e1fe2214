//! Standard output that survives a closed pipe (`stepwise lint runbooks | head`).
//!
//! `println!` panics when the reader has gone. Here a closed stdout is remembered and later
//! output dropped, so the command still finishes its work and exits with its real code: a
//! verification that fails still exits 1, whether or not anyone read the line.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout, unless stdout is closed.
pub fn print(text: fmt::Arguments<'_>) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = io::stdout().lock();
    if out.write_fmt(text).and_then(|()| out.flush()).is_err() {
        // A pipe closed by its reader, or a stdout that cannot be written: nothing more can
        // be said there, and the exit code still will be.
        CLOSED.store(true, Ordering::Relaxed);
    }
}

/// `println!` that survives a closed pipe.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::print(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` that survives a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::print(format_args!($($arg)*))
    };
}

pub(crate) use {out, outln};
