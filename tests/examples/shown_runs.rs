//! The runs the book shows: every case of tests/cmd/, run by
//! `cases::run` (trycmd's semantics, see tests/examples/cases.rs) with
//! environment variables set to what could change the output (so the
//! shown output is proven not to depend on the reader's environment).
//! Each case runs on its own, so that a failure can name its files and
//! the chapter that shows them.

use std::fs;
use std::path::Path;
use std::thread;

use crate::cases;
use crate::support::READER_ENV;
use crate::support::{example_binary, example_names, files_ending, other_edition_examples, root};

pub fn shown_runs_print_what_the_book_shows(chapter: &str) {
    if !crate::support::programs_run_here(chapter)
        || !crate::support::shown_outputs_here(&format!("{chapter}: the runs the book shows"))
    {
        return;
    }
    let prefix = format!("tests/cmd/{chapter}_");
    let mut cases = files_ending("tests/cmd", ".toml");
    cases.retain(|case| {
        case.strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .starts_with(&prefix)
    });
    let mut names = example_names();
    names.extend(other_edition_examples());
    let failures: Vec<String> = thread::scope(|scope| {
        let runs: Vec<_> = cases
            .iter()
            .map(|case| scope.spawn(|| run_case(case, &names)))
            .collect();
        runs.into_iter()
            .zip(&cases)
            .filter_map(|(run, case)| {
                let difference = run.join().unwrap().err()?;
                Some(format!("{difference}\n{}", explain_failure(case)))
            })
            .collect()
    });
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// Runs one case; `Err` says how the run differs from its files.
fn run_case(case: &Path, names: &[String]) -> Result<(), String> {
    let case = cases::load(case)?;
    if !names.contains(&case.bin) {
        return Err(format!(
            "{}: bin.name = {:?} is no example program",
            case.path.display(),
            case.bin
        ));
    }
    cases::run(&case, &example_binary(&case.bin), &READER_ENV)
}

/// Overwriting (`TRYCMD=overwrite`) would make the book show whatever the
/// program now prints, mistakes included: say which files hold the
/// expected output, where the book shows them, and when overwriting is
/// right.
fn explain_failure(case: &Path) -> String {
    let name = case.file_stem().unwrap().to_string_lossy();
    let files = format!("tests/cmd/{name}.");
    let expected: Vec<String> = ["stdout", "stderr", "out/"]
        .iter()
        .map(|ext| format!("{files}{ext}"))
        .filter(|file| root().join(file).exists())
        .collect();
    let chapters: Vec<String> = files_ending("src", ".md")
        .iter()
        .filter(|chapter| fs::read_to_string(chapter).unwrap().contains(&files))
        .map(|chapter| chapter.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    let shown = if chapters.is_empty() {
        "no chapter shows them (a check only)".to_string()
    } else {
        format!("{} shows them to the reader", chapters.join(" and "))
    };
    format!(
        "tests/cmd/{name}.toml failed: the program's output, exit status or files \
         differ from what {} expect (above: the first differing line), and {shown}.\n\
         If the program is wrong, fix the program. `TRYCMD=overwrite` copies what \
         the program does now into those files (its exit status into the .toml), \
         and so into the book: right only after a deliberate change to the \
         program, once you have read the new output; never to make a mistake pass.",
        expected.join(", ")
    )
}
