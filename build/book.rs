//! What build.rs needs of the book's own files, read as mdBook (0.5.4)
//! reads them: two settings of `book.toml`, and the chapters `SUMMARY.md`
//! lists, in its order. Only the forms this book can use are understood;
//! any other line of `SUMMARY.md` stops the build. `tests/book.rs` holds
//! the chapters found here to be exactly those `mdbook` renders.

use std::path::{Path, PathBuf};

pub struct BookFiles {
    /// The source directory (`[book] src`), from the book's root.
    pub src: PathBuf,
    /// `[rust] edition`, if set.
    pub edition: Option<String>,
    /// Each chapter's file under `src`, in the book's order (a draft
    /// chapter, which has no file, is left out).
    pub chapters: Vec<PathBuf>,
}

pub fn read(root: &Path) -> BookFiles {
    let toml_path = root.join("book.toml");
    let toml = std::fs::read_to_string(&toml_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", toml_path.display()));
    let src = PathBuf::from(setting(&toml, "book.src").unwrap_or_else(|| "src".into()));
    let edition = setting(&toml, "rust.edition");
    let summary_path = root.join(&src).join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", summary_path.display()));
    let chapters = summary
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            summary_entry(line).unwrap_or_else(|| {
                panic!(
                    "{}:{}: build.rs does not understand this line of the summary \
                     (build/book.rs reads `- [Title](file.md)`, `[Title](file.md)`, \
                     `# Title` and `---`): {line}",
                    summary_path.display(),
                    index + 1
                )
            })
        })
        .collect();
    BookFiles {
        src,
        edition,
        chapters,
    }
}

/// A string setting of `book.toml`, by its dotted name (`book.src`): set
/// under its table's header or as a dotted key. Only a plain quoted string
/// is accepted.
fn setting(toml: &str, name: &str) -> Option<String> {
    let mut table = String::new();
    for line in toml.lines().map(str::trim) {
        if let Some(header) = line.strip_prefix('[') {
            table = header.split(']').next().unwrap_or("").trim().to_string();
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches('"');
        let full = if table.is_empty() {
            key.to_string()
        } else {
            format!("{table}.{key}")
        };
        if full != name {
            continue;
        }
        let value = value.trim();
        let quoted = |q: char| {
            value
                .strip_prefix(q)
                .and_then(|v| v.split_once(q))
                .filter(|(v, rest)| {
                    !v.contains('\\') && (rest.trim().is_empty() || rest.trim().starts_with('#'))
                })
                .map(|(v, _)| v.to_string())
        };
        let found = quoted('"').or_else(|| quoted('\''));
        return Some(found.unwrap_or_else(|| {
            panic!("book.toml: build.rs reads `{name}` as a plain quoted string only: {line}")
        }));
    }
    None
}

/// `Some(Some(file))` for a chapter, `Some(None)` for a line that names
/// none (blank, a title, a separator, a draft chapter), `None` for a line
/// not understood.
fn summary_entry(line: &str) -> Option<Option<PathBuf>> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line == "---" {
        return Some(None);
    }
    let item = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .unwrap_or(line)
        .trim_start();
    let link = item.strip_prefix('[')?.strip_suffix(')')?;
    let (title, target) = link.rsplit_once("](")?;
    if title.contains(['[', ']']) || target.contains(['(', ')', ' ', '<', '>']) {
        return None;
    }
    if target.is_empty() {
        return Some(None);
    }
    Some(Some(PathBuf::from(target.replace("%20", " "))))
}
