// A server has no secret to give away, and its fields are private too.
use glasslayer::fe::group::Ristretto255;
use glasslayer::roles::Server;

fn server_code(server: &Server<Ristretto255>) {
    let _msk = &server.msk;
    let _table = &server.table;
}

fn main() {}
