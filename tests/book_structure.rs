//! The book agrees with its own files: the chapter numbers a reader sees,
//! the lines the prose points at, and how each block is run. These read the
//! Markdown the author edits (src/), so every failure names a line there.

#[path = "book_structure/api_docs.rs"]
mod api_docs;
#[path = "book_structure/glossary.rs"]
mod glossary;
mod support;

use std::fs;
use std::path::Path;

use api_docs::the_first_use_of_each_api_links_to_its_documentation;
use support::{files_ending, links_in, relative, root};

/// The pages of src/SUMMARY.md in reading order: (title, file name, whether
/// mdBook numbers it). The items of its list (`- [Title](file.md)`) are
/// numbered from 1 in this order; the prefix and suffix chapters outside
/// the list (`[Title](file.md)`) get no number.
fn summary_pages() -> Vec<(String, String, bool)> {
    let summary = fs::read_to_string(root().join("src/SUMMARY.md")).unwrap();
    summary
        .lines()
        .filter_map(|line| {
            // A nested item (indented) is a page of the chapter above it.
            let numbered = line.starts_with("- [");
            let line = line.trim();
            let item = line.strip_prefix("- ").unwrap_or(line).strip_prefix('[')?;
            let (title, rest) = item.split_once("](")?;
            let file = rest.trim_end_matches(')');
            Some((title.to_string(), file.to_string(), numbered))
        })
        .collect()
}

/// The pages nested under the numbered chapters of src/SUMMARY.md, in
/// order: (title, file name, the chapter's number).
fn nested_pages() -> Vec<(String, String, usize)> {
    let mut chapter = 0;
    let mut nested = Vec::new();
    let summary = fs::read_to_string(root().join("src/SUMMARY.md")).unwrap();
    for line in summary.lines() {
        if line.starts_with("- [") {
            chapter += 1;
        } else if let Some(item) = line.trim_start().strip_prefix("- [")
            && line.starts_with(' ')
        {
            let (title, rest) = item.split_once("](").unwrap();
            let file = rest.trim_end_matches(')');
            nested.push((title.to_string(), file.to_string(), chapter));
        }
    }
    nested
}

/// The numbered chapters of src/SUMMARY.md, in order: (title, file name).
fn numbered_chapters() -> Vec<(String, String)> {
    summary_pages()
        .into_iter()
        .filter(|(_, _, numbered)| *numbered)
        .map(|(title, file, _)| (title, file))
        .collect()
}

/// The chapter number in a name like `ch03-staged.md` or `ch03_staged.rs`.
fn number_in_name(name: &str) -> Option<usize> {
    name.strip_prefix("ch")?.get(..2)?.parse().ok()
}

/// Each `(chapter N)` mention in `text`, as (line number, N).
fn chapter_mentions(text: &str) -> Vec<(usize, usize)> {
    let mut mentions = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let lower = line.to_lowercase();
        let mut rest = lower.as_str();
        while let Some(at) = rest.find("chapter ") {
            rest = &rest[at + "chapter ".len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(number) = digits.parse() {
                mentions.push((index + 1, number));
            }
        }
    }
    mentions
}

/// Fails unless the page `file` (under src/) has `title`, the sidebar's
/// words for it, as its title.
fn assert_title_is_the_sidebars(file: &str, title: &str) {
    let page = fs::read_to_string(root().join("src").join(file)).unwrap();
    let heading = page.lines().next().unwrap_or_default();
    assert_eq!(
        heading,
        format!("# {title}"),
        "src/{file}:1: the page's title must be the sidebar's"
    );
}

#[test]
fn chapter_numbers_agree_everywhere() {
    let chapters = numbered_chapters();
    assert!(!chapters.is_empty(), "src/SUMMARY.md lists no chapters");

    // The sidebar's number is the file's number.
    for (index, (title, file)) in chapters.iter().enumerate() {
        let shown = index + 1;
        assert_eq!(
            number_in_name(file),
            Some(shown),
            "src/SUMMARY.md: the sidebar shows \"{shown}. {title}\", but its file is {file}; \
             the numbers must agree (rename the file, or move the item)"
        );
        assert_title_is_the_sidebars(file, title);
    }
    // A page nested under chapter N is named chNN-MM-...: its chapter's
    // number, then its own place among the chapter's pages.
    let nested = nested_pages();
    for (index, (title, file, chapter)) in nested.iter().enumerate() {
        let place = 1 + nested[..index]
            .iter()
            .filter(|(.., c)| c == chapter)
            .count();
        let expected = format!("ch{chapter:02}-{place:02}-");
        assert!(
            file.starts_with(&expected),
            "src/SUMMARY.md: \"{title}\" is page {place} of chapter {chapter}, so its file's \
             name must start with {expected}; it is {file}"
        );
        assert_title_is_the_sidebars(file, title);
    }
    for page in files_ending("src", ".md") {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(number) = number_in_name(&name) {
            let listed = chapters
                .get(number - 1)
                .is_some_and(|(_, file)| *file == name)
                || nested
                    .iter()
                    .any(|(_, file, chapter)| *file == name && *chapter == number);
            assert!(
                listed,
                "src/{name} is neither item {number} of src/SUMMARY.md's numbered list \
                 nor a page nested under it"
            );
        }
    }

    // Every program, output, test and proof named after a chapter belongs
    // to a chapter that exists, and says so in its first line.
    for dir in ["examples", "tests", "tests/cmd", "tests/ui", "tests/shown"] {
        for path in files_ending(dir, "") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let Some(number) = number_in_name(&name) else {
                continue;
            };
            assert!(
                (1..=chapters.len()).contains(&number),
                "{dir}/{name} is named after chapter {number}, which src/SUMMARY.md does not have"
            );
            if name.ends_with(".rs") && dir != "tests/ui" {
                let first = fs::read_to_string(&path).unwrap();
                let first = first.lines().next().unwrap_or_default();
                assert!(
                    first.starts_with(&format!("//! Chapter {number}")),
                    "{dir}/{name}:1: must start with `//! Chapter {number}`, found {first:?}"
                );
            }
        }
    }

    // Every "chapter N" in the prose, the README and the code names a
    // chapter that exists.
    let mut texts = files_ending("src", ".md");
    texts.push(root().join("README.md"));
    for dir in ["examples", "course", "lab/src", "lab/tests", "tests"] {
        texts.extend(files_ending(dir, ".rs"));
    }
    for path in texts {
        let text = fs::read_to_string(&path).unwrap();
        for (line, number) in chapter_mentions(&text) {
            assert!(
                (1..=chapters.len()).contains(&number),
                "{}:{line}: mentions chapter {number}, but the book has chapters 1 to {}",
                relative(&path),
                chapters.len()
            );
        }
    }
}

/// The prose of `markdown` (fenced blocks blanked out, so that line numbers
/// stay those of the file).
fn prose_of(markdown: &str) -> String {
    let mut in_block = false;
    let mut prose = String::new();
    for line in markdown.lines() {
        let fence = line.trim_start().starts_with("```");
        if !in_block && !fence {
            prose.push_str(line);
        }
        if fence {
            in_block = !in_block;
        }
        prose.push('\n');
    }
    prose
}

/// The source file a prose reference such as `forgetful.rs` names.
fn find_source(name: &str) -> Option<std::path::PathBuf> {
    if name.contains('/') {
        return Some(root().join(name)).filter(|path| path.is_file());
    }
    ["examples", "course", "lab/src", "lab/tests", "tests"]
        .iter()
        .map(|dir| root().join(dir).join(name))
        .find(|path| path.is_file())
}

/// The pages of `chapter` (`ch03`, `appendix`: see `per_chapter!`).
fn pages_of(chapter: &str) -> Vec<std::path::PathBuf> {
    let prefix = format!("{chapter}-");
    let mut pages = files_ending("src", ".md");
    pages.retain(|page| {
        page.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(&prefix)
    });
    pages
}

fn line_references_in_prose_quote_their_line(chapter: &str) -> usize {
    let mut checked = 0;
    for page in pages_of(chapter) {
        let prose = prose_of(&fs::read_to_string(&page).unwrap());
        // Each reference is written `FILE.rs:N`, followed in the same
        // sentence by "the line `CODE`": the test reads line N and demands
        // CODE there, so a reference cannot go stale when the file moves.
        for (at, _) in prose.match_indices(".rs:") {
            let start = prose[..at]
                .rfind(|c: char| !(c.is_alphanumeric() || "_/.-".contains(c)))
                .map_or(0, |i| i + 1);
            let name = &prose[start..at + 3];
            let digits: String = prose[at + 4..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let Ok(number) = digits.parse::<usize>() else {
                continue;
            };
            let place = format!("{}:{}", relative(&page), prose[..at].lines().count().max(1));
            let file = find_source(name).unwrap_or_else(|| {
                panic!("{place}: `{name}:{number}` names no file of the project")
            });
            // One sentence, with its line breaks and indentation folded.
            let after: String = prose[at..].split_whitespace().collect::<Vec<_>>().join(" ");
            let sentence_end = after.find(". ").unwrap_or(after.len());
            let quoted = after[..sentence_end]
                .split_once("the line `")
                .and_then(|(_, rest)| rest.split_once('`'))
                .map(|(code, _)| code.to_string())
                .unwrap_or_else(|| {
                    panic!(
                        "{place}: write `{name}:{number}` followed by \"the line `CODE`\" \
                         (the code on that line), so that this test can check the reference"
                    )
                });
            let source = fs::read_to_string(&file).unwrap();
            let actual = source.lines().nth(number - 1).unwrap_or_default();
            assert!(
                actual.contains(quoted.trim()),
                "{place}: `{name}:{number}` is said to be the line `{quoted}`, \
                 but {}:{number} is {actual:?}",
                relative(&file)
            );
            checked += 1;
        }
    }
    checked
}

/// A fenced block of a chapter's source, as the author wrote it.
struct SourceBlock {
    /// `src/chNN-name.md:LINE` of the opening fence.
    place: String,
    info: String,
    body: Vec<String>,
    /// The first paragraph after the block (after the `text` block that
    /// shows a compile_fail block's error), joined into one line.
    note: String,
}

fn source_blocks(page: &Path) -> Vec<SourceBlock> {
    let markdown = fs::read_to_string(page).unwrap();
    let lines: Vec<&str> = markdown.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(info) = lines[i].strip_prefix("```") else {
            i += 1;
            continue;
        };
        let start = i;
        i += 1;
        while !lines[i].starts_with("```") {
            i += 1;
        }
        let body = lines[start + 1..i].iter().map(|l| l.to_string()).collect();
        blocks.push(SourceBlock {
            place: format!("{}:{}", relative(page), start + 1),
            info: info.to_string(),
            body,
            note: String::new(),
        });
        i += 1;
    }
    // The note of block k: the first paragraph after it, unless another
    // block comes first (a compile_fail block's error is skipped over).
    for block in &mut blocks {
        let fence: usize = block.place.rsplit(':').next().unwrap().parse().unwrap();
        let mut j = fence + block.body.len() + 1; // index after the closing fence
        if block.info.contains("compile_fail") {
            // Skip the blank lines and the `text` block with the error.
            while j < lines.len() && lines[j].trim().is_empty() {
                j += 1;
            }
            if lines.get(j).is_some_and(|l| l.starts_with("```text")) {
                j += 1;
                while j < lines.len() && !lines[j].starts_with("```") {
                    j += 1;
                }
                j += 1;
            }
        }
        while j < lines.len() && lines[j].trim().is_empty() {
            j += 1;
        }
        let mut note = Vec::new();
        while j < lines.len() && !lines[j].trim().is_empty() && !lines[j].starts_with("```") {
            note.push(lines[j].trim());
            j += 1;
        }
        block.note = note.join(" ");
    }
    blocks
}

/// The file a listing shows: the path of its first line's include
/// (`{{#rustdoc_include ../course/staged.rs:alloc_two}}` gives
/// `course/staged.rs`), if it has one.
fn included_file(block: &SourceBlock) -> Option<String> {
    let line = block.body.first()?;
    let inner = line.trim().strip_prefix("{{#")?.strip_suffix("}}")?;
    let path = inner.split_whitespace().nth(1)?.strip_prefix("../")?;
    Some(path.split(':').next().unwrap().to_string())
}

/// A listing is captioned by the paragraph right under it:
/// `<p class="caption">FILE</p>`, where FILE is the file it shows, and
/// optionally ` · <code>COMMAND</code>` to run it, where running it shows
/// what the page does not. Every Rust listing from a file has one (a Zig
/// one may), and no page tells how to run a listing in any other way (the
/// old `*Run it:*` lines interrupted the reading).
fn every_listing_from_a_file_has_a_caption_naming_it(chapter: &str) -> usize {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for page in pages_of(chapter) {
        let text = fs::read_to_string(&page).unwrap();
        // Outside code blocks and captions, a chapter after the
        // introduction names no command that runs a listing: its caption
        // does.
        let number = number_in_name(&page.file_name().unwrap().to_string_lossy());
        let lesson = number.is_some_and(|number| number > 1);
        for (index, line) in prose_of(&text).lines().enumerate() {
            if lesson && line.contains("cargo run") && !line.contains("class=\"caption\"") {
                wrong.push(format!(
                    "{}:{}: how to run a listing goes in its caption, not in the prose",
                    relative(&page),
                    index + 1
                ));
            }
        }
        for (index, line) in text.lines().enumerate() {
            if line.starts_with("*Run it:*") || line.starts_with("*Check it:*") {
                wrong.push(format!(
                    "{}:{}: a listing's command goes in its caption, not in a line of its own",
                    relative(&page),
                    index + 1
                ));
            }
        }
        for block in source_blocks(&page) {
            let Some(file) = included_file(&block) else {
                continue;
            };
            let caption = block
                .note
                .strip_prefix("<p class=\"caption\">")
                .and_then(|caption| caption.strip_suffix("</p>"));
            let Some(caption) = caption else {
                // A program that does not compile is marked so above it.
                let rust = block.info.starts_with("rust") || block.info.starts_with("rs");
                if rust && !file.starts_with("tests/ui/") {
                    wrong.push(format!(
                        "{}: a listing from {file} needs a caption right under it: \
                         <p class=\"caption\">{file}</p>",
                        block.place
                    ));
                }
                continue;
            };
            checked += 1;
            let (named, command) = match caption.split_once(" · ") {
                Some((named, command)) => (named, Some(command)),
                None => (caption, None),
            };
            let rest = named.strip_prefix(file.as_str());
            if !rest.is_some_and(|rest| rest.is_empty() || rest.starts_with(" (")) {
                wrong.push(format!(
                    "{}: the caption must name the file the listing shows, {file}; it says {named:?}",
                    block.place
                ));
            }
            if let Some(command) = command {
                let runs = file
                    .strip_prefix("examples/")
                    .and_then(|name| name.strip_suffix(".rs"))
                    .is_some_and(|name| {
                        let command = command
                            .strip_prefix("<code>")
                            .and_then(|command| command.strip_suffix("</code>"))
                            .unwrap_or_default();
                        let command = command.replace("--release ", "");
                        let run = format!("cargo run --example {name}");
                        command == run || command.starts_with(&format!("{run} -- "))
                    });
                if !runs {
                    wrong.push(format!(
                        "{}: a caption's command is <code>cargo run --example NAME</code> \
                         (with ` -- ARGS`, `--release` if need be) for the program \
                         examples/NAME.rs it shows; it says {command:?}",
                        block.place
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    checked
}

/// `cargo run --example NAME` builds the package at the top, and with it
/// its build script and dev-dependencies, if it had any: the README
/// promises that a chapter's program compiles nothing of the verification
/// (skeptic, the test tools), which lives in tests/.
#[test]
fn the_course_package_builds_with_its_runtime_dependencies_only() {
    let manifest = support::read_toml("Cargo.toml");
    for table in ["build-dependencies", "dev-dependencies"] {
        assert!(
            manifest.get(table).is_none(),
            "Cargo.toml: the course package has [{table}], which `cargo run --example` \
             would build; they belong in tests/Cargo.toml"
        );
    }
    let package = &manifest["package"];
    assert_eq!(
        package.get("build").and_then(|b| b.as_bool()),
        Some(false),
        "Cargo.toml: [package] needs `build = false`, or cargo runs build.rs (the \
         verification's build script, with mdBook and skeptic) for every example"
    );
    assert_eq!(
        package.get("autotests").and_then(|b| b.as_bool()),
        Some(false),
        "Cargo.toml: [package] needs `autotests = false`: tests/ is the package in \
         tests/Cargo.toml"
    );
}

/// One edition for the whole course: the packages', and `[rust] edition` of
/// book.toml, which build.rs hands to the compiler of the book's blocks
/// (tests/skeptic/book_rustc.rs) and which the compile-fail proofs use. The
/// one exception is the package in tests/edition-2021/, whose whole point
/// is to compile chapter 3's temporaries program as 2021.
#[test]
fn the_book_and_its_packages_share_one_edition() {
    let read = support::read_toml;
    let book = read("book.toml");
    let book_edition = book["rust"]["edition"].as_str();
    assert_eq!(book_edition, Some("2024"), "book.toml: [rust] edition");
    for (manifest, expected) in [
        ("Cargo.toml", "2024"),
        ("tests/Cargo.toml", "2024"),
        ("tests/book/Cargo.toml", "2024"),
        ("lab/Cargo.toml", "2024"),
        ("tests/edition-2021/Cargo.toml", "2021"),
    ] {
        assert_eq!(
            read(manifest)["package"]["edition"].as_str(),
            Some(expected),
            "{manifest}: [package] edition"
        );
    }
}

/// Every link of `chapter`'s prose leads somewhere: a page of the book
/// and, after `#`, one of its headings (as mdBook names them), or a web
/// address that is at least well formed (CI has no network to follow it).
/// And every "chapter N" of another chapter is a link to that chapter, so
/// that a reader can follow it. Returns the number of links checked.
fn every_link_resolves_and_every_other_chapter_named_is_linked(chapter: &str) -> usize {
    let mut checked = 0;
    for page in pages_of(chapter) {
        let file = relative(&page);
        let prose = prose_of(&fs::read_to_string(&page).unwrap());
        for (index, line) in prose.lines().enumerate() {
            if line.starts_with('#') {
                continue; // headings name no chapter and hold no links here
            }
            let place = format!("{file}:{}", index + 1);
            let links = links_in(line);
            for (_, target) in &links {
                check_link_target(&place, &page, target);
                checked += 1;
            }
            for (at, number) in other_chapters_named(line, chapter) {
                let prefix = format!("ch{number:02}-");
                let linked = links
                    .iter()
                    .any(|(text, target)| text.contains(&at) && target.starts_with(&prefix));
                assert!(
                    linked,
                    "{place}: \"chapter {number}\" is not a link to it: write \
                     [chapter {number}]({prefix}....md) (seen: {line:?})"
                );
            }
        }
    }
    checked
}

/// Where another chapter than `chapter` is named ("chapter 3", "Chapter 3"),
/// outside inline code: (the position of the mention, its number).
fn other_chapters_named(line: &str, chapter: &str) -> Vec<(usize, usize)> {
    let own = number_in_name(chapter);
    let mut named = Vec::new();
    let mut in_code = false;
    for (at, c) in line.char_indices() {
        if c == '`' {
            in_code = !in_code;
        }
        let rest = &line[at..];
        if in_code || !(rest.starts_with("chapter ") || rest.starts_with("Chapter ")) {
            continue;
        }
        let digits: String = rest["chapter ".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(number) = digits.parse::<usize>()
            && Some(number) != own
        {
            named.push((at, number));
        }
    }
    named
}

/// A link's target exists: `page.md`, `page.md#heading`, `#heading` (a
/// heading of `from`, the linking page), or a well-formed `https://`
/// address.
fn check_link_target(place: &str, from: &Path, target: &str) {
    if let Some(address) = target.strip_prefix("https://") {
        let host = address.split('/').next().unwrap_or_default();
        assert!(
            host.contains('.') && !address.contains(char::is_whitespace),
            "{place}: the web address {target:?} is not well formed"
        );
        return;
    }
    let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
    let own = from.file_name().unwrap().to_string_lossy();
    let file = if file.is_empty() { own.as_ref() } else { file };
    let page = root().join("src").join(file);
    assert!(
        file.ends_with(".md") && page.is_file(),
        "{place}: the link {target:?} leads to no page of src/"
    );
    if !anchor.is_empty() {
        let ids = support::heading_ids(&fs::read_to_string(&page).unwrap());
        assert!(
            ids.iter().any(|id| id == anchor),
            "{place}: the link {target:?} names no heading of src/{file}; its headings: {ids:?}"
        );
    }
}

/// The line that ends every page, naming the versions that verified it:
/// `src/verified/rust.md`, or `src/verified/rust-and-zig.md` on a page
/// that shows Zig twins. Written by [`the_version_lines_name_the_versions_that_verified_the_book`],
/// never by hand.
fn the_page_ends_with_the_versions_that_verified_it(chapter: &str) {
    for page in pages_of(chapter) {
        let text = fs::read_to_string(&page).unwrap();
        let shows_zig = ["```zig", "$ zig build ", "$ zig-out/bin/"]
            .iter()
            .any(|shown| text.contains(shown));
        let line = format!(
            "{{{{#include verified/{}.md}}}}",
            if shows_zig { "rust-and-zig" } else { "rust" }
        );
        let last = text.lines().rev().find(|l| !l.trim().is_empty());
        assert_eq!(
            last,
            Some(line.as_str()),
            "{}: the page's last line must be {line:?} (the versions that verified it)",
            relative(&page)
        );
    }
}

/// `src/verified/*.md` name the Rust that compiles and runs the book's code
/// here (rust-toolchain.toml pins it) and the Zig that built its twins
/// (with Zig on PATH; otherwise that part is not checked here).
/// `TRYCMD=overwrite` rewrites them, as it rewrites the shown outputs.
#[test]
fn the_version_lines_name_the_versions_that_verified_the_book() {
    let rust = version_of("rustc", &["--version"]).expect("rustc --version");
    let file = root().join("src/verified/rust-and-zig.md");
    let written = fs::read_to_string(&file).unwrap_or_default();
    let zig = version_of("zig", &["version"]).unwrap_or_else(|| {
        support::not_checked::not_checked(
            "the Zig version on the pages with Zig twins (src/verified/rust-and-zig.md)",
            "zig is not on PATH (bash .ci/zig installs it and checks the twins)",
        );
        // Keep what the file says.
        written
            .split("with Zig ")
            .nth(1)
            .and_then(|rest| rest.split(',').next())
            .unwrap_or("?")
            .to_string()
    });
    let lines = [
        (
            "src/verified/rust.md",
            format!(
                "---\n\n*The Rust on this page was last verified with Rust {rust}, by `cargo test`.*\n"
            ),
        ),
        (
            "src/verified/rust-and-zig.md",
            format!(
                "---\n\n*The Rust on this page was last verified with Rust {rust}, and its Zig \
                 twins with Zig {zig}, by `cargo test`.*\n"
            ),
        ),
    ];
    let overwrite = std::env::var_os("TRYCMD").is_some_and(|mode| mode == "overwrite");
    for (file, expected) in lines {
        let path = root().join(file);
        let seen = fs::read_to_string(&path).unwrap_or_default();
        if seen != expected {
            if overwrite {
                fs::write(&path, &expected).unwrap();
                continue;
            }
            support::fail(
                file,
                "the versions that verified the book (TRYCMD=overwrite rewrites the file)",
                format!("{expected:?}"),
                format!("{seen:?}"),
            );
        }
    }
}

/// The version `program args` prints: `rustc 1.95.0 (59807616e 2026-04-14)`
/// gives 1.95.0, `zig version` 0.17.0; `None` if it cannot be run.
fn version_of(program: &str, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let version = text
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))?;
    Some(version.to_string())
}

/// The listings the book marks "leaks" or "panics" (`<p class="listing-marker
/// KIND">` above the block), by what the block includes, and the checked
/// output that proves it: the program's shown run (a case of tests/cmd/,
/// or a Zig twin's output, which tests/examples/ checks) says so.
const MARKED: &[(&str, &str, &str, &str)] = &[
    // (kind, the block's include, the checked output, what it shows)
    (
        "leaks",
        "{{#rustdoc_include ../course/forgetful.rs:alloc_two_forgetful}}",
        "tests/cmd/ch05_leak.stdout",
        "1 of 1 allocation leaked",
    ),
    (
        "leaks",
        "{{#include ../zig/ch05_leak.zig:alloc_two_forgetful}}",
        "zig/ch05_leak.stderr",
        "leaked [addr",
    ),
    (
        "panics",
        "{{#rustdoc_include ../examples/ch03_unwind.rs:panics_between}}",
        "tests/cmd/ch03_unwind.stdout",
        "panic: index out of bounds",
    ),
    (
        "aborts",
        "{{#include ../zig/ch03_unwind.zig:panics_between}}",
        "zig/ch03_unwind.stderr",
        " panic: index out of bounds",
    ),
    (
        "aborts",
        "{{#include ../zig/ch04_double_free.zig:main}}",
        "zig/ch04_double_free.stderr",
        " panic: double free",
    ),
];

/// Each marker above a listing says what the course's checks proved about
/// it, and each listing they proved it of carries it: "does not compile"
/// exactly on the `compile_fail` blocks (tests/ui.rs proves each with its
/// error), "leaks" and "panics" on the blocks of [`MARKED`], whose shown
/// output says so. Returns the number of markers.
fn every_marker_says_what_the_checks_proved(chapter: &str) -> usize {
    let mut markers = 0;
    for page in pages_of(chapter) {
        let text = fs::read_to_string(&page).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for block in source_blocks(&page) {
            let fence: usize = block.place.rsplit(':').next().unwrap().parse().unwrap();
            let above = lines[..fence - 1]
                .iter()
                .rev()
                .find(|l| !l.trim().is_empty());
            let marker = above.and_then(|line| {
                let rest = line.strip_prefix("<p class=\"listing-marker ")?;
                let (kind, rest) = rest.split_once("\">")?;
                let label = rest.strip_suffix("</p>")?;
                Some((kind, label))
            });
            let include = block.body.first().map(|l| l.trim()).unwrap_or_default();
            let proved = if block.info.split(',').any(|tag| tag == "compile_fail") {
                Some("does-not-compile")
            } else {
                MARKED
                    .iter()
                    .find(|(_, shown, _, _)| *shown == include)
                    .map(|(kind, shown, output, says)| {
                        // A run that aborts: its exit status (SIGABRT) is
                        // checked by tests/examples/zig_twins.rs.
                        let twin = shown.split("zig/").nth(1).and_then(|t| t.split_once(".zig"));
                        assert!(
                            *kind != "aborts"
                                || twin.is_some_and(|(t, _)| support::ZIG_ABORTING.contains(&t)),
                            "{}: marked \"aborts\", but no check demands that it abort \
                             (support::ZIG_ABORTING lists the twins whose exit by SIGABRT is checked)",
                            block.place
                        );
                        let checked = fs::read_to_string(root().join(output)).unwrap_or_default();
                        assert!(
                            checked.contains(says),
                            "{}: marked {kind:?} because {output} shows {says:?}, but it does not",
                            block.place
                        );
                        *kind
                    })
            };
            if let Some((kind, label)) = marker {
                markers += 1;
                assert_eq!(
                    label,
                    kind.replace('-', " "),
                    "{}: the marker's label must be its kind",
                    block.place
                );
            }
            assert_eq!(
                marker.map(|(kind, _)| kind),
                proved,
                "{}: the marker above this block (left) must be what the checks proved of it \
                 (right: does-not-compile for a compile_fail block, MARKED in \
                 tests/book_structure.rs for the others)",
                block.place
            );
        }
    }
    markers
}

crate::per_book_chapter!({
    every_marker_says_what_the_checks_proved,
    line_references_in_prose_quote_their_line,
    every_listing_from_a_file_has_a_caption_naming_it,
    every_link_resolves_and_every_other_chapter_named_is_linked,
    the_page_ends_with_the_versions_that_verified_it,
    the_first_use_of_each_api_links_to_its_documentation,
});

#[test]
fn every_documentation_address_is_real() {
    api_docs::every_documentation_address_is_real();
}

/// The checks above run once per chapter: none may be left out, and over
/// the whole book they must find what they check (or their search broke).
#[test]
fn every_chapter_is_checked_and_the_checks_find_their_targets() {
    support::assert_every_chapter_listed(CHAPTERS, "tests/book_structure.rs");
    let references: usize = CHAPTERS
        .iter()
        .map(|c| line_references_in_prose_quote_their_line(c))
        .sum();
    assert!(
        references > 0,
        "no line reference found: is the search broken?"
    );
    let blocks: usize = CHAPTERS
        .iter()
        .map(|c| every_listing_from_a_file_has_a_caption_naming_it(c))
        .sum();
    assert!(blocks > 0, "no caption found: is the search broken?");
    let links: usize = CHAPTERS
        .iter()
        .map(|c| every_link_resolves_and_every_other_chapter_named_is_linked(c))
        .sum();
    assert!(links > 0, "no link found: is the search broken?");
    let markers: usize = CHAPTERS
        .iter()
        .map(|c| every_marker_says_what_the_checks_proved(c))
        .sum();
    let compile_fail = CHAPTERS
        .iter()
        .flat_map(|c| pages_of(c))
        .flat_map(|page| source_blocks(&page))
        .filter(|block| block.info.split(',').any(|tag| tag == "compile_fail"))
        .count();
    assert_eq!(
        markers,
        MARKED.len() + compile_fail,
        "the markers of the book: one for each of MARKED and for each compile_fail block"
    );
}

/// Every exercise is whole and in its chapter (README, "Exercises"): listed
/// in `EXERCISES` (exercises/src/lib.rs), with a check program built by
/// exercises/Cargo.toml, a starter, a solution, at least two known-wrong
/// answers that each say what their check must answer, and its chapter
/// names its command and shows its solution behind a `<details>`. Two or
/// more for each chapter from 2 to 8. (.ci/exercises runs them.)
#[test]
fn every_exercise_is_whole_and_in_its_chapter() {
    let read = |file: &str| fs::read_to_string(root().join(file)).unwrap_or_default();
    let lib = read("exercises/src/lib.rs");
    let listed: Vec<&str> = lib
        .split("name: \"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(name, _)| name))
        .collect();
    let mut checks: Vec<String> = files_ending("exercises/checks", ".rs")
        .iter()
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    checks.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(
        sorted, checks,
        "exercises/src/lib.rs: EXERCISES must list exactly the programs of exercises/checks/"
    );
    let manifest = support::read_toml("exercises/Cargo.toml");
    let bins: Vec<&str> = manifest["bin"]
        .as_array()
        .map(|bins| bins.iter().filter_map(|bin| bin["name"].as_str()).collect())
        .unwrap_or_default();
    let mut problems = Vec::new();
    for name in &listed {
        if !bins.contains(name) {
            problems.push(format!("exercises/Cargo.toml: no [[bin]] named {name}"));
        }
        for file in [
            format!("exercises/{name}.rs"),
            format!("exercises/solutions/{name}.rs"),
        ] {
            if !root().join(&file).is_file() {
                problems.push(format!("{file} is missing"));
            }
        }
        let wrong = files_ending(&format!("exercises/wrong/{name}"), ".rs");
        if wrong.len() < 2 {
            problems.push(format!(
                "exercises/wrong/{name}/ holds {} wrong answers, not 2 or more",
                wrong.len()
            ));
        }
        for answer in &wrong {
            if !fs::read_to_string(answer)
                .unwrap()
                .contains("\n// expect: ")
            {
                problems.push(format!(
                    "{}: no `// expect: MESSAGE` line",
                    relative(answer)
                ));
            }
        }
        let chapter = &name[..4];
        let pages = pages_of(chapter);
        let Some(page) = pages.first() else {
            problems.push(format!("{name}: no chapter {chapter} in src/"));
            continue;
        };
        let solution = format!("{{{{#include ../exercises/solutions/{name}.rs}}}}");
        // On one page of the chapter: the command, and the solution hidden.
        let whole = pages.iter().any(|page| {
            let text = fs::read_to_string(page).unwrap();
            let hidden = text
                .split("<details>")
                .skip(1)
                .any(|rest| rest.split("</details>").next().unwrap().contains(&solution));
            text.contains(&format!("`cargo exercise {name}`")) && hidden
        });
        if !whole {
            problems.push(format!(
                "{}: the exercise {name} needs its command `cargo exercise {name}` and its \
                 solution ({solution}) inside <details>",
                relative(page)
            ));
        }
    }
    for chapter in ["ch02", "ch03", "ch04", "ch05", "ch06", "ch07", "ch08"] {
        let count = listed
            .iter()
            .filter(|name| name.starts_with(chapter))
            .count();
        if count < 2 {
            problems.push(format!("{chapter} has {count} exercises, not 2 or more"));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The most prose one page may hold (code excluded): a page teaches one
/// idea, and a chapter that needs more is split into nested pages.
const MOST_WORDS_PER_PAGE: usize = 2500;

/// The words of a page's prose: fenced blocks, include lines and HTML tags
/// left out, and a table's separators too.
fn prose_words(markdown: &str) -> usize {
    prose_of(markdown)
        .lines()
        .filter(|line| !line.trim_start().starts_with("{{#"))
        .flat_map(str::split_whitespace)
        .filter(|word| !word.starts_with('<') && !word.chars().all(|c| "|-:#*".contains(c)))
        .count()
}

#[test]
fn no_page_holds_more_than_2500_words_of_prose() {
    let mut long = Vec::new();
    for page in files_ending("src", ".md") {
        let words = prose_words(&fs::read_to_string(&page).unwrap());
        if words > MOST_WORDS_PER_PAGE {
            long.push(format!(
                "{}: {words} words of prose, more than {MOST_WORDS_PER_PAGE}: split it into \
                 nested pages (src/SUMMARY.md), or move what a reader can skip to a deeper page",
                relative(&page)
            ));
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}

/// Words about how the book checks itself (in lower case: any case is
/// found), which belong to the appendix
/// "How this book checks itself" and CONTRIBUTING.md, not to the lesson.
const VERIFIER_WORDS: &[&str] = &[
    "skeptic",
    "trycmd",
    "trybuild",
    "cargo test --test",
    "course_",
    "ci",
    ".ci/",
    "continuous integration",
    "test harness",
    "trycmd=",
    "shown=",
];

#[test]
fn chapter_prose_does_not_talk_about_the_books_checks() {
    let mut found = Vec::new();
    for page in files_ending("src", ".md") {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        if number_in_name(&name).is_none() {
            continue; // the appendices may
        }
        let prose = prose_of(&fs::read_to_string(&page).unwrap());
        for (index, line) in prose.lines().enumerate() {
            // In any case ("Skeptic", "CI"), and `cargo test` with other
            // options before `--test` written as the plain form.
            let line = line.to_lowercase();
            let line = match (line.find("cargo test"), line.find(" --test")) {
                (Some(cargo), Some(test)) if cargo < test => {
                    format!("{line} cargo test --test")
                }
                _ => line,
            };
            for word in VERIFIER_WORDS {
                let whole = line.match_indices(word).any(|(at, _)| {
                    let before = line[..at].chars().next_back();
                    let after = line[at + word.len()..].chars().next();
                    let letter = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                    // A word that ends in a letter must end there ("CI", not "CIA").
                    let cut_short = word.ends_with(char::is_alphanumeric) && letter(after);
                    !letter(before) && !cut_short
                });
                if whole {
                    found.push(format!(
                        "{}:{}: {word:?} is about the book's own checks: say it in \
                         src/appendix-how-this-book-checks-itself.md or CONTRIBUTING.md",
                        relative(&page),
                        index + 1
                    ));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The appendix names the tests behind chapter 8's promises: each must be
/// a test that exists.
#[test]
fn the_tests_the_appendix_names_exist() {
    let file = "src/appendix-how-this-book-checks-itself.md";
    let text = fs::read_to_string(root().join(file)).unwrap();
    let sources: String = files_ending("tests", ".rs")
        .iter()
        .map(|path| fs::read_to_string(path).unwrap())
        .collect();
    let mut named = 0;
    for (index, line) in text.lines().enumerate() {
        if !line.starts_with('|') {
            continue;
        }
        for name in line.split('`').skip(1).step_by(2) {
            if !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                || !name.contains('_')
            {
                continue;
            }
            named += 1;
            assert!(
                sources.contains(&format!("fn {name}()")),
                "{file}:{}: names the test `{name}`, which no file of tests/ has",
                index + 1
            );
        }
    }
    assert!(
        named > 0,
        "{file}: no test named in its tables: is the search broken?"
    );
}

/// Each chapter's main page says at its start what the reader will be
/// able to do, and recaps before its exercises.
#[test]
fn each_chapter_opens_with_its_goal_and_recaps_before_its_exercises() {
    let mut problems = Vec::new();
    for (_, file) in numbered_chapters().iter().skip(1) {
        let path = format!("src/{file}");
        // As the reader reads it: no code blocks, no HTML comments.
        let mut text = prose_of(&fs::read_to_string(root().join(&path)).unwrap());
        while let Some(start) = text.find("<!--") {
            let end = text[start..]
                .find("-->")
                .map_or(text.len(), |end| start + end + 3);
            text.replace_range(start..end, "");
        }
        let opening = text
            .split("\n## ")
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let says_goal = ["you will ", "you'll "].iter().any(|goal| {
            opening
                .match_indices(goal)
                .any(|(at, g)| !opening[at + g.len()..].starts_with("not"))
        });
        if !says_goal {
            problems.push(format!(
                "{path}: its opening (before the first section) must say what \"you will\" \
                 be able to do by the end of the chapter"
            ));
        }
        let sections: Vec<&str> = text
            .lines()
            .filter_map(|line| line.strip_prefix("## "))
            .collect();
        let exercises = sections.iter().position(|s| *s == "Exercises");
        let recap = sections.iter().position(|s| *s == "Recap");
        let recap_text = text
            .split("\n## Recap\n")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .unwrap_or_default();
        if recap_text.trim().is_empty() {
            problems.push(format!("{path}: its \"## Recap\" must recap something"));
        }
        if exercises.is_none() || recap.is_none() || recap.map(|r| r + 1) != exercises {
            problems.push(format!(
                "{path}: a section \"## Recap\" must come right before \"## Exercises\"; \
                 its sections are {sections:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every name an exercise's hint puts in backticks (`save_upper_with`,
/// `Disk::rename`) is a name of the course: a hint that points at nothing
/// sends the reader looking for it.
#[test]
fn the_names_in_the_exercises_hints_exist() {
    let lib = fs::read_to_string(root().join("exercises/src/lib.rs")).unwrap();
    fn read_all(dir: &Path, into: &mut String) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                read_all(&path, into);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("exercises/src/lib.rs")
            {
                // (Not the hints' own file, where every name they give is.)
                into.push_str(&fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut sources = String::new();
    for dir in ["course", "exercises", "examples", "lab/src"] {
        read_all(&root().join(dir), &mut sources);
    }
    // The book's pages too: a hint may name what a chapter shows of std.
    for page in files_ending("src", ".md") {
        sources.push_str(&fs::read_to_string(page).unwrap());
    }
    // Every word of the sources that could be a name, whole.
    let words_of = |text: &str| -> std::collections::HashSet<String> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|word| word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
            .map(str::to_string)
            .collect()
    };
    let known = words_of(&sources);
    let mut named = 0;
    for (index, line) in lib.lines().enumerate() {
        if !line.trim_start().starts_with("hint: \"") {
            continue;
        }
        // The hint: this line and the next, up to the one that closes it.
        let mut hint = String::new();
        for next in lib.lines().skip(index) {
            hint.push_str(next.trim_start().trim_end_matches('\\'));
            hint.push(' ');
            if next.trim_end().ends_with("\",") {
                break;
            }
        }
        // Each name of each piece of code: `Vec::retain`, `flush()?`.
        for code in hint.split('`').skip(1).step_by(2) {
            for name in words_of(code) {
                named += 1;
                assert!(
                    known.contains(&name),
                    "exercises/src/lib.rs:{}: the hint's `{code}` names `{name}`, which no \
                     file of the course, its exercises, its programs or its pages has",
                    index + 1
                );
            }
        }
    }
    assert!(
        named > 0,
        "no name found in the hints: is the search broken?"
    );
}

/// Every file of the project that a page names in backticks
/// (`course/staged.rs`, `zig/lab.zig`, `exercises/wrong/`) exists: a file
/// moved or renamed must not leave the prose pointing at nothing.
#[test]
fn every_project_file_a_page_names_exists() {
    let dirs = [
        "course/",
        "examples/",
        "tests/",
        "zig/",
        "lab/",
        "exercises/",
        "src/",
    ];
    // The reader's own file (the appendix's project), and what a build makes.
    let not_ours = ["tests/cleanup.rs", "zig/zig-out/"];
    let mut named = 0;
    let mut missing = Vec::new();
    for page in files_ending("src", ".md") {
        let prose = prose_of(&fs::read_to_string(&page).unwrap());
        for (index, line) in prose.lines().enumerate() {
            for span in line.split('`').skip(1).step_by(2) {
                let path = span.split(':').next().unwrap_or(span);
                let looks_like_a_file = dirs.iter().any(|dir| path.starts_with(dir))
                    && !path.contains(['*', ' ', '<', '{'])
                    && !path.contains("NAME")
                    && !path.contains("NN")
                    && !not_ours.iter().any(|other| path.starts_with(other));
                if !looks_like_a_file {
                    continue;
                }
                named += 1;
                if !root().join(path).exists() {
                    missing.push(format!(
                        "{}:{}: names `{path}`, which the project does not have",
                        relative(&page),
                        index + 1
                    ));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    assert!(
        named > 0,
        "no file named in the prose: is the search broken?"
    );
}
