//! A buffer without `Drop`, like a Zig slice from an allocator: the
//! resource of chapter 3's explicit errdefer and chapter 5's leak.

use std::alloc::{self, Layout};
use std::ptr::NonNull;

use course::TwoBufError;

// ANCHOR: raw_buffer
/// `len` integers from the raw allocator. Like a Zig slice, it has no
/// `Drop`: whoever holds it must call `free` exactly once.
pub struct RawBuffer {
    ptr: NonNull<i32>,
    len: usize,
}

impl RawBuffer {
    /// Allocates room for `len` integers, or fails with `OutOfMemory`.
    pub fn alloc(len: usize) -> Result<RawBuffer, TwoBufError> {
        let layout = Layout::array::<i32>(len).map_err(|_| TwoBufError::OutOfMemory)?;
        if layout.size() == 0 {
            // The allocator must not be asked for zero bytes.
            let ptr = NonNull::dangling();
            return Ok(RawBuffer { ptr, len });
        }
        // SAFETY: `layout` has a non-zero size (checked above).
        let raw = unsafe { alloc::alloc(layout) };
        let ptr = NonNull::new(raw.cast::<i32>()).ok_or(TwoBufError::OutOfMemory)?;
        Ok(RawBuffer { ptr, len })
    }

    /// Gives the memory back. Takes `self` by value: a buffer is freed once.
    pub fn free(self) {
        let layout = Layout::array::<i32>(self.len).expect("checked in `alloc`");
        if layout.size() != 0 {
            // SAFETY: `ptr` came from `alloc::alloc` with this same layout,
            // and `free` takes `self` by value, so it runs once per buffer.
            unsafe { alloc::dealloc(self.ptr.as_ptr().cast(), layout) };
        }
    }

    /// Writes `value_at(i)` into every element `i`.
    pub fn fill(&mut self, value_at: impl Fn(usize) -> i32) {
        for i in 0..self.len {
            // SAFETY: `i < len`, inside the block `alloc` returned (or no
            // access at all when `len` is 0); `i32` needs no initialisation
            // before a write.
            unsafe { self.ptr.as_ptr().add(i).write(value_at(i)) };
        }
    }

    /// The integers, for reading.
    pub fn as_slice(&self) -> &[i32] {
        // SAFETY: `ptr` is valid for `len` integers (dangling but aligned
        // when `len` is 0) and `fill` wrote every one of them before any
        // caller can read: the course's functions fill every buffer
        // before handing it out.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}
// ANCHOR_END: raw_buffer
