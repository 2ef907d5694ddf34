//! The leak check: which allocations made inside a scope are still live
//! when it ends, where each was made, and whether anything was freed twice.

mod report;
mod scope;

use std::alloc::Layout;
use std::cell::Cell;
use std::ops::{Deref, DerefMut};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

pub use report::{Allocation, LeakReport};
use scope::{LeakScope, Released};

/// The allocator a block came from, which takes it back: `'static`, so
/// that a check can keep a freed block and give it back later.
pub(super) type Owner = &'static (dyn std::alloc::GlobalAlloc + Sync);

use super::hooks;
use super::site::{self, Stack};

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
/// How many addresses the running checks remember as given back to the
/// system (see `LeakScope::given_back`): while there are none, an
/// allocation on a thread without a check does not take the lock.
static REMEMBERED: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Whether this thread holds `RUNNING`'s lock.
    static HOLDS_RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// A running check, in `RUNNING`.
struct Running(*mut LeakScope);

// SAFETY: the pointer is only dereferenced with `RUNNING` locked, and while
// it is in `RUNNING` the check it points to is alive and used by nothing
// else (`register`). A check holds plain data (addresses, sizes, captured
// return addresses, blocks to give back to `Sync` allocators): nothing in it is tied
// to the thread that made it, so any thread may use it under the lock.
unsafe impl Send for Running {}

/// `RUNNING`, locked; the thread is marked as holding it until the guard
/// is dropped.
struct Locked(MutexGuard<'static, Vec<Running>>);

impl Deref for Locked {
    type Target = Vec<Running>;
    fn deref(&self) -> &Vec<Running> {
        &self.0
    }
}

impl DerefMut for Locked {
    fn deref_mut(&mut self) -> &mut Vec<Running> {
        &mut self.0
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        let _ = HOLDS_RUNNING.try_with(|holds| holds.set(false));
    }
}

fn running() -> Locked {
    // A panic under the lock leaves the lists as consistent as a return.
    let guard = RUNNING.lock().unwrap_or_else(PoisonError::into_inner);
    let _ = HOLDS_RUNNING.try_with(|holds| holds.set(true));
    Locked(guard)
}

/// Runs `f` on every running check, this thread's first (`here` true),
/// until `f` returns `Some`. Taking the guard proves the lock is held.
fn find<T>(running: &Locked, mut f: impl FnMut(&mut LeakScope, bool) -> Option<T>) -> Option<T> {
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

/// Tells every running check that `address` holds a new block.
fn reused(running: &Locked, address: *mut u8) {
    if REMEMBERED.load(Ordering::SeqCst) == 0 {
        return;
    }
    for r in running.iter() {
        // SAFETY: in `RUNNING`, locked by `running` (see `Running`); one
        // reference at a time.
        unsafe { &mut *r.0 }.reused(address as usize);
    }
}

/// Called by the allocator (the thread marked busy) after an allocation.
pub(super) fn acquired(ptr: *mut u8, layout: Layout) {
    let own = OWN.with(Cell::get);
    if own.is_null() && REMEMBERED.load(Ordering::SeqCst) == 0 {
        return;
    }
    // Walking the stack may wait for the dynamic loader's lock, so it is
    // done before taking `RUNNING`, never under it.
    let depth = if std::thread::panicking() {
        site::PANIC_DEPTH
    } else {
        usize::MAX
    };
    let stack = (!own.is_null()).then(|| Stack::capture_up_to(depth));
    let running = running();
    reused(&running, ptr);
    // SAFETY: `own` is null or in `RUNNING`, locked above (see `Running`).
    if let (Some(own), Some(stack)) = (unsafe { own.as_mut() }, stack) {
        own.acquired(ptr, layout, &stack);
    }
}

/// Called by the allocator after an allocation the lab made for itself
/// (the thread was busy already): it goes unobserved, but its address may
/// be one that a check remembers as given back. The lab's allocations made
/// while `RUNNING` is locked are the checks' own tables, which only the lab
/// frees (unobserved): they are the one exception, since the lock cannot be
/// taken twice.
pub(super) fn acquired_by_lab(ptr: *mut u8) {
    if REMEMBERED.load(Ordering::SeqCst) == 0 || HOLDS_RUNNING.try_with(Cell::get).unwrap_or(true) {
        return;
    }
    reused(&running(), ptr);
}

/// Called by the allocator (the thread marked busy) when `ptr` is freed;
/// returns whether to free it now. A check keeps the blocks freed under it
/// back for a while (see `LeakScope::freed`), whichever thread frees them.
pub(super) fn released(ptr: *mut u8, layout: Layout, owner: Owner) -> bool {
    if OWN.with(Cell::get).is_null() && RUNNING_COUNT.load(Ordering::SeqCst) == 0 {
        return true;
    }
    let locked = running();
    let found = find(&locked, |scope, here| {
        scope
            .released(ptr, here, owner)
            .map(|found| (found, ptr::from_mut(scope)))
    });
    let own = OWN.with(Cell::get);
    if found.is_none() && !own.is_null() {
        // SAFETY: `own` is in `RUNNING`, locked by `locked`; no other
        // reference to it is alive (`find` has returned).
        unsafe { &mut *own }.keep_unknown(ptr, layout, owner);
        return false;
    }
    drop(locked);
    match found {
        None => true,
        Some((Released::Kept, _)) => false,
        Some((Released::Twice(origin), scope)) => {
            // The stack of the second free, captured without the lock (see
            // `acquired`); the check may have ended meanwhile.
            let second = std::sync::Arc::new(Stack::capture());
            let running = running();
            if running.iter().any(|r| r.0 == scope) {
                // SAFETY: `scope` is in `RUNNING`, locked above.
                unsafe { &mut *scope }.freed_twice(Allocation::freed_twice(layout, origin, second));
            }
            false
        }
    }
}

/// Called by the allocator (the thread marked busy) before it resizes
/// `ptr`: true if a running check saw that block freed (and nothing has
/// reused its address since), which the resize would free once more; the
/// check reports it as freed twice, and the resize must not happen.
pub(super) fn resized_after_free(ptr: *mut u8, layout: Layout) -> bool {
    if RUNNING_COUNT.load(Ordering::SeqCst) == 0 {
        return false;
    }
    let stack = std::sync::Arc::new(Stack::capture());
    let running = running();
    find(&running, |scope, _| {
        let origin = scope.has_freed(ptr)?;
        let second = std::sync::Arc::clone(&stack);
        scope.freed_twice(Allocation::freed_twice(layout, origin, second));
        Some(())
    })
    .is_some()
}

/// Called by the allocator (the thread marked busy) after `realloc` moved
/// or resized a block.
pub(super) fn moved(old: *mut u8, old_layout: Layout, new: *mut u8, new_layout: Layout) {
    let own = OWN.with(Cell::get);
    if own.is_null() && RUNNING_COUNT.load(Ordering::SeqCst) == 0 {
        return;
    }
    let running = running();
    reused(&running, new);
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
#[doc = include_str!("../../doc-examples/check_leaks.rs")]
/// ```
#[track_caller]
pub fn check_leaks<R>(f: impl FnOnce() -> R) -> (R, LeakReport) {
    assert!(
        OWN.with(|own| own.get().is_null()),
        "leak checks do not nest"
    );
    hooks::assert_installed();
    hooks::quietly(warm_up_std);
    // The check's own tables are the lab's: freed quietly, however `f`
    // ends (see `acquired_by_lab`).
    let mut scope = scopeguard::guard(LeakScope::default(), |scope| {
        hooks::quietly(|| drop(scope));
    });
    let result = {
        // SAFETY: `scope` outlives the guard, which is dropped at the end
        // of this block, and is not used here until then.
        let _registered = unsafe { register(&mut *scope) };
        f()
    };
    let scope = scopeguard::ScopeGuard::into_inner(scope);
    (result, hooks::quietly(|| scope.finish()))
}

/// Makes the standard library allocate, unobserved, what it keeps for the
/// thread from the first blocking wait on a channel (its wait context),
/// which the checked code would otherwise seem to leak. (Other blocks the
/// standard library keeps are recognised in the report instead: see
/// `Stack::kept_by_std`.)
fn warm_up_std() {
    thread_local! {
        static WARM: Cell<bool> = const { Cell::new(false) };
    }
    if WARM.with(|warm| warm.replace(true)) {
        return;
    }
    // A wait long enough to block (a shorter one returns before it waits).
    let (_sender, receiver) = std::sync::mpsc::channel::<()>();
    let _ = receiver.recv_timeout(std::time::Duration::from_micros(20));
}

/// Runs `f` and panics with a report if it leaked or freed twice.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../../doc-examples/assert_no_leaks.rs")]
/// ```
#[track_caller]
pub fn assert_no_leaks<R>(f: impl FnOnce() -> R) -> R {
    let (result, report) = check_leaks(f);
    if !report.is_clean() {
        // The message is the lab's: written quietly, so that a count or a
        // planned failure around this call does not see it.
        let message = hooks::quietly(|| format!("leak check failed:\n{report}"));
        std::panic::panic_any(message);
    }
    result
}
