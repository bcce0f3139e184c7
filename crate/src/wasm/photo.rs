//! The Photo scene's bindings (bindings only; the scene is [`crate::protocol::photo`]).
//!
//! | class / function | what |
//! |---|---|
//! | [`PhotoIpfe`] | CryptoNN's round on one photo: setup + keys, `encrypt`, `decryptNext` in chunks, `view` |
//! | [`PhotoFhipe`] | FHIPE on the reduced setting (central 8×8 crop, 2 private filters), patch by patch |
//! | [`photo_client_loop`] | client in the loop: the client's feature maps |
//! | [`PhotoViewHandle`] | what the server holds: `z`, `attack`, `score` |

use super::js_err;
use crate::protocol::photo::{self, PhotoFhipeRound, PhotoIpfeRound, PhotoView};
use js_sys::{Float64Array, Int32Array};
use wasm_bindgen::prelude::*;

type JsResult<T> = std::result::Result<T, JsError>;

/// The page's public seed of the server's filters.
pub const PUBLIC_SEED: u64 = 7;

/// CryptoNN's round on one photo.
#[wasm_bindgen]
pub struct PhotoIpfe(PhotoIpfeRound);

#[wasm_bindgen]
impl PhotoIpfe {
    /// Setup for `k` server filters (1..=16); the authority issues the `k·1024` keys.
    #[wasm_bindgen(constructor)]
    pub fn new(k: u32) -> JsResult<PhotoIpfe> {
        Ok(Self(
            PhotoIpfeRound::new(k as usize, PUBLIC_SEED).map_err(js_err)?,
        ))
    }
    /// Client: encrypt the photo (3072 bytes, CHW); returns the ciphertext's bytes.
    pub fn encrypt(&mut self, pixels: &[u8]) -> JsResult<u32> {
        Ok(self.0.encrypt(pixels).map_err(js_err)? as u32)
    }
    /// Server: decrypt the next `count` values; returns how many are done.
    #[wasm_bindgen(js_name = decryptNext)]
    pub fn decrypt_next(&mut self, count: u32) -> JsResult<u32> {
        Ok(self.0.decrypt_next(count as usize).map_err(js_err)? as u32)
    }
    /// Values in all.
    pub fn total(&self) -> u32 {
        self.0.total() as u32
    }
    /// The server's view (after every value is decrypted).
    pub fn view(&self) -> JsResult<PhotoViewHandle> {
        Ok(PhotoViewHandle(self.0.view().map_err(js_err)?))
    }
}

/// FHIPE on the reduced setting.
#[wasm_bindgen]
pub struct PhotoFhipe(PhotoFhipeRound);

#[wasm_bindgen]
impl PhotoFhipe {
    /// Client: private filters, master key, keys, patch ciphertexts of the central crop.
    #[wasm_bindgen(constructor)]
    pub fn new(pixels: &[u8]) -> JsResult<PhotoFhipe> {
        Ok(Self(PhotoFhipeRound::new(pixels).map_err(js_err)?))
    }
    /// Bytes of the patch ciphertexts.
    #[wasm_bindgen(js_name = ciphertextBytes)]
    pub fn ciphertext_bytes(&self) -> u32 {
        self.0.ciphertext_bytes() as u32
    }
    /// Server: decrypt the next `count` patches; returns how many are done.
    #[wasm_bindgen(js_name = decryptNext)]
    pub fn decrypt_next(&mut self, count: u32) -> JsResult<u32> {
        Ok(self.0.decrypt_next(count as usize).map_err(js_err)? as u32)
    }
    /// Patches in all.
    pub fn total(&self) -> u32 {
        self.0.total() as u32
    }
    /// The server's view (after every patch).
    pub fn view(&self) -> JsResult<PhotoViewHandle> {
        Ok(PhotoViewHandle(self.0.view().map_err(js_err)?))
    }
}

/// Client in the loop on one photo: the server's view.
#[wasm_bindgen(js_name = photoClientLoop)]
pub fn photo_client_loop(pixels: &[u8], k: u32) -> JsResult<PhotoViewHandle> {
    Ok(PhotoViewHandle(
        photo::client_loop_round(pixels, k as usize).map_err(js_err)?,
    ))
}

/// What the server holds after a photo round.
#[wasm_bindgen]
pub struct PhotoViewHandle(PhotoView);

#[wasm_bindgen]
impl PhotoViewHandle {
    /// The feature-map values (`k·P`, order `f·P + p`).
    pub fn z(&self) -> Int32Array {
        let v: Vec<i32> = self
            .0
            .z
            .iter()
            .map(|&x| x.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
            .collect();
        Int32Array::from(&v[..])
    }
    /// Filters `k`.
    pub fn filters(&self) -> u32 {
        self.0.shape.filters as u32
    }
    /// Image side of the view (32, or the crop).
    pub fn side(&self) -> u32 {
        self.0.shape.height as u32
    }
    /// Whether the server holds the filters.
    #[wasm_bindgen(js_name = holdsFilters)]
    pub fn holds_filters(&self) -> bool {
        self.0.filters.is_some()
    }
    /// The attacker on this view: `{image (CHW on [0, 1]), method, knowsFilters, note}`.
    pub fn attack(&self) -> JsResult<JsValue> {
        let r = photo::attack(&self.0, PUBLIC_SEED).map_err(js_err)?;
        let o = js_sys::Object::new();
        let set = |k: &str, v: JsValue| js_sys::Reflect::set(&o, &k.into(), &v).map(drop);
        set("image", Float64Array::from(&r.image[..]).into())
            .and(set("method", r.method.into()))
            .and(set("knowsFilters", r.knows_filters.into()))
            .and(set("note", r.note.into()))
            .map_err(|_| JsError::new("could not build the result"))?;
        Ok(o.into())
    }
    /// Score a rebuild against the truth (the photo or its crop, CHW bytes): `{psnr, ssim, mse}`.
    pub fn score(&self, truth: &[u8], image: &[f64]) -> JsResult<JsValue> {
        let q = photo::score(truth, &self.0, image).map_err(js_err)?;
        let o = js_sys::Object::new();
        for (k, v) in [("psnr", q.psnr), ("ssim", q.ssim), ("mse", q.mse)] {
            js_sys::Reflect::set(&o, &k.into(), &v.into())
                .map_err(|_| JsError::new("could not build the result"))?;
        }
        Ok(o.into())
    }
}

/// The central crop the FHIPE round uses (for showing and scoring it).
#[wasm_bindgen(js_name = photoCenterCrop)]
pub fn photo_center_crop(pixels: &[u8]) -> JsResult<Vec<u8>> {
    photo::center_crop(pixels, photo::FHIPE_CROP).map_err(js_err)
}
