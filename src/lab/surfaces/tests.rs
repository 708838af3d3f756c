use super::*;

#[test]
fn the_numpy_peaks_formula_races_like_the_built_in_peaks() {
    // The line from issue 4: equal to the built-in peaks to 1e-12, so the runs agree closely.
    let mut e = Experiment::default();
    e.surface = SurfaceId::Formula;
    e.formula = "3*(1-x)**2*np.exp(-(x**2)-(y+1)**2) - 10*(x/5 - x**3 - y**5)*np.exp(-x**2-y**2) - 1/3*np.exp(-(x+1)**2 - y**2)".into();
    let typed = e.run().unwrap();
    let built_in = Experiment::default().run().unwrap();
    let (a, b) = (typed[0].last(), built_in[0].last());
    assert_eq!(typed[0].stop, built_in[0].stop);
    assert!((a.x[0] - b.x[0]).abs() < 1e-9 && (a.x[1] - b.x[1]).abs() < 1e-9);
    e.formula = "exp(x) + z".into();
    assert!(e.run().unwrap_err().starts_with("formula: "));
}

#[test]
fn default_experiment_runs_and_is_deterministic() {
    let e = Experiment::default();
    let a = e.run().unwrap();
    let b = e.run().unwrap();
    assert_eq!(a, b);
    assert!(a[0].iterations() > 5);
}

#[test]
fn config_round_trips_through_json() {
    let e = Experiment::default();
    let json = serde_json::to_string(&e).unwrap();
    let back: Experiment = serde_json::from_str(&json).unwrap();
    assert_eq!(e, back);
}

#[test]
fn bad_configs_are_rejected_with_a_message() {
    let e = Experiment {
        solvers: vec![SolverConfig::GradientDescent {
            learning_rate: -1.0,
        }],
        ..Default::default()
    };
    assert!(e.run().unwrap_err().contains("learning rate"));
    let mut e = Experiment::default();
    e.stop.max_iterations = 1_000_000_000;
    assert!(e.run().unwrap_err().contains("max iterations"));
    let e = Experiment {
        start: [f64::NAN, 0.0],
        ..Default::default()
    };
    assert!(e.validate().is_err());
}

#[test]
fn every_catalog_method_has_defaults_that_match_the_catalog_and_build() {
    for info in solver_catalog() {
        let c = SolverConfig::default_for(&info.method).expect(&info.method);
        assert_eq!(c.method(), info.method);
        let params = c.params();
        assert_eq!(params.len(), info.params.len(), "{}", info.method);
        for ((name, value), p) in params.iter().zip(&info.params) {
            assert_eq!(*name, p.name);
            assert_eq!(*value, p.default, "{} {}", info.method, p.name);
            assert!(p.min <= p.default && p.default <= p.max);
        }
        let s = c.build().unwrap();
        assert_eq!(s.uses_gradient(), info.uses_gradient, "{}", info.method);
    }
    assert!(SolverConfig::default_for("simulated_annealing").is_none());
}

#[test]
fn out_of_range_hyperparameters_are_rejected_in_words() {
    let adam: SolverConfig = serde_json::from_str(r#"{"method":"adam","beta1":1.5}"#).unwrap();
    let e = adam.build().err().unwrap();
    assert!(e.contains("Adam") && e.contains("beta1"), "{e}");
    let bfgs: SolverConfig =
        serde_json::from_str(r#"{"method":"bfgs","c1":0.5,"c2":0.4}"#).unwrap();
    assert!(bfgs
        .build()
        .err()
        .unwrap()
        .contains("c1 must be smaller than c2"));
    let lbfgs: SolverConfig = serde_json::from_str(r#"{"method":"lbfgs","memory":0}"#).unwrap();
    assert!(lbfgs.build().err().unwrap().contains("memory"));
    let e = Experiment {
        quadratic_condition: 0.5,
        ..Default::default()
    };
    assert!(e.validate().unwrap_err().contains("condition"));
}

#[test]
fn serde_shapes_are_the_documented_ones() {
    let json = serde_json::to_string(&SolverConfig::default_for("lbfgs").unwrap()).unwrap();
    assert_eq!(
        json,
        r#"{"method":"lbfgs","memory":10,"c1":0.0001,"c2":0.9}"#
    );
    assert_eq!(
        serde_json::to_string(&SurfaceId::SixHumpCamel).unwrap(),
        r#""six_hump_camel""#
    );
    let e: Experiment = serde_json::from_str(
        r#"{"surface":"quadratic","quadratic_condition":100,"start":[1,1],
            "solvers":[{"method":"newton"},{"method":"nelder_mead","initial_size":0.5}],
            "gradient":"automatic"}"#,
    )
    .unwrap();
    let traces = e.run().unwrap();
    assert_eq!(traces.len(), 2);
    // Newton on a quadratic: one step to the exact minimizer (0, 0).
    assert_eq!(traces[0].iterations(), 1);
    assert!(traces[0].last().x.iter().all(|v| v.abs() < 1e-14));
}

#[test]
fn every_surface_has_a_valid_catalog_entry() {
    let cat = surface_catalog();
    assert_eq!(cat.len(), SurfaceId::ALL.len());
    for s in &cat {
        assert!(s.view.is_valid(), "{:?}", s.id);
        assert!(!s.formula.is_empty());
        let v = s.view;
        assert!(
            (v.x_min..=v.x_max).contains(&s.start[0]) && (v.y_min..=v.y_max).contains(&s.start[1]),
            "{:?}: start outside the view",
            s.id
        );
        let json = serde_json::to_string(&s.id).unwrap();
        let back: SurfaceId = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s.id);
    }
}

#[test]
fn known_minima_are_refined_to_machine_precision() {
    use crate::lab::surfaces::{Experiment, SurfaceId};
    for s in [
        SurfaceId::Peaks,
        SurfaceId::StyblinskiTang,
        SurfaceId::SixHumpCamel,
        SurfaceId::Rosenbrock,
    ] {
        let e = Experiment {
            surface: s,
            ..Experiment::default()
        };
        let published = s.minima();
        let refined = e.refined_minima();
        assert_eq!(published.len(), refined.len());
        let o = e.objective().unwrap();
        for (p, r) in published.iter().zip(&refined) {
            let mut g = [0.0; 2];
            assert!(o.gradient(&r.x, &mut g) || o.automatic_gradient(&r.x, &mut g));
            assert!(g[0].hypot(g[1]) < 1e-9, "{s:?}: ∇f = {g:?} at {:?}", r.x);
            assert!(
                (r.f - p.f).abs() <= 1e-4 * p.f.abs().max(1.0),
                "{s:?}: {} vs {}",
                r.f,
                p.f
            );
            assert_eq!(r.f, o.value(&r.x));
        }
    }
    // Peaks' global minimum is −6.5511333…, not the published −6.551133.
    let peaks = Experiment::default().refined_minima();
    assert!(
        (peaks[0].f - (-6.551_133_332_835_838)).abs() < 1e-12,
        "{}",
        peaks[0].f
    );
}
