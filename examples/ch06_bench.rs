//! Chapter 6's benchmark: the same `alloc_two` calls with the global
//! allocator and with an arena, timed over several rounds.
//!
//! Run it optimised: `cargo run --release --example ch06_bench -- CALLS`
//! (default: 100000 calls per round). A debug build runs too, for the
//! tests, but its numbers say little.

use std::hint::black_box;
use std::io::{self, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bumpalo::Bump;
use course::arena::alloc_two_in_arena;
use course::cli::{Stop, Usage};
use course::staged::alloc_two;

/// Measured rounds per contender, after one unmeasured warm-up round each.
const ROUNDS: usize = 11;
/// Elements per buffer: small, like most allocations in real programs.
const N: usize = 8;
/// How many calls share the arena before it is reset, as a program would
/// reset it once per request or per frame.
const RESET_EVERY: usize = 1000;

/// How to run it: optimised, with the calls per round (0 cannot be timed).
const USAGE: Usage = Usage {
    release: true,
    args: "[CALLS]",
    about: "Times the global allocator against the arena over CALLS calls per round \
            (100000 without CALLS); build it with --release.",
};
/// The most calls per round. Both contenders run 12 rounds (a warm-up and
/// ROUNDS), at about 1 µs per call in a debug build and far less
/// optimised: ten million calls per round take at most minutes, while
/// `usize::MAX` would take millennia.
const MAX_CALLS: usize = 10_000_000;

/// Times one call of `round`.
fn time(round: &mut impl FnMut()) -> Duration {
    let start = Instant::now();
    round();
    start.elapsed()
}

/// Times both contenders ROUNDS times, alternating, so that a slow phase of
/// the machine (another process, a lower clock) hits both alike. Returns
/// each one's durations, sorted.
fn time_rounds(
    mut first: impl FnMut(),
    mut second: impl FnMut(),
) -> (Vec<Duration>, Vec<Duration>) {
    // Warm-up, not measured: first touches of memory, caches, the arena's block.
    first();
    second();
    let (mut a, mut b): (Vec<Duration>, Vec<Duration>) = (0..ROUNDS)
        .map(|_| (time(&mut first), time(&mut second)))
        .unzip();
    a.sort();
    b.sort();
    (a, b)
}

fn with_global_allocator(calls: usize) {
    for _ in 0..calls {
        let buffers = alloc_two(black_box(N)).expect("N is within the limit");
        black_box(&buffers); // both Vecs are freed here
    }
}

fn with_arena(arena: &mut Bump, calls: usize) {
    let mut done = 0;
    while done < calls {
        let batch = RESET_EVERY.min(calls - done);
        for _ in 0..batch {
            let buffers = alloc_two_in_arena(arena, black_box(N)).expect("N is within the limit");
            black_box(&buffers);
        }
        arena.reset(); // frees the whole batch at once
        done += batch;
    }
}

/// One line: median time per call, and the fastest and slowest rounds.
fn report(out: &mut impl Write, name: &str, times: &[Duration], calls: usize) -> io::Result<f64> {
    let per_call = |d: &Duration| d.as_nanos() as f64 / calls as f64;
    let median = per_call(&times[times.len() / 2]);
    writeln!(
        out,
        "{name}: {median:.1} ns per call (median; fastest round {:.1}, slowest {:.1})",
        per_call(&times[0]),
        per_call(&times[times.len() - 1]),
    )?;
    Ok(median)
}

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let calls = course::cli::counts(USAGE, 1..=MAX_CALLS, &[100_000])?[0];
    let build = if cfg!(debug_assertions) {
        "debug build: use --release for meaningful numbers"
    } else {
        "release build"
    };
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "alloc_two({N}), {calls} calls per round, {ROUNDS} rounds, {build}"
    )?;

    // Room for one batch: the arena never needs a second block.
    let mut arena = Bump::with_capacity(RESET_EVERY * 2 * N * size_of::<i32>());
    let block = arena.allocated_bytes();
    let (global, in_arena) = time_rounds(
        || with_global_allocator(calls),
        || with_arena(&mut arena, calls),
    );
    assert_eq!(
        arena.allocated_bytes(),
        block,
        "the arena grew a second block"
    );

    let global = report(&mut out, "global allocator", &global, calls)?;
    let in_arena = report(
        &mut out,
        &format!("arena, reset every {RESET_EVERY} calls"),
        &in_arena,
        calls,
    )?;
    writeln!(
        out,
        "arena time / global time: {:.2} (medians; below 1 means the arena is faster)",
        in_arena / global
    )?;
    Ok(())
}
