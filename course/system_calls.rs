//! Chapter 8: every system call of the save goes through one seam,
//! [`Calls`], as every allocation goes through the allocator. The tool
//! passes [`Direct`], which makes each call as it is; a test passes
//! [`FailingAt`], which fails one chosen call with the error a real system
//! gives for it (ENOSPC for a write, EIO for an fsync, ...).
//! [`check_all_call_failures`] fails each call of a run in turn: the I/O
//! twin of the lab's `check_all_allocation_failures`.

use std::cell::Cell;
use std::fmt;
use std::io;

use rustix::io::Errno;

/// A system call of the save, by its name in the manual.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Open,
    Fstat,
    Statat,
    Read,
    Write,
    Fsync,
    Fchown,
    Fchmod,
    Flistxattr,
    Fgetxattr,
    Fsetxattr,
    Fremovexattr,
    Linkat,
    Renameat,
    Unlinkat,
    Close,
}

impl Call {
    /// The error a real system gives for this call when it fails for a
    /// reason the caller cannot prevent: a full disk for what writes, a
    /// failing disk for what syncs, no permission for what asks for it.
    pub fn realistic_error(self) -> Errno {
        match self {
            Call::Open | Call::Statat => Errno::ACCESS,
            Call::Write | Call::Linkat => Errno::NOSPC,
            Call::Fchown | Call::Fchmod | Call::Fremovexattr => Errno::PERM,
            Call::Fsetxattr => Errno::NOTSUP,
            Call::Renameat | Call::Unlinkat => Errno::BUSY,
            Call::Fstat
            | Call::Read
            | Call::Fsync
            | Call::Flistxattr
            | Call::Fgetxattr
            | Call::Close => Errno::IO,
        }
    }
}

/// The name of an error number the seam gives, as the manual writes it.
pub fn errno_name(errno: Errno) -> &'static str {
    const NAMES: [(Errno, &str); 9] = [
        (Errno::ACCESS, "EACCES"),
        (Errno::NOSPC, "ENOSPC"),
        (Errno::PERM, "EPERM"),
        (Errno::NOTSUP, "ENOTSUP"),
        (Errno::BUSY, "EBUSY"),
        (Errno::IO, "EIO"),
        (Errno::EXIST, "EEXIST"),
        (Errno::OPNOTSUPP, "EOPNOTSUPP"),
        (Errno::INTR, "EINTR"),
    ];
    NAMES
        .iter()
        .find(|(number, _)| *number == errno)
        .map_or("an error", |(_, name)| name)
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = format!("{self:?}").to_lowercase();
        f.write_str(&name)
    }
}

/// The seam: the save makes each system call as `calls.make(Call::Write,
/// || rustix::io::write(fd, bytes))`.
pub trait Calls {
    /// Makes `call` by running `run`, or fails it without running it.
    fn make<T>(&self, call: Call, run: impl FnOnce() -> rustix::io::Result<T>) -> io::Result<T>;

    /// Whether an unnamed temporary file (`O_TMPFILE`) may be tried: a test
    /// says no, to check the named file the save falls back to.
    fn unnamed_temporary_files(&self) -> bool {
        true
    }

    /// The random letters and digits of the next temporary name: a test
    /// chooses them, to take that name before the save tries it, as no one
    /// else can.
    fn random_chars(&self) -> [u8; crate::temp_name::RANDOM_CHARS] {
        crate::temp_name::random_chars()
    }
}

/// The calls as they are: what the tool uses.
#[derive(Debug, Clone, Copy, Default)]
pub struct Direct;

impl Calls for Direct {
    fn make<T>(&self, _: Call, run: impl FnOnce() -> rustix::io::Result<T>) -> io::Result<T> {
        Ok(run()?)
    }
}

/// Makes every call as it is but one, which fails with its
/// [`Call::realistic_error`]; counts the calls made.
#[derive(Debug, Default)]
pub struct FailingAt {
    point: Option<usize>,
    first_of: Option<Call>,
    made: Cell<usize>,
    failed: Cell<Option<Call>>,
    named_only: bool,
}

impl FailingAt {
    /// Fails the call numbered `point` (the first is 0).
    pub fn new(point: usize) -> FailingAt {
        FailingAt {
            point: Some(point),
            ..FailingAt::default()
        }
    }

    /// Fails the first call of kind `call`: `FailingAt::first(Call::Write)`
    /// is a full disk.
    pub fn first(call: Call) -> FailingAt {
        FailingAt {
            first_of: Some(call),
            ..FailingAt::default()
        }
    }

    /// Fails nothing, and counts.
    pub fn never() -> FailingAt {
        FailingAt::default()
    }

    /// As if the file system had no unnamed temporary files: `O_TMPFILE`
    /// is refused with EOPNOTSUPP, and that refusal is not counted.
    pub fn without_unnamed_files(mut self) -> FailingAt {
        self.named_only = true;
        self
    }

    /// How many calls were made (or failed).
    pub fn calls_made(&self) -> usize {
        self.made.get()
    }

    /// The call that was failed, if the run got that far.
    pub fn failed(&self) -> Option<Call> {
        self.failed.get()
    }
}

impl Calls for FailingAt {
    fn make<T>(&self, call: Call, run: impl FnOnce() -> rustix::io::Result<T>) -> io::Result<T> {
        let number = self.made.get();
        self.made.set(number + 1);
        let chosen = match self.first_of {
            Some(kind) => kind == call && self.failed.get().is_none(),
            None => self.point == Some(number),
        };
        if chosen {
            self.failed.set(Some(call));
            return Err(call.realistic_error().into());
        }
        Ok(run()?)
    }

    fn unnamed_temporary_files(&self) -> bool {
        !self.named_only
    }
}

/// What [`check_all_call_failures`] saw at one failure point.
#[derive(Debug)]
pub struct Failure<R> {
    /// The number of the call failed (from 0).
    pub point: usize,
    /// The call failed.
    pub call: Call,
    /// What the run returned.
    pub result: R,
}

/// Runs `run` once with every call as it is, to count its calls, then once
/// per call, failing that call, and hands each run's result to `check`,
/// which panics if the run did not clean up as it should. Returns how many
/// failure points there were. `seam` makes the [`FailingAt`] for a point
/// (`FailingAt::new`, or with `without_unnamed_files`).
pub fn check_all_call_failures<R>(
    seam: impl Fn(Option<usize>) -> FailingAt,
    mut run: impl FnMut(&FailingAt) -> R,
    mut check: impl FnMut(Failure<R>),
) -> usize {
    let counting = seam(None);
    drop(run(&counting));
    let points = counting.calls_made();
    for point in 0..points {
        let calls = seam(Some(point));
        let result = run(&calls);
        let call = calls.failed().unwrap_or_else(|| {
            panic!(
                "call {point} of {points} was never made: the run makes its calls \
                 in a different order each time"
            )
        });
        check(Failure {
            point,
            call,
            result,
        });
    }
    points
}

/// A [`FailingAt`] for `point`, or one that fails nothing: the `seam` of
/// [`check_all_call_failures`] for a file system with unnamed files.
pub fn failing_at(point: Option<usize>) -> FailingAt {
    point.map_or_else(FailingAt::never, FailingAt::new)
}
