//! Chapter 3: `Drop` and scope guards also run while a panic unwinds the
//! stack, a path Zig's `errdefer` never sees (a Zig panic does not unwind).
//!
//! Run: `cargo run --example ch03_unwind -- N` (default N = 3).
//! Its items are `pub` so that `tests/ch03_unwind.rs` can test them.

use std::io::{self, Write};
use std::panic;
use std::process::ExitCode;

use course::cli::Stop;
use course::lab::trace;
use scopeguard::guard;

// A test that includes this file (tests/chapters.rs) installs the lab itself.
#[cfg(not(test))]
#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

// ANCHOR: panics_between
/// Like `alloc_two`, but a bug panics between A and B.
pub fn panics_between(n: usize) -> (Vec<i32>, Vec<i32>) {
    let mut a = Vec::new();
    a.try_reserve_exact(n).expect("the sizes here are tiny");
    let _errdefer = guard((), |()| trace::note("the guard runs"));

    let index = n; // an off-by-one bug: the last index is n - 1
    a.extend((0..n).map(|i| i as i32));
    let last = a[index]; // panics: index out of bounds

    (a, vec![last])
}
// ANCHOR_END: panics_between

/// The largest `n` the program takes: `panics_between` expects tiny sizes
/// (it panics if its allocation fails, which would hide the bug it shows).
const MAX_N: usize = 1_000_000;

// ANCHOR: main
fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let counts = course::cli::counts_up_to(MAX_N, &[3])?; // --help, or a bad count

    // Put the panic message into the trace instead of on stderr.
    panic::set_hook(Box::new(|info| {
        let message = info.payload_as_str().unwrap_or("(no message)");
        trace::note(format_args!("panic: {message}"));
    }));
    let mut out = io::stdout().lock();
    for n in counts {
        let (caught, events) = trace::record(|| panic::catch_unwind(|| panics_between(n)).is_err());
        writeln!(out, "panics_between({n}):")?; // `?`: stdout may be closed or full
        write!(out, "{events}")?;
        writeln!(out, "caught the panic: {caught}")?;
    }
    Ok(())
}
// ANCHOR_END: main
