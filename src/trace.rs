//! What happened during a run: one [`Iterate`] per iteration and a named [`StopReason`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// One iteration record. Record 0 is the start point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Iterate {
    /// Iteration number k (0 = start).
    pub k: usize,
    /// The point x_k.
    pub x: Vec<f64>,
    /// f(x_k).
    pub f: f64,
    /// ‖∇f(x_k)‖₂.
    pub grad_norm: f64,
    /// ‖x_k − x_{k−1}‖₂ (0 for the start).
    pub step: f64,
    /// Solver-specific values at this iteration (e.g. `"alpha"`, `"velocity_norm"`, `"lambda"`,
    /// `"line_search_trials"`), in a fixed order per solver.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<(String, f64)>,
    /// Nelder–Mead's simplex vertices after this iteration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simplex: Option<Vec<Vec<f64>>>,
}

impl Iterate {
    /// The solver-specific value named `key`, if recorded.
    pub fn extra(&self, key: &str) -> Option<f64> {
        self.extra.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// A vector recorded with [`push_vector`] under `name` (`name[0]`, `name[1]`, …).
    pub fn vector(&self, name: &str) -> Option<Vec<f64>> {
        let v: Vec<f64> = (0..)
            .map_while(|i| self.extra(&format!("{name}[{i}]")))
            .collect();
        (!v.is_empty()).then_some(v)
    }
}

/// Records vector `v` in `extra` as `name[0]`, `name[1]`, … (only for n ≤ 10, to keep traces of
/// high-dimensional problems small).
pub fn push_vector(extra: &mut Vec<(String, f64)>, name: &str, v: &[f64]) {
    if v.len() <= 10 {
        extra.extend(
            v.iter()
                .enumerate()
                .map(|(i, &x)| (format!("{name}[{i}]"), x)),
        );
    }
}

/// Why a run ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// ‖∇f‖ fell below the gradient tolerance: converged.
    GradientTolerance,
    /// The step ‖x_{k+1} − x_k‖ fell below the step tolerance.
    StepTolerance,
    /// |f_{k+1} − f_k| fell below the function-change tolerance.
    FunctionTolerance,
    /// The iteration budget ran out.
    MaxIterations,
    /// f or x became non-finite, or |x| exceeded the divergence bound.
    Diverged,
    /// f (or ∇f) is not finite at the start point: it lies outside the function's domain.
    UndefinedAtStart,
    /// The line search found no acceptable step.
    LineSearchFailed,
    /// Least squares (MINPACK `ftol`): actual and predicted relative reductions of SSR fell below
    /// the tolerance.
    RelativeReduction,
    /// Least squares (MINPACK `xtol`): the scaled step fell below the tolerance relative to the
    /// scaled parameters.
    RelativeStep,
    /// Least squares (MINPACK `gtol`): the residual vector is orthogonal to every Jacobian column
    /// within the tolerance.
    Orthogonality,
    /// Least squares: the residuals are exactly zero.
    ZeroResidual,
    /// Least squares: the budget of residual evaluations ran out.
    MaxEvaluations,
    /// Least squares: the Jacobian is all zeros, so the model does not depend on its parameters at
    /// this point and no step direction exists.
    ZeroJacobian,
    /// Least squares: the damping grew without bound; no reduction is possible at machine
    /// precision.
    NoFurtherProgress,
}

impl StopReason {
    /// A short human-readable label, as shown on the page.
    pub fn label(&self) -> &'static str {
        match self {
            StopReason::GradientTolerance => "converged: ‖∇f‖ below tolerance",
            StopReason::StepTolerance => "converged: step below tolerance",
            StopReason::FunctionTolerance => "converged: f change below tolerance",
            StopReason::MaxIterations => "max iterations reached",
            StopReason::Diverged => "diverged: non-finite value or |x| too large",
            StopReason::UndefinedAtStart => {
                "f is not defined (NaN or ∞) at the start point: start inside its domain"
            }
            StopReason::LineSearchFailed => "line search failed",
            StopReason::RelativeReduction => "converged: relative reduction of SSR below ftol",
            StopReason::RelativeStep => "converged: relative step below xtol",
            StopReason::Orthogonality => "converged: residuals orthogonal to the Jacobian (gtol)",
            StopReason::ZeroResidual => "converged: residuals are zero",
            StopReason::MaxEvaluations => "max evaluations reached",
            StopReason::ZeroJacobian => {
                "Jacobian is zero: the model does not depend on its parameters here"
            }
            StopReason::NoFurtherProgress => "stopped: no further reduction possible",
        }
    }

    /// `true` for the reasons that mean the method converged.
    pub fn is_converged(&self) -> bool {
        matches!(
            self,
            StopReason::GradientTolerance
                | StopReason::StepTolerance
                | StopReason::FunctionTolerance
                | StopReason::RelativeReduction
                | StopReason::RelativeStep
                | StopReason::Orthogonality
                | StopReason::ZeroResidual
        )
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The whole record of one solver run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// The solver's display name.
    pub solver: String,
    /// Records 0..=K.
    pub iterates: Vec<Iterate>,
    /// Why the run ended.
    pub stop: StopReason,
    /// Function evaluations.
    pub f_evals: usize,
    /// Gradient evaluations.
    pub g_evals: usize,
    /// Hessian evaluations (Newton).
    #[serde(default)]
    pub h_evals: usize,
}

impl Trace {
    /// The last recorded iterate (always present: the start point is record 0).
    pub fn last(&self) -> &Iterate {
        self.iterates
            .last()
            .expect("a trace always holds its start point")
    }

    /// A 64-bit FNV-1a hash of every recorded number's bits: equal fingerprints mean equal runs,
    /// bit for bit (used to check that native and wasm builds agree exactly).
    pub fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |v: f64| {
            for b in v.to_bits().to_le_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        for r in &self.iterates {
            r.x.iter().for_each(|&v| eat(v));
            eat(r.f);
            eat(r.grad_norm);
            eat(r.step);
        }
        h
    }

    /// Number of iterations performed (records minus the start).
    pub fn iterations(&self) -> usize {
        self.iterates.len().saturating_sub(1)
    }
}
