//! One whole experiment as a serde config, and `run(config) -> traces`.
//!
//! [`Experiment::run`] is a pure function of the config: the same config (e.g. decoded from a
//! permalink) gives the same traces, bit for bit, natively and in wasm.

use crate::diff::{Evaluator, GradientSource};
use crate::problem::surfaces::{Peaks, ViewBox};
use crate::problem::Objective;
use crate::solver::{self, GradientDescent, Solver, StopCriteria, MAX_ITERATIONS};
use crate::trace::Trace;
use serde::{Deserialize, Serialize};

/// A built-in 2-D surface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurfaceId {
    /// MATLAB's peaks.
    #[default]
    Peaks,
}

impl SurfaceId {
    /// The objective.
    pub fn objective(&self) -> Box<dyn Objective> {
        match self {
            SurfaceId::Peaks => Box::new(Peaks),
        }
    }
    /// Display name.
    pub fn name(&self) -> &'static str {
        match self {
            SurfaceId::Peaks => "peaks",
        }
    }
    /// The formula as shown on the page.
    pub fn formula(&self) -> &'static str {
        match self {
            SurfaceId::Peaks => Peaks::FORMULA,
        }
    }
    /// The default view box.
    pub fn view(&self) -> ViewBox {
        match self {
            SurfaceId::Peaks => Peaks::VIEW,
        }
    }
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
