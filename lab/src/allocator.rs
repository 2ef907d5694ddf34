//! The global allocator that makes the lab's observations possible.

use std::alloc::{GlobalAlloc, Layout, System};

use super::hooks;

/// A global allocator that forwards to the system allocator and tells the
/// lab about every allocation and release made on the current thread.
///
/// Install it once per program (or test binary), in any of its files:
///
/// ```
#[doc = include_str!("../doc-examples/install.rs")]
/// ```
///
/// Without it nothing is observed: traces stay empty and the leak check
/// refuses to run rather than report a clean result it did not measure.
/// The examples of the lab's other items run in such a program too.
///
/// # Example
///
/// ```
#[doc = include_str!("../doc-examples/lab_allocator.rs")]
/// ```
pub struct LabAllocator;

// SAFETY: every method forwards to `System`, which upholds the `GlobalAlloc`
// contract, with the same layout and pointer it was given. The lab only adds
// bookkeeping around the calls, and it changes what is returned in two ways
// that the contract allows: it may return null (an allocation failure the lab
// injected on purpose), and it may postpone a `System::dealloc` to the end of
// a leak check (see `hooks::release`), which only keeps memory alive longer.
unsafe impl GlobalAlloc for LabAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if hooks::should_fail(layout) {
            return hooks::refused(layout);
        }
        // SAFETY: the caller upholds `alloc`'s contract (non-zero size).
        let ptr = unsafe { System.alloc(layout) };
        hooks::acquired(ptr, layout);
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if hooks::should_fail(layout) {
            return hooks::refused(layout);
        }
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        hooks::acquired(ptr, layout);
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if hooks::release(ptr, layout) {
            // SAFETY: `ptr` came from `System` with this layout (every
            // allocation of this allocator does) and is released once: the
            // lab returns true only for the first release it sees.
            unsafe { System.dealloc(ptr, layout) };
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A growing or shrinking `Vec` asks for memory here, so it is an
        // allocation that can fail like any other.
        let new_layout = Layout::from_size_align(new_size, layout.align()).ok();
        if let Some(new_layout) = new_layout.filter(|&layout| hooks::should_fail(layout)) {
            return hooks::refused(new_layout);
        }
        // SAFETY: the caller upholds `realloc`'s contract for `ptr` and
        // `layout`; `System` allocated `ptr`.
        let new_ptr = unsafe { System.realloc(ptr, layout, new_size) };
        // A new size with the old alignment: the caller guarantees that it
        // forms a valid layout, so `new_layout` is `Some` here.
        if let Some(new_layout) = new_layout {
            if new_ptr.is_null() {
                hooks::acquired(new_ptr, new_layout); // records the failure
            } else {
                hooks::moved(ptr, layout, new_ptr, new_layout);
            }
        }
        new_ptr
    }
}
