//! Links to the documentation of the APIs the book uses. The first time the
//! prose names one of [`API_DOCS`], in reading order (src/SUMMARY.md), it is
//! a link to its page; every link to the standard library's or a crate's
//! documentation is one of them; and each address leads somewhere real,
//! checked offline: a page of the standard library of the toolchain that
//! verifies the book (and the anchor on it) in the documentation rustup
//! installs beside it, a crate's page at the version Cargo.lock pins,
//! naming an item that the crate's source defines.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::{not_checked::not_checked, relative, root};
use crate::{links_in, prose_of};

const STD: &str = "https://doc.rust-lang.org/1.95.0/std/";

/// Each API the book links to at its first use: (the inline code that names
/// it, its documentation).
pub const API_DOCS: &[(&str, &str)] = &[
    (
        "Drop",
        "https://doc.rust-lang.org/1.95.0/std/ops/trait.Drop.html",
    ),
    (
        "try_reserve_exact",
        "https://doc.rust-lang.org/1.95.0/std/vec/struct.Vec.html#method.try_reserve_exact",
    ),
    (
        "scopeguard::guard",
        "https://docs.rs/scopeguard/1.2.0/scopeguard/fn.guard.html",
    ),
    (
        "ScopeGuard::into_inner",
        "https://docs.rs/scopeguard/1.2.0/scopeguard/struct.ScopeGuard.html#method.into_inner",
    ),
    (
        "scopeguard::defer!",
        "https://docs.rs/scopeguard/1.2.0/scopeguard/macro.defer.html",
    ),
    (
        "Vec",
        "https://doc.rust-lang.org/1.95.0/std/vec/struct.Vec.html",
    ),
    (
        "bumpalo::Bump",
        "https://docs.rs/bumpalo/3.20.4/bumpalo/struct.Bump.html",
    ),
    (
        "BufWriter",
        "https://doc.rust-lang.org/1.95.0/std/io/struct.BufWriter.html",
    ),
    (
        "Debug",
        "https://doc.rust-lang.org/1.95.0/std/fmt/trait.Debug.html",
    ),
    (
        "Display",
        "https://doc.rust-lang.org/1.95.0/std/fmt/trait.Display.html",
    ),
    (
        "Vec::with_capacity",
        "https://doc.rust-lang.org/1.95.0/std/vec/struct.Vec.html#method.with_capacity",
    ),
    (
        "Box::new",
        "https://doc.rust-lang.org/1.95.0/std/boxed/struct.Box.html#method.new",
    ),
    (
        "TryReserveError",
        "https://doc.rust-lang.org/1.95.0/std/collections/struct.TryReserveError.html",
    ),
    (
        "From",
        "https://doc.rust-lang.org/1.95.0/std/convert/trait.From.html",
    ),
    (
        "alloc_zeroed",
        "https://doc.rust-lang.org/1.95.0/std/alloc/fn.alloc_zeroed.html",
    ),
    (
        "Layout::array",
        "https://doc.rust-lang.org/1.95.0/std/alloc/struct.Layout.html#method.array",
    ),
    (
        "MutexGuard",
        "https://doc.rust-lang.org/1.95.0/std/sync/struct.MutexGuard.html",
    ),
    (
        "Ref",
        "https://doc.rust-lang.org/1.95.0/std/cell/struct.Ref.html",
    ),
    (
        "Mutex",
        "https://doc.rust-lang.org/1.95.0/std/sync/struct.Mutex.html#method.lock",
    ),
    (
        "std::panic::catch_unwind",
        "https://doc.rust-lang.org/1.95.0/std/panic/fn.catch_unwind.html",
    ),
    (
        "guard_on_success",
        "https://docs.rs/scopeguard/1.2.0/scopeguard/fn.guard_on_success.html",
    ),
    (
        "guard_on_unwind",
        "https://docs.rs/scopeguard/1.2.0/scopeguard/fn.guard_on_unwind.html",
    ),
    (
        "std::thread::panicking()",
        "https://doc.rust-lang.org/1.95.0/std/thread/fn.panicking.html",
    ),
    (
        "Rc",
        "https://doc.rust-lang.org/1.95.0/std/rc/struct.Rc.html",
    ),
    (
        "std::mem::forget",
        "https://doc.rust-lang.org/1.95.0/std/mem/fn.forget.html",
    ),
    (
        "Cell",
        "https://doc.rust-lang.org/1.95.0/std/cell/struct.Cell.html",
    ),
    (
        "try_alloc_slice_fill_with",
        "https://docs.rs/bumpalo/3.20.4/bumpalo/struct.Bump.html#method.try_alloc_slice_fill_with",
    ),
    (
        "allocated_bytes",
        "https://docs.rs/bumpalo/3.20.4/bumpalo/struct.Bump.html#method.allocated_bytes",
    ),
    (
        "set_allocation_limit",
        "https://docs.rs/bumpalo/3.20.4/bumpalo/struct.Bump.html#method.set_allocation_limit",
    ),
    (
        "File",
        "https://doc.rust-lang.org/1.95.0/std/fs/struct.File.html",
    ),
    (
        "bumpalo::boxed::Box",
        "https://docs.rs/bumpalo/3.20.4/bumpalo/boxed/struct.Box.html",
    ),
    (
        "std::io::Read::read",
        "https://doc.rust-lang.org/1.95.0/std/io/trait.Read.html#tymethod.read",
    ),
    (
        "allocator-api2",
        "https://docs.rs/allocator-api2/0.2.21/allocator_api2/index.html",
    ),
    (
        "Allocator",
        "https://docs.rs/allocator-api2/0.2.21/allocator_api2/alloc/trait.Allocator.html",
    ),
    (
        "rename",
        "https://doc.rust-lang.org/1.95.0/std/fs/fn.rename.html",
    ),
    (
        "sync_all",
        "https://doc.rust-lang.org/1.95.0/std/fs/struct.File.html#method.sync_all",
    ),
    (
        "tempfile",
        "https://docs.rs/tempfile/3.27.0/tempfile/index.html",
    ),
    (
        "Builder",
        "https://docs.rs/tempfile/3.27.0/tempfile/struct.Builder.html",
    ),
    (
        "persist",
        "https://docs.rs/tempfile/3.27.0/tempfile/struct.NamedTempFile.html#method.persist",
    ),
    (
        "std::hint::black_box",
        "https://doc.rust-lang.org/1.95.0/std/hint/fn.black_box.html",
    ),
    (
        "write_all",
        "https://doc.rust-lang.org/1.95.0/std/io/trait.Write.html#method.write_all",
    ),
];

/// The pages of the book in reading order (src/SUMMARY.md).
fn pages_in_order() -> Vec<PathBuf> {
    crate::summary_pages()
        .into_iter()
        .map(|(_, file, _)| root().join("src").join(file))
        .collect()
}

/// Where the prose first names each API of [`API_DOCS`] (as inline code,
/// outside headings): (page, line number, line).
fn first_uses() -> &'static HashMap<&'static str, (PathBuf, usize, String)> {
    static FIRST: OnceLock<HashMap<&str, (PathBuf, usize, String)>> = OnceLock::new();
    FIRST.get_or_init(|| {
        let mut first = HashMap::new();
        let tokens: Vec<(&str, String)> = API_DOCS
            .iter()
            .map(|(api, _)| (*api, format!("`{api}`")))
            .collect();
        for page in pages_in_order() {
            let prose = prose_of(&fs::read_to_string(&page).unwrap());
            for (index, line) in prose.lines().enumerate() {
                if line.starts_with('#') {
                    continue;
                }
                if !line.contains('`') {
                    continue;
                }
                for (api, token) in &tokens {
                    if !first.contains_key(api) && line.contains(token.as_str()) {
                        first.insert(*api, (page.clone(), index + 1, line.to_string()));
                    }
                }
            }
        }
        first
    })
}

/// The APIs `chapter` names first link to their documentation, and every
/// documentation link of the chapter is one of [`API_DOCS`].
pub fn the_first_use_of_each_api_links_to_its_documentation(chapter: &str) {
    for (api, url) in API_DOCS {
        let Some((page, number, line)) = first_uses().get(api) else {
            continue; // the book-wide check says so
        };
        if !page
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(&format!("{chapter}-"))
        {
            continue;
        }
        let linked = links_in(line)
            .iter()
            .any(|(text, target)| line[text.clone()] == format!("`{api}`") && target == url);
        assert!(
            linked,
            "{}:{number}: the book's first use of `{api}` is not a link to its documentation: \
             write [`{api}`]({url}) (the address is in API_DOCS, tests/book_structure/api_docs.rs); \
             seen: {line:?}",
            relative(page)
        );
    }
    for page in crate::pages_of(chapter) {
        let prose = prose_of(&fs::read_to_string(&page).unwrap());
        for (index, line) in prose.lines().enumerate() {
            for (_, target) in links_in(line) {
                let to_docs = target.starts_with("https://doc.rust-lang.org/")
                    || target.starts_with("https://docs.rs/");
                assert!(
                    !to_docs || API_DOCS.iter().any(|(_, url)| *url == target),
                    "{}:{}: the link {target:?} to documentation is not in API_DOCS \
                     (tests/book_structure/api_docs.rs), where its address is checked: add it",
                    relative(&page),
                    index + 1
                );
            }
        }
    }
}

/// Every API of the table is named in the book, and every address leads to
/// a real page of the version the book is verified with.
pub fn every_documentation_address_is_real() {
    for (api, _) in API_DOCS {
        assert!(
            first_uses().contains_key(api),
            "tests/book_structure/api_docs.rs: API_DOCS lists `{api}`, which the book never names \
             as inline code outside a heading: remove it"
        );
    }
    // The version src/verified/rust.md names, which another test holds to
    // `rustc --version` (read here to spare a run of rustc).
    let verified = fs::read_to_string(root().join("src/verified/rust.md")).unwrap();
    let rust = verified
        .split("verified with Rust ")
        .nth(1)
        .and_then(|rest| rest.split([',', ' ']).next())
        .expect("src/verified/rust.md names the Rust version");
    let std_docs = std_docs_dir();
    // Each page and each crate is read once: several links lead to each.
    let mut read: HashMap<PathBuf, String> = HashMap::new();
    let mut sources: HashMap<String, Option<String>> = HashMap::new();
    for (api, url) in API_DOCS {
        let place = format!("tests/book_structure/api_docs.rs, `{api}`");
        if let Some(path) = url.strip_prefix("https://doc.rust-lang.org/") {
            let (version, _) = path.split_once('/').unwrap_or_default();
            assert!(
                version == rust,
                "{place}: {url} is the documentation of Rust {version}, but the book is verified \
                 with Rust {rust}: change the version in every such link (src/ and API_DOCS)"
            );
            assert!(url.starts_with(STD), "{place}: {url} is not under {STD}");
            match &std_docs {
                Some(dir) => {
                    page_has_anchor(&place, &dir.join(&path[version.len() + 1..]), &mut read)
                }
                None => {
                    not_checked(
                        "links to the standard library's documentation",
                        "the toolchain's documentation is not installed (rustup component add rust-docs)",
                    );
                    return;
                }
            }
        } else if let Some(path) = url.strip_prefix("https://docs.rs/") {
            crate_defines(&place, path, &mut sources);
        } else {
            panic!("{place}: {url} is neither doc.rust-lang.org nor docs.rs");
        }
    }
}

/// The standard library's documentation that rustup installs with the
/// toolchain (component rust-docs), if it is there.
/// The toolchain is rustup's RUSTUP_TOOLCHAIN under RUSTUP_HOME, which
/// rustup sets for cargo and so for the tests; elsewhere `rustc --print
/// sysroot` says where it is.
fn std_docs_dir() -> Option<PathBuf> {
    let rustup = std::env::var_os("RUSTUP_HOME").zip(std::env::var_os("RUSTUP_TOOLCHAIN"));
    let sysroot = match rustup {
        Some((home, toolchain)) => Path::new(&home).join("toolchains").join(toolchain),
        None => {
            let output = Command::new("rustc")
                .args(["--print", "sysroot"])
                .output()
                .ok()?;
            PathBuf::from(String::from_utf8(output.stdout).ok()?.trim())
        }
    };
    let dir = sysroot.join("share/doc/rust/html");
    dir.join("std/index.html").is_file().then_some(dir)
}

/// `file#anchor` (of a local copy of the documentation) exists, and so does
/// the anchor on it.
fn page_has_anchor(place: &str, file_and_anchor: &Path, read: &mut HashMap<PathBuf, String>) {
    let text = file_and_anchor.to_string_lossy();
    let (file, anchor) = text.split_once('#').unwrap_or((&text, ""));
    let page = read.entry(PathBuf::from(file)).or_insert_with(|| {
        fs::read_to_string(file)
            .unwrap_or_else(|_| panic!("{place}: the documentation has no page {file}"))
    });
    assert!(
        anchor.is_empty() || page.contains(&format!("id=\"{anchor}\"")),
        "{place}: {file} has no anchor #{anchor}"
    );
}

/// `CRATE/VERSION/CRATE_PATH/KIND.NAME.html[#method.X]` of docs.rs: the
/// version is the one Cargo.lock pins, and the crate's source defines the
/// item (and the method) named.
fn crate_defines(place: &str, path: &str, sources: &mut HashMap<String, Option<String>>) {
    let mut parts = path.split('/');
    let (name, version) = (parts.next().unwrap(), parts.next().unwrap_or_default());
    let locked = locked_version(name);
    assert_eq!(
        Some(version),
        locked.as_deref(),
        "{place}: docs.rs/{name}/{version}, but Cargo.lock pins {name} {locked:?}"
    );
    let (page, anchor) = path.split_once('#').unwrap_or((path, ""));
    let source = sources
        .entry(format!("{name}-{version}"))
        .or_insert_with(|| crate_source(name, version));
    let Some(source) = source else {
        not_checked(
            &format!("links to {name}'s documentation"),
            &format!("its source ({name}-{version}) is not in Cargo's registry here"),
        );
        return;
    };
    let item = page.rsplit('/').next().unwrap_or_default();
    let mut definitions: Vec<String> = Vec::new();
    if let Some((kind, rest)) = item.split_once('.') {
        let item_name = rest.trim_end_matches(".html");
        match kind {
            "index" => {}
            "macro" => definitions.push(format!("macro_rules! {item_name}")),
            "fn" => definitions.push(format!("fn {item_name}")),
            kind => definitions.push(format!("{kind} {item_name}")),
        }
    }
    if let Some((_, method)) = anchor.split_once('.') {
        definitions.push(format!("fn {method}"));
    }
    for definition in definitions {
        assert!(
            source.contains(&format!("{definition}("))
                || source.contains(&format!("{definition}<"))
                || source.contains(&format!("{definition} ")),
            "{place}: {name} {version} defines no `{definition}` (its source in Cargo's registry)"
        );
    }
}

/// The version of `name` in Cargo.lock.
fn locked_version(name: &str) -> Option<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let after = lock
        .split(&format!("name = \"{name}\"\nversion = \""))
        .nth(1)?;
    Some(after.split('"').next()?.to_string())
}

/// All the Rust source of `name` `version`, as Cargo downloaded it.
fn crate_source(name: &str, version: &str) -> Option<String> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
    let registry = fs::read_dir(home.join("registry/src")).ok()?;
    let dir = registry
        .filter_map(|entry| Some(entry.ok()?.path().join(format!("{name}-{version}"))))
        .find(|dir| dir.is_dir())?;
    let mut source = String::new();
    let mut dirs = vec![dir.join("src")]; // its tests and benchmarks define nothing linked
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                source.push_str(&fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    Some(source)
}
