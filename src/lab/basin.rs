//! Basins of attraction: colour every start point of the view by the minimum a solver reaches
//! from it.
//!
//! A [`BasinMap`] runs one solver from each cell centre of an n×n grid, a few runs at a time
//! ([`BasinMap::advance`]); [`run_each`] runs it all in the worker, reporting a row at a time so
//! the page can show the map filling in and cancel. What the page draws is the map's
//! [`BasinCells`] (plain data, serializable: it crosses from the worker as bytes). End points
//! that converged are grouped into minima (two end points closer than 10⁻³ of the view's diagonal
//! are the same minimum); runs that diverge or run out of iterations are left uncoloured.

use crate::diff::Evaluator;
use crate::lab::surfaces::Experiment;
use crate::problem::surfaces::ViewBox;
use crate::problem::Objective;
use crate::solver::{self, StopCriteria};
use serde::{Deserialize, Serialize};

/// Colours of the basins (Tableau 10), cycled.
pub const BASIN_COLORS: [(u8, u8, u8); 10] = [
    (78, 121, 167),
    (242, 142, 43),
    (225, 87, 89),
    (118, 183, 178),
    (89, 161, 79),
    (237, 201, 72),
    (176, 122, 161),
    (255, 157, 167),
    (156, 117, 95),
    (186, 176, 172),
];

/// A minimum found by the basin map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FoundMinimum {
    /// Where the first run that reached it ended.
    pub x: [f64; 2],
    /// f there.
    pub f: f64,
    /// How many starts ended here.
    pub count: usize,
}

/// What a basin map has found so far: the cells run and the minima they reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BasinCells {
    /// Cells per side.
    pub n: usize,
    /// The view covered.
    pub view: ViewBox,
    /// Per cell (row 0 = bottom), the index of its minimum, or `None` (not converged / not yet run).
    pub cells: Vec<Option<usize>>,
    /// The minima found so far.
    pub minima: Vec<FoundMinimum>,
    /// Cells run so far (cells are run in order).
    pub next: usize,
}

/// The basin map of one experiment's first solver, computed incrementally.
pub struct BasinMap {
    experiment: Experiment,
    objective: Box<dyn Objective>,
    /// What has been found so far.
    pub map: BasinCells,
    stop: StopCriteria,
}

/// Runs the whole basin map of `experiment` on an n×n grid, calling `report(map)` after each row
/// (n starts); returns the finished map. Bit for bit the map [`BasinMap::advance`] builds in any
/// chunks.
pub fn run_each(
    experiment: &Experiment,
    n: usize,
    report: &mut dyn FnMut(&BasinCells),
) -> Result<BasinCells, String> {
    let mut b = BasinMap::new(experiment, n)?;
    while !b.map.done() {
        b.advance(b.map.n);
        report(&b.map);
    }
    Ok(b.map)
}

impl BasinMap {
    /// Prepares an n×n basin map (n clamped to 4..=200) of `experiment`'s first solver over its
    /// view box; iterations per run are capped at 2,000.
    pub fn new(experiment: &Experiment, n: usize) -> Result<BasinMap, String> {
        experiment.validate()?;
        let n = n.clamp(4, 200);
        let mut stop = experiment.stop;
        stop.max_iterations = stop.max_iterations.min(2_000);
        Ok(BasinMap {
            objective: experiment.objective()?,
            experiment: experiment.clone(),
            map: BasinCells::empty(n, experiment.view.view_box),
            stop,
        })
    }

    /// Runs up to `runs` more starts; returns the fraction done (1.0 when complete).
    pub fn advance(&mut self, runs: usize) -> f64 {
        let m = &mut self.map;
        let total = m.n * m.n;
        let diag =
            ((m.view.x_max - m.view.x_min).powi(2) + (m.view.y_max - m.view.y_min).powi(2)).sqrt();
        let same = 1e-3 * diag;
        let end = (m.next + runs).min(total);
        for cell in m.next..end {
            let x0 = m.start(cell % m.n, cell / m.n);
            let mut s = match self.experiment.solvers[0].build() {
                Ok(s) => s,
                Err(_) => continue,
            };
            let ev = Evaluator::new(self.objective.as_ref(), self.experiment.gradient);
            let t =
                solver::run_scheduled(s.as_mut(), &ev, &x0, &self.stop, &self.experiment.schedule);
            if !t.stop.is_converged() {
                continue;
            }
            let last = t.last();
            let p = [last.x[0], last.x[1]];
            let found = m
                .minima
                .iter()
                .position(|q| ((q.x[0] - p[0]).powi(2) + (q.x[1] - p[1]).powi(2)).sqrt() < same);
            let idx = match found {
                Some(i) => i,
                None => {
                    m.minima.push(FoundMinimum {
                        x: p,
                        f: last.f,
                        count: 0,
                    });
                    m.minima.len() - 1
                }
            };
            m.minima[idx].count += 1;
            m.cells[cell] = Some(idx);
        }
        m.next = end;
        m.progress()
    }
}

impl BasinCells {
    /// An n×n map of `view` with nothing run yet.
    pub fn empty(n: usize, view: ViewBox) -> BasinCells {
        let n = n.clamp(4, 200);
        BasinCells {
            n,
            view,
            cells: vec![None; n * n],
            minima: Vec::new(),
            next: 0,
        }
    }

    /// The start point of cell i (column) j (row from the bottom).
    pub fn start(&self, i: usize, j: usize) -> [f64; 2] {
        let v = &self.view;
        [
            v.x_min + (v.x_max - v.x_min) * (i as f64 + 0.5) / self.n as f64,
            v.y_min + (v.y_max - v.y_min) * (j as f64 + 0.5) / self.n as f64,
        ]
    }

    /// Fraction of the starts run so far.
    pub fn progress(&self) -> f64 {
        self.next as f64 / (self.n * self.n) as f64
    }

    /// `true` when every start has been run.
    pub fn done(&self) -> bool {
        self.next >= self.n * self.n
    }

    /// An RGBA raster (row 0 at the top): each pixel the colour of its cell's basin, translucent
    /// grey where the run did not converge, transparent where not yet run.
    pub fn rgba(&self, width: u32, height: u32) -> Vec<u8> {
        let (w, h) = (width.max(1) as usize, height.max(1) as usize);
        let mut out = vec![0u8; w * h * 4];
        for py in 0..h {
            let j = self.n - 1 - ((py * self.n) / h).min(self.n - 1);
            for px in 0..w {
                let i = ((px * self.n) / w).min(self.n - 1);
                let cell = j * self.n + i;
                let o = (py * w + px) * 4;
                if cell >= self.next {
                    continue;
                }
                let rgba = match self.cells[cell] {
                    Some(m) => {
                        let c = BASIN_COLORS[m % BASIN_COLORS.len()];
                        [c.0, c.1, c.2, 255]
                    }
                    None => [120, 120, 120, 255],
                };
                out[o..o + 4].copy_from_slice(&rgba);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::surfaces::{SolverConfig, SurfaceId};

    fn complete(e: &Experiment, n: usize) -> BasinMap {
        let mut b = BasinMap::new(e, n).unwrap();
        while !b.map.done() {
            b.advance(37);
        }
        b
    }

    #[test]
    fn a_convex_quadratic_has_one_basin() {
        let mut e = Experiment::default();
        e.surface = SurfaceId::Quadratic;
        e.view.view_box = SurfaceId::Quadratic.view();
        e.solvers = vec![SolverConfig::default_for("bfgs").unwrap()];
        let b = complete(&e, 20);
        assert_eq!(b.map.minima.len(), 1, "{:?}", b.map.minima);
        assert!(b.map.cells.iter().all(|c| *c == Some(0)));
        // The unique minimum of ½(x² + κy²) is the origin.
        assert!(b.map.minima[0].x[0].abs() < 1e-5 && b.map.minima[0].x[1].abs() < 1e-5);
    }

    #[test]
    fn himmelblau_has_four_basins() {
        let mut e = Experiment::default();
        e.surface = SurfaceId::Himmelblau;
        e.view.view_box = SurfaceId::Himmelblau.view();
        e.solvers = vec![SolverConfig::default_for("bfgs").unwrap()];
        let b = complete(&e, 24);
        // Himmelblau's four minima, all with f = 0 (Himmelblau 1972).
        assert_eq!(b.map.minima.len(), 4, "{:?}", b.map.minima);
        for m in &b.map.minima {
            assert!(m.f.abs() < 1e-8, "{m:?}");
            let known = SurfaceId::Himmelblau.minima();
            assert!(
                known
                    .iter()
                    .any(|k| (k.x[0] - m.x[0]).abs() < 1e-3 && (k.x[1] - m.x[1]).abs() < 1e-3),
                "{m:?}"
            );
        }
        assert!(b.map.minima.iter().all(|m| m.count > 20));
    }

    #[test]
    fn progress_and_raster() {
        let mut b = BasinMap::new(&Experiment::default(), 10).unwrap();
        assert_eq!(b.advance(50), 0.5);
        let px = b.map.rgba(10, 10);
        // Bottom row ran (opaque), top row not yet (transparent).
        assert_eq!(px[(9 * 10) * 4 + 3], 255);
        assert_eq!(px[3], 0);
        assert_eq!(b.advance(1000), 1.0);
    }

    #[test]
    fn the_worker_run_reports_every_row_and_equals_any_chunking() {
        let mut e = Experiment::default();
        e.surface = SurfaceId::Himmelblau;
        e.view.view_box = SurfaceId::Himmelblau.view();
        let mut rows = Vec::new();
        let whole = run_each(&e, 12, &mut |m| rows.push(m.next)).unwrap();
        assert_eq!(rows, (1..=12).map(|r| r * 12).collect::<Vec<_>>());
        let chunked = complete(&e, 12).map;
        assert_eq!(whole, chunked);
        // What crosses from the worker decodes to the same map.
        let bytes = rmp_serde::to_vec_named(&whole).unwrap();
        assert_eq!(rmp_serde::from_slice::<BasinCells>(&bytes).unwrap(), whole);
    }
}
