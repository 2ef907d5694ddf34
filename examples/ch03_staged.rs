//! Chapter 3: staged acquisition with owned buffers. `Drop` does the cleanup
//! that Zig's `errdefer` does, and the lab's trace shows exactly what ran.
//! `alloc_two` itself is in `course/staged.rs`, shared with later chapters.
//!
//! Run: `cargo run --example ch03_staged -- N` (default: N = 5, then N = 20).

use std::io::{self, Write};
use std::process::ExitCode;

use course::TwoBufError;
use course::cli::Stop;
use course::lab::trace;
use course::staged::alloc_two;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

// ANCHOR: main
fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let counts = course::cli::counts_or(&[5, 20])?; // --help, or a bad count
    let mut out = io::stdout().lock();
    for n in counts {
        let (result, events) = trace::record(|| match alloc_two(n) {
            Ok((a, b)) => {
                trace::note("Ok: the caller owns both buffers");
                trace::note(format_args!("A = {a:?}"));
                trace::note(format_args!("B = {b:?}"));
                trace::note("end of the caller's scope: B, then A, is dropped");
                Ok(())
            }
            Err(error) => {
                trace::note(format_args!("Err: {error}"));
                Err(error)
            }
        });
        writeln!(out, "alloc_two({n}):")?; // `?`: stdout may be closed or full
        write!(out, "{events}")?;
        if result == Err(TwoBufError::OutOfMemory) {
            // Shown in the trace; the exit status says the run failed.
            return Err(Stop::failed(TwoBufError::OutOfMemory));
        }
    }
    Ok(())
}
// ANCHOR_END: main
