//! Helpers shared by the integration tests: where things are, and how to
//! read the book the way the reader sees it.
#![allow(dead_code)] // each test binary uses a different part

mod basics;
mod checks;
pub mod not_checked;
mod shown;

use std::fs;
use std::path::{Path, PathBuf};

#[allow(unused_imports)] // as above: each test binary uses a different part
pub use basics::{catch_expected, panic_message, panic_payload_text, run_merged, test_name};
#[allow(unused_imports)]
pub use checks::{
    chapter_place, check, check_eq, check_in_output, check_no_panic, fail, first_difference,
    fn_place, panic_of, shown_line,
};
#[allow(unused_imports)]
pub use shown::{Shown, mask_varying};

/// The project's root directory.
pub fn root() -> &'static Path {
    // The tests are the package in tests/; the repository is one up.
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    package.parent().unwrap_or(package)
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
    let manifest = root().join("tests/edition-2021/Cargo.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    let manifest: toml_edit::DocumentMut = text.parse().unwrap();
    let examples = manifest["example"].as_array_of_tables().unwrap();
    examples
        .iter()
        .map(|example| example["name"].as_str().unwrap().to_string())
        .collect()
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

/// A fenced code block of the rendered book.
#[derive(Debug)]
pub struct Block {
    /// Where it is, for error messages: the line of its opening fence in
    /// the file the reader edits, `src/chNN-....md:LINE`.
    pub place: String,
    /// Its info string split at commas: `["rust", "compile_fail"]`.
    pub tags: Vec<String>,
    pub text: String,
}

impl Block {
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
    pub fn is_rust(&self) -> bool {
        self.tags.first().is_some_and(|t| t == "rust")
    }
}

/// Every chapter after mdBook's includes, as written by build.rs.
pub fn rendered_chapters() -> Vec<(String, String)> {
    let dir = Path::new(env!("OUT_DIR")).join("rendered");
    let mut chapters: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&path).unwrap())
        })
        .collect();
    chapters.sort();
    assert!(!chapters.is_empty(), "no chapters in {}", dir.display());
    chapters
}

/// For each line of the rendered `chapter`, where the reader edits it:
/// `src/chNN-....md:LINE`, or for a line an include brought in,
/// `FILE:LINE (included at src/chNN-....md:LINE)`. build.rs finds them.
pub fn source_places(chapter: &str) -> Vec<String> {
    let path = Path::new(env!("OUT_DIR")).join("places").join(chapter);
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines().map(str::to_string).collect()
}

/// Every fenced code block of the rendered book, in order.
pub fn book_blocks() -> Vec<Block> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut blocks = Vec::new();
    for (chapter, markdown) in rendered_chapters() {
        let places = source_places(&chapter);
        let mut current: Option<Block> = None;
        for (event, range) in Parser::new(&markdown).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info.to_string(),
                        CodeBlockKind::Indented => "indented".to_string(),
                    };
                    let line = markdown[..range.start].matches('\n').count() + 1;
                    current = Some(Block {
                        place: places[line - 1].clone(),
                        tags: info.split(',').map(|t| t.trim().to_string()).collect(),
                        text: String::new(),
                    });
                }
                Event::Text(text) => {
                    if let Some(block) = current.as_mut() {
                        block.text.push_str(&text);
                    }
                }
                Event::End(TagEnd::CodeBlock) => blocks.push(current.take().unwrap()),
                _ => {}
            }
        }
    }
    blocks
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
    mut command: std::process::Command,
    keep: &[&str],
    set: &[(&str, &str)],
) -> (String, std::process::ExitStatus) {
    command.env_clear();
    for name in std::iter::once(&"PATH").chain(keep) {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command.envs(set.iter().copied());
    run_merged(command)
}
