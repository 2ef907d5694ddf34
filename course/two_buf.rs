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
// cannot be had, and stable Rust does not yet tell them apart.
impl From<TryReserveError> for TwoBufError {
    fn from(_: TryReserveError) -> Self {
        TwoBufError::OutOfMemory
    }
}
// ANCHOR_END: error_type

// A full arena (chapter 6) is out of memory too.
impl From<bumpalo::AllocErr> for TwoBufError {
    fn from(_: bumpalo::AllocErr) -> Self {
        TwoBufError::OutOfMemory
    }
}

// The `Vec` of allocator-api2 (chapter 7) has its own reservation error.
impl From<allocator_api2::collections::TryReserveError> for TwoBufError {
    fn from(_: allocator_api2::collections::TryReserveError) -> Self {
        TwoBufError::OutOfMemory
    }
}

// What the lab's check_all_allocation_failures asks of an error: whether it
// means that the memory could not be had.
impl course::lab::OutOfMemory for TwoBufError {
    fn is_out_of_memory(&self) -> bool {
        matches!(self, TwoBufError::OutOfMemory)
    }
}
