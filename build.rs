//! Turns the book into tests.
//!
//! The reader sees each chapter *after* mdBook has expanded its
//! `{{#rustdoc_include ...}}` lines, so that expanded text is what must be
//! tested. This script loads the book with mdBook's own library, runs its
//! include step, and writes two copies of every chapter into `OUT_DIR`:
//!
//! - `rendered/`: exactly what the reader sees; `tests/book.rs` reads it to
//!   count blocks and to check shown output and compiler errors;
//! - `skeptic/`: the same text prepared for skeptic, which compiles and runs
//!   every Rust block. Two changes only: `compile_fail` blocks become `text`
//!   (skeptic cannot expect a failure; `tests/ui.rs` proves them instead),
//!   and a block without `fn main` is wrapped in one, as rustdoc does.

use std::fs;
use std::path::{Path, PathBuf};

use mdbook_driver::book::BookItem;
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_driver::MDBook;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    // Chapters include files from all of these.
    for watched in [
        "book.toml",
        "src",
        "examples",
        "course",
        "tests", // ui/, cmd/, shown/ and tests shown in a chapter
    ] {
        println!("cargo:rerun-if-changed={watched}");
    }

    let mut skeptic_inputs = Vec::new();
    for (path, content) in expanded_chapters(&root) {
        if let Some(line) = content.lines().find(|line| line.contains("{{#")) {
            panic!(
                "{}: an include was not resolved (missing file or anchor?): {line}",
                path.display()
            );
        }
        write_if_changed(&out_dir.join("rendered").join(&path), &content);
        let skeptic_path = out_dir.join("skeptic").join(&path);
        let chapter = path.display().to_string();
        write_if_changed(&skeptic_path, &prepare_for_skeptic(&content, &chapter));
        skeptic_inputs.push(skeptic_path);
    }
    skeptic::generate_doc_tests(&skeptic_inputs);
    // Each test runs its snippet through `tests/skeptic.rs`'s wrapper, which
    // retries the one transient failure (see there).
    let generated = out_dir.join("skeptic-tests.rs");
    let tests = std::fs::read_to_string(&generated).expect("skeptic wrote its tests");
    let wrapped = tests.replace("skeptic::rt::run_test(", "run_test_retrying_busy(");
    write_if_changed(&generated, &wrapped);
}

/// Every chapter of the book as (path under `src/`, text after includes).
fn expanded_chapters(root: &Path) -> Vec<(PathBuf, String)> {
    let book = MDBook::load(root).expect("cannot load the book (book.toml, src/SUMMARY.md)");
    let ctx = PreprocessorContext::new(root.to_path_buf(), book.config.clone(), "skeptic".into());
    let expanded = LinkPreprocessor::new()
        .run(&ctx, book.book.clone())
        .expect("mdBook's include step failed");
    expanded
        .iter()
        .filter_map(|item| match item {
            BookItem::Chapter(chapter) => chapter
                .path
                .clone()
                .map(|path| (path, chapter.content.clone())),
            _ => None,
        })
        .collect()
}

/// Rewrites the fences skeptic must not see as they are (see the module docs).
fn prepare_for_skeptic(markdown: &str, chapter: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut block: Option<Vec<&str>> = None;
    let mut blocks = 0;
    for line in markdown.lines() {
        match block.as_mut() {
            None if line.starts_with("```") => block = Some(vec![line]),
            None => push_line(&mut out, line),
            Some(lines) if line.starts_with("```") => {
                lines.push(line);
                blocks += 1;
                emit_block(&mut out, lines, &format!("{chapter}, block {blocks}"));
                block = None;
            }
            Some(lines) => lines.push(line),
        }
    }
    if let Some(lines) = block {
        panic!("unclosed code block starting with {:?}", lines[0]);
    }
    out
}

/// `place` names the block. It goes into a hidden comment at the top of
/// every Rust block, because two blocks that include the same file are the
/// same program: skeptic's binary cache would give both one executable, and
/// one test would run it while the other is still writing it ("Text file
/// busy").
fn emit_block(out: &mut String, lines: &[&str], place: &str) {
    let info = &lines[0][3..];
    let tags: Vec<&str> = info.split(',').map(str::trim).collect();
    let body = &lines[1..lines.len() - 1];
    if tags.contains(&"compile_fail") {
        push_line(out, "```text");
        body.iter().for_each(|line| push_line(out, line));
        push_line(out, "```");
    } else if tags.first() == Some(&"rust") {
        let wrap = !body.iter().any(|l| l.contains("fn main"));
        push_line(out, lines[0]);
        push_line(out, &format!("# // {place}"));
        if wrap {
            push_line(out, "# fn main() {");
        }
        body.iter().for_each(|line| push_line(out, line));
        if wrap {
            push_line(out, "# }");
        }
        push_line(out, "```");
    } else {
        lines.iter().for_each(|line| push_line(out, line));
    }
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// skeptic reruns this script whenever its inputs change on disk, so an
/// unchanged chapter must keep its timestamp or every build starts over.
fn write_if_changed(path: &Path, content: &str) {
    if fs::read_to_string(path).ok().as_deref() == Some(content) {
        return;
    }
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}
