//! Where an allocation came from.
//!
//! The allocator captures the stack of every allocation it watches, so the
//! capture must be cheap, take no lock and allocate nothing: the standard
//! library's `Backtrace::force_capture` takes a lock that the runtime may
//! already hold when it allocates (while reporting an allocation failure,
//! for one), which would deadlock. `backtrace::trace_unsynchronized` only
//! walks the stack into a fixed array here; symbols are looked up later,
//! when a report is printed.

/// How many return addresses a captured stack keeps, innermost first.
const DEPTH: usize = 48;

/// The return addresses of a stack, captured without allocating.
#[derive(Clone, Copy)]
pub(super) struct Stack {
    addresses: [usize; DEPTH],
    len: usize,
}

impl Stack {
    /// The stack of the caller.
    pub(super) fn capture() -> Stack {
        let mut stack = Stack {
            addresses: [0; DEPTH],
            len: 0,
        };
        // SAFETY: `trace_unsynchronized` is unsafe only because some
        // platforms' unwinders are not thread-safe and need the lock that
        // `backtrace::trace` takes; on the platforms this course supports
        // (Linux, with libgcc's thread-safe `_Unwind_Backtrace`) concurrent
        // use is sound. The closure only writes into `stack`.
        unsafe {
            backtrace::trace_unsynchronized(|frame| {
                stack.addresses[stack.len] = frame.ip() as usize;
                stack.len += 1;
                stack.len < DEPTH
            });
        }
        stack
    }

    /// Frames of the stack that belong to the program, innermost first, as
    /// `function (file:line:col)` with paths relative to the current
    /// directory. Empty without debug information (a `--release` build).
    pub(super) fn program_frames(&self, limit: usize) -> Vec<String> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let mut frames = Vec::new();
        for &address in &self.addresses[..self.len] {
            backtrace::resolve(address as *mut std::ffi::c_void, |symbol| {
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
    let runtime = [
        "std::", "core::", "alloc::", "<alloc::", "<core::", "<std::", "__rust",
    ]
    .iter()
    .any(|prefix| function.starts_with(prefix));
    in_project && !file.starts_with("course/lab") && !runtime
}
