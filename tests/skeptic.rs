//! Compiles and runs every Rust block of the book, as the reader sees it
//! (build.rs expands the chapters and hands them to skeptic).

mod support;

include!(concat!(env!("OUT_DIR"), "/skeptic-tests.rs"));

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
