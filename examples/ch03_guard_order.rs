//! Chapter 3: several guards fire newest first. `alloc_four_raw` acquires
//! four raw buffers, A to D, and arms an errdefer after each of the first
//! three; the lab refuses one of the allocations, and the guards armed so
//! far free their buffers in reverse order of acquisition.
//!
//! Run: `cargo run --example ch03_guard_order -- N`: the lab refuses the
//! Nth allocation (default: N = 4, D's, so that C, B and A are freed, in
//! that order); N = 0 refuses none, and the caller frees all four.

use std::io::{self, Write};
use std::process::ExitCode;

use course::TwoBufError;
use course::cli::{Stop, Usage};
use course::lab::{trace, with_failure_at};
use course::raw_buffer::RawBuffer;
use scopeguard::{ScopeGuard, guard};

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

// ANCHOR: alloc_four_raw
/// Four raw buffers, of 4, 8, 12 and 16 integers; on success the caller
/// must free them all. (`TwoBufError` is the course's error type, from
/// `alloc_two`; here only its `OutOfMemory` can happen.)
fn alloc_four_raw() -> Result<[RawBuffer; 4], TwoBufError> {
    let a = guard(RawBuffer::alloc(4)?, |a| {
        trace::note("errdefer for A fires: free A");
        a.free();
    });
    trace::note("errdefer for A armed");
    let b = guard(RawBuffer::alloc(8)?, |b| {
        trace::note("errdefer for B fires: free B");
        b.free();
    });
    trace::note("errdefer for B armed");
    let c = guard(RawBuffer::alloc(12)?, |c| {
        trace::note("errdefer for C fires: free C");
        c.free();
    });
    trace::note("errdefer for C armed");
    // The last acquisition needs no guard: nothing can fail after it.
    let d = RawBuffer::alloc(16)?; // on failure: C's guard, then B's, then A's
    let (a, b, c) = (
        ScopeGuard::into_inner(a),
        ScopeGuard::into_inner(b),
        ScopeGuard::into_inner(c),
    );
    trace::note("the errdefers of A, B and C defused");
    Ok([a, b, c, d])
}
// ANCHOR_END: alloc_four_raw

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

// ANCHOR: main
fn run() -> Result<(), Stop> {
    let refused = course::cli::counts(Usage::COUNT, 0..=4, &[4])?; // --help, bad N
    let mut out = io::stdout().lock();
    for n in refused {
        let (result, events) = trace::record(|| {
            // The lab counts allocations from 0: the Nth is number N - 1.
            let result = match n.checked_sub(1) {
                Some(index) => with_failure_at(index as u64, alloc_four_raw).0,
                None => alloc_four_raw(),
            };
            match result {
                Ok(buffers) => {
                    trace::note("Ok: the caller frees D, C, B, then A");
                    buffers.into_iter().rev().for_each(RawBuffer::free);
                    Ok(())
                }
                Err(error) => {
                    trace::note(format_args!("Err: {error}"));
                    Err(error)
                }
            }
        });
        match n {
            0 => writeln!(out, "alloc_four_raw(), no allocation refused:")?,
            n => writeln!(out, "alloc_four_raw(), allocation {n} of 4 refused:")?,
        }
        write!(out, "{events}")?;
        // Refused on purpose: the run did what it shows, and succeeds.
        debug_assert_eq!(result.is_err(), n > 0);
    }
    Ok(())
}
// ANCHOR_END: main
