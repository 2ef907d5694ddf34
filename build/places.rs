//! Where each line of a rendered chapter comes from, so that every failure
//! can name the file the reader edits: `src/chNN-....md:LINE`, or the file
//! an include brought the line in from.
//!
//! The include step (`build/includes.rs`, which does what mdBook's does)
//! gives no positions. So each chapter is expanded twice:
//! once as it is, and once with a marker line before and after every line
//! that holds an include. The markers show exactly which rendered lines each
//! include produced; every other line is a line of the chapter, in order.
//! Removing the markers must give the plain expansion back, or this
//! script stops.

use std::path::{Component, Path, PathBuf};

use crate::{book, includes};

const BEGIN: &str = "@@course-build-include-begin@@";
const END: &str = "@@course-build-include-end@@";

/// A chapter as the reader sees it, and where each of its lines comes from.
pub struct Chapter {
    /// The path under the book's source directory: `ch03-staged-allocation.md`.
    pub path: PathBuf,
    /// The file the reader edits, from the project root: `src/ch03-....md`.
    pub source_file: String,
    /// Its text.
    pub source: String,
    /// The rendered text (after includes).
    pub rendered: String,
    /// One per rendered line.
    pub origins: Vec<Origin>,
}

/// Where one rendered line comes from.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The chapter's source file from the project root: `src/ch03-....md`.
    pub chapter: String,
    /// Its line in the chapter's source (for an included line, the line of
    /// the include).
    pub line: usize,
    /// For a line an include brought in: the file (from the project root),
    /// its line there, and whether mdBook hid it (`rustdoc_include` shows
    /// only the anchor and hides the rest behind `# `).
    pub included: Option<Included>,
}

#[derive(Clone, Debug)]
pub struct Included {
    pub file: String,
    pub line: usize,
    pub hidden: bool,
}

impl Origin {
    /// `file:line` of the file to edit for this line.
    pub fn place(&self) -> String {
        match &self.included {
            Some(included) => format!("{}:{}", included.file, included.line),
            None => format!("{}:{}", self.chapter, self.line),
        }
    }
}

/// Every chapter of the book, expanded, with the origin of each line.
pub fn load(root: &Path) -> Vec<Chapter> {
    let book = book::read(root);
    let src_dir = book.src;
    let mut out = Vec::new();
    for path in book.chapters {
        let chapter_file = root_relative(&src_dir.join(&path));
        let mut source = std::fs::read_to_string(root.join(&chapter_file))
            .unwrap_or_else(|e| panic!("{chapter_file}: cannot read the chapter: {e}"));
        // mdBook drops a byte order mark; line numbers are the file's all the same.
        if let Some(text) = source.strip_prefix('\u{feff}') {
            source = text.to_string();
        }
        let dir = root
            .join(&src_dir)
            .join(path.parent().unwrap_or(Path::new("")));
        let expand = |text: &str| {
            includes::expand(text, &dir)
                .unwrap_or_else(|e| panic!("{chapter_file}: an include cannot be expanded: {e}"))
        };
        let rendered = expand(&source);
        let marked = expand(&mark_includes(&source));
        let origins = origins(root, &src_dir, &path, &chapter_file, &source, &marked);
        let unmarked: Vec<&str> = marked
            .lines()
            .filter(|line| *line != BEGIN && *line != END)
            .collect();
        assert!(
            unmarked == rendered.lines().collect::<Vec<_>>(),
            "{chapter_file}: marking the includes changed the expansion \
             (is an include split over several lines?); build.rs cannot map lines"
        );
        assert_eq!(origins.len(), rendered.lines().count());
        out.push(Chapter {
            path,
            source_file: chapter_file,
            source,
            rendered,
            origins,
        });
    }
    out
}

/// Surrounds every line that holds an include (`{{#...}}`) with markers.
fn mark_includes(content: &str) -> String {
    let mut out = String::with_capacity(content.len() + 1024);
    for line in content.split_inclusive('\n') {
        if line.contains("{{#") {
            out.push_str(BEGIN);
            out.push('\n');
            out.push_str(line.trim_end_matches('\n'));
            out.push('\n');
            out.push_str(END);
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The origin of each line of the marked expansion (markers left out).
fn origins(
    root: &Path,
    src_dir: &Path,
    chapter_path: &Path,
    chapter_file: &str,
    source: &str,
    marked: &str,
) -> Vec<Origin> {
    let source_lines: Vec<&str> = source.lines().collect();
    let mut origins = Vec::new();
    let mut source_line = 0; // index of the next source line
    let mut rendered = marked.lines();
    while let Some(line) = rendered.next() {
        if line != BEGIN {
            assert_eq!(
                Some(&line),
                source_lines.get(source_line),
                "{chapter_file}:{}: the include step changed a line that holds no include; \
                 build.rs cannot map the rendered lines to the source",
                source_line + 1
            );
            origins.push(Origin {
                chapter: chapter_file.to_string(),
                line: source_line + 1,
                included: None,
            });
            source_line += 1;
            continue;
        }
        // An include: the source line that holds it, and what it became.
        let directive = source_line;
        let span: Vec<&str> = rendered.by_ref().take_while(|l| *l != END).collect();
        let include = self::directive(source_lines[directive]);
        let file = include.as_ref().map(|include| {
            let dir = src_dir.join(chapter_path.parent().unwrap_or(Path::new("")));
            root_relative(&dir.join(include.path))
        });
        let text = file
            .as_ref()
            .and_then(|file| std::fs::read_to_string(root.join(file)).ok());
        let mut matcher = text
            .as_deref()
            .zip(include.as_ref())
            .map(|(text, include)| FileMatcher::new(text, include));
        for line in span {
            let included = match (&file, matcher.as_mut()) {
                (Some(file), Some(matcher)) => matcher.find(line).map(|(line, hidden)| Included {
                    file: file.clone(),
                    line,
                    hidden,
                }),
                _ => None,
            };
            origins.push(Origin {
                chapter: chapter_file.to_string(),
                line: directive + 1,
                included,
            });
        }
        source_line = directive + 1;
    }
    origins
}

/// What an include line asks for: `{{#include PATH}}`,
/// `{{#include PATH:ANCHOR}}`, `{{#include PATH:FIRST:LAST}}`, or the same
/// with `rustdoc_include`.
struct Directive<'a> {
    path: &'a str,
    rustdoc: bool,
    /// What follows the path: an anchor's name, or a line range.
    selection: Option<&'a str>,
}

fn directive(line: &str) -> Option<Directive<'_>> {
    let rest = &line[line.find("{{#")? + 3..];
    let (rustdoc, rest) = match rest.strip_prefix("rustdoc_include") {
        Some(rest) => (true, rest),
        None => (false, rest.strip_prefix("include")?),
    };
    let args = rest[..rest.find("}}")?].trim();
    let (path, selection) = match args.split_once(':') {
        Some((path, selection)) => (path, Some(selection)),
        None => (args, None),
    };
    (!path.is_empty()).then_some(Directive {
        path,
        rustdoc,
        selection,
    })
}

impl Directive<'_> {
    /// The index of the file's first line the expansion can start with, so
    /// that a line that also appears before an anchor is not taken for it.
    /// `rustdoc_include` brings in the whole file (hiding what it does not
    /// show), so it starts at the top.
    fn first_line(&self, lines: &[&str]) -> usize {
        let Some(selection) = self.selection.filter(|_| !self.rustdoc) else {
            return 0;
        };
        let first = selection.split(':').next().unwrap_or("");
        if let Ok(number) = first.parse::<usize>() {
            return number.saturating_sub(1);
        }
        let anchor = |line: &&str| {
            line.split_once("ANCHOR:")
                .is_some_and(|(_, name)| name.trim() == selection)
        };
        lines.iter().position(anchor).map_or(0, |index| index + 1)
    }
}

/// Finds the lines of an expansion in the included file, in order: mdBook
/// copies them as they are, drops the anchor lines, and (for
/// `rustdoc_include`) hides lines outside the anchor behind `# `.
struct FileMatcher<'a> {
    lines: Vec<&'a str>,
    next: usize,
}

impl<'a> FileMatcher<'a> {
    fn new(text: &'a str, include: &Directive) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let next = include.first_line(&lines);
        FileMatcher { lines, next }
    }

    /// (1-based line, hidden) of the next file line that became `rendered`.
    fn find(&mut self, rendered: &str) -> Option<(usize, bool)> {
        let hidden_text = rendered.strip_prefix("# ");
        let offset = self.lines[self.next..]
            .iter()
            .position(|line| *line == rendered || hidden_text == Some(*line))?;
        let index = self.next + offset;
        self.next = index + 1;
        Some((index + 1, self.lines[index] != rendered))
    }
}

/// `src/../examples/x.rs` becomes `examples/x.rs`.
fn root_relative(path: &Path) -> String {
    let mut parts: Vec<Component> = Vec::new();
    for part in path.components() {
        match part {
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            Component::CurDir => {}
            _ => parts.push(part),
        }
    }
    parts
        .iter()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
