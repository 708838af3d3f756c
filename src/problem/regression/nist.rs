//! The NIST StRD linear-regression datasets: parser, model and log relative error.
//!
//! File format: <https://www.itl.nist.gov/div898/strd/lls/lls.shtml> — a header naming the model
//! ("y = B0 + B1*x + …"), the certified values ("B0 estimate sd" lines, "Residual Standard
//! Deviation", "R-Squared"), and after the last line starting with `Data:` the columns y, x₁, ….
//!
//! The model is read from the file: the number of predictors p and parameters k; with one predictor
//! and k > 1 (+ intercept) it is a polynomial of degree k − [B0 present]; with several predictors it
//! is multilinear. The intercept is present iff the model names B0.

use super::exact::{self, LeastSquaresFit};
use super::Dataset;
use serde::{Deserialize, Serialize};

/// One parsed StRD linear dataset with its certified values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NistLinear {
    /// Dataset name, e.g. `"Longley"`.
    pub name: String,
    /// The raw predictors (y and x₁… as in the file).
    pub raw: Dataset,
    /// Whether the model has B0.
    pub intercept: bool,
    /// Polynomial degree for 1-predictor files (1 = straight line); `None` for multilinear.
    pub degree: Option<usize>,
    /// Certified B estimates, NIST order.
    pub params: Vec<f64>,
    /// Certified standard deviations of the estimates.
    pub sd: Vec<f64>,
    /// Certified residual standard deviation.
    pub resid_sd: f64,
    /// Certified R².
    pub r2: f64,
}

fn num(tok: &str, line: usize) -> Result<f64, String> {
    tok.parse::<f64>()
        .map_err(|_| format!("line {line}: '{tok}' is not a number"))
}

/// Parses an StRD linear `.dat` file.
pub fn parse(text: &str) -> Result<NistLinear, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut name = None;
    let mut n_pred = None;
    let mut intercept = false;
    let mut params = Vec::new();
    let mut sd = Vec::new();
    let mut resid_sd = None;
    let mut r2 = None;
    let mut data_start = None;
    let mut after_residual = false;
    for (k, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        let lno = k + 1;
        if let Some(rest) = line.strip_prefix("Dataset Name:") {
            name = rest.split_whitespace().next().map(str::to_string);
        } else if line.contains("Predictor Variable") {
            n_pred = line
                .split_whitespace()
                .next()
                .and_then(|t| t.parse::<usize>().ok());
        } else if line.starts_with("y =") || line.starts_with("y=") {
            intercept = line.contains("B0");
        } else if line.starts_with('B')
            && line[1..].starts_with(|c: char| c.is_ascii_digit())
            && resid_sd.is_none()
        {
            let t: Vec<&str> = line.split_whitespace().collect();
            if t.len() >= 3 {
                params.push(num(t[1], lno)?);
                sd.push(num(t[2], lno)?);
            }
        } else if line.starts_with("Residual") && resid_sd.is_none() && !params.is_empty() {
            after_residual = true;
        } else if after_residual && line.starts_with("Standard Deviation") {
            let t = line.split_whitespace().last().unwrap_or("");
            resid_sd = Some(num(t, lno)?);
            after_residual = false;
        } else if line.starts_with("R-Squared") {
            let t = line.split_whitespace().last().unwrap_or("");
            r2 = Some(num(t, lno)?);
        } else if line.starts_with("Data:") {
            data_start = Some(k + 1);
        }
    }
    let name = name.ok_or("no 'Dataset Name:' line")?;
    let n_pred = n_pred.ok_or("no 'Predictor Variable' line")?;
    let resid_sd = resid_sd.ok_or("no certified residual standard deviation")?;
    let r2 = r2.ok_or("no certified R-Squared")?;
    if params.is_empty() {
        return Err("no certified parameters (B0 …)".into());
    }
    let start = data_start.ok_or("no 'Data:' section")?;
    let mut x = Vec::new();
    let mut y = Vec::new();
    for (k, raw) in lines.iter().enumerate().skip(start) {
        let t: Vec<&str> = raw.split_whitespace().collect();
        if t.is_empty() {
            continue;
        }
        if t.len() != n_pred + 1 {
            return Err(format!(
                "line {}: {} values, expected y and {n_pred} predictors",
                k + 1,
                t.len()
            ));
        }
        y.push(num(t[0], k + 1)?);
        for tok in &t[1..] {
            x.push(num(tok, k + 1)?);
        }
    }
    let names = if n_pred == 1 {
        vec!["x".to_string()]
    } else {
        (1..=n_pred).map(|j| format!("x{j}")).collect()
    };
    let raw = Dataset::new(x, y, names, "y".into())?;
    let degree = if n_pred == 1 {
        Some(params.len() - usize::from(intercept))
    } else {
        if params.len() != n_pred + usize::from(intercept) {
            return Err(format!(
                "{} parameters do not fit a multilinear model in {n_pred} predictors",
                params.len()
            ));
        }
        None
    };
    Ok(NistLinear {
        name,
        raw,
        intercept,
        degree,
        params,
        sd,
        resid_sd,
        r2,
    })
}

impl NistLinear {
    /// The design's features: x, x², … for polynomial files, the raw predictors otherwise.
    pub fn design(&self) -> Result<Dataset, String> {
        match self.degree {
            Some(1) | None => Ok(self.raw.clone()),
            Some(d) => self.raw.polynomial(d),
        }
    }

    /// The exact least-squares fit of the file's model.
    pub fn fit(&self) -> Result<LeastSquaresFit, String> {
        match self.degree {
            // Polynomial files: the powers xᵏ to twice the working precision in the refinement.
            Some(d) if d > 1 => {
                let lo = self.raw.polynomial_low_parts(d)?;
                exact::fit_with_low_parts(&self.design()?, self.intercept, Some(&lo))
            }
            _ => exact::fit(&self.design()?, self.intercept),
        }
    }
}

/// Log relative error −log₁₀(|x − c|/|c|) (−log₁₀|x| when c = 0), capped at 15 digits
/// (the precision of the certified values). McCullough, *Assessing the reliability of statistical
/// software*, Am. Stat. 52 (1998).
pub fn lre(x: f64, certified: f64) -> f64 {
    let err = if certified == 0.0 {
        x.abs()
    } else {
        (x - certified).abs() / certified.abs()
    };
    if err == 0.0 {
        15.0
    } else {
        (-err.log10()).clamp(0.0, 15.0)
    }
}

/// The LREs of a fit against the certified values: (min over params, min over SDs, resid SD, R²).
pub fn lre_summary(set: &NistLinear, fit: &LeastSquaresFit) -> (f64, f64, f64, f64) {
    let min = |a: &[f64], c: &[f64]| {
        a.iter()
            .zip(c)
            .map(|(x, c)| lre(*x, *c))
            .fold(15.0, f64::min)
    };
    (
        min(&fit.params, &set.params),
        min(&fit.sd, &set.sd),
        lre(fit.resid_sd, set.resid_sd),
        lre(fit.r2, set.r2),
    )
}
