//! The multi-layer perceptron being trained.
