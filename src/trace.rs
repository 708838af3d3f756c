//! What happened during a run: one [`Iterate`] per iteration and a named [`StopReason`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// How much of a run its [`Trace`] keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceDetail {
    /// Every record (what the page draws).
    #[default]
    Full,
    /// The start and the last record only (benchmarks, basin maps, library use that wants the
    /// answer): no per-iteration allocation. The last record keeps its true `k`, so
    /// [`Trace::iterations`] is still the number performed.
    Last,
}

impl TraceDetail {
    /// `true` for [`TraceDetail::Full`] (for `skip_serializing_if`).
    pub fn is_full(&self) -> bool {
        *self == TraceDetail::Full
    }

    /// Appends `it` (Full) or makes it the one record after the start (Last).
    pub fn record(&self, iterates: &mut Vec<Iterate>, it: Iterate) {
        if *self == TraceDetail::Last && iterates.len() >= 2 {
            iterates.truncate(1);
        }
        iterates.push(it);
    }
}

/// The name of a trace extra: a `&'static str` for the fixed names solvers record (no
/// allocation per record), an owned string for generated ones (`grad_1`, …).
pub type Extra = std::borrow::Cow<'static, str>;

/// One iteration record. Record 0 is the start point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Iterate {
    /// Iteration number k (0 = start).
    pub k: usize,
    /// The point x_k.
    pub x: Vec<f64>,
    /// f(x_k).
    pub f: f64,
    /// ‖∇f(x_k)‖₂.
    pub grad_norm: f64,
    /// ‖x_k − x_{k−1}‖₂ (0 for the start).
    pub step: f64,
    /// Solver-specific values at this iteration (e.g. `"alpha"`, `"velocity_norm"`, `"lambda"`,
    /// `"line_search_trials"`), in a fixed order per solver.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<(Extra, f64)>,
    /// Nelder–Mead's simplex vertices after this iteration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simplex: Option<Vec<Vec<f64>>>,
}

impl Iterate {
    /// The solver-specific value named `key`, if recorded.
    pub fn extra(&self, key: &str) -> Option<f64> {
        self.extra.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// A vector recorded with [`push_vector`] under `name` (`name[0]`, `name[1]`, …).
    pub fn vector(&self, name: &str) -> Option<Vec<f64>> {
        let v: Vec<f64> = (0..)
            .map_while(|i| self.extra(&format!("{name}[{i}]")))
            .collect();
        (!v.is_empty()).then_some(v)
    }
}

/// Records vector `v` in `extra` as `name[0]`, `name[1]`, … (only for n ≤ 10, to keep traces of
/// high-dimensional problems small).
pub fn push_vector(extra: &mut Vec<(Extra, f64)>, name: &str, v: &[f64]) {
    if v.len() <= 10 {
        extra.extend(
            v.iter()
                .enumerate()
                .map(|(i, &x)| (Extra::Owned(format!("{name}[{i}]")), x)),
        );
    }
}

/// Why a run ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// ‖∇f‖ fell below the gradient tolerance: converged.
    GradientTolerance,
    /// The step ‖x_{k+1} − x_k‖ fell below the step tolerance.
    StepTolerance,
    /// |f_{k+1} − f_k| fell below the function-change tolerance.
    FunctionTolerance,
    /// The iteration budget ran out.
    MaxIterations,
    /// f or x became non-finite, or |x| exceeded the divergence bound.
    Diverged,
    /// f (or ∇f) is not finite at the start point: it lies outside the function's domain.
    UndefinedAtStart,
    /// The line search found no acceptable step although the trial steps were still meaningful in
    /// floating point (e.g. the direction is not a descent direction for f, or ∇f is wrong).
    LineSearchFailed,
    /// The line search found no acceptable step because the decrease it looked for is below what
    /// f can resolve in floating point: its smallest trial step left x unchanged, or predicted a
    /// decrease |α·∇fᵀp| ≤ 4ε·|f| (scipy: "Desired error not necessarily achieved due to precision
    /// loss"). The run is usually at a minimum that the gradient tolerance is too tight to certify.
    /// Least squares (trust-region LM): a trial predicted a relative decrease of SSR below 10⁻¹²
    /// and its actual change was round-off ten times larger.
    PrecisionLimit,
    /// No more progress: for [`crate::solver::STAGNATION_ITERATIONS`] consecutive iterations f
    /// did not change beyond round-off and x stood still or wandered without travelling (e.g. an
    /// exact cycle) ([`crate::solver::StopCriteria::stagnation`]).
    Stagnation,
    /// Least squares (MINPACK `ftol`): actual and predicted relative reductions of SSR fell below
    /// the tolerance.
    RelativeReduction,
    /// Least squares (MINPACK `xtol`): the scaled step fell below the tolerance relative to the
    /// scaled parameters.
    RelativeStep,
    /// Least squares (MINPACK `gtol`): the residual vector is orthogonal to every Jacobian column
    /// within the tolerance.
    Orthogonality,
    /// Least squares: the residuals are exactly zero.
    ZeroResidual,
    /// The budget of evaluations ran out (least squares: residual evaluations; minimizers:
    /// [`crate::solver::StopCriteria::max_evaluations`]).
    MaxEvaluations,
    /// Least squares: the Jacobian is all zeros, so the model does not depend on its parameters at
    /// this point and no step direction exists.
    ZeroJacobian,
    /// Least squares: the damping grew without bound; no reduction is possible at machine
    /// precision.
    NoFurtherProgress,
}

impl StopReason {
    /// A short human-readable label, as shown on the page.
    pub fn label(&self) -> &'static str {
        match self {
            StopReason::GradientTolerance => "converged: ‖∇f‖ below tolerance",
            StopReason::StepTolerance => "converged: step below tolerance",
            StopReason::FunctionTolerance => "converged: f change below tolerance",
            StopReason::MaxIterations => "max iterations reached",
            StopReason::Diverged => "diverged: non-finite value or |x| too large",
            StopReason::UndefinedAtStart => {
                "f is not defined (NaN or ∞) at the start point: start inside its domain"
            }
            StopReason::LineSearchFailed => "line search failed",
            StopReason::PrecisionLimit => {
                "stopped: no further decrease is representable in floating point (precision limit)"
            }
            StopReason::Stagnation => {
                "stopped: f no longer changes, x stands still or cycles (stagnation)"
            }
            StopReason::RelativeReduction => "converged: relative reduction of SSR below ftol",
            StopReason::RelativeStep => "converged: relative step below xtol",
            StopReason::Orthogonality => "converged: residuals orthogonal to the Jacobian (gtol)",
            StopReason::ZeroResidual => "converged: residuals are zero",
            StopReason::MaxEvaluations => "max evaluations reached",
            StopReason::ZeroJacobian => {
                "Jacobian is zero: the model does not depend on its parameters here"
            }
            StopReason::NoFurtherProgress => "stopped: no further reduction possible",
        }
    }

    /// `true` for the reasons that mean the method converged.
    pub fn is_converged(&self) -> bool {
        matches!(
            self,
            StopReason::GradientTolerance
                | StopReason::StepTolerance
                | StopReason::FunctionTolerance
                | StopReason::RelativeReduction
                | StopReason::RelativeStep
                | StopReason::Orthogonality
                | StopReason::ZeroResidual
                | StopReason::PrecisionLimit
        )
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The whole record of one solver run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// The solver's display name.
    pub solver: String,
    /// Records 0..=K.
    pub iterates: Vec<Iterate>,
    /// Why the run ended.
    pub stop: StopReason,
    /// Function evaluations.
    pub f_evals: usize,
    /// Gradient evaluations.
    pub g_evals: usize,
    /// Hessian evaluations (Newton).
    #[serde(default)]
    pub h_evals: usize,
}

impl Trace {
    /// The last recorded iterate (always present: the start point is record 0).
    pub fn last(&self) -> &Iterate {
        self.iterates
            .last()
            .expect("a trace always holds its start point")
    }

    /// A 64-bit FNV-1a hash of every recorded number's bits: equal fingerprints mean equal runs,
    /// bit for bit (used to check that native and wasm builds agree exactly).
    pub fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |v: f64| {
            for b in v.to_bits().to_le_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        for r in &self.iterates {
            r.x.iter().for_each(|&v| eat(v));
            eat(r.f);
            eat(r.grad_norm);
            eat(r.step);
        }
        h
    }

    /// Number of iterations performed (records minus the start; the last record's `k` when the
    /// trace kept only the last, [`TraceDetail::Last`]).
    pub fn iterations(&self) -> usize {
        let n = self.iterates.len().saturating_sub(1);
        self.iterates.last().map_or(0, |l| l.k.max(n))
    }
}

/// A [`Trace`] as columns, for the trip from the Web Worker to the page: each number column is
/// one byte string of little-endian f64s (MessagePack `bin`), so 10⁵ iterations decode as a few
/// memory copies instead of 10⁵ maps with named fields — bit for bit the same numbers
/// (`tests/engine.rs` pins the fingerprints through this form).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TraceColumns {
    solver: String,
    stop: StopReason,
    f_evals: usize,
    g_evals: usize,
    h_evals: usize,
    /// Length of each x.
    dim: usize,
    k: F64s,
    /// x_0, x_1, … concatenated (`dim` each).
    x: F64s,
    f: F64s,
    grad_norm: F64s,
    step: F64s,
    /// The names used in `extra`, and per iterate how many extras it has, which names (indices)
    /// and their values.
    extra_names: Vec<String>,
    extra_count: Vec<u16>,
    extra_name: Vec<u16>,
    extra_value: F64s,
    /// Per iterate, Nelder–Mead's simplex if recorded.
    simplex: Vec<Option<Vec<Vec<f64>>>>,
}

/// f64s as one MessagePack byte string (little-endian).
#[derive(Clone, Debug, Default, PartialEq)]
struct F64s(Vec<f64>);

impl Serialize for F64s {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = self.0.iter().flat_map(|v| v.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }
}

impl<'de> Deserialize<'de> for F64s {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<F64s, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = F64s;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("bytes of little-endian f64s")
            }
            fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<F64s, E> {
                if !b.len().is_multiple_of(8) {
                    return Err(E::invalid_length(b.len(), &self));
                }
                Ok(F64s(
                    b.chunks_exact(8)
                        .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
                        .collect(),
                ))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, b: Vec<u8>) -> Result<F64s, E> {
                self.visit_bytes(&b)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<F64s, A::Error> {
                let mut b = Vec::new();
                while let Some(x) = a.next_element::<u8>()? {
                    b.push(x);
                }
                self.visit_bytes(&b)
            }
        }
        d.deserialize_bytes(V)
    }
}

impl From<&Trace> for TraceColumns {
    fn from(t: &Trace) -> TraceColumns {
        let dim = t.iterates.first().map_or(0, |r| r.x.len());
        let mut c = TraceColumns {
            solver: t.solver.clone(),
            stop: t.stop.clone(),
            f_evals: t.f_evals,
            g_evals: t.g_evals,
            h_evals: t.h_evals,
            dim,
            k: F64s::default(),
            x: F64s::default(),
            f: F64s::default(),
            grad_norm: F64s::default(),
            step: F64s::default(),
            extra_names: Vec::new(),
            extra_count: Vec::new(),
            extra_name: Vec::new(),
            extra_value: F64s::default(),
            simplex: Vec::new(),
        };
        for r in &t.iterates {
            c.k.0.push(r.k as f64);
            // Every x has `dim` entries (a run keeps its dimension); pad defensively.
            c.x.0
                .extend((0..dim).map(|i| r.x.get(i).copied().unwrap_or(f64::NAN)));
            c.f.0.push(r.f);
            c.grad_norm.0.push(r.grad_norm);
            c.step.0.push(r.step);
            c.extra_count.push(r.extra.len() as u16);
            for (name, v) in &r.extra {
                let i = match c.extra_names.iter().position(|n| n == name) {
                    Some(i) => i,
                    None => {
                        c.extra_names.push(name.to_string());
                        c.extra_names.len() - 1
                    }
                };
                c.extra_name.push(i as u16);
                c.extra_value.0.push(*v);
            }
            c.simplex.push(r.simplex.clone());
        }
        c
    }
}

impl TryFrom<TraceColumns> for Trace {
    type Error = String;
    fn try_from(c: TraceColumns) -> Result<Trace, String> {
        let n = c.k.0.len();
        let bad = || "a damaged trace from the worker".to_string();
        if c.x.0.len() != n * c.dim
            || c.f.0.len() != n
            || c.grad_norm.0.len() != n
            || c.step.0.len() != n
            || c.extra_count.len() != n
            || c.simplex.len() != n
            || c.extra_name.len() != c.extra_value.0.len()
        {
            return Err(bad());
        }
        let mut e = 0;
        let mut iterates = Vec::with_capacity(n);
        for (i, simplex) in c.simplex.into_iter().enumerate() {
            let m = c.extra_count[i] as usize;
            if e + m > c.extra_name.len() {
                return Err(bad());
            }
            let mut extra = Vec::with_capacity(m);
            for j in e..e + m {
                let name = c
                    .extra_names
                    .get(c.extra_name[j] as usize)
                    .ok_or_else(bad)?;
                extra.push((Extra::Owned(name.clone()), c.extra_value.0[j]));
            }
            e += m;
            iterates.push(Iterate {
                k: c.k.0[i] as usize,
                x: c.x.0[i * c.dim..(i + 1) * c.dim].to_vec(),
                f: c.f.0[i],
                grad_norm: c.grad_norm.0[i],
                step: c.step.0[i],
                extra,
                simplex,
            });
        }
        Ok(Trace {
            solver: c.solver,
            iterates,
            stop: c.stop,
            f_evals: c.f_evals,
            g_evals: c.g_evals,
            h_evals: c.h_evals,
        })
    }
}

#[cfg(test)]
mod wire_tests {
    use super::*;

    #[test]
    fn columns_refuse_damaged_input_with_a_message() {
        let t = Trace {
            solver: "GD".into(),
            iterates: vec![
                Iterate {
                    k: 0,
                    x: vec![1.0, 2.0],
                    f: 3.0,
                    grad_norm: 4.0,
                    step: 0.0,
                    extra: vec![("alpha".into(), 0.1)],
                    simplex: None,
                },
                Iterate {
                    k: 1,
                    x: vec![-0.0, f64::NAN],
                    f: f64::INFINITY,
                    grad_norm: 5e-300,
                    step: 1.0,
                    extra: vec![],
                    simplex: Some(vec![vec![0.0, 1.0]; 3]),
                },
            ],
            stop: StopReason::MaxIterations,
            f_evals: 2,
            g_evals: 2,
            h_evals: 0,
        };
        let c = TraceColumns::from(&t);
        let back = Trace::try_from(c.clone()).unwrap();
        assert_eq!(back.fingerprint(), t.fingerprint());
        assert_eq!(back.iterates[0].extra, t.iterates[0].extra);
        assert_eq!(back.iterates[1].simplex, t.iterates[1].simplex);
        let mut short = c.clone();
        short.f.0.pop();
        assert!(Trace::try_from(short).unwrap_err().contains("damaged"));
        let mut names = c;
        names.extra_name[0] = 7;
        assert!(Trace::try_from(names).is_err());
    }
}
