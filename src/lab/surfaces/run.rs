//! One whole experiment → traces.
//!
//! [`Experiment::run`] is a pure function of the config: the same config (e.g. decoded from a
//! permalink) gives the same traces, bit for bit, natively and in wasm.

use super::config::{defaults, Experiment, SolverConfig, SurfaceId};
use crate::diff::Evaluator;
use crate::problem::formula::SurfaceFormula;
use crate::problem::Objective;
use crate::solver::{
    self, AdaGrad, Adam, Bfgs, CgFormula, ConjugateGradient, GradientDescent,
    GradientDescentArmijo, Lbfgs, Momentum, NelderMead, Nesterov, Newton, RmsProp, Solver,
};
use crate::trace::Trace;

impl SolverConfig {
    /// Builds the solver, or says what is wrong with the hyperparameters.
    pub fn build(&self) -> Result<Box<dyn Solver>, String> {
        self.validate()?;
        Ok(match *self {
            SolverConfig::GradientDescent { learning_rate } => {
                Box::new(GradientDescent { learning_rate })
            }
            SolverConfig::GradientDescentArmijo {
                initial_step,
                c1,
                shrink,
                max_trials,
            } => Box::new(GradientDescentArmijo {
                initial_step,
                c1,
                shrink,
                max_trials,
            }),
            SolverConfig::Momentum {
                learning_rate,
                momentum,
            } => Box::new(Momentum::new(learning_rate, momentum)),
            SolverConfig::Nesterov {
                learning_rate,
                momentum,
            } => Box::new(Nesterov::new(learning_rate, momentum)),
            SolverConfig::Adagrad {
                learning_rate,
                epsilon,
            } => Box::new(AdaGrad::new(learning_rate, epsilon)),
            SolverConfig::Rmsprop {
                learning_rate,
                decay,
                epsilon,
            } => Box::new(RmsProp::new(learning_rate, decay, epsilon)),
            SolverConfig::Adam {
                learning_rate,
                beta1,
                beta2,
                epsilon,
            } => Box::new(Adam::new(learning_rate, beta1, beta2, epsilon)),
            SolverConfig::Newton { c1, min_shift } => Box::new(Newton {
                c1,
                min_shift,
                max_trials: defaults::MAX_TRIALS,
            }),
            SolverConfig::Bfgs { c1, c2 } => Box::new(Bfgs::new(c1, c2)),
            SolverConfig::Lbfgs { memory, c1, c2 } => Box::new(Lbfgs::new(memory, c1, c2)),
            SolverConfig::CgFletcherReeves {
                restart_every,
                c1,
                c2,
            } => Box::new(ConjugateGradient::new(
                CgFormula::FletcherReeves,
                restart_every,
                c1,
                c2,
            )),
            SolverConfig::CgPolakRibiere {
                restart_every,
                c1,
                c2,
            } => Box::new(ConjugateGradient::new(
                CgFormula::PolakRibierePlus,
                restart_every,
                c1,
                c2,
            )),
            SolverConfig::NelderMead {
                initial_size,
                x_tol,
                f_tol,
                stop_rule,
                adaptive,
                trace_gradient,
            } => {
                let mut nm = NelderMead::new(initial_size, x_tol, f_tol);
                nm.stop_rule = stop_rule;
                nm.adaptive = adaptive;
                nm.trace_gradient = trace_gradient;
                Box::new(nm)
            }
        })
    }
}

impl Experiment {
    /// Checks every field, returning the first problem in words.
    pub fn validate(&self) -> Result<(), String> {
        use super::config::ranges as r;
        r::START_X.validate(self.start[0])?;
        r::START_Y.validate(self.start[1])?;
        self.stop.validate()?;
        r::QUADRATIC_CONDITION.validate(self.quadratic_condition)?;
        let v = self.view.view_box;
        r::X_MIN.validate(v.x_min)?;
        r::X_MAX.validate(v.x_max)?;
        r::Y_MIN.validate(v.y_min)?;
        r::Y_MAX.validate(v.y_max)?;
        if !self.view.view_box.is_valid() {
            return Err("view box must have finite bounds with min < max".into());
        }
        if self.solvers.is_empty() {
            return Err("choose at least one solver".into());
        }
        self.schedule.validate()?;
        match self.schedule {
            crate::solver::schedule::Schedule::StepDecay { every: n, .. }
            | crate::solver::schedule::Schedule::Cosine { period: n, .. } => {
                r::SCHEDULE_EVERY.validate(n as f64)?
            }
            _ => {}
        }
        if self.surface == SurfaceId::Formula {
            SurfaceFormula::parse(&self.formula).map_err(|e| format!("formula: {e}"))?;
        }
        for s in &self.solvers {
            s.build()?;
        }
        Ok(())
    }

    /// The objective minimized: the built-in surface, or the compiled formula.
    pub fn objective(&self) -> Result<Box<dyn Objective>, String> {
        if self.surface == SurfaceId::Formula {
            let f = SurfaceFormula::parse(&self.formula).map_err(|e| format!("formula: {e}"))?;
            Ok(Box::new(f))
        } else {
            Ok(self.surface.objective_with(self.quadratic_condition))
        }
    }

    /// The formula shown on the page for this experiment's surface.
    pub fn formula_text(&self) -> String {
        if self.surface == SurfaceId::Formula {
            self.formula.clone()
        } else {
            self.surface.formula().to_string()
        }
    }

    /// Runs every solver from the start point.
    pub fn run(&self) -> Result<Vec<Trace>, String> {
        self.validate()?;
        let objective = self.objective()?;
        let mut traces = Vec::with_capacity(self.solvers.len());
        for s in &self.solvers {
            let mut solver = s.build()?;
            let ev = Evaluator::new(objective.as_ref(), self.gradient);
            traces.push(solver::run_scheduled(
                solver.as_mut(),
                &ev,
                &self.start,
                &self.stop,
                &self.schedule,
            ));
        }
        Ok(traces)
    }
}

impl Experiment {
    /// [`Experiment::run`] solver by solver, calling `progress(fraction done)` after each (the
    /// page's worker reports it). The solvers of a race are independent, so the traces equal
    /// `run()`'s bit for bit (tests/engine.rs).
    pub fn run_each(&self, progress: &mut dyn FnMut(f64)) -> Result<Vec<Trace>, String> {
        self.validate()?;
        let n = self.solvers.len();
        let mut traces = Vec::with_capacity(n);
        for (i, s) in self.solvers.iter().enumerate() {
            let mut one = self.clone();
            one.solvers = vec![s.clone()];
            traces.extend(one.run()?);
            progress((i + 1) as f64 / n.max(1) as f64);
        }
        Ok(traces)
    }
}

impl Experiment {
    /// The surface's known minima with their location and value refined to machine precision by
    /// Newton's method on the exact gradient and Hessian (the literature gives a few digits:
    /// peaks' f* = −6.551133 is −6.5511333…, Styblinski–Tang's −78.33234 is −78.3323314…). A
    /// minimum Newton cannot refine within 10⁻³ of its published place keeps its published values.
    pub fn refined_minima(&self) -> Vec<crate::problem::surfaces::KnownMinimum> {
        let minima = self.surface.minima();
        let Ok(objective) = self.objective() else {
            return minima;
        };
        let ev =
            crate::diff::Evaluator::new(objective.as_ref(), crate::diff::GradientSource::Analytic);
        minima
            .into_iter()
            .map(|m| {
                let mut x = m.x.to_vec();
                let mut g = [0.0; 2];
                for _ in 0..30 {
                    ev.gradient(&x, &mut g);
                    if g[0].hypot(g[1]) == 0.0 {
                        break;
                    }
                    let h = ev.hessian(&x);
                    let det = h[(0, 0)] * h[(1, 1)] - h[(0, 1)] * h[(1, 0)];
                    if !(det.is_finite() && det > 0.0 && h[(0, 0)] > 0.0) {
                        return m;
                    }
                    let dx = (h[(1, 1)] * g[0] - h[(0, 1)] * g[1]) / det;
                    let dy = (h[(0, 0)] * g[1] - h[(1, 0)] * g[0]) / det;
                    if dx.hypot(dy) <= 1e-16 * x[0].hypot(x[1]).max(1.0) {
                        break;
                    }
                    x[0] -= dx;
                    x[1] -= dy;
                }
                let f = ev.value(&x);
                let moved = (x[0] - m.x[0]).hypot(x[1] - m.x[1]);
                if f.is_finite()
                    && moved <= 1e-3 * m.x[0].hypot(m.x[1]).max(1.0)
                    && f <= m.f + 1e-3 * m.f.abs().max(1.0)
                {
                    crate::problem::surfaces::KnownMinimum {
                        x: [x[0], x[1]],
                        f,
                        global: m.global,
                    }
                } else {
                    m
                }
            })
            .collect()
    }
}
