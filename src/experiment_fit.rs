//! One curve-fitting experiment as a serde config, and `run(config) -> FitResult` (pure and
//! deterministic: generated noise comes from a seeded [`crate::rng::SplitMix64`]).
//!
//! JSON shape (every field optional, defaults shown in [`FitExperiment::default`]):
//!
//! ```json
//! { "model":   {"kind": "builtin", "id": "gaussian"}          | {"kind": "nist", "name": "Misra1a"},
//!   "data":    {"kind": "generated", "n": 40, "noise": 0.05, "seed": 1,
//!               "x_range": [-3, 5], "params": [3, 1, 0.7]}    (x_range, params optional)
//!            | {"kind": "points", "x": [...], "y": [...]}     | {"kind": "nist"},
//!   "start":   {"kind": "default"} | {"kind": "nist", "which": 1} | {"kind": "values", "values": [...]},
//!   "solvers": [{"method": "levenberg_marquardt", "ftol": 1e-15, ...},
//!               {"method": "gauss_newton", "max_backtracks": 40, ...}],
//!   "jacobian": {"source": "analytic" | "finite_difference", "scheme": "central" | "forward",
//!                "rel_step": [..]} }
//! ```
//!
//! NIST data are not compiled into the library: pass the `.dat` text to [`run_with_nist`].

use crate::problem::least_squares::{CurveFit, CurveModel, Data, ModelId};
use crate::problem::nist::{self, NistDataset, NistModel};
use crate::solver::least_squares::{
    fit_statistics, gauss_newton, levenberg_marquardt, FitStatistics, GaussNewtonSettings,
    JacobianSettings, LmSettings, LsqRun,
};
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

/// A built-in or NIST model behind one type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnyModel {
    /// Built-in.
    Builtin(ModelId),
    /// NIST.
    Nist(NistModel),
}

impl CurveModel for AnyModel {
    fn num_params(&self) -> usize {
        match self {
            AnyModel::Builtin(m) => m.num_params(),
            AnyModel::Nist(m) => m.num_params(),
        }
    }
    fn value(&self, x: &[f64], p: &[f64]) -> f64 {
        match self {
            AnyModel::Builtin(m) => m.value(x, p),
            AnyModel::Nist(m) => m.value(x, p),
        }
    }
    fn gradient(&self, x: &[f64], p: &[f64], g: &mut [f64]) -> bool {
        match self {
            AnyModel::Builtin(m) => m.gradient(x, p, g),
            AnyModel::Nist(m) => m.gradient(x, p, g),
        }
    }
}

/// One solver's run with the statistics at its solution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitRun {
    /// Trace (f = ½SSR, grad_norm = ‖Jᵀr‖, extras per solver), params, residuals, SSR.
    pub run: LsqRun,
    /// Covariance, standard errors, correlation, R², dof at the solution.
    pub statistics: FitStatistics,
    /// Stop reason label for display.
    pub stop_label: String,
}

/// Everything the page shows after a fit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitResult {
    /// Model display name.
    pub model_name: String,
    /// Formula as shown.
    pub formula: String,
    /// Parameter names.
    pub param_names: Vec<String>,
    /// The data fitted.
    pub data: Data,
    /// The start used.
    pub start: Vec<f64>,
    /// Certified values when the model and data are a NIST problem's.
    pub certified: Option<Vec<f64>>,
    /// One per solver.
    pub runs: Vec<FitRun>,
}

/// The model named by `model` (NIST models need no data to evaluate).
pub fn resolve_model(model: &FitModel) -> Result<AnyModel, String> {
    match model {
        FitModel::Builtin { id } => Ok(AnyModel::Builtin(*id)),
        FitModel::Nist { name } => Ok(AnyModel::Nist(NistModel::by_name(name)?)),
    }
}

/// f(x; p) at each x (one predictor), for drawing the curve of any iterate.
pub fn evaluate_model(model: &FitModel, params: &[f64], xs: &[f64]) -> Result<Vec<f64>, String> {
    let m = resolve_model(model)?;
    if params.len() != m.num_params() {
        return Err(format!(
            "the model has {} parameters, got {}",
            m.num_params(),
            params.len()
        ));
    }
    Ok(xs.iter().map(|&x| m.value(&[x], params)).collect())
}

/// Runs a fit whose data are not NIST's.
pub fn run(config: &FitExperiment) -> Result<FitResult, String> {
    run_with_nist(config, None)
}

/// Runs a fit; `nist_text` is the `.dat` file of the NIST problem when the config names one.
pub fn run_with_nist(config: &FitExperiment, nist_text: Option<&str>) -> Result<FitResult, String> {
    if config.solvers.is_empty() {
        return Err("choose at least one solver".into());
    }
    if config.solvers.len() > 8 {
        return Err("at most 8 solvers per experiment".into());
    }
    let model = resolve_model(&config.model)?;
    let n = model.num_params();
    let dataset: Option<NistDataset> = match &config.model {
        FitModel::Nist { name } => match nist_text {
            Some(t) => {
                let d = nist::parse(t)?;
                if &d.name != name {
                    return Err(format!("the NIST file is {}, not {name}", d.name));
                }
                Some(d)
            }
            None => None,
        },
        FitModel::Builtin { .. } => None,
    };
    let need_nist = |what: &str| match &config.model {
        FitModel::Nist { name } => format!("{what}: the NIST file for {name} was not supplied"),
        FitModel::Builtin { .. } => format!("{what} needs a NIST model"),
    };
    let data = match &config.data {
        FitData::Generated {
            n: points,
            noise,
            seed,
            x_range,
            params,
        } => {
            let FitModel::Builtin { id } = &config.model else {
                return Err("generated data need a built-in model".into());
            };
            id.generate(
                params.as_deref().unwrap_or(id.true_params()),
                *points,
                x_range.unwrap_or(id.default_x_range()),
                *noise,
                *seed,
            )?
        }
        FitData::Points { x, y } => Data::new(x.clone(), y.clone())?,
        FitData::Nist => dataset
            .as_ref()
            .ok_or_else(|| need_nist("NIST data"))?
            .data
            .clone(),
    };
    let start: Vec<f64> = match (&config.start, &config.model) {
        (FitStart::Values { values }, _) => values.clone(),
        (FitStart::Default, FitModel::Builtin { id }) => id.default_start().to_vec(),
        (FitStart::Default, FitModel::Nist { .. }) => dataset
            .as_ref()
            .ok_or_else(|| need_nist("the NIST start"))?
            .start1
            .clone(),
        (FitStart::Nist { which }, _) => dataset
            .as_ref()
            .ok_or_else(|| need_nist("the NIST start"))?
            .start(*which)?
            .to_vec(),
    };
    if start.len() != n {
        return Err(format!(
            "the start has {} values but the model has {n} parameters",
            start.len()
        ));
    }
    let certified = match (&dataset, &config.data) {
        (Some(d), FitData::Nist) => Some(d.certified.clone()),
        _ => None,
    };
    let fit = CurveFit::new(model, data)?;
    let mut runs = Vec::with_capacity(config.solvers.len());
    for s in &config.solvers {
        let run = match s {
            FitSolver::LevenbergMarquardt(st) => {
                levenberg_marquardt(&fit, &config.jacobian, &start, st)?
            }
            FitSolver::GaussNewton(st) => gauss_newton(&fit, &config.jacobian, &start, st)?,
        };
        let statistics = fit_statistics(&run.jacobian, &run.residuals, Some(&fit.data.y));
        let stop_label = run.stop().label().to_string();
        runs.push(FitRun {
            run,
            statistics,
            stop_label,
        });
    }
    let (model_name, formula, param_names) = match (&config.model, &dataset) {
        (FitModel::Builtin { id }, _) => (
            id.name().to_string(),
            id.formula().to_string(),
            id.param_names().iter().map(|s| s.to_string()).collect(),
        ),
        (FitModel::Nist { name }, d) => (
            name.clone(),
            d.as_ref().map(|d| d.model_text.clone()).unwrap_or_default(),
            (1..=n).map(|k| format!("b{k}")).collect(),
        ),
    };
    Ok(FitResult {
        model_name,
        formula,
        param_names,
        data: fit.data,
        start,
        certified,
        runs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::StopReason;

    #[test]
    fn default_experiment_recovers_the_generating_parameters() {
        let r = run(&FitExperiment::default()).unwrap();
        assert_eq!(r.runs.len(), 2);
        let lm = &r.runs[0];
        assert!(lm.run.stop().is_converged(), "{:?}", lm.run.stop());
        // Truth (3, 1, 0.7) within 4 standard errors (noise σ = 0.05).
        for ((p, t), se) in lm
            .run
            .params
            .iter()
            .zip(ModelId::Gaussian.true_params())
            .zip(&lm.statistics.std_errors)
        {
            assert!((p - t).abs() < 4.0 * se, "{p} vs {t} ± {se}");
        }
        assert!(lm.statistics.r_squared.unwrap() > 0.99);
        // Residual SD estimates the noise σ = 0.05.
        assert!((lm.statistics.residual_sd - 0.05).abs() < 0.02);
    }

    #[test]
    fn every_builtin_model_fits_its_generated_data_from_its_default_start() {
        for id in ModelId::ALL {
            let cfg = FitExperiment {
                model: FitModel::Builtin { id },
                data: FitData::Generated {
                    n: 60,
                    noise: 0.0,
                    seed: 3,
                    x_range: None,
                    params: None,
                },
                ..Default::default()
            };
            let r = run(&cfg).unwrap();
            let lm = &r.runs[0].run;
            // Noise-free data: the truth is the exact minimizer (SSR = 0).
            for (p, t) in lm.params.iter().zip(id.true_params()) {
                assert!(
                    (p - t).abs() < 1e-6 * (1.0 + t.abs()),
                    "{id:?}: {:?}",
                    lm.params
                );
            }
        }
    }

    #[test]
    fn config_round_trips_and_is_deterministic() {
        let cfg = FitExperiment::default();
        let json = serde_json::to_string(&cfg).unwrap();
        let back: FitExperiment = serde_json::from_str(&json).unwrap();
        assert_eq!(cfg, back);
        let parsed: FitExperiment = serde_json::from_str(
            r#"{"model":{"kind":"builtin","id":"michaelis_menten"},
                "data":{"kind":"points","x":[0.1,0.5,1,2,4],"y":[0.33,1.0,1.33,1.6,1.78]},
                "solvers":[{"method":"levenberg_marquardt","ftol":1e-12},{"method":"gauss_newton"}],
                "jacobian":{"source":"finite_difference"}}"#,
        )
        .unwrap();
        let a = run(&parsed).unwrap();
        let b = run(&parsed).unwrap();
        // Debug strings compare NaN extras (ρ of the start record) as equal.
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn bad_configs_give_messages() {
        let mut cfg = FitExperiment {
            data: FitData::Points {
                x: vec![1.0, 2.0],
                y: vec![1.0, 2.0],
            },
            ..Default::default()
        };
        assert!(run(&cfg).unwrap_err().contains("2 points for 3 parameters"));
        cfg.data = FitData::Points {
            x: vec![1.0, 2.0, 3.0, 4.0],
            y: vec![1.0, f64::NAN, 2.0, 1.0],
        };
        assert!(run(&cfg).unwrap_err().contains("non-finite y"));
        cfg.model = FitModel::Nist {
            name: "Misra1a".into(),
        };
        cfg.data = FitData::Nist;
        assert!(run(&cfg).unwrap_err().contains("not supplied"));
        cfg.model = FitModel::Nist {
            name: "Nope".into(),
        };
        assert!(run(&cfg).unwrap_err().contains("unknown NIST problem"));
        let cfg = FitExperiment {
            start: FitStart::Values { values: vec![1.0] },
            ..Default::default()
        };
        assert!(run(&cfg).unwrap_err().contains("3 parameters"));
        let cfg = FitExperiment {
            solvers: vec![],
            ..Default::default()
        };
        assert!(run(&cfg).is_err());
    }

    #[test]
    fn zero_jacobian_at_start_is_a_named_stop() {
        // Gaussian with amplitude 0 and a huge width offset: ∂f/∂μ = ∂f/∂σ = 0 (a = 0) and
        // ∂f/∂a = exp(−(x−μ)²/(2σ²)) underflows to 0 for μ = 1e3, σ = 1: J = 0 exactly.
        let cfg = FitExperiment {
            start: FitStart::Values {
                values: vec![0.0, 1e3, 1.0],
            },
            ..Default::default()
        };
        let r = run(&cfg).unwrap();
        for fr in &r.runs {
            assert_eq!(fr.run.stop(), &StopReason::ZeroJacobian);
            assert_eq!(fr.run.trace.iterations(), 0);
        }
    }

    #[test]
    fn overflow_at_start_is_a_clear_error() {
        // exp(−k·x) with k = −1000 at x = 5 overflows: r = ∞.
        let cfg = FitExperiment {
            model: FitModel::Builtin {
                id: ModelId::ExponentialDecay,
            },
            start: FitStart::Values {
                values: vec![1.0, -1000.0, 0.0],
            },
            ..Default::default()
        };
        let e = run(&cfg).unwrap_err();
        assert!(e.contains("not finite at the start"), "{e}");
    }
}
