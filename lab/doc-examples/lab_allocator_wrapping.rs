use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use cleanup_lab::{LabAllocator, check_leaks};

/// A global allocator of the program's own: the system's, counting calls.
struct Counting {
    calls: AtomicUsize,
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.calls.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

static COUNTING: Counting = Counting {
    calls: AtomicUsize::new(0),
};

// In place of `#[global_allocator] static ALLOCATOR: Counting = ...`:
#[global_allocator]
static ALLOCATOR: LabAllocator<Counting> = LabAllocator::wrapping(&COUNTING);

fn main() {
    let before = COUNTING.calls.load(Ordering::Relaxed);
    let (_, report) = check_leaks(|| drop(vec![1u8; 64]));
    assert!(report.is_clean());
    // The block came from the program's allocator, through the lab.
    assert!(COUNTING.calls.load(Ordering::Relaxed) > before);
}
