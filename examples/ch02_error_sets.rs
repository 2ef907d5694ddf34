//! Chapter 2: one allocation that can fail two ways, reported through an
//! error enum.
//!
//! Run: `cargo run --example ch02_error_sets -- N` (default N = 5).
//! Its items are `pub` so that `tests/ch02_error_sets.rs` can test them.

use std::process::ExitCode;

use course::TwoBufError;

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
    let counts = match course::cli::counts_or(&[5]) {
        Ok(counts) => counts,
        Err(exit) => return exit,
    };
    for n in counts {
        match alloc_numbers(n) {
            Ok(numbers) => println!("numbers: {numbers:?}"),
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: main
