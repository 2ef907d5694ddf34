//! A program installs the lab allocator only if it uses the lab. Readers
//! copy these programs; an allocator that watches every allocation, kept
//! where nothing reads what it saw, is a cost with no purpose.

use std::fs;

use crate::support::{example_names, root};

pub fn programs_install_the_lab_allocator_only_to_use_the_lab(chapter: &str) {
    let prefix = format!("{chapter}_");
    for name in example_names()
        .into_iter()
        .filter(|n| n.starts_with(&prefix))
    {
        let path = root().join("examples").join(format!("{name}.rs"));
        let source = fs::read_to_string(&path).unwrap();
        let installs = source.contains("#[global_allocator]");
        let uses = source
            .lines()
            .any(|line| line.starts_with("use course::lab::"));
        assert!(
            !installs || uses,
            "examples/{name}.rs installs the lab allocator but uses nothing of the lab \
             (no `use course::lab::...`): remove the #[global_allocator]"
        );
    }
}
