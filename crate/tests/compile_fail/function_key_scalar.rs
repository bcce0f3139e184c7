// A function key exposes y (public to the decryptor) but not its scalar to code outside the core.
use glasslayer::fe::group::Ristretto255;
use glasslayer::fe::ipfe::FunctionKey;

fn server_code(key: &FunctionKey<Ristretto255>) {
    let _y = key.y();
    let _sk = key.sk();
    let _sk2 = &key.sk;
}

fn main() {}
