//! The fixed-point flags that `train` (MLP) and `train --model cnn` share: how the weights and
//! the gradient levels are encoded as integers for FE, and the discrete-log bound.

use glasslayer::nn::Quantization;

/// `--weight-scale`, `--delta-levels`, `--bound`.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct FixedPoint {
    /// Weight scale S (weights are encoded as round(w·S)).
    #[arg(long, default_value_t = Quantization::default().weight_scale)]
    pub weight_scale: f32,
    /// Largest |δ| level of the gradient keys.
    #[arg(long, default_value_t = Quantization::default().delta_levels)]
    pub delta_levels: i64,
    /// Discrete-log bound: every decrypted value must be within ±bound.
    #[arg(long, default_value_t = Quantization::default().bound)]
    pub bound: u64,
}

impl FixedPoint {
    /// The encoding, with pixels in `pixel_levels` levels.
    pub fn quantization(self, pixel_levels: u32) -> Quantization {
        Quantization {
            pixel_levels,
            weight_scale: self.weight_scale,
            delta_levels: self.delta_levels,
            bound: self.bound,
        }
    }
}
