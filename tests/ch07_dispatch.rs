//! Chapter 7's claim about an allocator taken as a type parameter: each
//! call of `try_evens_in` takes fewer instructions than the same call
//! through `&dyn Allocator` (Zig's kind of allocator: a pointer and a table
//! of functions), with an arena and with the global allocator, and the
//! difference weighs more next to the arena's cheap allocation.
//!
//! The figures come from the release build under callgrind, which plain
//! `cargo test` does not build, so the test is ignored there; `.ci/run`
//! runs it:
//!
//!     cargo build --release --example ch07_dispatch
//!     cargo test --test chapters ch07_dispatch -- --ignored
//!
//! A failure names `measured` or `run` in `examples/ch07_dispatch.rs`.

use crate::bench;
use crate::support;

use support::{Shown, check_in_output, fn_place};

#[test]
#[ignore = "needs `cargo build --release --example ch07_dispatch` and valgrind; .ci/run runs it"]
fn the_generic_call_takes_fewer_instructions_than_the_dyn_call() {
    let shown = Shown::load("ch07_dispatch-release");
    let output = bench::run_shown(&shown, "ch07_dispatch");
    let figures = bench::figures(&output);
    let names: Vec<&str> = figures.iter().map(|(name, _)| name.as_str()).collect();
    let expected = [
        "A = &Bump",
        "A = &dyn Allocator, to the arena",
        "A = Global",
        "A = &dyn Allocator, to Global",
    ];
    check_in_output(
        &fn_place("examples/ch07_dispatch.rs", "run"),
        "the figures it prints, in order",
        names == expected,
        format!("{expected:?}"),
        format!("{names:?}"),
        &output,
    );
    let [arena, dyn_arena, global, dyn_global] = [0, 1, 2, 3].map(|i| figures[i].1);
    let place = fn_place("examples/ch07_dispatch.rs", "measured");
    check_in_output(
        &place,
        "instructions per call with the arena: generic against dyn",
        arena < dyn_arena,
        format!("generic fewer than dyn ({dyn_arena})"),
        format!("generic {arena}"),
        &output,
    );
    check_in_output(
        &place,
        "instructions per call with the global allocator: generic against dyn",
        global < dyn_global,
        format!("generic fewer than dyn ({dyn_global})"),
        format!("generic {global}"),
        &output,
    );
    check_in_output(
        &place,
        "how many times the generic call's instructions the dyn call takes \
         (the indirect call weighs more next to the arena's cheap allocation)",
        dyn_arena / arena > dyn_global / global,
        format!(
            "more with the arena than with the global allocator ({:.2})",
            dyn_global / global
        ),
        format!("{:.2} with the arena", dyn_arena / arena),
        &output,
    );
    // The book shows this run, and its prose quotes the figures.
    shown.assert_matches(&output, "examples/ch07_dispatch.rs");
    let chapter = "ch07-buffers-in-apis";
    bench::assert_chapter_says(
        chapter,
        &format!(
            "the generic call takes {arena:.0} instructions and the `dyn` call {dyn_arena:.0}, \
             {:.2} times as many",
            dyn_arena / arena
        ),
    );
    bench::assert_chapter_says(
        chapter,
        &format!(
            "{global:.0} generic, {dyn_global:.0} `dyn` ({:.2} times)",
            dyn_global / global
        ),
    );
}
