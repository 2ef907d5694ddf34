//! Chapter 5: forget the errdefer and watch the leak. The forgetful
//! function runs first, then the guarded one from chapter 3, each inside a
//! leak check of the lab; the first leaks A on its error path, for real.
//!
//! Run: `cargo run --example ch05_leak -- N` (default: N = 5, then N = 20).
//! Under valgrind: `cargo build --example ch05_leak`, then
//! `valgrind --leak-check=full target/debug/examples/ch05_leak`.

use std::io::{self, Write};
use std::process::ExitCode;

use course::TwoBufError;
use course::cli::Stop;
use course::errdefer::alloc_two_raw;
use course::forgetful::alloc_two_forgetful;
use course::lab::check_leaks;
use course::raw_buffer::RawBuffer;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

type AllocTwo = fn(usize) -> Result<(RawBuffer, RawBuffer), TwoBufError>;

// ANCHOR: run
/// Calls `alloc_two` as a careful caller does, freeing both buffers when it
/// gets them, and prints what the lab saw: no leak, or how many bytes leaked.
fn run(out: &mut impl Write, name: &str, alloc_two: AllocTwo, n: usize) -> Result<(), Stop> {
    let (result, report) = check_leaks(|| {
        alloc_two(n).map(|(a, b)| {
            b.free();
            a.free();
        })
    });
    match &result {
        Ok(()) => writeln!(out, "{name}({n}) returned Ok; the caller freed A and B")?,
        Err(error) => writeln!(out, "{name}({n}) returned Err: {error}")?,
    }
    writeln!(out, "  lab: {}", report.summary())?;
    if result == Err(TwoBufError::OutOfMemory) {
        // Reported above; the exit status says the run failed.
        return Err(Stop::failed(TwoBufError::OutOfMemory));
    }
    Ok(())
}
// ANCHOR_END: run

fn main() -> ExitCode {
    course::cli::exit_status(run_all())
}

fn run_all() -> Result<(), Stop> {
    let counts = course::cli::counts_or(&[5, 20])?; // --help, or a bad count
    let mut out = io::stdout().lock();
    writeln!(out, "--- without errdefer ---")?;
    for &n in &counts {
        run(&mut out, "alloc_two_forgetful", alloc_two_forgetful, n)?;
    }
    writeln!(out, "--- with errdefer (chapter 3) ---")?;
    for &n in &counts {
        run(&mut out, "alloc_two_raw", alloc_two_raw, n)?;
    }
    Ok(())
}
