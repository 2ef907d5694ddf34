//! Timelines drawn from the traces the book shows: each picture of
//! `src/timelines/` is an SVG generated here from a checked output (a case
//! of tests/cmd/, or a Zig twin's), so it cannot drift from the trace: a
//! changed trace without a regenerated picture fails, and
//! `TRYCMD=overwrite cargo test --test examples timelines` regenerates it.
//!
//! Time runs down, one row per event of the trace; each block has a lane,
//! with a bar from its allocation to its free. A block never freed keeps
//! its bar to the end of its run, dashed, and says so. The pictures are
//! drawn with the theme's colours (CSS variables of mdBook's themes), so
//! they read in light and dark themes, and carry their trace as text.

use std::fs;

use crate::support::{self, fail, first_difference, root, shown_line};

/// Every timeline: (picture in src/timelines/, the checked trace it draws).
pub const TIMELINES: &[(&str, &str)] = &[
    ("ch03_guard_order", "tests/cmd/ch03_guard_order.stdout"),
    ("ch03_unwind", "tests/cmd/ch03_unwind.stdout"),
    ("ch05_leak_zig", "zig/ch05_leak.stdout"),
    ("ch06_arena", "tests/cmd/ch06_arena.stdout"),
    ("ch08_save_trace", "tests/cmd/ch08_save_trace.stdout"),
];

/// Chapter `chapter`'s pictures are those its traces draw, and its pages
/// show them.
pub fn timelines_are_drawn_from_the_traces_shown(chapter: &str) {
    for (name, trace_file) in TIMELINES
        .iter()
        .filter(|(n, _)| n.starts_with(&format!("{chapter}_")))
    {
        let trace = fs::read_to_string(root().join(trace_file)).unwrap();
        let drawn = timeline_svg(name, &trace);
        let file = root().join(format!("src/timelines/{name}.svg"));
        let committed = fs::read_to_string(&file).unwrap_or_default();
        if let Some((line, expected, seen)) = first_difference(&drawn, &committed) {
            if std::env::var_os("TRYCMD").is_some_and(|mode| mode == "overwrite") {
                fs::create_dir_all(file.parent().unwrap()).unwrap();
                fs::write(&file, &drawn).unwrap();
            } else {
                fail(
                    &format!("src/timelines/{name}.svg:{line}"),
                    &format!(
                        "the picture of {trace_file}, drawn again (regenerate it: \
                         TRYCMD=overwrite cargo test --test examples timelines)"
                    ),
                    shown_line(expected),
                    shown_line(seen),
                );
            }
        }
        let include = format!("{{{{#include timelines/{name}.svg}}}}");
        if !support::chapter_says(chapter, &include) {
            fail(
                &format!("src/{chapter}-*.md"),
                "a timeline is shown in its chapter",
                include,
                "no such line",
            );
        }
    }
}

/// One event of a trace, as the lab (and the Zig side's lab) prints it, and
/// as chapter 8's save notes what it does with its temporary file. A block
/// and a file are drawn alike: a lane from its acquisition to its release.
enum Event<'a> {
    /// `alloc   #1  20 bytes`, or `create  temporary file`: the lane `lane`
    /// opens (a dot), labelled `label`.
    Acquire {
        lane: &'a str,
        label: &'a str,
        says: String,
    },
    /// `free    #1  20 bytes`, `remove  temporary file` or `close
    /// temporary file (...)` (a square), or `rename  temporary file ->
    /// NOTES.txt` or `link    temporary file as NOTES.txt` (a hollow
    /// square: the file is kept, under that name): the lane closes.
    Release {
        lane: &'a str,
        kept: bool,
        says: String,
    },
    Realloc {
        id: &'a str,
        sizes: &'a str,
    },
    Note(&'a str),
}

fn parse_event(line: &str) -> Event<'_> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let rest = |word: &str| line.trim().strip_prefix(word).map_or("", str::trim);
    match words.as_slice() {
        ["alloc", id, bytes, "bytes"] if id.starts_with('#') => Event::Acquire {
            lane: id,
            label: id,
            says: format!("alloc {id}, {bytes} bytes"),
        },
        ["free", id, bytes, "bytes"] if id.starts_with('#') => Event::Release {
            lane: id,
            kept: false,
            says: format!("free {id}, {bytes} bytes"),
        },
        ["realloc", id, ..] if id.starts_with('#') => {
            let sizes = line.split_once(id).map_or("", |(_, rest)| rest.trim());
            Event::Realloc { id, sizes }
        }
        ["create", ..] => Event::Acquire {
            lane: rest("create"),
            label: "file",
            says: format!("create {}", rest("create")),
        },
        ["remove", ..] => Event::Release {
            lane: rest("remove"),
            kept: false,
            says: format!("remove {}", rest("remove")),
        },
        ["close", ..] => Event::Release {
            lane: rest("close").split(" (").next().unwrap_or(""),
            kept: false,
            says: format!("close {}", rest("close")),
        },
        ["link", ..] if line.contains(" as ") => {
            let (file, to) = rest("link").split_once(" as ").unwrap();
            Event::Release {
                lane: file,
                kept: true,
                says: format!("link {file}: it is {to} now"),
            }
        }
        ["rename", ..] if line.contains(" -> ") => {
            let (file, to) = rest("rename").split_once(" -> ").unwrap();
            Event::Release {
                lane: file,
                kept: true,
                says: format!("rename {file}: it is {to} now"),
            }
        }
        _ => Event::Note(line.trim()),
    }
}

/// What a note says happened: a guard (an errdefer) armed, defused or
/// fired, an error or a panic, or something else; the picture marks each
/// kind its own way (see theme/course.css).
fn note_kind(note: &str) -> &'static str {
    let errdefer_runs = note.starts_with("errdefer") && note.contains(" runs"); // Zig's words
    if note.contains(" armed") || note.contains(" registered") {
        "guard armed"
    } else if note.contains(" defused") {
        "guard defused"
    } else if note.contains(" fires") || note.contains("guard runs") || errdefer_runs {
        "guard fires"
    } else if ["Err", "panic", "error"]
        .iter()
        .any(|start| note.starts_with(start))
        || note.contains("FAILED")
    {
        "error"
    } else {
        "note"
    }
}

/// The runs of a trace: a line ending in `:` starts one (`alloc_two(5):`);
/// indented lines are its events. A trace without such a line is one run.
fn runs(trace: &str) -> Vec<(String, Vec<&str>)> {
    let mut runs: Vec<(String, Vec<&str>)> = Vec::new();
    for line in trace.lines() {
        if line.starts_with("  ") {
            if runs.is_empty() {
                runs.push((String::new(), Vec::new()));
            }
            runs.last_mut().unwrap().1.push(line);
        } else if let Some(title) = line.strip_suffix(':') {
            runs.push((title.to_string(), Vec::new()));
        } else if let Some(run) = runs.last_mut() {
            run.1.push(line); // a closing line of the program's own
        }
    }
    runs
}

const ROW: usize = 20;
const LANE: usize = 40;
const LEFT: usize = 16;
const CHAR: usize = 9; // width of a character of the 14px monospace font

/// The SVG of `trace`: one panel per run.
pub fn timeline_svg(name: &str, trace: &str) -> String {
    let runs = runs(trace);
    let lanes = runs
        .iter()
        .map(|(_, events)| lanes_of(events).len())
        .max()
        .unwrap_or(0)
        .max(1);
    let mark_x = LEFT + lanes * LANE + 8; // guards' and errors' marks
    let text_x = mark_x + 16;
    let widest = trace
        .lines()
        .map(|l| l.trim().chars().count().min(MOST_CHARS))
        .max()
        .unwrap_or(0);
    let width = text_x + widest * CHAR + 16;
    let mut body = String::new();
    let mut y = 8;
    let mut never_freed = Vec::new();
    for (title, events) in &runs {
        if !title.is_empty() {
            y += ROW;
            body.push_str(&text(LEFT, y, "title", title));
        }
        let lanes = lanes_of(events);
        let mut open: Vec<(usize, usize)> = Vec::new(); // (lane, row y)
        for line in events {
            y += ROW;
            let mid = y - 5;
            match parse_event(line) {
                Event::Acquire { lane, label, says } => {
                    let lane = lane_x(&lanes, lane);
                    open.push((lane, mid));
                    body.push_str(&format!(
                        "<circle class=\"event\" cx=\"{lane}\" cy=\"{mid}\" r=\"5\"/>"
                    ));
                    body.push_str(&text(lane + 9, y, "lane", label));
                    body.push_str(&text(text_x, y, "alloc", &says));
                }
                Event::Release { lane, kept, says } => {
                    let lane = lane_x(&lanes, lane);
                    if let Some(at) = open.iter().position(|(l, _)| *l == lane) {
                        let (_, start) = open.remove(at);
                        body.push_str(&bar(lane, start, mid, false));
                    }
                    let mark = if kept { "hollow" } else { "event" };
                    body.push_str(&format!(
                        "<rect class=\"{mark}\" x=\"{}\" y=\"{}\" width=\"10\" height=\"10\"/>",
                        lane - 5,
                        mid - 5
                    ));
                    body.push_str(&text(text_x, y, "free", &says));
                }
                Event::Realloc { id, sizes } => {
                    let lane = lane_x(&lanes, id);
                    body.push_str(&format!(
                        "<circle class=\"hollow\" cx=\"{lane}\" cy=\"{mid}\" r=\"5\"/>"
                    ));
                    body.push_str(&text(text_x, y, "alloc", &format!("realloc {id}, {sizes}")));
                }
                Event::Note(note) => {
                    let kind = note_kind(note);
                    body.push_str(&mark(kind, mark_x + 5, mid));
                    body.push_str(&text(text_x, y, kind, note));
                }
            }
        }
        y += ROW;
        for (lane, start) in open {
            body.push_str(&bar(lane, start, y - 5, true));
            let id = lanes[(lane - LEFT - LANE / 2) / LANE];
            let never = if id.starts_with('#') {
                format!("{id} is never freed")
            } else {
                format!("the {id} is never removed")
            };
            body.push_str(&text(text_x, y, "leak", &never));
            never_freed.push(format!("{title}: {never}"));
        }
        y += 8;
    }
    let height = y + 8;
    let description: String = trace
        .lines()
        .map(|l| escape(l.trim()))
        .chain(never_freed.iter().map(|l| escape(l)))
        .collect::<Vec<_>>()
        .join("; ");
    // The legend names only the marks this picture has.
    let has = |what: &str| body.contains(what);
    let files = has(">file</text>");
    let guards = ["hollow", "defused", "event"]
        .iter()
        .any(|kind| has(&format!("class=\"mark {kind}\"")));
    let errors = has("class=\"mark cross\"");
    let mut legend = String::new();
    if files {
        legend.push_str(
            ", a file's from its creation to its removal (square) or its rename \
             (hollow square)",
        );
    }
    if guards {
        legend.push_str(
            "; a diamond marks a guard: hollow when armed, dashed when defused, \
             filled when it fires",
        );
    }
    if errors {
        legend.push_str("; a cross marks an error");
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" role=\"img\" \
         viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" \
         aria-labelledby=\"{name}-title {name}-desc\">\n\
         <title id=\"{name}-title\">Timeline of the trace of {name}: each block's \
         lane runs from its allocation (dot) to its free (square){legend}</title>\n\
         <desc id=\"{name}-desc\">{description}</desc>\n\
         {body}\n</svg>\n"
    )
}

/// The blocks and files of a run, in the order they were first acquired.
fn lanes_of<'a>(events: &[&'a str]) -> Vec<&'a str> {
    let mut lanes = Vec::new();
    for line in events {
        if let Event::Acquire { lane: id, .. } = parse_event(line)
            && !lanes.contains(&id)
        {
            lanes.push(id);
        }
    }
    lanes
}

/// The mark of a note of `kind` (see [`note_kind`]) centred at (x, y): a
/// diamond for a guard (hollow when armed, dashed when defused, filled
/// when it fires), a cross for an error; none for other notes.
fn mark(kind: &str, x: usize, y: usize) -> String {
    let diamond = |class: &str| {
        format!(
            "<polygon class=\"{class}\" points=\"{x},{} {},{y} {x},{} {},{y}\"/>",
            y - 6,
            x + 6,
            y + 6,
            x - 6
        )
    };
    match kind {
        "guard armed" => diamond("mark hollow"),
        "guard defused" => diamond("mark defused"),
        "guard fires" => diamond("mark event"),
        "error" => format!(
            "<path class=\"mark cross\" d=\"M{} {} L{} {} M{} {} L{} {}\"/>",
            x - 5,
            y - 5,
            x + 5,
            y + 5,
            x - 5,
            y + 5,
            x + 5,
            y - 5
        ),
        _ => String::new(),
    }
}

fn lane_x(lanes: &[&str], id: &str) -> usize {
    let k = lanes.iter().position(|l| *l == id).unwrap_or(0);
    LEFT + k * LANE + LANE / 2
}

fn bar(x: usize, from: usize, to: usize, leaked: bool) -> String {
    let class = if leaked { "bar leaked" } else { "bar" };
    format!("<line class=\"{class}\" x1=\"{x}\" y1=\"{from}\" x2=\"{x}\" y2=\"{to}\"/>")
}

/// The most characters a line of text may have: the picture then fits the
/// page's column at the size of its code text, so it is never scaled down.
/// A longer line is cut, with `…`: the whole trace is printed above the
/// picture, and is the picture's description.
const MOST_CHARS: usize = 54;

fn text(x: usize, y: usize, class: &str, content: &str) -> String {
    let shown: String = if content.chars().count() > MOST_CHARS {
        let cut: String = content.chars().take(MOST_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        content.to_string()
    };
    format!(
        "<text class=\"{class}\" x=\"{x}\" y=\"{y}\">{}</text>",
        escape(&shown)
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
