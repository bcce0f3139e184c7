// The FHIPE server cannot reach the client's basis (B, B*).
use glasslayer::roles::{FhipeClient, FhipeServer};

fn server_code(server: &FhipeServer, client: &FhipeClient) {
    let _ = server;
    let _basis = &client.msk;
}

fn main() {
    let client = FhipeClient::setup(2).unwrap();
    server_code(&FhipeServer::new(10).unwrap(), &client);
}
