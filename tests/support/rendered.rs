//! The book as the reader sees it, after mdBook's includes: what build.rs
//! writes into `OUT_DIR` for the test programs of `tests/book/Cargo.toml`
//! (the only package whose build script it is).

use std::fs;
use std::path::Path;

/// A fenced code block of the rendered book.
#[derive(Debug)]
pub struct Block {
    /// Where it is, for error messages: the line of its opening fence in
    /// the file the reader edits, `src/chNN-....md:LINE`.
    pub place: String,
    /// Its info string split at commas: `["rust", "compile_fail"]`.
    pub tags: Vec<String>,
    pub text: String,
}

impl Block {
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
    pub fn is_rust(&self) -> bool {
        self.tags.first().is_some_and(|t| t == "rust")
    }
}

/// Every chapter after mdBook's includes, as written by build.rs.
pub fn rendered_chapters() -> Vec<(String, String)> {
    let dir = Path::new(env!("OUT_DIR")).join("rendered");
    let mut chapters: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&path).unwrap())
        })
        .collect();
    chapters.sort();
    assert!(!chapters.is_empty(), "no chapters in {}", dir.display());
    chapters
}

/// For each line of the rendered `chapter`, where the reader edits it:
/// `src/chNN-....md:LINE`, or for a line an include brought in,
/// `FILE:LINE (included at src/chNN-....md:LINE)`. build.rs finds them.
pub fn source_places(chapter: &str) -> Vec<String> {
    let path = Path::new(env!("OUT_DIR")).join("places").join(chapter);
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines().map(str::to_string).collect()
}

/// Every fenced code block of the rendered book, in order: read once per
/// test program (each chapter's checks ask for them; parsing the whole
/// book each time took 10 ms in this unoptimised program).
pub fn book_blocks() -> &'static [Block] {
    static BLOCKS: std::sync::OnceLock<Vec<Block>> = std::sync::OnceLock::new();
    BLOCKS.get_or_init(parse_book_blocks)
}

fn parse_book_blocks() -> Vec<Block> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    let mut blocks = Vec::new();
    for (chapter, markdown) in rendered_chapters() {
        let places = source_places(&chapter);
        let mut current: Option<Block> = None;
        for (event, range) in Parser::new(&markdown).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info.to_string(),
                        CodeBlockKind::Indented => "indented".to_string(),
                    };
                    let line = markdown[..range.start].matches('\n').count() + 1;
                    current = Some(Block {
                        place: places[line - 1].clone(),
                        tags: info.split(',').map(|t| t.trim().to_string()).collect(),
                        text: String::new(),
                    });
                }
                Event::Text(text) => {
                    if let Some(block) = current.as_mut() {
                        block.text.push_str(&text);
                    }
                }
                Event::End(Tag::CodeBlock(_)) => blocks.push(current.take().unwrap()),
                _ => {}
            }
        }
    }
    blocks
}
