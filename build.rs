//! Turns the book into tests.
//!
//! The reader sees each chapter *after* mdBook has expanded its
//! `{{#rustdoc_include ...}}` lines, so that expanded text is what must be
//! tested. This script reads the book's chapters (`build/book.rs`), expands
//! their includes itself as mdBook does (`build/includes.rs`; a test in
//! `tests/book.rs` proves the result equal to `mdbook`'s own on every
//! chapter), finds where each rendered line comes from (`build/places.rs`),
//! and writes into `OUT_DIR`:
//!
//! - `rendered/`: exactly what the reader sees; `tests/book.rs` reads it to
//!   count blocks and to check shown output and compiler errors;
//! - `places/`: for each rendered line, the file and line the reader edits
//!   (`src/chNN-....md:LINE`, or an included file's line), so that tests
//!   name those, not lines of the expanded text;
//! - `skeptic/`: the same text prepared for skeptic, which compiles and runs
//!   every Rust block. Two changes only: `compile_fail` blocks become `text`
//!   (skeptic cannot expect a failure; `tests/ui.rs` proves them instead),
//!   and a block without `fn main` is wrapped in one, as rustdoc does;
//! - `skeptic-tests.rs`: skeptic's tests, renamed after the source line of
//!   each block and told where it comes from (`build/skeptic_tests.rs`).

#[path = "build/book.rs"]
mod book;
#[path = "build/includes.rs"]
mod includes;
#[path = "build/places.rs"]
mod places;
#[path = "build/skeptic_tests.rs"]
mod skeptic_tests;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use places::{Chapter, Origin};
use skeptic_tests::BlockInfo;

fn main() {
    // This script belongs to the package in tests/book/; the book is above.
    let package = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = package
        .ancestors()
        .find(|dir| dir.join("book.toml").is_file())
        .expect("the package is inside the repository, which holds book.toml")
        .to_path_buf();
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    // Chapters include files from all of these.
    for watched in [
        "book.toml",
        "src",
        "examples",
        "course",
        "tests", // ui/, cmd/, shown/ and tests shown in a chapter
        "zig",
        "lab/src",
        "exercises/solutions",
        "exercises/wrong",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }
    // tests/skeptic.rs runs blocks of its own, as skeptic's tests do.
    let target = std::env::var("TARGET").unwrap();
    println!("cargo:rustc-env=COURSE_TARGET={target}");
    let edition = book_edition(&root);
    println!("cargo:rustc-env=COURSE_BOOK_EDITION={edition}");
    let book_rustc = build_book_rustc(&root, &out_dir, &edition);
    println!("cargo:rustc-env=COURSE_BOOK_RUSTC={}", book_rustc.display());

    let mut skeptic_inputs = Vec::new();
    let mut blocks = HashMap::new();
    for chapter in places::load(&root) {
        let path = &chapter.path;
        if let Some(line) = chapter.rendered.lines().find(|line| line.contains("{{#")) {
            panic!(
                "{}: an include was not resolved (missing file or anchor?): {line}",
                path.display()
            );
        }
        check_fences(&chapter);
        write_if_changed(&out_dir.join("rendered").join(path), &chapter.rendered);
        let places: String = chapter.origins.iter().map(place_line).collect();
        write_if_changed(&out_dir.join("places").join(path), &places);
        let skeptic_path = out_dir.join("skeptic").join(path);
        write_if_changed(&skeptic_path, &prepare_for_skeptic(&chapter, &mut blocks));
        skeptic_inputs.push(skeptic_path);
    }
    skeptic::generate_doc_tests(&skeptic_inputs);
    // Each test names its block's place and runs it through `tests/skeptic.rs`.
    let generated = out_dir.join("skeptic-tests.rs");
    let tests = fs::read_to_string(&generated).expect("skeptic wrote its tests");
    write_if_changed(&generated, &skeptic_tests::rewrite(&tests, &blocks));
}

/// The edition of the book's blocks: `[rust] edition` in `book.toml`, which
/// mdBook also gives the playground (`tests/book_structure.rs` holds it
/// equal to the packages' edition).
fn book_edition(root: &Path) -> String {
    let edition = book::read(root)
        .edition
        .expect("book.toml sets [rust] edition");
    assert!(
        ["2015", "2018", "2021", "2024"].contains(&edition.as_str()),
        "book.toml: [rust] edition = {edition:?} is not an edition"
    );
    edition
}

/// Compiles `tests/skeptic/book_rustc.rs`, the compiler skeptic runs for the
/// book's blocks (see that file), unless it is already newer than its
/// source. Returns the program's path.
fn build_book_rustc(root: &Path, out_dir: &Path, edition: &str) -> PathBuf {
    let source = root.join("tests/skeptic/book_rustc.rs");
    let program = out_dir.join(format!("book-rustc{}", std::env::consts::EXE_SUFFIX));
    let modified = |path: &Path| fs::metadata(path).and_then(|m| m.modified()).ok();
    if modified(&program).is_some() && modified(&program) >= modified(&source) {
        return program;
    }
    let rustc = std::env::var_os("RUSTC").unwrap_or("rustc".into());
    let status = std::process::Command::new(rustc)
        .args(["--edition", edition, "--crate-name", "book_rustc", "-o"])
        .arg(&program)
        .arg(&source)
        .status()
        .expect("build.rs runs rustc");
    assert!(status.success(), "{} does not compile", source.display());
    program
}

/// One line of `places/`: the place to edit, and for an included line, the
/// include that brought it in.
fn place_line(origin: &Origin) -> String {
    match &origin.included {
        Some(_) => format!(
            "{} (included at {}:{})\n",
            origin.place(),
            origin.chapter,
            origin.line
        ),
        None => format!("{}\n", origin.place()),
    }
}

/// Blocks are told apart by their fences: the Nth fence of the rendered
/// chapter must be the Nth fence of the source, which holds while includes
/// sit inside blocks and bring in no fence of their own.
fn check_fences(chapter: &Chapter) {
    let source_fences = chapter.source.lines().filter(|l| is_fence(l)).count();
    let rendered_fences: Vec<&Origin> = chapter
        .rendered
        .lines()
        .zip(&chapter.origins)
        .filter(|(line, _)| is_fence(line))
        .map(|(_, origin)| origin)
        .collect();
    let included = rendered_fences.iter().find(|o| o.included.is_some());
    if source_fences != rendered_fences.len() || included.is_some() {
        let culprit = included.map_or(String::new(), |origin| {
            format!(
                " ({}:{} includes a fence: {})",
                origin.chapter,
                origin.line,
                origin.place()
            )
        });
        panic!(
            "{}: {source_fences} code fences in the source, {} after mdBook's includes{culprit}; \
             build.rs maps each block to the source by its fence, so an included file \
             must not contain ```",
            chapter.source_file,
            rendered_fences.len()
        );
    }
}

fn is_fence(line: &str) -> bool {
    line.starts_with("```")
}

/// Rewrites the fences skeptic must not see as they are (see the module
/// docs), and records where each Rust block comes from in `blocks`.
fn prepare_for_skeptic(chapter: &Chapter, blocks: &mut HashMap<String, BlockInfo>) -> String {
    let markdown = &chapter.rendered;
    let mut out = String::with_capacity(markdown.len());
    let mut block: Option<Vec<(&str, &Origin)>> = None;
    let mut count = 0;
    for line in markdown.lines().zip(&chapter.origins) {
        match block.as_mut() {
            None if is_fence(line.0) => block = Some(vec![line]),
            None => push_line(&mut out, line.0),
            Some(lines) if is_fence(line.0) => {
                lines.push(line);
                count += 1;
                let label = format!("{}, block {count}", chapter.path.display());
                if let Some(info) = emit_block(&mut out, lines, &label) {
                    blocks.insert(label, info);
                }
                block = None;
            }
            Some(lines) => lines.push(line),
        }
    }
    if let Some(lines) = block {
        panic!("unclosed code block starting with {:?}", lines[0].0);
    }
    out
}

/// `label` names the block. It goes into a hidden comment at the top of
/// every Rust block, because two blocks that include the same file are the
/// same program: skeptic's binary cache would give both one executable, and
/// one test would run it while the other is still writing it ("Text file
/// busy"). It names the chapter and the block's rank, not its line, so that
/// editing prose does not change the program and recompile it.
fn emit_block(out: &mut String, lines: &[(&str, &Origin)], label: &str) -> Option<BlockInfo> {
    let fence = lines[0].1;
    let info = &lines[0].0[3..];
    let tags: Vec<&str> = info.split(',').map(str::trim).collect();
    let body = &lines[1..lines.len() - 1];
    if tags.contains(&"compile_fail") {
        push_line(out, "```text");
        body.iter().for_each(|line| push_line(out, line.0));
        push_line(out, "```");
        None
    } else if tags.first() == Some(&"rust") {
        let wrap = !body.iter().any(|l| l.0.contains("fn main"));
        push_line(out, lines[0].0);
        push_line(out, &format!("# // {label}"));
        if wrap {
            push_line(out, "# fn main() {");
        }
        body.iter().for_each(|line| push_line(out, line.0));
        if wrap {
            push_line(out, "# }");
        }
        push_line(out, "```");
        let origins: Vec<&Origin> = body.iter().map(|line| line.1).collect();
        Some(BlockInfo::new(fence, &origins, wrap))
    } else {
        lines.iter().for_each(|line| push_line(out, line.0));
        None
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
