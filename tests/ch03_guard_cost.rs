//! Chapter 3's claim about what a scope guard costs: `alloc_two` with
//! scopeguard's guards runs within two instructions per call of the same
//! function with its cleanup written by hand, both when the guards are
//! defused (success) and when A's guard fires (`TooLarge`).
//!
//! The figures come from the release build under callgrind, which plain
//! `cargo test` does not build, so the test is ignored there; `.ci/run`
//! runs it:
//!
//!     cargo build --release --example ch03_guard_cost
//!     cargo test --test ch03_guard_cost -- --ignored

#[path = "support/bench.rs"]
mod bench;
mod support;

use support::Shown;

/// The most instructions per call the guards may cost over the cleanup by
/// hand, as chapter 3 says.
const TOLERANCE: f64 = 2.0;

#[test]
#[ignore = "needs `cargo build --release --example ch03_guard_cost` and valgrind; .ci/run runs it"]
fn guards_cost_within_two_instructions_per_call_of_cleanup_by_hand() {
    let shown = Shown::load("ch03_guard_cost-release");
    let output = bench::run_shown(&shown, "ch03_guard_cost");
    let figures = bench::figures(&output);
    let names: Vec<&str> = figures.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "cleanup by hand",
            "with guards",
            "cleanup by hand",
            "with guards"
        ],
        "{output}"
    );
    for (path, pair) in ["success", "failure"].iter().zip(figures.chunks(2)) {
        let (by_hand, with_guards) = (pair[0].1, pair[1].1);
        assert!(
            (with_guards - by_hand).abs() <= TOLERANCE,
            "{path}: {with_guards} instructions per call with guards, {by_hand} by hand:\n{output}"
        );
    }
    // The book shows this run, and its prose quotes the figures.
    shown.assert_matches(&output, "examples/ch03_guard_cost.rs");
    let [hand_ok, guards_ok, hand_err, guards_err] = [0, 1, 2, 3].map(|i| figures[i].1);
    let chapter = "ch03-staged-allocation";
    bench::assert_chapter_says(
        chapter,
        &format!(
            "the function with guards took {guards_ok:.0} instructions per call and the \
             one by hand {hand_ok:.0}"
        ),
    );
    // Whole instructions per call, as the chapter quotes them.
    let [hand_ok, guards_ok, hand_err, guards_err] =
        [hand_ok, guards_ok, hand_err, guards_err].map(f64::round);
    assert_eq!(
        guards_ok - hand_ok,
        1.0,
        "the chapter says: one instruction more"
    );
    assert_eq!(guards_err, hand_err, "the chapter says: both took the same");
    bench::assert_chapter_says(chapter, &format!("both took {hand_err:.0}"));
}
