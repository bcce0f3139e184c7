use ark_ff::fields::{Fp256, MontBackend, MontConfig};

/// arkworks' derived configuration for the scalar field; [`FrConfig`] takes its constants and
/// additive operations and swaps in 32-bit-limb products on wasm32 ([`super::mont32`]).
#[derive(MontConfig)]
#[modulus = "52435875175126190479447740508185965837690552500527637822603658699938581184513"]
#[generator = "7"]
#[small_subgroup_base = "3"]
#[small_subgroup_power = "1"]
pub struct FrConfigBase;

pub struct FrConfig;
super::mont32::wasm32_mont_config!(FrConfig, FrConfigBase, 4, 8);

pub type Fr = Fp256<MontBackend<FrConfig, 4>>;
