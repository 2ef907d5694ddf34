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
//!     cargo test --test chapters ch03_guard_cost -- --ignored
//!
//! A failure names `with_guards` or `run` in `examples/ch03_guard_cost.rs`,
//! or the line of chapter 3 that quotes the figures.

use crate::bench;
use crate::support;

use support::{Shown, check_eq, check_in_output, fn_place};

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
    let expected = [
        "cleanup by hand",
        "with guards",
        "cleanup by hand",
        "with guards",
    ];
    check_in_output(
        &fn_place("examples/ch03_guard_cost.rs", "run"),
        "the figures it prints, in order",
        names == expected,
        format!("{expected:?}"),
        format!("{names:?}"),
        &output,
    );
    let place = fn_place("examples/ch03_guard_cost.rs", "with_guards");
    for (path, pair) in ["success", "failure"].iter().zip(figures.chunks(2)) {
        let (by_hand, with_guards) = (pair[0].1, pair[1].1);
        check_in_output(
            &place,
            &format!("instructions per call with guards on the {path} path"),
            (with_guards - by_hand).abs() <= TOLERANCE,
            format!("within {TOLERANCE} of the cleanup by hand ({by_hand})"),
            with_guards,
            &output,
        );
    }
    // The book shows this run, and its prose quotes the figures.
    shown.assert_matches(&output, "examples/ch03_guard_cost.rs");
    let [hand_ok, guards_ok, hand_err, guards_err] = [0, 1, 2, 3].map(|i| figures[i].1);
    let chapter = "ch03-03-guard-cost";
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
    check_eq(
        &chapter_line(chapter, "one instruction more"),
        "instructions per call with guards minus by hand, success path (the chapter says: one more)",
        1.0,
        guards_ok - hand_ok,
    );
    check_eq(
        &chapter_line(chapter, "both took"),
        "instructions per call with guards and by hand, failure path (the chapter says: the same)",
        hand_err,
        guards_err,
    );
    bench::assert_chapter_says(chapter, &format!("both took {hand_err:.0}"));
}

/// `src/CHAPTER.md:LINE`, the chapter's line that says `phrase`. Fails if
/// the chapter no longer says it, so no message points nowhere.
fn chapter_line(chapter: &str, phrase: &str) -> String {
    support::chapter_place(&format!("src/{chapter}.md"), phrase)
}
