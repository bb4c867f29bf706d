//! Deterministic draws: ChaCha8 (a portable, specified stream) plus our own sampling, with only
//! IEEE-exact arithmetic and the pure-Rust `libm`, so the same seed gives the same bits on any
//! machine and any compiler.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// A random stream for one purpose (categories, brands, products…).
pub struct Draw(ChaCha8Rng);

impl Draw {
    /// The stream `purpose` of seed `seed`; different purposes never share draws.
    pub fn new(seed: u64, purpose: u64) -> Draw {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[8..16].copy_from_slice(&purpose.to_le_bytes());
        key[16..].copy_from_slice(b"bakeoff-dataset!");
        Draw(ChaCha8Rng::from_seed(key))
    }

    /// Stream `stream` of purpose `purpose` (ChaCha's own stream counter): one independent
    /// stream per item, so that item `stream`'s draws depend on nothing but the seed and its
    /// number — not on which thread or machine draws it, nor on what was drawn before.
    pub fn stream(seed: u64, purpose: u64, stream: u64) -> Draw {
        let mut draw = Draw::new(seed, purpose);
        draw.0.set_stream(stream);
        draw
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in `0..n` (n > 0), without modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A standard normal draw (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
    }

    /// An exponential draw with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -libm::log(1.0 - self.unit()) * mean
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i as u64 + 1) as usize);
        }
    }
}

/// A Zipf distribution over ranks `0..n`: rank k has weight 1 / (k + 1)^s.
pub struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    pub fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|k| {
                total += 1.0 / libm::pow(k as f64, s);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    /// A rank in `0..n`.
    pub fn sample(&self, draw: &mut Draw) -> usize {
        let target = draw.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        self.cumulative.partition_point(|&c| c <= target).min(self.cumulative.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_and_purpose_give_the_same_stream() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut d = Draw::new(42, 1);
                move |_| d.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut d = Draw::new(42, 1);
                move |_| d.next_u64()
            })
            .collect();
        let c: Vec<u64> = (0..5)
            .map({
                let mut d = Draw::new(42, 2);
                move |_| d.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut draw = Draw::new(1, 0);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            seen[draw.below(7) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn zipf_puts_most_weight_on_the_first_ranks() {
        let zipf = Zipf::new(1000, 1.1);
        let mut draw = Draw::new(3, 0);
        let mut counts = vec![0u32; 1000];
        for _ in 0..20_000 {
            counts[zipf.sample(&mut draw)] += 1;
        }
        assert!(counts[0] > counts[9] * 5, "rank 1 {} vs rank 10 {}", counts[0], counts[9]);
        let top_ten: u32 = counts[..10].iter().sum();
        assert!(top_ten > 20_000 / 3, "top ten ranks drew {top_ten}");
    }

    #[test]
    fn normal_draws_have_mean_near_zero_and_unit_spread() {
        let mut draw = Draw::new(9, 0);
        let xs: Vec<f64> = (0..20_000).map(|_| draw.normal()).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / xs.len() as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }
}
