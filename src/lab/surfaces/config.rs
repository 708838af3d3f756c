//! The surfaces lab's experiment as a serde config: the surface, the solvers and their
//! hyperparameters (with their defaults), stop criteria, schedule and view.

use super::catalog::{solver_catalog, SurfaceInfo};
use crate::diff::ad::Scalar;
use crate::diff::GradientSource;
use crate::lab::form::Range;
use crate::problem::surfaces::{
    Ackley, Beale, Booth, GoldsteinPrice, Himmelblau, KnownMinimum, Matyas, Peaks, Quadratic,
    Rastrigin, Rosenbrock, Saddle, SixHumpCamel, StyblinskiTang, Surface, ThreeHumpCamel, ViewBox,
};
use crate::problem::Objective;
use crate::solver::nelder_mead::NmStopRule;
use crate::solver::StopCriteria;
use serde::{Deserialize, Serialize};

/// The surface lab's numeric ranges, written once: the form ([`super::SurfaceForm::apply`]) and
/// [`Experiment::validate`] (links, `setState`, postMessage) both check them.
pub mod ranges {
    use super::Range;
    /// Start x.
    pub const START_X: Range = Range::new("start x", -1e6, 1e6);
    /// Start y.
    pub const START_Y: Range = Range::new("start y", -1e6, 1e6);
    /// View box x min.
    pub const X_MIN: Range = Range::new("x min", -1e6, 1e6);
    /// View box x max.
    pub const X_MAX: Range = Range::new("x max", -1e6, 1e6);
    /// View box y min.
    pub const Y_MIN: Range = Range::new("y min", -1e6, 1e6);
    /// View box y max.
    pub const Y_MAX: Range = Range::new("y max", -1e6, 1e6);
    /// Condition number of the quadratic surface.
    pub const QUADRATIC_CONDITION: Range = Range::new("quadratic condition number", 1.0, 1e8);
    /// Step decay's drop interval and cosine's period, in iterations.
    pub const SCHEDULE_EVERY: Range = Range::whole("schedule period", 1.0, 1e6);
}

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
        adaptive: bool = true;
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
        /// Which tolerances must both hold to stop: `"both"` (default) or `"either"` (v2).
        #[serde(default)]
        stop_rule: NmStopRule,
        /// Gao–Han adaptive coefficients for n > 2 (default on; no effect in 2-D).
        #[serde(default = "defaults::adaptive")]
        adaptive: bool,
        /// Record ∇f at every iterate (default off: Nelder–Mead evaluates no gradient; v2 links
        /// turn it on to replay their traces exactly, now counting those evaluations).
        #[serde(default)]
        trace_gradient: bool,
    },
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
                ..
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
