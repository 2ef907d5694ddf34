//! The include step of mdBook (0.5.4), done here so that build.rs needs no
//! part of mdBook: `{{#include FILE}}`, `{{#include FILE:ANCHOR}}`,
//! `{{#include FILE:FIRST:LAST}}` (also `FILE:LINE`, `FILE:FIRST:` and
//! `FILE::LAST`, lines counted from 1), the same with `rustdoc_include`
//! (the rest of the file comes too, each line behind `# `), `{{#playground
//! FILE}}`, `{{#title ...}}` (it leaves nothing), and `\{{#...}}`, which
//! stays as it is without its backslash. What an include brings in is
//! expanded in turn, relative to its own file's directory.
//!
//! `tests/book.rs` (`includes_are_expanded_as_mdbook_does`) holds every
//! chapter expanded here equal to what `mdbook` itself renders.
//!
//! Where mdBook would quietly put nothing (a file that cannot be read, an
//! anchor that is not in the file, includes nested too deep), this stops
//! the build instead. A directive mdBook does not know stays in the text,
//! as in mdBook, and build.rs refuses a chapter that still holds `{{#`.

use std::path::Path;

/// mdBook stops expanding includes inside includes at this depth.
const MAX_DEPTH: usize = 10;

/// `text` with every directive expanded; `dir` is the directory that paths
/// in `text` are relative to (a chapter's directory).
pub fn expand(text: &str, dir: &Path) -> Result<String, String> {
    expand_at(text, dir, 0)
}

fn expand_at(text: &str, dir: &Path, depth: usize) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0; // `text[..copied]` is in `out` or replaced
    let mut from = 0; // where to look for the next directive
    while let Some(found) = next_directive(text, from) {
        from = found.end;
        let expansion = match found.kind {
            Kind::Escaped => Some(text[found.start + 1..found.end].to_string()),
            Kind::Directive { name, args } => directive(name, args, dir, depth)
                .map_err(|e| format!("{}: {e}", &text[found.start..found.end]))?,
        };
        if let Some(expansion) = expansion {
            if depth >= MAX_DEPTH {
                return Err(too_deep());
            }
            out.push_str(&text[copied..found.start]);
            out.push_str(&expansion);
            copied = found.end;
        }
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

struct Found<'a> {
    start: usize,
    end: usize,
    kind: Kind<'a>,
}

enum Kind<'a> {
    /// `\{{#...}}`: up to the last `}}` of the line.
    Escaped,
    /// `{{#name args}}`: `name` is ASCII letters, digits and `_`, followed by
    /// white space; `args` holds no `}`.
    Directive { name: &'a str, args: &'a str },
}

/// The first directive that starts at `from` or later.
fn next_directive(text: &str, mut from: usize) -> Option<Found<'_>> {
    let bytes = text.as_bytes();
    while from < text.len() {
        let at = from + text[from..].find(['\\', '{'])?;
        from = at + 1;
        if bytes[at] == b'\\' {
            if text[at..].starts_with("\\{{#") {
                let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
                if let Some(close) = text[at + 4..line_end].rfind("}}") {
                    let end = at + 4 + close + 2;
                    return Some(Found {
                        start: at,
                        end,
                        kind: Kind::Escaped,
                    });
                }
            }
        } else if let Some(found) = directive_at(text, at) {
            return Some(found);
        }
    }
    None
}

/// A `{{#name args}}` that starts at `at`, if one does.
fn directive_at(text: &str, at: usize) -> Option<Found<'_>> {
    let rest = text[at..].strip_prefix("{{")?;
    let rest = rest.trim_start().strip_prefix('#')?;
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let (name, rest) = rest.split_at(name_len);
    // White space after the name, then at least one more character before
    // the first `}`, which must begin `}}`.
    let first = rest.chars().next()?;
    let close = rest.find('}')?;
    if name.is_empty() || !first.is_whitespace() || close <= first.len_utf8() {
        return None;
    }
    if !rest[close..].starts_with("}}") {
        return None;
    }
    let args = &rest[first.len_utf8()..close];
    let end = text.len() - rest.len() + close + 2;
    Some(Found {
        start: at,
        end,
        kind: Kind::Directive { name, args },
    })
}

/// mdBook leaves out whatever a directive this deep would bring in.
fn too_deep() -> String {
    format!("includes nested deeper than {MAX_DEPTH} (does a file include itself?)")
}

/// What a directive becomes; `None` leaves it in the text.
fn directive(name: &str, args: &str, dir: &Path, depth: usize) -> Result<Option<String>, String> {
    if name == "title" {
        return Ok(Some(String::new()));
    }
    let mut words = args.split_whitespace();
    let Some(target) = words.next() else {
        return Ok(None);
    };
    let (file, selection) = match name {
        "include" | "rustdoc_include" => match target.split_once(':') {
            Some((file, selection)) => (file, Some(selection)),
            None => (target, None),
        },
        "playground" | "playpen" => (target, None),
        _ => return Ok(None),
    };
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let selection = Selection::parse(selection.unwrap_or(""));
    let expansion = match name {
        "include" => selection.take(&text)?,
        "rustdoc_include" => selection.take_hiding_the_rest(&text)?,
        _ => {
            let attributes: Vec<&str> = words.collect();
            let comma = if attributes.is_empty() { "" } else { "," };
            let newline = if text.ends_with('\n') { "" } else { "\n" };
            format!(
                "```rust{comma}{}\n{text}{newline}```\n",
                attributes.join(",")
            )
        }
    };
    if depth >= MAX_DEPTH {
        return Err(too_deep());
    }
    let inner_dir = path.parent().unwrap_or(Path::new(""));
    expand_at(&expansion, inner_dir, depth + 1).map(Some)
}

/// What follows `FILE:`: lines `[first, end)` counted from 0, or an anchor.
enum Selection<'a> {
    Lines {
        first: Option<usize>,
        end: Option<usize>,
    },
    Anchor(&'a str),
}

impl<'a> Selection<'a> {
    /// mdBook's reading: `N` is line N alone, `N:` from line N on, `:M` up
    /// to line M, `N:M` lines N to M; an empty or unreadable end is no end;
    /// a first part that is not a number names an anchor (what follows a
    /// second `:` is then ignored).
    fn parse(selection: &'a str) -> Self {
        let mut parts = selection.splitn(3, ':');
        let first_part = parts.next().unwrap_or("");
        let first = match first_part.parse::<usize>() {
            Ok(line) => Some(line.saturating_sub(1)),
            Err(_) if first_part.is_empty() => None,
            Err(_) => return Selection::Anchor(first_part),
        };
        let end = match parts.next() {
            None => first.map(|first| first + 1),
            Some(end) => end.parse::<usize>().ok(),
        };
        Selection::Lines { first, end }
    }

    /// Whether line `index` (from 0) is selected, for a line range.
    fn contains(first: Option<usize>, end: Option<usize>, index: usize) -> bool {
        first.is_none_or(|first| index >= first) && end.is_none_or(|end| index < end)
    }

    /// `{{#include}}`: the selected lines; for an anchor, those between
    /// `ANCHOR: name` and `ANCHOR_END: name`, without any anchor line.
    fn take(&self, text: &str) -> Result<String, String> {
        let lines: Vec<&str> = match *self {
            Selection::Lines { first, end } => text
                .lines()
                .enumerate()
                .filter(|(index, _)| Self::contains(first, end, *index))
                .map(|(_, line)| line)
                .collect(),
            Selection::Anchor(anchor) => {
                let mut lines = text.lines();
                if !lines.any(|line| anchor_start(line) == Some(anchor)) {
                    return Err(no_anchor(anchor));
                }
                lines
                    .take_while(|line| anchor_end(line) != Some(anchor))
                    .filter(|line| anchor_start(line).is_none() && anchor_end(line).is_none())
                    .collect()
            }
        };
        Ok(lines.join("\n"))
    }

    /// `{{#rustdoc_include}}`: every line of the file, those not selected
    /// behind `# ` (a blank one becomes `# `). For an anchor, the lines
    /// that start or end an anchor (any anchor) are left out.
    fn take_hiding_the_rest(&self, text: &str) -> Result<String, String> {
        let mut lines: Vec<String> = Vec::new();
        match *self {
            Selection::Lines { first, end } => {
                for (index, line) in text.lines().enumerate() {
                    let hidden = !Self::contains(first, end, index);
                    lines.push(if hidden {
                        format!("# {line}")
                    } else {
                        line.to_string()
                    });
                }
            }
            Selection::Anchor(anchor) => {
                let mut inside = false;
                let mut found = false;
                for line in text.lines() {
                    let (start, end) = (anchor_start(line), anchor_end(line));
                    if inside {
                        inside = end != Some(anchor);
                        if start.is_none() && end.is_none() {
                            lines.push(line.to_string());
                        }
                    } else if start.is_some() {
                        inside = start == Some(anchor);
                        found |= inside;
                    } else if end.is_none() {
                        lines.push(format!("# {line}"));
                    }
                }
                if !found {
                    return Err(no_anchor(anchor));
                }
            }
        }
        Ok(lines.join("\n"))
    }
}

fn no_anchor(anchor: &str) -> String {
    format!("the file has no `ANCHOR: {anchor}` (mdBook would show nothing)")
}

/// The name in the first `ANCHOR: name` of `line`.
fn anchor_start(line: &str) -> Option<&str> {
    anchor_after(line, "ANCHOR:")
}

/// The name in the first `ANCHOR_END: name` of `line`.
fn anchor_end(line: &str) -> Option<&str> {
    anchor_after(line, "ANCHOR_END:")
}

/// The first `MARKER name` of `line` (white space allowed between), where a
/// name is letters, digits, `_` and `-`.
fn anchor_after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    line.match_indices(marker).find_map(|(at, _)| {
        let rest = line[at + marker.len()..].trim_start();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (len > 0).then(|| &rest[..len])
    })
}
