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
    let binary = profile_dir.join("examples").join(name);
    assert!(
        binary.exists(),
        "{} is not built: plain `cargo test` builds every example; \
         with `--test NAME`, run `cargo build --examples` first",
        binary.display()
    );
    binary
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
    panic_payload_text(&*payload)
}

/// The text of a panic's payload (a `&str` or a `String`), or "" if it is
/// something else.
pub fn panic_payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|message| message.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// A command and its output as the book shows them, kept in
/// `tests/shown/NAME.console`: the first line is `$ command`, the rest is
/// what it printed (stdout and stderr, as a terminal interleaves them).
/// These are the runs trycmd cannot make: under valgrind, or a test that
/// fails on purpose.
pub struct Shown {
    pub path: PathBuf,
    /// The command's words, without the `$`.
    pub command: Vec<String>,
    pub output: String,
}

impl Shown {
    pub fn load(name: &str) -> Shown {
        let path = root().join("tests/shown").join(format!("{name}.console"));
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let (first, output) = text.split_once('\n').unwrap_or((&text, ""));
        let command = first
            .strip_prefix("$ ")
            .unwrap_or_else(|| panic!("{}: the first line must be `$ command`", path.display()))
            .split_whitespace()
            .map(str::to_string)
            .collect();
        Shown {
            path,
            command,
            output: output.to_string(),
        }
    }

    /// The arguments after `--` in the shown command.
    pub fn args_after_dashes(&self) -> &[String] {
        let dashes = self.command.iter().position(|w| w == "--");
        dashes.map_or(&[], |i| &self.command[i + 1..])
    }

    /// Fails unless `actual` is the shown output, up to what differs from
    /// run to run ([`mask_varying`]). With `SHOWN=overwrite` in the
    /// environment, records `actual` as the shown output instead.
    #[track_caller]
    pub fn assert_matches(&self, actual: &str) {
        if std::env::var_os("SHOWN").is_some_and(|v| v == "overwrite") {
            let command = self.command.join(" ");
            fs::write(&self.path, format!("$ {command}\n{actual}")).unwrap();
            return;
        }
        assert!(
            mask_varying(actual) == mask_varying(&self.output),
            "{} is not what the command prints now; if the change is \
             intended, rerun with SHOWN=overwrite.\n--- shown\n{}\n--- now\n{actual}",
            self.path.display(),
            self.output
        );
    }
}

/// Masks what changes from one run to the next and nothing else: process
/// ids (`==1234==`, valgrind's line prefix), thread ids (`thread 'name'
/// (1234) panicked`), code addresses (`0x10A2B4`), and test durations
/// (`finished in 0.01s`).
pub fn mask_varying(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        // valgrind's `==PID==` prefix
        if let Some(after) = rest.strip_prefix("==") {
            if let Some(end) = after.find("==") {
                if end > 0 && after[..end].bytes().all(|b| b.is_ascii_digit()) {
                    masked.push_str("==PID==");
                    rest = &after[end + 2..];
                }
            }
        }
        if rest.starts_with("thread '") {
            if let Some(start) = rest.find("' (") {
                let after = &rest[start + 3..];
                let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
                if digits > 0 && after[digits..].starts_with(") panicked") {
                    masked.push_str(&rest[..start]);
                    masked.push_str("' (TID");
                    rest = &after[digits..];
                }
            }
        }
        if let Some(start) = rest.find("finished in ") {
            let after = &rest[start + "finished in ".len()..];
            let digits = after.find(|c: char| !(c.is_ascii_digit() || c == '.'));
            if let Some(len) = digits.filter(|&len| len > 0 && after[len..].starts_with('s')) {
                masked.push_str(&mask_addresses(&rest[..start]));
                masked.push_str("finished in Ns");
                rest = &after[len + 1..];
            }
        }
        masked.push_str(&mask_addresses(rest));
    }
    masked
}

/// `0x` followed by hexadecimal digits becomes `0xADDR`.
fn mask_addresses(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("0x") {
        let after = &rest[start + 2..];
        let len = after
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(after.len());
        masked.push_str(&rest[..start]);
        masked.push_str(if len > 0 { "0xADDR" } else { "0x" });
        rest = &after[len..];
    }
    masked.push_str(rest);
    masked
}

/// Runs `command` with stdout and stderr into one pipe, as a terminal
/// shows them, and returns what it printed and whether it succeeded.
pub fn run_merged(mut command: std::process::Command) -> (String, std::process::ExitStatus) {
    use std::io::Read as _;
    let (mut reader, writer) = std::io::pipe().unwrap();
    command.stdout(writer.try_clone().unwrap()).stderr(writer);
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    drop(command); // closes our copies of the write end, so reading ends
    let mut output = String::new();
    reader.read_to_string(&mut output).unwrap();
    (output, child.wait().unwrap())
}
