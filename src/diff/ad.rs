//! Forward-mode automatic differentiation with dual numbers (crate `num-dual`).
//!
//! A function written once generically over a [`Scalar`] gives:
//! * its value with `T = f64`;
//! * one column of its gradient with `T = Dual64` (x + ε eᵢ, ε² = 0 ⇒ f(x + ε eᵢ) = f(x) + ε ∂ᵢf(x));
//! * one Hessian entry with `T = HyperDual64` (x + ε₁ eᵢ + ε₂ eⱼ, ε₁² = ε₂² = 0 ⇒ the ε₁ε₂ part is
//!   ∂ᵢ∂ⱼf(x)).
//!
//! The gradient costs n dual evaluations, the Hessian n(n+1)/2 hyper-dual evaluations; derivatives
//! are exact up to floating-point round-off (no truncation error, unlike finite differences).
//! Reference: Griewank & Walther, *Evaluating Derivatives* (2nd ed.), ch. 3; Fike & Alonso (2011),
//! "The development of hyper-dual numbers for exact second-derivative calculations", AIAA 2011-886.

use nalgebra::DMatrix;
pub use num_dual::{Dual64, DualNum, HyperDual64};

/// A number type the generic objective code can be evaluated in: `f64`, [`Dual64`] or
/// [`HyperDual64`] (any `num-dual` number over f64 that is `Copy`).
///
/// Write constants as `T::from(c)` and use `x * c`, `x + c` (scalar on the right).
pub trait Scalar: DualNum<Primitive = f64> + Copy {}
impl<T: DualNum<Primitive = f64> + Copy> Scalar for T {}

/// A [`Scalar`] with elementary functions that give the **same bits on every platform**: the
/// value part comes from the `libm` crate (as [`crate::math`]), the derivative parts by the chain
/// rule from the same values. (`num-dual`'s own `exp`, `ln`, … call `f64::exp`, which is the
/// platform's C library natively and a Rust port in wasm: a permalink could replay differently.)
///
/// Model code written over `T: Real` therefore gives its value (`f64`), its exact gradient
/// ([`Dual64`]) and exact second derivatives ([`HyperDual64`]) deterministically.
pub trait Real: Scalar {
    /// Applies f with f(re) = `f0`, f′(re) = `f1`, f″(re) = `f2` (the caller computes them with
    /// libm from [`Real::re_part`]).
    fn chain(self, f0: f64, f1: f64, f2: f64) -> Self;
    /// The real part.
    fn re_part(self) -> f64;

    /// eˣ.
    fn rexp(self) -> Self {
        let e = libm::exp(self.re_part());
        self.chain(e, e, e)
    }
    /// ln x.
    fn rln(self) -> Self {
        let x = self.re_part();
        self.chain(libm::log(x), 1.0 / x, -1.0 / (x * x))
    }
    /// sin x.
    fn rsin(self) -> Self {
        let x = self.re_part();
        let (s, c) = (libm::sin(x), libm::cos(x));
        self.chain(s, c, -s)
    }
    /// cos x.
    fn rcos(self) -> Self {
        let x = self.re_part();
        let (s, c) = (libm::sin(x), libm::cos(x));
        self.chain(c, -s, -c)
    }
    /// arctan x.
    fn ratan(self) -> Self {
        let x = self.re_part();
        let q = 1.0 / (1.0 + x * x);
        self.chain(libm::atan(x), q, -2.0 * x * q * q)
    }
    /// bˣ for a constant base b ≥ 0 and this exponent x (0 with zero derivatives when b ≤ 0, as
    /// the limit for x > 0).
    fn rpow_base(self, b: f64) -> Self {
        if b <= 0.0 {
            return self.chain(libm::pow(b, self.re_part()), 0.0, 0.0);
        }
        let v = libm::pow(b, self.re_part());
        let l = libm::log(b);
        self.chain(v, v * l, v * l * l)
    }
    /// xʸ for a constant y.
    fn rpowf(self, y: f64) -> Self {
        let x = self.re_part();
        self.chain(
            libm::pow(x, y),
            y * libm::pow(x, y - 1.0),
            y * (y - 1.0) * libm::pow(x, y - 2.0),
        )
    }
}

impl Real for f64 {
    #[inline]
    fn chain(self, f0: f64, _f1: f64, _f2: f64) -> f64 {
        f0
    }
    #[inline]
    fn re_part(self) -> f64 {
        self
    }
    // Plain values need no derivatives: skip computing them.
    #[inline]
    fn rexp(self) -> f64 {
        libm::exp(self)
    }
    #[inline]
    fn rln(self) -> f64 {
        libm::log(self)
    }
    #[inline]
    fn rsin(self) -> f64 {
        libm::sin(self)
    }
    #[inline]
    fn rcos(self) -> f64 {
        libm::cos(self)
    }
    #[inline]
    fn ratan(self) -> f64 {
        libm::atan(self)
    }
    #[inline]
    fn rpowf(self, y: f64) -> f64 {
        libm::pow(self, y)
    }
}

impl Real for Dual64 {
    #[inline]
    fn chain(self, f0: f64, f1: f64, _f2: f64) -> Dual64 {
        Dual64::new(f0, f1 * self.eps)
    }
    #[inline]
    fn re_part(self) -> f64 {
        self.re
    }
}

impl Real for HyperDual64 {
    #[inline]
    fn chain(self, f0: f64, f1: f64, f2: f64) -> HyperDual64 {
        HyperDual64::new(
            f0,
            f1 * self.eps1,
            f1 * self.eps2,
            f1 * self.eps1eps2 + f2 * self.eps1 * self.eps2,
        )
    }
    #[inline]
    fn re_part(self) -> f64 {
        self.re
    }
}

/// A function f: ℝⁿ → ℝ written once, generically over the number type.
pub trait GenericFunction {
    /// f(x) in the number type `T` (`f64`, [`Dual64`] or [`HyperDual64`]; an implementation may
    /// ask only for [`Scalar`]).
    fn eval<T: Real>(&self, x: &[T]) -> T;
}

/// ∇f(p) of a function of n parameters by n forward passes in [`Dual64`], written into `g`.
pub fn gradient_with(p: &[f64], g: &mut [f64], f: impl Fn(&[Dual64]) -> Dual64) {
    let mut pd: Vec<Dual64> = p.iter().map(|&v| Dual64::from_re(v)).collect();
    for i in 0..p.len() {
        pd[i].eps = 1.0;
        g[i] = f(&pd).eps;
        pd[i].eps = 0.0;
    }
}

/// The gradient ∇f(x) by forward-mode AD (n dual evaluations), written into `g`.
pub fn gradient_into<F: GenericFunction + ?Sized>(f: &F, x: &[f64], g: &mut [f64]) {
    let mut xd: Vec<Dual64> = x.iter().map(|&v| Dual64::from_re(v)).collect();
    for i in 0..x.len() {
        xd[i].eps = 1.0;
        g[i] = f.eval(&xd).eps;
        xd[i].eps = 0.0;
    }
}

/// The gradient ∇f(x) by forward-mode AD.
pub fn gradient<F: GenericFunction + ?Sized>(f: &F, x: &[f64]) -> Vec<f64> {
    let mut g = vec![0.0; x.len()];
    gradient_into(f, x, &mut g);
    g
}

/// The Hessian ∇²f(x) by hyper-dual numbers (n(n+1)/2 evaluations; symmetric by construction).
pub fn hessian<F: GenericFunction + ?Sized>(f: &F, x: &[f64]) -> DMatrix<f64> {
    let n = x.len();
    let mut h = DMatrix::zeros(n, n);
    let mut xd: Vec<HyperDual64> = x.iter().map(|&v| HyperDual64::from_re(v)).collect();
    for i in 0..n {
        for j in i..n {
            xd[i].eps1 = 1.0;
            xd[j].eps2 = 1.0;
            let v = f.eval(&xd).eps1eps2;
            xd[i].eps1 = 0.0;
            xd[j].eps2 = 0.0;
            h[(i, j)] = v;
            h[(j, i)] = v;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Cubic;
    impl GenericFunction for Cubic {
        // f = x²y + sin(y) e^x
        fn eval<T: Scalar>(&self, x: &[T]) -> T {
            x[0] * x[0] * x[1] + x[1].sin() * x[0].exp()
        }
    }

    #[test]
    fn real_functions_are_libm_values_with_chain_rule_derivatives() {
        // d/dx and d²/dx² of each function at x = 0.7 (closed forms), and the value bit-equal
        // to libm's.
        let x = 0.7_f64;
        type F = fn(HyperDual64) -> HyperDual64;
        let cases: [(F, f64, f64, f64); 6] = [
            (|v| v.rexp(), libm::exp(x), x.exp(), x.exp()),
            (|v| v.rln(), libm::log(x), 1.0 / x, -1.0 / (x * x)),
            (|v| v.rsin(), libm::sin(x), x.cos(), -x.sin()),
            (|v| v.rcos(), libm::cos(x), -x.sin(), -x.cos()),
            (
                |v| v.ratan(),
                libm::atan(x),
                1.0 / (1.0 + x * x),
                -2.0 * x / (1.0 + x * x).powi(2),
            ),
            (
                |v| v.rpowf(2.5),
                libm::pow(x, 2.5),
                2.5 * x.powf(1.5),
                3.75 * x.powf(0.5),
            ),
        ];
        for (i, (f, v, d1, d2)) in cases.into_iter().enumerate() {
            let h = f(HyperDual64::new(x, 1.0, 1.0, 0.0));
            assert_eq!(h.re.to_bits(), v.to_bits(), "{i}");
            assert!(
                (h.eps1 - d1).abs() < 1e-14 && (h.eps2 - d1).abs() < 1e-14,
                "{i}"
            );
            assert!(
                (h.eps1eps2 - d2).abs() < 1e-13,
                "{i}: {} vs {d2}",
                h.eps1eps2
            );
            let duals: [fn(Dual64) -> Dual64; 6] = [
                |v| v.rexp(),
                |v| v.rln(),
                |v| v.rsin(),
                |v| v.rcos(),
                |v| v.ratan(),
                |v| v.rpowf(2.5),
            ];
            let d = duals[i](Dual64::new(x, 1.0));
            assert_eq!((d.re.to_bits(), d.eps), (v.to_bits(), h.eps1), "{i}");
        }
    }

    #[test]
    fn dual_derivatives_match_closed_forms() {
        // ∂x = 2xy + sin y eˣ, ∂y = x² + cos y eˣ; ∂xx = 2y + sin y eˣ, ∂xy = 2x + cos y eˣ,
        // ∂yy = −sin y eˣ (differentiated by hand).
        let (x, y) = (0.7_f64, -1.3_f64);
        let g = gradient(&Cubic, &[x, y]);
        let h = hessian(&Cubic, &[x, y]);
        let e = x.exp();
        assert!((g[0] - (2.0 * x * y + y.sin() * e)).abs() < 1e-14);
        assert!((g[1] - (x * x + y.cos() * e)).abs() < 1e-14);
        assert!((h[(0, 0)] - (2.0 * y + y.sin() * e)).abs() < 1e-14);
        assert!((h[(0, 1)] - (2.0 * x + y.cos() * e)).abs() < 1e-14);
        assert!((h[(1, 1)] + y.sin() * e).abs() < 1e-14);
        assert_eq!(h[(0, 1)], h[(1, 0)]);
    }
}
