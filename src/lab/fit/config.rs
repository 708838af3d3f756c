//! One curve-fitting experiment as a serde config.
//!
//! JSON shape (every field optional, defaults shown in [`FitExperiment::default`]):
//!
//! ```json
//! { "model":   {"kind": "builtin", "id": "gaussian"}          | {"kind": "nist", "name": "Misra1a"}
//!            | {"kind": "formula", "text": "y = a*exp(-b*x) + c"},
//!   "data":    {"kind": "generated", "n": 40, "noise": 0.05, "seed": 1,
//!               "x_range": [-3, 5], "params": [3, 1, 0.7]}    (x_range, params optional;
//!               a formula model generates from params, default 1 each, on x_range, default [0, 5])
//!            | {"kind": "points", "x": [...], "y": [...]}     | {"kind": "nist"},
//!   "start":   {"kind": "default"} | {"kind": "nist", "which": 1} | {"kind": "values", "values": [...]},
//!   "solvers": [{"method": "levenberg_marquardt", "ftol": 1e-15, ...},
//!               {"method": "gauss_newton", "max_backtracks": 40, ...}],
//!   "jacobian": {"source": "analytic" | "finite_difference", "scheme": "central" | "forward",
//!                "rel_step": [..]} }
//! ```
//!

use crate::problem::least_squares::ModelId;
use crate::solver::least_squares::{GaussNewtonSettings, JacobianSettings, LmSettings};
use serde::{Deserialize, Serialize};

/// Which model is fitted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FitModel {
    /// A built-in model.
    Builtin {
        /// Which one.
        id: ModelId,
    },
    /// The model of a NIST StRD nonlinear problem.
    Nist {
        /// The dataset name, e.g. `"Misra1a"`.
        name: String,
    },
    /// A typed model `y = f(x; a, b, …)` in the formula language ([`crate::problem::formula`]);
    /// the parameters are the names other than `x`, in order of first appearance. A leading
    /// `y =` is optional.
    Formula {
        /// The formula as typed.
        text: String,
    },
}

/// Where the data come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FitData {
    /// Generated from a built-in model at equally spaced x plus Gaussian noise.
    Generated {
        /// Number of points.
        n: usize,
        /// Noise standard deviation.
        noise: f64,
        /// RNG seed.
        seed: u64,
        /// x range (the model's default when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        x_range: Option<[f64; 2]>,
        /// True parameters (the model's defaults when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        params: Option<Vec<f64>>,
    },
    /// Given points (one predictor).
    Points {
        /// x values.
        x: Vec<f64>,
        /// y values.
        y: Vec<f64>,
    },
    /// The NIST dataset's own data (model must be NIST).
    Nist,
}

/// Where the fit starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FitStart {
    /// The built-in model's default start, or NIST start 1.
    Default,
    /// NIST certified start 1 or 2.
    Nist {
        /// 1 or 2.
        which: u8,
    },
    /// Explicit values.
    Values {
        /// One per parameter.
        values: Vec<f64>,
    },
}

/// One least-squares solver and its settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum FitSolver {
    /// Levenberg–Marquardt.
    LevenbergMarquardt(LmSettings),
    /// Gauss–Newton with backtracking.
    GaussNewton(GaussNewtonSettings),
}

impl FitSolver {
    /// The method's name in forms and links.
    pub fn method(&self) -> &'static str {
        match self {
            FitSolver::LevenbergMarquardt(_) => "levenberg_marquardt",
            FitSolver::GaussNewton(_) => "gauss_newton",
        }
    }
}

/// A whole curve-fitting experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FitExperiment {
    /// The model.
    pub model: FitModel,
    /// The data.
    pub data: FitData,
    /// The start.
    pub start: FitStart,
    /// The solvers, each run from the same start.
    pub solvers: Vec<FitSolver>,
    /// Jacobian source.
    pub jacobian: JacobianSettings,
}

impl Default for FitExperiment {
    fn default() -> Self {
        FitExperiment {
            model: FitModel::Builtin {
                id: ModelId::Gaussian,
            },
            data: FitData::Generated {
                n: 40,
                noise: 0.05,
                seed: 1,
                x_range: None,
                params: None,
            },
            start: FitStart::Default,
            solvers: vec![
                FitSolver::LevenbergMarquardt(LmSettings::default()),
                FitSolver::GaussNewton(GaussNewtonSettings::default()),
            ],
            jacobian: JacobianSettings::default(),
        }
    }
}
