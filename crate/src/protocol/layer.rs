//! The network as the protocols see it: a first layer that is split off (the MLP's dense `W1`,
//! the CNN's conv filters) and the server's head after it. The engines' steps are written once
//! over these traits ([`super::client_trains`], [`super::server_trains`]).
//!
//! | | MLP | CNN |
//! |---|---|---|
//! | [`Split`] (the setup) | [`Setup`] → [`ServerView`] | [`CnnSetup`] → [`CnnView`] |
//! | [`Head`] (the server's network) | [`Mlp`] | [`Cnn`] |
//! | the client's private first layer | [`PrivateLayer`] | [`PrivateConv`] |
//!
//! The client's private first layer is reached through a trait that cannot be named outside the
//! crate (`ClientLayer`): it gives the client's own code its weights, and nothing else can.

use super::cnn::{CnnSetup, CnnView};
use super::view::{ServerView, Traffic};
use super::{Batch, ProtocolKind, Setup};
use crate::nn::cnn::{Cnn, CnnForward, CnnGradients};
use crate::nn::{Forward, Gradients, Mlp, Quantization};
use crate::roles::{PrivateConv, PrivateLayer};
use crate::{Error, Result};
use ndarray::{Array2, ArrayView2};

/// The server's network after the first layer.
pub trait Head: Clone {
    /// What the head's forward pass keeps for back-propagation.
    type Forward;
    /// The gradients of one batch, `δ` of the first layer's outputs included.
    type Gradients: Backprop;
    /// From the first layer's outputs (`m × width`, no bias) to the class probabilities.
    fn head(&self, z: ArrayView2<f32>) -> Result<Self::Forward>;
    /// Back-propagation down to `δ = ∂L/∂Z`.
    fn backward(&self, fwd: &Self::Forward, labels: &[u8]) -> Result<Self::Gradients>;
    /// One SGD update of the head and, when given, of the first layer.
    fn apply(
        &mut self,
        dfirst: Option<ArrayView2<f32>>,
        g: &Self::Gradients,
        lr: f32,
    ) -> Result<()>;
    /// The first layer's weights as this copy of the network holds them.
    fn first(&self) -> &Array2<f32>;
    /// Replace the first layer's weights (same shape).
    fn set_first(&mut self, w: Array2<f32>) -> Result<()>;
}

/// What a step reports from back-propagation.
pub trait Backprop {
    /// `δ = ∂L/∂Z` (`m × width`).
    fn delta1(&self) -> &Array2<f32>;
    /// Mean batch loss.
    fn loss(&self) -> f32;
    /// Correct predictions in the batch.
    fn correct(&self) -> usize;
}

mod secret {
    use crate::Result;
    use ndarray::{Array2, ArrayView2};

    /// The client's private first layer: its plaintext forward pass, its update from the `δ`
    /// the server returns, and its weights for the client's own key issuing and the
    /// experimenter's evaluation. Not nameable outside the crate.
    pub trait ClientLayer {
        /// `Z` of pixels in `[0, 1]` (what client in the loop sends).
        fn forward(&self, x: ArrayView2<f32>) -> Result<Array2<f32>>;
        /// The client's SGD step from `δ`.
        fn update(&mut self, delta: ArrayView2<f32>, x: ArrayView2<f32>, lr: f32) -> Result<()>;
        /// The secret weights.
        fn weights(&self) -> &Array2<f32>;
    }
}
pub(crate) use secret::ClientLayer;

/// A network whose first layer the protocols split off; implemented by the setups.
pub trait Split: Copy {
    /// The server's network.
    type Net: Head;
    /// The mitigations' client's private first layer.
    type Private: ClientLayer;
    /// What the server held in one step.
    type View;
    /// The fixed-point encoding.
    fn quant(&self) -> Quantization;
    /// The batch fits the network.
    fn check_batch(&self, batch: &Batch) -> Result<()>;
    /// The server's model (and the client's layer, when there is one) fit the setup.
    fn check_parts(&self, model: &Self::Net, layer: Option<&Self::Private>) -> Result<()>;
    /// The step's view from what the server held.
    fn view(&self, held: Held) -> Self::View;
}

/// What the server held in one step, whatever the network.
pub struct Held {
    /// The protocol.
    pub protocol: ProtocolKind,
    /// 0-based step.
    pub step: usize,
    /// Training-set index of each row.
    pub sample_ids: Vec<usize>,
    /// `S` when `z` are decrypted integers.
    pub weight_scale: Option<f32>,
    /// The first layer's weights, when the server has them.
    pub weights: Option<Array2<f64>>,
    /// The first layer's outputs.
    pub z: Array2<f64>,
    /// `δ` as the server used it.
    pub delta: Array2<f64>,
    /// The first layer's gradient, when the server decrypted it.
    pub dweights: Option<Array2<f64>>,
    /// The labels.
    pub labels: Vec<u8>,
    /// Bytes per channel in this step.
    pub traffic: Traffic,
}

/// [`Head`], [`Backprop`] and `ClientLayer` of a network: its own methods, under the names the
/// engines use.
macro_rules! split_network {
    ($net:ty, $fwd:ty, $grad:ty, $private:ty, $first:ident, $set_first:ident) => {
        impl Head for $net {
            type Forward = $fwd;
            type Gradients = $grad;
            fn head(&self, z: ArrayView2<f32>) -> Result<$fwd> {
                <$net>::head(self, z)
            }
            fn backward(&self, fwd: &$fwd, labels: &[u8]) -> Result<$grad> {
                <$net>::backward(self, fwd, labels)
            }
            fn apply(&mut self, d: Option<ArrayView2<f32>>, g: &$grad, lr: f32) -> Result<()> {
                <$net>::apply(self, d, g, lr)
            }
            fn first(&self) -> &Array2<f32> {
                self.$first()
            }
            fn set_first(&mut self, w: Array2<f32>) -> Result<()> {
                self.$set_first(w)
            }
        }

        impl Backprop for $grad {
            fn delta1(&self) -> &Array2<f32> {
                &self.delta1
            }
            fn loss(&self) -> f32 {
                self.loss
            }
            fn correct(&self) -> usize {
                self.correct
            }
        }

        impl ClientLayer for $private {
            fn forward(&self, x: ArrayView2<f32>) -> Result<Array2<f32>> {
                <$private>::forward(self, x)
            }
            fn update(&mut self, d: ArrayView2<f32>, x: ArrayView2<f32>, lr: f32) -> Result<()> {
                <$private>::update(self, d, x, lr)
            }
            fn weights(&self) -> &Array2<f32> {
                self.$first()
            }
        }
    };
}

split_network!(Mlp, Forward, Gradients, PrivateLayer, w1, set_w1);
split_network!(
    Cnn,
    CnnForward,
    CnnGradients,
    PrivateConv,
    filters,
    set_filters
);

impl Split for Setup {
    type Net = Mlp;
    type Private = PrivateLayer;
    type View = ServerView;

    fn quant(&self) -> Quantization {
        self.quant
    }

    fn check_batch(&self, batch: &Batch) -> Result<()> {
        if batch.pixels.ncols() != self.input {
            return Err(Error::invalid(format!(
                "samples of {} pixels, the network takes {}",
                batch.pixels.ncols(),
                self.input
            )));
        }
        Ok(())
    }

    fn check_parts(&self, model: &Mlp, layer: Option<&PrivateLayer>) -> Result<()> {
        if model.input() != self.input || model.hidden() != self.hidden {
            return Err(Error::invalid(format!(
                "a {}-{} model for a {}-{} protocol",
                model.input(),
                model.hidden(),
                self.input,
                self.hidden
            )));
        }
        if layer.is_some_and(|l| l.dim() != (self.hidden, self.input)) {
            return Err(Error::invalid("the client's W1 does not match the setup"));
        }
        Ok(())
    }

    fn view(&self, held: Held) -> ServerView {
        ServerView {
            protocol: held.protocol,
            step: held.step,
            sample_ids: held.sample_ids,
            input: self.input,
            hidden: held.z.ncols(),
            pixel_levels: self.quant.pixel_levels,
            weight_scale: held.weight_scale,
            w1: held.weights,
            z1: held.z,
            delta1: held.delta,
            dw1: held.dweights,
            labels: Some(held.labels),
            traffic: held.traffic,
        }
    }
}

impl Split for CnnSetup {
    type Net = Cnn;
    type Private = PrivateConv;
    type View = CnnView;

    fn quant(&self) -> Quantization {
        self.quant
    }

    fn check_batch(&self, batch: &Batch) -> Result<()> {
        if batch.pixels.ncols() != self.shape.inputs() {
            return Err(Error::invalid(format!(
                "images of {} values, the network takes C·H·W = {}",
                batch.pixels.ncols(),
                self.shape.inputs()
            )));
        }
        Ok(())
    }

    fn check_parts(&self, model: &Cnn, layer: Option<&PrivateConv>) -> Result<()> {
        if model.shape() != &self.shape || layer.is_some_and(|l| l.shape() != &self.shape) {
            return Err(Error::invalid(match layer {
                Some(_) => "the client's filters do not match the setup",
                None => "the model does not match the setup's geometry",
            }));
        }
        Ok(())
    }

    fn view(&self, held: Held) -> CnnView {
        CnnView {
            protocol: held.protocol,
            step: held.step,
            sample_ids: held.sample_ids,
            shape: self.shape,
            pixel_levels: self.quant.pixel_levels,
            weight_scale: held.weight_scale,
            filters: held.weights,
            z: held.z,
            delta: held.delta,
            dfilters: held.dweights,
            labels: Some(held.labels),
            traffic: held.traffic,
        }
    }
}
