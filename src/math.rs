//! Elementary functions that give the **same bits on every platform**.
//!
//! `f64::exp` and friends call the platform's C library natively (glibc) but a Rust port in wasm;
//! the two can differ in the last bit, and over hundreds of iterations a trajectory drifts. The
//! objectives use these wrappers around the `libm` crate instead, so a permalink replays
//! identically natively and in the browser (checked by tests/fingerprint.rs and tests/wasm.rs).

/// eˣ.
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// Natural logarithm.
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// Sine.
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// Cosine.
#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

/// xʸ.
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}
