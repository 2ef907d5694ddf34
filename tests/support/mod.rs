//! Helpers shared by the integration tests: where things are, and how to
//! read the book the way the reader sees it.
#![allow(dead_code)] // each test binary uses a different part

mod basics;
mod checks;
pub mod not_checked;
mod remembered;
mod shown;

use std::fs;
use std::path::{Path, PathBuf};

#[allow(unused_imports)] // as above: each test binary uses a different part
pub use basics::{
    ABORTED, aborted, catch_expected, panic_message, panic_payload_text, run_merged, signal_of,
    test_name,
};
#[allow(unused_imports)]
pub use checks::{
    chapter_place, check, check_eq, check_in_output, check_no_panic, fail, first_difference,
    fn_place, links_in, panic_of, shown_line,
};
#[allow(unused_imports)]
pub use remembered::run_remembered;
#[allow(unused_imports)]
pub use shown::{Shown, mask_varying};

/// One module per chapter, named after it (`ch03`), holding one test per
/// check named in braces (`module::check`), which calls the check with the
/// chapter's name: so that `cargo test ch03` runs chapter 3's checks
/// (README: "Checking one chapter"). Also `CHAPTERS`, the chapters listed,
/// for the test that none is left out.
#[macro_export]
macro_rules! per_chapter {
    // `$checks` is the whole `{ ... }`, one token tree, so that it can be
    // repeated for each chapter.
    ($checks:tt, $($chapter:ident),* $(,)?) => {
        /// The chapters the checks above run for.
        const CHAPTERS: &[&str] = &[$(stringify!($chapter)),*];
        $( $crate::per_chapter!(@chapter $chapter $checks); )*
    };
    // Checks of this module: `{ check, ... }`.
    (@chapter $chapter:ident { $($check:ident),* $(,)? }) => {
        mod $chapter {
            $(
                #[test]
                fn $check() {
                    super::$check(stringify!($chapter));
                }
            )*
        }
    };
    // Checks of submodules: `{ module::check, ... }`.
    (@chapter $chapter:ident { $($module:ident :: $check:ident),* $(,)? }) => {
        mod $chapter {
            $(
                #[test]
                fn $check() {
                    super::$module::$check(stringify!($chapter));
                }
            )*
        }
    };
}

/// `per_chapter!` for every chapter of the book (the one list of them;
/// each user's test holds it to src/ with [`assert_every_chapter_listed`]).
#[macro_export]
macro_rules! per_book_chapter {
    ($checks:tt) => {
        $crate::per_chapter!(
            $checks, ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, appendix
        );
    };
}

/// The chapters of the book, as `per_chapter!` names them: `ch01` for
/// `src/ch01-introduction.md`, `appendix` for `src/appendix-....md`.
pub fn book_chapters() -> Vec<String> {
    files_ending("src", ".md")
        .iter()
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            let (chapter, _) = name.split_once('-')?;
            Some(chapter.to_string())
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Fails unless `listed` (a `per_chapter!` list, in `file`) names every
/// chapter of the book: a chapter left out would go unchecked.
pub fn assert_every_chapter_listed(listed: &[&str], file: &str) {
    let mut listed = listed.to_vec();
    listed.sort();
    assert_eq!(listed, book_chapters(), "per_chapter! in {file}");
}

/// The Zig twins that `zig/build.zig` builds, by name (`ch03_staged`: the
/// twin of `examples/ch03_staged.rs`, in `zig/ch03_staged.zig`): the names
/// of its `twins` list.
pub fn zig_twins() -> Vec<String> {
    let build = fs::read_to_string(root().join("zig/build.zig")).unwrap();
    let list = build
        .split_once("pub const twins = [_][]const u8{")
        .and_then(|(_, rest)| rest.split_once("};"))
        .map(|(list, _)| list)
        .expect("zig/build.zig has `pub const twins = [_][]const u8{ ... };`");
    list.split(',')
        .map(|item| item.trim().trim_matches('"').to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The twins that end in a panic, which aborts a Zig program (chapter 3
/// shows it: nothing unwinds; chapter 4, a double free caught at run
/// time): tests/examples/zig_twins.rs demands that each ends by SIGABRT
/// and every other twin with status 0, and the book marks their listings
/// "aborts" (tests/book_structure.rs).
pub const ZIG_ABORTING: &[&str] = &["ch03_unwind", "ch04_double_free"];

/// The ids mdBook gives the headings of `markdown` (outside fenced
/// blocks), in order: lower case, spaces as `-`, only letters, digits, `-`
/// and `_` kept; a repeated id gets `-1`, `-2`, ... as mdBook numbers them.
pub fn heading_ids(markdown: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        let Some(heading) = line.trim_start_matches('#').strip_prefix(' ') else {
            continue;
        };
        if in_code || !line.starts_with('#') {
            continue;
        }
        let id: String = heading
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let repeats = ids
            .iter()
            .filter(|seen| {
                **seen == id
                    || seen
                        .rsplit_once('-')
                        .is_some_and(|(base, n)| base == id && n.parse::<u32>().is_ok())
            })
            .count();
        ids.push(if repeats == 0 {
            id
        } else {
            format!("{id}-{repeats}")
        });
    }
    ids
}

/// Whether a page of `chapter` (`ch03`: `src/ch03-*.md`) contains `text`.
pub fn chapter_says(chapter: &str, text: &str) -> bool {
    files_ending("src", ".md").iter().any(|page| {
        page.file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with(&format!("{chapter}-")))
            && fs::read_to_string(page).is_ok_and(|page| page.contains(text))
    })
}

/// The project's root directory: the nearest directory above the test
/// package's (tests/, or tests/book/) that holds book.toml.
pub fn root() -> &'static Path {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    package
        .ancestors()
        .find(|dir| dir.join("book.toml").is_file())
        .unwrap_or(package)
}

/// `path` from the project's root, as messages name files.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Every file under `dir`, subdirectories included, by its path from
/// `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// Files in `dir` (relative to the root) whose name ends with `suffix`, sorted.
pub fn files_ending(dir: &str, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

/// Whether the programs of `chapter` do their work on this system:
/// chapter 8's tool saves files on Linux only (elsewhere it says so and
/// stops). If not, says that the current test was not checked for it.
/// Its checks return early instead of being compiled out, so that the
/// number of tests of each program, which chapter 5's shown output
/// prints, is the same on every system.
pub fn programs_run_here(chapter: &str) -> bool {
    let runs = chapter != "ch08" || cfg!(target_os = "linux");
    if !runs {
        let test = std::thread::current()
            .name()
            .unwrap_or("a check")
            .to_owned();
        not_checked::not_checked(
            &format!("{chapter}'s programs: {test}"),
            "chapter 8's tool saves files on Linux only",
        );
    }
    runs
}

/// Whether the outputs the book shows can be compared here, for `what`.
/// The book shows what its programs print on Unix (Linux, where it is
/// checked, and macOS, whose messages are the same). Windows words system
/// errors its own way ("The system cannot find the file specified.") and
/// writes paths with backslashes: there, says that `what` was not checked.
pub fn shown_outputs_here(what: &str) -> bool {
    if cfg!(unix) {
        return true;
    }
    not_checked::not_checked(
        what,
        "the book shows Unix's outputs; Windows words system errors and paths its own way",
    );
    false
}

/// The names of all example programs.
pub fn example_names() -> Vec<String> {
    files_ending("examples", ".rs")
        .iter()
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// The example programs built from a file of `examples/` under another
/// edition, by the package in `tests/edition-2021/` (chapter 3 shows what
/// its temporaries program prints under both).
pub fn other_edition_examples() -> Vec<String> {
    let manifest = read_toml("tests/edition-2021/Cargo.toml");
    let examples = manifest["example"].as_array().unwrap();
    examples
        .iter()
        .map(|example| example["name"].as_str().unwrap().to_string())
        .collect()
}

/// The TOML file `file` (relative to the root), as a tree of values:
/// `read_toml("book.toml")["rust"]["edition"].as_str()`. A missing key
/// reads as `null`.
pub fn read_toml(file: &str) -> serde_json::Value {
    let text =
        fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
    basic_toml::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The compiled example `name` (`cargo test` builds every example).
pub fn example_binary(name: &str) -> PathBuf {
    // This test runs from target/<profile>/deps/; examples are beside it.
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    let binary = profile_dir.join("examples").join(name);
    assert!(
        binary.exists(),
        "{} is not built: plain `cargo test` builds every example; \
         with `--test NAME`, run `cargo build --examples` first",
        binary.display()
    );
    binary
}

/// Settings common in a reader's environment that change what programs
/// print (backtraces, colors, line width) without changing what they do.
pub const READER_ENV: [(&str, &str); 6] = [
    ("RUST_BACKTRACE", "1"),
    ("RUST_LIB_BACKTRACE", "1"),
    ("NO_COLOR", "1"),
    ("CARGO_TERM_COLOR", "always"),
    ("TERM", "dumb"),
    ("COLUMNS", "20"),
];

/// Runs `command` as the book shows it, whatever the reader's environment:
/// the program sees `PATH`, the variables named in `keep` (with this
/// process's values), those of `set`, and nothing else (no
/// `RUST_BACKTRACE`, no `RUST_TEST_*`, no `~/.valgrindrc` through `HOME`).
/// What a variable of the reader's changes, a test shows by naming it in
/// `set` (see chapter 5's `what_the_readers_environment_changes`).
pub fn run_controlled(
    command: std::process::Command,
    keep: &[&str],
    set: &[(&str, &str)],
) -> (String, std::process::ExitStatus) {
    run_merged(controlled(command, keep, set))
}

/// `command` with the environment [`run_controlled`] gives it.
pub fn controlled(
    mut command: std::process::Command,
    keep: &[&str],
    set: &[(&str, &str)],
) -> std::process::Command {
    command.env_clear();
    for name in std::iter::once(&"PATH").chain(keep) {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command.envs(set.iter().copied());
    command
}
