//! What the lab does on each allocator call: the calling thread's
//! instruments, and the leak checks of every thread (see `leaks`).
//!
//! Everything here runs inside the global allocator, so it must not allocate
//! through the lab itself: each hook first marks the thread as busy, and an
//! allocation made while the thread is busy (the lab's own bookkeeping) goes
//! straight to the system allocator, unobserved and never failed on purpose.
//! Thread-local state is `const`-initialised and has no destructor, so
//! touching it never allocates.

use std::alloc::Layout;
use std::cell::Cell;
use std::ptr;
use std::thread::LocalKey;

use super::failure;
use super::leaks;
use super::trace::TraceLog;

thread_local! {
    static BUSY: Cell<bool> = const { Cell::new(false) };
    /// The trace being recorded on this thread, owned by `trace::record`.
    pub(super) static TRACE: Cell<*mut TraceLog> = const { Cell::new(ptr::null_mut()) };
    /// How many allocations the lab has seen on this thread.
    static SEEN: Cell<u64> = const { Cell::new(0) };
}

/// Runs `f` with the thread marked busy; `None` if it already was (a
/// re-entrant call from the lab's own work) or if the thread is exiting.
pub(super) fn as_lab<R>(f: impl FnOnce() -> R) -> Option<R> {
    BUSY.try_with(|busy| {
        if busy.replace(true) {
            return None;
        }
        // Cleared however `f` ends: a panic inside it (a note's `Display`
        // may panic) must not leave the lab blind on this thread for good.
        let _not_busy = scopeguard::guard((), |()| busy.set(false));
        Some(f())
    })
    .ok()
    .flatten()
}

/// Runs the lab's own work `f` unobserved: what it allocates is not traced,
/// counted, failed on purpose or checked for leaks. Unlike [`as_lab`] it
/// always runs `f`; on a thread already busy (or exiting) the lab cannot
/// see anything anyway.
pub(super) fn quietly<R>(f: impl FnOnce() -> R) -> R {
    let mut f = Some(f);
    match as_lab(|| f.take().map(|f| f())) {
        Some(Some(result)) => result,
        // `as_lab` did not run it: `f` is still there.
        _ => f.take().map(|f| f()).expect("f has not run yet"),
    }
}

/// Runs `f` on the instrument installed in `slot` on this thread, if any.
pub(super) fn with_installed<T: 'static>(
    slot: &'static LocalKey<Cell<*mut T>>,
    f: impl FnOnce(&mut T),
) {
    as_lab(|| {
        let instrument = slot.with(Cell::get);
        // SAFETY: a non-null pointer was put there by `install`, whose
        // caller guarantees that it stays valid and otherwise unused until
        // the guard `install` returned is dropped, which removes it. Only
        // this thread can see it, and `as_lab` keeps this the only live
        // reference: anything `f` allocates finds the thread busy and does
        // not come back here.
        if let Some(instrument) = unsafe { instrument.as_mut() } {
            f(instrument);
        }
    });
}

/// Installs `instrument` in `slot` on this thread until the returned guard
/// is dropped; the guard puts back whatever was installed before.
///
/// # Safety
/// `instrument` must stay valid, and must not be used through any other
/// reference, until the returned guard is dropped.
pub(super) unsafe fn install<T: 'static>(
    slot: &'static LocalKey<Cell<*mut T>>,
    instrument: *mut T,
) -> impl Drop {
    let previous = slot.with(|s| s.replace(instrument));
    scopeguard::guard(previous, move |previous| slot.with(|s| s.set(previous)))
}

/// Panics unless [`LabAllocator`](super::LabAllocator) is the global
/// allocator: without it an instrument would see nothing, and an empty trace
/// or a clean leak report would look like proof.
pub(super) fn assert_installed() {
    let seen = || SEEN.with(Cell::get);
    let before = seen();
    // Quietly: the probe is the lab's, not the program's, so no count,
    // trace or planned failure around this call sees it.
    quietly(|| drop(std::hint::black_box(Box::new(0u8))));
    assert!(
        seen() > before,
        "the lab cannot see allocations: install it with \
         #[global_allocator] static ALLOCATOR: cleanup_lab::LabAllocator = cleanup_lab::LabAllocator;"
    );
}

/// Called before every allocation: should this one fail on purpose?
pub(super) fn should_fail(layout: Layout) -> bool {
    as_lab(|| failure::should_fail(layout)).unwrap_or(false)
}

/// Called instead of the system allocator when the lab fails an allocation
/// on purpose: the trace shows it like any other failure. Returns null.
pub(super) fn refused(layout: Layout) -> *mut u8 {
    with_installed(&TRACE, |log| log.failed(layout));
    ptr::null_mut()
}

/// Called after the system allocator returned `ptr` (null if it failed).
pub(super) fn acquired(ptr: *mut u8, layout: Layout) {
    if ptr.is_null() {
        with_installed(&TRACE, |log| log.failed(layout));
        return;
    }
    let _ = SEEN.try_with(|seen| seen.set(seen.get() + 1));
    with_installed(&TRACE, |log| log.acquired(ptr, layout));
    if as_lab(|| leaks::acquired(ptr, layout)).is_none() {
        leaks::acquired_by_lab(ptr);
    }
}

/// Called when `ptr` is released; returns whether to free it now. A leak
/// check keeps the blocks freed under it back for a while (see `leaks`),
/// whichever thread frees them, and gives them back to `owner`, the
/// allocator they came from. The lab's own releases are free now.
pub(super) fn release(ptr: *mut u8, layout: Layout, owner: leaks::Owner) -> bool {
    with_installed(&TRACE, |log| log.released(ptr, layout));
    as_lab(|| leaks::released(ptr, layout, owner)).unwrap_or(true)
}

/// Called before `realloc` resizes `ptr`: true if a leak check saw the
/// block freed already (a use after free, which the check reports as a
/// second free); the allocator then refuses the resize.
pub(super) fn resizes_freed_block(ptr: *mut u8, layout: Layout) -> bool {
    as_lab(|| leaks::resized_after_free(ptr, layout)).unwrap_or(false)
}

/// Called after a successful `realloc` moved or resized a block.
pub(super) fn moved(old: *mut u8, old_layout: Layout, new: *mut u8, new_layout: Layout) {
    with_installed(&TRACE, |log| log.moved(old, old_layout, new, new_layout));
    if as_lab(|| leaks::moved(old, old_layout, new, new_layout)).is_none() {
        leaks::acquired_by_lab(new);
    }
}
