//! The leak check: which allocations made inside a scope are still live
//! when it ends, where each was made, and whether anything was freed twice.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::{HashMap, VecDeque};
use std::fmt;

use super::hooks;
use super::site::Stack;

/// How many frames of the program a report shows per allocation.
const FRAMES_SHOWN: usize = 6;

/// One allocation made inside a leak check.
pub struct Allocation {
    /// Size in bytes.
    pub size: usize,
    /// Alignment in bytes.
    pub align: usize,
    stack: Stack,
}

impl Allocation {
    /// The program's frames that led to the allocation, innermost first:
    /// `function (file:line:col)`, the file relative to the project's root
    /// (the same wherever the program runs). Frames of the standard library,
    /// of dependencies and of the lab are left out. Empty without debug
    /// information, or if no frame of the project's code made the
    /// allocation; the report says which.
    pub fn stack(&self) -> Vec<String> {
        self.stack.program_frames(FRAMES_SHOWN).program
    }
}

impl fmt::Debug for Allocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes (align {})", self.size, self.align)
    }
}

/// What a leak check saw.
#[derive(Debug, Default)]
pub struct LeakReport {
    /// Allocations made inside the check and not freed by its end.
    pub leaks: Vec<Allocation>,
    /// Blocks freed a second time inside the check (the second free was
    /// caught by the lab and never reached the system allocator).
    pub double_frees: Vec<Allocation>,
    /// How many allocations the check saw (`alloc` and `alloc_zeroed`).
    pub allocations: usize,
    /// How many times a block was resized (`realloc`) while the check ran,
    /// whenever the block was allocated.
    pub reallocations: usize,
    /// How many bytes the check's code asked for: the size of each
    /// allocation, plus what each reallocation added to its block. A block
    /// allocated with 8 bytes and grown to 32 counts 32; shrinking gives
    /// nothing back, so a block shrunk from 100 bytes to 10 and grown to
    /// 100 again counts 190.
    pub bytes_allocated: usize,
}

impl LeakReport {
    /// True if nothing leaked and nothing was freed twice.
    pub fn is_clean(&self) -> bool {
        self.leaks.is_empty() && self.double_frees.is_empty()
    }

    /// Bytes still allocated at the end of the check.
    pub fn leaked_bytes(&self) -> usize {
        self.leaks.iter().map(|a| a.size).sum()
    }
}

impl LeakReport {
    /// The report's last line alone: how many allocations leaked and how
    /// many bytes, or that none did. Unlike the full report it names no
    /// allocation site, so printing it never reads debug information.
    ///
    /// ```
    /// # #[global_allocator]
    /// # static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;
    /// let ((), report) = course::lab::check_leaks(|| std::mem::forget(vec![0u8; 16]));
    /// assert_eq!(report.summary().to_string(), "1 of 1 allocation leaked (16 bytes)");
    /// ```
    pub fn summary(&self) -> impl fmt::Display + '_ {
        Summary(self)
    }
}

/// See [`LeakReport::summary`].
struct Summary<'a>(&'a LeakReport);

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let report = self.0;
        let allocations = plural(report.allocations, "allocation");
        if report.is_clean() {
            write!(f, "no leaks: {allocations}, ")?;
            if report.reallocations > 0 {
                write!(f, "{}, ", plural(report.reallocations, "reallocation"))?;
            }
            return write!(f, "{} bytes, all freed once", report.bytes_allocated);
        }
        write!(
            f,
            "{} of {allocations} leaked ({} bytes)",
            report.leaks.len(),
            report.leaked_bytes()
        )?;
        if !report.double_frees.is_empty() {
            write!(f, ", {} freed twice", report.double_frees.len())?;
        }
        Ok(())
    }
}

/// `1 allocation`, `2 allocations`.
fn plural(count: usize, noun: &str) -> String {
    let s = if count == 1 { "" } else { "s" };
    format!("{count} {noun}{s}")
}

/// The full report: every leaked and twice-freed allocation with the
/// program's frames that made it, then the [summary](LeakReport::summary).
impl fmt::Display for LeakReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut write_all = |what: &str, allocations: &[Allocation]| -> fmt::Result {
            for allocation in allocations {
                writeln!(f, "{what} {allocation:?}, allocated at:")?;
                let frames = allocation.stack.program_frames(FRAMES_SHOWN);
                if frames.program.is_empty() {
                    writeln!(f, "    {}", frames.why_none())?;
                }
                for frame in frames.program {
                    writeln!(f, "    {frame}")?;
                }
            }
            Ok(())
        };
        write_all("leaked", &self.leaks)?;
        write_all("freed twice:", &self.double_frees)?;
        write!(f, "{}", self.summary())
    }
}

/// How many freed blocks, and how many bytes of them, a leak check keeps
/// from the system at most (see `LeakScope::freed`).
const QUARANTINE_BLOCKS: usize = 4096;
const QUARANTINE_BYTES: usize = 16 << 20;

/// The state of a running leak check, reachable from the allocator.
#[derive(Default)]
pub(super) struct LeakScope {
    live: HashMap<usize, Allocation>,
    /// Blocks freed inside the check, kept from the system for a while (a
    /// quarantine): their addresses cannot be reused meanwhile, so a second
    /// free of the same block is recognised as such. The quarantine holds
    /// the latest [`QUARANTINE_BLOCKS`] blocks, [`QUARANTINE_BYTES`] at
    /// most; older ones go back to the system, so that a long check does
    /// not hold on to everything it freed. The pointer is kept as a pointer
    /// (not only as the address) so that freeing it later keeps its
    /// provenance.
    freed: HashMap<usize, (*mut u8, Layout)>,
    /// The addresses in `freed`, oldest first.
    freed_order: VecDeque<usize>,
    freed_bytes: usize,
    double_frees: Vec<Allocation>,
    allocations: usize,
    reallocations: usize,
    bytes_allocated: usize,
}

impl LeakScope {
    pub(super) fn acquired(&mut self, ptr: *mut u8, layout: Layout) {
        self.allocations += 1;
        self.bytes_allocated += layout.size();
        let allocation = Allocation {
            size: layout.size(),
            align: layout.align(),
            stack: Stack::capture(),
        };
        self.live.insert(ptr as usize, allocation);
    }

    /// Returns whether the block may go back to the system now.
    pub(super) fn released(&mut self, ptr: *mut u8, layout: Layout) -> bool {
        let address = ptr as usize;
        if let Some(allocation) = self.live.remove(&address) {
            let kept = Layout::from_size_align(allocation.size, allocation.align)
                .expect("recorded from a valid layout");
            self.quarantine(ptr, kept);
            return false;
        }
        if self.freed.contains_key(&address) {
            self.double_frees.push(Allocation {
                size: layout.size(),
                align: layout.align(),
                stack: Stack::capture(),
            });
            return false;
        }
        true // allocated before the check started: not ours to judge
    }

    /// Keeps a freed block back, and gives the oldest back to the system
    /// while the quarantine is over its bounds.
    fn quarantine(&mut self, ptr: *mut u8, layout: Layout) {
        self.freed.insert(ptr as usize, (ptr, layout));
        self.freed_order.push_back(ptr as usize);
        self.freed_bytes += layout.size();
        while self.freed_order.len() > QUARANTINE_BLOCKS || self.freed_bytes > QUARANTINE_BYTES {
            let Some(oldest) = self.freed_order.pop_front() else {
                break;
            };
            if let Some((ptr, layout)) = self.freed.remove(&oldest) {
                self.freed_bytes -= layout.size();
                // SAFETY: as in `drop`: this block was allocated by
                // `System` with `layout`, freed once by the program and
                // kept back until now; removing it from `freed` makes this
                // its only release.
                unsafe { System.dealloc(ptr, layout) };
            }
        }
    }

    pub(super) fn moved(
        &mut self,
        old: *mut u8,
        old_layout: Layout,
        new: *mut u8,
        new_layout: Layout,
    ) {
        self.reallocations += 1;
        self.bytes_allocated += new_layout.size().saturating_sub(old_layout.size());
        if let Some(mut allocation) = self.live.remove(&(old as usize)) {
            allocation.size = new_layout.size();
            self.live.insert(new as usize, allocation);
        }
    }

    fn finish(mut self) -> LeakReport {
        // The blocks kept in `freed` go back to the system when `self` is
        // dropped, at the end of this function (see `Drop`).
        let live = std::mem::take(&mut self.live);
        let mut leaks: Vec<Allocation> = live.into_values().collect();
        leaks.sort_by_key(|a| std::cmp::Reverse(a.size));
        LeakReport {
            leaks,
            double_frees: std::mem::take(&mut self.double_frees),
            allocations: self.allocations,
            reallocations: self.reallocations,
            bytes_allocated: self.bytes_allocated,
        }
    }
}

/// Gives the blocks kept by `released` back to the system: when the check
/// ends, and also when `f` panics and the check is abandoned.
impl Drop for LeakScope {
    fn drop(&mut self) {
        for (_, (ptr, layout)) in self.freed.drain() {
            // SAFETY: `released` kept this block from being freed: it was
            // allocated by `System` (through `LabAllocator`) with this
            // layout, freed once by the program, and is freed here once
            // (`drain` removes it from the map).
            unsafe { System.dealloc(ptr, layout) };
        }
    }
}

/// Runs `f` and reports every allocation it made on this thread that was
/// still live when it returned, and every block it freed twice.
///
/// ```
/// # #[global_allocator]
/// # static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;
/// use course::lab::check_leaks;
///
/// let ((), report) = check_leaks(|| {
///     let kept = vec![0u64; 4];
///     std::mem::forget(kept); // never freed
/// });
/// assert_eq!(report.leaked_bytes(), 32);
/// ```
///
/// Only this thread's allocations are watched, so tests running in
/// parallel do not disturb each other; memory that `f` hands to another
/// thread to free is reported as leaked.
///
/// # Panics
/// If [`LabAllocator`](super::LabAllocator) is not the global allocator, or
/// if a leak check is already running on this thread.
pub fn check_leaks<R>(f: impl FnOnce() -> R) -> (R, LeakReport) {
    assert!(
        hooks::LEAKS.with(|slot| slot.get().is_null()),
        "leak checks do not nest"
    );
    hooks::assert_installed();
    let mut scope = LeakScope::default();
    let result = {
        // SAFETY: `scope` outlives the guard, which is dropped at the end
        // of this block, and is not used here until then.
        let _installed = unsafe { hooks::install(&hooks::LEAKS, &mut scope) };
        f()
    };
    (result, scope.finish())
}

/// Runs `f` and panics with a report if it leaked or freed twice.
///
/// ```
/// # #[global_allocator]
/// # static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;
/// let total = course::lab::assert_no_leaks(|| vec![1, 2, 3].iter().sum::<i32>());
/// assert_eq!(total, 6);
/// ```
#[track_caller]
pub fn assert_no_leaks<R>(f: impl FnOnce() -> R) -> R {
    let (result, report) = check_leaks(f);
    if !report.is_clean() {
        panic!("leak check failed:\n{report}");
    }
    result
}
