//! Chapter 3's benchmark: what a scope guard costs. The same staged
//! acquisition of two raw buffers, once with errdefers from `scopeguard`
//! and once with the cleanup written by hand, on the success path (both
//! guards defused) and on the failure path (A's guard fires). callgrind
//! counts the instructions of each.
//!
//! Run it optimised: `cargo run --release --example ch03_guard_cost -- N`
//! (N calls per variant, default 10000). It needs valgrind. A debug build
//! makes the same calls without counting them, for the tests.

use std::hint::black_box;
use std::io::{self, Write};
use std::process::ExitCode;

use course::TwoBufError;
use course::callgrind;
use course::cli::Stop;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

type Two = (RawBuffer, RawBuffer);

// ANCHOR: contenders
/// Chapter 3's `alloc_two_raw` without its trace notes: one guard per
/// buffer, armed when the buffer exists, defused on success.
fn with_guards(n: usize) -> Result<Two, TwoBufError> {
    let mut a = guard(RawBuffer::alloc(n)?, RawBuffer::free);
    if n > LIMIT {
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }
    let mut b = guard(RawBuffer::alloc(n)?, RawBuffer::free);
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    Ok((ScopeGuard::into_inner(a), ScopeGuard::into_inner(b)))
}

/// The same, with the cleanup written out on every path that fails.
fn by_hand(n: usize) -> Result<Two, TwoBufError> {
    let mut a = RawBuffer::alloc(n)?;
    if n > LIMIT {
        a.free();
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }
    let mut b = match RawBuffer::alloc(n) {
        Ok(b) => b,
        Err(error) => {
            a.free();
            return Err(error);
        }
    };
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    Ok((a, b))
}
// ANCHOR_END: contenders

/// `calls` calls of `alloc_two(n)`; the caller frees what it gets.
#[inline(never)]
fn measured(alloc_two: impl Fn(usize) -> Result<Two, TwoBufError>, n: usize, calls: usize) {
    for _ in 0..calls {
        match alloc_two(black_box(n)) {
            Ok((a, b)) => {
                black_box((a.as_slice(), b.as_slice()));
                b.free();
                a.free();
            }
            Err(error) => drop(black_box(error)),
        }
    }
}

/// The variants: name, whether it uses guards, `n`.
const VARIANTS: [(&str, bool, usize); 4] = [
    ("by hand, n = 5", false, 5),
    ("with guards, n = 5", true, 5),
    ("by hand, n = 20", false, 20),
    ("with guards, n = 20", true, 20),
];

/// Runs one variant: a call first, outside the counted function (the
/// first touches of the allocator are not what is measured), then `calls`.
fn run_variant(variant: &str, calls: usize) {
    let Some(&(_, guarded, n)) = VARIANTS.iter().find(|v| v.0 == variant) else {
        unreachable!("unknown variant {variant}")
    };
    let free_both = |(a, b): Two| {
        b.free();
        a.free();
    };
    if guarded {
        drop(with_guards(n).map(free_both));
        measured(with_guards, n, calls);
    } else {
        drop(by_hand(n).map(free_both));
        measured(by_hand, n, calls);
    }
}

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let mut out = io::stdout().lock();
    let names = VARIANTS.map(|(name, _, _)| name);
    let Some((calls, per_call)) = callgrind::per_call(&names, run_variant, &mut out)? else {
        return Ok(()); // the measured child, or a debug build
    };
    writeln!(
        out,
        "alloc_two for raw buffers, then the caller frees A and B; \
         {calls} calls each, release build"
    )?;
    writeln!(out, "instructions per call, counted by callgrind:")?;
    let mut by_hand = 0.0;
    for ((_, guarded, n), per_call) in VARIANTS.into_iter().zip(per_call) {
        if guarded {
            writeln!(
                out,
                "    with guards      {per_call:6.1}  ({:+.1}, {:.2} x by hand)",
                per_call - by_hand,
                per_call / by_hand
            )?;
        } else {
            let path = if n > LIMIT {
                "TooLarge: A's guard fires"
            } else {
                "success: both guards defused"
            };
            writeln!(out, "  n = {n} ({path})")?;
            writeln!(out, "    cleanup by hand  {per_call:6.1}")?;
            by_hand = per_call;
        }
    }
    Ok(())
}
