//! Roles as types: `Debug` never prints a secret; a server can only be built from public data.

use curve25519_dalek::Scalar;
use glasslayer::fe::group::{ModP2048, Ristretto255};
use glasslayer::roles::{Authority, Client, FhipeClient, FhipeServer, Server};
use rand::RngCore;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

#[test]
fn debug_output_redacts_secrets() {
    // Reproduce the first master-secret coordinate from the same seed to look for it.
    let mut probe = ChaCha20Rng::seed_from_u64(99);
    let mut wide = [0u8; 64];
    probe.fill_bytes(&mut wide);
    let s0 = Scalar::from_bytes_mod_order_wide(&wide);
    let secret_forms = [
        hex::encode(s0.as_bytes()),
        format!("{:?}", s0),
        format!("{:?}", s0.as_bytes()),
    ];

    let mut rng = ChaCha20Rng::seed_from_u64(99);
    let (authority, pp) = Authority::<Ristretto255>::setup_with_rng(4, &mut rng).unwrap();
    let key = authority.function_key(&[1, 0, 0, 0]).unwrap(); // sk = s0
    let client = Client::new(pp.clone());
    let server = Server::new(pp, 100).unwrap();
    let texts = [
        format!("{authority:?}"),
        format!("{authority:#?}"),
        format!("{key:?}"),
        format!("{client:?}"),
        format!("{server:?}"),
    ];
    for t in &texts {
        for s in &secret_forms {
            assert!(!t.contains(s.as_str()), "secret printed in {t}");
        }
        assert!(t.len() < 200, "Debug output should be a short summary: {t}");
    }
    assert!(texts[0].contains("redacted") && texts[2].contains("redacted"));

    let (a2, _) = Authority::<ModP2048>::setup(2).unwrap();
    assert!(format!("{a2:?}").contains("redacted"));
    let k2 = a2.function_key(&[3, 4]).unwrap();
    assert!(format!("{k2:?}").contains("redacted"));
    let fc = FhipeClient::setup(3).unwrap();
    let dbg = format!("{fc:?}");
    assert!(dbg.contains("redacted") && dbg.len() < 100, "{dbg}");
    assert!(format!("{:?}", FhipeServer::new(5).unwrap()).contains("bound"));
}

#[test]
fn a_server_decrypts_only_what_its_keys_allow() {
    // The server holds public params and keys; each key opens exactly one inner product, and a
    // key of another authority opens nothing of this ciphertext.
    let (authority, pp) = Authority::<Ristretto255>::setup(2).unwrap();
    let server = Server::new(pp.clone(), 10).unwrap();
    let ct = Client::new(pp).encrypt(&[2, 3]).unwrap();
    let key = |a: &Authority<Ristretto255>, y: &[i64]| a.function_key(y).unwrap();
    assert_eq!(server.decrypt(&ct, &key(&authority, &[1, 1])).unwrap(), 5);
    assert_eq!(server.decrypt(&ct, &key(&authority, &[1, 0])).unwrap(), 2);
    let (other, _) = Authority::<Ristretto255>::setup(2).unwrap();
    assert!(
        server.decrypt(&ct, &key(&other, &[1, 0])).is_err(),
        "another authority's key must not decrypt x₁"
    );
}
