//! Chapter 8: a command-line tool that saves an upper-cased copy of INPUT
//! as OUTPUT, atomically: OUTPUT ends up complete or untouched, and no
//! temporary file is left behind.
//!
//! Run: `cargo run --example ch08_atomic_save -- INPUT OUTPUT`.
//! Exit status: 0 on success (and for `--help`), 1 if reading or writing
//! failed, 2 for bad usage; every error is one line on stderr. The save
//! does not depend on stdout: if its reader closed it, the status is still
//! 0 (see `course/cli.rs`).

use std::io::{self, Write};
use std::process::ExitCode;

use course::atomic_save::save_upper;
use course::cli::Stop;

// ANCHOR: main
fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let (input, output) = course::cli::two_paths()?; // --help (0), bad usage (2)
    save_upper(&input, &output).map_err(Stop::failed)?; // status 1
    let (input, output) = (input.display(), output.display());
    writeln!(
        io::stdout().lock(),
        "saved {input} as {output}, upper-cased"
    )?; // 1 if it fails
    Ok(())
}
// ANCHOR_END: main
