//! The curvature lens drawn over a contour map (after [`super::draw_contour_map`], with the
//! [`PixelMap`] it returned): the level set of the local quadratic model through the iterate
//! (an ellipse, for a bowl), the two eigen-directions (long line: the flat direction v₁, short:
//! the steep one v₂, each as long as the ellipse's semi-axis or a fixed fraction of the view),
//! and the Newton step as a dashed ghost ending in a hollow circle.

use super::contour::{clip_polyline, PixelMap};
use super::PlotStyle;
use crate::lab::teach::lens::Lens;
use plotters::prelude::*;

/// Colour of the flat direction v₁ (teal), the steep direction v₂ (orange) and the Newton ghost
/// (white on a dark halo).
pub const FLAT: RGBColor = RGBColor(0, 200, 190);
pub const STEEP: RGBColor = RGBColor(255, 150, 30);

/// The lens's polylines in data coordinates: (ellipse, v₁ segment, v₂ segment, Newton step).
#[allow(clippy::type_complexity)]
pub fn lens_paths(
    lens: &Lens,
    view: &crate::problem::surfaces::ViewBox,
) -> (
    Vec<(f64, f64)>,
    [(f64, f64); 2],
    [(f64, f64); 2],
    Option<[(f64, f64); 2]>,
) {
    let [x, y] = lens.x;
    let [v1, v2] = lens.eigenvectors;
    let span = (view.x_max - view.x_min).min(view.y_max - view.y_min);
    let mut ellipse = Vec::new();
    let (a1, a2) = match (lens.ellipse, lens.newton_step) {
        (Some([a, b]), Some(p)) => {
            let c = (x + p[0], y + p[1]);
            for i in 0..=96 {
                let t = i as f64 / 96.0 * std::f64::consts::TAU;
                let (ct, st) = (t.cos(), t.sin());
                ellipse.push((
                    c.0 + a * ct * v1[0] + b * st * v2[0],
                    c.1 + a * ct * v1[1] + b * st * v2[1],
                ));
            }
            (a.min(0.4 * span), b.min(0.4 * span))
        }
        _ => {
            // No ellipse: axes proportional to 1/√|λ| (longer where f is flatter), the longer
            // 15 % of the view.
            let [l1, l2] = lens.eigenvalues;
            let r1 = 1.0 / l1.abs().max(1e-300).sqrt();
            let r2 = 1.0 / l2.abs().max(1e-300).sqrt();
            let s = 0.15 * span / r1.max(r2);
            (r1 * s, r2 * s)
        }
    };
    let seg = |v: [f64; 2], r: f64| [(x - r * v[0], y - r * v[1]), (x + r * v[0], y + r * v[1])];
    let newton = lens.newton_step.map(|p| [(x, y), (x + p[0], y + p[1])]);
    (ellipse, seg(v1, a1), seg(v2, a2), newton)
}

/// Draws `lens` over a map drawn on `root` whose plot area is `map`.
pub fn draw_lens<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    map: &PixelMap,
    lens: &Lens,
    style: &PlotStyle,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (ellipse, a1, a2, newton) = lens_paths(lens, &map.view);
    let to_px = |pts: &[(f64, f64)]| -> Vec<Vec<(i32, i32)>> {
        clip_polyline(pts, &map.view)
            .into_iter()
            .map(|l| {
                l.into_iter()
                    .map(|(x, y)| {
                        let (px, py) = map.to_pixel(x, y);
                        (px.round() as i32, py.round() as i32)
                    })
                    .collect()
            })
            .collect()
    };
    let halo = ShapeStyle::from(&BLACK.mix(0.55)).stroke_width(style.px(4.0));
    let line = |c: RGBColor, w: f64| ShapeStyle::from(&c).stroke_width(style.px(w));
    for (pts, color) in [(&ellipse[..], WHITE), (&a1[..], FLAT), (&a2[..], STEEP)] {
        for l in to_px(pts) {
            root.draw(&PathElement::new(l.clone(), halo)).map_err(err)?;
            root.draw(&PathElement::new(l, line(color, 2.0)))
                .map_err(err)?;
        }
    }
    if let Some(seg) = newton {
        // Dashed: 6 px on, 4 px off, along the clipped segment.
        for l in to_px(&seg) {
            if l.len() < 2 {
                continue;
            }
            let (p, q) = (l[0], l[l.len() - 1]);
            let len = ((q.0 - p.0) as f64).hypot((q.1 - p.1) as f64);
            let (on, off) = (style.px(6.0) as f64, style.px(4.0) as f64);
            let mut s = 0.0;
            while s < len {
                let e = (s + on).min(len);
                let at = |t: f64| {
                    (
                        (p.0 as f64 + (q.0 - p.0) as f64 * t / len).round() as i32,
                        (p.1 as f64 + (q.1 - p.1) as f64 * t / len).round() as i32,
                    )
                };
                root.draw(&PathElement::new(vec![at(s), at(e)], halo))
                    .map_err(err)?;
                root.draw(&PathElement::new(vec![at(s), at(e)], line(WHITE, 2.0)))
                    .map_err(err)?;
                s = e + off;
            }
        }
        let (tx, ty) = seg[1];
        let v = &map.view;
        if tx >= v.x_min && tx <= v.x_max && ty >= v.y_min && ty <= v.y_max {
            let (px, py) = map.to_pixel(tx, ty);
            let c = (px.round() as i32, py.round() as i32);
            root.draw(&Circle::new(c, style.ipx(6.0), halo))
                .map_err(err)?;
            root.draw(&Circle::new(c, style.ipx(6.0), line(WHITE, 2.0)))
                .map_err(err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::GradientSource;
    use crate::problem::surfaces::{Quadratic, ViewBox};

    #[test]
    fn the_ellipse_passes_through_the_iterate_and_the_ghost_ends_at_the_minimum() {
        let q = Quadratic { condition: 10.0 };
        let lens = Lens::at(&q, GradientSource::Analytic, [2.5, 1.5]).unwrap();
        let view = ViewBox::new(-3.0, 3.0, -3.0, 3.0);
        let (ellipse, a1, a2, newton) = lens_paths(&lens, &view);
        // Every ellipse point is on the level set ½(x² + 10y²) = f(2.5, 1.5).
        let level = 0.5 * (2.5f64 * 2.5 + 10.0 * 1.5 * 1.5);
        for &(x, y) in &ellipse {
            assert!((0.5 * (x * x + 10.0 * y * y) - level).abs() < 1e-9 * level);
        }
        // v₁ (flat) is horizontal, v₂ vertical, both centred on the iterate.
        assert!((a1[0].1 - a1[1].1).abs() < 1e-12 && (a2[0].0 - a2[1].0).abs() < 1e-12);
        assert!(((a1[0].0 + a1[1].0) / 2.0 - 2.5).abs() < 1e-12);
        let n = newton.unwrap();
        assert!(n[1].0.abs() < 1e-12 && n[1].1.abs() < 1e-12);
    }

    #[test]
    fn drawn_lens_colours_pixels_on_the_flat_axis() {
        let q = Quadratic { condition: 10.0 };
        let lens = Lens::at(&q, GradientSource::Analytic, [0.5, 0.5]).unwrap();
        let (w, h) = (200u32, 200u32);
        let mut buf = vec![0u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            root.fill(&BLACK).unwrap();
            let map = PixelMap {
                x_px: (0, 200),
                y_px: (0, 200),
                view: ViewBox::new(-1.0, 1.0, -1.0, 1.0),
            };
            draw_lens(&root, &map, &lens, &PlotStyle { scale: 1.0 }).unwrap();
            root.present().unwrap();
        }
        // The flat direction through (0.5, 0.5) is the horizontal line y = 0.5 → pixel row ≈ 50:
        // a pixel left of the iterate on it (x ≈ 0.2) is teal.
        let (px, py) = (120usize, 50usize);
        let at = |x: usize, y: usize| {
            let i = (y * w as usize + x) * 3;
            (buf[i], buf[i + 1], buf[i + 2])
        };
        let hit = (py - 1..=py + 1).any(|y| at(px, y) == (FLAT.0, FLAT.1, FLAT.2));
        assert!(hit, "teal at ({px}, {py}): {:?}", at(px, py));
        // The Newton ghost ends at the minimum (0, 0) = pixel (100, 100): a white ring around it.
        let ring = (0..360).step_by(10).any(|d| {
            let t = (d as f64).to_radians();
            let (x, y) = (
                (99.5 + 6.0 * t.cos()).round() as usize,
                (99.5 + 6.0 * t.sin()).round() as usize,
            );
            at(x, y) == (255, 255, 255)
        });
        assert!(ring, "the ghost's circle at the Newton target");
    }
}
