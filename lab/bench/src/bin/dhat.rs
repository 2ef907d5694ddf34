//! dhat in heap-testing mode, as its documentation sets up a heap usage
//! test: `dhat::Alloc` as the global allocator, and a profiler built with
//! `testing()` for the whole program.

use cleanup_lab_bench as bench;

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

fn main() {
    let profiler = dhat::Profiler::builder().testing().build();
    let live = bench::live_blocks(bench::LIVE_BLOCKS);
    let churn = bench::churn(bench::CHURN_ALLOCATIONS);
    // A test's assertions, and proof that the profiler saw the workloads.
    let stats = dhat::HeapStats::get();
    dhat::assert!(stats.max_blocks >= bench::LIVE_BLOCKS);
    dhat::assert!(stats.total_blocks >= (bench::LIVE_BLOCKS + bench::CHURN_ALLOCATIONS) as u64);
    drop(profiler);
    bench::print_live_and_churn(&live, churn);
}
