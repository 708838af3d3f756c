//! Stroking a long trajectory in Rust (`Rgba::stroke_paths`): a 20 000-step SGD-like path — an
//! approach, then every point a fresh draw in a 60-px cloud (each segment crosses it) — with the
//! halo and line pens of the loss map, at DPR 1 and 2.
//!
//! `cargo bench --bench drawing`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use gradlab::plot::raster::{Pen, Rgba};

fn cloud(n: usize, scale: f64) -> Vec<(f64, f64)> {
    let mut s = 12345u64;
    let mut r = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s % 10_000) as f64 / 10_000.0 - 0.5
    };
    (0..n)
        .map(|k| {
            if k < 2000 {
                let t = k as f64 / 2000.0;
                (
                    scale * (100.0 + 600.0 * t + 6.0 * r()),
                    scale * (600.0 - 400.0 * t + 6.0 * r()),
                )
            } else {
                (scale * (700.0 + 60.0 * r()), scale * (200.0 + 60.0 * r()))
            }
        })
        .collect()
}

fn stroke(c: &mut Criterion) {
    let mut g = c.benchmark_group("stroke_paths");
    g.sample_size(20);
    for scale in [1.0, 2.0] {
        let pens = [
            Pen {
                rgb: [0, 0, 0],
                alpha: 0.6,
                width: 4.0 * scale,
            },
            Pen {
                rgb: [255, 214, 0],
                alpha: 1.0,
                width: 2.0 * scale,
            },
        ];
        let clip = [0, 0, (1000.0 * scale) as i32, (700.0 * scale) as i32];
        let zig = vec![cloud(20_000, scale)];
        g.bench_function(format!("sgd_cloud_20000_dpr{scale}"), |b| {
            b.iter(|| black_box(Rgba::stroke_paths(&zig, clip, &pens)))
        });
    }
    g.finish();
}

criterion_group!(benches, stroke);
criterion_main!(benches);
