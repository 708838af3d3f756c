//! The SSR landscape of 2-parameter fits: SSR(p) as an [`Objective`], its view and grid.

use super::config::FitModel;
use super::run::resolve_model;
use super::run::FitResult;
use crate::problem::least_squares::{CurveFit, CurveModel, Residuals};
use crate::problem::Objective;

/// SSR(p) = ‖r(p)‖² of a curve fit as a 2-D [`Objective`] (for the landscape contour map of
/// 2-parameter models; NaN/∞ where the model overflows).
pub struct SsrObjective<'a, M: CurveModel> {
    /// The fit.
    pub fit: &'a CurveFit<M>,
}

impl<M: CurveModel> Objective for SsrObjective<'_, M> {
    fn dim(&self) -> usize {
        self.fit.model.num_params()
    }
    fn value(&self, p: &[f64]) -> f64 {
        let mut r = vec![0.0; self.fit.num_residuals()];
        self.fit.residuals(p, &mut r);
        r.iter().map(|v| v * v).sum()
    }
    fn gradient(&self, _p: &[f64], _g: &mut [f64]) -> bool {
        false
    }
    fn hessian(&self, _p: &[f64]) -> Option<nalgebra::DMatrix<f64>> {
        None
    }
}

/// A view box around the iterates of a 2-parameter fit (10% margin each side, at least 10% of the
/// largest |coordinate| wide), or `None` for other sizes.
pub fn landscape_view(result: &FitResult) -> Option<crate::problem::surfaces::ViewBox> {
    if result.param_names.len() != 2 {
        return None;
    }
    // Iterates that went far uphill (a Gauss–Newton overshoot) would shrink the interesting
    // region to a dot: keep those with SSR ≤ 10 × the start's; their paths are clipped.
    let f0 = result
        .runs
        .first()
        .map_or(f64::INFINITY, |r| r.run.trace.iterates[0].f);
    let pts = result
        .runs
        .iter()
        .flat_map(|r| r.run.trace.iterates.iter())
        .filter(|it| it.f <= 10.0 * f0)
        .map(|it| (it.x[0], it.x[1]))
        .chain(std::iter::once((result.start[0], result.start[1])))
        .filter(|p| p.0.is_finite() && p.1.is_finite());
    let (mut x0, mut x1, mut y0, mut y1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for (x, y) in pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let widen = |lo: f64, hi: f64| {
        let w = (hi - lo).max(0.1 * lo.abs().max(hi.abs())).max(1e-6);
        let c = 0.5 * (lo + hi);
        let half = 0.5 * w * 1.2;
        (c - half, c + half)
    };
    let (x0, x1) = widen(x0, x1);
    let (y0, y1) = widen(y0, y1);
    let v = crate::problem::surfaces::ViewBox::new(x0, x1, y0, y1);
    v.is_valid().then_some(v)
}

/// At most this many model evaluations for one SSR landscape (grid² × data points).
pub const LANDSCAPE_BUDGET: f64 = 3e7;

/// The landscape grid's resolution for `points` observations: 90 × 90 while the SSR evaluations
/// stay within [`LANDSCAPE_BUDGET`], coarser (down to 24 × 24) for large data sets, so that
/// 100 000 points do not block the page for seconds.
pub fn landscape_resolution(points: usize) -> usize {
    let r = (LANDSCAPE_BUDGET / points.max(1) as f64).sqrt().floor() as usize;
    r.clamp(24, 90)
}

/// The SSR of `config`'s fit sampled on an `nx × ny` grid over `view` (2-parameter models only).
pub fn landscape_grid(
    result: &FitResult,
    model: &FitModel,
    view: crate::problem::surfaces::ViewBox,
    nx: usize,
    ny: usize,
) -> Result<crate::plot::Grid, String> {
    let m = resolve_model(model)?;
    if m.num_params() != 2 {
        return Err("the SSR landscape needs a model with 2 parameters".into());
    }
    let fit = CurveFit::new(m, result.data.clone())?;
    Ok(crate::plot::Grid::sample(
        &SsrObjective { fit: &fit },
        view,
        nx,
        ny,
    ))
}

/// The SSR landscape of a 2-parameter fit as plain data (sampled in the page's worker and sent
/// to the page, where it becomes a [`crate::plot::Grid`] again).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Landscape {
    pub view: crate::problem::surfaces::ViewBox,
    pub nx: usize,
    pub ny: usize,
    /// Row-major, y outer (as [`crate::plot::Grid::values`]).
    pub values: Vec<f64>,
}

/// The landscape the page draws for `result` (`None` unless the model has 2 parameters).
pub fn landscape(result: &FitResult, model: &FitModel) -> Result<Option<Landscape>, String> {
    let Some(view) = landscape_view(result) else {
        return Ok(None);
    };
    let r = landscape_resolution(result.data.len());
    let g = landscape_grid(result, model, view, r, r)?;
    Ok(Some(Landscape {
        view: g.view,
        nx: g.nx,
        ny: g.ny,
        values: g.values,
    }))
}
