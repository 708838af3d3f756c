//! User-typed formulas: a small, safe expression language compiled to a stack machine, with exact
//! derivatives.
//!
//! Two modes ([`Mode`]):
//! - **surface** — f(x, y) using only `x` and `y`: [`SurfaceFormula`] implements [`Objective`];
//! - **curve** — a model m(x; θ): `x` is the independent variable, every other name is a parameter,
//!   listed in order of first appearance (`a*exp(-b*x) + c` → a, b, c): [`CurveFormula`].
//!
//! The language: numbers (`2`, `.5`, `1e-3`), `+ - * /`, powers `^` and `**` (right-associative and
//! binding tighter than a sign, as in Python: `-x^2` = −(x²), `2^-1` = 0.5, `2^3^2` = 512),
//! parentheses, the functions `exp log ln log10 sqrt abs sin cos tan asin acos atan atan2 sinh cosh
//! tanh min max pow` (`log` is the natural log; `log(a, b)` is log base b; `min`/`max` take two or
//! more arguments), the constants `pi` and `e`. Pasted NumPy/Python works: any function or constant
//! may carry a `np.`, `numpy.` or `math.` prefix, and the NumPy names `arcsin arccos arctan arctan2
//! power minimum maximum absolute fabs` are accepted as aliases.
//!
//! Text is compiled once (`compile`) into a flat postfix instruction list with constant folding;
//! evaluation (`eval`) is a loop over it. Gradients and Hessians are exact, by second-order
//! forward-mode automatic differentiation over the same list. Points outside a function's domain
//! give NaN/∞ (never a panic): plots leave gaps, solvers stop with `Diverged`.
//!
//! Errors are [`FormulaError`] values with a 1-based character column. Inputs are limited to
//! [`MAX_LEN`] characters and [`MAX_DEPTH`] nesting levels (parentheses, calls, signs, exponents),
//! so no input can overflow the stack.

mod compile;
mod echo;
mod eval;
mod lexer;
mod parser;

use super::surfaces::ViewBox;
use super::Objective;
use compile::Program;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest accepted formula, in characters.
pub const MAX_LEN: usize = 2000;
/// Deepest accepted nesting (parentheses, function calls, signs and exponents each add a level).
pub const MAX_DEPTH: usize = 200;

/// Example surface formulas for the page's picker: (name, formula). Each parses in
/// [`Mode::Surface`]; the comments give the known global minimum used by the tests.
pub const SURFACE_EXAMPLES: &[(&str, &str)] = &[
    // MATLAB peaks, as written in NumPy: equals `surfaces::Peaks`.
    (
        "Peaks (NumPy)",
        "3*(1-x)**2*np.exp(-(x**2)-(y+1)**2) - 10*(x/5 - x**3 - y**5)*np.exp(-x**2-y**2) - 1/3*np.exp(-(x+1)**2 - y**2)",
    ),
    // Minimum 0 at (1, 1).
    ("Rosenbrock", "(1 - x)^2 + 100*(y - x^2)^2"),
    // Minima 0 at (3, 2) and three other points.
    ("Himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"),
    // Minimum 0 at (1, 3).
    ("Booth", "(x + 2*y - 7)^2 + (2*x + y - 5)^2"),
    // Minimum 0 at (3, 0.5).
    (
        "Beale",
        "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
    ),
    // Minimum 0 at (0, 0), many local minima.
    (
        "Rastrigin",
        "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
    ),
    // Minimum 0 at (0, 0).
    ("Matyas", "0.26*(x^2 + y^2) - 0.48*x*y"),
    // No minimum: a saddle at (0, 0).
    ("Saddle", "x^2 - y^2"),
];

/// Which names a formula may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// f(x, y): the variables are `x` and `y`.
    Surface,
    /// m(x; θ): `x` is the independent variable; other names are parameters.
    Curve,
}

/// A parse error: a message and the 1-based character column it points at.
///
/// `Display` gives `"{message} at column {column}"`, e.g. `expected ')' at column 14`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormulaError {
    /// What is wrong, without the column.
    pub message: String,
    /// 1-based index of the offending character (one past the end for "unexpected end").
    pub column: usize,
}

impl FormulaError {
    pub(crate) fn new(message: impl Into<String>, column: usize) -> Self {
        FormulaError {
            message: message.into(),
            column,
        }
    }

    /// Two lines: the formula (tabs and newlines shown as spaces) and a `^` under [`Self::column`].
    pub fn caret(&self, text: &str) -> String {
        let line: String = text
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let pad = " ".repeat(self.column.saturating_sub(1));
        format!("{line}\n{pad}^")
    }
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.message, self.column)
    }
}

impl std::error::Error for FormulaError {}

/// What [`check`] reports about a valid formula.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Info {
    /// The mode it was checked in.
    pub mode: Mode,
    /// Curve mode: parameter names in order of first appearance; empty for a surface.
    pub params: Vec<String>,
    /// The variables it uses, among `x` and `y` (a surface need not use both).
    pub variables: Vec<String>,
    /// Length of the compiled instruction list.
    pub instructions: usize,
    /// The formula printed back as maths with explicit grouping, e.g. `1/3^(e^(−x²))`.
    pub shown: String,
    /// The line shown under the formula box: `read as: f(x, y) = …` (`y = …` for a curve) and, in
    /// brackets, what was ignored or translated (a leading `return`, a trailing `;`, a comment).
    pub read_as: String,
}

/// Parses `text` in `mode` without keeping the compiled form: for live validation as one types.
///
/// Both modes accept the same optional prefix — a leading `return`, `lambda x, y:` (`lambda x, a,
/// b:` for a curve), `def f(x, y): return`, `f(x, y) =` / `f(x) =` / `y(x) =`, `z =` / `y =` /
/// `f =` — a trailing `;` and `#` comments; [`Info::read_as`] names what was ignored.
pub fn check(text: &str, mode: Mode) -> Result<Info, FormulaError> {
    let p = parser::parse(text, mode)?;
    let mut notes = Vec::new();
    if let Some(lead) = &p.lead {
        notes.push(format!("the leading “{lead}” was ignored"));
    }
    if p.semicolon {
        notes.push("the trailing “;” was ignored".to_string());
    }
    // A '#' that tokenizes can only start a comment.
    if text.contains('#') {
        notes.push("the comment was ignored".to_string());
    }
    if p.square {
        notes.push("square(u) is read as u²".to_string());
    }
    let head = match mode {
        Mode::Surface => "f(x, y)",
        Mode::Curve => "y",
    };
    let mut read_as = format!("read as: {head} = {}", p.echo);
    if !notes.is_empty() {
        read_as.push_str(&format!(" ({})", notes.join("; ")));
    }
    let mut variables = Vec::new();
    if p.uses_x {
        variables.push("x".to_string());
    }
    if p.uses_y {
        variables.push("y".to_string());
    }
    Ok(Info {
        mode,
        params: p.params,
        variables,
        instructions: p.program.code.len(),
        shown: p.echo,
        read_as,
    })
}

/// Whether the formula proper (after any leading `y =`, `lambda x:` … in `mode`) uses `name` as a
/// bare (unprefixed) name, e.g. the constant `e` written as `e` rather than `np.e`. `false` when
/// the text does not tokenize.
pub fn uses_bare_name(text: &str, name: &str, mode: Mode) -> bool {
    let Ok(toks) = lexer::tokenize(text) else {
        return false;
    };
    let start = echo::lead(&toks, mode, &parser::reserved).map_or(0, |l| l.start);
    toks[start..]
        .iter()
        .any(|t| matches!(&t.tok, lexer::Tok::Ident(s) if s == name))
}

/// Reusable scratch memory, so that evaluating many points allocates nothing per point.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    buf: Vec<f64>,
}

impl Scratch {
    /// An empty scratch (grows on first use).
    pub fn new() -> Self {
        Scratch::default()
    }

    fn get(&mut self, len: usize) -> &mut [f64] {
        if self.buf.len() < len {
            self.buf.resize(len, 0.0);
        }
        &mut self.buf[..len]
    }
}

/// Runs `f` with a zeroed scratch slice of `len` entries: on the stack when small (32 or 256
/// entries, so the common case clears only 256 bytes), else on the heap.
fn with_buf<R>(len: usize, f: impl FnOnce(&mut [f64]) -> R) -> R {
    if len <= 32 {
        let mut a = [0.0; 32];
        f(&mut a[..len])
    } else if len <= 256 {
        let mut a = [0.0; 256];
        f(&mut a[..len])
    } else {
        f(&mut vec![0.0; len])
    }
}

/// A compiled surface formula f(x, y).
#[derive(Clone, Debug, PartialEq)]
pub struct SurfaceFormula {
    text: String,
    prog: Program,
}

impl SurfaceFormula {
    /// Parses and compiles `text` as a surface (variables `x`, `y`).
    pub fn parse(text: &str) -> Result<Self, FormulaError> {
        let p = parser::parse(text, Mode::Surface)?;
        Ok(SurfaceFormula {
            text: text.to_string(),
            prog: p.program,
        })
    }

    /// The source text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// f(x, y).
    pub fn eval(&self, x: f64, y: f64) -> f64 {
        with_buf(eval::value_len(&self.prog), |b| {
            eval::value(&self.prog, &[x, y], b)
        })
    }

    /// f(x, y) using `scratch` (no allocation once it has grown).
    pub fn eval_with(&self, x: f64, y: f64, scratch: &mut Scratch) -> f64 {
        let b = scratch.get(eval::value_len(&self.prog));
        eval::value(&self.prog, &[x, y], b)
    }

    /// (f, ∇f) at (x, y), exact (forward-mode AD).
    pub fn eval_gradient(&self, x: f64, y: f64, scratch: &mut Scratch) -> (f64, [f64; 2]) {
        let mut g = [0.0; 2];
        let b = scratch.get(eval::derivs_len(&self.prog, false));
        let v = eval::derivs(&self.prog, &[x, y], b, &mut g, None);
        (v, g)
    }

    /// (f, ∇f, ∇²f) at (x, y), exact (second-order forward-mode AD); the Hessian is row-major.
    pub fn eval_hessian(
        &self,
        x: f64,
        y: f64,
        scratch: &mut Scratch,
    ) -> (f64, [f64; 2], [[f64; 2]; 2]) {
        let mut g = [0.0; 2];
        let mut h = [0.0; 4];
        let b = scratch.get(eval::derivs_len(&self.prog, true));
        let v = eval::derivs(&self.prog, &[x, y], b, &mut g, Some(&mut h));
        (v, g, [[h[0], h[1]], [h[2], h[3]]])
    }

    /// Samples f on an `nx` × `ny` grid spanning `view` (corners included), row by row from
    /// `y_min` to `y_max`: `out[j*nx + i] = f(x_i, y_j)` with
    /// x_i = x_min + i·(x_max − x_min)/(nx − 1). `out` is cleared and refilled; no other allocation.
    pub fn eval_grid(&self, view: &ViewBox, nx: usize, ny: usize, out: &mut Vec<f64>) {
        out.clear();
        out.reserve(nx * ny);
        let step = |lo: f64, hi: f64, n: usize, i: usize| {
            if n <= 1 {
                lo
            } else {
                lo + (hi - lo) * i as f64 / (n - 1) as f64
            }
        };
        with_buf(eval::value_len(&self.prog), |b| {
            for j in 0..ny {
                let y = step(view.y_min, view.y_max, ny, j);
                for i in 0..nx {
                    let x = step(view.x_min, view.x_max, nx, i);
                    out.push(eval::value(&self.prog, &[x, y], b));
                }
            }
        });
    }
}

impl Objective for SurfaceFormula {
    fn dim(&self) -> usize {
        2
    }

    fn value(&self, x: &[f64]) -> f64 {
        self.eval(x[0], x[1])
    }

    fn gradient(&self, x: &[f64], g: &mut [f64]) -> bool {
        with_buf(eval::derivs_len(&self.prog, false), |b| {
            eval::derivs(&self.prog, &x[..2], b, &mut g[..2], None);
        });
        true
    }

    fn hessian(&self, x: &[f64]) -> Option<DMatrix<f64>> {
        let mut g = [0.0; 2];
        let mut h = [0.0; 4];
        with_buf(eval::derivs_len(&self.prog, true), |b| {
            eval::derivs(&self.prog, &x[..2], b, &mut g, Some(&mut h));
        });
        Some(DMatrix::from_row_slice(2, 2, &h))
    }
}

/// A compiled curve model m(x; θ) with parameters θ named in the formula.
#[derive(Clone, Debug, PartialEq)]
pub struct CurveFormula {
    text: String,
    prog: Program,
    params: Vec<String>,
    /// 1 + number of parameters: the inputs are [x, θ…].
    n_inputs: usize,
}

impl CurveFormula {
    /// Parses and compiles `text` as a curve model; fails if it has no parameter.
    pub fn parse(text: &str) -> Result<Self, FormulaError> {
        let p = parser::parse(text, Mode::Curve)?;
        Ok(CurveFormula {
            text: text.to_string(),
            n_inputs: p.program.n_inputs,
            prog: p.program,
            params: p.params,
        })
    }

    /// The source text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Parameter names in order of first appearance (the order of `params` everywhere below).
    pub fn param_names(&self) -> &[String] {
        &self.params
    }

    /// Number of parameters.
    pub fn n_params(&self) -> usize {
        self.params.len()
    }

    /// m(x; θ). `params.len()` must equal [`Self::n_params`] (else NaN).
    pub fn model_value(&self, x: f64, params: &[f64]) -> f64 {
        if params.len() != self.params.len() {
            return f64::NAN;
        }
        let n = self.n_inputs;
        with_buf(n + eval::value_len(&self.prog), |b| {
            let (inp, s) = b.split_at_mut(n);
            inp[0] = x;
            inp[1..].copy_from_slice(params);
            eval::value(&self.prog, inp, s)
        })
    }

    /// m(x; θ), writing ∂m/∂θ into `grad_out` (exact, forward-mode AD).
    ///
    /// `params` and `grad_out` must have [`Self::n_params`] entries (else NaN, `grad_out` untouched).
    pub fn model_eval(&self, x: f64, params: &[f64], grad_out: &mut [f64]) -> f64 {
        let len = self.n_inputs + eval::derivs_len(&self.prog, false);
        with_buf(len, |b| self.model_eval_in(x, params, grad_out, b))
    }

    /// [`Self::model_eval`] using `scratch`: no allocation per point once it has grown.
    pub fn model_eval_with(
        &self,
        x: f64,
        params: &[f64],
        grad_out: &mut [f64],
        scratch: &mut Scratch,
    ) -> f64 {
        let len = self.n_inputs + eval::derivs_len(&self.prog, false);
        self.model_eval_in(x, params, grad_out, scratch.get(len))
    }

    fn model_eval_in(&self, x: f64, params: &[f64], grad_out: &mut [f64], b: &mut [f64]) -> f64 {
        let np = self.params.len();
        if params.len() != np || grad_out.len() != np {
            return f64::NAN;
        }
        let (inp, s) = b.split_at_mut(self.n_inputs);
        inp[0] = x;
        inp[1..].copy_from_slice(params);
        eval::derivs(&self.prog, inp, s, grad_out, None)
    }
}

#[cfg(test)]
mod tests;
