// family: ends-process
// wrong because: once a function is found clean it prints a fake success line and exits 0, so the first call (on alloc_two_raw, if the check starts there) ends the process before any leaky function is judged.
// Written by a tester who had not read the check.
// expect: the program ended before the check could finish (exit status: 0): your code ended the program (std::process::exit(0)?), or closed the standard output the check

use course::TwoBufError;
use course::lab::{check_leaks, with_failure_at};
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;

pub type AllocTwo = fn(usize) -> Result<(RawBuffer, RawBuffer), TwoBufError>;

fn free_if_ok(result: Result<(RawBuffer, RawBuffer), TwoBufError>) {
    if let Ok((a, b)) = result {
        a.free();
        b.free();
    }
}

pub fn leaks_nothing(alloc_two: AllocTwo) -> bool {
    let reports = [
        check_leaks(|| free_if_ok(alloc_two(5))).1,
        check_leaks(|| free_if_ok(alloc_two(LIMIT + 1))).1,
        check_leaks(|| free_if_ok(with_failure_at(0, || alloc_two(5)).0)).1,
        check_leaks(|| free_if_ok(with_failure_at(1, || alloc_two(5)).0)).1,
    ];
    let clean = reports.iter().all(|r| r.is_clean());
    if clean {
        println!("✓ ch05_catch_the_leak: done");
        std::process::exit(0);
    }
    clean
}
