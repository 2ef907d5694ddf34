//! Chapter 3: when a temporary is dropped. A value made in the middle of an
//! expression and never bound to a name (a guard a method returns, a
//! `MutexGuard`) is dropped at the end of its *temporary scope*, and edition
//! 2024 made two of those scopes shorter: the tail expression of a block,
//! and the condition of an `if let`.
//!
//! Run: `cargo run --example ch03_temporaries -- N` (N jobs in the queue;
//! without N, 0 and then 1). The course is edition 2024;
//! `tests/ch03_temporaries.rs` also compiles this file as edition 2021 and
//! checks both outputs against the book.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Mutex;

use course::TwoBufError;
use course::cli::Stop;
use course::lab::trace;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

// ANCHOR: temporaries
/// A value that notes in the trace when it is dropped, standing in for any
/// guard.
struct Noisy(&'static str);

impl Noisy {
    fn len(&self) -> usize {
        self.0.len()
    }
}

impl Drop for Noisy {
    fn drop(&mut self) {
        trace::note(format_args!("drop {}", self.0));
    }
}

/// A temporary in the tail expression, the last expression of the body.
fn tail() -> usize {
    let _local = Noisy("local");
    Noisy("temporary").len()
}

/// Takes a job from the queue. When there is none, says whether the lock
/// taken in the condition is still held in the `else` branch: it asks with
/// `try_lock`, where a `lock` would wait for ever if it is.
fn take_job(queue: &Mutex<Vec<u32>>) {
    if let Some(job) = queue.lock().expect("not poisoned").pop() {
        trace::note(format_args!("got job {job}"));
    } else if queue.try_lock().is_ok() {
        trace::note("else branch: the lock is free");
    } else {
        trace::note("else branch: the lock is still held");
    }
}
// ANCHOR_END: temporaries

/// The most jobs the program queues, well within `u32`, the jobs' type.
const MAX_N: usize = 1_000_000;

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let counts = course::cli::counts_up_to(MAX_N, &[0, 1])?; // --help, or a bad count
    let mut out = io::stdout().lock();
    let (_, events) = trace::record(tail);
    writeln!(out, "tail():")?; // `?`: stdout may be closed or full
    write!(out, "{events}")?;
    for n in counts {
        // Fallible, as every allocation the count sizes: memory that cannot
        // hold the queue ends the program with one line, not an abort.
        let mut jobs = Vec::new();
        jobs.try_reserve_exact(n)
            .map_err(|error| Stop::failed(TwoBufError::from(error)))?;
        jobs.extend(0..n as u32);
        let queue = Mutex::new(jobs);
        let ((), events) = trace::record(|| take_job(&queue));
        writeln!(out, "take_job, {n} in the queue:")?;
        write!(out, "{events}")?;
    }
    Ok(())
}
