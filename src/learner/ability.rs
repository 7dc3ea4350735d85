//! Weak-area tracking: a running ability estimate per content area and per topic, on the
//! same IRT scale as the exams, with recent answers weighted more than old ones.
//!
//! **Recency weighting.** An answer given `t` days ago counts with weight 0.5^(t / 30):
//! its log-likelihood is multiplied by that weight (a power posterior). With a 30-day
//! half-life, last week's practice counts about 85%, last month's 50%, and work from three
//! months ago 12%: a candidate who has improved sees it, and a long break lets old
//! evidence fade without erasing it.
//!
//! Exponential weights can be kept incrementally: the state holds the weighted
//! log-likelihood over the quadrature grid; moving it forward by `dt` multiplies it by
//! 0.5^(dt/30), and each new answer adds its log-likelihood. So the estimate after every
//! answer costs 121 multiplications, however long the history. The estimate is EAP with
//! the standard normal prior, like the exams.

use crate::irt::{Estimate, Estimator, Grid, ItemParams};

/// Days for an answer's weight to halve.
pub const HALF_LIFE_DAYS: f64 = 30.0;
const MS_PER_DAY: f64 = 86_400_000.0;

/// The weighted evidence about one area's or topic's ability.
#[derive(Debug, Clone, PartialEq)]
pub struct AbilityState {
    /// Weighted log-likelihood at each grid point, as of `as_of_ms`.
    pub loglik: Vec<f64>,
    /// The sum of the answers' weights as of `as_of_ms` (an effective number of answers).
    pub weight: f64,
    /// How many answers, unweighted.
    pub count: u64,
    pub as_of_ms: i64,
}

/// The weight at `now` of something recorded at `then`.
pub fn decay(then_ms: i64, now_ms: i64) -> f64 {
    let days = (now_ms - then_ms).max(0) as f64 / MS_PER_DAY;
    0.5f64.powf(days / HALF_LIFE_DAYS)
}

impl AbilityState {
    pub fn new(grid: &Grid, now_ms: i64) -> AbilityState {
        AbilityState {
            loglik: vec![0.0; grid.len()],
            weight: 0.0,
            count: 0,
            as_of_ms: now_ms,
        }
    }

    /// Moves the state forward to `now`, fading the evidence.
    pub fn advance(&mut self, now_ms: i64) {
        if now_ms <= self.as_of_ms {
            return;
        }
        let f = decay(self.as_of_ms, now_ms);
        for l in &mut self.loglik {
            *l *= f;
        }
        self.weight *= f;
        self.as_of_ms = now_ms;
    }

    /// Adds (or with `sign = -1.0` removes) an answer given at `at_ms`, seen from now.
    pub fn add(
        &mut self,
        grid: &Grid,
        item: &ItemParams,
        correct: bool,
        at_ms: i64,
        now_ms: i64,
        sign: f64,
    ) {
        self.advance(now_ms);
        let w = sign * decay(at_ms, self.as_of_ms);
        for (l, &x) in self.loglik.iter_mut().zip(grid.points()) {
            let p = item.prob(x).clamp(1e-12, 1.0 - 1e-12);
            *l += w * if correct { p.ln() } else { (1.0 - p).ln() };
        }
        self.weight = (self.weight + w).max(0.0);
        if sign > 0.0 {
            self.count += 1;
        } else {
            self.count = self.count.saturating_sub(1);
        }
    }

    /// The posterior weights (prior × weighted likelihood) at `now`, normalised.
    fn posterior(&self, grid: &Grid, now_ms: i64) -> Vec<f64> {
        let f = decay(self.as_of_ms, now_ms.max(self.as_of_ms));
        let prior = crate::irt::Posterior::new(grid);
        let base = prior.weights();
        let logs: Vec<f64> = self.loglik.iter().map(|l| l * f).collect();
        let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut w: Vec<f64> = base
            .iter()
            .zip(&logs)
            .map(|(b, l)| b * (l - top).exp())
            .collect();
        let sum: f64 = w.iter().sum();
        if sum > 0.0 {
            for x in &mut w {
                *x /= sum;
            }
        }
        w
    }

    /// The EAP estimate at `now`.
    pub fn estimate(&self, grid: &Grid, now_ms: i64) -> Estimate {
        let w = self.posterior(grid, now_ms);
        let mean: f64 = w.iter().zip(grid.points()).map(|(w, x)| w * x).sum();
        let var: f64 = w
            .iter()
            .zip(grid.points())
            .map(|(w, x)| w * (x - mean) * (x - mean))
            .sum();
        Estimate {
            theta: mean,
            se: var.max(0.0).sqrt(),
            method: Estimator::Eap,
            at_bound: false,
        }
    }

    /// The posterior probability that ability is below `cut` at `now`.
    pub fn prob_below(&self, grid: &Grid, now_ms: i64, cut: f64) -> f64 {
        let w = self.posterior(grid, now_ms);
        // Half the weight of a point exactly at the cut on either side (grid resolution 0.1).
        w.iter()
            .zip(grid.points())
            .map(|(w, &x)| {
                if x < cut - 1e-9 {
                    *w
                } else if (x - cut).abs() <= 1e-9 {
                    w / 2.0
                } else {
                    0.0
                }
            })
            .sum()
    }

    /// The state as bytes for the store (little-endian f64s).
    pub fn loglik_bytes(&self) -> Vec<u8> {
        self.loglik.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    pub fn from_bytes(
        bytes: &[u8],
        weight: f64,
        count: u64,
        as_of_ms: i64,
        grid: &Grid,
    ) -> AbilityState {
        let mut loglik: Vec<f64> = bytes
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        // A state saved on another grid (never in practice) starts afresh rather than misread.
        if loglik.len() != grid.len() {
            loglik = vec![0.0; grid.len()];
        }
        AbilityState {
            loglik,
            weight,
            count,
            as_of_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::irt::{Posterior, eap};

    const DAY: i64 = 86_400_000;

    #[test]
    fn fresh_answers_give_the_plain_eap() {
        let grid = Grid::standard();
        let mut s = AbilityState::new(&grid, 0);
        let pattern: Vec<(ItemParams, bool)> = (0..20)
            .map(|k| (ItemParams::rasch(f64::from(k % 5) - 2.0), k % 3 != 0))
            .collect();
        for (item, c) in &pattern {
            s.add(&grid, item, *c, 0, 0, 1.0);
        }
        let a = s.estimate(&grid, 0);
        let b = eap(&pattern, &grid);
        assert!((a.theta - b.theta).abs() < 1e-9 && (a.se - b.se).abs() < 1e-9);
        let mut p = Posterior::new(&grid);
        for (item, c) in &pattern {
            p.update(item, *c);
        }
        assert!((s.prob_below(&grid, 0, 0.0) - (1.0 - p.prob_above(0.0))).abs() < 0.02);
    }

    #[test]
    fn old_answers_count_half_after_the_half_life() {
        let grid = Grid::standard();
        let item = ItemParams::rasch(0.0);
        // Ten wrong answers 30 days ago equal five wrong answers today.
        let mut old = AbilityState::new(&grid, 0);
        for _ in 0..10 {
            old.add(&grid, &item, false, 0, 0, 1.0);
        }
        let mut fresh = AbilityState::new(&grid, 30 * DAY);
        for _ in 0..5 {
            fresh.add(&grid, &item, false, 30 * DAY, 30 * DAY, 1.0);
        }
        let a = old.estimate(&grid, 30 * DAY);
        let b = fresh.estimate(&grid, 30 * DAY);
        assert!((a.theta - b.theta).abs() < 1e-9, "{a:?} {b:?}");
        old.advance(30 * DAY);
        assert!((old.weight - 5.0).abs() < 1e-9);
    }

    #[test]
    fn removing_an_answer_undoes_it() {
        let grid = Grid::standard();
        let mut s = AbilityState::new(&grid, 0);
        s.add(&grid, &ItemParams::rasch(0.5), true, 0, 0, 1.0);
        let before = s.estimate(&grid, 5 * DAY);
        s.add(
            &grid,
            &ItemParams::rasch(-1.0),
            false,
            2 * DAY,
            2 * DAY,
            1.0,
        );
        s.add(
            &grid,
            &ItemParams::rasch(-1.0),
            false,
            2 * DAY,
            5 * DAY,
            -1.0,
        );
        let after = s.estimate(&grid, 5 * DAY);
        assert!((before.theta - after.theta).abs() < 1e-9);
    }

    #[test]
    fn bytes_round_trip() {
        let grid = Grid::standard();
        let mut s = AbilityState::new(&grid, 7);
        s.add(&grid, &ItemParams::rasch(0.1), true, 7, 7, 1.0);
        let back =
            AbilityState::from_bytes(&s.loglik_bytes(), s.weight, s.count, s.as_of_ms, &grid);
        assert_eq!(back, s);
    }
}
