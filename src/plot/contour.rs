//! The contour map: filled heat map, contour lines, colour bar, and trajectories on top.

use super::{axis_ticks, err, fmt_linear_tick, fmt_tick, solver_color, viridis, Grid, PlotStyle};
use crate::problem::surfaces::ViewBox;
use crate::trace::Trace;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The screen ↔ data mapping of a drawn map, so a click can be converted to (x, y) in Rust.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PixelMap {
    /// Left and right pixel of the plot area (exclusive right).
    pub x_px: (i32, i32),
    /// Top and bottom pixel of the plot area (exclusive bottom).
    pub y_px: (i32, i32),
    /// The data rectangle shown.
    pub view: ViewBox,
}

impl PixelMap {
    /// The data point under backend pixel (px, py), or `None` outside the plot area.
    pub fn to_data(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let (x0, x1) = (self.x_px.0 as f64, self.x_px.1 as f64);
        let (y0, y1) = (self.y_px.0 as f64, self.y_px.1 as f64);
        if !(px >= x0 && px <= x1 && py >= y0 && py <= y1) {
            return None;
        }
        let x = self.view.x_min + (px - x0) / (x1 - x0) * (self.view.x_max - self.view.x_min);
        let y = self.view.y_max - (py - y0) / (y1 - y0) * (self.view.y_max - self.view.y_min);
        Some((x, y))
    }

    /// Width and height of the plot area in pixels.
    pub fn size(&self) -> (u32, u32) {
        (
            (self.x_px.1 - self.x_px.0).max(1) as u32,
            (self.y_px.1 - self.y_px.0).max(1) as u32,
        )
    }
}

/// Line segments of the level set {f = level}, by marching squares on the grid.
pub fn contour_segments(grid: &Grid, level: f64) -> Vec<[(f64, f64); 2]> {
    let mut out = Vec::new();
    for j in 0..grid.ny - 1 {
        for i in 0..grid.nx - 1 {
            // Corners counter-clockwise from bottom-left.
            let c = [
                (grid.x(i), grid.y(j), grid.at(i, j)),
                (grid.x(i + 1), grid.y(j), grid.at(i + 1, j)),
                (grid.x(i + 1), grid.y(j + 1), grid.at(i + 1, j + 1)),
                (grid.x(i), grid.y(j + 1), grid.at(i, j + 1)),
            ];
            if c.iter().any(|p| !p.2.is_finite()) {
                continue;
            }
            let mut pts = Vec::with_capacity(4);
            for e in 0..4 {
                let (a, b) = (c[e], c[(e + 1) % 4]);
                if (a.2 < level) != (b.2 < level) {
                    let t = (level - a.2) / (b.2 - a.2);
                    pts.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                }
            }
            match pts.len() {
                2 => out.push([pts[0], pts[1]]),
                4 => {
                    // Saddle cell: decide by the centre value.
                    let centre = (c[0].2 + c[1].2 + c[2].2 + c[3].2) / 4.0;
                    if (centre < level) == (c[0].2 < level) {
                        out.push([pts[0], pts[3]]);
                        out.push([pts[1], pts[2]]);
                    } else {
                        out.push([pts[0], pts[1]]);
                        out.push([pts[2], pts[3]]);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Clips the segment a→b to the box (Liang–Barsky); `None` when it lies outside.
pub fn clip_segment(a: (f64, f64), b: (f64, f64), v: &ViewBox) -> Option<[(f64, f64); 2]> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - v.x_min),
        (dx, v.x_max - a.0),
        (-dy, a.1 - v.y_min),
        (dy, v.y_max - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some({
        [
            (a.0 + t0 * dx, a.1 + t0 * dy),
            (a.0 + t1 * dx, a.1 + t1 * dy),
        ]
    })
}

/// What the map shows besides the surface.
#[derive(Clone, Debug, Default)]
pub struct MapOverlay<'a> {
    /// Trajectories, one colour each (see [`solver_color`]).
    pub traces: &'a [Trace],
    /// Draw the runs only up to this iteration (playback); `None` = whole runs.
    pub upto: Option<usize>,
    /// Points to mark with a small cross (known minima).
    pub marks: &'a [(f64, f64)],
    /// Names of the horizontal and vertical axes (`("x", "y")` when empty).
    pub axes: (&'a str, &'a str),
    /// Name of the mapped quantity (`f(x, y)`, the loss, SSR …): the colour bar's label and the
    /// vertical axis of the 3-D surface (`f(x, y)` when empty).
    pub value: &'a str,
}

impl MapOverlay<'_> {
    /// The horizontal axis' name.
    pub fn x_name(&self) -> &str {
        if self.axes.0.is_empty() {
            "x"
        } else {
            self.axes.0
        }
    }
    /// The vertical axis' name.
    pub fn y_name(&self) -> &str {
        if self.axes.1.is_empty() {
            "y"
        } else {
            self.axes.1
        }
    }
    /// The mapped quantity's name.
    pub fn value_name(&self) -> &str {
        if self.value.is_empty() {
            "f(x, y)"
        } else {
            self.value
        }
    }
}

/// Draws the heat map with contour lines, colour bar and trajectories onto `root`.
///
/// `raster` is offered the plot area first: a backend that can blit an image fast (a canvas via
/// `putImageData`) paints [`Grid::rgba`] there and returns `true`; otherwise (bitmap tests) the
/// heat map is drawn as one rectangle per grid cell.
pub fn draw_contour_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    grid: &Grid,
    overlay: &MapOverlay,
    style: &PlotStyle,
    raster: &mut dyn FnMut(PixelMap) -> bool,
) -> Result<PixelMap, String> {
    root.fill(&WHITE).map_err(err)?;
    let (w, _) = root.dim_in_pixel();
    let bar_w = style.px(62.0).min(w / 4);
    let (main, bar) = root.split_horizontally(w - bar_w);
    let v = grid.view;
    let font = ("sans-serif", style.tick_font()).into_font();
    let desc_font = ("sans-serif", style.label_font()).into_font();

    let mut chart = ChartBuilder::on(&main)
        .margin(style.px(8.0))
        .margin_right(style.px(4.0))
        .x_label_area_size(style.px(34.0))
        .y_label_area_size(style.px(44.0))
        .build_cartesian_2d(v.x_min..v.x_max, v.y_min..v.y_max)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(7)
        .y_labels(7)
        .label_style(font.clone())
        .axis_desc_style(desc_font.clone())
        .x_desc(overlay.x_name())
        .y_desc(overlay.y_name())
        .x_label_formatter(&|x| fmt_linear_tick(*x, v.x_max - v.x_min))
        .y_label_formatter(&|y| fmt_linear_tick(*y, v.y_max - v.y_min))
        .draw()
        .map_err(err)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let map = PixelMap {
        x_px: (xr.start, xr.end),
        y_px: (yr.start, yr.end),
        view: v,
    };

    if !raster(map) {
        let cells = (0..grid.ny - 1).flat_map(|j| (0..grid.nx - 1).map(move |i| (i, j)));
        chart
            .draw_series(cells.filter_map(|(i, j)| {
                let mean =
                    (grid.at(i, j) + grid.at(i + 1, j) + grid.at(i, j + 1) + grid.at(i + 1, j + 1))
                        / 4.0;
                mean.is_finite().then(|| {
                    Rectangle::new(
                        [(grid.x(i), grid.y(j)), (grid.x(i + 1), grid.y(j + 1))],
                        viridis(grid.normalized(mean)).filled(),
                    )
                })
            }))
            .map_err(err)?;
    }

    let line_style = ShapeStyle::from(&BLACK.mix(0.28)).stroke_width(style.px(1.0));
    for level in grid.levels(14) {
        chart
            .draw_series(
                contour_segments(grid, level)
                    .into_iter()
                    .map(|s| PathElement::new(s.to_vec(), line_style)),
            )
            .map_err(err)?;
    }

    for &(mx, my) in overlay.marks {
        if mx >= v.x_min && mx <= v.x_max && my >= v.y_min && my <= v.y_max {
            chart
                .draw_series(std::iter::once(Cross::new(
                    (mx, my),
                    style.ipx(4.0),
                    WHITE.mix(0.8).stroke_width(style.px(1.5)),
                )))
                .map_err(err)?;
        }
    }

    let halo = ShapeStyle::from(&BLACK.mix(0.6)).stroke_width(style.px(4.0));
    for (n, trace) in overlay.traces.iter().enumerate() {
        let color = solver_color(n);
        let last = overlay
            .upto
            .map_or(trace.iterates.len(), |k| (k + 1).min(trace.iterates.len()));
        let pts: Vec<(f64, f64)> = trace.iterates[..last]
            .iter()
            .map(|r| (r.x[0], r.x[1]))
            .collect();
        let segs: Vec<[(f64, f64); 2]> = pts
            .windows(2)
            .filter_map(|w| clip_segment(w[0], w[1], &v))
            .collect();
        chart
            .draw_series(segs.iter().map(|s| PathElement::new(s.to_vec(), halo)))
            .map_err(err)?;
        let series = chart
            .draw_series(
                segs.iter()
                    .map(|s| PathElement::new(s.to_vec(), color.stroke_width(style.px(2.0)))),
            )
            .map_err(err)?;
        if overlay.traces.len() > 1 {
            let lw = style.px(2.0);
            let len = style.ipx(14.0);
            series.label(trace.solver.clone()).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + len, y)], color.stroke_width(lw))
            });
        }
        if let Some(simplex) = trace.iterates[last - 1].simplex.as_ref() {
            let mut poly: Vec<(f64, f64)> = simplex.iter().map(|p| (p[0], p[1])).collect();
            if let Some(&first) = poly.first() {
                poly.push(first);
            }
            let segs: Vec<_> = poly
                .windows(2)
                .filter_map(|w| clip_segment(w[0], w[1], &v))
                .collect();
            chart
                .draw_series(segs.iter().map(|s| {
                    PathElement::new(s.to_vec(), color.mix(0.9).stroke_width(style.px(1.0)))
                }))
                .map_err(err)?;
        }
        let inside =
            |p: &(f64, f64)| p.0 >= v.x_min && p.0 <= v.x_max && p.1 >= v.y_min && p.1 <= v.y_max;
        if let Some(p) = pts.first().filter(|p| inside(p)) {
            chart
                .draw_series([
                    Circle::new(*p, style.ipx(6.0), BLACK.filled()),
                    Circle::new(*p, style.ipx(4.5), WHITE.filled()),
                    Circle::new(*p, style.ipx(2.5), color.filled()),
                ])
                .map_err(err)?;
        }
        if let Some(p) = pts.last().filter(|p| inside(p)) {
            chart
                .draw_series([
                    Circle::new(*p, style.ipx(5.5), BLACK.filled()),
                    Circle::new(*p, style.ipx(4.0), color.filled()),
                ])
                .map_err(err)?;
        }
    }
    if overlay.traces.len() > 1 {
        chart
            .configure_series_labels()
            .position(emptiest_corner(overlay.traces, &v))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .label_font(font.clone())
            .margin(style.px(6.0))
            .draw()
            .map_err(err)?;
    }

    draw_color_bar(&bar, grid, overlay.value_name(), style, yr.start, yr.end)?;
    Ok(map)
}

/// The corner of the view crossed by the fewest trajectory points: where the legend hides least.
fn emptiest_corner(traces: &[Trace], v: &ViewBox) -> SeriesLabelPosition {
    let (cx, cy) = ((v.x_min + v.x_max) / 2.0, (v.y_min + v.y_max) / 2.0);
    let mut counts = [0usize; 4]; // UL, UR, LL, LR
    for r in traces.iter().flat_map(|t| &t.iterates) {
        let (x, y) = (r.x[0], r.x[1]);
        if x < v.x_min || x > v.x_max || y < v.y_min || y > v.y_max {
            continue;
        }
        counts[usize::from(y < cy) * 2 + usize::from(x >= cx)] += 1;
    }
    let best = (0..4).min_by_key(|&i| counts[i]).unwrap_or(0);
    [
        SeriesLabelPosition::UpperLeft,
        SeriesLabelPosition::UpperRight,
        SeriesLabelPosition::LowerLeft,
        SeriesLabelPosition::LowerRight,
    ][best]
        .clone()
}

/// The values labelled on the colour bar of `grid`, for a bar `bar_px` pixels tall whose labels
/// must be at least `min_gap_px` apart. On a linear colour map: round numbers, multiples of a
/// 1-2-5 × 10^k step ([`axis_ticks`]). On a log-scaled map ([`Grid::log_scale`]): powers of ten
/// (and 0), plus 2 and 5 × 10^k when fewer than three decades fit. Each is drawn at its true
/// position [`Grid::normalized`]; they come out in increasing order.
pub fn color_bar_ticks(grid: &Grid, bar_px: f64, min_gap_px: f64) -> Vec<f64> {
    let (lo, hi) = (grid.lo, grid.hi);
    if !(lo.is_finite() && hi.is_finite() && hi > lo && bar_px > 0.0) {
        return Vec::new();
    }
    let fit = ((bar_px / min_gap_px.max(1.0)).floor() as usize + 1).clamp(2, 10);
    if grid.log_scale.is_none() {
        // The most ticks whose labels stay `min_gap_px` apart.
        let mut n = fit;
        loop {
            let t = axis_ticks(lo, hi, n);
            let apart = t
                .windows(2)
                .all(|w| (w[1] - w[0]) / (hi - lo) * bar_px >= min_gap_px);
            if apart || n <= 2 {
                return t;
            }
            n -= 1;
        }
    }
    // Candidates ±m·10^k in the range, by priority: 0 and the decades first.
    let mut levels: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    if lo <= 0.0 && hi >= 0.0 {
        levels[0].push(0.0);
    }
    for k in -300i32..=300 {
        for (level, m) in [(0, 1.0), (1, 2.0), (1, 5.0)] {
            let v = if k < 0 {
                m / 10f64.powi(-k)
            } else {
                m * 10f64.powi(k)
            };
            for v in [v, -v] {
                if v >= lo && v <= hi {
                    levels[level].push(v);
                }
            }
        }
    }
    let mut kept: Vec<(f64, f64)> = Vec::new(); // (position in pixels, value)
    for (level, mut candidates) in levels.into_iter().enumerate() {
        if level == 1 && kept.len() >= 3 {
            break;
        }
        // From the top of the bar down: the largest of the values crowded together near the
        // bottom of a log scale is the one kept.
        candidates.sort_by(|a, b| b.total_cmp(a));
        for v in candidates {
            let y = grid.normalized(v) * bar_px;
            if kept.iter().all(|&(k, _)| (k - y).abs() >= min_gap_px) {
                kept.push((y, v));
            }
        }
    }
    let mut ticks: Vec<f64> = kept.into_iter().map(|(_, v)| v).collect();
    ticks.sort_by(f64::total_cmp);
    ticks
}

/// A vertical colour bar aligned with the plot area (rows `top..bottom`): round tick values at
/// their true positions on the right, the quantity's name `label` under it.
fn draw_color_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    grid: &Grid,
    label: &str,
    style: &PlotStyle,
    top: i32,
    bottom: i32,
) -> Result<(), String> {
    let (w, _) = area.dim_in_pixel();
    let font = ("sans-serif", style.tick_font()).into_font();
    let x0 = style.ipx(2.0);
    let x1 = (w as i32 - style.ipx(44.0)).max(x0 + style.ipx(6.0));
    let (top, bottom) = (top, bottom.max(top + 1));
    let height = (bottom - top) as f64;
    let steps = 64;
    let y = |t: f64| bottom - (t * height).round() as i32;
    for k in 0..steps {
        let (a, b) = (k as f64 / steps as f64, (k + 1) as f64 / steps as f64);
        area.draw(&Rectangle::new(
            [(x0, y(b)), (x1, y(a))],
            viridis((a + b) / 2.0).filled(),
        ))
        .map_err(err)?;
    }
    let axis = ShapeStyle::from(&BLACK).stroke_width(1);
    area.draw(&PathElement::new(vec![(x1, top), (x1, bottom)], axis))
        .map_err(err)?;
    let tick = style.ipx(4.0);
    let gap = style.ipx(3.0);
    let min_gap = style.tick_font() as f64 * 1.9;
    for v in color_bar_ticks(grid, height, min_gap) {
        let y = y(grid.normalized(v));
        area.draw(&PathElement::new(vec![(x1, y), (x1 + tick, y)], axis))
            .map_err(err)?;
        area.draw(&Text::new(
            fmt_tick(v),
            (x1 + tick + gap, y),
            TextStyle::from(font.clone()).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
    }
    // The quantity's name, centred under the bar and its numbers, on the row of the x ticks.
    let desc = ("sans-serif", style.label_font()).into_font();
    area.draw(&Text::new(
        label.to_string(),
        (w as i32 / 2, bottom + style.ipx(7.0)),
        TextStyle::from(desc).pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixel_map_inverts_the_axes() {
        let m = PixelMap {
            x_px: (50, 250),
            y_px: (10, 110),
            view: ViewBox::new(-3.0, 3.0, -3.0, 3.0),
        };
        assert_eq!(m.to_data(50.0, 10.0), Some((-3.0, 3.0)));
        assert_eq!(m.to_data(250.0, 110.0), Some((3.0, -3.0)));
        assert_eq!(m.to_data(150.0, 60.0), Some((0.0, 0.0)));
        assert_eq!(m.to_data(20.0, 60.0), None);
    }

    #[test]
    fn contour_of_a_cone_is_a_circle() {
        // f = sqrt(x² + y²): the level set f = 1 is the unit circle.
        let g = Grid::from_values(
            ViewBox::new(-2.0, 2.0, -2.0, 2.0),
            81,
            81,
            (0..81 * 81)
                .map(|k| {
                    let (x, y) = (-2.0 + 0.05 * (k % 81) as f64, -2.0 + 0.05 * (k / 81) as f64);
                    (x * x + y * y).sqrt()
                })
                .collect(),
        );
        let segs = contour_segments(&g, 1.0);
        assert!(segs.len() > 50);
        for s in &segs {
            for p in s {
                assert!(((p.0 * p.0 + p.1 * p.1).sqrt() - 1.0).abs() < 2e-3);
            }
        }
    }

    #[test]
    fn clipping() {
        let v = ViewBox::new(0.0, 1.0, 0.0, 1.0);
        assert_eq!(
            clip_segment((-1.0, 0.5), (2.0, 0.5), &v),
            Some([(0.0, 0.5), (1.0, 0.5)])
        );
        assert_eq!(clip_segment((-1.0, 2.0), (-0.5, 3.0), &v), None);
        assert_eq!(
            clip_segment((0.2, 0.2), (0.4, 0.4), &v),
            Some([(0.2, 0.2), (0.4, 0.4)])
        );
    }
}
