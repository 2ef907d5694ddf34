//! The glossary (src/glossary.md) explains the book's jargon, and every
//! page links the first use of each of its terms there: a reader meets no
//! word it cannot look up.

use std::fs;
use std::ops::Range;

use crate::support::{files_ending, heading_ids, relative, root};

const GLOSSARY: &str = "src/glossary.md";

/// A term of the glossary: its heading's id, and the names it goes by (the
/// heading, and the aliases of its `*Also: ...*` line).
struct Term {
    id: String,
    names: Vec<String>,
}

/// The terms of the glossary, in its order. A heading `## set-user-ID and
/// set-group-ID` with `*Also: set-user-ID, set-group-ID.*` under it is
/// found by either name.
fn terms() -> Vec<Term> {
    let text = fs::read_to_string(root().join(GLOSSARY)).unwrap();
    let ids = heading_ids(&text);
    let mut terms = Vec::new();
    let mut headings = 0;
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("# ") {
            assert_eq!(heading, "Glossary", "{GLOSSARY}:1: the title is Glossary");
            headings += 1;
        } else if let Some(heading) = line.strip_prefix("## ") {
            terms.push(Term {
                id: ids[headings].clone(),
                names: vec![heading.to_string()],
            });
            headings += 1;
        } else if let Some(also) = line.strip_prefix("*Also: ") {
            let term = terms.last_mut().expect("an *Also:* line under a term");
            let also = also.trim_end_matches(".*");
            term.names.extend(also.split(", ").map(str::to_string));
        }
    }
    terms
}

/// The byte ranges of `line`'s inline code spans (with their backticks).
fn code_spans(line: &str) -> Vec<Range<usize>> {
    let ticks: Vec<usize> = line.match_indices('`').map(|(at, _)| at).collect();
    ticks
        .chunks(2)
        .filter(|pair| pair.len() == 2)
        .map(|pair| pair[0]..pair[1] + 1)
        .collect()
}

/// Where `name` is used in `line` as a word of the prose: a whole word,
/// outside link targets, and outside code unless the code is the name
/// itself (`ENOSPC`), in any case.
fn uses(line: &str, name: &str, targets: &[Range<usize>]) -> Vec<usize> {
    // In any case: "Inode" at the start of a sentence, "MIRI".
    let (haystack, needle) = (line.to_lowercase(), name.to_lowercase());
    if haystack.len() != line.len() {
        return Vec::new(); // lowercasing changed the offsets: no such names here
    }
    let spans = code_spans(line);
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    haystack
        .match_indices(&needle)
        .map(|(at, _)| at)
        .filter(|&at| {
            !word(haystack[..at].chars().next_back())
                && !word(haystack[at + needle.len()..].chars().next())
        })
        .filter(|at| !targets.iter().any(|target| target.contains(at)))
        .filter(|&at| {
            spans
                .iter()
                .find(|span| span.contains(&at))
                .is_none_or(|span| haystack[span.clone()] == format!("`{needle}`"))
        })
        .collect()
}

/// The prose of a page as the reader reads it: each paragraph, list item
/// or table row as one line (a term may be cut by a line break), with the
/// number of the line it starts on. Headings, HTML and includes are left
/// out.
fn logical_lines(prose: &str) -> Vec<(usize, String)> {
    let mut logical: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for (index, line) in prose.lines().enumerate() {
        let text = line.trim();
        let skipped = text.is_empty()
            || text.starts_with('#')
            || text.starts_with('<')
            || text.starts_with("{{#");
        if skipped {
            open = false;
            continue;
        }
        let starts_item = text.starts_with('|')
            || text.starts_with("- ")
            || text.starts_with("* ")
            || text
                .split_once(". ")
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()));
        match logical.last_mut() {
            Some((_, joined)) if open && !starts_item => {
                joined.push(' ');
                joined.push_str(text);
            }
            _ => logical.push((index, text.to_string())),
        }
        open = !text.starts_with('|');
    }
    logical
}

#[test]
fn every_glossary_term_is_linked_at_its_first_use_on_each_page() {
    let terms = terms();
    assert!(
        terms.len() >= 10,
        "{GLOSSARY}: too few terms found: is the search broken?"
    );
    let mut problems = Vec::new();
    let mut linked = 0;
    for page in files_ending("src", ".md") {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        if name == "glossary.md" || name == "SUMMARY.md" {
            continue;
        }
        let prose = crate::prose_of(&fs::read_to_string(&page).unwrap());
        let mut seen = vec![false; terms.len()];
        for (index, line) in logical_lines(&prose) {
            let line = line.as_str();
            let links = crate::links_in(line);
            let targets: Vec<Range<usize>> = links
                .iter()
                .map(|(text, target)| text.end + 2..text.end + 2 + target.len())
                .collect();
            for (term, seen) in terms.iter().zip(seen.iter_mut()) {
                if *seen {
                    continue;
                }
                let first = term
                    .names
                    .iter()
                    .flat_map(|name| {
                        uses(line, name, &targets)
                            .into_iter()
                            .map(move |at| (at, name))
                    })
                    .min();
                let Some((at, used)) = first else {
                    continue;
                };
                *seen = true;
                let target = format!("glossary.md#{}", term.id);
                if links
                    .iter()
                    .any(|(text, to)| text.contains(&at) && *to == target)
                {
                    linked += 1;
                } else {
                    problems.push(format!(
                        "{}:{}: the page's first use of {used:?} must link to the glossary: \
                         [{used}]({target})",
                        relative(&page),
                        index + 1
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(linked > 0, "no glossary link found: is the search broken?");
}
