//! One whole experiment as a serde config, and `run(config) -> traces`.
//!
//! [`Experiment::run`] is a pure function of the config: the same config (e.g. decoded from a
//! permalink) gives the same traces, bit for bit, natively and in wasm.

use crate::diff::{Evaluator, GradientSource};
use crate::problem::surfaces::{
    Ackley, Beale, Booth, GoldsteinPrice, Himmelblau, KnownMinimum, Matyas, Peaks, Quadratic,
    Rastrigin, Rosenbrock, Saddle, SixHumpCamel, StyblinskiTang, Surface, ThreeHumpCamel, ViewBox,
};
use crate::problem::Objective;
use crate::solver::{self, GradientDescent, Solver, StopCriteria, MAX_ITERATIONS};
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
}

/// Calls `$body` with `$s` bound to the concrete surface value of `$id`.
macro_rules! with_surface {
    ($id:expr, $kappa:expr, |$s:ident| $body:expr) => {
        match $id {
            SurfaceId::Peaks => { let $s = Peaks; $body }
            SurfaceId::Rosenbrock => { let $s = Rosenbrock; $body }
            SurfaceId::Himmelblau => { let $s = Himmelblau; $body }
            SurfaceId::Beale => { let $s = Beale; $body }
            SurfaceId::Booth => { let $s = Booth; $body }
            SurfaceId::Matyas => { let $s = Matyas; $body }
            SurfaceId::ThreeHumpCamel => { let $s = ThreeHumpCamel; $body }
            SurfaceId::SixHumpCamel => { let $s = SixHumpCamel; $body }
            SurfaceId::GoldsteinPrice => { let $s = GoldsteinPrice; $body }
            SurfaceId::Rastrigin => { let $s = Rastrigin; $body }
            SurfaceId::Ackley => { let $s = Ackley; $body }
            SurfaceId::StyblinskiTang => { let $s = StyblinskiTang; $body }
            SurfaceId::Quadratic => { let $s = Quadratic { condition: $kappa }; $body }
            SurfaceId::Saddle => { let $s = Saddle; $body }
        }
    };
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
        with_surface!(self, quadratic_condition, |s| Box::new(s) as Box<dyn Objective>)
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

/// One solver and its hyperparameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum SolverConfig {
    /// Fixed-step gradient descent.
    GradientDescent {
        /// Learning rate α.
        learning_rate: f64,
    },
}

impl SolverConfig {
    /// Builds the solver, or says what is wrong with the hyperparameters.
    pub fn build(&self) -> Result<Box<dyn Solver>, String> {
        match *self {
            SolverConfig::GradientDescent { learning_rate } => {
                if !(learning_rate.is_finite() && learning_rate > 0.0) {
                    return Err(format!(
                        "learning rate must be a positive number (got {learning_rate})"
                    ));
                }
                Ok(Box::new(GradientDescent { learning_rate }))
            }
        }
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
        if !self.view.view_box.is_valid() {
            return Err("view box must have finite bounds with min < max".into());
        }
        if self.solvers.is_empty() {
            return Err("choose at least one solver".into());
        }
        for s in &self.solvers {
            s.build()?;
        }
        Ok(())
    }

    /// Runs every solver from the start point.
    pub fn run(&self) -> Result<Vec<Trace>, String> {
        self.validate()?;
        let objective = self.surface.objective();
        let mut traces = Vec::with_capacity(self.solvers.len());
        for s in &self.solvers {
            let mut solver = s.build()?;
            let ev = Evaluator::new(objective.as_ref(), self.gradient);
            traces.push(solver::run(solver.as_mut(), &ev, &self.start, &self.stop));
        }
        Ok(traces)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut e = Experiment::default();
        e.solvers = vec![SolverConfig::GradientDescent {
            learning_rate: -1.0,
        }];
        assert!(e.run().unwrap_err().contains("learning rate"));
        let mut e = Experiment::default();
        e.stop.max_iterations = 1_000_000_000;
        assert!(e.run().unwrap_err().contains("max iterations"));
        let mut e = Experiment::default();
        e.start = [f64::NAN, 0.0];
        assert!(e.validate().is_err());
    }
}
