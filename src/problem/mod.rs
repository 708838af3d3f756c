//! What is minimized: objectives f: ℝⁿ → ℝ with their derivatives.
//!
//! An [`Objective`] gives the value and, where it has them, the analytic gradient and Hessian.
//! 2-D test surfaces ([`surfaces`]) are one use of it; regression and curve fits are others.

pub mod formula;
pub mod least_squares;
pub mod mgh;
pub mod nist;
pub mod regression;
pub mod surfaces;

use nalgebra::DMatrix;

/// A function to minimize, f: ℝⁿ → ℝ.
///
/// `value` is required. `gradient` and `hessian` return `false`/`None` when the objective has no
/// analytic form for them; `automatic_gradient` and `automatic_hessian` are the forward-mode AD hooks
/// (implemented by objectives written generically over [`crate::diff::ad::Scalar`]); when neither is
/// available, [`crate::diff`] supplies finite differences.
pub trait Objective {
    /// Number of variables n.
    fn dim(&self) -> usize;

    /// f(x). May return a non-finite value outside the domain; solvers then stop with `Diverged`.
    fn value(&self, x: &[f64]) -> f64;

    /// Writes the analytic gradient ∇f(x) into `g` and returns `true`, or returns `false` (leaving
    /// `g` untouched) when no analytic gradient is available.
    fn gradient(&self, _x: &[f64], _g: &mut [f64]) -> bool {
        false
    }

    /// The analytic Hessian ∇²f(x), if available.
    fn hessian(&self, _x: &[f64]) -> Option<DMatrix<f64>> {
        None
    }

    /// The gradient by forward-mode automatic differentiation into `g` (returns `false` when the
    /// objective has no AD implementation).
    fn automatic_gradient(&self, _x: &[f64], _g: &mut [f64]) -> bool {
        false
    }

    /// The Hessian by automatic differentiation (hyper-dual numbers), if available.
    fn automatic_hessian(&self, _x: &[f64]) -> Option<DMatrix<f64>> {
        None
    }
}
