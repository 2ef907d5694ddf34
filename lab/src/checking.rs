//! `CheckingAllocator`: the lab's leak check and failure injection as an
//! allocator value, for code that takes an allocator instead of using the
//! global one.

use std::collections::HashMap;
use std::ptr::NonNull;
use std::sync::{Arc, Mutex, PoisonError};

use allocator_api2::alloc::{AllocError, Allocator, Global, Layout};

use crate::leaks::{Allocation, LeakReport};
use crate::site::Stack;

/// An allocator that checks what the code given it does with it: which
/// blocks are still live ([`report`](CheckingAllocator::report)), which
/// were freed twice, how many allocations were attempted, and, if asked,
/// one allocation that fails ([`failing_at`](CheckingAllocator::failing_at)).
/// It implements allocator_api2's `Allocator`, which stable Rust's
/// allocator-aware collections take (`allocator_api2::vec::Vec<T, A>`,
/// your own): a function that takes an allocator is checked with this
/// one, without installing the lab as the global allocator. Blocks come
/// from `A`: the global allocator by default, or any other `Allocator`
/// ([`wrapping`](CheckingAllocator::wrapping) a bumpalo arena, say).
///
/// A second free (or a free of a block it never allocated) is reported and
/// not passed on to `A`.
///
/// # Example
///
/// ```
#[doc = include_str!("../doc-examples/checking_allocator.rs")]
/// ```
pub struct CheckingAllocator<A: Allocator = Global> {
    inner: A,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    live: HashMap<usize, (Layout, Arc<Stack>)>,
    /// Addresses freed and not reused since, with where their blocks were
    /// allocated: a free of one is a second.
    freed: HashMap<usize, Arc<Stack>>,
    double_frees: Vec<Allocation>,
    attempts: u64,
    fail_at: Option<u64>,
    injected: bool,
    after_failure: u64,
    first_after: Option<Stack>,
    allocations: usize,
    reallocations: usize,
    bytes_allocated: usize,
}

impl CheckingAllocator<Global> {
    /// A checking allocator over the global allocator;
    /// see the example of [`CheckingAllocator`].
    pub fn new() -> CheckingAllocator<Global> {
        CheckingAllocator::wrapping(Global)
    }
}

impl Default for CheckingAllocator<Global> {
    fn default() -> Self {
        CheckingAllocator::new()
    }
}

impl<A: Allocator> CheckingAllocator<A> {
    /// A checking allocator over `inner`;
    /// see the example of [`CheckingAllocator`].
    pub fn wrapping(inner: A) -> CheckingAllocator<A> {
        CheckingAllocator {
            inner,
            state: Mutex::new(State::default()),
        }
    }

    /// The same allocator, with its allocation number `index` (from 0,
    /// which reports call allocation #1) failing;
    /// see the example of [`CheckingAllocator`].
    pub fn failing_at(self, index: u64) -> CheckingAllocator<A> {
        self.state().fail_at = Some(index);
        self
    }

    /// How many allocations were attempted (`allocate`,
    /// `allocate_zeroed`, `grow` and `shrink` all count);
    /// see the example of [`CheckingAllocator`].
    pub fn attempts(&self) -> u64 {
        self.state().attempts
    }

    /// Whether the planned failure happened;
    /// see the example of [`CheckingAllocator`].
    pub fn injected(&self) -> bool {
        self.state().injected
    }

    /// How many allocations were attempted after the planned failure;
    /// see the example of [`CheckingAllocator`].
    pub fn after_failure(&self) -> u64 {
        self.state().after_failure
    }

    /// What this allocator saw so far: the blocks still live (the leaks,
    /// once the code is done with it), the blocks freed twice, how many
    /// allocations and bytes;
    /// see the example of [`CheckingAllocator`].
    pub fn report(&self) -> LeakReport {
        let state = self.state();
        let mut leaks: Vec<Allocation> = state
            .live
            .values()
            .map(|(layout, stack)| Allocation {
                size: layout.size(),
                align: layout.align(),
                stack: Arc::clone(stack),
                second_free: None,
            })
            .collect();
        leaks.sort_by_key(|a| std::cmp::Reverse(a.size));
        LeakReport::of_allocator(
            leaks,
            state.double_frees.clone(),
            (state.allocations, state.reallocations),
            state.bytes_allocated,
        )
    }

    /// Where the first allocation after the planned failure was made.
    pub(crate) fn first_after_failure(&self) -> Option<Stack> {
        self.state().first_after
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts an attempt; false if it must fail.
    fn attempt(&self) -> bool {
        let mut state = self.state();
        let index = state.attempts;
        state.attempts += 1;
        if state.injected {
            state.after_failure += 1;
            if state.first_after.is_none() {
                state.first_after = Some(Stack::capture());
            }
        }
        if state.fail_at == Some(index) {
            state.injected = true;
            return false;
        }
        true
    }

    fn acquired(&self, block: NonNull<[u8]>, layout: Layout, stack: Stack, grown_from: usize) {
        let mut state = self.state();
        if grown_from == 0 {
            state.allocations += 1;
        } else {
            state.reallocations += 1;
        }
        state.bytes_allocated += layout.size().saturating_sub(grown_from);
        // A zero-sized block is no memory: the inner allocator may give
        // the same dangling address to each, and allocator_api2's `Box`
        // frees one it never allocated. It is not tracked.
        if layout.size() == 0 {
            return;
        }
        let address = block.cast::<u8>().as_ptr() as usize;
        state.freed.remove(&address);
        state.live.insert(address, (layout, Arc::new(stack)));
    }

    /// Forgets a block being freed, and returns what was known of it;
    /// `None` (and reported) if it is not live here.
    fn released(&self, ptr: NonNull<u8>, layout: Layout) -> Option<(Layout, Arc<Stack>)> {
        let mut state = self.state();
        let address = ptr.as_ptr() as usize;
        if let Some(known) = state.live.remove(&address) {
            state.freed.insert(address, Arc::clone(&known.1));
            return Some(known);
        }
        let origin = state.freed.get(&address).cloned();
        state.double_frees.push(Allocation::freed_twice(
            layout,
            origin,
            Arc::new(Stack::capture()),
        ));
        None
    }
}

// SAFETY: every block comes from `inner`, with the layout asked for, and
// goes back to it with the same layout, at most once: `released` lets a
// block through only if it is live here, and forgets it. A refused
// allocation (the planned failure) is an `Err`, which the contract allows.
unsafe impl<A: Allocator> Allocator for CheckingAllocator<A> {
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        if !self.attempt() {
            return Err(AllocError);
        }
        let stack = Stack::capture();
        let block = self.inner.allocate(layout)?;
        self.acquired(block, layout, stack, 0);
        Ok(block)
    }

    fn allocate_zeroed(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        if !self.attempt() {
            return Err(AllocError);
        }
        let stack = Stack::capture();
        let block = self.inner.allocate_zeroed(layout)?;
        self.acquired(block, layout, stack, 0);
        Ok(block)
    }

    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() == 0 {
            // Not tracked (see `acquired`): the inner allocator's to judge.
            // SAFETY: the caller's contract, passed on unchanged.
            unsafe { self.inner.deallocate(ptr, layout) };
            return;
        }
        if self.released(ptr, layout).is_some() {
            // SAFETY: `ptr` is live here, so `inner` allocated it with
            // `layout` (the caller's contract) and it is freed once.
            unsafe { self.inner.deallocate(ptr, layout) };
        }
    }

    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // SAFETY: the caller upholds `grow`'s contract, which `resize`
        // passes on unchanged.
        unsafe { self.resize(ptr, old_layout, new_layout, Resize::Grow) }
    }

    unsafe fn grow_zeroed(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // SAFETY: as for `grow`.
        unsafe { self.resize(ptr, old_layout, new_layout, Resize::GrowZeroed) }
    }

    unsafe fn shrink(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // SAFETY: as for `grow`.
        unsafe { self.resize(ptr, old_layout, new_layout, Resize::Shrink) }
    }
}

#[derive(Clone, Copy)]
enum Resize {
    Grow,
    GrowZeroed,
    Shrink,
}

impl<A: Allocator> CheckingAllocator<A> {
    /// A resize: an attempt like any allocation, then `inner`'s resize of
    /// a block that must be live here.
    ///
    /// # Safety
    /// The contract of `Allocator::grow` (or `grow_zeroed`, `shrink`, as
    /// `how` says).
    unsafe fn resize(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
        how: Resize,
    ) -> Result<NonNull<[u8]>, AllocError> {
        if !self.attempt() {
            return Err(AllocError);
        }
        let stack = Stack::capture();
        let Some(known) = self.released(ptr, old_layout) else {
            // Not a block of this allocator: reported, and not handed on.
            return Err(AllocError);
        };
        // SAFETY: `ptr` was live here, so `inner` allocated it with
        // `old_layout`; the caller upholds the rest of the contract.
        let resized = unsafe {
            match how {
                Resize::Grow => self.inner.grow(ptr, old_layout, new_layout),
                Resize::GrowZeroed => self.inner.grow_zeroed(ptr, old_layout, new_layout),
                Resize::Shrink => self.inner.shrink(ptr, old_layout, new_layout),
            }
        };
        match resized {
            Ok(block) => {
                self.acquired(block, new_layout, stack, old_layout.size());
                Ok(block)
            }
            Err(error) => {
                // The old block is still `inner`'s, and still live.
                let mut state = self.state();
                let address = ptr.as_ptr() as usize;
                state.freed.remove(&address);
                state.live.insert(address, known);
                Err(error)
            }
        }
    }
}
