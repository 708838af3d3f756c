//! The exact least-squares answer, by Householder QR — never by inverting XᵀX.
//!
//! Method (Björck, *Numerical Methods for Least Squares Problems*, SIAM 1996, §2.9):
//!
//! 1. With an intercept, the design is X₀ = [1 X]. Its columns are centred (x_j − x̄_j) and every
//!    column is scaled to unit 2-norm: Ã = [1, X − 1x̄ᵀ]·D, so that X₀ = Ã·M with
//!    M = D⁻¹·[[1, x̄ᵀ], [0, I]]. This removes the gross ill-conditioning of Longley-type data
//!    (large column means, very different column scales).
//! 2. Ã = QR by Householder reflections (nalgebra).
//! 3. Iterative refinement of the augmented system
//!    `[I X₀; X₀ᵀ 0]·[r; β] = [y; c]`, with the residuals f = y − r − X₀β and g = c − X₀ᵀr
//!    accumulated in double-double arithmetic (Ogita–Rump–Oishi *Dot2*, Dekker's exact products)
//!    against the **original** design X₀, and each correction solved with the QR factors of Ã.
//!    Each pass shrinks the error by a factor ≈ κ(Ã)·ε, so two or three passes give a solution
//!    as accurate as the data allow. A design known to more than double precision (polynomial
//!    powers xᵏ, [`fit_with_low_parts`]) enters the residuals with its low parts: Filip's
//!    degree-10 polynomial then reaches LRE 14 (7.9 with the rounded powers).
//! 4. Coefficient covariances σ²·(X₀ᵀX₀)⁻¹: from R⁻¹ (σ²·M⁻¹R⁻¹R⁻ᵀM⁻ᵀ), refined the same way (the
//!    j-th column of (X₀ᵀX₀)⁻¹ solves the augmented system with y = 0, c = −e_j) when R is
//!    ill-conditioned.
//!
//! Statistics: residual SD s = √(RSS/(n − p)); R² = 1 − RSS/TSS with TSS = Σ(yᵢ − ȳ)² with an
//! intercept and Σyᵢ² without one (NIST's convention for NoInt1/NoInt2); SD(β_j) = s·√[(X₀ᵀX₀)⁻¹]_jj.

// `!(a > b)` is deliberate: it is also true for NaN, which must be rejected. Index loops mirror
// the matrix formulas.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use super::Dataset;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// The least-squares fit and its statistics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeastSquaresFit {
    /// Whether the model has an intercept.
    pub intercept: bool,
    /// Coefficients in NIST order: [b, w₁, …, w_d] with an intercept, [w₁, …, w_d] without.
    pub params: Vec<f64>,
    /// Standard deviations of `params`, same order.
    pub sd: Vec<f64>,
    /// Slopes w₁…w_d.
    pub w: Vec<f64>,
    /// Intercept b (0 without one).
    pub b: f64,
    /// Residual standard deviation s = √(RSS/(n − p)).
    pub resid_sd: f64,
    /// Coefficient of determination R² = 1 − RSS/TSS, with TSS about the mean ȳ when there is an
    /// intercept and about 0 without one (the uncentred R², as NIST's NoInt sets certify).
    pub r2: f64,
    /// Residual sum of squares.
    pub rss: f64,
    /// Mean squared error RSS/n (the GD loss at the optimum).
    pub mse: f64,
    /// Residual degrees of freedom n − p.
    pub dof: usize,
    /// Refinement passes used for the coefficients.
    pub refinement_steps: usize,
    /// Crude condition estimate of the scaled design, max|r_jj|/min|r_jj|.
    pub condition_estimate: f64,
}

impl LeastSquaresFit {
    /// Parameters in the solvers' layout θ = [w₁, …, w_d, b] (b only with an intercept).
    pub fn theta(&self) -> Vec<f64> {
        let mut t = self.w.clone();
        if self.intercept {
            t.push(self.b);
        }
        t
    }
}

// ---- double-double helpers (error-free transformations) ----

#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

#[inline]
fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let hi = c - (c - a);
    (hi, a - hi)
}

/// |a| ≥ |b| (or a = 0): a + b = s + e exactly.
#[inline]
pub(crate) fn fast_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// Dekker's exact product: a·b = p + e (no FMA needed, so identical on every target).
#[inline]
pub(crate) fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

/// Compensated accumulator: sums as if in twice the working precision (Ogita–Rump–Oishi 2005).
#[derive(Clone, Copy, Default)]
struct Acc {
    s: f64,
    c: f64,
}

impl Acc {
    #[inline]
    fn add(&mut self, v: f64) {
        let (s, e) = two_sum(self.s, v);
        self.s = s;
        self.c += e;
    }
    #[inline]
    fn add_prod(&mut self, a: f64, b: f64) {
        let (p, e) = two_prod(a, b);
        self.add(p);
        self.c += e;
    }
    #[inline]
    fn value(self) -> f64 {
        self.s + self.c
    }
}

/// The factored, scaled design and everything needed to solve with it.
struct Factored<'a> {
    data: &'a Dataset,
    intercept: bool,
    p: usize,
    mean: Vec<f64>,
    scale: Vec<f64>,
    q: DMatrix<f64>,
    r: DMatrix<f64>,
    /// Low parts of the design's entries (row-major like `data.x`): the true design is
    /// `data.x + lo` to twice the working precision (e.g. polynomial powers xᵏ computed in
    /// double-double). The residuals of the refinement use both parts.
    lo: Option<&'a [f64]>,
}

impl Factored<'_> {
    /// The low part of X₀[i, j] (0 for the ones column and without low parts).
    #[inline]
    fn x0_lo(&self, i: usize, j: usize) -> f64 {
        match self.lo {
            None => 0.0,
            Some(lo) => {
                if self.intercept {
                    if j == 0 {
                        0.0
                    } else {
                        lo[i * self.data.d() + j - 1]
                    }
                } else {
                    lo[i * self.data.d() + j]
                }
            }
        }
    }

    /// X₀[i, j] (original design, ones column first with an intercept).
    #[inline]
    fn x0(&self, i: usize, j: usize) -> f64 {
        if self.intercept {
            if j == 0 {
                1.0
            } else {
                self.data.x[i * self.data.d() + j - 1]
            }
        } else {
            self.data.x[i * self.data.d() + j]
        }
    }

    /// x̄ entry for column j of X₀ (0 for the ones column and without an intercept).
    #[inline]
    fn m(&self, j: usize) -> f64 {
        if self.intercept && j > 0 {
            self.mean[j - 1]
        } else {
            0.0
        }
    }

    /// Solves R·z = v in place (back substitution).
    fn back(&self, v: &mut [f64]) {
        for i in (0..self.p).rev() {
            let mut s = v[i];
            for k in i + 1..self.p {
                s -= self.r[(i, k)] * v[k];
            }
            v[i] = s / self.r[(i, i)];
        }
    }

    /// Solves Rᵀ·z = v in place (forward substitution).
    fn forward_t(&self, v: &mut [f64]) {
        for i in 0..self.p {
            let mut s = v[i];
            for k in 0..i {
                s -= self.r[(k, i)] * v[k];
            }
            v[i] = s / self.r[(i, i)];
        }
    }

    /// One correction: solves [I X₀; X₀ᵀ 0]·[δr; δβ] = [f; g] with the QR of Ã = X₀·M⁻¹.
    fn solve_augmented(&self, f: &[f64], g: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let (n, p) = (self.data.n(), self.p);
        // ũ = M⁻ᵀ g:  v₀ = g₀, v_w = g_w − x̄·g₀, ũ = D v.
        let g0 = if self.intercept { g[0] } else { 0.0 };
        let mut h: Vec<f64> = (0..p)
            .map(|j| self.scale[j] * (g[j] - self.m(j) * g0))
            .collect();
        self.forward_t(&mut h); // h = R⁻ᵀ ũ
        let mut dmh = vec![0.0; p]; // Qᵀf − h
        for (j, out) in dmh.iter_mut().enumerate() {
            let col = self.q.column(j);
            let mut s = 0.0;
            for i in 0..n {
                s += col[i] * f[i];
            }
            *out = s - h[j];
        }
        let mut dr = f.to_vec(); // δr = f − Q(Qᵀf − h)
        for (j, &c) in dmh.iter().enumerate() {
            let col = self.q.column(j);
            for i in 0..n {
                dr[i] -= col[i] * c;
            }
        }
        self.back(&mut dmh); // δγ = R⁻¹(Qᵀf − h)
        let mut db: Vec<f64> = (0..p).map(|j| self.scale[j] * dmh[j]).collect();
        if self.intercept {
            let shift: f64 = (1..p).map(|j| self.m(j) * db[j]).sum();
            db[0] -= shift;
        }
        (dr, db)
    }

    /// Refines the solution of [I X₀; X₀ᵀ 0]·[r; β] = [y; c]; returns (β, r, passes).
    fn refine(&self, y: &[f64], c: &[f64], max_passes: usize) -> (Vec<f64>, Vec<f64>, usize) {
        let (n, p) = (self.data.n(), self.p);
        let mut r = vec![0.0; n];
        let mut beta = vec![0.0; p];
        let mut f = vec![0.0; n];
        let mut g = vec![0.0; p];
        let mut gacc = vec![Acc::default(); p];
        let mut passes = 0;
        for pass in 0..max_passes {
            // f = y − r − X₀β,  g = c − X₀ᵀr, both in double-double.
            gacc.iter_mut()
                .zip(c)
                .for_each(|(a, &cj)| *a = Acc { s: cj, c: 0.0 });
            for i in 0..n {
                let mut a = Acc { s: y[i], c: 0.0 };
                a.add(-r[i]);
                for (j, &bj) in beta.iter().enumerate() {
                    let xij = self.x0(i, j);
                    a.add_prod(-xij, bj);
                    gacc[j].add_prod(-xij, r[i]);
                    if self.lo.is_some() {
                        let lij = self.x0_lo(i, j);
                        a.add_prod(-lij, bj);
                        gacc[j].add_prod(-lij, r[i]);
                    }
                }
                f[i] = a.value();
            }
            for (gj, a) in g.iter_mut().zip(&gacc) {
                *gj = a.value();
            }
            let (dr, db) = self.solve_augmented(&f, &g);
            passes = pass + 1;
            let mut change = 0.0f64;
            let mut size = 0.0f64;
            for (b, d) in beta.iter_mut().zip(&db) {
                *b += d;
                change = change.max(d.abs() / (b.abs() + f64::MIN_POSITIVE));
                size = size.max(b.abs());
            }
            for (ri, d) in r.iter_mut().zip(&dr) {
                *ri += d;
            }
            if pass > 0 && (change < 1e-16 || size == 0.0) {
                break;
            }
        }
        (beta, r, passes)
    }
}

/// Largest accepted condition estimate of the scaled design before it is called rank-deficient.
const MAX_CONDITION: f64 = 1e14;

/// Fits y ≈ Xw + b (or Xw) by least squares. Needs n > p and a full-rank design.
pub fn fit(data: &Dataset, intercept: bool) -> Result<LeastSquaresFit, String> {
    fit_with_low_parts(data, intercept, None)
}

/// [`fit`] of the design `data.x + lo` known to twice the working precision (`lo` row-major like
/// `data.x`, e.g. from [`Dataset::polynomial_low_parts`]): the factorization uses `data.x`, the
/// refinement's residuals both parts, so the answer is that of the exact design.
pub fn fit_with_low_parts(
    data: &Dataset,
    intercept: bool,
    lo: Option<&[f64]>,
) -> Result<LeastSquaresFit, String> {
    if lo.is_some_and(|l| l.len() != data.x.len()) {
        return Err("the design's low parts do not match its size".into());
    }
    let (n, d) = (data.n(), data.d());
    let p = d + usize::from(intercept);
    if p == 0 {
        return Err("the model has no parameters (no features and no intercept)".into());
    }
    if n < p {
        return Err(format!(
            "too few samples: {n} for {p} parameters, so infinitely many coefficient vectors fit \
             exactly (least squares needs n > p)"
        ));
    }
    if n == p {
        return Err(format!(
            "n = p = {n}: the model interpolates the data exactly, leaving no degrees of freedom, \
             so there is no residual error, R² or standard error to report (least squares needs \
             n > p)"
        ));
    }
    for j in 0..d {
        let first = data.x[j];
        if intercept && (0..n).all(|i| data.x[i * d + j] == first) {
            return Err(format!(
                "column {} (\"{}\") is constant (every value is {first}): it is collinear with \
                 the intercept",
                j + 1,
                data.feature_names[j]
            ));
        }
    }
    // Column means (compensated) for centring.
    let mut mean = vec![0.0; d];
    if intercept {
        let mut acc = vec![Acc::default(); d];
        for i in 0..n {
            for (a, v) in acc.iter_mut().zip(data.row(i)) {
                a.add(*v);
            }
        }
        for (m, a) in mean.iter_mut().zip(&acc) {
            *m = a.value() / n as f64;
        }
    }
    // Ã before scaling: [1, X − x̄] (column-major for nalgebra).
    let mut a = DMatrix::<f64>::zeros(n, p);
    for i in 0..n {
        let row = data.row(i);
        if intercept {
            a[(i, 0)] = 1.0;
        }
        for j in 0..d {
            a[(i, j + usize::from(intercept))] = row[j] - mean[j];
        }
    }
    let mut scale = vec![0.0; p];
    for j in 0..p {
        let norm = a.column(j).norm();
        if !(norm > 0.0) {
            let name = if intercept && j == 0 {
                "intercept".to_string()
            } else {
                let k = j - usize::from(intercept);
                format!("column {} (\"{}\")", k + 1, data.feature_names[k])
            };
            return Err(format!(
                "{name} is constant{}: the design is rank-deficient",
                if intercept {
                    " (collinear with the intercept)"
                } else {
                    " zero"
                }
            ));
        }
        scale[j] = 1.0 / norm;
        a.column_mut(j).scale_mut(1.0 / norm);
    }
    let qr = a.qr();
    let q = qr.q();
    let r = qr.r();
    let diag: Vec<f64> = (0..p).map(|j| r[(j, j)].abs()).collect();
    let dmax = diag.iter().cloned().fold(0.0, f64::max);
    let dmin = diag.iter().cloned().fold(f64::INFINITY, f64::min);
    let condition_estimate = dmax / dmin;
    if !(condition_estimate < MAX_CONDITION) {
        return Err(format!(
            "the design is rank-deficient (condition estimate {condition_estimate:.1e}): some \
             feature columns are (nearly) linear combinations of the others"
        ));
    }
    let fac = Factored {
        data,
        intercept,
        p,
        mean,
        scale,
        q,
        r,
        lo,
    };
    let zeros_p = vec![0.0; p];
    let (params, resid, refinement_steps) = fac.refine(&data.y, &zeros_p, 6);

    // Statistics.
    let mut rss_acc = Acc::default();
    for &ri in &resid {
        rss_acc.add_prod(ri, ri);
    }
    let rss = rss_acc.value();
    let dof = n - p;
    let resid_sd = (rss / dof as f64).sqrt();
    let mut tss_acc = Acc::default();
    let ybar = if intercept {
        let mut s = Acc::default();
        data.y.iter().for_each(|&v| s.add(v));
        s.value() / n as f64
    } else {
        0.0
    };
    for &yi in &data.y {
        tss_acc.add_prod(yi - ybar, yi - ybar);
    }
    let tss = tss_acc.value();
    let r2 = if tss > 0.0 { 1.0 - rss / tss } else { f64::NAN };

    // diag (X₀ᵀX₀)⁻¹: from R⁻¹ when well conditioned, refined otherwise.
    let cov_diag: Vec<f64> = if condition_estimate < 1e4 {
        // Columns of M⁻¹R⁻¹: for each unit vector e_k, R⁻¹e_k then M⁻¹.
        let mut acc = vec![0.0; p];
        for k in 0..p {
            let mut v = vec![0.0; p];
            v[k] = 1.0;
            fac.back(&mut v);
            let mut b: Vec<f64> = (0..p).map(|j| fac.scale[j] * v[j]).collect();
            if intercept {
                let shift: f64 = (1..p).map(|j| fac.m(j) * b[j]).sum();
                b[0] -= shift;
            }
            for (a, bj) in acc.iter_mut().zip(&b) {
                *a += bj * bj;
            }
        }
        acc
    } else {
        let zeros_n = vec![0.0; n];
        (0..p)
            .map(|j| {
                let mut c = vec![0.0; p];
                c[j] = -1.0;
                fac.refine(&zeros_n, &c, 6).0[j]
            })
            .collect()
    };
    let sd: Vec<f64> = cov_diag.iter().map(|c| resid_sd * c.abs().sqrt()).collect();
    let (b, w) = if intercept {
        (params[0], params[1..].to_vec())
    } else {
        (0.0, params.clone())
    };
    Ok(LeastSquaresFit {
        intercept,
        params,
        sd,
        w,
        b,
        resid_sd,
        r2,
        rss,
        mse: rss / n as f64,
        dof,
        refinement_steps,
        condition_estimate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_line_closed_form() {
        // x = 0,1,2,3; y = 1,3,2,5. By hand: x̄ = 1.5, ȳ = 2.75, Sxx = 5, Sxy = 5.5,
        // w = 1.1, b = 2.75 − 1.1·1.5 = 1.1; residuals −0.1, 0.8, −1.3, 0.6: RSS = 2.7,
        // s² = 2.7/2 = 1.35, SD(w) = √(1.35/5), SD(b) = √(1.35·(1/4 + 1.5²/5)),
        // TSS = Σ(y − 2.75)² = 8.75.
        let data = Dataset::new(
            vec![0.0, 1.0, 2.0, 3.0],
            vec![1.0, 3.0, 2.0, 5.0],
            vec!["x".into()],
            "y".into(),
        )
        .unwrap();
        let f = fit(&data, true).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-14 * (1.0 + b.abs());
        assert!(close(f.b, 1.1) && close(f.w[0], 1.1), "{f:?}");
        assert!(close(f.rss, 2.7));
        assert!(close(f.sd[1], (1.35f64 / 5.0).sqrt()));
        assert!(close(f.sd[0], (1.35f64 * (0.25 + 2.25 / 5.0)).sqrt()));
        assert!(close(f.r2, 1.0 - 2.7 / 8.75));
    }

    #[test]
    fn rank_deficient_designs_are_errors() {
        let data = Dataset::new(
            vec![1.0, 2.0, 2.0, 4.0, 3.0, 6.0, 4.0, 8.0],
            vec![1.0, 2.0, 3.0, 5.0],
            vec!["a".into(), "twice a".into()],
            "y".into(),
        )
        .unwrap();
        assert!(fit(&data, true).unwrap_err().contains("rank-deficient"));
        let c = Dataset::new(
            vec![1.0, 5.0, 2.0, 5.0, 3.0, 5.0, 4.0, 5.0],
            vec![1.0, 2.0, 3.0, 5.0],
            vec!["a".into(), "c".into()],
            "y".into(),
        )
        .unwrap();
        let e = fit(&c, true).unwrap_err();
        assert!(e.contains("column 2") && e.contains("constant"), "{e}");
        let tiny =
            Dataset::new(vec![1.0, 2.0], vec![1.0, 2.0], vec!["a".into()], "y".into()).unwrap();
        let e = fit(&tiny, true).unwrap_err();
        assert!(
            e.contains("n = p = 2") && e.contains("no degrees of freedom"),
            "{e}"
        );
        let one = Dataset::new(vec![1.0], vec![1.0], vec!["a".into()], "y".into()).unwrap();
        let e = fit(&one, true).unwrap_err();
        assert!(e.contains("too few samples: 1 for 2 parameters"), "{e}");
    }
}
