//! The check of exercise ch04_reuse_buffer: `cargo exercise ch04_reuse_buffer`.

use std::fmt;
use std::process::ExitCode;

use course::lab::{check_leaks, count_allocations};
use course_exercises::{Inline, Property, grade};
use proptest::collection::vec;
use proptest::prelude::*;

course_exercises::check_program!("ch04_reuse_buffer");
use answer::keep_evens;

/// What a call gave: the values, and how it treated the caller's block.
#[derive(PartialEq)]
struct Kept {
    values: Inline<i32, 6000>,
    allocations: u64,
    same_block: bool,
    leaked: bool,
}

impl fmt::Debug for Kept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.values)?;
        if self.allocations > 0 {
            let blocks = if self.allocations == 1 {
                "block"
            } else {
                "blocks"
            };
            write!(f, ", allocating {} {blocks}", self.allocations)?;
        } else {
            write!(f, ", allocating nothing")?;
        }
        if !self.same_block {
            write!(f, ", in another block than the caller's")?;
        }
        if self.leaked {
            write!(f, ", leaking")?;
        }
        Ok(())
    }
}

/// `keep_evens` on a vector of `values`: a vector received by value is
/// given back, its odd numbers gone, in its own block, with no allocation.
fn given(values: &[i32]) -> Kept {
    let (kept, report) = check_leaks(|| {
        let values = values.to_vec();
        let block = values.as_ptr();
        let has_block = values.capacity() > 0;
        let (evens, count) = count_allocations(|| keep_evens(values));
        Kept {
            values: Inline::of(&evens),
            allocations: count.attempts,
            same_block: !has_block || evens.as_ptr() == block,
            leaked: false,
        }
    });
    Kept {
        leaked: !report.is_clean(),
        ..kept
    }
}

fn main() -> ExitCode {
    grade("ch04_reuse_buffer", |grader| {
        let boundaries: Vec<Vec<i32>> = vec![
            vec![1, 2, 3, 4, 5, 6],
            vec![],
            vec![1],
            vec![2],
            vec![0],
            vec![2, 4, 6],
            vec![1, 3, 5],
            vec![-4, -3, -2, -1, 0, 1, 2, 3],
            vec![i32::MIN, i32::MAX, i32::MIN + 1, i32::MAX - 1],
            vec![6, 5, 4, 3, 2, 1],
            vec![7, 7, 8, 8, 7, 8],
            (0..80).collect(),
            (-500..500).rev().collect(),
            // Long, and long with few evens (an answer may shrink those).
            (0..2000).collect(),
            (0..300)
                .map(|i| if i % 50 == 0 { 2 * i } else { 2 * i + 1 })
                .collect(),
            (0..6000)
                .map(|i| if i % 200 == 0 { 2 * i } else { 2 * i + 1 })
                .collect(),
            (0..6000).collect(),
            // Evens that repeat, small and large.
            vec![
                2,
                2,
                4,
                4,
                2_000_000,
                2_000_000,
                -2_000_000,
                -2_000_000,
                i32::MIN,
                i32::MIN,
            ],
        ];
        grader.agrees(
            Property {
                what: "keep_evens(values) for any values: the even ones, in order, in the \
                       caller's block, allocating nothing",
                call: &|values: &Vec<i32>| {
                    if values.len() <= 12 {
                        format!("keep_evens(vec!{values:?})")
                    } else {
                        format!(
                            "keep_evens of {} values ({:?}, ...)",
                            values.len(),
                            &values[..4]
                        )
                    }
                },
                boundaries,
            },
            prop_oneof![
                vec(any::<i32>(), 0..80),
                vec(any::<i32>(), 0..400),
                // Mostly odd.
                vec(
                    prop_oneof![9 => any::<i32>().prop_map(|v| v | 1), 1 => any::<i32>()],
                    0..400
                ),
            ],
            200,
            |values| given(values),
            |values| Kept {
                values: Inline::of(
                    &values
                        .iter()
                        .copied()
                        .filter(|v| v % 2 == 0)
                        .collect::<Vec<_>>(),
                ),
                allocations: 0,
                same_block: true,
                leaked: false,
            },
        );
    })
}
