//! Permalinks: the whole page state (lab, experiment config, embed options) as one URL fragment.
//!
//! Format: `v3.` + base64url (RFC 4648 §5, no padding) of the zlib-wrapped DEFLATE
//! (RFC 1950/1951, with its Adler-32 checksum) of the compact JSON of a [`PageState`]:
//!
//! ```text
//! #v3.eNqrVkrOz0nNTVWyUlAqSs1NLCnKTFWqBQBfMQft
//! ```
//!
//! Versions: the prefix says which *behaviour* the link was written against, not only which
//! syntax. `v1` and `v2` have the same syntax; they differ in what a regression run with momentum
//! or Adam computes: v1 used update rules local to the regression lab, v2 uses the solver core's
//! (see [`crate::solver::minibatch::UpdateRules`]), and Rastrigin and Ackley have hand-written
//! gradients in v2 where v1 differentiated them automatically. A `v1.` link therefore decodes with
//! `update_rules: "v1"` on its regression solvers, and `gradient: "automatic"` on those two
//! surfaces, and replays exactly as it did. `v3` (issue 17) changed solver defaults — stopping
//! rules, Nelder–Mead, Levenberg–Marquardt's acceleration and tolerances; a `v2.` link decodes
//! with the v2 behaviour written out as explicit settings (`upgrade_v2`), so it replays exactly
//! too (tests/link_v2_pins.rs pins 71 of them).
//!
//! Decoding is strict and bounded: at most [`MAX_LINK_CHARS`] characters, at most
//! [`MAX_INFLATED_BYTES`] after inflating, one decoder per version prefix (unknown versions are an
//! error, never guessed), and every lab config is validated before it is returned. Every failure
//! is a [`LinkError`] with a kind and a sentence for the page; nothing panics.
//!
//! Also here: the trace export shared by the page and the native runner ([`run_traces`],
//! [`traces_csv`], [`traces_jsonl`]), so both print the same numbers from the same config.

use crate::lab::fit::{self, FitData, FitExperiment, FitSolver};
use crate::lab::regression::{self, DataSource, RegressionExperiment};
use crate::lab::surfaces::Experiment;
use crate::trace::{Iterate, StopReason};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The version prefix this build writes.
pub const VERSION: &str = "v3";
/// Longest link text accepted by [`decode`] (characters after `#`).
pub const MAX_LINK_CHARS: usize = 16 * 1024;
/// Largest inflated JSON accepted by [`decode`] (bytes): bounds memory for a "zip bomb" link.
pub const MAX_INFLATED_BYTES: usize = 256 * 1024;
/// Longest link [`encode`] writes: beyond it, pasted data are truncated or dropped (with a notice).
pub const LINK_BUDGET: usize = 8 * 1024;
/// Length a typical link (no pasted data) stays under.
pub const TYPICAL_LINK_CHARS: usize = 2000;
/// Most solvers per experiment in a link (each one is a full run).
pub const MAX_SOLVERS: usize = 16;

/// base64url without padding on output; padding tolerated on input.
const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The experiment of one lab (serde: `{"lab": "surfaces", "config": {...}}`, adjacently tagged).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "lab", content = "config", rename_all = "snake_case")]
pub enum LabConfig {
    /// The surfaces lab: a 2-D surface and a race of solvers.
    Surfaces(Experiment),
    /// The linear-regression lab.
    Regression(RegressionExperiment),
    /// The curve-fitting lab.
    Fit(FitExperiment),
}

impl LabConfig {
    /// The lab's name as the page's tabs use it (`"surfaces"`, `"regression"`, `"fit"`).
    pub fn lab(&self) -> &'static str {
        match self {
            LabConfig::Surfaces(_) => "surfaces",
            LabConfig::Regression(_) => "regression",
            LabConfig::Fit(_) => "fit",
        }
    }

    /// Lab `name`'s config from its JSON (as the lab's `getState()` gives it).
    pub fn from_lab(name: &str, config: serde_json::Value) -> Result<LabConfig, String> {
        serde_json::from_value(serde_json::json!({"lab": name, "config": config}))
            .map_err(|e| format!("not a {name} experiment: {e}"))
    }

    /// The default experiment of lab `name`.
    pub fn default_for(name: &str) -> Option<LabConfig> {
        match name {
            "surfaces" => Some(LabConfig::Surfaces(Experiment::default())),
            "regression" => Some(LabConfig::Regression(RegressionExperiment::default())),
            "fit" => Some(LabConfig::Fit(FitExperiment::default())),
            _ => None,
        }
    }

    /// Cheap checks of every field (no solver is run): the lab's own validation plus size caps.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            LabConfig::Surfaces(e) => {
                if e.solvers.len() > MAX_SOLVERS {
                    return Err(format!(
                        "at most {MAX_SOLVERS} solvers (got {})",
                        e.solvers.len()
                    ));
                }
                e.validate()
            }
            LabConfig::Regression(r) => validate_regression(r),
            LabConfig::Fit(f) => validate_fit(f),
        }
    }
}

fn finite(v: &[f64], what: &str) -> Result<(), String> {
    if v.iter().all(|x| x.is_finite()) {
        Ok(())
    } else {
        Err(format!("{what} must be finite numbers"))
    }
}

fn validate_regression(r: &RegressionExperiment) -> Result<(), String> {
    if !(1..=20).contains(&r.polynomial_degree) {
        return Err(format!(
            "polynomial degree must be between 1 and 20 (got {})",
            r.polynomial_degree
        ));
    }
    if r.solvers.len() > MAX_SOLVERS {
        return Err(format!(
            "at most {MAX_SOLVERS} solvers (got {})",
            r.solvers.len()
        ));
    }
    use crate::lab::regression::ranges as rr;
    use crate::lab::regression::{PAGE_MAX_EPOCHS, PAGE_MAX_N, PAGE_MAX_VISITS};
    use crate::solver::minibatch::Decay;
    for s in &r.solvers {
        // The page's own limits (the form's ranges), so that a link never opens a state its form
        // would refuse.
        rr::LEARNING_RATE.validate(s.learning_rate)?;
        s.validate()?;
        rr::BATCH_SIZE.validate(s.batch_size as f64)?;
        match s.decay {
            Decay::InverseTime { rate } => rr::DECAY_RATE.validate(rate)?,
            Decay::StepDecay { every: n, .. } | Decay::Cosine { period: n, .. } => {
                rr::DECAY_EVERY.validate(n as f64)?
            }
            _ => {}
        }
        if s.epochs > PAGE_MAX_EPOCHS {
            return Err(format!(
                "epochs must be at most {PAGE_MAX_EPOCHS} (got {})",
                s.epochs
            ));
        }
    }
    if let DataSource::Generated(spec) = &r.data {
        if spec.n > PAGE_MAX_N {
            return Err(format!(
                "number of samples must be between 2 and {PAGE_MAX_N} (got {})",
                spec.n
            ));
        }
        let visits = crate::lab::regression::sample_visits(&r.solvers, spec.n);
        if visits > PAGE_MAX_VISITS {
            return Err(format!(
                "epochs × samples is too much work for the page ({} sample visits, at most {})",
                crate::lab::regression::visits_text(visits),
                crate::lab::regression::visits_text(PAGE_MAX_VISITS)
            ));
        }
    }
    if let Some(s) = &r.start {
        if s.len() > 64 {
            return Err(format!("start point has {} values (at most 64)", s.len()));
        }
        finite(s, "start point")?;
    }
    // As the form says it: a polynomial of a CSV with several feature columns (the form would
    // refuse the degree on the next edit). The column count comes from the first line only.
    if let DataSource::Csv { text, options } = &r.data {
        let features = crate::problem::regression::csv::columns(text, options).saturating_sub(1);
        if r.polynomial_degree > 1 && features > 1 {
            return Err(format!(
                "polynomial features need exactly 1 feature column (the CSV has {features}): use \
                 degree 1"
            ));
        }
        // Read as the form reads it (a bad value, a value beyond 1e100): what the form would
        // refuse on the next edit is a named link error. Larger data are read by the run, in the
        // worker, as the form leaves them too.
        if text.len() <= crate::lab::regression::PAGE_PARSE_BYTES {
            crate::problem::regression::csv::parse(text, options)?;
        }
    }
    if let DataSource::Generated(spec) = &r.data {
        let max = crate::problem::regression::generate::MAX_GENERATED;
        if spec.n < 2 || spec.n > max {
            return Err(format!(
                "number of samples must be between 2 and {max} (got {})",
                spec.n
            ));
        }
        rr::SLOPE.validate(spec.slope)?;
        rr::INTERCEPT.validate(spec.intercept)?;
        rr::NOISE.validate(spec.noise)?;
        rr::DATA_X_MIN.validate(spec.x_min)?;
        rr::DATA_X_MAX.validate(spec.x_max)?;
        // As the form says it (a link with x min ≥ x max would leave the form stuck on it).
        if spec.x_min >= spec.x_max {
            return Err(format!(
                "x max must be greater than x min (got {} … {})",
                crate::lab::form::short(spec.x_min),
                crate::lab::form::short(spec.x_max)
            ));
        }
    }
    Ok(())
}

fn validate_fit(f: &FitExperiment) -> Result<(), String> {
    if f.solvers.is_empty() || f.solvers.len() > 8 {
        return Err(format!("choose 1 to 8 solvers (got {})", f.solvers.len()));
    }
    for s in &f.solvers {
        match s {
            FitSolver::LevenbergMarquardt(st) => st.validate()?,
            FitSolver::GaussNewton(st) => st.validate()?,
        }
    }
    let model = fit::resolve_model(&f.model)?;
    if let Some(steps) = &f.jacobian.rel_step {
        if steps.len() > 64 {
            return Err(format!("at most 64 relative steps (got {})", steps.len()));
        }
        finite(steps, "relative steps")?;
    }
    use crate::lab::fit::ranges as fr;
    use crate::problem::least_squares::CurveModel;
    let is_nist = matches!(f.model, fit::FitModel::Nist { .. });
    match &f.data {
        FitData::Generated {
            n,
            noise,
            x_range,
            params,
            ..
        } => {
            if is_nist {
                return Err("generated data need a built-in model or a formula".into());
            }
            // The form's ranges (src/lab/fit/catalog.rs), so that a link never opens a state its
            // form would refuse.
            fr::N.validate(*n as f64)?;
            fr::NOISE.validate(*noise)?;
            if let Some([a, b]) = x_range {
                fr::X_FROM.validate(*a)?;
                fr::X_TO.validate(*b)?;
                if a >= b {
                    return Err(format!(
                        "x to must be larger than x from (got {} … {})",
                        crate::lab::form::short(*a),
                        crate::lab::form::short(*b)
                    ));
                }
            }
            if let Some(p) = params {
                if p.len() != model.num_params() {
                    return Err(format!(
                        "the model has {} parameters, {} true values given",
                        model.num_params(),
                        p.len()
                    ));
                }
                for v in p {
                    fr::TRUE_PARAM.validate(*v)?;
                }
            }
        }
        FitData::Points { x, y } => {
            if x.len() != y.len() {
                return Err(format!("{} x values but {} y values", x.len(), y.len()));
            }
            if let Some(m) = fit::too_many_points(x.len(), "data set") {
                return Err(m);
            }
            finite(x, "x values")?;
            finite(y, "y values")?;
            // What the form's CSV reader refuses when it reads these points back.
            fit::points_problem(x, y)?;
        }
        FitData::Nist => {
            if !is_nist {
                return Err("NIST data need a NIST model".into());
            }
        }
    }
    match &f.start {
        fit::FitStart::Values { values } => {
            if values.len() != model.num_params() {
                return Err(format!(
                    "the start has {} values but the model has {} parameters",
                    values.len(),
                    model.num_params()
                ));
            }
            for v in values {
                fr::START_VALUE.validate(*v)?;
            }
        }
        fit::FitStart::Nist { which } => {
            if !is_nist {
                return Err("a NIST start needs a NIST model".into());
            }
            if !(1..=2).contains(which) {
                return Err(format!("NIST start must be 1 or 2 (got {which})"));
            }
        }
        fit::FitStart::Default => {}
    }
    Ok(())
}

/// How the page (and an embed) shows the experiment (serde; every field optional).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbedOptions {
    /// Canvas ids of the plots shown (empty = all of the lab's plots).
    pub plots: Vec<String>,
    /// Ids of the controls in an embed's compact strip (empty = the lab's default strip).
    pub controls: Vec<String>,
    /// Show the control strip at all.
    pub show_controls: bool,
    /// Show the results table.
    pub show_readout: bool,
    /// Run and draw on load; `false` shows a "Run" button first.
    pub autoplay: bool,
    /// Show the guided experiment's explanation ([`PageState::lesson`]) when the state has one.
    pub show_lesson: bool,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            plots: vec![],
            controls: vec![],
            show_controls: true,
            show_readout: true,
            autoplay: true,
            show_lesson: true,
        }
    }
}

impl EmbedOptions {
    fn is_default(&self) -> bool {
        *self == EmbedOptions::default()
    }

    /// At most 16 names of at most 64 characters each, made of `[A-Za-z0-9_.-]`.
    pub fn validate(&self) -> Result<(), String> {
        for (what, list) in [("plots", &self.plots), ("controls", &self.controls)] {
            if list.len() > 16 {
                return Err(format!(
                    "embed {what}: at most 16 names (got {})",
                    list.len()
                ));
            }
            for name in list {
                let ok = !name.is_empty()
                    && name.len() <= 64
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
                if !ok {
                    return Err(format!(
                        "embed {what}: “{}” is not an element id",
                        name.chars().take(40).collect::<String>()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Everything a link holds: the lab and its experiment, and how to show it
/// (serde: `{"lab": "surfaces", "config": {...}, "embed": {...}}`; `embed` omitted when default).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageState {
    /// The lab and its experiment config.
    #[serde(flatten)]
    pub lab: LabConfig,
    /// Plots, controls and autoplay.
    #[serde(default, skip_serializing_if = "EmbedOptions::is_default")]
    pub embed: EmbedOptions,
    /// The iteration (surfaces, curve fit) or epoch (regression) on show when the link was made,
    /// so a shared link opens at the same moment of the run; absent = the end of the run. The
    /// page clamps it to the run's length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u32>,
    /// A guided experiment's title and explanation, carried by links and embeds so the text
    /// travels with the setup it explains (plain text; the page shows it with `textContent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<Lesson>,
    /// A lesson of the course ([`crate::lab::teach::course`]) by id: the page shows its goal,
    /// question and outcome (texts come from the catalog, so a link stays short and language-
    /// neutral).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<String>,
    /// A challenge ([`crate::lab::teach::challenge`]) by id: the page shows its goal and, after
    /// each run, the verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
    /// The language the link's author chose for it (`"en"`, `"zh-CN"`): a Chinese tutorial embeds
    /// a Chinese experiment. Absent (the usual case), the reader's own language is used; the
    /// numbers are the same in every language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<crate::i18n::Lang>,
}

/// The explanation shown with a guided experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    /// A short heading, e.g. "Adam vs gradient descent on Rosenbrock".
    pub title: String,
    /// What the learner sees and why.
    pub text: String,
    /// The setup was edited after the lesson was opened: the text explains a different
    /// experiment than the one shown, and the page says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub changed: bool,
}

impl Lesson {
    /// Longest title and text a link may carry (characters).
    pub const MAX_TITLE: usize = 200;
    pub const MAX_TEXT: usize = 4000;

    /// Plain text of bounded length without control characters (newlines and tabs allowed in
    /// the text).
    pub fn validate(&self) -> Result<(), String> {
        for (what, value, max, multiline) in [
            ("title", &self.title, Lesson::MAX_TITLE, false),
            ("text", &self.text, Lesson::MAX_TEXT, true),
        ] {
            let n = value.chars().count();
            if n > max {
                return Err(format!("lesson {what}: at most {max} characters (got {n})"));
            }
            if let Some(c) = value
                .chars()
                .find(|&c| c.is_control() && !(multiline && (c == '\n' || c == '\t')))
            {
                return Err(format!(
                    "lesson {what}: control character U+{:04X} is not allowed",
                    c as u32
                ));
            }
        }
        if self.title.trim().is_empty() {
            return Err("lesson title: empty".into());
        }
        Ok(())
    }
}

impl Default for PageState {
    fn default() -> Self {
        PageState::new(LabConfig::Surfaces(Experiment::default()))
    }
}

impl PageState {
    /// A state with default embed options.
    pub fn new(lab: LabConfig) -> PageState {
        PageState {
            lab,
            embed: EmbedOptions::default(),
            step: None,
            lesson: None,
            course: None,
            challenge: None,
            lang: None,
        }
    }

    /// Validates the lab config and the embed options.
    pub fn validate(&self) -> Result<(), String> {
        self.lab.validate()?;
        self.embed.validate()?;
        if let Some(lesson) = &self.lesson {
            lesson.validate()?;
        }
        let lab = self.lab.lab();
        if let Some(id) = &self.course {
            let l = crate::lab::teach::course::lesson(id).ok_or_else(|| {
                format!(
                    "unknown lesson “{}”",
                    id.chars().take(40).collect::<String>()
                )
            })?;
            if l.lab != lab {
                return Err(format!(
                    "lesson “{id}” belongs to the {} lab, not {lab}",
                    l.lab
                ));
            }
        }
        if let Some(id) = &self.challenge {
            let c = crate::lab::teach::challenge::challenge(id).ok_or_else(|| {
                format!(
                    "unknown challenge “{}”",
                    id.chars().take(40).collect::<String>()
                )
            })?;
            if c.lab != lab {
                return Err(format!(
                    "challenge “{id}” belongs to the {} lab, not {lab}",
                    c.lab
                ));
            }
        }
        Ok(())
    }

    /// Parses a state from JSON text and validates it (errors as [`LinkError`]s of kind
    /// `Invalid`/`Garbage`).
    pub fn from_json(text: &str) -> Result<PageState, LinkError> {
        let state: PageState = serde_json::from_str(text).map_err(json_error)?;
        state
            .validate()
            .map_err(|m| LinkError::new(LinkErrorKind::Invalid, m))?;
        Ok(state)
    }
}

/// What kind of bad link it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkErrorKind {
    /// Nothing after `#`.
    Empty,
    /// Longer than [`MAX_LINK_CHARS`].
    TooLong,
    /// Not `v<number>.` followed by data.
    NotALink,
    /// A version prefix this build has no decoder for.
    UnknownVersion,
    /// Characters outside base64url, or a corrupt compressed stream / checksum.
    Damaged,
    /// The data end early (the link was cut off when copied).
    Truncated,
    /// Inflates to more than [`MAX_INFLATED_BYTES`].
    TooLarge,
    /// Inflated, but not the JSON of a page state.
    Garbage,
    /// Well-formed, but a value is out of range (huge numbers, unknown names, bad hyperparameters…).
    Invalid,
}

/// A bad link: its kind and a sentence for the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkError {
    /// What went wrong.
    pub kind: LinkErrorKind,
    /// In words.
    pub message: String,
}

impl LinkError {
    fn new(kind: LinkErrorKind, message: impl Into<String>) -> LinkError {
        LinkError {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

fn json_error(e: serde_json::Error) -> LinkError {
    use serde_json::error::Category;
    let text = e.to_string();
    if text.contains("number out of range") {
        return LinkError::new(
            LinkErrorKind::Invalid,
            format!("the link holds a number too large to represent ({text})"),
        );
    }
    let kind = match e.classify() {
        Category::Eof => LinkErrorKind::Truncated,
        Category::Syntax | Category::Io => LinkErrorKind::Garbage,
        Category::Data => LinkErrorKind::Invalid,
    };
    let message = match kind {
        LinkErrorKind::Truncated => format!("the link's experiment is cut off ({text})"),
        LinkErrorKind::Garbage => format!("the link does not hold a gradlab experiment ({text})"),
        _ => format!("the link's experiment is not valid: {text}"),
    };
    LinkError::new(kind, message)
}

/// A link from [`encode`], with a notice when data had to be cut to fit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Encoded {
    /// `v3.…` (put it after `#`).
    pub link: String,
    /// `None`, or what was truncated or dropped (e.g. "the link holds the first 120 of 5000 rows").
    pub notice: Option<String>,
    /// The state the link actually holds (differs from the input when data were cut).
    pub state: PageState,
}

/// A link and the size of the JSON it holds.
struct Raw {
    link: String,
    json_bytes: usize,
}

impl Raw {
    /// Short enough to share, and small enough inflated for [`decode`] (very repetitive data can
    /// compress to a short link whose JSON is larger than [`MAX_INFLATED_BYTES`]).
    fn fits(&self) -> bool {
        self.link.len() <= LINK_BUDGET && self.json_bytes <= MAX_INFLATED_BYTES
    }

    /// [`decode`] reads it.
    fn decodable(&self) -> bool {
        self.link.len() <= MAX_LINK_CHARS && self.json_bytes <= MAX_INFLATED_BYTES
    }
}

fn encode_raw(state: &PageState) -> Result<Raw, String> {
    let json = serde_json::to_vec(state).map_err(|e| format!("cannot serialize: {e}"))?;
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&json, 9);
    Ok(Raw {
        link: format!("{VERSION}.{}", B64.encode(packed)),
        json_bytes: json.len(),
    })
}

/// Encodes a state as a `v3.` link. A pasted dataset that would make the link longer than
/// [`LINK_BUDGET`] is truncated to its first rows (CSV text, fit points) or, when that cannot help
/// (a NIST file's text), dropped for the lab's default data — and [`Encoded::notice`] says which.
pub fn encode(state: &PageState) -> Result<Encoded, String> {
    let total = data_rows(&state.lab);
    // Large pasted data cannot fit (nothing compresses numbers 64×): the work is bounded before
    // anything is serialized or compressed — only the rows within MAX_RAW_DATA_BYTES are tried.
    // (A 25 MB CSV took seconds here, blocking the page, only to end truncated.)
    let cap = rows_within(&state.lab, MAX_RAW_DATA_BYTES);
    let capped = (cap < total).then(|| with_rows(state, cap));
    if capped.is_none() {
        let raw = encode_raw(state)?;
        if raw.fits() {
            return Ok(Encoded {
                link: raw.link,
                notice: None,
                state: state.clone(),
            });
        }
    }
    let base = capped.as_ref().unwrap_or(state);
    // Too long: find the largest prefix of the data that fits (links grow with the kept rows).
    if total > 1 {
        let (mut lo, mut hi) = (0usize, cap.min(total) + 1); // lo fits (or 0), hi does not
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            let fits = encode_raw(&with_rows(base, mid))
                .map(|r| r.fits())
                .unwrap_or(false);
            if fits {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // The capped rows all fit only if the data compress more than 64×: said as a cut too.
        let lo = lo.min(total);
        if lo >= 2 {
            let cut = with_rows(state, lo);
            let link = encode_raw(&cut)?.link;
            return Ok(Encoded {
                link,
                notice: Some(format!(
                    "The data are too large for a link: it holds the first {lo} of {total} rows \
                     (data truncated). Export the config as JSON to share all of it."
                )),
                state: cut,
            });
        }
    }
    let mut dropped = state.clone();
    dropped.lab = match &state.lab {
        LabConfig::Regression(r) => LabConfig::Regression(RegressionExperiment {
            data: DataSource::default(),
            ..r.clone()
        }),
        LabConfig::Fit(f) => LabConfig::Fit(FitExperiment {
            data: FitExperiment::default().data,
            model: FitExperiment::default().model,
            start: FitExperiment::default().start,
            ..f.clone()
        }),
        LabConfig::Surfaces(_) => {
            return Err("the experiment is too large for a link".into());
        }
    };
    let raw = encode_raw(&dropped)?;
    // What is left (a long lesson, many embed names, a long formula) can still be more than any
    // link `decode` reads: a named error, never a link that cannot be opened.
    if !raw.decodable() {
        return Err("the experiment is too large for a link".into());
    }
    Ok(Encoded {
        link: raw.link,
        notice: Some(
            "The data are too large for a link: the link holds the experiment with the lab's \
             default data instead (data dropped). Export the config as JSON to share all of it."
                .into(),
        ),
        state: dropped,
    })
}

/// Raw pasted data beyond which a link is not even tried: 64 × [`LINK_BUDGET`] (numbers do not
/// compress 64×, so more than this can only be truncated).
const MAX_RAW_DATA_BYTES: usize = 64 * LINK_BUDGET;

/// How many rows of the pasted data fit in `bytes` of raw text (CSV lines after the first; fit
/// points at ≥ 4 bytes each in JSON); `usize::MAX` for other data.
fn rows_within(lab: &LabConfig, bytes: usize) -> usize {
    match lab {
        LabConfig::Regression(RegressionExperiment {
            data: DataSource::Csv { text, .. },
            ..
        }) => {
            if text.len() <= bytes {
                return usize::MAX;
            }
            // Lines that end within the first `bytes` bytes, minus the header line.
            text.as_bytes()[..bytes]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                .saturating_sub(1)
        }
        LabConfig::Fit(FitExperiment {
            data: FitData::Points { .. },
            ..
        }) => bytes / 4,
        _ => usize::MAX,
    }
}

/// Rows of pasted data in a state (CSV lines after the first, fit points; 0 if none).
fn data_rows(lab: &LabConfig) -> usize {
    match lab {
        LabConfig::Regression(RegressionExperiment {
            data: DataSource::Csv { text, .. },
            ..
        }) => text.lines().count().saturating_sub(1),
        LabConfig::Fit(FitExperiment {
            data: FitData::Points { x, .. },
            ..
        }) => x.len(),
        _ => 0,
    }
}

/// The state with only the first `rows` rows of its pasted data.
fn with_rows(state: &PageState, rows: usize) -> PageState {
    if let LabConfig::Regression(
        r @ RegressionExperiment {
            data: DataSource::Csv { text, options },
            ..
        },
    ) = &state.lab
    {
        // Built from the kept lines only: the whole text is never copied.
        let mut kept: String = text.lines().take(rows + 1).collect::<Vec<_>>().join("\n");
        kept.push('\n');
        let lab = LabConfig::Regression(RegressionExperiment {
            data: DataSource::Csv {
                text: kept,
                options: options.clone(),
            },
            polynomial_degree: r.polynomial_degree,
            intercept: r.intercept,
            standardize: r.standardize,
            start: r.start.clone(),
            solvers: r.solvers.clone(),
        });
        return PageState {
            lab,
            embed: state.embed.clone(),
            step: state.step,
            lesson: state.lesson.clone(),
            course: state.course.clone(),
            challenge: state.challenge.clone(),
            lang: state.lang,
        };
    }
    let mut s = state.clone();
    match &mut s.lab {
        LabConfig::Regression(_) => {}
        LabConfig::Fit(FitExperiment {
            data: FitData::Points { x, y },
            ..
        }) => {
            x.truncate(rows);
            y.truncate(rows);
        }
        _ => {}
    }
    s
}

/// Decodes a link: a whole URL, a `#fragment`, or the bare `v3.…` (or older `v2.…`, `v1.…`) text. Strict and bounded (see
/// the module doc); the returned state is validated.
pub fn decode(text: &str) -> Result<PageState, LinkError> {
    let text = text.trim();
    let text = match text.find('#') {
        Some(i) => &text[i + 1..],
        None => text,
    };
    if text.is_empty() {
        return Err(LinkError::new(LinkErrorKind::Empty, "the link is empty"));
    }
    if text.len() > MAX_LINK_CHARS {
        return Err(LinkError::new(
            LinkErrorKind::TooLong,
            format!(
                "the link is too long ({} characters; at most {MAX_LINK_CHARS})",
                text.len()
            ),
        ));
    }
    let Some((version, data)) = text.split_once('.') else {
        return Err(not_a_link());
    };
    let digits = version.strip_prefix('v').unwrap_or("");
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_a_link());
    }
    match version {
        "v1" => decode_payload(data, Some(v2_defaults))
            .map(upgrade_v1)
            .map(upgrade_v2),
        "v2" => decode_payload(data, Some(v2_defaults)).map(upgrade_v2),
        "v3" => decode_payload(data, None),
        _ => Err(LinkError::new(
            LinkErrorKind::UnknownVersion,
            format!(
                "this link is version “{version}”, which this gradlab does not know (it reads {VERSION}); \
                 it may come from a newer gradlab"
            ),
        )),
    }
}

fn not_a_link() -> LinkError {
    LinkError::new(
        LinkErrorKind::NotALink,
        format!("this is not a gradlab link (expected “{VERSION}.” followed by data)"),
    )
}

/// A v2 state in v3 terms: every solver setting whose default changed in v3 is set to what v2
/// did, so the link replays exactly (pinned by tests/link_v2_pins.rs). Fit: Nielsen damping,
/// "automatic" as the finite differences v2 ran, unfloored difference steps. Surfaces: no
/// `Stagnation` stop, round-off line-search failures named `LineSearchFailed`; Nelder–Mead stops
/// when either tolerance holds, uses the standard coefficients, and records ∇f at every iterate
/// (v2's trace, and so its fingerprint, held it; the evaluations are now counted).
fn upgrade_v2(mut state: PageState) -> PageState {
    if let LabConfig::Fit(f) = &mut state.lab {
        use crate::diff::GradientSource;
        use crate::solver::least_squares::lm::Damping;
        // v2 answered "automatic" with finite differences (silently); v3 gives the exact
        // dual-number Jacobian, so a v2 link asks for what it actually ran.
        if f.jacobian.source == GradientSource::Automatic {
            f.jacobian.source = GradientSource::FiniteDifference;
        }
        // v2's finite-difference steps had no floor.
        if f.jacobian.source == GradientSource::FiniteDifference {
            f.jacobian.no_step_floor = true;
        }
        for s in &mut f.solvers {
            if let FitSolver::LevenbergMarquardt(lm) = s {
                // v2's Levenberg–Marquardt: Nielsen damping, acceleration on every trial,
                // restarts after every converged stop (its tolerances are in the link).
                lm.damping = Damping::Nielsen;
            }
        }
    }
    if let LabConfig::Surfaces(e) = &mut state.lab {
        e.stop.stagnation = false;
        e.stop.precision_limit = false;
        for s in &mut e.solvers {
            if let crate::lab::surfaces::SolverConfig::NelderMead {
                stop_rule,
                adaptive,
                trace_gradient,
                ..
            } = s
            {
                *stop_rule = crate::solver::nelder_mead::NmStopRule::Either;
                *adaptive = false;
                *trace_gradient = true;
            }
        }
    }
    state
}

/// Settings whose *default* changed in v3, filled in with their v2 defaults where a v1/v2 link
/// leaves them out (before the typed reading gives them the v3 defaults): Levenberg–Marquardt's
/// ftol = xtol = 10⁻¹⁵ and gtol = 0 (v3: 30ε each).
fn v2_defaults(state: &mut serde_json::Value) {
    if state.get("lab").and_then(|l| l.as_str()) != Some("fit") {
        return;
    }
    let Some(solvers) = state
        .get_mut("config")
        .and_then(|c| c.get_mut("solvers"))
        .and_then(|s| s.as_array_mut())
    else {
        return;
    };
    for s in solvers {
        if s.get("method").and_then(|m| m.as_str()) != Some("levenberg_marquardt") {
            continue;
        }
        if let Some(o) = s.as_object_mut() {
            for (k, v) in [("ftol", 1e-15), ("xtol", 1e-15), ("gtol", 0.0)] {
                o.entry(k).or_insert(serde_json::Value::from(v));
            }
        }
    }
}

/// A v1 state in v2 terms: its regression runs keep v1's momentum/Adam update rules, and a
/// Rastrigin or Ackley surface keeps the gradient v1 used (v1 had no hand-written gradient for
/// them, so "analytic" meant automatic differentiation).
fn upgrade_v1(mut state: PageState) -> PageState {
    if let LabConfig::Surfaces(e) = &mut state.lab {
        use crate::diff::GradientSource;
        use crate::lab::surfaces::SurfaceId;
        if matches!(e.surface, SurfaceId::Rastrigin | SurfaceId::Ackley)
            && e.gradient == GradientSource::Analytic
        {
            e.gradient = GradientSource::Automatic;
        }
    }
    if let LabConfig::Regression(r) = &mut state.lab {
        use crate::solver::minibatch::{Optimizer, UpdateRules};
        for s in &mut r.solvers {
            if s.optimizer != Optimizer::Plain {
                s.update_rules = UpdateRules::V1;
            }
        }
    }
    state
}

/// Versions 1 and 2: base64url → zlib inflate (≤ [`MAX_INFLATED_BYTES`]) → JSON → validated state.
fn decode_payload(
    data: &str,
    old_defaults: Option<fn(&mut serde_json::Value)>,
) -> Result<PageState, LinkError> {
    use miniz_oxide::inflate::TINFLStatus;
    if let Some(c) = data
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '=')))
    {
        return Err(LinkError::new(
            LinkErrorKind::Damaged,
            format!(
                "the link is damaged (it contains “{}”, which is not a base64url character)",
                c.escape_default()
            ),
        ));
    }
    let packed = B64.decode(data).map_err(|e| {
        let kind = match e {
            base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidLastSymbol(..) => {
                LinkErrorKind::Truncated
            }
            _ => LinkErrorKind::Damaged,
        };
        let what = if kind == LinkErrorKind::Truncated {
            "the link is cut off"
        } else {
            "the link is damaged"
        };
        // The crate's own words ("Invalid input length: 5") say nothing more to a reader and
        // would stay English in every language.
        let _ = e;
        LinkError::new(kind, format!("{what} (not valid base64url)"))
    })?;
    let json = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_INFLATED_BYTES)
        .map_err(|e| match e.status {
            TINFLStatus::HasMoreOutput => LinkError::new(
                LinkErrorKind::TooLarge,
                format!(
                    "the link expands to more than {} KB, more than gradlab accepts",
                    MAX_INFLATED_BYTES / 1024
                ),
            ),
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => LinkError::new(
                LinkErrorKind::Truncated,
                "the link is cut off or damaged (its compressed data end early)",
            ),
            TINFLStatus::Adler32Mismatch => LinkError::new(
                LinkErrorKind::Damaged,
                "the link is damaged (its checksum does not match)",
            ),
            _ => LinkError::new(
                LinkErrorKind::Damaged,
                "the link is damaged (its compressed data are corrupt)",
            ),
        })?;
    let text = std::str::from_utf8(&json).map_err(|_| {
        LinkError::new(
            LinkErrorKind::Garbage,
            "the link does not hold a gradlab experiment (not UTF-8 text)",
        )
    })?;
    match (
        old_defaults,
        serde_json::from_str::<serde_json::Value>(text),
    ) {
        (Some(fill), Ok(mut v)) => {
            fill(&mut v);
            PageState::from_json(&v.to_string())
        }
        // Not JSON: the typed reader names the problem.
        _ => PageState::from_json(text),
    }
}

// ---------- traces: the same records on the page and in the native runner ----------

/// One solver's records as exported (CSV/JSON lines).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExportTrace {
    /// Index of the solver in the config.
    pub run: usize,
    /// Solver display name.
    pub solver: String,
    /// `"iterations"` (surfaces, fit), `"steps"` or `"epochs"` (regression).
    pub series: &'static str,
    /// Why it stopped.
    pub stop: StopReason,
    /// Bit-exact fingerprint of the records ([`crate::trace::Trace::fingerprint`]), as hex.
    pub fingerprint: String,
    /// The records.
    pub iterates: Vec<Iterate>,
}

/// Runs the state's experiment and returns every solver's records. `nist_text`: the `.dat` file
/// of a NIST curve-fitting problem named in the config (the page and runner supply it).
pub fn run_traces(state: &PageState, nist_text: Option<&str>) -> Result<Vec<ExportTrace>, String> {
    use crate::trace::Trace;
    let one = |run: usize, series: &'static str, t: &Trace| ExportTrace {
        run,
        solver: t.solver.clone(),
        series,
        stop: t.stop.clone(),
        fingerprint: format!("{:016x}", t.fingerprint()),
        iterates: t.iterates.clone(),
    };
    state.validate()?;
    Ok(match &state.lab {
        LabConfig::Surfaces(e) => e
            .run()?
            .iter()
            .enumerate()
            .map(|(i, t)| one(i, "iterations", t))
            .collect(),
        LabConfig::Regression(r) => {
            let res = regression::run(r)?;
            let mut out = vec![];
            for (i, t) in res.traces.iter().enumerate() {
                out.push(one(i, "steps", &t.steps));
                let epochs = Trace {
                    iterates: t.epochs.clone(),
                    ..t.steps.clone()
                };
                out.push(one(i, "epochs", &epochs));
            }
            out
        }
        LabConfig::Fit(f) => fit::run_with_nist(f, nist_text)?
            .runs
            .iter()
            .enumerate()
            .map(|(i, r)| one(i, "iterations", &r.run.trace))
            .collect(),
    })
}

/// The traces as CSV: `run,solver,series,k,f,grad_norm,step,x1..xn,<extras…>`; numbers in Rust's
/// shortest round-trip form (so the text identifies the bits), empty cells where a value is absent.
pub fn traces_csv(traces: &[ExportTrace]) -> String {
    let dim = traces
        .iter()
        .flat_map(|t| t.iterates.iter().map(|r| r.x.len()))
        .max()
        .unwrap_or(0);
    let mut extras: Vec<&str> = vec![];
    for t in traces {
        for r in &t.iterates {
            for (k, _) in &r.extra {
                if !extras.contains(&k.as_ref()) {
                    extras.push(k);
                }
            }
        }
    }
    let mut out = String::from("run,solver,series,k,f,grad_norm,step");
    for j in 1..=dim {
        out.push_str(&format!(",x{j}"));
    }
    for e in &extras {
        out.push(',');
        out.push_str(&csv_cell(e));
    }
    out.push('\n');
    for t in traces {
        for r in &t.iterates {
            out.push_str(&format!(
                "{},{},{},{},{},{},{}",
                t.run,
                csv_cell(&t.solver),
                t.series,
                r.k,
                r.f,
                r.grad_norm,
                r.step
            ));
            for j in 0..dim {
                out.push(',');
                if let Some(v) = r.x.get(j) {
                    out.push_str(&v.to_string());
                }
            }
            for e in &extras {
                out.push(',');
                if let Some(v) = r.extra(e) {
                    out.push_str(&v.to_string());
                }
            }
            out.push('\n');
        }
    }
    out
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The traces as JSON lines: one object per record,
/// `{"run","solver","series","k","x","f","grad_norm","step","extra":{…}}` (non-finite → null).
pub fn traces_jsonl(traces: &[ExportTrace]) -> String {
    let mut out = String::new();
    for t in traces {
        for r in &t.iterates {
            let extra: serde_json::Map<String, serde_json::Value> = r
                .extra
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
                .collect();
            let line = serde_json::json!({
                "run": t.run, "solver": t.solver, "series": t.series, "k": r.k,
                "x": r.x, "f": r.f, "grad_norm": r.grad_norm, "step": r.step, "extra": extra,
            });
            out.push_str(&line.to_string());
            out.push('\n');
        }
    }
    out
}

/// The traces as one JSON document: `[{run, solver, series, stop, fingerprint, iterates: [...]}]`.
pub fn traces_json(traces: &[ExportTrace]) -> String {
    serde_json::to_string(traces).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_state_round_trips_and_is_short() {
        let s = PageState::default();
        let e = encode(&s).unwrap();
        assert!(e.notice.is_none());
        assert!(e.link.starts_with("v3."));
        assert!(e.link.len() < TYPICAL_LINK_CHARS, "{}", e.link.len());
        assert_eq!(decode(&e.link).unwrap(), s);
        assert_eq!(
            decode(&format!("https://x.org/?embed#{}", e.link)).unwrap(),
            s
        );
    }
}
