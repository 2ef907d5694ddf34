//! Chapter 7: one call of each buffer design, with what the global
//! allocator saw during the call (counted by the lab).
//!
//! Run: `cargo run --example ch07_buffers -- N` (default: N = 5).

use std::process::ExitCode;

use allocator_api2::alloc::Global;
use bumpalo::Bump;
use course::arena::bytes_in_use;
use course::buffers::{alloc_two_in, double_all, evens, fill_evens, sum, try_evens, try_evens_in};
use course::lab::count_allocations;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

/// Runs `call`, then prints what it returned and how many allocations it
/// asked of the global allocator.
fn show<R: std::fmt::Debug>(label: &str, call: impl FnOnce() -> R) {
    let (result, count) = count_allocations(call);
    println!("{label}");
    println!("  -> {result:?}");
    println!("  global allocations: {}", count.attempts);
}

fn main() -> ExitCode {
    let n = match course::cli::counts_or(&[5]) {
        Ok(counts) => counts[0],
        Err(exit) => return exit,
    };
    // ANCHOR: calls
    let mut numbers = evens(n);
    println!("numbers = evens({n}) = {numbers:?}");
    show("sum(&numbers)", || sum(&numbers));
    show("double_all(&mut numbers)", || double_all(&mut numbers));
    println!("numbers = {numbers:?}");

    show(&format!("try_evens({n})"), || try_evens(n));

    let mut reused = numbers; // a buffer the caller already has
    show("fill_evens(&mut reused)", || fill_evens(&mut reused));
    println!("reused = {reused:?}");

    show(&format!("try_evens_in({n}, Global)"), || {
        try_evens_in(n, Global)
    });

    let arena = Bump::with_capacity(1024);
    show(&format!("try_evens_in({n}, &arena)"), || {
        try_evens_in(n, &arena)
    });
    for count in [n, 20] {
        show(&format!("alloc_two_in({count}, &arena)"), || {
            alloc_two_in(count, &arena)
        });
    }
    println!("arena bytes in use at the end: {}", bytes_in_use(&arena));
    // ANCHOR_END: calls
    ExitCode::SUCCESS
}
