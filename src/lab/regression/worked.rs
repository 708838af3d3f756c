//! One update of a regression run written out with its numbers, and the mini-batch gradient fan.
//!
//! [`Replay`] re-runs a run's own kernel ([`Kernel`]) with the run's data, scaling, batch order
//! and seed, so the batches and numbers it shows are the ones the run used, bit for bit: at epoch
//! e it stops where epoch e begins, draws that epoch's batch order, evaluates **every** batch's
//! gradient at that point (the fan), and makes the epoch's first update (the worked example). The
//! written new (w, b) is the trace's next iterate (tested).
//!
//! Loss convention (what [`crate::solver::minibatch`] computes): L_B = (1/M)·Σ_B rᵢ² with
//! rᵢ = xᵢ·w + b − yᵢ (MSE, not ½MSE), so ∇_w = (2/M)·Σ_B rᵢ·xᵢ and ∂_b = (2/M)·Σ_B rᵢ.

use super::config::RegressionExperiment;
use super::run::RegressionResult;
use crate::lab::explain::num;
use crate::problem::regression::{Dataset, Standardizer};
use crate::solver::minibatch::{
    Kernel, KernelState, MiniBatchConfig, Optimizer, Shuffle, UpdateRules,
};
use serde::Serialize;

/// The spread of the mini-batch gradients around the full-batch gradient (solver coordinates).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spread {
    /// √(Σ_B (|B|/m)·‖∇L_B − ∇L‖²) / ‖∇L‖ (∞ when ∇L = 0).
    pub rms_relative: f64,
    /// The largest angle between a batch gradient and ∇L, in degrees.
    pub max_angle_deg: f64,
}

/// What the page shows for one epoch of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorkedUpdate {
    /// The epoch (1-based) whose first update is written out.
    pub epoch: usize,
    /// The run's update number of that update.
    pub update: usize,
    /// Batch size M (= m for batch GD).
    pub batch_size: usize,
    /// Rows m.
    pub rows: usize,
    /// Batches per epoch.
    pub batches: usize,
    /// α of this epoch.
    pub learning_rate: f64,
    /// θ = [w…, b] where the epoch begins (original scale).
    pub start: Vec<f64>,
    /// θ after the epoch's first update (original scale): the run's next point.
    pub next: Vec<f64>,
    /// The first batch's gradient (solver scale), as used by the update.
    pub grad: Vec<f64>,
    /// Each batch's gradient at `start`, in the epoch's order (solver scale).
    pub batch_grads: Vec<Vec<f64>>,
    /// Each batch's number of rows.
    pub batch_sizes: Vec<usize>,
    /// The full-data gradient at `start` (solver scale), computed over all rows at once.
    pub full_grad: Vec<f64>,
    /// −α·∇L_B of each batch as a step in the original (w, b) coordinates: the step that batch
    /// alone would take from `start` (plain update).
    pub rays: Vec<Vec<f64>>,
    /// −α·∇L (full data) as a step in the original coordinates.
    pub full_ray: Vec<f64>,
    /// How far the batch gradients scatter.
    pub spread: Spread,
    /// The update written out, line by line.
    pub lines: Vec<String>,
    /// One sentence about the fan.
    pub caption: String,
    /// The spread in one sentence (for a model without a (w, b) map).
    pub spread_text: String,
}

/// Replays one run of an experiment (see the module docs). Moving forward reuses the last state.
pub struct Replay {
    data: Dataset,
    intercept: bool,
    st: Option<Standardizer>,
    cfg: MiniBatchConfig,
    m: usize,
    shuffle: Shuffle,
    epochs: usize,
    names: Vec<String>,
    start: KernelState,
    cache: (usize, KernelState),
}

fn subscript(k: usize) -> String {
    crate::lab::explain::sub(k)
}

/// Most row updates a replay redoes on the page thread for one worked update (≈ 20–50 ms on a
/// laptop): beyond it the page says so instead of pausing (a run on 200 000 rows is written for
/// its first epochs, and stepping forward one epoch at a time continues from the cache).
pub const REPLAY_BUDGET: usize = 1_000_000;

impl Replay {
    /// The replay of run `run` of `exp`, whose result is `result`; `None` when there is no such
    /// run or its start is not valid.
    pub fn new(exp: &RegressionExperiment, result: &RegressionResult, run: usize) -> Option<Self> {
        let cfg = exp.solvers.get(run)?.clone();
        let trace = result.traces.get(run)?;
        let raw = &result.data;
        let k = result.features.len();
        let design = if raw.d() == 1 && k > 1 {
            raw.polynomial(k).ok()?
        } else {
            raw.clone()
        };
        let intercept = result.intercept;
        let (n, d) = (design.n(), design.d());
        let p = d + usize::from(intercept);
        let mut t0 = match &exp.start {
            Some(s) if s.len() == p => s.clone(),
            _ => vec![0.0; p],
        };
        let st = result.standardizer.clone();
        let data = match &st {
            Some(s) => {
                s.to_standardized(&mut t0, intercept);
                s.transform(&design)
            }
            None => design,
        };
        let full_batch = cfg.batch_size == 0 || cfg.batch_size >= n;
        let mut kern = Kernel::new(&data, intercept, &t0, cfg.seed);
        kern.rules = cfg.update_rules;
        let start = kern.save();
        let names = (0..d)
            .map(|j| {
                if d == 1 {
                    "w".to_string()
                } else {
                    format!("w{}", subscript(j + 1))
                }
            })
            .chain(intercept.then(|| "b".to_string()))
            .collect();
        Some(Replay {
            m: if full_batch { n } else { cfg.batch_size },
            shuffle: if full_batch {
                Shuffle::None
            } else {
                cfg.shuffle
            },
            epochs: trace.epochs.len().saturating_sub(1),
            cache: (0, start.clone()),
            start,
            data,
            intercept,
            st,
            cfg,
            names,
        })
    }

    /// Epochs the run recorded (the lesson exists for 1..=this).
    pub fn epochs(&self) -> usize {
        self.epochs
    }

    fn to_original(&self, theta: &[f64]) -> Vec<f64> {
        let mut t = theta.to_vec();
        if let Some(s) = &self.st {
            s.to_original(&mut t, self.intercept);
        }
        t
    }

    /// Row updates needed to write epoch `epoch` from the cached state (every epoch before it
    /// that is not cached, and the epoch's own batch gradients).
    pub fn cost(&self, epoch: usize) -> usize {
        let e = epoch.clamp(1, self.epochs.max(1));
        let done = if self.cache.0 < e { self.cache.0 } else { 0 };
        (e - done) * self.data.n()
    }

    /// Why epoch `epoch` is not written (its replay would exceed [`REPLAY_BUDGET`] on the page
    /// thread), or `None`.
    pub fn refused(&self, epoch: usize) -> Option<String> {
        let c = self.cost(epoch);
        (c > REPLAY_BUDGET).then(|| {
            format!(
                "Not written at this epoch: {} rows × {} epochs to replay is {} row updates — too many to redo on this page without pausing it. Epochs up to {} are written (and, from there, each next one as you step forward).",
                self.data.n(),
                c / self.data.n().max(1),
                super::visits_text(c as f64),
                (REPLAY_BUDGET / self.data.n().max(1)).max(1)
            )
        })
    }

    /// The worked update of epoch `epoch` (clamped to 1..=epochs), or `None` when the run has no
    /// epoch or replaying to it would cost more than [`REPLAY_BUDGET`] row updates.
    pub fn worked(&mut self, epoch: usize) -> Option<WorkedUpdate> {
        if self.epochs == 0 || self.refused(epoch).is_some() {
            return None;
        }
        let e = epoch.clamp(1, self.epochs);
        // The state where epoch e begins: after e − 1 epochs.
        let (done, saved) = if self.cache.0 < e {
            (self.cache.0, self.cache.1.clone())
        } else {
            (0, self.start.clone())
        };
        let opt = self.cfg.optimizer;
        let mut k = Kernel::resume(&self.data, self.intercept, &saved);
        for ep in done + 1..e {
            let lr = self.cfg.decay.rate(self.cfg.learning_rate, ep - 1);
            k.epoch(lr, self.m, self.shuffle, &opt, |_, _, _| {});
        }
        let begun = k.save();
        let lr = self.cfg.decay.rate(self.cfg.learning_rate, e - 1);
        let (m, nb) = k.begin_epoch(self.m, self.shuffle);
        let theta0 = k.theta.clone();
        let n = self.data.n();
        let p = theta0.len();
        let d = self.data.d();
        let grad_of = |s: &(Vec<f64>, f64, f64, usize)| -> Vec<f64> {
            let f = 2.0 / s.3 as f64;
            let mut g: Vec<f64> = s.0.iter().map(|v| v * f).collect();
            if self.intercept {
                g.push(f * s.1);
            }
            g
        };
        let sums: Vec<_> = (0..nb).map(|j| k.batch_sums(j, m, self.shuffle)).collect();
        let batch_grads: Vec<Vec<f64>> = sums.iter().map(grad_of).collect();
        let batch_sizes: Vec<usize> = sums.iter().map(|s| s.3).collect();
        // The full-data gradient, as the run computes it at an epoch's end (not from the batches).
        k.full_loss();
        let full_grad = k.gradient().to_vec();
        // Steps −α·g mapped to (w, b): the map from the solver's θ to the original θ is linear.
        let step = |g: &[f64]| -> Vec<f64> {
            let s: Vec<f64> = g.iter().map(|v| -lr * v).collect();
            self.to_original(&s)
        };
        let rays: Vec<Vec<f64>> = batch_grads.iter().map(|g| step(g)).collect();
        let full_ray = step(&full_grad);
        let gnorm = crate::diff::norm(&full_grad);
        let mut dev2 = 0.0;
        let mut max_angle: f64 = 0.0;
        for (g, &sz) in batch_grads.iter().zip(&batch_sizes) {
            let diff: Vec<f64> = g.iter().zip(&full_grad).map(|(a, b)| a - b).collect();
            dev2 += sz as f64 / n as f64 * crate::problem::regression::dot(&diff, &diff);
            let gn = crate::diff::norm(g);
            if gn > 0.0 && gnorm > 0.0 {
                let c = (crate::problem::regression::dot(g, &full_grad) / (gn * gnorm))
                    .clamp(-1.0, 1.0);
                max_angle = max_angle.max(c.acos().to_degrees());
            }
        }
        let spread = Spread {
            rms_relative: if gnorm > 0.0 {
                dev2.sqrt() / gnorm
            } else {
                f64::INFINITY
            },
            max_angle_deg: max_angle,
        };
        // The first update, by the kernel itself.
        let (v_before, a_before, _) = {
            let (a, b, t) = k.optimizer_state();
            (a.to_vec(), b.to_vec(), t)
        };
        k.step_batch(0, m, self.shuffle, lr, &opt);
        let theta1 = k.theta.clone();
        let grad = k.gradient().to_vec();
        let (v_after, a_after, t_after) = {
            let (a, b, t) = k.optimizer_state();
            (a.to_vec(), b.to_vec(), t)
        };
        self.cache = (e - 1, begun);
        let start = self.to_original(&theta0);
        let next = self.to_original(&theta1);

        // ---- the text ----
        let std = self.st.is_some();
        let prime = if std { "′" } else { "" };
        let pname = |i: usize| format!("{}{prime}", self.names[i]);
        let feat = |j: usize| -> String {
            let v = if std { "z" } else { "x" };
            if d == 1 {
                format!("{v}ᵢ")
            } else {
                format!("{v}{}ᵢ", subscript(j + 1))
            }
        };
        let resid = if d == 1 {
            format!(
                "{}·{}{}",
                pname(0),
                feat(0),
                if self.intercept {
                    format!(" + b{prime}")
                } else {
                    String::new()
                }
            )
        } else {
            format!(
                "{}ᵢ·w{prime}{}",
                if std { "z" } else { "x" },
                if self.intercept {
                    format!(" + b{prime}")
                } else {
                    String::new()
                }
            )
        };
        let resid = format!("{resid} − yᵢ");
        let full = m >= n;
        let update_no = (e - 1) * nb + 1;
        let mut lines = vec![
            if full {
                format!(
                    "Epoch {e} (update {update_no}): batch GD, the batch is all m = {n} rows, one update per epoch."
                )
            } else {
                format!(
                    "Epoch {e}, update 1 of {nb} (update {update_no} of the run): mini-batch B = the first batch ({} rows{}) of this epoch's {}.",
                    batch_sizes[0],
                    if batch_sizes[0] < m { ", the short last block" } else { "" },
                    match self.shuffle {
                        Shuffle::Samples => "shuffled order",
                        Shuffle::Batches => "batch order",
                        Shuffle::None => "file order",
                    }
                )
            },
            format!(
                "M = batch size (here M = {m}); m = number of rows (here m = {n}){}.",
                if full {
                    String::new()
                } else {
                    format!("; {nb} mini-batches per epoch")
                }
            ),
            format!(
                "Loss of the batch: L_B = (1/M)·Σ_B rᵢ², rᵢ = {resid} (MSE: hence the 2 in 2/M; ½MSE would give 1/M)."
            ),
        ];
        if let Some(s) = &self.st {
            let mu = |j: usize| num(s.mean[j]);
            let sd = |j: usize| num(s.scale[j]);
            let names: Vec<String> = (0..p).map(pname).collect();
            lines.push(if d == 1 {
                if self.intercept {
                    format!(
                        "Standardized features: the solver runs on z = (x − μ)/σ with μ = {}, σ = {}, i.e. on w′ = w·σ, b′ = b + w·μ; where the epoch begins (w, b) = {} ⇒ (w′, b′) = {}.",
                        mu(0),
                        sd(0),
                        crate::lab::explain::vec(&start),
                        crate::lab::explain::vec(&theta0)
                    )
                } else {
                    format!(
                        "Scaled feature: the solver runs on z = x/s with s = {} (root mean square of x), i.e. on w′ = w·s; where the epoch begins w = {} ⇒ w′ = {}.",
                        sd(0),
                        num(start[0]),
                        num(theta0[0])
                    )
                }
            } else {
                format!(
                    "Standardized features: the solver runs on zⱼ = (xⱼ − μⱼ)/σⱼ, i.e. on wⱼ′ = wⱼ·σⱼ{}; where the epoch begins ({}) = {}.",
                    if self.intercept { ", b′ = b + Σ wⱼ·μⱼ" } else { "" },
                    names.join(", "),
                    crate::lab::explain::vec(&theta0)
                )
            });
        }
        let (sx, sb, _, rows) = &sums[0];
        let two = format!("(2/{rows})");
        for i in 0..p {
            let (term, s) = if i < d {
                (format!("{}·rᵢ", feat(i)), sx[i])
            } else {
                ("rᵢ".to_string(), *sb)
            };
            lines.push(format!(
                "grad_{} = (2/M)·Σ_B {term} = {two}·({}) = {}",
                pname(i),
                num(s),
                num(grad[i])
            ));
        }
        let v1 = self.cfg.update_rules == UpdateRules::V1;
        for i in 0..p {
            let name = pname(i);
            let (old, new, g) = (num(theta0[i]), num(theta1[i]), num(grad[i]));
            let a = num(lr);
            match opt {
                Optimizer::Plain => lines.push(format!(
                    "{name} ← {name} − α·grad_{name} = {old} − {a}·({g}) = {new}"
                )),
                Optimizer::Momentum { beta } if v1 => lines.push(format!(
                    "v_{name} ← β·v_{name} + grad_{name} = {}·({}) + ({g}) = {};  {name} ← {name} − α·v_{name} = {old} − {a}·({}) = {new}",
                    num(beta),
                    num(v_before[i]),
                    num(v_after[i]),
                    num(v_after[i])
                )),
                Optimizer::Momentum { beta } => lines.push(format!(
                    "v_{name} ← β·v_{name} − α·grad_{name} = {}·({}) − {a}·({g}) = {};  {name} ← {name} + v_{name} = {old} + ({}) = {new}",
                    num(beta),
                    num(v_before[i]),
                    num(v_after[i]),
                    num(v_after[i])
                )),
                Optimizer::Adam { beta1, beta2, epsilon } => {
                    let t = t_after as f64;
                    let mh = v_after[i] / (1.0 - beta1.powf(t));
                    let vh = a_after[i] / (1.0 - beta2.powf(t));
                    lines.push(format!(
                        "Adam, t = {t_after}: m ← {}·({}) + {}·({g}) = {}, v ← {}·({}) + {}·({g})² = {};  {name} ← {name} − α·m̂/(√v̂ + ε) = {old} − {a}·({})/(√({}) + {epsilon:e}) = {new}",
                        num(beta1),
                        num(v_before[i]),
                        num(1.0 - beta1),
                        num(v_after[i]),
                        num(beta2),
                        num(a_before[i]),
                        num(1.0 - beta2),
                        num(a_after[i]),
                        num(mh),
                        num(vh)
                    ));
                }
            }
        }
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        let tuple = format!("({})", names.join(", "));
        lines.push(match &self.st {
            Some(_) if d == 1 && self.intercept => format!(
                "Back to x: w = w′/σ = {}, b = b′ − w·μ = {}: the run's next point (w, b) = {}.",
                num(next[0]),
                num(next[1]),
                crate::lab::explain::vec(&next)
            ),
            Some(_) => format!(
                "Back to x (wⱼ = wⱼ′/σⱼ{}): the run's next point {tuple} = {}.",
                if self.intercept {
                    ", b = b′ − Σ wⱼ·μⱼ"
                } else {
                    ""
                },
                crate::lab::explain::vec(&next)
            ),
            None => format!(
                "The run's next point {tuple} = {}.",
                crate::lab::explain::vec(&next)
            ),
        });
        if full {
            lines.push(if self.intercept {
                format!(
                    "With M = m this is batch gradient descent: grad_w = (2/m)·Xᵀ(Xw + b − y), grad_b = (2/m)·Σ (Xw + b − y)ᵢ{}.",
                    if std { " (with Z for X)" } else { "" }
                )
            } else {
                format!(
                    "With M = m this is batch gradient descent: grad_w = (2/m)·Xᵀ(Xw − y){}.",
                    if std { " (with Z for X)" } else { "" }
                )
            });
        }
        let spread_line = if full {
            format!("Epoch {e}: batch GD's one batch is all m = {n} rows: its gradient is the full gradient.")
        } else {
            format!(
                "Epoch {e}: the {nb} mini-batch gradients (M = {m}) where the epoch begins scatter around the full gradient ∇L (their batch-size-weighted mean): RMS ‖∇L_B − ∇L‖ = {}·‖∇L‖, largest angle from ∇L {}°.",
                num(spread.rms_relative),
                num(spread.max_angle_deg)
            )
        };
        let caption = if full {
            format!(
                "Epoch {e}: batch GD has one batch (all m = {n} rows), so its gradient is the full gradient: one black ray, the step −α·∇L."
            )
        } else {
            let spread_text = if spread.rms_relative.is_finite() {
                format!(
                    "spread: RMS ‖∇L_B − ∇L‖ = {}·‖∇L‖, largest angle from ∇L {}°{}",
                    num(spread.rms_relative),
                    num(spread.max_angle_deg),
                    if std {
                        " (in the standardized coordinates the solver uses)"
                    } else {
                        ""
                    }
                )
            } else {
                "∇L = 0 here: every ray is gradient noise".to_string()
            };
            format!(
                "Epoch {e}: the {nb} mini-batch gradients (M = {m}) where the epoch begins, each drawn as the step −α·∇L_B that batch alone would take (white; the first one, pink, is the update written out), and the full-batch step −α·∇L (black). Weighted by batch size, the white rays average to the black one; {spread_text}."
            )
        };
        Some(WorkedUpdate {
            epoch: e,
            update: update_no,
            batch_size: m,
            rows: n,
            batches: nb,
            learning_rate: lr,
            start,
            next,
            grad,
            batch_grads,
            batch_sizes,
            full_grad,
            rays,
            full_ray,
            spread,
            lines,
            caption,
            spread_text: spread_line,
        })
    }
}

/// A run as the tables show it at the playback epoch: the epoch record's numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShownRun {
    /// The epoch shown (≤ the run's last).
    pub epoch: usize,
    /// θ = [w…, b] after that epoch (original scale).
    pub theta: Vec<f64>,
    /// Full-data MSE after that epoch.
    pub loss: f64,
    /// ‖θ − θ_QR‖ after that epoch, when known.
    pub distance_to_exact: Option<f64>,
    /// Updates made up to the end of that epoch.
    pub updates: usize,
}

/// Run `trace` (batch size `batch_size`, 0 = full, on `n` rows) at epoch `epoch` (`None` = the
/// end; clamped to the run's last epoch).
pub fn shown_run(
    trace: &crate::solver::minibatch::RegressionTrace,
    batch_size: usize,
    n: usize,
    epoch: Option<usize>,
) -> ShownRun {
    let last = trace.epochs.len() - 1;
    let e = epoch.map_or(last, |e| e.min(last));
    let r = &trace.epochs[e];
    let per_epoch = if batch_size == 0 || batch_size >= n {
        1
    } else {
        n.div_ceil(batch_size)
    };
    ShownRun {
        epoch: r.k,
        theta: r.x.clone(),
        loss: r.f,
        distance_to_exact: r.extra("distance_to_exact"),
        // At the end: the updates the run made (also when it stopped mid-way).
        updates: if e == last {
            trace.steps.last().k
        } else {
            r.k * per_epoch
        },
    }
}
