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

/// The same functions as methods, for formula-like model code: `(-b * x).dexp()` is
/// `libm::exp(-b * x)` — identical bits natively and in wasm, unlike `f64::exp`.
pub trait Det {
    /// eˣ.
    fn dexp(self) -> f64;
    /// ln x.
    fn dln(self) -> f64;
    /// xʸ.
    fn dpowf(self, y: f64) -> f64;
    /// arctan x.
    fn datan(self) -> f64;
    /// sin x.
    fn dsin(self) -> f64;
    /// cos x.
    fn dcos(self) -> f64;
    /// log₁₀ x.
    fn dlog10(self) -> f64;
    /// tan x.
    fn dtan(self) -> f64;
    /// arcsin x.
    fn dasin(self) -> f64;
    /// arccos x.
    fn dacos(self) -> f64;
    /// sinh x.
    fn dsinh(self) -> f64;
    /// cosh x.
    fn dcosh(self) -> f64;
    /// tanh x.
    fn dtanh(self) -> f64;
    /// atan2(self, x): the angle of (x, self).
    fn datan2(self, x: f64) -> f64;
}

impl Det for f64 {
    #[inline]
    fn dexp(self) -> f64 {
        libm::exp(self)
    }
    #[inline]
    fn dln(self) -> f64 {
        libm::log(self)
    }
    #[inline]
    fn dpowf(self, y: f64) -> f64 {
        libm::pow(self, y)
    }
    #[inline]
    fn datan(self) -> f64 {
        libm::atan(self)
    }
    #[inline]
    fn dsin(self) -> f64 {
        libm::sin(self)
    }
    #[inline]
    fn dcos(self) -> f64 {
        libm::cos(self)
    }
    #[inline]
    fn dlog10(self) -> f64 {
        libm::log10(self)
    }
    #[inline]
    fn dtan(self) -> f64 {
        libm::tan(self)
    }
    #[inline]
    fn dasin(self) -> f64 {
        libm::asin(self)
    }
    #[inline]
    fn dacos(self) -> f64 {
        libm::acos(self)
    }
    #[inline]
    fn dsinh(self) -> f64 {
        libm::sinh(self)
    }
    #[inline]
    fn dcosh(self) -> f64 {
        libm::cosh(self)
    }
    #[inline]
    fn dtanh(self) -> f64 {
        libm::tanh(self)
    }
    #[inline]
    fn datan2(self, x: f64) -> f64 {
        libm::atan2(self, x)
    }
}
