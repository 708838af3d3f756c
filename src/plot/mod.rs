//! Plots, drawn onto **any** plotters backend: a `<canvas>` in the browser, a bitmap in native tests.
//!
//! * [`grid`] samples an objective over a view box (the data every map is drawn from) and turns
//!   it into colours;
//! * [`contour`] — heat map + contour lines + colour bar, with trajectories overlaid;
//! * [`surface`] — the 3-D surface with trajectories, for any camera yaw/pitch;
//! * [`convergence`] — f(x_k) and ‖∇f(x_k)‖ (log scale) against k.
//! * [`layout`] — axes, ticks and legends sized from the canvas, and the record of every text
//!   placed ([`PlotLayout`], what each draw function returns).
//!
//! A plot never calls a solver: it draws a [`crate::trace::Trace`] it is given.

pub mod contour;
pub mod convergence;
pub mod fit;
pub mod grid;
pub mod layout;
pub mod lens;
pub mod raster;
pub mod regression;
pub mod schedule;
pub mod surface;
pub mod thin;

use plotters::style::RGBColor;

pub use contour::{draw_contour_map, draw_contour_map_with, PixelMap};

thread_local! {
    static LANGUAGE: std::cell::Cell<crate::i18n::Lang> = const { std::cell::Cell::new(crate::i18n::Lang::En) };
}

/// The language plots write their titles, axis names and legends in (the page sets it; native
/// use and tests draw in English).
pub fn set_language(lang: crate::i18n::Lang) {
    LANGUAGE.with(|l| l.set(lang));
}

/// The language the page set for plots and the texts Rust writes for it.
pub fn language() -> crate::i18n::Lang {
    LANGUAGE.with(|l| l.get())
}

/// `text` in the plots' language ([`crate::i18n::say`]: whole known texts only).
pub fn translate(text: &str) -> String {
    let lang = LANGUAGE.with(|l| l.get());
    if lang == crate::i18n::Lang::En || !text.chars().any(|c| c.is_ascii_alphabetic()) {
        return text.to_string();
    }
    crate::i18n::say(lang, text)
}

/// Light or dark plots: the page's colour scheme (`prefers-color-scheme`, the header's switch or
/// an embed's `theme`). The colour maps (viridis) and the trajectory colours on them are the same
/// in both; backgrounds, axes, grid, text, legends and the line colours on a plain background
/// follow the theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Dark ink on white.
    #[default]
    Light,
    /// Light ink on a dark grey.
    Dark,
}

impl Theme {
    /// `"dark"` is [`Theme::Dark`]; anything else is light.
    pub fn parse(s: &str) -> Theme {
        if s.trim().eq_ignore_ascii_case("dark") {
            Theme::Dark
        } else {
            Theme::Light
        }
    }
}

thread_local! {
    static THEME: std::cell::Cell<Theme> = const { std::cell::Cell::new(Theme::Light) };
}

/// The theme plots are drawn in (the page sets it; native use and tests draw light unless set).
pub fn set_theme(theme: Theme) {
    THEME.with(|t| t.set(theme));
}

/// The theme plots are drawn in now.
pub fn theme() -> Theme {
    THEME.with(|t| t.get())
}

/// The colours of a plot's chrome in one theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    /// The canvas behind everything.
    pub background: RGBColor,
    /// Text: tick labels, titles, legends.
    pub ink: RGBColor,
    /// Neutral lines (axes, grid, reference lines), drawn mixed with an alpha.
    pub fg: RGBColor,
    /// Neutral marks of medium weight (the fit lab's data points).
    pub muted: RGBColor,
    /// The regression lab's data points and the exact fit's predictions.
    pub data: RGBColor,
}

/// The background of a dark plot (the page's `--plot-bg` in dark mode).
pub const DARK_BACKGROUND: RGBColor = RGBColor(27, 30, 36);

/// The palette of `theme`. Dark text is (226, 229, 235) on (27, 30, 36): contrast 13.4:1.
pub fn palette_of(theme: Theme) -> Palette {
    match theme {
        Theme::Light => Palette {
            background: RGBColor(255, 255, 255),
            ink: RGBColor(40, 40, 40),
            fg: RGBColor(0, 0, 0),
            muted: RGBColor(60, 60, 60),
            data: RGBColor(70, 80, 100),
        },
        Theme::Dark => Palette {
            background: DARK_BACKGROUND,
            ink: RGBColor(226, 229, 235),
            fg: RGBColor(255, 255, 255),
            muted: RGBColor(200, 204, 212),
            data: RGBColor(170, 182, 204),
        },
    }
}

/// The palette of the current [`theme`].
pub fn palette() -> Palette {
    palette_of(theme())
}

/// A marker shape: with a line style, what tells solvers apart without colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// ●
    Circle,
    /// ■
    Square,
    /// ▲
    Triangle,
    /// ◆
    Diamond,
    /// ✕
    Cross,
    /// ▼
    TriangleDown,
    /// ✚
    Plus,
    /// ★-like: a square turned 45° over a square (an eight-pointed star)
    Star,
}

/// The marker of solver number `i` (the same order as the colours).
pub fn solver_marker(i: usize) -> Marker {
    const M: [Marker; 8] = [
        Marker::Circle,
        Marker::Square,
        Marker::Triangle,
        Marker::Diamond,
        Marker::Cross,
        Marker::TriangleDown,
        Marker::Plus,
        Marker::Star,
    ];
    M[i % M.len()]
}

/// A line style: solid, dashed, dotted or dash-dotted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    /// ───
    Solid,
    /// ‒ ‒ ‒
    Dashed,
    /// · · ·
    Dotted,
    /// ‒ · ‒ ·
    DashDot,
}

impl Dash {
    /// On/off lengths in CSS px (empty: solid).
    pub fn pattern(self) -> &'static [f64] {
        match self {
            Dash::Solid => &[],
            Dash::Dashed => &[7.0, 4.0],
            Dash::Dotted => &[2.0, 3.0],
            Dash::DashDot => &[8.0, 3.0, 2.0, 3.0],
        }
    }
}

/// The line style of solver number `i` on a convergence plot.
pub fn solver_dash(i: usize) -> Dash {
    const D: [Dash; 4] = [Dash::Solid, Dash::Dashed, Dash::Dotted, Dash::DashDot];
    D[i % D.len()]
}

/// Cuts a polyline (device px) into the "on" pieces of `dash` (lengths scaled by `scale` device
/// px per CSS px); a solid dash gives the polyline back.
pub fn dash_polyline(pts: &[(f64, f64)], dash: Dash, scale: f64) -> Vec<Vec<(f64, f64)>> {
    let pat: Vec<f64> = dash.pattern().iter().map(|l| l * scale.max(0.5)).collect();
    if pat.is_empty() || pts.len() < 2 {
        return vec![pts.to_vec()];
    }
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let (mut k, mut left) = (0usize, pat[0]);
    let mut cur: Vec<(f64, f64)> = vec![pts[0]];
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if !len.is_finite() {
            continue;
        }
        let mut t = 0.0;
        while len - t > left {
            t += left;
            let p = (a.0 + (b.0 - a.0) * t / len, a.1 + (b.1 - a.1) * t / len);
            if k % 2 == 0 {
                cur.push(p);
                out.push(std::mem::take(&mut cur));
            } else {
                cur = vec![p];
            }
            k = (k + 1) % pat.len();
            left = pat[k];
        }
        left -= len - t;
        if k % 2 == 0 {
            cur.push(b);
        }
    }
    if k % 2 == 0 && cur.len() >= 2 {
        out.push(cur);
    }
    out
}

/// The outline of `marker` of radius `r` px around (0, 0), grown outwards by `grow` px (an
/// edge drawn under it), as a polygon of whole pixels — every shape is one polygon, so a marker
/// draws as fast as a dot and composes with plotters' `EmptyElement::at`.
pub fn marker_polygon(marker: Marker, r: f64, grow: f64) -> Vec<(i32, i32)> {
    let r = r.max(2.0);
    let arms = |w: f64, l: f64, turn: f64| -> Vec<(f64, f64)> {
        let (w, l) = (w * r + grow, l * r + grow);
        let q = [
            (-w, -l),
            (w, -l),
            (w, -w),
            (l, -w),
            (l, w),
            (w, w),
            (w, l),
            (-w, l),
            (-w, w),
            (-l, w),
            (-l, -w),
            (-w, -w),
        ];
        let (c, s) = (turn.cos(), turn.sin());
        q.iter()
            .map(|(x, y)| (x * c - y * s, x * s + y * c))
            .collect()
    };
    let unit: Vec<(f64, f64)> = match marker {
        Marker::Circle => (0..16)
            .map(|k| {
                let a = std::f64::consts::PI * k as f64 / 8.0;
                (a.cos(), a.sin())
            })
            .collect(),
        Marker::Square => vec![(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)],
        Marker::Triangle => vec![(0.0, -1.25), (1.15, 0.75), (-1.15, 0.75)],
        Marker::TriangleDown => vec![(0.0, 1.25), (1.15, -0.75), (-1.15, -0.75)],
        Marker::Diamond => vec![(0.0, -1.3), (1.0, 0.0), (0.0, 1.3), (-1.0, 0.0)],
        Marker::Star => (0..16)
            .map(|k| {
                let a = std::f64::consts::PI * k as f64 / 8.0 - std::f64::consts::FRAC_PI_2;
                let rr = if k % 2 == 0 { 1.35 } else { 0.6 };
                (rr * a.cos(), rr * a.sin())
            })
            .collect(),
        Marker::Plus => arms(0.3, 1.2, 0.0),
        Marker::Cross => arms(0.3, 1.25, std::f64::consts::FRAC_PI_4),
    };
    let pts: Vec<(f64, f64)> = match marker {
        Marker::Plus | Marker::Cross => unit,
        Marker::Circle => unit
            .iter()
            .map(|(x, y)| (x * (r + grow), y * (r + grow)))
            .collect(),
        _ => {
            // Convex: grown by `grow` px along every edge's normal = scaled about the centre by
            // 1 + grow / (distance from the centre to the nearest edge).
            let n = unit.len();
            let inner = (0..n)
                .map(|i| {
                    let (a, b) = (unit[i], unit[(i + 1) % n]);
                    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
                    (a.0 * dy - a.1 * dx).abs() / dx.hypot(dy)
                })
                .fold(f64::INFINITY, f64::min)
                * r;
            let k = r * (1.0 + grow / inner);
            unit.iter().map(|(x, y)| (x * k, y * k)).collect()
        }
    };
    pts.iter()
        .map(|(x, y)| (x.round() as i32, y.round() as i32))
        .collect()
}

/// Draws `marker` centred at device pixel `(x, y)` (of `root`) with radius `r`: filled with
/// `fill` inside an outline of `outline`, `edge` px wide, so it reads on any background.
pub fn draw_marker<DB: plotters::prelude::DrawingBackend>(
    root: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    marker: Marker,
    (x, y): (i32, i32),
    r: i32,
    fill: RGBColor,
    outline: plotters::style::RGBAColor,
    edge: u32,
) -> Result<(), String> {
    use plotters::prelude::*;
    let at = |p: Vec<(i32, i32)>| -> Vec<(i32, i32)> {
        p.into_iter().map(|(a, b)| (x + a, y + b)).collect()
    };
    if edge > 0 {
        let outer = marker_polygon(marker, r as f64, edge as f64);
        root.draw(&Polygon::new(at(outer), outline.filled()))
            .map_err(err)?;
    }
    let inner = marker_polygon(marker, r as f64, 0.0);
    root.draw(&Polygon::new(at(inner), fill.filled()))
        .map_err(err)?;
    Ok(())
}

/// Points along a polyline every `spacing` device px of its drawn length, starting `offset` px
/// in, at most `max`: `data` are the points in data units, `px` the same points in device px;
/// the result is in data units (interpolated linearly, exact on linear axes).
pub fn along_path(
    data: &[(f64, f64)],
    px: &[(f64, f64)],
    spacing: f64,
    offset: f64,
    max: usize,
) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut next = offset.max(0.0);
    let mut walked = 0.0;
    for i in 1..data.len().min(px.len()) {
        let (a, b) = (px[i - 1], px[i]);
        let len = (b.0 - a.0).hypot(b.1 - a.1);
        if !len.is_finite() || len <= 0.0 {
            continue;
        }
        while next <= walked + len && out.len() < max {
            let t = (next - walked) / len;
            let (p, q) = (data[i - 1], data[i]);
            out.push((p.0 + (q.0 - p.0) * t, p.1 + (q.1 - p.1) * t));
            next += spacing.max(1.0);
        }
        walked += len;
    }
    out
}

/// Indices of the points of a path (device px) at which markers are drawn: the first, then every
/// point at least `gap` px from every marked one, at most `max` of them (a long run gets markers
/// spread along it, never 10⁵; an SGD run's zig-zag over the same few pixels gets a few, not a
/// pile of them).
pub fn marker_indices(px: &[(f64, f64)], gap: f64, max: usize) -> Vec<usize> {
    let mut out = Vec::new();
    // The marked points by cell of a `gap`-sized grid: a point's rivals are in the 3×3 cells
    // around its own.
    let mut cells: std::collections::HashMap<(i64, i64), Vec<(f64, f64)>> = Default::default();
    let cell = |p: (f64, f64)| ((p.0 / gap).floor() as i64, (p.1 / gap).floor() as i64);
    for (i, p) in px.iter().enumerate() {
        if !(p.0.is_finite() && p.1.is_finite()) {
            continue;
        }
        let (cx, cy) = cell(*p);
        let crowded = (cx.saturating_sub(1)..=cx.saturating_add(1)).any(|x| {
            (cy.saturating_sub(1)..=cy.saturating_add(1)).any(|y| {
                cells
                    .get(&(x, y))
                    .is_some_and(|v| v.iter().any(|q| (p.0 - q.0).hypot(p.1 - q.1) < gap))
            })
        });
        if !crowded {
            out.push(i);
            cells.entry((cx, cy)).or_default().push(*p);
        }
    }
    if out.len() > max && max > 0 {
        let step = out.len() as f64 / max as f64;
        out = (0..max).map(|k| out[(k as f64 * step) as usize]).collect();
    }
    out
}

pub use convergence::draw_convergence;
pub use grid::Grid;
pub use layout::PlotLayout;
pub use surface::{draw_surface, draw_surface_with};

/// Sizes that scale with the device pixel ratio, so text is the same size on every screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotStyle {
    /// Device pixels per CSS pixel.
    pub scale: f64,
}

impl Default for PlotStyle {
    fn default() -> Self {
        PlotStyle { scale: 1.0 }
    }
}

impl PlotStyle {
    /// A length of `css_px` CSS pixels in device pixels.
    pub fn px(&self, css_px: f64) -> u32 {
        (css_px * self.scale).round().max(1.0) as u32
    }
    /// The same, signed.
    pub fn ipx(&self, css_px: f64) -> i32 {
        self.px(css_px) as i32
    }
    /// A font of at least `css_px` CSS pixels, in device pixels (rounded up, so never smaller).
    pub fn font(&self, css_px: f64) -> u32 {
        (css_px * self.scale - 1e-9).ceil().max(1.0) as u32
    }
    /// Font size for axis tick labels, legends and colour-bar numbers: 11 CSS px
    /// ([`layout::MIN_FONT_CSS`]).
    pub fn tick_font(&self) -> u32 {
        self.font(layout::MIN_FONT_CSS)
    }
    /// Font size for axis titles.
    pub fn label_font(&self) -> u32 {
        self.font(12.5)
    }
}

/// Distinct trajectory colours, one per solver, readable on the viridis heat map.
pub const SOLVER_COLORS: [RGBColor; 8] = [
    RGBColor(255, 64, 64),
    RGBColor(255, 214, 0),
    RGBColor(255, 159, 10),
    RGBColor(0, 229, 255),
    RGBColor(255, 45, 149),
    RGBColor(0, 255, 170),
    RGBColor(30, 144, 255),
    RGBColor(20, 20, 20),
];

/// The colour of solver number `i` on the map. In the dark theme the last one (near-black) is a
/// light grey: the legend sits on the dark background there, and the paths have a dark halo.
pub fn solver_color(i: usize) -> RGBColor {
    match (theme(), i % SOLVER_COLORS.len()) {
        (Theme::Dark, 7) => RGBColor(230, 230, 230),
        (_, k) => SOLVER_COLORS[k],
    }
}

/// The same colours for drawing on a plot's plain background in the current [`theme`]: darkened
/// on white, as they are on dark (bright, like on the viridis map) with the last one light grey
/// instead of black.
pub fn solver_line_color(i: usize) -> RGBColor {
    match theme() {
        Theme::Light => solver_color_on_white(i),
        Theme::Dark => solver_color_on_dark(i),
    }
}

/// The trajectory colours for a dark background (contrast ≥ 4.5:1 on [`DARK_BACKGROUND`]).
pub fn solver_color_on_dark(i: usize) -> RGBColor {
    match i % SOLVER_COLORS.len() {
        7 => RGBColor(230, 230, 230),
        6 => RGBColor(70, 160, 255),
        k => SOLVER_COLORS[k],
    }
}

/// The same colours, darkened for drawing on a white background (convergence plot).
pub fn solver_color_on_white(i: usize) -> RGBColor {
    const ON_WHITE: [RGBColor; 8] = [
        RGBColor(214, 39, 40),
        RGBColor(200, 160, 0),
        RGBColor(210, 90, 0),
        RGBColor(0, 150, 180),
        RGBColor(200, 30, 120),
        RGBColor(0, 150, 100),
        RGBColor(30, 100, 220),
        RGBColor(0, 0, 0),
    ];
    ON_WHITE[i % ON_WHITE.len()]
}

/// Viridis colour map at t ∈ [0, 1] (t is clamped; NaN gives a neutral grey).
pub fn viridis(t: f64) -> RGBColor {
    // Nine samples of matplotlib's viridis, linearly interpolated.
    const V: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    if t.is_nan() {
        return RGBColor(200, 200, 200);
    }
    let t = t.clamp(0.0, 1.0) * (V.len() - 1) as f64;
    let i = (t.floor() as usize).min(V.len() - 2);
    let u = t - i as f64;
    let lerp = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * u).round() as u8;
    let (a, b) = (V[i], V[i + 1]);
    RGBColor(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
}

/// Formats a number for an axis tick: short, no trailing noise.
pub fn fmt_tick(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-3..1e5).contains(&a) {
        let s = format!("{v:.0e}");
        return s.replace("e0", "").replace("e-0", "e-");
    }
    let decimals = if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else {
        3
    };
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The smallest range of whole decades holding every positive finite value (1e-8..1 if none),
/// kept within 10^±300 — the y range of every log-scaled convergence plot.
pub(crate) fn decades(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        return (1e-8, 1.0);
    }
    let lo_dec = lo.log10().floor().max(-300.0);
    let hi_dec = hi.log10().ceil().max(lo_dec + 1.0).min(300.0);
    (10f64.powf(lo_dec), 10f64.powf(hi_dec))
}

/// A tick on a log axis: powers of ten from 10⁴ up and below 10⁻² as `1e4`, `1e-3`, so one axis
/// never mixes `10000` with `1e9` and the labels stay narrow.
pub fn fmt_log_tick(v: f64) -> String {
    let a = v.abs();
    if v != 0.0 && !(1e-2..1e4).contains(&a) {
        let s = format!("{v:.0e}");
        return s.replace("e0", "").replace("e-0", "e-");
    }
    fmt_tick(v)
}

/// [`fmt_tick`] on a linear axis spanning `span`: a tick within 10⁻⁹·span of zero is the zero
/// tick, computed as lo + k·step with rounding (it would print as `-6e-17`).
pub fn fmt_linear_tick(v: f64, span: f64) -> String {
    fmt_tick(if v.abs() <= 1e-9 * span.abs() { 0.0 } else { v })
}

/// Labels for a set of linear-axis ticks: as short as [`fmt_tick`] makes them, but with as many
/// digits as the spacing of the ticks needs, so no two labels read the same (2e6 and 2.5e6, not
/// "2e6, 2e6"; 1.2e12, 1.4e12 …, not "1e12" four times). `span` is the axis' extent (a tick within
/// 10⁻⁹·span of zero is 0).
pub fn fmt_ticks(ticks: &[f64], span: f64) -> Vec<String> {
    let clean = |v: f64| if v.abs() <= 1e-9 * span.abs() { 0.0 } else { v };
    let short: Vec<String> = ticks.iter().map(|&v| fmt_tick(clean(v))).collect();
    let distinct = |labels: &[String]| {
        let mut seen = std::collections::HashSet::new();
        labels.iter().all(|l| seen.insert(l.as_str()))
    };
    if distinct(&short) {
        return short;
    }
    // Significant digits from the smallest gap between ticks, then more until all differ.
    let gap = ticks
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .filter(|d| *d > 0.0)
        .fold(f64::INFINITY, f64::min);
    let gap_exp = if gap.is_finite() {
        gap.log10().floor() as i32
    } else {
        0
    };
    for extra in 0..17 {
        let labels: Vec<String> = ticks
            .iter()
            .map(|&v| fmt_tick_digits(clean(v), gap_exp - extra))
            .collect();
        if distinct(&labels) {
            return labels;
        }
    }
    short
}

/// `v` with its last shown digit at the 10^`last` place (exponent form where [`fmt_tick`] uses
/// it), trailing zeros dropped.
fn fmt_tick_digits(v: f64, last: i32) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    let trim = |s: String| -> String {
        match s.split_once('e') {
            Some((m, e)) if m.contains('.') => {
                format!("{}e{e}", m.trim_end_matches('0').trim_end_matches('.'))
            }
            Some(_) => s,
            None if s.contains('.') => s.trim_end_matches('0').trim_end_matches('.').to_string(),
            None => s,
        }
    };
    if !(1e-3..1e5).contains(&a) {
        let digits = (a.log10().floor() as i32 - last).clamp(0, 16) as usize;
        trim(format!("{v:.digits$e}"))
    } else {
        let decimals = (-last).clamp(0, 16) as usize;
        trim(format!("{v:.decimals$}"))
    }
}

/// A tick label for an integer axis (iterations, epochs): the integer, or nothing between integers.
pub fn fmt_int_tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        fmt_tick(v.round())
    } else {
        String::new()
    }
}

/// Round tick values in `[lo, hi]`, as the plot axes place them: every multiple of a step of
/// 1, 2 or 5 × 10^k in the range, with the step chosen so there are at most `max` (plotters' own
/// key-point generator, so colour bars and 3-D axes match the 2-D axes). Float noise of the
/// stepping (0.30000000000000004) is snapped back to the nearest multiple of the step.
pub fn axis_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    use plotters::coord::ranged1d::Ranged;
    use plotters::coord::types::RangedCoordf64;
    if !(lo.is_finite() && hi.is_finite() && hi > lo) || max == 0 {
        return Vec::new();
    }
    let mut ticks = RangedCoordf64::from(lo..hi).key_points(max);
    if let [a, b, ..] = ticks[..] {
        let step = b - a;
        // Snap to the step's decimal grid: the step is m·10^e with m ∈ {1, 2, 5}.
        let e = step.log10().floor();
        for t in &mut ticks {
            let snapped = if e < 0.0 {
                let p = 10f64.powi(-e as i32);
                (*t * p).round() / p
            } else {
                *t
            };
            *t = if snapped == 0.0 { 0.0 } else { snapped };
        }
    }
    ticks
}

/// Maps a plotters drawing error to a message.
pub(crate) fn err<E: std::fmt::Display>(e: E) -> String {
    format!("drawing failed: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ticks_use_one_notation_for_large_and_small_powers() {
        assert_eq!(fmt_log_tick(1e4), "1e4");
        assert_eq!(fmt_log_tick(1e9), "1e9");
        assert_eq!(fmt_log_tick(1000.0), "1000");
        assert_eq!(fmt_log_tick(0.1), "0.1");
        assert_eq!(fmt_log_tick(1e-3), "1e-3");
    }

    #[test]
    fn a_rounded_zero_tick_on_a_linear_axis_prints_as_zero() {
        assert_eq!(fmt_linear_tick(-6e-17, 2.0), "0");
        assert_eq!(fmt_linear_tick(0.5, 2.0), "0.5");
        // A genuinely small value on a small axis is kept.
        assert_eq!(fmt_linear_tick(2e-12, 1e-11), "2e-12");
        assert_eq!(fmt_tick(-6e-17), "-6e-17");
    }

    #[test]
    fn viridis_ends_and_nan() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(7.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(f64::NAN), RGBColor(200, 200, 200));
    }

    /// `v` is a multiple of 1, 2 or 5 × 10^k for the step `step` (up to rounding).
    fn on_step(v: f64, step: f64) -> bool {
        ((v / step) - (v / step).round()).abs() < 1e-9
    }

    #[test]
    fn axis_ticks_are_round_1_2_5_multiples() {
        for (lo, hi, max) in [
            (-6.55, 8.1, 8),
            (-6.55, 8.1, 4),
            (0.087, 38.4, 6),
            (1.007, 214.0, 5),
            (-0.0031, 0.0172, 6),
            (1e-5, 2509.0, 7),
        ] {
            let t = axis_ticks(lo, hi, max);
            assert!(t.len() >= 2 && t.len() <= max, "{lo}..{hi}: {t:?}");
            let step = t[1] - t[0];
            let k = step.log10().floor();
            let m = step / 10f64.powf(k);
            assert!(
                [1.0, 2.0, 5.0].iter().any(|c| (m - c).abs() < 1e-9),
                "{lo}..{hi}: step {step}"
            );
            for (i, v) in t.iter().enumerate() {
                assert!(*v >= lo && *v <= hi, "{v} in {lo}..{hi}");
                assert!(on_step(*v, step), "{v} is a multiple of {step}");
                // No float noise of the stepping (0.30000000000000004).
                assert!(format!("{v}").len() <= 8, "tick {i} = {v}");
            }
        }
        assert_eq!(
            axis_ticks(-6.55, 8.1, 8),
            vec![-6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0]
        );
        assert_eq!(
            axis_ticks(0.1, 0.75, 7),
            vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
        );
        assert!(axis_ticks(1.0, 1.0, 5).is_empty());
        assert!(axis_ticks(f64::NAN, 1.0, 5).is_empty());
    }

    #[test]
    fn tick_labels_never_repeat() {
        // Large data: ticks 0.5e6 apart, and a colour bar of 1e12..1.8e12.
        assert_eq!(
            fmt_ticks(&[1.5e6, 2e6, 2.5e6, 3e6], 1.5e6),
            ["1.5e6", "2e6", "2.5e6", "3e6"]
        );
        assert_eq!(
            fmt_ticks(&[1.0e12, 1.2e12, 1.4e12, 1.6e12], 6e11),
            ["1e12", "1.2e12", "1.4e12", "1.6e12"]
        );
        // Fine steps near 1 (fmt_tick keeps 3 decimals there).
        assert_eq!(
            fmt_ticks(&[1.2340, 1.2342, 1.2344], 0.0004),
            ["1.234", "1.2342", "1.2344"]
        );
        // Already distinct: unchanged, zero is clean.
        assert_eq!(
            fmt_ticks(&[-1.0, 5.551115123125783e-17, 1.0], 2.0),
            ["-1", "0", "1"]
        );
        // Any spacing: labels distinct whenever the values are.
        for k in -12..14 {
            let step = 10f64.powi(k) * 2.5;
            let base = 10f64.powi(k + 2) * 7.3;
            let t: Vec<f64> = (0..6).map(|i| base + i as f64 * step).collect();
            let l = fmt_ticks(&t, 5.0 * step);
            let set: std::collections::HashSet<_> = l.iter().collect();
            assert_eq!(set.len(), l.len(), "{t:?} → {l:?}");
        }
    }

    #[test]
    fn ticks_are_short() {
        assert_eq!(fmt_tick(2.5), "2.5");
        assert_eq!(fmt_tick(-6.551133), "-6.551");
        assert_eq!(fmt_tick(1e-6), "1e-6");
        assert_eq!(fmt_tick(0.0), "0");
        assert_eq!(fmt_tick(712.004), "712");
        assert_eq!(fmt_tick(300.0), "300");
        assert_eq!(fmt_tick(100.0), "100");
        assert_eq!(fmt_tick(20.0), "20");
        assert_eq!(fmt_tick(35.62), "35.6");
    }

    #[test]
    fn markers_are_spread_along_a_line_and_not_piled_on_a_zig_zag() {
        // A straight path of 1 000 px: one marker every 24 px (the first at its start).
        let line: Vec<(f64, f64)> = (0..=1000).map(|k| (k as f64, 5.0)).collect();
        let at = marker_indices(&line, 24.0, 100);
        assert_eq!(at.len(), 42);
        assert!(at.windows(2).all(|w| w[1] - w[0] == 24), "{at:?}");
        // 10 000 steps back and forth across a 30-px cloud: every marked point is ≥ 24 px from
        // every other, so only a few fit (before: 40 piled up there).
        let mut s = 3u64;
        let mut r = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 1000) as f64 / 1000.0
        };
        let cloud: Vec<(f64, f64)> = (0..10_000)
            .map(|_| (100.0 + 30.0 * r(), 50.0 + 30.0 * r()))
            .collect();
        let at = marker_indices(&cloud, 24.0, 40);
        assert!((1..=4).contains(&at.len()), "{}", at.len());
        for (a, &i) in at.iter().enumerate() {
            for &j in &at[a + 1..] {
                let (p, q) = (cloud[i], cloud[j]);
                assert!((p.0 - q.0).hypot(p.1 - q.1) >= 24.0);
            }
        }
        // Far-off and broken points neither panic nor get a marker of their own crowding others.
        let wild = [
            (0.0, 0.0),
            (1e300, -1e300),
            (f64::NAN, 1.0),
            (f64::INFINITY, 0.0),
            (30.0, 0.0),
        ];
        assert_eq!(marker_indices(&wild, 24.0, 40), vec![0, 1, 4]);
    }
}
