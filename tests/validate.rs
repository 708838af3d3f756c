//! One validator: for every numeric range the page's forms check, the edge values (min, max,
//! just outside both, NaN and ±inf) get the same verdict from the form's parser and from the
//! config validator that links, `setState` and postMessage go through (`PageState::validate`,
//! and `PageState::from_json` for the JSON path) — and a refusal names the field and the range.

use gradlab::lab::form::{short, Range};
use gradlab::lab::link::{LabConfig, PageState};
use gradlab::lab::regression::DataSource;
use gradlab::lab::regression::{self, RegressionExperiment, RegressionForm};
use gradlab::lab::surfaces::{self, Experiment, SurfaceForm};
use gradlab::problem::regression::generate::LinearSpec;
use gradlab::solver::minibatch::Decay;
use gradlab::solver::schedule::Schedule;

/// The values tried for `range`: its edges, one step beyond each, and (for the config) the
/// non-finite numbers a JSON or link payload cannot hold but a JS caller may try.
fn edges(range: &Range) -> Vec<f64> {
    let beyond = |v: f64, dir: f64| {
        if range.whole {
            v + dir
        } else {
            let step = (v.abs() * 1e-9).max(1e-12);
            v + dir * step
        }
    };
    let mut v = vec![
        range.min,
        range.max,
        beyond(range.min, -1.0),
        beyond(range.max, 1.0),
        (range.min + range.max) / 2.0,
        1e300,
        -1e300,
    ];
    if range.whole {
        v.push(range.min + 0.5);
    }
    v.retain(|x| !(range.whole && *x < 0.0 && range.min >= 0.0 && x.fract() != 0.0));
    v
}

fn expected(range: &Range, v: f64) -> bool {
    let low = if range.above_min {
        v > range.min
    } else {
        v >= range.min
    };
    v.is_finite() && low && v <= range.max && !(range.whole && v.fract() != 0.0)
}

/// The form's verdict on `text` in `field` (only that field's messages count).
fn form_verdict<E>(
    apply: impl Fn(&str) -> Result<E, Vec<gradlab::lab::form::FieldError>>,
    field: &str,
    text: &str,
) -> Result<(), String> {
    match apply(text) {
        Ok(_) => Ok(()),
        Err(errors) => {
            let mine: Vec<_> = errors.iter().filter(|e| e.field == field).collect();
            if mine.is_empty() {
                panic!("{field} = {text}: the form refused another field: {errors:?}");
            }
            Err(mine[0].message.clone())
        }
    }
}

fn config_verdict(lab: LabConfig) -> Result<(), String> {
    let state = PageState::new(lab);
    let direct = state.validate();
    // The JSON path (`setState`, postMessage, imported files) when the value is representable.
    if let Ok(json) = serde_json::to_string(&state) {
        if !json.contains("null") {
            let via_json = PageState::from_json(&json)
                .map(|_| ())
                .map_err(|e| e.message);
            assert_eq!(
                direct.is_ok(),
                via_json.is_ok(),
                "{json}: validate {direct:?} vs from_json {via_json:?}"
            );
        }
    }
    direct
}

/// One row of a lab's table: a range, the form field that types it, how a value is typed into
/// the form, how it is put into the config, and values to leave out (refused by both, but by a
/// check between two fields rather than by the range).
struct Case<F, E> {
    range: Range,
    field: &'static str,
    form: fn(&mut F, &str),
    config: fn(&mut E, f64),
    skip: &'static [f64],
}

/// Runs every row of `cases`: each edge value typed into `form` (then `apply`) and set in `base`
/// (then `wrap` into a lab config for the validator) must get the same verdict and messages.
fn check_table<F: Clone, E: Clone, S>(
    cases: &[Case<F, E>],
    form: &F,
    base: &E,
    apply: impl Fn(&F, &E) -> Result<S, Vec<gradlab::lab::form::FieldError>>,
    wrap: fn(E) -> LabConfig,
) {
    for c in cases {
        check_range(
            &c.range,
            c.field,
            |text: &str| {
                let mut f = form.clone();
                (c.form)(&mut f, text);
                apply(&f, base)
            },
            |v: f64| {
                let mut e = base.clone();
                (c.config)(&mut e, v);
                wrap(e)
            },
            c.skip,
        );
    }
}

fn check_range<S>(
    range: &Range,
    field: &str,
    form_apply: impl Fn(&str) -> Result<S, Vec<gradlab::lab::form::FieldError>>,
    config_with: impl Fn(f64) -> LabConfig,
    skip: &[f64],
) {
    for v in edges(range).into_iter().filter(|v| !skip.contains(v)) {
        let want = expected(range, v);
        let text = format!("{v:e}");
        let form = form_verdict(&form_apply, field, &text);
        let config = config_verdict(config_with(v));
        assert_eq!(form.is_ok(), want, "{field} = {v}: form says {form:?}");
        assert_eq!(
            config.is_ok(),
            want,
            "{} = {v}: validator says {config:?}",
            range.label
        );
        if let (Err(f), Err(c)) = (&form, &config) {
            assert_eq!(f, &range.allowed(), "{field} = {v}");
            assert_eq!(
                c,
                &format!("{}: {} (got {})", range.label, range.allowed(), short(v)),
                "{field} = {v}"
            );
        }
    }
    // Non-finite numbers: the form refuses the text, the validator the value.
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert!(form_verdict(&form_apply, field, &format!("{v}")).is_err());
        let c = config_verdict(config_with(v));
        assert!(
            c.is_err(),
            "{} = {v} accepted by the validator",
            range.label
        );
    }
}

#[test]
fn surfaces_form_and_validator_agree_on_every_range() {
    use surfaces::ranges as r;
    type C = Case<SurfaceForm, Experiment>;
    // View box: the other side is moved out of the way so that only the range decides; the edge
    // that leaves no room for the other side is refused by both, but as "max > min".
    let cases: [C; 7] = [
        Case {
            range: r::START_X,
            field: "start_x",
            form: |f, t| f.start_x = t.into(),
            config: |e, v| e.start[0] = v,
            skip: &[],
        },
        Case {
            range: r::START_Y,
            field: "start_y",
            form: |f, t| f.start_y = t.into(),
            config: |e, v| e.start[1] = v,
            skip: &[],
        },
        Case {
            range: r::X_MIN,
            field: "x_min",
            form: |f, t| {
                f.x_min = t.into();
                f.x_max = "1e6".into()
            },
            config: |e, v| {
                e.view.view_box.x_min = v;
                e.view.view_box.x_max = 1e6;
            },
            skip: &[1e6],
        },
        Case {
            range: r::X_MAX,
            field: "x_max",
            form: |f, t| {
                f.x_max = t.into();
                f.x_min = "-1e6".into()
            },
            config: |e, v| {
                e.view.view_box.x_max = v;
                e.view.view_box.x_min = -1e6;
            },
            skip: &[-1e6],
        },
        Case {
            range: r::Y_MIN,
            field: "y_min",
            form: |f, t| {
                f.y_min = t.into();
                f.y_max = "1e6".into()
            },
            config: |e, v| {
                e.view.view_box.y_min = v;
                e.view.view_box.y_max = 1e6;
            },
            skip: &[1e6],
        },
        Case {
            range: r::Y_MAX,
            field: "y_max",
            form: |f, t| {
                f.y_max = t.into();
                f.y_min = "-1e6".into()
            },
            config: |e, v| {
                e.view.view_box.y_max = v;
                e.view.view_box.y_min = -1e6;
            },
            skip: &[-1e6],
        },
        Case {
            range: r::QUADRATIC_CONDITION,
            field: "quadratic_condition",
            form: |f, t| f.quadratic_condition = t.into(),
            config: |e, v| e.quadratic_condition = v,
            skip: &[],
        },
    ];
    let base = Experiment::default();
    let form = SurfaceForm::from_experiment(&base);
    check_table(&cases, &form, &base, |f, b| f.apply(b), LabConfig::Surfaces);
}

#[test]
fn surfaces_schedule_period_agrees() {
    let r = surfaces::ranges::SCHEDULE_EVERY;
    let base = Experiment::default();
    let mut form = SurfaceForm::from_experiment(&base);
    form.schedule = "step_decay".into();
    form.schedule_a = "0.5".into();
    for v in [1.0, 1e6, 0.0, 1e6 + 1.0, 1.5] {
        form.schedule_b = format!("{v}");
        let f = form.apply(&base).map(|_| ());
        let mut e = base.clone();
        e.schedule = Schedule::StepDecay {
            every: v as usize,
            gamma: 0.5,
        };
        let c = config_verdict(LabConfig::Surfaces(e));
        let want = r.check(v).is_ok();
        assert_eq!(f.is_ok(), want, "schedule period {v}: form {f:?}");
        if v.fract() == 0.0 {
            assert_eq!(c.is_ok(), want, "schedule period {v}: validator {c:?}");
        }
    }
}

/// The case: a start of (1e300, 1e300) is a named error before anything runs.
#[test]
fn far_start_is_a_named_link_error() {
    let e = Experiment {
        start: [1e300, 1e300],
        ..Experiment::default()
    };
    let json = serde_json::to_string(&PageState::new(LabConfig::Surfaces(e))).unwrap();
    let err = PageState::from_json(&json).unwrap_err();
    assert_eq!(
        err.message,
        "start x: must be between −1e6 and 1e6 (got 1e300)"
    );
}

#[test]
fn regression_form_and_validator_agree_on_every_range() {
    use regression::ranges as r;
    let mut base = RegressionExperiment {
        data: DataSource::Generated(LinearSpec {
            n: 100,
            ..LinearSpec::default()
        }),
        ..RegressionExperiment::default()
    };
    base.solvers.truncate(1);
    let form = RegressionForm::from_experiment(&base);
    fn spec(e: &mut RegressionExperiment) -> &mut LinearSpec {
        match &mut e.data {
            DataSource::Generated(s) => s,
            _ => unreachable!(),
        }
    }
    type C = Case<RegressionForm, RegressionExperiment>;
    let cases: [C; 6] = [
        Case {
            range: r::LEARNING_RATE,
            field: "learning_rate",
            form: |f, t| f.learning_rate = t.into(),
            config: |e, v| e.solvers[0].learning_rate = v,
            skip: &[],
        },
        Case {
            range: r::SLOPE,
            field: "slope",
            form: |f, t| f.slope = t.into(),
            config: |e, v| spec(e).slope = v,
            skip: &[],
        },
        Case {
            range: r::INTERCEPT,
            field: "true_intercept",
            form: |f, t| f.true_intercept = t.into(),
            config: |e, v| spec(e).intercept = v,
            skip: &[],
        },
        Case {
            range: r::NOISE,
            field: "noise",
            form: |f, t| f.noise = t.into(),
            config: |e, v| spec(e).noise = v,
            skip: &[],
        },
        // x range: the other end moved out of the way; the edge that leaves no room is refused
        // by both as "x max > x min" (tested below).
        Case {
            range: r::DATA_X_MIN,
            field: "x_min",
            form: |f, t| {
                f.x_min = t.into();
                f.x_max = "1e9".into()
            },
            config: |e, v| {
                spec(e).x_min = v;
                spec(e).x_max = 1e9;
            },
            skip: &[1e9],
        },
        Case {
            range: r::DATA_X_MAX,
            field: "x_max",
            form: |f, t| {
                f.x_max = t.into();
                f.x_min = "-1e9".into()
            },
            config: |e, v| {
                spec(e).x_max = v;
                spec(e).x_min = -1e9;
            },
            skip: &[-1e9],
        },
    ];
    check_table(
        &cases,
        &form,
        &base,
        |f, b| f.apply(b),
        LabConfig::Regression,
    );
    // x min ≥ x max: refused by both.
    for (lo, hi) in [(1.0, 1.0), (2.0, 1.0)] {
        let mut f = form.clone();
        f.x_min = format!("{lo}");
        f.x_max = format!("{hi}");
        assert!(form_verdict(|_| f.apply(&base), "x_max", "").is_err());
        let mut e = base.clone();
        spec(&mut e).x_min = lo;
        spec(&mut e).x_max = hi;
        let c = config_verdict(LabConfig::Regression(e)).unwrap_err();
        assert_eq!(
            c,
            format!("x max must be greater than x min (got {lo} … {hi})")
        );
    }
    // Integer fields: the config holds integers, so only whole values reach the validator.
    let apply_with = |set: fn(&mut RegressionForm, &str)| {
        let base = base.clone();
        let form = form.clone();
        move |text: &str| {
            let mut f = form.clone();
            set(&mut f, text);
            f.apply(&base)
        }
    };
    let config_with = |set: fn(&mut RegressionExperiment, f64)| {
        let base = base.clone();
        move |v: f64| {
            let mut e = base.clone();
            set(&mut e, v);
            LabConfig::Regression(e)
        }
    };
    for (range, field, set_form, set_config) in [(
        r::BATCH_SIZE,
        "batch_size",
        (|f: &mut RegressionForm, t: &str| f.batch_size = t.into())
            as fn(&mut RegressionForm, &str),
        (|e: &mut RegressionExperiment, v: f64| e.solvers[0].batch_size = v as usize)
            as fn(&mut RegressionExperiment, f64),
    )] {
        for v in [range.min, range.max, range.max + 1.0] {
            let text = format!("{v}");
            let f = form_verdict(apply_with(set_form), field, &text);
            let c = config_verdict(config_with(set_config)(v));
            let want = expected(&range, v);
            assert_eq!(f.is_ok(), want, "{field} = {v}: form {f:?}");
            assert_eq!(c.is_ok(), want, "{field} = {v}: validator {c:?}");
        }
    }
    // Seeds: any u64, read exactly by the form (a link may carry any u64 seed).
    for v in [0u64, 4294967296, u64::MAX] {
        let mut f = form.clone();
        f.seed = v.to_string();
        f.data_seed = v.to_string();
        let e = f.apply(&base).expect("any u64 seed");
        assert_eq!(e.solvers[0].seed, v);
        assert!(matches!(&e.data, DataSource::Generated(s) if s.seed == v));
        assert!(config_verdict(LabConfig::Regression(e)).is_ok());
    }
    for bad in ["-1", "1.5", "18446744073709551616"] {
        let mut f = form.clone();
        f.seed = bad.into();
        assert!(
            form_verdict(|_| f.apply(&base), "seed", bad).is_err(),
            "{bad}"
        );
    }
    // Decay: inverse-time rate and the step-decay interval.
    let mut f = form.clone();
    f.decay = "inverse_time".into();
    for v in [0.0, 1e3, 1e3 + 1e-6, -1e-9] {
        f.decay_value = format!("{v}");
        let fv = f.apply(&base).map(|_| ());
        let mut e = base.clone();
        e.solvers[0].decay = Decay::InverseTime { rate: v };
        let c = config_verdict(LabConfig::Regression(e));
        assert_eq!(
            fv.is_ok(),
            c.is_ok(),
            "decay rate {v}: form {fv:?} vs {c:?}"
        );
        assert_eq!(fv.is_ok(), expected(&r::DECAY_RATE, v));
    }
}

/// The fit lab never drops data silently: more CSV rows than it takes is a named refusal, from
/// the form and from the link/`setState` validator alike, and the limit itself is accepted.
#[test]
fn fit_csv_over_the_limit_is_named() {
    use gradlab::lab::fit::{FitData, FitExperiment, FitForm, PAGE_MAX_POINTS};
    let csv = |rows: usize| {
        let mut t = String::from("x,y\n");
        for i in 0..rows {
            t.push_str(&format!("{},{}\n", i as f64 * 1e-3, (i % 7) as f64));
        }
        t
    };
    let mut form = FitForm::from_experiment(&FitExperiment::default(), None);
    form.data = "csv".into();
    form.csv = csv(PAGE_MAX_POINTS + 1);
    let errors = form.apply().unwrap_err();
    let m = &errors
        .iter()
        .find(|e| e.field == "csv")
        .expect("a csv error")
        .message;
    assert_eq!(
        m,
        &format!(
            "this CSV has {} rows; the fit lab takes at most {PAGE_MAX_POINTS}",
            PAGE_MAX_POINTS + 1
        )
    );
    form.csv = csv(PAGE_MAX_POINTS);
    let e = form.apply().expect("the limit itself is taken");
    assert!(matches!(&e.data, FitData::Points { x, .. } if x.len() == PAGE_MAX_POINTS));
    assert!(config_verdict(LabConfig::Fit(e.clone())).is_ok());
    // A link or setState with one point more: the same limit, named.
    let mut big = e;
    if let FitData::Points { x, y } = &mut big.data {
        x.push(1.0);
        y.push(1.0);
    }
    let err = config_verdict(LabConfig::Fit(big)).unwrap_err();
    assert!(
        err.contains(&format!("takes at most {PAGE_MAX_POINTS}")),
        "{err}"
    );
}

#[test]
fn fit_form_and_validator_agree_on_every_range() {
    use gradlab::lab::fit::{self, ranges as r, FitData, FitExperiment, FitForm, FitStart};
    fn generated(e: &mut FitExperiment) -> &mut FitData {
        &mut e.data
    }
    fn set_noise(e: &mut FitExperiment, v: f64) {
        if let FitData::Generated { noise, .. } = generated(e) {
            *noise = v;
        }
    }
    fn set_range(e: &mut FitExperiment, r: [f64; 2]) {
        if let FitData::Generated { x_range, .. } = generated(e) {
            *x_range = Some(r);
        }
    }
    type C = Case<FitForm, FitExperiment>;
    // The default model is the Gaussian: three parameters (true values 3, 1, 0.7).
    let cases: [C; 5] = [
        Case {
            range: r::NOISE,
            field: "noise",
            form: |f, t| f.noise = t.into(),
            config: set_noise,
            skip: &[],
        },
        // x range: the other end moved out of the way (as for the regression lab).
        Case {
            range: r::X_FROM,
            field: "x_min",
            form: |f, t| {
                f.x_min = t.into();
                f.x_max = "1e9".into()
            },
            config: |e, v| set_range(e, [v, 1e9]),
            skip: &[1e9],
        },
        Case {
            range: r::X_TO,
            field: "x_max",
            form: |f, t| {
                f.x_max = t.into();
                f.x_min = "-1e9".into()
            },
            config: |e, v| set_range(e, [-1e9, v]),
            skip: &[-1e9],
        },
        Case {
            range: r::TRUE_PARAM,
            field: "true_params.0",
            form: |f, t| f.true_params = vec![t.into(), "1".into(), "0.7".into()],
            config: |e, v| {
                if let FitData::Generated { params, .. } = generated(e) {
                    *params = Some(vec![v, 1.0, 0.7]);
                }
            },
            skip: &[],
        },
        Case {
            range: r::START_VALUE,
            field: "start_values.1",
            form: |f, t| {
                f.start = "values".into();
                f.start_values = vec!["3".into(), t.into(), "0.7".into()];
            },
            config: |e, v| {
                e.start = FitStart::Values {
                    values: vec![3.0, v, 0.7],
                }
            },
            skip: &[],
        },
    ];
    let base = FitExperiment::default();
    let form = FitForm::from_experiment(&base, None);
    check_table(&cases, &form, &base, |f, _| f.apply(), LabConfig::Fit);
    // The number of points: the config holds an integer, so only whole values reach it.
    for v in [0usize, 1, fit::PAGE_MAX_POINTS, fit::PAGE_MAX_POINTS + 1] {
        let mut f = form.clone();
        f.n = v.to_string();
        let fv = form_verdict(|_| f.apply(), "n", "");
        let mut e = base.clone();
        if let FitData::Generated { n, .. } = &mut e.data {
            *n = v;
        }
        let c = config_verdict(LabConfig::Fit(e));
        let want = expected(&r::N, v as f64);
        assert_eq!(fv.is_ok(), want, "n = {v}: form {fv:?}");
        assert_eq!(c.is_ok(), want, "n = {v}: validator {c:?}");
        if !want {
            assert_eq!(fv.unwrap_err(), r::N.allowed());
        }
    }
    for bad in ["1.5", "-1", "abc", ""] {
        let mut f = form.clone();
        f.n = bad.into();
        assert!(form_verdict(|_| f.apply(), "n", bad).is_err(), "n = {bad}");
    }
}

/// Fit configs a link or `setState` could carry that the form cannot show or would refuse on the
/// next edit: each is a named validator error now, never a stuck form.
#[test]
fn fit_link_only_states_are_named_errors() {
    use gradlab::lab::fit::{FitData, FitExperiment, FitModel, FitStart};
    let base = FitExperiment::default();
    let points = |x: Vec<f64>, y: Vec<f64>| FitExperiment {
        data: FitData::Points { x, y },
        ..base.clone()
    };
    let generated = |x_range: Option<[f64; 2]>, params: Option<Vec<f64>>| FitExperiment {
        data: FitData::Generated {
            n: 40,
            noise: 0.05,
            seed: 1,
            x_range,
            params,
        },
        ..base.clone()
    };
    let cases: Vec<(FitExperiment, &str)> = vec![
        (
            generated(Some([2.0, 2.0]), None),
            "x to must be larger than x from (got 2 … 2)",
        ),
        (
            generated(Some([3.0, -1.0]), None),
            "x to must be larger than x from (got 3 … -1)",
        ),
        (
            generated(None, Some(vec![1.0, 2.0])),
            "the model has 3 parameters, 2 true values given",
        ),
        (
            points(vec![1.0], vec![2.0]),
            "1 data point: a fit needs at least 2",
        ),
        (
            points(vec![1.0, 1.0, 1.0], vec![1.0, 2.0, 3.0]),
            "x is constant (every value is 1): it carries no information",
        ),
        (
            points(vec![1.0, 2.0, 3.0], vec![0.5, 0.5, 0.5]),
            "y is constant (every value is 0.5): it carries no information",
        ),
        (
            FitExperiment {
                start: FitStart::Nist { which: 1 },
                ..base.clone()
            },
            "a NIST start needs a NIST model",
        ),
        (
            FitExperiment {
                data: FitData::Nist,
                ..base.clone()
            },
            "NIST data need a NIST model",
        ),
        (
            FitExperiment {
                model: FitModel::Nist {
                    name: "Misra1a".into(),
                },
                data: FitData::Nist,
                start: FitStart::Nist { which: 3 },
                ..base.clone()
            },
            "NIST start must be 1 or 2 (got 3)",
        ),
        (
            FitExperiment {
                model: FitModel::Nist {
                    name: "Misra1a".into(),
                },
                ..base.clone()
            },
            "generated data need a built-in model or a formula",
        ),
    ];
    for (e, want) in cases {
        assert_eq!(config_verdict(LabConfig::Fit(e.clone())), Err(want.into()));
        // Before: the form showing it refused it (or could not show it at all).
        let form = gradlab::lab::fit::FitForm::from_experiment(&e, None);
        assert!(
            !form.apply().is_ok_and(|f| f == e),
            "{want}: the form would have taken it as it is"
        );
    }
    // Two distinct points are enough, as in the CSV box.
    assert!(config_verdict(LabConfig::Fit(points(vec![0.0, 1.0], vec![1.0, 0.0]))).is_ok());
}

/// A polynomial of a CSV with two feature columns: the form refuses the degree, and so does the
/// validator (a link with it would leave the form stuck); one feature column is fine for both.
#[test]
fn regression_polynomial_of_several_columns_is_named() {
    use gradlab::problem::regression::csv::CsvOptions;
    for (text, ok) in [
        ("a,b,y\n1,2,3\n2,1,5\n3,3,4\n", false),
        ("x;y\n1;2\n2;5\n3;4\n", true),
    ] {
        let e = RegressionExperiment {
            data: DataSource::Csv {
                text: text.into(),
                options: CsvOptions::default(),
            },
            polynomial_degree: 2,
            ..RegressionExperiment::default()
        };
        let want =
            "polynomial features need exactly 1 feature column (the CSV has 2): use degree 1";
        let form = RegressionForm::from_experiment(&e).apply(&e).map(|_| ());
        let c = config_verdict(LabConfig::Regression(e));
        if ok {
            assert_eq!((form, c), (Ok(()), Ok(())));
        } else {
            assert_eq!(form.unwrap_err()[0].message, want);
            assert_eq!(c.unwrap_err(), want);
        }
    }
}
