//! The page's bindings: JS values in, a core call, errors out. The story itself is
//! [`crate::protocol::scene`]; the attacker [`crate::attack::view`]; the models file
//! [`crate::data::models_file`]; live training [`crate::protocol::live`].
//!
//! | class | where it lives | holds |
//! |---|---|---|
//! | [`PageServer`] | the page's main worker | the models file (the server's trained model, shadow models, mean digit) and public digits |
//! | [`PageScene`] | the same worker | one sample through one protocol: the client's `x` and private `W1`, the server's view |

use super::fe::FhipeClientHandle;
use super::js_err;
use crate::attack::{attack_sample, score, AttackKind, Outcome, Score};
use crate::data::mnist::{Mnist, PIXELS};
use crate::data::models_file::{self, parse_bundle, DemoModels};
use crate::fe::wire::frames;
use crate::protocol::channel::Carries;
use crate::protocol::live::{train_curve, CurvePoint};
use crate::protocol::scene::Scene;
use crate::protocol::scene_file::{SceneFile, SceneSettings};
use crate::protocol::{ProtocolKind, ServerView};
use crate::{Error, Result};
use js_sys::{Float32Array, Float64Array, Function, Int32Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

type JsResult<T> = std::result::Result<T, JsError>;

fn to_js<T: Serialize>(v: &T) -> Result<JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::invalid(e.to_string()))
}

/// The vocabularies the page shows, from the core: protocols, attacks, groups, hidden sizes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Vocabulary {
    protocols: Vec<Named>,
    attacks: Vec<Named>,
    hidden: Vec<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Named {
    name: &'static str,
    label: &'static str,
    tip: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hides_w1: Option<bool>,
}

/// The page's vocabularies (no models needed): `{protocols, attacks, hidden}`.
#[wasm_bindgen(js_name = vocabulary)]
pub fn vocabulary() -> JsResult<JsValue> {
    let v = Vocabulary {
        protocols: ProtocolKind::ALL
            .iter()
            .map(|&k| Named {
                name: k.name(),
                label: k.label(),
                tip: k.tip(),
                hides_w1: Some(k.hides_w1()),
            })
            .collect(),
        attacks: AttackKind::ALL
            .iter()
            .map(|&k| Named {
                name: k.name(),
                label: k.label(),
                tip: k.tip(),
                hides_w1: None,
            })
            .collect(),
        hidden: models_file::HIDDEN_SIZES.to_vec(),
    };
    to_js(&v).map_err(js_err)
}

/// The hidden sizes the build trains models for (the one list: `scripts/lib/models.mjs` and the
/// page read it from here).
#[wasm_bindgen(js_name = demoHiddenSizes)]
pub fn demo_hidden_sizes() -> Vec<u32> {
    models_file::HIDDEN_SIZES
        .iter()
        .map(|&h| h as u32)
        .collect()
}

/// The page's server: its models file and the public digits.
#[wasm_bindgen]
pub struct PageServer {
    models: DemoModels,
    train: Option<Mnist>,
    test: Option<Mnist>,
}

#[wasm_bindgen]
impl PageServer {
    /// Load `models.bin`.
    #[wasm_bindgen(constructor)]
    pub fn new(models_bin: &[u8]) -> JsResult<PageServer> {
        Ok(PageServer {
            models: DemoModels::parse(models_bin).map_err(js_err)?,
            train: None,
            test: None,
        })
    }

    /// Public training digits (bundle format): the client's other samples in later epochs and
    /// the live training set.
    #[wasm_bindgen(js_name = setTrainingDigits)]
    pub fn set_training_digits(&mut self, bundle: &[u8]) -> JsResult<()> {
        self.train = Some(parse_bundle(bundle).map_err(js_err)?);
        Ok(())
    }

    /// Test digits (bundle format) for the live accuracy.
    #[wasm_bindgen(js_name = setTestDigits)]
    pub fn set_test_digits(&mut self, bundle: &[u8]) -> JsResult<()> {
        self.test = Some(parse_bundle(bundle).map_err(js_err)?);
        Ok(())
    }

    /// How each server model was trained: an array of objects.
    #[wasm_bindgen(js_name = modelInfo)]
    pub fn model_info(&self) -> JsResult<JsValue> {
        to_js(&self.models.infos()).map_err(js_err)
    }

    /// The mean training digit (784 values in [0, 1]).
    #[wasm_bindgen(js_name = meanDigit)]
    pub fn mean_digit(&self) -> Float32Array {
        let v: Vec<f32> = self.models.mean().iter().map(|&m| m as f32).collect();
        Float32Array::from(&v[..])
    }

    /// Row `i` of the server's `W1q` at `h` units (784 integers), for drawing. The server's own
    /// model: public on the page, and what the server holds under CryptoNN and FENet.
    #[wasm_bindgen(js_name = weightRow)]
    pub fn weight_row(&self, h: u32, i: u32) -> JsResult<Float64Array> {
        let m = self.models.server_model(h as usize).map_err(js_err)?;
        let row = m
            .w1q
            .rows()
            .into_iter()
            .nth(i as usize)
            .ok_or_else(|| JsError::new(&format!("row {i} of {h}")))?;
        let v: Vec<f64> = row.iter().map(|&w| w as f64).collect();
        Ok(Float64Array::from(&v[..]))
    }

    /// Stage 5: train a fresh 784-`h`-10 model under `protocol` for `epochs` over the training
    /// digits, calling `progress(point)` every few steps (a throw cancels). Returns the curve.
    #[wasm_bindgen(js_name = trainLive)]
    pub fn train_live(
        &self,
        protocol: &str,
        hidden: u32,
        epochs: u32,
        progress: &Function,
    ) -> JsResult<JsValue> {
        let run = || -> Result<Vec<CurvePoint>> {
            let (train, test) = self.digits()?;
            train_curve(
                protocol.parse()?,
                hidden as usize,
                epochs as usize,
                train,
                test,
                &mut |p| {
                    let v = to_js(p)?;
                    progress
                        .call1(&JsValue::NULL, &v)
                        .map(|_| ())
                        .map_err(|_| Error::Cancelled)
                },
            )
        };
        run().and_then(|c| to_js(&c)).map_err(js_err)
    }
}

impl PageServer {
    fn digits(&self) -> Result<(&Mnist, &Mnist)> {
        match (&self.train, &self.test) {
            (Some(a), Some(b)) => Ok((a, b)),
            _ => Err(Error::invalid("the digits are not loaded")),
        }
    }
}

/// What the page gets back from an attack: the attacker's outcome, then its score.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttackReport {
    applicable: bool,
    reason: Option<String>,
    image: Option<Vec<f32>>,
    method: String,
    status: String,
    notes: Vec<String>,
    w1_source: Option<String>,
    tried: Vec<crate::attack::view::Tried>,
    knows_w1: bool,
    observations: usize,
    psnr: Option<f64>,
    ssim: Option<f64>,
    within: Option<f64>,
    baseline_psnr: f64,
    ms: f64,
}

/// One sample through one protocol (see [`Scene`]).
#[wasm_bindgen]
pub struct PageScene {
    scene: Scene,
    truth: Vec<u8>,
    last: Option<(AttackKind, Vec<ServerView>, Outcome, Option<Score>)>,
}

#[wasm_bindgen]
impl PageScene {
    /// Start `protocol` at `h` units for the client's sample `x` (784 bytes) with `label`
    /// (`-1`: the label the server's model predicts — the client's claim for a drawing).
    #[wasm_bindgen(constructor)]
    pub fn new(
        server: &PageServer,
        protocol: &str,
        h: u32,
        x: &[u8],
        label: i32,
    ) -> JsResult<PageScene> {
        let run = || -> Result<PageScene> {
            let kind: ProtocolKind = protocol.parse()?;
            let m = server.models.server_model(h as usize)?;
            if x.len() != PIXELS {
                return Err(Error::invalid(format!(
                    "a sample has {PIXELS} pixels, got {}",
                    x.len()
                )));
            }
            let label = u8::try_from(label).ok().filter(|&l| l <= 9);
            let scene = Scene::start(kind, m.mlp.clone(), m.info.scale, x.to_vec(), label)?;
            Ok(PageScene {
                scene,
                truth: x.to_vec(),
                last: None,
            })
        };
        run().map_err(js_err)
    }

    /// CryptoNN/FENet: the server's key request, the rows of its own `W1q` (row-major `h × 784`);
    /// `undefined` for the mitigations.
    #[wasm_bindgen(js_name = keyRequest)]
    pub fn key_request(&self) -> JsResult<Option<Int32Array>> {
        let rows = self.scene.key_request().map_err(js_err)?;
        Ok(rows.map(|r| {
            let flat: Vec<i32> = r.iter().flatten().map(|&v| v as i32).collect();
            Int32Array::from(&flat[..])
        }))
    }

    /// The client's encoded sample (what it encrypts).
    #[wasm_bindgen(js_name = clientLevels)]
    pub fn client_levels(&self) -> Int32Array {
        let v: Vec<i32> = self
            .scene
            .client_levels()
            .iter()
            .map(|&v| v as i32)
            .collect();
        Int32Array::from(&v[..])
    }

    /// FHIPE mitigation: keys `start..start+count` for the client's own rows, issued with
    /// `keys` (its master key), as frames.
    #[wasm_bindgen(js_name = fhipeKeys)]
    pub fn fhipe_keys(
        &self,
        keys: &FhipeClientHandle,
        start: u32,
        count: u32,
    ) -> JsResult<Vec<u8>> {
        self.scene
            .fhipe_keys(keys.client(), start as usize, count as usize)
            .map(|ks| frames(ks.iter().map(|k| k.to_bytes())))
            .map_err(js_err)
    }

    /// Client in the loop: the `z` the client sends.
    #[wasm_bindgen(js_name = clientSendsZ)]
    pub fn client_sends_z(&mut self) -> JsResult<Vec<f64>> {
        self.scene
            .client_sends_z()
            .map(|z| z.iter().map(|&v| v as f64).collect())
            .map_err(js_err)
    }

    /// Count `bytes` of `what` (`ciphertexts` or `keys`) that crossed to the server.
    pub fn deliver(&mut self, what: &str, bytes: f64) -> JsResult<()> {
        let carries = match what {
            "ciphertexts" => Carries::Ciphertexts,
            "keys" => Carries::Keys,
            _ => return Err(JsError::new(&format!("unknown message kind {what:?}"))),
        };
        if !(bytes.is_finite() && bytes >= 0.0 && bytes <= 2f64.powi(53)) {
            return Err(JsError::new("bad byte count"));
        }
        self.scene.deliver(carries, bytes as u64);
        Ok(())
    }

    /// The dlog bound the server's workers decrypt with.
    #[wasm_bindgen(js_name = dlogBound)]
    pub fn dlog_bound(&self) -> JsResult<f64> {
        self.scene.dlog_bound().map(|b| b as f64).map_err(js_err)
    }

    /// The server's decrypted (or received) `z`: completes the round's view. Returns a summary
    /// `{protocol, h, heldW1, labels, traffic}`.
    #[wasm_bindgen(js_name = serverDecrypted)]
    pub fn server_decrypted(&mut self, z: &[f64]) -> JsResult<JsValue> {
        let mut run = || -> Result<JsValue> {
            let z: Vec<i64> = z
                .iter()
                .map(|&v| {
                    if v.is_finite() && v.fract() == 0.0 && v.abs() <= 2f64.powi(53) {
                        Ok(v as i64)
                    } else {
                        Err(Error::invalid(format!("z holds {v}, not an integer")))
                    }
                })
                .collect::<Result<_>>()?;
            self.last = None;
            let v = self.scene.server_decrypted(z)?;
            #[derive(Serialize)]
            #[serde(rename_all = "camelCase")]
            struct Summary<'a> {
                protocol: ProtocolKind,
                h: usize,
                held_w1: bool,
                labels: &'a Option<Vec<u8>>,
                traffic: TrafficJs,
            }
            #[derive(Serialize)]
            #[serde(rename_all = "camelCase")]
            struct TrafficJs {
                ciphertext_bytes: u64,
                key_bytes: u64,
                to_server_bytes: u64,
                to_client_bytes: u64,
            }
            to_js(&Summary {
                protocol: v.protocol,
                h: v.hidden,
                held_w1: v.w1.is_some(),
                labels: &v.labels,
                traffic: TrafficJs {
                    ciphertext_bytes: v.traffic.ciphertext_bytes,
                    key_bytes: v.traffic.key_bytes,
                    to_server_bytes: v.traffic.plaintext_to_server,
                    to_client_bytes: v.traffic.plaintext_to_client,
                },
            })
        };
        run().map_err(js_err)
    }

    /// Stage 4: the attacker on the server's views (and public knowledge from `server`'s models
    /// file), then — separately — the score against `truth`.
    pub fn attack(&mut self, server: &PageServer, attack: &str, truth: &[u8]) -> JsResult<JsValue> {
        let mut run = || -> Result<JsValue> {
            let kind: AttackKind = attack.parse()?;
            let others = server
                .train
                .as_ref()
                .ok_or_else(|| Error::invalid("the training digits are not loaded"))?;
            let public = server.models.public_knowledge(self.scene.hidden())?;
            let views = self.scene.views_for(kind, others)?;
            let outcome = attack_sample(&views, 0, kind, &public)?;
            // The attacker is done; only now is the truth read, to score.
            if truth.len() != PIXELS {
                return Err(Error::invalid("the truth is 784 pixels"));
            }
            let truth_unit: Vec<f64> = truth.iter().map(|&p| f64::from(p) / 255.0).collect();
            let sc = outcome
                .rebuild()
                .map(|r| score(&truth_unit, &r.image, &public))
                .transpose()?;
            let baseline = match (&sc, &public.mean) {
                (Some(s), _) => s.baseline_psnr,
                (None, Some(m)) => score(&truth_unit, m, &public)?.psnr,
                (None, None) => f64::NAN,
            };
            let report = match &outcome {
                Outcome::Rebuilt(r) => AttackReport {
                    applicable: true,
                    reason: None,
                    image: Some(r.image.iter().map(|&v| v as f32).collect()),
                    method: r.method.clone(),
                    status: r.status.clone(),
                    notes: r.notes.clone(),
                    w1_source: Some(r.w1_source.clone()),
                    tried: r.tried.clone(),
                    knows_w1: r.knows_w1,
                    observations: r.observations,
                    psnr: sc.map(|s| s.psnr),
                    ssim: sc.map(|s| s.ssim),
                    within: sc.map(|s| s.within),
                    baseline_psnr: baseline,
                    ms: r.ms,
                },
                Outcome::NotApplicable { reason, .. } => AttackReport {
                    applicable: false,
                    reason: Some(reason.clone()),
                    image: None,
                    method: kind.name().into(),
                    status: "not applicable".into(),
                    notes: Vec::new(),
                    w1_source: None,
                    tried: Vec::new(),
                    knows_w1: views.iter().any(|v| v.w1.is_some()),
                    observations: 0,
                    psnr: None,
                    ssim: None,
                    within: None,
                    baseline_psnr: baseline,
                    ms: 0.0,
                },
            };
            self.truth = truth.to_vec();
            self.last = Some((kind, views, outcome, sc));
            to_js(&report)
        };
        run().map_err(js_err)
    }

    /// The scene file `glasslayer-scene.json` of the last attack: `settings` is a JSON object
    /// `{protocol, h, attack, group, digit}` from the page.
    #[wasm_bindgen(js_name = exportScene)]
    pub fn export_scene(&self, server: &PageServer, settings: &str) -> JsResult<String> {
        let run = || -> Result<String> {
            let (kind, views, outcome, sc) = self
                .last
                .as_ref()
                .ok_or_else(|| Error::invalid("run the attack first"))?;
            let mut settings: SceneSettings = serde_json::from_str(settings)
                .map_err(|e| Error::invalid(format!("scene settings: {e}")))?;
            let public = server.models.public_knowledge(self.scene.hidden())?;
            settings.attack = *kind;
            settings.protocol = self.scene.kind();
            settings.h = self.scene.hidden();
            settings.tv_lambda = public.tv_lambda;
            SceneFile::of_attack(
                settings,
                views,
                self.truth.clone(),
                outcome,
                sc.as_ref(),
                public.mean.clone(),
            )?
            .to_json()
        };
        run().map_err(js_err)
    }
}
