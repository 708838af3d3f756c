//! NIST StRD nonlinear regression problems: a parser for the `.dat` files and the 27 models with
//! analytic derivatives.
//!
//! Reference: NIST Statistical Reference Datasets, Nonlinear Regression
//! (<https://www.itl.nist.gov/div898/strd/nls/nls_main.shtml>). Each file states the model, two
//! starting points, the certified parameter values with standard deviations, the certified residual
//! sum of squares, and the data. The parser works on a `&str` (no file system), so the browser build
//! can embed the files.

use crate::diff::ad::Real;
use crate::math::Det;
use crate::problem::least_squares::{CurveFit, CurveModel, Data};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// One parsed NIST StRD nonlinear regression dataset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NistDataset {
    /// Dataset name, e.g. `"Misra1a"`.
    pub name: String,
    /// The model as written in the file, e.g. `"y = b1*(1-exp[-b2*x])  +  e"`.
    pub model_text: String,
    /// Difficulty stated in the file (`"Lower"`, `"Average"`, `"Higher"`).
    pub difficulty: String,
    /// Start 1.
    pub start1: Vec<f64>,
    /// Start 2.
    pub start2: Vec<f64>,
    /// Certified parameter values.
    pub certified: Vec<f64>,
    /// Certified standard deviations of the parameters.
    pub certified_sd: Vec<f64>,
    /// Certified residual sum of squares.
    pub certified_ssr: f64,
    /// Certified residual standard deviation.
    pub certified_residual_sd: f64,
    /// Degrees of freedom m − n, computed from the data.
    pub dof: usize,
    /// Observations. For Nelson the response is ln y (the model is stated for log(y)).
    pub data: Data,
}

impl NistDataset {
    /// Number of parameters.
    pub fn num_params(&self) -> usize {
        self.certified.len()
    }

    /// Start 1 or 2.
    pub fn start(&self, which: u8) -> Result<&[f64], String> {
        match which {
            1 => Ok(&self.start1),
            2 => Ok(&self.start2),
            _ => Err(format!("NIST problems have starts 1 and 2 (got {which})")),
        }
    }

    /// The curve fit of this dataset's model to its data.
    pub fn curve_fit(&self) -> Result<CurveFit<NistModel>, String> {
        let model = NistModel::by_name(&self.name)?;
        if model.num_params() != self.num_params() {
            return Err(format!(
                "{}: the file lists {} parameters, the model has {}",
                self.name,
                self.num_params(),
                model.num_params()
            ));
        }
        CurveFit::new(model, self.data.clone())
    }
}

fn parse_f64(tok: &str, what: &str, line_no: usize) -> Result<f64, String> {
    tok.parse::<f64>()
        .map_err(|_| format!("line {line_no}: cannot read {what} from '{tok}'"))
}

/// Parses a NIST StRD nonlinear `.dat` file.
///
/// Reads the dataset name, the model lines (from `Model:` to the starting-values header), the
/// parameter lines `bK = start1 start2 certified sd`, the certified residual sum of squares,
/// residual standard deviation and degrees of freedom, and the data after the `Data:  y  x` header.
pub fn parse(text: &str) -> Result<NistDataset, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut name = None;
    let mut model_text = String::new();
    let mut difficulty = String::new();
    let (mut start1, mut start2, mut cert, mut sd) = (vec![], vec![], vec![], vec![]);
    let (mut ssr, mut rsd, mut n_obs) = (None, None, None);
    let mut data_start = None;
    let mut in_model = false;
    for (i, raw) in lines.iter().enumerate() {
        let line_no = i + 1;
        let t = raw.trim();
        if let Some(rest) = t.strip_prefix("Dataset Name:") {
            name = rest.split_whitespace().next().map(str::to_string);
        } else if t.starts_with("Model:") {
            in_model = true;
        } else if in_model {
            if t.to_ascii_lowercase().starts_with("starting values") {
                in_model = false;
            } else if t.contains('=') || t.starts_with('+') || t.starts_with('(') {
                if !model_text.is_empty() {
                    model_text.push(' ');
                }
                model_text.push_str(&t.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        } else if t.contains("Level of Difficulty") {
            difficulty = t.split_whitespace().next().unwrap_or("").to_string();
        } else if t.starts_with('b') && t.contains('=') && data_start.is_none() {
            let (lhs, rhs) = t.split_once('=').unwrap_or(("", ""));
            let k: usize = lhs
                .trim()
                .trim_start_matches('b')
                .parse()
                .map_err(|_| format!("line {line_no}: bad parameter name '{}'", lhs.trim()))?;
            if k != cert.len() + 1 {
                return Err(format!("line {line_no}: expected b{}", cert.len() + 1));
            }
            let toks: Vec<&str> = rhs.split_whitespace().collect();
            if toks.len() != 4 {
                return Err(format!(
                    "line {line_no}: expected start 1, start 2, certified value and standard deviation for b{k}"
                ));
            }
            start1.push(parse_f64(toks[0], "start 1", line_no)?);
            start2.push(parse_f64(toks[1], "start 2", line_no)?);
            cert.push(parse_f64(toks[2], "certified value", line_no)?);
            sd.push(parse_f64(toks[3], "standard deviation", line_no)?);
        } else if let Some(rest) = t.strip_prefix("Residual Sum of Squares:") {
            ssr = Some(parse_f64(rest.trim(), "residual sum of squares", line_no)?);
        } else if let Some(rest) = t.strip_prefix("Residual Standard Deviation:") {
            rsd = Some(parse_f64(
                rest.trim(),
                "residual standard deviation",
                line_no,
            )?);
        } else if let Some(rest) = t.strip_prefix("Number of Observations:") {
            n_obs = Some(
                rest.trim()
                    .parse::<usize>()
                    .map_err(|_| format!("line {line_no}: bad number of observations"))?,
            );
        } else if let Some(rest) = t.strip_prefix("Data:") {
            if rest.trim_start().starts_with('y') {
                data_start = Some((i + 1, rest.split_whitespace().count() - 1));
                break;
            }
        }
    }
    let name = name.ok_or("no 'Dataset Name:' line: not a NIST StRD file?")?;
    let (first, predictors) = data_start.ok_or("no 'Data:  y  x' header line")?;
    if cert.is_empty() {
        return Err("no parameter lines 'b1 = …'".into());
    }
    if predictors == 0 {
        return Err("the data header names no predictor".into());
    }
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for (i, raw) in lines.iter().enumerate().skip(first) {
        let toks: Vec<&str> = raw.split_whitespace().collect();
        if toks.is_empty() {
            continue;
        }
        if toks.len() != predictors + 1 {
            return Err(format!(
                "line {}: expected {} numbers, found {}",
                i + 1,
                predictors + 1,
                toks.len()
            ));
        }
        ys.push(parse_f64(toks[0], "y", i + 1)?);
        for tok in &toks[1..] {
            xs.push(parse_f64(tok, "x", i + 1)?);
        }
    }
    if name == "Nelson" {
        // The certified model is for log[y]: fit ln y.
        for y in &mut ys {
            *y = y.dln();
        }
    }
    let data = Data::with_predictors(predictors, xs, ys)?;
    let n_obs = n_obs.ok_or("no 'Number of Observations:' line")?;
    if data.len() != n_obs {
        return Err(format!(
            "the header states {n_obs} observations but {} data lines follow",
            data.len()
        ));
    }
    if data.len() <= cert.len() {
        return Err(format!(
            "{} observations for {} parameters",
            data.len(),
            cert.len()
        ));
    }
    // m − n (Rat43.dat states 9, a known misprint for 15 − 4 = 11).
    let dof = data.len() - cert.len();
    Ok(NistDataset {
        name,
        model_text,
        difficulty,
        start1,
        start2,
        certified: cert,
        certified_sd: sd,
        certified_ssr: ssr.ok_or("no 'Residual Sum of Squares:' line")?,
        certified_residual_sd: rsd.ok_or("no 'Residual Standard Deviation:' line")?,
        dof,
        data,
    })
}

/// The 27 NIST StRD nonlinear problems, in alphabetical order.
pub const NAMES: [&str; 27] = [
    "Bennett5", "BoxBOD", "Chwirut1", "Chwirut2", "DanWood", "ENSO", "Eckerle4", "Gauss1",
    "Gauss2", "Gauss3", "Hahn1", "Kirby2", "Lanczos1", "Lanczos2", "Lanczos3", "MGH09", "MGH10",
    "MGH17", "Misra1a", "Misra1b", "Misra1c", "Misra1d", "Nelson", "Rat42", "Rat43", "Roszman1",
    "Thurber",
];

/// The model of a NIST problem, with its analytic parameter gradient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NistModel {
    /// Misra1a, BoxBOD: b1·(1 − exp(−b2·x)).
    ExpRise,
    /// Misra1b: b1·(1 − (1 + b2·x/2)^(−2)).
    Misra1b,
    /// Misra1c: b1·(1 − (1 + 2·b2·x)^(−1/2)).
    Misra1c,
    /// Misra1d: b1·b2·x/(1 + b2·x).
    Misra1d,
    /// Chwirut1/2: exp(−b1·x)/(b2 + b3·x).
    Chwirut,
    /// DanWood: b1·x^b2.
    DanWood,
    /// Gauss1/2/3: b1·exp(−b2·x) + b3·exp(−(x−b4)²/b5²) + b6·exp(−(x−b7)²/b8²).
    Gauss,
    /// Lanczos1/2/3: b1·exp(−b2·x) + b3·exp(−b4·x) + b5·exp(−b6·x).
    Lanczos,
    /// Kirby2: (b1 + b2·x + b3·x²)/(1 + b4·x + b5·x²).
    Kirby2,
    /// Hahn1, Thurber: (b1 + b2·x + b3·x² + b4·x³)/(1 + b5·x + b6·x² + b7·x³).
    CubicRational,
    /// MGH09: b1·(x² + x·b2)/(x² + x·b3 + b4).
    Mgh09,
    /// MGH10: b1·exp(b2/(x + b3)).
    Mgh10,
    /// MGH17: b1 + b2·exp(−x·b4) + b3·exp(−x·b5).
    Mgh17,
    /// Eckerle4: (b1/b2)·exp(−½((x − b3)/b2)²).
    Eckerle4,
    /// Rat42: b1/(1 + exp(b2 − b3·x)).
    Rat42,
    /// Rat43: b1/(1 + exp(b2 − b3·x))^(1/b4).
    Rat43,
    /// Bennett5: b1·(b2 + x)^(−1/b3).
    Bennett5,
    /// ENSO: b1 + b2·cos(2πx/12) + b3·sin(2πx/12) + b5·cos(2πx/b4) + b6·sin(2πx/b4) +
    /// b8·cos(2πx/b7) + b9·sin(2πx/b7).
    Enso,
    /// Roszman1: b1 − b2·x − arctan(b3/(x − b4))/π.
    Roszman1,
    /// Nelson: ln y = b1 − b2·x1·exp(−b3·x2).
    Nelson,
}

impl NistModel {
    /// The model of the NIST problem `name`.
    pub fn by_name(name: &str) -> Result<NistModel, String> {
        Ok(match name {
            "Misra1a" | "BoxBOD" => NistModel::ExpRise,
            "Misra1b" => NistModel::Misra1b,
            "Misra1c" => NistModel::Misra1c,
            "Misra1d" => NistModel::Misra1d,
            "Chwirut1" | "Chwirut2" => NistModel::Chwirut,
            "DanWood" => NistModel::DanWood,
            "Gauss1" | "Gauss2" | "Gauss3" => NistModel::Gauss,
            "Lanczos1" | "Lanczos2" | "Lanczos3" => NistModel::Lanczos,
            "Kirby2" => NistModel::Kirby2,
            "Hahn1" | "Thurber" => NistModel::CubicRational,
            "MGH09" => NistModel::Mgh09,
            "MGH10" => NistModel::Mgh10,
            "MGH17" => NistModel::Mgh17,
            "Eckerle4" => NistModel::Eckerle4,
            "Rat42" => NistModel::Rat42,
            "Rat43" => NistModel::Rat43,
            "Bennett5" => NistModel::Bennett5,
            "ENSO" => NistModel::Enso,
            "Roszman1" => NistModel::Roszman1,
            "Nelson" => NistModel::Nelson,
            _ => return Err(format!("unknown NIST problem '{name}'")),
        })
    }

    fn eval(&self, xr: &[f64], b: &[f64], g: &mut [f64]) -> f64 {
        let x = xr[0];
        match self {
            NistModel::ExpRise => {
                let e = (-b[1] * x).dexp();
                g[0] = 1.0 - e;
                g[1] = b[0] * x * e;
                b[0] * (1.0 - e)
            }
            NistModel::Misra1b => {
                let u = 1.0 + b[1] * x / 2.0;
                g[0] = 1.0 - u.powi(-2);
                g[1] = b[0] * x * u.powi(-3);
                b[0] * g[0]
            }
            NistModel::Misra1c => {
                let u = 1.0 + 2.0 * b[1] * x;
                let s = u.sqrt();
                g[0] = 1.0 - 1.0 / s;
                g[1] = b[0] * x / (u * s);
                b[0] * g[0]
            }
            NistModel::Misra1d => {
                let d = 1.0 + b[1] * x;
                g[0] = b[1] * x / d;
                g[1] = b[0] * x / (d * d);
                b[0] * g[0]
            }
            NistModel::Chwirut => {
                let e = (-b[0] * x).dexp();
                let d = b[1] + b[2] * x;
                let f = e / d;
                g[0] = -x * f;
                g[1] = -f / d;
                g[2] = -x * f / d;
                f
            }
            NistModel::DanWood => {
                let xb = x.dpowf(b[1]);
                g[0] = xb;
                g[1] = b[0] * xb * x.dln();
                b[0] * xb
            }
            NistModel::Gauss => {
                let e = (-b[1] * x).dexp();
                let d1 = x - b[3];
                let e1 = (-d1 * d1 / (b[4] * b[4])).dexp();
                let d2 = x - b[6];
                let e2 = (-d2 * d2 / (b[7] * b[7])).dexp();
                g[0] = e;
                g[1] = -b[0] * x * e;
                g[2] = e1;
                g[3] = b[2] * e1 * 2.0 * d1 / (b[4] * b[4]);
                g[4] = b[2] * e1 * 2.0 * d1 * d1 / (b[4] * b[4] * b[4]);
                g[5] = e2;
                g[6] = b[5] * e2 * 2.0 * d2 / (b[7] * b[7]);
                g[7] = b[5] * e2 * 2.0 * d2 * d2 / (b[7] * b[7] * b[7]);
                b[0] * e + b[2] * e1 + b[5] * e2
            }
            NistModel::Lanczos => {
                let mut f = 0.0;
                for k in 0..3 {
                    let e = (-b[2 * k + 1] * x).dexp();
                    g[2 * k] = e;
                    g[2 * k + 1] = -b[2 * k] * x * e;
                    f += b[2 * k] * e;
                }
                f
            }
            NistModel::Kirby2 => {
                let n = b[0] + b[1] * x + b[2] * x * x;
                let d = 1.0 + b[3] * x + b[4] * x * x;
                g[0] = 1.0 / d;
                g[1] = x / d;
                g[2] = x * x / d;
                g[3] = -n * x / (d * d);
                g[4] = -n * x * x / (d * d);
                n / d
            }
            NistModel::CubicRational => {
                let (x2, x3) = (x * x, x * x * x);
                let n = b[0] + b[1] * x + b[2] * x2 + b[3] * x3;
                let d = 1.0 + b[4] * x + b[5] * x2 + b[6] * x3;
                g[0] = 1.0 / d;
                g[1] = x / d;
                g[2] = x2 / d;
                g[3] = x3 / d;
                let q = -n / (d * d);
                g[4] = q * x;
                g[5] = q * x2;
                g[6] = q * x3;
                n / d
            }
            NistModel::Mgh09 => {
                let n = x * x + x * b[1];
                let d = x * x + x * b[2] + b[3];
                g[0] = n / d;
                g[1] = b[0] * x / d;
                g[2] = -b[0] * n * x / (d * d);
                g[3] = -b[0] * n / (d * d);
                b[0] * n / d
            }
            NistModel::Mgh10 => {
                let u = x + b[2];
                let e = (b[1] / u).dexp();
                g[0] = e;
                g[1] = b[0] * e / u;
                g[2] = -b[0] * e * b[1] / (u * u);
                b[0] * e
            }
            NistModel::Mgh17 => {
                let e4 = (-x * b[3]).dexp();
                let e5 = (-x * b[4]).dexp();
                g[0] = 1.0;
                g[1] = e4;
                g[2] = e5;
                g[3] = -b[1] * x * e4;
                g[4] = -b[2] * x * e5;
                b[0] + b[1] * e4 + b[2] * e5
            }
            NistModel::Eckerle4 => {
                let z = (x - b[2]) / b[1];
                let e = (-0.5 * z * z).dexp();
                let f = b[0] / b[1] * e;
                g[0] = e / b[1];
                g[1] = -f / b[1] + f * z * z / b[1];
                g[2] = f * z / b[1];
                f
            }
            NistModel::Rat42 => {
                let e = (b[1] - b[2] * x).dexp();
                let u = 1.0 + e;
                g[0] = 1.0 / u;
                g[1] = -b[0] * e / (u * u);
                g[2] = b[0] * x * e / (u * u);
                b[0] / u
            }
            NistModel::Rat43 => {
                let e = (b[1] - b[2] * x).dexp();
                let u = 1.0 + e;
                let w = u.dpowf(-1.0 / b[3]);
                let f = b[0] * w;
                g[0] = w;
                g[1] = -f / b[3] * e / u;
                g[2] = f / b[3] * e * x / u;
                g[3] = f * u.dln() / (b[3] * b[3]);
                f
            }
            NistModel::Bennett5 => {
                let u = b[1] + x;
                let w = u.dpowf(-1.0 / b[2]);
                let f = b[0] * w;
                g[0] = w;
                g[1] = -f / (b[2] * u);
                g[2] = f * u.dln() / (b[2] * b[2]);
                f
            }
            NistModel::Enso => {
                let t = 2.0 * PI * x;
                let (s12, c12) = {
                    let a = t / 12.0;
                    (a.dsin(), a.dcos())
                };
                let (s4, c4) = {
                    let a = t / b[3];
                    (a.dsin(), a.dcos())
                };
                let (s7, c7) = {
                    let a = t / b[6];
                    (a.dsin(), a.dcos())
                };
                g[0] = 1.0;
                g[1] = c12;
                g[2] = s12;
                g[4] = c4;
                g[5] = s4;
                g[3] = (-b[4] * s4 + b[5] * c4) * (-t / (b[3] * b[3]));
                g[7] = c7;
                g[8] = s7;
                g[6] = (-b[7] * s7 + b[8] * c7) * (-t / (b[6] * b[6]));
                b[0] + b[1] * c12 + b[2] * s12 + b[4] * c4 + b[5] * s4 + b[7] * c7 + b[8] * s7
            }
            NistModel::Roszman1 => {
                let u = x - b[3];
                let w = b[2] / u;
                let q = 1.0 / (PI * (1.0 + w * w));
                g[0] = 1.0;
                g[1] = -x;
                g[2] = -q / u;
                g[3] = -q * b[2] / (u * u);
                b[0] - b[1] * x - w.datan() / PI
            }
            NistModel::Nelson => {
                let (x1, x2) = (xr[0], xr[1]);
                let e = (-b[2] * x2).dexp();
                g[0] = 1.0;
                g[1] = -x1 * e;
                g[2] = b[1] * x1 * x2 * e;
                b[0] - b[1] * x1 * e
            }
        }
    }
}

impl CurveModel for NistModel {
    fn num_params(&self) -> usize {
        match self {
            NistModel::ExpRise
            | NistModel::Misra1b
            | NistModel::Misra1c
            | NistModel::Misra1d
            | NistModel::DanWood => 2,
            NistModel::Chwirut
            | NistModel::Mgh10
            | NistModel::Eckerle4
            | NistModel::Rat42
            | NistModel::Bennett5
            | NistModel::Nelson => 3,
            NistModel::Mgh09 | NistModel::Rat43 | NistModel::Roszman1 => 4,
            NistModel::Kirby2 | NistModel::Mgh17 => 5,
            NistModel::Lanczos => 6,
            NistModel::CubicRational => 7,
            NistModel::Gauss => 8,
            NistModel::Enso => 9,
        }
    }

    fn value(&self, x: &[f64], p: &[f64]) -> f64 {
        let mut g = [0.0; 9];
        self.eval(x, p, &mut g)
    }

    fn gradient(&self, x: &[f64], p: &[f64], g: &mut [f64]) -> bool {
        self.eval(x, p, g);
        true
    }

    fn gradient_ad(&self, x: &[f64], p: &[f64], g: &mut [f64]) -> bool {
        crate::diff::ad::gradient_with(p, g, |pd| self.value_t(x, pd));
        true
    }
}

impl NistModel {
    /// The model written once over the number type (its AD gradient is
    /// [`CurveModel::gradient_ad`]; the hand-written one is [`CurveModel::gradient`]).
    pub fn value_t<T: Real>(&self, xr: &[f64], b: &[T]) -> T {
        let x = xr[0];
        let one = T::from(1.0);
        match self {
            NistModel::ExpRise => b[0] * (one - (b[1] * (-x)).rexp()),
            NistModel::Misra1b => {
                let u = b[1] * (x / 2.0) + 1.0;
                b[0] * (one - one / (u * u))
            }
            NistModel::Misra1c => b[0] * (one - one / (b[1] * (2.0 * x) + 1.0).sqrt()),
            NistModel::Misra1d => b[0] * b[1] * x / (b[1] * x + 1.0),
            NistModel::Chwirut => (b[0] * (-x)).rexp() / (b[1] + b[2] * x),
            NistModel::DanWood => b[0] * b[1].rpow_base(x),
            NistModel::Gauss => {
                let d1 = T::from(x) - b[3];
                let d2 = T::from(x) - b[6];
                b[0] * (b[1] * (-x)).rexp()
                    + b[2] * (-(d1 * d1) / (b[4] * b[4])).rexp()
                    + b[5] * (-(d2 * d2) / (b[7] * b[7])).rexp()
            }
            NistModel::Lanczos => {
                b[0] * (b[1] * (-x)).rexp()
                    + b[2] * (b[3] * (-x)).rexp()
                    + b[4] * (b[5] * (-x)).rexp()
            }
            NistModel::Kirby2 => {
                (b[0] + b[1] * x + b[2] * (x * x)) / (b[3] * x + b[4] * (x * x) + 1.0)
            }
            NistModel::CubicRational => {
                let (x2, x3) = (x * x, x * x * x);
                (b[0] + b[1] * x + b[2] * x2 + b[3] * x3) / (b[4] * x + b[5] * x2 + b[6] * x3 + 1.0)
            }
            NistModel::Mgh09 => b[0] * (b[1] * x + x * x) / (b[2] * x + b[3] + x * x),
            NistModel::Mgh10 => b[0] * (b[1] / (b[2] + x)).rexp(),
            NistModel::Mgh17 => b[0] + b[1] * (b[3] * (-x)).rexp() + b[2] * (b[4] * (-x)).rexp(),
            NistModel::Eckerle4 => {
                let z = (T::from(x) - b[2]) / b[1];
                b[0] / b[1] * (z * z * (-0.5)).rexp()
            }
            NistModel::Rat42 => b[0] / ((b[1] - b[2] * x).rexp() + 1.0),
            NistModel::Rat43 => {
                let u = (b[1] - b[2] * x).rexp() + 1.0;
                b[0] * (-(u.rln() / b[3])).rexp()
            }
            NistModel::Bennett5 => b[0] * (-((b[1] + x).rln() / b[2])).rexp(),
            NistModel::Enso => {
                let t = 2.0 * PI * x;
                let a12 = t / 12.0;
                let (s12, c12) = (a12.dsin(), a12.dcos());
                let a4 = T::from(t) / b[3];
                let a7 = T::from(t) / b[6];
                b[0] + b[1] * c12
                    + b[2] * s12
                    + b[4] * a4.rcos()
                    + b[5] * a4.rsin()
                    + b[7] * a7.rcos()
                    + b[8] * a7.rsin()
            }
            NistModel::Roszman1 => b[0] - b[1] * x - (b[2] / (T::from(x) - b[3])).ratan() / PI,
            NistModel::Nelson => {
                let (x1, x2) = (xr[0], xr[1]);
                b[0] - b[1] * x1 * (b[2] * (-x2)).rexp()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = "NIST/ITL StRD
Dataset Name:  BoxBOD            (BoxBOD.dat)
Data:          1 Response  (y = biochemical oxygen demand)
               Higher Level of Difficulty
Model:         Exponential Class
               2 Parameters (b1 and b2)

               y = b1*(1-exp[-b2*x])  +  e

          Starting values                  Certified Values

        Start 1     Start 2           Parameter     Standard Deviation
  b1 =   1           100           2.1380940889E+02  1.2354515176E+01
  b2 =   1             0.75        5.4723748542E-01  1.0455993237E-01

Residual Sum of Squares:                    1.1680088766E+03
Residual Standard Deviation:                1.7088072423E+01
Degrees of Freedom:                                4
Number of Observations:                            6

Data:   y             x
      109             1
      149             2
      149             3
      191             5
      213             7
      224            10
";

    #[test]
    fn parses_an_excerpt_of_boxbod() {
        // Values copied from BoxBOD.dat.
        let d = parse(MINI).unwrap();
        assert_eq!(d.name, "BoxBOD");
        assert_eq!(d.model_text, "y = b1*(1-exp[-b2*x]) + e");
        assert_eq!(d.difficulty, "Higher");
        assert_eq!(d.start1, vec![1.0, 1.0]);
        assert_eq!(d.start2, vec![100.0, 0.75]);
        assert_eq!(d.certified, vec![2.1380940889E+02, 5.4723748542E-01]);
        assert_eq!(d.certified_sd[1], 1.0455993237E-01);
        assert_eq!(d.certified_ssr, 1.1680088766E+03);
        assert_eq!(d.dof, 4);
        assert_eq!(d.data.y, vec![109.0, 149.0, 149.0, 191.0, 213.0, 224.0]);
        assert_eq!(d.data.x[5], 10.0);
    }

    #[test]
    fn malformed_files_give_messages() {
        assert!(parse("hello").unwrap_err().contains("Dataset Name"));
        let bad = MINI.replace("  b2 =   1             0.75", "  b2 =   1  oops");
        assert!(parse(&bad).is_err());
        let bad = MINI.replace("      213             7\n", "      213  7  8\n");
        assert!(parse(&bad).unwrap_err().contains("expected 2 numbers"));
        let bad = MINI.replace("      213             7\n", "");
        assert!(parse(&bad).unwrap_err().contains("6 observations but 5"));
        assert!(NistModel::by_name("Nope").is_err());
    }
}
