// Server-side code receives client data only as `Delivered` messages, and only the channel makes
// one: it cannot forge a delivery (and so put into a view something that never crossed).
use glasslayer::protocol::channel::Delivered;

fn server_code() -> Delivered<Vec<u8>> {
    Delivered(vec![1, 2, 3])
}

fn main() {}
