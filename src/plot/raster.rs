//! A small RGBA rasterizer for the parts of a plot that are thousands of shapes: the cells of the
//! 3-D surface. Filling them here and handing the canvas one image costs a few milliseconds for a
//! 100×100 grid, where one Canvas2D `fill` + `stroke` per cell (with a colour string each) took
//! most of a frame on a 44×44 grid (BENCHMARKS.md, "Drawing speed").
//!
//! Triangles are filled where the pixel centre lies inside (edges included), from integer vertex
//! coordinates: the edge functions are then exact, so two triangles sharing an edge leave no
//! crack between them. Lines are one device pixel wide, blended with an alpha.

/// An RGBA image placed at (`x0`, `y0`) of the backend, row 0 at the top; alpha 0 = nothing
/// drawn there.
#[derive(Clone, Debug, PartialEq)]
pub struct Rgba {
    pub x0: i32,
    pub y0: i32,
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Rgba {
    /// A transparent image covering the backend pixels `x0..x0+w`, `y0..y0+h`.
    pub fn new(x0: i32, y0: i32, w: usize, h: usize) -> Rgba {
        Rgba {
            x0,
            y0,
            w,
            h,
            px: vec![0; w * h * 4],
        }
    }

    /// Fills the triangle a, b, c (backend pixel coordinates) with an opaque colour.
    pub fn fill_triangle(&mut self, a: (i32, i32), b: (i32, i32), c: (i32, i32), rgb: [u8; 3]) {
        // Doubled coordinates relative to the image: pixel centres become odd integers, so every
        // edge function below is an exact integer.
        let p = |q: (i32, i32)| (2 * (q.0 - self.x0) as i64, 2 * (q.1 - self.y0) as i64);
        let (a, mut b, mut c) = (p(a), p(b), p(c));
        let cross = |o: (i64, i64), u: (i64, i64), v: (i64, i64)| {
            (u.0 - o.0) * (v.1 - o.1) - (u.1 - o.1) * (v.0 - o.0)
        };
        let area = cross(a, b, c);
        if area == 0 {
            return;
        }
        if area < 0 {
            std::mem::swap(&mut b, &mut c);
        }
        let (w, h) = (self.w as i64, self.h as i64);
        // Pixel columns/rows whose centres (2i + 1) may lie inside.
        let lo = |m: i64| ((m - 1).div_euclid(2) + 1).max(0);
        let hi = |m: i64, n: i64| ((m - 1).div_euclid(2)).min(n - 1);
        let (x_lo, x_hi) = (lo(a.0.min(b.0).min(c.0)), hi(a.0.max(b.0).max(c.0), w));
        let (y_lo, y_hi) = (lo(a.1.min(b.1).min(c.1)), hi(a.1.max(b.1).max(c.1), h));
        if x_lo > x_hi || y_lo > y_hi {
            return;
        }
        let rgba = [rgb[0], rgb[1], rgb[2], 255];
        // Edge functions at the first centre of a row, and their steps per pixel (x: +2).
        let edges = [(b, c), (c, a), (a, b)];
        let step_x: [i64; 3] = edges.map(|(u, v)| -2 * (v.1 - u.1));
        let step_y: [i64; 3] = edges.map(|(u, v)| 2 * (v.0 - u.0));
        let start = (2 * x_lo + 1, 2 * y_lo + 1);
        let mut row: [i64; 3] = edges.map(|(u, v)| cross(u, v, start));
        for y in y_lo..=y_hi {
            let mut e = row;
            let line = &mut self.px[(y * w) as usize * 4..((y + 1) * w) as usize * 4];
            for x in x_lo..=x_hi {
                if e[0] >= 0 && e[1] >= 0 && e[2] >= 0 {
                    line[x as usize * 4..x as usize * 4 + 4].copy_from_slice(&rgba);
                }
                for k in 0..3 {
                    e[k] += step_x[k];
                }
            }
            for k in 0..3 {
                row[k] += step_y[k];
            }
        }
    }

    /// Draws a one-pixel line from a to b, blending `rgb` at `alpha` over what is there (over
    /// transparent pixels it leaves them as they are: lines belong on the filled cells).
    pub fn line(&mut self, a: (i32, i32), b: (i32, i32), rgb: [u8; 3], alpha: f32) {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let n = dx.abs().max(dy.abs()).max(1);
        for k in 0..=n {
            let x = a.0 - self.x0 + (dx * k + n / 2 * dx.signum()) / n;
            let y = a.1 - self.y0 + (dy * k + n / 2 * dy.signum()) / n;
            if x < 0 || y < 0 || x as usize >= self.w || y as usize >= self.h {
                continue;
            }
            let o = (y as usize * self.w + x as usize) * 4;
            if self.px[o + 3] == 0 {
                continue;
            }
            for (dst, &src) in self.px[o..o + 3].iter_mut().zip(&rgb) {
                *dst = (*dst as f32 * (1.0 - alpha) + src as f32 * alpha + 0.5) as u8;
            }
        }
    }

    /// Strokes the polylines `paths` (backend pixel coordinates, fractional) with each of `pens`
    /// in turn (the first underneath), into a new image covering what they touch within `clip`
    /// (`[x0, y0, x1, y1)`, backend pixels). The last few strokes are kept: drawing the same
    /// paths again, or paths that begin with them (a playback frame), only strokes what is new. Each pen covers the union of its segments, as one
    /// canvas stroke does: where a path crosses itself it is not drawn darker. Joins and ends are
    /// round; the edge is anti-aliased over one pixel. Non-finite points break a path.
    ///
    /// This is how a path of many thousand segments is drawn: one image for the canvas to
    /// composite, where one `stroke` of a self-crossing 20 000-segment path took the browser's
    /// software rasterizer about half a second (BENCHMARKS.md, "Heavy links").
    pub fn stroke_paths(paths: &[Vec<(f64, f64)>], clip: [i32; 4], pens: &[Pen]) -> Rgba {
        let (w, h) = (
            (clip[2] - clip[0]).max(0) as usize,
            (clip[3] - clip[1]).max(0) as usize,
        );
        if w == 0 || h == 0 || pens.is_empty() {
            return Rgba::new(clip[0], clip[1], 0, 0);
        }
        // The points as one sequence, the paths apart by a NaN point (no segment crosses it).
        let mut flat = Vec::with_capacity(paths.iter().map(|p| p.len() + 1).sum());
        for (k, path) in paths.iter().enumerate() {
            if k > 0 {
                flat.push((f64::NAN, f64::NAN));
            }
            flat.extend_from_slice(path);
        }
        let reach = pens.iter().map(|p| p.width / 2.0).fold(0.0, f64::max) + 1.0;
        // The same path drawn before (a redraw), or a prefix of it (playback, one more epoch):
        // only the segments after it are added to the kept field.
        let found = STROKES.with(|c| take_prefix(&mut c.borrow_mut(), clip, pens, &flat));
        #[cfg(test)]
        if found.is_some() {
            REUSED.with(|c| c.set(c.get() + 1));
        }
        let mut kept = found.unwrap_or_else(|| Stroked {
            clip,
            pens: pens.to_vec(),
            points: Vec::new(),
            field: Field::new(w, h, pens),
        });
        let window = [
            clip[0] as f64 - reach,
            clip[1] as f64 - reach,
            clip[2] as f64 + reach,
            clip[3] as f64 + reach,
        ];
        let from = kept.points.len().saturating_sub(1);
        for seg in flat[from..].windows(2) {
            let Some((a, b)) = clip_to(seg[0], seg[1], window) else {
                continue;
            };
            // Pieces at most 8 px long, so each one's box is small whatever the direction.
            let len = (b.0 - a.0).hypot(b.1 - a.1);
            let n = (len / 8.0).ceil().max(1.0) as usize;
            for k in 0..n {
                let t0 = k as f64 / n as f64;
                let t1 = (k + 1) as f64 / n as f64;
                let p = (a.0 + (b.0 - a.0) * t0, a.1 + (b.1 - a.1) * t0);
                let q = (a.0 + (b.0 - a.0) * t1, a.1 + (b.1 - a.1) * t1);
                kept.field.nearest(p, q, reach, (clip[0], clip[1]));
            }
        }
        kept.points = flat;
        let img = kept.field.compose(pens, reach, (clip[0], clip[1]));
        STROKES.with(|c| {
            let mut c = c.borrow_mut();
            c.push(kept);
            if c.len() > KEPT_STROKES {
                c.remove(0);
            }
        });
        img
    }

    /// The colour at backend pixel (x, y), `None` where nothing was drawn.
    pub fn at(&self, x: i32, y: i32) -> Option<[u8; 3]> {
        let (i, j) = (x - self.x0, y - self.y0);
        if i < 0 || j < 0 || i as usize >= self.w || j as usize >= self.h {
            return None;
        }
        let o = (j as usize * self.w + i as usize) * 4;
        (self.px[o + 3] != 0).then(|| [self.px[o], self.px[o + 1], self.px[o + 2]])
    }
}

/// A stroke for [`Rgba::stroke_paths`]: colour, opacity (0..=1) and width in device pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pen {
    pub rgb: [u8; 3],
    pub alpha: f32,
    pub width: f64,
}

impl Pen {
    /// The two pens of a solver's path on the map and the 3-D surface: a black halo of opacity
    /// `halo` 4 CSS px wide under the solver's `color` 2 px wide (`style`: the device pixel ratio).
    pub fn path(color: plotters::style::RGBColor, halo: f32, style: &super::PlotStyle) -> [Pen; 2] {
        [
            Pen {
                rgb: [0, 0, 0],
                alpha: halo,
                width: style.px(4.0) as f64,
            },
            Pen {
                rgb: [color.0, color.1, color.2],
                alpha: 1.0,
                width: style.px(2.0) as f64,
            },
        ]
    }
}

/// Segments with more than this many pieces are drawn by [`Rgba::stroke_paths`] rather than by
/// the backend's own stroke (which draws the few-segment paths of most runs exactly as before).
pub const RASTER_PATH_SEGMENTS: usize = 1000;

/// The part of segment a–b inside `[x0, y0, x1, y1]` ([`super::contour::clip_segment`]), `None`
/// if none is or a point is not finite.
fn clip_to(a: (f64, f64), b: (f64, f64), r: [f64; 4]) -> Option<((f64, f64), (f64, f64))> {
    if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()) {
        return None;
    }
    let window = crate::problem::surfaces::ViewBox {
        x_min: r[0],
        y_min: r[1],
        x_max: r[2],
        y_max: r[3],
    };
    super::contour::clip_segment(a, b, &window).map(|[p, q]| (p, q))
}

/// A path stroked before, kept with its distance field: a redraw of the same path, or of a
/// longer one that begins with it (each frame of a playback), only adds what is new.
struct Stroked {
    clip: [i32; 4],
    pens: Vec<Pen>,
    /// The points stroked, paths apart by NaN points.
    points: Vec<(f64, f64)>,
    field: Field,
}

/// How many stroked paths are kept (the loss map and the 3-D surface, for two long runs); the
/// least recently drawn goes first.
const KEPT_STROKES: usize = 4;

thread_local! {
    static STROKES: std::cell::RefCell<Vec<Stroked>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Takes out of `kept` the stroke with this clip and these pens whose points begin `flat`
/// (bit for bit), if any.
fn take_prefix(
    kept: &mut Vec<Stroked>,
    clip: [i32; 4],
    pens: &[Pen],
    flat: &[(f64, f64)],
) -> Option<Stroked> {
    let bits = |p: &(f64, f64)| (p.0.to_bits(), p.1.to_bits());
    let same_pen = |a: &Pen, b: &Pen| {
        a.rgb == b.rgb
            && a.alpha.to_bits() == b.alpha.to_bits()
            && a.width.to_bits() == b.width.to_bits()
    };
    let at = kept.iter().rposition(|s| {
        s.clip == clip
            && s.pens.len() == pens.len()
            && s.pens.iter().zip(pens).all(|(a, b)| same_pen(a, b))
            && s.points.len() <= flat.len()
            && s.points.iter().zip(flat).all(|(a, b)| bits(a) == bits(b))
    })?;
    Some(kept.remove(at))
}

#[cfg(test)]
thread_local! {
    /// Strokes that added to a kept one (tests check the reuse happens).
    static REUSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
fn forget_strokes() {
    STROKES.with(|c| c.borrow_mut().clear());
}

/// Squared distances from pixel centres (at +½) to the nearest segment so far, with a count,
/// per 8×8 tile, of the pixels every pen already covers fully: nothing can change in a full tile
/// (the dense middle of an SGD zig-zag), so segments pass over it without a look at its pixels.
struct Field {
    w: usize,
    h: usize,
    d2: Vec<f32>,
    /// Squared distance within which every pen's coverage is 1.
    solid2: f32,
    /// Per tile: fully covered pixels so far, and pixels in the tile.
    full: Vec<(u8, u8)>,
    /// The pixels any segment came near: columns and rows, inclusive (`None`: none yet).
    touched: Option<(usize, usize, usize, usize)>,
}

const TILE: usize = 8;

impl Field {
    fn new(w: usize, h: usize, pens: &[Pen]) -> Field {
        let r = pens
            .iter()
            .map(|p| p.width / 2.0)
            .fold(f64::INFINITY, f64::min);
        let solid = (r - 0.5).max(0.0) as f32;
        let (tw, th) = (w.div_ceil(TILE), h.div_ceil(TILE));
        let size = |k: usize, n: usize| (n - k * TILE).min(TILE);
        let full = (0..th)
            .flat_map(|tj| (0..tw).map(move |ti| (0, (size(ti, w) * size(tj, h)) as u8)))
            .collect();
        Field {
            w,
            h,
            d2: vec![f32::INFINITY; w * h],
            solid2: if solid > 0.0 { solid * solid } else { -1.0 },
            full,
            touched: None,
        }
    }

    /// The image of the pens over the pixels touched (the field's top left pixel is (x0, y0)):
    /// each pen's coverage `clamp(width/2 + ½ − d, 0, 1)`, composited source-over pen after pen.
    fn compose(&self, pens: &[Pen], reach: f64, (x0, y0): (i32, i32)) -> Rgba {
        let Some((i_lo, i_hi, j_lo, j_hi)) = self.touched else {
            return Rgba::new(x0, y0, 0, 0);
        };
        let (w, h) = (i_hi - i_lo + 1, j_hi - j_lo + 1);
        let mut img = Rgba::new(x0 + i_lo as i32, y0 + j_lo as i32, w, h);
        // Beyond this (squared) distance no pen covers anything.
        let out2 = (reach as f32 - 0.5).powi(2);
        for j in 0..h {
            let row = &self.d2[(j_lo + j) * self.w + i_lo..][..w];
            for (i, &d2) in row.iter().enumerate() {
                if d2 >= out2 {
                    continue;
                }
                let d = d2.sqrt();
                // Source-over, pen after pen, premultiplied.
                let (mut c, mut a) = ([0f32; 3], 0f32);
                for pen in pens {
                    let s = pen.alpha * (pen.width as f32 / 2.0 + 0.5 - d).clamp(0.0, 1.0);
                    if s > 0.0 {
                        for (ck, &pk) in c.iter_mut().zip(&pen.rgb) {
                            *ck = pk as f32 * s + *ck * (1.0 - s);
                        }
                        a = s + a * (1.0 - s);
                    }
                }
                let alpha = (a * 255.0 + 0.5) as u8;
                if alpha > 0 {
                    let o = (j * w + i) * 4;
                    for (dst, ck) in img.px[o..o + 3].iter_mut().zip(c) {
                        *dst = (ck / a + 0.5).min(255.0) as u8;
                    }
                    img.px[o + 3] = alpha;
                }
            }
        }
        img
    }

    /// Lowers the distances to the short segment p–q (backend pixels; the field's top left
    /// pixel is (x0, y0)) where it is nearer, for the pixels within `reach` of it.
    fn nearest(&mut self, p: (f64, f64), q: (f64, f64), reach: f64, (x0, y0): (i32, i32)) {
        let (w, h) = (self.w, self.h);
        let span = |a: f64, b: f64, o: i32, n: usize| {
            let lo = ((a.min(b) - reach).floor() as i64 - o as i64).max(0);
            let hi = ((a.max(b) + reach).ceil() as i64 - o as i64).min(n as i64 - 1);
            (lo, hi)
        };
        let (i_lo, i_hi) = span(p.0, q.0, x0, w);
        let (j_lo, j_hi) = span(p.1, q.1, y0, h);
        if i_lo > i_hi || j_lo > j_hi {
            return;
        }
        let (a, b, c, d) = (i_lo as usize, i_hi as usize, j_lo as usize, j_hi as usize);
        self.touched = Some(match self.touched {
            None => (a, b, c, d),
            Some(t) => (t.0.min(a), t.1.max(b), t.2.min(c), t.3.max(d)),
        });
        let tw = w.div_ceil(TILE);
        // Relative to the first pixel centre of the box, in f32 (a box is a few pixels wide).
        let (ox, oy) = (
            (x0 as i64 + i_lo) as f64 + 0.5,
            (y0 as i64 + j_lo) as f64 + 0.5,
        );
        let (px, py) = ((p.0 - ox) as f32, (p.1 - oy) as f32);
        let (dx, dy) = ((q.0 - p.0) as f32, (q.1 - p.1) as f32);
        let len2 = dx * dx + dy * dy;
        let inv = if len2 > 0.0 { 1.0 / len2 } else { 0.0 };
        let (i_lo, i_hi, j_lo, j_hi) = (i_lo as usize, i_hi as usize, j_lo as usize, j_hi as usize);
        // Tile by tile: a tile every pixel of which is already fully covered is left alone.
        for tj in j_lo / TILE..=j_hi / TILE {
            for ti in i_lo / TILE..=i_hi / TILE {
                let tile = tj * tw + ti;
                if self.full[tile].0 == self.full[tile].1 {
                    continue;
                }
                let (ja, jb) = ((tj * TILE).max(j_lo), (tj * TILE + TILE - 1).min(j_hi));
                let (ia, ib) = ((ti * TILE).max(i_lo), (ti * TILE + TILE - 1).min(i_hi));
                for j in ja..=jb {
                    let cy = (j - j_lo) as f32 - py;
                    let at = j * w;
                    for i in ia..=ib {
                        let cx = (i - i_lo) as f32 - px;
                        let t = ((cx * dx + cy * dy) * inv).clamp(0.0, 1.0);
                        let (ex, ey) = (cx - t * dx, cy - t * dy);
                        let d2 = ex * ex + ey * ey;
                        let cell = &mut self.d2[at + i];
                        if d2 < *cell {
                            if d2 <= self.solid2 && *cell > self.solid2 {
                                self.full[tile].0 += 1;
                            }
                            *cell = d2;
                        }
                    }
                }
            }
        }
    }
}

/// Puts `img` on `root`: through `blit` (one image for the canvas to composite), or, when that
/// returns `false` (a native backend), pixel by pixel with each pixel's alpha.
pub fn put<DB: plotters::prelude::DrawingBackend>(
    root: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    img: &Rgba,
    blit: &mut dyn FnMut(&Rgba) -> bool,
) -> Result<(), String> {
    if img.w == 0 || img.h == 0 || blit(img) {
        return Ok(());
    }
    let (ox, oy) = root.get_base_pixel();
    for y in 0..img.h {
        for x in 0..img.w {
            let o = (y * img.w + x) * 4;
            let a = img.px[o + 3];
            if a != 0 {
                let c = plotters::style::RGBAColor(
                    img.px[o],
                    img.px[o + 1],
                    img.px[o + 2],
                    a as f64 / 255.0,
                );
                let (px, py) = (img.x0 - ox + x as i32, img.y0 - oy + y as i32);
                root.draw_pixel((px, py), &c).map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_triangle_covers_the_centres_inside_it() {
        let mut r = Rgba::new(10, 20, 40, 30);
        r.fill_triangle((10, 20), (30, 20), (10, 40), [1, 2, 3]);
        // Pixel (x, y) has its centre at (x + ½, y + ½): inside iff (x − 10) + (y − 20) + 1 ≤ 20.
        for y in 20..50 {
            for x in 10..50 {
                let inside = x < 30 && y < 40 && (x - 10) + (y - 20) < 20;
                assert_eq!(r.at(x, y).is_some(), inside, "({x}, {y})");
            }
        }
        // Either orientation fills the same pixels.
        let mut s = Rgba::new(10, 20, 40, 30);
        s.fill_triangle((10, 20), (10, 40), (30, 20), [1, 2, 3]);
        assert_eq!(r, s);
    }

    #[test]
    fn two_triangles_of_a_quad_leave_no_crack() {
        // A skewed quad split along its diagonal: every centre inside the quad is painted.
        let mut r = Rgba::new(0, 0, 64, 64);
        let (a, b, c, d) = ((3, 5), (57, 11), (49, 60), (7, 41));
        r.fill_triangle(a, b, c, [9, 9, 9]);
        r.fill_triangle(a, c, d, [9, 9, 9]);
        let side = |u: (i32, i32), v: (i32, i32), x: f64, y: f64| {
            (v.0 - u.0) as f64 * (y - u.1 as f64) - (v.1 - u.1) as f64 * (x - u.0 as f64)
        };
        for y in 0..64 {
            for x in 0..64 {
                let (cx, cy) = (x as f64 + 0.5, y as f64 + 0.5);
                let s = [
                    side(a, b, cx, cy),
                    side(b, c, cx, cy),
                    side(c, d, cx, cy),
                    side(d, a, cx, cy),
                ];
                if s.iter().all(|&v| v > 1e-9) {
                    assert!(r.at(x, y).is_some(), "crack at ({x}, {y})");
                }
            }
        }
    }

    #[test]
    fn lines_blend_over_filled_pixels_only() {
        let mut r = Rgba::new(0, 0, 10, 10);
        r.fill_triangle((0, 0), (10, 0), (0, 10), [200, 200, 200]);
        r.line((0, 2), (9, 2), [0, 0, 0], 0.5);
        assert_eq!(r.at(1, 2), Some([100, 100, 100]));
        assert_eq!(r.at(9, 2), None, "outside the fill: left transparent");
    }

    const HALO: Pen = Pen {
        rgb: [0, 0, 0],
        alpha: 0.6,
        width: 4.0,
    };
    const LINE: Pen = Pen {
        rgb: [200, 40, 10],
        alpha: 1.0,
        width: 2.0,
    };

    /// The pixel (x, y) of `img` as RGBA, transparent outside it.
    fn rgba(img: &Rgba, x: i32, y: i32) -> [u8; 4] {
        let (i, j) = (x - img.x0, y - img.y0);
        if i < 0 || j < 0 || i as usize >= img.w || j as usize >= img.h {
            return [0; 4];
        }
        let o = (j as usize * img.w + i as usize) * 4;
        img.px[o..o + 4].try_into().unwrap()
    }

    #[test]
    fn a_stroked_line_is_the_pen_inside_the_halo_around_and_nothing_beyond() {
        let img = Rgba::stroke_paths(
            &[vec![(10.0, 20.0), (50.0, 20.0)]],
            [0, 0, 100, 100],
            &[HALO, LINE],
        );
        // On the line (pixel centres 0.5 from y = 20): the line's colour, opaque.
        assert_eq!(rgba(&img, 30, 19), [200, 40, 10, 255]);
        assert_eq!(rgba(&img, 30, 20), [200, 40, 10, 255]);
        // 1.5 px away: the halo alone (width 4 reaches 2 px), black at alpha 0.6.
        assert_eq!(rgba(&img, 30, 21), [0, 0, 0, 153]);
        assert_eq!(rgba(&img, 30, 18), [0, 0, 0, 153]);
        // 2.5 px away: the halo's edge, nothing.
        assert_eq!(rgba(&img, 30, 17)[3], 0);
        // 3.5 px away: nothing.
        assert_eq!(rgba(&img, 30, 23)[3], 0);
        assert_eq!(rgba(&img, 30, 16)[3], 0);
        // Round ends: the pixel whose centre is 0.7 px past the end is inside the halo and
        // partly the line's.
        let end = rgba(&img, 50, 19);
        assert!(end[3] > 153 && end[3] < 255 && end[0] > 100, "{end:?}");
        assert_eq!(rgba(&img, 53, 19)[3], 0);
    }

    #[test]
    fn a_path_crossing_itself_thousands_of_times_is_not_darker_where_it_crosses() {
        // A zig-zag over the same few pixels 5 000 times: the halo stays at its one alpha (one
        // canvas stroke is a union too), the line's colour is exactly the pen's.
        let mut zig = Vec::new();
        for k in 0..5000 {
            zig.push(if k % 2 == 0 {
                (20.3, 20.7)
            } else {
                (40.6, 31.2)
            });
            zig.push((30.1, if k % 3 == 0 { 10.4 } else { 38.8 }));
        }
        let img = Rgba::stroke_paths(&[zig], [0, 0, 64, 64], &[HALO, LINE]);
        let mut alphas = std::collections::BTreeSet::new();
        for y in 0..64 {
            for x in 0..64 {
                let p = rgba(&img, x, y);
                if p[3] == 255 {
                    assert_eq!(&p[..3], &[200, 40, 10], "({x}, {y})");
                }
                alphas.insert(p[3]);
            }
        }
        // Between 0.6 (halo) and 1 (line) only on the anti-aliased rims; never above 0.6 where
        // the halo alone is.
        assert!(alphas.contains(&153) && alphas.contains(&255));
    }

    /// `pts` stroked as one path, and the union by hand: per pixel, the most-covering single
    /// segment drawn alone. The number of pixels where the two differ by more than 1.
    fn differs_from_segment_by_segment(pts: &[(f64, f64)]) -> usize {
        let clip = [0, 0, 128, 100];
        let whole = Rgba::stroke_paths(&[pts.to_vec()], clip, &[HALO, LINE]);
        let mut best = vec![[0u8; 4]; 128 * 100];
        for seg in pts.windows(2) {
            let one = Rgba::stroke_paths(&[seg.to_vec()], clip, &[HALO, LINE]);
            for y in 0..100 {
                for x in 0..128 {
                    let p = rgba(&one, x, y);
                    let b = &mut best[(y * 128 + x) as usize];
                    if p[3] > b[3] || (p[3] == b[3] && p[0] > b[0]) {
                        *b = p;
                    }
                }
            }
        }
        let mut differ = 0;
        for y in 0..100 {
            for x in 0..128 {
                let (a, b) = (rgba(&whole, x, y), best[(y * 128 + x) as usize]);
                if a.iter().zip(&b).any(|(u, v)| u.abs_diff(*v) > 1) {
                    differ += 1;
                }
            }
        }
        differ
    }

    #[test]
    fn the_skipped_segments_change_nothing() {
        // A dense SGD-like cloud: most segments end up inside tiles already fully covered and are
        // skipped; the image must equal the union of every segment drawn alone.
        let mut pts = Vec::new();
        let mut s = 7u64;
        let mut r = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 10_000) as f64 / 10_000.0 - 0.5
        };
        for _ in 0..3000 {
            pts.push((60.0 + 40.0 * r(), 50.0 + 25.0 * r()));
        }
        assert_eq!(differs_from_segment_by_segment(&pts), 0);
        // Rows 2 px apart: every pixel is within 1 px of a line, but only half of them fully
        // covered by the 2-px line, so no tile is full and the last, diagonal segment (which
        // covers pixels between the rows) must be drawn.
        let mut rows = Vec::new();
        for k in 0..30 {
            let y = 10.5 + 2.0 * k as f64;
            let (a, b) = if k % 2 == 0 {
                (8.0, 120.0)
            } else {
                (120.0, 8.0)
            };
            rows.extend([(a, y), (b, y)]);
        }
        rows.extend([(20.0, 12.0), (100.0, 60.0)]);
        assert_eq!(differs_from_segment_by_segment(&rows), 0);
    }

    #[test]
    fn far_and_broken_points_are_clipped_not_looped_over() {
        // A diverged run: points at 1e300 and NaN. The segment towards 1e300 is clipped to the
        // image (no loop over 1e299 pieces); the NaN breaks the path.
        let path = vec![
            (10.0, 10.0),
            (1e300, 1e300),
            (f64::NAN, 5.0),
            (20.0, 30.0),
            (30.0, 30.0),
        ];
        let img = Rgba::stroke_paths(&[path], [0, 0, 64, 64], &[HALO, LINE]);
        assert_eq!(rgba(&img, 25, 29)[3], 255, "the finite segment is drawn");
        assert_eq!(
            rgba(&img, 40, 40)[3],
            255,
            "towards the far point, within the clip"
        );
        let none = Rgba::stroke_paths(
            &[vec![(f64::NAN, 1.0), (1e300, -1e300)]],
            [0, 0, 64, 64],
            &[HALO, LINE],
        );
        assert_eq!((none.w, none.h), (0, 0));
    }

    #[test]
    fn a_longer_path_drawn_after_its_beginning_gives_the_same_image_as_drawn_at_once() {
        let mut s = 5u64;
        let mut r = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 10_000) as f64 / 10_000.0 - 0.5
        };
        let pts: Vec<(f64, f64)> = (0..4000)
            .map(|_| (60.0 + 70.0 * r(), 50.0 + 50.0 * r()))
            .collect();
        let clip = [3, 2, 125, 98];
        let pens = [HALO, LINE];
        let paths = |n: usize| vec![pts[..2000].to_vec(), pts[2000..n].to_vec()];
        forget_strokes();
        let at_once = Rgba::stroke_paths(&paths(4000), clip, &pens);
        forget_strokes();
        // Frame by frame, as a playback draws it (each frame a longer path, the same prefix:
        // the second path grows while the first stays).
        let mut last = None;
        let reused = REUSED.with(|c| c.get());
        for n in [2200, 2600, 3100, 3999, 4000, 4000] {
            last = Some(Rgba::stroke_paths(&paths(n), clip, &pens));
        }
        assert_eq!(last.unwrap(), at_once);
        assert_eq!(
            REUSED.with(|c| c.get()) - reused,
            5,
            "each frame after the first adds to the kept stroke"
        );
        // A sparse path (no segment hidden under others): frame by frame again.
        let sparse: Vec<(f64, f64)> = pts[..60].to_vec();
        forget_strokes();
        let at_once = Rgba::stroke_paths(std::slice::from_ref(&sparse), clip, &pens);
        forget_strokes();
        for n in [10, 11, 25, 40, 59] {
            Rgba::stroke_paths(&[sparse[..n].to_vec()], clip, &pens);
        }
        assert_eq!(
            Rgba::stroke_paths(std::slice::from_ref(&sparse), clip, &pens),
            at_once
        );
        // A kept stroke with other pens or another clip is not reused.
        let thin = [Pen { width: 1.0, ..LINE }];
        forget_strokes();
        let fresh = Rgba::stroke_paths(&paths(4000), clip, &thin);
        Rgba::stroke_paths(&paths(4000), clip, &pens);
        assert_eq!(Rgba::stroke_paths(&paths(4000), clip, &thin), fresh);
        let moved = [2, 2, 125, 98];
        forget_strokes();
        let fresh = Rgba::stroke_paths(&paths(4000), moved, &pens);
        Rgba::stroke_paths(&paths(3000), clip, &pens);
        assert_eq!(Rgba::stroke_paths(&paths(4000), moved, &pens), fresh);
        // A path that does not begin with a kept one (the view moved: every point shifted).
        let shifted: Vec<Vec<(f64, f64)>> = paths(4000)
            .iter()
            .map(|p| p.iter().map(|q| (q.0 + 0.25, q.1)).collect())
            .collect();
        forget_strokes();
        let fresh = Rgba::stroke_paths(&shifted, clip, &pens);
        Rgba::stroke_paths(&paths(2000), clip, &pens);
        assert_eq!(Rgba::stroke_paths(&shifted, clip, &pens), fresh);
    }
}
