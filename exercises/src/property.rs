//! Behaviour, not examples: the answer compared with a reference on the
//! inputs that matter for its types (the boundaries), then on generated
//! ones (proptest, from a fixed seed, so that a failure shows again on the
//! next run). A failure is reported on the smallest input that fails,
//! with what was expected and what was seen.

use std::fmt::Debug;
use std::panic::{self, AssertUnwindSafe};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use crate::Grader;
use crate::grader::{checking, last_panic, thread_left, threads_now};
use crate::report::Report;

/// The seed of every generated input: the same inputs on every run.
const SEED: [u8; 32] = *b"clean up exactly what you acquir";

/// A comparison of the answer with a reference.
pub struct Property<'a, I> {
    /// What is compared, for the report: `squares(n) for every n`.
    pub what: &'a str,
    /// The call on one input, as the report shows it: `squares(65537)`.
    pub call: &'a dyn Fn(&I) -> String,
    /// The inputs tried first, in order: the boundaries of the types, or
    /// every input of a small domain.
    pub boundaries: Vec<I>,
}

impl Grader {
    /// Checks that `answer` returns what `reference` returns on each of
    /// `property.boundaries`: every input of a domain small enough to try
    /// whole. The first failure is one problem; a panic of the answer is a
    /// failure too. Returns whether the answer agreed everywhere.
    pub fn agrees_on<I, O>(
        &mut self,
        property: Property<'_, I>,
        answer: impl Fn(&I) -> O,
        reference: impl Fn(&I) -> O,
    ) -> bool
    where
        O: PartialEq + Debug,
    {
        if !self.agrees_on_boundaries(&property, &answer, &reference) {
            return false;
        }
        self.passed.push(format!(
            "{}: the same as the reference on all {} of them",
            property.what,
            property.boundaries.len()
        ));
        true
    }

    /// Checks that `answer` returns what `reference` returns on every
    /// boundary of `property`, then on `cases` inputs drawn from
    /// `generated`. The first failure is one problem, on the smallest
    /// input proptest can find that still fails; a panic of the answer is
    /// a failure too. Returns whether the answer agreed everywhere.
    pub fn agrees<I, O>(
        &mut self,
        property: Property<'_, I>,
        generated: impl Strategy<Value = I>,
        cases: u32,
        answer: impl Fn(&I) -> O,
        reference: impl Fn(&I) -> O,
    ) -> bool
    where
        I: Clone + Debug,
        O: PartialEq + Debug,
    {
        if !self.agrees_on_boundaries(&property, &answer, &reference) {
            return false;
        }
        let config = Config {
            cases,
            failure_persistence: None,
            max_shrink_iters: 4096,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &SEED));
        let result = runner.run(&generated, |input| {
            compare(&self.report, property.call, &answer, &reference, &input)
                .map_err(TestCaseError::fail)
        });
        match result {
            Ok(()) => {
                self.passed.push(format!(
                    "{}: the same as the reference on {} boundary inputs and {cases} generated ones",
                    property.what,
                    property.boundaries.len()
                ));
                true
            }
            Err(TestError::Fail(reason, input)) => {
                self.problems.push(format!(
                    "{}: {}",
                    shown((property.call)(&input)),
                    reason.message()
                ));
                false
            }
            Err(TestError::Abort(reason)) => {
                self.problems.push(format!(
                    "{}: the generated inputs ran out ({}): tell the course",
                    property.what,
                    reason.message()
                ));
                false
            }
        }
    }

    /// The boundaries of `property`, in order, until one fails.
    fn agrees_on_boundaries<I, O: PartialEq + Debug>(
        &mut self,
        property: &Property<'_, I>,
        answer: &impl Fn(&I) -> O,
        reference: &impl Fn(&I) -> O,
    ) -> bool {
        for input in &property.boundaries {
            if let Err(problem) = compare(&self.report, property.call, answer, reference, input) {
                self.problems
                    .push(format!("{}: {problem}", shown((property.call)(input))));
                return false;
            }
        }
        true
    }
}

/// The answer and the reference on one input: what differs, if anything.
fn compare<I, O: PartialEq + Debug>(
    report: &Report,
    call: &dyn Fn(&I) -> String,
    answer: &impl Fn(&I) -> O,
    reference: &impl Fn(&I) -> O,
    input: &I,
) -> Result<(), String> {
    report.running(&shown(call(input)));
    let threads = threads_now();
    let seen = checking(|| panic::catch_unwind(AssertUnwindSafe(|| answer(input))));
    if let Some(problem) = thread_left(threads) {
        return Err(problem);
    }
    let Ok(seen) = seen else {
        return Err(format!("panicked: {}", last_panic()));
    };
    let expected = reference(input);
    if seen == expected {
        Ok(())
    } else {
        Err(difference(&seen, &expected))
    }
}

/// What differs between `seen` and `expected`: both in full when they are
/// short, else the stretch around the first character where they differ.
pub fn difference(seen: &impl Debug, expected: &impl Debug) -> String {
    let (seen, expected) = (format!("{seen:?}"), format!("{expected:?}"));
    if seen.len() <= 100 && expected.len() <= 100 {
        return format!("returned {seen}, expected {expected}");
    }
    let first = seen
        .char_indices()
        .zip(expected.chars())
        .find(|((_, a), b)| a != b)
        .map_or(seen.len().min(expected.len()), |((at, _), _)| at);
    let at = match item_at(&seen, first) {
        Some(item) => format!("item {item} of a list"),
        None => format!("character {first}"),
    };
    format!(
        "returned {}, expected {} (they first differ at {at})",
        around(&seen, first),
        around(&expected, first)
    )
}

/// Which item of the innermost list `text` (a `Debug` text) is at byte
/// `at`, counting from 0, if `at` is inside a list.
fn item_at(text: &str, at: usize) -> Option<usize> {
    // One entry per open bracket: a list's item count, or none for a
    // tuple or a struct, whose commas are not a list's.
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut in_string = false;
    for (i, c) in text.char_indices().take_while(|&(i, _)| i < at) {
        match c {
            '"' if !text[..i].ends_with('\\') => in_string = !in_string,
            _ if in_string => {}
            '[' => open.push(Some(0)),
            '(' | '{' => open.push(None),
            ']' | ')' | '}' => {
                open.pop();
            }
            ',' => {
                if let Some(Some(item)) = open.last_mut() {
                    *item += 1;
                }
            }
            _ => {}
        }
    }
    open.iter().rev().find_map(|item| *item)
}

/// `text` from 40 bytes before `at` to 40 after, the cuts marked.
fn around(text: &str, at: usize) -> String {
    let start = text.floor_char_boundary(at.saturating_sub(40));
    let end = text.ceil_char_boundary((at + 40).min(text.len()));
    let before = if start > 0 { "..." } else { "" };
    let after = if end < text.len() { "..." } else { "" };
    format!("{before}{}{after}", &text[start..end])
}

/// A call as the report shows it, cut to a line's length.
fn shown(call: String) -> String {
    if call.len() <= 160 {
        return call;
    }
    format!(
        "{}... ({} characters in all)",
        &call[..call.floor_char_boundary(150)],
        call.len()
    )
}
