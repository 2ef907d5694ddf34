//! Helpers with no tie to the book: a panic the test expects, and a
//! command's output. The lab's tests use them too (lab/tests/support/).

/// The message of the panic that `f` must raise.
pub fn panic_message<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe) -> String {
    let payload = catch_expected(f).err().expect("expected a panic");
    panic_payload_text(&*payload)
}

std::thread_local! {
    /// Whether this thread runs code whose panic a test expects.
    static EXPECTING_PANIC: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `std::panic::catch_unwind` for a panic the test expects (it checks the
/// payload): the panic is not printed. With `RUST_BACKTRACE=1`, as many
/// readers have it, printing it would look up a backtrace, up to 0.4 s
/// each (the C library's debug information, where installed), and fill
/// the output of a failing test with panics that were meant to happen.
/// Every other panic is printed as usual.
pub fn catch_expected<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe) -> std::thread::Result<R> {
    static QUIET_WHEN_EXPECTED: std::sync::Once = std::sync::Once::new();
    QUIET_WHEN_EXPECTED.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !EXPECTING_PANIC.with(std::cell::Cell::get) {
                default(info);
            }
        }));
    });
    let outer = EXPECTING_PANIC.with(|expecting| expecting.replace(true));
    let result = std::panic::catch_unwind(f);
    EXPECTING_PANIC.with(|expecting| expecting.set(outer));
    result
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

/// The name the test harness gives the test function `test` of the module
/// whose `module_path!()` is `module`: its path without the crate's name
/// (`ch02_error_sets::NAME` in tests/chapters.rs).
pub fn test_name(module: &str, test: &str) -> String {
    match module.split_once("::") {
        Some((_, path)) => format!("{path}::{test}"),
        None => test.to_string(),
    }
}

/// The signal that ended a process, on Unix. Windows has no signals (a
/// process that aborts ends with a status: see [`aborted`]): `None`.
pub fn signal_of(status: &std::process::ExitStatus) -> Option<i32> {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt as _;
        status.signal()
    }
    #[cfg(not(unix))]
    {
        let _ = status;
        None
    }
}

/// Whether a process aborted (`std::process::abort`, as the standard
/// library's handler of a failed allocation does): on Unix, killed by
/// SIGABRT (6); on Windows, where Rust aborts with `__fastfail`, ended
/// with status 0xC0000409.
pub fn aborted(status: &std::process::ExitStatus) -> bool {
    if cfg!(windows) {
        status.code() == Some(0xC000_0409_u32 as i32)
    } else {
        signal_of(status) == Some(6)
    }
}

/// How [`aborted`] describes an abort, for a failing check's message.
pub const ABORTED: &str = "aborted (killed by SIGABRT, 6, on Unix; status 0xC0000409 on Windows)";
