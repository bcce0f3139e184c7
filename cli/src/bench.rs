//! `glasslayer bench <what>` — benchmarks of the core. One sub-subcommand per area so more can
//! join later (`bench attack`, `bench all`, …).
//!
//! `glasslayer bench fe [--json]` times the FE engine at the paper's sizes (n = 784): for each IPFE
//! group, setup / key derivation / encryption / the dlog table / decryption of h keys against
//! one ciphertext (`z = W1·x`, discrete logs included, weights |w| ≤ 127, pixels 0..255); for
//! FHIPE, setup / keygen / encrypt / decrypt and the end-to-end `keygen h + encrypt + decrypt h`.
//! With `--json`, one JSON object per operation and line:
//! `{"op":…, "backend":…, "n":…, "h":…, "median_ms":…, "runs":…, "goal_ms":…, "threads":…}`.

use anyhow::{bail, Context};
use glasslayer::fe::group::PrimeGroup;
use glasslayer::fe::GroupChoice;
use glasslayer::roles::{Authority, Client, FhipeClient, FhipeServer, Server};
use serde::Serialize;
use std::time::Instant;

/// Arguments of `glasslayer bench`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// The FE engine: IPFE over ristretto255 / ffdhe2048 / ffdhe3072, and FHIPE over BLS12-381.
    Fe(FeArgs),
    /// The standard workloads shared with the browser benchmark (`npm run bench`).
    All(crate::bench_all::AllArgs),
}

/// Arguments of `glasslayer bench fe`.
#[derive(clap::Args)]
struct FeArgs {
    /// One JSON object per operation and line.
    #[arg(long)]
    json: bool,
    /// Vector length (784 = 28×28 MNIST).
    #[arg(long, default_value_t = 784)]
    n: usize,
    /// Hidden units: function keys decrypted against one IPFE ciphertext.
    #[arg(long, default_value_t = 128)]
    h: usize,
    /// Keys for the FHIPE end-to-end measurement.
    #[arg(long, default_value_t = 16)]
    fhipe_h: usize,
    /// Timed repetitions per operation (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Which backends: any of ristretto255, ffdhe2048, ffdhe3072, fhipe (comma separated).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "ristretto255,ffdhe2048,ffdhe3072,fhipe"
    )]
    backends: Vec<String>,
    /// Also time the primitives (group operation, squaring, exponentiation, Miller loop…),
    /// reported per single operation.
    #[arg(long)]
    primitives: bool,
}

/// One measured operation.
#[derive(Serialize)]
struct Row {
    op: &'static str,
    backend: String,
    n: usize,
    h: usize,
    median_ms: f64,
    /// Median CPU time over all threads (load-independent cost; Linux only).
    #[serde(skip_serializing_if = "Option::is_none")]
    cpu_ms: Option<f64>,
    runs: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    goal_ms: Option<f64>,
    threads: usize,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.what {
        What::Fe(a) => run_fe(a),
        What::All(a) => crate::bench_all::run(a),
    }
}

/// CPU time consumed so far by all threads of this process, in ns (Linux: the sum of
/// `/proc/self/task/*/schedstat`; threads that already exited are not counted, rayon's pool
/// threads live for the whole run). `None` elsewhere.
fn cpu_ns() -> Option<u64> {
    let mut total = 0u64;
    for entry in std::fs::read_dir("/proc/self/task").ok()? {
        let path = entry.ok()?.path().join("schedstat");
        let text = std::fs::read_to_string(path).ok()?;
        total += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total)
}

/// Median wall-clock and CPU milliseconds of an operation.
struct Timing {
    wall_ms: f64,
    cpu_ms: Option<f64>,
}

/// Time `f` `runs` times (after one untimed warm-up when `warm`): medians of wall and CPU time
/// per call. Short operations are repeated inside each run (so a run lasts ≥ 50 ms) because the
/// kernel's per-thread CPU accounting is only updated at scheduler ticks.
fn measure<T>(
    runs: usize,
    warm: bool,
    mut f: impl FnMut() -> anyhow::Result<T>,
) -> anyhow::Result<Timing> {
    let mut reps = 1usize;
    if warm {
        let t = Instant::now();
        f()?;
        let once = t.elapsed().as_secs_f64();
        if once < 0.05 {
            reps = ((0.05 / once.max(1e-6)).ceil() as usize).min(1000);
        }
    }
    let mut wall = Vec::with_capacity(runs);
    let mut cpu = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let c0 = cpu_ns();
        let t = Instant::now();
        for _ in 0..reps {
            drop(f()?);
        }
        wall.push(t.elapsed().as_secs_f64() * 1e3 / reps as f64);
        if let (Some(a), Some(b)) = (c0, cpu_ns()) {
            cpu.push(b.saturating_sub(a) as f64 / 1e6 / reps as f64);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    Ok(Timing {
        wall_ms: median(&mut wall),
        cpu_ms: (cpu.len() == wall.len()).then(|| median(&mut cpu)),
    })
}

struct Report {
    json: bool,
    threads: usize,
}

impl Report {
    fn emit(&self, row: Row) -> anyhow::Result<()> {
        if self.json {
            println!("{}", serde_json::to_string(&row)?);
        } else {
            let goal = row.goal_ms.map_or(String::new(), |g| {
                format!(
                    "  (goal ≤ {g} ms: {})",
                    if row.median_ms <= g { "met" } else { "MISSED" }
                )
            });
            let unit = |ms: f64| {
                if ms < 1.0 {
                    format!("{:>9.2} µs", ms * 1e3)
                } else {
                    format!("{ms:>9.2} ms")
                }
            };
            let cpu = row
                .cpu_ms
                .map_or(String::new(), |c| format!(" (cpu {})", unit(c)));
            println!(
                "{:<16} {:<28} n={:<5} h={:<4} {}{cpu}  median of {}{}",
                row.backend,
                row.op,
                row.n,
                row.h,
                unit(row.median_ms),
                row.runs,
                goal
            );
        }
        Ok(())
    }
}

fn run_fe(a: FeArgs) -> anyhow::Result<()> {
    if a.n == 0 || a.h == 0 || a.fhipe_h == 0 {
        bail!("n, h and --fhipe-h must be positive");
    }
    use glasslayer::limits::{MAX_FHIPE_N, MAX_HIDDEN};
    if a.n > MAX_FHIPE_N || a.h > MAX_HIDDEN || a.fhipe_h > MAX_HIDDEN {
        bail!("--n is at most {MAX_FHIPE_N}, --h and --fhipe-h at most {MAX_HIDDEN}");
    }
    let report = Report {
        json: a.json,
        threads: rayon_threads(),
    };
    if a.primitives {
        primitives(&a, &report)?;
    }
    for b in &a.backends {
        if b == "fhipe" {
            bench_fhipe(&a, &report)?;
        } else {
            let choice: GroupChoice = b.parse().with_context(|| format!("backend `{b}`"))?;
            glasslayer::with_group!(choice, G => bench_ipfe::<G>(&a, &report))?;
        }
    }
    Ok(())
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Goals from the issue (n = 784, h = 128 / 16, 2 cores).
fn goal(backend: &str, op: &str, n: usize, h: usize) -> Option<f64> {
    if n != 784 {
        return None;
    }
    match (backend, op, h) {
        ("ristretto255", "encrypt", _) => Some(25.0),
        ("ristretto255", "decrypt_rows", 128) => Some(40.0),
        ("ffdhe2048", "encrypt", _) => Some(400.0),
        ("ffdhe2048", "decrypt_rows", 128) => Some(600.0),
        ("fhipe-bls12-381", "setup", _) => Some(3000.0),
        ("fhipe-bls12-381", "keygen+encrypt+decrypt_rows", 16) => Some(3000.0),
        _ => None,
    }
}

/// Benchmark inputs (not secrets): pixels 0..=255 and weights in [−127, 127] from SplitMix64.
fn sample(n: usize, h: usize, seed: u64) -> (Vec<i64>, Vec<Vec<i64>>) {
    let mut state = seed;
    let mut next = move |range: u64| {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % range) as i64
    };
    let x = (0..n).map(|_| next(256)).collect();
    let w = (0..h)
        .map(|_| (0..n).map(|_| next(255) - 127).collect())
        .collect();
    (x, w)
}

fn bench_ipfe<G: PrimeGroup>(a: &FeArgs, report: &Report) -> anyhow::Result<()> {
    let (n, h, runs) = (a.n, a.h, a.runs);
    let bound = 127 * 255 * n as u64;
    let (x, w) = sample(n, h, 1);
    let row = |op: &'static str, hh: usize, t: Timing| Row {
        op,
        backend: G::NAME.to_string(),
        n,
        h: hh,
        median_ms: t.wall_ms,
        cpu_ms: t.cpu_ms,
        runs,
        goal_ms: goal(G::NAME, op, n, hh),
        threads: report.threads,
    };

    let ms = measure(runs, true, || Ok(Authority::<G>::setup(n)?))?;
    report.emit(row("setup", 0, ms))?;
    let (authority, pp) = Authority::<G>::setup(n)?;

    let ms = measure(runs, true, || Ok(authority.function_keys(&w)?))?;
    report.emit(row("keygen", h, ms))?;
    let keys = authority.function_keys(&w)?;

    // The encryptor's per-key tables (ffdhe comb), built once per public key on first use.
    let fresh = glasslayer::fe::PublicParams::<G>::from_bytes(&pp.to_bytes())?;
    let ms = measure(1, false, || {
        fresh.encrypt_tables();
        Ok(())
    })?;
    report.emit(row("encrypt_tables_once", 0, ms))?;
    let client = Client::new(pp.clone());
    let ms = measure(runs, true, || Ok(client.encrypt(&x)?))?;
    report.emit(row("encrypt", 0, ms))?;
    let ct = client.encrypt(&x)?;

    let bytes = ct.to_bytes();
    let ms = measure(runs, true, || {
        Ok(glasslayer::fe::Ciphertext::<G>::from_bytes(&bytes)?)
    })?;
    report.emit(row("ciphertext_decode_validate", 0, ms))?;

    // The table is built once per process and shared: time its first construction.
    let m = glasslayer::fe::dlog::table_size_for(bound);
    let mut server = None;
    let ms = measure(1, false, || {
        server = Some(Server::with_table_size(pp.clone(), bound, m)?);
        Ok(())
    })?;
    report.emit(row("dlog_table_build", 0, ms))?;
    let server = server.context("server")?;

    let expect: Vec<i64> = w
        .iter()
        .map(|r| r.iter().zip(&x).map(|(a, b)| a * b).sum())
        .collect();
    let got = server.decrypt_rows(&ct, &keys)?;
    if got != expect {
        bail!("{}: decryption mismatch", G::NAME);
    }
    let ms = measure(runs, true, || Ok(server.decrypt_rows(&ct, &keys)?))?;
    report.emit(row("decrypt_rows", h, ms))?;
    let ms = measure(runs, true, || {
        Ok(server.decrypt_rows_sequential(&ct, &keys)?)
    })?;
    report.emit(row("decrypt_rows_one_thread", h, ms))?;
    let ms = measure(runs, true, || Ok(server.decrypt(&ct, &keys[0])?))?;
    report.emit(row("decrypt_one", 1, ms))?;
    Ok(())
}

fn bench_fhipe(a: &FeArgs, report: &Report) -> anyhow::Result<()> {
    let (n, h, runs) = (a.n, a.fhipe_h, a.runs);
    let bound = 127 * 255 * n as u64;
    let (x, w) = sample(n, h, 2);
    let backend = "fhipe-bls12-381";
    let row = |op: &'static str, hh: usize, t: Timing| Row {
        op,
        backend: backend.to_string(),
        n,
        h: hh,
        median_ms: t.wall_ms,
        cpu_ms: t.cpu_ms,
        runs,
        goal_ms: goal(backend, op, n, hh),
        threads: report.threads,
    };
    let ms = measure(runs, true, || Ok(FhipeClient::setup(n)?))?;
    report.emit(row("setup", 0, ms))?;
    let client = FhipeClient::setup(n)?;
    let server = FhipeServer::new(bound)?;
    let expect: Vec<i64> = w
        .iter()
        .map(|r| r.iter().zip(&x).map(|(a, b)| a * b).sum())
        .collect();

    let ms = measure(runs, true, || Ok(client.keygen_rows(&w)?))?;
    report.emit(row("keygen", h, ms))?;
    let keys = client.keygen_rows(&w)?;
    let ms = measure(runs, true, || Ok(client.encrypt(&x)?))?;
    report.emit(row("encrypt", 0, ms))?;
    let ct = client.encrypt(&x)?;
    let ms = measure(runs, true, || Ok(server.prepare(&ct)?))?;
    report.emit(row("prepare_ciphertext", 0, ms))?;
    if server.decrypt_rows(&ct, &keys)? != expect {
        bail!("FHIPE: decryption mismatch");
    }
    let ms = measure(runs, true, || Ok(server.decrypt_rows(&ct, &keys)?))?;
    report.emit(row("decrypt_rows", h, ms))?;
    let ms = measure(runs, true, || {
        let keys = client.keygen_rows(&w)?;
        let ct = client.encrypt(&x)?;
        let z = server.decrypt_rows(&ct, &keys)?;
        if z != expect {
            bail!("FHIPE: decryption mismatch");
        }
        Ok(z)
    })?;
    report.emit(row("keygen+encrypt+decrypt_rows", h, ms))?;
    Ok(())
}

/// Per-operation cost of the building blocks (median over `runs` batches of `reps`).
fn primitives(a: &FeArgs, report: &Report) -> anyhow::Result<()> {
    use glasslayer::fe::dlog::DlogGroup;
    use glasslayer::fe::group::{multiexp, ModP2048, ModP3072, Ristretto255};
    let runs = a.runs;
    let emit = |backend: &str, op: &'static str, reps: usize, t: Timing| {
        report.emit(Row {
            op,
            backend: backend.to_string(),
            n: 1,
            h: 0,
            median_ms: t.wall_ms / reps as f64,
            cpu_ms: t.cpu_ms.map(|c| c / reps as f64),
            runs,
            goal_ms: None,
            threads: 1,
        })
    };
    fn modp<G: PrimeGroup<Element = glasslayer::fe::group::ModPElement>>(
        name: &str,
        runs: usize,
        emit: &dyn Fn(&str, &'static str, usize, Timing) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let x = G::pow_gen_i64(123_456_789);
        let y = G::pow_gen_i64(-987_654_321);
        let reps = 2000;
        emit(
            name,
            "group_op",
            reps,
            measure(runs, true, || {
                let mut acc = x.clone();
                for _ in 0..reps {
                    acc = G::op(&acc, &y);
                }
                Ok(acc)
            })?,
        )?;
        emit(
            name,
            "square",
            reps,
            measure(runs, true, || {
                let mut acc = x.clone();
                for _ in 0..reps {
                    acc = G::square(&acc);
                }
                Ok(acc)
            })?,
        )?;
        let e = [u64::MAX - 12345, u64::MAX / 3, u64::MAX / 5, u64::MAX / 7];
        let reps = 20;
        emit(
            name,
            "pow_256bit_exponent",
            reps,
            measure(runs, true, || {
                let mut acc = x.clone();
                for _ in 0..reps {
                    acc = multiexp::pow_limbs::<G>(&acc, &e);
                }
                Ok(acc)
            })?,
        )?;
        Ok(())
    }
    modp::<ModP2048>("ffdhe2048", runs, &emit)?;
    {
        // Reference point: num-bigint's own modpow (Montgomery inside) with a 256-bit exponent.
        let q = glasslayer::fe::group::ModP2048::order();
        let p = q * 2u32 + 1u32;
        let e = q >> 1791u32;
        let b = glasslayer::fe::group::ModP2048::to_biguint(&ModP2048::pow_gen_i64(123_456_789));
        let reps = 20;
        emit(
            "ffdhe2048",
            "num_bigint_modpow_256bit",
            reps,
            measure(runs, true, || {
                let mut acc = b.clone();
                for _ in 0..reps {
                    acc = acc.modpow(&e, &p);
                }
                Ok(acc)
            })?,
        )?;
    }
    modp::<ModP3072>("ffdhe3072", runs, &emit)?;

    type R = Ristretto255;
    let p = R::pow_gen_i64(5);
    let q = R::pow_gen_i64(7);
    let s = glasslayer::fe::group::RistrettoScalar::from(u128::MAX - 3)
        * glasslayer::fe::group::RistrettoScalar::from(u128::MAX - 5);
    let reps = 2000;
    emit(
        "ristretto255",
        "group_op",
        reps,
        measure(runs, true, || {
            let mut acc = p;
            for _ in 0..reps {
                acc = R::op(&acc, &q);
            }
            Ok(acc)
        })?,
    )?;
    let reps = 200;
    emit(
        "ristretto255",
        "variable_base_mul",
        reps,
        measure(runs, true, || {
            let mut acc = p;
            for _ in 0..reps {
                acc *= s;
            }
            Ok(acc)
        })?,
    )?;
    emit(
        "ristretto255",
        "fixed_base_mul",
        reps,
        measure(runs, true, || {
            let mut acc = p;
            for _ in 0..reps {
                acc += R::pow_gen(&s);
            }
            Ok(acc)
        })?,
    )?;
    emit(
        "ristretto255",
        "fixed_base_mul_small",
        reps,
        measure(runs, true, || {
            let mut acc = p;
            for i in 0..reps {
                acc += R::pow_gen_i64(i as i64 - 100);
            }
            Ok(acc)
        })?,
    )?;
    let pts: Vec<_> = (0..1024).map(|i| R::pow_gen_i64(i + 1)).collect();
    emit(
        "ristretto255",
        "batch_hash_key",
        pts.len(),
        measure(runs, true, || Ok(R::hash_keys(&pts)))?,
    )?;

    use glasslayer::fe::fhipe::pairing::Gt;
    let g = Gt::generator();
    let h = Gt::square(&g);
    let reps = 500;
    emit(
        "fhipe-bls12-381",
        "gt_op",
        reps,
        measure(runs, true, || {
            let mut acc = g;
            for _ in 0..reps {
                acc = Gt::op(&acc, &h);
            }
            Ok(acc)
        })?,
    )?;
    // The FHIPE primitives the issue asks for (the same code as the browser bench's
    // `fhipe-prim-*` rows), per item, with the ratio to the quoted wasm floor.
    let digit: Vec<u8> = (0..glasslayer::bench::N)
        .map(|i| (i * 37 % 256) as u8)
        .collect();
    for w in glasslayer::bench::WORKLOADS
        .iter()
        .filter(|w| w.name.starts_with("fhipe-prim-"))
    {
        let m = glasslayer::bench::run(w.name, &digit, runs)?;
        let per = m.per_op.unwrap_or(1.0);
        let t = Timing {
            wall_ms: m.median_ms,
            cpu_ms: None,
        };
        emit("fhipe-bls12-381", w.name, per as usize, t)?;
        if let (Some(floor), false) = (m.floor_ns, a.json) {
            let unit_ns = m.median_ms * 1e6 / per;
            println!(
                "    {}: {unit_ns:.0} ns per item natively, {:.2}× the quoted wasm floor ({floor:.0} ns)",
                w.name,
                unit_ns / floor
            );
        }
    }
    let client = FhipeClient::setup(a.n)?;
    let (x, w) = sample(a.n, 1, 3);
    let key = client.keygen(&w[0])?;
    let ct = client.encrypt(&x)?;
    let server = FhipeServer::new(127 * 255 * a.n as u64)?;
    let prepared = server.prepare(&ct)?;
    emit(
        "fhipe-bls12-381",
        "decrypt_one_key_prepared",
        1,
        measure(runs, true, || Ok(server.decrypt_prepared(&prepared, &key)?))?,
    )?;
    Ok(())
}
