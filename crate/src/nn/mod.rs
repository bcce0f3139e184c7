//! The multi-layer perceptron being trained: 784-h-10, one hidden layer (ReLU or sigmoid),
//! softmax cross-entropy, mini-batch SGD with deterministic seeds.
//!
//! The network is split where the protocols split it: the first layer `Z1 = X·W1ᵀ` is the part
//! that functional encryption computes (or the client, in the mitigations); everything after it —
//! `b1`, the activation, the second layer, the loss and back-propagation down to `δ1 = ∂L/∂Z1` —
//! is [`Mlp::head`] and [`Mlp::backward`], which the server runs in plaintext. The first-layer
//! gradient `dW1 = δ1ᵀ·X` is again a product with the private data.
//!
//! - [`activation`] — ReLU and sigmoid.
//! - [`mlp`] — the parameters, the forward/backward split, serialisation.
//! - [`train`] — plaintext mini-batch SGD over MNIST (the reference every protocol is compared to).
//! - [`cnn`] — the small CNN (conv → ReLU → pool → dense) trained over FE.
//! - `loss` — softmax, cross-entropy and the plain SGD step both networks share.
//! - [`optim`] — the CNN's learning-rate schedule.
//! - [`quantize`] — the fixed-point encoding FE needs, and its bounds.

pub mod activation;
pub mod cnn;
pub mod conv;
mod loss;
pub mod mlp;
pub mod optim;
pub mod quantize;
pub mod train;

pub use activation::Activation;
pub use mlp::{Forward, Gradients, Mlp};
pub use quantize::Quantization;
pub use train::{batch_pixels, EpochStats, Sgd};
