//! Chapter 7's benchmark: the allocator as a type parameter against the
//! allocator behind `&dyn Allocator`, a pointer and a table of functions
//! like Zig's `std.mem.Allocator`. Both run the same calls of chapter 7's
//! `try_evens_in`, with an arena and with the global allocator, and
//! callgrind counts the instructions of each.
//!
//! Run it optimised: `cargo run --release --example ch07_dispatch -- N`
//! (N calls per variant, default 10000). It needs valgrind. A debug build
//! makes the same calls without counting them, for the tests.

use std::hint::black_box;
use std::io::{self, Write};
use std::process::ExitCode;

use allocator_api2::alloc::{Allocator, Global};
use bumpalo::Bump;
use course::buffers::try_evens_in;
use course::callgrind;
use course::cli::{Stop, Usage};

/// Elements per buffer.
const N: usize = 8;

// ANCHOR: measured
/// `calls` calls of `try_evens_in(N, alloc)`, each result dropped at once:
/// one allocation and one free per call, both through `alloc`.
#[inline(never)]
fn measured<A: Allocator + Copy>(alloc: A, calls: usize) {
    for _ in 0..calls {
        let evens = try_evens_in(black_box(N), alloc).expect("N is small");
        black_box(evens); // dropped here: the memory goes back to `alloc`
    }
}

/// Runs one variant: the same function, with one of four allocator types.
fn run_variant(variant: &str, calls: usize) {
    let arena = Bump::with_capacity(1024);
    let arena = &arena; // `&Bump` is the type that implements `Allocator`
    match variant {
        // The compiler knows the allocator's type: direct calls it can inline.
        "arena" => warm_up_then_measure(black_box(arena), calls),
        "global" => warm_up_then_measure(black_box(Global), calls),
        // A pointer to the allocator and a pointer to its table of
        // functions: every allocation and free is an indirect call.
        "dyn arena" => warm_up_then_measure(black_box(&arena as &dyn Allocator), calls),
        "dyn global" => warm_up_then_measure(black_box(&Global as &dyn Allocator), calls),
        _ => unreachable!("unknown variant {variant}"),
    }
}

/// One call first, outside the counted function: the first touches of
/// the allocator's memory are not what is measured.
fn warm_up_then_measure<A: Allocator + Copy>(alloc: A, calls: usize) {
    drop(try_evens_in(N, alloc));
    measured(alloc, calls);
}
// ANCHOR_END: measured

const VARIANTS: [(&str, &str); 4] = [
    ("arena", "A = &Bump"),
    ("dyn arena", "A = &dyn Allocator, to the arena"),
    ("global", "A = Global"),
    ("dyn global", "A = &dyn Allocator, to Global"),
];

/// How the program is run: optimised, with an optional number of calls.
const USAGE: Usage = Usage {
    release: true,
    args: "[CALLS]",
};
/// Most calls per variant: callgrind runs code about fifty times slower,
/// and a million calls already take it several seconds.
const MAX_CALLS: usize = 1_000_000;

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let calls = course::cli::counts(USAGE, 1..=MAX_CALLS, &[10_000])?[0];
    // In the child that callgrind watches: run one variant, and nothing else.
    if let Some(variant) = callgrind::variant_to_run() {
        run_variant(&variant, calls);
        return Ok(());
    }
    let mut out = io::stdout().lock();
    if cfg!(debug_assertions) {
        for (variant, _) in VARIANTS {
            run_variant(variant, calls);
        }
        writeln!(
            out,
            "debug build: each variant made {calls} calls; instructions are counted"
        )?;
        writeln!(
            out,
            "only in a release build: cargo run --release --example ch07_dispatch"
        )?;
        return Ok(());
    }

    writeln!(
        out,
        "try_evens_in({N}, alloc) and its drop, {calls} calls each, release build"
    )?;
    writeln!(out, "instructions per call, counted by callgrind:")?;
    let mut generic = 0.0;
    for (variant, name) in VARIANTS {
        let args = [calls.to_string()];
        let total =
            callgrind::instructions_in("*::measured", variant, &args).map_err(Stop::failed)?;
        let per_call = total as f64 / calls as f64;
        if variant.starts_with("dyn") {
            let ratio = per_call / generic;
            writeln!(
                out,
                "  {name:<32} {per_call:6.1}  ({ratio:.2} x the generic call)"
            )?;
        } else {
            writeln!(out, "  {name:<32} {per_call:6.1}")?;
            generic = per_call;
        }
    }
    Ok(())
}
