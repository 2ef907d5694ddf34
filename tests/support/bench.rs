//! What the tests of the callgrind benchmarks share (chapters 3 and 7):
//! the release build of an example, run as the book shows it, and the
//! figures it prints. Plain `cargo test` builds no release profile, so
//! these tests are `#[ignore]`d there and `.ci/run` runs them.
#![allow(dead_code)] // each test binary uses a different part

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::support::{Shown, files_under, root, run_merged};

/// The release build of example `name`. Fails unless it exists and is
/// newer than what it is built from (its source, the library, the
/// manifest and the lock file).
pub fn release_example(name: &str) -> PathBuf {
    // This test runs from target/debug/deps/; the release build is in
    // target/release/examples/.
    let exe = std::env::current_exe().unwrap();
    let target = exe.ancestors().nth(3).unwrap();
    let binary = target.join("release/examples").join(name);
    let build = format!("cargo build --release --example {name}");
    let built = modified(&binary)
        .unwrap_or_else(|| panic!("{} is not built: run `{build}`", binary.display()));
    let mut sources = vec![
        root().join("examples").join(format!("{name}.rs")),
        root().join("Cargo.toml"),
        root().join("Cargo.lock"),
    ];
    let course = root().join("course");
    sources.extend(
        files_under(&course)
            .into_iter()
            .map(|path| course.join(path)),
    );
    for source in sources {
        let changed = modified(&source).unwrap_or_else(|| panic!("{}", source.display()));
        assert!(
            changed <= built,
            "{} changed after {} was built: run `{build}` again",
            source.display(),
            binary.display()
        );
    }
    binary
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Runs the release build of example `name` as `shown` says
/// (`cargo run --release --example NAME [-- ARGS]`), from the project's
/// root, and returns what it printed. Fails if it fails.
pub fn run_shown(shown: &Shown, name: &str) -> String {
    assert_eq!(
        shown.command[..5],
        ["cargo", "run", "--release", "--example", name],
        "{}: not a release run of {name}",
        shown.path.display()
    );
    let mut command = Command::new(release_example(name));
    command.args(shown.args_after_dashes()).current_dir(root());
    let (output, status) = run_merged(command);
    assert!(status.success(), "{name} failed:\n{output}");
    output
}

/// The figures a benchmark printed: every line that ends with a decimal
/// number (`150.0`), or with one and a remark in parentheses, as (the
/// words before the number, the number).
pub fn figures(output: &str) -> Vec<(String, f64)> {
    output
        .lines()
        .filter_map(|line| {
            let line = match line.find(" (") {
                Some(remark) if line.ends_with(')') => &line[..remark],
                _ => line,
            };
            let (words, number) = line.trim().rsplit_once(' ')?;
            let number = number.parse().ok().filter(|_| number.contains('.'))?;
            Some((words.trim().to_string(), number))
        })
        .collect()
}

/// Fails unless the chapter `src/CHAPTER.md` says `phrase` (lines are
/// wrapped anywhere in the Markdown, so any run of white space matches any
/// other): the figures its prose quotes must be the ones just measured.
#[track_caller]
pub fn assert_chapter_says(chapter: &str, phrase: &str) {
    let path = root().join("src").join(format!("{chapter}.md"));
    let text = fs::read_to_string(&path).unwrap();
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words(&text).contains(&words(phrase)),
        "{} does not say {phrase:?}: update its prose to the figures measured now",
        path.display()
    );
}
