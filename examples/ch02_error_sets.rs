//! Chapter 2: one allocation that can fail two ways, reported through an
//! error enum.
//!
//! Run: `cargo run --example ch02_error_sets -- N` (default N = 5).
//! Its items are `pub` so that `tests/ch02_error_sets.rs` can test them.

use std::io::{self, Write};
use std::process::ExitCode;

use course::TwoBufError;
use course::cli::Stop;

// ANCHOR: alloc_numbers
/// The most elements `alloc_numbers` accepts.
const LIMIT: usize = 10;

/// Returns `[0, 1, ..., n - 1]`, or why it could not.
pub fn alloc_numbers(n: usize) -> Result<Vec<i32>, TwoBufError> {
    let mut numbers = Vec::new();
    // Fallible allocation: a failure comes back as an `Err` instead of
    // aborting the program. `?` converts it with `From` and returns it.
    numbers.try_reserve_exact(n)?;

    if n > LIMIT {
        // Return an error of our own; `numbers` is dropped (freed) on the way out.
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }

    // `n <= LIMIT`, so every index fits in an `i32`, and the capacity is
    // already there: these pushes do not allocate.
    numbers.extend((0..n).map(|i| i as i32));
    Ok(numbers)
}
// ANCHOR_END: alloc_numbers

// ANCHOR: main
fn main() -> ExitCode {
    course::cli::exit_status(run())
}

/// Prints the numbers for each count; `?` stops at the first error.
fn run() -> Result<(), Stop> {
    let counts = course::cli::counts_or(&[5])?; // --help, or a bad count
    let mut out = io::stdout().lock();
    for n in counts {
        let numbers = alloc_numbers(n).map_err(Stop::failed)?;
        writeln!(out, "numbers: {numbers:?}")?; // a failed write to stdout
    }
    Ok(())
}
// ANCHOR_END: main
