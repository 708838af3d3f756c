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
}
