//! The book tells the truth about itself: every Rust block is verified, every
//! shown output is the real output, every shown compiler error is real.

#[path = "support/rendered.rs"]
mod rendered;
mod support;

use std::fs;

use rendered::{Block, book_blocks};
use support::{files_ending, files_under, relative, root};

/// The number of tests skeptic generated from the book, and the place
/// (`src/chNN-....md:LINE`) of each block they run.
fn skeptic_tests() -> (usize, Vec<String>) {
    let generated = std::path::Path::new(env!("OUT_DIR")).join("skeptic-tests.rs");
    let code = fs::read_to_string(generated).unwrap();
    // One line per test; the snippets inside may contain `#[test]` too.
    let count = code
        .lines()
        .filter(|line| line.starts_with("#[test] fn "))
        .count();
    // build.rs gives each test its block's place (build/skeptic_tests.rs).
    let places = code
        .split("run_block(&Block { place: \"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(place, _)| place.to_string()))
        .collect();
    (count, places)
}

/// The blocks of `chapter` (`ch03`, `appendix`: see `per_chapter!`).
fn blocks_of(chapter: &str) -> Vec<&'static Block> {
    let prefix = format!("src/{chapter}-");
    book_blocks()
        .iter()
        .filter(|b| b.place.starts_with(&prefix))
        .collect()
}

fn every_rust_block_is_compiled_and_run_or_proven_not_to_compile(chapter: &str) {
    let blocks = blocks_of(chapter);
    for block in &blocks {
        assert!(
            !block.tags.iter().all(|t| t.is_empty()),
            "{}: a code block needs a language (rust, console, text)",
            block.place
        );
        if block.is_rust() {
            for forbidden in ["ignore", "should_panic"] {
                assert!(
                    !block.has_tag(forbidden),
                    "{}: `{forbidden}` blocks are not verified; run the code or prove it as compile_fail",
                    block.place
                );
            }
            if block.has_tag("no_run") {
                assert_runs_are_checked_elsewhere(block);
            }
            assert!(
                block.text.lines().any(|line| !is_hidden(line)),
                "{}: the reader sees nothing of this block (wrong anchor?)",
                block.place
            );
        }
    }
    let rust: Vec<&Block> = blocks.iter().copied().filter(|b| b.is_rust()).collect();
    let proven = rust.iter().filter(|b| b.has_tag("compile_fail")).count();
    let (_, skeptic_places) = skeptic_tests();
    let prefix = format!("src/{chapter}-");
    let run = skeptic_places
        .iter()
        .filter(|p| p.starts_with(&prefix))
        .count();
    for block in rust.iter().filter(|b| !b.has_tag("compile_fail")) {
        assert!(
            skeptic_places.contains(&block.place),
            "{}: no skeptic test runs this Rust block (expected one for every Rust \
             block that is not compile_fail; seen {} skeptic tests, none for this line)",
            block.place,
            skeptic_places.len()
        );
    }
    let compiled_only = rust.iter().filter(|b| b.has_tag("no_run")).count();
    println!(
        "{chapter}: {} Rust blocks: {run} compiled by skeptic ({compiled_only} of them not run there: \
         programs that need arguments, run as cases of tests/cmd/), {proven} proven not to compile",
        rust.len()
    );
    assert_eq!(
        rust.len(),
        run + proven,
        "expected as many Rust blocks as tests of skeptic and of tests/ui/; \
         seen {} blocks, {run} skeptic tests, {proven} compile_fail blocks",
        rust.len()
    );
}

/// A `no_run` block is only compiled by skeptic, so it must be a whole
/// example program (a program that needs arguments, which skeptic cannot
/// give) whose runs are cases of tests/cmd/.
fn assert_runs_are_checked_elsewhere(block: &Block) {
    let unhidden: String = block
        .text
        .lines()
        .map(|line| {
            let line = line.strip_prefix("# ").unwrap_or(line);
            if line == "#" { "" } else { line }
        })
        .flat_map(|line| [line, "\n"])
        .collect();
    let example = support::example_names()
        .into_iter()
        .find(|name| {
            let source = root().join("examples").join(format!("{name}.rs"));
            // mdBook drops the anchor lines when it includes a file.
            let shown: String = fs::read_to_string(source)
                .unwrap()
                .lines()
                .filter(|line| !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:"))
                .flat_map(|line| [line, "\n"])
                .collect();
            shown.trim_end() == unhidden.trim_end()
        })
        .unwrap_or_else(|| {
            panic!(
                "{}: a `no_run` block must be a whole example (`{{{{#rustdoc_include}}}}` of one), \
                 so that its runs are checked as cases of tests/cmd/",
                block.place
            )
        });
    assert!(
        cases().iter().any(|case| case.example == example),
        "{}: examples/{example}.rs has no case in tests/cmd/",
        block.place
    );
}

/// rustdoc's rule, which mdBook and skeptic share: `# ` hides a line.
fn is_hidden(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("# ") || trimmed == "#"
}

/// The places failures name are right: for each rendered line, the place
/// build.rs gives it (`support::source_places`) holds that line, in the
/// chapter or in the file an include brought it from (behind `# ` where
/// `rustdoc_include` hides it).
fn every_rendered_line_is_mapped_to_the_line_it_comes_from(of: &str) {
    let mut files: std::collections::HashMap<String, Vec<String>> = Default::default();
    let rendered = rendered::rendered_chapters();
    let prefix = format!("{of}-");
    for (chapter, markdown) in rendered.into_iter().filter(|(c, _)| c.starts_with(&prefix)) {
        let places = rendered::source_places(&chapter);
        assert_eq!(
            places.len(),
            markdown.lines().count(),
            "{chapter}: expected a place for each rendered line"
        );
        for (line, place) in markdown.lines().zip(&places) {
            let file_line = place.split(" (included at ").next().unwrap();
            let (file, number) = file_line.rsplit_once(':').unwrap();
            let lines = files.entry(file.to_string()).or_insert_with(|| {
                let text = fs::read_to_string(root().join(file)).unwrap();
                text.lines().map(str::to_string).collect()
            });
            let number: usize = number.parse().unwrap();
            let source = lines.get(number - 1).map(String::as_str);
            assert!(
                source.is_some_and(|source| line == source || line == format!("# {source}")),
                "{place}: this place is given to a rendered line of {chapter} that it does \
                 not hold (build/places.rs)\n{:>8}: {}\n{:>8}: {:?}",
                "expected",
                support::shown_line(Some(line)),
                "seen",
                source.unwrap_or("(no such line)"),
            );
        }
    }
}

fn every_compile_fail_block_is_a_proven_case_with_its_real_error(chapter: &str) {
    let blocks = blocks_of(chapter);
    for (i, block) in blocks.iter().enumerate() {
        if !block.has_tag("compile_fail") {
            continue;
        }
        let case = files_ending("tests/ui", ".rs")
            .into_iter()
            .find(|path| fs::read_to_string(path).unwrap() == block.text)
            .unwrap_or_else(|| {
                panic!(
                    "{}: this compile_fail block is not a file of tests/ui/, so nothing proves it fails",
                    block.place
                )
            });
        let stderr = fs::read_to_string(case.with_extension("stderr")).unwrap();
        let shown = blocks.get(i + 1).filter(|next| next.has_tag("text"));
        assert_eq!(
            shown.map(|b| b.text.as_str()),
            Some(stderr.as_str()),
            "{}: must be followed by a `text` block with the error of {} (left: the block \
             shown next, right: {})",
            block.place,
            relative(&case),
            relative(&case.with_extension("stderr"))
        );
    }
}

/// A case of tests/cmd/: what to run and what it prints.
struct Case {
    /// `tests/cmd/NAME.toml`.
    path: std::path::PathBuf,
    example: String,
    args: Vec<String>,
    shown: String,
}

/// Every case of tests/cmd/, parsed once per test program.
fn cases() -> &'static [Case] {
    static CASES: std::sync::OnceLock<Vec<Case>> = std::sync::OnceLock::new();
    CASES.get_or_init(parse_cases)
}

fn parse_cases() -> Vec<Case> {
    files_ending("tests/cmd", ".toml")
        .into_iter()
        .map(|path| {
            let spec = support::read_toml(&relative(&path));
            let example = spec["bin"]["name"].as_str().unwrap().to_string();
            let args = spec
                .get("args")
                .and_then(|a| a.as_array())
                .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            let read = |ext| {
                let stream = path.with_extension(ext);
                fs::read_to_string(&stream).unwrap_or_else(|_| {
                    panic!(
                        "{} is missing: every case checks both streams",
                        relative(&stream)
                    )
                })
            };
            let shown = read("stdout") + &read("stderr");
            Case {
                path,
                example,
                args,
                shown,
            }
        })
        .collect()
}

fn every_shown_run_is_a_checked_case(chapter: &str) {
    let cases = cases();
    for block in blocks_of(chapter).iter().filter(|b| b.has_tag("console")) {
        let (command, output) = block.text.split_once('\n').unwrap_or((&block.text, ""));
        let words: Vec<&str> = command.split_whitespace().collect();
        let (example, args) = match words.as_slice() {
            ["$", "cargo", "run", "--example", example, "--", args @ ..] => (*example, args),
            ["$", "cargo", "run", "--example", example] => (*example, &[][..]),
            ["$", "zig", "build", twin] => {
                assert_is_a_twins_checked_output(block, twin, output);
                continue;
            }
            // A twin that aborts, run by hand after `zig build`.
            ["$", program] if program.starts_with("zig-out/bin/") => {
                assert_is_a_twins_checked_output(block, &program["zig-out/bin/".len()..], output);
                continue;
            }
            _ => {
                assert_is_a_checked_console_file(block);
                continue;
            }
        };
        let case = cases
            .iter()
            .find(|c| c.example == example && c.args == args)
            .unwrap_or_else(|| panic!("{}: no case in tests/cmd/ runs `{command}`", block.place));
        if let Some((line, expected, seen)) = support::first_difference(&case.shown, output) {
            panic!(
                "{}: the block shows `{command}`, but not the output its case checks, \
                 {}.stdout then .stderr (does the chapter include the wrong file?)\n\
                 line {line} of the output:\n{:>8}: {}\n{:>8}: {}",
                block.place,
                relative(&case.path.with_extension("")),
                "expected",
                support::shown_line(expected),
                "seen",
                support::shown_line(seen),
            );
        }
    }
}

/// `$ zig build TWIN` (or `$ zig-out/bin/TWIN`) shows what `tests/examples/zig_twins.rs` checks that
/// the twin prints: `zig/TWIN.stdout`, then `zig/TWIN.stderr` if it exists.
fn assert_is_a_twins_checked_output(block: &Block, twin: &str, output: &str) {
    assert!(
        support::zig_twins().iter().any(|t| t == twin),
        "{}: `zig build {twin}` runs no twin of zig/build.zig's list",
        block.place
    );
    let read = |stream: &str| fs::read_to_string(root().join(format!("zig/{twin}.{stream}")));
    let shown = read("stdout").unwrap_or_default() + &read("stderr").unwrap_or_default();
    if let Some((line, expected, seen)) = support::first_difference(&shown, output) {
        panic!(
            "{}: the block shows `zig build {twin}`, but not the output its check compares, \
             zig/{twin}.stdout then .stderr\nline {line} of the output:\n{:>8}: {}\n{:>8}: {}",
            block.place,
            "expected",
            support::shown_line(expected),
            "seen",
            support::shown_line(seen),
        );
    }
}

/// A run that a case of tests/cmd/ cannot make (under valgrind, a test failing on
/// purpose) is shown from a file of tests/shown/, which a test checks.
fn assert_is_a_checked_console_file(block: &Block) {
    let file = files_ending("tests/shown", ".console")
        .into_iter()
        .find(|path| fs::read_to_string(path).unwrap() == block.text)
        .unwrap_or_else(|| {
            panic!(
                "{}: a console block is either `$ cargo run --example NAME [-- ARGS]` \
                 (a case of tests/cmd/) or a file of tests/shown/ (checked by a test)",
                block.place
            )
        });
    let name = file.file_stem().unwrap().to_string_lossy();
    let checked = format!("Shown::load(\"{name}\")");
    assert!(
        files_ending("tests", ".rs")
            .iter()
            .any(|test| fs::read_to_string(test).unwrap().contains(&checked)),
        "{}: no test runs `{checked}`, so nothing checks what it shows",
        relative(&file)
    );
}

fn every_example_has_a_checked_run(chapter: &str) {
    let cases = cases();
    let mut examples = support::example_names();
    examples.extend(support::other_edition_examples());
    let prefix = format!("{chapter}_");
    for example in examples.into_iter().filter(|e| e.starts_with(&prefix)) {
        assert!(
            cases.iter().any(|c| c.example == example),
            "examples/{example}.rs has no case in tests/cmd/"
        );
    }
    assert!(root().join("tests/cmd").is_dir());
}

/// A `zig` block is verified as a Rust block is: it must be included from a
/// Zig twin (`{{#include ../zig/NAME.zig}}`, or one of its anchors), which
/// `zig/build.zig` builds and tests and `tests/examples/zig_twins.rs` runs.
/// Zig typed into the book would be checked by nothing. And each twin of
/// the chapter shows its checked output in a console block.
fn every_zig_block_is_included_from_a_twin(chapter: &str) {
    let twins = support::zig_twins();
    let shown: Vec<String> = blocks_of(chapter)
        .iter()
        .filter(|b| b.has_tag("console"))
        .filter_map(|b| b.text.lines().next().map(str::to_string))
        .collect();
    for twin in twins
        .iter()
        .filter(|t| t.starts_with(&format!("{chapter}_")))
    {
        let runs = [
            format!("$ zig build {twin}"),
            format!("$ zig-out/bin/{twin}"),
        ];
        assert!(
            shown.iter().any(|command| runs.contains(command)),
            "src/{chapter}-*.md: zig/{twin}.zig has no run in the chapter \
             (a console block `{}`, or `{}` for a twin that aborts)",
            runs[0],
            runs[1]
        );
    }
    for file in files_ending("src", ".md") {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with(&format!("{chapter}-")) {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        let mut lines = text.lines().enumerate();
        while let Some((number, line)) = lines.next() {
            let Some(info) = line.trim_start().strip_prefix("```") else {
                continue;
            };
            let body: Vec<&str> = lines
                .by_ref()
                .map(|(_, line)| line)
                .take_while(|line| !line.trim_start().starts_with("```"))
                .collect();
            if info.split(',').next() != Some("zig") {
                continue;
            }
            let included = match body.as_slice() {
                [only] => only
                    .strip_prefix("{{#include ../zig/")
                    .and_then(|rest| rest.strip_suffix("}}"))
                    .and_then(|target| target.split(':').next())
                    .and_then(|target| target.strip_suffix(".zig")),
                _ => None,
            };
            if !included.is_some_and(|twin| twins.iter().any(|t| t == twin)) {
                support::fail(
                    &format!("{}:{}", relative(&file), number + 1),
                    "a zig block: one line including a twin that zig/build.zig builds \
                     (Zig typed into the book is checked by nothing)",
                    format!("{{{{#include ../zig/NAME.zig:ANCHOR}}}}, NAME one of {twins:?}"),
                    body.join("\n"),
                );
            }
        }
    }
}

crate::per_book_chapter!({
    every_rust_block_is_compiled_and_run_or_proven_not_to_compile,
    every_rendered_line_is_mapped_to_the_line_it_comes_from,
    every_compile_fail_block_is_a_proven_case_with_its_real_error,
    every_shown_run_is_a_checked_case,
    every_example_has_a_checked_run,
    every_zig_block_is_included_from_a_twin,
});

/// Each check above runs once per chapter, so a chapter missing from the
/// list would go unchecked; and the checks must see the book's blocks.
#[test]
fn every_chapter_of_the_book_is_checked() {
    support::assert_every_chapter_listed(CHAPTERS, "tests/book.rs");
    let blocks = book_blocks();
    for kind in ["rust", "console", "text"] {
        assert!(
            blocks.iter().any(|b| b.has_tag(kind)),
            "no {kind} block found in the rendered book: is build.rs's output read right?"
        );
    }
    let cases = cases();
    for example in support::example_names() {
        assert!(
            CHAPTERS
                .iter()
                .any(|chapter| example.starts_with(&format!("{chapter}_"))),
            "examples/{example}.rs is named after no chapter of the list"
        );
    }
    assert!(!cases.is_empty() && root().join("tests/cmd").is_dir());
}

/// build.rs expands the book's includes itself (`build/includes.rs`), not
/// with mdBook's library, which would bring a whole HTML renderer to the
/// build. So mdBook checks it: its markdown renderer writes each chapter
/// after its own include step, which must be exactly build.rs's `rendered/`,
/// file for file and byte for byte.
#[test]
fn includes_are_expanded_as_mdbook_does() {
    let what = "build.rs's include expansion equals mdBook's";
    if !support::not_checked::on_path("mdbook") {
        support::not_checked::not_checked(
            what,
            "mdbook is not on PATH (cargo install mdbook --version 0.5.4 --locked)",
        );
        return;
    }
    let version = std::process::Command::new("mdbook")
        .arg("--version")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .unwrap_or_default();
    let out = tempfile::tempdir().unwrap();
    // The whole `output` table, replaced for this run: the markdown
    // renderer alone, which writes into `-d` directly.
    let run = std::process::Command::new("mdbook")
        .args(["build", "-d"])
        .arg(out.path())
        .arg(root())
        .env("MDBOOK_OUTPUT", r#"{"markdown":{}}"#)
        .output()
        .expect("mdbook runs");
    assert!(
        run.status.success(),
        "{version} build failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let rendered = std::path::Path::new(env!("OUT_DIR")).join("rendered");
    let mdbook_files = files_under(out.path());
    assert_eq!(
        mdbook_files,
        files_under(&rendered),
        "the chapters {version} renders (left) are not those build.rs renders (right, \
         build/book.rs reads SUMMARY.md)"
    );
    for file in &mdbook_files {
        let theirs = fs::read_to_string(out.path().join(file)).unwrap();
        let ours = fs::read_to_string(rendered.join(file)).unwrap();
        if let Some((line, expected, seen)) = support::first_difference(&theirs, &ours) {
            support::fail(
                &format!("src/{}, rendered line {line}", file.display()),
                &format!(
                    "build.rs expands this chapter's includes otherwise than {version} \
                     (build/includes.rs)"
                ),
                support::shown_line(expected),
                support::shown_line(seen),
            );
        }
    }
}
