//! Scheme properties (proptest): IPFE over every group with n ≤ 16 and FHIPE with n ≤ 8 decrypt
//! ⟨x, y⟩ exactly inside the bound and return `DlogOutOfRange` outside it — at ±B, ±(B + 1),
//! multiples of the baby-step size and their neighbours, and random values — natively and under
//! wasm32. Also the discrete log alone on every group at those edges.

use glasslayer::fe::dlog::{self, DlogGroup, Table};
use glasslayer::fe::fhipe::pairing::Gt;
use glasslayer::fe::group::{ModP2048, ModP3072, PrimeGroup, Ristretto255};
use glasslayer::roles::{Authority, Client, FhipeClient, FhipeServer, Server};
use glasslayer::Error;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const WASM: bool = cfg!(target_arch = "wasm32");

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    })
}

/// The value to aim at, chosen by `pick` relative to the bound `b` and the baby-step size `m`.
fn aim(pick: u8, b: i64, m: i64, k: i64, r: i64) -> i64 {
    let km = (k % (b / m.max(1) + 2)).max(0) * m;
    let v = match pick % 10 {
        0 => b,
        1 => -b,
        2 => b + 1,
        3 => -b - 1,
        4 => km,
        5 => -km,
        6 => km + 1,
        7 => -km - 1,
        8 => km - 1,
        _ => r % (b + 1),
    };
    v.clamp(-(1 << 40), 1 << 40)
}

/// Vectors `x`, `y` of length `n` with `⟨x, y⟩ = target`: random small entries, then the first
/// coordinate pair `(x_0, y_0) = (1, target − rest)`.
fn vectors(n: usize, target: i64, tail: &[(i8, i8)]) -> (Vec<i64>, Vec<i64>) {
    let mut x = vec![1i64];
    let mut y = vec![0i64];
    for &(a, b) in tail.iter().take(n - 1) {
        x.push(i64::from(a));
        y.push(i64::from(b));
    }
    let rest: i64 = x[1..].iter().zip(&y[1..]).map(|(a, b)| a * b).sum();
    y[0] = target - rest;
    (x, y)
}

fn ipfe_group<G: PrimeGroup>(cases: u32, bounds: &[u64]) {
    // One authority per n (setup is the expensive part for ffdhe), reused by every case.
    let sizes = [1usize, 2, 5, 16];
    let parties: Vec<_> = sizes
        .iter()
        .map(|&n| {
            let mut rng = ChaCha20Rng::from_seed([n as u8; 32]);
            let (authority, pp) = Authority::<G>::setup_with_rng(n, &mut rng).unwrap();
            let client = Client::new(pp.clone());
            let servers: Vec<Server<G>> = bounds
                .iter()
                .map(|&b| Server::new(pp.clone(), b).unwrap())
                .collect();
            (authority, client, servers)
        })
        .collect();
    let strategy = (
        0..sizes.len(),
        0..bounds.len(),
        any::<u8>(),
        any::<i64>(),
        any::<i64>(),
        prop::collection::vec(any::<(i8, i8)>(), 15),
    );
    runner(cases)
        .run(&strategy, |(si, bi, pick, k, r, tail)| {
            let (authority, client, servers) = &parties[si];
            let server = &servers[bi];
            let (b, m) = (server.bound() as i64, server.table_size() as i64);
            let target = aim(pick, b, m, k.unsigned_abs() as i64 % (1 << 20), r);
            let (x, y) = vectors(sizes[si], target, &tail);
            let key = authority.function_key(&y).unwrap();
            let ct = client.encrypt(&x).unwrap();
            let got = server.decrypt(&ct, &key);
            if target.unsigned_abs() <= server.bound() {
                prop_assert_eq!(got, Ok(target));
            } else {
                prop_assert_eq!(
                    got,
                    Err(Error::DlogOutOfRange {
                        bound: server.bound()
                    })
                );
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn ipfe_ristretto255_exact_inside_out_of_range_outside() {
    ipfe_group::<Ristretto255>(
        if WASM { 60 } else { 300 },
        &[1, 300, 127 * 255 * 16, 1 << 24],
    );
}

#[test]
fn ipfe_ffdhe2048_exact_inside_out_of_range_outside() {
    ipfe_group::<ModP2048>(if WASM { 12 } else { 60 }, &[1, 300, 127 * 255 * 16]);
}

#[test]
fn ipfe_ffdhe3072_exact_inside_out_of_range_outside() {
    ipfe_group::<ModP3072>(if WASM { 6 } else { 25 }, &[5, 127 * 255 * 16]);
}

#[test]
fn fhipe_exact_inside_out_of_range_outside() {
    let sizes = [1usize, 3, 8];
    let bounds = [1u64, 200, 1 << 16];
    let clients: Vec<FhipeClient> = sizes
        .iter()
        .map(|&n| FhipeClient::with_replay_seed(n, [n as u8; 32]).unwrap())
        .collect();
    let strategy = (
        0..sizes.len(),
        0..bounds.len(),
        any::<u8>(),
        any::<i64>(),
        any::<i64>(),
        prop::collection::vec(any::<(i8, i8)>(), 7),
    );
    runner(if WASM { 8 } else { 40 })
        .run(&strategy, |(si, bi, pick, k, r, tail)| {
            let client = &clients[si];
            let server = FhipeServer::with_expected_n(bounds[bi], sizes[si]).unwrap();
            let b = bounds[bi] as i64;
            // The growing table starts at 64 baby steps and doubles.
            let target = aim(
                pick,
                b,
                64 << (k.unsigned_abs() % 4),
                k.unsigned_abs() as i64,
                r,
            );
            let (x, y) = vectors(sizes[si], target, &tail);
            let key = client.keygen(&y).unwrap();
            let ct = client.encrypt(&x).unwrap();
            let got = server.decrypt(&ct, &key);
            if target.unsigned_abs() <= bounds[bi] {
                prop_assert_eq!(got, Ok(target));
            } else {
                prop_assert_eq!(got, Err(Error::DlogOutOfRange { bound: bounds[bi] }));
            }
            Ok(())
        })
        .unwrap();
}

fn pow_signed<G: DlogGroup>(base: &G::Element, z: i64) -> G::Element {
    let p = G::pow_u64(base, z.unsigned_abs());
    if z < 0 {
        G::inverse(&p)
    } else {
        p
    }
}

fn dlog_edges<G: DlogGroup>(cases: u32, sizes: &[u64]) {
    let tables: Vec<Table<G>> = sizes
        .iter()
        .map(|&m| Table::<G>::build(G::generator(), m).unwrap())
        .collect();
    let strategy = (
        0..sizes.len(),
        1u64..100_000,
        any::<u8>(),
        any::<i64>(),
        any::<i64>(),
    );
    runner(cases)
        .run(&strategy, |(ti, bound, pick, k, r)| {
            let t = &tables[ti];
            // Bounds within the work budget of this table.
            let bound = bound.min(t.size() * 1000);
            let (b, m) = (bound as i64, t.size() as i64);
            let z = aim(pick, b, m, k.unsigned_abs() as i64, r);
            let got = t.solve(&pow_signed::<G>(&G::generator(), z), bound);
            if z.unsigned_abs() <= bound {
                prop_assert_eq!(got, Ok(z));
            } else {
                prop_assert_eq!(got, Err(Error::DlogOutOfRange { bound }));
            }
            // The growing search for one-off bases agrees.
            if pick % 3 == 0 {
                let g = dlog::solve_growing::<G>(
                    &G::generator(),
                    &pow_signed::<G>(&G::generator(), z),
                    bound,
                );
                if z.unsigned_abs() <= bound {
                    prop_assert_eq!(g, Ok(z));
                } else {
                    prop_assert_eq!(g, Err(Error::DlogOutOfRange { bound }));
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn dlog_ristretto255_edges() {
    dlog_edges::<Ristretto255>(if WASM { 100 } else { 500 }, &[1, 16, 64, 1000, 4096]);
}

#[test]
fn dlog_ffdhe2048_edges() {
    dlog_edges::<ModP2048>(if WASM { 20 } else { 80 }, &[16, 256, 1024]);
}

#[test]
fn dlog_gt_edges() {
    dlog_edges::<Gt>(if WASM { 10 } else { 40 }, &[8, 64, 256]);
}

#[test]
fn bounds_over_the_caps_are_refused() {
    let (_, pp) = Authority::<Ristretto255>::setup(2).unwrap();
    for b in [(1u64 << 40) + 1, 1 << 60, u64::MAX] {
        assert!(matches!(
            Server::new(pp.clone(), b),
            Err(Error::Limit { .. })
        ));
        assert!(matches!(FhipeServer::new(b), Err(Error::Limit { .. })));
    }
    // 2⁴⁰ itself is within the budget of the default table (2²⁰ baby steps, 2²⁰ giant steps
    // per walker); with a small table it is not.
    assert_eq!(dlog::table_size_for(1 << 40), 1 << 20);
    assert!(matches!(
        Server::with_table_size(pp.clone(), 1 << 40, 1 << 10),
        Err(Error::Limit { .. })
    ));
    assert!(matches!(
        Server::with_table_size(pp, 1000, 1 << 30),
        Err(Error::Limit { .. })
    ));
    // FHIPE's growing table stops at 2¹⁸: bounds up to 2³⁸ fit the work budget.
    assert!(FhipeServer::new(1 << 38).is_ok());
    assert!(matches!(
        FhipeServer::new((1 << 38) + 1),
        Err(Error::Limit { .. })
    ));
    // A table asked to search past the budget refuses rather than walking.
    let t = Table::<Ristretto255>::build(Ristretto255::generator(), 16).unwrap();
    assert!(matches!(
        t.solve(&Ristretto255::generator(), 1 << 30),
        Err(Error::Limit { .. })
    ));
}
