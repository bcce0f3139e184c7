//! FHIPE (KLMMRW18) on BLS12-381 through the roles: signed inner products decrypt exactly,
//! ±bound decrypts, bound + 1 is `DlogOutOfRange`, the prepared/chunked path agrees.

use glasslayer::roles::{FhipeClient, FhipeServer};
use glasslayer::Error;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

fn dot(x: &[i64], y: &[i64]) -> i64 {
    x.iter().zip(y).map(|(a, b)| a * b).sum()
}

#[test]
fn signed_inner_products() {
    let n = 8;
    let client = FhipeClient::with_replay_seed(n, [1; 32]).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let x: Vec<i64> = (0..n).map(|_| rng.gen_range(-255..=255)).collect();
    let mut w: Vec<Vec<i64>> = (0..4)
        .map(|_| (0..n).map(|_| rng.gen_range(-127..=127)).collect())
        .collect();
    w.push(vec![0; n]);
    w.push(x.iter().map(|v| -v.signum()).collect()); // −Σ|x_i|
    let keys = client.keygen_rows(&w).unwrap();
    let ct = client.encrypt(&x).unwrap();
    let server = FhipeServer::new(127 * 255 * n as u64).unwrap();
    let z = server.decrypt_rows(&ct, &keys).unwrap();
    let expect: Vec<i64> = w.iter().map(|r| dot(&x, r)).collect();
    assert_eq!(z, expect);
    assert!(
        expect.iter().any(|&v| v < 0),
        "the test covers negative results"
    );
    // Chunked path: prepare once, decrypt key by key.
    let prepared = server.prepare(&ct).unwrap();
    for (k, e) in keys.iter().zip(&expect) {
        assert_eq!(server.decrypt_prepared(&prepared, k).unwrap(), *e);
    }
}

#[test]
fn bound_edges() {
    let n = 3;
    let client = FhipeClient::with_replay_seed(n, [3; 32]).unwrap();
    let bound = 600;
    let server = FhipeServer::new(bound).unwrap();
    let ct = client.encrypt(&[100, -100, 1]).unwrap();
    for (w, expect) in [
        (vec![6, 0, 0], Ok(600)),
        (vec![0, 6, 0], Ok(-600)),
        (vec![6, 0, 1], Err(Error::DlogOutOfRange { bound })),
        (vec![0, 6, -1], Err(Error::DlogOutOfRange { bound })),
        (vec![1000, 0, 0], Err(Error::DlogOutOfRange { bound })),
    ] {
        let key = client.keygen(&w).unwrap();
        assert_eq!(server.decrypt(&ct, &key), expect, "w = {w:?}");
    }
}

#[test]
fn keys_and_ciphertexts_hide_their_vectors_and_are_randomized() {
    let client = FhipeClient::with_replay_seed(4, [5; 32]).unwrap();
    let k1 = client.keygen(&[1, 2, 3, 4]).unwrap();
    let k2 = client.keygen(&[1, 2, 3, 4]).unwrap();
    assert_ne!(k1, k2, "fresh α per key");
    let c1 = client.encrypt(&[1, 2, 3, 4]).unwrap();
    let c2 = client.encrypt(&[1, 2, 3, 4]).unwrap();
    assert_ne!(c1, c2, "fresh β per ciphertext");
    let server = FhipeServer::new(100).unwrap();
    assert_eq!(server.decrypt(&c1, &k2).unwrap(), 30);
    assert_eq!(server.decrypt(&c2, &k1).unwrap(), 30);
}

#[test]
fn dimension_mismatch_is_invalid_input() {
    let a = FhipeClient::setup(3).unwrap();
    let b = FhipeClient::setup(4).unwrap();
    assert!(matches!(a.keygen(&[1, 2]), Err(Error::InvalidInput(_))));
    assert!(matches!(
        a.encrypt(&[1, 2, 3, 4]),
        Err(Error::InvalidInput(_))
    ));
    let server = FhipeServer::new(10).unwrap();
    let ct = a.encrypt(&[1, 2, 3]).unwrap();
    let key = b.keygen(&[1, 2, 3, 4]).unwrap();
    assert!(matches!(
        server.decrypt(&ct, &key),
        Err(Error::InvalidInput(_))
    ));
    assert!(FhipeClient::setup(0).is_err());
}

#[test]
fn a_key_from_another_master_key_does_not_decrypt() {
    let a = FhipeClient::setup(3).unwrap();
    let b = FhipeClient::setup(3).unwrap();
    let server = FhipeServer::new(1000).unwrap();
    let ct = a.encrypt(&[1, 2, 3]).unwrap();
    let key = b.keygen(&[1, 1, 1]).unwrap();
    assert_eq!(
        server.decrypt(&ct, &key),
        Err(Error::DlogOutOfRange { bound: 1000 })
    );
}

#[test]
fn degenerate_keys_are_refused_not_looped_on() {
    use glasslayer::fe::{FhipeCiphertext, FhipeKey};
    let client = FhipeClient::with_replay_seed(2, [6; 32]).unwrap();
    let key = client.keygen(&[1, 2]).unwrap();
    let ct = client.encrypt(&[3, 4]).unwrap();
    // K1 replaced by the point at infinity (uncompressed: infinity flag 0b010 then zeros).
    let mut kb = key.to_bytes();
    kb[9] = 0x40;
    kb[10..9 + 96].iter_mut().for_each(|b| *b = 0);
    let bad_key = FhipeKey::from_bytes(&kb).unwrap();
    // The largest bound FHIPE accepts (2³⁸, crate::limits): the refusal must not depend on a walk.
    let server = FhipeServer::new(1 << 38).unwrap();
    assert!(matches!(
        server.decrypt(&ct, &bad_key),
        Err(Error::InvalidInput(_))
    ));
    // C1 at infinity likewise.
    let mut cb = ct.to_bytes();
    cb[9] = 0x40;
    cb[10..9 + 192].iter_mut().for_each(|b| *b = 0);
    let bad_ct = FhipeCiphertext::from_bytes(&cb).unwrap();
    assert!(matches!(
        server.decrypt(&bad_ct, &key),
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(server.decrypt(&ct, &key).unwrap(), 11);
}

#[test]
fn the_field_path_is_the_one_this_build_asked_for() {
    // `npm test` runs this file a second time with `--features force_mont32`: then the 32-bit
    // products of vendor/ark-bls12-381 must be the ones every pairing above used.
    assert_eq!(
        ark_bls12_381::mont32::ACTIVE,
        cfg!(any(target_arch = "wasm32", feature = "force_mont32"))
    );
}

#[test]
fn an_expected_length_is_checked_before_decoding() {
    use glasslayer::fe::{FhipeCiphertext, FhipeKey};
    let client = FhipeClient::with_replay_seed(2, [9; 32]).unwrap();
    let ct = client.encrypt(&[1, 2]).unwrap().to_bytes();
    let key = client.keygen(&[3, 4]).unwrap().to_bytes();
    assert!(FhipeCiphertext::from_bytes_expecting(&ct, Some(2)).is_ok());
    assert!(FhipeKey::from_bytes_expecting(&key, Some(2)).is_ok());
    // Points corrupted after the header: the length check answers first.
    let mut bad_ct = ct.clone();
    bad_ct[20] ^= 0xff;
    assert!(matches!(
        FhipeCiphertext::from_bytes_expecting(&bad_ct, Some(3)),
        Err(Error::InvalidInput(m)) if m.contains("expected 3")
    ));
    assert!(matches!(
        FhipeKey::from_bytes_expecting(&key, Some(1)),
        Err(Error::InvalidInput(m)) if m.contains("expected 1")
    ));
    let server = FhipeServer::with_expected_n(100, 3).unwrap();
    let ct = FhipeCiphertext::from_bytes(&ct).unwrap();
    assert!(matches!(server.prepare(&ct), Err(Error::InvalidInput(_))));
}

/// Points on the curve but outside the prime-order subgroup: `G + T` with `T` of order 3 (the
/// cofactor's smallest prime, the case a batched test is weakest against), and points from
/// random `x` (almost surely outside the subgroup). Each must fail decoding.
mod outside_the_subgroup {
    use ark_bls12_381::{Fq, Fq2, G1Affine, G2Affine};
    use ark_ec::AdditiveGroup;
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_ff::{UniformRand, Zero};
    use ark_serialize::CanonicalSerialize;
    use glasslayer::fe::{FhipeCiphertext, FhipeKey};
    use glasslayer::roles::FhipeClient;
    use glasslayer::Error;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn put<P: CanonicalSerialize>(bytes: &mut [u8], at: usize, p: &P) {
        let mut enc = Vec::new();
        p.serialize_uncompressed(&mut enc).unwrap();
        bytes[at..at + enc.len()].copy_from_slice(&enc);
    }

    fn off_subgroup_g1(rng: &mut ChaCha20Rng) -> G1Affine {
        loop {
            if let Some(p) = G1Affine::get_point_from_x_unchecked(Fq::rand(rng), true) {
                if !p.is_in_correct_subgroup_assuming_on_curve() {
                    return p;
                }
            }
        }
    }

    fn off_subgroup_g2(rng: &mut ChaCha20Rng) -> G2Affine {
        loop {
            if let Some(p) = G2Affine::get_point_from_x_unchecked(Fq2::rand(rng), true) {
                if !p.is_in_correct_subgroup_assuming_on_curve() {
                    return p;
                }
            }
        }
    }

    #[test]
    fn key_points_outside_g1_are_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(17);
        let client = FhipeClient::with_replay_seed(4, [8; 32]).unwrap();
        let key = client.keygen(&[1, -2, 3, 4]).unwrap();
        let good = key.to_bytes();
        assert_eq!(FhipeKey::from_bytes(&good).unwrap(), key);
        // T = (0, 2) has order 3 on y² = x³ + 4.
        let t3 = G1Affine::new_unchecked(Fq::ZERO, Fq::from(2u64));
        assert!(t3.is_on_curve() && !t3.is_in_correct_subgroup_assuming_on_curve());
        assert!((t3.into_group() * ark_bls12_381::Fr::from(3u64)).is_zero());
        let g = G1Affine::generator();
        let shifted = (g + t3).into_affine();
        assert!(shifted.is_on_curve());
        for (slot, p) in [
            (0, shifted),
            (2, shifted),
            (4, off_subgroup_g1(&mut rng)),
            (1, t3),
        ] {
            let mut b = good.clone();
            put(&mut b, 9 + slot * 96, &p);
            match FhipeKey::from_bytes(&b) {
                Err(Error::Decode(m)) => assert!(m.contains("subgroup"), "{m}"),
                other => panic!("slot {slot}: accepted a point outside G1: {other:?}"),
            }
        }
    }

    #[test]
    fn ciphertext_points_outside_g2_are_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(18);
        let client = FhipeClient::with_replay_seed(4, [9; 32]).unwrap();
        let ct = client.encrypt(&[5, 6, -7, 8]).unwrap();
        let good = ct.to_bytes();
        assert_eq!(FhipeCiphertext::from_bytes(&good).unwrap(), ct);
        for slot in [0, 3] {
            let mut b = good.clone();
            put(&mut b, 9 + slot * 192, &off_subgroup_g2(&mut rng));
            match FhipeCiphertext::from_bytes(&b) {
                Err(Error::Decode(m)) => assert!(m.contains("subgroup"), "{m}"),
                other => panic!("slot {slot}: accepted a point outside G2: {other:?}"),
            }
        }
    }

    #[test]
    fn a_flipped_bit_is_rejected() {
        let client = FhipeClient::with_replay_seed(3, [10; 32]).unwrap();
        let kb = client.keygen(&[1, 2, 3]).unwrap().to_bytes();
        let cb = client.encrypt(&[1, 2, 3]).unwrap().to_bytes();
        // Last byte of y (off the curve) and a low byte of x, in every point.
        for p in 0..4 {
            for at in [9 + p * 96 + 95, 9 + p * 96 + 40] {
                let mut b = kb.clone();
                b[at] ^= 0x10;
                assert!(
                    matches!(FhipeKey::from_bytes(&b), Err(Error::Decode(_))),
                    "key byte {at}"
                );
            }
            for at in [9 + p * 192 + 191, 9 + p * 192 + 100] {
                let mut b = cb.clone();
                b[at] ^= 0x01;
                assert!(
                    matches!(FhipeCiphertext::from_bytes(&b), Err(Error::Decode(_))),
                    "ciphertext byte {at}"
                );
            }
        }
    }
}
