//! CIFAR-10 in its official binary format (Krizhevsky 2009): records of 3073 bytes — one label
//! byte, then the 32×32 red, green and blue planes in row-major order. The project ships the
//! first 1000 test images as `shared/data/cifar10/test_batch_first1000.bin` beside the checkout.
//!
//! Grayscale as in the paper: `Y = 0.299·R + 0.587·G + 0.114·B`, rounded to a byte.

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// Image side.
pub const SIDE: usize = 32;
/// Pixels per plane.
pub const PIXELS: usize = SIDE * SIDE;
const RECORD: usize = 1 + 3 * PIXELS;
/// File name of the shipped subset.
pub const FILE: &str = "test_batch_first1000.bin";

/// Loaded CIFAR-10 records.
#[derive(Clone)]
pub struct Cifar10 {
    bytes: Vec<u8>,
}

impl std::fmt::Debug for Cifar10 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cifar10({} images)", self.len())
    }
}

impl Cifar10 {
    /// The folder with the binary file: `$GLASSLAYER_CIFAR_DIR`, else `shared/data/cifar10`
    /// found from the current directory or any parent, else from where this crate was built.
    pub fn default_dir() -> Result<PathBuf> {
        super::find_dir(
            "GLASSLAYER_CIFAR_DIR",
            Path::new("shared/data/cifar10"),
            |dir| dir.join(FILE).is_file(),
        )
        .ok_or_else(|| {
            Error::Data(format!(
                "CIFAR-10 not found: put {FILE} (official binary format) in shared/data/cifar10/ \
                 beside the checkout, or set GLASSLAYER_CIFAR_DIR to its folder"
            ))
        })
    }

    /// Load from [`Cifar10::default_dir`].
    pub fn load() -> Result<Self> {
        Self::load_from(&Self::default_dir()?)
    }

    /// Load `test_batch_first1000.bin` from a folder.
    pub fn load_from(dir: &Path) -> Result<Self> {
        let path = dir.join(FILE);
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::Data(format!("cannot read {}: {e}", path.display())))?;
        Self::parse(bytes)
    }

    /// Validate a buffer of whole records.
    pub fn parse(bytes: Vec<u8>) -> Result<Self> {
        if bytes.is_empty() || bytes.len() % RECORD != 0 {
            return Err(Error::Data(format!(
                "CIFAR-10: {} bytes is not a whole number of {RECORD}-byte records",
                bytes.len()
            )));
        }
        if let Some(r) = (0..bytes.len() / RECORD).find(|r| bytes[r * RECORD] > 9) {
            return Err(Error::Data(format!("CIFAR-10: record {r} has label > 9")));
        }
        Ok(Self { bytes })
    }

    /// The records as bytes (what [`Cifar10::parse`] took).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.bytes.len() / RECORD
    }

    /// True when empty (never, after `parse`).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn record(&self, i: usize) -> Result<&[u8]> {
        let start = i.checked_mul(RECORD);
        start
            .and_then(|s| Some(s..s.checked_add(RECORD)?))
            .and_then(|r| self.bytes.get(r))
            .ok_or_else(|| Error::invalid(format!("CIFAR-10: no image {i} (have {})", self.len())))
    }

    /// Label 0..9 of image `i`.
    pub fn label(&self, i: usize) -> Result<u8> {
        Ok(self.record(i)?[0])
    }

    /// Image `i` in grayscale, 1024 bytes (row-major 32×32).
    pub fn gray(&self, i: usize) -> Result<Vec<u8>> {
        let r = self.record(i)?;
        let (red, green, blue) = (
            &r[1..1 + PIXELS],
            &r[1 + PIXELS..1 + 2 * PIXELS],
            &r[1 + 2 * PIXELS..RECORD],
        );
        Ok((0..PIXELS)
            .map(|p| {
                let y = 0.299 * f64::from(red[p])
                    + 0.587 * f64::from(green[p])
                    + 0.114 * f64::from(blue[p]);
                y.round().clamp(0.0, 255.0) as u8
            })
            .collect())
    }

    /// Image `i` in colour, 3072 bytes: the red, green and blue planes (32×32, row-major), the
    /// channel-major `CHW` layout of the file and of [`crate::nn::conv`].
    pub fn color(&self, i: usize) -> Result<Vec<u8>> {
        Ok(self.record(i)?[1..RECORD].to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_converts_to_gray() {
        let mut rec = vec![3u8];
        rec.extend(std::iter::repeat(200).take(PIXELS));
        rec.extend(std::iter::repeat(100).take(PIXELS));
        rec.extend(std::iter::repeat(10).take(PIXELS));
        let c = Cifar10::parse(rec).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c.label(0).unwrap(), 3);
        // 0.299·200 + 0.587·100 + 0.114·10 = 59.8 + 58.7 + 1.14 = 119.64 → 120
        assert!(c.gray(0).unwrap().iter().all(|&p| p == 120));
        assert!(c.gray(1).is_err());
        let rgb = c.color(0).unwrap();
        assert_eq!(rgb.len(), 3 * PIXELS);
        assert_eq!((rgb[0], rgb[PIXELS], rgb[2 * PIXELS]), (200, 100, 10));
        assert!(c.color(1).is_err());
        assert!(Cifar10::parse(vec![0; 100]).is_err());
    }
}
