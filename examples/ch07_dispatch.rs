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
use course::cli::Stop;

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

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let mut out = io::stdout().lock();
    let variants = VARIANTS.map(|(variant, _)| variant);
    let Some((calls, per_call)) = callgrind::per_call(&variants, run_variant, &mut out)? else {
        return Ok(()); // the measured child, or a debug build
    };
    writeln!(
        out,
        "try_evens_in({N}, alloc) and its drop, {calls} calls each, release build"
    )?;
    writeln!(out, "instructions per call, counted by callgrind:")?;
    let mut generic = 0.0;
    for ((variant, name), per_call) in VARIANTS.into_iter().zip(per_call) {
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
