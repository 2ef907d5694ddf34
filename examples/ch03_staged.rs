//! Chapter 3: staged acquisition with owned buffers. `Drop` does the cleanup
//! that Zig's `errdefer` does, and the lab's trace shows exactly what ran.
//! `alloc_two` itself is in `course/staged.rs`, shared with later chapters.
//!
//! Run: `cargo run --example ch03_staged -- N` (default: N = 5, then N = 20).

use std::process::ExitCode;

use course::lab::trace;
use course::staged::alloc_two;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

// ANCHOR: main
fn main() -> ExitCode {
    let counts = match course::cli::counts_or(&[5, 20]) {
        Ok(counts) => counts,
        Err(exit) => return exit,
    };
    for n in counts {
        let ((), events) = trace::record(|| match alloc_two(n) {
            Ok((a, b)) => {
                trace::note("Ok: the caller owns both buffers");
                trace::note(format_args!("A = {a:?}"));
                trace::note(format_args!("B = {b:?}"));
                trace::note("end of the caller's scope: B, then A, is dropped");
            }
            Err(error) => trace::note(format_args!("Err: {error}")),
        });
        println!("alloc_two({n}):");
        print!("{events}");
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: main
