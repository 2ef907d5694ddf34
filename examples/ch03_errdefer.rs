//! Chapter 3: the same staged acquisition for a resource without `Drop`,
//! with an explicit errdefer built from `scopeguard`.
//!
//! The buffer and the function live in the library (`course/raw_buffer.rs`,
//! `course/errdefer.rs`), because chapter 5 uses them again; this program
//! calls the function and shows, in order, what it allocated and freed.
//!
//! Run: `cargo run --example ch03_errdefer -- N` (default: N = 5, then N = 20).

use std::io::{self, Write};
use std::process::ExitCode;

use course::TwoBufError;
use course::cli::Stop;
use course::errdefer::alloc_two_raw;
use course::lab::trace;

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
        let (result, events) = trace::record(|| match alloc_two_raw(n) {
            Ok((a, b)) => {
                trace::note("Ok: the caller owns both buffers");
                trace::note(format_args!("A = {:?}", a.as_slice()));
                trace::note(format_args!("B = {:?}", b.as_slice()));
                // No `Drop`: the caller must free, as after a Zig call.
                b.free();
                a.free();
                Ok(())
            }
            Err(error) => {
                trace::note(format_args!("Err: {error}"));
                Err(error)
            }
        });
        writeln!(out, "alloc_two_raw({n}):")?;
        write!(out, "{events}")?;
        if result == Err(TwoBufError::OutOfMemory) {
            // Shown in the trace; the exit status says the run failed.
            return Err(Stop::failed(TwoBufError::OutOfMemory));
        }
    }
    Ok(())
}
// ANCHOR_END: main
