//! Chapter 8: a command-line tool that saves an upper-cased copy of INPUT
//! as OUTPUT, atomically: OUTPUT ends up complete or untouched, and no
//! temporary file is left behind, even after Ctrl-C.
//!
//! Run: `cargo run --example ch08_atomic_save -- [--force] INPUT OUTPUT`.
//! Exit status: 0 saved (and for `--help`); 1 nothing saved, because
//! reading or writing failed or OUTPUT may not be replaced; 2 bad usage;
//! 3 saved, but not confirmed durable (or the confirmation could not be
//! printed); killed by the signal that stopped it (SIGINT, SIGTERM, SIGHUP
//! and every other that would end it and can be caught) after cleaning up.
//! Every error is one line on stderr, paths escaped (see `course/cli.rs`).

use std::process::ExitCode;

use course::cli::Stop;
#[cfg(target_os = "linux")]
use {
    course::atomic_save::save_upper,
    course::cli::escaped,
    course::replaced::Unwritable,
    course::stop_signals::{cannot_catch_signals, stop_on_signals},
    std::io::{self, Write},
};

// ANCHOR: main
fn main() -> ExitCode {
    course::cli::exit_status(run())
}

#[cfg(target_os = "linux")] // elsewhere, the `run` at the end of this file
fn run() -> Result<(), Stop> {
    let paths = course::cli::two_paths()?; // --help (0), bad usage (2)
    stop_on_signals().map_err(cannot_catch_signals)?; // Ctrl-C: an error
    let unwritable = if paths.force {
        Unwritable::Replace // --force
    } else {
        Unwritable::Refuse
    };
    let (input, output) = (escaped(&paths.input), escaped(&paths.output));
    // 1 nothing saved, 3 saved but not durable, or ended by the signal.
    save_upper(&paths.input, &paths.output, unwritable).map_err(Stop::from)?;
    writeln!(
        io::stdout().lock(),
        "saved {input} as {output}, upper-cased"
    )
    .map_err(|error| match error.kind() {
        io::ErrorKind::BrokenPipe => Stop::Output(error), // 0, quietly
        _ => Stop::Incomplete(format!(
            "saved {input} as {output}, but cannot say so on stdout: {error}"
        )),
    })?;
    // A signal that came too late to stop the save still ends the tool as
    // it asked (a shell's loop stops on Ctrl-C only if its program did).
    course::stop_signals::check().map_err(|stop| Stop::Signal {
        signal: stop.signal,
        message: format!("{stop} after the save: {output} holds the new contents"),
    })
}
// ANCHOR_END: main

/// The tool keeps owners, modes and ACLs and stops on signals the Linux way
/// (`course::atomic_save` is compiled on Linux only): elsewhere it says so.
#[cfg(not(target_os = "linux"))]
fn run() -> Result<(), Stop> {
    Err(Stop::failed(
        "chapter 8's atomic save runs on Linux only (owners, modes, ACLs, signals)",
    ))
}
