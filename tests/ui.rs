//! Proves that each program in tests/ui/ fails to compile, with exactly the
//! error in the `.stderr` beside it. The book shows both files.
//!
//! Each program is compiled by `rustc`, run from the repository's root as
//! a reader would run it, against the course's library as `cargo test` has
//! just built it (nothing is built twice); its answer is remembered until
//! the program, the library or the compiler changes
//! (`support::run_remembered`). The error is compared after two
//! normalisations, so that it does not change with code the program does
//! not show: the closing summary (`error: aborting due to ...`, `For more
//! information ...`) is dropped, and a span in a file outside tests/ui/
//! (the course's library) loses its line numbers, as the book shows it.
//!
//! Refresh the errors after a compiler upgrade, then read the diff:
//! `UI=overwrite cargo test --test ui`.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::{fail, first_difference, relative, root, shown_line};

/// The newest `lib{name}-*.rlib` beside this test binary: the one that
/// `cargo test` built for this run (older builds may still lie there).
fn rlib(deps: &Path, name: &str) -> PathBuf {
    let prefix = format!("lib{name}-");
    fs::read_dir(deps)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let file = path.file_name().unwrap().to_string_lossy();
            file.starts_with(&prefix) && file.ends_with(".rlib")
        })
        .max_by_key(|path| fs::metadata(path).unwrap().modified().unwrap())
        .unwrap_or_else(|| {
            panic!(
                "no lib{name}-*.rlib in {}: run `cargo test`",
                deps.display()
            )
        })
}

/// What `rustc` says about `program` (relative to the root), normalised.
fn compile(program: &str, edition: &str, out: &Path) -> String {
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap();
    let mut rustc = Command::new(std::env::var_os("RUSTC").unwrap_or("rustc".into()));
    rustc
        .current_dir(root())
        .args([
            "--edition",
            edition,
            "--crate-type",
            "bin",
            "--color",
            "never",
        ])
        .args(["--emit", "metadata", "-o"])
        .arg(out)
        .arg("-L")
        .arg(format!("dependency={}", deps.display()));
    let (course, bumpalo) = (rlib(deps, "course"), rlib(deps, "bumpalo"));
    for (crate_name, rlib) in [("course", &course), ("bumpalo", &bumpalo)] {
        rustc
            .arg("--extern")
            .arg(format!("{crate_name}={}", rlib.display()));
    }
    rustc.arg(program);
    let (output, status) =
        support::run_remembered(rustc, &[&root().join(program), &course, &bumpalo]);
    assert!(
        !status.success(),
        "{program} compiled: it must fail to compile"
    );
    normalise(&output)
}

/// Drops the closing summary and the line numbers of spans outside
/// tests/ui/, then narrows each diagnostic's gutter to the line numbers
/// that are left.
fn normalise(stderr: &str) -> String {
    let mut diagnostics: Vec<Vec<String>> = Vec::new();
    for line in stderr.lines() {
        let summary = line.starts_with("error: aborting due to")
            || line.starts_with("For more information about")
            || line.starts_with("Some errors have detailed explanations");
        if summary {
            continue;
        }
        if line.starts_with("error") || line.starts_with("warning") || diagnostics.is_empty() {
            diagnostics.push(Vec::new());
        }
        diagnostics.last_mut().unwrap().push(line.to_string());
    }
    let mut text = String::new();
    for diagnostic in diagnostics {
        for line in narrow(strip_outside_lines(diagnostic)) {
            text.push_str(&line);
            text.push('\n');
        }
    }
    text.trim_end().to_string() + "\n"
}

/// The width of the gutter a line starts with (`NN |`, `  -->`, `   =`),
/// or `None` for a line without one.
fn gutter(line: &str) -> Option<usize> {
    let rest = line.trim_start_matches(|c: char| c == ' ' || c.is_ascii_digit());
    let width = line.len() - rest.len();
    let marked = ["| ", "|", "--> ", "::: ", "= "]
        .iter()
        .any(|mark| rest.starts_with(mark) && (rest == "|" || *mark != "|"));
    (marked && width > 0).then(|| width - 1)
}

/// Removes the line numbers of the snippet lines under a span whose file
/// is outside tests/ui/, and the `:line:col` of that span.
fn strip_outside_lines(diagnostic: Vec<String>) -> Vec<String> {
    let mut outside = false;
    diagnostic
        .into_iter()
        .map(|line| {
            let trimmed = line.trim_start();
            if let Some(place) = trimmed
                .strip_prefix("--> ")
                .or(trimmed.strip_prefix("::: "))
            {
                outside = !place.starts_with("tests/ui/");
                if outside {
                    let file = place.split(':').next().unwrap_or(place);
                    let arrow = &line[..line.len() - place.len()];
                    return format!("{arrow}{file}");
                }
                return line;
            }
            let numbered = line
                .trim_start()
                .split(' ')
                .next()
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if outside && numbered {
                let digits = line.len() - line.trim_start().len()
                    + line.trim_start().split(' ').next().unwrap().len();
                return " ".repeat(digits) + &line[digits..];
            }
            line
        })
        .collect()
}

/// Narrows the gutter to the widest line number still shown.
fn narrow(diagnostic: Vec<String>) -> Vec<String> {
    let Some(old) = diagnostic.iter().filter_map(|line| gutter(line)).max() else {
        return diagnostic;
    };
    let new = diagnostic
        .iter()
        .filter_map(|line| line.trim_start().split(' ').next())
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .map(str::len)
        .max()
        .unwrap_or(1);
    let cut = old.saturating_sub(new);
    diagnostic
        .into_iter()
        .map(|line| match gutter(&line) {
            Some(_) if line[..cut].trim().is_empty() => line[cut..].to_string(),
            _ => line,
        })
        .collect()
}

/// The edition the book's blocks are compiled as: `[rust] edition` of
/// book.toml (tests/book_structure.rs holds the packages to the same).
fn book_edition() -> String {
    let book = support::read_toml("book.toml");
    let edition = book["rust"]["edition"].as_str();
    edition.expect("book.toml: [rust] edition").to_string()
}

/// Each program of tests/ui/ named after `chapter` (`ch04_...`) fails to
/// compile with exactly the error beside it.
fn proofs_of(chapter: &str) {
    let programs = programs_of("tests/ui", chapter);
    assert!(
        !programs.is_empty(),
        "tests/ui/ holds no program of {chapter}"
    );
    prove(&programs, &book_edition());
}

/// Each of `programs` fails to compile as `edition`, with exactly the error
/// in the `.stderr` beside it.
fn prove(programs: &[PathBuf], edition: &str) {
    let overwrite = std::env::var_os("UI").is_some_and(|v| v == "overwrite");
    // rustc writes nothing there (the programs do not compile), but it is
    // named: a fixed name, so that the command line, and the remembered
    // run, is the same from one `cargo test` to the next.
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ui");
    for path in programs {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let program = relative(path);
        let seen = compile(&program, edition, &out.join(format!("{edition}-{name}")));
        let expected_file = path.with_extension("stderr");
        if overwrite {
            fs::write(&expected_file, &seen).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_file).unwrap_or_default();
        if let Some((line, want, got)) = first_difference(&expected, &seen) {
            fail(
                &format!("{}:{line}", relative(&expected_file)),
                &format!(
                    "the compiler's error for {program} as edition {edition} (the book \
                     shows this file; if the compiler changed, `UI=overwrite cargo test \
                     --test ui`, then read the diff)\n\
                     whole error seen:\n{seen}"
                ),
                shown_line(want),
                shown_line(got),
            );
        }
    }
}

/// The programs of `dir` whose names start with `prefix`, sorted.
fn programs_of(dir: &str, prefix: &str) -> Vec<PathBuf> {
    let mut programs: Vec<PathBuf> = fs::read_dir(root().join(dir))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .filter(|path| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(prefix)
        })
        .collect();
    programs.sort();
    programs
}

/// One test per chapter, named after it, so that `cargo test ch04` runs
/// that chapter's proofs (and they compile in parallel).
macro_rules! chapters {
    ($($chapter:ident),*) => {
        const CHAPTERS: &[&str] = &[$(stringify!($chapter)),*];
        $(
            mod $chapter {
                #[test]
                fn compile_fail_proofs() {
                    super::proofs_of(stringify!($chapter));
                }
            }
        )*
    };
}

chapters!(ch03, ch04, ch06);

#[test]
fn every_program_of_tests_ui_belongs_to_a_chapter_above() {
    for path in programs_of("tests/ui", "") {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            CHAPTERS
                .iter()
                .any(|chapter| name.starts_with(&format!("{chapter}_"))),
            "tests/ui/{name}: add its chapter to `chapters!` in tests/ui.rs, or nothing proves it"
        );
    }
}

/// Chapter 3 says its tail-expression block, which edition 2024 compiles
/// (skeptic runs it), fails as edition 2021 with E0597: the book includes
/// it from tests/ui/edition-2021/, whose programs fail as 2021.
#[test]
fn ch03_a_temporary_borrowing_a_local_in_the_tail_fails_as_2021() {
    let programs = programs_of("tests/ui/edition-2021", "ch03_");
    assert!(
        !programs.is_empty(),
        "tests/ui/edition-2021/ holds no program of ch03"
    );
    prove(&programs, "2021");
}
