//! What the lab does on each allocator call, per thread.
//!
//! Everything here runs inside the global allocator, so it must not allocate
//! through the lab itself: each hook first marks the thread as busy, and an
//! allocation made while the thread is busy (the lab's own bookkeeping) goes
//! straight to the system allocator, unobserved. Thread-local state is
//! `const`-initialised and has no destructor, so touching it never allocates.

use std::alloc::Layout;
use std::cell::Cell;
use std::ptr;

use super::trace::TraceLog;

thread_local! {
    static BUSY: Cell<bool> = const { Cell::new(false) };
    /// The trace being recorded on this thread, owned by `trace::record`.
    static TRACE: Cell<*mut TraceLog> = const { Cell::new(ptr::null_mut()) };
}

/// Runs `f` with the thread marked busy; `None` if it already was (a
/// re-entrant call from the lab's own work) or if the thread is exiting.
fn as_lab<R>(f: impl FnOnce() -> R) -> Option<R> {
    BUSY.try_with(|busy| {
        if busy.replace(true) {
            return None;
        }
        let result = f();
        busy.set(false);
        Some(result)
    })
    .ok()
    .flatten()
}

/// Runs `f` on this thread's trace, if one is being recorded.
pub(super) fn with_trace(f: impl FnOnce(&mut TraceLog)) {
    as_lab(|| {
        let log = TRACE.with(Cell::get);
        // SAFETY: a non-null pointer was installed by `install_trace` and
        // points to a `TraceLog` that outlives the installation (it is
        // removed before the log is dropped). Only this thread can see it,
        // and `as_lab` keeps this the only live reference: any allocation
        // `f` triggers finds the thread busy and does not come back here.
        if let Some(log) = unsafe { log.as_mut() } {
            f(log);
        }
    });
}

/// Makes `log` this thread's trace until the returned value is dropped.
///
/// # Safety
/// `log` must stay valid, and must not be used through any other reference,
/// until the returned guard is dropped.
pub(super) unsafe fn install_trace(log: *mut TraceLog) -> impl Drop {
    let previous = TRACE.with(|t| t.replace(log));
    scopeguard::guard(previous, |previous| TRACE.with(|t| t.set(previous)))
}

/// Called before every allocation: should this one fail on purpose?
pub(super) fn should_fail(_layout: Layout) -> bool {
    false
}

/// Called after the system allocator returned `ptr` (null if it failed).
pub(super) fn acquired(ptr: *mut u8, layout: Layout) {
    if ptr.is_null() {
        with_trace(|log| log.failed(layout));
    } else {
        with_trace(|log| log.acquired(ptr, layout));
    }
}

/// Called when `ptr` is released; returns whether to free it now.
pub(super) fn release(ptr: *mut u8, layout: Layout) -> bool {
    with_trace(|log| log.released(ptr, layout));
    true
}

/// Called after a successful `realloc` moved or resized a block.
pub(super) fn moved(old: *mut u8, old_layout: Layout, new: *mut u8, new_layout: Layout) {
    with_trace(|log| log.moved(old, old_layout, new, new_layout));
}
