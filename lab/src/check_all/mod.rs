//! `check_all_allocation_failures`: fail each allocation of a function in
//! turn, and demand an out-of-memory error and no leak every time.
//!
//! Why child processes: Rust's infallible allocation paths (`vec!`,
//! `Box::new`, `push`, `format!`) abort the process when an allocation
//! fails, and no stable API can stop that. So every failure point runs in a
//! fresh copy of the current program (the same test, or the same binary with
//! the same arguments), and an abort there becomes a clear test failure
//! here, naming the allocation that reached an infallible path.

mod child;
mod parent;
mod subject;

use std::cell::Cell;
use std::collections::TryReserveError;
use std::fmt;
use std::panic::Location;

use crate::CheckingAllocator;
pub use child::is_failure_check_child;
use subject::Subject;

/// An error that can tell whether it means "out of memory", as
/// [`check_all_allocation_failures`] demands of every run it fails. The lab
/// implements it for `TryReserveError` and `std::io::Error`; implement it
/// for your own error type:
///
/// ```
#[doc = include_str!("../../doc-examples/out_of_memory.rs")]
/// ```
pub trait OutOfMemory {
    /// True if this error reports a failed allocation.
    ///
    /// # Example
    ///
    /// ```
    #[doc = include_str!("../../doc-examples/out_of_memory_is_out_of_memory.rs")]
    /// ```
    fn is_out_of_memory(&self) -> bool;
}

impl OutOfMemory for TryReserveError {
    fn is_out_of_memory(&self) -> bool {
        true
    }
}

/// allocator_api2's error of a collection that takes an allocator: out of
/// memory when the allocator said no, not when the size overflowed.
impl OutOfMemory for allocator_api2::collections::TryReserveError {
    fn is_out_of_memory(&self) -> bool {
        matches!(
            self.kind(),
            allocator_api2::collections::TryReserveErrorKind::AllocError { .. }
        )
    }
}

impl OutOfMemory for std::io::Error {
    fn is_out_of_memory(&self) -> bool {
        self.kind() == std::io::ErrorKind::OutOfMemory
    }
}

/// What [`check_all_allocation_failures`] found.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../../doc-examples/failure_check.rs")]
/// ```
#[derive(Debug)]
pub struct FailureCheck<E> {
    /// How many allocations the function attempts, each of which was made
    /// to fail once.
    pub failure_points: u64,
    /// How many of them were made to fail: all, unless
    /// [`AllocationFailures::at_most`] or `CLEANUP_LAB_ONLY` chose fewer.
    pub tried: u64,
    /// The places (`function (file:line:col)`) of the allocations that
    /// were never made to fail, when not every failure point was tried;
    /// each place once.
    pub never_failed: Vec<String>,
    /// What the function returned when no allocation failed. A success
    /// value is dropped inside the check (what `f` returns must be freed for
    /// the check to pass); an error is kept for you to inspect, so it must
    /// not own heap memory.
    pub result: Result<(), E>,
}

/// Set in a child process: what it runs (`count`, or the index of the
/// allocation to fail), then the parent's process id.
const CHILD_ENV: &str = "CLEANUP_LAB_CHILD";
/// Set in a child process: which check it runs (see [`CheckId`]), as
/// `ORDINAL:LINE:COLUMN:FILE`.
const CHECK_ENV: &str = "CLEANUP_LAB_CHECK";
/// Set in a child process: the name of the check's thread.
const THREAD_ENV: &str = "CLEANUP_LAB_THREAD";
/// Set in a child that must say where its failed allocation was made.
const ANNOUNCE_ENV: &str = "CLEANUP_LAB_ANNOUNCE";
/// Read by the parent: how many seconds a child may run.
const TIME_LIMIT_ENV: &str = "CLEANUP_LAB_TIME_LIMIT";
/// Read by the parent: the only failure points to try, numbered from 1 as
/// reports number them (`7` or `3,7`).
const ONLY_ENV: &str = "CLEANUP_LAB_ONLY";
/// Set in a child that must report allocations made after the failure.
const NOTHING_AFTER_ENV: &str = "CLEANUP_LAB_NOTHING_AFTER";
/// Set in a child that counts, when it must name the place of each
/// allocation it counts.
const SITES_ENV: &str = "CLEANUP_LAB_SITES";

thread_local! {
    /// How many checks this thread has started: a child process is told
    /// which one to run, since a test may contain several.
    static CHECKS_STARTED: Cell<u32> = const { Cell::new(0) };
}

/// One call of [`check_all_allocation_failures`], as a child process finds
/// it again: the thread it runs on (a test's thread is named after the
/// test), how many checks that thread started before it, and its place in
/// the source.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CheckId {
    thread: String,
    ordinal: u32,
    line: u32,
    column: u32,
    file: String,
}

impl CheckId {
    fn here(thread: &str, ordinal: u32, location: &Location<'_>) -> CheckId {
        CheckId {
            thread: thread.to_string(),
            ordinal,
            line: location.line(),
            column: location.column(),
            file: location.file().to_string(),
        }
    }
}

/// Runs `f` once with no failure, then once for each allocation it
/// attempts with that allocation failing, and panics unless every such run
/// returns an out-of-memory error and leaks nothing (a run that panics is
/// reported with its panic's message). The run without a
/// failure must leak nothing either; its result is returned for the caller
/// to check.
///
/// Each failing run happens in a child process that re-runs the current
/// test (or program) up to this call, so `f` must behave the same way every
/// time it runs. The child runs exactly this test (ignored or not), and
/// finds this call again by its thread, its place in the source and how
/// many checks its thread ran before it. One more child runs `f` without a
/// failure, only to count its allocations there: the failure points are
/// those the children make, which may be more or fewer than this process
/// made (a path under the child's own `TMPDIR`, below, is longer, and a
/// longer path can take one more reallocation to build).
/// `failure_points` is the children's count.
///
/// A child that runs longer than a minute is stopped, and the check fails
/// saying which allocation's failure made the function hang; the variable
/// `CLEANUP_LAB_TIME_LIMIT` sets another limit, in seconds.
///
/// A child process ends without running destructors: it exits once it has
/// reported, or aborts when an infallible allocation gets the failure. So
/// each child gets a temporary directory of its own, as `TMPDIR`, which is
/// removed when the child ends: what the test creates in the temporary
/// directory before the check (a `tempfile::TempDir`, say) goes with it.
/// What the test creates anywhere else stays, once per child.
///
/// # Panics
/// If a run goes wrong (see above), or if the check cannot be found again
/// in a child: on a thread without a name, or on a thread named `main`
/// that is not the program's main thread.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../../doc-examples/check_all_allocation_failures.rs")]
/// ```
#[track_caller]
pub fn check_all_allocation_failures<T, E>(f: impl FnMut() -> Result<T, E>) -> FailureCheck<E>
where
    E: OutOfMemory + fmt::Debug,
{
    AllocationFailures::new().check(f)
}

/// A [`check_all_allocation_failures`] with options: demand that nothing
/// is allocated once the failure happened, or try only some of many
/// failure points.
///
/// Whatever the options, the variable `CLEANUP_LAB_ONLY` (`7`, or `3,7`)
/// makes a check try only those failure points, numbered as its reports
/// number them: a failing check prints the command that tries one again.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../../doc-examples/allocation_failures.rs")]
/// ```
#[derive(Clone, Debug, Default)]
pub struct AllocationFailures {
    nothing_after: bool,
    at_most: Option<u64>,
}

impl AllocationFailures {
    /// The options of [`check_all_allocation_failures`]: every failure
    /// point tried; allocations after the failure allowed;
    /// see the example of [`AllocationFailures`].
    pub fn new() -> AllocationFailures {
        AllocationFailures::default()
    }

    /// Demands that nothing is allocated after the failed allocation: a
    /// run that attempts one more allocation (to build an error message,
    /// say, or in a cleanup path) goes wrong, and the check names where
    /// the first one was made. A cleanup path that never allocates cannot
    /// fail for lack of memory;
    /// see the example of [`AllocationFailures`].
    pub fn nothing_after_the_failure(mut self) -> AllocationFailures {
        self.nothing_after = true;
        self
    }

    /// Tries at most `points` failure points, spread evenly over all of
    /// them (the first and the last among them), for a function that
    /// allocates thousands of times. The check says which places of the
    /// code it never made fail ([`FailureCheck::never_failed`]), and
    /// prints how many points it tried;
    /// see the example of [`AllocationFailures`].
    ///
    /// # Panics
    /// If `points` is 0.
    pub fn at_most(mut self, points: u64) -> AllocationFailures {
        assert!(
            points > 0,
            "AllocationFailures::at_most(0): no point to try"
        );
        self.at_most = Some(points);
        self
    }

    /// Runs the check with these options (see
    /// [`check_all_allocation_failures`] for what it does and demands);
    /// see the example of [`AllocationFailures`].
    #[track_caller]
    pub fn check<T, E>(&self, f: impl FnMut() -> Result<T, E>) -> FailureCheck<E>
    where
        E: OutOfMemory + fmt::Debug,
    {
        self.check_subject(subject::Global(f), Location::caller())
    }

    /// Runs the check of a function that takes an allocator, giving it a
    /// [`CheckingAllocator`](crate::CheckingAllocator) that watches its
    /// allocations, as [`check_all_allocation_failures_in`] does;
    /// see the example of [`check_all_allocation_failures_in`].
    #[track_caller]
    pub fn check_in<T, E>(
        &self,
        f: impl FnMut(&CheckingAllocator) -> Result<T, E>,
    ) -> FailureCheck<E>
    where
        E: OutOfMemory + fmt::Debug,
    {
        self.check_subject(subject::WithAllocator(f), Location::caller())
    }

    // Its panics name the caller's line, as the checks' other failures do.
    #[track_caller]
    fn check_subject<S: Subject>(
        &self,
        mut subject: S,
        location: &Location<'_>,
    ) -> FailureCheck<S::Error> {
        let ordinal = CHECKS_STARTED.with(|n| n.replace(n.get() + 1));
        let thread = std::thread::current();
        let id = thread
            .name()
            .map(|name| CheckId::here(name, ordinal, location));
        if let Some(target) = child::target() {
            // As early as the lab can: before this check's function runs.
            child::nonce();
            if id.as_ref() == Some(&target.check) {
                child::run(target.run, &mut subject);
            }
            // Another check of the same test: get past it, answering as
            // the parent did, so that the test's own assertions still hold.
            let (result, attempts) = subject.pass();
            return FailureCheck {
                failure_points: attempts,
                tried: attempts,
                never_failed: Vec::new(),
                result,
            };
        }

        let Some(id) = id else {
            panic!("{}", parent::UNNAMED_THREAD);
        };
        parent::assert_found_again(&id);
        // The children's own count (below) numbers the failure points.
        let (result, report) = subject.clean();
        if !report.is_clean() {
            panic!("the run without any failure is not clean:\n{report}");
        }
        let plan = parent::Plan {
            nothing_after: self.nothing_after,
            at_most: self.at_most,
        };
        let tried = match parent::run_all(&id, &plan) {
            Ok(tried) => tried,
            Err(problem) => panic!("{problem}"),
        };
        FailureCheck {
            failure_points: tried.failure_points,
            tried: tried.tried,
            never_failed: tried.never_failed,
            result,
        }
    }
}

/// [`check_all_allocation_failures`] for a function that takes an
/// allocator (allocator_api2's `Allocator`, as its `Vec<T, A>` takes it):
/// each run gets a fresh
/// [`CheckingAllocator`](crate::CheckingAllocator), which fails the
/// chosen allocation and reports what is still live once the function
/// returns. The lab need not be the global allocator, and what the
/// function allocates through the global allocator is not checked. Each
/// failing run happens in a child process, as for
/// [`check_all_allocation_failures`].
///
/// What `f` returns cannot borrow the allocator (it lives only for the
/// call): drop what was made with it inside `f`, and return something of
/// its own, as the example does.
///
/// # Example
///
/// ```
#[doc = include_str!("../../doc-examples/check_all_allocation_failures_in.rs")]
/// ```
#[track_caller]
pub fn check_all_allocation_failures_in<T, E>(
    f: impl FnMut(&CheckingAllocator) -> Result<T, E>,
) -> FailureCheck<E>
where
    E: OutOfMemory + fmt::Debug,
{
    AllocationFailures::new().check_in(f)
}
