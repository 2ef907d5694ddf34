use bumpalo::Bump;

fn main() {
    let mut arena = Bump::new();
    let numbers = arena.alloc_slice_copy(&[1, 2, 3]);
    arena.reset(); // would hand the memory of `numbers` out again
    println!("{numbers:?}");
}
