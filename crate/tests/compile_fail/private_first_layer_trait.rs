// The engines reach the client's private first layer (W1 or the CNN's filters) through a trait
// that hands out its weights, for the client's own key issuing. Code outside the crate can
// neither name that trait nor reach it through the engines' public traits.
use glasslayer::protocol::layer::{ClientLayer, Split};
use glasslayer::protocol::Setup;
use glasslayer::roles::{PrivateConv, PrivateLayer};

fn through_the_setup<L: Split>(layer: &L::Private) {
    let _w = layer.weights();
}

fn server_code(layer: &PrivateLayer, conv: &PrivateConv) {
    through_the_setup::<Setup>(layer);
    let _w1 = layer.weights();
    let _filters = conv.weights();
}

fn main() {}
