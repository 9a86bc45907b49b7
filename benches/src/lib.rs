//! Shared helpers for the benchmarks.

pub mod baselines;
pub mod pin;
