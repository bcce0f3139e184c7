//! IPFE (ABDP15) through the roles, for every group backend: decryption equals ⟨x, y⟩ for
//! random and extreme inputs, values at ±bound decrypt, bound + 1 is `DlogOutOfRange`.

use glasslayer::fe::group::{ModP2048, ModP3072, PrimeGroup, Ristretto255};
use glasslayer::fe::{ipfe, GroupChoice};
use glasslayer::roles::{Authority, Client, Server};
use glasslayer::Error;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

fn dot(x: &[i64], y: &[i64]) -> i64 {
    x.iter().zip(y).map(|(a, b)| a * b).sum()
}

fn parties<G: PrimeGroup>(n: usize, bound: u64, seed: u64) -> (Authority<G>, Client<G>, Server<G>) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let (authority, pp) = Authority::<G>::setup_with_rng(n, &mut rng).unwrap();
    let client = Client::with_replay_seed(pp.clone(), [seed as u8; 32]);
    let server = Server::new(pp, bound).unwrap();
    (authority, client, server)
}

/// Random pixels 0..=255, random signed weights |w| ≤ 127, plus an all-negative and a zero row.
fn random_rows_roundtrip<G: PrimeGroup>(n: usize, rows: usize, seed: u64) {
    let bound = 127 * 255 * n as u64;
    let (authority, client, server) = parties::<G>(n, bound, seed);
    let mut rng = ChaCha20Rng::seed_from_u64(seed + 1);
    let x: Vec<i64> = (0..n).map(|_| rng.gen_range(0..=255)).collect();
    let mut w: Vec<Vec<i64>> = (0..rows)
        .map(|_| (0..n).map(|_| rng.gen_range(-127..=127)).collect())
        .collect();
    w.push(vec![-127; n]);
    w.push(vec![0; n]);
    let keys = authority.function_keys(&w).unwrap();
    let ct = client.encrypt(&x).unwrap();
    let z = server.decrypt_rows(&ct, &keys).unwrap();
    let expect: Vec<i64> = w.iter().map(|row| dot(&x, row)).collect();
    assert_eq!(z, expect, "{} n={n}", G::NAME);
    // One key at a time agrees with the shared-work path.
    assert_eq!(server.decrypt(&ct, &keys[0]).unwrap(), expect[0]);
    assert_eq!(server.decrypt_rows_sequential(&ct, &keys).unwrap(), expect);
}

#[test]
fn ristretto_random_rows() {
    random_rows_roundtrip::<Ristretto255>(24, 20, 1);
}

#[test]
fn ffdhe2048_random_rows() {
    // ≥ 16 keys: exercises the shared ct_0 window tables.
    random_rows_roundtrip::<ModP2048>(8, 18, 2);
}

#[test]
fn ffdhe3072_random_rows() {
    random_rows_roundtrip::<ModP3072>(4, 3, 3);
}

#[test]
fn ristretto_mnist_size_roundtrip() {
    let n = 784;
    random_rows_roundtrip::<Ristretto255>(n, 6, 4);
}

/// Values exactly at ±bound decrypt; bound + 1 and −(bound + 1) are `DlogOutOfRange`.
fn edges<G: PrimeGroup>(seed: u64) {
    let n = 4;
    let bound = 5_000u64;
    let (authority, client, server) = parties::<G>(n, bound, seed);
    let x = vec![1000, 1000, 1000, 1000];
    let cases: Vec<(Vec<i64>, Result<i64, Error>)> = vec![
        (vec![5, 0, 0, 0], Ok(5000)),
        (vec![-5, 0, 0, 0], Ok(-5000)),
        (vec![2, 2, 1, 0], Ok(5000)),
        (vec![2, 2, 1, -5], Ok(0)),
        (vec![5, 0, 0, 1], Err(Error::DlogOutOfRange { bound })),
        (vec![-5, 0, 0, -1], Err(Error::DlogOutOfRange { bound })),
        (
            vec![100, 100, 100, 100],
            Err(Error::DlogOutOfRange { bound }),
        ),
    ];
    let ct = client.encrypt(&x).unwrap();
    for (y, expect) in cases {
        let key = authority.function_key(&y).unwrap();
        assert_eq!(server.decrypt(&ct, &key), expect, "{} y={y:?}", G::NAME);
    }
    // ±(bound + 1) exactly, with x carrying the sign.
    let ct = client.encrypt(&[5001, -5001, 1, 0]).unwrap();
    for (y, expect) in [
        (vec![1, 0, 0, 0], Err(Error::DlogOutOfRange { bound })),
        (vec![0, 1, 0, 0], Err(Error::DlogOutOfRange { bound })),
        (vec![1, 0, -1, 0], Ok(5000)),
        (vec![0, 1, 1, 0], Ok(-5000)),
    ] {
        let key = authority.function_key(&y).unwrap();
        assert_eq!(server.decrypt(&ct, &key), expect, "{} y={y:?}", G::NAME);
    }
}

#[test]
fn ristretto_bound_edges() {
    edges::<Ristretto255>(10);
}

#[test]
fn ffdhe2048_bound_edges() {
    edges::<ModP2048>(11);
}

#[test]
fn ffdhe3072_bound_edges() {
    edges::<ModP3072>(12);
}

/// Large signed coefficients (multi-window bucket method) and negative plaintexts.
fn large_values<G: PrimeGroup>(n: usize, seed: u64) {
    let bound = 1u64 << 26;
    let (authority, client, server) = parties::<G>(n, bound, seed);
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let x: Vec<i64> = (0..n).map(|_| rng.gen_range(-3..=3)).collect();
    let rows: Vec<Vec<i64>> = (0..3)
        .map(|_| {
            (0..n)
                .map(|_| rng.gen_range(-1_000_000..=1_000_000))
                .collect()
        })
        .collect();
    let keys = authority.function_keys(&rows).unwrap();
    let ct = client.encrypt(&x).unwrap();
    let expect: Vec<i64> = rows.iter().map(|r| dot(&x, r)).collect();
    assert!(expect.iter().all(|z| z.unsigned_abs() <= bound));
    assert_eq!(
        server.decrypt_rows(&ct, &keys).unwrap(),
        expect,
        "{}",
        G::NAME
    );
}

#[test]
fn ristretto_large_values() {
    large_values::<Ristretto255>(12, 20);
}

#[test]
fn ffdhe2048_large_values() {
    large_values::<ModP2048>(4, 21);
}

/// dW1 = δ1·X from per-feature ciphertexts across the batch and keys for the rows of δ1.
fn gradient<G: PrimeGroup>(seed: u64) {
    let (batch, features, hidden) = (4usize, 6usize, 3usize);
    let bound = 1_000_000;
    let (authority, client, server) = parties::<G>(batch, bound, seed);
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let x: Vec<Vec<i64>> = (0..batch)
        .map(|_| (0..features).map(|_| rng.gen_range(0..=255)).collect())
        .collect();
    let delta: Vec<Vec<i64>> = (0..hidden)
        .map(|_| (0..batch).map(|_| rng.gen_range(-500..=500)).collect())
        .collect();
    let cts = client.encrypt_features(&x).unwrap();
    assert_eq!(cts.len(), features);
    let keys = authority.function_keys(&delta).unwrap();
    let dw = server.decrypt_gradient(&cts, &keys).unwrap();
    for i in 0..hidden {
        for j in 0..features {
            let expect: i64 = (0..batch).map(|b| delta[i][b] * x[b][j]).sum();
            assert_eq!(dw[i][j], expect, "dW1[{i}][{j}]");
        }
    }
    // A batch of the wrong size is refused.
    assert!(matches!(
        client.encrypt_features(&x[..3]),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn ristretto_gradient_path() {
    gradient::<Ristretto255>(30);
}

#[test]
fn ffdhe2048_gradient_path() {
    gradient::<ModP2048>(31);
}

/// Many keys with 4-bit weights on short ciphertexts (CryptoNN's gradient step: δ quantised to
/// ±15 over a batch) take the small-multiples path; single keys take the bucket path. Both
/// must give the exact inner products, including weights 0 and ±15.
fn many_small_keys<G: PrimeGroup>(seed: u64) {
    let (batch, keys_n) = (8usize, 40usize);
    let (authority, client, server) = parties::<G>(batch, 255 * 15 * batch as u64, seed);
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let x: Vec<i64> = (0..batch).map(|_| rng.gen_range(0..=255)).collect();
    let mut delta: Vec<Vec<i64>> = (0..keys_n)
        .map(|_| (0..batch).map(|_| rng.gen_range(-15..=15)).collect())
        .collect();
    delta.push(vec![15; batch]);
    delta.push(vec![-15; batch]);
    delta.push(vec![0; batch]);
    let keys = authority.function_keys(&delta).unwrap();
    let ct = client.encrypt(&x).unwrap();
    let expect: Vec<i64> = delta.iter().map(|d| dot(&x, d)).collect();
    assert_eq!(
        server.decrypt_rows(&ct, &keys).unwrap(),
        expect,
        "{}",
        G::NAME
    );
    for (key, e) in keys.iter().zip(&expect) {
        assert_eq!(server.decrypt(&ct, key).unwrap(), *e, "{} one key", G::NAME);
    }
}

#[test]
fn ristretto_many_small_keys() {
    many_small_keys::<Ristretto255>(40);
}

#[test]
fn ffdhe2048_many_small_keys() {
    many_small_keys::<ModP2048>(41);
}

#[test]
fn dimension_mismatches_are_invalid_input() {
    let (authority, client, server) = parties::<Ristretto255>(4, 100, 40);
    assert!(matches!(
        authority.function_key(&[1, 2, 3]),
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        client.encrypt(&[1, 2, 3, 4, 5]),
        Err(Error::InvalidInput(_))
    ));
    let (other, pp5) = Authority::<Ristretto255>::setup(5).unwrap();
    let ct5 = Client::new(pp5).encrypt(&[1; 5]).unwrap();
    let key4 = authority.function_key(&[1; 4]).unwrap();
    assert!(matches!(
        server.decrypt(&ct5, &key4),
        Err(Error::InvalidInput(_))
    ));
    let key5 = other.function_key(&[1; 5]).unwrap();
    let ct4 = client.encrypt(&[1; 4]).unwrap();
    assert!(matches!(
        server.decrypt(&ct4, &key5),
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        Authority::<Ristretto255>::setup(0),
        Err(Error::InvalidInput(_))
    ));
    assert!(Server::new(server.public_params().clone(), u64::MAX).is_err());
}

#[test]
fn fresh_randomness_gives_distinct_ciphertexts() {
    let (_a, pp) = Authority::<Ristretto255>::setup(3).unwrap();
    let client = Client::new(pp);
    let c1 = client.encrypt(&[1, 2, 3]).unwrap();
    let c2 = client.encrypt(&[1, 2, 3]).unwrap();
    assert_ne!(c1, c2, "IND-CPA needs fresh r per encryption");
    // Replay clients are reproducible by construction.
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let (_a, pp) = Authority::<Ristretto255>::setup_with_rng(3, &mut rng).unwrap();
    let r1 = Client::with_replay_seed(pp.clone(), [9; 32])
        .encrypt(&[1, 2, 3])
        .unwrap();
    let r2 = Client::with_replay_seed(pp, [9; 32])
        .encrypt(&[1, 2, 3])
        .unwrap();
    assert_eq!(r1, r2);
}

#[test]
fn group_choice_dispatch_and_security_levels() {
    let levels: Vec<(String, u32, u32)> = GroupChoice::ALL
        .iter()
        .map(|&c| {
            glasslayer::with_group!(c, G => (G::NAME.to_string(), G::SECURITY_BITS, c.security_bits()))
        })
        .collect();
    assert_eq!(
        levels,
        vec![
            ("ristretto255".into(), 126, 126),
            ("ffdhe2048".into(), 112, 112),
            ("ffdhe3072".into(), 128, 128)
        ]
    );
    for c in GroupChoice::ALL {
        assert_eq!(c.name().parse::<GroupChoice>().unwrap(), c);
    }
    assert!("p256".parse::<GroupChoice>().is_err());
    // Generic code through the macro: a full roundtrip for a group chosen at run time.
    let z = glasslayer::with_group!(GroupChoice::Ristretto255, G => {
        let (a, pp) = Authority::<G>::setup(3).unwrap();
        let ct = Client::new(pp.clone()).encrypt(&[1, 2, 3]).unwrap();
        Server::new(pp, 100).unwrap().decrypt(&ct, &a.function_key(&[1, 1, -1]).unwrap()).unwrap()
    });
    assert_eq!(z, 0);
    // The low-level API agrees with the roles.
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let (msk, pp) = ipfe::setup::<Ristretto255, _>(2, &mut rng).unwrap();
    let ct = ipfe::encrypt(&pp, &[3, 4], &mut rng).unwrap();
    let g = ipfe::decrypt_to_group(&ct, &[msk.derive_key(&[1, 1]).unwrap()]).unwrap();
    assert_eq!(g[0], Ristretto255::pow_gen_i64(7));
}
