//! The workloads of the benchmark, shared by its programs: one program per
//! global allocator (a program has only one), each running the same code
//! and printing what it measured, and `compare`, which runs them and puts
//! the figures side by side.
//!
//! A measuring program prints one figure a line, `name value`, which
//! [`parse_figures`] reads back.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Blocks kept live at once by [`live_blocks`].
pub const LIVE_BLOCKS: usize = 200_000;
/// Allocations made and freed at once by [`churn`].
pub const CHURN_ALLOCATIONS: usize = 1_000_000;
/// Blocks left allocated under the lab's leak check by [`leak_blocks`].
pub const LEAKED_BLOCKS: usize = 20_000;

/// A small block, the size of a short string or a node of a small tree.
type Small = [u8; 16];

/// What [`live_blocks`] measured.
pub struct Live {
    /// Nanoseconds per block to allocate it and, later, free it.
    pub nanos_per_block: f64,
    /// Resident memory per block: its peak while all the blocks were live,
    /// less what was resident before the first, divided by their number.
    /// `None` where the system does not say (not Linux).
    pub resident_per_block: Option<f64>,
}

/// Allocates `count` live `Box<[u8; 16]>` in a vector reserved (and its
/// pages touched) beforehand, then frees them all.
pub fn live_blocks(count: usize) -> Live {
    let mut slots: Vec<Option<Box<Small>>> = Vec::with_capacity(count);
    // Written now, so that the vector's pages are resident before the first
    // reading and only the blocks count in the difference.
    slots.resize(count, None);
    let resident_before = memory::resident();
    memory::reset_peak();

    let start = Instant::now();
    for (i, slot) in slots.iter_mut().enumerate() {
        *slot = Some(Box::new([i as u8; 16]));
    }
    black_box(&mut slots);
    let allocating = start.elapsed();

    let resident_peak = memory::peak();

    let start = Instant::now();
    for slot in &mut slots {
        drop(slot.take());
    }
    black_box(&mut slots);
    let freeing = start.elapsed();

    let resident_per_block = match (resident_before, resident_peak) {
        (Some(before), Some(peak)) => Some(peak.saturating_sub(before) as f64 / count as f64),
        _ => None,
    };
    Live {
        nanos_per_block: nanos_per(allocating + freeing, count),
        resident_per_block,
    }
}

/// Allocates and frees a 32-byte block `count` times, one at a time: the
/// short-lived allocations of most code. Returns nanoseconds per
/// allocation and free.
pub fn churn(count: usize) -> f64 {
    let start = Instant::now();
    for i in 0..count {
        let block = Box::new([i as u8; 32]);
        // Without it the compiler may remove the allocation.
        black_box(&block);
    }
    nanos_per(start.elapsed(), count)
}

/// Allocates `count` blocks from four places of the program in turn
/// (16, 32, 64 and 128 bytes) and pushes them onto `into`, which must have
/// room for them: under a leak check, they are what leaks, and nothing
/// else is allocated.
pub fn leak_blocks(count: usize, into: &mut Vec<Box<[u8]>>) {
    assert!(into.capacity() - into.len() >= count, "reserve room first");
    for i in 0..count {
        into.push(match i % 4 {
            0 => session_name(),
            1 => header_line(),
            2 => cache_entry(),
            _ => read_buffer(),
        });
    }
}

// Four allocation sites of their own (not inlined into `leak_blocks`), so
// that the blocks' stacks differ four ways, as leaks from a few places of
// a program do.
#[inline(never)]
fn session_name() -> Box<[u8]> {
    Box::new([1; 16])
}
#[inline(never)]
fn header_line() -> Box<[u8]> {
    Box::new([2; 32])
}
#[inline(never)]
fn cache_entry() -> Box<[u8]> {
    Box::new([3; 64])
}
#[inline(never)]
fn read_buffer() -> Box<[u8]> {
    Box::new([4; 128])
}

fn nanos_per(elapsed: Duration, count: usize) -> f64 {
    elapsed.as_nanos() as f64 / count as f64
}

/// Prints the figures of the two workloads every measuring program runs.
pub fn print_live_and_churn(live: &Live, churn_nanos: f64) {
    print_figure("live_ns", live.nanos_per_block);
    if let Some(bytes) = live.resident_per_block {
        print_figure("live_bytes_per_block", bytes);
    }
    print_figure("churn_ns", churn_nanos);
}

/// Prints one figure as `compare` reads it.
pub fn print_figure(name: &str, value: f64) {
    println!("{name} {value}");
}

/// The figures a measuring program printed, by name.
pub fn parse_figures(output: &str) -> Vec<(String, f64)> {
    output
        .lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(' ')?;
            Some((name.to_owned(), value.trim().parse().ok()?))
        })
        .collect()
}

/// Resident memory of this process, as Linux reports it.
pub mod memory {
    /// Resident memory now, in bytes (`VmRSS`).
    pub fn resident() -> Option<u64> {
        status_field("VmRSS:")
    }

    /// The most resident memory since the last [`reset_peak`] (or since
    /// the program started), in bytes (`VmHWM`).
    pub fn peak() -> Option<u64> {
        status_field("VmHWM:")
    }

    /// Makes the peak the current resident memory, so that a later
    /// [`peak`] sees only what happened since (Linux 4.0 and later). Where
    /// that fails the peak stays the program's; each measuring program
    /// runs its memory workload first, so the difference is small.
    pub fn reset_peak() {
        #[cfg(target_os = "linux")]
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }

    #[cfg(target_os = "linux")]
    fn status_field(name: &str) -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|line| line.starts_with(name))?;
        let kib: u64 = line[name.len()..]
            .trim()
            .strip_suffix("kB")?
            .trim()
            .parse()
            .ok()?;
        Some(kib * 1024)
    }

    #[cfg(not(target_os = "linux"))]
    fn status_field(_name: &str) -> Option<u64> {
        None
    }
}
