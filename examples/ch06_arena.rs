//! Chapter 6: the staged acquisition from an arena. The trace shows what
//! the arena asks of the global allocator (one chunk, freed once) and the
//! notes show how many of the chunk's bytes are in use after each step.
//!
//! Run: `cargo run --example ch06_arena -- N` (default: N = 5, then N = 20).

use std::io::{self, Write};
use std::process::ExitCode;

use bumpalo::Bump;
use course::arena::{alloc_two_in_arena, bytes_in_use};
use course::cli::Stop;
use course::lab::trace;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

// ANCHOR: main
fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let counts = course::cli::counts_or(&[5, 20])?; // --help, or a bad count

    // One block with room for every call, so that `bytes_in_use` is exact.
    let capacity = counts.iter().fold(1024, |c, &n| c.max(n.saturating_mul(8)));
    let (result, events) = trace::record(|| {
        trace::note(format_args!("Bump::try_with_capacity({capacity})"));
        let mut arena = Bump::try_with_capacity(capacity)?;
        let in_use =
            |arena: &Bump| trace::note(format_args!("  in use: {} bytes", bytes_in_use(arena)));
        in_use(&arena);
        for &n in &counts {
            trace::note(format_args!("alloc_two_in_arena(&arena, {n})"));
            match alloc_two_in_arena(&arena, n) {
                Ok((a, b)) => trace::note(format_args!("  Ok: A = {a:?}, B = {b:?}")),
                Err(error) => trace::note(format_args!("  Err: {error}")),
            }
            in_use(&arena);
        }
        trace::note("arena.reset()");
        arena.reset();
        in_use(&arena);
        trace::note("drop(arena)");
        drop(arena);
        Ok::<(), bumpalo::AllocErr>(())
    });
    write!(io::stdout().lock(), "{events}")?; // `?`: stdout may be closed or full
    result.map_err(|_| {
        Stop::failed(format_args!(
            "out of memory: no arena block of {capacity} bytes"
        ))
    })
}
// ANCHOR_END: main
