//! Chapter 8: a command-line tool that saves an upper-cased copy of INPUT
//! as OUTPUT, atomically: OUTPUT ends up complete or untouched, and no
//! temporary file is left behind.
//!
//! Run: `cargo run --example ch08_atomic_save -- INPUT OUTPUT`.
//! Exit status: 0 on success, 1 if reading or writing failed, 2 for bad
//! usage; every error is one line on stderr.

use std::process::ExitCode;

use course::atomic_save::save_upper;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

// ANCHOR: main
fn main() -> ExitCode {
    let (input, output) = match course::cli::two_paths() {
        Ok(paths) => paths,
        Err(exit) => return exit, // status 2
    };
    match save_upper(&input, &output) {
        Ok(()) => {
            println!(
                "saved {} as {}, upper-cased",
                input.display(),
                output.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE // status 1
        }
    }
}
// ANCHOR_END: main
