//! The contour map: filled heat map, contour lines, colour bar, and trajectories on top.

use super::layout::{
    frame_chart, layout_frame, text_size, Axis, Frame, FrameSpec, LegendEntry, Painter, Swatch,
};
use super::raster::{Pen, Rgba, RASTER_PATH_SEGMENTS};
use super::{axis_ticks, err, fmt_tick, solver_color, viridis, Grid, PlotLayout, PlotStyle};
use crate::problem::surfaces::ViewBox;
use crate::trace::Trace;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The screen ↔ data mapping of a drawn map, so a click can be converted to (x, y) in Rust.
///
/// It is plotters' own mapping: `view.x_min` at pixel `x_px.0`, `view.x_max` at `x_px.1 − 1`,
/// `view.y_max` at `y_px.0`, `view.y_min` at `y_px.1 − 1`.
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
    /// Pixels spanned by the data range: (x, y).
    fn span_px(&self) -> (f64, f64) {
        (
            ((self.x_px.1 - 1 - self.x_px.0) as f64).max(1.0),
            ((self.y_px.1 - 1 - self.y_px.0) as f64).max(1.0),
        )
    }

    /// The data point under backend pixel (px, py), or `None` outside the plot area.
    pub fn to_data(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let (x0, x1) = (self.x_px.0 as f64, self.x_px.1 as f64);
        let (y0, y1) = (self.y_px.0 as f64, self.y_px.1 as f64);
        if !(px >= x0 && px <= x1 && py >= y0 && py <= y1) {
            return None;
        }
        let (sx, sy) = self.units_per_px();
        Some((
            self.view.x_min + (px - x0) * sx,
            self.view.y_max - (py - y0) * sy,
        ))
    }

    /// The backend pixel (fractional) of data point (x, y): the inverse of [`PixelMap::to_data`].
    pub fn to_pixel(&self, x: f64, y: f64) -> (f64, f64) {
        let (sx, sy) = self.units_per_px();
        (
            self.x_px.0 as f64 + (x - self.view.x_min) / sx,
            self.y_px.0 as f64 + (self.view.y_max - y) / sy,
        )
    }

    /// Data units per backend pixel along x and along y.
    pub fn units_per_px(&self) -> (f64, f64) {
        let (w, h) = self.span_px();
        (
            (self.view.x_max - self.view.x_min) / w,
            (self.view.y_max - self.view.y_min) / h,
        )
    }

    /// Width and height of the plot area in pixels.
    pub fn size(&self) -> (u32, u32) {
        (
            (self.x_px.1 - self.x_px.0).max(1) as u32,
            (self.y_px.1 - self.y_px.0).max(1) as u32,
        )
    }
}

/// `view` grown along one axis, symmetrically about its centre, so that a plot area whose data
/// range spans `w × h` pixels shows one data unit as many pixels in x as in y (as a map does):
/// the other axis keeps its range exactly.
pub fn equal_scale_view(view: ViewBox, w: f64, h: f64) -> ViewBox {
    let (w, h) = (w.max(1.0), h.max(1.0));
    let (sx, sy) = (view.x_max - view.x_min, view.y_max - view.y_min);
    if sx / w >= sy / h {
        let u = sx / w;
        let cy = (view.y_min + view.y_max) / 2.0;
        ViewBox::new(view.x_min, view.x_max, cy - u * h / 2.0, cy + u * h / 2.0)
    } else {
        let u = sy / h;
        let cx = (view.x_min + view.x_max) / 2.0;
        ViewBox::new(cx - u * w / 2.0, cx + u * w / 2.0, view.y_min, view.y_max)
    }
}

/// The crossings of the level set {f = level} through each grid cell, by marching squares:
/// `visit(segment, [edge a, edge b])` per piece, where an edge is identified by a number shared
/// by the two cells that meet there (so pieces can be joined into lines). A crossing point is
/// computed the same way from either cell (from the edge's lower/left corner), so joined points
/// agree exactly.
fn march(grid: &Grid, level: f64, mut visit: impl FnMut([(f64, f64); 2], [usize; 2])) {
    let nx = grid.nx;
    // Horizontal edge (i, j)–(i+1, j): j·nx + i; vertical edge (i, j)–(i, j+1): nx·ny + j·nx + i.
    let h_edge = |i: usize, j: usize| j * nx + i;
    let v_edge = |i: usize, j: usize| nx * grid.ny + j * nx + i;
    let cross = |p: (f64, f64, f64), q: (f64, f64, f64)| {
        let t = (level - p.2) / (q.2 - p.2);
        (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1))
    };
    for j in 0..grid.ny - 1 {
        let (y0, y1) = (grid.y(j), grid.y(j + 1));
        for i in 0..grid.nx - 1 {
            let (x0, x1) = (grid.x(i), grid.x(i + 1));
            // Corners counter-clockwise from bottom-left.
            let c = [
                (x0, y0, grid.at(i, j)),
                (x1, y0, grid.at(i + 1, j)),
                (x1, y1, grid.at(i + 1, j + 1)),
                (x0, y1, grid.at(i, j + 1)),
            ];
            if c.iter().any(|p| !p.2.is_finite()) {
                continue;
            }
            let below = c.map(|p| p.2 < level);
            if below.iter().all(|&b| b) || below.iter().all(|&b| !b) {
                continue;
            }
            // Edges counter-clockwise: bottom, right, top, left; each from its lower/left corner.
            let edges = [
                (0, 1, h_edge(i, j)),
                (1, 2, v_edge(i + 1, j)),
                (3, 2, h_edge(i, j + 1)),
                (0, 3, v_edge(i, j)),
            ];
            let mut pts = [((0.0, 0.0), 0usize); 4];
            let mut n = 0;
            for &(a, b, id) in &edges {
                if below[a] != below[b] {
                    pts[n] = (cross(c[a], c[b]), id);
                    n += 1;
                }
            }
            let mut piece = |p: usize, q: usize| visit([pts[p].0, pts[q].0], [pts[p].1, pts[q].1]);
            match n {
                2 => piece(0, 1),
                4 => {
                    // Saddle cell: decide by the centre value.
                    let centre = (c[0].2 + c[1].2 + c[2].2 + c[3].2) / 4.0;
                    if (centre < level) == below[0] {
                        piece(0, 3);
                        piece(1, 2);
                    } else {
                        piece(0, 1);
                        piece(2, 3);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Line segments of the level set {f = level}, by marching squares on the grid.
pub fn contour_segments(grid: &Grid, level: f64) -> Vec<[(f64, f64); 2]> {
    let mut out = Vec::new();
    march(grid, level, |s, _| out.push(s));
    out
}

/// The level set {f = level} as polylines (closed ones end where they start): the marching
/// squares pieces joined at shared cell edges, so a canvas strokes a few paths instead of
/// thousands of segments.
pub fn contour_lines(grid: &Grid, level: f64) -> Vec<Vec<(f64, f64)>> {
    let mut segs: Vec<[(f64, f64); 2]> = Vec::new();
    let mut ends: Vec<[usize; 2]> = Vec::new();
    march(grid, level, |s, e| {
        segs.push(s);
        ends.push(e);
    });
    // Per edge, the (at most two) pieces that touch it.
    const NONE: u32 = u32::MAX;
    let mut at = vec![[NONE; 2]; 2 * grid.nx * grid.ny];
    for (k, e) in ends.iter().enumerate() {
        for &id in e {
            let slot = &mut at[id];
            if slot[0] == NONE {
                slot[0] = k as u32;
            } else {
                slot[1] = k as u32;
            }
        }
    }
    let other = |id: usize, k: usize| -> Option<usize> {
        let [a, b] = at[id];
        let o = if a as usize == k { b } else { a };
        (o != NONE && o as usize != k).then_some(o as usize)
    };
    let mut used = vec![false; segs.len()];
    let mut lines = Vec::new();
    // Walks from piece k out through its edge `from_end` (0 or 1), appending points.
    let walk = |k0: usize, end: usize, used: &mut Vec<bool>, line: &mut Vec<(f64, f64)>| {
        let (mut k, mut id) = (k0, ends[k0][end]);
        while let Some(n) = other(id, k) {
            if used[n] {
                break;
            }
            used[n] = true;
            // Enter n through edge `id`; leave through its other edge.
            let (enter, leave) = if ends[n][0] == id { (0, 1) } else { (1, 0) };
            let _ = enter;
            line.push(segs[n][leave]);
            k = n;
            id = ends[n][leave];
        }
    };
    for k in 0..segs.len() {
        if used[k] {
            continue;
        }
        used[k] = true;
        // Forward from end 1, then backward from end 0 (reversed in front).
        let mut fwd = vec![segs[k][0], segs[k][1]];
        walk(k, 1, &mut used, &mut fwd);
        let mut back = Vec::new();
        walk(k, 0, &mut used, &mut back);
        if !back.is_empty() {
            back.reverse();
            back.extend(fwd);
            fwd = back;
        }
        lines.push(fwd);
    }
    lines
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

/// The polyline through `pts` clipped to the box, as the pieces that stay inside (each a
/// polyline: a canvas strokes one path per piece, not one per segment).
pub fn clip_polyline(pts: &[(f64, f64)], v: &ViewBox) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    for w in pts.windows(2) {
        let Some([a, b]) = clip_segment(w[0], w[1], v) else {
            continue;
        };
        match out.last_mut() {
            Some(line) if line.last() == Some(&a) => line.push(b),
            _ => out.push(vec![a, b]),
        }
    }
    out
}

/// What the map shows besides the surface.
#[derive(Clone, Debug, Default)]
pub struct MapOverlay<'a> {
    /// Trajectories, one colour each (see [`solver_color`]).
    pub traces: &'a [Trace],
    /// Draw the runs only up to this iteration (playback); `None` = whole runs.
    pub upto: Option<usize>,
    /// Per run, draw only its first `lengths[n]` records (at least one), where given: the
    /// regression lab's epochs end at a different record in each run. Empty = no such limit.
    pub lengths: &'a [usize],
    /// Points to mark with a small cross (known minima).
    pub marks: &'a [(f64, f64)],
    /// Names of the horizontal and vertical axes (`("x", "y")` when empty).
    pub axes: (&'a str, &'a str),
    /// Name of the mapped quantity (`f(x, y)`, the loss, SSR …): the colour bar's label and the
    /// vertical axis of the 3-D surface (`f(x, y)` when empty).
    pub value: &'a str,
    /// Equal scales: show this view box grown along one axis so that a data unit is as many
    /// pixels in x as in y ([`equal_scale_view`]; the grid must then be sampled over
    /// [`shown_view`]). `None`: the grid's view box fills the plot area.
    pub equal_scale: Option<ViewBox>,
}

impl MapOverlay<'_> {
    /// How many records of run `n` (`trace`) are drawn: all, or up to [`MapOverlay::upto`]
    /// and [`MapOverlay::lengths`], at least the start.
    pub fn shown(&self, n: usize, trace: &Trace) -> usize {
        let all = trace.iterates.len();
        let upto = self.upto.map_or(all, |k| (k + 1).min(all));
        let len = self.lengths.get(n).map_or(all, |&l| l.clamp(1, all.max(1)));
        upto.min(len)
    }

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

/// Width of the colour bar column at the right of a map, CSS px.
const BAR_W: f64 = 66.0;

/// Contour levels drawn on a map.
pub const CONTOUR_LEVELS: usize = 14;

/// The legend of a map: one entry per trajectory when there are several.
fn map_legend(overlay: &MapOverlay) -> Vec<LegendEntry> {
    if overlay.traces.len() < 2 {
        return Vec::new();
    }
    overlay
        .traces
        .iter()
        .enumerate()
        .map(|(n, t)| LegendEntry {
            label: t.solver.clone(),
            swatch: Swatch::Path(solver_color(n), super::solver_marker(n)),
        })
        .collect()
}

/// Width of the colour bar column, device px.
fn bar_width(w: i32, style: &PlotStyle) -> i32 {
    (style.px(BAR_W) as i32).min(w / 4)
}

/// The layout of a map on a `w × h` device-px canvas showing `view` (grown to equal scales when
/// `overlay.equal_scale` is set: then `view` is that box).
fn map_frame(w: i32, h: i32, overlay: &MapOverlay, view: ViewBox, style: &PlotStyle) -> Frame {
    let legend = map_legend(overlay);
    let fit = move |pw: f64, ph: f64| {
        let v = equal_scale_view(view, pw, ph);
        ((v.x_min, v.x_max), (v.y_min, v.y_max))
    };
    let fit_ref: &super::layout::FitRanges = &fit;
    let spec = FrameSpec {
        x: Axis::linear(view.x_min, view.x_max, overlay.x_name()),
        y: Axis::linear(view.y_min, view.y_max, overlay.y_name()),
        y2: None,
        legend: &legend,
        right_reserve: bar_width(w, style),
        grid_lines: false,
        fit_ranges: overlay.equal_scale.is_some().then_some(fit_ref),
    };
    layout_frame(w, h, &spec, style)
}

/// The data range a map drawn on a `width × height` device-px canvas shows: `overlay.equal_scale`
/// grown to the plot area's aspect (equal scales), or `view` as it is without `equal_scale`.
/// Sample the map's [`Grid`] over this box.
pub fn shown_view(
    (width, height): (u32, u32),
    overlay: &MapOverlay,
    view: ViewBox,
    style: &PlotStyle,
) -> ViewBox {
    let v = overlay.equal_scale.unwrap_or(view);
    let f = map_frame(width as i32, height as i32, overlay, v, style);
    ViewBox::new(f.x.lo, f.x.hi, f.y.lo, f.y.hi)
}

/// Draws the heat map with contour lines, colour bar and trajectories onto `root`; returns the
/// pixel mapping and the layout of the text (with the data units per CSS px of each axis).
///
/// The range shown is `grid.view`, or with `overlay.equal_scale` that box grown to equal scales
/// ([`shown_view`], which `grid` should have been sampled over). The legend (several runs) is a
/// row above the plot area, the colour bar a column at its right.
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
) -> Result<(PixelMap, PlotLayout), String> {
    draw_contour_map_with(root, grid, overlay, style, raster, &mut |_| false)
}

/// [`draw_contour_map`], with `blit(image)` to composite an image over what is drawn (alpha 0 =
/// keep what is there; in the browser: one `drawImage`): a path of more than
/// [`RASTER_PATH_SEGMENTS`] segments is drawn as one ([`Rgba::stroke_paths`]). When `blit`
/// returns `false` the image's pixels are drawn one by one through the backend.
pub fn draw_contour_map_with<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    grid: &Grid,
    overlay: &MapOverlay,
    style: &PlotStyle,
    raster: &mut dyn FnMut(PixelMap) -> bool,
    blit: &mut dyn FnMut(&Rgba) -> bool,
) -> Result<(PixelMap, PlotLayout), String> {
    root.fill(&super::palette().background).map_err(err)?;
    let mut painter = Painter::new(root, style);
    let (w, h) = painter.dims();
    let frame = map_frame(
        w,
        h,
        overlay,
        overlay.equal_scale.unwrap_or(grid.view),
        style,
    );
    let v = ViewBox::new(frame.x.lo, frame.x.hi, frame.y.lo, frame.y.hi);
    let legend = map_legend(overlay);
    let spec = FrameSpec {
        x: frame.x.clone(),
        y: frame.y.clone(),
        y2: None,
        legend: &legend,
        right_reserve: bar_width(w, style),
        grid_lines: false,
        fit_ranges: None,
    };
    let mut chart = frame_chart(root, &frame, v.x_min..v.x_max, v.y_min..v.y_max)?;
    let [x0, y0, x1, y1] = frame.plot;
    let map = PixelMap {
        x_px: (x0, x1),
        y_px: (y0, y1),
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
    for lines in grid.contour_lines(CONTOUR_LEVELS).iter() {
        chart
            .draw_series(
                lines
                    .iter()
                    .map(|l| PathElement::new(l.clone(), line_style)),
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
        let last = overlay.shown(n, trace);
        let pts: Vec<(f64, f64)> = trace.iterates[..last]
            .iter()
            .map(|r| (r.x[0], r.x[1]))
            .collect();
        // A long run: the points half a pixel apart or more (the same picture).
        let (ux, uy) = map.units_per_px();
        let pts = super::thin::by_pixel(&pts, ux, uy);
        let lines = clip_polyline(&pts, &v);
        let segments: usize = lines.iter().map(|l| l.len().saturating_sub(1)).sum();
        if segments > RASTER_PATH_SEGMENTS {
            // A long run (SGD's zig-zag of 20 000 steps): one image, not a stroke of thousands
            // of self-crossing segments.
            let (ox, oy) = root.get_base_pixel();
            let to_backend = |l: &Vec<(f64, f64)>| -> Vec<(f64, f64)> {
                l.iter()
                    .map(|p| {
                        let (x, y) = map.to_pixel(p.0, p.1);
                        (x + ox as f64, y + oy as f64)
                    })
                    .collect()
            };
            let paths: Vec<Vec<(f64, f64)>> = lines.iter().map(to_backend).collect();
            let pens = Pen::path(color, 0.6, style);
            let clip = [x0 + ox, y0 + oy, x1 + ox, y1 + oy];
            super::raster::put(root, &Rgba::stroke_paths(&paths, clip, &pens), blit)?;
        } else {
            chart
                .draw_series(lines.iter().map(|l| PathElement::new(l.clone(), halo)))
                .map_err(err)?;
            chart
                .draw_series(
                    lines
                        .iter()
                        .map(|l| PathElement::new(l.clone(), color.stroke_width(style.px(2.0)))),
                )
                .map_err(err)?;
        }
        if let Some(simplex) = trace.iterates[last - 1].simplex.as_ref() {
            let mut poly: Vec<(f64, f64)> = simplex.iter().map(|p| (p[0], p[1])).collect();
            if let Some(&first) = poly.first() {
                poly.push(first);
            }
            chart
                .draw_series(
                    clip_polyline(&poly, &v)
                        .into_iter()
                        .map(|l| PathElement::new(l, color.mix(0.9).stroke_width(style.px(1.0)))),
                )
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
        // The solver's marker (its shape tells it apart without colour) along the path,
        // thinned to one per 24 CSS px and at most 40, and larger at the end.
        let marker = super::solver_marker(n);
        let px: Vec<(f64, f64)> = pts
            .iter()
            .map(|p| {
                if inside(p) {
                    map.to_pixel(p.0, p.1)
                } else {
                    (f64::NAN, f64::NAN)
                }
            })
            .collect();
        let ring = BLACK.mix(0.75);
        let end = px.last().copied().unwrap_or((f64::NAN, f64::NAN));
        let clear = 14.0 * style.scale;
        let shapes = [
            (
                super::marker_polygon(marker, style.px(3.0) as f64, style.px(1.0) as f64),
                super::marker_polygon(marker, style.px(3.0) as f64, 0.0),
            ),
            (
                super::marker_polygon(marker, style.px(4.0) as f64, style.px(1.5) as f64),
                super::marker_polygon(marker, style.px(4.0) as f64, 0.0),
            ),
        ];
        let mut at: Vec<(usize, usize)> = super::marker_indices(&px, 24.0 * style.scale, 40)
            .into_iter()
            // Not over the start ring nor the end marker.
            .filter(|&i| {
                i > 0 && i + 1 < px.len() && (px[i].0 - end.0).hypot(px[i].1 - end.1) >= clear
            })
            .map(|i| (i, 0))
            .collect();
        if pts.last().is_some_and(inside) {
            at.push((pts.len() - 1, 1));
        }
        chart
            .draw_series(at.into_iter().map(|(i, s)| {
                EmptyElement::at(pts[i])
                    + Polygon::new(shapes[s].0.clone(), ring.filled())
                    + Polygon::new(shapes[s].1.clone(), color.filled())
            }))
            .map_err(err)?;
    }
    // The frame last: the raster (a canvas `putImageData`) replaces every pixel of the plot
    // area, so the axis lines on its edges are drawn after it.
    frame.draw(&mut painter, &spec, style)?;
    draw_color_bar(&mut painter, grid, overlay.value_name(), style, &frame)?;
    let mut layout = painter.finish();
    let (ux, uy) = map.units_per_px();
    layout.view = Some(v);
    layout.x_units_per_px = Some(ux * style.scale);
    layout.y_units_per_px = Some(uy * style.scale);
    Ok((map, layout))
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

/// A vertical colour bar in the reserved column at the right, aligned with the plot area: round
/// tick values at their true positions on the right, the quantity's name `label` under it (on
/// the row of the x axis' title).
fn draw_color_bar<DB: DrawingBackend>(
    painter: &mut Painter<DB>,
    grid: &Grid,
    label: &str,
    style: &PlotStyle,
    frame: &Frame,
) -> Result<(), String> {
    let root = painter.root();
    let (w, _) = painter.dims();
    let bar_w = bar_width(w, style);
    let left = w - bar_w;
    let (tf, lf) = frame.fonts;
    let x0 = left + style.ipx(2.0);
    let x1 = x0 + style.ipx(14.0);
    let (top, bottom) = (frame.plot[1], frame.plot[3].max(frame.plot[1] + 1));
    let height = (bottom - top) as f64;
    let steps = 64;
    let y = |t: f64| bottom - (t * height).round() as i32;
    for k in 0..steps {
        let (a, b) = (k as f64 / steps as f64, (k + 1) as f64 / steps as f64);
        root.draw(&Rectangle::new(
            [(x0, y(b)), (x1, y(a))],
            viridis((a + b) / 2.0).filled(),
        ))
        .map_err(err)?;
    }
    let pal = super::palette();
    let axis = ShapeStyle::from(&pal.fg).stroke_width(1);
    root.draw(&PathElement::new(vec![(x1, top), (x1, bottom)], axis))
        .map_err(err)?;
    let tick = style.ipx(4.0);
    let gap = style.ipx(3.0);
    let min_gap = text_size("0", tf as f64).1 + style.px(6.0) as f64;
    let ink = pal.ink;
    let values = color_bar_ticks(grid, height, min_gap);
    let labels = if grid.log_scale.is_some() {
        values.iter().map(|&v| fmt_tick(v)).collect()
    } else {
        super::fmt_ticks(&values, grid.hi - grid.lo)
    };
    for (v, text) in values.into_iter().zip(labels) {
        let y = y(grid.normalized(v));
        root.draw(&PathElement::new(vec![(x1, y), (x1 + tick, y)], axis))
            .map_err(err)?;
        let tw = text_size(&text, tf as f64).0;
        let x = ((x1 + tick + gap) as f64).min(w as f64 - tw - 1.0);
        painter.text(
            &text,
            (x, y as f64),
            Pos::new(HPos::Left, VPos::Center),
            tf,
            &ink,
            false,
            "bar_tick",
        )?;
    }
    // The quantity's name, centred under the bar and its numbers.
    let th = text_size("0", tf as f64).1;
    let name = super::layout::fit_text(label, lf as f64, (bar_w - style.ipx(4.0)) as f64);
    let nw = text_size(&name, lf as f64).0;
    let cx = (left + bar_w / 2) as f64;
    let l = (cx - nw / 2.0).min(w as f64 - nw - style.px(2.0) as f64);
    let yt = (bottom - 1 + tick + gap) as f64 + th + style.px(4.0) as f64;
    painter.text(
        &name,
        (l, yt),
        Pos::new(HPos::Left, VPos::Top),
        lf,
        &ink,
        false,
        "bar_title",
    )?;
    Ok(())
}

/// The keyboard start cursor: a crosshair through data point `at` across the whole plot area
/// (white over a dark halo, readable on every colour of the map) with a ring around the point.
/// Nothing is drawn when `at` lies outside the map.
pub fn draw_crosshair<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    map: &PixelMap,
    at: (f64, f64),
    style: &PlotStyle,
) -> Result<(), String> {
    let v = &map.view;
    if !(v.x_min..=v.x_max).contains(&at.0) || !(v.y_min..=v.y_max).contains(&at.1) {
        return Ok(());
    }
    use plotters::drawing::DrawingAreaErrorKind;
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (px, py) = map.to_pixel(at.0, at.1);
    let (px, py) = (px.round() as i32, py.round() as i32);
    let r = style.px(8.0) as i32;
    let gap = r + style.px(3.0) as i32;
    let (l, rt) = (map.x_px.0, map.x_px.1 - 1);
    let (t, b) = (map.y_px.0, map.y_px.1 - 1);
    // Four arms from the plot's edges to the ring (the point itself stays visible).
    let arms = [
        [(l, py), (px - gap, py)],
        [(px + gap, py), (rt, py)],
        [(px, t), (px, py - gap)],
        [(px, py + gap), (px, b)],
    ];
    let halo = ShapeStyle::from(&BLACK.mix(0.6)).stroke_width(style.px(4.0));
    let line = ShapeStyle::from(&WHITE).stroke_width(style.px(2.0));
    for s in [halo, line] {
        for a in arms {
            if (a[0].0 - a[1].0).abs() + (a[0].1 - a[1].1).abs() > 0 {
                root.draw(&PathElement::new(a.to_vec(), s)).map_err(e)?;
            }
        }
        root.draw(&Circle::new((px, py), r, s)).map_err(e)?;
    }
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
        assert_eq!(m.to_data(249.0, 109.0), Some((3.0, -3.0)));
        assert_eq!(m.to_data(149.5, 59.5), Some((0.0, 0.0)));
        assert_eq!(m.to_pixel(3.0, -3.0), (249.0, 109.0));
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
    fn contour_lines_join_the_pieces() {
        // A cone's level set is one closed circle: one polyline through every piece's points,
        // ending where it starts.
        let v = ViewBox::new(-1.0, 1.0, -1.0, 1.0);
        let n = 41;
        let vals: Vec<f64> = (0..n * n)
            .map(|k| {
                let (i, j) = (k % n, k / n);
                let (x, y) = (-1.0 + 2.0 * i as f64 / 40.0, -1.0 + 2.0 * j as f64 / 40.0);
                (x * x + y * y).sqrt()
            })
            .collect();
        let g = Grid::from_values(v, n, n, vals);
        let segs = contour_segments(&g, 0.5);
        let lines = contour_lines(&g, 0.5);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].len(), segs.len() + 1);
        assert_eq!(lines[0].first(), lines[0].last());
        for p in &lines[0] {
            assert!(((p.0 * p.0 + p.1 * p.1).sqrt() - 0.5).abs() < 0.01, "{p:?}");
        }
        // A level that leaves the grid: open lines, each piece used once.
        let lines = contour_lines(&g, 1.2);
        let pieces: usize = lines.iter().map(|l| l.len() - 1).sum();
        assert_eq!(pieces, contour_segments(&g, 1.2).len());
        assert!(lines.len() >= 4 && lines.iter().all(|l| l.first() != l.last()));
    }

    #[test]
    fn clipped_polylines_stay_joined_inside() {
        let v = ViewBox::new(0.0, 1.0, 0.0, 1.0);
        let pts = [
            (0.1, 0.1),
            (0.2, 0.2),
            (0.3, 0.1),
            (2.0, 0.5),
            (0.5, 0.5),
            (0.6, 0.6),
        ];
        let lines = clip_polyline(&pts, &v);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0][..3], pts[..3]);
        assert_eq!(lines[0].len(), 4); // leaves at the right edge
        assert_eq!(lines[1].len(), 3); // comes back in, then two points inside
        assert_eq!(lines[1][1..], pts[4..]);
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

#[cfg(test)]
mod crosshair_tests {
    use super::*;

    #[test]
    fn the_crosshair_crosses_the_map_at_the_cursor_and_only_there() {
        let (w, h) = (200u32, 200u32);
        let mut buf = vec![0u8; (w * h * 3) as usize];
        let map = PixelMap {
            x_px: (0, 200),
            y_px: (0, 200),
            view: ViewBox::new(-1.0, 1.0, -1.0, 1.0),
        };
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            root.fill(&BLACK).unwrap();
            // (0.5, −0.5) is pixel (149.25, 149.25) → (149, 149).
            draw_crosshair(&root, &map, (0.5, -0.5), &PlotStyle { scale: 1.0 }).unwrap();
            // Outside the view: nothing.
            draw_crosshair(&root, &map, (5.0, 0.0), &PlotStyle { scale: 1.0 }).unwrap();
            root.present().unwrap();
        }
        let at = |x: usize, y: usize| {
            let i = (y * w as usize + x) * 3;
            (buf[i], buf[i + 1], buf[i + 2])
        };
        const W: (u8, u8, u8) = (255, 255, 255);
        // The horizontal arm at row 149 (far left), the vertical arm at column 149 (top).
        assert_eq!(at(10, 149), W);
        assert_eq!(at(149, 10), W);
        // The ring around the point, 8 px out; its centre left clear.
        assert_eq!(at(157, 149), W);
        assert_ne!(at(149, 149), W);
        // Away from both lines: untouched.
        assert_eq!(at(50, 50), (0, 0, 0));
        assert_eq!(at(100, 10), (0, 0, 0));
    }
}
