//! Wasm entry points of the FE engine, one class per party so the page keeps the roles apart:
//!
//! | JS class / function | party | holds |
//! |---|---|---|
//! | [`IpfeAuthority`] | authority | the IPFE master key (never leaves wasm memory) |
//! | [`IpfeClientHandle`] | client | public params and its per-key encryption tables |
//! | [`ipfe_encrypt`] | client, one-off | nothing: public params in, ciphertext bytes out |
//! | [`IpfeServer`] | server | public params, the dlog table; keys and ciphertexts as bytes |
//! | [`FhipeClientHandle`] | FHIPE client | the FHIPE master key |
//! | [`FhipeServerHandle`] | FHIPE server | a prepared ciphertext; keys as bytes |
//!
//! Everything that travels between parties is bytes in the core's wire format
//! ([`crate::fe::wire`]); a list of keys is *frames* (`u32 LE length ‖ bytes`, repeated).
//! Vectors are `Int32Array`s (pixel levels, quantised weights), results `Float64Array`s (exact
//! up to 2⁵³). Long operations come in ranges (`start..end`) so a worker can report progress and
//! stop between chunks, or take a `progress(done, total)` callback: returning `false` or throwing
//! cancels with "cancelled".

use super::js_err;
use crate::fe::group::PrimeGroup;
use crate::fe::ipfe::{Ciphertext, FunctionKey, PublicParams};
use crate::fe::{FhipeCiphertext, FhipeKey, GroupChoice};
use crate::roles::{Authority, Client, FhipeClient, FhipeServer, Server};
use crate::{Error, Result};
use js_sys::Function;
use wasm_bindgen::prelude::*;

type JsResult<T> = std::result::Result<T, JsError>;

use crate::fe::wire::{frames, unframes};

fn group(name: &str) -> Result<GroupChoice> {
    name.parse()
}

#[cfg(feature = "replay")]
fn seed32(seed: &[u8]) -> Result<[u8; 32]> {
    seed.try_into()
        .map_err(|_| Error::invalid("a replay seed is 32 bytes"))
}

fn bound_of(bound: f64) -> Result<u64> {
    if bound.is_finite() && (0.0..=crate::fe::dlog::MAX_BOUND as f64).contains(&bound) {
        Ok(bound as u64)
    } else {
        Err(Error::invalid(format!("dlog bound {bound} out of range")))
    }
}

/// Rows `start..end` of a row-major matrix with `n` columns.
fn rows_of(w: &[i32], n: usize, start: usize, end: usize) -> Result<Vec<Vec<i64>>> {
    let fits = end.checked_mul(n).is_some_and(|e| e <= w.len());
    if n == 0 || w.len() % n != 0 || start > end || !fits {
        return Err(Error::invalid(format!(
            "rows {start}..{end} of a {}-value matrix with {n} columns",
            w.len()
        )));
    }
    Ok(w[start * n..end * n]
        .chunks(n)
        .map(|r| r.iter().map(|&v| i64::from(v)).collect())
        .collect())
}

fn widen(x: &[i32]) -> Vec<i64> {
    x.iter().map(|&v| i64::from(v)).collect()
}

/// Call `progress(done, total)`; `false` or a throw cancels.
fn tick(progress: &Function, done: usize, total: usize) -> Result<()> {
    match progress.call2(
        &JsValue::NULL,
        &JsValue::from_f64(done as f64),
        &JsValue::from_f64(total as f64),
    ) {
        Ok(v) if v == JsValue::FALSE => Err(Error::Cancelled),
        Ok(_) => Ok(()),
        Err(_) => Err(Error::Cancelled),
    }
}

/// The IPFE groups: `[{name, securityBits, elementBytes}]`.
#[wasm_bindgen(js_name = feGroups)]
pub fn fe_groups() -> JsResult<JsValue> {
    let list: Vec<(String, u32, usize)> = GroupChoice::ALL
        .iter()
        .map(|&c| crate::with_group!(c, G => (G::NAME.to_string(), G::SECURITY_BITS, G::ELEMENT_LEN)))
        .collect();
    let arr = js_sys::Array::new();
    for (name, bits, len) in list {
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &"name".into(), &name.into());
        let _ = js_sys::Reflect::set(&o, &"securityBits".into(), &JsValue::from(bits));
        let _ = js_sys::Reflect::set(&o, &"elementBytes".into(), &JsValue::from(len as u32));
        arr.push(&o);
    }
    Ok(arr.into())
}

// ---------------------------------------------------------------------------------------------
// IPFE

/// A party's object for whichever FE group the page chose (the classes below hold one).
enum ByGroup<R, F2, F3> {
    Ristretto(R),
    Ffdhe2048(F2),
    Ffdhe3072(F3),
}

/// `$body` with `$v` bound to the object inside, whatever its group (and `$G` to the group type).
macro_rules! on_group {
    ($x:expr, $v:ident => $body:expr) => {
        match $x {
            ByGroup::Ristretto($v) => $body,
            ByGroup::Ffdhe2048($v) => $body,
            ByGroup::Ffdhe3072($v) => $body,
        }
    };
    ($x:expr, $G:ident, $v:ident => $body:expr) => {
        match $x {
            ByGroup::Ristretto($v) => {
                type $G = crate::fe::group::Ristretto255;
                $body
            }
            ByGroup::Ffdhe2048($v) => {
                type $G = crate::fe::group::ModP2048;
                $body
            }
            ByGroup::Ffdhe3072($v) => {
                type $G = crate::fe::group::ModP3072;
                $body
            }
        }
    };
}

/// The object `$body` builds for the chosen group (`$G` is the group type inside `$body`).
macro_rules! by_group {
    ($choice:expr, $G:ident => $body:expr) => {
        match $choice {
            GroupChoice::Ristretto255 => {
                type $G = crate::fe::group::Ristretto255;
                ByGroup::Ristretto($body)
            }
            GroupChoice::Ffdhe2048 => {
                type $G = crate::fe::group::ModP2048;
                ByGroup::Ffdhe2048($body)
            }
            GroupChoice::Ffdhe3072 => {
                type $G = crate::fe::group::ModP3072;
                ByGroup::Ffdhe3072($body)
            }
        }
    };
}

/// The type `ByGroup<$T<Ristretto255>, $T<ModP2048>, $T<ModP3072>>`.
macro_rules! per_group {
    ($T:ident) => {
        ByGroup<
            $T<crate::fe::group::Ristretto255>,
            $T<crate::fe::group::ModP2048>,
            $T<crate::fe::group::ModP3072>,
        >
    };
}

/// The IPFE authority: sets up a group and issues function keys. The master key stays inside.
#[wasm_bindgen]
pub struct IpfeAuthority {
    inner: per_group!(Authority),
}

impl IpfeAuthority {
    fn build(name: &str, n: u32, seed: Option<[u8; 32]>) -> Result<Self> {
        fn make<G: PrimeGroup>(n: usize, seed: Option<[u8; 32]>) -> Result<Authority<G>> {
            Ok(match seed {
                None => Authority::<G>::setup(n)?.0,
                Some(s) => {
                    use rand_core::SeedableRng;
                    let mut rng = rand_chacha::ChaCha20Rng::from_seed(s);
                    Authority::<G>::setup_with_rng(n, &mut rng)?.0
                }
            })
        }
        let n = n as usize;
        Ok(IpfeAuthority {
            inner: by_group!(group(name)?, G => make::<G>(n, seed)?),
        })
    }
}

#[wasm_bindgen]
impl IpfeAuthority {
    /// Setup over `group` (`ristretto255`, `ffdhe2048`, `ffdhe3072`) for vectors of length `n`,
    /// with the browser's CSPRNG.
    #[wasm_bindgen(constructor)]
    pub fn new(group: &str, n: u32) -> JsResult<IpfeAuthority> {
        Self::build(group, n, None).map_err(js_err)
    }

    /// Setup from a 32-byte seed. **Demo replays and tests only** (cargo feature `replay`,
    /// not in the page's build).
    #[cfg(feature = "replay")]
    #[wasm_bindgen(js_name = withReplaySeed)]
    pub fn with_replay_seed(group: &str, n: u32, seed: &[u8]) -> JsResult<IpfeAuthority> {
        let seed = seed32(seed).map_err(js_err)?;
        Self::build(group, n, Some(seed)).map_err(js_err)
    }

    /// The group's name.
    #[wasm_bindgen(getter)]
    pub fn group(&self) -> String {
        on_group!(&self.inner, G, _a => G::NAME.to_string())
    }

    /// The public parameters (bytes for clients and servers).
    #[wasm_bindgen(js_name = publicParams)]
    pub fn public_params(&self) -> Vec<u8> {
        on_group!(&self.inner, a => a.public_params().to_bytes())
    }

    /// Function keys for rows `start..end` of `w` (row-major, `n` columns) as frames.
    #[wasm_bindgen(js_name = functionKeys)]
    pub fn function_keys(&self, w: &[i32], start: u32, end: u32) -> JsResult<Vec<u8>> {
        let run = || -> Result<Vec<u8>> {
            on_group!(&self.inner, a => {
                let rows = rows_of(w, a.public_params().n(), start as usize, end as usize)?;
                let keys = a.function_keys(&rows)?;
                Ok(frames(keys.iter().map(|k| k.to_bytes())))
            })
        };
        run().map_err(js_err)
    }
}

/// The IPFE client, one-off: encrypt `x` under public parameters (bytes in, ciphertext bytes
/// out). Builds the per-key encryption tables on every call and drops them: a client that
/// encrypts more than once under one key should use [`IpfeClientHandle`]. For tests and
/// experiments (cargo feature `lab-api`): the page uses `IpfeClientHandle`.
#[cfg(feature = "lab-api")]
#[wasm_bindgen(js_name = ipfeEncrypt)]
pub fn ipfe_encrypt(group_name: &str, pp: &[u8], x: &[i32]) -> JsResult<Vec<u8>> {
    fn enc<G: PrimeGroup>(pp: &[u8], x: &[i32]) -> Result<Vec<u8>> {
        let pp = PublicParams::<G>::from_bytes(pp)?;
        Ok(Client::new(pp).encrypt(&widen(x))?.to_bytes())
    }
    let run =
        || -> Result<Vec<u8>> { crate::with_group!(group(group_name)?, G => enc::<G>(pp, x)) };
    run().map_err(js_err)
}

/// The IPFE client for one public key: encrypts many samples under it. Its per-key tables
/// (fixed-base tables for ristretto255, comb tables for ffdhe) are built once — explicitly with
/// [`IpfeClientHandle::prepare`] (e.g. in the background while the user draws) or on the first
/// encryption — and reused by every later encryption.
#[wasm_bindgen]
pub struct IpfeClientHandle {
    inner: per_group!(Client),
}

#[wasm_bindgen]
impl IpfeClientHandle {
    /// A client for `group` with public parameters `pp` (bytes from the authority), encrypting
    /// with the browser's CSPRNG.
    #[wasm_bindgen(constructor)]
    pub fn new(group_name: &str, pp: &[u8]) -> JsResult<IpfeClientHandle> {
        let run = || -> Result<IpfeClientHandle> {
            let inner =
                by_group!(group(group_name)?, G => Client::<G>::new(PublicParams::from_bytes(pp)?));
            Ok(IpfeClientHandle { inner })
        };
        run().map_err(js_err)
    }

    /// The group's name.
    #[wasm_bindgen(getter)]
    pub fn group(&self) -> String {
        on_group!(&self.inner, G, _c => G::NAME.to_string())
    }

    /// The vector length `n` of the public key.
    #[wasm_bindgen(getter)]
    pub fn n(&self) -> u32 {
        on_group!(&self.inner, c => c.public_params().n() as u32)
    }

    /// Build the per-key encryption tables now (idempotent: a no-op once built).
    pub fn prepare(&self) -> JsResult<()> {
        on_group!(&self.inner, c => {
            c.public_params().encrypt_tables();
        });
        Ok(())
    }

    /// Encrypt `x` (length `n`); returns the ciphertext bytes.
    pub fn encrypt(&self, x: &[i32]) -> JsResult<Vec<u8>> {
        on_group!(&self.inner, c => c.encrypt(&widen(x)).map(|ct| ct.to_bytes())).map_err(js_err)
    }
}

/// The IPFE server: public parameters and a decryption bound; decrypts `⟨x, y⟩` for keys.
#[wasm_bindgen]
pub struct IpfeServer {
    inner: per_group!(Server),
}

fn server_decrypt<G: PrimeGroup>(
    server: &Server<G>,
    ct: &[u8],
    keys: &[u8],
    start: usize,
    end: usize,
    progress: Option<&Function>,
) -> Result<Vec<f64>> {
    let ct = Ciphertext::<G>::from_bytes(ct)?;
    let all = unframes(keys)?;
    if start > end || end > all.len() {
        return Err(Error::invalid(format!(
            "keys {start}..{end} of {}",
            all.len()
        )));
    }
    let keys = all[start..end]
        .iter()
        .map(|b| FunctionKey::<G>::from_bytes(b))
        .collect::<Result<Vec<_>>>()?;
    let mut z = Vec::with_capacity(keys.len());
    if let Some(p) = progress {
        tick(p, 0, keys.len())?;
    }
    for chunk in keys.chunks(8) {
        z.extend(
            server
                .decrypt_rows_sequential(&ct, chunk)?
                .into_iter()
                .map(|v| v as f64),
        );
        if let Some(p) = progress {
            tick(p, z.len(), keys.len())?;
        }
    }
    Ok(z)
}

#[wasm_bindgen]
impl IpfeServer {
    /// A server for `group` with public parameters `pp` that decrypts values in
    /// `[−bound, bound]` (builds or reuses the discrete-log table).
    #[wasm_bindgen(constructor)]
    pub fn new(group_name: &str, pp: &[u8], bound: f64) -> JsResult<IpfeServer> {
        let run = || -> Result<IpfeServer> {
            let bound = bound_of(bound)?;
            let inner = by_group!(group(group_name)?, G => Server::<G>::new(PublicParams::from_bytes(pp)?, bound)?);
            Ok(IpfeServer { inner })
        };
        run().map_err(js_err)
    }

    /// `z_i = ⟨x, y_i⟩` for keys `start..end` of the frames `keys` against ciphertext `ct`.
    #[wasm_bindgen(js_name = decryptRange)]
    pub fn decrypt_range(
        &self,
        ct: &[u8],
        keys: &[u8],
        start: u32,
        end: u32,
    ) -> JsResult<Vec<f64>> {
        let (s, e) = (start as usize, end as usize);
        on_group!(&self.inner, v => server_decrypt(v, ct, keys, s, e, None)).map_err(js_err)
    }

    /// All keys, calling `progress(done, total)` between chunks of 8 rows.
    #[wasm_bindgen(js_name = decryptAll)]
    pub fn decrypt_all(&self, ct: &[u8], keys: &[u8], progress: &Function) -> JsResult<Vec<f64>> {
        let count = unframes(keys).map_err(js_err)?.len();
        on_group!(&self.inner, v => server_decrypt(v, ct, keys, 0, count, Some(progress)))
            .map_err(js_err)
    }
}

// ---------------------------------------------------------------------------------------------
// FHIPE

/// The FHIPE client (mitigation): holds the master key; issues keys and encrypts.
#[wasm_bindgen]
pub struct FhipeClientHandle {
    client: FhipeClient,
}

#[wasm_bindgen]
impl FhipeClientHandle {
    /// Setup for vectors of length `n` with the browser's CSPRNG (`O(n²)` field elements).
    #[wasm_bindgen(constructor)]
    pub fn new(n: u32) -> JsResult<FhipeClientHandle> {
        FhipeClient::setup(n as usize)
            .map(|client| FhipeClientHandle { client })
            .map_err(js_err)
    }

    /// The client's master key, for the page's scene to issue keys for its own `W1` with.
    pub(crate) fn client(&self) -> &FhipeClient {
        &self.client
    }

    /// Setup and all later randomness from a 32-byte seed. **Demo replays and tests only**
    /// (cargo feature `replay`, not in the page's build).
    #[cfg(feature = "replay")]
    #[wasm_bindgen(js_name = withReplaySeed)]
    pub fn with_replay_seed(n: u32, seed: &[u8]) -> JsResult<FhipeClientHandle> {
        let run = || -> Result<FhipeClientHandle> {
            let client = FhipeClient::with_replay_seed(n as usize, seed32(seed)?)?;
            Ok(FhipeClientHandle { client })
        };
        run().map_err(js_err)
    }

    /// Keys for rows `start..end` of `w` (row-major, `n` columns) as frames. Call in chunks to
    /// report progress.
    #[wasm_bindgen(js_name = keygenRange)]
    pub fn keygen_range(&self, w: &[i32], start: u32, end: u32) -> JsResult<Vec<u8>> {
        let run = || -> Result<Vec<u8>> {
            let rows = rows_of(w, self.client.n(), start as usize, end as usize)?;
            let keys = rows
                .iter()
                .map(|r| self.client.keygen(r).map(|k| k.to_bytes()))
                .collect::<Result<Vec<_>>>()?;
            Ok(frames(keys))
        };
        run().map_err(js_err)
    }

    /// Encrypt `x`; returns the ciphertext bytes.
    pub fn encrypt(&self, x: &[i32]) -> JsResult<Vec<u8>> {
        self.client
            .encrypt(&widen(x))
            .map(|c| c.to_bytes())
            .map_err(js_err)
    }
}

/// The FHIPE server: prepares one ciphertext's G2 side once, then decrypts keys in chunks.
#[wasm_bindgen]
pub struct FhipeServerHandle {
    server: FhipeServer,
    prepared: Option<crate::fe::fhipe::PreparedCiphertext>,
}

#[wasm_bindgen]
impl FhipeServerHandle {
    /// A server for values in `[−bound, bound]` (`bound ≤ 2³⁸`, see [`crate::limits`]). With
    /// `expectedN`, ciphertexts and keys of another length are refused before anything is
    /// prepared.
    #[wasm_bindgen(constructor)]
    pub fn new(bound: f64, expected_n: Option<u32>) -> JsResult<FhipeServerHandle> {
        let run = || -> Result<FhipeServerHandle> {
            let bound = bound_of(bound)?;
            let server = match expected_n {
                None => FhipeServer::new(bound)?,
                Some(n) => FhipeServer::with_expected_n(bound, n as usize)?,
            };
            Ok(FhipeServerHandle {
                server,
                prepared: None,
            })
        };
        run().map_err(js_err)
    }

    /// Decode, validate and prepare a ciphertext for the following decryptions.
    pub fn prepare(&mut self, ct: &[u8]) -> JsResult<()> {
        // With an expected n, a ciphertext of another length is refused before decoding.
        let ct =
            FhipeCiphertext::from_bytes_expecting(ct, self.server.expected_n()).map_err(js_err)?;
        self.prepared = Some(self.server.prepare(&ct).map_err(js_err)?);
        Ok(())
    }

    /// `⟨w_i, x⟩` for keys `start..end` of the frames `keys` (after [`FhipeServerHandle::prepare`]).
    #[wasm_bindgen(js_name = decryptRange)]
    pub fn decrypt_range(&self, keys: &[u8], start: u32, end: u32) -> JsResult<Vec<f64>> {
        self.decrypt(keys, start as usize, Some(end as usize), None)
            .map_err(js_err)
    }

    /// All keys, calling `progress(done, total)` after every row.
    #[wasm_bindgen(js_name = decryptAll)]
    pub fn decrypt_all(&self, keys: &[u8], progress: &Function) -> JsResult<Vec<f64>> {
        self.decrypt(keys, 0, None, Some(progress)).map_err(js_err)
    }
}

impl FhipeServerHandle {
    fn decrypt(
        &self,
        keys: &[u8],
        start: usize,
        end: Option<usize>,
        progress: Option<&Function>,
    ) -> Result<Vec<f64>> {
        let prepared = self
            .prepared
            .as_ref()
            .ok_or_else(|| Error::invalid("call prepare(ciphertext) first"))?;
        let all = unframes(keys)?;
        let end = end.unwrap_or(all.len());
        if start > end || end > all.len() {
            return Err(Error::invalid(format!(
                "keys {start}..{end} of {}",
                all.len()
            )));
        }
        let total = end - start;
        let mut z = Vec::with_capacity(total);
        if let Some(p) = progress {
            tick(p, 0, total)?;
        }
        for b in &all[start..end] {
            let key = FhipeKey::from_bytes_expecting(b, self.server.expected_n())?;
            z.push(self.server.decrypt_prepared(prepared, &key)? as f64);
            if let Some(p) = progress {
                tick(p, z.len(), total)?;
            }
        }
        Ok(z)
    }
}
