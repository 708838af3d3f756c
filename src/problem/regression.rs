//! Linear regression: data, the model ŷ = Xw + b, its MSE loss and gradient.
//!
//! * [`Dataset`] — a feature matrix (flat, row-major), a target vector and column names; built by
//!   [`generate::linear`], [`csv::parse`] or [`nist::parse`].
//! * [`LinearRegression`] — the loss L(w, b) = (1/m)·Σᵢ (xᵢ·w + b − yᵢ)² as an
//!   [`Objective`] over θ = [w₁, …, w_d, b] (b only with an intercept).
//! * [`exact`] — the least-squares answer by Householder QR, with R², residual standard error and
//!   coefficient standard errors.
//! * [`Standardizer`] — z-scoring of the features and the map of coefficients back to the original
//!   scale.
//!
//! ## Gradient scaling
//! With residuals r = Xw + b·1 − y over m samples:
//!
//! * MSE  = (1/m)·‖r‖²   has  ∇_w = (2/m)·Xᵀr,  ∂_b = (2/m)·Σ rᵢ   — what this module uses;
//! * ½MSE = (1/2m)·‖r‖² has  ∇_w = (1/m)·Xᵀr,  ∂_b = (1/m)·Σ rᵢ   — the form often written in
//!   course notes (`grad = 1/m · Xᵀ(Xw − y)`).
//!
//! Both have the same minimizer; the ½ only halves the effective learning rate.

// `!(a > b)` is deliberate: it is also true for NaN, which must be rejected. Index loops mirror
// the matrix formulas.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

pub mod csv;
pub mod exact;
pub mod generate;
pub mod nist;
pub mod rng;

use super::Objective;
use serde::{Deserialize, Serialize};

/// Regression data: n samples of d features (row-major) and a target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Features, row-major: sample i is `x[i*d .. (i+1)*d]`.
    pub x: Vec<f64>,
    /// Targets yᵢ, length n.
    pub y: Vec<f64>,
    /// Feature (column) names, length d.
    pub feature_names: Vec<String>,
    /// The target's name.
    pub target_name: String,
}

impl Dataset {
    /// A dataset from its parts, checking the shapes and that every value is finite.
    pub fn new(
        x: Vec<f64>,
        y: Vec<f64>,
        feature_names: Vec<String>,
        target_name: String,
    ) -> Result<Self, String> {
        let d = feature_names.len();
        if x.len() != y.len() * d {
            return Err(format!(
                "feature matrix has {} values, expected n·d = {}·{}",
                x.len(),
                y.len(),
                d
            ));
        }
        if x.iter().chain(&y).any(|v| !v.is_finite()) {
            return Err("data contains a non-finite value (NaN or ∞)".into());
        }
        Ok(Dataset {
            x,
            y,
            feature_names,
            target_name,
        })
    }

    /// Number of samples n.
    pub fn n(&self) -> usize {
        self.y.len()
    }

    /// Number of features d.
    pub fn d(&self) -> usize {
        self.feature_names.len()
    }

    /// Sample i's features.
    pub fn row(&self, i: usize) -> &[f64] {
        let d = self.d();
        &self.x[i * d..(i + 1) * d]
    }

    /// Feature column j (copied).
    pub fn column(&self, j: usize) -> Vec<f64> {
        let d = self.d();
        self.x.iter().skip(j).step_by(d.max(1)).copied().collect()
    }

    /// Polynomial features of a 1-feature dataset: columns x, x², …, x^degree.
    ///
    /// Errors unless the data has exactly one feature and 1 ≤ degree ≤ 20.
    pub fn polynomial(&self, degree: usize) -> Result<Dataset, String> {
        if self.d() != 1 {
            return Err(format!(
                "polynomial features need exactly 1 feature column (the data has {})",
                self.d()
            ));
        }
        if !(1..=20).contains(&degree) {
            return Err(format!(
                "polynomial degree must be between 1 and 20 (got {degree})"
            ));
        }
        let name = &self.feature_names[0];
        let mut x = Vec::with_capacity(self.n() * degree);
        for (i, &xi) in self.x.iter().enumerate() {
            let mut p = 1.0;
            for k in 1..=degree {
                p *= xi;
                if !p.is_finite() {
                    return Err(format!(
                        "polynomial degree {degree}: {name}^{k} overflows at row {} ({name} = {xi:e}); lower the degree or rescale {name}",
                        i + 1
                    ));
                }
                x.push(p);
            }
        }
        let feature_names = (1..=degree)
            .map(|k| {
                if k == 1 {
                    name.clone()
                } else {
                    format!("{name}^{k}")
                }
            })
            .collect();
        Dataset::new(x, self.y.clone(), feature_names, self.target_name.clone())
    }

    /// The low parts of [`Self::polynomial`]'s design: `polynomial(degree).x[i] + lo[i]` is the
    /// power xᵏ to ~10⁻³² relative (computed in double-double arithmetic), where the design holds
    /// xᵏ after k − 1 roundings. The exact solver's refinement uses both parts
    /// ([`exact::fit_with_low_parts`]): on NIST Filip (degree 10) the certified values are then
    /// reached to LRE 14 instead of 7.9 — the rounding of the powers, not the data, was the limit.
    pub fn polynomial_low_parts(&self, degree: usize) -> Result<Vec<f64>, String> {
        let rounded = self.polynomial(degree)?;
        let mut lo = Vec::with_capacity(rounded.x.len());
        for (i, &xi) in self.x.iter().enumerate() {
            let (mut ph, mut pl) = (1.0f64, 0.0f64);
            for k in 0..degree {
                // (ph + pl)·x: Dekker's exact product of the high part plus the low part's
                // product, renormalized.
                let (p, e) = exact::two_prod(ph, xi);
                (ph, pl) = exact::fast_two_sum(p, e + pl * xi);
                // ph and the design's value are within a few ulps: their difference is exact.
                lo.push((ph - rounded.x[i * degree + k]) + pl);
            }
        }
        Ok(lo)
    }

    /// Predictions ŷ = Xw + b for parameters θ = [w…, b] (b present iff `intercept`).
    pub fn predict(&self, theta: &[f64], intercept: bool) -> Vec<f64> {
        let d = self.d();
        let b = if intercept { theta[d] } else { 0.0 };
        (0..self.n())
            .map(|i| dot(self.row(i), &theta[..d]) + b)
            .collect()
    }
}

/// x·y over the shorter length.
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(u, v)| u * v).sum()
}

/// Accumulates the MSE gradient pieces of the rows `x` (row-major, `d` columns) and targets `y`.
///
/// Adds Σᵢ rᵢ·xᵢ to `g_w` and Σᵢ rᵢ to `g_b` with rᵢ = xᵢ·w + b − yᵢ, and returns Σᵢ rᵢ².
/// One pass over the rows, no allocation: the caller scales by 2/m (MSE) or 1/m (½MSE).
#[inline]
pub fn accumulate_rows(
    x: &[f64],
    y: &[f64],
    w: &[f64],
    b: f64,
    g_w: &mut [f64],
    g_b: &mut f64,
) -> f64 {
    let d = w.len();
    let mut sse = 0.0;
    let mut sb = 0.0;
    // Four rows at a time: their dot products run as four independent add chains (each summed in
    // the same order as `dot`, from −0.0 like `Iterator::sum`), so the loop is not bound by the
    // latency of one chain; the rows are then applied in order. Same bits as one row at a time
    // (tests: `blocked_accumulation_is_bit_identical`, and the SGD path tests in minibatch).
    let n = y.len().min(x.len() / d.max(1));
    let blocks = if d == 0 { 0 } else { n / 4 };
    for k in 0..blocks {
        let rows = &x[4 * k * d..4 * (k + 1) * d];
        let (r0, rest) = rows.split_at(d);
        let (r1, rest) = rest.split_at(d);
        let (r2, r3) = rest.split_at(d);
        let mut a = [-0.0f64; 4];
        for j in 0..d {
            let wj = w[j];
            a[0] += r0[j] * wj;
            a[1] += r1[j] * wj;
            a[2] += r2[j] * wj;
            a[3] += r3[j] * wj;
        }
        let ys = &y[4 * k..4 * k + 4];
        let r = [
            a[0] + b - ys[0],
            a[1] + b - ys[1],
            a[2] + b - ys[2],
            a[3] + b - ys[3],
        ];
        for rk in r {
            sse += rk * rk;
            sb += rk;
        }
        // gⱼ gets the four rows' terms in row order, as four single-row passes would add them.
        for j in 0..d {
            let mut t = g_w[j];
            t += r[0] * r0[j];
            t += r[1] * r1[j];
            t += r[2] * r2[j];
            t += r[3] * r3[j];
            g_w[j] = t;
        }
    }
    let done = 4 * blocks;
    for (row, &yi) in x[done * d..].chunks_exact(d.max(1)).zip(&y[done..]) {
        let r = dot(row, w) + b - yi;
        sse += r * r;
        sb += r;
        for (g, &xv) in g_w.iter_mut().zip(row) {
            *g += r * xv;
        }
    }
    *g_b += sb;
    sse
}

/// Like [`accumulate_rows`] for the samples listed in `idx` (a shuffled mini-batch).
#[inline]
pub fn accumulate_indexed(
    x: &[f64],
    y: &[f64],
    idx: &[u32],
    w: &[f64],
    b: f64,
    g_w: &mut [f64],
    g_b: &mut f64,
) -> f64 {
    let d = w.len();
    let mut sse = 0.0;
    let mut sb = 0.0;
    for &i in idx {
        let i = i as usize;
        let row = &x[i * d..(i + 1) * d];
        let r = dot(row, w) + b - y[i];
        sse += r * r;
        sb += r;
        for (g, &xv) in g_w.iter_mut().zip(row) {
            *g += r * xv;
        }
    }
    *g_b += sb;
    sse
}

/// The MSE loss of a linear model on a dataset, as an [`Objective`] over θ = [w…, b].
///
/// L(θ) = (1/n)·Σᵢ (xᵢ·w + b − yᵢ)²,  ∇_w L = (2/n)·Xᵀr,  ∂_b L = (2/n)·Σ rᵢ
/// (b and its partial derivative only when `intercept`).
#[derive(Clone, Debug)]
pub struct LinearRegression<'a> {
    /// The data.
    pub data: &'a Dataset,
    /// Whether θ ends with an intercept b.
    pub intercept: bool,
}

impl LinearRegression<'_> {
    /// Loss and gradient in one pass; `g` must have length `dim()`.
    pub fn value_and_gradient(&self, theta: &[f64], g: &mut [f64]) -> f64 {
        let d = self.data.d();
        let n = self.data.n() as f64;
        let b = if self.intercept { theta[d] } else { 0.0 };
        g.iter_mut().for_each(|v| *v = 0.0);
        let mut gb = 0.0;
        let (gw, rest) = g.split_at_mut(d);
        let sse = accumulate_rows(&self.data.x, &self.data.y, &theta[..d], b, gw, &mut gb);
        for v in gw.iter_mut() {
            *v *= 2.0 / n;
        }
        if self.intercept {
            rest[0] = 2.0 * gb / n;
        }
        sse / n
    }
}

impl Objective for LinearRegression<'_> {
    fn dim(&self) -> usize {
        self.data.d() + usize::from(self.intercept)
    }

    fn value(&self, theta: &[f64]) -> f64 {
        let d = self.data.d();
        let b = if self.intercept { theta[d] } else { 0.0 };
        let sse: f64 = (0..self.data.n())
            .map(|i| {
                let r = dot(self.data.row(i), &theta[..d]) + b - self.data.y[i];
                r * r
            })
            .sum();
        sse / self.data.n() as f64
    }

    fn gradient(&self, theta: &[f64], g: &mut [f64]) -> bool {
        self.value_and_gradient(theta, g);
        true
    }

    fn hessian(&self, _theta: &[f64]) -> Option<nalgebra::DMatrix<f64>> {
        // ∇²L = (2/n)·[X 1]ᵀ[X 1], constant.
        let d = self.data.d();
        let p = self.dim();
        let n = self.data.n() as f64;
        let mut h = nalgebra::DMatrix::zeros(p, p);
        for i in 0..self.data.n() {
            let row = self.data.row(i);
            for a in 0..p {
                let xa = if a < d { row[a] } else { 1.0 };
                for c in 0..p {
                    let xc = if c < d { row[c] } else { 1.0 };
                    h[(a, c)] += 2.0 / n * xa * xc;
                }
            }
        }
        Some(h)
    }
}

/// Per-feature affine scaling z = (x − μ)/σ, and the map of coefficients back.
///
/// With an intercept, μ is the column mean and σ the standard deviation (population form). Without
/// an intercept the data cannot be centred (no b absorbs the shift), so μ = 0 and σ is the root
/// mean square of the column. A model ŷ = z·w_z + b_z is ŷ = x·w + b with
/// w_j = w_z,j/σ_j and b = b_z − Σ_j w_z,j·μ_j/σ_j.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Standardizer {
    /// μ_j per feature.
    pub mean: Vec<f64>,
    /// σ_j per feature (> 0).
    pub scale: Vec<f64>,
}

impl Standardizer {
    /// Fits μ and σ to the data; errors on a constant (σ = 0) column, naming it.
    pub fn fit(data: &Dataset, intercept: bool) -> Result<Self, String> {
        let (n, d) = (data.n(), data.d());
        let mut mean = vec![0.0; d];
        if intercept {
            for i in 0..n {
                for (m, v) in mean.iter_mut().zip(data.row(i)) {
                    *m += v;
                }
            }
            mean.iter_mut().for_each(|m| *m /= n as f64);
        }
        let mut scale = vec![0.0; d];
        for i in 0..n {
            for ((s, v), m) in scale.iter_mut().zip(data.row(i)).zip(&mean) {
                *s += (v - m) * (v - m);
            }
        }
        for (j, s) in scale.iter_mut().enumerate() {
            *s = (*s / n as f64).sqrt();
            if !(*s > 0.0) {
                return Err(format!(
                    "feature column {} (\"{}\") is constant: it cannot be standardized",
                    j + 1,
                    data.feature_names[j]
                ));
            }
        }
        Ok(Standardizer { mean, scale })
    }

    /// The standardized copy of the data (targets unchanged).
    pub fn transform(&self, data: &Dataset) -> Dataset {
        let d = data.d();
        let x = data
            .x
            .iter()
            .enumerate()
            .map(|(k, v)| (v - self.mean[k % d]) / self.scale[k % d])
            .collect();
        Dataset {
            x,
            y: data.y.clone(),
            feature_names: data.feature_names.clone(),
            target_name: data.target_name.clone(),
        }
    }

    /// θ_z = [w_z…, b_z] (standardized scale) → θ = [w…, b] (original scale), in place.
    pub fn to_original(&self, theta: &mut [f64], intercept: bool) {
        let d = self.mean.len();
        let mut shift = 0.0;
        for j in 0..d {
            theta[j] /= self.scale[j];
            shift += theta[j] * self.mean[j];
        }
        if intercept {
            theta[d] -= shift;
        }
    }

    /// θ (original scale) → θ_z (standardized scale), in place.
    pub fn to_standardized(&self, theta: &mut [f64], intercept: bool) {
        let d = self.mean.len();
        let mut shift = 0.0;
        for j in 0..d {
            shift += theta[j] * self.mean[j];
            theta[j] *= self.scale[j];
        }
        if intercept {
            theta[d] += shift;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::central_gradient;

    #[test]
    fn blocked_accumulation_is_bit_identical() {
        // The one-row-at-a-time form accumulate_rows replaced.
        fn reference(x: &[f64], y: &[f64], w: &[f64], b: f64, g: &mut [f64], gb: &mut f64) -> f64 {
            let (mut sse, mut sb) = (0.0, 0.0);
            for (row, &yi) in x.chunks_exact(w.len()).zip(y) {
                let r = dot(row, w) + b - yi;
                sse += r * r;
                sb += r;
                for (g, &xv) in g.iter_mut().zip(row) {
                    *g += r * xv;
                }
            }
            *gb += sb;
            sse
        }
        let mut rng = crate::rng::SplitMix64::new(11);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for d in 1..=6 {
            for n in 0..=11 {
                // Values of mixed magnitude, with signed zeros, so rounding and −0.0 both matter.
                let mut val = || match rng.next_u64() % 7 {
                    0 => -0.0,
                    1 => 0.0,
                    _ => rng.normal() * 10f64.powi((rng.next_u64() % 9) as i32 - 4),
                };
                let x: Vec<f64> = (0..n * d).map(|_| val()).collect();
                let y: Vec<f64> = (0..n).map(|_| val()).collect();
                let w: Vec<f64> = (0..d).map(|_| val()).collect();
                let b = val();
                let (mut g1, mut g2) = (vec![0.5; d], vec![0.5; d]);
                let (mut b1, mut b2) = (0.25, 0.25);
                let s1 = accumulate_rows(&x, &y, &w, b, &mut g1, &mut b1);
                let s2 = reference(&x, &y, &w, b, &mut g2, &mut b2);
                assert_eq!(s1.to_bits(), s2.to_bits(), "d {d} n {n}");
                assert_eq!(bits(&g1), bits(&g2), "d {d} n {n}");
                assert_eq!(b1.to_bits(), b2.to_bits(), "d {d} n {n}");
            }
        }
    }

    fn small() -> Dataset {
        Dataset::new(
            vec![1.0, 2.0, 0.5, -1.0, 3.0, 0.0, 2.5, 4.0],
            vec![1.0, 0.0, 2.0, 3.5],
            vec!["a".into(), "b".into()],
            "y".into(),
        )
        .unwrap()
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let data = small();
        for intercept in [true, false] {
            let obj = LinearRegression {
                data: &data,
                intercept,
            };
            let theta = [0.3, -0.7, 0.25];
            let theta = &theta[..obj.dim()];
            let mut g = vec![0.0; obj.dim()];
            assert!(obj.gradient(theta, &mut g));
            let fd = central_gradient(&obj, theta);
            for (a, b) in g.iter().zip(&fd) {
                assert!((a - b).abs() < 1e-7 * (1.0 + a.abs()), "{g:?} vs {fd:?}");
            }
        }
    }

    #[test]
    fn gradient_of_mse_by_hand() {
        // One sample x = 2, y = 1, θ = (w = 1, b = 0.5): r = 2 + 0.5 − 1 = 1.5;
        // ∂w = 2·r·x = 6, ∂b = 2·r = 3, L = r² = 2.25.
        let data = Dataset::new(vec![2.0], vec![1.0], vec!["x".into()], "y".into()).unwrap();
        let obj = LinearRegression {
            data: &data,
            intercept: true,
        };
        let mut g = [0.0; 2];
        let l = obj.value_and_gradient(&[1.0, 0.5], &mut g);
        assert_eq!((l, g), (2.25, [6.0, 3.0]));
    }

    #[test]
    fn standardizer_round_trips_coefficients() {
        let data = small();
        for intercept in [true, false] {
            let s = Standardizer::fit(&data, intercept).unwrap();
            let z = s.transform(&data);
            let theta = [0.3, -0.7, 0.25];
            let mut t = theta[..2 + usize::from(intercept)].to_vec();
            s.to_standardized(&mut t, intercept);
            // Same predictions on standardized data with θ_z as on raw data with θ.
            let p_raw = data.predict(&theta, intercept);
            let p_z = z.predict(&t, intercept);
            for (a, b) in p_raw.iter().zip(&p_z) {
                assert!((a - b).abs() < 1e-12);
            }
            s.to_original(&mut t, intercept);
            for (a, b) in t.iter().zip(&theta) {
                assert!((a - b).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn constant_column_cannot_be_standardized() {
        let data = Dataset::new(
            vec![1.0, 5.0, 2.0, 5.0, 3.0, 5.0],
            vec![1.0, 2.0, 3.0],
            vec!["a".into(), "c".into()],
            "y".into(),
        )
        .unwrap();
        let e = Standardizer::fit(&data, true).unwrap_err();
        assert!(e.contains("column 2") && e.contains("\"c\""), "{e}");
    }

    #[test]
    fn polynomial_features() {
        let data = Dataset::new(
            vec![2.0, -1.0],
            vec![0.0, 1.0],
            vec!["x".into()],
            "y".into(),
        )
        .unwrap();
        let p = data.polynomial(3).unwrap();
        assert_eq!(p.x, vec![2.0, 4.0, 8.0, -1.0, 1.0, -1.0]);
        assert_eq!(p.feature_names, vec!["x", "x^2", "x^3"]);
        assert!(small().polynomial(2).is_err());
    }

    #[test]
    fn a_power_that_overflows_is_named_with_its_row() {
        let d = Dataset::new(
            vec![1.0, 1e90, 3.0],
            vec![1.0, 2.0, 3.0],
            vec!["x".into()],
            "y".into(),
        )
        .unwrap();
        assert_eq!(
            d.polynomial(4).unwrap_err(),
            "polynomial degree 4: x^4 overflows at row 2 (x = 1e90); lower the degree or rescale x"
        );
        assert!(d.polynomial(3).is_ok());
    }
}
