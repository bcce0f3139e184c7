// Code outside the client cannot obtain a mitigation's private W1: the layer has no public
// accessor for it, cannot be cloned or serialised, and only hands out Z1 or FHIPE keys.
use glasslayer::roles::PrivateLayer;

fn server_code(layer: &PrivateLayer) {
    let _w1 = layer.w1();
    let _copy = layer.clone();
    let _json = serde_json::to_string(layer);
}

fn main() {}
