//! The demo's model file (`www/generated/models.bin`), written at build time: the server's trained
//! models by `h`, the attacker's shadow models, the mean digit. The page's server loads it; what it
//! holds is what the server legitimately has (its own trained model) and what anyone can train
//! on public data (shadow models, the mean digit). No client secret is ever in it: a mitigation's
//! client draws its own `W1` in the browser.
//!
//! Format: `b"GLDEMO1\0"`, then records `kind u8 ‖ len u32 LE ‖ payload`:
//! - kind 1, a trained model: `role u8` (0 the server's model, 1 the attacker's shadow model),
//!   `hidden, input, seed, epochs, samples, batch` (u32 LE), `scale, lr, accuracy` (f32 LE),
//!   `W1q` (`hidden × input` i8: the FE encoding `round(W1·scale)`), `b1` (f32 × hidden),
//!   `W2` (f32 × 10·hidden), `b2` (f32 × 10).
//! - kind 2, the mean training digit: 784 f32 in [0, 1] (the "guess the average digit" baseline).
//!
//! Changing [`train_model`] or the format: bump `FORMAT` in `scripts/lib/models.mjs` (the build
//! caches the file on a hash of the training code, not of this file).

use crate::attack::{Candidate, PublicKnowledge};
use crate::data::mnist::{Mnist, PIXELS};
use crate::nn::{Activation, Mlp, Quantization, Sgd};
use crate::{Error, Result};
use ndarray::Array2;

/// The file's first bytes.
pub const MAGIC: &[u8; 8] = b"GLDEMO1\0";
const KIND_MODEL: u8 = 1;
const KIND_MEAN: u8 = 2;
const OUTPUTS: usize = 10;
/// Largest |w·scale| stored (int8).
const W_MAX: f32 = 127.0;
/// The hidden sizes the build trains a server and a shadow model for: the one list
/// (`scripts/lib/models.mjs`, the page and `glasslayer reproduce` read it from here).
pub const HIDDEN_SIZES: [usize; 7] = [16, 32, 64, 128, 256, 392, 784];

/// λ of the page's TV attack. Tuned for the demo's trained `W1` on MNIST *training* digits
/// 59000–59059 (h = 64, 128, 256; λ ∈ {0.05, 0.2, 0.4, 0.8}): 0.4 raised the median PSNR at
/// h = 128 from 22.0 to 23.2 dB over the core's default (tuned on random Gaussian `W1`).
pub const PAGE_TV_LAMBDA: f64 = 0.4;

/// Little-endian cursor over a record.
struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let s = self
            .buf
            .get(self.pos..self.pos.saturating_add(n))
            .ok_or_else(|| Error::Decode("demo model file is truncated".into()))?;
        self.pos += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn f32(&mut self) -> Result<f32> {
        Ok(f32::from_bits(self.u32()?))
    }
    fn f32s(&mut self, n: usize) -> Result<Vec<f32>> {
        (0..n).map(|_| self.f32()).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// build time: the server's model

/// How a demo model was trained (shown on the page).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct TrainInfo {
    /// 0: the server's model; 1: the attacker's shadow model.
    pub role: u8,
    /// Hidden units.
    pub hidden: usize,
    /// Seed of the initial weights and the shuffling.
    pub seed: u32,
    /// Epochs of plaintext mini-batch SGD.
    pub epochs: usize,
    /// Training digits used (the first `samples` of the MNIST training set).
    pub samples: usize,
    /// Batch size.
    pub batch: usize,
    /// Learning rate.
    pub lr: f32,
    /// FE weight scale `S` (`W1q = round(W1·S)`, |W1q| ≤ 127).
    pub scale: f32,
    /// Accuracy of the encoded model on the MNIST test set (10 000 digits).
    pub accuracy: f32,
}

/// A trained 784-h-10 model as the demo uses it: `W1` in its FE encoding.
#[derive(Debug, Clone)]
pub struct DemoModel {
    /// How it was trained.
    pub info: TrainInfo,
    /// `round(W1·scale)`, `hidden × 784`.
    pub w1q: Array2<i64>,
    /// The network the server runs (its `W1` is `W1q/scale`).
    pub mlp: Mlp,
}

impl DemoModel {
    /// The record payload (after kind and length).
    fn to_bytes(&self) -> Vec<u8> {
        let i = &self.info;
        let mut out = vec![i.role];
        for v in [
            i.hidden,
            PIXELS,
            i.seed as usize,
            i.epochs,
            i.samples,
            i.batch,
        ] {
            out.extend_from_slice(&(v as u32).to_le_bytes());
        }
        for v in [i.scale, i.lr, i.accuracy] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend(self.w1q.iter().map(|&v| v as i8 as u8));
        let m = &self.mlp;
        for v in m.b1().iter().chain(m.w2().iter()).chain(m.b2().iter()) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    fn from_bytes(payload: &[u8]) -> Result<Self> {
        let mut c = Cursor {
            buf: payload,
            pos: 0,
        };
        let role = c.u8()?;
        let hidden = c.u32()? as usize;
        let input = c.u32()? as usize;
        let (seed, epochs, samples, batch) = (c.u32()?, c.u32()?, c.u32()?, c.u32()?);
        let (scale, lr, accuracy) = (c.f32()?, c.f32()?, c.f32()?);
        if input != PIXELS || hidden == 0 || hidden > crate::nn::mlp::MAX_HIDDEN {
            return Err(Error::Decode(format!(
                "demo model {input}-{hidden}: unsupported shape"
            )));
        }
        if !(scale.is_finite() && scale > 0.0) {
            return Err(Error::Decode("demo model: bad weight scale".into()));
        }
        let w1q = Array2::from_shape_vec(
            (hidden, input),
            c.take(hidden * input)?
                .iter()
                .map(|&b| i64::from(b as i8))
                .collect(),
        )
        .map_err(|e| Error::Decode(e.to_string()))?;
        let params = c.f32s(hidden + OUTPUTS * hidden + OUTPUTS)?;
        if c.pos != payload.len() {
            return Err(Error::Decode("demo model: trailing bytes".into()));
        }
        let w1 = w1q.mapv(|v| v as f32 / scale);
        let mlp = Mlp::from_parameters(Activation::Relu, w1, &params, OUTPUTS)?;
        Ok(Self {
            info: TrainInfo {
                role,
                hidden,
                seed,
                epochs: epochs as usize,
                samples: samples as usize,
                batch: batch as usize,
                lr,
                scale,
                accuracy,
            },
            w1q,
            mlp,
        })
    }
}

fn record(kind: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![kind];
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// Train the demo's 784-`hidden`-10 ReLU model with plaintext mini-batch SGD on the first
/// `samples` digits of the MNIST training set (IDX bytes), encode `W1` for FE (`|W1q| ≤ 127`),
/// measure the encoded model on the test set, and return one `models.bin` record.
pub fn train_model(
    train: &Mnist,
    test: &Mnist,
    role: u8,
    hidden: usize,
    sgd: &Sgd,
    samples: usize,
    fine: bool,
) -> Result<Vec<u8>> {
    let data = train.take(samples.min(train.len()));
    let mut mlp = Mlp::mnist(hidden, Activation::Relu, sgd.seed)?;
    mlp.train(&data, sgd)?;
    // `fine`: the finest encoding int8 allows (`|round(w·S)| ≤ 127` for the largest weight);
    // otherwise the protocol's `round(w·100)` (the RAID 2025 authors' scale) when it fits.
    let max = mlp.w1().fold(0.0f32, |m, v| m.max(v.abs()));
    let default_scale = Quantization::default().weight_scale;
    let scale = if fine || max * default_scale > W_MAX {
        W_MAX / max.max(f32::MIN_POSITIVE)
    } else {
        default_scale
    };
    let w1q = mlp.w1().mapv(|v| i64::from((v * scale).round() as i8));
    mlp.set_w1(w1q.mapv(|v| v as f32 / scale))?;
    let accuracy = mlp.accuracy(test)?;
    let model = DemoModel {
        info: TrainInfo {
            role,
            hidden,
            seed: sgd.seed as u32,
            epochs: sgd.epochs,
            samples: data.len(),
            batch: sgd.batch,
            lr: sgd.lr,
            scale,
            accuracy,
        },
        w1q,
        mlp,
    };
    Ok(record(KIND_MODEL, &model.to_bytes()))
}

/// The mean digit of an IDX image file, as a `models.bin` record.
pub fn mean_digit_record(data: &Mnist) -> Vec<u8> {
    let mut sum = vec![0f64; PIXELS];
    for i in 0..data.len() {
        sum.iter_mut()
            .zip(data.image(i))
            .for_each(|(s, &p)| *s += f64::from(p));
    }
    let n = data.len().max(1) as f64 * 255.0;
    let payload: Vec<u8> = sum
        .iter()
        .flat_map(|s| ((s / n) as f32).to_le_bytes())
        .collect();
    record(KIND_MEAN, &payload)
}

/// The parsed file: the server's trained models by `h`, the attacker's shadow models, the
/// mean digit.
pub struct DemoModels {
    server: Vec<DemoModel>,
    shadow: Vec<DemoModel>,
    mean: Vec<f64>,
}

/// Parse a digit bundle (`count u32 LE ‖ labels ‖ pixels`, see `scripts/lib/data.mjs`) as
/// [`Mnist`].
pub fn parse_bundle(buf: &[u8]) -> Result<Mnist> {
    let n = buf
        .get(..4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .ok_or_else(|| Error::Data("digit bundle is truncated".into()))?;
    // Sizes in checked arithmetic: `usize` is 32 bits on wasm32, and `n` comes from the file.
    let end = n
        .checked_mul(PIXELS + 1)
        .and_then(|b| b.checked_add(4))
        .ok_or_else(|| Error::Data(format!("digit bundle: {n} digits is too many")))?;
    if buf.len() != end {
        return Err(Error::Data(format!(
            "digit bundle: {} bytes for {n} digits, expected {end}",
            buf.len()
        )));
    }
    let labels = &buf[4..4 + n];
    let pixels = &buf[4 + n..end];
    let mut img = Vec::with_capacity(16 + pixels.len());
    for v in [0x803u32, n as u32, 28, 28] {
        img.extend_from_slice(&v.to_be_bytes());
    }
    img.extend_from_slice(pixels);
    let mut lab = Vec::with_capacity(8 + n);
    for v in [0x801u32, n as u32] {
        lab.extend_from_slice(&v.to_be_bytes());
    }
    lab.extend_from_slice(labels);
    Mnist::parse(&img, &lab)
}

impl DemoModels {
    /// Parse `models.bin`.
    pub fn parse(buf: &[u8]) -> Result<Self> {
        if buf.get(..MAGIC.len()) != Some(&MAGIC[..]) {
            return Err(Error::Decode(
                "models.bin: bad magic (rebuild with `npm run build`)".into(),
            ));
        }
        let mut c = Cursor {
            buf,
            pos: MAGIC.len(),
        };
        let mut out = Self {
            server: Vec::new(),
            shadow: Vec::new(),
            mean: Vec::new(),
        };
        while c.pos < buf.len() {
            let kind = c.u8()?;
            let len = c.u32()? as usize;
            let payload = c.take(len)?;
            match kind {
                KIND_MODEL => {
                    let m = DemoModel::from_bytes(payload)?;
                    if m.info.role == 0 {
                        out.server.push(m);
                    } else {
                        out.shadow.push(m);
                    }
                }
                KIND_MEAN => {
                    let mut mc = Cursor {
                        buf: payload,
                        pos: 0,
                    };
                    out.mean = mc.f32s(PIXELS)?.into_iter().map(f64::from).collect();
                }
                _ => {} // unknown records are skipped (forward compatible)
            }
        }
        if out.server.is_empty() {
            return Err(Error::Decode("models.bin holds no model".into()));
        }
        out.server.sort_by_key(|m| m.info.hidden);
        Ok(out)
    }

    /// The server's model with exactly `h` hidden units.
    pub fn server_model(&self, h: usize) -> Result<&DemoModel> {
        self.server
            .iter()
            .find(|m| m.info.hidden == h)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "no trained model with h = {h} (available: {:?})",
                    self.hidden_sizes()
                ))
            })
    }

    /// The `h` of every server model (the sizes the page offers).
    pub fn hidden_sizes(&self) -> Vec<usize> {
        self.server.iter().map(|m| m.info.hidden).collect()
    }

    /// How each server model was trained.
    pub fn infos(&self) -> Vec<TrainInfo> {
        self.server.iter().map(|m| m.info).collect()
    }

    /// The mean training digit on [0, 1] (empty if the file has none).
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// What the server knows without the protocol at `h` units: every `W1` it could try when a
    /// view has none — its own trained model, the shadow models it trained on public data, and
    /// the public recipe's initial `W1` — and the mean digit.
    pub fn public_knowledge(&self, h: usize) -> Result<PublicKnowledge> {
        let mut candidates = Vec::new();
        for m in self
            .server
            .iter()
            .chain(&self.shadow)
            .filter(|m| m.info.hidden == h)
        {
            let source = if m.info.role == 0 {
                "the server's own trained model"
            } else {
                "a shadow model the server trained on public digits"
            };
            candidates.push(Candidate {
                source: source.into(),
                w1: m.w1q.mapv(|v| v as f64 / f64::from(m.info.scale)),
            });
        }
        let init = Mlp::mnist(h, Activation::Relu, 1)?;
        candidates.push(Candidate {
            source: "the public recipe's initial W1 (seed 1)".into(),
            w1: init.w1().mapv(f64::from),
        });
        Ok(PublicKnowledge {
            rows: 28,
            cols: 28,
            candidates,
            mean: (self.mean.len() == PIXELS).then(|| self.mean.clone()),
            tv_lambda: PAGE_TV_LAMBDA,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_mnist(n: usize) -> Mnist {
        let mut bundle = (n as u32).to_le_bytes().to_vec();
        bundle.extend((0..n).map(|i| (i % 10) as u8));
        for i in 0..n {
            bundle.extend((0..PIXELS).map(|j| if (j + i) % 7 == 0 { 200u8 } else { 0 }));
        }
        parse_bundle(&bundle).unwrap()
    }

    #[test]
    fn model_record_round_trips() {
        let data = tiny_mnist(40);
        let sgd = Sgd {
            epochs: 1,
            lr: 0.1,
            batch: 8,
            seed: 3,
        };
        let rec = train_model(&data, &data, 0, 16, &sgd, 40, true).unwrap();
        let mut file = MAGIC.to_vec();
        file.extend(&rec);
        let models = DemoModels::parse(&file).unwrap();
        let m = models.server_model(16).unwrap();
        assert_eq!(m.w1q.dim(), (16, PIXELS));
        assert!(m.w1q.iter().all(|v| v.abs() <= 127));
        assert_eq!(m.info.samples, 40);
        assert!(models.server_model(32).is_err());
        assert!(DemoModels::parse(&file[..file.len() - 1]).is_err());
        assert!(DemoModels::parse(b"nonsense").is_err());
    }

    #[test]
    fn bundle_sizes_are_checked_not_wrapped() {
        // 5 478 275 · 785 + 4 wraps to a small number in 32-bit arithmetic.
        let mut b = 5_478_275u32.to_le_bytes().to_vec();
        b.extend([0u8; 400]);
        assert!(parse_bundle(&b).is_err());
        let mut one = 1u32.to_le_bytes().to_vec();
        one.extend([3u8; 1 + PIXELS]);
        assert_eq!(parse_bundle(&one).unwrap().len(), 1);
        one.push(0);
        assert!(parse_bundle(&one).is_err(), "trailing bytes");
    }
}
