//! Chapter 3: the same staged acquisition for a resource without `Drop`,
//! with an explicit errdefer built from `scopeguard`.
//!
//! Run: `cargo run --example ch03_errdefer -- N` (default: N = 5, then N = 20).
//! Its items are `pub` so that `tests/ch03_errdefer.rs` can test them.

use std::alloc::{self, Layout};
use std::process::ExitCode;
use std::ptr::NonNull;

use course::lab::trace;
use course::TwoBufError;
use scopeguard::{guard, ScopeGuard};

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

// ANCHOR: raw_buffer
/// `len` integers from the raw allocator. Like a Zig slice, it has no
/// `Drop`: whoever holds it must call `free` exactly once.
pub struct RawBuffer {
    ptr: NonNull<i32>,
    len: usize,
}

impl RawBuffer {
    fn alloc(len: usize) -> Result<RawBuffer, TwoBufError> {
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

    pub fn free(self) {
        let layout = Layout::array::<i32>(self.len).expect("checked in `alloc`");
        if layout.size() != 0 {
            // SAFETY: `ptr` came from `alloc::alloc` with this same layout,
            // and `free` takes `self` by value, so it runs once per buffer.
            unsafe { alloc::dealloc(self.ptr.as_ptr().cast(), layout) };
        }
    }

    fn fill(&mut self, value_at: impl Fn(usize) -> i32) {
        for i in 0..self.len {
            // SAFETY: `i < len`, inside the block `alloc` returned (or no
            // access at all when `len` is 0); `i32` needs no initialisation
            // before a write.
            unsafe { self.ptr.as_ptr().add(i).write(value_at(i)) };
        }
    }

    pub fn as_slice(&self) -> &[i32] {
        // SAFETY: `ptr` is valid for `len` integers (dangling but aligned
        // when `len` is 0) and `fill` wrote every one of them before any
        // caller can read: `alloc_two_raw` fills both buffers before
        // returning them.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}
// ANCHOR_END: raw_buffer

// ANCHOR: alloc_two_raw
const LIMIT: usize = 10;

pub fn alloc_two_raw(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    // ---- acquire A, then arm its errdefer ----
    let a = RawBuffer::alloc(n)?;
    let mut a = guard(a, |a| {
        trace::note("errdefer for A fires: free A");
        a.free();
    });
    trace::note("errdefer for A armed");

    if n > LIMIT {
        // Returning drops the guard, and the guard frees A.
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }

    // ---- acquire B, then arm its errdefer ----
    let b = RawBuffer::alloc(n)?; // on failure, A's guard frees A
    let mut b = guard(b, |b| {
        trace::note("errdefer for B fires: free B");
        b.free();
    });
    trace::note("errdefer for B armed");

    // The guards deref to the buffers they hold.
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);

    // ---- success: defuse both guards and hand the buffers over ----
    let a = ScopeGuard::into_inner(a);
    let b = ScopeGuard::into_inner(b);
    trace::note("both errdefers defused");
    Ok((a, b))
}
// ANCHOR_END: alloc_two_raw

// ANCHOR: main
fn main() -> ExitCode {
    let counts = match course::cli::counts_or(&[5, 20]) {
        Ok(counts) => counts,
        Err(exit) => return exit,
    };
    for n in counts {
        let ((), events) = trace::record(|| match alloc_two_raw(n) {
            Ok((a, b)) => {
                trace::note("Ok: the caller owns both buffers");
                trace::note(format_args!("A = {:?}", a.as_slice()));
                trace::note(format_args!("B = {:?}", b.as_slice()));
                // No `Drop`: the caller must free, as after a Zig call.
                b.free();
                a.free();
            }
            Err(error) => trace::note(format_args!("Err: {error}")),
        });
        println!("alloc_two_raw({n}):");
        print!("{events}");
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: main
