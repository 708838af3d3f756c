//! The 3-D surface z = f(x, y), coloured by height, with trajectories drawn on it.

use super::{err, fmt_tick, solver_color, viridis, Grid, PlotStyle};
use crate::trace::Trace;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Camera angles of the 3-D view, in radians.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// Rotation about the vertical axis.
    pub yaw: f64,
    /// Tilt towards the viewer.
    pub pitch: f64,
}

/// Draws the surface sampled in `grid` (keep it coarse, ~40×40, for smooth rotation) with the
/// trajectories of `traces` (up to iteration `upto`, if given).
pub fn draw_surface<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    grid: &Grid,
    traces: &[Trace],
    upto: Option<usize>,
    camera: Camera,
    style: &PlotStyle,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
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
    chart
        .configure_axes()
        .light_grid_style(BLACK.mix(0.06))
        .bold_grid_style(BLACK.mix(0.12))
        .max_light_lines(2)
        .label_style(font)
        .x_formatter(&|x| fmt_tick(*x))
        .y_formatter(&|y| fmt_tick(*y))
        .z_formatter(&|z| fmt_tick(*z))
        .draw()
        .map_err(err)?;

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
    let edge = ShapeStyle::from(&BLACK.mix(0.18)).stroke_width(1);
    chart
        .draw_series(cells.iter().flat_map(|&(_, i, j, mean)| {
            let pts = vec![
                (grid.x(i), grid.at(i, j), grid.y(j)),
                (grid.x(i + 1), grid.at(i + 1, j), grid.y(j)),
                (grid.x(i + 1), grid.at(i + 1, j + 1), grid.y(j + 1)),
                (grid.x(i), grid.at(i, j + 1), grid.y(j + 1)),
            ];
            let mut closed = pts.clone();
            closed.push(pts[0]);
            [
                Polygon::new(pts, viridis(grid.normalized(mean)).filled()).into_dyn(),
                PathElement::new(closed, edge).into_dyn(),
            ]
        }))
        .map_err(err)?;

    // Trajectories, lifted a little so they are not hidden in the surface.
    let lift = (hi - lo) * 0.01;
    let inside = |x: f64, y: f64| x >= v.x_min && x <= v.x_max && y >= v.y_min && y <= v.y_max;
    for (n, trace) in traces.iter().enumerate() {
        let last = upto.map_or(trace.iterates.len(), |k| (k + 1).min(trace.iterates.len()));
        let pts: Vec<(f64, f64, f64)> = trace.iterates[..last]
            .iter()
            .filter(|r| inside(r.x[0], r.x[1]))
            .map(|r| (r.x[0], r.f.clamp(lo, hi) + lift, r.x[1]))
            .collect();
        let color = solver_color(n);
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
        if let Some(&p) = pts.last() {
            chart
                .draw_series([
                    Circle::new(p, style.ipx(5.0), BLACK.filled()),
                    Circle::new(p, style.ipx(3.5), color.filled()),
                ])
                .map_err(err)?;
        }
    }
    Ok(())
}
