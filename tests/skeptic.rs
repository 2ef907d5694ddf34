//! Compiles and runs every Rust block of the book, as the reader sees it
//! (build.rs expands the chapters and hands them to skeptic). A failing
//! block names its place in the files the reader edits (see `Block`).

mod support;

#[path = "skeptic/failure.rs"]
mod failure;

include!(concat!(env!("OUT_DIR"), "/skeptic-tests.rs"));

/// skeptic reads `RUSTC` each time it compiles a block, and it must find
/// `book-rustc` there, which compiles the block as the book's edition
/// (`tests/skeptic/book_rustc.rs` says why). The variables have to be set
/// before any test runs: the test harness starts its threads as soon as
/// `main` begins, and changing the environment while another thread may
/// read it is undefined behaviour. So they are set by a constructor, a
/// function the platform's loader runs before `main`, single-threaded, as
/// it runs a C++ static initialiser. Where none of these sections exists,
/// nothing sets them, and `blocks_are_compiled_as_the_books_edition` fails.
#[used]
#[cfg_attr(
    any(
        target_os = "linux",
        target_os = "android",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd",
        target_os = "dragonfly",
        target_os = "illumos",
        target_os = "solaris"
    ),
    // SAFETY: `.init_array` holds pointers to `extern "C" fn()` that the
    // loader calls before `main`; this is one.
    unsafe(link_section = ".init_array")
)]
// SAFETY: as above, Apple's loader calls each pointer in this section.
#[cfg_attr(
    target_vendor = "apple",
    unsafe(link_section = "__DATA,__mod_init_func")
)]
// SAFETY: as above, the C runtime calls each pointer in this section.
#[cfg_attr(windows, unsafe(link_section = ".CRT$XCU"))]
static POINT_SKEPTIC_AT_BOOK_RUSTC: extern "C" fn() = point_skeptic_at_book_rustc;

extern "C" fn point_skeptic_at_book_rustc() {
    let book_rustc = env!("COURSE_BOOK_RUSTC");
    let real = std::env::var_os("COURSE_REAL_RUSTC")
        .or_else(|| std::env::var_os("RUSTC").filter(|rustc| rustc != book_rustc))
        .unwrap_or_else(|| "rustc".into());
    // SAFETY: the loader calls this before `main` (see above), when this
    // process has one thread, so nothing reads the environment meanwhile.
    unsafe {
        std::env::set_var("COURSE_REAL_RUSTC", real);
        std::env::set_var("COURSE_BOOK_EDITION", env!("COURSE_BOOK_EDITION"));
        std::env::set_var("RUSTC", book_rustc);
        // skeptic runs `cargo metadata`, which asks this RUSTC what it
        // targets and keeps the answer in the target directory's
        // `.rustc_info.json`, one compiler's answer at a time: in `target/`
        // itself, it and `cargo test` threw each other's answer away, and
        // both asked rustc again on every run (0.15 s of CPU each). This
        // build script's output directory exists (cargo metadata creates
        // no directory, and then keeps nothing) and is this package's own.
        std::env::set_var("CARGO_TARGET_DIR", env!("OUT_DIR"));
    }
}

/// Without this, every block would be compiled as edition 2021.
#[test]
fn blocks_are_compiled_as_the_books_edition() {
    let rustc = std::env::var("RUSTC");
    assert_eq!(
        rustc.as_deref(),
        Ok(env!("COURSE_BOOK_RUSTC")),
        "skeptic would compile the book's blocks with the rustc in RUSTC, not book-rustc: \
         the constructor in tests/skeptic.rs did not run on this platform"
    );
    let version = std::process::Command::new(env!("COURSE_BOOK_RUSTC"))
        .arg("-vV")
        .output()
        .expect("book-rustc runs");
    let said = String::from_utf8_lossy(&version.stdout);
    let edition = concat!("book edition: ", env!("COURSE_BOOK_EDITION"));
    assert!(said.contains(edition), "book-rustc -vV said:\n{said}");
}

/// Where a block of the book comes from; build.rs writes one into each
/// test (`build/skeptic_tests.rs`).
pub struct Block {
    /// `src/chNN-....md:LINE` of its opening fence.
    pub place: &'static str,
    /// `file:FIRST-LAST` of each file it includes (the lines the reader sees).
    pub includes: &'static [&'static str],
    /// The place of each line of the program skeptic compiles (`test.rs`),
    /// from line 1.
    pub lines: &'static [&'static str],
}

/// What skeptic does with a block: compile and run it, or (`no_run`) only
/// compile it.
#[derive(Clone, Copy)]
pub enum Check {
    Run,
    Compile,
}

/// Checks `block` as skeptic does; if it fails, fails with a message that
/// starts with the block's place and goes on with the program's own error,
/// its lines translated to the files the reader edits.
fn run_block(block: &Block, check: Check, root: &str, out_dir: &str, target: &str, code: &str) {
    if !cfg!(target_os = "linux") && needs_linux(code) {
        support::not_checked::not_checked(
            &format!("the block at {}", block.place),
            "it uses chapter 8's modules, which are Linux's (course/lib.rs), or /dev/full",
        );
        return;
    }
    failure::quiet_skeptic_panics();
    let run = || match check {
        Check::Run => run_test_retrying_busy(root, out_dir, target, code),
        Check::Compile => skeptic::rt::compile_test(root, out_dir, target, code),
    };
    if let Err(payload) = std::panic::catch_unwind(run) {
        let skeptic_says = support::panic_payload_text(&*payload);
        panic!("{}", failure::report(block, &skeptic_says, code));
    }
}

/// The library's modules that exist on Linux only (`#[cfg(target_os =
/// "linux")]` in course/lib.rs; `linux_only_modules_are_the_librarys`
/// holds the list to it).
const LINUX_ONLY_MODULES: [&str; 7] = [
    "atomic_save",
    "replaced",
    "scratch",
    "short_name",
    "stop_signals",
    "system_calls",
    "temp_name",
];

/// Whether a block's program needs Linux: it names one of
/// [`LINUX_ONLY_MODULES`], or writes to `/dev/full` (chapter 8's trap).
fn needs_linux(code: &str) -> bool {
    code.contains("\"/dev/full\"")
        || LINUX_ONLY_MODULES
            .iter()
            .any(|module| code.contains(&format!("course::{module}")))
}

#[test]
fn linux_only_modules_are_the_librarys() {
    let lib = std::fs::read_to_string(support::root().join("course/lib.rs")).unwrap();
    let mut cfg_linux: Vec<&str> = lib
        .split("#[cfg(target_os = \"linux\")]\npub mod ")
        .skip(1)
        .map(|rest| rest.split(';').next().unwrap())
        .collect();
    cfg_linux.sort();
    assert_eq!(
        cfg_linux, LINUX_ONLY_MODULES,
        "tests/skeptic.rs: LINUX_ONLY_MODULES must list the modules course/lib.rs \
         compiles on Linux only"
    );
}

/// skeptic's `run_test`, retried when Linux refuses to run the snippet with
/// "Text file busy". skeptic copies each compiled snippet into its cache and
/// runs it at once; if another test thread forks a child at that moment, the
/// child holds the copy's write descriptor until it calls `exec`, and Linux
/// does not run a file that is open for writing. It is a known race of
/// writing and running executables in a multithreaded process, it passes in
/// milliseconds, and retrying is the usual remedy (cargo retries it too).
/// Every other failure fails the test at once.
fn run_test_retrying_busy(root: &str, out_dir: &str, target: &str, code: &str) {
    const ATTEMPTS: u32 = 5;
    for attempt in 1..=ATTEMPTS {
        let run = || skeptic::rt::run_test(root, out_dir, target, code);
        match std::panic::catch_unwind(run) {
            Ok(()) => return,
            Err(payload) => {
                let message = support::panic_payload_text(&*payload);
                if attempt == ATTEMPTS || !message.contains("Text file busy (os error 26)") {
                    std::panic::resume_unwind(payload);
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
    }
}

/// A block that fails leads with its place and the files it includes, then
/// quotes the program's own panic at the place of the failing line, and
/// nothing of it depends on the reader's environment (the program runs
/// again under `support::run_controlled`; skeptic's own run, with
/// `RUST_BACKTRACE=1`, printed a backtrace).
#[test]
fn a_failing_block_says_where_and_why() {
    // Line 4 of the program (after skeptic's leading newline, the label and
    // `fn main`) is line 3 of an included file.
    let block = Block {
        place: "src/demo.md:10",
        includes: &["examples/demo.rs:3"],
        lines: &[
            "src/demo.md:10",
            "src/demo.md:10",
            "src/demo.md:11",
            "examples/demo.rs:3",
            "src/demo.md:13",
        ],
    };
    let code = "\n// fails on purpose\nfn main() {\n    assert_eq!(1 + 1, 3, \"arithmetic\");\n}\n";
    let (root, out_dir, target) = (
        env!("CARGO_MANIFEST_DIR"),
        env!("OUT_DIR"),
        env!("COURSE_TARGET"),
    );
    let seen = support::mask_varying(&failure::expected_panic(|| {
        run_block(&block, Check::Run, root, out_dir, target, code)
    }));
    let expected = "\
src/demo.md:10: this block failed (it includes examples/demo.rs:3):
thread 'main' (TID) panicked at examples/demo.rs:3:5:
assertion `left == right` failed: arithmetic
  left: 2
 right: 3
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
(exit status: 101)
";
    assert_eq!(seen, expected, "\nseen:\n{seen}\nexpected:\n{expected}");
}
