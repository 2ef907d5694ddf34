//! The leak check: which allocations made inside a scope are still live
//! when it ends, where each was made, and whether anything was freed twice.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::hooks;
use super::site::Stack;

/// How many frames of the program a report shows per allocation.
const FRAMES_SHOWN: usize = 6;
/// How many of the blocks freed by another thread a report shows.
const ELSEWHERE_SHOWN: usize = 8;

/// One allocation made inside a leak check.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/allocation.rs")]
/// ```
#[derive(Clone)]
pub struct Allocation {
    /// Size in bytes.
    pub size: usize,
    /// Alignment in bytes.
    pub align: usize,
    stack: Stack,
    /// Whether another thread has freed or resized it (counted once).
    elsewhere: bool,
}

impl Allocation {
    /// The program's frames that led to the allocation, innermost first:
    /// `function (file:line:col)`, the file relative to the project's root
    /// (the same wherever the program runs): in a test of yours, say,
    /// `your_test (tests/cleanup.rs:12:40)`. Frames of the standard library,
    /// of dependencies and of the lab are left out. Empty without debug
    /// information, or if no frame of the project's code made the
    /// allocation; the report says which.
    ///
    /// # Example
    ///
    /// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
    ///
    /// ```
    #[doc = include_str!("../doc-examples/allocation_stack.rs")]
    /// ```
    pub fn stack(&self) -> Vec<String> {
        self.stack.program_frames(FRAMES_SHOWN).program
    }
}

impl fmt::Debug for Allocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes (align {})", self.size, self.align)
    }
}

/// What a leak check saw. Its `Display` is the full report: each leaked
/// block with where it was allocated, then the [summary](LeakReport::summary).
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/leak_report.rs")]
/// ```
#[derive(Debug, Default)]
pub struct LeakReport {
    /// Allocations made inside the check and not freed by its end.
    pub leaks: Vec<Allocation>,
    /// Blocks freed a second time inside the check (the second free was
    /// caught by the lab and never reached the system allocator).
    pub double_frees: Vec<Allocation>,
    /// How many blocks allocated inside the check another thread freed or
    /// resized while it ran. Such a block is not a leak, but the check does
    /// not watch other threads: what they allocate is not seen, so a check
    /// with any such block is not clean (see [`check_leaks`]).
    pub freed_elsewhere: usize,
    /// The first few of those blocks, to show where they were allocated.
    elsewhere: Vec<Allocation>,
    /// How many allocations the check saw (`alloc` and `alloc_zeroed`).
    pub allocations: usize,
    /// How many times a block was resized (`realloc`) while the check ran,
    /// whenever the block was allocated.
    pub reallocations: usize,
    /// How many bytes the check's code asked for: the size of each
    /// allocation, plus what each reallocation added to its block. A block
    /// allocated with 8 bytes and grown to 32 counts 32; shrinking gives
    /// nothing back, so a block shrunk from 100 bytes to 10 and grown to
    /// 100 again counts 190.
    pub bytes_allocated: usize,
}

impl LeakReport {
    /// True if nothing leaked, nothing was freed twice, and no block went
    /// to another thread (whose allocations the check does not see).
    ///
    /// # Example
    ///
    /// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
    ///
    /// ```
    #[doc = include_str!("../doc-examples/leak_report_is_clean.rs")]
    /// ```
    pub fn is_clean(&self) -> bool {
        self.leaks.is_empty() && self.double_frees.is_empty() && self.freed_elsewhere == 0
    }

    /// Bytes still allocated at the end of the check.
    ///
    /// # Example
    ///
    /// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
    ///
    /// ```
    #[doc = include_str!("../doc-examples/leak_report_leaked_bytes.rs")]
    /// ```
    pub fn leaked_bytes(&self) -> usize {
        self.leaks.iter().map(|a| a.size).sum()
    }
}

impl LeakReport {
    /// The report's last line alone: how many allocations leaked and how
    /// many bytes, or that none did. Unlike the full report it names no
    /// allocation site, so printing it never reads debug information.
    ///
    /// # Example
    ///
    /// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
    ///
    /// ```
    #[doc = include_str!("../doc-examples/leak_report_summary.rs")]
    /// ```
    pub fn summary(&self) -> impl fmt::Display + '_ {
        Summary(self)
    }
}

/// See [`LeakReport::summary`].
struct Summary<'a>(&'a LeakReport);

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let report = self.0;
        let allocations = plural(report.allocations, "allocation");
        if report.is_clean() {
            write!(f, "no leaks: {allocations}, ")?;
            if report.reallocations > 0 {
                write!(f, "{}, ", plural(report.reallocations, "reallocation"))?;
            }
            return write!(f, "{} bytes, all freed once", report.bytes_allocated);
        }
        write!(
            f,
            "{} of {allocations} leaked ({} bytes)",
            report.leaks.len(),
            report.leaked_bytes()
        )?;
        if !report.double_frees.is_empty() {
            write!(f, ", {} freed twice", report.double_frees.len())?;
        }
        if report.freed_elsewhere > 0 {
            write!(
                f,
                ", {} freed or resized by another thread: {OTHER_THREADS}",
                report.freed_elsewhere
            )?;
        }
        Ok(())
    }
}

/// Why a block freed by another thread makes a check fail.
const OTHER_THREADS: &str = "the lab does not watch other threads, so this check \
     cannot say that nothing leaked there";

/// `1 allocation`, `2 allocations`.
fn plural(count: usize, noun: &str) -> String {
    let s = if count == 1 { "" } else { "s" };
    format!("{count} {noun}{s}")
}

/// The full report: every leaked and twice-freed allocation with the
/// program's frames that made it, then the [summary](LeakReport::summary).
impl fmt::Display for LeakReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut write_all = |what: &str, allocations: &[Allocation]| -> fmt::Result {
            for allocation in allocations {
                writeln!(f, "{what} {allocation:?}, allocated at:")?;
                let frames = allocation.stack.program_frames(FRAMES_SHOWN);
                if frames.program.is_empty() {
                    writeln!(f, "    {}", frames.why_none())?;
                }
                for frame in frames.program {
                    writeln!(f, "    {frame}")?;
                }
            }
            Ok(())
        };
        write_all("leaked", &self.leaks)?;
        write_all("freed twice:", &self.double_frees)?;
        write_all("freed or resized by another thread:", &self.elsewhere)?;
        if self.freed_elsewhere > self.elsewhere.len() {
            let more = self.freed_elsewhere - self.elsewhere.len();
            writeln!(
                f,
                "and {more} more blocks freed or resized by another thread"
            )?;
        }
        write!(f, "{}", self.summary())
    }
}

/// How many freed blocks, and how many bytes of them, a leak check keeps
/// from the system at most (see `LeakScope::freed`).
const QUARANTINE_BLOCKS: usize = 4096;
const QUARANTINE_BYTES: usize = 16 << 20;

/// The state of a running leak check, reachable from the allocator.
#[derive(Default)]
pub(super) struct LeakScope {
    live: HashMap<usize, Allocation>,
    /// Blocks freed inside the check, kept from the system for a while (a
    /// quarantine): their addresses cannot be reused meanwhile, so a second
    /// free of the same block is recognised as such. The quarantine holds
    /// the latest [`QUARANTINE_BLOCKS`] blocks, [`QUARANTINE_BYTES`] at
    /// most; older ones go back to the system, so that a long check does
    /// not hold on to everything it freed. The pointer is kept as a pointer
    /// (not only as the address) so that freeing it later keeps its
    /// provenance.
    freed: HashMap<usize, (*mut u8, Layout)>,
    /// The addresses in `freed`, oldest first.
    freed_order: VecDeque<usize>,
    freed_bytes: usize,
    double_frees: Vec<Allocation>,
    /// Blocks of `live` that another thread freed or resized: how many,
    /// and the first [`ELSEWHERE_SHOWN`] of them.
    freed_elsewhere: usize,
    elsewhere: Vec<Allocation>,
    allocations: usize,
    reallocations: usize,
    bytes_allocated: usize,
}

/// What a release found in a check.
enum Released {
    /// A block of the check: kept in its quarantine.
    Kept,
    /// A block the check had already seen freed: a double free, not passed
    /// on to the system.
    Twice,
}

impl LeakScope {
    fn acquired(&mut self, ptr: *mut u8, layout: Layout, stack: Stack) {
        self.allocations += 1;
        self.bytes_allocated += layout.size();
        let allocation = Allocation {
            size: layout.size(),
            align: layout.align(),
            stack,
            elsewhere: false,
        };
        self.live.insert(ptr as usize, allocation);
    }

    /// What the check knows of a block being released, `None` if nothing
    /// (allocated before the check started, or by another thread: not ours
    /// to judge). `here`: released by the check's own thread.
    fn released(&mut self, ptr: *mut u8, here: bool) -> Option<Released> {
        let address = ptr as usize;
        if let Some(allocation) = self.live.remove(&address) {
            let kept = Layout::from_size_align(allocation.size, allocation.align)
                .expect("recorded from a valid layout");
            self.quarantine(ptr, kept);
            if !here && !allocation.elsewhere {
                self.went_elsewhere(allocation);
            }
            return Some(Released::Kept);
        }
        self.freed.contains_key(&address).then_some(Released::Twice)
    }

    /// Counts a block that another thread freed or resized.
    fn went_elsewhere(&mut self, allocation: Allocation) {
        self.freed_elsewhere += 1;
        if self.elsewhere.len() < ELSEWHERE_SHOWN {
            self.elsewhere.push(allocation);
        }
    }

    /// Keeps a freed block back, and gives the oldest back to the system
    /// while the quarantine is over its bounds.
    fn quarantine(&mut self, ptr: *mut u8, layout: Layout) {
        self.freed.insert(ptr as usize, (ptr, layout));
        self.freed_order.push_back(ptr as usize);
        self.freed_bytes += layout.size();
        while self.freed_order.len() > QUARANTINE_BLOCKS || self.freed_bytes > QUARANTINE_BYTES {
            let Some(oldest) = self.freed_order.pop_front() else {
                break;
            };
            if let Some((ptr, layout)) = self.freed.remove(&oldest) {
                self.freed_bytes -= layout.size();
                // SAFETY: as in `drop`: this block was allocated by
                // `System` with `layout`, freed once by the program and
                // kept back until now; removing it from `freed` makes this
                // its only release.
                unsafe { System.dealloc(ptr, layout) };
            }
        }
    }

    /// Counts a reallocation made by the check's own thread.
    fn resized(&mut self, old_layout: Layout, new_layout: Layout) {
        self.reallocations += 1;
        self.bytes_allocated += new_layout.size().saturating_sub(old_layout.size());
    }

    /// Follows a block of the check to its new place; false if the block
    /// is not the check's. `here`: resized by the check's own thread.
    fn moved(&mut self, old: *mut u8, new: *mut u8, new_layout: Layout, here: bool) -> bool {
        let Some(mut allocation) = self.live.remove(&(old as usize)) else {
            return false;
        };
        allocation.size = new_layout.size();
        if !here && !allocation.elsewhere {
            allocation.elsewhere = true;
            self.went_elsewhere(allocation.clone());
        }
        self.live.insert(new as usize, allocation);
        true
    }

    fn finish(mut self) -> LeakReport {
        // The blocks kept in `freed` go back to the system when `self` is
        // dropped, at the end of this function (see `Drop`).
        let live = std::mem::take(&mut self.live);
        let mut leaks: Vec<Allocation> = live.into_values().collect();
        leaks.sort_by_key(|a| std::cmp::Reverse(a.size));
        LeakReport {
            leaks,
            double_frees: std::mem::take(&mut self.double_frees),
            freed_elsewhere: self.freed_elsewhere,
            elsewhere: std::mem::take(&mut self.elsewhere),
            allocations: self.allocations,
            reallocations: self.reallocations,
            bytes_allocated: self.bytes_allocated,
        }
    }
}

/// Gives the blocks kept by `released` back to the system: when the check
/// ends, and also when `f` panics and the check is abandoned.
impl Drop for LeakScope {
    fn drop(&mut self) {
        for (_, (ptr, layout)) in self.freed.drain() {
            // SAFETY: `released` kept this block from being freed: it was
            // allocated by `System` (through `LabAllocator`) with this
            // layout, freed once by the program, and is freed here once
            // (`drain` removes it from the map).
            unsafe { System.dealloc(ptr, layout) };
        }
    }
}

thread_local! {
    /// The leak check running on this thread, if any; it is in `RUNNING`
    /// too, and only used while `RUNNING` is locked.
    static OWN: Cell<*mut LeakScope> = const { Cell::new(ptr::null_mut()) };
}

/// Every leak check running in the process, whatever its thread: a block
/// allocated under a check on one thread may be freed or resized by
/// another, which finds the check here. All access to a running check, by
/// its own thread too, happens with this lock held, and never waits for
/// anything else (it captures no stack, see `released`), so it cannot be
/// part of a deadlock. What the lab allocates meanwhile goes straight to
/// the system (the thread is marked busy, see `hooks::as_lab`).
static RUNNING: Mutex<Vec<Running>> = Mutex::new(Vec::new());
/// How many checks `RUNNING` holds: while none runs, a release on a thread
/// without a check does not take the lock.
static RUNNING_COUNT: AtomicUsize = AtomicUsize::new(0);

/// A running check, in `RUNNING`.
struct Running(*mut LeakScope);

// SAFETY: the pointer is only dereferenced with `RUNNING` locked, and while
// it is in `RUNNING` the check it points to is alive and used by nothing
// else (`register`). A check holds plain data (addresses, sizes, captured
// return addresses, blocks to give back to `System`): nothing in it is tied
// to the thread that made it, so any thread may use it under the lock.
unsafe impl Send for Running {}

fn running() -> MutexGuard<'static, Vec<Running>> {
    // A panic under the lock leaves the lists as consistent as a return.
    RUNNING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `f` on every running check, this thread's first (`here` true),
/// until `f` returns `Some`. Taking the guard proves the lock is held.
fn find<T>(
    running: &MutexGuard<'static, Vec<Running>>,
    mut f: impl FnMut(&mut LeakScope, bool) -> Option<T>,
) -> Option<T> {
    let own = OWN.with(Cell::get);
    let others = running.iter().map(|r| r.0).filter(|&scope| scope != own);
    for (scope, here) in std::iter::once((own, true)).chain(others.map(|s| (s, false))) {
        // SAFETY: `scope` is null, or in `RUNNING` (`own` is whenever it
        // is not null: `register` sets both at once), whose lock `running`
        // holds (see `Running`). One reference at a time, each to a
        // different check (`own` is skipped among the others).
        if let Some(scope) = unsafe { scope.as_mut() }
            && let Some(found) = f(scope, here)
        {
            return Some(found);
        }
    }
    None
}

/// Called by the allocator (the thread marked busy) after an allocation.
pub(super) fn acquired(ptr: *mut u8, layout: Layout) {
    let own = OWN.with(Cell::get);
    if own.is_null() {
        return;
    }
    // Walking the stack may wait for the dynamic loader's lock, so it is
    // done before taking `RUNNING`, never under it.
    let stack = Stack::capture();
    let _running = running();
    // SAFETY: `own` is in `RUNNING`, locked above (see `Running`).
    unsafe { &mut *own }.acquired(ptr, layout, stack);
}

/// Called by the allocator (the thread marked busy) when `ptr` is freed;
/// returns whether to free it now. A check keeps the blocks freed under it
/// back for a while (see `LeakScope::freed`), whichever thread frees them.
pub(super) fn released(ptr: *mut u8, layout: Layout) -> bool {
    if OWN.with(Cell::get).is_null() && RUNNING_COUNT.load(Ordering::SeqCst) == 0 {
        return true;
    }
    let found = find(&running(), |scope, here| {
        scope
            .released(ptr, here)
            .map(|found| (found, ptr::from_mut(scope)))
    });
    match found {
        None => true,
        Some((Released::Kept, _)) => false,
        Some((Released::Twice, scope)) => {
            // The stack of the second free, captured without the lock (see
            // `acquired`); the check may have ended meanwhile.
            let stack = Stack::capture();
            let running = running();
            if running.iter().any(|r| r.0 == scope) {
                let twice = Allocation {
                    size: layout.size(),
                    align: layout.align(),
                    stack,
                    elsewhere: false,
                };
                // SAFETY: `scope` is in `RUNNING`, locked above.
                unsafe { &mut *scope }.double_frees.push(twice);
            }
            false
        }
    }
}

/// Called by the allocator (the thread marked busy) after `realloc` moved
/// or resized a block.
pub(super) fn moved(old: *mut u8, old_layout: Layout, new: *mut u8, new_layout: Layout) {
    let own = OWN.with(Cell::get);
    if own.is_null() && RUNNING_COUNT.load(Ordering::SeqCst) == 0 {
        return;
    }
    let running = running();
    // SAFETY: `own` is null or in `RUNNING`, locked above; the reference
    // ends before `find` makes its own.
    if let Some(own) = unsafe { own.as_mut() } {
        own.resized(old_layout, new_layout);
    }
    find(&running, |scope, here| {
        scope.moved(old, new, new_layout, here).then_some(())
    });
}

/// Makes `scope` this thread's running check, reachable from every thread,
/// until the returned guard is dropped.
///
/// # Safety
/// `scope` must stay valid, and must not be used through any other
/// reference, until the returned guard is dropped.
unsafe fn register(scope: *mut LeakScope) -> impl Drop {
    let add = || {
        running().push(Running(scope));
        OWN.with(|own| own.set(scope));
        RUNNING_COUNT.fetch_add(1, Ordering::SeqCst);
    };
    // As the lab: what the list allocates must not come back here (the
    // lock is held). The thread cannot be busy here; if it were, nothing
    // could come back here either.
    if hooks::as_lab(add).is_none() {
        add();
    }
    scopeguard::guard(scope, |scope| {
        let remove = || {
            let mut running = running();
            running.retain(|r| r.0 != scope);
            if running.is_empty() {
                // Gives the list's block back: a program that ran checks
                // ends with nothing of the lab still allocated.
                *running = Vec::new();
            }
            drop(running);
            OWN.with(|own| own.set(ptr::null_mut()));
            RUNNING_COUNT.fetch_sub(1, Ordering::SeqCst);
        };
        if hooks::as_lab(remove).is_none() {
            remove();
        }
    })
}

/// Runs `f` and reports every allocation it made on this thread that was
/// still live when it returned, and every block it freed twice.
///
/// Only the allocations this thread makes are watched, so tests running
/// in parallel do not disturb each other. A block `f` allocates and
/// another thread frees (or resizes) is followed there: it is not a leak.
/// But the check does not see what other threads allocate, so a thread
/// that `f` spawns can leak unseen; whenever a block of the check went to
/// another thread ([`LeakReport::freed_elsewhere`]; every thread spawned
/// inside the check frees the spawn's own bookkeeping), the report is not
/// clean and says why. Code that signals another thread without handing
/// it any block allocated inside the check is beyond what the lab sees.
///
/// # Panics
/// If [`LabAllocator`](super::LabAllocator) is not the global allocator, or
/// if a leak check is already running on this thread.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/check_leaks.rs")]
/// ```
pub fn check_leaks<R>(f: impl FnOnce() -> R) -> (R, LeakReport) {
    assert!(
        OWN.with(|own| own.get().is_null()),
        "leak checks do not nest"
    );
    hooks::assert_installed();
    let mut scope = LeakScope::default();
    let result = {
        // SAFETY: `scope` outlives the guard, which is dropped at the end
        // of this block, and is not used here until then.
        let _registered = unsafe { register(&mut scope) };
        f()
    };
    (result, scope.finish())
}

/// Runs `f` and panics with a report if it leaked or freed twice.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/assert_no_leaks.rs")]
/// ```
#[track_caller]
pub fn assert_no_leaks<R>(f: impl FnOnce() -> R) -> R {
    let (result, report) = check_leaks(f);
    if !report.is_clean() {
        panic!("leak check failed:\n{report}");
    }
    result
}
