//! Nonlinear least squares: residual models r: ℝⁿ → ℝᵐ and curve fits y ≈ f(x; p).
//!
//! A [`Residuals`] model gives m residuals of n parameters and, where it has one, the analytic
//! Jacobian J_ij = ∂r_i/∂p_j; [`finite_difference_jacobian`] is the fallback. A [`CurveFit`] is the
//! common case r_i(p) = f(x_i; p) − y_i, with the model f given by a [`CurveModel`] (a built-in
//! [`ModelId`], a NIST model from [`crate::problem::nist`], or Rust closures via [`FnModel`]).
//!
//! The least-squares objective is ½‖r(p)‖² = ½·SSR, with gradient Jᵀr.

use crate::diff::ad::Real;
use crate::math::Det;
use crate::rng::SplitMix64;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// A residual model r: ℝⁿ → ℝᵐ, minimized in the sense of ½‖r(p)‖².
pub trait Residuals {
    /// Number of residuals m.
    fn num_residuals(&self) -> usize;

    /// Number of parameters n.
    fn num_params(&self) -> usize;

    /// Writes r(p) into `r` (length m). Entries may be non-finite where the model overflows.
    fn residuals(&self, p: &[f64], r: &mut [f64]);

    /// Writes the analytic (hand-written) Jacobian J_ij = ∂r_i/∂p_j into `j` (m × n) and returns
    /// `true`, or returns `false` when there is none (asking for it is then an error, never a
    /// silent substitution).
    fn jacobian(&self, _p: &[f64], _j: &mut DMatrix<f64>) -> bool {
        false
    }

    /// Writes the Jacobian by automatic differentiation (exact to round-off) into `j` and returns
    /// `true`, or returns `false` when the model is not written generically.
    fn jacobian_ad(&self, _p: &[f64], _j: &mut DMatrix<f64>) -> bool {
        false
    }

    /// Residual `i` (0-based) in words for messages, e.g. `data point 3 (x = 0.5)`.
    fn describe_residual(&self, i: usize) -> String {
        format!("residual {}", i + 1)
    }
}

/// A residual problem r: ℝⁿ → ℝᵐ **written once**, generically over the number type, for every
/// solver: [`Ad`] makes it a [`Residuals`] model for Levenberg–Marquardt and Gauss–Newton (with
/// the exact Jacobian by dual numbers, `JacobianSource::Automatic`), [`SumOfSquares`] makes it an
/// [`crate::problem::Objective`] f = ½‖r‖² for the minimizers (gradient Jᵀr and Hessian by
/// dual and hyper-dual numbers). The same number, ½‖r‖² = ½·SSR, is the value `f` in every trace.
///
/// ```
/// use gradlab::diff::ad::Real;
/// use gradlab::problem::least_squares::GenericResiduals;
/// /// Rosenbrock as residuals: r = (10(p₂ − p₁²), 1 − p₁).
/// struct Rosenbrock;
/// impl GenericResiduals for Rosenbrock {
///     fn num_residuals(&self) -> usize { 2 }
///     fn num_params(&self) -> usize { 2 }
///     fn residuals_t<T: Real>(&self, p: &[T], r: &mut [T]) {
///         r[0] = (p[1] - p[0] * p[0]) * 10.0;
///         r[1] = T::from(1.0) - p[0];
///     }
/// }
/// ```
///
/// Elementary functions: `num-dual`'s own (`x.exp()`, …) work; [`crate::diff::ad::Real`]'s
/// (`x.rexp()`, …) give the same bits natively and in wasm.
pub trait GenericResiduals {
    /// Number of residuals m.
    fn num_residuals(&self) -> usize;
    /// Number of parameters n.
    fn num_params(&self) -> usize;
    /// Writes r(p) into `r` (length m), in the number type `T` (`f64`, `Dual64` or
    /// `HyperDual64`; an implementation may ask only for [`Scalar`](crate::diff::ad::Scalar)).
    fn residuals_t<T: Real>(&self, p: &[T], r: &mut [T]);
}

/// A [`GenericResiduals`] problem as a [`Residuals`] model: residuals in `f64`, the Jacobian by
/// forward-mode dual numbers (n passes; ask for it with `GradientSource::Automatic`).
#[derive(Clone, Debug)]
pub struct Ad<P>(pub P);

impl<P: GenericResiduals> Residuals for Ad<P> {
    fn num_residuals(&self) -> usize {
        self.0.num_residuals()
    }
    fn num_params(&self) -> usize {
        self.0.num_params()
    }
    fn residuals(&self, p: &[f64], r: &mut [f64]) {
        self.0.residuals_t(p, r);
    }
    fn jacobian_ad(&self, p: &[f64], j: &mut DMatrix<f64>) -> bool {
        use crate::diff::ad::Dual64;
        let m = self.0.num_residuals();
        let mut pd: Vec<Dual64> = p.iter().map(|&v| Dual64::from_re(v)).collect();
        let mut rd = vec![Dual64::from_re(0.0); m];
        for c in 0..p.len() {
            pd[c].eps = 1.0;
            self.0.residuals_t(&pd, &mut rd);
            for (i, v) in rd.iter().enumerate() {
                j[(i, c)] = v.eps;
            }
            pd[c].eps = 0.0;
        }
        true
    }
}

/// A [`GenericResiduals`] problem as the minimizers' objective f(p) = ½‖r(p)‖² (the same value
/// the least-squares solvers record), with ∇f = Jᵀr and ∇²f by automatic differentiation.
#[derive(Clone, Debug)]
pub struct SumOfSquares<P>(pub P);

impl<P: GenericResiduals> crate::diff::ad::GenericFunction for SumOfSquares<P> {
    fn eval<T: Real>(&self, x: &[T]) -> T {
        let mut r = vec![T::from(0.0); self.0.num_residuals()];
        self.0.residuals_t(x, &mut r);
        r.iter().fold(T::from(0.0), |s, &v| s + v * v) * 0.5
    }
}

impl<P: GenericResiduals> crate::problem::Objective for SumOfSquares<P> {
    fn dim(&self) -> usize {
        self.0.num_params()
    }
    fn value(&self, x: &[f64]) -> f64 {
        crate::diff::ad::GenericFunction::eval(self, x)
    }
    fn automatic_gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
        crate::diff::ad::gradient_into(self, x, g);
        true
    }
    fn automatic_hessian(&self, x: &[f64]) -> Option<DMatrix<f64>> {
        Some(crate::diff::ad::hessian(self, x))
    }
}

/// How finite differences step each parameter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FdScheme {
    /// (r(p + h e_j) − r(p))/h: n evaluations, error O(h) + O(ε/h).
    Forward,
    /// (r(p + h e_j) − r(p − h e_j))/(2h): 2n evaluations, error O(h²) + O(ε/h).
    #[default]
    Central,
}

impl FdScheme {
    /// Default relative step: √ε for forward, ε^{1/3} for central differences (balancing
    /// truncation against round-off; Nocedal & Wright, *Numerical Optimization*, §8.1).
    pub fn default_rel_step(&self) -> f64 {
        match self {
            FdScheme::Forward => f64::EPSILON.sqrt(),
            FdScheme::Central => f64::EPSILON.cbrt(),
        }
    }

    /// Residual evaluations per Jacobian.
    pub fn evals_per_jacobian(&self, n: usize) -> usize {
        match self {
            FdScheme::Forward => n,
            FdScheme::Central => 2 * n,
        }
    }
}

/// Finite-difference Jacobian of `model` at `p` into `j` (m × n).
///
/// `r0` must hold r(p) (used by the forward scheme). `rel_step[j]` (or the scheme's default when
/// `None`) gives the step h_j = rel_step_j·max(|p_j|, floor_j), or rel_step_j when that is 0 (as
/// MINPACK's fdjac2 without a floor). The floor is the parameter's typical scale: without one, a
/// parameter passing near 0 (say −7·10⁻²¹) gets a step of 10⁻²⁶, its column is lost in round-off
/// and the solver pins it there. The step actually taken, (p_j + h) − p_j after rounding, is the
/// divisor.
pub fn finite_difference_jacobian(
    model: &dyn Residuals,
    p: &[f64],
    r0: &[f64],
    scheme: FdScheme,
    rel_step: Option<&[f64]>,
    floor: Option<&[f64]>,
    j: &mut DMatrix<f64>,
) {
    let m = model.num_residuals();
    let n = p.len();
    let mut pp = p.to_vec();
    let mut rp = vec![0.0; m];
    let mut rm = vec![0.0; m];
    for c in 0..n {
        let rs = rel_step
            .and_then(|s| s.get(c).copied())
            .unwrap_or_else(|| scheme.default_rel_step());
        let scale = p[c]
            .abs()
            .max(floor.and_then(|f| f.get(c).copied()).unwrap_or(0.0));
        let mut h = rs * scale;
        if h == 0.0 {
            h = rs;
        }
        match scheme {
            FdScheme::Forward => {
                pp[c] = p[c] + h;
                let hh = pp[c] - p[c];
                model.residuals(&pp, &mut rp);
                for i in 0..m {
                    j[(i, c)] = (rp[i] - r0[i]) / hh;
                }
            }
            FdScheme::Central => {
                pp[c] = p[c] + h;
                let hp = pp[c] - p[c];
                model.residuals(&pp, &mut rp);
                pp[c] = p[c] - h;
                let hm = p[c] - pp[c];
                model.residuals(&pp, &mut rm);
                for i in 0..m {
                    j[(i, c)] = (rp[i] - rm[i]) / (hp + hm);
                }
            }
        }
        pp[c] = p[c];
    }
}

/// A model y = f(x; p) of one observation, with x a row of predictors (usually one).
pub trait CurveModel {
    /// Number of parameters n.
    fn num_params(&self) -> usize;

    /// f(x; p).
    fn value(&self, x: &[f64], p: &[f64]) -> f64;

    /// Writes ∇_p f(x; p) into `g` and returns `true`, or returns `false` when there is no analytic
    /// gradient.
    fn gradient(&self, _x: &[f64], _p: &[f64], _g: &mut [f64]) -> bool {
        false
    }

    /// Writes ∇_p f(x; p) by automatic differentiation (dual numbers: exact to round-off) into
    /// `g` and returns `true`, or returns `false` when the model is not written generically.
    fn gradient_ad(&self, _x: &[f64], _p: &[f64], _g: &mut [f64]) -> bool {
        false
    }
}

/// Type of a model closure f(x, p).
pub type ModelFn = Box<dyn Fn(&[f64], &[f64]) -> f64>;
/// Type of a parameter-gradient closure (x, p, g).
pub type ModelGradFn = Box<dyn Fn(&[f64], &[f64], &mut [f64])>;

/// A [`CurveModel`] made of Rust closures: the value and, optionally, the parameter gradient.
pub struct FnModel {
    /// Number of parameters.
    pub n: usize,
    /// f(x; p).
    pub f: ModelFn,
    /// ∇_p f(x; p), if known.
    pub grad: Option<ModelGradFn>,
}

impl CurveModel for FnModel {
    fn num_params(&self) -> usize {
        self.n
    }
    fn value(&self, x: &[f64], p: &[f64]) -> f64 {
        (self.f)(x, p)
    }
    fn gradient(&self, x: &[f64], p: &[f64], g: &mut [f64]) -> bool {
        match &self.grad {
            Some(gf) => {
                gf(x, p, g);
                true
            }
            None => false,
        }
    }
}

/// Observations (x_i, y_i), x_i a row of `predictors` values, stored row after row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Data {
    /// Number of predictor columns (1 for y = f(x)).
    pub predictors: usize,
    /// Predictors, m rows of `predictors` values.
    pub x: Vec<f64>,
    /// Responses, m values.
    pub y: Vec<f64>,
}

impl Data {
    /// One-predictor data, checked: equal lengths, finite values.
    pub fn new(x: Vec<f64>, y: Vec<f64>) -> Result<Data, String> {
        Data::with_predictors(1, x, y)
    }

    /// Data with `predictors` columns in x (row-major), checked.
    pub fn with_predictors(predictors: usize, x: Vec<f64>, y: Vec<f64>) -> Result<Data, String> {
        if predictors == 0 {
            return Err("data need at least one predictor column".into());
        }
        if x.len() != predictors * y.len() {
            return Err(format!(
                "x has {} values but y has {} (expected {} x per y)",
                x.len(),
                y.len(),
                predictors
            ));
        }
        if let Some(i) = x.iter().position(|v| !v.is_finite()) {
            return Err(format!(
                "data point {} has a non-finite x ({})",
                i / predictors + 1,
                x[i]
            ));
        }
        if let Some(i) = y.iter().position(|v| !v.is_finite()) {
            return Err(format!(
                "data point {} has a non-finite y ({})",
                i + 1,
                y[i]
            ));
        }
        Ok(Data { predictors, x, y })
    }

    /// Number of observations m.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// `true` when there are no observations.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The predictors of observation i.
    pub fn x_row(&self, i: usize) -> &[f64] {
        &self.x[i * self.predictors..(i + 1) * self.predictors]
    }
}

/// A curve fit: residuals r_i(p) = f(x_i; p) − y_i of a [`CurveModel`] against [`Data`].
pub struct CurveFit<M> {
    /// The model f.
    pub model: M,
    /// The observations.
    pub data: Data,
}

impl<M: CurveModel> CurveFit<M> {
    /// Pairs a model with data; fails when there are fewer observations than parameters.
    pub fn new(model: M, data: Data) -> Result<Self, String> {
        let n = model.num_params();
        if n == 0 {
            return Err("the model has no parameters".into());
        }
        if data.len() < n {
            let points = match data.len() {
                1 => "1 point".to_string(),
                k => format!("{k} points"),
            };
            return Err(format!(
                "need at least as many data points as parameters: {points} for {n} parameters"
            ));
        }
        Ok(CurveFit { model, data })
    }
}

impl<M: CurveModel> Residuals for CurveFit<M> {
    fn num_residuals(&self) -> usize {
        self.data.len()
    }
    fn num_params(&self) -> usize {
        self.model.num_params()
    }
    fn residuals(&self, p: &[f64], r: &mut [f64]) {
        for (i, ri) in r.iter_mut().enumerate() {
            *ri = self.model.value(self.data.x_row(i), p) - self.data.y[i];
        }
    }
    fn jacobian(&self, p: &[f64], j: &mut DMatrix<f64>) -> bool {
        let n = p.len();
        let mut g = vec![0.0; n];
        for i in 0..self.data.len() {
            if !self.model.gradient(self.data.x_row(i), p, &mut g) {
                return false;
            }
            for c in 0..n {
                j[(i, c)] = g[c];
            }
        }
        true
    }
    fn jacobian_ad(&self, p: &[f64], j: &mut DMatrix<f64>) -> bool {
        let n = p.len();
        let mut g = vec![0.0; n];
        for i in 0..self.data.len() {
            if !self.model.gradient_ad(self.data.x_row(i), p, &mut g) {
                return false;
            }
            for c in 0..n {
                j[(i, c)] = g[c];
            }
        }
        true
    }
    fn describe_residual(&self, i: usize) -> String {
        match self
            .data
            .x
            .get(i * self.data.predictors..(i + 1) * self.data.predictors)
        {
            Some([x]) => format!("data point {} (x = {x})", i + 1),
            Some(xs) if !xs.is_empty() => format!("data point {} (x = {xs:?})", i + 1),
            _ => format!("data point {}", i + 1),
        }
    }
}

/// The built-in curve models of the fitting lab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelId {
    /// y = a·exp(−k·x) + c.
    #[default]
    ExponentialDecay,
    /// y = a₁·exp(−k₁·x) + a₂·exp(−k₂·x).
    TwoExponentials,
    /// y = a·exp(−(x−μ)²/(2σ²)).
    Gaussian,
    /// y = c + a₁·exp(−(x−μ₁)²/(2σ₁²)) + a₂·exp(−(x−μ₂)²/(2σ₂²)).
    TwoGaussians,
    /// y = L/(1 + exp(−k·(x − x₀))).
    Logistic,
    /// y = V·x/(K + x).
    MichaelisMenten,
    /// y = a·x^b.
    PowerLaw,
    /// y = A·exp(−γ·x)·cos(ω·x + φ).
    DampedSine,
}

impl ModelId {
    /// Every built-in model, in menu order.
    pub const ALL: [ModelId; 8] = [
        ModelId::ExponentialDecay,
        ModelId::TwoExponentials,
        ModelId::Gaussian,
        ModelId::TwoGaussians,
        ModelId::Logistic,
        ModelId::MichaelisMenten,
        ModelId::PowerLaw,
        ModelId::DampedSine,
    ];

    /// Display name.
    pub fn name(&self) -> &'static str {
        match self {
            ModelId::ExponentialDecay => "exponential decay",
            ModelId::TwoExponentials => "sum of two exponentials",
            ModelId::Gaussian => "Gaussian peak",
            ModelId::TwoGaussians => "two Gaussians on a baseline",
            ModelId::Logistic => "logistic",
            ModelId::MichaelisMenten => "Michaelis–Menten",
            ModelId::PowerLaw => "power law",
            ModelId::DampedSine => "damped sinusoid",
        }
    }

    /// The formula as shown on the page.
    pub fn formula(&self) -> &'static str {
        match self {
            ModelId::ExponentialDecay => "y = a·exp(−k·x) + c",
            ModelId::TwoExponentials => "y = a₁·exp(−k₁·x) + a₂·exp(−k₂·x)",
            ModelId::Gaussian => "y = a·exp(−(x−μ)²/(2σ²))",
            ModelId::TwoGaussians => "y = c + a₁·exp(−(x−μ₁)²/(2σ₁²)) + a₂·exp(−(x−μ₂)²/(2σ₂²))",
            ModelId::Logistic => "y = L/(1 + exp(−k·(x − x₀)))",
            ModelId::MichaelisMenten => "y = V·x/(K + x)",
            ModelId::PowerLaw => "y = a·x^b",
            ModelId::DampedSine => "y = A·exp(−γ·x)·cos(ω·x + φ)",
        }
    }

    /// Parameter names, in order.
    pub fn param_names(&self) -> &'static [&'static str] {
        match self {
            ModelId::ExponentialDecay => &["a", "k", "c"],
            ModelId::TwoExponentials => &["a₁", "k₁", "a₂", "k₂"],
            ModelId::Gaussian => &["a", "μ", "σ"],
            ModelId::TwoGaussians => &["c", "a₁", "μ₁", "σ₁", "a₂", "μ₂", "σ₂"],
            ModelId::Logistic => &["L", "k", "x₀"],
            ModelId::MichaelisMenten => &["V", "K"],
            ModelId::PowerLaw => &["a", "b"],
            ModelId::DampedSine => &["A", "γ", "ω", "φ"],
        }
    }

    /// The parameters that generate the default data.
    pub fn true_params(&self) -> &'static [f64] {
        match self {
            ModelId::ExponentialDecay => &[5.0, 0.8, 1.0],
            ModelId::TwoExponentials => &[4.0, 2.5, 2.0, 0.3],
            ModelId::Gaussian => &[3.0, 1.0, 0.7],
            ModelId::TwoGaussians => &[0.5, 3.0, -1.0, 0.6, 2.0, 1.5, 0.8],
            ModelId::Logistic => &[10.0, 1.5, 2.0],
            ModelId::MichaelisMenten => &[2.0, 0.5],
            ModelId::PowerLaw => &[2.0, 0.7],
            ModelId::DampedSine => &[3.0, 0.3, 2.0, 0.5],
        }
    }

    /// A sensible start for fitting the default generated data (away from the truth, inside the
    /// basin of the intended minimum).
    pub fn default_start(&self) -> &'static [f64] {
        match self {
            ModelId::ExponentialDecay => &[3.0, 0.3, 0.0],
            ModelId::TwoExponentials => &[1.0, 1.0, 1.0, 0.1],
            ModelId::Gaussian => &[1.0, 0.5, 1.5],
            ModelId::TwoGaussians => &[0.0, 2.0, -1.5, 1.0, 1.5, 2.0, 1.0],
            ModelId::Logistic => &[5.0, 0.5, 1.0],
            ModelId::MichaelisMenten => &[1.0, 1.0],
            ModelId::PowerLaw => &[1.0, 1.0],
            ModelId::DampedSine => &[2.0, 0.1, 1.8, 0.0],
        }
    }

    /// The default x range [min, max] of generated data.
    pub fn default_x_range(&self) -> [f64; 2] {
        match self {
            ModelId::ExponentialDecay => [0.0, 5.0],
            ModelId::TwoExponentials => [0.0, 8.0],
            ModelId::Gaussian => [-3.0, 5.0],
            ModelId::TwoGaussians => [-4.0, 4.0],
            ModelId::Logistic => [-2.0, 6.0],
            ModelId::MichaelisMenten => [0.0, 5.0],
            ModelId::PowerLaw => [0.1, 10.0],
            ModelId::DampedSine => [0.0, 10.0],
        }
    }

    /// Data generated from `params` at `n` equally spaced x in `x_range`, plus Gaussian noise of
    /// standard deviation `noise` drawn from a [`SplitMix64`] seeded with `seed` (deterministic).
    pub fn generate(
        &self,
        params: &[f64],
        n: usize,
        x_range: [f64; 2],
        noise: f64,
        seed: u64,
    ) -> Result<Data, String> {
        if params.len() != self.num_params() {
            return Err(format!(
                "{} has {} parameters, got {}",
                self.name(),
                self.num_params(),
                params.len()
            ));
        }
        sample_data(|x| self.value(&[x], params), n, x_range, noise, seed)
    }
}

/// `n` equally spaced x in `x_range` (the middle for n = 1) with y = `model(x)` plus Gaussian
/// noise of standard deviation `noise` from a [`SplitMix64`] seeded with `seed` — the one recipe
/// behind every generated curve-fit data set (deterministic for a seed).
pub fn sample_data(
    model: impl Fn(f64) -> f64,
    n: usize,
    x_range: [f64; 2],
    noise: f64,
    seed: u64,
) -> Result<Data, String> {
    if !(noise.is_finite() && noise >= 0.0) {
        return Err(format!("noise must be a number ≥ 0 (got {noise})"));
    }
    if !(x_range[0].is_finite() && x_range[1].is_finite() && x_range[0] <= x_range[1]) {
        return Err("x range must be finite with min ≤ max".into());
    }
    if n == 0 || n > 100_000 {
        return Err(format!("number of points must be 1 … 100000 (got {n})"));
    }
    let mut rng = SplitMix64::new(seed);
    let mut xs = Vec::with_capacity(n);
    let mut ys = Vec::with_capacity(n);
    for i in 0..n {
        let t = if n == 1 {
            0.5
        } else {
            i as f64 / (n - 1) as f64
        };
        let x = x_range[0] + t * (x_range[1] - x_range[0]);
        let y = model(x) + noise * rng.normal();
        if !y.is_finite() {
            return Err(format!(
                "the model is not finite at x = {x} with the true parameters: cannot generate data"
            ));
        }
        xs.push(x);
        ys.push(y);
    }
    Data::new(xs, ys)
}

fn gauss(x: f64, a: f64, mu: f64, s: f64, g: &mut [f64]) -> f64 {
    // a·e with e = exp(−(x−μ)²/(2σ²)); g ← (∂/∂a, ∂/∂μ, ∂/∂σ).
    let d = x - mu;
    let e = (-d * d / (2.0 * s * s)).dexp();
    g[0] = e;
    g[1] = a * e * d / (s * s);
    g[2] = a * e * d * d / (s * s * s);
    a * e
}

impl CurveModel for ModelId {
    fn num_params(&self) -> usize {
        self.param_names().len()
    }

    fn value(&self, x: &[f64], p: &[f64]) -> f64 {
        let mut g = [0.0; 7];
        self.eval(x[0], p, &mut g[..p.len()])
    }

    fn gradient(&self, x: &[f64], p: &[f64], g: &mut [f64]) -> bool {
        self.eval(x[0], p, g);
        true
    }

    fn gradient_ad(&self, x: &[f64], p: &[f64], g: &mut [f64]) -> bool {
        crate::diff::ad::gradient_with(p, g, |pd| self.value_t(x[0], pd));
        true
    }
}

impl ModelId {
    /// f(x; p) written once over the number type (its AD gradient is [`CurveModel::gradient_ad`]).
    pub fn value_t<T: Real>(&self, x: f64, p: &[T]) -> T {
        let gauss = |a: T, mu: T, s: T| {
            let d = T::from(x) - mu;
            a * (-(d * d) / (s * s * 2.0)).rexp()
        };
        match self {
            ModelId::ExponentialDecay => p[0] * (p[1] * (-x)).rexp() + p[2],
            ModelId::TwoExponentials => p[0] * (p[1] * (-x)).rexp() + p[2] * (p[3] * (-x)).rexp(),
            ModelId::Gaussian => gauss(p[0], p[1], p[2]),
            ModelId::TwoGaussians => p[0] + gauss(p[1], p[2], p[3]) + gauss(p[4], p[5], p[6]),
            ModelId::Logistic => {
                let d = T::from(x) - p[2];
                p[0] / ((-(p[1] * d)).rexp() + 1.0)
            }
            ModelId::MichaelisMenten => p[0] * x / (p[1] + x),
            ModelId::PowerLaw => p[0] * p[1].rpow_base(x),
            ModelId::DampedSine => p[0] * (p[1] * (-x)).rexp() * (p[2] * x + p[3]).rcos(),
        }
    }
}

impl ModelId {
    /// f(x; p), writing ∇_p f into `g`.
    fn eval(&self, x: f64, p: &[f64], g: &mut [f64]) -> f64 {
        match self {
            ModelId::ExponentialDecay => {
                let e = (-p[1] * x).dexp();
                g[0] = e;
                g[1] = -p[0] * x * e;
                g[2] = 1.0;
                p[0] * e + p[2]
            }
            ModelId::TwoExponentials => {
                let e1 = (-p[1] * x).dexp();
                let e2 = (-p[3] * x).dexp();
                g[0] = e1;
                g[1] = -p[0] * x * e1;
                g[2] = e2;
                g[3] = -p[2] * x * e2;
                p[0] * e1 + p[2] * e2
            }
            ModelId::Gaussian => gauss(x, p[0], p[1], p[2], g),
            ModelId::TwoGaussians => {
                g[0] = 1.0;
                let v1 = gauss(x, p[1], p[2], p[3], &mut g[1..4]);
                let v2 = gauss(x, p[4], p[5], p[6], &mut g[4..7]);
                p[0] + v1 + v2
            }
            ModelId::Logistic => {
                let d = x - p[2];
                let s = 1.0 / (1.0 + (-p[1] * d).dexp());
                let ds = s * (1.0 - s);
                g[0] = s;
                g[1] = p[0] * ds * d;
                g[2] = -p[0] * ds * p[1];
                p[0] * s
            }
            ModelId::MichaelisMenten => {
                let d = p[1] + x;
                g[0] = x / d;
                g[1] = -p[0] * x / (d * d);
                p[0] * x / d
            }
            ModelId::PowerLaw => {
                let xb = x.dpowf(p[1]);
                g[0] = xb;
                g[1] = if x > 0.0 { p[0] * xb * x.dln() } else { 0.0 };
                p[0] * xb
            }
            ModelId::DampedSine => {
                let e = (-p[1] * x).dexp();
                let a = p[2] * x + p[3];
                let (s, c) = (a.dsin(), a.dcos());
                g[0] = e * c;
                g[1] = -p[0] * x * e * c;
                g[2] = -p[0] * e * s * x;
                g[3] = -p[0] * e * s;
                p[0] * e * c
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fd_check<M: CurveModel>(model: &M, x: f64, p: &[f64]) {
        // Independent reference: a central difference of the model value, h = 1e-6·max(|p|, 1).
        let n = p.len();
        let mut g = vec![0.0; n];
        assert!(model.gradient(&[x], p, &mut g));
        for c in 0..n {
            let h = 1e-6 * p[c].abs().max(1.0);
            let mut pp = p.to_vec();
            pp[c] += h;
            let fp = model.value(&[x], &pp);
            pp[c] -= 2.0 * h;
            let fm = model.value(&[x], &pp);
            let fd = (fp - fm) / (2.0 * h);
            assert!(
                (g[c] - fd).abs() <= 1e-6 * (1.0 + fd.abs()),
                "param {c}: analytic {} vs fd {fd}",
                g[c]
            );
        }
    }

    #[test]
    fn builtin_gradients_match_central_differences() {
        for id in ModelId::ALL {
            let [lo, hi] = id.default_x_range();
            for k in 0..7 {
                let x = lo + (hi - lo) * (k as f64 + 0.3) / 7.0;
                fd_check(&id, x, id.true_params());
                fd_check(&id, x, id.default_start());
            }
            assert_eq!(id.param_names().len(), id.true_params().len());
            assert_eq!(id.param_names().len(), id.default_start().len());
        }
    }

    #[test]
    fn builtin_values_match_closed_forms() {
        // Closed forms evaluated by hand.
        let v = ModelId::MichaelisMenten.value(&[1.0], &[2.0, 0.5]);
        assert!((v - 2.0 / 1.5).abs() < 1e-15);
        let v = ModelId::Gaussian.value(&[1.7], &[3.0, 1.0, 0.7]);
        assert!((v - 3.0 * (-0.5f64).exp()).abs() < 1e-15);
        let v = ModelId::Logistic.value(&[2.0], &[10.0, 1.5, 2.0]);
        assert!((v - 5.0).abs() < 1e-15);
    }

    #[test]
    fn generated_data_are_deterministic_and_noise_free_when_noise_is_zero() {
        let id = ModelId::ExponentialDecay;
        let a = id
            .generate(&[5.0, 0.8, 1.0], 11, [0.0, 5.0], 0.1, 7)
            .unwrap();
        let b = id
            .generate(&[5.0, 0.8, 1.0], 11, [0.0, 5.0], 0.1, 7)
            .unwrap();
        assert_eq!(a, b);
        let c = id
            .generate(&[5.0, 0.8, 1.0], 11, [0.0, 5.0], 0.0, 7)
            .unwrap();
        // y(0) = a + c = 6 exactly.
        assert_eq!(c.y[0], 6.0);
        assert!(id.generate(&[1.0], 11, [0.0, 5.0], 0.1, 7).is_err());
    }

    #[test]
    fn fd_jacobian_matches_analytic_on_a_curve_fit() {
        let id = ModelId::DampedSine;
        let data = id
            .generate(id.true_params(), 30, [0.0, 10.0], 0.0, 1)
            .unwrap();
        let fit = CurveFit::new(id, data).unwrap();
        let p = id.default_start();
        let mut r = vec![0.0; 30];
        fit.residuals(p, &mut r);
        let mut ja = DMatrix::zeros(30, 4);
        assert!(fit.jacobian(p, &mut ja));
        for scheme in [FdScheme::Forward, FdScheme::Central] {
            let mut jf = DMatrix::zeros(30, 4);
            finite_difference_jacobian(&fit, p, &r, scheme, None, None, &mut jf);
            // Truncation error: forward ~ h·|f₂| with h ≈ 1.5e-8·|p|, central ~ h²·|f₃| with
            // h ≈ 6e-6·|p| (f_k: k-th derivative, growing like A·x^k with x ≤ 10).
            let tol = if scheme == FdScheme::Forward {
                1e-5
            } else {
                1e-6
            };
            let err = (&ja - &jf).amax();
            assert!(
                err < tol * (1.0 + ja.amax()),
                "{scheme:?} {err} {}",
                ja.amax()
            );
        }
    }

    #[test]
    fn bad_data_is_rejected_with_a_message() {
        let e = Data::new(vec![1.0, f64::NAN], vec![1.0, 2.0]).unwrap_err();
        assert!(e.contains("non-finite x"), "{e}");
        let e = Data::new(vec![1.0, 2.0], vec![1.0, f64::NAN]).unwrap_err();
        assert!(e.contains("point 2") && e.contains("non-finite y"), "{e}");
        let d = Data::new(vec![1.0, 2.0], vec![1.0, 2.0]).unwrap();
        let e = CurveFit::new(ModelId::ExponentialDecay, d).err().unwrap();
        assert!(e.contains("2 points for 3 parameters"), "{e}");
    }
}
