//! Fewer points, the same picture: a run of 100 000 iterations is drawn through the points that
//! can still be told apart on screen, so the canvas strokes thousands of vertices, not 10⁵.
//!
//! * [`columns`] — for a series plotted against an increasing x (iteration k): per pixel column
//!   the first, lowest, highest and last point (the "M4" reduction of Jugel et al., VLDB 2014),
//!   which draws the same pixels as the full line.
//! * [`by_pixel`] — for a path in the plane (a trajectory): a point is kept when it is at least
//!   half a device pixel from the last kept one; the last point is always kept.

/// Reduces points with increasing x over `x_lo..=x_hi`, drawn `width` pixels wide, to at most
/// four per pixel column (first, min y, max y, last — in their original order). Points outside
/// the range are kept as they are (they decide where the line leaves the plot).
pub fn columns(pts: &[(f64, f64)], x_lo: f64, x_hi: f64, width: f64) -> Vec<(f64, f64)> {
    if pts.len() <= 4 * width.max(1.0) as usize
        || x_hi.partial_cmp(&x_lo) != Some(std::cmp::Ordering::Greater)
    {
        return pts.to_vec();
    }
    let per_px = width.max(1.0) / (x_hi - x_lo);
    let column = |x: f64| ((x - x_lo) * per_px).floor();
    let mut out = Vec::with_capacity(4 * width as usize + 8);
    let mut i = 0;
    while i < pts.len() {
        let c = column(pts[i].0);
        if !c.is_finite() || pts[i].0 < x_lo || pts[i].0 > x_hi {
            out.push(pts[i]);
            i += 1;
            continue;
        }
        // The run of points in this column: indices i..j.
        let mut j = i + 1;
        let (mut lo, mut hi) = (i, i);
        while j < pts.len() && column(pts[j].0) == c && pts[j].0 <= x_hi {
            if pts[j].1 < pts[lo].1 {
                lo = j;
            }
            if pts[j].1 > pts[hi].1 {
                hi = j;
            }
            j += 1;
        }
        let mut keep = [i, lo, hi, j - 1];
        keep.sort_unstable();
        let mut last = usize::MAX;
        for k in keep {
            if k != last {
                out.push(pts[k]);
                last = k;
            }
        }
        i = j;
    }
    out
}

/// Keeps the points of a path that are at least half a device pixel apart (`ux`, `uy`: data
/// units per device pixel along x and y), always the first and the last.
pub fn by_pixel(pts: &[(f64, f64)], ux: f64, uy: f64) -> Vec<(f64, f64)> {
    if pts.len() < 3 || !(ux > 0.0 && uy > 0.0) {
        return pts.to_vec();
    }
    let mut out = Vec::with_capacity(pts.len().min(4096));
    out.push(pts[0]);
    for &p in &pts[1..pts.len() - 1] {
        let q = *out.last().expect("one point at least");
        if ((p.0 - q.0) / ux).abs() >= 0.5 || ((p.1 - q.1) / uy).abs() >= 0.5 || !p.0.is_finite() {
            out.push(p);
        }
    }
    out.push(pts[pts.len() - 1]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_keep_each_columns_extremes_in_order() {
        // 100 000 points of a noisy decay over 200 px: at most 4 per column, and every column's
        // min and max survive.
        let pts: Vec<(f64, f64)> = (0..100_000)
            .map(|k| {
                (
                    k as f64,
                    (-(k as f64) / 2e4).exp() + if k % 7 == 0 { 0.3 } else { 0.0 },
                )
            })
            .collect();
        let out = columns(&pts, 0.0, 99_999.0, 200.0);
        assert!(out.len() <= 4 * 201, "{}", out.len());
        assert!(out.windows(2).all(|w| w[0].0 < w[1].0), "order kept");
        assert_eq!(out.first(), pts.first());
        assert_eq!(out.last(), pts.last());
        let per_px = 200.0 / 99_999.0;
        for c in 0..=200 {
            let col = |p: &&(f64, f64)| (p.0 * per_px).floor() as usize == c;
            let max_all = pts.iter().filter(col).map(|p| p.1).fold(f64::MIN, f64::max);
            let max_kept = out.iter().filter(col).map(|p| p.1).fold(f64::MIN, f64::max);
            let min_all = pts.iter().filter(col).map(|p| p.1).fold(f64::MAX, f64::min);
            let min_kept = out.iter().filter(col).map(|p| p.1).fold(f64::MAX, f64::min);
            assert_eq!((max_all, min_all), (max_kept, min_kept), "column {c}");
        }
        // Few points: unchanged.
        assert_eq!(columns(&pts[..50], 0.0, 49.0, 200.0), pts[..50].to_vec());
    }

    #[test]
    fn by_pixel_drops_points_closer_than_half_a_pixel() {
        // A spiral into the origin: 10⁵ points, most of them within a pixel of the centre.
        let pts: Vec<(f64, f64)> = (0..100_000)
            .map(|k| {
                let r = (-(k as f64) / 3e3).exp();
                let a = k as f64 / 50.0;
                (r * a.cos(), r * a.sin())
            })
            .collect();
        let out = by_pixel(&pts, 0.01, 0.01);
        assert!(out.len() < 10_000, "{}", out.len());
        assert_eq!(out.first(), pts.first());
        assert_eq!(out.last(), pts.last());
        // Every dropped point is within half a pixel (each axis) of the last kept point before
        // it; kept points are at least half a pixel apart.
        let mut cur = 0;
        for p in &pts[..pts.len() - 1] {
            if cur + 1 < out.len() && out[cur + 1] == *p {
                cur += 1;
                let q = out[cur - 1];
                assert!(((p.0 - q.0) / 0.01).abs() >= 0.5 || ((p.1 - q.1) / 0.01).abs() >= 0.5);
            } else if out[cur] != *p {
                let q = out[cur];
                assert!(((p.0 - q.0) / 0.01).abs() < 0.5 && ((p.1 - q.1) / 0.01).abs() < 0.5);
            }
        }
    }
}
