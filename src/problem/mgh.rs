//! Moré–Garbow–Hillstrom unconstrained test problems in n dimensions.
//!
//! Each is a sum of squares f = ½Σ rᵢ(x)² (gradlab's convention for every least-squares problem; the
//! paper's f = Σ rᵢ² is twice it), written once generically ([`crate::problem::least_squares::GenericResiduals`]), so
//! gradients and Hessians come from forward-mode AD ([`crate::diff::ad`]); the extended Rosenbrock
//! function also has a hand-written gradient. Definitions, standard starts and minima from
//! Moré, Garbow & Hillstrom, "Testing unconstrained optimization software", ACM TOMS 7 (1981),
//! 17–41 (problem numbers in brackets).

use super::Objective;
use crate::diff::ad::{self, GenericFunction, Scalar};
use nalgebra::DMatrix;
use std::f64::consts::PI;

/// Which MGH problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MghKind {
    /// \[21\] Extended Rosenbrock, n even. f* = 0 at (1, …, 1). Start (−1.2, 1, −1.2, 1, …).
    ExtendedRosenbrock,
    /// \[13\] Powell singular, n = 4. f* = 0 at the origin (singular Hessian). Start (3, −1, 0, 1).
    PowellSingular,
    /// \[14\] Wood, n = 4. f* = 0 at (1, 1, 1, 1). Start (−3, −1, −3, −1).
    Wood,
    /// \[4\] Brown badly scaled, n = 2. f* = 0 at (10⁶, 2·10⁻⁶). Start (1, 1).
    BrownBadlyScaled,
    /// \[7\] Helical valley, n = 3. f* = 0 at (1, 0, 0). Start (−1, 0, 0).
    HelicalValley,
    /// \[26\] Trigonometric, any n. f* = 0 (global). Start (1/n, …, 1/n).
    Trigonometric,
}

/// One MGH problem of dimension `n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MghProblem {
    /// Which problem.
    pub kind: MghKind,
    /// Dimension n.
    pub n: usize,
}

impl MghProblem {
    /// The problem of kind `kind` in dimension `n`, or an error if `n` does not fit it.
    pub fn new(kind: MghKind, n: usize) -> Result<Self, String> {
        let ok = match kind {
            MghKind::ExtendedRosenbrock => n >= 2 && n.is_multiple_of(2),
            MghKind::PowellSingular | MghKind::Wood => n == 4,
            MghKind::BrownBadlyScaled => n == 2,
            MghKind::HelicalValley => n == 3,
            MghKind::Trigonometric => n >= 1,
        };
        if ok {
            Ok(MghProblem { kind, n })
        } else {
            Err(format!("{kind:?} is not defined for n = {n}"))
        }
    }

    /// The standard starting point x₀ of MGH (1981).
    pub fn start(&self) -> Vec<f64> {
        let n = self.n;
        match self.kind {
            MghKind::ExtendedRosenbrock => (0..n)
                .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
                .collect(),
            MghKind::PowellSingular => vec![3.0, -1.0, 0.0, 1.0],
            MghKind::Wood => vec![-3.0, -1.0, -3.0, -1.0],
            MghKind::BrownBadlyScaled => vec![1.0, 1.0],
            MghKind::HelicalValley => vec![-1.0, 0.0, 0.0],
            MghKind::Trigonometric => vec![1.0 / n as f64; n],
        }
    }

    /// The global minimizer x* given by MGH (1981) (none listed for the trigonometric function).
    pub fn minimizer(&self) -> Option<Vec<f64>> {
        match self.kind {
            MghKind::ExtendedRosenbrock => Some(vec![1.0; self.n]),
            MghKind::PowellSingular => Some(vec![0.0; 4]),
            MghKind::Wood => Some(vec![1.0; 4]),
            MghKind::BrownBadlyScaled => Some(vec![1e6, 2e-6]),
            MghKind::HelicalValley => Some(vec![1.0, 0.0, 0.0]),
            MghKind::Trigonometric => None,
        }
    }

    /// The residuals rᵢ(x) (f = ½Σ rᵢ²).
    pub fn residuals<T: Scalar>(&self, x: &[T]) -> Vec<T> {
        let c = |v: f64| T::from(v);
        match self.kind {
            MghKind::ExtendedRosenbrock => {
                let mut r = Vec::with_capacity(self.n);
                for i in 0..self.n / 2 {
                    let (a, b) = (x[2 * i], x[2 * i + 1]);
                    r.push((b - a * a) * 10.0);
                    r.push(c(1.0) - a);
                }
                r
            }
            MghKind::PowellSingular => vec![
                x[0] + x[1] * 10.0,
                (x[2] - x[3]) * 5f64.sqrt(),
                (x[1] - x[2] * 2.0).powi(2),
                (x[0] - x[3]).powi(2) * 10f64.sqrt(),
            ],
            MghKind::Wood => vec![
                (x[1] - x[0] * x[0]) * 10.0,
                c(1.0) - x[0],
                (x[3] - x[2] * x[2]) * 90f64.sqrt(),
                c(1.0) - x[2],
                (x[1] + x[3] - 2.0) * 10f64.sqrt(),
                (x[1] - x[3]) * 10f64.sqrt().recip(),
            ],
            MghKind::BrownBadlyScaled => {
                vec![x[0] - 1e6, x[1] - 2e-6, x[0] * x[1] - 2.0]
            }
            MghKind::HelicalValley => {
                let x1 = x[0].re();
                let theta = if x1 > 0.0 {
                    (x[1] / x[0]).atan() / (2.0 * PI)
                } else if x1 < 0.0 {
                    (x[1] / x[0]).atan() / (2.0 * PI) + 0.5
                } else {
                    // θ is continuous across x₁ = 0 for x₂ ≠ 0: the limit ±¼.
                    c(0.25_f64.copysign(x[1].re()))
                };
                vec![
                    (x[2] - theta * 10.0) * 10.0,
                    ((x[0] * x[0] + x[1] * x[1]).sqrt() - 1.0) * 10.0,
                    x[2],
                ]
            }
            MghKind::Trigonometric => {
                let n = self.n as f64;
                let sum_cos = x.iter().fold(c(0.0), |s, &v| s + v.cos());
                (0..self.n)
                    .map(|i| {
                        let xi = x[i];
                        -sum_cos + n + (c(1.0) - xi.cos()) * (i + 1) as f64 - xi.sin()
                    })
                    .collect()
            }
        }
    }
}

impl crate::problem::least_squares::GenericResiduals for MghProblem {
    fn num_residuals(&self) -> usize {
        self.residuals(&vec![0.0; self.n]).len()
    }
    fn num_params(&self) -> usize {
        self.n
    }
    fn residuals_t<T: Scalar>(&self, p: &[T], r: &mut [T]) {
        for (ri, v) in r.iter_mut().zip(self.residuals(p)) {
            *ri = v;
        }
    }
}

/// f = ½Σ rᵢ², the one convention of gradlab for least-squares problems (MGH's paper states
/// Σ rᵢ²: its f* values are twice ours).
impl GenericFunction for MghProblem {
    fn eval<T: Scalar>(&self, x: &[T]) -> T {
        self.residuals(x)
            .into_iter()
            .fold(T::from(0.0), |s, r| s + r * r)
            * 0.5
    }
}

impl Objective for MghProblem {
    fn dim(&self) -> usize {
        self.n
    }
    fn value(&self, x: &[f64]) -> f64 {
        self.eval(x)
    }
    fn gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
        if self.kind != MghKind::ExtendedRosenbrock {
            return false;
        }
        // ∂/∂a ½[100(b − a²)² + (1 − a)²] = −200a(b − a²) − (1 − a); ∂/∂b = 100(b − a²).
        for i in 0..self.n / 2 {
            let (a, b) = (x[2 * i], x[2 * i + 1]);
            g[2 * i] = -200.0 * a * (b - a * a) - (1.0 - a);
            g[2 * i + 1] = 100.0 * (b - a * a);
        }
        true
    }
    fn automatic_gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
        ad::gradient_into(self, x, g);
        true
    }
    fn automatic_hessian(&self, x: &[f64]) -> Option<DMatrix<f64>> {
        Some(ad::hessian(self, x))
    }
}
