//! The state of one running leak check: the blocks it saw allocated and
//! not yet freed, and the blocks it saw freed, kept back or remembered so
//! that a second free is recognised.

use std::alloc::Layout;
use std::collections::{HashMap, HashSet, VecDeque};

/// Where a freed block was allocated, if the check saw it: a second free
/// is reported with it.
type Origin = Option<Arc<Stack>>;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::report::{Allocation, ELSEWHERE_SHOWN, LeakReport};
use super::{Owner, REMEMBERED};
use crate::site::{self, Stack};

/// How many freed blocks, and how many bytes of them, a leak check keeps
/// from the system at most (see `LeakScope::freed`).
const QUARANTINE_BLOCKS: usize = 4096;
const QUARANTINE_BYTES: usize = 16 << 20;

/// A block allocated inside the check and not freed yet.
struct LiveBlock {
    /// Its place in the order of the check's allocations (a block resized
    /// keeps its place), so that a report lists blocks the same way on
    /// every run.
    number: usize,
    size: usize,
    align: usize,
    /// Shared by every block allocated at the same place (see `stacks`).
    stack: Arc<Stack>,
    /// Whether another thread has freed or resized it (counted once).
    elsewhere: bool,
    /// Whether the thread was panicking when it was allocated.
    during_panic: bool,
}

/// The state of a running leak check, reachable from the allocator.
#[derive(Default)]
pub(super) struct LeakScope {
    live: HashMap<usize, LiveBlock>,
    /// Each distinct stack once: a loop that allocates 200 000 blocks at
    /// one place keeps one stack, not 200 000.
    stacks: HashSet<Arc<Stack>>,
    /// Blocks freed inside the check, kept from the system for a while (a
    /// quarantine): their addresses cannot be reused meanwhile, so a second
    /// free of the same block is recognised as such. The quarantine holds
    /// the latest [`QUARANTINE_BLOCKS`] blocks, [`QUARANTINE_BYTES`] at
    /// most; older ones go back to the system, so that a long check does
    /// not hold on to everything it freed. The pointer is kept as a pointer
    /// (not only as the address) so that freeing it later keeps its
    /// provenance.
    freed: HashMap<usize, (*mut u8, Layout, Owner, Origin)>,
    /// The addresses in `freed`, oldest first.
    freed_order: VecDeque<usize>,
    freed_bytes: usize,
    /// The addresses of blocks that left the quarantine (or were too large
    /// for it) and that no allocation has reused since: a free of one of
    /// them is a second free too. Remembering an address costs a few
    /// bytes, holding its block all of its size.
    given_back: HashMap<usize, Origin>,
    double_frees: Vec<Allocation>,
    /// Blocks of `live` that another thread freed or resized: how many,
    /// and the first [`ELSEWHERE_SHOWN`] of them.
    freed_elsewhere: usize,
    elsewhere: Vec<Allocation>,
    allocations: usize,
    reallocations: usize,
    bytes_allocated: usize,
}

/// What a release found in a check.
pub(super) enum Released {
    /// A block of the check: kept in its quarantine.
    Kept,
    /// A block the check had already seen freed: a double free, not passed
    /// on to the system; where it was allocated, if known.
    Twice(Origin),
}

impl LiveBlock {
    fn allocation(&self) -> Allocation {
        Allocation {
            size: self.size,
            align: self.align,
            stack: Arc::clone(&self.stack),
            second_free: None,
        }
    }
}

impl LeakScope {
    pub(super) fn acquired(&mut self, ptr: *mut u8, layout: Layout, stack: &Stack) {
        self.allocations += 1;
        self.bytes_allocated += layout.size();
        let stack = match self.stacks.get(stack) {
            Some(known) => Arc::clone(known),
            None => {
                let new = Arc::new(*stack);
                self.stacks.insert(Arc::clone(&new));
                new
            }
        };
        let block = LiveBlock {
            number: self.allocations,
            size: layout.size(),
            align: layout.align(),
            stack,
            elsewhere: false,
            during_panic: std::thread::panicking(),
        };
        self.live.insert(ptr as usize, block);
    }

    /// A new block (of any thread) at `address`: a free there is no longer
    /// a second free.
    pub(super) fn reused(&mut self, address: usize) {
        if self.given_back.remove(&address).is_some() {
            REMEMBERED.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// What the check knows of a block being released, `None` if nothing
    /// (allocated before the check started, or by another thread: not ours
    /// to judge). `here`: released by the check's own thread.
    pub(super) fn released(&mut self, ptr: *mut u8, here: bool, owner: Owner) -> Option<Released> {
        let address = ptr as usize;
        if let Some(block) = self.live.remove(&address) {
            let kept = Layout::from_size_align(block.size, block.align)
                .expect("recorded from a valid layout");
            if !here && !block.elsewhere {
                self.went_elsewhere(block.allocation());
            }
            self.quarantine(ptr, kept, owner, Some(block.stack));
            return Some(Released::Kept);
        }
        self.has_freed(ptr).map(Released::Twice)
    }

    /// Keeps back a block the check's own thread freed although the check
    /// did not see it allocated (it was allocated before the check): a
    /// second free of it inside the check is then caught too.
    pub(super) fn keep_unknown(&mut self, ptr: *mut u8, layout: Layout, owner: Owner) {
        self.quarantine(ptr, layout, owner, None);
    }

    /// Whether `ptr` is a block the check saw freed, and no allocation has
    /// reused since; if so, where it was allocated, if known.
    pub(super) fn has_freed(&self, ptr: *mut u8) -> Option<Origin> {
        let address = ptr as usize;
        if let Some((_, _, _, origin)) = self.freed.get(&address) {
            return Some(origin.clone());
        }
        self.given_back.get(&address).cloned()
    }

    pub(super) fn freed_twice(&mut self, allocation: Allocation) {
        self.double_frees.push(allocation);
    }

    /// Counts a block that another thread freed or resized.
    fn went_elsewhere(&mut self, allocation: Allocation) {
        self.freed_elsewhere += 1;
        if self.elsewhere.len() < ELSEWHERE_SHOWN {
            self.elsewhere.push(allocation);
        }
    }

    /// Keeps a freed block back, and gives the oldest back to the system
    /// while the quarantine is over its bounds, remembering their
    /// addresses.
    fn quarantine(&mut self, ptr: *mut u8, layout: Layout, owner: Owner, origin: Origin) {
        self.freed
            .insert(ptr as usize, (ptr, layout, owner, origin));
        self.freed_order.push_back(ptr as usize);
        self.freed_bytes += layout.size();
        while self.freed_order.len() > QUARANTINE_BLOCKS || self.freed_bytes > QUARANTINE_BYTES {
            let Some(oldest) = self.freed_order.pop_front() else {
                break;
            };
            if let Some((ptr, layout, owner, origin)) = self.freed.remove(&oldest) {
                self.freed_bytes -= layout.size();
                if self.given_back.insert(oldest, origin).is_none() {
                    REMEMBERED.fetch_add(1, Ordering::SeqCst);
                }
                // SAFETY: as in `drop`: this block was allocated by
                // `owner` with `layout`, freed once by the program and
                // kept back until now; removing it from `freed` makes this
                // its only release.
                unsafe { owner.dealloc(ptr, layout) };
            }
        }
    }

    /// Counts a reallocation made by the check's own thread.
    pub(super) fn resized(&mut self, old_layout: Layout, new_layout: Layout) {
        self.reallocations += 1;
        self.bytes_allocated += new_layout.size().saturating_sub(old_layout.size());
    }

    /// Follows a block of the check to its new place; false if the block
    /// is not the check's. `here`: resized by the check's own thread.
    pub(super) fn moved(
        &mut self,
        old: *mut u8,
        new: *mut u8,
        new_layout: Layout,
        here: bool,
    ) -> bool {
        let Some(mut block) = self.live.remove(&(old as usize)) else {
            return false;
        };
        block.size = new_layout.size();
        if !here && !block.elsewhere {
            block.elsewhere = true;
            self.went_elsewhere(block.allocation());
        }
        self.live.insert(new as usize, block);
        true
    }

    /// The report: every block still live is a leak, unless the standard
    /// library allocated it for itself (see `Stack::kept_by_std`).
    pub(super) fn finish(mut self) -> LeakReport {
        // The blocks kept in `freed` go back to the system when `self` is
        // dropped, at the end of this function (see `Drop`).
        // Before anything is looked up: kept for the report's `Display`.
        let symbols = site::SymbolsKept::default();
        let mut leaks = Vec::new();
        let mut kept_by_std = 0;
        let live = std::mem::take(&mut self.live);
        // Only a byte buffer, or a block allocated during a panic, can be
        // one that the standard library keeps (see `Stack::kept_by_std`):
        // the debug information is read only if there is such a block.
        let mut live: Vec<LiveBlock> = live.into_values().collect();
        // Largest first, then in the order they were allocated: the same
        // report on every run, whatever order the map holds them in.
        live.sort_by_key(|block| (std::cmp::Reverse(block.size), block.number));
        let (candidates, others): (Vec<LiveBlock>, Vec<LiveBlock>) = live
            .into_iter()
            .partition(|block| block.align == 1 || block.during_panic);
        leaks.extend(others.iter().map(LiveBlock::allocation));
        if !candidates.is_empty() {
            site::resolving(|| {
                // Each distinct stack is judged once.
                let mut judged: HashMap<(*const Stack, bool), bool> = HashMap::new();
                for block in candidates {
                    let std_keeps = *judged
                        .entry((Arc::as_ptr(&block.stack), block.during_panic))
                        .or_insert_with(|| block.stack.kept_by_std(block.during_panic));
                    if std_keeps {
                        kept_by_std += 1;
                    } else {
                        leaks.push(block.allocation());
                    }
                }
            });
        }
        leaks.sort_by_key(|a| std::cmp::Reverse(a.size));
        LeakReport {
            leaks,
            double_frees: std::mem::take(&mut self.double_frees),
            freed_elsewhere: self.freed_elsewhere,
            elsewhere: std::mem::take(&mut self.elsewhere),
            allocations: self.allocations,
            reallocations: self.reallocations,
            bytes_allocated: self.bytes_allocated,
            kept_by_std,
            symbols,
        }
    }
}

/// Gives the blocks kept by `released` back to the system, and forgets the
/// addresses remembered: when the check ends, and also when `f` panics and
/// the check is abandoned.
impl Drop for LeakScope {
    fn drop(&mut self) {
        REMEMBERED.fetch_sub(self.given_back.len(), Ordering::SeqCst);
        for (_, (ptr, layout, owner, _)) in self.freed.drain() {
            // SAFETY: `released` kept this block from being freed: it was
            // allocated by `owner` (through `LabAllocator`, whose `dealloc`
            // named it) with this layout, freed once by the program, and is
            // freed here once (`drain` removes it from the map).
            unsafe { owner.dealloc(ptr, layout) };
        }
    }
}
