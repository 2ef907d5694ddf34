//! Where an allocation came from.
//!
//! The allocator captures the stack of every allocation it watches, so the
//! capture must be cheap and allocate nothing. The standard library's
//! `Backtrace::force_capture` takes a lock that the runtime may already hold
//! when it allocates (while reporting an allocation failure, for one), which
//! would deadlock. Here the stack is only walked into a fixed array;
//! symbols are looked up later, when a report is printed.

use std::ffi::c_void;
use std::path::{Path, PathBuf};

/// How many return addresses a captured stack keeps, innermost first.
const DEPTH: usize = 48;

/// The return addresses of a stack, captured without allocating.
#[derive(Clone, Copy)]
pub(super) struct Stack {
    // Pointers, not integers: looking a frame up must not need a pointer
    // rebuilt from an integer (Miri rejects that, rightly).
    addresses: [*mut c_void; DEPTH],
    len: usize,
}

impl Stack {
    /// The stack of the caller.
    pub(super) fn capture() -> Stack {
        let mut stack = Stack {
            addresses: [std::ptr::null_mut(); DEPTH],
            len: 0,
        };
        let mut record = |frame: &backtrace::Frame| {
            stack.addresses[stack.len] = frame.ip();
            stack.len += 1;
            stack.len < DEPTH
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
        let roots = project_roots();
        let mut frames = Frames {
            program: Vec::new(),
            lab_located: false,
        };
        let mut beyond_program = false;
        for &address in &self.addresses[..self.len] {
            // Enough: the outer frames are not looked up at all. The
            // outermost are the C library's (`__libc_start_main`, `clone3`),
            // and looking one up loads the library's separate debug
            // information where it is installed (valgrind brings it), which
            // took 0.4 s of decompressing in every process that reported.
            if frames.program.len() >= limit || beyond_program {
                break;
            }
            backtrace::resolve(address, |symbol| {
                let (Some(name), Some(file), Some(line)) =
                    (symbol.name(), symbol.filename(), symbol.lineno())
                else {
                    return;
                };
                // Where the standard library (and the test harness) starts
                // running the program's code: every frame further out is
                // the runtime's or the C library's.
                let function = format!("{name:#}"); // without the hash suffix
                if function.contains("__rust_begin_short_backtrace") {
                    beyond_program = true;
                    return;
                }
                if is_lab(file) {
                    frames.lab_located = true;
                    return;
                }
                let Some(file) = in_project(file, &roots) else {
                    return;
                };
                if frames.program.len() < limit && !is_runtime(&function) {
                    let column = symbol.colno().unwrap_or(0);
                    let frame = format!("{function} ({}:{line}:{column})", file.display());
                    frames.program.push(frame);
                }
            });
        }
        frames
    }
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
fn in_project<'a>(file: &'a Path, roots: &[PathBuf]) -> Option<&'a Path> {
    if file.is_relative() {
        return roots
            .iter()
            .any(|root| root.join(file).is_file())
            .then_some(file);
    }
    roots.iter().find_map(|root| file.strip_prefix(root).ok())
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
