//! Where an allocation came from.
//!
//! The allocator captures the stack of every allocation it watches, so the
//! capture must be cheap and allocate nothing. The standard library's
//! `Backtrace::force_capture` takes a lock that the runtime may already hold
//! when it allocates (while reporting an allocation failure, for one), which
//! would deadlock. Here the stack is only walked into a fixed array;
//! symbols are looked up later, when a report is printed.

use std::collections::HashMap;
use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use super::hooks;

/// How many return addresses a captured stack keeps, innermost first.
const DEPTH: usize = 48;
/// How many a stack captured during a panic keeps. The panic hook can
/// allocate tens of thousands of blocks (the debug information it reads to
/// print a backtrace), each deep in the symbolizer: a shorter walk is
/// faster, and still reaches the program's frame of a block that the
/// program itself allocates while unwinding (see [`Stack::kept_by_std`]).
pub(super) const PANIC_DEPTH: usize = 20;

/// The return addresses of a stack, captured without allocating.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Stack {
    // Pointers, not integers: looking a frame up must not need a pointer
    // rebuilt from an integer (Miri rejects that, rightly).
    addresses: [*mut c_void; DEPTH],
    len: usize,
    /// Whether the walk stopped at its depth, before the stack's end.
    full: bool,
}

/// The addresses folded into one word, hashed once: a check looks every
/// captured stack up among those it keeps, on every allocation, and
/// hashing 48 words one by one is slow in the unoptimised build that tests
/// run.
impl std::hash::Hash for Stack {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let folded = self.addresses[..self.len]
            .iter()
            .fold(self.len as u64, |folded, address| {
                (folded.rotate_left(5) ^ address.addr() as u64).wrapping_mul(0x517c_c1b7_2722_0a95)
            });
        state.write_u64(folded);
    }
}

// SAFETY: the pointers are return addresses into the program's code, never
// dereferenced: only compared, hashed and given to the symbolizer, which
// any thread may do. Sharing or sending them shares no data.
unsafe impl Send for Stack {}
// SAFETY: as for `Send`: a `&Stack` only reads the addresses.
unsafe impl Sync for Stack {}

impl Stack {
    /// The stack of the caller.
    pub(super) fn capture() -> Stack {
        Stack::capture_up_to(DEPTH)
    }

    /// The stack of the caller, `depth` frames at most ([`DEPTH`] at most).
    pub(super) fn capture_up_to(depth: usize) -> Stack {
        let depth = depth.min(DEPTH);
        let mut stack = Stack {
            addresses: [std::ptr::null_mut(); DEPTH],
            len: 0,
            full: false,
        };
        let mut record = |frame: &backtrace::Frame| {
            stack.addresses[stack.len] = frame.ip();
            stack.len += 1;
            stack.full = stack.len == depth;
            !stack.full
        };
        // SAFETY: `trace_unsynchronized` is unsafe because on some platforms
        // the stack walker is not thread-safe (Windows' dbghelp, for 32-bit
        // programs), and `trace` takes a lock for them. On Unix, backtrace
        // walks the stack with the unwinder's `_Unwind_Backtrace` (libgcc's
        // or LLVM's libunwind), which every thread may call at once (C++
        // exceptions do): the `cfg` makes this hold wherever this compiles.
        // Without the lock, an allocation never waits for another thread
        // that is resolving the symbols of a report.
        #[cfg(unix)]
        unsafe {
            backtrace::trace_unsynchronized(&mut record)
        };
        #[cfg(not(unix))]
        backtrace::trace(&mut record);
        stack
    }

    /// Frames of the stack that belong to the program, innermost first, as
    /// `function (file:line:col)` with paths relative to the project's root
    /// (see [`Frames`]).
    pub(super) fn program_frames(&self, limit: usize) -> Frames {
        // The lab's own work: looking symbols up allocates.
        hooks::quietly(|| {
            let roots = project_roots();
            let mut frames = Frames {
                program: Vec::new(),
                lab_located: false,
            };
            'stack: for &address in &self.addresses[..self.len] {
                // Enough: the outer frames are not looked up at all. The
                // outermost are the C library's (`__libc_start_main`,
                // `clone3`), and looking one up loads the library's
                // separate debug information where it is installed
                // (valgrind brings it), which is slow.
                if frames.program.len() >= limit {
                    break;
                }
                for symbol in symbols_of(address).iter() {
                    match symbol.place(&roots) {
                        Place::Beyond => break 'stack,
                        Place::Lab => frames.lab_located = true,
                        Place::Program(file) if frames.program.len() < limit => {
                            frames.program.push(format!(
                                "{} ({}:{}:{})",
                                symbol.function,
                                file.display(),
                                symbol.line,
                                symbol.column
                            ));
                        }
                        Place::Program(_) | Place::Elsewhere => {}
                    }
                }
            }
            frames
        })
    }

    /// Whether the block allocated with this stack is the standard
    /// library's own lasting state rather than the program's: the buffer
    /// of `stdout` or `stdin`, made at their first use; the test harness's
    /// buffer of captured output, which the first `print!` of a test under
    /// `cargo test` allocates and the harness frees after the test; what
    /// the panic hook keeps (the same buffer, and the debug information it
    /// loads to print a backtrace under `RUST_BACKTRACE=1`). Such a block
    /// was made by one of the standard library's functions of
    /// [`STD_KEEPS`], called by the program: the walk from the allocation
    /// outwards meets that function before any frame of the program.
    ///
    /// The panic hook's work can run deeper than the stack kept: a stack
    /// cut at its full depth, made while the thread was panicking, with no
    /// frame of the program in it, is the hook's too (a block the program
    /// allocates in a destructor during unwinding has the program's frame
    /// near the allocation).
    ///
    /// Outside a panic, all of these are byte buffers (alignment 1): a
    /// check looks up no other block's stack.
    pub(super) fn kept_by_std(&self, during_panic: bool) -> bool {
        hooks::quietly(|| {
            let roots = project_roots();
            for &address in &self.addresses[..self.len] {
                for symbol in symbols_of(address).iter() {
                    if symbol.hands_to_the_program() {
                        return false;
                    }
                    if STD_KEEPS.iter().any(|keeper| symbol.is_in(keeper)) {
                        return true;
                    }
                    match symbol.place(&roots) {
                        Place::Beyond | Place::Program(_) => return false,
                        Place::Lab | Place::Elsewhere => {}
                    }
                }
            }
            during_panic && self.full
        })
    }
}

/// The standard library's functions that allocate state it keeps beyond
/// the call (see [`Stack::kept_by_std`]); closures inside them count too.
const STD_KEEPS: &[&str] = &[
    "std::io::stdio::stdout",
    "std::io::stdio::stdin",
    "std::io::stdio::stderr",
    "std::io::stdio::print_to_buffer_if_capture_used",
    "std::panicking::default_hook",
    // The debug information that symbolizing a backtrace loads and keeps
    // (the panic hook's, or a `std::backtrace::Backtrace` displayed).
    "std::backtrace_rs::symbolize::gimli",
    // The context a thread keeps for blocking on a channel.
    "std::sync::mpmc::context::Context::new",
];

/// One frame as the debug information names it: a return address may
/// stand for several, when calls were inlined.
struct Symbol {
    /// The function's name without its hash suffix.
    function: String,
    file: Option<PathBuf>,
    line: u32,
    column: u32,
}

/// Where a frame's code belongs.
enum Place<'a> {
    /// Where the standard library (and the test harness) starts running the
    /// program's code: every frame further out is the runtime's.
    Beyond,
    /// The lab's own code (with file and line: built with debug
    /// information).
    Lab,
    /// The program's code: the file relative to the project's root.
    Program(&'a Path),
    /// The standard library's, a dependency's, or without file and line.
    Elsewhere,
}

impl Symbol {
    fn place(&self, roots: &[PathBuf]) -> Place<'_> {
        if self.function.contains("__rust_begin_short_backtrace") {
            return Place::Beyond;
        }
        let Some(file) = &self.file else {
            return Place::Elsewhere;
        };
        if is_lab(file) {
            return Place::Lab;
        }
        match in_project(file, roots) {
            Some(file) if !is_runtime(&self.function) => Place::Program(file),
            _ => Place::Elsewhere,
        }
    }

    /// Whether this is one of the standard library's functions that make a
    /// value handed to the program, even while a keeper of [`STD_KEEPS`]
    /// runs: a panic's payload (which `catch_unwind` returns), a
    /// `Backtrace`'s frames and their names (a method of a type of
    /// `std::backtrace`, not of `std::backtrace_rs` nor a generic over
    /// one). Met first on the way out from an allocation, it makes the
    /// block the program's.
    fn hands_to_the_program(&self) -> bool {
        let function = self.function.as_str();
        function.ends_with("::take_box")
            || function.starts_with("std::backtrace::")
            || function.starts_with("<std::backtrace::")
    }

    /// Whether this is `function`, or a closure inside it.
    fn is_in(&self, function: &str) -> bool {
        self.function
            .strip_prefix(function)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
    }
}

/// The frames looked up so far, by address (see [`symbols_of`]).
static SYMBOLS: Mutex<Option<HashMap<usize, Arc<[Symbol]>>>> = Mutex::new(None);

/// Runs `f`, which looks symbols up, quietly; then, unless a report is
/// still alive (see [`SymbolsKept`]), forgets what was looked up, here
/// and in the `backtrace` crate (which keeps the debug information it
/// read, megabytes of it): a program that ran the lab's checks ends with
/// nothing of the lab's still allocated, as a leak checker such as
/// valgrind sees it at exit. A report of many blocks still looks each
/// address up once.
pub(super) fn resolving<R>(f: impl FnOnce() -> R) -> R {
    hooks::quietly(|| {
        let result = f();
        if REPORTS_ALIVE.load(Ordering::SeqCst) == 0 {
            forget_symbols();
        }
        result
    })
}

fn forget_symbols() {
    let mut symbols = SYMBOLS.lock().unwrap_or_else(PoisonError::into_inner);
    // Only if something was looked up: `clear_symbol_cache` makes the
    // `backtrace` crate's cache (its list of the program's libraries) when
    // there is none yet.
    if symbols.take().is_some() {
        backtrace::clear_symbol_cache();
    }
}

/// How many reports are alive: while one is, what was looked up for it
/// is kept, since printing it will look the same addresses up again.
static REPORTS_ALIVE: AtomicUsize = AtomicUsize::new(0);

/// Held by each report: keeps the symbols looked up until the last report
/// is dropped.
#[derive(Debug)]
pub(crate) struct SymbolsKept(());

impl Default for SymbolsKept {
    fn default() -> Self {
        REPORTS_ALIVE.fetch_add(1, Ordering::SeqCst);
        SymbolsKept(())
    }
}

impl Drop for SymbolsKept {
    fn drop(&mut self) {
        if REPORTS_ALIVE.fetch_sub(1, Ordering::SeqCst) == 1 {
            hooks::quietly(forget_symbols);
        }
    }
}

/// The frames of `address`, looked up once per address: a report of
/// thousands of blocks allocated at a few places looks up a few hundred
/// addresses, not every frame of every block. Call it quietly (it
/// allocates).
fn symbols_of(address: *mut c_void) -> Arc<[Symbol]> {
    let mut cache = SYMBOLS.lock().unwrap_or_else(PoisonError::into_inner);
    let cache = cache.get_or_insert_with(HashMap::new);
    let key = address as usize;
    if let Some(symbols) = cache.get(&key) {
        return Arc::clone(symbols);
    }
    let mut symbols = Vec::new();
    backtrace::resolve(address, |symbol| {
        let (Some(name), Some(line)) = (symbol.name(), symbol.lineno()) else {
            return;
        };
        symbols.push(Symbol {
            function: format!("{name:#}"), // without the hash suffix
            file: symbol.filename().map(Path::to_path_buf),
            line,
            column: symbol.colno().unwrap_or(0),
        });
    });
    let symbols: Arc<[Symbol]> = symbols.into();
    cache.insert(key, Arc::clone(&symbols));
    symbols
}

/// The frames of a stack that belong to the program, and what to say
/// when there are none.
pub(super) struct Frames {
    /// `function (file:line:col)`, innermost first, with `file` relative
    /// to the project's root: the frames whose source file is in the
    /// project (not in the standard library or a dependency), outside the
    /// lab itself.
    pub(super) program: Vec<String>,
    /// Whether the lab's own frames, on every stack it captures, had a
    /// file and line: then the project was built with debug information,
    /// and an empty `program` means that no frame of the program's own
    /// code was on the stack, not that the information is missing.
    pub(super) lab_located: bool,
}

impl Frames {
    /// Why `program` is empty, in words for a report.
    pub(super) fn why_none(&self) -> &'static str {
        if self.lab_located {
            "(no frame of the project's code: only the standard library's, a \
             dependency's or the lab's)"
        } else {
            "(no debug information: build without --release)"
        }
    }
}

/// The lab's package directory, where cargo found its manifest when it
/// built the lab: absolute.
const PACKAGE_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The project's root directory: the directory the compiler ran in when it
/// built the lab. The debug information names each source file by its
/// absolute path, so a file of the project is one under this root whatever
/// the current directory is; a copy of the project that reuses the build of
/// the original (its `target/`) still names the original's files, and this
/// root with them.
///
/// Cargo runs the compiler at the root of the workspace for a package
/// inside it, and names the lab's files relative to it (`lab/src/site.rs`
/// in the course): the root is then [`PACKAGE_DIR`] without the package's
/// place in the workspace (`lab`), so that the course's files
/// (`course/`, `examples/`, `tests/`) are the project's. For a lab outside
/// the workspace (a reader's path, git or registry dependency), cargo gives
/// an absolute file name, and the root is the lab's own directory: the
/// reader's files are found through the run-time `CARGO_MANIFEST_DIR` (see
/// [`project_roots`]).
fn root() -> &'static Path {
    let package = Path::new(PACKAGE_DIR);
    // `lab/src/site.rs` less `src/site.rs`: where the package is in the
    // workspace, relative to its root.
    let in_workspace = Path::new(file!()).parent().and_then(Path::parent);
    match in_workspace {
        Some(place) if place.is_relative() => {
            let depth = place.components().count();
            package.ancestors().nth(depth).unwrap_or(package)
        }
        _ => package,
    }
}

/// The roots a project file may be under: [`root`], and the directory of
/// the package that `cargo` runs the program for (`CARGO_MANIFEST_DIR` at
/// run time): in a reader's project, which uses the lab as a dependency,
/// the reader's files; in a copy of the project, the files cargo rebuilt
/// there while it reused the lab's build of the original.
fn project_roots() -> Vec<PathBuf> {
    let mut roots = vec![root().to_path_buf()];
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from)
        && dir.is_absolute()
        && !roots.contains(&dir)
    {
        roots.push(dir);
    }
    roots
}

/// `file` relative to the project's root, if it is one of the project's
/// files. The debug information of a build names them by absolute path.
/// A relative path is either the compiler's own name for a file of the
/// package it built, relative to the root (Miri gives those), or a file of
/// a system library built elsewhere (glibc's `./nptl/pthread_create.c`):
/// the file must then exist under the root.
///
/// An absolute path under no root is the program's too, shown whole,
/// unless it is the standard library's source or a dependency's from
/// cargo's registry or git checkouts: another crate of the reader's
/// workspace, or the reader's own files when the program runs outside
/// cargo (no `CARGO_MANIFEST_DIR` to name their root).
fn in_project<'a>(file: &'a Path, roots: &[PathBuf]) -> Option<&'a Path> {
    if file.is_relative() {
        return roots
            .iter()
            .any(|root| root.join(file).is_file())
            .then_some(file);
    }
    if let Some(relative) = roots.iter().find_map(|root| file.strip_prefix(root).ok()) {
        return Some(relative);
    }
    let text = file.to_string_lossy();
    // The standard library's sources (`/rustc/HASH/library/...`, its own
    // dependencies under `/rust/deps/`, or the rust-src component), and
    // cargo's downloads.
    let elsewhere = [
        "/rustc/",
        "/rust/deps/",
        "/lib/rustlib/",
        "/.cargo/registry/",
        "/.cargo/git/",
    ]
    .iter()
    .any(|part| text.contains(part));
    (!elsewhere).then_some(file)
}

/// Whether `file` (as the debug information names it: absolute, or
/// relative to [`root`]) is one of the lab's own source files.
fn is_lab(file: &Path) -> bool {
    // `file!()` is `lab/src/site.rs` inside the course's workspace and
    // absolute outside it; joined to the root, both are absolute.
    let lab_dir = Path::new(file!()).parent().unwrap_or(Path::new("src"));
    root().join(file).starts_with(root().join(lab_dir))
}

/// A runtime function: the standard library's, or an allocator shim
/// (`__rust_alloc`, or `_::__rust_alloc` under Miri), which may be
/// inlined into a frame whose file is the project's.
fn is_runtime(function: &str) -> bool {
    [
        "std::", "core::", "alloc::", "<alloc::", "<core::", "<std::",
    ]
    .iter()
    .any(|prefix| function.starts_with(prefix))
        || function
            .rsplit("::")
            .next()
            .is_some_and(|f| f.starts_with("__rust"))
}
