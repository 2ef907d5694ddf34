//! Making the Nth allocation fail on purpose.
//!
//! Allocations are numbered from 0 in the order this thread attempts them
//! (`alloc`, `alloc_zeroed` and `realloc` all count) while a count is on.

use std::alloc::Layout;
use std::cell::Cell;
use std::io::Write as _;

use super::hooks;
use super::site::Stack;

/// Set in a child process started by `check_all_allocation_failures`.
pub(super) const CHILD_ENV: &str = "COURSE_LAB_FAIL_AT";
/// Set in a child that must say where its failed allocation was made.
pub(super) const ANNOUNCE_ENV: &str = "COURSE_LAB_ANNOUNCE";
/// The line prefix a child reports with, on stderr.
pub(super) const CHILD_REPORT: &str = "course-lab-child:";

/// This thread's plan: whether allocations are counted, which one fails.
#[derive(Clone, Copy, Debug)]
pub(super) struct FailurePlan {
    counting: bool,
    attempts: u64,
    fail_at: Option<u64>,
    injected: bool,
}

impl FailurePlan {
    pub(super) const OFF: FailurePlan = FailurePlan {
        counting: false,
        attempts: 0,
        fail_at: None,
        injected: false,
    };
}

thread_local! {
    /// Whether to announce an injected failure on stderr (in a child
    /// process, so that its parent knows where it happened even if the
    /// process then aborts).
    static ANNOUNCE: Cell<bool> = const { Cell::new(false) };
}

/// Called by the allocator, with the thread marked busy.
pub(super) fn should_fail(layout: Layout) -> bool {
    let mut plan = hooks::FAILURE.with(Cell::get);
    if !plan.counting {
        return false;
    }
    let index = plan.attempts;
    plan.attempts += 1;
    let fail = plan.fail_at == Some(index);
    plan.injected |= fail;
    hooks::FAILURE.with(|slot| slot.set(plan));
    if fail && ANNOUNCE.with(Cell::get) {
        let frames = Stack::capture().program_frames(1);
        let place = frames
            .program
            .first()
            .map_or(frames.why_none(), String::as_str);
        let _ = writeln!(
            std::io::stderr(),
            "{CHILD_REPORT} failed allocation #{index} ({} bytes) at {place}",
            layout.size()
        );
    }
    fail
}

pub(super) fn announce_failures() {
    ANNOUNCE.with(|a| a.set(true));
}

/// What happened to allocations while [`with_failure_at`] or
/// [`count_allocations`] ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocationCount {
    /// How many allocations were attempted.
    pub attempts: u64,
    /// Whether the planned failure happened.
    pub injected: bool,
}

fn run_with_plan<R>(fail_at: Option<u64>, f: impl FnOnce() -> R) -> (R, AllocationCount) {
    let plan = FailurePlan {
        counting: true,
        fail_at,
        ..FailurePlan::OFF
    };
    let previous = hooks::FAILURE.with(|slot| slot.replace(plan));
    let restore = scopeguard::guard(previous, |previous| {
        hooks::FAILURE.with(|slot| slot.set(previous));
    });
    let result = f();
    let plan = hooks::FAILURE.with(Cell::get);
    drop(restore);
    let count = AllocationCount {
        attempts: plan.attempts,
        injected: plan.injected,
    };
    (result, count)
}

/// Runs `f` and counts the allocations it attempts on this thread.
///
/// ```
/// # #[global_allocator]
/// # static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;
/// let (_, count) = course::lab::count_allocations(|| (vec![1u8], vec![2u8]));
/// assert_eq!(count.attempts, 2);
/// ```
pub fn count_allocations<R>(f: impl FnOnce() -> R) -> (R, AllocationCount) {
    run_with_plan(None, f)
}

/// Runs `f` with its allocation number `index` (from 0) failing.
///
/// Only run code whose allocations are all fallible (`try_reserve` and the
/// like): an injected failure that reaches `vec!`, `Box::new` or `push`
/// aborts the process. [`check_all_allocation_failures`](super::check_all_allocation_failures)
/// runs each attempt in a child process for that reason.
///
/// ```
/// # #[global_allocator]
/// # static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;
/// let (result, count) = course::lab::with_failure_at(1, || {
///     let mut first: Vec<u8> = Vec::new();
///     let mut second: Vec<u8> = Vec::new();
///     first.try_reserve(8).and_then(|()| second.try_reserve(8))
/// });
/// assert!(result.is_err());
/// assert!(count.injected);
/// ```
pub fn with_failure_at<R>(index: u64, f: impl FnOnce() -> R) -> (R, AllocationCount) {
    run_with_plan(Some(index), f)
}
