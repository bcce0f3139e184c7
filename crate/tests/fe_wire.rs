//! Serialization: roundtrips (bytes and serde JSON), and tampered or truncated input gives a typed
//! error — never a panic, never a silently different object of the wrong shape.

use glasslayer::fe::fhipe::{FhipeCiphertext, FhipeKey};
use glasslayer::fe::group::{ModP2048, ModP3072, PrimeGroup, Ristretto255};
use glasslayer::fe::ipfe::{Ciphertext, FunctionKey, PublicParams};
use glasslayer::roles::{Authority, Client, FhipeClient};
use glasslayer::Error;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

fn is_decode<T>(r: &Result<T, Error>) -> bool {
    matches!(r, Err(Error::Decode(_)))
}

/// Every truncation, a trailing byte, and header corruptions are `Decode` errors; flipping any
/// single bit either fails with `Decode` or decodes to a different object — it never panics.
fn tamper<T, F>(bytes: &[u8], decode: F, what: &str)
where
    T: PartialEq,
    F: Fn(&[u8]) -> Result<T, Error>,
{
    let original = decode(bytes).unwrap_or_else(|e| panic!("{what}: valid bytes rejected: {e}"));
    let step = (bytes.len() / 97).max(1);
    for len in (0..bytes.len()).step_by(step).chain([bytes.len() - 1]) {
        assert!(
            is_decode(&decode(&bytes[..len])),
            "{what}: truncated to {len}"
        );
    }
    let mut longer = bytes.to_vec();
    longer.push(0);
    assert!(is_decode(&decode(&longer)), "{what}: trailing byte");
    for pos in 0..9 {
        let mut b = bytes.to_vec();
        b[pos] ^= 0x40;
        assert!(is_decode(&decode(&b)), "{what}: header byte {pos}");
    }
    let mut rejected = 0;
    for pos in (9..bytes.len()).step_by(step) {
        let mut b = bytes.to_vec();
        b[pos] ^= 1 << (pos % 8);
        match decode(&b) {
            Err(Error::Decode(_)) => rejected += 1,
            Err(e) => panic!("{what}: byte {pos}: untyped error {e:?}"),
            Ok(v) => assert!(
                v != original,
                "{what}: byte {pos} flipped but decoded equal"
            ),
        }
    }
    let _ = rejected;
}

fn ipfe_objects<G: PrimeGroup>(n: usize) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let (authority, pp) = Authority::<G>::setup_with_rng(n, &mut rng).unwrap();
    let key = authority
        .function_key(&(0..n as i64).map(|i| i - 2).collect::<Vec<_>>())
        .unwrap();
    let ct = Client::with_replay_seed(pp.clone(), [2; 32])
        .encrypt(&vec![7; n])
        .unwrap();

    let pp_bytes = pp.to_bytes();
    assert_eq!(PublicParams::<G>::from_bytes(&pp_bytes).unwrap(), pp);
    let ct_bytes = ct.to_bytes();
    assert_eq!(ct_bytes.len(), ct.byte_len());
    assert_eq!(Ciphertext::<G>::from_bytes(&ct_bytes).unwrap(), ct);
    let key_bytes = key.to_bytes();
    let key2 = FunctionKey::<G>::from_bytes(&key_bytes).unwrap();
    assert_eq!(key2.to_bytes(), key_bytes);
    assert_eq!(key2.y(), key.y());

    // serde JSON: a hex string, and back.
    let json = serde_json::to_string(&ct).unwrap();
    assert!(json.starts_with('"'));
    assert_eq!(serde_json::from_str::<Ciphertext<G>>(&json).unwrap(), ct);
    let json = serde_json::to_string(&pp).unwrap();
    assert_eq!(serde_json::from_str::<PublicParams<G>>(&json).unwrap(), pp);
    let json = serde_json::to_string(&key).unwrap();
    assert_eq!(
        serde_json::from_str::<FunctionKey<G>>(&json)
            .unwrap()
            .to_bytes(),
        key_bytes
    );
    let bad = json.replacen('"', "\"00", 1);
    assert!(serde_json::from_str::<FunctionKey<G>>(&bad).is_err());
    assert!(serde_json::from_str::<Ciphertext<G>>("\"zz\"").is_err());

    tamper(&pp_bytes, PublicParams::<G>::from_bytes, "public params");
    tamper(&ct_bytes, Ciphertext::<G>::from_bytes, "ciphertext");
    tamper(
        &key_bytes,
        |b| FunctionKey::<G>::from_bytes(b).map(|k| k.to_bytes()),
        "function key",
    );

    // Objects of one kind or group are not accepted as another.
    assert!(is_decode(&Ciphertext::<G>::from_bytes(&pp_bytes)));
    assert!(is_decode(&PublicParams::<G>::from_bytes(&ct_bytes)));
    // A header claiming a huge dimension fails before allocating.
    let mut huge = pp_bytes.clone();
    huge[5..9].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(is_decode(&PublicParams::<G>::from_bytes(&huge)));
    let mut big = pp_bytes.clone();
    big[5..9].copy_from_slice(&(1u32 << 20).to_le_bytes());
    assert!(is_decode(&PublicParams::<G>::from_bytes(&big)));
}

#[test]
fn ristretto_objects() {
    ipfe_objects::<Ristretto255>(6);
}

#[test]
fn ffdhe2048_objects() {
    ipfe_objects::<ModP2048>(3);
}

#[test]
fn ffdhe3072_objects() {
    ipfe_objects::<ModP3072>(2);
}

#[test]
fn wrong_group_is_rejected() {
    let (_, pp) = Authority::<Ristretto255>::setup(2).unwrap();
    assert!(is_decode(&PublicParams::<ModP2048>::from_bytes(
        &pp.to_bytes()
    )));
}

#[test]
fn modp_elements_outside_the_subgroup_are_rejected() {
    let (_, pp) = Authority::<ModP2048>::setup(1).unwrap();
    let good = pp.to_bytes();
    let p = num_bigint::BigUint::parse_bytes(
        b"FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F619172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA886B423861285C97FFFFFFFFFFFFFFFF",
        16,
    )
    .unwrap();
    let with = |v: &num_bigint::BigUint| {
        let mut b = good[..9].to_vec();
        let bytes = v.to_bytes_be();
        b.extend(std::iter::repeat(0).take(256 - bytes.len()));
        b.extend(bytes);
        b
    };
    let zero = num_bigint::BigUint::from(0u32);
    let minus_one = &p - 1u32; // order 2: a non-residue
    let three = num_bigint::BigUint::from(3u32); // a non-residue mod this p? checked below
    for v in [&zero, &p, &minus_one] {
        assert!(is_decode(&PublicParams::<ModP2048>::from_bytes(&with(v))));
    }
    let four = num_bigint::BigUint::from(4u32);
    assert!(
        PublicParams::<ModP2048>::from_bytes(&with(&four)).is_ok(),
        "4 = 2² is a residue"
    );
    // Exactly one of v and −v is a residue (p ≡ 3 mod 4).
    let r3 = PublicParams::<ModP2048>::from_bytes(&with(&three)).is_ok();
    let r3n = PublicParams::<ModP2048>::from_bytes(&with(&(&p - 3u32))).is_ok();
    assert!(r3 != r3n);
}

#[test]
fn fhipe_objects() {
    let client = FhipeClient::with_replay_seed(3, [4; 32]).unwrap();
    let key = client.keygen(&[1, -2, 3]).unwrap();
    let ct = client.encrypt(&[4, 5, -6]).unwrap();
    let kb = key.to_bytes();
    let cb = ct.to_bytes();
    assert_eq!(kb.len(), key.byte_len());
    assert_eq!(cb.len(), ct.byte_len());
    assert_eq!(FhipeKey::from_bytes(&kb).unwrap(), key);
    assert_eq!(FhipeCiphertext::from_bytes(&cb).unwrap(), ct);
    let json = serde_json::to_string(&ct).unwrap();
    assert_eq!(serde_json::from_str::<FhipeCiphertext>(&json).unwrap(), ct);
    tamper(&kb, FhipeKey::from_bytes, "FHIPE key");
    tamper(&cb, FhipeCiphertext::from_bytes, "FHIPE ciphertext");
    assert!(is_decode(&FhipeKey::from_bytes(&cb)));
}
