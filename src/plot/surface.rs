//! The 3-D surface z = f(x, y), coloured by height, with trajectories drawn on it.

use super::contour::MapOverlay;
use super::layout::{anchored_box, boxes_overlap, Painter};
use super::raster::{Pen, Rgba, RASTER_PATH_SEGMENTS};
use super::{axis_ticks, err, solver_color, viridis, Grid, PlotLayout, PlotStyle};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Camera angles of the 3-D view, in radians.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// Rotation about the vertical axis.
    pub yaw: f64,
    /// Tilt towards the viewer.
    pub pitch: f64,
}

/// Draws the surface sampled in `grid` with the trajectories of `overlay.traces` (up to
/// iteration `overlay.upto`, if given); the axes are named after `overlay.axes` and
/// `overlay.value` (`overlay.marks` is not drawn in 3-D). The cells are rasterized into one image
/// ([`super::raster`]) put on the backend pixel by pixel; see [`draw_surface_with`] for a faster
/// way to hand it over.
pub fn draw_surface<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    grid: &Grid,
    overlay: &MapOverlay,
    camera: Camera,
    style: &PlotStyle,
) -> Result<PlotLayout, String> {
    draw_surface_with(root, grid, overlay, camera, style, &mut |_| false)
}

/// [`draw_surface`], with `blit(image)` to composite the image of the cells over what is drawn
/// (alpha 0 = keep what is there; in the browser: one `drawImage`). When it returns `false` the
/// image's pixels are drawn one by one through the backend.
pub fn draw_surface_with<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    grid: &Grid,
    overlay: &MapOverlay,
    camera: Camera,
    style: &PlotStyle,
    blit: &mut dyn FnMut(&Rgba) -> bool,
) -> Result<PlotLayout, String> {
    let pal = super::palette();
    root.fill(&pal.background).map_err(err)?;
    let mut painter = Painter::new(root, style);
    let traces = overlay.traces;
    let v = grid.view;
    let (lo, hi) = (grid.lo, grid.hi);
    let font = ("sans-serif", style.tick_font()).into_font();
    let mut chart = ChartBuilder::on(root)
        .margin(style.px(4.0))
        .margin_left(style.px(30.0))
        .build_cartesian_3d(v.x_min..v.x_max, lo..hi, v.y_min..v.y_max)
        .map_err(err)?;
    chart.with_projection(|mut pb| {
        pb.yaw = camera.yaw;
        pb.pitch = camera.pitch;
        pb.scale = 0.68;
        pb.into_matrix()
    });
    let ranges = [(v.x_min, v.x_max), (lo, hi), (v.y_min, v.y_max)];
    let axes = axis_layout(root, &chart, ranges, &font, style);
    // plotters draws the back panels, the grid at the same round values as our ticks (same
    // generator, same count) and the axis lines; the tick marks, their labels and the axis names
    // are ours, so no two labels overlap (two axes meeting at a corner both labelled "3" did).
    chart
        .configure_axes()
        .light_grid_style(pal.fg.mix(0.06))
        .bold_grid_style(pal.fg.mix(0.12))
        .axis_panel_style(pal.fg.mix(if pal.fg == WHITE { 0.07 } else { 0.1 }))
        .max_light_lines(2)
        .tick_size(0)
        .x_labels(axes[0].count)
        .y_labels(axes[1].count)
        .z_labels(axes[2].count)
        .label_style(font.clone())
        .x_formatter(&|_| String::new())
        .y_formatter(&|_| String::new())
        .z_formatter(&|_| String::new())
        .draw()
        .map_err(err)?;
    let names = [overlay.x_name(), overlay.value_name(), overlay.y_name()];
    draw_axis_labels(&mut painter, &chart, &axes, names, &font, style)?;

    // Painter's algorithm: far cells first.
    let coord = chart.as_coord_spec();
    let mut cells: Vec<(i32, usize, usize, f64)> =
        Vec::with_capacity((grid.nx - 1) * (grid.ny - 1));
    for j in 0..grid.ny - 1 {
        for i in 0..grid.nx - 1 {
            let mean =
                (grid.at(i, j) + grid.at(i + 1, j) + grid.at(i, j + 1) + grid.at(i + 1, j + 1))
                    / 4.0;
            if mean.is_finite() {
                let cx = (grid.x(i) + grid.x(i + 1)) / 2.0;
                let cy = (grid.y(j) + grid.y(j + 1)) / 2.0;
                cells.push((coord.projected_depth(&cx, &mean, &cy), i, j, mean));
            }
        }
    }
    cells.sort_by_key(|c| std::cmp::Reverse(c.0));
    // The cells, far to near, into one image over the root's pixels; a faint black mesh line
    // every few cells.
    let (w, h) = root.dim_in_pixel();
    let (ox, oy) = root.get_base_pixel();
    // Every grid point projected once (a finite one; the others belong to no drawn cell).
    let projected: Vec<(i32, i32)> = (0..grid.ny)
        .flat_map(|j| (0..grid.nx).map(move |i| (i, j)))
        .map(|(i, j)| {
            let z = grid.at(i, j);
            if z.is_finite() {
                coord.translate(&(grid.x(i), z, grid.y(j)))
            } else {
                (0, 0)
            }
        })
        .collect();
    let corner = |i: usize, j: usize| projected[j * grid.nx + i];
    // The image covers the cells' bounding box (within the root), not the whole plot.
    let (mut x_lo, mut y_lo, mut x_hi, mut y_hi) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for &(_, i, j, _) in &cells {
        for p in [
            corner(i, j),
            corner(i + 1, j + 1),
            corner(i + 1, j),
            corner(i, j + 1),
        ] {
            (x_lo, y_lo, x_hi, y_hi) = (x_lo.min(p.0), y_lo.min(p.1), x_hi.max(p.0), y_hi.max(p.1));
        }
    }
    let (x_lo, y_lo) = (x_lo.max(ox), y_lo.max(oy));
    let (x_hi, y_hi) = (x_hi.min(ox + w as i32 - 1), y_hi.min(oy + h as i32 - 1));
    let span = |lo: i32, hi: i32| (hi as i64 - lo as i64 + 1).max(0) as usize;
    let mut img = Rgba::new(x_lo, y_lo, span(x_lo, x_hi), span(y_lo, y_hi));
    // Mesh lines about 14 CSS px apart across the image (6 to 40 of them), so a small plot is
    // not darkened by a 100×100 mesh.
    let lines = (img.w.max(img.h) as f64 / (14.0 * style.scale)).clamp(6.0, 40.0) as usize;
    let every = |n: usize| (n - 1).div_ceil(lines).max(1);
    let (si, sj) = (every(grid.nx), every(grid.ny));
    for &(_, i, j, mean) in &cells {
        let (p00, p10, p11, p01) = (
            corner(i, j),
            corner(i + 1, j),
            corner(i + 1, j + 1),
            corner(i, j + 1),
        );
        let c = viridis(grid.normalized(mean));
        let rgb = [c.0, c.1, c.2];
        img.fill_triangle(p00, p10, p11, rgb);
        img.fill_triangle(p00, p11, p01, rgb);
        let ink = [0, 0, 0];
        if j % sj == 0 {
            img.line(p00, p10, ink, 0.18);
        }
        if (j + 1) % sj == 0 || j + 2 == grid.ny {
            img.line(p01, p11, ink, 0.18);
        }
        if i % si == 0 {
            img.line(p00, p01, ink, 0.18);
        }
        if (i + 1) % si == 0 || i + 2 == grid.nx {
            img.line(p10, p11, ink, 0.18);
        }
    }
    super::raster::put(root, &img, blit)?;

    // Trajectories, lifted a little so they are not hidden in the surface.
    let lift = (hi - lo) * 0.01;
    let inside = |x: f64, y: f64| x >= v.x_min && x <= v.x_max && y >= v.y_min && y <= v.y_max;
    for (n, trace) in traces.iter().enumerate() {
        let last = overlay.shown(n, trace);
        let pts: Vec<(f64, f64, f64)> = trace.iterates[..last]
            .iter()
            .filter(|r| inside(r.x[0], r.x[1]))
            .map(|r| (r.x[0], r.f.clamp(lo, hi) + lift, r.x[1]))
            .collect();
        // A long run: one point per screen pixel it passes (the same picture).
        let mut last_px = None;
        let n_pts = pts.len();
        let spec = chart.as_coord_spec();
        let pts: Vec<(f64, f64, f64)> = pts
            .into_iter()
            .enumerate()
            .filter(|(k, p)| {
                let px = spec.translate(p);
                let keep = *k + 1 == n_pts || last_px != Some(px);
                last_px = Some(px);
                keep
            })
            .map(|(_, p)| p)
            .collect();
        let px: Vec<(f64, f64)> = pts
            .iter()
            .map(|p| {
                let q = spec.translate(p);
                (q.0 as f64, q.1 as f64)
            })
            .collect();
        let color = solver_color(n);
        if px.len() > RASTER_PATH_SEGMENTS {
            // A long run (a zig-zag of SGD steps): one image, not a stroke of thousands of
            // self-crossing segments.
            let pens = Pen::path(color, 0.7, style);
            let clip = [ox, oy, ox + w as i32, oy + h as i32];
            super::raster::put(
                root,
                &Rgba::stroke_paths(std::slice::from_ref(&px), clip, &pens),
                blit,
            )?;
        } else {
            chart
                .draw_series(LineSeries::new(
                    pts.iter().copied(),
                    BLACK.mix(0.7).stroke_width(style.px(4.0)),
                ))
                .map_err(err)?;
            chart
                .draw_series(LineSeries::new(
                    pts.iter().copied(),
                    color.stroke_width(style.px(2.0)),
                ))
                .map_err(err)?;
        }
        // The solver's marker along the path (one per 24 CSS px, at most 30) and at its end.
        let marker = super::solver_marker(n);
        let ring = BLACK.mix(0.75);
        let mut idx = super::marker_indices(&px, 24.0 * style.scale, 30);
        let end = px.last().copied().unwrap_or((f64::NAN, f64::NAN));
        idx.retain(|&i| {
            i > 0
                && i + 1 < pts.len()
                && (px[i].0 - end.0).hypot(px[i].1 - end.1) >= 14.0 * style.scale
        });
        let (small, big) = (style.px(3.0) as f64, style.px(4.0) as f64);
        let shapes = [
            (
                super::marker_polygon(marker, small, style.px(1.0) as f64),
                super::marker_polygon(marker, small, 0.0),
            ),
            (
                super::marker_polygon(marker, big, style.px(1.5) as f64),
                super::marker_polygon(marker, big, 0.0),
            ),
        ];
        let at: Vec<(usize, usize)> = idx
            .into_iter()
            .map(|i| (i, 0))
            .chain(pts.len().checked_sub(1).map(|i| (i, 1)))
            .collect();
        chart
            .draw_series(at.into_iter().map(|(i, s)| {
                EmptyElement::at(pts[i])
                    + Polygon::new(shapes[s].0.clone(), ring.filled())
                    + Polygon::new(shapes[s].1.clone(), color.filled())
            }))
            .map_err(err)?;
    }
    let mut layout = painter.finish();
    layout.mesh = Some([grid.nx, grid.ny]);
    Ok(layout)
}

/// A 3-D chart on a backend `DB` (x, f, y ranges of f64).
type Chart3d<'a, DB> = ChartContext<
    'a,
    DB,
    plotters::coord::ranged3d::Cartesian3d<
        plotters::coord::types::RangedCoordf64,
        plotters::coord::types::RangedCoordf64,
        plotters::coord::types::RangedCoordf64,
    >,
>;

/// Where one axis of the 3-D box is labelled.
#[derive(Clone, Debug)]
struct AxisLayout {
    /// Which coordinate (0 = x, 1 = f, 2 = y) the axis runs along.
    idx: usize,
    /// The box edge carrying the axis (as plotters draws it), from the low to the high end.
    from: [f64; 3],
    to: [f64; 3],
    /// Unit vector in screen pixels pointing away from the box, across the edge.
    normal: (f64, f64),
    /// The round values labelled, and the key-point count that yields them.
    ticks: Vec<f64>,
    count: usize,
}

/// The screen point of the data point `p` = (x, f, y).
fn screen<DB: DrawingBackend>(chart: &Chart3d<'_, DB>, p: [f64; 3]) -> (f64, f64) {
    let c = chart.as_coord_spec().translate(&(p[0], p[1], p[2]));
    (c.0 as f64, c.1 as f64)
}

/// Finds, for each axis, the box edge plotters draws it on (its own rule: on the far panels, the
/// nearest such edge), the outward direction for labels, and as many round ticks as fit along it.
fn axis_layout<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart3d<'_, DB>,
    r: [(f64, f64); 3],
    font: &FontDesc,
    style: &PlotStyle,
) -> [AxisLayout; 3] {
    let coord = chart.as_coord_spec();
    let depth = |p: [f64; 3]| coord.projected_depth(&p[0], &p[1], &p[2]);
    let low = [r[0].0, r[1].0, r[2].0];
    // The back panel of each axis: the side of the box farther from the viewer.
    let far: [f64; 3] = std::array::from_fn(|i| {
        let mut other = low;
        other[i] = r[i].1;
        if depth(low) >= depth(other) {
            r[i].0
        } else {
            r[i].1
        }
    });
    let centre = screen(chart, std::array::from_fn(|i| (r[i].0 + r[i].1) / 2.0));
    std::array::from_fn(|idx| {
        // plotters' candidates, in its order: the edges along `idx` on the other axes' panels.
        let mut plan = Vec::new();
        let (mut from, mut to) = (low, low);
        from[idx] = r[idx].0;
        to[idx] = r[idx].1;
        for i in (0..3).filter(|&i| i != idx) {
            from[i] = far[i];
            to[i] = far[i];
            let j = 3 - i - idx;
            for end in [r[j].0, r[j].1] {
                from[j] = end;
                to[j] = end;
                plan.push((from, to));
            }
        }
        let (from, to) = plan
            .into_iter()
            .min_by_key(|&(a, b)| {
                let y = chart.as_coord_spec().translate(&(a[0], a[1], a[2])).1
                    + chart.as_coord_spec().translate(&(b[0], b[1], b[2])).1;
                (depth(a) + depth(b), y)
            })
            .expect("two candidate edges at least");
        let (a, b) = (screen(chart, from), screen(chart, to));
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = dx.hypot(dy).max(1.0);
        let (ux, uy) = (dx / len, dy / len);
        let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let mut normal = (-uy, ux);
        if normal.0 * (mid.0 - centre.0) + normal.1 * (mid.1 - centre.1) < 0.0 {
            normal = (-normal.0, -normal.1);
        }
        // As many ticks as keep neighbouring labels apart along the edge.
        let gap = style.px(6.0) as f64;
        let (lo, hi) = r[idx];
        let mut count = 8;
        let ticks = loop {
            let ticks = axis_ticks(lo, hi, count);
            let widest = super::fmt_ticks(&ticks, hi - lo)
                .iter()
                .map(|t| text_size(root, t, font))
                .fold((0.0f64, 0.0f64), |m, s| (m.0.max(s.0), m.1.max(s.1)));
            let need = ux.abs() * widest.0 + uy.abs() * widest.1 + gap;
            let spacing = ticks
                .windows(2)
                .map(|w| (w[1] - w[0]) / (hi - lo) * len)
                .fold(f64::INFINITY, f64::min);
            if spacing >= need || count <= 2 {
                break ticks;
            }
            count -= 1;
        };
        AxisLayout {
            idx,
            from,
            to,
            normal,
            ticks,
            count,
        }
    })
}

/// Estimated width and height of `text` in pixels ([`super::layout::text_size`]: the same
/// estimate that places and reports every label).
fn text_size<DB: DrawingBackend>(
    _root: &DrawingArea<DB, Shift>,
    text: &str,
    font: &FontDesc,
) -> (f64, f64) {
    super::layout::text_size(text, font.get_size())
}

/// The text anchor for a label placed in direction `n` from its point: the label's near side.
fn anchor_for(n: (f64, f64)) -> Pos {
    let h = if n.0 > 0.38 {
        HPos::Left
    } else if n.0 < -0.38 {
        HPos::Right
    } else {
        HPos::Center
    };
    let v = if n.1 > 0.38 {
        VPos::Top
    } else if n.1 < -0.38 {
        VPos::Bottom
    } else {
        VPos::Center
    };
    Pos::new(h, v)
}

/// The box `[left, top, right, bottom]` of a `w × h` label anchored by `pos` at `(x, y)`.
fn label_box(x: f64, y: f64, size: (f64, f64), pos: Pos) -> [f64; 4] {
    anchored_box(x.round(), y.round(), size, pos, false)
}

fn overlaps(a: &[f64; 4], b: &[f64; 4], pad: f64) -> bool {
    boxes_overlap(a, b, pad)
}

/// Tick marks, tick labels and axis names of the three axes. A tick label that would overlap one
/// already drawn is left out (the f axis is labelled first, then x, then y); a name goes past
/// its axis' labels — above the top end of an upright axis — and stays inside the picture.
fn draw_axis_labels<DB: DrawingBackend>(
    painter: &mut Painter<DB>,
    chart: &Chart3d<'_, DB>,
    axes: &[AxisLayout; 3],
    names: [&str; 3],
    font: &FontDesc,
    style: &PlotStyle,
) -> Result<(), String> {
    let root = painter.root();
    let area = chart.plotting_area();
    let tick = style.px(4.0) as f64;
    let gap = style.px(3.0) as f64;
    let pal = super::palette();
    let line = ShapeStyle::from(&pal.fg.mix(0.6)).stroke_width(1);
    let name_font = ("sans-serif", style.label_font()).into_font();
    let (xr, yr) = root.get_pixel_range();
    let mut placed: Vec<[f64; 4]> = Vec::new();
    // Tick labels are drawn after the names: one a name could not avoid is left out.
    type Pending = (String, (f64, f64), Pos, &'static str, [f64; 4]);
    let mut pending: Vec<Pending> = Vec::new();
    let mut reach = [0.0f64; 3]; // how far each axis' labels reach from its edge, along its normal
    for axis in [&axes[1], &axes[0], &axes[2]] {
        let n = axis.normal;
        let pos = anchor_for(n);
        let off = (n.0 * (tick + gap), n.1 * (tick + gap));
        let span = axis.to[axis.idx] - axis.from[axis.idx];
        for (&t, text) in axis.ticks.iter().zip(super::fmt_ticks(&axis.ticks, span)) {
            let mut p = axis.from;
            p[axis.idx] = t;
            let at = screen(chart, p);
            let size = text_size(root, &text, font);
            let b = label_box(at.0 + off.0, at.1 + off.1, size, pos);
            let mark = ((n.0 * tick).round() as i32, (n.1 * tick).round() as i32);
            area.draw(
                &(EmptyElement::at((p[0], p[1], p[2]))
                    + PathElement::new(vec![(0, 0), mark], line)),
            )
            .map_err(err)?;
            let outside = b[0] < xr.start as f64
                || b[1] < yr.start as f64
                || b[2] > xr.end as f64
                || b[3] > yr.end as f64;
            if outside || placed.iter().any(|q| overlaps(q, &b, style.px(4.0) as f64)) {
                continue;
            }
            placed.push(b);
            reach[axis.idx] = reach[axis.idx].max(n.0.abs() * size.0 + n.1.abs() * size.1);
            let role = ["x_tick", "z_tick", "y_tick"][axis.idx];
            pending.push((text, (at.0 + off.0, at.1 + off.1), pos, role, b));
        }
    }
    // The names, once every tick label is placed: past the labels, inside the picture, clear
    // of every label (sliding along the axis when the middle is taken).
    let inside = |x: f64, y: f64, size: (f64, f64), pos: Pos| {
        let b = label_box(x, y, size, pos);
        let x = x + (xr.start as f64 - b[0]).max(0.0) - (b[2] - xr.end as f64).max(0.0);
        let y = y + (yr.start as f64 - b[1]).max(0.0) - (b[3] - yr.end as f64).max(0.0);
        (x, y)
    };
    // A name keeps a little more room from the numbers than they keep from each other.
    let clear = style.px(5.0) as f64;
    let mut name_boxes: Vec<[f64; 4]> = Vec::new();
    for axis in [&axes[1], &axes[0], &axes[2]] {
        let name = names[axis.idx];
        if name.is_empty() {
            continue;
        }
        let n = axis.normal;
        let off = (n.0 * (tick + gap), n.1 * (tick + gap));
        let size = text_size(root, name, &name_font);
        let (a, b) = (screen(chart, axis.from), screen(chart, axis.to));
        let upright = (b.1 - a.1).abs() > 1.5 * (b.0 - a.0).abs();
        let candidates: Vec<(f64, f64, Pos)> = if upright {
            // Above the upper end, over the column of tick labels.
            let top = if a.1 < b.1 { a } else { b };
            let h = if n.0 >= 0.0 { HPos::Left } else { HPos::Right };
            let lift = size.1 / 2.0 + gap * 2.0;
            vec![(top.0 + off.0, top.1 - lift, Pos::new(h, VPos::Bottom))]
        } else {
            let d = tick + gap + reach[axis.idx] + gap * 2.0;
            [0.5, 0.65, 0.35, 0.8, 0.2, 0.95, 0.05]
                .iter()
                .map(|&f| {
                    let p = (a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1));
                    (p.0 + n.0 * d, p.1 + n.1 * d, anchor_for(n))
                })
                .collect()
        };
        let fitted: Vec<(f64, f64, Pos)> = candidates
            .iter()
            .map(|&(x, y, pos)| {
                let (x, y) = inside(x, y, size, pos);
                (x, y, pos)
            })
            .collect();
        let &(x, y, npos) = fitted
            .iter()
            .find(|&&(x, y, pos)| {
                let b = label_box(x, y, size, pos);
                !placed.iter().any(|q| overlaps(q, &b, clear))
            })
            .unwrap_or(&fitted[0]);
        placed.push(label_box(x, y, size, npos));
        name_boxes.push(label_box(x, y, size, npos));
        painter.text(
            name,
            (x, y),
            npos,
            name_font.get_size() as u32,
            &pal.ink,
            false,
            ["x_title", "z_title", "y_title"][axis.idx],
        )?;
    }
    let ink = pal.ink;
    for (text, at, pos, role, b) in pending {
        if name_boxes.iter().any(|q| overlaps(q, &b, 1.0)) {
            continue;
        }
        painter.text(&text, at, pos, font.get_size() as u32, &ink, false, role)?;
    }
    Ok(())
}
