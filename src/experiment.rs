//! One whole experiment as a serde config, and `run(config) -> traces`.
//!
//! [`Experiment::run`] is a pure function of the config: the same config (e.g. decoded from a
//! permalink) gives the same traces, bit for bit, natively and in wasm.

use crate::diff::ad::Scalar;
use crate::diff::{Evaluator, GradientSource};
use crate::problem::formula::SurfaceFormula;
use crate::problem::surfaces::{
    Ackley, Beale, Booth, GoldsteinPrice, Himmelblau, KnownMinimum, Matyas, Peaks, Quadratic,
    Rastrigin, Rosenbrock, Saddle, SixHumpCamel, StyblinskiTang, Surface, ThreeHumpCamel, ViewBox,
};
use crate::problem::Objective;
use crate::solver::{
    self, AdaGrad, Adam, Bfgs, CgFormula, ConjugateGradient, GradientDescent,
    GradientDescentArmijo, Lbfgs, Momentum, NelderMead, Nesterov, Newton, RmsProp, Solver,
    StopCriteria, MAX_ITERATIONS,
};
use crate::trace::Trace;
use serde::{Deserialize, Serialize};

/// A built-in 2-D surface (serde: snake_case name, e.g. `"rosenbrock"`, `"six_hump_camel"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurfaceId {
    /// MATLAB's peaks.
    #[default]
    Peaks,
    /// Rosenbrock, a = 1, b = 100.
    Rosenbrock,
    /// Himmelblau (four minima).
    Himmelblau,
    /// Beale.
    Beale,
    /// Booth.
    Booth,
    /// Matyas.
    Matyas,
    /// Three-hump camel.
    ThreeHumpCamel,
    /// Six-hump camel.
    SixHumpCamel,
    /// Goldstein–Price.
    GoldsteinPrice,
    /// Rastrigin.
    Rastrigin,
    /// Ackley.
    Ackley,
    /// Styblinski–Tang.
    StyblinskiTang,
    /// ½(x² + κy²) with condition number κ = [`Experiment::quadratic_condition`].
    Quadratic,
    /// x² − y².
    Saddle,
    /// A formula typed by the user ([`Experiment::formula`]).
    Formula,
}

/// Calls `$body` with `$s` bound to the concrete surface value of `$id`.
macro_rules! with_surface {
    ($id:expr, $kappa:expr, |$s:ident| $body:expr) => {
        match $id {
            SurfaceId::Peaks => {
                let $s = Peaks;
                $body
            }
            SurfaceId::Rosenbrock => {
                let $s = Rosenbrock;
                $body
            }
            SurfaceId::Himmelblau => {
                let $s = Himmelblau;
                $body
            }
            SurfaceId::Beale => {
                let $s = Beale;
                $body
            }
            SurfaceId::Booth => {
                let $s = Booth;
                $body
            }
            SurfaceId::Matyas => {
                let $s = Matyas;
                $body
            }
            SurfaceId::ThreeHumpCamel => {
                let $s = ThreeHumpCamel;
                $body
            }
            SurfaceId::SixHumpCamel => {
                let $s = SixHumpCamel;
                $body
            }
            SurfaceId::GoldsteinPrice => {
                let $s = GoldsteinPrice;
                $body
            }
            SurfaceId::Rastrigin => {
                let $s = Rastrigin;
                $body
            }
            SurfaceId::Ackley => {
                let $s = Ackley;
                $body
            }
            SurfaceId::StyblinskiTang => {
                let $s = StyblinskiTang;
                $body
            }
            SurfaceId::Quadratic => {
                let $s = Quadratic { condition: $kappa };
                $body
            }
            SurfaceId::Saddle => {
                let $s = Saddle;
                $body
            }
            SurfaceId::Formula => {
                let $s = FormulaPlaceholder;
                $body
            }
        }
    };
}

/// What [`SurfaceId::Formula`] stands for without its text: the metadata of a typed formula
/// (default view and start) and NaN values. The real objective comes from
/// [`Experiment::objective`], which compiles [`Experiment::formula`].
#[derive(Clone, Copy, Debug)]
struct FormulaPlaceholder;

impl Surface for FormulaPlaceholder {
    fn name(&self) -> &'static str {
        "your formula"
    }
    fn formula(&self) -> &'static str {
        ""
    }
    fn view(&self) -> ViewBox {
        ViewBox::new(-3.0, 3.0, -3.0, 3.0)
    }
    fn start(&self) -> [f64; 2] {
        [-1.5, 2.0]
    }
    fn minima(&self) -> Vec<KnownMinimum> {
        Vec::new()
    }
    fn fxy<T: Scalar>(&self, _x: T, _y: T) -> T {
        T::from(f64::NAN)
    }
}

/// Everything the page shows about a surface (serde data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurfaceInfo {
    /// The id (as used in [`Experiment::surface`]).
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

impl SurfaceId {
    /// Every built-in surface, in menu order.
    pub const ALL: [SurfaceId; 14] = [
        SurfaceId::Peaks,
        SurfaceId::Rosenbrock,
        SurfaceId::Himmelblau,
        SurfaceId::Beale,
        SurfaceId::Booth,
        SurfaceId::Matyas,
        SurfaceId::ThreeHumpCamel,
        SurfaceId::SixHumpCamel,
        SurfaceId::GoldsteinPrice,
        SurfaceId::Rastrigin,
        SurfaceId::Ackley,
        SurfaceId::StyblinskiTang,
        SurfaceId::Quadratic,
        SurfaceId::Saddle,
    ];

    /// The objective with default parameters (κ = 10 for the quadratic).
    pub fn objective(&self) -> Box<dyn Objective> {
        self.objective_with(Quadratic::DEFAULT_CONDITION)
    }
    /// The objective, with condition number `quadratic_condition` for [`SurfaceId::Quadratic`].
    pub fn objective_with(&self, quadratic_condition: f64) -> Box<dyn Objective> {
        with_surface!(self, quadratic_condition, |s| Box::new(s)
            as Box<dyn Objective>)
    }
    /// Display name.
    pub fn name(&self) -> &'static str {
        with_surface!(self, 1.0, |s| s.name())
    }
    /// The formula as shown on the page.
    pub fn formula(&self) -> &'static str {
        with_surface!(self, 1.0, |s| s.formula())
    }
    /// The default view box.
    pub fn view(&self) -> ViewBox {
        with_surface!(self, 1.0, |s| s.view())
    }
    /// The default start point.
    pub fn start(&self) -> [f64; 2] {
        with_surface!(self, 1.0, |s| s.start())
    }
    /// Known minima from the literature.
    pub fn minima(&self) -> Vec<KnownMinimum> {
        with_surface!(self, 1.0, |s| s.minima())
    }
    /// Everything the page shows about this surface.
    pub fn info(&self) -> SurfaceInfo {
        with_surface!(self, Quadratic::DEFAULT_CONDITION, |s| SurfaceInfo {
            id: *self,
            name: s.name().to_string(),
            formula: s.formula().to_string(),
            view: s.view(),
            start: s.start(),
            minima: s.minima(),
            has_analytic_gradient: s.analytic_gradient(0.5, 0.5).is_some(),
            has_analytic_hessian: s.analytic_hessian(0.5, 0.5).is_some(),
        })
    }
}

/// [`SurfaceId::info`] for every built-in surface, in menu order.
pub fn surface_catalog() -> Vec<SurfaceInfo> {
    SurfaceId::ALL.iter().map(|s| s.info()).collect()
}

/// Default hyperparameter values (also listed by [`solver_catalog`]).
pub mod defaults {
    /// Gradient descent learning rate.
    pub const GD_LEARNING_RATE: f64 = 0.05;
    /// Backtracking first trial step α₀.
    pub const INITIAL_STEP: f64 = 1.0;
    /// Armijo constant c₁ (N&W suggest 10⁻⁴).
    pub const C1: f64 = 1e-4;
    /// Backtracking factor ρ.
    pub const SHRINK: f64 = 0.5;
    /// Backtracking trial budget.
    pub const MAX_TRIALS: usize = 50;
    /// Momentum / Nesterov learning rate.
    pub const MOMENTUM_LEARNING_RATE: f64 = 0.01;
    /// Momentum β.
    pub const MOMENTUM: f64 = 0.9;
    /// AdaGrad learning rate.
    pub const ADAGRAD_LEARNING_RATE: f64 = 0.1;
    /// RMSProp / Adam learning rate.
    pub const ADAPTIVE_LEARNING_RATE: f64 = 0.05;
    /// RMSProp decay ρ.
    pub const RMSPROP_DECAY: f64 = 0.9;
    /// Adam β₁ (Kingma & Ba).
    pub const BETA1: f64 = 0.9;
    /// Adam β₂ (Kingma & Ba).
    pub const BETA2: f64 = 0.999;
    /// ε of the adaptive methods.
    pub const EPSILON: f64 = 1e-8;
    /// Newton's first Hessian shift β (relative to ‖H‖_F).
    pub const MIN_SHIFT: f64 = 1e-3;
    /// Wolfe curvature constant c₂ for (L-)BFGS (N&W: 0.9).
    pub const C2_QUASI_NEWTON: f64 = 0.9;
    /// Wolfe curvature constant c₂ for CG (N&W: 0.1).
    pub const C2_CG: f64 = 0.1;
    /// L-BFGS memory m.
    pub const MEMORY: usize = 10;
    /// CG restart period (0 = n).
    pub const RESTART_EVERY: usize = 0;
    /// Nelder–Mead initial simplex edge.
    pub const INITIAL_SIZE: f64 = 0.25;
    /// Nelder–Mead simplex-size tolerance.
    pub const X_TOL: f64 = 1e-8;
    /// Nelder–Mead f-spread tolerance.
    pub const F_TOL: f64 = 1e-15;

    macro_rules! default_fns {
        ($($name:ident: $t:ty = $v:expr;)*) => {
            $(pub(crate) fn $name() -> $t { $v })*
        };
    }
    default_fns! {
        gd_learning_rate: f64 = GD_LEARNING_RATE;
        initial_step: f64 = INITIAL_STEP;
        c1: f64 = C1;
        shrink: f64 = SHRINK;
        max_trials: usize = MAX_TRIALS;
        momentum_learning_rate: f64 = MOMENTUM_LEARNING_RATE;
        momentum: f64 = MOMENTUM;
        adagrad_learning_rate: f64 = ADAGRAD_LEARNING_RATE;
        adaptive_learning_rate: f64 = ADAPTIVE_LEARNING_RATE;
        rmsprop_decay: f64 = RMSPROP_DECAY;
        beta1: f64 = BETA1;
        beta2: f64 = BETA2;
        epsilon: f64 = EPSILON;
        min_shift: f64 = MIN_SHIFT;
        c2_quasi_newton: f64 = C2_QUASI_NEWTON;
        c2_cg: f64 = C2_CG;
        memory: usize = MEMORY;
        restart_every: usize = RESTART_EVERY;
        initial_size: f64 = INITIAL_SIZE;
        x_tol: f64 = X_TOL;
        f_tol: f64 = F_TOL;
    }
}

/// One solver and its hyperparameters (serde: internally tagged by `"method"`, snake_case; every
/// field may be omitted and then takes its default, e.g. `{"method": "adam"}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum SolverConfig {
    /// Fixed-step gradient descent.
    GradientDescent {
        /// Learning rate α (default 0.05).
        #[serde(default = "defaults::gd_learning_rate")]
        learning_rate: f64,
    },
    /// Gradient descent with backtracking Armijo line search.
    GradientDescentArmijo {
        /// First trial step α₀ (default 1).
        #[serde(default = "defaults::initial_step")]
        initial_step: f64,
        /// Armijo constant c₁ (default 10⁻⁴).
        #[serde(default = "defaults::c1")]
        c1: f64,
        /// Backtracking factor ρ (default ½).
        #[serde(default = "defaults::shrink")]
        shrink: f64,
        /// Trial budget per iteration (default 50).
        #[serde(default = "defaults::max_trials")]
        max_trials: usize,
    },
    /// Heavy-ball momentum.
    Momentum {
        /// Learning rate α (default 0.01).
        #[serde(default = "defaults::momentum_learning_rate")]
        learning_rate: f64,
        /// Momentum β (default 0.9).
        #[serde(default = "defaults::momentum")]
        momentum: f64,
    },
    /// Nesterov accelerated gradient.
    Nesterov {
        /// Learning rate α (default 0.01).
        #[serde(default = "defaults::momentum_learning_rate")]
        learning_rate: f64,
        /// Momentum β (default 0.9).
        #[serde(default = "defaults::momentum")]
        momentum: f64,
    },
    /// AdaGrad.
    Adagrad {
        /// Learning rate α (default 0.1).
        #[serde(default = "defaults::adagrad_learning_rate")]
        learning_rate: f64,
        /// ε (default 10⁻⁸).
        #[serde(default = "defaults::epsilon")]
        epsilon: f64,
    },
    /// RMSProp.
    Rmsprop {
        /// Learning rate α (default 0.05).
        #[serde(default = "defaults::adaptive_learning_rate")]
        learning_rate: f64,
        /// Decay ρ (default 0.9).
        #[serde(default = "defaults::rmsprop_decay")]
        decay: f64,
        /// ε (default 10⁻⁸).
        #[serde(default = "defaults::epsilon")]
        epsilon: f64,
    },
    /// Adam (bias-corrected).
    Adam {
        /// Learning rate α (default 0.05).
        #[serde(default = "defaults::adaptive_learning_rate")]
        learning_rate: f64,
        /// β₁ (default 0.9).
        #[serde(default = "defaults::beta1")]
        beta1: f64,
        /// β₂ (default 0.999).
        #[serde(default = "defaults::beta2")]
        beta2: f64,
        /// ε (default 10⁻⁸).
        #[serde(default = "defaults::epsilon")]
        epsilon: f64,
    },
    /// Newton with Hessian shift and backtracking.
    Newton {
        /// Armijo constant c₁ (default 10⁻⁴).
        #[serde(default = "defaults::c1")]
        c1: f64,
        /// First shift β relative to ‖H‖ (default 10⁻³).
        #[serde(default = "defaults::min_shift")]
        min_shift: f64,
    },
    /// BFGS with strong-Wolfe line search.
    Bfgs {
        /// c₁ (default 10⁻⁴).
        #[serde(default = "defaults::c1")]
        c1: f64,
        /// c₂ (default 0.9).
        #[serde(default = "defaults::c2_quasi_newton")]
        c2: f64,
    },
    /// L-BFGS with strong-Wolfe line search.
    Lbfgs {
        /// Memory m (default 10).
        #[serde(default = "defaults::memory")]
        memory: usize,
        /// c₁ (default 10⁻⁴).
        #[serde(default = "defaults::c1")]
        c1: f64,
        /// c₂ (default 0.9).
        #[serde(default = "defaults::c2_quasi_newton")]
        c2: f64,
    },
    /// Nonlinear CG, Fletcher–Reeves.
    CgFletcherReeves {
        /// Restart period, 0 = n (default 0).
        #[serde(default = "defaults::restart_every")]
        restart_every: usize,
        /// c₁ (default 10⁻⁴).
        #[serde(default = "defaults::c1")]
        c1: f64,
        /// c₂ (default 0.1).
        #[serde(default = "defaults::c2_cg")]
        c2: f64,
    },
    /// Nonlinear CG, Polak–Ribière+.
    CgPolakRibiere {
        /// Restart period, 0 = n (default 0).
        #[serde(default = "defaults::restart_every")]
        restart_every: usize,
        /// c₁ (default 10⁻⁴).
        #[serde(default = "defaults::c1")]
        c1: f64,
        /// c₂ (default 0.1).
        #[serde(default = "defaults::c2_cg")]
        c2: f64,
    },
    /// Nelder–Mead simplex.
    NelderMead {
        /// Initial simplex edge (default 0.25).
        #[serde(default = "defaults::initial_size")]
        initial_size: f64,
        /// Simplex-size tolerance (default 10⁻⁸).
        #[serde(default = "defaults::x_tol")]
        x_tol: f64,
        /// f-spread tolerance (default 10⁻¹⁵).
        #[serde(default = "defaults::f_tol")]
        f_tol: f64,
    },
}

/// One hyperparameter as the page shows it (serde data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HyperParam {
    /// Field name in [`SolverConfig`] JSON.
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
    /// The `"method"` tag of its [`SolverConfig`].
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
                    "stop when every vertex is this close to the best one",
                ),
                hp(
                    "f_tol",
                    defaults::F_TOL,
                    0.0,
                    1.0,
                    true,
                    "stop when f differs by at most this (× max(1,|f|)) over the simplex",
                ),
            ],
        ),
    ]
}

impl SolverConfig {
    /// The default config of the solver with `"method"` tag `method`, if it exists.
    pub fn default_for(method: &str) -> Option<SolverConfig> {
        serde_json::from_value(serde_json::json!({ "method": method })).ok()
    }

    /// The `"method"` tag.
    pub fn method(&self) -> &'static str {
        match self {
            SolverConfig::GradientDescent { .. } => "gradient_descent",
            SolverConfig::GradientDescentArmijo { .. } => "gradient_descent_armijo",
            SolverConfig::Momentum { .. } => "momentum",
            SolverConfig::Nesterov { .. } => "nesterov",
            SolverConfig::Adagrad { .. } => "adagrad",
            SolverConfig::Rmsprop { .. } => "rmsprop",
            SolverConfig::Adam { .. } => "adam",
            SolverConfig::Newton { .. } => "newton",
            SolverConfig::Bfgs { .. } => "bfgs",
            SolverConfig::Lbfgs { .. } => "lbfgs",
            SolverConfig::CgFletcherReeves { .. } => "cg_fletcher_reeves",
            SolverConfig::CgPolakRibiere { .. } => "cg_polak_ribiere",
            SolverConfig::NelderMead { .. } => "nelder_mead",
        }
    }

    /// The hyperparameters as (name, value), in catalog order.
    pub fn params(&self) -> Vec<(&'static str, f64)> {
        match *self {
            SolverConfig::GradientDescent { learning_rate } => {
                vec![("learning_rate", learning_rate)]
            }
            SolverConfig::GradientDescentArmijo {
                initial_step,
                c1,
                shrink,
                max_trials,
            } => vec![
                ("initial_step", initial_step),
                ("c1", c1),
                ("shrink", shrink),
                ("max_trials", max_trials as f64),
            ],
            SolverConfig::Momentum {
                learning_rate,
                momentum,
            }
            | SolverConfig::Nesterov {
                learning_rate,
                momentum,
            } => vec![("learning_rate", learning_rate), ("momentum", momentum)],
            SolverConfig::Adagrad {
                learning_rate,
                epsilon,
            } => vec![("learning_rate", learning_rate), ("epsilon", epsilon)],
            SolverConfig::Rmsprop {
                learning_rate,
                decay,
                epsilon,
            } => vec![
                ("learning_rate", learning_rate),
                ("decay", decay),
                ("epsilon", epsilon),
            ],
            SolverConfig::Adam {
                learning_rate,
                beta1,
                beta2,
                epsilon,
            } => vec![
                ("learning_rate", learning_rate),
                ("beta1", beta1),
                ("beta2", beta2),
                ("epsilon", epsilon),
            ],
            SolverConfig::Newton { c1, min_shift } => vec![("c1", c1), ("min_shift", min_shift)],
            SolverConfig::Bfgs { c1, c2 } => vec![("c1", c1), ("c2", c2)],
            SolverConfig::Lbfgs { memory, c1, c2 } => {
                vec![("memory", memory as f64), ("c1", c1), ("c2", c2)]
            }
            SolverConfig::CgFletcherReeves {
                restart_every,
                c1,
                c2,
            }
            | SolverConfig::CgPolakRibiere {
                restart_every,
                c1,
                c2,
            } => vec![
                ("restart_every", restart_every as f64),
                ("c1", c1),
                ("c2", c2),
            ],
            SolverConfig::NelderMead {
                initial_size,
                x_tol,
                f_tol,
            } => vec![
                ("initial_size", initial_size),
                ("x_tol", x_tol),
                ("f_tol", f_tol),
            ],
        }
    }

    /// Checks every hyperparameter against its catalog range (and c₁ < c₂), in words.
    pub fn validate(&self) -> Result<(), String> {
        let method = self.method();
        let catalog = solver_catalog();
        let info = catalog
            .iter()
            .find(|i| i.method == method)
            .ok_or_else(|| format!("unknown solver {method}"))?;
        for (name, value) in self.params() {
            let Some(p) = info.params.iter().find(|p| p.name == name) else {
                continue;
            };
            if !(value.is_finite() && value >= p.min && value <= p.max) {
                let what = name.replace('_', " ");
                return Err(format!(
                    "{}: {what} must be a number between {} and {} (got {value})",
                    info.name, p.min, p.max
                ));
            }
        }
        let c = self.params();
        let get = |k: &str| c.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
        if let (Some(c1), Some(c2)) = (get("c1"), get("c2")) {
            if c1 >= c2 {
                return Err(format!(
                    "{}: c1 must be smaller than c2 (got c1 = {c1}, c2 = {c2})",
                    info.name
                ));
            }
        }
        Ok(())
    }

    /// Builds the solver, or says what is wrong with the hyperparameters.
    pub fn build(&self) -> Result<Box<dyn Solver>, String> {
        self.validate()?;
        Ok(match *self {
            SolverConfig::GradientDescent { learning_rate } => {
                Box::new(GradientDescent { learning_rate })
            }
            SolverConfig::GradientDescentArmijo {
                initial_step,
                c1,
                shrink,
                max_trials,
            } => Box::new(GradientDescentArmijo {
                initial_step,
                c1,
                shrink,
                max_trials,
            }),
            SolverConfig::Momentum {
                learning_rate,
                momentum,
            } => Box::new(Momentum::new(learning_rate, momentum)),
            SolverConfig::Nesterov {
                learning_rate,
                momentum,
            } => Box::new(Nesterov::new(learning_rate, momentum)),
            SolverConfig::Adagrad {
                learning_rate,
                epsilon,
            } => Box::new(AdaGrad::new(learning_rate, epsilon)),
            SolverConfig::Rmsprop {
                learning_rate,
                decay,
                epsilon,
            } => Box::new(RmsProp::new(learning_rate, decay, epsilon)),
            SolverConfig::Adam {
                learning_rate,
                beta1,
                beta2,
                epsilon,
            } => Box::new(Adam::new(learning_rate, beta1, beta2, epsilon)),
            SolverConfig::Newton { c1, min_shift } => Box::new(Newton {
                c1,
                min_shift,
                max_trials: defaults::MAX_TRIALS,
            }),
            SolverConfig::Bfgs { c1, c2 } => Box::new(Bfgs::new(c1, c2)),
            SolverConfig::Lbfgs { memory, c1, c2 } => Box::new(Lbfgs::new(memory, c1, c2)),
            SolverConfig::CgFletcherReeves {
                restart_every,
                c1,
                c2,
            } => Box::new(ConjugateGradient::new(
                CgFormula::FletcherReeves,
                restart_every,
                c1,
                c2,
            )),
            SolverConfig::CgPolakRibiere {
                restart_every,
                c1,
                c2,
            } => Box::new(ConjugateGradient::new(
                CgFormula::PolakRibierePlus,
                restart_every,
                c1,
                c2,
            )),
            SolverConfig::NelderMead {
                initial_size,
                x_tol,
                f_tol,
            } => Box::new(NelderMead::new(initial_size, x_tol, f_tol)),
        })
    }
}

/// The camera and map view.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct View {
    /// Contour-map and surface extent.
    pub view_box: ViewBox,
    /// 3-D camera yaw (radians).
    pub yaw: f64,
    /// 3-D camera pitch (radians).
    pub pitch: f64,
}

impl Default for View {
    fn default() -> Self {
        View {
            view_box: Peaks::VIEW,
            yaw: 0.6,
            pitch: 0.45,
        }
    }
}

/// A whole surface experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Experiment {
    /// The surface minimized.
    pub surface: SurfaceId,
    /// Where every solver starts.
    pub start: [f64; 2],
    /// The solvers raced from `start`.
    pub solvers: Vec<SolverConfig>,
    /// When runs stop.
    pub stop: StopCriteria,
    /// Where gradients come from.
    pub gradient: GradientSource,
    /// Condition number κ ∈ [1, 10⁸] of [`SurfaceId::Quadratic`] (default 10; ignored otherwise).
    pub quadratic_condition: f64,
    /// The formula f(x, y) of [`SurfaceId::Formula`] (NumPy spelling accepted; ignored otherwise).
    pub formula: String,
    /// Learning-rate schedule of the gradient-descent family (GD, momentum, Nesterov, AdaGrad,
    /// RMSProp, Adam); the line-search and second-order methods ignore it.
    pub schedule: crate::solver::schedule::Schedule,
    /// How the plots look.
    pub view: View,
}

impl Default for Experiment {
    fn default() -> Self {
        Experiment {
            surface: SurfaceId::Peaks,
            start: [-0.2, -0.6],
            solvers: vec![SolverConfig::GradientDescent {
                learning_rate: 0.05,
            }],
            stop: StopCriteria {
                max_iterations: 300,
                grad_tol: 1e-6,
                ..Default::default()
            },
            gradient: GradientSource::Analytic,
            quadratic_condition: Quadratic::DEFAULT_CONDITION,
            formula: String::new(),
            schedule: Default::default(),
            view: View::default(),
        }
    }
}

impl Experiment {
    /// Checks every field, returning the first problem in words.
    pub fn validate(&self) -> Result<(), String> {
        if !self.start.iter().all(|v| v.is_finite()) {
            return Err("start point must be finite numbers".into());
        }
        if self.stop.max_iterations == 0 || self.stop.max_iterations > MAX_ITERATIONS {
            return Err(format!(
                "max iterations must be between 1 and {MAX_ITERATIONS} (got {})",
                self.stop.max_iterations
            ));
        }
        if !(self.stop.grad_tol.is_finite() && self.stop.grad_tol >= 0.0) {
            return Err(format!(
                "tolerance must be a number ≥ 0 (got {})",
                self.stop.grad_tol
            ));
        }
        if !(self.quadratic_condition.is_finite()
            && (1.0..=1e8).contains(&self.quadratic_condition))
        {
            return Err(format!(
                "quadratic condition number must be between 1 and 1e8 (got {})",
                self.quadratic_condition
            ));
        }
        if !self.view.view_box.is_valid() {
            return Err("view box must have finite bounds with min < max".into());
        }
        if self.solvers.is_empty() {
            return Err("choose at least one solver".into());
        }
        self.schedule.validate()?;
        if self.surface == SurfaceId::Formula {
            SurfaceFormula::parse(&self.formula).map_err(|e| format!("formula: {e}"))?;
        }
        for s in &self.solvers {
            s.build()?;
        }
        Ok(())
    }

    /// The objective minimized: the built-in surface, or the compiled formula.
    pub fn objective(&self) -> Result<Box<dyn Objective>, String> {
        if self.surface == SurfaceId::Formula {
            let f = SurfaceFormula::parse(&self.formula).map_err(|e| format!("formula: {e}"))?;
            Ok(Box::new(f))
        } else {
            Ok(self.surface.objective_with(self.quadratic_condition))
        }
    }

    /// The formula shown on the page for this experiment's surface.
    pub fn formula_text(&self) -> String {
        if self.surface == SurfaceId::Formula {
            self.formula.clone()
        } else {
            self.surface.formula().to_string()
        }
    }

    /// Runs every solver from the start point.
    pub fn run(&self) -> Result<Vec<Trace>, String> {
        self.validate()?;
        let objective = self.objective()?;
        let mut traces = Vec::with_capacity(self.solvers.len());
        for s in &self.solvers {
            let mut solver = s.build()?;
            let ev = Evaluator::new(objective.as_ref(), self.gradient);
            traces.push(solver::run_scheduled(
                solver.as_mut(),
                &ev,
                &self.start,
                &self.stop,
                &self.schedule,
            ));
        }
        Ok(traces)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_numpy_peaks_formula_races_like_the_built_in_peaks() {
        // The line from issue 4: equal to the built-in peaks to 1e-12, so the runs agree closely.
        let mut e = Experiment::default();
        e.surface = SurfaceId::Formula;
        e.formula = "3*(1-x)**2*np.exp(-(x**2)-(y+1)**2) - 10*(x/5 - x**3 - y**5)*np.exp(-x**2-y**2) - 1/3*np.exp(-(x+1)**2 - y**2)".into();
        let typed = e.run().unwrap();
        let built_in = Experiment::default().run().unwrap();
        let (a, b) = (typed[0].last(), built_in[0].last());
        assert_eq!(typed[0].stop, built_in[0].stop);
        assert!((a.x[0] - b.x[0]).abs() < 1e-9 && (a.x[1] - b.x[1]).abs() < 1e-9);
        e.formula = "exp(x) + z".into();
        assert!(e.run().unwrap_err().starts_with("formula: "));
    }

    #[test]
    fn default_experiment_runs_and_is_deterministic() {
        let e = Experiment::default();
        let a = e.run().unwrap();
        let b = e.run().unwrap();
        assert_eq!(a, b);
        assert!(a[0].iterations() > 5);
    }

    #[test]
    fn config_round_trips_through_json() {
        let e = Experiment::default();
        let json = serde_json::to_string(&e).unwrap();
        let back: Experiment = serde_json::from_str(&json).unwrap();
        assert_eq!(e, back);
    }

    #[test]
    fn bad_configs_are_rejected_with_a_message() {
        let e = Experiment {
            solvers: vec![SolverConfig::GradientDescent {
                learning_rate: -1.0,
            }],
            ..Default::default()
        };
        assert!(e.run().unwrap_err().contains("learning rate"));
        let mut e = Experiment::default();
        e.stop.max_iterations = 1_000_000_000;
        assert!(e.run().unwrap_err().contains("max iterations"));
        let e = Experiment {
            start: [f64::NAN, 0.0],
            ..Default::default()
        };
        assert!(e.validate().is_err());
    }

    #[test]
    fn every_catalog_method_has_defaults_that_match_the_catalog_and_build() {
        for info in solver_catalog() {
            let c = SolverConfig::default_for(&info.method).expect(&info.method);
            assert_eq!(c.method(), info.method);
            let params = c.params();
            assert_eq!(params.len(), info.params.len(), "{}", info.method);
            for ((name, value), p) in params.iter().zip(&info.params) {
                assert_eq!(*name, p.name);
                assert_eq!(*value, p.default, "{} {}", info.method, p.name);
                assert!(p.min <= p.default && p.default <= p.max);
            }
            let s = c.build().unwrap();
            assert_eq!(s.uses_gradient(), info.uses_gradient, "{}", info.method);
        }
        assert!(SolverConfig::default_for("simulated_annealing").is_none());
    }

    #[test]
    fn out_of_range_hyperparameters_are_rejected_in_words() {
        let adam: SolverConfig = serde_json::from_str(r#"{"method":"adam","beta1":1.5}"#).unwrap();
        let e = adam.build().err().unwrap();
        assert!(e.contains("Adam") && e.contains("beta1"), "{e}");
        let bfgs: SolverConfig =
            serde_json::from_str(r#"{"method":"bfgs","c1":0.5,"c2":0.4}"#).unwrap();
        assert!(bfgs
            .build()
            .err()
            .unwrap()
            .contains("c1 must be smaller than c2"));
        let lbfgs: SolverConfig = serde_json::from_str(r#"{"method":"lbfgs","memory":0}"#).unwrap();
        assert!(lbfgs.build().err().unwrap().contains("memory"));
        let e = Experiment {
            quadratic_condition: 0.5,
            ..Default::default()
        };
        assert!(e.validate().unwrap_err().contains("condition"));
    }

    #[test]
    fn serde_shapes_are_the_documented_ones() {
        let json = serde_json::to_string(&SolverConfig::default_for("lbfgs").unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"method":"lbfgs","memory":10,"c1":0.0001,"c2":0.9}"#
        );
        assert_eq!(
            serde_json::to_string(&SurfaceId::SixHumpCamel).unwrap(),
            r#""six_hump_camel""#
        );
        let e: Experiment = serde_json::from_str(
            r#"{"surface":"quadratic","quadratic_condition":100,"start":[1,1],
                "solvers":[{"method":"newton"},{"method":"nelder_mead","initial_size":0.5}],
                "gradient":"automatic"}"#,
        )
        .unwrap();
        let traces = e.run().unwrap();
        assert_eq!(traces.len(), 2);
        // Newton on a quadratic: one step to the exact minimizer (0, 0).
        assert_eq!(traces[0].iterations(), 1);
        assert!(traces[0].last().x.iter().all(|v| v.abs() < 1e-14));
    }

    #[test]
    fn every_surface_has_a_valid_catalog_entry() {
        let cat = surface_catalog();
        assert_eq!(cat.len(), SurfaceId::ALL.len());
        for s in &cat {
            assert!(s.view.is_valid(), "{:?}", s.id);
            assert!(!s.formula.is_empty());
            let v = s.view;
            assert!(
                (v.x_min..=v.x_max).contains(&s.start[0])
                    && (v.y_min..=v.y_max).contains(&s.start[1]),
                "{:?}: start outside the view",
                s.id
            );
            let json = serde_json::to_string(&s.id).unwrap();
            let back: SurfaceId = serde_json::from_str(&json).unwrap();
            assert_eq!(back, s.id);
        }
    }
}
