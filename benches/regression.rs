//! One batch-GD epoch and one SGD epoch on 10⁶ samples × 10 features, against the time to stream
//! the data once (sum of every value).
//!
//! `cargo bench --bench regression`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use gradlab::solver::minibatch::{EpochBench, Shuffle};

fn epochs(c: &mut Criterion) {
    let mut b = EpochBench::new(1_000_000, 10, 1);
    let mut g = c.benchmark_group("epoch_1e6x10");
    g.sample_size(20);
    g.bench_function("stream_sum", |bch| bch.iter(|| black_box(b.stream())));
    g.bench_function("batch_gd", |bch| bch.iter(|| black_box(b.gd_epoch(1e-3))));
    for m in [32usize, 256] {
        g.bench_function(format!("sgd_m{m}_in_order"), |bch| {
            bch.iter(|| black_box(b.sgd_epoch(1e-4, m, Shuffle::None)))
        });
        g.bench_function(format!("sgd_m{m}_shuffle_batches"), |bch| {
            bch.iter(|| black_box(b.sgd_epoch(1e-4, m, Shuffle::Batches)))
        });
        g.bench_function(format!("sgd_m{m}_shuffle_samples"), |bch| {
            bch.iter(|| black_box(b.sgd_epoch(1e-4, m, Shuffle::Samples)))
        });
    }
    g.finish();
}

criterion_group!(benches, epochs);
criterion_main!(benches);
