// Code outside the client cannot obtain a CNN mitigation's private filters: the layer has no
// public accessor for them, cannot be cloned or serialised, and only hands out the feature maps
// (client in the loop) or FHIPE keys (through the crate's own key issuing).
use glasslayer::roles::PrivateConv;

fn server_code(layer: &PrivateConv) {
    let _filters = layer.filters();
    let _copy = layer.clone();
    let _json = serde_json::to_string(layer);
}

fn main() {}
