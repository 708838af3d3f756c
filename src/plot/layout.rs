//! The chrome of the 2-D plots — axes, ticks, tick labels, axis titles, legends — laid out from the
//! canvas size, and the record of every text placed ([`PlotLayout`]).
//!
//! * **Ticks follow the axis length:** for each axis the densest set of round ticks (1-2-5 × 10^k
//!   steps, whole numbers on an integer axis, decades on a log axis) whose labels keep a gap
//!   between them is chosen ([`fit_ticks`]), so labels never run together on a phone and there
//!   are more of them on a wide screen.
//! * **Text is measured one way:** [`text_size`] estimates a label's box from its characters and
//!   the font size (per-character widths of a common sans-serif, rounded up), and the same
//!   numbers place the text, check collisions and are reported.
//! * **No text under [`MIN_FONT_CSS`] CSS px:** fonts are `ceil(css × devicePixelRatio)` device px.
//! * **Legends sit outside the data:** in rows above the plot area ([`Frame`]), entries that do
//!   not fit a row are wrapped, a label wider than the canvas is shortened with "…".

use super::{axis_ticks, err, fmt_int_tick, fmt_linear_tick, fmt_log_tick, PlotStyle};
use plotters::coord::ranged1d::AsRangedCoord;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;
use serde::Serialize;

/// The smallest font size used in the plots' chrome, in CSS px.
pub const MIN_FONT_CSS: f64 = 11.0;

/// Width of character `c` in em, at least its advance in DejaVu Sans (the widest of the usual
/// sans-serif defaults; Liberation Sans / Arial and Roboto are narrower): digits 0.64, the
/// minus sign 0.86 …
pub fn glyph_em(c: char) -> f64 {
    match c {
        '0'..='9' => 0.64,
        '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.34,
        ' ' => 0.33,
        '-' | '(' | ')' | '[' | ']' | '/' => 0.42,
        'i' | 'j' | 'l' | 'I' | 'f' | 't' | 'r' => 0.42,
        'm' | 'M' | 'W' | 'w' | '—' | '…' | '%' | '@' => 1.0,
        'A'..='Z' => 0.8,
        'a'..='z' => 0.64,
        c if c.is_ascii() => 0.84,
        // CJK ideographs and full-width punctuation: one em each.
        '\u{3000}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}' => 1.0,
        // −, Greek, ∇, ‖, subscripts, ·, …
        _ => 0.86,
    }
}

/// Estimated `(width, height)` of `text` at `font_px` (any unit: device px in, device px out).
/// The height is the line box of the font (1.17 em).
pub fn text_size(text: &str, font_px: f64) -> (f64, f64) {
    let w: f64 = text.chars().map(glyph_em).sum::<f64>() * font_px;
    (w.ceil(), (font_px * 1.17).ceil())
}

/// `text` shortened with "…" so it is at most `max_w` wide at `font_px` (empty if nothing fits).
pub fn fit_text(text: &str, font_px: f64, max_w: f64) -> String {
    if text_size(text, font_px).0 <= max_w {
        return text.to_string();
    }
    let mut s: String = text.to_string();
    while !s.is_empty() {
        s.pop();
        let t = format!("{}…", s.trim_end());
        if text_size(&t, font_px).0 <= max_w {
            return t;
        }
    }
    String::new()
}

/// The box of a `w × h` text anchored by `pos` at `(x, y)`: `[left, top, right, bottom]`.
/// `vertical` text reads bottom to top (rotated by 270°, as the canvas backend draws it: the
/// anchor is taken in the text's own frame).
pub fn anchored_box(x: f64, y: f64, (w, h): (f64, f64), pos: Pos, vertical: bool) -> [f64; 4] {
    let l = match pos.h_pos {
        HPos::Left => 0.0,
        HPos::Center => -w / 2.0,
        HPos::Right => -w,
    };
    let t = match pos.v_pos {
        VPos::Top => 0.0,
        VPos::Center => -h / 2.0,
        VPos::Bottom => -h,
    };
    if vertical {
        // Text frame (u along the text, v down) → screen: (x + v, y − u).
        [x + t, y - (l + w), x + t + h, y - l]
    } else {
        [x + l, y + t, x + l + w, y + t + h]
    }
}

/// `a` and `b` overlap when brought `pad` closer.
pub fn boxes_overlap(a: &[f64; 4], b: &[f64; 4], pad: f64) -> bool {
    a[0] < b[2] + pad && b[0] < a[2] + pad && a[1] < b[3] + pad && b[1] < a[3] + pad
}

/// A rectangle in CSS px.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// One text drawn on a plot, its estimated box in CSS px of the canvas.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TextBox {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// The string.
    pub text: String,
    /// What it is: `x_tick`, `y_tick`, `y2_tick`, `bar_tick`, `z_tick` (3-D f axis), `x_title`,
    /// `y_title`, `y2_title`, `bar_title`, `z_title`, `legend`.
    pub role: &'static str,
    /// Font size in CSS px.
    pub font_px: f64,
}

/// Where a plot put its text, in CSS px — for tests (and the page's own checks).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlotLayout {
    /// Canvas width in CSS px.
    pub width: f64,
    /// Canvas height in CSS px.
    pub height: f64,
    /// Every text drawn.
    pub labels: Vec<TextBox>,
    /// The smallest font used, in CSS px (`None` when nothing was written).
    pub min_font_px: Option<f64>,
    /// The plot area (where data is drawn), when the plot has one.
    pub plot: Option<Rect>,
    /// The legend's box, when there is one (outside `plot`).
    pub legend: Option<Rect>,
    /// The data range drawn (maps): `x_min` at the left edge of `plot`, `y_max` at its top;
    /// the data point under CSS px (cx, cy) is (x_min + (cx − plot.x)·x_units_per_px,
    /// y_max − (cy − plot.y)·y_units_per_px), exactly as clicks are converted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view: Option<crate::problem::surfaces::ViewBox>,
    /// Data units per CSS px along x (maps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_units_per_px: Option<f64>,
    /// Data units per CSS px along y (maps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y_units_per_px: Option<f64>,
    /// 3-D surfaces: the mesh drawn, grid points along x and y.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mesh: Option<[usize; 2]>,
    /// Plots of stacked panels sharing the x axis ([`layout_stack`]): each panel's plot area,
    /// top to bottom (`plot` is then the box around them all).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub panels: Vec<Rect>,
}

/// Writes text on a drawing area and records its box in a [`PlotLayout`].
pub struct Painter<'a, DB: DrawingBackend> {
    root: &'a DrawingArea<DB, Shift>,
    base: (i32, i32),
    /// Device px per CSS px.
    pub scale: f64,
    /// What has been written so far.
    pub layout: PlotLayout,
}

impl<'a, DB: DrawingBackend> Painter<'a, DB> {
    /// A painter for the whole of `root` (coordinates are backend pixels).
    pub fn new(root: &'a DrawingArea<DB, Shift>, style: &PlotStyle) -> Self {
        let (w, h) = root.dim_in_pixel();
        let base = root.get_base_pixel();
        Painter {
            root,
            base,
            scale: style.scale,
            layout: PlotLayout {
                width: w as f64 / style.scale,
                height: h as f64 / style.scale,
                ..Default::default()
            },
        }
    }

    /// The drawing area written on.
    pub fn root(&self) -> &'a DrawingArea<DB, Shift> {
        self.root
    }

    /// Size of the area in device px.
    pub fn dims(&self) -> (i32, i32) {
        let (w, h) = self.root.dim_in_pixel();
        (w as i32, h as i32)
    }

    /// Converts a device-px box to a CSS-px rect.
    pub fn rect(&self, b: [f64; 4]) -> Rect {
        let s = self.scale;
        Rect {
            x: (b[0] - self.base.0 as f64) / s,
            y: (b[1] - self.base.1 as f64) / s,
            w: (b[2] - b[0]) / s,
            h: (b[3] - b[1]) / s,
        }
    }

    /// Draws `text` at backend pixel `at` (absolute), anchored by `pos`, `font` device px, and
    /// records it; returns its box in device px.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        text: &str,
        at: (f64, f64),
        pos: Pos,
        font: u32,
        color: &RGBColor,
        vertical: bool,
        role: &'static str,
    ) -> Result<[f64; 4], String> {
        // The page's language (crate::plot::set_language): titles, axis names and legends drawn
        // in it; numbers and names without a translation stay as they are.
        let translated = super::translate(text);
        let text = translated.as_str();
        let size = text_size(text, font as f64);
        let at = (at.0.round(), at.1.round());
        let b = anchored_box(at.0, at.1, size, pos, vertical);
        if text.is_empty() {
            return Ok(b);
        }
        let mut f = ("sans-serif", font).into_font();
        if vertical {
            f = f.transform(FontTransform::Rotate270);
        }
        self.root
            .draw(&Text::new(
                text.to_string(),
                (at.0 as i32 - self.base.0, at.1 as i32 - self.base.1),
                TextStyle::from(f).pos(pos).color(color),
            ))
            .map_err(err)?;
        let r = self.rect(b);
        let font_px = font as f64 / self.scale;
        self.layout.labels.push(TextBox {
            x: r.x,
            y: r.y,
            w: r.w,
            h: r.h,
            text: text.to_string(),
            role,
            font_px,
        });
        self.layout.min_font_px = Some(self.layout.min_font_px.map_or(font_px, |m| m.min(font_px)));
        Ok(b)
    }

    /// The recorded layout.
    pub fn finish(self) -> PlotLayout {
        self.layout
    }
}

/// How an axis maps values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Linear, round 1-2-5 ticks.
    Linear,
    /// Linear, whole-number ticks only (iterations, epochs).
    Int,
    /// Base-10 logarithmic, ticks at decades.
    Log,
}

/// One axis of a 2-D plot.
#[derive(Clone, Debug)]
pub struct Axis {
    /// Value at the low end (left / bottom).
    pub lo: f64,
    /// Value at the high end.
    pub hi: f64,
    /// Mapping.
    pub scale: Scale,
    /// Title (none when empty).
    pub title: String,
    /// Shorter titles, longest first, shown when [`Axis::title`] does not fit beside the axis
    /// (the last one is shortened with "…" if even it does not fit).
    pub shorter: Vec<String>,
}

impl Axis {
    /// A linear axis.
    pub fn linear(lo: f64, hi: f64, title: &str) -> Axis {
        Axis {
            lo,
            hi,
            scale: Scale::Linear,
            title: title.into(),
            shorter: Vec::new(),
        }
    }
    /// An integer axis (iterations).
    pub fn int(lo: f64, hi: f64, title: &str) -> Axis {
        Axis {
            scale: Scale::Int,
            ..Axis::linear(lo, hi, title)
        }
    }
    /// A log axis.
    pub fn log(lo: f64, hi: f64, title: &str) -> Axis {
        Axis {
            scale: Scale::Log,
            ..Axis::linear(lo, hi, title)
        }
    }

    /// The same axis with shorter titles for short axes, longest first (see [`Axis::fit_title`]).
    pub fn or_shorter(mut self, titles: &[&str]) -> Axis {
        self.shorter = titles.iter().map(|t| t.to_string()).collect();
        self
    }

    /// The title as shown in `room` px at `font_px`: the first of [`Axis::title`] and
    /// [`Axis::shorter`] that fits, else the shortest shortened with "…".
    pub fn fit_title(&self, font_px: f64, room: f64) -> String {
        let mut all = std::iter::once(&self.title).chain(&self.shorter);
        if let Some(t) = all.clone().find(|t| text_size(t, font_px).0 <= room) {
            return t.clone();
        }
        fit_text(all.next_back().unwrap_or(&self.title), font_px, room)
    }

    /// The label of tick `v`.
    pub fn label(&self, v: f64) -> String {
        match self.scale {
            Scale::Linear => fmt_linear_tick(v, self.hi - self.lo),
            Scale::Int => fmt_int_tick(v),
            Scale::Log => fmt_log_tick(v),
        }
    }

    /// The labels of a set of ticks: each [`Axis::label`], with more digits on a linear axis
    /// where two would read the same ([`super::fmt_ticks`]).
    pub fn labels(&self, ticks: &[f64]) -> Vec<String> {
        match self.scale {
            Scale::Linear => super::fmt_ticks(ticks, self.hi - self.lo),
            _ => ticks.iter().map(|&v| self.label(v)).collect(),
        }
    }

    /// Where `v` lies along the axis, 0 at `lo` and 1 at `hi`.
    pub fn frac(&self, v: f64) -> f64 {
        match self.scale {
            Scale::Log => (v.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln()),
            _ => (v - self.lo) / (self.hi - self.lo),
        }
    }

    /// Candidate tick sets, densest first (each sparser than the one before), ending with a
    /// single tick and no tick.
    pub fn tick_sets(&self) -> Vec<Vec<f64>> {
        let (lo, hi) = (self.lo, self.hi);
        let mut sets: Vec<Vec<f64>> = Vec::new();
        if !(lo.is_finite() && hi.is_finite() && hi > lo) {
            return vec![Vec::new()];
        }
        match self.scale {
            Scale::Linear | Scale::Int => {
                for n in (2..=24).rev() {
                    let mut t = axis_ticks(lo, hi, n);
                    if self.scale == Scale::Int {
                        t.retain(|v| (v - v.round()).abs() < 1e-9);
                    }
                    if !t.is_empty() && sets.last() != Some(&t) {
                        sets.push(t);
                    }
                }
            }
            Scale::Log if lo > 0.0 => {
                let (a, b) = (lo.log10().ceil() as i32, hi.log10().floor() as i32);
                for stride in [1, 2, 3, 4, 5, 10, 20, 25, 50, 100, 200] {
                    let t: Vec<f64> = (a..=b)
                        .filter(|k| k.rem_euclid(stride) == 0)
                        .map(|k| 10f64.powi(k))
                        .collect();
                    if !t.is_empty() && sets.last() != Some(&t) {
                        sets.push(t);
                    }
                }
            }
            Scale::Log => {}
        }
        if let Some(first) = sets.last().and_then(|s| s.first()).copied() {
            sets.push(vec![first]);
        }
        sets.push(Vec::new());
        sets
    }
}

/// Pixel of fraction `f` along `a → b`, as plotters maps it.
pub fn map_px(f: f64, a: i32, b: i32) -> i32 {
    a + ((b - a) as f64 * f + 1e-3).floor() as i32
}

/// A tick: value, label, pixel along its axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Value.
    pub value: f64,
    /// Label text.
    pub label: String,
    /// Pixel (x for a horizontal axis, y for a vertical one).
    pub px: i32,
}

/// The densest tick set of `axis` whose ticks are at least `min_step` px apart and whose labels
/// keep `gap` px apart along the axis, which runs from pixel `a` (the low end) to `b`; labels are
/// `font` device px. `bounds` is the pixel range a label box may occupy along the axis (labels at
/// the ends are shifted inside it). On an axis too short for two ticks `min_step` apart, the
/// densest set whose labels keep apart.
#[allow(clippy::too_many_arguments)]
pub fn fit_ticks(
    axis: &Axis,
    a: i32,
    b: i32,
    horizontal: bool,
    font: f64,
    gap: f64,
    min_step: f64,
    bounds: (f64, f64),
) -> Vec<Tick> {
    let ticks = fit_ticks_spaced(axis, a, b, horizontal, font, gap, min_step, bounds);
    if ticks.len() >= 2 || min_step == 0.0 {
        return ticks;
    }
    fit_ticks_spaced(axis, a, b, horizontal, font, gap, 0.0, bounds)
}

#[allow(clippy::too_many_arguments)]
fn fit_ticks_spaced(
    axis: &Axis,
    a: i32,
    b: i32,
    horizontal: bool,
    font: f64,
    gap: f64,
    min_step: f64,
    bounds: (f64, f64),
) -> Vec<Tick> {
    for set in axis.tick_sets() {
        let labels = axis.labels(&set);
        let ticks: Vec<Tick> = set
            .iter()
            .zip(labels)
            .map(|(&v, label)| Tick {
                value: v,
                label,
                px: map_px(axis.frac(v), a, b),
            })
            .collect();
        let extents: Vec<(f64, f64)> = ticks
            .iter()
            .map(|t| {
                let (w, h) = text_size(&t.label, font);
                tick_extent(t.px as f64, if horizontal { w } else { h }, bounds)
            })
            .collect();
        let mut sorted = extents.clone();
        sorted.sort_by(|p, q| p.0.total_cmp(&q.0));
        let inside = extents
            .iter()
            .all(|e| e.0 >= bounds.0 - 0.5 && e.1 <= bounds.1 + 0.5);
        let spaced = ticks
            .windows(2)
            .all(|w| ((w[1].px - w[0].px).abs() as f64) >= min_step);
        if inside && spaced && sorted.windows(2).all(|w| w[1].0 >= w[0].1 + gap) {
            return ticks;
        }
    }
    Vec::new()
}

/// The extent `[start, end]` along its axis of a label `len` long centred at `at`, shifted into
/// `bounds` when it fits there.
fn tick_extent(at: f64, len: f64, bounds: (f64, f64)) -> (f64, f64) {
    let mut s = at.round() - (len / 2.0).round();
    if s + len > bounds.1 {
        s = bounds.1 - len;
    }
    if s < bounds.0 {
        s = bounds.0;
    }
    (s, s + len)
}

/// How a legend entry is marked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Swatch {
    /// A line of this colour and width (CSS px), dashed or not.
    Line(RGBColor, f64, bool),
    /// A line with a dark halo and the solver's marker (trajectories on a map).
    Path(RGBColor, super::Marker),
    /// A dot.
    Dot(RGBColor),
    /// A line of this colour and width (CSS px) in a line style, with a marker on it or not.
    Styled(RGBColor, f64, super::Dash, Option<super::Marker>),
    /// A marker alone.
    Mark(RGBColor, super::Marker),
}

/// One legend entry.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// Text.
    pub label: String,
    /// Mark.
    pub swatch: Swatch,
}

/// Axis ranges `((x_lo, x_hi), (y_lo, y_hi))` for a plot area whose data spans `w × h` device px.
pub type FitRanges = dyn Fn(f64, f64) -> ((f64, f64), (f64, f64));

/// A 2-D chart on f64-like coordinates.
pub type Chart2d<'a, DB, X, Y> = ChartContext<
    'a,
    DB,
    Cartesian2d<<X as AsRangedCoord>::CoordDescType, <Y as AsRangedCoord>::CoordDescType>,
>;

/// What a 2-D plot's chrome needs to know.
pub struct FrameSpec<'a> {
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis (left).
    pub y: Axis,
    /// Second vertical axis (right), if any.
    pub y2: Option<Axis>,
    /// Legend entries (none: no legend).
    pub legend: &'a [LegendEntry],
    /// Device px at the right of the canvas kept free (a colour bar).
    pub right_reserve: i32,
    /// Light grid lines at the ticks.
    pub grid_lines: bool,
    /// Recompute the axis ranges from the plot area's data extent in device px (width, height)
    /// — equal scales on a map; `None` keeps `x` and `y`.
    pub fit_ranges: Option<&'a FitRanges>,
}

/// The laid-out chrome of a 2-D plot, in device px of the canvas.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Plot area `[x0, y0, x1, y1]` (x1, y1 exclusive).
    pub plot: [i32; 4],
    /// The horizontal axis (range possibly refit).
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
    /// The right axis.
    pub y2: Option<Axis>,
    /// Ticks of each axis.
    pub x_ticks: Vec<Tick>,
    /// …
    pub y_ticks: Vec<Tick>,
    /// …
    pub y2_ticks: Vec<Tick>,
    /// Legend entries placed: (entry index, shown text, swatch left x, row centre y).
    pub legend: Vec<(usize, String, i32, i32)>,
    /// Legend box `[l, t, r, b]`.
    pub legend_box: Option<[i32; 4]>,
    /// Titles as shown (shortened to fit).
    pub titles: [String; 3],
    /// Font sizes (device px): ticks, titles.
    pub fonts: (u32, u32),
    /// Pixel rows a y tick label may occupy.
    pub v_bounds: (f64, f64),
}

/// Sizes in CSS px of the chrome.
const MARGIN: f64 = 8.0;
const TICK: f64 = 4.0;
const TICK_GAP: f64 = 3.0;
const LABEL_GAP: f64 = 6.0;
/// Least distance between neighbouring ticks, CSS px: horizontal and vertical axes.
const MIN_X_STEP: f64 = 36.0;
const MIN_Y_STEP: f64 = 30.0;
/// The same for the y axes of stacked panels ([`layout_stack`]): each is shorter, and a log axis
/// spanning 100 decades still gets 4–5 decade labels in 100 px (a label is 13 px tall).
const MIN_STACK_Y_STEP: f64 = 20.0;

/// Lays out the chrome of a `w × h` device-px canvas.
pub fn layout_frame(w: i32, h: i32, spec: &FrameSpec, style: &PlotStyle) -> Frame {
    let (tf, lf) = (style.tick_font(), style.label_font());
    let (tfp, lfp) = (tf as f64, lf as f64);
    let p = |v: f64| style.px(v) as i32;
    let th = text_size("0", tfp).1 as i32;
    let lh = text_size("0", lfp).1 as i32;
    let right_edge = w - spec.right_reserve;

    // Legend rows across the top.
    let (sw, sgap, egap) = (p(16.0), p(5.0), p(14.0));
    let row_h = th + p(3.0);
    let avail = (right_edge - 2 * p(MARGIN)).max(1);
    let mut legend = Vec::new();
    let (mut cx, mut row) = (0, 0);
    for (i, e) in spec.legend.iter().enumerate() {
        let text = fit_text(&e.label, tfp, (avail - sw - sgap) as f64);
        let ew = sw + sgap + text_size(&text, tfp).0 as i32;
        if cx > 0 && cx + ew > avail {
            cx = 0;
            row += 1;
        }
        legend.push((i, text, cx, row));
        cx += ew + egap;
    }
    let rows = if legend.is_empty() { 0 } else { row + 1 };
    let top0 = p(MARGIN);
    let legend_h = rows * row_h;
    let legend: Vec<(usize, String, i32, i32)> = legend
        .into_iter()
        .map(|(i, t, x, r)| (i, t, p(MARGIN) + x, top0 + r * row_h + row_h / 2))
        .collect();
    let legend_box = (rows > 0).then(|| {
        let r = legend
            .iter()
            .map(|(_, t, x, _)| x + sw + sgap + text_size(t, tfp).0 as i32)
            .max()
            .unwrap_or(0);
        [
            p(MARGIN) - p(3.0),
            top0 - p(2.0),
            r + p(3.0),
            top0 + legend_h + p(1.0),
        ]
    });
    let y0 = top0 + if rows > 0 { legend_h + p(LABEL_GAP) } else { 0 } + th / 2;

    // Bottom: ticks, labels, title.
    let has_xt = !spec.x.title.is_empty();
    let bottom = p(TICK + TICK_GAP) + th + if has_xt { p(4.0) + lh } else { 0 } + p(6.0);
    let y1 = (h - bottom).max(y0 + 2);
    let v_bounds = (0.0, h as f64 - bottom as f64 + th as f64 / 2.0);
    let vgap = p(4.0) as f64;
    // Not denser than this, however small the labels.
    let y_step = p(MIN_Y_STEP) as f64;
    let y2_axis = spec.y2.clone();
    let y2_ticks = y2_axis
        .as_ref()
        .map(|a| fit_ticks(a, y1 - 1, y0, false, tfp, vgap, y_step, v_bounds))
        .unwrap_or_default();
    let widest = |t: &[Tick]| {
        t.iter()
            .map(|t| text_size(&t.label, tfp).0 as i32)
            .max()
            .unwrap_or(0)
    };
    let side = |ticks: &[Tick], titled: bool| {
        p(MARGIN) + if titled { lh + p(4.0) } else { 0 } + widest(ticks) + p(TICK + TICK_GAP)
    };
    let right = match &y2_axis {
        Some(a) => side(&y2_ticks, !a.title.is_empty()),
        None => p(12.0),
    };
    let x1 = |x0: i32| (right_edge - right).max(x0 + 2);
    let has_yt = !spec.y.title.is_empty();
    let (mut x_axis, mut y_axis) = (spec.x.clone(), spec.y.clone());
    let mut left = side(&[], has_yt) + text_size("0.0", tfp).0 as i32;
    let mut y_ticks = Vec::new();
    for _ in 0..6 {
        if let Some(f) = spec.fit_ranges {
            let (xr, yr) = f((x1(left) - 1 - left) as f64, (y1 - 1 - y0) as f64);
            (x_axis.lo, x_axis.hi, y_axis.lo, y_axis.hi) = (xr.0, xr.1, yr.0, yr.1);
        }
        y_ticks = fit_ticks(&y_axis, y1 - 1, y0, false, tfp, vgap, y_step, v_bounds);
        let need = side(&y_ticks, has_yt);
        if need <= left {
            break;
        }
        left = need;
    }
    let x0 = left;
    let x1 = x1(x0);
    let x_step = p(MIN_X_STEP) as f64;
    let x_ticks = fit_ticks(
        &x_axis,
        x0,
        x1 - 1,
        true,
        tfp,
        p(8.0) as f64,
        x_step,
        (0.0, right_edge as f64),
    );
    let title_room = |len: i32| (len + th).max(0) as f64;
    let titles = [
        x_axis.fit_title(lfp, (right_edge - 2 * p(4.0)) as f64),
        y_axis.fit_title(lfp, title_room(y1 - y0)),
        y2_axis
            .as_ref()
            .map(|a| a.fit_title(lfp, title_room(y1 - y0)))
            .unwrap_or_default(),
    ];
    Frame {
        plot: [x0, y0, x1, y1],
        x: x_axis,
        y: y_axis,
        y2: y2_axis,
        x_ticks,
        y_ticks,
        y2_ticks,
        legend,
        legend_box,
        titles,
        fonts: (tf, lf),
        v_bounds,
    }
}

/// One panel of a stack of plots sharing the x axis ([`layout_stack`]).
#[derive(Clone, Debug)]
pub struct Panel {
    /// Its left axis.
    pub y: Axis,
    /// Its right axis, if any.
    pub y2: Option<Axis>,
    /// Its share of the height available to the panels.
    pub weight: f64,
}

/// Lays out `panels` stacked top to bottom on a `w × h` device-px canvas, sharing the x axis
/// `x`: one left and one right margin for all (the plot areas are aligned), each panel's y axes
/// with their own range, ticks and title, the x tick labels and title under the bottom panel only
/// (the other panels keep the x ticks and grid lines, unlabelled). Tick labels of one panel stay
/// within its band, so they never meet a neighbour's. No legend.
pub fn layout_stack(w: i32, h: i32, x: &Axis, panels: &[Panel], style: &PlotStyle) -> Vec<Frame> {
    let (tf, lf) = (style.tick_font(), style.label_font());
    let (tfp, lfp) = (tf as f64, lf as f64);
    let p = |v: f64| style.px(v) as i32;
    let th = text_size("0", tfp).1 as i32;
    let lh = text_size("0", lfp).1 as i32;
    let n = panels.len().max(1) as i32;
    let top = p(MARGIN) + th / 2;
    let has_xt = !x.title.is_empty();
    let bottom = p(TICK + TICK_GAP) + th + if has_xt { p(4.0) + lh } else { 0 } + p(6.0);
    let y_end = (h - bottom).max(top + 2 * n);
    // Between panels: room for the half labels at both ends of neighbouring axes, and air.
    let gap = th + p(10.0);
    let avail = (y_end - top - gap * (n - 1)).max(2 * n) as f64;
    let total: f64 = panels
        .iter()
        .map(|q| q.weight.max(0.0))
        .sum::<f64>()
        .max(1e-12);
    let mut bands = Vec::new();
    let mut a = top as f64;
    for (i, q) in panels.iter().enumerate() {
        let b = if i + 1 == panels.len() {
            y_end as f64
        } else {
            a + avail * q.weight.max(0.0) / total
        };
        bands.push((
            a.round() as i32,
            (b.round() as i32).max(a.round() as i32 + 2),
        ));
        a = b + gap as f64;
    }
    // Label bounds: from the middle of the gap above to the middle of the gap below.
    let bounds: Vec<(f64, f64)> = (0..bands.len())
        .map(|i| {
            let lo = if i == 0 {
                0.0
            } else {
                (bands[i - 1].1 + bands[i].0) as f64 / 2.0
            };
            let hi = if i + 1 == bands.len() {
                h as f64 - bottom as f64 + th as f64 / 2.0
            } else {
                (bands[i].1 + bands[i + 1].0) as f64 / 2.0
            };
            (lo, hi)
        })
        .collect();
    let (vgap, y_step) = (p(4.0) as f64, p(MIN_STACK_Y_STEP) as f64);
    let ticks = |axis: &Axis, (a, b): (i32, i32), bounds| {
        fit_ticks(axis, b - 1, a, false, tfp, vgap, y_step, bounds)
    };
    let widest = |t: &[Tick]| {
        t.iter()
            .map(|t| text_size(&t.label, tfp).0 as i32)
            .max()
            .unwrap_or(0)
    };
    let side = |ticks: &[Tick], titled: bool| {
        p(MARGIN) + if titled { lh + p(4.0) } else { 0 } + widest(ticks) + p(TICK + TICK_GAP)
    };
    let y_ticks: Vec<Vec<Tick>> = panels
        .iter()
        .zip(&bands)
        .zip(&bounds)
        .map(|((q, band), b)| ticks(&q.y, *band, *b))
        .collect();
    let y2_ticks: Vec<Vec<Tick>> = panels
        .iter()
        .zip(&bands)
        .zip(&bounds)
        .map(|((q, band), b)| {
            q.y2.as_ref()
                .map(|a| ticks(a, *band, *b))
                .unwrap_or_default()
        })
        .collect();
    let mut left = side(&[], true) + text_size("0.0", tfp).0 as i32;
    let mut right = p(12.0);
    for (i, q) in panels.iter().enumerate() {
        left = left.max(side(&y_ticks[i], !q.y.title.is_empty()));
        if let Some(a) = &q.y2 {
            right = right.max(side(&y2_ticks[i], !a.title.is_empty()));
        }
    }
    let x0 = left;
    let x1 = (w - right).max(x0 + 2);
    let x_ticks = fit_ticks(
        x,
        x0,
        x1 - 1,
        true,
        tfp,
        p(8.0) as f64,
        p(MIN_X_STEP) as f64,
        (0.0, w as f64),
    );
    let title_room = |(a, b): (i32, i32)| (b - a + th).max(0) as f64;
    panels
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let last = i + 1 == panels.len();
            let x_ticks = if last {
                x_ticks.clone()
            } else {
                let hide = |t: &Tick| Tick {
                    label: String::new(),
                    ..t.clone()
                };
                x_ticks.iter().map(hide).collect()
            };
            Frame {
                plot: [x0, bands[i].0, x1, bands[i].1],
                x: x.clone(),
                y: q.y.clone(),
                y2: q.y2.clone(),
                x_ticks,
                y_ticks: y_ticks[i].clone(),
                y2_ticks: y2_ticks[i].clone(),
                legend: Vec::new(),
                legend_box: None,
                titles: [
                    if last {
                        x.fit_title(lfp, (w - 2 * p(4.0)) as f64)
                    } else {
                        String::new()
                    },
                    q.y.fit_title(lfp, title_room(bands[i])),
                    q.y2.as_ref()
                        .map(|a| a.fit_title(lfp, title_room(bands[i])))
                        .unwrap_or_default(),
                ],
                fonts: (tf, lf),
                v_bounds: bounds[i],
            }
        })
        .collect()
}

/// Draws the chrome of stacked panels ([`layout_stack`]) and records each panel's plot area in
/// [`PlotLayout::panels`] (and the box around them as [`PlotLayout::plot`]).
pub fn draw_stack<DB: DrawingBackend>(
    painter: &mut Painter<DB>,
    frames: &[Frame],
    style: &PlotStyle,
) -> Result<(), String> {
    for f in frames {
        let spec = FrameSpec {
            x: f.x.clone(),
            y: f.y.clone(),
            y2: f.y2.clone(),
            legend: &[],
            right_reserve: 0,
            grid_lines: true,
            fit_ranges: None,
        };
        f.draw(painter, &spec, style)?;
        let [x0, y0, x1, y1] = f.plot;
        let r = painter.rect([x0 as f64, y0 as f64, x1 as f64, y1 as f64]);
        painter.layout.panels.push(r);
    }
    if let (Some(first), Some(last)) = (frames.first(), frames.last()) {
        let b = [first.plot[0], first.plot[1], last.plot[2], last.plot[3]].map(|v| v as f64);
        painter.layout.plot = Some(painter.rect(b));
    }
    Ok(())
}

impl Frame {
    /// A chart on `area` (the canvas, or its left part up to the reserve) whose plotting area is
    /// [`Frame::plot`], with plain f64 coordinates on both axes (log axes use `log_scale`).
    pub fn margins(&self, area_w: i32, area_h: i32) -> (u32, u32, u32, u32) {
        let [x0, y0, x1, y1] = self.plot;
        (
            y0.max(0) as u32,
            (area_w - x1).max(0) as u32,
            (area_h - y1).max(0) as u32,
            x0.max(0) as u32,
        )
    }

    /// Draws grid lines, axis lines, ticks, tick labels, titles and the legend.
    pub fn draw<DB: DrawingBackend>(
        &self,
        painter: &mut Painter<DB>,
        spec: &FrameSpec,
        style: &PlotStyle,
    ) -> Result<(), String> {
        let root = painter.root;
        let [x0, y0, x1, y1] = self.plot;
        let (xr, yb) = (x1 - 1, y1 - 1);
        let p = |v: f64| style.px(v) as i32;
        let (tf, lf) = self.fonts;
        let pal = super::palette();
        let ink = pal.ink;
        let base = painter.base;
        let at = move |x: i32, y: i32| (x - base.0, y - base.1);
        if spec.grid_lines {
            let g = ShapeStyle::from(&pal.fg.mix(if pal.fg == WHITE { 0.1 } else { 0.08 }))
                .stroke_width(1);
            for t in &self.x_ticks {
                root.draw(&PathElement::new(vec![at(t.px, y0), at(t.px, yb)], g))
                    .map_err(err)?;
            }
            for t in &self.y_ticks {
                root.draw(&PathElement::new(vec![at(x0, t.px), at(xr, t.px)], g))
                    .map_err(err)?;
            }
        }
        let axis = ShapeStyle::from(&pal.fg.mix(0.75)).stroke_width(1);
        root.draw(&PathElement::new(
            vec![at(x0, y0), at(x0, yb), at(xr, yb)],
            axis,
        ))
        .map_err(err)?;
        if self.y2.is_some() {
            root.draw(&PathElement::new(vec![at(xr, y0), at(xr, yb)], axis))
                .map_err(err)?;
        }
        let (tick, gap) = (p(TICK), p(TICK_GAP));
        let right_edge = painter.dims().0 - spec.right_reserve;
        for t in &self.x_ticks {
            root.draw(&PathElement::new(
                vec![at(t.px, yb), at(t.px, yb + tick)],
                axis,
            ))
            .map_err(err)?;
            let (w, _) = text_size(&t.label, tf as f64);
            let (s, _) = tick_extent(t.px as f64, w, (0.0, right_edge as f64));
            painter.text(
                &t.label,
                (s, (yb + tick + gap) as f64),
                Pos::new(HPos::Left, VPos::Top),
                tf,
                &ink,
                false,
                "x_tick",
            )?;
        }
        let th = text_size("0", tf as f64).1;
        for (ticks, right, role) in [
            (&self.y_ticks, false, "y_tick"),
            (&self.y2_ticks, true, "y2_tick"),
        ] {
            for t in ticks {
                let (ax, dir) = if right { (xr, 1) } else { (x0, -1) };
                root.draw(&PathElement::new(
                    vec![at(ax, t.px), at(ax + dir * tick, t.px)],
                    axis,
                ))
                .map_err(err)?;
                let (s, _) = tick_extent(t.px as f64, th, self.v_bounds);
                let x = (ax + dir * (tick + gap)) as f64;
                let hp = if right { HPos::Left } else { HPos::Right };
                painter.text(
                    &t.label,
                    (x, s),
                    Pos::new(hp, VPos::Top),
                    tf,
                    &ink,
                    false,
                    role,
                )?;
            }
        }
        // Titles.
        let [xt, yt, y2t] = &self.titles;
        if !xt.is_empty() {
            let y = (yb + tick + gap) as f64 + th + p(4.0) as f64;
            let (w, _) = text_size(xt, lf as f64);
            let mut l = (x0 + x1) as f64 / 2.0 - w / 2.0;
            l = l
                .min(right_edge as f64 - p(4.0) as f64 - w)
                .max(p(4.0) as f64);
            painter.text(
                xt,
                (l, y),
                Pos::new(HPos::Left, VPos::Top),
                lf,
                &ink,
                false,
                "x_title",
            )?;
        }
        let mid = (y0 + y1) as f64 / 2.0;
        if !yt.is_empty() {
            painter.text(
                yt,
                (p(MARGIN) as f64, mid),
                Pos::new(HPos::Center, VPos::Top),
                lf,
                &ink,
                true,
                "y_title",
            )?;
        }
        if !y2t.is_empty() {
            let lh = text_size("0", lf as f64).1;
            painter.text(
                y2t,
                ((right_edge - p(MARGIN)) as f64 - lh, mid),
                Pos::new(HPos::Center, VPos::Top),
                lf,
                &ink,
                true,
                "y2_title",
            )?;
        }
        // Legend.
        if let Some(b) = self.legend_box {
            root.draw(&Rectangle::new(
                [at(b[0], b[1]), at(b[2], b[3])],
                pal.background.filled(),
            ))
            .map_err(err)?;
            let sw = p(16.0);
            for (i, text, x, y) in &self.legend {
                draw_swatch(root, spec.legend[*i].swatch, at(*x, *y), sw, style)?;
                painter.text(
                    text,
                    ((x + sw + p(5.0)) as f64, *y as f64),
                    Pos::new(HPos::Left, VPos::Center),
                    tf,
                    &ink,
                    false,
                    "legend",
                )?;
            }
            painter.layout.legend = Some(painter.rect(b.map(|v| v as f64)));
        }
        painter.layout.plot = Some(painter.rect([x0 as f64, y0 as f64, x1 as f64, y1 as f64]));
        Ok(())
    }
}

/// Draws a legend swatch `len` px long, starting at `(x, y)` (row centre).
fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: Swatch,
    (x, y): (i32, i32),
    len: i32,
    style: &PlotStyle,
) -> Result<(), String> {
    match s {
        Swatch::Line(c, w, dashed) => {
            let st = c.stroke_width(style.px(w));
            if dashed {
                let d = len / 4;
                for k in [0, 2] {
                    root.draw(&PathElement::new(
                        vec![(x + k * d, y), (x + (k + 1) * d + d / 2, y)],
                        st,
                    ))
                    .map_err(err)?;
                }
            } else {
                root.draw(&PathElement::new(vec![(x, y), (x + len, y)], st))
                    .map_err(err)?;
            }
        }
        Swatch::Path(c, m) => {
            root.draw(&PathElement::new(
                vec![(x, y), (x + len, y)],
                BLACK.mix(0.6).stroke_width(style.px(4.0)),
            ))
            .map_err(err)?;
            root.draw(&PathElement::new(
                vec![(x, y), (x + len, y)],
                c.stroke_width(style.px(2.0)),
            ))
            .map_err(err)?;
            super::draw_marker(
                root,
                m,
                (x + len / 2, y),
                style.ipx(4.0),
                c,
                BLACK.mix(0.75),
                style.px(1.0),
            )?;
        }
        Swatch::Styled(c, w, dash, m) => {
            let pts = [(x as f64, y as f64), ((x + len) as f64, y as f64)];
            for piece in super::dash_polyline(&pts, dash, style.scale * 0.75) {
                let piece: Vec<(i32, i32)> = piece
                    .iter()
                    .map(|p| (p.0.round() as i32, p.1.round() as i32))
                    .collect();
                root.draw(&PathElement::new(piece, c.stroke_width(style.px(w))))
                    .map_err(err)?;
            }
            if let Some(m) = m {
                let bg = super::palette().background;
                super::draw_marker(
                    root,
                    m,
                    (x + len / 2, y),
                    style.ipx(3.5),
                    c,
                    bg.to_rgba(),
                    style.px(1.0),
                )?;
            }
        }
        Swatch::Mark(c, m) => {
            let bg = super::palette().background;
            super::draw_marker(
                root,
                m,
                (x + len / 2, y),
                style.ipx(3.5),
                c,
                bg.to_rgba(),
                style.px(1.0),
            )?;
        }
        Swatch::Dot(c) => {
            root.draw(&Circle::new((x + len / 2, y), style.ipx(3.5), c.filled()))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// A chart on `area` (whose top-left is the canvas' top-left) with [`Frame::plot`] as its
/// plotting area and the ranges `x`, `y` (use `log_scale()` for a log axis).
pub fn frame_chart<'a, DB: DrawingBackend, X: AsRangedCoord, Y: AsRangedCoord>(
    area: &'a DrawingArea<DB, Shift>,
    frame: &Frame,
    x: X,
    y: Y,
) -> Result<Chart2d<'a, DB, X, Y>, String> {
    let (aw, ah) = area.dim_in_pixel();
    let (t, r, b, l) = frame.margins(aw as i32, ah as i32);
    ChartBuilder::on(area)
        .set_label_area_size(LabelAreaPosition::Top, t)
        .set_label_area_size(LabelAreaPosition::Right, r)
        .set_label_area_size(LabelAreaPosition::Bottom, b)
        .set_label_area_size(LabelAreaPosition::Left, l)
        .build_cartesian_2d(x, y)
        .map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_thin_out_on_a_short_axis_and_never_collide() {
        let a = Axis::linear(-3.0, 3.0, "x");
        let long = fit_ticks(&a, 50, 1000, true, 11.0, 8.0, 36.0, (0.0, 1100.0));
        let short = fit_ticks(&a, 50, 150, true, 11.0, 8.0, 36.0, (0.0, 160.0));
        assert!(long.len() >= 7, "{long:?}");
        assert!(short.len() < long.len() && !short.is_empty(), "{short:?}");
        let a = Axis::log(1e-12, 1e4, "");
        let t = fit_ticks(&a, 300, 0, false, 11.0, 4.0, 30.0, (0.0, 310.0));
        assert!(t.len() >= 3, "{t:?}");
        for w in t.windows(2) {
            assert!((w[0].px - w[1].px).abs() as f64 >= text_size("0", 11.0).1 + 4.0);
        }
    }

    #[test]
    fn text_is_shortened_to_fit() {
        let s = fit_text("gradient descent with momentum", 11.0, 80.0);
        assert!(s.ends_with('…') && text_size(&s, 11.0).0 <= 80.0, "{s}");
        assert_eq!(fit_text("GD", 11.0, 80.0), "GD");
    }

    #[test]
    fn vertical_boxes_stand_up() {
        let b = anchored_box(
            10.0,
            100.0,
            (60.0, 13.0),
            Pos::new(HPos::Center, VPos::Top),
            true,
        );
        assert_eq!(b, [10.0, 70.0, 23.0, 130.0]);
    }
}
