// family: wrong-elsewhere
// wrong because: any run of more than 20 digits is TooLarge, so "000000000000000000000005" is TooLarge instead of Ok(5).
// Written by a tester who had not read the check.
// expect: parse_count("0000000000000000000000005"): returned (Err(TooLarge { limit: 1000 }), allocating nothing), expected (Ok(5), allocating nothing)
pub const LIMIT: usize = 1000;
#[derive(Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    NotANumber,
    TooLarge { limit: usize },
}
pub fn parse_count(text: &str) -> Result<usize, CountError> {
    let t = text.trim();
    if t.is_empty() { return Err(CountError::Empty); }
    let digits = t.strip_prefix('+').unwrap_or(t);
    if !digits.is_empty() && digits.len() > 20 && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CountError::TooLarge { limit: LIMIT });
    }
    match t.parse::<usize>() {
        Ok(n) if n > LIMIT => Err(CountError::TooLarge { limit: LIMIT }),
        Ok(n) => Ok(n),
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => Err(CountError::TooLarge { limit: LIMIT }),
        Err(_) => Err(CountError::NotANumber),
    }
}
