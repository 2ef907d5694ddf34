//! The check of exercise ch03_predict_trace: `cargo exercise ch03_predict_trace`.

use std::process::ExitCode;

use course::errdefer::alloc_two_raw;
use course::lab::{trace, with_failure_at};
use course_exercises::{Grader, grade};

course_exercises::check_program!("ch03_predict_trace");

fn main() -> ExitCode {
    grade("ch03_predict_trace", |grader| {
        let ((), too_large) = trace::record(|| drop(alloc_two_raw(20)));
        compare(
            grader,
            "TOO_LARGE",
            answer::TOO_LARGE,
            &too_large.to_string(),
        );
        let ((), b_fails) = trace::record(|| {
            let (result, _) = with_failure_at(1, || alloc_two_raw(5));
            drop(result);
        });
        compare(grader, "B_FAILS", answer::B_FAILS, &b_fails.to_string());
    })
}

/// Compares a prediction with the trace, line by line, spaces aside.
fn compare(grader: &mut Grader, name: &str, predicted: &str, traced: &str) {
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|line| !line.is_empty())
            .collect()
    };
    let (predicted, traced) = (lines(predicted), lines(traced));
    let first_difference =
        (0..predicted.len().max(traced.len())).find(|&i| predicted.get(i) != traced.get(i));
    let shown =
        |line: Option<&String>| line.map_or("no line".to_string(), |line| format!("{line:?}"));
    grader.check(
        first_difference.is_none(),
        &format!(
            "{name}: every one of its {} lines is what the trace shows",
            traced.len()
        ),
        || {
            let i = first_difference.unwrap();
            format!(
                "{name}, line {}: you predicted {}, the trace says {}",
                i + 1,
                shown(predicted.get(i)),
                shown(traced.get(i))
            )
        },
    );
}
