//! How it is minimized.
//!
//! A method implements [`Solver`]: it advances one iteration at a time. The loop around it — the
//! stop criteria, the divergence checks, the evaluation counts and the trace — is written once, in
//! [`run`], so every method reports the same way.

pub mod adagrad;
pub mod adam;
pub mod bfgs;
pub mod conjugate_gradient;
pub mod gradient_descent;
pub mod gradient_descent_armijo;
pub mod lbfgs;
pub mod least_squares;
pub mod line_search;
pub mod minibatch;
pub mod momentum;
pub mod nelder_mead;
pub mod nesterov;
pub mod newton;
pub mod rmsprop;
pub mod schedule;

use crate::diff::{norm, Evaluator};
use crate::trace::{push_vector, Iterate, StopReason, Trace, TraceDetail};
use serde::{Deserialize, Serialize};

pub use adagrad::AdaGrad;
pub use adam::Adam;
pub use bfgs::Bfgs;
pub use conjugate_gradient::{CgFormula, ConjugateGradient};
pub use gradient_descent::GradientDescent;
pub use gradient_descent_armijo::GradientDescentArmijo;
pub use lbfgs::Lbfgs;
pub use momentum::Momentum;
pub use nelder_mead::NelderMead;
pub use nesterov::Nesterov;
pub use newton::Newton;
pub use rmsprop::RmsProp;

/// Dot product aᵀb.
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| p * q).sum()
}

/// The hard cap on iterations accepted from any config (the page and permalinks included): a
/// config asking for more is refused by [`StopCriteria::validate`], never clamped.
pub const MAX_ITERATIONS: usize = 100_000;

/// How many consecutive iterations without change end a run with [`StopReason::Stagnation`].
///
/// One or two null iterations happen legitimately (a quasi-Newton or CG restart, a skipped
/// update, a line search that accepted a round-off-sized step); ten in a row in which f did not
/// move beyond round-off are no transient, and cost at most ten wasted iterations. (Even, so a
/// two-cycle between two points of equal f nets exactly zero over the window.)
pub const STAGNATION_ITERATIONS: usize = 10;

/// The current iterate, shared between the driver and a solver.
#[derive(Clone, Debug)]
pub struct State {
    /// x_k.
    pub x: Vec<f64>,
    /// f(x_k).
    pub f: f64,
    /// ∇f(x_k) (kept current by solvers with [`Solver::uses_gradient`]).
    pub grad: Vec<f64>,
    /// Iteration number k.
    pub k: usize,
    /// The learning-rate schedule's factor for this iteration (1 without a schedule); solvers
    /// of the gradient-descent family multiply their learning rate by it.
    pub lr_factor: f64,
}

/// What one iteration reports besides the new point.
#[derive(Clone, Debug, Default)]
pub struct StepInfo {
    /// Solver-specific values for the trace.
    pub extra: Vec<(crate::trace::Extra, f64)>,
    /// Simplex vertices (Nelder–Mead).
    pub simplex: Option<Vec<Vec<f64>>>,
    /// Set when the solver itself decides to stop (e.g. the line search failed).
    pub stop: Option<StopReason>,
}

/// One optimization method, advanced one iteration at a time.
pub trait Solver {
    /// Display name, e.g. `"Gradient descent (α = 0.05)"`.
    fn name(&self) -> String;

    /// `true` when the method needs ∇f: the driver then evaluates it at the start, and `step` must
    /// leave `state.grad` equal to ∇f at the new point.
    fn uses_gradient(&self) -> bool {
        true
    }

    /// `true` when the trace records ∇f at every iterate. For a method without
    /// [`Solver::uses_gradient`] the driver then evaluates ∇f just for the trace — counted like
    /// every other evaluation. The default (`uses_gradient()`): gradient-free methods record no
    /// gradient (`grad_norm` NaN, no `"grad"` extras) and evaluate none.
    fn records_gradient(&self) -> bool {
        self.uses_gradient()
    }

    /// Called once with the start point before the first `step`.
    fn init(&mut self, _ev: &Evaluator, _state: &State) {}

    /// Moves `state` from x_k to x_{k+1}, updating `x`, `f` and (if it uses gradients) `grad`.
    fn step(&mut self, ev: &Evaluator, state: &mut State) -> StepInfo;
}

/// When a run stops. A tolerance of 0 disables that test.
///
/// Serde: every field may be omitted and takes its [`Default`] (the current behaviour); links of
/// version 2 are decoded with `stagnation` and `precision_limit` off (`lab::link::upgrade_v2`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StopCriteria {
    /// Iteration budget, 1 to [`MAX_ITERATIONS`] (checked by [`StopCriteria::validate`]).
    pub max_iterations: usize,
    /// Evaluation budget (0 = none): the run stops with [`StopReason::MaxEvaluations`] before an
    /// iteration once f_evals + g_evals + h_evals, as the [`Evaluator`] counts them, reach it. A
    /// finite-difference gradient counts as one gradient evaluation plus its 2n function
    /// evaluations, a finite-difference Hessian as one Hessian plus its 2n gradients. Checked
    /// between iterations, so the last iteration may overrun it by its own evaluations.
    pub max_evaluations: usize,
    /// Stop when ‖∇f(x_k)‖ < `grad_tol`.
    pub grad_tol: f64,
    /// Stop when ‖x_{k+1} − x_k‖ < `step_tol`.
    pub step_tol: f64,
    /// Stop when |f_{k+1} − f_k| < `f_tol`·(|f_k| + `f_tol`).
    pub f_tol: f64,
    /// Declare divergence when ‖x‖ exceeds this bound.
    pub divergence_bound: f64,
    /// Stop with [`StopReason::Stagnation`] when, for [`STAGNATION_ITERATIONS`] consecutive
    /// iterations of a gradient-based method, |f_{k+1} − f_k| ≤ ε·|f_k| (f did not change beyond
    /// round-off), and over those iterations x either stood still (path length Σ‖Δx‖ ≤
    /// √ε·(1 + ‖x‖)) or wandered without travelling (‖x_k − x_{k−10}‖ ≤ ½ Σ‖Δx‖: cycling or a
    /// random walk inside the region where f is flat to round-off, whose width ≈ √(2ε|f|/λ) has no
    /// fixed scale). A method crossing a plateau in a steady direction (e.g. Adam) travels, and is
    /// not stopped. Default on; off in v2 links.
    pub stagnation: bool,
    /// Report a line search that failed because of round-off as [`StopReason::PrecisionLimit`]
    /// (see [`line_search`]); when off, as [`StopReason::LineSearchFailed`] like v2 did. Only
    /// the stop's name changes, never the iterates. Default on; off in v2 links.
    pub precision_limit: bool,
    /// Keep every record (default) or only the start and the last ([`TraceDetail::Last`]).
    #[serde(skip_serializing_if = "TraceDetail::is_full")]
    pub trace: TraceDetail,
}

impl Default for StopCriteria {
    fn default() -> Self {
        StopCriteria {
            max_iterations: 500,
            max_evaluations: 0,
            grad_tol: 1e-6,
            step_tol: 0.0,
            f_tol: 0.0,
            divergence_bound: 1e8,
            stagnation: true,
            precision_limit: true,
            trace: TraceDetail::Full,
        }
    }
}

impl StopCriteria {
    /// Checks every field, in words: 1 ≤ `max_iterations` ≤ [`MAX_ITERATIONS`] (never clamped),
    /// tolerances finite and ≥ 0, a positive divergence bound.
    pub fn validate(&self) -> Result<(), String> {
        if self.max_iterations == 0 || self.max_iterations > MAX_ITERATIONS {
            return Err(format!(
                "max iterations must be between 1 and {MAX_ITERATIONS} (got {})",
                self.max_iterations
            ));
        }
        for (what, v) in [
            ("tolerance", self.grad_tol),
            ("step tolerance", self.step_tol),
            ("f tolerance", self.f_tol),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!("{what} must be a number ≥ 0 (got {v})"));
            }
        }
        if self.divergence_bound.is_nan() || self.divergence_bound <= 0.0 {
            return Err(format!(
                "divergence bound must be a number > 0 (got {})",
                self.divergence_bound
            ));
        }
        Ok(())
    }
}

/// Runs `solver` from `x0` until a stop criterion holds, recording every iterate.
///
/// Non-finite points are never recorded: a run whose next point is NaN/∞ (or beyond
/// `divergence_bound`) ends with [`StopReason::Diverged`] after its last finite iterate.
pub fn run(solver: &mut dyn Solver, ev: &Evaluator, x0: &[f64], crit: &StopCriteria) -> Trace {
    run_scheduled(solver, ev, x0, crit, &schedule::Schedule::Constant)
}

/// [`run`] with a learning-rate schedule: iteration k gets `state.lr_factor = schedule.factor(k)`.
pub fn run_scheduled(
    solver: &mut dyn Solver,
    ev: &Evaluator,
    x0: &[f64],
    crit: &StopCriteria,
    schedule: &schedule::Schedule,
) -> Trace {
    let n = x0.len();
    let max_iterations = crit.max_iterations;
    let mut state = State {
        x: x0.to_vec(),
        f: ev.value(x0),
        grad: vec![0.0; n],
        k: 0,
        lr_factor: 1.0,
    };
    let records_gradient = solver.uses_gradient() || solver.records_gradient();
    if records_gradient {
        ev.gradient(x0, &mut state.grad);
    } else {
        state.grad.fill(f64::NAN);
    }
    // A gradient-free run records no gradient: NaN norm and no "grad" extras.
    let gradient_norm = |g: &[f64]| if records_gradient { norm(g) } else { f64::NAN };
    let mut iterates = vec![Iterate {
        k: 0,
        x: state.x.clone(),
        f: state.f,
        grad_norm: gradient_norm(&state.grad),
        step: 0.0,
        extra: Vec::new(),
        simplex: None,
    }];
    if records_gradient {
        push_vector(&mut iterates[0].extra, "grad", &state.grad);
    }
    let name = solver.name();
    let finish = |iterates, stop| Trace {
        solver: name.clone(),
        iterates,
        stop,
        f_evals: ev.f_evals(),
        g_evals: ev.g_evals(),
        h_evals: ev.h_evals(),
    };
    if !is_finite_point(&state.x, state.f, crit.divergence_bound)
        || (records_gradient && !norm(&state.grad).is_finite())
    {
        let why = if state.f.is_finite()
            && state.x.iter().all(|v| v.is_finite())
            && norm(&state.x) > crit.divergence_bound
        {
            StopReason::Diverged
        } else {
            StopReason::UndefinedAtStart
        };
        return finish(iterates, why);
    }
    solver.init(ev, &state);
    let evaluations = || ev.f_evals() + ev.g_evals() + ev.h_evals();
    // The iterates of the current run of iterations with f unchanged (at most
    // STAGNATION_ITERATIONS + 1 points) and their step lengths.
    let mut still: std::collections::VecDeque<(Vec<f64>, f64)> = Default::default();
    let stop = loop {
        let grad_norm = norm(&state.grad);
        if solver.uses_gradient() && grad_norm < crit.grad_tol {
            break StopReason::GradientTolerance;
        }
        if state.k >= max_iterations {
            break StopReason::MaxIterations;
        }
        if crit.max_evaluations > 0 && evaluations() >= crit.max_evaluations {
            break StopReason::MaxEvaluations;
        }
        let (x_prev, f_prev) = (state.x.clone(), state.f);
        state.lr_factor = schedule.factor(state.k);
        let info = solver.step(ev, &mut state);
        state.k += 1;
        if !solver.uses_gradient()
            && records_gradient
            && is_finite_point(&state.x, state.f, crit.divergence_bound)
        {
            ev.gradient(&state.x, &mut state.grad);
        }
        let grad_norm = gradient_norm(&state.grad);
        if !is_finite_point(&state.x, state.f, crit.divergence_bound)
            || (records_gradient && !grad_norm.is_finite())
        {
            break StopReason::Diverged;
        }
        let step: f64 = norm(
            &state
                .x
                .iter()
                .zip(&x_prev)
                .map(|(a, b)| a - b)
                .collect::<Vec<_>>(),
        );
        let mut extra = info.extra;
        if records_gradient {
            push_vector(&mut extra, "grad", &state.grad);
        }
        crit.trace.record(
            &mut iterates,
            Iterate {
                k: state.k,
                x: state.x.clone(),
                f: state.f,
                grad_norm,
                step,
                extra,
                simplex: info.simplex,
            },
        );
        if let Some(stop) = info.stop {
            break match stop {
                StopReason::PrecisionLimit if !crit.precision_limit => StopReason::LineSearchFailed,
                stop => stop,
            };
        }
        if crit.step_tol > 0.0 && step < crit.step_tol {
            break StopReason::StepTolerance;
        }
        if crit.f_tol > 0.0 && (state.f - f_prev).abs() < crit.f_tol * (f_prev.abs() + crit.f_tol) {
            break StopReason::FunctionTolerance;
        }
        if crit.stagnation && solver.uses_gradient() {
            if (state.f - f_prev).abs() <= f64::EPSILON * f_prev.abs() {
                if still.is_empty() {
                    still.push_back((x_prev, 0.0));
                }
                still.push_back((state.x.clone(), step));
                if still.len() > STAGNATION_ITERATIONS + 1 {
                    still.pop_front();
                }
                if still.len() == STAGNATION_ITERATIONS + 1 {
                    let path: f64 = still.iter().skip(1).map(|(_, s)| s).sum();
                    let net = norm(
                        &state
                            .x
                            .iter()
                            .zip(&still[0].0)
                            .map(|(a, b)| a - b)
                            .collect::<Vec<_>>(),
                    );
                    if path <= f64::EPSILON.sqrt() * (1.0 + norm(&state.x)) || net <= 0.5 * path {
                        break StopReason::Stagnation;
                    }
                }
            } else {
                still.clear();
            }
        }
    };
    finish(iterates, stop)
}

fn is_finite_point(x: &[f64], f: f64, bound: f64) -> bool {
    f.is_finite() && x.iter().all(|v| v.is_finite()) && norm(x) <= bound
}
