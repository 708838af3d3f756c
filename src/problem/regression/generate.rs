//! Generated data: y = w·x + b + ε with ε ~ N(0, σ²), from a seed.

// `!(a > b)` is deliberate: it is also true for NaN, which must be rejected. Index loops mirror
// the matrix formulas.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use super::rng::Rng;
use super::Dataset;
use serde::{Deserialize, Serialize};

/// Parameters of a generated 1-feature dataset; x is uniform on [x_min, x_max].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinearSpec {
    /// Number of samples n (2 ≤ n ≤ 10⁷).
    pub n: usize,
    /// True slope w.
    pub slope: f64,
    /// True intercept b.
    pub intercept: f64,
    /// Noise standard deviation σ ≥ 0.
    pub noise: f64,
    /// Lower end of the x range.
    pub x_min: f64,
    /// Upper end of the x range.
    pub x_max: f64,
    /// RNG seed.
    pub seed: u64,
}

impl Default for LinearSpec {
    fn default() -> Self {
        LinearSpec {
            n: 100,
            slope: 2.0,
            intercept: 1.0,
            noise: 1.0,
            x_min: 0.0,
            x_max: 10.0,
            seed: 1,
        }
    }
}

/// Largest generated n accepted.
pub const MAX_GENERATED: usize = 10_000_000;

/// yᵢ = slope·xᵢ + intercept + σ·zᵢ, xᵢ ~ U[x_min, x_max], zᵢ ~ N(0, 1), all from `seed`.
pub fn linear(spec: &LinearSpec) -> Result<Dataset, String> {
    if spec.n < 2 || spec.n > MAX_GENERATED {
        return Err(format!(
            "number of samples must be between 2 and {MAX_GENERATED} (got {})",
            spec.n
        ));
    }
    if ![spec.slope, spec.intercept, spec.x_min, spec.x_max]
        .iter()
        .all(|v| v.is_finite())
        || !(spec.x_min < spec.x_max)
    {
        return Err("slope, intercept and the x range must be finite, with x_min < x_max".into());
    }
    if !(spec.noise.is_finite() && spec.noise >= 0.0) {
        return Err(format!("noise must be a number ≥ 0 (got {})", spec.noise));
    }
    let mut rng = Rng::new(spec.seed);
    let mut x = Vec::with_capacity(spec.n);
    let mut y = Vec::with_capacity(spec.n);
    for _ in 0..spec.n {
        let xi = spec.x_min + (spec.x_max - spec.x_min) * rng.uniform();
        x.push(xi);
        y.push(spec.slope * xi + spec.intercept + spec.noise * rng.normal());
    }
    Dataset::new(x, y, vec!["x".into()], "y".into())
}

/// n samples of d features, xᵢⱼ ~ N(0, 1), y = x·w + b + σz with wⱼ = j+1 (1-based j... d), b = 1.
///
/// The multi-feature data of the performance benchmark.
pub fn multilinear(n: usize, d: usize, noise: f64, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed);
    let w: Vec<f64> = (1..=d).map(|j| j as f64).collect();
    let mut x = Vec::with_capacity(n * d);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let mut yi = 1.0;
        for wj in &w {
            let v = rng.normal();
            x.push(v);
            yi += wj * v;
        }
        y.push(yi + noise * rng.normal());
    }
    Dataset {
        x,
        y,
        feature_names: (1..=d).map(|j| format!("x{j}")).collect(),
        target_name: "y".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_noise_free_is_exact() {
        let spec = LinearSpec {
            noise: 0.0,
            ..Default::default()
        };
        let a = linear(&spec).unwrap();
        assert_eq!(a, linear(&spec).unwrap());
        for (x, y) in a.x.iter().zip(&a.y) {
            assert_eq!(*y, 2.0 * x + 1.0);
            assert!((0.0..10.0).contains(x));
        }
        assert!(linear(&LinearSpec {
            n: 1,
            ..Default::default()
        })
        .is_err());
    }
}
