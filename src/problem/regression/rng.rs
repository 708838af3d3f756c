//! A small deterministic random-number generator: xoshiro256** seeded by SplitMix64.
//!
//! Same seed → same stream on every platform (native and wasm32); no global state, no OS entropy.
//! Reference: Blackman & Vigna, "Scrambled linear pseudorandom number generators" (2021);
//! normals by the Box–Muller transform; bounded integers by Lemire's multiply-shift rejection.

/// xoshiro256** state.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
    /// A cached second Box–Muller normal.
    spare: Option<f64>,
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator from a 64-bit seed (expanded by SplitMix64, as the xoshiro authors recommend).
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng { s, spare: None }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in 0..n (n > 0), unbiased (Lemire 2019).
    pub fn below(&mut self, n: u64) -> u64 {
        // The threshold 2⁶⁴ mod n (a 64-bit division) is only needed when the low word is below
        // n, which is rare; computing it lazily gives exactly the same draws.
        let mut m = (self.next_u64() as u128) * (n as u128);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = (self.next_u64() as u128) * (n as u128);
            }
        }
        (m >> 64) as u64
    }

    /// Standard normal N(0, 1) by Box–Muller: √(−2 ln u₁)·(cos 2πu₂, sin 2πu₂).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let u1 = 1.0 - self.uniform(); // (0, 1]: ln is finite
        let u2 = self.uniform();
        let r = (-2.0 * crate::math::ln(u1)).sqrt();
        let a = std::f64::consts::TAU * u2;
        let (s, c) = (crate::math::sin(a), crate::math::cos(a));
        self.spare = Some(r * s);
        r * c
    }

    /// Fisher–Yates shuffle in place.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_reference() {
        // SplitMix64 from state 0: the first outputs of Vigna's reference splitmix64.c
        // (0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f).
        let mut s = 0u64;
        assert_eq!(splitmix64(&mut s), 0xe220_a839_7b1d_cdaf);
        assert_eq!(splitmix64(&mut s), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(splitmix64(&mut s), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn moments_and_uniformity() {
        let mut r = Rng::new(42);
        let n = 200_000;
        let (mut s1, mut s2) = (0.0, 0.0);
        for _ in 0..n {
            let z = r.normal();
            s1 += z;
            s2 += z * z;
        }
        let mean = s1 / n as f64;
        let var = s2 / n as f64 - mean * mean;
        // Standard errors: mean ±1/√n ≈ 0.0022, variance ±√(2/n) ≈ 0.0032.
        assert!(
            mean.abs() < 0.01 && (var - 1.0).abs() < 0.015,
            "{mean} {var}"
        );
        let mut counts = [0usize; 7];
        for _ in 0..70_000 {
            counts[r.below(7) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_500..10_500).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn same_seed_same_stream() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let mut v: Vec<u32> = (0..50).collect();
        let mut w = v.clone();
        a.shuffle(&mut v);
        b.shuffle(&mut w);
        assert_eq!(v, w);
        assert_ne!(v, (0..50).collect::<Vec<_>>());
    }

    /// `below` computes Lemire's threshold lazily; the draws must be exactly those of the eager
    /// form (shuffles behind existing permalinks depend on them).
    #[test]
    fn lazy_threshold_gives_the_eager_draws() {
        fn eager(r: &mut Rng, n: u64) -> u64 {
            let threshold = n.wrapping_neg() % n;
            loop {
                let m = (r.next_u64() as u128) * (n as u128);
                if (m as u64) >= threshold {
                    return (m >> 64) as u64;
                }
            }
        }
        // Large n (near 2⁶³ and 2⁶⁴) make rejections frequent, so both branches are exercised.
        for &n in &[
            1u64,
            2,
            3,
            7,
            1000,
            1 << 40,
            (1 << 63) + 1,
            u64::MAX - 1,
            u64::MAX,
        ] {
            let (mut a, mut b) = (Rng::new(n), Rng::new(n));
            for _ in 0..20_000 {
                assert_eq!(a.below(n), eager(&mut b, n), "n = {n}");
            }
        }
    }
}
