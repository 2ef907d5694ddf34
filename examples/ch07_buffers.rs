//! Chapter 7: one call of each buffer design, with what the global
//! allocator saw during the call (counted by the lab).
//!
//! Run: `cargo run --example ch07_buffers -- N` (default: N = 5).

use std::fmt::Debug;
use std::io::{self, Write};
use std::process::ExitCode;

use allocator_api2::alloc::Global;
use bumpalo::Bump;
use course::arena::bytes_in_use;
use course::buffers::{alloc_two_in, double_all, evens, fill_evens, sum, try_evens, try_evens_in};
use course::cli::Stop;
use course::lab::count_allocations;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

/// The largest `n` the program takes. `evens` aborts the process if its
/// allocation fails (the design this chapter shows), and every number is
/// printed: the program keeps to counts that any machine can serve.
const MAX_N: usize = 1_000_000;

/// Runs `call`, then prints what it returned and how many allocations it
/// asked of the global allocator.
fn show<R: Debug>(out: &mut impl Write, label: &str, call: impl FnOnce() -> R) -> io::Result<()> {
    let (result, count) = count_allocations(call);
    writeln!(out, "{label}")?;
    writeln!(out, "  -> {result:?}")?;
    writeln!(out, "  global allocations: {}", count.attempts)
}

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let n = course::cli::counts_up_to(MAX_N, &[5])?[0]; // --help, or a bad count
    let mut out = io::stdout().lock(); // `?` below: stdout may be closed or full

    // ANCHOR: calls
    let mut numbers = evens(n);
    writeln!(out, "numbers = evens({n}) = {numbers:?}")?;
    show(&mut out, "sum(&numbers)", || sum(&numbers))?;
    show(&mut out, "double_all(&mut numbers)", || {
        double_all(&mut numbers)
    })?;
    writeln!(out, "numbers = {numbers:?}")?;

    show(&mut out, &format!("try_evens({n})"), || try_evens(n))?;

    let mut reused = numbers; // a buffer the caller already has
    show(&mut out, "fill_evens(&mut reused)", || {
        fill_evens(&mut reused)
    })?;
    writeln!(out, "reused = {reused:?}")?;

    show(&mut out, &format!("try_evens_in({n}, Global)"), || {
        try_evens_in(n, Global)
    })?;

    let arena = Bump::with_capacity(1024);
    show(&mut out, &format!("try_evens_in({n}, &arena)"), || {
        try_evens_in(n, &arena)
    })?;
    for count in [n, 20] {
        show(&mut out, &format!("alloc_two_in({count}, &arena)"), || {
            alloc_two_in(count, &arena)
        })?;
    }
    writeln!(
        out,
        "arena bytes in use at the end: {}",
        bytes_in_use(&arena)
    )?;
    // ANCHOR_END: calls
    Ok(())
}
