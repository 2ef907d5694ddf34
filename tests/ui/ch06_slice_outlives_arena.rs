use bumpalo::Bump;

fn main() {
    let numbers: &[i32];
    {
        let arena = Bump::new();
        numbers = arena.alloc_slice_copy(&[1, 2, 3]);
    } // the arena and all its memory are freed here
    println!("{numbers:?}");
}
