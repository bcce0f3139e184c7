//! The attacker: reconstruction of a private sample from a server view, and metrics.
