//! Chapter 8 tells the reader where to run its tool: a recipe (an `sh`
//! block, run from the repository's root) makes a scratch copy of the
//! sample directory and goes there; the command follows. This test runs
//! both exactly as the book shows them, twice, in a temporary copy of the
//! repository's files that the recipe reads, and checks that the second
//! run ends as the first did.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::programs::copy_dir;
use crate::support::{example_binary, files_under, root};

/// The command the book shows after the recipe.
const COMMAND: &str = "$ cargo run --example ch08_atomic_save -- notes.txt NOTES.txt";
/// The sample directory the recipe copies from.
const SAMPLE: &str = "tests/cmd/ch08_atomic_save.in";

/// The chapter that shows the recipe and the command.
const CHAPTER: &str = "src/ch08-files.md";

/// The `sh` block just before the `console` block that starts with
/// [`COMMAND`], in the chapter's source (both are written there, not
/// included): its lines, and `src/...md:LINE` of its fence.
fn recipe() -> (String, String) {
    let text = fs::read_to_string(root().join(CHAPTER)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let command = lines
        .iter()
        .position(|line| *line == COMMAND)
        .unwrap_or_else(|| panic!("{CHAPTER} no longer shows `{COMMAND}`"));
    let console = command.checked_sub(1).filter(|&i| lines[i] == "```console");
    let console = console.unwrap_or_else(|| {
        panic!(
            "{CHAPTER}:{}: `{COMMAND}` must open a console block",
            command + 1
        )
    });
    // Back over the blank lines and the paragraph between the two blocks.
    let end = lines[..console]
        .iter()
        .rposition(|line| line.starts_with("```"))
        .filter(|&end| lines[end] == "```");
    let fence = end.and_then(|end| {
        lines[..end]
            .iter()
            .rposition(|line| line.starts_with("```"))
    });
    match (fence, end) {
        (Some(fence), Some(end)) if lines[fence] == "```sh" => (
            lines[fence + 1..end].join("\n"),
            format!("{CHAPTER}:{}", fence + 1),
        ),
        _ => panic!(
            "{CHAPTER}:{}: `{COMMAND}` must follow the `sh` recipe that says where to run it",
            command + 1
        ),
    }
}

#[test]
fn ch08_recipe_runs_as_shown_and_a_second_run_ends_the_same() {
    let (recipe_text, place) = recipe();
    // `cargo run` builds the example (`cargo test` has), then runs it in
    // the current directory: the script does the second part.
    let (_, args) = COMMAND.split_once(" -- ").unwrap();
    let binary = example_binary("ch08_atomic_save");
    let script = format!("{}\n'{}' {args}\n", recipe_text, binary.display());

    let repository = tempfile::tempdir().unwrap();
    copy_dir(&root().join(SAMPLE), &repository.path().join(SAMPLE));
    let first = run(&script, repository.path());
    let expected = fs::read_to_string(root().join("tests/cmd/ch08_atomic_save.stdout")).unwrap();
    assert_eq!(first.0, format!("{expected}\nstatus 0"), "{}", place);
    let second = run(&script, repository.path());
    assert_eq!(second, first, "{}: a second run ends differently", place);

    // Besides the sample, one directory: the scratch copy, which holds
    // what the case of tests/cmd/ expects.
    let made: Vec<&(PathBuf, String)> = first
        .1
        .iter()
        .filter(|(path, _)| !path.starts_with(SAMPLE))
        .collect();
    let scratch = made.first().and_then(|(path, _)| path.parent());
    assert!(
        made.iter().all(|(path, _)| path.parent() == scratch),
        "{}: the recipe made files in more than one directory: {made:?}",
        place
    );
    let made: Vec<(PathBuf, String)> = made
        .iter()
        .map(|(path, text)| (path.file_name().unwrap().into(), text.clone()))
        .collect();
    let expected = files_in(&root().join("tests/cmd/ch08_atomic_save.out"));
    assert_eq!(made, expected, "{}", place);
}

/// Runs `script` with `sh -e` in `dir`: what it printed and its status,
/// then every file under `dir` with its contents.
fn run(script: &str, dir: &Path) -> (String, Vec<(PathBuf, String)>) {
    let output = Command::new("sh")
        .args(["-ec", script])
        .current_dir(dir)
        .output()
        .unwrap();
    let printed = format!(
        "{}{}\nstatus {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        output.status.code().unwrap_or(-1)
    );
    (printed, files_in(dir))
}

/// Every file under `dir`, relative to it, with its contents, sorted.
fn files_in(dir: &Path) -> Vec<(PathBuf, String)> {
    files_under(dir)
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(dir.join(&path)).unwrap();
            (path, text)
        })
        .collect()
}
