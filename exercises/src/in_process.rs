//! Every allocation failed in turn without a child process: fast enough to
//! try many inputs. An answer that aborts on a failed allocation ends the
//! check program, and the runner says what the check was running (the
//! input and the allocation); the lab's child processes, which report that
//! abort with the allocation's place, are for a few inputs only (see
//! `Grader::every_allocation_failure`).

use std::fmt::{Debug, Write as _};
use std::panic::{self, AssertUnwindSafe};

use course::lab::{OutOfMemory, check_leaks, count_allocations, with_failure_at};

use crate::Grader;
use crate::grader::{ShortText, checking, last_panic, site};

/// What a run with one allocation failing gave, judged inside its leak
/// check (on the stack: nothing it keeps counts as the answer's leak).
enum Judged {
    OutOfMemory,
    Ok(ShortText),
    OtherError(ShortText),
    Panicked,
}

impl Grader {
    /// For each of `inputs`, fails each allocation of `f(input)` in turn,
    /// here: every run must return an out-of-memory error and leak
    /// nothing. The first that does not is one problem, said with `call`
    /// (the call on that input). Returns whether all did.
    pub fn every_allocation_failure_of<I, T: Debug, E: OutOfMemory + Debug>(
        &mut self,
        what: &str,
        call: &dyn Fn(&I) -> String,
        inputs: impl IntoIterator<Item = I>,
        f: impl Fn(&I) -> Result<T, E>,
    ) -> bool {
        let mut tried = 0;
        for input in inputs {
            let shown = call(&input);
            self.report
                .running(&format!("{shown}, counting its allocations"));
            let Ok((_, count)) = checking(|| {
                panic::catch_unwind(AssertUnwindSafe(|| count_allocations(|| drop(f(&input)))))
            }) else {
                self.problems
                    .push(format!("{shown} panicked: {}", last_panic()));
                return false;
            };
            for index in 0..count.attempts {
                let number = index + 1;
                self.report
                    .running(&format!("{shown} with its allocation #{number} failing"));
                let (judged, report) = checking(|| {
                    check_leaks(|| {
                        let (result, _) = with_failure_at(index, || {
                            panic::catch_unwind(AssertUnwindSafe(|| f(&input)))
                        });
                        match result {
                            Err(_) => Judged::Panicked,
                            Ok(Err(error)) if error.is_out_of_memory() => Judged::OutOfMemory,
                            Ok(Err(error)) => {
                                let mut text = ShortText::default();
                                let _ = write!(text, "Err({error:?})");
                                Judged::OtherError(text)
                            }
                            Ok(Ok(value)) => {
                                let mut text = ShortText::default();
                                let _ = write!(text, "Ok({value:?})");
                                Judged::Ok(text)
                            }
                        }
                    })
                });
                let when = format!("{shown}, when its allocation #{number} failed");
                let problem = match judged {
                    // The panic's own blocks are the standard library's:
                    // the panic alone is the problem.
                    Judged::Panicked => Some(format!("{when}: panicked: {}", last_panic())),
                    Judged::Ok(text) => Some(format!(
                        "{when}: returned {}, not an out-of-memory error",
                        text.as_str()
                    )),
                    Judged::OtherError(text) => Some(format!(
                        "{when}: returned {}, not an out-of-memory error",
                        text.as_str()
                    )),
                    Judged::OutOfMemory if !report.is_clean() => Some(match report.leaks.first() {
                        Some(leak) => format!(
                            "{when}: a block of {} bytes was never freed, allocated {}",
                            leak.size,
                            site(leak)
                        ),
                        None => format!("{when}: {}", report.summary()),
                    }),
                    Judged::OutOfMemory => None,
                };
                if let Some(problem) = problem {
                    self.problems.push(problem);
                    return false;
                }
            }
            tried += 1;
        }
        self.passed.push(format!(
            "{what}: on {tried} inputs, each allocation failed in turn: out of memory, \
             nothing leaked"
        ));
        true
    }
}
