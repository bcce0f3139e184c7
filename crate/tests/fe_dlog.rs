//! Baby-step giant-step over a signed range: every value in [−B, B] is found, anything outside is
//! `DlogOutOfRange`, never a wrong number; GT works too.

use glasslayer::fe::dlog::{self, DlogGroup, Table};
use glasslayer::fe::fhipe::pairing::Gt;
use glasslayer::fe::group::{ModP2048, PrimeGroup, Ristretto255};
use glasslayer::Error;

fn exhaustive<G: DlogGroup>(base: G::Element, m: u64, bound: u64) {
    let table = Table::<G>::build(base.clone(), m).unwrap();
    let bound_i = bound as i64;
    let inv = G::inverse(&base);
    let targets: Vec<G::Element> = (-bound_i - 3..=bound_i + 3)
        .map(|z| {
            if z >= 0 {
                G::pow_u64(&base, z as u64)
            } else {
                G::pow_u64(&inv, z.unsigned_abs())
            }
        })
        .collect();
    let got = table.solve_batch(&targets, bound);
    for (z, r) in (-bound_i - 3..=bound_i + 3).zip(got) {
        if z.unsigned_abs() <= bound {
            assert_eq!(r, Ok(z));
        } else {
            assert_eq!(r, Err(Error::DlogOutOfRange { bound }), "z = {z}");
        }
    }
}

#[test]
fn ristretto_every_value_in_range() {
    // m not dividing the bound, m larger than the bound, m = 1.
    exhaustive::<Ristretto255>(Ristretto255::generator(), 16, 300);
    exhaustive::<Ristretto255>(Ristretto255::generator(), 1024, 50);
    exhaustive::<Ristretto255>(Ristretto255::generator(), 1, 20);
}

#[test]
fn modp_every_value_in_range() {
    exhaustive::<ModP2048>(ModP2048::generator(), 32, 200);
}

#[test]
fn gt_every_value_in_range() {
    exhaustive::<Gt>(Gt::generator(), 8, 40);
}

#[test]
fn values_far_outside_the_bound_are_errors() {
    let table = Table::<Ristretto255>::build(Ristretto255::generator(), 64).unwrap();
    for z in [1_000_000i64, -1_000_000, i64::MAX / 4] {
        let t = Ristretto255::pow_gen_i64(z);
        assert_eq!(
            table.solve(&t, 5000),
            Err(Error::DlogOutOfRange { bound: 5000 })
        );
    }
    // A random element (discrete log ~2^252) is out of range too.
    let r = Ristretto255::pow_gen(&curve25519_dalek::Scalar::from(u128::MAX));
    assert_eq!(
        table.solve(&r, 5000),
        Err(Error::DlogOutOfRange { bound: 5000 })
    );
    // A bound over the cap (2⁴⁰) is refused with the typed limit error, before any walk.
    assert!(matches!(
        table.solve(&r, u64::MAX),
        Err(Error::Limit { .. })
    ));
}

#[test]
fn growing_search_for_one_off_bases() {
    let base = Ristretto255::pow_gen_i64(987_654_321);
    for z in [0i64, 1, -1, 4095, -4097, 123_456, -2_000_000] {
        let t = if z >= 0 {
            Ristretto255::pow_u64(&base, z as u64)
        } else {
            Ristretto255::inverse(&Ristretto255::pow_u64(&base, z.unsigned_abs()))
        };
        assert_eq!(
            dlog::solve_growing::<Ristretto255>(&base, &t, 2_000_000),
            Ok(z)
        );
    }
    let t = Ristretto255::pow_u64(&base, 2_000_001);
    assert_eq!(
        dlog::solve_growing::<Ristretto255>(&base, &t, 2_000_000),
        Err(Error::DlogOutOfRange { bound: 2_000_000 })
    );
    let gt = Gt::pow_u64(&Gt::generator(), 777);
    assert_eq!(
        dlog::solve_growing::<Gt>(&Gt::generator(), &gt, 1000),
        Ok(777)
    );
}

#[test]
fn shared_tables_are_reused() {
    let a = Table::<Ristretto255>::shared(512).unwrap();
    let b = Table::<Ristretto255>::shared(512).unwrap();
    assert!(std::sync::Arc::ptr_eq(&a, &b));
    assert_eq!(a.size(), 512);
    assert_eq!(dlog::table_size_for(127 * 255 * 784), 1 << 15);
    assert!(Table::<Ristretto255>::build(Ristretto255::generator(), 0).is_err());
}
