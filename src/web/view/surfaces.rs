//! The surfaces lab: 2-D test surfaces, a race of solvers, contour map, 3-D surface, convergence.

use crate::diff::check_gradient;
use crate::lab::form::FieldError;
use crate::lab::surfaces::Experiment;
use crate::lab::surfaces::SurfaceForm;
use crate::lab::surfaces::{solver_catalog, surface_catalog, SurfaceId};
use crate::plot::contour::MapOverlay;
use crate::plot::convergence::Reference;
use crate::plot::surface::Camera;
use crate::plot::{draw_convergence, Grid, PixelMap, PlotStyle};
use crate::problem::surfaces::ViewBox;
use crate::trace::Trace;
use crate::web::{backend, draw_map_on_canvas, fit_canvas, to_js, Layouts, RasterCache};
use plotters::prelude::*;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Resolution of the sampled grid behind the heat map and contour lines.
const MAP_GRID: usize = 120;
/// Resolution of the 3-D surface mesh: the cells are rasterized in Rust (src/plot/raster.rs),
/// so a 100×100 mesh rotates within a frame.
const SURFACE_GRID: usize = 100;
/// The grids while the view is being dragged or zoomed ([`SurfaceLab::set_draft`]): both plots
/// follow the gesture within a frame, and are drawn at full resolution when it pauses.
const DRAFT_MAP_GRID: usize = 80;
const DRAFT_SURFACE_GRID: usize = 50;

/// The state of the surfaces lab.
#[wasm_bindgen]
pub struct SurfaceLab {
    /// Coarser grids while a gesture moves the view (see [`DRAFT_MAP_GRID`]).
    draft: bool,
    /// The basin map being computed or shown, if any.
    basin: Option<crate::lab::basin::BasinCells>,
    /// Playback position: the plots show iterations 0..=k (`None`: the whole runs).
    upto: Option<usize>,
    experiment: Experiment,
    traces: Vec<Trace>,
    map_grid: Option<std::rc::Rc<Grid>>,
    surface_grid: Option<std::rc::Rc<Grid>>,
    raster: RasterCache,
    map: Option<PixelMap>,
    layouts: Layouts,
    /// Runs go to the Web Worker: a changed experiment waits in `pending` (the plots keep the
    /// previous run) until the page hands its result to [`SurfaceLab::accept`].
    deferred: bool,
    pending: Option<Experiment>,
    /// Bumped whenever the experiment the page shows (`latest()`) may have changed: the page
    /// re-encodes its link only when this (or its own state) changed.
    revision: u32,
    /// Draw the curvature lens at the shown iterate of the first run.
    lens: bool,
    /// The keyboard start cursor on the map, while choosing a start point (see `cursor_begin`).
    cursor: Option<[f64; 2]>,
}

/// One solver's result, as `window.gradlab.lastRun()` reports it.
#[derive(Serialize)]
struct RunSummary<'a> {
    solver: &'a str,
    color: String,
    x: &'a [f64],
    f: f64,
    grad_norm: f64,
    iterations: usize,
    stop: &'a crate::trace::StopReason,
    stop_label: &'static str,
    converged: bool,
    /// The run ended outside the view box (often a flat region far away, not a minimum).
    outside_view: bool,
    f_evals: usize,
    g_evals: usize,
    h_evals: usize,
}

#[derive(Serialize)]
struct Summary<'a> {
    surface: SurfaceId,
    surface_name: &'static str,
    formula: String,
    start: [f64; 2],
    solvers: Vec<RunSummary<'a>>,
}

#[derive(Serialize)]
struct ApplyResult<'a> {
    ok: bool,
    errors: Vec<FieldError>,
    summary: Option<Summary<'a>>,
}

impl Default for SurfaceLab {
    fn default() -> Self {
        SurfaceLab::new()
    }
}

#[wasm_bindgen]
impl SurfaceLab {
    /// A page showing the default experiment (peaks, gradient descent), already run.
    #[wasm_bindgen(constructor)]
    pub fn new() -> SurfaceLab {
        let experiment = Experiment::default();
        let traces = experiment.run().unwrap_or_default();
        SurfaceLab {
            basin: None,
            draft: false,
            upto: None,
            experiment,
            traces,
            map_grid: None,
            surface_grid: None,
            raster: None,
            map: None,
            layouts: Layouts::default(),
            deferred: false,
            lens: false,
            pending: None,
            revision: 0,
            cursor: None,
        }
    }

    /// From now on, runs are left to the page's worker (see [`SurfaceLab::pending`]).
    pub fn set_deferred(&mut self, on: bool) {
        self.deferred = on;
    }

    /// The run the page must have done, `{lab: "surfaces", config}`, or `null`.
    pub fn pending(&self) -> JsValue {
        match &self.pending {
            Some(e) => crate::web::engine::request("surfaces", e, None),
            None => JsValue::NULL,
        }
    }

    /// Installs the worker's result (`engine_run` bytes) for the pending experiment.
    pub fn accept(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        let e = self
            .pending
            .take()
            .ok_or_else(|| JsValue::from_str("no run is pending"))?;
        let columns: Vec<crate::trace::TraceColumns> = crate::web::engine::decode(bytes)?;
        let traces = columns
            .into_iter()
            .map(Trace::try_from)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|m| JsValue::from_str(&m))?;
        self.install(e, traces);
        Ok(())
    }

    /// Forgets the pending experiment (its run was cancelled or failed): the previous one stays.
    pub fn drop_pending(&mut self) {
        self.pending = None;
        self.revision = self.revision.wrapping_add(1);
    }

    /// Changes whenever the experiment the page shows may have changed (a cheap test for the
    /// page's link: no re-encoding of large data on unrelated clicks).
    pub fn revision(&self) -> u32 {
        self.revision
    }

    /// The surfaces and solvers on offer, with formulas, defaults, ranges and one-line help:
    /// `{surfaces: [...], solvers: [...]}`.
    pub fn catalog(&self) -> JsValue {
        #[derive(Serialize)]
        struct Catalog {
            surfaces: Vec<crate::lab::surfaces::SurfaceInfo>,
            solvers: Vec<crate::lab::surfaces::SolverInfo>,
        }
        to_js(&Catalog {
            surfaces: surface_catalog(),
            solvers: solver_catalog(),
        })
    }

    /// The whole experiment as its serde config (plain JSON: surface, start, solvers, stop, view…);
    /// while a run is pending, the experiment it is for.
    pub fn get_state(&self) -> JsValue {
        to_js(self.latest())
    }

    /// Replaces the experiment by `config` (as from [`SurfaceLab::get_state`]) after validating it,
    /// and re-runs; a bad config leaves everything as it was and returns the reason.
    pub fn set_state(&mut self, config: JsValue) -> Result<(), JsValue> {
        let e: Experiment = crate::web::json::from_js(config)
            .map_err(|e| JsValue::from_str(&format!("not a surfaces experiment: {e}")))?;
        self.set_experiment(e).map_err(|m| JsValue::from_str(&m))
    }

    /// The form for the current experiment, as text.
    pub fn form(&self) -> JsValue {
        to_js(&SurfaceForm::from_experiment(self.latest()))
    }

    /// Switches to surface `id` with its default view and start point (keeping the solvers) and
    /// re-runs; returns an error message for an unknown id.
    pub fn select_surface(&mut self, id: &str) -> Result<(), JsValue> {
        let surface: SurfaceId = serde_json::from_value(serde_json::Value::String(id.into()))
            .map_err(|_| JsValue::from_str(&format!("unknown surface “{id}”")))?;
        let mut e = self.latest().clone();
        e.surface = surface;
        e.view.view_box = surface.view();
        e.start = surface.start();
        if surface == SurfaceId::Formula && e.formula.trim().is_empty() {
            e.formula = crate::problem::formula::SURFACE_EXAMPLES[0].1.to_string();
        }
        self.set_experiment(e).map_err(|m| JsValue::from_str(&m))
    }

    /// Applies what the user typed: `{ok: true, summary}` after a new run, or
    /// `{ok: false, errors: [{field, message}]}` with nothing run.
    pub fn apply_form(&mut self, form: JsValue) -> JsValue {
        let fail = |errors: Vec<FieldError>| {
            to_js(&ApplyResult {
                ok: false,
                errors,
                summary: None,
            })
        };
        let form: SurfaceForm = match crate::web::json::from_js(form) {
            Ok(f) => f,
            Err(e) => {
                return fail(vec![FieldError {
                    field: "form".into(),
                    message: e.to_string(),
                }])
            }
        };
        match form.apply(self.latest()) {
            Ok(e) => match self.set_experiment(e) {
                Ok(()) => to_js(&ApplyResult {
                    ok: true,
                    errors: vec![],
                    summary: self.pending.is_none().then(|| self.summary_data()),
                }),
                Err(message) => fail(vec![FieldError {
                    field: "form".into(),
                    message,
                }]),
            },
            Err(errors) => fail(errors),
        }
    }

    /// Live validation of a typed surface formula: `{ok: true, read_as}` (the parse shown back,
    /// e.g. `read as: f(x, y) = −(x²)`) or `{ok: false, message, column, caret}` (the caret drawing
    /// is two lines of plain text).
    pub fn check_formula(&self, text: &str) -> JsValue {
        #[derive(Serialize)]
        struct Check {
            ok: bool,
            message: String,
            column: usize,
            caret: String,
            read_as: String,
        }
        match crate::problem::formula::check(text, crate::problem::formula::Mode::Surface) {
            Ok(info) => to_js(&Check {
                ok: true,
                message: String::new(),
                column: 0,
                caret: String::new(),
                read_as: info.read_as,
            }),
            Err(e) => to_js(&Check {
                ok: false,
                message: e.to_string(),
                column: e.column,
                caret: e.caret(text),
                read_as: String::new(),
            }),
        }
    }

    /// Example formulas for the formula box: `[[name, formula], …]`.
    pub fn formula_examples(&self) -> JsValue {
        to_js(&crate::problem::formula::SURFACE_EXAMPLES)
    }

    /// The gradient at the start point from every available source, side by side, with the
    /// largest relative disagreement.
    pub fn gradient_check(&self) -> JsValue {
        let f = self.objective();
        to_js(&check_gradient(f.as_ref(), &self.experiment.start))
    }

    /// Zooms the map by `factor` (< 1 zooms in) about CSS pixel (css_x, css_y) of the contour canvas.
    pub fn zoom(
        &mut self,
        canvas: &HtmlCanvasElement,
        css_x: f64,
        css_y: f64,
        factor: f64,
    ) -> bool {
        let Some(p) = self.contour_point(canvas, css_x, css_y) else {
            return false;
        };
        let factor = factor.clamp(0.2, 5.0);
        let v = self.view_box();
        let nv = ViewBox::new(
            p[0] - (p[0] - v.x_min) * factor,
            p[0] + (v.x_max - p[0]) * factor,
            p[1] - (p[1] - v.y_min) * factor,
            p[1] + (v.y_max - p[1]) * factor,
        );
        self.set_view_box(nv)
    }

    /// Draft mode while a gesture moves the view: the map and the surface are sampled on coarser
    /// grids, so both follow within a frame. Returns `true` when leaving it needs a redraw (the
    /// plots then go back to full resolution).
    pub fn set_draft(&mut self, on: bool) -> bool {
        let was = std::mem::replace(&mut self.draft, on);
        was && !on
    }

    /// Pans the map by a drag of (dx, dy) CSS pixels.
    pub fn pan(&mut self, canvas: &HtmlCanvasElement, dx: f64, dy: f64) -> bool {
        let Some(map) = self.map else { return false };
        let dpr = canvas.width() as f64 / canvas.client_width().max(1) as f64;
        // The drawn mapping (equal scales: the shown range may be wider than the view box).
        let (ux, uy) = map.units_per_px();
        let v = self.view_box();
        let sx = ux * dpr;
        let sy = uy * dpr;
        self.set_view_box(ViewBox::new(
            v.x_min - dx * sx,
            v.x_max - dx * sx,
            v.y_min + dy * sy,
            v.y_max + dy * sy,
        ))
    }

    /// Back to the surface's default view box.
    pub fn reset_view(&mut self) -> bool {
        let v = self.experiment.surface.view();
        self.set_view_box(v)
    }

    /// The latest run: per solver, final x, f, ‖∇f‖, iterations, stop reason, evaluations.
    pub fn summary(&self) -> JsValue {
        to_js(&self.summary_data())
    }

    /// Draws the 3-D surface with the trajectories.
    pub fn draw_surface(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let dpr = fit_canvas(canvas);
        let grid = self.surface_grid();
        let root = backend(canvas)?.into_drawing_area();
        let camera = Camera {
            yaw: self.experiment.view.yaw,
            pitch: self.experiment.view.pitch,
        };
        let overlay = MapOverlay {
            traces: &self.traces,
            upto: self.upto,
            lengths: &[],
            marks: &[],
            axes: ("x", "y"),
            value: "f(x, y)",
            equal_scale: None,
        };
        let layout = crate::plot::draw_surface_with(
            &root,
            &grid,
            &overlay,
            camera,
            &PlotStyle { scale: dpr },
            &mut |img| crate::web::blit(canvas, img),
        )?;
        self.layouts.record(canvas, layout);
        root.present()
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// Draws the heat map (or the basin map) with contour lines and trajectories; remembers its
    /// pixel mapping for clicks. The map keeps equal scales in x and y: the view box is grown
    /// along one axis to the plot area's aspect (the stored view box does not change).
    pub fn draw_contour(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let dpr = fit_canvas(canvas);
        let marks: Vec<(f64, f64)> = self
            .experiment
            .surface
            .minima()
            .iter()
            .map(|m| (m.x[0], m.x[1]))
            .collect();
        let view = self.view_box();
        let shown = {
            let overlay = self.overlay(&marks);
            crate::plot::contour::shown_view(
                (canvas.width(), canvas.height()),
                &overlay,
                view,
                &PlotStyle { scale: dpr },
            )
        };
        let grid = self.map_grid(shown);
        let overlay = MapOverlay {
            traces: &self.traces,
            upto: self.upto,
            lengths: &[],
            marks: &marks,
            axes: ("x", "y"),
            value: "f(x, y)",
            equal_scale: Some(view),
        };
        let basin = self.basin.as_ref();
        let raster = |map: PixelMap| {
            let (w, h) = map.size();
            let mut out = grid.rgba(w, h);
            if let Some(b) = basin {
                // The basin map covers the stored view box: paste it over that part.
                let (l, t) = map.to_pixel(view.x_min, view.y_max);
                let (r, btm) = map.to_pixel(view.x_max, view.y_min);
                let (l, t) = (
                    (l.round() as i32 - map.x_px.0).max(0),
                    (t.round() as i32 - map.y_px.0).max(0),
                );
                let r = (r.round() as i32 + 1 - map.x_px.0).min(w as i32);
                let btm = (btm.round() as i32 + 1 - map.y_px.0).min(h as i32);
                if r > l && btm > t {
                    let (bw, bh) = ((r - l) as usize, (btm - t) as usize);
                    let img = b.rgba(bw as u32, bh as u32);
                    for row in 0..bh {
                        for col in 0..bw {
                            let src = (row * bw + col) * 4;
                            if img[src + 3] == 0 {
                                continue;
                            }
                            let dst = ((t as usize + row) * w as usize + l as usize + col) * 4;
                            out[dst..dst + 4].copy_from_slice(&img[src..src + 4]);
                        }
                    }
                }
            }
            out
        };
        let (map, layout) = draw_map_on_canvas(
            canvas,
            &grid,
            &overlay,
            &mut self.raster,
            &raster,
            basin.is_none(),
        )?;
        self.map = Some(map);
        self.layouts.record(canvas, layout);
        if let Some(lens) = self.lens.then(|| self.lens_here()).flatten() {
            use plotters::prelude::IntoDrawingArea;
            let root = backend(canvas)?.into_drawing_area();
            crate::plot::lens::draw_lens(&root, &map, &lens, &PlotStyle { scale: dpr })
                .map_err(|e| JsValue::from_str(&e))?;
            root.present()
                .map_err(|e| JsValue::from_str(&e.to_string()))?;
        }
        if let Some([x, y]) = self.cursor {
            use plotters::prelude::IntoDrawingArea;
            let root = backend(canvas)?.into_drawing_area();
            crate::plot::contour::draw_crosshair(&root, &map, (x, y), &PlotStyle { scale: dpr })
                .map_err(|e| JsValue::from_str(&e))?;
            root.present()
                .map_err(|e| JsValue::from_str(&e.to_string()))?;
        }
        Ok(())
    }

    /// Shows or hides the curvature lens on the map.
    pub fn set_lens(&mut self, on: bool) {
        self.lens = on;
    }

    /// The curvature lens at the shown iterate of the first run on the map: `{solver, k, x, curvature,
    /// eigenvalues, eigenvectors, condition, stable_step, newton_step, shift, lines: [...]}`, or
    /// `null` where f or its Hessian is not finite.
    pub fn lens(&self) -> JsValue {
        #[derive(Serialize)]
        struct Shown<'a> {
            solver: &'a str,
            k: usize,
            #[serde(flatten)]
            lens: crate::lab::teach::lens::Lens,
            lines: Vec<String>,
        }
        let (Some(lens), Some(t)) = (self.lens_here(), self.lens_trace()) else {
            return JsValue::NULL;
        };
        let i = self
            .traces
            .iter()
            .position(|u| std::ptr::eq(u, t))
            .unwrap_or(0);
        let alpha = match self.experiment.solvers.get(i) {
            Some(crate::lab::surfaces::SolverConfig::GradientDescent { learning_rate }) => {
                Some(*learning_rate)
            }
            _ => None,
        };
        to_js(&Shown {
            solver: &t.solver,
            k: self.step().min(t.iterations()),
            lines: lens
                .lines(alpha)
                .iter()
                .map(|l| crate::plot::translate(l))
                .collect(),
            lens,
        })
    }

    /// Where the text of the plot last drawn on the canvas with id `canvas_id` is, in CSS px of
    /// that canvas (for layout checks): `{width, height, labels: [{x, y, w, h, text, role,
    /// font_px}], min_font_px, plot: {x, y, w, h}, legend: {x, y, w, h} | null,
    /// x_units_per_px?, y_units_per_px?}` — `role` is `x_tick`, `y_tick`, `y2_tick`, `bar_tick`,
    /// `z_tick`, `x_title`, `y_title`, `y2_title`, `bar_title`, `z_title` or `legend`; the units
    /// per px are given for maps. `null` when nothing was drawn there.
    pub fn layout(&self, canvas_id: &str) -> JsValue {
        self.layouts.get(canvas_id)
    }

    /// Draws the convergence plot.
    pub fn draw_convergence(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let dpr = fit_canvas(canvas);
        let root = backend(canvas)?.into_drawing_area();
        let reference = Reference::from_minima(&self.experiment.refined_minima());
        let style = PlotStyle { scale: dpr };
        let layout = draw_convergence(&root, &self.traces, &reference, self.upto, &style)?;
        self.layouts.record(canvas, layout);
        root.present()
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// The data point (x, y) and f there under CSS pixel (css_x, css_y) of the contour canvas, as
    /// `[x, y, f]`, or `undefined` outside the plot area.
    pub fn contour_point(
        &self,
        canvas: &HtmlCanvasElement,
        css_x: f64,
        css_y: f64,
    ) -> Option<Vec<f64>> {
        let dpr = canvas.width() as f64 / canvas.client_width().max(1) as f64;
        let (x, y) = self.map?.to_data(css_x * dpr, css_y * dpr)?;
        let f = self.objective().value(&[x, y]);
        Some(vec![x, y, f])
    }

    /// Starts every solver from the point under the click and re-runs; `false` if the click was
    /// outside the plot area.
    pub fn click_contour(&mut self, canvas: &HtmlCanvasElement, css_x: f64, css_y: f64) -> bool {
        let Some(p) = self.contour_point(canvas, css_x, css_y) else {
            return false;
        };
        let mut e = self.latest().clone();
        // Round to 4 decimals: a readable start point that the form shows exactly.
        e.start = [(p[0] * 1e4).round() / 1e4, (p[1] * 1e4).round() / 1e4];
        self.set_experiment(e).is_ok()
    }

    /// Starts a basin map: the first solver run from each cell of an n×n grid over the view.
    /// Returns the request for the worker (`{lab: "basin", config: {experiment, n}}`); until its
    /// rows arrive ([`Self::basin_accept`]) the map is empty at 0 %.
    pub fn basin_request(&mut self, n: usize) -> Result<JsValue, JsValue> {
        if self.pending.is_some() {
            return Err(JsValue::from_str("the run is not finished yet"));
        }
        crate::lab::basin::BasinMap::new(&self.experiment, n).map_err(|m| JsValue::from_str(&m))?;
        let cells = crate::lab::basin::BasinCells::empty(n, self.experiment.view.view_box);
        let config = crate::web::engine::BasinRequest {
            experiment: self.experiment.clone(),
            n: cells.n,
        };
        self.basin = Some(cells);
        Ok(crate::web::engine::request("basin", &config, None))
    }

    /// Installs basin-map rows from the worker (a partial or the finished map); `false` (and
    /// nothing changes) when they belong to a map no longer shown (the view or the run changed,
    /// or the map was cleared).
    pub fn basin_accept(&mut self, bytes: &[u8]) -> Result<bool, JsValue> {
        let cells: crate::lab::basin::BasinCells = crate::web::engine::decode(bytes)?;
        match &self.basin {
            Some(b) if b.view == cells.view && b.n == cells.n && b.next <= cells.next => {
                self.basin = Some(cells);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Removes the basin map (the heat map of f shows again).
    pub fn basin_clear(&mut self) {
        self.basin = None;
    }

    /// The basin map's state: `{progress, n, minima: [{x, f, count, color}]}`, or `null`.
    pub fn basin_info(&self) -> JsValue {
        #[derive(Serialize)]
        struct M {
            x: [f64; 2],
            f: f64,
            count: usize,
            color: String,
        }
        #[derive(Serialize)]
        struct Info {
            progress: f64,
            n: usize,
            minima: Vec<M>,
        }
        match &self.basin {
            None => JsValue::NULL,
            Some(b) => to_js(&Info {
                progress: b.progress(),
                n: b.n,
                minima: b
                    .minima
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        let c = crate::lab::basin::BASIN_COLORS
                            [i % crate::lab::basin::BASIN_COLORS.len()];
                        M {
                            x: m.x,
                            f: m.f,
                            count: m.count,
                            color: format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2),
                        }
                    })
                    .collect(),
            }),
        }
    }

    /// Draws the learning-rate schedule α_k/α over the iteration budget (marker at the playback
    /// position); `false` (nothing drawn) for a constant rate.
    pub fn draw_schedule(&mut self, canvas: &HtmlCanvasElement) -> Result<bool, JsValue> {
        let schedule = self.experiment.schedule;
        if schedule == crate::solver::schedule::Schedule::Constant {
            self.layouts.clear(canvas);
            return Ok(false);
        }
        let dpr = fit_canvas(canvas);
        let root = backend(canvas)?.into_drawing_area();
        let k_max = self.experiment.stop.max_iterations;
        let layout = crate::plot::schedule::draw_schedule(
            &root,
            &schedule,
            k_max,
            Some(self.step()),
            &PlotStyle { scale: dpr },
        )?;
        self.layouts.record(canvas, layout);
        root.present()
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
        Ok(true)
    }

    /// The schedule as a formula, e.g. `αₖ = α·0.99^k`.
    pub fn schedule_formula(&self) -> String {
        self.experiment.schedule.describe()
    }

    /// The longest run's iteration count K (playback goes over 0..=K).
    pub fn iterations(&self) -> usize {
        self.traces.iter().map(Trace::iterations).max().unwrap_or(0)
    }

    /// The playback position k (K when showing the whole runs).
    pub fn step(&self) -> usize {
        self.upto.unwrap_or_else(|| self.iterations())
    }

    /// Shows the runs up to iteration `k` (clamped to 0..=K); K shows them whole.
    pub fn set_step(&mut self, k: usize) -> usize {
        let k = k.min(self.iterations());
        self.upto = (k < self.iterations()).then_some(k);
        k
    }

    /// How each solver got to its iterate at the playback position:
    /// `[{solver, color, k, x, f, lines: [...]}]`, with the trace's own numbers.
    pub fn explain(&self) -> JsValue {
        #[derive(Serialize)]
        struct Explained<'a> {
            solver: &'a str,
            color: String,
            k: usize,
            x: &'a [f64],
            f: f64,
            lines: Vec<String>,
        }
        let k = self.step();
        let verdicts = crate::lab::teach::coach::surfaces(&self.experiment, &self.traces);
        let out: Vec<Explained> = self
            .traces
            .iter()
            .zip(&self.experiment.solvers)
            .enumerate()
            .map(|(i, (t, c))| {
                let kk = k.min(t.iterations());
                let r = &t.iterates[kk];
                let lines = if kk == 0 {
                    vec![crate::lab::explain::start_line(r)]
                } else {
                    let mut l = crate::lab::explain::update_rule(c, t, kk - 1).unwrap_or_default();
                    if kk == t.iterations() && k >= kk {
                        let headline = verdicts.get(i).map(|v| v.headline.as_str());
                        l.push(crate::lab::explain::ending_line(t, headline));
                    }
                    l
                };
                // In the page's language (the catalogs' `say.ex.*` templates).
                let lines = lines.iter().map(|l| crate::plot::translate(l)).collect();
                // Swatches in the page's tables: the same in both themes (plot::SOLVER_COLORS).
                let col = crate::plot::SOLVER_COLORS[i % crate::plot::SOLVER_COLORS.len()];
                Explained {
                    solver: &t.solver,
                    color: format!("#{:02x}{:02x}{:02x}", col.0, col.1, col.2),
                    k: kk,
                    x: &r.x,
                    f: r.f,
                    lines,
                }
            })
            .collect();
        to_js(&out)
    }

    /// Rotates the 3-D camera by a drag of (dx, dy) CSS pixels.
    pub fn rotate(&mut self, dx: f64, dy: f64) {
        self.revision = self.revision.wrapping_add(1);
        let v = &mut self.experiment.view;
        v.yaw = (v.yaw + dx * 0.01).rem_euclid(std::f64::consts::TAU);
        v.pitch = (v.pitch + dy * 0.01).clamp(0.05, 1.5);
    }
}

impl SurfaceLab {
    fn set_view_box(&mut self, v: ViewBox) -> bool {
        if !v.is_valid() || (v.x_max - v.x_min) < 1e-9 || (v.y_max - v.y_min) < 1e-9 {
            return false;
        }
        // Round to 4 significant digits of the span: readable numbers in the form.
        let q = |a: f64, span: f64| {
            let decimals = (3.0 - span.log10().floor()).clamp(0.0, 12.0) as usize;
            format!("{a:.decimals$}").parse().unwrap_or(a)
        };
        let (sx, sy) = (v.x_max - v.x_min, v.y_max - v.y_min);
        let mut e = self.experiment.clone();
        e.view.view_box = ViewBox::new(
            q(v.x_min, sx),
            q(v.x_max, sx),
            q(v.y_min, sy),
            q(v.y_max, sy),
        );
        self.set_experiment(e).is_ok()
    }

    /// The experiment the page shows in its form and links: the pending one, else the current.
    fn latest(&self) -> &Experiment {
        self.pending.as_ref().unwrap_or(&self.experiment)
    }

    /// Makes `e` the experiment: at once when only the view changed (runs do not depend on it),
    /// else after running it here — or, deferred, after the worker has run it.
    fn set_experiment(&mut self, e: Experiment) -> Result<(), String> {
        let mut same_run = e.clone();
        same_run.view = self.experiment.view;
        if self.pending.is_none() && same_run == self.experiment {
            let traces = std::mem::take(&mut self.traces);
            let (upto, basin) = (self.upto, self.basin.take());
            self.install(e, traces);
            self.upto = upto;
            // A basin map belongs to its view box.
            if basin
                .as_ref()
                .is_some_and(|b| b.view == self.experiment.view.view_box)
            {
                self.basin = basin;
            }
            return Ok(());
        }
        if self.deferred {
            e.validate()?;
            e.objective()?; // a typed formula that does not parse is refused here, at once
            self.revision = self.revision.wrapping_add(1);
            self.pending = Some(e);
            return Ok(());
        }
        let traces = e.run()?;
        self.install(e, traces);
        Ok(())
    }

    fn install(&mut self, e: Experiment, traces: Vec<Trace>) {
        self.revision = self.revision.wrapping_add(1);
        if e.surface != self.experiment.surface
            || e.view.view_box != self.experiment.view.view_box
            || e.quadratic_condition != self.experiment.quadratic_condition
            || e.formula != self.experiment.formula
        {
            self.map_grid = None;
            self.surface_grid = None;
            self.raster = None;
        }
        self.experiment = e;
        self.traces = traces;
        self.upto = None;
        self.basin = None;
    }

    /// The objective being minimized (a typed formula that no longer parses cannot be the
    /// current experiment: `set_experiment` validated it, so the fallback is never reached).
    fn objective(&self) -> Box<dyn crate::problem::Objective> {
        self.experiment
            .objective()
            .unwrap_or_else(|_| SurfaceId::Peaks.objective())
    }

    fn view_box(&self) -> ViewBox {
        self.experiment.view.view_box
    }

    /// The map's grid over `shown` (the view box grown to equal scales): as fine as
    /// [`MAP_GRID`] points across the view box, at most twice as many points in all.
    fn map_grid(&mut self, shown: ViewBox) -> std::rc::Rc<Grid> {
        let v = self.view_box();
        let rx = ((shown.x_max - shown.x_min) / (v.x_max - v.x_min)).max(1.0);
        let ry = ((shown.y_max - shown.y_min) / (v.y_max - v.y_min)).max(1.0);
        let cap = (2.0 / (rx * ry)).sqrt().min(1.0);
        let base = if self.draft { DRAFT_MAP_GRID } else { MAP_GRID };
        let n = |r: f64| ((base as f64 * r * cap).round() as usize).max(base / 2);
        let (nx, ny) = (n(rx), n(ry));
        if self.map_grid.as_ref().map(|g| (g.view, g.nx, g.ny)) != Some((shown, nx, ny)) {
            let f = self.objective();
            self.map_grid = Some(std::rc::Rc::new(Grid::sample(f.as_ref(), shown, nx, ny)));
            // The cached heat map was coloured from the old grid (the same plot area may now show
            // a full-resolution grid after a draft one).
            self.raster = None;
        }
        self.map_grid.clone().expect("just set")
    }

    /// What the contour map shows over the surface.
    /// The run the lens follows: the first whose shown iterate is on the map (else the first).
    fn lens_trace(&self) -> Option<&Trace> {
        let v = self.experiment.view.view_box;
        let k = self.step();
        self.traces
            .iter()
            .find(|t| {
                t.iterates
                    .get(k.min(t.iterates.len() - 1))
                    .is_some_and(|r| {
                        r.x.len() == 2
                            && (v.x_min..=v.x_max).contains(&r.x[0])
                            && (v.y_min..=v.y_max).contains(&r.x[1])
                    })
            })
            .or(self.traces.first())
    }

    /// The lens at the shown iterate of [`SurfaceLab::lens_trace`].
    fn lens_here(&self) -> Option<crate::lab::teach::lens::Lens> {
        let t = self.lens_trace()?;
        let r = t.iterates.get(self.step().min(t.iterates.len() - 1))?;
        let objective = self.experiment.objective().ok()?;
        let x = [*r.x.first()?, *r.x.get(1)?];
        crate::lab::teach::lens::Lens::at(objective.as_ref(), self.experiment.gradient, x)
    }

    fn overlay<'a>(&'a self, marks: &'a [(f64, f64)]) -> MapOverlay<'a> {
        MapOverlay {
            traces: &self.traces,
            upto: self.upto,
            lengths: &[],
            marks,
            axes: ("x", "y"),
            value: "f(x, y)",
            equal_scale: Some(self.view_box()),
        }
    }

    fn surface_grid(&mut self) -> std::rc::Rc<Grid> {
        let n = if self.draft {
            DRAFT_SURFACE_GRID
        } else {
            SURFACE_GRID
        };
        if self.surface_grid.as_ref().map(|g| g.nx) != Some(n) {
            let f = self.objective();
            self.surface_grid = Some(std::rc::Rc::new(Grid::sample(
                f.as_ref(),
                self.view_box(),
                n,
                n,
            )));
        }
        self.surface_grid.clone().expect("just set")
    }

    fn summary_data(&self) -> Summary<'_> {
        Summary {
            surface: self.experiment.surface,
            surface_name: self.experiment.surface.name(),
            formula: self.experiment.formula_text(),
            start: self.experiment.start,
            solvers: self
                .traces
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let last = t.last();
                    let c = crate::plot::SOLVER_COLORS[i % crate::plot::SOLVER_COLORS.len()];
                    RunSummary {
                        solver: &t.solver,
                        color: format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2),
                        x: &last.x,
                        f: last.f,
                        grad_norm: last.grad_norm,
                        iterations: t.iterations(),
                        stop: &t.stop,
                        stop_label: t.stop.label(),
                        converged: t.stop.is_converged(),
                        outside_view: {
                            let v = self.experiment.view.view_box;
                            !(v.x_min..=v.x_max).contains(&last.x[0])
                                || !(v.y_min..=v.y_max).contains(&last.x[1])
                        },
                        f_evals: t.f_evals,
                        g_evals: t.g_evals,
                        h_evals: t.h_evals,
                    }
                })
                .collect(),
        }
    }
}

impl crate::web::view::teach::Taught for SurfaceLab {
    fn run_view(&self) -> crate::lab::teach::run::RunView<'_> {
        crate::lab::teach::run::RunView::Surfaces {
            experiment: &self.experiment,
            traces: &self.traces,
        }
    }
}

/// Accessibility (issue 16): the plots as text and the run's announcement (src/lab/describe.rs).
#[wasm_bindgen]
impl SurfaceLab {
    /// The text description of the plot on canvas `canvas_id` (`contour`, `surface3d`,
    /// `convergence`) for the runs shown; empty for another id.
    pub fn describe(&self, canvas_id: &str) -> String {
        crate::i18n::say_sentences(
            crate::plot::language(),
            &crate::lab::describe::surfaces_sentences(
                canvas_id,
                &self.experiment,
                &self.traces,
                self.upto,
            ),
        )
    }

    /// One short sentence for the page's live region: "Run finished: … converged in 21 iterations".
    pub fn announce(&self) -> String {
        crate::i18n::say(
            crate::plot::language(),
            &crate::lab::describe::announce(&self.traces),
        )
    }

    /// Run `index` as sound (`{notes: [{start, duration, freq, gain}], iterations, ending,
    /// seconds}`, see [`crate::lab::sound`]), about `seconds` long; `null` without that run.
    pub fn melody(&self, index: usize, seconds: f64) -> JsValue {
        match self.traces.get(index) {
            Some(t) => to_js(&crate::lab::sound::melody(t, seconds)),
            None => JsValue::NULL,
        }
    }
}

/// Accessibility (issue 16): choosing a start point on the map without a pointer. The page sends
/// keys as steps; Rust keeps the cursor in data coordinates, draws it (a crosshair) and says where
/// it is.
#[wasm_bindgen]
impl SurfaceLab {
    /// Enters "choose start" mode with the cursor at the current start point (moved into the view
    /// box if outside); returns what to announce.
    pub fn cursor_begin(&mut self) -> String {
        let v = self.view_box();
        let s = self.latest().start;
        self.cursor = Some([s[0].clamp(v.x_min, v.x_max), s[1].clamp(v.y_min, v.y_max)]);
        crate::i18n::say_sentences(
            crate::plot::language(),
            &[
                format!("Choose a start point: {}.", self.cursor_text_en()),
                "Arrow keys move it, Shift moves further, Enter starts there, Escape cancels."
                    .to_string(),
            ],
        )
    }

    /// Moves the cursor by (dx, dy) steps of 1/40 of the view box's width and height (+y is up),
    /// kept inside the view box; returns where it is now ("" when not choosing).
    pub fn cursor_move(&mut self, dx: f64, dy: f64) -> String {
        let v = self.view_box();
        let Some([x, y]) = self.cursor else {
            return String::new();
        };
        let (sx, sy) = ((v.x_max - v.x_min) / 40.0, (v.y_max - v.y_min) / 40.0);
        let step = |a: f64| if a.is_finite() { a } else { 0.0 };
        self.cursor = Some([
            (x + step(dx) * sx).clamp(v.x_min, v.x_max),
            (y + step(dy) * sy).clamp(v.y_min, v.y_max),
        ]);
        self.cursor_text()
    }

    /// The cursor as `[x, y]` while choosing a start point, else `undefined`.
    pub fn cursor(&self) -> Option<Vec<f64>> {
        self.cursor.map(|c| c.to_vec())
    }

    /// Starts every solver from the cursor (rounded to 4 decimals, as a click is) and leaves
    /// "choose start" mode; `false` if not choosing or the run is refused.
    pub fn cursor_commit(&mut self) -> bool {
        let Some([x, y]) = self.cursor.take() else {
            return false;
        };
        let mut e = self.latest().clone();
        e.start = [(x * 1e4).round() / 1e4, (y * 1e4).round() / 1e4];
        self.set_experiment(e).is_ok()
    }

    /// Leaves "choose start" mode without a run.
    pub fn cursor_cancel(&mut self) {
        self.cursor = None;
    }
}

impl SurfaceLab {
    /// "cursor at (x, y), f = v" in the page's language.
    fn cursor_text(&self) -> String {
        crate::i18n::say(crate::plot::language(), &self.cursor_text_en())
    }

    /// "cursor at (x, y), f = v".
    fn cursor_text_en(&self) -> String {
        use crate::lab::describe::{num, point};
        match self.cursor {
            Some(c) => format!(
                "cursor at {}, f = {}",
                point(&c),
                num(self.objective().value(&c))
            ),
            None => String::new(),
        }
    }
}
