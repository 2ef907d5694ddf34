//! What a failure check runs: a function whose allocations go through the
//! global allocator (the lab installed), or a function given an allocator
//! value (a `CheckingAllocator`). Both are run, counted and failed the
//! same way; only how their allocations are watched differs.

use std::fmt::{self, Write as _};

use super::OutOfMemory;
use crate::{
    CheckingAllocator, LeakReport, check_leaks, count_allocations, failure, site, with_failure_at,
};

/// A function under a failure check.
pub(super) trait Subject {
    type Error: OutOfMemory + fmt::Debug;
    /// Runs it with no failure and no check: its result, and how many
    /// allocations it attempted.
    fn pass(&mut self) -> (Result<(), Self::Error>, u64);
    /// Runs it with no failure inside a leak check.
    fn clean(&mut self) -> (Result<(), Self::Error>, LeakReport);
    /// Runs it with no failure, counting its attempts (inside a leak
    /// check, as `clean` runs it), with the place of each if `places`.
    fn count(&mut self, places: bool) -> (u64, Vec<String>);
    /// Runs it with its allocation `index` failing, and judges it.
    fn failing(&mut self, index: u64) -> Failing;
}

/// How a run with a failed allocation went.
pub(super) struct Failing {
    pub(super) wrong: WrongResult,
    pub(super) injected: bool,
    pub(super) after_failure: u64,
    /// Where the first allocation after the failure was made.
    pub(super) first_after: Option<String>,
    pub(super) report: LeakReport,
}

/// What was wrong with what a run returned, judged as soon as it returned
/// (inside the leak check, for the global allocator, so that what the
/// result owns is freed before the check ends).
// The text is on the stack on purpose: boxed, it would be a block the leak
// check counts.
#[allow(clippy::large_enum_variant)]
pub(super) enum WrongResult {
    None,
    Panicked(Box<dyn std::any::Any + Send>),
    OkDespiteFailure,
    NotOutOfMemory(StackText),
}

/// Judges a run that had an allocation fail.
fn judge<T, E: OutOfMemory + fmt::Debug>(result: std::thread::Result<Result<T, E>>) -> WrongResult {
    match result {
        Err(payload) => WrongResult::Panicked(payload),
        Ok(Ok(_)) => WrongResult::OkDespiteFailure,
        Ok(Err(error)) if !error.is_out_of_memory() => {
            let mut text = StackText::new();
            let _ = write!(text, "{error:?}");
            WrongResult::NotOutOfMemory(text)
        }
        Ok(Err(_)) => WrongResult::None,
    }
}

/// A function whose allocations go through the global allocator.
pub(super) struct Global<F>(pub(super) F);

impl<T, E, F> Subject for Global<F>
where
    F: FnMut() -> Result<T, E>,
    E: OutOfMemory + fmt::Debug,
{
    type Error = E;

    fn pass(&mut self) -> (Result<(), E>, u64) {
        let (result, count) = count_allocations(|| (self.0)().map(drop));
        (result, count.attempts)
    }

    fn clean(&mut self) -> (Result<(), E>, LeakReport) {
        check_leaks(|| (self.0)().map(drop))
    }

    fn count(&mut self, places: bool) -> (u64, Vec<String>) {
        let mut count = || check_leaks(|| count_allocations(|| (self.0)().map(drop)));
        let (((_, count), _), places) = if places {
            failure::with_sites(count)
        } else {
            (count(), Vec::new())
        };
        (count.attempts, places)
    }

    fn failing(&mut self, index: u64) -> Failing {
        let ((wrong, count), report) = check_leaks(|| {
            // A panic is a verdict too: without this, it would end the
            // child without one, which the parent takes for an abort.
            let (result, count) = with_failure_at(index, || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(&mut self.0))
            });
            (judge(result), count)
        });
        Failing {
            wrong,
            injected: count.injected,
            after_failure: count.after_failure,
            first_after: failure::first_after_failure(),
            report,
        }
    }
}

/// A function given an allocator value, which watches its allocations.
pub(super) struct WithAllocator<F>(pub(super) F);

impl<T, E, F> Subject for WithAllocator<F>
where
    F: FnMut(&CheckingAllocator) -> Result<T, E>,
    E: OutOfMemory + fmt::Debug,
{
    type Error = E;

    fn pass(&mut self) -> (Result<(), E>, u64) {
        let alloc = CheckingAllocator::new();
        let result = (self.0)(&alloc).map(drop);
        (result, alloc.attempts())
    }

    fn clean(&mut self) -> (Result<(), E>, LeakReport) {
        let alloc = CheckingAllocator::new();
        let result = (self.0)(&alloc).map(drop);
        (result, alloc.report())
    }

    fn count(&mut self, _places: bool) -> (u64, Vec<String>) {
        // The places of an allocator's attempts are not kept.
        (self.pass().1, Vec::new())
    }

    fn failing(&mut self, index: u64) -> Failing {
        let alloc = CheckingAllocator::new().failing_at(index);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (self.0)(&alloc)));
        let wrong = judge(result);
        let first_after = alloc.first_after_failure().map(|stack| {
            let frames = site::resolving(|| stack.program_frames(1));
            frames
                .program
                .first()
                .map_or(frames.why_none(), String::as_str)
                .to_string()
        });
        Failing {
            wrong,
            injected: alloc.injected(),
            after_failure: alloc.after_failure(),
            first_after,
            report: alloc.report(),
        }
    }
}

/// Text written into a buffer on the stack, cut (with `...`) where it
/// would not fit: formatting it allocates nothing.
pub(super) struct StackText {
    bytes: [u8; 400],
    len: usize,
    cut: bool,
}

impl StackText {
    fn new() -> StackText {
        StackText {
            bytes: [0; 400],
            len: 0,
            cut: false,
        }
    }

    pub(super) fn as_str(&self) -> String {
        let text = std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default();
        if self.cut {
            format!("{text}...")
        } else {
            text.to_string()
        }
    }
}

impl fmt::Write for StackText {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let room = self.bytes.len() - self.len;
        let mut take = text.len().min(room);
        while !text.is_char_boundary(take) {
            take -= 1;
        }
        self.bytes[self.len..self.len + take].copy_from_slice(&text.as_bytes()[..take]);
        self.len += take;
        self.cut |= take < text.len();
        Ok(())
    }
}
