//! Chapter 4: what changes when an API hands out raw parts instead of owned
//! buffers: the caller takes on Zig's responsibility, and nothing checks it.
//!
//! Run: `cargo run --example ch04_raw_parts -- N` (default: N = 5, then N = 20).
//! Its items are `pub` so that `tests/ch04_raw_parts.rs` can test them.

use std::io::{self, Write};
use std::process::ExitCode;

use course::TwoBufError;
use course::cli::Stop;
use course::lab::trace;
use course::staged::alloc_two;
use scopeguard::defer;

// A test that includes this file (tests/chapters.rs) installs the lab itself.
#[cfg(not(test))]
#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

// ANCHOR: raw_parts_api
/// Zig-style: the caller receives two allocations as raw pointers and must
/// pass each one to `free_part` exactly once. The compiler checks none of it.
pub fn alloc_two_parts(n: usize) -> Result<(*mut [i32], *mut [i32]), TwoBufError> {
    let (a, b) = alloc_two(n)?;
    let a = Box::into_raw(a.into_boxed_slice());
    let b = Box::into_raw(b.into_boxed_slice());
    Ok((a, b))
}

/// Frees one part returned by `alloc_two_parts`.
///
/// # Safety
/// `part` must come from `alloc_two_parts`, must not have been freed yet,
/// and must not be used afterwards.
pub unsafe fn free_part(part: *mut [i32]) {
    // SAFETY: by this function's contract, `part` is the pointer that
    // `Box::into_raw` returned and nobody has freed it: rebuilding the box
    // and dropping it frees it exactly once.
    drop(unsafe { Box::from_raw(part) });
}
// ANCHOR_END: raw_parts_api

// ANCHOR: caller
pub fn show(n: usize) -> Result<(), TwoBufError> {
    let (a, b) = alloc_two_parts(n)?;
    // The Rust spelling of Zig's `defer allocator.free(res.a);`
    // SAFETY: `a` and `b` come from `alloc_two_parts`, each is freed once,
    // here, at the end of the scope, and not used after that.
    defer! { unsafe { free_part(a) } }
    defer! { unsafe { free_part(b) } }

    // SAFETY: both parts are live until the deferred frees run.
    let (a, b) = unsafe { (&*a, &*b) };
    trace::note(format_args!("A = {a:?}"));
    trace::note(format_args!("B = {b:?}"));
    Ok(())
}
// ANCHOR_END: caller

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let counts = course::cli::counts_or(&[5, 20])?; // --help, or a bad count
    let mut out = io::stdout().lock();
    for n in counts {
        let (result, events) = trace::record(|| show(n));
        writeln!(out, "show({n}):")?; // `?`: stdout may be closed or full
        write!(out, "{events}")?;
        if let Err(error) = &result {
            writeln!(out, "  Err: {error}")?;
        }
        if result == Err(TwoBufError::OutOfMemory) {
            // Shown above; the exit status says the run failed.
            return Err(Stop::failed(TwoBufError::OutOfMemory));
        }
    }
    Ok(())
}
