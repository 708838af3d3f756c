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

/// A function f: ℝⁿ → ℝ written once, generically over the number type.
pub trait GenericFunction {
    /// f(x) in the number type `T`.
    fn eval<T: Scalar>(&self, x: &[T]) -> T;
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
