//! The check of exercise ch04_merge: `cargo exercise ch04_merge`.

use std::process::ExitCode;

use course::TwoBufError;
use course::lab::check_leaks;
use course::raw_buffer::RawBuffer;
use course_exercises::{Inline, Leaked, Property, grade};
use proptest::collection::vec;
use proptest::prelude::*;

course_exercises::check_program!("ch04_merge");
use answer::merge;

/// A buffer's contents, copied out of the leak check.
type Ints = Inline<i32, 2100>;

/// Values as a call shows them: in full when there are few.
fn shown(values: &[i32]) -> String {
    if values.len() <= 8 {
        format!("{values:?}")
    } else {
        format!(
            "{} values ({}, {}, ...)",
            values.len(),
            values[0],
            values[1]
        )
    }
}

/// The check makes A and B in functions of their own, so that a report
/// names the one the answer forgot: "(in a_made_by_the_check)".
fn a_made_by_the_check(values: &[i32]) -> Result<RawBuffer, TwoBufError> {
    let mut a = RawBuffer::alloc(values.len())?;
    a.as_mut_slice().copy_from_slice(values);
    Ok(a)
}

fn b_made_by_the_check(values: &[i32]) -> Result<RawBuffer, TwoBufError> {
    let mut b = RawBuffer::alloc(values.len())?;
    b.as_mut_slice().copy_from_slice(values);
    Ok(b)
}

/// A and B made, then merged.
fn merge_these(a: &[i32], b: &[i32]) -> Result<RawBuffer, TwoBufError> {
    let a = a_made_by_the_check(a)?;
    let b = match b_made_by_the_check(b) {
        Ok(b) => b,
        Err(error) => {
            a.free();
            return Err(error);
        }
    };
    merge(a, b)
}

/// What merging A and B gave (the result freed), and what leaked.
fn given(a: &[i32], b: &[i32]) -> (Result<Ints, TwoBufError>, Leaked) {
    let (result, report) = check_leaks(|| {
        merge_these(a, b).map(|merged| {
            let seen = Ints::of(merged.as_slice());
            merged.free();
            seen
        })
    });
    (result, Leaked::from(&report))
}

fn main() -> ExitCode {
    grade("ch04_merge", |grader| {
        // First, as the lab's child processes run the program again up to
        // each of these: every allocation failed in turn, the check's (A,
        // B) and merge's own.
        let blocks = [
            "A (made by the check)",
            "B (made by the check)",
            "merge's buffer",
        ];
        let pairs: [(&[i32], &[i32]); 2] = [
            (&[0, 1, 2, 3, 4], &[10, 11, 12, 13, 14]),
            (&[1, 2], &[3, 4, 5, 6]),
        ];
        let failures_ok = grader.each(pairs, |grader, (a, b)| {
            let what = format!("merge(A = {a:?}, B = {b:?})");
            grader.every_allocation_failure(&what, &blocks, || {
                merge_these(a, b).map(|merged| {
                    let seen = Ints::of(merged.as_slice());
                    merged.free();
                    seen
                })
            });
        });
        if !failures_ok {
            return;
        }

        // The place of every leak, on the inputs that matter most.
        let pairs: [(&[i32], &[i32]); 3] = [
            (&[0, 1, 2, 3, 4], &[10, 11, 12, 13, 14]),
            (&[], &[7]),
            (&[7], &[]),
        ];
        let leaks_ok = grader.each(pairs, |grader, (a, b)| {
            let what = format!("merge(A = {a:?}, B = {b:?}), then the caller frees the result");
            grader.without_leaks(&what, || merge_these(a, b).map(RawBuffer::free));
        });
        if !leaks_ok {
            return;
        }

        // Every pair of lengths up to 4, then lengths and values drawn at
        // random: A's values, then B's, and nothing leaked.
        let mut pairs = Vec::new();
        for la in 0..=4 {
            for lb in 0..=4 {
                let a: Vec<i32> = (1..=la).collect();
                let b: Vec<i32> = (0..lb).map(|i| -10 - i).collect();
                pairs.push((a, b));
            }
        }
        pairs.push((vec![i32::MIN, i32::MAX], vec![0; 40]));
        // Equal lengths, A's values repeated and above B's.
        pairs.push((vec![5, 5, 5], vec![1, 2, 3]));
        pairs.push((vec![9; 8], vec![-9; 8]));
        // Lengths past what a u8 counts, and long ones on either side.
        let long = |len: i32| (0..len).collect::<Vec<i32>>();
        for (la, lb) in [
            (256, 1),
            (257, 300),
            (1, 256),
            (65, 70),
            (300, 0),
            (0, 300),
            (400, 0),
            (700, 300),
            (1000, 1),
            (1, 1000),
        ] {
            pairs.push((long(la), long(lb).iter().map(|v| -v).collect()));
        }
        grader.agrees(
            Property {
                what: "merge(A, B) for A and B of any lengths (up to 1000) and values",
                call: &|(a, b): &(Vec<i32>, Vec<i32>)| {
                    format!("merge(A = {}, B = {})", shown(a), shown(b))
                },
                boundaries: pairs,
            },
            {
                let values = || {
                    prop_oneof![
                        vec(any::<i32>(), 0..48),
                        vec(any::<i32>(), 0..300),
                        vec(any::<i32>(), 0..1000)
                    ]
                };
                (values(), values())
            },
            150,
            |(a, b)| given(a, b),
            |(a, b)| {
                let merged: Vec<i32> = a.iter().chain(b).copied().collect();
                (Ok(Ints::of(&merged)), Leaked::NOTHING)
            },
        );

        // Each allocation failed in turn, here, for A and B of many
        // lengths each: longer, shorter, the same, empty.
        let sizes = [0, 1, 2, 3, 5, 8, 13, 64, 65, 300, 1000];
        let pairs: Vec<(Vec<i32>, Vec<i32>)> = sizes
            .iter()
            .flat_map(|&la| sizes.iter().map(move |&lb| (long(la), long(lb))))
            .collect();
        grader.every_allocation_failure_of(
            "merge(A, B) for A and B of 0 to 1000 values each",
            &|(a, b): &(Vec<i32>, Vec<i32>)| format!("merge(A = {}, B = {})", shown(a), shown(b)),
            pairs,
            |(a, b)| {
                merge_these(a, b).map(|merged| {
                    let seen = Ints::of(merged.as_slice());
                    merged.free();
                    seen
                })
            },
        );
    })
}
