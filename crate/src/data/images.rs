//! A labelled image set of any shape (`C·H·W` bytes per image): what the CNN trains on, made from
//! MNIST (1×28×28) or the shipped CIFAR-10 images (3×32×32, colour).

use super::{Cifar10, Mnist};
use crate::protocol::Batch;
use crate::{Error, Result};
use ndarray::Array2;

/// Images of `dim` bytes each and their labels.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSet {
    dim: usize,
    pixels: Vec<u8>,
    labels: Vec<u8>,
}

impl ImageSet {
    /// A set from raw parts (checked).
    pub fn new(dim: usize, pixels: Vec<u8>, labels: Vec<u8>) -> Result<Self> {
        if dim == 0 || pixels.len() != dim.saturating_mul(labels.len()) {
            return Err(Error::invalid(format!(
                "{} bytes for {} images of {dim}",
                pixels.len(),
                labels.len()
            )));
        }
        Ok(Self {
            dim,
            pixels,
            labels,
        })
    }

    /// The first `n` images of an MNIST split (all when `n` is larger).
    pub fn from_mnist(data: &Mnist, n: usize) -> Result<Self> {
        let d = data.take(n);
        Self::new(
            crate::data::mnist::PIXELS,
            d.pixels().to_vec(),
            d.labels().to_vec(),
        )
    }

    /// CIFAR-10 images `range` in colour (`CHW`).
    pub fn from_cifar(data: &Cifar10, range: std::ops::Range<usize>) -> Result<Self> {
        let (mut pixels, mut labels) = (Vec::new(), Vec::new());
        for i in range {
            pixels.extend(data.color(i)?);
            labels.push(data.label(i)?);
        }
        Self::new(3 * crate::data::cifar::PIXELS, pixels, labels)
    }

    /// Images `range` of this set.
    pub fn range(&self, range: std::ops::Range<usize>) -> Result<Self> {
        if range.start > range.end || range.end > self.len() {
            return Err(Error::invalid(format!(
                "images {range:?} of a set of {}",
                self.len()
            )));
        }
        Self::new(
            self.dim,
            self.pixels[range.start * self.dim..range.end * self.dim].to_vec(),
            self.labels[range].to_vec(),
        )
    }

    /// Bytes per image.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Image `i`.
    pub fn image(&self, i: usize) -> Result<&[u8]> {
        self.pixels
            .get(i * self.dim..(i + 1) * self.dim)
            .ok_or_else(|| Error::invalid(format!("image {i} of a set of {}", self.len())))
    }

    /// The label of image `i`.
    pub fn label(&self, i: usize) -> Result<u8> {
        self.labels
            .get(i)
            .copied()
            .ok_or_else(|| Error::invalid(format!("image {i} of a set of {}", self.len())))
    }

    /// Images `idx` as the client's batch (ids are the indices in this set).
    pub fn batch(&self, idx: &[usize]) -> Result<Batch> {
        let mut px = Vec::with_capacity(idx.len() * self.dim);
        let mut labels = Vec::with_capacity(idx.len());
        for &i in idx {
            px.extend_from_slice(self.image(i)?);
            labels.push(self.label(i)?);
        }
        let pixels = Array2::from_shape_vec((idx.len(), self.dim), px)
            .map_err(|e| Error::invalid(format!("batch: {e}")))?;
        Batch::new(pixels, labels, idx.to_vec())
    }
}
