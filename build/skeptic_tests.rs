//! Rewrites the tests skeptic generates so that a failing one says where its
//! block is in the files the reader edits.
//!
//! skeptic names a test after the block's line in the text it was given,
//! which is the chapter after includes and after build.rs's hidden lines:
//! `..._line_307` for a block whose fence is line 100 of the chapter. Its
//! test then runs the block as `/tmp/rust-skeptic.../test.rs`, a file gone
//! by the time anyone reads the failure. So each test is renamed after the
//! fence's line in `src/`, and runs its block through `run_block`
//! (`tests/skeptic.rs`) with a `Block`: the fence's place, the files the
//! block includes, and the place of every line of `test.rs`.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::places::Origin;

/// Where a Rust block of the book comes from.
pub struct BlockInfo {
    /// `src/chNN-....md:LINE` of its opening fence.
    place: String,
    fence_line: usize,
    /// `file:FIRST-LAST` of each file it includes: the lines the reader sees.
    includes: Vec<String>,
    /// The place of each line of the program skeptic compiles, from line 1.
    lines: Vec<String>,
}

impl BlockInfo {
    /// `body` holds the origin of each line between the fences; `wrapped`
    /// says build.rs put the body into a `fn main() { ... }` of its own.
    pub fn new(fence: &Origin, body: &[&Origin], wrapped: bool) -> BlockInfo {
        let place = fence.place();
        // skeptic's program is a newline, then the block as build.rs wrote
        // it: the hidden label, the wrapper if any, the body, its end.
        let mut lines = vec![place.clone(), place.clone()];
        if wrapped {
            lines.push(place.clone());
        }
        lines.extend(body.iter().map(|origin| origin.place()));
        if wrapped {
            lines.push(place.clone());
        }
        BlockInfo {
            place,
            fence_line: fence.line,
            includes: includes(body),
            lines,
        }
    }
}

/// `file:FIRST-LAST` for each included file, in order of appearance. The
/// range covers the lines the reader sees (for `rustdoc_include`, the
/// anchor), or all included lines if none is visible.
fn includes(body: &[&Origin]) -> Vec<String> {
    let mut files: Vec<(&str, Vec<(usize, bool)>)> = Vec::new();
    for included in body.iter().filter_map(|origin| origin.included.as_ref()) {
        let entry = (included.line, included.hidden);
        match files.iter_mut().find(|(file, _)| *file == included.file) {
            Some((_, lines)) => lines.push(entry),
            None => files.push((&included.file, vec![entry])),
        }
    }
    files
        .into_iter()
        .map(|(file, lines)| {
            let visible: Vec<usize> = lines.iter().filter(|l| !l.1).map(|l| l.0).collect();
            let shown = if visible.is_empty() {
                lines.iter().map(|l| l.0).collect()
            } else {
                visible
            };
            let (first, last) = (shown[0], shown[shown.len() - 1]);
            if first == last {
                format!("{file}:{first}")
            } else {
                format!("{file}:{first}-{last}")
            }
        })
        .collect()
}

/// skeptic's generated tests, each renamed after its fence's source line
/// and calling `run_block` with its `Block`. `blocks` is keyed by the label
/// build.rs hid at the top of each block.
pub fn rewrite(generated: &str, blocks: &HashMap<String, BlockInfo>) -> String {
    const PROGRAM_START: &str = "{}\"####, r####\"// ";
    let mut out: Vec<String> = Vec::new();
    let mut test_line = None; // index in `out` of the current `#[test] fn`
    let mut block: Option<&BlockInfo> = None;
    let mut in_program = false;
    for line in generated.lines() {
        if in_program {
            in_program = line != "\"####);";
            out.push(line.to_string());
        } else if line.starts_with("#[test] fn ") {
            test_line = Some(out.len());
            block = None;
            out.push(line.to_string());
        } else if let Some(label) = line.strip_prefix(PROGRAM_START) {
            // The program's second line is build.rs's label (the first one
            // is the newline skeptic's template starts with, above this).
            let previous = out.last().map(String::as_str);
            assert_eq!(
                previous,
                Some("    let s = &format!(r####\""),
                "skeptic's generated code changed shape; update build/skeptic_tests.rs"
            );
            let info = blocks
                .get(label)
                .unwrap_or_else(|| panic!("skeptic made a test of an unknown block: {label}"));
            let fn_line = &mut out[test_line.expect("a program outside a test")];
            *fn_line = renamed(fn_line, info.fence_line);
            block = Some(info);
            in_program = true;
            out.push(line.to_string());
        } else if let Some((call, check)) = [
            ("skeptic::rt::run_test(", "Check::Run"),
            ("skeptic::rt::compile_test(", "Check::Compile"),
        ]
        .into_iter()
        .find(|(call, _)| line.contains(call))
        {
            let info = block.expect("a skeptic call before its program");
            let args = format!("run_block(&{}, {check}, ", literal(info));
            out.push(line.replacen(call, &args, 1));
        } else {
            out.push(line.to_string());
        }
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// `#[test] fn NAME_line_307() {` becomes `#[test] fn NAME_line_100() {`.
fn renamed(fn_line: &str, fence_line: usize) -> String {
    let name_end = fn_line.find("() {").expect("a test function");
    let name = &fn_line[..name_end];
    let line_start = name
        .rfind("_line_")
        .filter(|&i| name[i + 6..].bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_else(|| panic!("skeptic's test name changed shape: {name}"));
    format!(
        "{}_line_{fence_line}{}",
        &name[..line_start],
        &fn_line[name_end..]
    )
}

/// The `Block { .. }` expression for `info` (see `tests/skeptic.rs`).
fn literal(info: &BlockInfo) -> String {
    let mut out = format!("Block {{ place: {:?}, includes: &[", info.place);
    for include in &info.includes {
        write!(out, "{include:?}, ").unwrap();
    }
    out.push_str("], lines: &[");
    for line in &info.lines {
        write!(out, "{line:?}, ").unwrap();
    }
    out.push_str("] }");
    out
}
