//! Property tests (proptest) of the round trips a page state and pasted data go through:
//!
//! * config → link → config, for all three labs: any valid config (generated within the ranges
//!   the forms and the validator share) is valid, encodes to a link that decodes to the same
//!   config, and the lab's form showing it accepts it (so a link never leaves a stuck form);
//! * CSV text → data → CSV text → same data, for the regression lab's reader (delimiter, decimal
//!   comma, header, target column) and the curve-fitting lab's x,y reader.

use gradlab::lab::fit::{self, FitData, FitExperiment, FitForm, FitModel, FitSolver, FitStart};
use gradlab::lab::form::Range;
use gradlab::lab::link::{decode, encode, LabConfig, PageState};
use gradlab::lab::regression::{self, DataSource, RegressionExperiment, RegressionForm};
use gradlab::lab::surfaces::{self, Experiment, SolverConfig, SurfaceForm, SurfaceId};
use gradlab::problem::least_squares::ModelId;
use gradlab::problem::regression::csv::{parse, CsvOptions, Decimal, Delimiter, Header};
use gradlab::problem::regression::generate::LinearSpec;
use gradlab::solver::least_squares::{GaussNewtonSettings, LmSettings};
use gradlab::solver::minibatch::{Decay, MiniBatchConfig, Optimizer};
use proptest::prelude::*;
use proptest::sample::select;

/// `n` cases, no failure files (a failing case is printed, shrunk, with the test's output).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A value in `range` (whole numbers for a whole range; `min` itself excluded when it is).
fn in_range(r: Range) -> BoxedStrategy<f64> {
    let lo = r.min;
    let hi = r.max;
    if r.whole {
        (lo as i64..=hi as i64).prop_map(|v| v as f64).boxed()
    } else if r.above_min {
        (lo..=hi).prop_filter("above min", move |v| *v > lo).boxed()
    } else {
        // The edges, anywhere between, and small numbers (where most values are).
        prop_oneof![
            Just(lo),
            Just(hi),
            lo..=hi,
            (-1.0..1.0f64).prop_map(move |v| v.clamp(lo, hi))
        ]
        .boxed()
    }
}

fn link_round_trip(lab: LabConfig) -> Result<(), TestCaseError> {
    let state = PageState::new(lab);
    prop_assert_eq!(state.validate(), Ok(()));
    let e = encode(&state).map_err(TestCaseError::fail)?;
    let back = decode(&e.link).map_err(|e| TestCaseError::fail(e.message))?;
    prop_assert_eq!(&back, &e.state);
    if e.notice.is_none() {
        prop_assert_eq!(&back, &state);
    }
    Ok(())
}

// ---- surfaces ----

/// A solver of the surfaces lab with every hyperparameter drawn from the catalog's range.
fn surface_solver() -> impl Strategy<Value = SolverConfig> {
    let catalog = surfaces::solver_catalog();
    (0..catalog.len(), prop::collection::vec(0.0..=1.0f64, 8)).prop_map(move |(k, t)| {
        let info = &catalog[k];
        let mut json = serde_json::json!({ "method": info.method });
        for (p, t) in info.params.iter().zip(t) {
            let v = if p.integer {
                (p.min + (t * (p.max - p.min)).floor()).min(p.max)
            } else if p.log_scale && p.min > 0.0 {
                (p.min.ln() + t * (p.max.ln() - p.min.ln()))
                    .exp()
                    .clamp(p.min, p.max)
            } else {
                p.min + t * (p.max - p.min)
            };
            json[&p.name] = if p.integer {
                serde_json::json!(v as u64)
            } else {
                serde_json::json!(v)
            };
        }
        let s: SolverConfig = serde_json::from_value(json).expect("a catalog solver");
        // Hyperparameters that only work together (c₁ < c₂ …): the default then.
        if s.validate().is_ok() {
            s
        } else {
            SolverConfig::default_for(&info.method).expect("a default")
        }
    })
}

fn surfaces_config() -> impl Strategy<Value = Experiment> {
    use surfaces::ranges as r;
    (
        select(SurfaceId::ALL.to_vec()),
        in_range(r::START_X),
        in_range(r::START_Y),
        prop::collection::vec(surface_solver(), 1..4),
        in_range(r::QUADRATIC_CONDITION),
        (-1e6..1e6f64, 1e-3..1e3f64, -1e6..1e6f64, 1e-3..1e3f64),
        1usize..2000,
    )
        .prop_filter_map(
            "a view box inside the ranges",
            |(surface, x, y, solvers, kappa, (x0, w, y0, h), iters)| {
                let mut e = Experiment {
                    surface,
                    start: [x, y],
                    solvers,
                    quadratic_condition: kappa,
                    ..Experiment::default()
                };
                if surface == SurfaceId::Formula {
                    e.formula = "(x - 1)**2 + 3*sin(y)".into();
                }
                e.stop.max_iterations = iters;
                let b = &mut e.view.view_box;
                (b.x_min, b.x_max, b.y_min, b.y_max) = (x0, x0 + w, y0, y0 + h);
                (x0 + w <= 1e6 && y0 + h <= 1e6).then_some(e)
            },
        )
}

proptest! {
    #![proptest_config(cases(200))]

    #[test]
    fn surfaces_config_link_config(e in surfaces_config()) {
        link_round_trip(LabConfig::Surfaces(e.clone()))?;
        let form = SurfaceForm::from_experiment(&e);
        let applied = form.apply(&e);
        prop_assert!(applied.is_ok(), "the form refuses a valid config: {:?}", applied);
    }
}

// ---- regression ----

fn minibatch() -> impl Strategy<Value = MiniBatchConfig> {
    use regression::ranges as r;
    let decay = prop_oneof![
        Just(Decay::None),
        in_range(r::DECAY_RATE).prop_map(|rate| Decay::InverseTime { rate }),
        (0.01..=1.0f64).prop_map(|gamma| Decay::Exponential { gamma }),
        (1usize..1000, 0.01..=1.0f64).prop_map(|(every, gamma)| Decay::StepDecay { every, gamma }),
    ];
    let optimizer = prop_oneof![
        Just(Optimizer::Plain),
        (0.0..0.999f64).prop_map(|beta| Optimizer::Momentum { beta }),
        (0.0..0.999f64, 0.0..0.9999f64, 1e-12..1e-3f64).prop_map(|(beta1, beta2, epsilon)| {
            Optimizer::Adam {
                beta1,
                beta2,
                epsilon,
            }
        }),
    ];
    (
        in_range(r::LEARNING_RATE),
        0usize..500,
        1usize..50,
        any::<u64>(),
        decay,
        optimizer,
    )
        .prop_map(
            |(learning_rate, batch_size, epochs, seed, decay, optimizer)| MiniBatchConfig {
                learning_rate,
                batch_size,
                epochs,
                seed,
                decay,
                optimizer,
                ..MiniBatchConfig::default()
            },
        )
}

fn regression_config() -> impl Strategy<Value = RegressionExperiment> {
    use regression::ranges as r;
    let generated = (
        2usize..5000,
        in_range(r::SLOPE),
        in_range(r::INTERCEPT),
        in_range(r::NOISE),
        -1e9..1e9f64,
        1e-6..1e6f64,
        any::<u64>(),
    )
        .prop_map(|(n, slope, intercept, noise, x_min, width, seed)| {
            DataSource::Generated(LinearSpec {
                n,
                slope,
                intercept,
                noise,
                x_min,
                x_max: (x_min + width).min(1e9),
                seed,
            })
        })
        .prop_filter(
            "x min < x max",
            |d| matches!(d, DataSource::Generated(s) if s.x_min < s.x_max),
        );
    let csv = table().prop_map(|t| DataSource::Csv {
        text: t.write(),
        options: t.options(),
    });
    (
        prop_oneof![generated, csv],
        1usize..=3,
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(minibatch(), 1..4),
    )
        .prop_map(
            |(data, degree, intercept, standardize, solvers)| RegressionExperiment {
                // A polynomial needs one feature column (the validator refuses it otherwise).
                polynomial_degree: match &data {
                    DataSource::Csv { text, .. }
                        if text
                            .lines()
                            .next()
                            .is_some_and(|l| l.split([',', ';', '\t']).count() > 2) =>
                    {
                        1
                    }
                    _ => degree,
                },
                data,
                intercept,
                standardize,
                start: None,
                solvers,
            },
        )
}

proptest! {
    #![proptest_config(cases(200))]

    #[test]
    fn regression_config_link_config(e in regression_config()) {
        link_round_trip(LabConfig::Regression(e.clone()))?;
        let form = RegressionForm::from_experiment(&e);
        let applied = form.apply(&e);
        prop_assert!(applied.is_ok(), "the form refuses a valid config: {:?}", applied);
    }
}

// ---- curve fitting ----

fn fit_config() -> impl Strategy<Value = FitExperiment> {
    use fit::ranges as r;
    let model = prop_oneof![
        select(ModelId::ALL.to_vec()).prop_map(|id| FitModel::Builtin { id }),
        select(vec!["y = a*exp(-b*x) + c", "a*x**2 + b", "a*sin(b*x)"])
            .prop_map(|t| FitModel::Formula { text: t.into() }),
    ];
    let solvers = prop::collection::vec(
        prop_oneof![
            (1e-15..1e-6f64, 10usize..2000).prop_map(|(ftol, max_evaluations)| {
                FitSolver::LevenbergMarquardt(LmSettings {
                    ftol,
                    max_evaluations,
                    ..LmSettings::default()
                })
            }),
            (1usize..60).prop_map(
                |max_backtracks| FitSolver::GaussNewton(GaussNewtonSettings {
                    max_backtracks,
                    ..GaussNewtonSettings::default()
                })
            ),
        ],
        1..4,
    );
    let values = prop::collection::vec(in_range(r::START_VALUE), 8);
    let points = (2usize..200, any::<u64>()).prop_map(|(n, seed)| {
        // Distinct x (not constant), y from a seeded sequence (not constant for n ≥ 2).
        let mut s = seed | 1;
        let x: Vec<f64> = (0..n).map(|i| i as f64 * 0.25 - 3.0).collect();
        let y: Vec<f64> = (0..n)
            .map(|i| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                (s % 10_000) as f64 / 1000.0 + i as f64
            })
            .collect();
        FitData::Points { x, y }
    });
    (
        model,
        1usize..=fit::PAGE_MAX_POINTS,
        in_range(r::NOISE),
        any::<u64>(),
        (in_range(r::X_FROM), 1e-3..1e3f64, any::<bool>()),
        (
            prop::collection::vec(in_range(r::TRUE_PARAM), 8),
            any::<bool>(),
        ),
        (values, any::<bool>()),
        solvers,
        (points, any::<bool>()),
    )
        .prop_map(
            |(
                model,
                n,
                noise,
                seed,
                (lo, w, ranged),
                (truth, given),
                (start, explicit),
                solvers,
                (pts, use_points),
            )| {
                use gradlab::problem::least_squares::CurveModel;
                let np = fit::resolve_model(&model).expect("a model").num_params();
                let data = if use_points {
                    pts
                } else {
                    FitData::Generated {
                        n,
                        noise,
                        seed,
                        x_range: ranged.then_some([lo, (lo + w).min(1e9)]),
                        params: given.then(|| truth[..np].to_vec()),
                    }
                };
                FitExperiment {
                    model,
                    data,
                    start: if explicit {
                        FitStart::Values {
                            values: start[..np].to_vec(),
                        }
                    } else {
                        FitStart::Default
                    },
                    solvers,
                    ..FitExperiment::default()
                }
            },
        )
        .prop_filter("x from < x to", |e| match &e.data {
            FitData::Generated {
                x_range: Some([a, b]),
                ..
            } => a < b,
            _ => true,
        })
}

proptest! {
    #![proptest_config(cases(200))]

    #[test]
    fn fit_config_link_config(e in fit_config()) {
        link_round_trip(LabConfig::Fit(e.clone()))?;
        let form = FitForm::from_experiment(&e, None);
        let applied = form.apply();
        prop_assert!(applied.is_ok(), "the form refuses a valid config: {:?}", applied);
        // The form shows the model, data and start exactly.
        let a = applied.unwrap();
        prop_assert_eq!((&a.model, &a.data, &a.start), (&e.model, &e.data, &e.start));
    }
}

// ---- CSV ----

/// A table of finite numbers as CSV: its options, column names, and rows.
#[derive(Clone, Debug)]
struct Table {
    delimiter: Delimiter,
    decimal: Decimal,
    header: Header,
    /// `None` = the last column; else a 1-based number or a name.
    target: Option<String>,
    names: Vec<String>,
    rows: Vec<Vec<f64>>,
}

impl Table {
    fn delim(&self) -> char {
        match self.delimiter {
            Delimiter::Tab => '\t',
            Delimiter::Semicolon => ';',
            Delimiter::Comma => ',',
            // Auto: the writer picks what the reader detects for this decimal separator.
            Delimiter::Auto => match self.decimal {
                Decimal::Comma => ';',
                Decimal::Point => ',',
            },
        }
    }

    fn number(&self, v: f64) -> String {
        let t = format!("{v}");
        match self.decimal {
            Decimal::Point => t,
            Decimal::Comma => t.replace('.', ","),
        }
    }

    /// The CSV text: a header line unless `header` is `No`.
    fn write(&self) -> String {
        let d = self.delim().to_string();
        let mut t = String::new();
        if self.header != Header::No {
            t.push_str(&self.names.join(&d));
            t.push('\n');
        }
        for r in &self.rows {
            let fields: Vec<String> = r.iter().map(|v| self.number(*v)).collect();
            t.push_str(&fields.join(&d));
            t.push('\n');
        }
        t
    }

    fn options(&self) -> CsvOptions {
        CsvOptions {
            delimiter: self.delimiter,
            decimal: self.decimal,
            header: self.header,
            target: self.target.clone(),
        }
    }

    fn target_index(&self) -> usize {
        match &self.target {
            None => self.names.len() - 1,
            Some(t) => match t.parse::<usize>() {
                Ok(k) => k - 1,
                Err(_) => self.names.iter().position(|n| n == t).unwrap(),
            },
        }
    }
}

/// Any value the CSV readers take: finite, at most `csv::MAX_ABS` (1e100) in magnitude.
fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        (prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO).prop_map(|v| {
            if v.abs() > 1e100 {
                v * 1e-250
            } else {
                v
            }
        }),
        -1e6..1e6f64,
        (-1000i32..1000).prop_map(f64::from),
    ]
}

fn table() -> impl Strategy<Value = Table> {
    (2usize..6, 2usize..30).prop_flat_map(|(cols, rows)| {
        (
            select(vec![
                Delimiter::Auto,
                Delimiter::Comma,
                Delimiter::Semicolon,
                Delimiter::Tab,
            ]),
            select(vec![Decimal::Point, Decimal::Comma]),
            select(vec![Header::Auto, Header::Yes, Header::No]),
            (0..cols + 1, any::<bool>()),
            prop::collection::vec(prop::collection::vec(finite(), cols), rows),
        )
            .prop_filter_map(
                "comma is not both separators; no constant column",
                move |(delimiter, decimal, header, (target, by_name), mut data)| {
                    if delimiter == Delimiter::Comma && decimal == Decimal::Comma {
                        return None;
                    }
                    // A constant column carries no information (the reader refuses it).
                    for j in 0..cols {
                        if data.iter().all(|r| r[j] == data[0][j]) {
                            data[1][j] = if data[0][j] == 1.0 { 2.0 } else { 1.0 };
                        }
                    }
                    let names: Vec<String> = (0..cols).map(|j| format!("c{j}_v")).collect();
                    let target = (target < cols).then(|| {
                        if by_name && header != Header::No {
                            names[target].clone()
                        } else {
                            (target + 1).to_string()
                        }
                    });
                    let names = if header == Header::No {
                        if cols == 2 {
                            vec!["x".into(), "y".into()]
                        } else {
                            (1..=cols).map(|j| format!("col{j}")).collect()
                        }
                    } else {
                        names
                    };
                    Some(Table {
                        delimiter,
                        decimal,
                        header,
                        target,
                        names,
                        rows: data,
                    })
                },
            )
    })
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

proptest! {
    #![proptest_config(cases(300))]

    /// Regression lab: text → data (the target column chosen, the others features, in order) →
    /// the same table written again → the same data, bit for bit.
    #[test]
    fn regression_csv_text_data_text(t in table()) {
        let d = parse(&t.write(), &t.options()).map_err(TestCaseError::fail)?;
        let k = t.target_index();
        let want_y: Vec<f64> = t.rows.iter().map(|r| r[k]).collect();
        let want_x: Vec<f64> = t
            .rows
            .iter()
            .flat_map(|r| r.iter().enumerate().filter(|(j, _)| *j != k).map(|(_, v)| *v))
            .collect();
        prop_assert_eq!(bits(&d.y), bits(&want_y));
        prop_assert_eq!(bits(&d.x), bits(&want_x));
        prop_assert_eq!(&d.target_name, &t.names[k]);
        // Data → text (same options, the target put back in its column) → the same data.
        let cols = d.feature_names.len();
        let rows: Vec<Vec<f64>> = (0..d.y.len())
            .map(|i| {
                let mut r = d.x[i * cols..(i + 1) * cols].to_vec();
                r.insert(k, d.y[i]);
                r
            })
            .collect();
        let again = Table { rows, ..t.clone() };
        prop_assert_eq!(again.write(), t.write());
        let d2 = parse(&again.write(), &t.options()).map_err(TestCaseError::fail)?;
        prop_assert_eq!(bits(&d2.x), bits(&d.x));
        prop_assert_eq!(bits(&d2.y), bits(&d.y));
    }

    /// Curve-fitting lab: two columns x, y with the lab's options → points → the CSV box's text
    /// (`points_csv`) → the same points; and a config holding them passes the validator.
    #[test]
    fn fit_csv_text_data_text(t in table()) {
        let two = Table {
            rows: t.rows.iter().map(|r| r[..2].to_vec()).collect(),
            names: t.names[..2].to_vec(),
            target: None,
            header: Header::Auto,
            ..t
        };
        // A constant column in the first two (the generator only varied each of all columns).
        prop_assume!(fit::points_problem(
            &two.rows.iter().map(|r| r[0]).collect::<Vec<_>>(),
            &two.rows.iter().map(|r| r[1]).collect::<Vec<_>>()
        ).is_ok());
        let opts = CsvOptions {
            delimiter: two.delimiter,
            decimal: two.decimal,
            ..CsvOptions::default()
        };
        // The header is auto-detected in the fit lab; "c0_v"/"x" are not numbers.
        let d = fit::parse_xy_csv(&two.write(), &opts).map_err(TestCaseError::fail)?;
        prop_assert_eq!(bits(&d.x), bits(&two.rows.iter().map(|r| r[0]).collect::<Vec<_>>()));
        prop_assert_eq!(bits(&d.y), bits(&two.rows.iter().map(|r| r[1]).collect::<Vec<_>>()));
        let text = fit::points_csv(&d.x, &d.y);
        let d2 = fit::parse_xy_csv(&text, &CsvOptions::default()).map_err(TestCaseError::fail)?;
        prop_assert_eq!(bits(&d2.x), bits(&d.x));
        prop_assert_eq!(bits(&d2.y), bits(&d.y));
        prop_assert_eq!(fit::points_csv(&d2.x, &d2.y), text);
        let e = FitExperiment {
            data: FitData::Points { x: d.x, y: d.y },
            ..FitExperiment::default()
        };
        prop_assert_eq!(PageState::new(LabConfig::Fit(e)).validate(), Ok(()));
    }
}

// ---- links that could not be opened ----

/// Every link `encode` writes is one `decode` reads. Two states used to break that: points so
/// repetitive that a short link inflates to more JSON than `decode` accepts (800 KB here, in a
/// 2 KB link), and a state that is too long even without its data (a long lesson and many embed
/// names: an 18,827-character link). The first is now cut like any long data set, with the
/// notice; the second is a named error.
#[test]
fn encode_writes_only_links_decode_reads() {
    use gradlab::lab::link::{Lesson, MAX_INFLATED_BYTES};
    let n = fit::PAGE_MAX_POINTS;
    let x: Vec<f64> = (0..n).map(|i| (i % 2) as f64).collect();
    let y: Vec<f64> = (0..n).map(|i| ((i + 1) % 2) as f64).collect();
    let state = PageState::new(LabConfig::Fit(FitExperiment {
        data: FitData::Points { x, y },
        ..FitExperiment::default()
    }));
    state.validate().unwrap();
    assert!(serde_json::to_vec(&state).unwrap().len() > MAX_INFLATED_BYTES);
    let e = encode(&state).unwrap();
    let back = decode(&e.link).expect("the link decodes");
    assert_eq!(back, e.state);
    let kept = match &back.lab {
        LabConfig::Fit(FitExperiment {
            data: FitData::Points { x, .. },
            ..
        }) => x.len(),
        _ => unreachable!(),
    };
    assert!(kept >= 2 && kept < n, "{kept} points kept");
    assert_eq!(
        e.notice.as_deref(),
        Some(
            format!(
                "The data are too large for a link: it holds the first {kept} of {n} rows (data \
                 truncated). Export the config as JSON to share all of it."
            )
            .as_str()
        )
    );

    // Incompressible text up to every limit of the validator.
    let mut s = 12345u64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut chars = |k: usize| -> String {
        (0..k)
            .map(|_| char::from_u32(0x20000 + (next() % 42000) as u32).unwrap())
            .collect()
    };
    let (title, text) = (chars(Lesson::MAX_TITLE), chars(Lesson::MAX_TEXT));
    let abc = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
    let mut names = |k: usize| -> Vec<String> {
        (0..k)
            .map(|_| {
                (0..64)
                    .map(|_| abc[(next() % 65) as usize] as char)
                    .collect()
            })
            .collect()
    };
    let mut state = PageState::new(LabConfig::Fit(FitExperiment::default()));
    state.lesson = Some(Lesson {
        title,
        text,
        changed: false,
    });
    state.embed.plots = names(16);
    state.embed.controls = names(16);
    state.validate().unwrap();
    assert_eq!(
        encode(&state).unwrap_err(),
        "the experiment is too large for a link"
    );
}
