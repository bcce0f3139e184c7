//! `npm run fuzz`: the long hostile-input run (see README, "Hostile input").
//!
//! A high-volume structured random engine on stable Rust: for every decoder target of
//! `tests/hostile/mod.rs` it runs `--execs` inputs (default 10⁶) — 90 % stacks of 1–4 structured
//! mutations of valid encodings, 10 % arbitrary bytes — and checks the same properties as the
//! property tests (no panic, typed errors, exact re-encoding). Then `--field-products` (default
//! 10⁸) BLS12-381 field products of the 32-bit-limb code against arkworks' 64-bit code, one in
//! 1000 also against `BigUint`. Panics are caught, counted and the input is written to
//! `target/fuzz-crashes/`. Prints executions per target; exits non-zero on any failure. It runs in
//! the dev profile on purpose: overflow checks and debug assertions on, panics unwind.
//!
//! ```sh
//! cargo run -p glasslayer --example fuzz -- [--execs N] [--field-products N] [--seed S] [--only NAME]
//! ```

#[path = "../tests/hostile/mod.rs"]
mod hostile;

use ark_bls12_381::{mont32, Fq, FqConfig, Fr, FrConfig};
use ark_ff::{BigInt, MontConfig};
use hostile::{apply, Mutation, Target, INTERESTING_U32};
use num_bigint::BigUint;
use num_traits::{One, Zero};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

struct Args {
    execs: u64,
    field_products: u64,
    seed: u64,
    only: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        execs: 1_000_000,
        field_products: 100_000_000,
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(1),
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--execs" => a.execs = value().parse().expect("--execs N"),
            "--field-products" => a.field_products = value().parse().expect("--field-products N"),
            "--seed" => a.seed = value().parse().expect("--seed N"),
            "--only" => a.only = Some(value()),
            other => panic!("unknown flag {other} (--execs, --field-products, --seed, --only)"),
        }
    }
    a
}

fn mutation(rng: &mut ChaCha8Rng, t: &Target) -> Mutation {
    let at = rng.gen::<u32>() as usize;
    match rng.gen_range(0..9) {
        0 => Mutation::Flip { at, bit: rng.gen() },
        1 => Mutation::Set {
            at,
            byte: rng.gen(),
        },
        2 => Mutation::Truncate {
            len: rng.gen::<u32>() as usize,
        },
        3 => Mutation::Extend {
            bytes: (0..rng.gen_range(1..16)).map(|_| rng.gen()).collect(),
        },
        4 => Mutation::Delete {
            at,
            len: rng.gen::<u32>() as usize,
        },
        5 => Mutation::Insert {
            at,
            bytes: (0..rng.gen_range(1..16)).map(|_| rng.gen()).collect(),
        },
        6 | 7 => {
            let mut value = INTERESTING_U32[rng.gen_range(0..INTERESTING_U32.len())];
            if rng.gen_ratio(1, 4) {
                value = value.wrapping_add(rng.gen_range(0..3)).wrapping_sub(1);
            }
            let (at, big_endian) = if t.size_fields.is_empty() || rng.gen_ratio(1, 8) {
                (at, rng.gen())
            } else {
                t.size_fields[rng.gen_range(0..t.size_fields.len())]
            };
            Mutation::SizeField {
                at,
                value,
                big_endian,
            }
        }
        _ => Mutation::Splice {
            from: rng.gen::<u32>() as usize,
            at,
            len: rng.gen::<u32>() as usize,
        },
    }
}

fn input(rng: &mut ChaCha8Rng, t: &Target) -> Vec<u8> {
    if rng.gen_ratio(1, 10) {
        let len = rng.gen_range(0..1024);
        let mut v = vec![0u8; len];
        rng.fill_bytes(&mut v);
        return v;
    }
    let mut buf = t.seeds[rng.gen_range(0..t.seeds.len())].clone();
    for _ in 0..rng.gen_range(1..=4) {
        apply(&mut buf, &mutation(rng, t));
    }
    buf
}

fn crash_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-crashes");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Run `execs` inputs against one target; returns (executions, failures).
fn fuzz_target(t: &Target, execs: u64, seed: u64) -> (u64, u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut failures = 0;
    for i in 0..execs {
        let buf = input(&mut rng, t);
        let outcome = catch_unwind(AssertUnwindSafe(|| (t.check)(&buf)));
        let problem = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(_) => Some("panic".to_string()),
        };
        if let Some(p) = problem {
            failures += 1;
            let path = crash_dir().join(format!("{}-{seed}-{i}.bin", t.name));
            let _ = std::fs::write(&path, &buf);
            eprintln!("{}: {p} (input saved to {})", t.name, path.display());
        }
    }
    (execs, failures)
}

fn big<const N: usize>(l: &[u64; N]) -> BigUint {
    l.iter()
        .rev()
        .fold(BigUint::zero(), |acc, &x| (acc << 64) + x)
}

/// A value below the modulus: random, or one of the carry-chain edge families.
fn field_value<const N: usize>(rng: &mut ChaCha8Rng, m: &BigUint) -> [u64; N] {
    let bits = 64 * N as u32;
    let k = rng.gen_range(0..bits);
    let one = BigUint::one();
    let v = match rng.gen_range(0..8) {
        0 => m - ((&one << k) % m),
        1 => (&one << k) - 1u32,
        2 => ((&one << bits) - 1u32) % m,
        3 => (&one << bits) % m,
        4 => m - 1u32,
        _ => {
            let mut l = [0u64; N];
            for x in l.iter_mut() {
                *x = match rng.gen_range(0..6) {
                    0 => u64::MAX,
                    1 => 0,
                    _ => rng.gen(),
                };
            }
            big(&l) % m
        }
    };
    let mut out = [0u64; N];
    for (o, d) in out.iter_mut().zip(v.iter_u64_digits()) {
        *o = d;
    }
    out
}

fn field_run<const N: usize, const L: usize>(
    modulus: BigInt<N>,
    ark: impl Fn(&[u64; N], &[u64; N]) -> [u64; N],
    products: u64,
    seed: u64,
) -> u64 {
    let m = big(&modulus.0);
    let m32: [u32; L] = mont32::limbs32::<N, L>(&modulus.0);
    let inv = mont32::inv32(modulus.0[0]);
    let r_inv = (BigUint::one() << (64 * N))
        .modinv(&m)
        .expect("odd modulus");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut failures = 0;
    // A pool of values, refreshed every 4096 products so both edge values and fresh randomness
    // reach every position.
    let mut pool: Vec<[u64; N]> = (0..64).map(|_| field_value::<N>(&mut rng, &m)).collect();
    for i in 0..products {
        if i % 4096 == 0 {
            for slot in pool.iter_mut().take(8) {
                *slot = field_value::<N>(&mut rng, &m);
            }
            pool.rotate_left(8);
        }
        let a = &pool[(i % 64) as usize];
        let b = &pool[((i / 64 + i) % 64) as usize];
        let ours = mont32::mul::<N, L>(a, b, &modulus.0, &m32, inv);
        let mut bad = ours != ark(a, b);
        if i % 1000 == 0 {
            bad |= big(&ours) != (big(a) * big(b) * &r_inv) % &m;
        }
        if bad {
            failures += 1;
            eprintln!("field product mismatch: {a:?} · {b:?}");
        }
    }
    failures
}

fn main() {
    let a = args();
    let t0 = Instant::now();
    println!(
        "glasslayer fuzz run: seed {} (rerun with --seed {0})",
        a.seed
    );
    let targets: Vec<Target> = hostile::targets()
        .into_iter()
        .filter(|t| a.only.as_deref().map_or(true, |o| t.name.contains(o)))
        .collect();
    // Silence the default panic message (a caught panic is reported with its input instead).
    std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(t) = targets.get(i) else { break };
                let start = Instant::now();
                let (execs, failures) = fuzz_target(t, a.execs, a.seed ^ ((i as u64) << 32));
                let secs = start.elapsed().as_secs_f64();
                println!(
                    "{:<36} {execs:>12} executions  {failures} failures  {secs:>7.1} s  ({:.0}/s)",
                    t.name,
                    execs as f64 / secs.max(1e-9)
                );
                results.lock().unwrap().push((t.name, execs, failures));
            });
        }
    });
    let field_failures = if a.only.is_none() && a.field_products > 0 {
        let start = Instant::now();
        let per = a.field_products / 2;
        let (fq, fr) = std::thread::scope(|s| {
            let fq = s.spawn(|| {
                field_run::<6, 12>(
                    <FqConfig as MontConfig<6>>::MODULUS,
                    |x, y| ((Fq::new_unchecked(BigInt(*x)) * Fq::new_unchecked(BigInt(*y))).0).0,
                    per,
                    a.seed,
                )
            });
            let fr = s.spawn(|| {
                field_run::<4, 8>(
                    <FrConfig as MontConfig<4>>::MODULUS,
                    |x, y| ((Fr::new_unchecked(BigInt(*x)) * Fr::new_unchecked(BigInt(*y))).0).0,
                    a.field_products - per,
                    a.seed + 1,
                )
            });
            (fq.join().unwrap_or(1), fr.join().unwrap_or(1))
        });
        println!(
            "{:<36} {:>12} products    {} failures  {:>7.1} s   (Fq {per}, Fr {})",
            "bls12-381-mont32-vs-arkworks",
            a.field_products,
            fq + fr,
            start.elapsed().as_secs_f64(),
            a.field_products - per
        );
        fq + fr
    } else {
        0
    };
    let results = results.into_inner().unwrap();
    let decoder_failures: u64 = results.iter().map(|r| r.2).sum();
    let total: u64 = results.iter().map(|r| r.1).sum();
    println!(
        "\n{} decoder targets, {total} executions, {decoder_failures} failures; {field_failures} field failures; {:.0} s",
        results.len(),
        t0.elapsed().as_secs_f64()
    );
    if decoder_failures + field_failures > 0 {
        std::process::exit(1);
    }
}
