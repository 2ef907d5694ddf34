// ANCHOR: error_type
use std::collections::TryReserveError;
use std::fmt;

/// Everything that can go wrong while acquiring the two buffers.
#[derive(Debug, PartialEq, Eq)]
pub enum TwoBufError {
    /// More elements were requested than the function accepts.
    TooLarge { requested: usize, limit: usize },
    /// The memory could not be had: the allocator refused it, or the size
    /// in bytes does not fit in `isize` (a capacity overflow, refused
    /// before any allocator is asked).
    OutOfMemory,
}

impl fmt::Display for TwoBufError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TwoBufError::TooLarge { requested, limit } => {
                write!(f, "{requested} elements requested, the limit is {limit}")
            }
            TwoBufError::OutOfMemory => f.write_str("out of memory"),
        }
    }
}

impl std::error::Error for TwoBufError {}

// This impl is what lets `?` turn a failed `try_reserve` into our error.
// Both of its causes (allocator refused, capacity overflow) mean the memory
// cannot be had: one variant serves.
impl From<TryReserveError> for TwoBufError {
    fn from(_: TryReserveError) -> Self {
        TwoBufError::OutOfMemory
    }
}
// ANCHOR_END: error_type
