//! Where an allocation came from.
//!
//! The allocator captures the stack of every allocation it watches, so the
//! capture must be cheap and allocate nothing. The standard library's
//! `Backtrace::force_capture` takes a lock that the runtime may already hold
//! when it allocates (while reporting an allocation failure, for one), which
//! would deadlock. `backtrace::trace` only walks the stack into a fixed
//! array here; symbols are looked up later, when a report is printed.

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
        // `trace`, not `trace_unsynchronized`: the unsynchronized one is
        // sound only where the platform's unwinder is thread-safe, and the
        // lab runs wherever the reader does. `trace` takes backtrace's
        // lock, which is re-entrant on one thread, so an allocation made
        // while this thread resolves a report cannot deadlock here.
        backtrace::trace(|frame| {
            stack.addresses[stack.len] = frame.ip();
            stack.len += 1;
            stack.len < DEPTH
        });
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
