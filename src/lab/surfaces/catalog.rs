//! What the surfaces lab offers: every surface and every solver with its hyperparameters
//! (default, range, help), for the page's menus.

use super::config::{defaults, SurfaceId};
use crate::problem::surfaces::{KnownMinimum, ViewBox};
use serde::{Deserialize, Serialize};

/// Everything the page shows about a surface (serde data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurfaceInfo {
    /// The id (as used in [`Experiment::surface`](super::Experiment::surface)).
    pub id: SurfaceId,
    /// Display name.
    pub name: String,
    /// The formula (Unicode).
    pub formula: String,
    /// Default view box.
    pub view: ViewBox,
    /// Default start point.
    pub start: [f64; 2],
    /// Known minima from the literature (empty for the saddle).
    pub minima: Vec<KnownMinimum>,
    /// `true` when a hand-written gradient exists.
    pub has_analytic_gradient: bool,
    /// `true` when a hand-written Hessian exists.
    pub has_analytic_hessian: bool,
}

/// [`SurfaceId::info`] for every built-in surface, in menu order.
pub fn surface_catalog() -> Vec<SurfaceInfo> {
    SurfaceId::ALL.iter().map(|s| s.info()).collect()
}

/// One hyperparameter as the page shows it (serde data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HyperParam {
    /// Field name in [`SolverConfig`](super::SolverConfig) JSON.
    pub name: String,
    /// Default value.
    pub default: f64,
    /// Smallest accepted value (inclusive).
    pub min: f64,
    /// Largest accepted value (inclusive).
    pub max: f64,
    /// `true` for whole numbers.
    pub integer: bool,
    /// `true` when a log-scale control suits it (spans decades).
    pub log_scale: bool,
    /// One-line explanation.
    pub help: String,
}

/// A solver as the page lists it (serde data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SolverInfo {
    /// The `"method"` tag of its [`SolverConfig`](super::SolverConfig).
    pub method: String,
    /// Display name.
    pub name: String,
    /// `true` if it needs gradients.
    pub uses_gradient: bool,
    /// `true` if it needs Hessians.
    pub uses_hessian: bool,
    /// One-line description.
    pub help: String,
    /// Its hyperparameters, in config order.
    pub params: Vec<HyperParam>,
}

fn hp(name: &str, default: f64, min: f64, max: f64, log_scale: bool, help: &str) -> HyperParam {
    HyperParam {
        name: name.into(),
        default,
        min,
        max,
        integer: false,
        log_scale,
        help: help.into(),
    }
}

fn hp_int(name: &str, default: usize, min: usize, max: usize, help: &str) -> HyperParam {
    HyperParam {
        integer: true,
        ..hp(name, default as f64, min as f64, max as f64, false, help)
    }
}

fn lr(default: f64) -> HyperParam {
    hp(
        "learning_rate",
        default,
        1e-8,
        100.0,
        true,
        "step size α multiplying the (scaled) gradient",
    )
}
fn c1_param() -> HyperParam {
    hp(
        "c1",
        defaults::C1,
        1e-8,
        0.5,
        true,
        "sufficient-decrease constant: accept α if f drops by at least c₁·α·(slope)",
    )
}
fn c2_param(default: f64) -> HyperParam {
    hp(
        "c2",
        default,
        1e-4,
        0.9999,
        false,
        "curvature constant of the strong Wolfe test: |slope at α| ≤ c₂·|initial slope|",
    )
}
fn eps_param() -> HyperParam {
    hp(
        "epsilon",
        defaults::EPSILON,
        1e-16,
        1.0,
        true,
        "small ε added to the denominator to avoid division by zero",
    )
}
fn momentum_param() -> HyperParam {
    hp(
        "momentum",
        defaults::MOMENTUM,
        0.0,
        0.999,
        false,
        "momentum β: fraction of the previous velocity kept each step",
    )
}
fn cg_params() -> Vec<HyperParam> {
    vec![
        hp_int(
            "restart_every",
            defaults::RESTART_EVERY,
            0,
            100_000,
            "reset to steepest descent every this many iterations (0 = dimension n)",
        ),
        c1_param(),
        c2_param(defaults::C2_CG),
    ]
}

/// Every solver with its hyperparameters (name, default, range, explanation), for the page.
pub fn solver_catalog() -> Vec<SolverInfo> {
    let info = |method: &str, name: &str, grad: bool, hess: bool, help: &str, params| SolverInfo {
        method: method.into(),
        name: name.into(),
        uses_gradient: grad,
        uses_hessian: hess,
        help: help.into(),
        params,
    };
    vec![
        info(
            "gradient_descent",
            "Gradient descent",
            true,
            false,
            "x ← x − α∇f with a fixed step",
            vec![lr(defaults::GD_LEARNING_RATE)],
        ),
        info(
            "gradient_descent_armijo",
            "Gradient descent + Armijo",
            true,
            false,
            "steepest descent; the step is halved until f decreases enough",
            vec![
                hp(
                    "initial_step",
                    defaults::INITIAL_STEP,
                    1e-8,
                    1e4,
                    true,
                    "first step length tried each iteration",
                ),
                c1_param(),
                hp(
                    "shrink",
                    defaults::SHRINK,
                    0.05,
                    0.95,
                    false,
                    "factor ρ the step is multiplied by after each rejected trial",
                ),
                hp_int(
                    "max_trials",
                    defaults::MAX_TRIALS,
                    1,
                    200,
                    "most trial steps per iteration before the line search fails",
                ),
            ],
        ),
        info(
            "momentum",
            "Momentum (heavy ball)",
            true,
            false,
            "v ← βv − α∇f(x), x ← x + v",
            vec![lr(defaults::MOMENTUM_LEARNING_RATE), momentum_param()],
        ),
        info(
            "nesterov",
            "Nesterov accelerated gradient",
            true,
            false,
            "momentum with the gradient taken at the look-ahead point x + βv",
            vec![lr(defaults::MOMENTUM_LEARNING_RATE), momentum_param()],
        ),
        info(
            "adagrad",
            "AdaGrad",
            true,
            false,
            "per-coordinate step α/√(sum of squared gradients)",
            vec![lr(defaults::ADAGRAD_LEARNING_RATE), eps_param()],
        ),
        info(
            "rmsprop",
            "RMSProp",
            true,
            false,
            "per-coordinate step α/√(moving average of squared gradients)",
            vec![
                lr(defaults::ADAPTIVE_LEARNING_RATE),
                hp(
                    "decay",
                    defaults::RMSPROP_DECAY,
                    0.0,
                    0.9999,
                    false,
                    "decay ρ of the squared-gradient moving average",
                ),
                eps_param(),
            ],
        ),
        info(
            "adam",
            "Adam",
            true,
            false,
            "bias-corrected moving averages of the gradient (β₁) and its square (β₂)",
            vec![
                lr(defaults::ADAPTIVE_LEARNING_RATE),
                hp(
                    "beta1",
                    defaults::BETA1,
                    0.0,
                    0.9999,
                    false,
                    "β₁: decay of the gradient average (momentum)",
                ),
                hp(
                    "beta2",
                    defaults::BETA2,
                    0.0,
                    0.999999,
                    false,
                    "β₂: decay of the squared-gradient average",
                ),
                eps_param(),
            ],
        ),
        info(
            "newton",
            "Newton",
            true,
            true,
            "solve (∇²f + τI)p = −∇f (τ > 0 only if ∇²f is not positive definite), then backtrack",
            vec![
                c1_param(),
                hp(
                    "min_shift",
                    defaults::MIN_SHIFT,
                    1e-12,
                    1.0,
                    true,
                    "first shift τ tried (× ‖∇²f‖) when the Hessian is not positive definite",
                ),
            ],
        ),
        info(
            "bfgs",
            "BFGS",
            true,
            false,
            "quasi-Newton: builds an inverse-Hessian estimate from gradient changes",
            vec![c1_param(), c2_param(defaults::C2_QUASI_NEWTON)],
        ),
        info(
            "lbfgs",
            "L-BFGS",
            true,
            false,
            "BFGS that keeps only the last m gradient changes",
            vec![
                hp_int(
                    "memory",
                    defaults::MEMORY,
                    1,
                    100,
                    "number m of (step, gradient change) pairs remembered",
                ),
                c1_param(),
                c2_param(defaults::C2_QUASI_NEWTON),
            ],
        ),
        info(
            "cg_fletcher_reeves",
            "CG (Fletcher–Reeves)",
            true,
            false,
            "conjugate directions, β = ‖∇f_new‖²/‖∇f_old‖²",
            cg_params(),
        ),
        info(
            "cg_polak_ribiere",
            "CG (Polak–Ribière+)",
            true,
            false,
            "conjugate directions, β = max(0, ∇f_newᵀ(∇f_new − ∇f_old)/‖∇f_old‖²)",
            cg_params(),
        ),
        info(
            "nelder_mead",
            "Nelder–Mead",
            false,
            false,
            "derivative-free simplex: reflect, expand, contract, shrink",
            vec![
                hp(
                    "initial_size",
                    defaults::INITIAL_SIZE,
                    1e-8,
                    100.0,
                    true,
                    "edge length of the starting simplex",
                ),
                hp(
                    "x_tol",
                    defaults::X_TOL,
                    0.0,
                    1.0,
                    true,
                    "stop when every vertex is this close to the best one (and f is flat, f tol)",
                ),
                hp(
                    "f_tol",
                    defaults::F_TOL,
                    0.0,
                    1.0,
                    true,
                    "stop when f differs by at most this (× max(1,|f|)) over the simplex (and it is small, x tol)",
                ),
            ],
        ),
    ]
}
