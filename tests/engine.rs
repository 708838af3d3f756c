//! What the page's Web Worker computes (src/web/engine.rs) is what the page would have computed
//! itself: runs split solver by solver (for progress) equal the joint run bit for bit, and the
//! MessagePack bytes that carry a result to the page decode to exactly that result — for every
//! guided experiment of every lab.

use gradlab::lab::fit::{self, FitExperiment, FitResult, Landscape};
use gradlab::lab::presets::presets;
use gradlab::lab::regression::{self, RegressionExperiment, RegressionResult};
use gradlab::lab::surfaces::Experiment;
use gradlab::trace::{Trace, TraceColumns};
use serde::{de::DeserializeOwned, Serialize};

/// Encode as the worker does, decode as the page does.
fn round_trip<T: Serialize + DeserializeOwned>(value: &T) -> T {
    let bytes = rmp_serde::to_vec_named(value).expect("encodes");
    rmp_serde::from_slice(&bytes).expect("decodes")
}

/// Bit-exact comparison of traces (NaN-safe, unlike `==`): the fingerprints.
fn prints(traces: &[Trace]) -> Vec<u64> {
    traces.iter().map(|t| t.fingerprint()).collect()
}

#[test]
fn surfaces_races_split_per_solver_equal_the_joint_run_and_survive_the_trip() {
    let mut checked = 0;
    for p in presets().into_iter().filter(|p| p.lab == "surfaces") {
        let e: Experiment = serde_json::from_value(p.config.clone()).unwrap();
        let joint = e.run().unwrap();
        let mut seen = vec![];
        let split = e.run_each(&mut |f| seen.push(f)).unwrap();
        assert_eq!(prints(&split), prints(&joint), "{}", p.id);
        assert_eq!(
            seen.len(),
            e.solvers.len(),
            "{}: one progress report per solver",
            p.id
        );
        assert_eq!(seen.last(), Some(&1.0));
        assert!(seen.windows(2).all(|w| w[0] < w[1]));
        // As the worker sends them: columns, each a byte string of f64s.
        let columns: Vec<TraceColumns> = split.iter().map(TraceColumns::from).collect();
        let back: Vec<Trace> = round_trip(&columns)
            .into_iter()
            .map(|c| Trace::try_from(c).unwrap())
            .collect();
        assert_eq!(prints(&back), prints(&joint), "{}", p.id);
        // Debug text, not `==`: a gradient-free run records NaN gradient norms (NaN ≠ NaN).
        assert_eq!(
            format!("{back:?}"),
            format!("{split:?}"),
            "{}: every field, extras and simplices included",
            p.id
        );
        checked += 1;
    }
    assert!(checked >= 4, "{checked} surfaces presets");
}

#[test]
fn regression_runs_split_per_run_equal_the_joint_run_and_survive_the_trip() {
    let mut checked = 0;
    for p in presets().into_iter().filter(|p| p.lab == "regression") {
        let e: RegressionExperiment = serde_json::from_value(p.config.clone()).unwrap();
        let joint = regression::run(&e).unwrap();
        let split = regression::run_each(&e, &mut |_| {}).unwrap();
        let back: RegressionResult = round_trip(&split);
        for r in [&split, &back] {
            assert_eq!(r.traces.len(), joint.traces.len(), "{}", p.id);
            for (a, b) in r.traces.iter().zip(&joint.traces) {
                assert_eq!(a.steps.fingerprint(), b.steps.fingerprint(), "{}", p.id);
            }
        }
        assert_eq!(
            serde_json::to_string(&back).unwrap(),
            serde_json::to_string(&joint).unwrap(),
            "{}: the whole result",
            p.id
        );
        checked += 1;
    }
    assert!(checked >= 1, "{checked} regression presets");
    assert!(
        presets().iter().any(|p| p.lab == "regression"
            && p.config["solvers"].as_array().is_some_and(|s| s.len() >= 3)),
        "a regression preset races several runs"
    );
}

#[test]
fn fits_split_per_solver_equal_the_joint_fit_and_the_landscape_survives_the_trip() {
    let mut checked = 0;
    for p in presets().into_iter().filter(|p| p.lab == "fit") {
        let e: FitExperiment = serde_json::from_value(p.config.clone()).unwrap();
        if matches!(e.model, fit::FitModel::Nist { .. }) {
            continue; // needs the NIST file: the builtin-model presets cover the code path
        }
        let joint = fit::run(&e).unwrap();
        let mut seen = 0;
        let (split, landscape) = fit::run_each(&e, None, &mut |_| seen += 1).unwrap();
        let n = e.solvers.len();
        assert_eq!(
            seen,
            if n > 1 { n + 1 } else { 1 },
            "{}: a report per solver and one for the landscape",
            p.id
        );
        let (back, back_land): (FitResult, Option<Landscape>) =
            round_trip(&(split.clone(), landscape.clone()));
        for r in [&split, &back] {
            let a: Vec<_> = r.runs.iter().map(|r| r.run.trace.fingerprint()).collect();
            let b: Vec<_> = joint
                .runs
                .iter()
                .map(|r| r.run.trace.fingerprint())
                .collect();
            assert_eq!(a, b, "{}", p.id);
        }
        assert_eq!(back_land, landscape);
        if joint.param_names.len() == 2 {
            let l = landscape.expect("a 2-parameter model has a landscape");
            assert_eq!(l.values.len(), l.nx * l.ny);
        }
        checked += 1;
    }
    assert!(checked >= 2, "{checked} fit presets");
}
