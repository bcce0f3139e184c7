// The master secret key type is opaque: its coordinates are not reachable.
use glasslayer::fe::group::Ristretto255;
use glasslayer::fe::ipfe::{self, MasterSecretKey};

fn steal(msk: &MasterSecretKey<Ristretto255>) {
    let _s = &msk.s;
}

fn main() {
    let (msk, _pp) = ipfe::setup::<Ristretto255, _>(2, &mut rand_core::OsRng).unwrap();
    steal(&msk);
}
