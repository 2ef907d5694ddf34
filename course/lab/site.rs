//! Where an allocation came from.
//!
//! The allocator captures the stack of every allocation it watches, so the
//! capture must be cheap and allocate nothing. The standard library's
//! `Backtrace::force_capture` takes a lock that the runtime may already hold
//! when it allocates (while reporting an allocation failure, for one), which
//! would deadlock. Here the stack is only walked into a fixed array;
//! symbols are looked up later, when a report is printed.

use std::ffi::c_void;

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
    /// `function (file:line:col)` with paths relative to the current
    /// directory. Empty without debug information (a `--release` build).
    pub(super) fn program_frames(&self, limit: usize) -> Vec<String> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let mut frames = Vec::new();
        for &address in &self.addresses[..self.len] {
            backtrace::resolve(address, |symbol| {
                let (Some(name), Some(file), Some(line)) =
                    (symbol.name(), symbol.filename(), symbol.lineno())
                else {
                    return;
                };
                let file = file.strip_prefix(&cwd).unwrap_or(file);
                let function = format!("{name:#}"); // without the hash suffix
                if frames.len() < limit && belongs_to_program(&function, file) {
                    let column = symbol.colno().unwrap_or(0);
                    frames.push(format!("{function} ({}:{line}:{column})", file.display()));
                }
            });
        }
        frames
    }
}

/// A frame is the program's if its source file is in the current
/// directory (the project), outside the lab, and not a runtime function.
fn belongs_to_program(function: &str, file: &std::path::Path) -> bool {
    let in_project = file.is_relative() && file.is_file();
    let runtime = ["std::", "core::", "alloc::", "<alloc::", "<core::", "<std::"]
        .iter()
        .any(|prefix| function.starts_with(prefix))
        // The allocator shims: `__rust_alloc`, or `_::__rust_alloc` (Miri).
        || function.rsplit("::").next().is_some_and(|f| f.starts_with("__rust"));
    in_project && !file.starts_with("course/lab") && !runtime
}
