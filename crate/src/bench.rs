//! The standard benchmark workloads, defined once and run both natively (`glasslayer bench all`)
//! and in the browser (`npm run bench`, through the wasm export `benchRun`), so the wasm/native
//! ratio compares the very same code on the very same inputs — except ristretto255 encryption,
//! whose per-key tables are dalek's natively and addition-only ones in wasm (faster on each side;
//! see `fe::group::ristretto`), which both `ipfe-encrypt*-ristretto255` rows say.
//!
//! Every workload takes one 28×28 digit (bytes 0..255; the harnesses pass MNIST test digit 0) and
//! prepares its inputs untimed; only the operation itself is timed. Weights for the FE decrypt
//! workloads are small signed integers (|w| ≤ 127, as the FE quantisation gives); the attack
//! workloads use a seeded N(0,1) W1 (the paper's setting) with z = W1·x on [0, 1] pixels.
//! Timing uses `web_time::Instant` (`performance.now()` in a browser).

use crate::attack::{Attacker, Leak, Method, Observation, Options};
use crate::fe::group::{ModP2048, PrimeGroup, Ristretto255};
use crate::roles::{Authority, Client, FhipeClient, FhipeServer, Server};
use crate::{Error, Result};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::Serialize;
use web_time::Instant;

/// Vector length of every workload (28×28).
pub const N: usize = 784;
/// Hidden units of the IPFE decrypt and attack workloads.
pub const H: usize = 128;
/// Keys of the FHIPE workloads.
pub const FHIPE_H: usize = 16;
/// Discrete-log bound that covers |⟨w, x⟩| with |w| ≤ 127, x ≤ 255, n = 784.
pub const DLOG_BOUND: u64 = 127 * 255 * N as u64;

/// One workload: its name, what it times, and the target from the performance issue (browser).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Workload {
    /// Stable identifier (used by both harnesses).
    pub name: &'static str,
    /// What is timed.
    pub what: &'static str,
    /// Target in the browser on the project's 2-core machine, in ms (none: no target).
    pub target_ms: Option<f64>,
}

/// All workloads, in report order.
pub const WORKLOADS: &[Workload] = &[
    Workload {
        name: "ipfe-encrypt-ristretto255",
        what: "IPFE encrypt one digit, ristretto255 (per-key tables: addition-only in wasm, \
               dalek's natively)",
        target_ms: Some(50.0),
    },
    Workload {
        name: "ipfe-encrypt-tables-ristretto255",
        what: "client's one-time per-public-key tables, ristretto255, n = 784 (not the same \
               code: addition-only tables in wasm, dalek's natively)",
        target_ms: None,
    },
    Workload {
        name: "ipfe-decrypt-h128-ristretto255",
        what: "server decrypt z = W1·x, h = 128, dlog included, ristretto255",
        target_ms: Some(100.0),
    },
    Workload {
        name: "ipfe-encrypt-ffdhe2048",
        what: "IPFE encrypt one digit, ffdhe2048",
        target_ms: Some(3000.0),
    },
    Workload {
        name: "ipfe-decrypt-h128-ffdhe2048",
        what: "server decrypt z = W1·x, h = 128, dlog included, ffdhe2048",
        target_ms: None,
    },
    Workload {
        name: "fhipe-setup-784",
        what: "FHIPE setup n = 784 (B, B*)",
        target_ms: None,
    },
    Workload {
        name: "fhipe-keygen-h16",
        what: "FHIPE keygen for 16 rows",
        target_ms: None,
    },
    Workload {
        name: "fhipe-encrypt",
        what: "FHIPE encrypt one digit",
        target_ms: None,
    },
    Workload {
        name: "fhipe-decrypt-h16",
        what: "FHIPE decrypt 16 rows (one thread)",
        target_ms: None,
    },
    Workload {
        name: "fhipe-keygen-encrypt-decrypt-h16",
        what: "FHIPE keygen h = 16 + encrypt + decrypt h = 16 (one thread; the page splits the \
               decryption over all cores: the browser harness adds that row)",
        target_ms: None,
    },
    Workload {
        name: "fhipe-prim-fp-mul",
        what: "primitive: BLS12-381 F_p Montgomery product (per product; floor ≈ 87 ns published \
               for 13×30-bit limbs in wasm, ≈ 140 ns for 32-bit limbs)",
        target_ms: None,
    },
    Workload {
        name: "fhipe-prim-fp2-mul",
        what: "primitive: F_p² product (per product; floor ≈ 3 F_p products)",
        target_ms: None,
    },
    Workload {
        name: "fhipe-prim-line-arkworks",
        what: "primitive: one sparse line product f·ℓ in F_p¹², arkworks' mul_by_014 (per line)",
        target_ms: None,
    },
    Workload {
        name: "fhipe-prim-line-ours",
        what: "primitive: one normalised line product (two F_p⁶ mul_by_01: 10 F_p² products), per line",
        target_ms: None,
    },
    Workload {
        name: "fhipe-prim-miller-pair",
        what: "primitive: multi-Miller loop over 784 pairs, per pair (68 line steps; floor \
               ≈ 0.25 ms per pair in wasm, target ≤ 0.4 ms)",
        target_ms: None,
    },
    Workload {
        name: "fhipe-prim-g1-decode",
        what: "primitive: decode + validate one FHIPE key (785 uncompressed G1 points, batched \
               subgroup test), per point",
        target_ms: None,
    },
    Workload {
        name: "fhipe-prim-g2-decode",
        what: "primitive: decode + validate one FHIPE ciphertext (785 uncompressed G2 points, \
               batched subgroup test), per point",
        target_ms: None,
    },
    Workload {
        name: "fhipe-prim-prepare-ct",
        what: "primitive: prepare a ciphertext's lines (785 G2 points, normalised), per point",
        target_ms: None,
    },
    Workload {
        name: "fhipe-prim-decrypt-key",
        what: "primitive: decrypt one key against a prepared ciphertext (785 pairings as one \
               Miller loop + final exponentiation, D1, dlog), per key (floor ≈ 785 × 0.25 ms)",
        target_ms: None,
    },
    Workload {
        name: "conv-fe-k16-32x32-color",
        what: "photo through the conv layer: IPFE encrypt a 3×32×32 colour image (made from the \
               digit), decrypt all 16 384 feature-map values (k = 16, 3×3, 'same', sparse keys \
               issued untimed), rebuild by CGLS; ristretto255",
        target_ms: Some(2000.0),
    },
    Workload {
        name: "fhipe-conv-k16-8x8-color",
        what: "FHIPE on the conv layer, reduced: a 3×8×8 crop, k = 16 ('same'): keygen 16 filter \
               keys (27 slots) + encrypt 64 patches + decrypt 1024 values (one thread; a 32×32 \
               photo is 16× the patches and values)",
        target_ms: None,
    },
    Workload {
        name: "attack-paper-h128",
        what: "paper feasibility LP (interior point), h = 128, no smoothness",
        target_ms: None,
    },
    Workload {
        name: "attack-minsum-h128",
        what: "min-sum LP, h = 128",
        target_ms: Some(150.0),
    },
    Workload {
        name: "attack-tv-h128",
        what: "TV LP, h = 128",
        target_ms: Some(1000.0),
    },
    Workload {
        name: "attack-stacked-2x128",
        what: "min-sum LP over 2 observations × 128 rows",
        target_ms: None,
    },
];

/// Workloads the harness runs only as parts of another measurement (not listed): one worker's
/// share of the FHIPE decryption when the page splits 16 rows over 2 workers.
const PART_WORKLOADS: &[Workload] = &[Workload {
    name: "fhipe-decrypt-h8",
    what: "FHIPE decrypt 8 rows (one worker's half of 16)",
    target_ms: None,
}];

/// The timings of one workload.
#[derive(Debug, Clone, Serialize)]
pub struct Measurement {
    /// Workload name.
    pub name: &'static str,
    /// Timed runs (after one untimed warm-up).
    pub runs: usize,
    /// Median of the runs, ms.
    pub median_ms: f64,
    /// Fastest run, ms.
    pub min_ms: f64,
    /// Every run, ms.
    pub samples_ms: Vec<f64>,
    /// Primitives: items per timed run (the per-item cost is `median_ms / per_op`).
    pub per_op: Option<f64>,
    /// Primitives: the per-item floor the issue quotes for wasm, ns (ratio = per-item / floor).
    pub floor_ns: Option<f64>,
}

/// Items per run and the quoted wasm floor (ns per item) of the primitive workloads.
fn primitive_scale(name: &str) -> (Option<f64>, Option<f64>) {
    match name {
        "fhipe-prim-fp-mul" => (Some(PRIM_REPS as f64), Some(87.0)),
        name if name.starts_with("fhipe-prim-line-") => {
            (Some(LINE_REPS as f64), Some(250_000.0 / 68.0))
        }
        "fhipe-prim-fp2-mul" => (Some(PRIM_REPS as f64), Some(3.0 * 87.0)),
        "fhipe-prim-miller-pair" => (Some(N as f64), Some(250_000.0)),
        "fhipe-prim-g1-decode" | "fhipe-prim-g2-decode" | "fhipe-prim-prepare-ct" => {
            (Some(N as f64 + 1.0), None)
        }
        "fhipe-prim-decrypt-key" => (Some(1.0), Some((N as f64 + 1.0) * 250_000.0)),
        _ => (None, None),
    }
}

/// Products per timed run of the field primitives.
const PRIM_REPS: usize = 20_000;
/// Line products per timed run.
const LINE_REPS: usize = 2_000;

/// Look a workload up by name.
pub fn workload(name: &str) -> Result<&'static Workload> {
    WORKLOADS
        .iter()
        .chain(PART_WORKLOADS)
        .find(|w| w.name == name)
        .ok_or_else(|| Error::invalid(format!("unknown benchmark workload \"{name}\"")))
}

/// Run workload `name` on `digit` (784 bytes): prepare untimed, one warm-up, then `runs` timed runs.
pub fn run(name: &str, digit: &[u8], runs: usize) -> Result<Measurement> {
    let w = workload(name)?;
    if digit.len() != N {
        return Err(Error::invalid(format!(
            "benchmark digit has {} bytes, expected {N}",
            digit.len()
        )));
    }
    if runs == 0 {
        return Err(Error::invalid("runs must be at least 1"));
    }
    let mut op = prepare(w.name, digit)?;
    op()?; // warm-up (also checks the workload works)
    let mut samples_ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t0 = Instant::now();
        op()?;
        samples_ms.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    let mut sorted = samples_ms.clone();
    sorted.sort_by(f64::total_cmp);
    let median_ms = if runs % 2 == 1 {
        sorted[runs / 2]
    } else {
        (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2.0
    };
    let (per_op, floor_ns) = primitive_scale(w.name);
    Ok(Measurement {
        name: w.name,
        runs,
        median_ms,
        min_ms: sorted[0],
        samples_ms,
        per_op,
        floor_ns,
    })
}

type Op = Box<dyn FnMut() -> Result<()>>;

/// Seeded inputs: a benchmark must do the same work every time.
fn rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(0x6c61_7373)
}

/// h rows of small signed weights, |w| ≤ 127.
fn int_rows(h: usize) -> Vec<Vec<i64>> {
    let mut r = rng();
    (0..h)
        .map(|_| (0..N).map(|_| r.gen_range(-127..=127)).collect())
        .collect()
}

fn gaussian_w1(h: usize, seed_offset: u64) -> Array2<f64> {
    let mut r = ChaCha20Rng::seed_from_u64(0x6c61_7373 + seed_offset);
    Array2::from_shape_fn((h, N), |_| {
        // Box–Muller
        let (u1, u2): (f64, f64) = (r.gen::<f64>().max(1e-300), r.gen());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    })
}

/// One long-lived client: its per-key tables are built in the warm-up run (their one-time cost
/// is the `ipfe-encrypt-tables-*` workload), the timed runs are encryptions.
fn ipfe_encrypt<G: PrimeGroup + 'static>(x: Vec<i64>) -> Result<Op> {
    let (_authority, pp) = Authority::<G>::setup(N)?;
    let client = Client::new(pp);
    Ok(Box::new(move || client.encrypt(&x).map(drop)))
}

/// The client's per-public-key tables, built from scratch on every run (the cached ones of
/// [`crate::fe::ipfe::PublicParams`] are built only once).
fn ipfe_encrypt_tables<G: PrimeGroup + 'static>() -> Result<Op> {
    let (_authority, pp) = Authority::<G>::setup(N)?;
    Ok(Box::new(move || {
        std::hint::black_box(G::encrypt_tables(pp.elements()));
        Ok(())
    }))
}

fn ipfe_decrypt<G: PrimeGroup + 'static>(x: Vec<i64>) -> Result<Op> {
    let (authority, pp) = Authority::<G>::setup(N)?;
    let keys = authority.function_keys(&int_rows(H))?;
    let ct = Client::new(pp.clone()).encrypt(&x)?;
    let server = Server::new(pp, DLOG_BOUND)?;
    Ok(Box::new(move || server.decrypt_rows(&ct, &keys).map(drop)))
}

fn attack(x: Vec<f64>, method: Method, observations: usize) -> Result<Op> {
    let obs = (0..observations)
        .map(|k| Observation::observe(gaussian_w1(H, k as u64), &x))
        .collect::<Result<Vec<_>>>()?;
    let leak = Leak {
        observations: obs,
        gradient: None,
    };
    let attacker = Attacker::mnist();
    let options = Options::default();
    Ok(Box::new(move || {
        let rec = attacker.reconstruct(&leak, &method, &options)?;
        rec.image().map(drop)
    }))
}

fn fq2_rand(r: &mut ChaCha20Rng) -> ark_bls12_381::Fq2 {
    let fr = |r: &mut ChaCha20Rng| {
        let mut b = [0u8; 64];
        r.fill(&mut b[..]);
        <ark_bls12_381::Fq as ark_ff::PrimeField>::from_le_bytes_mod_order(&b)
    };
    ark_bls12_381::Fq2::new(fr(r), fr(r))
}

fn fhipe_primitive(name: &str, xi: Vec<i64>) -> Result<Op> {
    use crate::fe::fhipe::pairing::{miller_loop_lines, prepare_g2, G2Lines};
    use crate::fe::{FhipeCiphertext, FhipeKey};
    use ark_bls12_381::{Fq, Fq2, G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::{CurveGroup, PrimeGroup as _};
    use ark_ff::Field;
    // A key and a ciphertext, for the primitives that need them (the others skip the setup, so
    // a CPU-time difference between runs is not drowned in it).
    let objects = || -> Result<(FhipeKey, crate::fe::FhipeCiphertext)> {
        let client = FhipeClient::setup(N)?;
        Ok((client.keygen(&int_rows(1)[0])?, client.encrypt(&xi)?))
    };
    let op: Op = match name {
        "fhipe-prim-fp-mul" => {
            let (a, b) = (
                Fq::from(3u64).inverse().unwrap_or_default(),
                -Fq::from(7u64),
            );
            Box::new(move || {
                let mut acc = a;
                for _ in 0..PRIM_REPS {
                    acc *= b;
                }
                std::hint::black_box(acc);
                Ok(())
            })
        }
        "fhipe-prim-fp2-mul" => {
            let a = Fq2::new(Fq::from(5u64), -Fq::from(3u64))
                .inverse()
                .unwrap_or_default();
            let b = Fq2::new(-Fq::from(7u64), Fq::from(11u64));
            Box::new(move || {
                let mut acc = a;
                for _ in 0..PRIM_REPS {
                    acc *= b;
                }
                std::hint::black_box(acc);
                Ok(())
            })
        }
        name if name.starts_with("fhipe-prim-line-") => {
            let mut r = rng();
            let f0 = ark_bls12_381::Fq12::new(
                ark_bls12_381::Fq6::new(fq2_rand(&mut r), fq2_rand(&mut r), fq2_rand(&mut r)),
                ark_bls12_381::Fq6::new(fq2_rand(&mut r), fq2_rand(&mut r), fq2_rand(&mut r)),
            );
            let (a, b) = (fq2_rand(&mut r), fq2_rand(&mut r));
            let which = name.to_string();
            Box::new(move || {
                let mut f = f0;
                for _ in 0..LINE_REPS {
                    match which.as_str() {
                        "fhipe-prim-line-arkworks" => f.mul_by_014(&a, &b, &Fq2::ONE),
                        _ => crate::fe::fhipe::pairing::mul_line(&mut f, &a, &b),
                    }
                }
                std::hint::black_box(f);
                Ok(())
            })
        }
        "fhipe-prim-miller-pair" => {
            let mut r = rng();
            let p: Vec<G1Affine> = (0..N)
                .map(|_| {
                    (G1Projective::generator() * crate::fe::fhipe::pairing::random_fr(&mut r))
                        .into_affine()
                })
                .collect();
            let q: Vec<G2Affine> = (0..N)
                .map(|_| {
                    (G2Projective::generator() * crate::fe::fhipe::pairing::random_fr(&mut r))
                        .into_affine()
                })
                .collect();
            let lines = G2Lines::batch(prepare_g2(&q));
            Box::new(move || {
                let pairs: Vec<(&G1Affine, &G2Lines)> = p.iter().zip(&lines).collect();
                std::hint::black_box(miller_loop_lines(&pairs));
                Ok(())
            })
        }
        "fhipe-prim-g1-decode" => {
            let kb = objects()?.0.to_bytes();
            Box::new(move || FhipeKey::from_bytes(&kb).map(drop))
        }
        "fhipe-prim-g2-decode" => {
            let cb = objects()?.1.to_bytes();
            Box::new(move || FhipeCiphertext::from_bytes(&cb).map(drop))
        }
        "fhipe-prim-prepare-ct" => {
            let ct = objects()?.1;
            Box::new(move || {
                std::hint::black_box(crate::fe::fhipe::prepare(&ct));
                Ok(())
            })
        }
        "fhipe-prim-decrypt-key" => {
            let (key, ct) = objects()?;
            let server = FhipeServer::new(DLOG_BOUND)?;
            let prepared = server.prepare(&ct)?;
            Box::new(move || server.decrypt_prepared(&prepared, &key).map(drop))
        }
        other => {
            return Err(Error::invalid(format!(
                "unknown benchmark workload \"{other}\""
            )))
        }
    };
    Ok(op)
}

/// A 3×side×side colour image (CHW) made from the digit: red = the digit placed at (2, 2)
/// (cropped to the side), green = its negative, blue = its transpose.
fn color_image(digit: &[u8], side: usize) -> Vec<u8> {
    let at = |i: usize, j: usize| -> u8 {
        match (i.checked_sub(2), j.checked_sub(2)) {
            (Some(a), Some(b)) if a < 28 && b < 28 => digit[a * 28 + b],
            _ => 0,
        }
    };
    let mut out = Vec::with_capacity(3 * side * side);
    for c in 0..3 {
        for i in 0..side {
            for j in 0..side {
                out.push(match c {
                    0 => at(i, j),
                    1 => 255 - at(i, j),
                    _ => at(j, i),
                });
            }
        }
    }
    out
}

fn conv_fe(digit: &[u8]) -> Result<Op> {
    use crate::attack::conv::{solve_lstsq, ConvEquations, ConvOptions};
    use crate::nn::conv::{ConvLayer, ConvShape, Padding};
    use crate::protocol::conv_fe::{encode_pixels, ConvFe};
    let shape = ConvShape::new(3, 32, 32, 3, 16, Padding::Same)?;
    let layer = ConvLayer::random_normal(shape, 16.0, 7)?;
    let levels = encode_pixels(&color_image(digit, 32), 255)?;
    let fe = ConvFe::<Ristretto255>::setup_with_replay_seed(layer, 255, [9; 32])?;
    let keys = fe.keys()?;
    Ok(Box::new(move || {
        let ct = fe.encrypt(&levels)?;
        let view = fe.decrypt(&ct, &keys)?;
        let rec = solve_lstsq(&ConvEquations::from_view(&view)?, &ConvOptions::default())?;
        std::hint::black_box(rec.image);
        Ok(())
    }))
}

fn fhipe_conv(digit: &[u8]) -> Result<Op> {
    use crate::nn::cnn::Im2col;
    use crate::nn::conv::{ConvLayer, ConvShape, Padding};
    let shape = ConvShape::new(3, 8, 8, 3, 16, Padding::Same)?;
    let layer = ConvLayer::random_normal(shape, 16.0, 7)?;
    let rows: Vec<Vec<i64>> = (0..16).map(|f| layer.filter(f).to_vec()).collect();
    let img: Vec<i64> = color_image(digit, 8)
        .iter()
        .map(|&p| i64::from(p))
        .collect();
    let patches = Im2col::new(shape)?.columns(&img)?;
    let patches: Vec<Vec<i64>> = patches.rows().into_iter().map(|r| r.to_vec()).collect();
    let client = FhipeClient::setup(shape.patch_len())?;
    let server = FhipeServer::new(layer.output_bound(255).max(1))?;
    Ok(Box::new(move || {
        let keys = client.keygen_rows(&rows)?;
        for p in &patches {
            let prepared = server.prepare(&client.encrypt(p)?)?;
            for key in &keys {
                server.decrypt_prepared(&prepared, key)?;
            }
        }
        Ok(())
    }))
}

fn prepare(name: &str, digit: &[u8]) -> Result<Op> {
    let xi: Vec<i64> = digit.iter().map(|&p| i64::from(p)).collect();
    let xf: Vec<f64> = digit.iter().map(|&p| f64::from(p) / 255.0).collect();
    match name {
        "ipfe-encrypt-ristretto255" => ipfe_encrypt::<Ristretto255>(xi),
        "ipfe-encrypt-tables-ristretto255" => ipfe_encrypt_tables::<Ristretto255>(),
        "ipfe-decrypt-h128-ristretto255" => ipfe_decrypt::<Ristretto255>(xi),
        "ipfe-encrypt-ffdhe2048" => ipfe_encrypt::<ModP2048>(xi),
        "ipfe-decrypt-h128-ffdhe2048" => ipfe_decrypt::<ModP2048>(xi),
        "fhipe-setup-784" => Ok(Box::new(|| FhipeClient::setup(N).map(drop))),
        "fhipe-keygen-h16" => {
            let client = FhipeClient::setup(N)?;
            let rows = int_rows(FHIPE_H);
            Ok(Box::new(move || client.keygen_rows(&rows).map(drop)))
        }
        "fhipe-encrypt" => {
            let client = FhipeClient::setup(N)?;
            Ok(Box::new(move || client.encrypt(&xi).map(drop)))
        }
        "fhipe-decrypt-h16" | "fhipe-decrypt-h8" => {
            let rows = if name.ends_with("h8") {
                FHIPE_H / 2
            } else {
                FHIPE_H
            };
            let client = FhipeClient::setup(N)?;
            let keys = client.keygen_rows(&int_rows(rows))?;
            let ct = client.encrypt(&xi)?;
            let server = FhipeServer::new(DLOG_BOUND)?;
            Ok(Box::new(move || {
                let prepared = server.prepare(&ct)?;
                for key in &keys {
                    server.decrypt_prepared(&prepared, key)?;
                }
                Ok(())
            }))
        }
        "fhipe-keygen-encrypt-decrypt-h16" => {
            let client = FhipeClient::setup(N)?;
            let rows = int_rows(FHIPE_H);
            let server = FhipeServer::new(DLOG_BOUND)?;
            Ok(Box::new(move || {
                let keys = client.keygen_rows(&rows)?;
                let prepared = server.prepare(&client.encrypt(&xi)?)?;
                for key in &keys {
                    server.decrypt_prepared(&prepared, key)?;
                }
                Ok(())
            }))
        }
        name if name.starts_with("fhipe-prim-") => fhipe_primitive(name, xi),
        "conv-fe-k16-32x32-color" => conv_fe(digit),
        "fhipe-conv-k16-8x8-color" => fhipe_conv(digit),
        "attack-paper-h128" => attack(xf, Method::paper(None, 1.0), 1),
        "attack-minsum-h128" => attack(xf, Method::MinSum, 1),
        "attack-tv-h128" => attack(xf, Method::tv(), 1),
        "attack-stacked-2x128" => attack(xf, Method::MinSum, 2),
        other => Err(Error::invalid(format!(
            "unknown benchmark workload \"{other}\""
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_workload_has_an_implementation() {
        // Every name the harness may ask for (listed or part) resolves and prepares (this
        // builds the inputs, FHIPE setups included, without timing anything).
        let digit = [0u8; N];
        for w in WORKLOADS.iter().chain(PART_WORKLOADS) {
            assert!(workload(w.name).is_ok(), "{}", w.name);
            assert!(
                prepare(w.name, &digit).is_ok(),
                "{} has no implementation",
                w.name
            );
        }
        assert!(run("no-such-workload", &[0u8; N], 1).is_err());
        assert!(run("attack-minsum-h128", &[0u8; 10], 1).is_err());
    }

    #[test]
    fn a_cheap_workload_runs_and_reports_ordered_timings() {
        let digit: Vec<u8> = (0..N)
            .map(|i| if (i / 28 + i % 28) % 7 == 0 { 200 } else { 0 })
            .collect();
        let m = run("ipfe-encrypt-ristretto255", &digit, 3).unwrap();
        assert_eq!((m.runs, m.samples_ms.len()), (3, 3));
        assert!(m.min_ms <= m.median_ms && m.min_ms > 0.0);
    }
}
