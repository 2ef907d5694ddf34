//! The check of exercise ch02_parse_count: `cargo exercise ch02_parse_count`.

use std::fmt;
use std::num::IntErrorKind;
use std::process::ExitCode;

use course::lab::count_allocations;
use course_exercises::{Property, grade};
use proptest::prelude::*;

course_exercises::check_program!("ch02_parse_count");
use answer::{CountError, LIMIT, parse_count};

/// How many allocations a call attempted, as the report shows it.
#[derive(PartialEq)]
struct Allocations(u64);

impl fmt::Debug for Allocations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => write!(f, "allocating nothing"),
            n => write!(f, "allocating {n} times (an error must not need memory)"),
        }
    }
}

/// What `parse_count` must return: the trimmed text read as an unsigned
/// number the way `str::parse` reads one, and any number above LIMIT,
/// however many digits it has, too large.
fn reference(text: &str) -> Result<usize, CountError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CountError::Empty);
    }
    match text.parse::<usize>() {
        Ok(count) if count <= LIMIT => Ok(count),
        Ok(_) => Err(CountError::TooLarge { limit: LIMIT }),
        Err(error) if *error.kind() == IntErrorKind::PosOverflow => {
            Err(CountError::TooLarge { limit: LIMIT })
        }
        Err(_) => Err(CountError::NotANumber),
    }
}

/// Texts at the edges: empty and blank, LIMIT and its neighbours, the
/// limits of every integer type and one past them, signs, leading zeros.
fn boundaries() -> Vec<String> {
    let mut texts: Vec<String> = [
        "7",
        " 42 ",
        "",
        "   ",
        "\t\n",
        "0",
        "1",
        "999",
        "1000",
        "1001",
        "abc",
        "-3",
        "-0",
        "+7",
        "+",
        "-",
        "1 000",
        "1e3",
        "1.0",
        "0x10",
        "0001000",
        "0001001",
        "٣",
        "99999999999999999999999",
        "1_0",
        "0000000000000000000000005",
        "000000000000000000000001001",
        "\u{3000}5",
        "5\u{2003}",
        "\u{a0}7\u{a0}",
        "7\r\n",
        "1 2",
        "１２",
        "+99999999999999999999999",
        "+1000",
        "+1001",
        "-99999999999999999999999",
        "٣",
    ]
    .map(String::from)
    .to_vec();
    // Every one-digit text, twice (an answer may count its calls), and
    // texts long enough to tempt an allocation.
    for digit in (0..10).chain(0..10) {
        texts.push(digit.to_string());
    }
    texts.push(format!("{}5", " ".repeat(100)));
    texts.push("9".repeat(80));
    texts.push(format!("{}7{}", " ".repeat(200), " ".repeat(200)));
    texts.push("x".repeat(400));
    texts.push(format!("{}1000", "0".repeat(70)));
    for limit in [
        u8::MAX as u128,
        u16::MAX as u128,
        u32::MAX as u128,
        u64::MAX as u128,
        i32::MAX as u128,
    ] {
        for near in [limit - 1, limit, limit + 1] {
            texts.push(near.to_string());
        }
    }
    texts
}

fn main() -> ExitCode {
    grade("ch02_parse_count", |grader| {
        let texts = prop_oneof![
            // Numbers, any size, with or without spaces around.
            (any::<u128>(), "[ \t]{0,2}", "[ \t]{0,2}").prop_map(|(n, a, b)| format!("{a}{n}{b}")),
            (0u32..2 * LIMIT as u32).prop_map(|n| n.to_string()),
            // Leading zeros, as many as you like.
            (0usize..40, 0u32..2 * LIMIT as u32)
                .prop_map(|(zeros, n)| format!("{}{n}", "0".repeat(zeros))),
            // Text that may or may not be a number, with every kind of space.
            "[ 0-9+_a\u{3000}\u{a0}\t\r\n-]{0,12}",
            // Signs before numbers of any size, digits of other scripts.
            ("[+-]?", any::<u128>()).prop_map(|(sign, n)| format!("{sign}{n}")),
            "[0-9０-９٠-٩]{1,4}",
        ];
        grader.agrees(
            Property {
                what: "parse_count(text) for every text",
                call: &|text: &String| format!("parse_count({text:?})"),
                boundaries: boundaries(),
            },
            texts,
            300,
            |text| {
                let (result, count) = count_allocations(|| parse_count(text));
                (result, Allocations(count.attempts))
            },
            |text| (reference(text), Allocations(0)),
        );
    })
}
