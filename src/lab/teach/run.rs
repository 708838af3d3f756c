//! One lab's run as the teaching code reads it: the config and what it produced.

use crate::lab::fit::{FitExperiment, FitResult};
use crate::lab::link::LabConfig;
use crate::lab::regression::{RegressionExperiment, RegressionResult};
use crate::lab::surfaces::Experiment;
use crate::trace::Trace;

/// A lab's config with its result (borrowed from the page's lab object or an [`OwnedRun`]).
#[derive(Clone, Copy, Debug)]
pub enum RunView<'a> {
    /// The surfaces lab.
    Surfaces {
        /// The experiment.
        experiment: &'a Experiment,
        /// One trace per solver.
        traces: &'a [Trace],
    },
    /// The regression lab.
    Regression {
        /// The experiment.
        experiment: &'a RegressionExperiment,
        /// Its result.
        result: &'a RegressionResult,
    },
    /// The curve-fitting lab.
    Fit {
        /// The experiment.
        experiment: &'a FitExperiment,
        /// Its result.
        result: &'a FitResult,
    },
}

impl RunView<'_> {
    /// `"surfaces"`, `"regression"` or `"fit"`.
    pub fn lab(&self) -> &'static str {
        match self {
            RunView::Surfaces { .. } => "surfaces",
            RunView::Regression { .. } => "regression",
            RunView::Fit { .. } => "fit",
        }
    }
}

/// A run owned (native use and tests): [`OwnedRun::run`] a lab config, then [`OwnedRun::view`].
#[derive(Clone, Debug)]
pub enum OwnedRun {
    /// Surfaces.
    Surfaces(Experiment, Vec<Trace>),
    /// Regression.
    Regression(RegressionExperiment, Box<RegressionResult>),
    /// Curve fitting.
    Fit(FitExperiment, Box<FitResult>),
}

impl OwnedRun {
    /// Runs `config` (a NIST fit needs its StRD file's text).
    pub fn run(config: &LabConfig, nist_text: Option<&str>) -> Result<OwnedRun, String> {
        Ok(match config {
            LabConfig::Surfaces(e) => OwnedRun::Surfaces(e.clone(), e.run()?),
            LabConfig::Regression(e) => {
                OwnedRun::Regression(e.clone(), Box::new(crate::lab::regression::run(e)?))
            }
            LabConfig::Fit(e) => OwnedRun::Fit(
                e.clone(),
                Box::new(crate::lab::fit::run_with_nist(e, nist_text)?),
            ),
        })
    }

    /// The borrowed view.
    pub fn view(&self) -> RunView<'_> {
        match self {
            OwnedRun::Surfaces(experiment, traces) => RunView::Surfaces { experiment, traces },
            OwnedRun::Regression(experiment, result) => RunView::Regression { experiment, result },
            OwnedRun::Fit(experiment, result) => RunView::Fit { experiment, result },
        }
    }
}
