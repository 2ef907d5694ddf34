//! Helpers shared by the integration tests: where things are, and how to
//! read the book the way the reader sees it.
#![allow(dead_code)] // each test binary uses a different part

use std::fs;
use std::path::{Path, PathBuf};

/// The project's root directory.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Files in `dir` (relative to the root) whose name ends with `suffix`, sorted.
pub fn files_ending(dir: &str, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

/// The names of all example programs.
pub fn example_names() -> Vec<String> {
    files_ending("examples", ".rs")
        .iter()
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// The compiled example `name` (`cargo test` builds every example).
pub fn example_binary(name: &str) -> PathBuf {
    // This test runs from target/<profile>/deps/; examples are beside it.
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    profile_dir.join("examples").join(name)
}

/// A fenced code block of the rendered book.
#[derive(Debug)]
pub struct Block {
    /// Where it is, for error messages: `chapter.md:line`.
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

/// Every fenced code block of the rendered book, in order.
pub fn book_blocks() -> Vec<Block> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut blocks = Vec::new();
    for (chapter, markdown) in rendered_chapters() {
        let mut current: Option<Block> = None;
        for (event, range) in Parser::new(&markdown).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info.to_string(),
                        CodeBlockKind::Indented => "indented".to_string(),
                    };
                    let line = markdown[..range.start].lines().count() + 1;
                    current = Some(Block {
                        place: format!("{chapter}:{line}"),
                        tags: info.split(',').map(|t| t.trim().to_string()).collect(),
                        text: String::new(),
                    });
                }
                Event::Text(text) => {
                    if let Some(block) = current.as_mut() {
                        block.text.push_str(&text);
                    }
                }
                Event::End(TagEnd::CodeBlock) => blocks.push(current.take().unwrap()),
                _ => {}
            }
        }
    }
    blocks
}

/// The message of the panic that `f` must raise.
pub fn panic_message<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe) -> String {
    let payload = std::panic::catch_unwind(f).err().expect("expected a panic");
    payload
        .downcast_ref::<&str>()
        .map(|message| message.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .expect("a panic message is a string")
}
