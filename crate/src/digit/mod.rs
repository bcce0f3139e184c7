//! Turning a drawn canvas into an MNIST-like sample.

pub mod preprocess;

pub use preprocess::{preprocess_rgba, SIDE};
