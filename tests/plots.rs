//! Renders every plot natively into a pixel buffer and checks what is drawn.
//! (Text is not rasterized natively — plotters is built without a font engine — so these tests
//! check shapes and colours; the browser tests check the canvas with text.)

use gradlab::experiment::Experiment;
use gradlab::plot::surface::Camera;
use gradlab::plot::{
    contour::MapOverlay, draw_contour_map, draw_convergence, draw_surface, Grid, PlotStyle,
};
use gradlab::problem::surfaces::Peaks;
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// A bitmap backend that skips text (plotters natively has no font engine in this build), and
/// forwards every shape to plotters' BitMapBackend.
struct Textless<'a>(BitMapBackend<'a>);

type R<'a> = Result<(), DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>>;

impl<'a> DrawingBackend for Textless<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;
    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> R<'a> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> R<'a> {
        self.0.present()
    }
    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> R<'a> {
        self.0.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, s: &S) -> R<'a> {
        self.0.draw_line(a, b, s)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> R<'a> {
        self.0.draw_rect(a, b, s, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        p: I,
        s: &S,
    ) -> R<'a> {
        self.0.draw_path(p, s)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> R<'a> {
        self.0.draw_circle(c, r, s, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        p: I,
        s: &S,
    ) -> R<'a> {
        self.0.fill_polygon(p, s)
    }
    fn draw_text<T: BackendTextStyle>(&mut self, _: &str, _: &T, _: BackendCoord) -> R<'a> {
        Ok(())
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        s: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok((
            (text.chars().count() as f64 * s.size() * 0.6) as u32,
            s.size() as u32,
        ))
    }
}

fn area(buf: &mut [u8]) -> DrawingArea<Textless<'_>, plotters::coord::Shift> {
    Textless(BitMapBackend::with_buffer(buf, (W, H))).into_drawing_area()
}

const W: u32 = 480;
const H: u32 = 400;

/// With GRADLAB_PLOT_DIR set, saves the buffer as a PPM image there (to look at it).
fn save(name: &str, buf: &[u8]) {
    if let Ok(dir) = std::env::var("GRADLAB_PLOT_DIR") {
        let mut out = format!("P6 {W} {H} 255\n").into_bytes();
        out.extend_from_slice(buf);
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.ppm")), out).unwrap();
    }
}

fn pixel(buf: &[u8], x: i32, y: i32) -> (u8, u8, u8) {
    let o = ((y as u32 * W + x as u32) * 3) as usize;
    (buf[o], buf[o + 1], buf[o + 2])
}

fn count(buf: &[u8], pred: impl Fn((u8, u8, u8)) -> bool) -> usize {
    buf.chunks(3).filter(|c| pred((c[0], c[1], c[2]))).count()
}

#[test]
fn contour_map_shows_the_heat_map_extrema_and_the_trajectory() {
    let traces = Experiment::default().run().unwrap();
    let grid = Grid::sample(&Peaks, Peaks::VIEW, 90, 90);
    let mut buf = vec![0u8; (W * H * 3) as usize];
    let map = {
        let root = area(&mut buf);
        let overlay = MapOverlay {
            traces: &traces,
            ..Default::default()
        };
        draw_contour_map(&root, &grid, &overlay, &PlotStyle::default(), &mut |_| {
            false
        })
        .unwrap()
    };
    save("contour", &buf);
    // Find the pixel of a data point by scanning the inverse map (tests PixelMap both ways).
    let to_px = |x: f64, y: f64| {
        let (x0, x1) = map.x_px;
        let (y0, y1) = map.y_px;
        let px =
            x0 as f64 + (x - map.view.x_min) / (map.view.x_max - map.view.x_min) * (x1 - x0) as f64;
        let py =
            y0 as f64 + (map.view.y_max - y) / (map.view.y_max - map.view.y_min) * (y1 - y0) as f64;
        let back = map.to_data(px, py).unwrap();
        assert!((back.0 - x).abs() < 1e-9 && (back.1 - y).abs() < 1e-9);
        (px.round() as i32, py.round() as i32)
    };
    // Global max of peaks ≈ 8.1062 at (−0.0093, 1.5814): the top of viridis (yellow).
    let (px, py) = to_px(-0.0093, 1.5814);
    let (r, g, b) = pixel(&buf, px, py);
    assert!(
        r > 200 && g > 200 && b < 90,
        "max is yellow, got {:?}",
        (r, g, b)
    );
    // Global min ≈ −6.5511 at (0.2283, −1.6255): the bottom of viridis (dark purple).
    let (px, py) = to_px(0.2283, -1.6255 + 0.12); // just beside the end marker of the run
    let (r, g, b) = pixel(&buf, px, py);
    assert!(
        r < 90 && g < 60 && b > 70,
        "min is purple, got {:?}",
        (r, g, b)
    );
    // The trajectory (solver colour 0 = (255, 64, 64)) is drawn.
    assert!(count(&buf, |c| c == (255, 64, 64)) > 100);
    // The colour bar (right of the plot area) shows both ends of viridis.
    let bar_x = map.x_px.1 + 12;
    let top = pixel(&buf, bar_x, map.y_px.0 + 2);
    let bottom = pixel(&buf, bar_x, map.y_px.1 - 2);
    assert!(top.0 > 200 && top.1 > 200 && top.2 < 90, "bar top {top:?}");
    assert!(bottom.2 > 70 && bottom.0 < 90, "bar bottom {bottom:?}");
}

#[test]
fn surface_is_drawn_and_rotates() {
    let traces = Experiment::default().run().unwrap();
    let grid = Grid::sample(&Peaks, Peaks::VIEW, 40, 40);
    let render = |yaw: f64| {
        let mut buf = vec![0u8; (W * H * 3) as usize];
        {
            let root = area(&mut buf);
            draw_surface(
                &root,
                &grid,
                &traces,
                None,
                Camera { yaw, pitch: 0.45 },
                &PlotStyle::default(),
            )
            .unwrap();
        }
        buf
    };
    let a = render(0.6);
    let b = render(1.4);
    save("surface", &a);
    let coloured = count(&a, |(r, g, b)| !(r == g && g == b));
    assert!(
        coloured > (W * H / 12) as usize,
        "surface covers the chart: {coloured}"
    );
    assert!(count(&a, |c| c == (255, 64, 64)) > 20, "trajectory drawn");
    let differing = a.chunks(3).zip(b.chunks(3)).filter(|(p, q)| p != q).count();
    assert!(
        differing > (W * H / 10) as usize,
        "a new yaw gives a new picture"
    );
}

#[test]
fn convergence_plot_draws_each_run() {
    let traces = Experiment::default().run().unwrap();
    let mut buf = vec![255u8; (W * H * 3) as usize];
    {
        let root = area(&mut buf);
        draw_convergence(&root, &traces, None, &PlotStyle::default()).unwrap();
    }
    save("convergence", &buf);
    // Solver 0 on white is (214, 39, 40): solid f line plus dashed gradient line.
    assert!(count(&buf, |c| c == (214, 39, 40)) > 300);
}
