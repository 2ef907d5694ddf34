//! A buffer without `Drop`, like a Zig slice from an allocator: the
//! resource of chapter 3's explicit errdefer and chapter 5's leak.

use std::alloc::{self, Layout};
use std::ptr::NonNull;

use course::TwoBufError;

// ANCHOR: raw_buffer
/// `len` integers from the raw allocator, all zero until written. Like a
/// Zig slice, it has no `Drop`: whoever holds it must call `free` exactly
/// once, or the memory leaks (a leak is a bug, but not undefined behaviour).
pub struct RawBuffer {
    // Invariant: `ptr` points to `len` initialised `i32`s that this buffer
    // owns (or is dangling and aligned when the size in bytes is 0).
    ptr: NonNull<i32>,
    len: usize,
}

impl RawBuffer {
    /// Allocates room for `len` integers, set to 0, or fails with
    /// `OutOfMemory`.
    pub fn alloc(len: usize) -> Result<RawBuffer, TwoBufError> {
        // Fails if `len` integers would not fit in `isize::MAX` bytes.
        let layout = Layout::array::<i32>(len).map_err(|_| TwoBufError::OutOfMemory)?;
        if layout.size() == 0 {
            // The allocator must not be asked for zero bytes.
            let ptr = NonNull::dangling();
            return Ok(RawBuffer { ptr, len });
        }
        // Zeroed, where Zig's `alloc` leaves the memory undefined: safe code
        // may read the buffer at any time (`as_slice`), so every integer
        // must hold a value from the start.
        // SAFETY: `layout` has a non-zero size (checked above).
        let raw = unsafe { alloc::alloc_zeroed(layout) };
        let ptr = NonNull::new(raw.cast::<i32>()).ok_or(TwoBufError::OutOfMemory)?;
        Ok(RawBuffer { ptr, len })
    }

    /// Gives the memory back. Takes `self` by value: a buffer is freed once,
    /// and no borrow of it can outlive the call.
    pub fn free(self) {
        let layout = Layout::array::<i32>(self.len).expect("checked in `alloc`");
        if layout.size() != 0 {
            // SAFETY: `ptr` came from `alloc::alloc_zeroed` with this same
            // layout, and `free` consumes the only owner of it.
            unsafe { alloc::dealloc(self.ptr.as_ptr().cast(), layout) };
        }
    }

    /// The integers, for reading.
    pub fn as_slice(&self) -> &[i32] {
        // SAFETY: by the invariant, `ptr` is aligned and valid for `len`
        // initialised integers; the memory stays allocated while `self` is
        // borrowed, because `free` needs `self` by value.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    /// The integers, for writing.
    pub fn as_mut_slice(&mut self) -> &mut [i32] {
        // SAFETY: as in `as_slice`; `&mut self` makes this the only
        // reference to the memory while it lives.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }

    /// Writes `value_at(i)` into every element `i`.
    pub fn fill(&mut self, value_at: impl Fn(usize) -> i32) {
        for (i, element) in self.as_mut_slice().iter_mut().enumerate() {
            *element = value_at(i);
        }
    }
}
// ANCHOR_END: raw_buffer
