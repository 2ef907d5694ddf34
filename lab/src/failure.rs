//! Making the Nth allocation fail on purpose.
//!
//! Allocations are numbered from 0 in the order this thread attempts them
//! (`alloc`, `alloc_zeroed` and `realloc` all count) while a count is on.
//! Counts nest: each counts the attempts made while it runs, those of the
//! counts inside it included.

use std::alloc::Layout;
use std::cell::Cell;
use std::io::Write as _;
use std::ptr;

use super::site::Stack;

/// The line prefix a child process of `check_all_allocation_failures`
/// reports with, on stderr.
pub(super) const CHILD_REPORT: &str = "cleanup-lab-child:";

/// One running [`count_allocations`] or [`with_failure_at`]: it lives on
/// the stack of `run_with_plan`, which links it in front of the plans
/// already running on the thread (the calls around it) and unlinks it when
/// it ends. Every running plan counts every attempt: an outer count
/// includes an inner one's allocations, and an outer plan's failure
/// happens even inside an inner count.
struct Plan {
    /// The thread's attempt number when this plan started.
    start: u64,
    /// Which attempt, numbered like `start`, must fail.
    fail_at: Option<u64>,
    /// Whether this plan's failure happened.
    injected: Cell<bool>,
    /// Allocations attempted after that failure, and where the first was.
    after: Cell<u64>,
    first_after: Cell<Option<Stack>>,
    /// The plan this one runs inside, or null.
    outer: *const Plan,
}

thread_local! {
    /// Allocation attempts made on this thread while a plan ran.
    static ATTEMPTS: Cell<u64> = const { Cell::new(0) };
    /// Whether to keep the stack of every attempt made under a plan (a
    /// child that counts, for a check that tries only some failure points
    /// and names the places it did not try).
    static RECORD_SITES: Cell<bool> = const { Cell::new(false) };
    /// Those stacks, in the order of the attempts; allocated by the lab
    /// (the thread is busy when they are pushed).
    static SITES: std::cell::RefCell<Vec<Stack>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Where the last plan that ended saw its first allocation after its
    /// failure (see `first_after_failure`).
    static FIRST_AFTER: Cell<Option<Stack>> = const { Cell::new(None) };
    /// The innermost running plan, or null.
    static PLANS: Cell<*const Plan> = const { Cell::new(ptr::null()) };
    /// Whether to announce an injected failure on stderr (in a child
    /// process, so that its parent knows where it happened even if the
    /// process then aborts).
    static ANNOUNCE: Cell<bool> = const { Cell::new(false) };
}

/// Called by the allocator, with the thread marked busy.
pub(super) fn should_fail(layout: Layout) -> bool {
    let mut plan = PLANS.with(Cell::get);
    if plan.is_null() {
        return false;
    }
    let attempt = ATTEMPTS.with(|attempts| attempts.replace(attempts.get() + 1));
    // The attempt's number in the innermost plan that fails it.
    let mut failing = None;
    // SAFETY: a non-null pointer in `PLANS`, or in a plan's `outer`, is a
    // plan that `run_with_plan` linked on this thread and that lives on
    // its stack; `run_with_plan` unlinks it before it returns or unwinds,
    // so it is valid here. Only shared references are made, and `injected`
    // is a `Cell`.
    while let Some(running) = unsafe { plan.as_ref() } {
        if running.injected.get() && running.after.replace(running.after.get() + 1) == 0 {
            running.first_after.set(Some(Stack::capture()));
        }
        if running.fail_at == Some(attempt) {
            running.injected.set(true);
            failing.get_or_insert(attempt - running.start);
        }
        plan = running.outer;
    }
    if RECORD_SITES.with(Cell::get) {
        let stack = Stack::capture();
        let _ = SITES.try_with(|sites| sites.borrow_mut().push(stack));
    }
    let Some(index) = failing else {
        return false;
    };
    if ANNOUNCE.with(Cell::get) {
        let frames = Stack::capture().program_frames(1);
        let place = frames
            .program
            .first()
            .map_or(frames.why_none(), String::as_str);
        let _ = writeln!(
            std::io::stderr(),
            "{CHILD_REPORT} failed allocation #{} ({} bytes) at {place}",
            index + 1,
            layout.size()
        );
    }
    true
}

/// Where the last `with_failure_at` that ended on this thread saw the
/// first allocation after its failure: `function (file:line:col)`, if any.
pub(super) fn first_after_failure() -> Option<String> {
    let stack = FIRST_AFTER.with(Cell::get)?;
    let frames = crate::site::resolving(|| stack.program_frames(1));
    Some(
        frames
            .program
            .first()
            .map_or(frames.why_none(), String::as_str)
            .to_string(),
    )
}

/// Runs `f`, keeping the stack of every allocation it attempts under a
/// plan; returns, with its result, the place of each (the first frame of
/// the program), in order.
pub(super) fn with_sites<R>(f: impl FnOnce() -> R) -> (R, Vec<String>) {
    RECORD_SITES.with(|record| record.set(true));
    let result = f();
    RECORD_SITES.with(|record| record.set(false));
    let stacks = SITES.with(|sites| crate::hooks::quietly(|| sites.take()));
    let places = crate::site::resolving(|| {
        let places = stacks
            .iter()
            .map(|stack| {
                let frames = stack.program_frames(1);
                frames
                    .program
                    .first()
                    .map_or(frames.why_none(), String::as_str)
                    .to_string()
            })
            .collect();
        drop(stacks);
        places
    });
    (result, places)
}

pub(super) fn announce_failures() {
    ANNOUNCE.with(|a| a.set(true));
}

/// What happened to allocations while [`with_failure_at`] or
/// [`count_allocations`] ran.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/allocation_count.rs")]
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocationCount {
    /// How many allocations were attempted.
    pub attempts: u64,
    /// Whether the planned failure happened.
    pub injected: bool,
    /// How many allocations were attempted after the planned failure: a
    /// cleanup path that allocates has some.
    pub after_failure: u64,
}

fn run_with_plan<R>(fail_at: Option<u64>, f: impl FnOnce() -> R) -> (R, AllocationCount) {
    // Without the lab every count would be 0 and no failure would happen:
    // a count of 0 would look like proof that nothing allocates.
    crate::hooks::assert_installed();
    let start = ATTEMPTS.with(Cell::get);
    let plan = Plan {
        start,
        // An index beyond the attempts a thread can count never fails.
        fail_at: fail_at.and_then(|index| start.checked_add(index)),
        injected: Cell::new(false),
        after: Cell::new(0),
        first_after: Cell::new(None),
        outer: PLANS.with(Cell::get),
    };
    PLANS.with(|plans| plans.set(&plan));
    // Unlinked however `f` ends, before `plan` goes out of scope.
    let unlink = scopeguard::guard(plan.outer, |outer| PLANS.with(|plans| plans.set(outer)));
    let result = f();
    drop(unlink);
    let count = AllocationCount {
        attempts: ATTEMPTS.with(Cell::get) - start,
        injected: plan.injected.get(),
        after_failure: plan.after.get(),
    };
    FIRST_AFTER.with(|first| first.set(plan.first_after.get()));
    (result, count)
}

/// Runs `f` and counts the allocations it attempts on this thread.
///
/// # Panics
/// If [`LabAllocator`](crate::LabAllocator) is not the global allocator.
///
/// Counts nest exactly: a count inside `f` sees only the allocations made
/// while it runs, and this one counts those too. A failure planned by a
/// [`with_failure_at`] around this call still happens inside it.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/count_allocations.rs")]
/// ```
pub fn count_allocations<R>(f: impl FnOnce() -> R) -> (R, AllocationCount) {
    run_with_plan(None, f)
}

/// Runs `f` with its allocation number `index` (from 0) failing (it panics
/// if [`LabAllocator`](crate::LabAllocator) is not the global allocator): index 0
/// is the first allocation, which the lab's reports call allocation #1,
/// as a trace numbers the first block #1.
///
/// It nests like [`count_allocations`]: `index` counts every allocation
/// `f` attempts, those inside a count or another `with_failure_at`
/// included, and the failures planned around this call still happen.
/// [`AllocationCount::injected`] says whether this call's own failure
/// happened.
///
/// Only run code whose allocations are all fallible (`try_reserve` and the
/// like): an injected failure that reaches `vec!`, `Box::new` or `push`
/// aborts the process. [`check_all_allocation_failures`](super::check_all_allocation_failures)
/// runs each attempt in a child process for that reason.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/with_failure_at.rs")]
/// ```
pub fn with_failure_at<R>(index: u64, f: impl FnOnce() -> R) -> (R, AllocationCount) {
    run_with_plan(Some(index), f)
}
