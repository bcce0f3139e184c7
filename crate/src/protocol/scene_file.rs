//! `glasslayer-scene.json`: a scene exported from the page — the settings, exactly the server's
//! view the attacker used (as the integers the server saw), the client's sample, the
//! reconstruction and its metrics — so that anyone can check the page with another solver
//! (`glasslayer attack --view FILE`).
//!
//! ```text
//! {"format": "glasslayer-scene", "version": 1,
//!  "settings": {"protocol", "h", "attack", "group", "digit", "tv_lambda"},
//!  "view": {"protocol", "step", "sample_ids", "input", "hidden", "pixel_levels", "weight_scale",
//!           "w1": h rows of n integers | null, "z": h integers (m rows for a batch of m > 1),
//!           "delta1", "dw1": h rows | null, "labels": [..] | null, "traffic": {..}},
//!  "later_views": [views of later steps the attack read, same form],
//!  "truth": [n integers 0..255], "reconstruction": [n numbers in 0..1],
//!  "metrics": {"psnr", "ssim", "baseline_psnr"},
//!  "public": {"mean": [n numbers] | null}}
//! ```
//!
//! With a weight scale `S` (the FE encoding), `w1` holds `round(W1·S)` and `z` the decrypted
//! integers `W1q·xq`; without one (client in the loop as the CLI runs it) the real values.

use super::view::{ServerView, Traffic};
use super::ProtocolKind;
use crate::attack::{AttackKind, Outcome, Score};
use crate::{Error, Result};
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The `format` field.
pub const FORMAT: &str = "glasslayer-scene";
/// The `version` field.
pub const VERSION: u32 = 1;

/// The page's settings when the scene was exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneSettings {
    /// The protocol.
    pub protocol: ProtocolKind,
    /// Hidden units.
    pub h: usize,
    /// The attack.
    pub attack: AttackKind,
    /// The IPFE group (CryptoNN), or the scheme's curve.
    pub group: String,
    /// The digit as the page's URL names it (`m17`, or `d…` for a drawing).
    pub digit: String,
    /// λ of the TV attacks.
    #[serde(default = "default_lambda")]
    pub tv_lambda: f64,
}

fn default_lambda() -> f64 {
    crate::attack::DEFAULT_TV_LAMBDA
}

/// The metrics the page showed (`null` when the attack did not apply).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SceneMetrics {
    /// PSNR, dB.
    pub psnr: Option<f64>,
    /// SSIM.
    pub ssim: Option<f64>,
    /// PSNR of the mean digit.
    pub baseline_psnr: Option<f64>,
}

/// A scene file.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneFile {
    /// The settings.
    pub settings: SceneSettings,
    /// The round's view (the one the page shows).
    pub view: ServerView,
    /// Views of later steps the attack read (stacked epochs, a gradient step).
    pub later_views: Vec<ServerView>,
    /// The client's sample, 0..255.
    pub truth: Vec<u8>,
    /// The reconstruction on [0, 1].
    pub reconstruction: Vec<f64>,
    /// The page's metrics.
    pub metrics: SceneMetrics,
    /// The public mean digit (the baseline), if known.
    pub mean: Option<Vec<f64>>,
}

fn ints(a: &Array2<f64>, scale: f64) -> Value {
    let rows: Vec<Value> = a
        .rows()
        .into_iter()
        .map(|r| {
            Value::Array(
                r.iter()
                    .map(|&v| {
                        let s = v * scale;
                        if scale.is_finite() && (s - s.round()).abs() < 1e-6 {
                            json!(s.round() as i64)
                        } else {
                            json!(v)
                        }
                    })
                    .collect(),
            )
        })
        .collect();
    Value::Array(rows)
}

/// A matrix as JSON: one row flattened, several as rows.
fn matrix(a: &Array2<f64>, scale: f64) -> Value {
    match ints(a, scale) {
        Value::Array(mut rows) if rows.len() == 1 => rows.pop().unwrap_or(Value::Null),
        v => v,
    }
}

/// A view in the file's form (integers where the server saw integers).
pub fn view_to_json(v: &ServerView) -> Value {
    let s = v.weight_scale.map_or(1.0, f64::from);
    let zs = v.z_step().map_or(1.0, |q| 1.0 / q);
    json!({
        "protocol": v.protocol,
        "step": v.step,
        "sample_ids": v.sample_ids,
        "input": v.input,
        "hidden": v.hidden,
        "pixel_levels": v.pixel_levels,
        "weight_scale": v.weight_scale,
        "w1": v.w1.as_ref().map(|w| ints(w, s)),
        "z": matrix(&v.z1, zs),
        "delta1": matrix(&v.delta1, f64::NAN),
        "dw1": v.dw1.as_ref().map(|d| ints(d, f64::NAN)),
        "labels": v.labels,
        "traffic": v.traffic,
    })
}

fn numbers(v: &Value, what: &str) -> Result<Vec<f64>> {
    v.as_array()
        .ok_or_else(|| Error::Decode(format!("scene: {what} is not a list")))?
        .iter()
        .map(|x| {
            x.as_f64()
                .filter(|f| f.is_finite())
                .ok_or_else(|| Error::Decode(format!("scene: {what} holds a non-number")))
        })
        .collect()
}

/// A matrix from JSON: a flat list is one row, a list of lists is rows.
fn read_matrix(v: &Value, what: &str, scale: f64) -> Result<Array2<f64>> {
    let list = v
        .as_array()
        .ok_or_else(|| Error::Decode(format!("scene: {what} is not a list")))?;
    let rows: Vec<Vec<f64>> = if list.first().is_some_and(Value::is_array) {
        list.iter()
            .map(|r| numbers(r, what))
            .collect::<Result<_>>()?
    } else {
        vec![numbers(v, what)?]
    };
    let cols = rows.first().map_or(0, Vec::len);
    if rows.iter().any(|r| r.len() != cols) {
        return Err(Error::Decode(format!(
            "scene: {what} has rows of different lengths"
        )));
    }
    let flat: Vec<f64> = rows.iter().flatten().map(|x| x / scale).collect();
    Array2::from_shape_vec((rows.len(), cols), flat)
        .map_err(|e| Error::Decode(format!("scene: {what}: {e}")))
}

fn field<'a>(v: &'a Value, k: &str) -> Result<&'a Value> {
    v.get(k)
        .ok_or_else(|| Error::Decode(format!("scene: no \"{k}\"")))
}

fn parse<T: serde::de::DeserializeOwned>(v: &Value, what: &str) -> Result<T> {
    serde_json::from_value(v.clone()).map_err(|e| Error::Decode(format!("scene: {what}: {e}")))
}

/// A view from the file's form, validated.
pub fn view_from_json(v: &Value) -> Result<ServerView> {
    let weight_scale: Option<f32> = parse(field(v, "weight_scale")?, "weight_scale")?;
    let pixel_levels: u32 = parse(field(v, "pixel_levels")?, "pixel_levels")?;
    let s = weight_scale.map_or(1.0, f64::from);
    let zs = weight_scale.map_or(1.0, |w| f64::from(w) * f64::from(pixel_levels));
    let opt = |k: &str, scale: f64| -> Result<Option<Array2<f64>>> {
        match field(v, k)? {
            Value::Null => Ok(None),
            x => read_matrix(x, k, scale).map(Some),
        }
    };
    let view = ServerView {
        protocol: parse(field(v, "protocol")?, "protocol")?,
        step: parse(field(v, "step")?, "step")?,
        sample_ids: parse(field(v, "sample_ids")?, "sample_ids")?,
        input: parse(field(v, "input")?, "input")?,
        hidden: parse(field(v, "hidden")?, "hidden")?,
        pixel_levels,
        weight_scale,
        w1: opt("w1", s)?,
        z1: read_matrix(field(v, "z")?, "z", zs)?,
        delta1: read_matrix(field(v, "delta1")?, "delta1", 1.0)?,
        dw1: opt("dw1", 1.0)?,
        labels: parse(field(v, "labels")?, "labels")?,
        traffic: v
            .get("traffic")
            .map(|t| parse::<Traffic>(t, "traffic"))
            .transpose()?
            .unwrap_or_default(),
    };
    view.validate()?;
    Ok(view)
}

impl SceneFile {
    /// The file of an attack: the views it read (the round's first), the client's sample, the
    /// attacker's outcome and its score.
    pub fn of_attack(
        settings: SceneSettings,
        views: &[ServerView],
        truth: Vec<u8>,
        outcome: &Outcome,
        score: Option<&Score>,
        mean: Option<Vec<f64>>,
    ) -> Result<Self> {
        let (view, later) = views
            .split_first()
            .ok_or_else(|| Error::invalid("a scene needs the round's view"))?;
        let finite = |v: f64| v.is_finite().then_some(v);
        Ok(Self {
            settings,
            view: view.clone(),
            later_views: later.to_vec(),
            truth,
            reconstruction: outcome
                .rebuild()
                .map(|r| r.image.clone())
                .unwrap_or_default(),
            metrics: SceneMetrics {
                psnr: score.map(|s| s.psnr),
                ssim: score.map(|s| s.ssim),
                baseline_psnr: score.and_then(|s| finite(s.baseline_psnr)),
            },
            mean,
        })
    }

    /// The file's JSON text.
    pub fn to_json(&self) -> Result<String> {
        let v = json!({
            "format": FORMAT,
            "version": VERSION,
            "settings": self.settings,
            "view": view_to_json(&self.view),
            "later_views": self.later_views.iter().map(view_to_json).collect::<Vec<_>>(),
            "truth": self.truth,
            "reconstruction": self.reconstruction,
            "metrics": self.metrics,
            "public": {"mean": self.mean},
        });
        serde_json::to_string(&v).map_err(|e| Error::invalid(format!("scene: {e}")))
    }

    /// Parse and check a scene file.
    pub fn from_json(text: &str) -> Result<Self> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| Error::Decode(format!("scene: {e}")))?;
        if v.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(Error::Decode(format!("not a {FORMAT} file")));
        }
        let version = v.get("version").and_then(Value::as_u64);
        if version != Some(u64::from(VERSION)) {
            return Err(Error::Decode(format!(
                "scene version {version:?}; this glasslayer reads version {VERSION}"
            )));
        }
        let view = view_from_json(field(&v, "view")?)?;
        let later_views = match v.get("later_views") {
            Some(Value::Array(list)) => list.iter().map(view_from_json).collect::<Result<_>>()?,
            _ => Vec::new(),
        };
        let truth: Vec<u8> = parse(field(&v, "truth")?, "truth")?;
        if truth.len() != view.input {
            return Err(Error::Decode(format!(
                "scene: truth has {} pixels, the view {}",
                truth.len(),
                view.input
            )));
        }
        let mean = match v.get("public").and_then(|p| p.get("mean")) {
            Some(Value::Null) | None => None,
            Some(m) => Some(numbers(m, "public.mean")?),
        };
        Ok(Self {
            settings: parse(field(&v, "settings")?, "settings")?,
            view,
            later_views,
            truth,
            reconstruction: numbers(field(&v, "reconstruction")?, "reconstruction")?,
            metrics: parse(field(&v, "metrics")?, "metrics")?,
            mean,
        })
    }

    /// Every view the attacker read, in order.
    pub fn views(&self) -> Vec<ServerView> {
        std::iter::once(self.view.clone())
            .chain(self.later_views.iter().cloned())
            .collect()
    }
}
