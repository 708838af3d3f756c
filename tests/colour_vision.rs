//! The solver colours stay distinguishable under the common colour-vision deficiencies (issue 16):
//! every pair of the first 8 colours, simulated for protanopia and deuteranopia with the Machado,
//! Oliveira & Fernandes (2009) matrices at severity 1.0 (applied in linear sRGB), is at least
//! ΔE*ab (CIE76) 10 apart in CIELAB (D65) — and so is every pair seen with normal vision.

use gradlab::plot::{set_theme, solver_color, solver_line_color, Theme};
use plotters::style::RGBColor;

const PROTANOPIA: [[f64; 3]; 3] = [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
];
const DEUTERANOPIA: [[f64; 3]; 3] = [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.011820, 0.042940, 0.968881],
];
const NORMAL: [[f64; 3]; 3] = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];

fn linear(c: u8) -> f64 {
    let c = c as f64 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// CIELAB (D65) of a linear-sRGB colour.
fn lab([r, g, b]: [f64; 3]) -> [f64; 3] {
    let x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
    let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    let z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
    let f = |t: f64| {
        let d: f64 = 6.0 / 29.0;
        if t > d.powi(3) {
            t.cbrt()
        } else {
            t / (3.0 * d * d) + 4.0 / 29.0
        }
    };
    let (fx, fy, fz) = (f(x / 0.95047), f(y), f(z / 1.08883));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

fn simulate(m: &[[f64; 3]; 3], c: RGBColor) -> [f64; 3] {
    let l = [linear(c.0), linear(c.1), linear(c.2)];
    let row = |k: usize| (m[k][0] * l[0] + m[k][1] * l[1] + m[k][2] * l[2]).clamp(0.0, 1.0);
    lab([row(0), row(1), row(2)])
}

fn delta_e(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

#[test]
fn solver_colours_stay_apart_under_protanopia_and_deuteranopia() {
    // The map's colours and the line colours on the plain background, in both themes.
    for theme in [Theme::Light, Theme::Dark] {
        set_theme(theme);
        check_apart(&format!("{theme:?} map"), solver_color);
        check_apart(&format!("{theme:?} lines"), solver_line_color);
    }
    set_theme(Theme::Light);
}

fn check_apart(what: &str, color: impl Fn(usize) -> RGBColor) {
    let mut worst = (f64::INFINITY, "", 0, 0);
    for (name, m) in [
        ("protanopia", &PROTANOPIA),
        ("deuteranopia", &DEUTERANOPIA),
        ("normal vision", &NORMAL),
    ] {
        for i in 0..8 {
            for j in i + 1..8 {
                let d = delta_e(simulate(m, color(i)), simulate(m, color(j)));
                if d < worst.0 {
                    worst = (d, name, i, j);
                }
            }
        }
    }
    assert!(
        worst.0 >= 10.0,
        "{what}: solver colours {} and {} are only ΔE {:.1} apart under {}",
        worst.2,
        worst.3,
        worst.0,
        worst.1
    );
}

#[test]
fn the_simulation_merges_red_and_green_as_it_should() {
    // A check of the check: pure red and green, far apart for normal vision, come close for a
    // deuteranope (the pair the simulation exists to catch).
    let lab_of = |m: &[[f64; 3]; 3], c: [f64; 3]| {
        let row = |k: usize| (m[k][0] * c[0] + m[k][1] * c[1] + m[k][2] * c[2]).clamp(0.0, 1.0);
        lab([row(0), row(1), row(2)])
    };
    let (red, green) = ([1.0, 0.0, 0.0], [0.0, 0.5, 0.0]);
    let normal = delta_e(lab_of(&NORMAL, red), lab_of(&NORMAL, green));
    let deut = delta_e(lab_of(&DEUTERANOPIA, red), lab_of(&DEUTERANOPIA, green));
    assert!(normal > 80.0 && deut < normal / 3.0, "{normal} {deut}");
}
