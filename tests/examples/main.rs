//! Runs every example program the way readers do, and checks that each
//! behaves like a real command-line tool. One job per file:
//!
//! - `shown_runs`: the runs the book shows (tests/cmd/), under hostile
//!   environment variables;
//! - `usage`: `--help`, and bad command lines (one line, status 2);
//! - `huge_counts`: counts and inputs no program can serve (one line,
//!   status 1 or 2, never a panic or an abort), and a count of a million
//!   under a memory limit too small for its values (one line, status 1);
//! - `closed_output`: a stdout closed by its reader, a full stdout, a full
//!   stderr;
//! - `lab_use`: the lab allocator is installed only where the lab is used;
//! - `recipe`: chapter 8's recipe for running its tool, run twice;
//! - `parsing`: the command-line parsers and path escaping, called directly;
//! - `zig_twins`: the Zig twins of zig/ pass their tests and print what the
//!   book shows;
//! - `timelines`: the pictures of src/timelines/ are drawn from the traces.
//!
//! `programs` holds what they share: the programs, how to run each one;
//! `cases` reads and runs a case of tests/cmd/ (trycmd's rules, its
//! own code).
//! Refresh the shown output: `TRYCMD=overwrite cargo test --test examples`.

#[path = "../support/mod.rs"]
mod support;

mod callgrind;
mod cases;
mod closed_output;
mod huge_counts;
mod lab_use;
mod parsing;
mod programs;
mod recipe;
mod shown_runs;
mod timelines;
mod usage;
mod zig_twins;

// Each check above, once per chapter with programs: `cargo test ch03`
// runs chapter 3's.
crate::per_chapter!(
    {
        closed_output::stdout_closed_before_the_first_write_ends_quietly_with_status_0,
        closed_output::stdout_closed_after_the_first_line_ends_quietly_with_status_0,
        closed_output::full_stdout_is_one_error_line_and_status_1,
        closed_output::full_stderr_changes_no_exit_status,
        huge_counts::huge_counts_and_impossible_paths_get_one_line_and_status_1_or_2,
        huge_counts::a_million_values_beyond_a_memory_limit_are_one_error_line_and_status_1,
        usage::help_prints_the_usage_of_the_readme_on_stdout,
        usage::bad_command_lines_get_one_line_and_status_2,
        lab_use::programs_install_the_lab_allocator_only_to_use_the_lab,
        shown_runs::shown_runs_print_what_the_book_shows,
        zig_twins::zig_twins_pass_their_tests_and_print_what_the_book_shows,
        timelines::timelines_are_drawn_from_the_traces_shown,
    },
    ch02, ch03, ch04, ch05, ch06, ch07, ch08,
);

/// Every program and every case of tests/cmd/ belongs to a chapter listed
/// above, or no check above would run it.
#[test]
fn every_program_and_case_belongs_to_a_listed_chapter() {
    let mut names = support::example_names();
    names.extend(support::other_edition_examples());
    for case in support::files_ending("tests/cmd", ".toml") {
        names.push(case.file_stem().unwrap().to_string_lossy().into_owned());
    }
    for name in names {
        assert!(
            CHAPTERS
                .iter()
                .any(|chapter| name.starts_with(&format!("{chapter}_"))),
            "{name}: named after no chapter of per_chapter! in tests/examples/main.rs"
        );
    }
}
