//! Chapter 7: one call of each buffer design, with what the global
//! allocator saw during the call (counted by the lab).
//!
//! Run: `cargo run --example ch07_buffers -- N` (default: N = 5).

use std::fmt::{Debug, Display};
use std::io::{self, Write};
use std::process::ExitCode;

use allocator_api2::alloc::Global;
use bumpalo::Bump;
use course::TwoBufError;
use course::arena::bytes_in_use;
use course::buffers::{alloc_two_in, double_all, fill_evens, sum, try_evens, try_evens_in};
use course::cli::Stop;
use course::lab::count_allocations;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

/// The largest `n` the program takes. It prints every number, several
/// times over: 50 MB for this count.
const MAX_N: usize = 1_000_000;

/// A result that `show` prints, and whether it says that the memory ran
/// out.
trait Shown: Debug {
    fn is_out_of_memory(&self) -> bool {
        false
    }
}

impl Shown for () {}

impl Shown for i64 {}

impl<T: Debug> Shown for Result<T, TwoBufError> {
    fn is_out_of_memory(&self) -> bool {
        matches!(self, Err(TwoBufError::OutOfMemory))
    }
}

/// Runs `call`, then prints what it returned and how many allocations it
/// asked of the global allocator. A call that ran out of memory ends the
/// program once that is printed: a run that could not make every call
/// failed, and says so in one line and its exit status.
fn show<R: Shown>(
    out: &mut impl Write,
    label: impl Display,
    call: impl FnOnce() -> R,
) -> Result<(), Stop> {
    let (result, count) = count_allocations(call);
    writeln!(out, "{label}")?;
    writeln!(out, "  -> {result:?}")?;
    writeln!(out, "  global allocations: {}", count.attempts)?;
    if result.is_out_of_memory() {
        return Err(Stop::failed(TwoBufError::OutOfMemory));
    }
    Ok(())
}

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let n = course::cli::counts_up_to(MAX_N, &[5])?[0]; // --help, or a bad count
    let mut out = io::stdout().lock(); // `?` below: stdout may be closed or full

    // ANCHOR: calls
    // The values of `evens(n)`, from `try_evens`: memory that cannot hold
    // them ends the program with one line, where `evens` would abort it.
    let mut numbers = try_evens(n).map_err(Stop::failed)?;
    writeln!(out, "numbers = evens({n}) = {numbers:?}")?;
    show(&mut out, "sum(&numbers)", || sum(&numbers))?;
    show(&mut out, "double_all(&mut numbers)", || {
        double_all(&mut numbers)
    })?;
    writeln!(out, "numbers = {numbers:?}")?;

    show(&mut out, format_args!("try_evens({n})"), || try_evens(n))?;

    let mut reused = numbers; // a buffer the caller already has
    show(&mut out, "fill_evens(&mut reused)", || {
        fill_evens(&mut reused)
    })?;
    writeln!(out, "reused = {reused:?}")?;

    show(&mut out, format_args!("try_evens_in({n}, Global)"), || {
        try_evens_in(n, Global)
    })?;

    let arena = Bump::with_capacity(1024);
    show(&mut out, format_args!("try_evens_in({n}, &arena)"), || {
        try_evens_in(n, &arena)
    })?;
    for count in [n, 20] {
        show(
            &mut out,
            format_args!("alloc_two_in({count}, &arena)"),
            || alloc_two_in(count, &arena),
        )?;
    }
    writeln!(
        out,
        "arena bytes in use at the end: {}",
        bytes_in_use(&arena)
    )?;
    // ANCHOR_END: calls
    Ok(())
}
