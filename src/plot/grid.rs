//! An objective sampled on a regular grid over a view box, and its colouring.

use super::viridis;
use crate::problem::surfaces::ViewBox;
use crate::problem::Objective;

/// f sampled at `nx × ny` points spanning `view` (corners included).
#[derive(Clone, Debug)]
pub struct Grid {
    /// Points along x.
    pub nx: usize,
    /// Points along y.
    pub ny: usize,
    /// The sampled rectangle.
    pub view: ViewBox,
    /// f at (x_i, y_j), stored at `j * nx + i`; non-finite where f is undefined.
    pub values: Vec<f64>,
    /// Smallest finite value.
    pub lo: f64,
    /// Largest finite value.
    pub hi: f64,
    /// Colours follow log(1 + (f − lo)/s) instead of f, for surfaces with a huge range
    /// (Rosenbrock, Goldstein–Price), so the valley floor is not one flat colour.
    pub log_scale: Option<f64>,
    /// The contour lines of [`Grid::contour_lines`], computed on first use: a redraw with the
    /// same grid (playback, a basin map filling in) does not run marching squares again.
    contours: std::cell::OnceCell<(usize, Vec<ContourLevel>)>,
}

/// The polylines of one contour level.
pub type ContourLevel = Vec<Vec<(f64, f64)>>;

impl Grid {
    /// Samples a 2-D objective. `nx`, `ny` are clamped to at least 2.
    pub fn sample(f: &dyn Objective, view: ViewBox, nx: usize, ny: usize) -> Grid {
        let (nx, ny) = (nx.max(2), ny.max(2));
        let mut values = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            let y = view.y_min + (view.y_max - view.y_min) * j as f64 / (ny - 1) as f64;
            for i in 0..nx {
                let x = view.x_min + (view.x_max - view.x_min) * i as f64 / (nx - 1) as f64;
                values.push(f.value(&[x, y]));
            }
        }
        Grid::from_values(view, nx, ny, values)
    }

    /// Builds a grid from values already computed (row-major, y outer).
    pub fn from_values(view: ViewBox, nx: usize, ny: usize, values: Vec<f64>) -> Grid {
        let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let (lo, hi) = if finite.is_empty() {
            (0.0, 1.0)
        } else {
            let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if hi > lo {
                (lo, hi)
            } else {
                (lo - 0.5, hi + 0.5)
            }
        };
        let mut log_scale = None;
        if !finite.is_empty() {
            let mid = finite.len() / 2;
            let median = *finite.select_nth_unstable_by(mid, |a, b| a.total_cmp(b)).1;
            // A strongly skewed range: most of the map would be one colour on a linear scale.
            if (median - lo) / (hi - lo) < 0.12 {
                log_scale = Some(
                    ((median - lo) / 20.0)
                        .max((hi - lo) * 1e-9)
                        .max(f64::MIN_POSITIVE),
                );
            }
        }
        Grid {
            nx,
            ny,
            view,
            values,
            lo,
            hi,
            log_scale,
            contours: std::cell::OnceCell::new(),
        }
    }

    /// x of column i.
    pub fn x(&self, i: usize) -> f64 {
        self.view.x_min + (self.view.x_max - self.view.x_min) * i as f64 / (self.nx - 1) as f64
    }

    /// y of row j.
    pub fn y(&self, j: usize) -> f64 {
        self.view.y_min + (self.view.y_max - self.view.y_min) * j as f64 / (self.ny - 1) as f64
    }

    /// f at grid point (i, j).
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.nx + i]
    }

    /// The value mapped to [0, 1] for colouring (NaN stays NaN).
    pub fn normalized(&self, v: f64) -> f64 {
        match self.log_scale {
            Some(s) => {
                (1.0 + (v - self.lo).max(0.0) / s).ln() / (1.0 + (self.hi - self.lo) / s).ln()
            }
            None => (v - self.lo) / (self.hi - self.lo),
        }
    }

    /// The value whose colour is `t` ∈ [0, 1] (inverse of [`Grid::normalized`]).
    pub fn denormalized(&self, t: f64) -> f64 {
        match self.log_scale {
            Some(s) => self.lo + s * (((1.0 + (self.hi - self.lo) / s).ln() * t).exp() - 1.0),
            None => self.lo + t * (self.hi - self.lo),
        }
    }

    /// `n` contour levels, evenly spaced in colour (so in log space when the map is).
    pub fn levels(&self, n: usize) -> Vec<f64> {
        (1..=n)
            .map(|k| self.denormalized(k as f64 / (n + 1) as f64))
            .collect()
    }

    /// The contour lines at the `n` [`Grid::levels`], as joined polylines
    /// ([`super::contour::contour_lines`]); cached for the first `n` asked.
    pub fn contour_lines(&self, n: usize) -> std::borrow::Cow<'_, [ContourLevel]> {
        let compute = || {
            self.levels(n)
                .into_iter()
                .map(|l| super::contour::contour_lines(self, l))
                .collect::<Vec<_>>()
        };
        let (cached_n, lines) = self.contours.get_or_init(|| (n, compute()));
        if *cached_n == n {
            std::borrow::Cow::Borrowed(lines)
        } else {
            std::borrow::Cow::Owned(compute())
        }
    }

    /// Bilinear interpolation of f at (x, y) inside the view (NaN outside or near undefined points).
    pub fn interpolate(&self, x: f64, y: f64) -> f64 {
        let u = (x - self.view.x_min) / (self.view.x_max - self.view.x_min) * (self.nx - 1) as f64;
        let v = (y - self.view.y_min) / (self.view.y_max - self.view.y_min) * (self.ny - 1) as f64;
        if !(u >= 0.0 && v >= 0.0 && u <= (self.nx - 1) as f64 && v <= (self.ny - 1) as f64) {
            return f64::NAN;
        }
        let i = (u.floor() as usize).min(self.nx - 2);
        let j = (v.floor() as usize).min(self.ny - 2);
        let (a, b) = (u - i as f64, v - j as f64);
        let f00 = self.at(i, j);
        let f10 = self.at(i + 1, j);
        let f01 = self.at(i, j + 1);
        let f11 = self.at(i + 1, j + 1);
        (f00 * (1.0 - a) + f10 * a) * (1.0 - b) + (f01 * (1.0 - a) + f11 * a) * b
    }

    /// An RGBA raster of `width × height` pixels (row 0 at the top = y_max), colours interpolated
    /// between grid points; undefined points are transparent.
    ///
    /// Fast enough for every frame of a drag (≈ 3 ns a pixel): the colour coordinate
    /// [`Grid::normalized`] is computed once per grid point and interpolated bilinearly (on a
    /// linear colour scale that is the same as normalizing the interpolated value; on a log scale
    /// it interpolates in the colour's own space), looked up in a 1024-entry viridis table; each
    /// pixel column's grid cell is found once, not per pixel.
    pub fn rgba(&self, width: u32, height: u32) -> Vec<u8> {
        const LUT_N: usize = 1024;
        let (w, h) = (width.max(1) as usize, height.max(1) as usize);
        let mut out = vec![0u8; w * h * 4];
        static LUT: std::sync::OnceLock<Vec<[u8; 4]>> = std::sync::OnceLock::new();
        let lut = LUT.get_or_init(|| {
            (0..LUT_N)
                .map(|k| {
                    let c = viridis(k as f64 / (LUT_N - 1) as f64);
                    [c.0, c.1, c.2, 255]
                })
                .collect()
        });
        let t: Vec<f32> = self
            .values
            .iter()
            .map(|&v| self.normalized(v) as f32)
            .collect();
        let v = &self.view;
        // (cell index, weight of its right/upper neighbour), or None outside the grid.
        let cell = |u: f64, n: usize| -> Option<(usize, f32)> {
            if !(u >= 0.0 && u <= (n - 1) as f64) {
                return None;
            }
            let i = (u.floor() as usize).min(n - 2);
            Some((i, (u - i as f64) as f32))
        };
        let cols: Vec<Option<(usize, f32)>> = (0..w)
            .map(|px| {
                let x = v.x_min + (v.x_max - v.x_min) * (px as f64 + 0.5) / w as f64;
                cell(
                    (x - v.x_min) / (v.x_max - v.x_min) * (self.nx - 1) as f64,
                    self.nx,
                )
            })
            .collect();
        let scale = (LUT_N - 1) as f32;
        for (py, row) in out.chunks_exact_mut(w * 4).enumerate() {
            let y = v.y_max - (v.y_max - v.y_min) * (py as f64 + 0.5) / h as f64;
            let Some((j, b)) = cell(
                (y - v.y_min) / (v.y_max - v.y_min) * (self.ny - 1) as f64,
                self.ny,
            ) else {
                continue;
            };
            let (lo, hi) = (&t[j * self.nx..], &t[(j + 1) * self.nx..]);
            for (px, c) in cols.iter().enumerate() {
                let Some((i, a)) = *c else { continue };
                let top = lo[i] + (lo[i + 1] - lo[i]) * a;
                let bottom = hi[i] + (hi[i + 1] - hi[i]) * a;
                let tv = top + (bottom - top) * b;
                // NaN where a corner is undefined: transparent.
                if tv.is_nan() {
                    continue;
                }
                let k = (tv.clamp(0.0, 1.0) * scale + 0.5) as usize;
                row[px * 4..px * 4 + 4].copy_from_slice(&lut[k]);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::surfaces::Peaks;

    #[test]
    fn samples_corners_exactly_and_finds_range() {
        let g = Grid::sample(&Peaks, Peaks::VIEW, 61, 61);
        assert_eq!(g.at(0, 0), Peaks::eval(-3.0, -3.0));
        assert_eq!(g.at(60, 60), Peaks::eval(3.0, 3.0));
        // Grid spacing 0.1 misses the exact extrema slightly: bounds bracket the known values.
        assert!(g.lo > -6.5512 && g.lo < -6.3, "{}", g.lo);
        assert!(g.hi < 8.1063 && g.hi > 7.9, "{}", g.hi);
        assert!(g.log_scale.is_none(), "peaks is not skewed");
        let x = 0.123;
        let y = -0.456;
        assert!((g.interpolate(x, y) - Peaks::eval(x, y)).abs() < 0.05);
    }

    #[test]
    fn levels_invert_normalization() {
        let g = Grid::from_values(
            ViewBox::new(0.0, 1.0, 0.0, 1.0),
            2,
            2,
            vec![0.0, 1.0, 2.0, 1000.0],
        );
        for t in [0.0, 0.3, 0.9, 1.0] {
            assert!((g.normalized(g.denormalized(t)) - t).abs() < 1e-12);
        }
        assert!(g.log_scale.is_some());
    }

    #[test]
    fn raster_marks_undefined_points_transparent() {
        // 3×3 grid, undefined at the bottom-left corner only.
        let mut v = vec![1.0; 9];
        v[0] = f64::NAN;
        let g = Grid::from_values(ViewBox::new(0.0, 1.0, 0.0, 1.0), 3, 3, v);
        let px = g.rgba(4, 4);
        // Bottom-left pixel (row 3, col 0) is in the cell with the NaN corner.
        assert_eq!(px[(3 * 4) * 4 + 3], 0);
        // Top-right is defined and opaque.
        assert_eq!(px[3 * 4 + 3], 255);
    }

    #[test]
    fn raster_colours_follow_the_values() {
        // The fast raster agrees with colouring each pixel's interpolated value directly (at most
        // one step of the colour table apart on a linear scale).
        let g = Grid::sample(&Peaks, Peaks::VIEW, 121, 121);
        let (w, h) = (173, 97);
        let px = g.rgba(w, h);
        let mut worst = 0i32;
        for py in 0..h as usize {
            for qx in 0..w as usize {
                let x = -3.0 + 6.0 * (qx as f64 + 0.5) / w as f64;
                let y = 3.0 - 6.0 * (py as f64 + 0.5) / h as f64;
                let c = viridis(g.normalized(g.interpolate(x, y)));
                let o = (py * w as usize + qx) * 4;
                for (k, want) in [c.0, c.1, c.2].into_iter().enumerate() {
                    worst = worst.max((px[o + k] as i32 - want as i32).abs());
                }
                assert_eq!(px[o + 3], 255);
            }
        }
        assert!(worst <= 2, "largest channel difference {worst}");
    }
}
