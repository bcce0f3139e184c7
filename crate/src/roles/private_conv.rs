//! The mitigations' private first convolution layer: the client's own filters (client in the
//! loop, FHIPE), for the CNN.
//!
//! Like [`super::PrivateLayer`], it is a secret: drawn from the OS/browser CSPRNG, trained by the
//! client, and what leaves it is only what the protocol sends — the feature maps `Z = conv(X)`
//! (client in the loop) or FHIPE keys for its quantised filters (FHIPE). No `Clone`, no
//! `Serialize`, a redacted `Debug`, and no public accessor for the filters.

use crate::nn::cnn::{sgd_filters, Cnn, Im2col};
use crate::nn::conv::ConvShape;
use crate::{Error, Result};
use ndarray::{Array2, ArrayView2};
use rand::RngCore;
use rand_core::OsRng;

/// The client's private filters (`k × C·r·r`).
pub struct PrivateConv {
    im2col: Im2col,
    filters: Array2<f32>,
}

impl std::fmt::Debug for PrivateConv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (k, t) = self.filters.dim();
        write!(f, "PrivateConv {{ {k}×{t}, filters: <redacted> }}")
    }
}

impl PrivateConv {
    /// Draw the filters with the public recipe (He-normal, as [`Cnn::new`]) from a seed taken
    /// from the OS CSPRNG: nobody else can recompute them.
    pub fn draw(shape: ConvShape) -> Result<Self> {
        let mut seed = [0u8; 8];
        OsRng
            .try_fill_bytes(&mut seed)
            .map_err(|e| Error::invalid(format!("OS random generator: {e}")))?;
        let net = Cnn::new(shape, u64::from_le_bytes(seed))?;
        Ok(Self {
            im2col: net.im2col().clone(),
            filters: net.filters().clone(),
        })
    }

    /// **Replay only**: given filters (e.g. the public seed's, for like-for-like comparisons) —
    /// a server that knows that seed knows these filters.
    #[cfg(feature = "replay")]
    pub fn replay(shape: ConvShape, filters: Array2<f32>) -> Result<Self> {
        if filters.dim() != (shape.filters, shape.patch_len()) {
            return Err(Error::invalid("replayed filters of the wrong shape"));
        }
        Ok(Self {
            im2col: Im2col::new(shape)?,
            filters,
        })
    }

    /// The geometry.
    pub fn shape(&self) -> &ConvShape {
        self.im2col.shape()
    }

    /// `Z = conv(X)` for pixels in `[0, 1]` (`m × k·P`) — what client in the loop sends.
    pub fn forward(&self, x: ArrayView2<f32>) -> Result<Array2<f32>> {
        self.im2col.conv_real(x, self.filters.view())
    }

    /// `F ← F − lr·dF` from the `δ` the server returned.
    pub fn update(&mut self, delta: ArrayView2<f32>, x: ArrayView2<f32>, lr: f32) -> Result<()> {
        let df = self.im2col.filter_gradient(delta, x)?;
        sgd_filters(&mut self.filters, df.view(), lr)
    }

    /// The secret itself: for the client's own key issuing (FHIPE) and the experimenter's
    /// evaluation of the assembled model, never for a party's view.
    pub(crate) fn filters(&self) -> &Array2<f32> {
        &self.filters
    }
}
