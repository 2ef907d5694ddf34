//! The Zig twins of `zig/`: each builds with Zig 0.17.0, passes its own
//! tests (`std.testing.allocator`, `checkAllAllocationFailures`: `zig build
//! test`) and prints exactly what the book shows, `zig/NAME.stdout` and
//! `zig/NAME.stderr` (nothing on stderr when there is no such file), with
//! code addresses and this machine's paths masked. Without Zig 0.17.0 on
//! PATH, each chapter's twins are listed as not checked, with how to check
//! them (`bash .ci/zig`). `TRYCMD=overwrite` rewrites a shown output that
//! differs, as it does for the Rust programs.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::{self, fail, first_difference, root, shown_line};

/// The Zig the twins are written for (`.ci/zig` installs it).
const ZIG_VERSION: &str = "0.17.0";

fn zig_dir() -> PathBuf {
    root().join("zig")
}

/// Zig's library directory, if the `zig` on PATH is the version the twins
/// need; otherwise why not.
fn zig_here() -> &'static Result<String, String> {
    static ZIG: OnceLock<Result<String, String>> = OnceLock::new();
    ZIG.get_or_init(|| {
        let how = "bash .ci/zig installs it from PyPI and runs these checks";
        let version = Command::new("zig")
            .arg("version")
            .output()
            .map_err(|_| format!("zig is not on PATH ({how})"))?;
        let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
        if version != ZIG_VERSION {
            return Err(format!(
                "the zig on PATH is {version:?}, the twins need {ZIG_VERSION} ({how})"
            ));
        }
        let env = Command::new("zig").arg("env").output().unwrap();
        let env = String::from_utf8_lossy(&env.stdout).into_owned();
        env.lines()
            .find_map(|line| line.trim().strip_prefix(".lib_dir = \""))
            .and_then(|rest| rest.strip_suffix("\","))
            .map(str::to_string)
            .ok_or_else(|| format!("`zig env` names no .lib_dir:\n{env}"))
    })
}

/// `zig build install test` in zig/, once for the whole test program: every
/// twin built into zig/zig-out/bin/, every twin's tests and the lab's run.
fn built() -> &'static Result<(), String> {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let run = Command::new("zig")
            .args(["build", "install", "test", "--summary", "none"])
            .current_dir(zig_dir())
            .output()
            .map_err(|error| format!("cannot run zig: {error}"))?;
        if run.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&run.stderr).into_owned())
        }
    })
}

/// Chapter `chapter`'s twins build, pass their tests and print what the
/// book shows.
pub fn zig_twins_pass_their_tests_and_print_what_the_book_shows(chapter: &str) {
    let twins: Vec<String> = support::zig_twins()
        .into_iter()
        .filter(|name| name.starts_with(&format!("{chapter}_")))
        .collect();
    for file in support::files_ending("zig", ".zig") {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        if name.starts_with(&format!("{chapter}_")) && !twins.contains(&name) {
            fail(
                "zig/build.zig",
                "the twins list names every twin, so that each is built and tested",
                format!("{name:?} in the list"),
                format!("{twins:?}"),
            );
        }
    }
    for program in support::example_names() {
        if !program.starts_with(&format!("{chapter}_")) || twins.contains(&program) {
            continue;
        }
        let reason = format!("`{program}` has no Zig twin: ");
        if !support::chapter_says(chapter, &reason) {
            fail(
                &format!("src/{chapter}-*.md"),
                "every program has a Zig twin (zig/build.zig) or its chapter says why not",
                format!("a sentence that starts {reason:?}"),
                "none",
            );
        }
    }
    for twin in &twins {
        // A chapter's program, or a program the book proves does not
        // compile (the Zig twin compiles, and fails when it runs).
        let rust = [format!("examples/{twin}.rs"), format!("tests/ui/{twin}.rs")];
        if !rust.iter().any(|file| root().join(file).is_file()) {
            fail(
                &format!("zig/{twin}.zig"),
                "a twin is named after the Rust program it mirrors",
                rust.join(" or "),
                "no such program",
            );
        }
    }
    if twins.is_empty() {
        return;
    }
    // Chapter 8's twins write to /dev/full, as its Rust programs do; the
    // shown outputs are Unix's (and the twins are run through `sh`).
    if !support::programs_run_here(chapter)
        || !support::shown_outputs_here(&format!("{chapter}: Zig twins ({})", twins.join(", ")))
    {
        for twin in &twins {
            same_allocations_as_the_rust_program(twin);
        }
        return;
    }
    let lib_dir = match zig_here() {
        Ok(lib_dir) => lib_dir,
        Err(why) => {
            support::not_checked::not_checked(
                &format!("{chapter}: Zig twins ({})", twins.join(", ")),
                why,
            );
            for twin in &twins {
                same_allocations_as_the_rust_program(twin);
            }
            return;
        }
    };
    if let Err(output) = built() {
        fail(
            "zig/build.zig",
            "`zig build install test` in zig/: every twin builds and passes its tests",
            "success",
            output,
        );
    }
    for twin in &twins {
        // The usual umask, whatever the test's is: chapter 8's twin shows
        // the mode of a new file.
        let run = Command::new("sh")
            .args(["-c", "umask 022 && exec \"$0\""])
            .arg(zig_dir().join("zig-out/bin").join(twin))
            .current_dir(zig_dir())
            .output()
            .unwrap();
        let place = format!("zig/{twin}.zig");
        let aborts = support::ZIG_ABORTING.contains(&twin.as_str());
        if aborts != support::aborted(&run.status) || (!aborts && !run.status.success()) {
            let expected = if aborts {
                "aborted (SIGABRT)"
            } else {
                "success"
            };
            fail(&place, "the twin's exit status", expected, run.status);
        }
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            let seen = masked(&String::from_utf8_lossy(text), lib_dir);
            compare_shown(&zig_dir().join(format!("{twin}.{stream}")), &seen);
        }
        same_allocations_as_the_rust_program(twin);
    }
}

/// The twins whose allocations and frees are the Rust program's, line for
/// line (chapter 3 says so of its two). Elsewhere the twins part on
/// purpose: a Rust panic allocates for itself, and Zig's arena grows its
/// one block where bumpalo's starts at its full size.
const SAME_ALLOCATIONS: &[&str] = &[
    "ch03_staged",
    "ch03_errdefer",
    "ch03_guard_order",
    "ch04_raw_parts",
];

/// A twin of [`SAME_ALLOCATIONS`] has, in its shown output, the allocations
/// and frees of the Rust program's, in the same order: only the notes
/// between them may differ. Files only, so this is checked with or
/// without Zig.
fn same_allocations_as_the_rust_program(twin: &str) {
    let events = |file: &str| -> Vec<(usize, String)> {
        let text = fs::read_to_string(root().join(file)).unwrap_or_default();
        text.lines()
            .enumerate()
            .filter(|(_, line)| {
                ["  alloc ", "  free ", "  realloc "]
                    .iter()
                    .any(|event| line.starts_with(event))
            })
            .map(|(number, line)| (number + 1, line.to_string()))
            .collect()
    };
    let rust_file = format!("tests/cmd/{twin}.stdout");
    let zig_file = format!("zig/{twin}.stdout");
    if !SAME_ALLOCATIONS.contains(&twin) {
        return;
    }
    let (rust, zig) = (events(&rust_file), events(&zig_file));
    for index in 0..rust.len().max(zig.len()) {
        let (rust_event, zig_event) = (rust.get(index), zig.get(index));
        if rust_event.map(|(_, e)| e) != zig_event.map(|(_, e)| e) {
            let place =
                zig_event.map_or(zig_file.clone(), |(line, _)| format!("{zig_file}:{line}"));
            fail(
                &place,
                &format!(
                    "the twin's allocations and frees, as {rust_file} shows the Rust program's"
                ),
                rust_event.map_or("(no more)".to_string(), |(line, e)| {
                    format!("{e:?} ({rust_file}:{line})")
                }),
                zig_event.map_or("(no more)".to_string(), |(_, e)| format!("{e:?}")),
            );
        }
    }
}

/// What a twin prints, with what changes from one machine or run to the
/// next masked: addresses (`0xADDR`, `ADDR`), a thread's id (`TID`), a
/// generic function's instance number (`__func_N`), the
/// project's directory (paths become relative to it) and Zig's library
/// directory (`<zig>/lib`).
fn masked(text: &str, lib_dir: &str) -> String {
    let root = format!("{}/", root().display());
    let text = text.replace(lib_dir, "<zig>/lib").replace(&root, "");
    let text = mask_after(&text, "thread ", " panic: ", "TID", |c| c.is_ascii_digit());
    let text = mask_after(&text, "[addr: ", ",", "ADDR", |c| c.is_ascii_hexdigit());
    let text = mask_after(&text, ": 0x", " in ", "ADDR", |c| c.is_ascii_hexdigit());
    mask_after(&text, "__func_", " (", "N", |c| c.is_ascii_digit())
}

/// Replaces `VALUE` with `mask` wherever `before VALUE after` appears and
/// every character of `VALUE` is `kind`: Zig's varying values are a
/// panicking thread's id (`thread 1234 panic: `), a leaked block's address
/// (`[addr: 7f17e0e96150,`), a frame's code address (`: 0x11f4cc5 in `)
/// and the compiler's number for one instance of a generic function
/// (`runWithStdout__func_822 (`), which changes when any code does.
/// Nothing else, so that a length like `80 (0x50)` stays as printed.
fn mask_after(text: &str, before: &str, after: &str, mask: &str, kind: fn(char) -> bool) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(before) {
        let value_start = start + before.len();
        masked.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        if let Some(end) = rest.find(after)
            && end > 0
            && rest[..end].chars().all(kind)
        {
            masked.push_str(mask);
            rest = &rest[end..];
        }
    }
    masked.push_str(rest);
    masked
}

/// `seen` must be the text of `file`; a missing file stands for no output.
fn compare_shown(file: &Path, seen: &str) {
    let expected = fs::read_to_string(file).unwrap_or_default();
    let Some((line, expected_line, seen_line)) = first_difference(&expected, seen) else {
        return;
    };
    if std::env::var_os("TRYCMD").is_some_and(|mode| mode == "overwrite") {
        fs::write(file, seen).unwrap();
        return;
    }
    fail(
        &format!("{}:{line}", support::relative(file)),
        "what the Zig twin prints, as the book shows it (TRYCMD=overwrite rewrites the file)",
        shown_line(expected_line),
        shown_line(seen_line),
    );
}

/// Each row of chapter 1's map names the programs that show it in both
/// languages (`NAME`: `examples/NAME.rs` and its twin `zig/NAME.zig`) and
/// links to a heading of the page that includes the twin.
#[test]
fn ch01_each_row_of_the_map_links_to_both_programs() {
    let map_file = "src/ch01-introduction.md";
    let map = fs::read_to_string(root().join(map_file)).unwrap();
    let twins = support::zig_twins();
    let header = "| Idea | Zig | Rust, in this course | Both programs |";
    let (before, table) = map.split_once(header).expect("chapter 1 has the map");
    let first_row = before.lines().count() + 2; // after the header and its rule
    let rows = table
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'));
    let mut count = 0;
    for (index, row) in rows.enumerate() {
        count += 1;
        let place = format!("{map_file}:{}", first_row + index);
        let cell = row.trim_end_matches('|').rsplit('|').next().unwrap().trim();
        let link = cell
            .strip_prefix('[')
            .and_then(|rest| rest.split_once("]("))
            .and_then(|(names, rest)| Some((names, rest.strip_suffix(')')?)))
            .and_then(|(names, target)| Some((names, target.split_once('#')?)));
        let Some((names, (page, anchor))) = link else {
            fail(
                &place,
                "the row's last cell",
                "[`NAME`](PAGE.md#HEADING)",
                cell,
            );
        };
        let page_text = fs::read_to_string(root().join("src").join(page)).unwrap_or_default();
        let headings = support::heading_ids(&page_text);
        if !headings.iter().any(|id| id == anchor) {
            fail(
                &place,
                "the link's heading",
                format!("one of {headings:?} in src/{page}"),
                anchor,
            );
        }
        for name in names.split('`').skip(1).step_by(2) {
            let included = format!("../zig/{name}.zig");
            if !twins.iter().any(|t| t == name) || !page_text.contains(&included) {
                fail(
                    &place,
                    "a program of the row: a Zig twin that the linked page includes",
                    format!("{included} included by src/{page}"),
                    name,
                );
            }
        }
    }
    assert!(count >= 10, "{map_file}: the map has {count} rows");
}
