//! What the curve-fitting lab offers: models, NIST names, solvers with their hyperparameters.

use super::form::json_name;
use crate::problem::least_squares::ModelId;
use crate::problem::nist::{self};
use crate::solver::least_squares::{GaussNewtonSettings, LmSettings};
use serde::Serialize;

/// The most data points the curve-fitting lab takes (a CSV's rows, a link's points, generated
/// data): every solver iteration evaluates the model and its Jacobian at every point, and the
/// landscape and plots draw them, so beyond this a fit no longer answers in about a second.
pub const PAGE_MAX_POINTS: usize = 100_000;

/// The numeric ranges of the curve-fitting lab, written once: the form checks what is typed against
/// them ([`crate::lab::form::Range::check`]) and the link/`setState` validator checks a config's
/// values ([`crate::lab::form::Range::validate`]), so both give the same verdict (tests/validate.rs).
pub mod ranges {
    use crate::lab::form::Range;
    /// Generated data: number of points.
    pub const N: Range = Range::whole("number of points", 1.0, super::PAGE_MAX_POINTS as f64);
    /// Generated data: noise σ.
    pub const NOISE: Range = Range::new("noise", 0.0, 1e6);
    /// Generated data: smallest x.
    pub const X_FROM: Range = Range::new("x from", -1e9, 1e9);
    /// Generated data: largest x.
    pub const X_TO: Range = Range::new("x to", -1e9, 1e9);
    /// Generated data: each true parameter.
    pub const TRUE_PARAM: Range = Range::new("true parameter", -1e12, 1e12);
    /// Each start value (NIST's certified starts are within ±1e6).
    pub const START_VALUE: Range = Range::new("start value", -1e12, 1e12);
}

/// The message for data of `rows` points when that is more than [`PAGE_MAX_POINTS`].
pub fn too_many_points(rows: usize, what: &str) -> Option<String> {
    (rows > PAGE_MAX_POINTS).then(|| {
        format!("this {what} has {rows} rows; the fit lab takes at most {PAGE_MAX_POINTS}")
    })
}

/// A built-in model as the page lists it.
#[derive(Clone, Debug, Serialize)]
pub struct ModelInfo {
    /// Serde id.
    pub id: String,
    /// Display name.
    pub name: &'static str,
    /// Formula as shown.
    pub formula: &'static str,
    /// Parameter names.
    pub params: Vec<&'static str>,
    /// True parameters of the generated data.
    pub true_params: &'static [f64],
    /// Default start.
    pub start: &'static [f64],
    /// Default x range.
    pub x_range: [f64; 2],
}

/// One hyperparameter of a solver, for generating the page's controls.
#[derive(Clone, Debug, Serialize)]
pub struct ParamInfo {
    /// Settings field name.
    pub name: String,
    /// Default value as text.
    pub default: String,
    /// `true` for on/off switches.
    pub switch: bool,
    /// One line of help.
    pub help: &'static str,
    /// The names a named choice can take (a select on the page); empty for numbers and switches.
    pub choices: Vec<&'static str>,
}

/// A solver with its hyperparameters.
#[derive(Clone, Debug, Serialize)]
pub struct SolverInfo {
    /// Serde method name.
    pub method: &'static str,
    /// Display name.
    pub name: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// Hyperparameters (without the frozen-Jacobian toggle, which is one switch for all).
    pub params: Vec<ParamInfo>,
}

/// Everything the lab's menus are built from.
#[derive(Clone, Debug, Serialize)]
pub struct FitCatalog {
    /// The built-in models.
    pub models: Vec<ModelInfo>,
    /// The NIST StRD nonlinear problem names.
    pub nist: Vec<&'static str>,
    /// The solvers.
    pub solvers: Vec<SolverInfo>,
}

fn param_help(name: &str) -> &'static str {
    match name {
        "ftol" => "stop when the actual and predicted relative reductions of SSR are below this",
        "xtol" => "stop when the scaled step is below this times the scaled parameters",
        "gtol" => "stop when the residuals are orthogonal to every Jacobian column within this",
        "max_evaluations" => "budget of residual evaluations (finite-difference ones included)",
        "initial_damping" => "Nielsen damping: τ, the first λ is τ·max (JᵀJ)ⱼⱼ/Dⱼ²",
        "scaling" => "Marquardt's scaling D = max ‖Jⱼ‖ (scale-invariant, as MINPACK)",
        "restarts" => "trust region: rescues of a saturated stop; Nielsen: restarts from a converged stop while they lower SSR",
        "geodesic_acceleration" => "trust region: rescue a saturated stop with the accelerated method; Nielsen: add the second-order (geodesic) correction to each step",
        "acceleration_ratio" => "reject steps whose correction exceeds this share of the step",
        "damping" => "trust_region: Moré's trust region, as MINPACK (λ so that ‖Dh‖ ≈ Δ); nielsen: λ from the gain ratio (links v2)",
        "step_bound" => "trust region: the first bound on ‖Dh‖ is this times ‖Dp₀‖ (MINPACK's factor)",
        "max_backtracks" => "most halvings of the step in one line search",
        _ => "",
    }
}

fn params_of<T: Serialize>(default: T) -> Vec<ParamInfo> {
    let Ok(serde_json::Value::Object(o)) = serde_json::to_value(default) else {
        return vec![];
    };
    o.into_iter()
        .filter(|(k, _)| k != "frozen_jacobian")
        .map(|(k, v)| ParamInfo {
            help: param_help(&k),
            switch: v.is_boolean(),
            default: v.as_str().map_or_else(|| v.to_string(), str::to_string),
            choices: match k.as_str() {
                "damping" => vec!["trust_region", "nielsen"],
                _ => vec![],
            },
            name: k,
        })
        .collect()
}

/// The lab's catalog: models, NIST names, solvers with their hyperparameters.
pub fn catalog() -> FitCatalog {
    FitCatalog {
        models: ModelId::ALL
            .iter()
            .map(|id| ModelInfo {
                id: json_name(id),
                name: id.name(),
                formula: id.formula(),
                params: id.param_names().to_vec(),
                true_params: id.true_params(),
                start: id.default_start(),
                x_range: id.default_x_range(),
            })
            .collect(),
        nist: nist::NAMES.to_vec(),
        solvers: vec![
            SolverInfo {
                method: "levenberg_marquardt",
                name: "Levenberg–Marquardt",
                help: "damped Gauss–Newton: (JᵀJ + λD²)h = −Jᵀr by QR, λ from a trust region on ‖Dh‖ (Moré, MINPACK)",
                params: params_of(LmSettings::default()),
            },
            SolverInfo {
                method: "gauss_newton",
                name: "Gauss–Newton",
                help: "min ‖Jh + r‖ by SVD, then a backtracking line search",
                params: params_of(GaussNewtonSettings::default()),
            },
        ],
    }
}
