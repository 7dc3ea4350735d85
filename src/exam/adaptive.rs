//! The adaptive core shared by the real exam and by simulation: which items have been
//! given, the running posterior, the stopping rule, and choosing the next item.
//!
//! Keeping this one piece of code for both is what makes `labcert simulate` a faithful
//! test of the exam: simulated candidates go through the same selection and estimation.

use rand::Rng;

use super::blueprint::{Blueprint, Delivery, Length, Stop};
use crate::bank::Area;
use crate::cat::{self, AreaTargets, Pool};
use crate::irt::{Estimate, Grid, Posterior};

/// Probabilities of a correct answer for every pool item at every grid point, so a
/// posterior update is a multiplication instead of a logistic evaluation (simulation).
pub struct GridTable {
    probs: Vec<f64>,
    width: usize,
}

impl GridTable {
    pub fn new(pool: &Pool, grid: &Grid) -> GridTable {
        let mut probs = Vec::with_capacity(pool.len() * grid.len());
        for p in pool.all_params() {
            probs.extend(grid.points().iter().map(|&x| p.prob(x)));
        }
        GridTable {
            probs,
            width: grid.len(),
        }
    }

    fn row(&self, item: usize) -> &[f64] {
        &self.probs[item * self.width..(item + 1) * self.width]
    }
}

/// What ended an adaptive exam.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The fixed length, or a variable exam's maximum, was reached.
    Length,
    /// The standard error fell to the blueprint's `StandardError` bound.
    StandardError,
    /// The confidence interval cleared the passing standard (`Confidence`).
    Confidence,
}

impl StopReason {
    /// How a result states it.
    pub fn describe(self) -> &'static str {
        match self {
            StopReason::Length => "length",
            StopReason::StandardError => "standard-error",
            StopReason::Confidence => "confidence",
        }
    }
}

/// One candidate's adaptive exam in progress.
pub struct Adaptive<'p> {
    pool: &'p Pool,
    table: Option<&'p GridTable>,
    targets: AreaTargets,
    length: Length,
    passing_theta: f64,
    start_theta: f64,
    posterior: Posterior<'p>,
    used: Vec<bool>,
    counts: [usize; 7],
    given: usize,
    answered: usize,
    /// Sympson-Hetter exposure control, when the exam has exposure parameters.
    exposure: Option<cat::Exposure<'p>>,
}

impl<'p> Adaptive<'p> {
    pub fn new(
        blueprint: &Blueprint,
        pool: &'p Pool,
        grid: &'p Grid,
        table: Option<&'p GridTable>,
    ) -> Self {
        let start_theta = match blueprint.delivery {
            Delivery::Adaptive { start_theta } => start_theta,
            Delivery::Linear => blueprint.passing_theta,
        };
        Adaptive {
            pool,
            table,
            targets: blueprint.targets(),
            length: blueprint.length,
            passing_theta: blueprint.passing_theta,
            start_theta,
            posterior: Posterior::new(grid),
            used: vec![false; pool.len()],
            counts: [0; 7],
            given: 0,
            answered: 0,
            exposure: None,
        }
    }

    /// Turns on Sympson-Hetter exposure control with these probabilities (one per pool
    /// item).
    pub fn with_exposure(mut self, k: &'p [f64]) -> Self {
        if k.len() == self.pool.len() {
            self.exposure = Some(cat::Exposure::new(k));
        }
        self
    }

    /// Every item chosen so far, given or set aside by the exposure lottery.
    pub fn chosen(&self) -> &[usize] {
        self.exposure.as_ref().map_or(&[], |e| e.chosen.as_slice())
    }

    /// The posterior probability that the ability is at or above `cut`: the exam's
    /// probability of passing.
    pub fn prob_above(&self, cut: f64) -> f64 {
        self.posterior.prob_above(cut)
    }

    /// The current EAP estimate (the prior before any answer).
    pub fn estimate(&self) -> Estimate {
        self.posterior.estimate()
    }

    /// Whether the exam is over: the fixed length reached, or the variable-length rule met.
    pub fn finished(&self) -> bool {
        self.stopped_by().is_some()
    }

    /// What ends the exam now, if anything does.
    pub fn stopped_by(&self) -> Option<StopReason> {
        match self.length {
            Length::Fixed(n) => (self.given >= n).then_some(StopReason::Length),
            Length::Variable { min, max, stop } => {
                if self.given >= max {
                    return Some(StopReason::Length);
                }
                if self.answered < min {
                    return None;
                }
                let e = self.estimate();
                let met = match stop {
                    Stop::StandardError(se) => e.se <= se,
                    Stop::Confidence(level) => {
                        let z = normal_quantile(0.5 + level / 2.0);
                        e.theta - z * e.se > self.passing_theta
                            || e.theta + z * e.se < self.passing_theta
                    }
                };
                met.then_some(match stop {
                    Stop::StandardError(_) => StopReason::StandardError,
                    Stop::Confidence(_) => StopReason::Confidence,
                })
            }
        }
    }

    /// Chooses, records as given, and returns the next item; `None` when the exam is over
    /// or the pool has nothing left.
    pub fn select<R: Rng + ?Sized>(
        &mut self,
        recent: &dyn Fn(usize) -> bool,
        rng: &mut R,
    ) -> Option<usize> {
        let item = self.choose(recent, rng)?;
        self.mark_given(item);
        Some(item)
    }

    /// Chooses the next item without recording it as given: the exposure lottery's
    /// outcomes (items set aside for the rest of the exam) are kept. A resumed exam
    /// replays its earlier choices this way so that what was set aside stays aside.
    pub fn choose<R: Rng + ?Sized>(
        &mut self,
        recent: &dyn Fn(usize) -> bool,
        rng: &mut R,
    ) -> Option<usize> {
        if self.finished() {
            return None;
        }
        let theta = if self.answered == 0 {
            self.start_theta
        } else {
            self.estimate().theta
        };
        let used = &self.used;
        let at = cat::Progress {
            theta,
            counts: &self.counts,
            given: self.given,
            length: self.length.max(),
        };
        cat::select_next(
            self.pool,
            &self.targets,
            &at,
            &|i| used[i],
            recent,
            self.exposure.as_mut(),
            rng,
        )
    }

    /// Records `item` as given without choosing it (resuming a stored exam).
    pub fn mark_given(&mut self, item: usize) {
        self.used[item] = true;
        // An item's enemies cue or answer it: none of them is given in this exam.
        for e in self.pool.enemies(item) {
            self.used[e] = true;
        }
        self.counts[area_slot(self.pool.area(item))] += 1;
        self.given += 1;
    }

    /// Takes an answer to a given item into the estimate.
    pub fn record(&mut self, item: usize, correct: bool) {
        match self.table {
            Some(t) => self.posterior.update_with(t.row(item), correct),
            None => self.posterior.update(self.pool.params(item), correct),
        }
        self.answered += 1;
    }
}

fn area_slot(area: Area) -> usize {
    Area::ALL.iter().position(|a| *a == area).unwrap_or(0)
}

/// The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    if p < 0.02425 {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - 0.02425 {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::irt::ItemParams;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn enemies_never_share_an_adaptive_exam() {
        // 300 items in 150 enemy pairs of equal difficulty: without the rule, selection
        // would take both members of many pairs.
        let mut pool = Pool::new((0..300).map(|i| {
            (
                ItemParams::rasch(-3.0 + 6.0 * ((i / 2) as f64) / 150.0),
                Area::ALL[(i / 2) % 7],
            )
        }));
        pool.set_enemies((0..150).map(|k| (2 * k, 2 * k + 1)));
        let bp = crate::exam::blueprint::shipped("ascp-mls").unwrap();
        let grid = Grid::standard();
        for seed in 0..20 {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let mut exam = Adaptive::new(&bp, &pool, &grid, None);
            let mut given = Vec::new();
            while let Some(i) = exam.select(&|_| false, &mut rng) {
                given.push(i);
                exam.record(i, rng.random::<bool>());
            }
            assert_eq!(given.len(), 100);
            for k in 0..150 {
                assert!(
                    !(given.contains(&(2 * k)) && given.contains(&(2 * k + 1))),
                    "seed {seed}: items {} and {} share an exam",
                    2 * k,
                    2 * k + 1
                );
            }
        }
    }

    #[test]
    fn normal_quantiles_match_tables() {
        // Standard normal table values.
        for (p, z) in [
            (0.975, 1.959_963_985),
            (0.5, 0.0),
            (0.95, 1.644_853_627),
            (0.01, -2.326_347_874),
        ] {
            assert!((normal_quantile(p) - z).abs() < 1e-8, "{p}");
        }
    }
}
