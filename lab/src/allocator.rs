//! The global allocator that makes the lab's observations possible.

use std::alloc::{GlobalAlloc, Layout, System};

use super::hooks;

/// A global allocator that forwards to another one (the system allocator
/// by default) and tells the lab about every allocation and release made
/// on the current thread.
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
/// To check a program that uses another global allocator (jemalloc,
/// mimalloc, one of your own), wrap it: see [`LabAllocator::wrapping`].
///
/// # Example
///
/// ```
#[doc = include_str!("../doc-examples/lab_allocator.rs")]
/// ```
pub struct LabAllocator<A: 'static = System> {
    /// Where every block comes from and goes back to. A `'static`
    /// reference, because a leak check may give a block back after the
    /// call that freed it (see `hooks::release`).
    inner: &'static A,
}

/// The lab over the system allocator: what
/// `static ALLOCATOR: LabAllocator = LabAllocator;` installs;
/// see the example of [`LabAllocator`].
#[allow(non_upper_case_globals)] // read as the unit value it stands for
pub const LabAllocator: LabAllocator = LabAllocator::wrapping(&System);

impl<A: GlobalAlloc + Sync + 'static> LabAllocator<A> {
    /// The lab over `inner`, a global allocator kept in a `static` of its
    /// own: every block comes from `inner` and goes back to it, and the lab
    /// watches in between.
    ///
    /// # Example
    ///
    /// ```
    #[doc = include_str!("../doc-examples/lab_allocator_wrapping.rs")]
    /// ```
    pub const fn wrapping(inner: &'static A) -> LabAllocator<A> {
        LabAllocator { inner }
    }
}

// SAFETY: every method forwards to `inner`, which upholds the `GlobalAlloc`
// contract, with the same layout and pointer it was given. The lab only adds
// bookkeeping around the calls, and it changes what is returned in two ways
// that the contract allows: it may return null (an allocation failure the lab
// injected on purpose), and it may postpone an `inner.dealloc` to the end of
// a leak check (see `hooks::release`), which only keeps memory alive longer;
// `inner` is `'static`, so it is still there to take the block back.
unsafe impl<A: GlobalAlloc + Sync + 'static> GlobalAlloc for LabAllocator<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if hooks::should_fail(layout) {
            return hooks::refused(layout);
        }
        // SAFETY: the caller upholds `alloc`'s contract (non-zero size).
        let ptr = unsafe { self.inner.alloc(layout) };
        hooks::acquired(ptr, layout);
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if hooks::should_fail(layout) {
            return hooks::refused(layout);
        }
        // SAFETY: as for `alloc`.
        let ptr = unsafe { self.inner.alloc_zeroed(layout) };
        hooks::acquired(ptr, layout);
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if hooks::release(ptr, layout, self.inner) {
            // SAFETY: `ptr` came from `inner` with this layout (every
            // allocation of this allocator does) and is released once: the
            // lab returns true only for the first release it sees.
            unsafe { self.inner.dealloc(ptr, layout) };
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A growing or shrinking `Vec` asks for memory here, so it is an
        // allocation that can fail like any other.
        let new_layout = Layout::from_size_align(new_size, layout.align()).ok();
        if let Some(new_layout) = new_layout.filter(|&layout| hooks::should_fail(layout)) {
            return hooks::refused(new_layout);
        }
        // A block a leak check holds back after its free: resizing it
        // would free it a second time, later; the check reports it.
        if hooks::resizes_freed_block(ptr, layout) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller upholds `realloc`'s contract for `ptr` and
        // `layout`; `inner` allocated `ptr`.
        let new_ptr = unsafe { self.inner.realloc(ptr, layout, new_size) };
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
