//! Values copied out of a slice into a fixed array: what a check takes out
//! of a leak check must not be on the heap, or the lab would count it as
//! the answer's leak.

use std::fmt;

/// The length of a slice and up to `N` of its first values, kept inline.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Inline<T: Copy + Default, const N: usize> {
    len: usize,
    items: [T; N],
}

impl<T: Copy + Default, const N: usize> Inline<T, N> {
    /// `slice`'s length and its first `N` values (all of them, if it is
    /// no longer than that).
    pub fn of(slice: &[T]) -> Self {
        let mut items = [T::default(); N];
        let kept = slice.len().min(N);
        items[..kept].copy_from_slice(&slice[..kept]);
        Inline {
            len: slice.len(),
            items,
        }
    }
}

impl<T: Copy + Default + fmt::Debug, const N: usize> fmt::Debug for Inline<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kept = &self.items[..self.len.min(N)];
        if self.len <= N {
            write!(f, "{kept:?}")
        } else {
            let shown = format!("{kept:?}");
            write!(
                f,
                "{}, ... ({} items)]",
                shown.trim_end_matches(']'),
                self.len
            )
        }
    }
}
