// The page's scene holds the client's sample and private W1 next to the server's view, as
// separate parties. Outside the core (an attacker's code, a page script holding the scene)
// nothing returns the client's sample or W1: the client's moves are the core's own.
use glasslayer::protocol::scene::Scene;

fn attacker_code(scene: &mut Scene) {
    let _x = scene.client_levels();
    let _z = scene.client_sends_z();
}

fn main() {}
