//! The examples of the lab's documentation, run as tests. Each file of
//! `doc-examples/` is a program that the docs of an item show, with
//! `#[doc = include_str!("../doc-examples/NAME.rs")]` between two fences.
//! They are not doc-tests (`doctest = false` in `lab/Cargo.toml`): each must
//! install the lab as its global allocator, so rustdoc would compile and
//! link every one as a program of its own on every `cargo test`. Here they
//! share one binary, which installs the lab once, and each runs as the test
//! `NAME::example`.
//!
//! The last tests keep this honest: every file of `doc-examples/` runs here
//! and is shown in the docs, and every public item of the lab has an
//! example in its docs.

use std::fs;
use std::path::{Path, PathBuf};

// The lab, installed as the docs of the crate and of `LabAllocator` show
// it: they include this file too.
include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/doc-examples/install.rs"
));

/// For each name, a module with the program `doc-examples/NAME.rs` in it
/// and a test that runs its `main`; and `LISTED`, the names.
macro_rules! examples {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                include!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/doc-examples/",
                    stringify!($name),
                    ".rs"
                ));

                #[test]
                fn example() {
                    main();
                }
            }
        )*

        /// The files of `doc-examples/` that run above, by name.
        const LISTED: &[&str] = &[$(stringify!($name)),*];
    };
}

examples![
    allocation,
    allocation_count,
    allocation_failures,
    allocation_stack,
    assert_no_leaks,
    check_all_allocation_failures,
    check_all_allocation_failures_in,
    checking_allocator,
    check_leaks,
    count_allocations,
    crate_overview,
    failure_check,
    is_failure_check_child,
    lab_allocator,
    leak_report,
    leak_report_is_clean,
    leak_report_leaked_bytes,
    leak_report_summary,
    out_of_memory,
    out_of_memory_is_out_of_memory,
    trace_event,
    trace_note,
    trace_note_struct,
    trace_record,
    trace_trace,
    with_failure_at,
];

/// The file included at the top of this one rather than run as a test: the
/// two lines that install the lab, which are not a program.
const INSTALL: &str = "install";

/// The examples that install a global allocator of their own, so that
/// each runs as a test binary of its own, `tests/NAME.rs`, which includes
/// it.
const OWN_BINARY: &[&str] = &["lab_allocator_wrapping"];

/// How a doc comment includes the file `doc-examples/NAME.rs`.
const INCLUDE: &str = "include_str!(\"../doc-examples/";

fn package() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The names of the files of `doc-examples/`, without `.rs`, sorted.
fn example_files() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(package().join("doc-examples"))
        .expect("lab/doc-examples/ is readable")
        .map(|entry| entry.expect("an entry of lab/doc-examples/").path())
        .map(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let stem = name.strip_suffix(".rs");
            assert!(
                stem.is_some() && path.is_file(),
                "lab/doc-examples/{name}: only the examples' .rs files belong there"
            );
            stem.unwrap_or_default().to_string()
        })
        .collect();
    names.sort();
    names
}

/// Every `.rs` file under `lab/src/`: its path relative to `lab/`, and its
/// lines.
fn sources() -> Vec<(String, Vec<String>)> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("lab/src/ is readable") {
            let path = entry.expect("an entry of lab/src/").path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&package().join("src"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).expect("a source file is readable");
            let relative = path.strip_prefix(package()).unwrap_or(&path);
            let lines = text.lines().map(str::to_string).collect();
            (relative.display().to_string(), lines)
        })
        .collect()
}

/// The example a line of doc includes, if any: `NAME` of
/// `include_str!("../doc-examples/NAME.rs")` (with one `../` more per
/// level of nesting, in a module's own directory).
fn included(line: &str) -> Option<&str> {
    const OPEN: &str = "include_str!(\"";
    let start = line.find(OPEN)? + OPEN.len();
    let path = line[start..].trim_start_matches("../");
    let name = path.strip_prefix("doc-examples/")?;
    name.split_once(".rs\"").map(|(name, _)| name)
}

/// A doc comment's fence: "/// ```" or "//! ```".
fn is_fence(line: &str) -> bool {
    matches!(line.trim(), "/// ```" | "//! ```")
}

#[test]
fn every_example_file_runs_as_a_test() {
    let mut listed: Vec<&str> = LISTED.to_vec();
    listed.sort_unstable();
    let not_run: Vec<String> = example_files()
        .into_iter()
        .filter(|name| name != INSTALL && !listed.contains(&name.as_str()))
        .filter(|name| {
            let own_binary = package().join("tests").join(format!("{name}.rs"));
            let includes = |text: String| text.contains(&format!("/doc-examples/{name}.rs\""));
            !(OWN_BINARY.contains(&name.as_str())
                && fs::read_to_string(own_binary).is_ok_and(includes))
        })
        .collect();
    assert!(
        not_run.is_empty(),
        "lab/doc-examples/: {not_run:?} never run: add each to the list of \
         examples! in lab/tests/doc_examples.rs (or, for a program with a global \
         allocator of its own, to OWN_BINARY there, with a test binary \
         lab/tests/NAME.rs that includes it)"
    );
    listed.dedup();
    assert_eq!(
        listed.len(),
        LISTED.len(),
        "an example is listed twice in examples!"
    );
}

#[test]
fn every_example_file_is_shown_in_the_docs() {
    let mut shown = Vec::new();
    let mut problems = Vec::new();
    for (path, lines) in sources() {
        for (index, line) in lines.iter().enumerate() {
            let Some(name) = included(line) else {
                continue;
            };
            shown.push(name.to_string());
            // Between fences, or rustdoc renders the program as prose.
            let before = index.checked_sub(1).map(|i| lines[i].as_str());
            let after = lines.get(index + 1).map(String::as_str);
            if !(before.is_some_and(is_fence) && after.is_some_and(is_fence)) {
                problems.push(format!(
                    "lab/{path}:{}: the example {name} is not between two lines `/// ```` \
                     (or `//! ````)",
                    index + 1
                ));
            }
        }
    }
    for name in example_files() {
        if !shown.contains(&name) {
            problems.push(format!(
                "lab/doc-examples/{name}.rs is in no item's docs: no reader sees it \
                 (include it with #[doc = {INCLUDE}{name}.rs\")])"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A public item of the lab, found in its source.
struct Item {
    /// Where it is declared, `lab/src/FILE.rs:LINE`.
    place: String,
    name: String,
    /// The examples its docs include.
    examples: Vec<String>,
    /// The item whose example its docs point to instead: the `X` of
    /// "see the example of [`X`]".
    points_to: Option<String>,
}

/// How an item's docs may point to the example of another item (a method
/// to its type's, say), instead of including one of their own.
const POINTER: &str = "see the example of [`";

/// How the declaration of a public item starts (after indentation).
const DECLARATIONS: &[&str] = &[
    "pub fn ",
    "pub const fn ",
    "pub unsafe fn ",
    "pub struct ",
    "pub enum ",
    "pub union ",
    "pub trait ",
    "pub type ",
    "pub const ",
    "pub static ",
];

/// Every public item declared in the lab's sources, with what its docs
/// (the doc comments and attributes just above it) say. The methods of a
/// public trait are public items too; so is the crate, whose docs are the
/// top of `lib.rs`.
fn public_items() -> Vec<Item> {
    let mut items = Vec::new();
    let describe = |place: String, name: &str, docs: &[String]| {
        let examples = docs
            .iter()
            .filter_map(|line| included(line))
            .map(str::to_string)
            .collect();
        let points_to = docs.iter().find_map(|line| {
            let start = line.find(POINTER)? + POINTER.len();
            Some(line[start..].split('`').next()?.to_string())
        });
        Item {
            place,
            name: name.to_string(),
            examples,
            points_to,
        }
    };
    for (path, lines) in sources() {
        if path == "src/lib.rs" {
            let top: Vec<String> = lines
                .iter()
                .take_while(|line| line.starts_with("//!") || line.starts_with("#![doc"))
                .cloned()
                .collect();
            items.push(describe(format!("lab/{path}:1"), "the crate", &top));
        }
        let mut in_public_trait = false;
        for (index, line) in lines.iter().enumerate() {
            let code = line.trim_start();
            let declared = DECLARATIONS
                .iter()
                .find_map(|start| code.strip_prefix(start))
                .or_else(|| in_public_trait.then(|| code.strip_prefix("fn ")).flatten());
            if code.starts_with("pub trait ") {
                in_public_trait = true;
            } else if line == "}" {
                in_public_trait = false;
            }
            let Some(rest) = declared else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let docs: Vec<String> = lines[..index]
                .iter()
                .rev()
                .take_while(|line| {
                    let line = line.trim_start();
                    line.starts_with("///") || line.starts_with("#[")
                })
                .cloned()
                .collect();
            items.push(describe(format!("lab/{path}:{}", index + 1), &name, &docs));
        }
    }
    items
}

#[test]
fn every_public_item_has_an_example() {
    let items = public_items();
    let mut problems = Vec::new();
    // The scan must find what the crate exports, or it proves nothing.
    let lib = fs::read_to_string(package().join("src/lib.rs")).expect("lib.rs is readable");
    // Each `pub use ...;`, which rustfmt may spread over several lines.
    let exports = lib
        .split(';')
        .filter_map(|item| item.trim_start().strip_prefix("pub use "))
        .map(|export| export.split_whitespace().collect::<Vec<_>>().join(" "));
    for export in exports {
        let names = export.as_str();
        let names = names.rsplit_once("::").map_or(names, |(_, names)| names);
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = name.trim();
            if name.is_empty() {
                continue; // after a trailing comma
            }
            if !items.iter().any(|item| item.name == name) {
                problems.push(format!(
                    "lab/src/lib.rs exports {name}, but the scan of lab/src/ found no \
                     declaration of it: teach public_items() its form"
                ));
            }
        }
    }
    for item in &items {
        if !item.examples.is_empty() {
            continue;
        }
        let Some(other) = &item.points_to else {
            problems.push(format!(
                "{}: {} has no example: include one of lab/doc-examples/ in its docs \
                 (#[doc = {INCLUDE}NAME.rs\")]), or point to another item's \
                 (\"{POINTER}OTHER`]\")",
                item.place, item.name
            ));
            continue;
        };
        let target = items.iter().find(|target| &target.name == other);
        if target.is_none_or(|target| target.examples.is_empty()) {
            problems.push(format!(
                "{}: {} points to the example of {other}, which has none",
                item.place, item.name
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
