//! The lab: `LabAllocator`, each workload inside `check_leaks` as a test
//! would run it, then a leak report of many blocks.
//!
//! `lab --outside-check` runs the workloads with the lab installed but no
//! check running: what every allocation of a test program pays for the
//! lab being there. `lab --show-report` prints the leak report measured.

use std::io::Write;
use std::time::Instant;

use cleanup_lab::{LabAllocator, check_leaks};
use cleanup_lab_bench as bench;

#[global_allocator]
static ALLOCATOR: LabAllocator = LabAllocator;

fn main() {
    let option = std::env::args().nth(1);
    match option.as_deref() {
        None => {
            in_checks();
            leak_report(false);
        }
        Some("--outside-check") => {
            let live = bench::live_blocks(bench::LIVE_BLOCKS);
            let churn = bench::churn(bench::CHURN_ALLOCATIONS);
            bench::print_live_and_churn(&live, churn);
        }
        Some("--show-report") => leak_report(true),
        Some(other) => {
            eprintln!("unknown option {other}: expected --outside-check or --show-report");
            std::process::exit(2);
        }
    }
}

fn in_checks() {
    let (live, report) = check_leaks(|| bench::live_blocks(bench::LIVE_BLOCKS));
    // Proof that the check watched the workload and found it clean: a
    // check that saw nothing would be cheap, and measure nothing.
    assert!(report.is_clean(), "{report}");
    assert!(report.allocations >= bench::LIVE_BLOCKS);
    let (churn, report) = check_leaks(|| bench::churn(bench::CHURN_ALLOCATIONS));
    assert!(report.is_clean(), "{report}");
    assert!(report.allocations >= bench::CHURN_ALLOCATIONS);
    bench::print_live_and_churn(&live, churn);
}

/// Leaks [`bench::LEAKED_BLOCKS`] blocks under a check, and times what
/// comes after: the check building its report when it ends, and the
/// report's text, where each block's stack is looked up in the program's
/// debug information.
fn leak_report(show: bool) {
    // Reserved outside the check: the blocks are the only leaks.
    let mut leaked = Vec::with_capacity(bench::LEAKED_BLOCKS);
    let start = Instant::now();
    let (leaking_ended, report) = check_leaks(|| {
        bench::leak_blocks(bench::LEAKED_BLOCKS, &mut leaked);
        Instant::now()
    });
    let built = leaking_ended.elapsed();
    let leaking = leaking_ended - start;
    assert_eq!(report.leaks.len(), bench::LEAKED_BLOCKS);

    let start = Instant::now();
    let text = format!("{report}");
    let formatting = start.elapsed();
    drop(leaked);

    if show {
        // Read through `head`, say: a closed pipe is no error here.
        let _ = writeln!(std::io::stdout().lock(), "{text}");
        return;
    }
    bench::print_figure("leak_ms", leaking.as_secs_f64() * 1e3);
    bench::print_figure("report_build_ms", built.as_secs_f64() * 1e3);
    bench::print_figure("report_format_ms", formatting.as_secs_f64() * 1e3);
    bench::print_figure("report_bytes", text.len() as f64);
}
