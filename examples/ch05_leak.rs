//! Chapter 5: forget the errdefer and watch the leak. The forgetful
//! function runs first, then the guarded one from chapter 3, each inside a
//! leak check of the lab; the first leaks A on its error path, for real.
//!
//! Run: `cargo run --example ch05_leak -- N` (default: N = 5, then N = 20).
//! Under valgrind: `cargo build --example ch05_leak`, then
//! `valgrind --leak-check=full target/debug/examples/ch05_leak`.

use std::process::ExitCode;

use course::errdefer::alloc_two_raw;
use course::forgetful::alloc_two_forgetful;
use course::lab::check_leaks;
use course::raw_buffer::RawBuffer;
use course::TwoBufError;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

type AllocTwo = fn(usize) -> Result<(RawBuffer, RawBuffer), TwoBufError>;

// ANCHOR: run
/// Calls `alloc_two` as a careful caller does, freeing both buffers when it
/// gets them, and prints what the lab saw: no leak, or how many bytes leaked.
fn run(name: &str, alloc_two: AllocTwo, n: usize) {
    let (result, report) = check_leaks(|| {
        alloc_two(n).map(|(a, b)| {
            b.free();
            a.free();
        })
    });
    match result {
        Ok(()) => println!("{name}({n}) returned Ok; the caller freed A and B"),
        Err(error) => println!("{name}({n}) returned Err: {error}"),
    }
    println!("  lab: {}", report.summary());
}
// ANCHOR_END: run

fn main() -> ExitCode {
    let counts = match course::cli::counts_or(&[5, 20]) {
        Ok(counts) => counts,
        Err(exit) => return exit,
    };
    println!("--- without errdefer ---");
    for &n in &counts {
        run("alloc_two_forgetful", alloc_two_forgetful, n);
    }
    println!("--- with errdefer (chapter 3) ---");
    for &n in &counts {
        run("alloc_two_raw", alloc_two_raw, n);
    }
    ExitCode::SUCCESS
}
