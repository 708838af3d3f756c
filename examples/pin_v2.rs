use gradlab::lab::link::{self, LabConfig, PageState};
use serde_json::json;
fn main() {
    let mut states: Vec<(String, PageState)> = vec![];
    for lab in ["surfaces", "regression", "fit"] {
        states.push((
            format!("default {lab}"),
            PageState::new(LabConfig::default_for(lab).unwrap()),
        ));
    }
    for p in gradlab::lab::presets::presets() {
        let v = json!({"lab": p.lab, "config": p.config});
        let lab: LabConfig = serde_json::from_value(v).unwrap();
        states.push((format!("preset {}", p.id), PageState::new(lab)));
    }
    // Every minimizer on Rosenbrock with finite differences and with AD, and NM/Newton/L-BFGS with only grad_tol.
    let methods = [
        "gradient_descent",
        "gradient_descent_armijo",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "cg_fletcher_reeves",
        "cg_polak_ribiere",
        "bfgs",
        "lbfgs",
        "newton",
        "nelder_mead",
    ];
    for g in ["finite_difference", "automatic", "analytic"] {
        let solvers: Vec<_> = methods.iter().map(|m| json!({"method": m})).collect();
        let v = json!({"lab":"surfaces","config":{"surface":"rosenbrock","start":[-1.2,1.0],"gradient":g,"solvers":solvers,"stop":{"max_iterations":3000,"grad_tol":1e-10}}});
        let lab: LabConfig = serde_json::from_value(v).unwrap();
        states.push((format!("rosenbrock all methods {g}"), PageState::new(lab)));
    }
    // Fit lab: every built-in model, LM + GN, analytic, automatic and FD; NIST problems.
    for id in [
        "exponential_decay",
        "two_exponentials",
        "gaussian",
        "two_gaussians",
        "logistic",
        "michaelis_menten",
        "power_law",
        "damped_sine",
    ] {
        for src in ["analytic", "automatic", "finite_difference"] {
            let v = json!({"lab":"fit","config":{"model":{"kind":"builtin","id":id},"jacobian":{"source":src}}});
            match serde_json::from_value::<LabConfig>(v) {
                Ok(lab) => states.push((format!("fit {id} {src}"), PageState::new(lab))),
                Err(e) => eprintln!("skip {id}: {e}"),
            }
        }
    }
    for name in [
        "BoxBOD", "MGH09", "Misra1a", "Thurber", "Eckerle4", "Bennett5", "Rat43", "Lanczos3",
    ] {
        for start in [1, 2] {
            for src in ["analytic", "finite_difference"] {
                let v = json!({"lab":"fit","config":{"model":{"kind":"nist","name":name},"data":{"kind":"nist"},"start":{"kind":"nist","which":start},"jacobian":{"source":src}}});
                match serde_json::from_value::<LabConfig>(v) {
                    Ok(lab) => {
                        states.push((format!("nist {name} {start} {src}"), PageState::new(lab)))
                    }
                    Err(e) => eprintln!("skip {name}: {e}"),
                }
            }
        }
    }
    for (name, s) in states {
        let l = link::encode(&s).unwrap().link;
        let nist = name.strip_prefix("nist ").map(|r| {
            std::fs::read_to_string(format!(
                "../shared/nist-strd/nonlinear/{}.dat",
                r.split(' ').next().unwrap()
            ))
            .unwrap()
        });
        let traces = match link::run_traces(&s, nist.as_deref()) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{name}: {e}");
                continue;
            }
        };
        let fps: Vec<String> = traces
            .iter()
            .map(|t| format!("{:?}", t.fingerprint))
            .collect();
        println!("    // {name}\n    ({:?}, &[{}]),", l, fps.join(", "));
    }
}
