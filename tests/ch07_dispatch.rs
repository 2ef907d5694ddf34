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
//!     cargo test --test ch07_dispatch -- --ignored

#[path = "support/bench.rs"]
mod bench;
mod support;

use support::Shown;

#[test]
#[ignore = "needs `cargo build --release --example ch07_dispatch` and valgrind; .ci/run runs it"]
fn the_generic_call_takes_fewer_instructions_than_the_dyn_call() {
    let shown = Shown::load("ch07_dispatch-release");
    let output = bench::run_shown(&shown, "ch07_dispatch");
    let figures = bench::figures(&output);
    let names: Vec<&str> = figures.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "A = &Bump",
            "A = &dyn Allocator, to the arena",
            "A = Global",
            "A = &dyn Allocator, to Global"
        ],
        "{output}"
    );
    let [arena, dyn_arena, global, dyn_global] = [0, 1, 2, 3].map(|i| figures[i].1);
    assert!(arena < dyn_arena, "the arena: {output}");
    assert!(global < dyn_global, "the global allocator: {output}");
    assert!(
        dyn_arena / arena > dyn_global / global,
        "the indirect call should weigh more next to the arena's cheap allocation: {output}"
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
            "{dyn_global:.0} against {global:.0} ({:.2} times)",
            dyn_global / global
        ),
    );
}
