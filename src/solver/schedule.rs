//! Learning-rate schedules for the gradient-descent family: α_k = α · factor(k).
//!
//! Closed forms (k = 0, 1, …):
//! * constant: 1;
//! * step decay: γ^⌊k / s⌋;
//! * exponential: γ^k;
//! * 1/t (inverse time): 1 / (1 + r·k);
//! * cosine (Loshchilov & Hutter 2017, without restarts): m + (1 − m)·½(1 + cos(π·min(k, T)/T)).

use serde::{Deserialize, Serialize};

/// How the learning rate changes with the iteration number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    /// α_k = α.
    #[default]
    Constant,
    /// α_k = α·γ^⌊k/every⌋.
    StepDecay {
        /// Iterations between drops.
        every: usize,
        /// Factor per drop γ ∈ (0, 1].
        gamma: f64,
    },
    /// α_k = α·γ^k.
    Exponential {
        /// Factor per iteration γ ∈ (0, 1].
        gamma: f64,
    },
    /// α_k = α/(1 + r·k).
    InverseTime {
        /// Decay rate r ≥ 0.
        rate: f64,
    },
    /// α_k = α·(m + (1 − m)·½(1 + cos(π·min(k, T)/T))).
    Cosine {
        /// Period T (iterations to reach the minimum).
        period: usize,
        /// Final fraction m ∈ [0, 1] of the learning rate.
        min_factor: f64,
    },
}

impl Schedule {
    /// The factor multiplying the base learning rate at iteration k.
    pub fn factor(&self, k: usize) -> f64 {
        match *self {
            Schedule::Constant => 1.0,
            Schedule::StepDecay { every, gamma } => gamma.powi((k / every.max(1)) as i32),
            Schedule::Exponential { gamma } => gamma.powi(k.min(i32::MAX as usize) as i32),
            Schedule::InverseTime { rate } => 1.0 / (1.0 + rate * k as f64),
            Schedule::Cosine { period, min_factor } => {
                let t = k.min(period.max(1)) as f64 / period.max(1) as f64;
                min_factor
                    + (1.0 - min_factor) * 0.5 * (1.0 + crate::math::cos(std::f64::consts::PI * t))
            }
        }
    }

    /// Checks the parameters, saying what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let unit = |name: &str, g: f64| {
            if g.is_finite() && g > 0.0 && g <= 1.0 {
                Ok(())
            } else {
                Err(format!("schedule: {name} must be in (0, 1] (got {g})"))
            }
        };
        match *self {
            Schedule::Constant => Ok(()),
            Schedule::StepDecay { every, gamma } => {
                if every == 0 {
                    return Err("schedule: drop every ≥ 1 iterations".into());
                }
                unit("γ", gamma)
            }
            Schedule::Exponential { gamma } => unit("γ", gamma),
            Schedule::InverseTime { rate } => {
                if rate.is_finite() && rate >= 0.0 {
                    Ok(())
                } else {
                    Err(format!("schedule: rate must be ≥ 0 (got {rate})"))
                }
            }
            Schedule::Cosine { period, min_factor } => {
                if period == 0 {
                    return Err("schedule: period must be ≥ 1".into());
                }
                if (0.0..=1.0).contains(&min_factor) {
                    Ok(())
                } else {
                    Err(format!(
                        "schedule: final fraction must be in [0, 1] (got {min_factor})"
                    ))
                }
            }
        }
    }

    /// A one-line formula for the page.
    pub fn describe(&self) -> String {
        match *self {
            Schedule::Constant => "αₖ = α".into(),
            Schedule::StepDecay { every, gamma } => format!("αₖ = α·{gamma}^⌊k/{every}⌋"),
            Schedule::Exponential { gamma } => format!("αₖ = α·{gamma}^k"),
            Schedule::InverseTime { rate } => format!("αₖ = α/(1 + {rate}·k)"),
            Schedule::Cosine { period, min_factor } => {
                format!(
                    "αₖ = α·({min_factor} + {}·½(1 + cos(π·min(k,{period})/{period})))",
                    1.0 - min_factor
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_match_the_closed_forms() {
        assert_eq!(Schedule::Constant.factor(1000), 1.0);
        let s = Schedule::StepDecay {
            every: 10,
            gamma: 0.5,
        };
        assert_eq!(
            (s.factor(0), s.factor(9), s.factor(10), s.factor(25)),
            (1.0, 1.0, 0.5, 0.25)
        );
        assert!((Schedule::Exponential { gamma: 0.9 }.factor(3) - 0.729).abs() < 1e-15);
        assert_eq!(Schedule::InverseTime { rate: 0.5 }.factor(4), 1.0 / 3.0);
        let c = Schedule::Cosine {
            period: 100,
            min_factor: 0.1,
        };
        assert_eq!(c.factor(0), 1.0);
        assert!((c.factor(50) - 0.55).abs() < 1e-15, "half-way: m + (1−m)/2");
        assert!((c.factor(100) - 0.1).abs() < 1e-15 && (c.factor(500) - 0.1).abs() < 1e-15);
    }

    #[test]
    fn gradient_descent_follows_the_schedule() {
        use crate::lab::surfaces::Experiment;
        let mut e = Experiment::default();
        e.schedule = Schedule::Exponential { gamma: 0.8 };
        let t = &e.run().unwrap()[0];
        // Step k moves by α·γ^k·‖∇f(x_k)‖ exactly (α = 0.05).
        for k in 0..5 {
            let (a, b) = (&t.iterates[k], &t.iterates[k + 1]);
            let expected = 0.05 * 0.8f64.powi(k as i32) * a.grad_norm;
            assert!(
                (b.step - expected).abs() < 1e-12 * expected.max(1.0),
                "k = {k}"
            );
            assert_eq!(b.extra("alpha"), Some(0.05 * 0.8f64.powi(k as i32)));
        }
    }

    #[test]
    fn bad_parameters_are_named() {
        assert!(Schedule::Exponential { gamma: 1.5 }
            .validate()
            .unwrap_err()
            .contains("γ"));
        assert!(Schedule::StepDecay {
            every: 0,
            gamma: 0.5
        }
        .validate()
        .is_err());
        assert!(Schedule::Cosine {
            period: 10,
            min_factor: 2.0
        }
        .validate()
        .is_err());
    }
}
