//! Data augmentation the client applies to its own images before it encrypts them: random
//! horizontal flips and random crops of a zero-padded image (a shift by up to `pad` pixels each
//! way). The server sees only the augmented batch, so every protocol runs unchanged.
//!
//! The randomness is a ChaCha stream fixed by `(seed, epoch, batch)`: the same seed gives the
//! same augmented batches, run after run.

use super::ImageSet;
use crate::protocol::Batch;
use crate::{Error, Result};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Largest crop padding accepted (pixels each side).
pub const MAX_CROP_PAD: usize = 8;

const EXPECTED: &str = "expected none, or a comma list of flip, crop, cropN";

/// Which augmentations the client applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Augment {
    /// Mirror each image left–right with probability ½.
    pub flip: bool,
    /// Random crop of the image padded by this many zero pixels each side (0 = none).
    pub crop_pad: usize,
}

/// The geometry of one image: `channels × side × side`, channel-major (`CHW`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageShape {
    /// Colour channels.
    pub channels: usize,
    /// Height = width.
    pub side: usize,
}

impl ImageShape {
    /// Pixels per image.
    pub fn len(&self) -> usize {
        self.channels * self.side * self.side
    }

    /// True for an empty shape.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Augment {
    /// Parse `none` or a comma list of `flip`, `crop` (pad 4) and `cropN` (pad N, 1..=8).
    pub fn parse(s: &str) -> Result<Self> {
        let mut a = Self::default();
        if s == "none" {
            return Ok(a);
        }
        for part in s.split(',') {
            match part {
                "flip" => a.flip = true,
                "crop" => a.crop_pad = 4,
                p if p.starts_with("crop") => {
                    let n: usize = p[4..].parse().map_err(|_| {
                        Error::invalid(format!(
                            "augmentation {p:?}: expected cropN with N = 1..={MAX_CROP_PAD}"
                        ))
                    })?;
                    if !(1..=MAX_CROP_PAD).contains(&n) {
                        return Err(Error::invalid(format!(
                            "augmentation {p:?}: crop padding must be 1..={MAX_CROP_PAD}"
                        )));
                    }
                    a.crop_pad = n;
                }
                other => {
                    return Err(Error::invalid(format!(
                        "augmentation {other:?}: {EXPECTED}"
                    )))
                }
            }
        }
        Ok(a)
    }

    /// True when nothing is applied.
    pub fn is_none(&self) -> bool {
        !self.flip && self.crop_pad == 0
    }

    /// The canonical name (`none`, `flip`, `crop4`, `flip,crop2`, …).
    pub fn name(&self) -> String {
        let mut parts = Vec::new();
        if self.flip {
            parts.push("flip".to_string());
        }
        if self.crop_pad > 0 {
            parts.push(format!("crop{}", self.crop_pad));
        }
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(",")
        }
    }

    /// One image, augmented with draws from `rng`: first the crop (shift `dy, dx` ∈
    /// `[-pad, pad]`, zero fill), then the flip.
    pub fn image(&self, img: &[u8], shape: ImageShape, rng: &mut impl Rng) -> Result<Vec<u8>> {
        if img.len() != shape.len() {
            return Err(Error::invalid(format!(
                "augment: image of {} bytes, expected {}×{}×{}",
                img.len(),
                shape.channels,
                shape.side,
                shape.side
            )));
        }
        let s = shape.side as isize;
        let p = self.crop_pad as isize;
        let (dy, dx) = if p > 0 {
            (rng.gen_range(-p..=p), rng.gen_range(-p..=p))
        } else {
            (0, 0)
        };
        let flip = self.flip && rng.gen_bool(0.5);
        let mut out = vec![0u8; img.len()];
        for c in 0..shape.channels {
            let plane = c * shape.side * shape.side;
            for y in 0..s {
                let sy = y + dy;
                if !(0..s).contains(&sy) {
                    continue;
                }
                for x in 0..s {
                    let cx = if flip { s - 1 - x } else { x };
                    let sx = cx + dx;
                    if (0..s).contains(&sx) {
                        out[plane + (y * s + x) as usize] = img[plane + (sy * s + sx) as usize];
                    }
                }
            }
        }
        Ok(out)
    }

    /// Images `idx` of `set` as the client's batch `batch` of epoch `epoch`, augmented.
    pub fn batch(
        &self,
        set: &ImageSet,
        idx: &[usize],
        shape: ImageShape,
        seed: u64,
        epoch: usize,
        batch: usize,
    ) -> Result<Batch> {
        if self.is_none() {
            return set.batch(idx);
        }
        if set.dim() != shape.len() {
            return Err(Error::invalid(format!(
                "augment: images of {} bytes, expected {}×{}×{}",
                set.dim(),
                shape.channels,
                shape.side,
                shape.side
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(
            seed ^ 0xA5A5_0000_0000_0000
                ^ (epoch as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ (batch as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F),
        );
        let mut px = Vec::with_capacity(idx.len() * set.dim());
        let mut labels = Vec::with_capacity(idx.len());
        for &i in idx {
            px.extend(self.image(set.image(i)?, shape, &mut rng)?);
            labels.push(set.label(i)?);
        }
        let pixels = Array2::from_shape_vec((idx.len(), set.dim()), px)
            .map_err(|e| Error::invalid(format!("batch: {e}")))?;
        Batch::new(pixels, labels, idx.to_vec())
    }
}
