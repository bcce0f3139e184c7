// Server code handed an authority (say, by mistake) still cannot read its master secret key.
use glasslayer::fe::group::Ristretto255;
use glasslayer::roles::{Authority, Server};

fn server_code(server: &Server<Ristretto255>, authority: &Authority<Ristretto255>) {
    let _ = server;
    let _stolen = &authority.msk;
}

fn main() {
    let (authority, pp) = Authority::<Ristretto255>::setup(2).unwrap();
    let server = Server::new(pp, 10).unwrap();
    server_code(&server, &authority);
}
