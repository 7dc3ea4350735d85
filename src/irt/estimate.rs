//! Ability estimation: EAP on a fixed quadrature grid (the default) and bounded MLE.
//!
//! **EAP** (expected a posteriori): the posterior mean of θ under a normal prior, and the
//! posterior standard deviation as the standard error, integrated by the trapezoid rule on
//! an equally spaced grid. The default grid is 121 points on [−6, 6]: a grid cut off at
//! ±4 misses the converged estimate by up to 0.26 logits on long all-right or all-wrong
//! patterns, while [−6, 6] stays within 0.0002 (see `../shared/exam-facts.md`).
//!
//! **MLE** (maximum likelihood): the θ in [−6, 6] that maximises the likelihood, found by
//! a search over a 0.01-logit grid and refined by golden-section search, with the standard
//! error 1/√I(θ̂). An all-right or all-wrong pattern has no finite MLE: labcert reports
//! the bound it hits (+6 or −6) and flags the estimate `at_bound`, and uses EAP (which is
//! always finite) for every decision during an exam.

use super::model::ItemParams;

/// Which estimator produced a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Estimator {
    Eap,
    Mle,
}

impl Estimator {
    pub fn name(self) -> &'static str {
        match self {
            Estimator::Eap => "EAP",
            Estimator::Mle => "MLE",
        }
    }
}

/// An ability estimate with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub theta: f64,
    pub se: f64,
    pub method: Estimator,
    /// MLE only: the likelihood was largest at the edge of the search range (an
    /// all-right or all-wrong pattern), so `theta` is the bound, not an estimate.
    pub at_bound: bool,
}

/// Quadrature points with the prior density and trapezoid weights folded together.
#[derive(Debug, Clone)]
pub struct Grid {
    points: Vec<f64>,
    /// prior density × trapezoid weight × step, at each point.
    prior: Vec<f64>,
    step: f64,
}

/// The default grid: 121 points on [−6, 6] (step 0.1).
pub const GRID_POINTS: usize = 121;
pub const GRID_BOUND: f64 = 6.0;

impl Grid {
    /// `n` equally spaced points on [lo, hi] with a N(mean, sd²) prior.
    pub fn new(lo: f64, hi: f64, n: usize, prior_mean: f64, prior_sd: f64) -> Grid {
        assert!(
            n >= 2 && hi > lo && prior_sd > 0.0,
            "a grid needs two points and a spread"
        );
        let step = (hi - lo) / (n - 1) as f64;
        let points: Vec<f64> = (0..n).map(|i| lo + step * i as f64).collect();
        let prior = points
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let z = (x - prior_mean) / prior_sd;
                let density =
                    (-0.5 * z * z).exp() / (prior_sd * (2.0 * std::f64::consts::PI).sqrt());
                let trapezoid = if i == 0 || i == n - 1 { 0.5 } else { 1.0 };
                density * trapezoid * step
            })
            .collect();
        Grid {
            points,
            prior,
            step,
        }
    }

    /// 121 points on [−6, 6] with a standard normal prior.
    pub fn standard() -> Grid {
        Grid::new(-GRID_BOUND, GRID_BOUND, GRID_POINTS, 0.0, 1.0)
    }

    pub fn points(&self) -> &[f64] {
        &self.points
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// An item's probability of a correct answer at every grid point (for callers that
    /// update many posteriors with the same items, such as simulation).
    pub fn probabilities(&self, item: &ItemParams) -> Vec<f64> {
        self.points.iter().map(|&x| item.prob(x)).collect()
    }
}

/// A posterior over the grid, updated one response at a time.
#[derive(Debug, Clone)]
pub struct Posterior<'g> {
    grid: &'g Grid,
    /// Posterior × quadrature weight at each point, rescaled so the largest is 1.
    weights: Vec<f64>,
}

impl<'g> Posterior<'g> {
    /// The prior alone.
    pub fn new(grid: &'g Grid) -> Self {
        let max = grid.prior.iter().copied().fold(0.0, f64::max);
        Posterior {
            grid,
            weights: grid.prior.iter().map(|w| w / max).collect(),
        }
    }

    /// The current weights (posterior × quadrature weight, rescaled), one per grid point.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Multiplies in the likelihood of one response to `item`.
    pub fn update(&mut self, item: &ItemParams, correct: bool) {
        let mut max = 0.0f64;
        for (w, &x) in self.weights.iter_mut().zip(&self.grid.points) {
            let p = item.prob(x);
            *w *= if correct { p } else { 1.0 - p };
            max = max.max(*w);
        }
        self.rescale(max);
    }

    /// As [`Posterior::update`], with the item's probabilities at the grid points
    /// already computed (see [`Grid::probabilities`]).
    pub fn update_with(&mut self, probs: &[f64], correct: bool) {
        let mut max = 0.0f64;
        for (w, &p) in self.weights.iter_mut().zip(probs) {
            *w *= if correct { p } else { 1.0 - p };
            max = max.max(*w);
        }
        self.rescale(max);
    }

    fn rescale(&mut self, max: f64) {
        if max > 0.0 && max.is_finite() {
            let inv = 1.0 / max;
            for w in &mut self.weights {
                *w *= inv;
            }
        }
    }

    /// The EAP estimate: posterior mean and posterior standard deviation.
    pub fn estimate(&self) -> Estimate {
        let (mut s0, mut s1, mut s2) = (0.0, 0.0, 0.0);
        for (&w, &x) in self.weights.iter().zip(&self.grid.points) {
            s0 += w;
            s1 += w * x;
            s2 += w * x * x;
        }
        let mean = s1 / s0;
        let var = (s2 / s0 - mean * mean).max(0.0);
        Estimate {
            theta: mean,
            se: var.sqrt(),
            method: Estimator::Eap,
            at_bound: false,
        }
    }

    /// The posterior probability that θ is above `cut`.
    ///
    /// Between grid points the log posterior density is interpolated by the quadratic
    /// through three neighbouring points (exact for a normal posterior) and integrated
    /// with 4-point Gauss-Legendre per cell, so a posterior only a few grid steps wide
    /// still gives the mass above a cut that falls between points.
    pub fn prob_above(&self, cut: f64) -> f64 {
        let g = self.grid;
        let n = g.points.len();
        if cut <= g.points[0] {
            return 1.0;
        }
        if cut >= g.points[n - 1] {
            return 0.0;
        }
        // Log density (up to a constant) at each point: weight / quadrature weight.
        let log_f: Vec<f64> = (0..n)
            .map(|i| {
                let t = if i == 0 || i == n - 1 { 0.5 } else { 1.0 };
                (self.weights[i] / t).max(1e-300).ln()
            })
            .collect();
        let top = log_f.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        // The integral of the interpolated density over [lo, hi] inside cell i.
        let cell = |i: usize, lo: f64, hi: f64| -> f64 {
            let j = if i == 0 {
                0
            } else if i + 2 >= n {
                n - 3
            } else {
                i - 1
            };
            let (x0, x1, x2) = (g.points[j], g.points[j + 1], g.points[j + 2]);
            let (y0, y1, y2) = (log_f[j] - top, log_f[j + 1] - top, log_f[j + 2] - top);
            let quad = |x: f64| {
                y0 * (x - x1) * (x - x2) / ((x0 - x1) * (x0 - x2))
                    + y1 * (x - x0) * (x - x2) / ((x1 - x0) * (x1 - x2))
                    + y2 * (x - x0) * (x - x1) / ((x2 - x0) * (x2 - x1))
            };
            const NODES: [(f64, f64); 4] = [
                (-0.861_136_311_594_052_6, 0.347_854_845_137_453_9),
                (-0.339_981_043_584_856_3, 0.652_145_154_862_546_1),
                (0.339_981_043_584_856_3, 0.652_145_154_862_546_1),
                (0.861_136_311_594_052_6, 0.347_854_845_137_453_9),
            ];
            let (mid, half) = ((lo + hi) / 2.0, (hi - lo) / 2.0);
            NODES
                .iter()
                .map(|(x, w)| w * quad(mid + half * x).exp())
                .sum::<f64>()
                * half
        };
        let k = (((cut - g.points[0]) / g.step).floor() as usize).min(n - 2);
        let mut total = 0.0;
        let mut above = 0.0;
        for i in 0..n - 1 {
            let (lo, hi) = (g.points[i], g.points[i + 1]);
            let whole = cell(i, lo, hi);
            total += whole;
            if i > k {
                above += whole;
            } else if i == k {
                above += cell(i, cut, hi);
            }
        }
        (above / total).clamp(0.0, 1.0)
    }
}

/// EAP for a whole response pattern.
pub fn eap(responses: &[(ItemParams, bool)], grid: &Grid) -> Estimate {
    let mut post = Posterior::new(grid);
    for (item, correct) in responses {
        post.update(item, *correct);
    }
    post.estimate()
}

/// The log-likelihood of a response pattern at `theta`.
pub fn log_likelihood(responses: &[(ItemParams, bool)], theta: f64) -> f64 {
    responses
        .iter()
        .map(|(item, correct)| {
            let p = item.prob(theta).clamp(1e-300, 1.0 - 1e-16);
            if *correct { p.ln() } else { (1.0 - p).ln() }
        })
        .sum()
}

/// Bounded MLE on [−6, 6] (see the module documentation for the rule at the bounds).
/// `None` for an empty pattern.
pub fn mle(responses: &[(ItemParams, bool)]) -> Option<Estimate> {
    if responses.is_empty() {
        return None;
    }
    let (lo, hi) = (-GRID_BOUND, GRID_BOUND);
    let all_right = responses.iter().all(|r| r.1);
    let all_wrong = responses.iter().all(|r| !r.1);
    let theta = if all_right {
        hi
    } else if all_wrong {
        lo
    } else {
        // Coarse search, then golden-section refinement around the best point.
        let step = 0.01;
        let n = ((hi - lo) / step).round() as usize;
        let mut best = (lo, f64::NEG_INFINITY);
        for i in 0..=n {
            let t = lo + step * i as f64;
            let ll = log_likelihood(responses, t);
            if ll > best.1 {
                best = (t, ll);
            }
        }
        golden_max(
            |t| log_likelihood(responses, t),
            (best.0 - step).max(lo),
            (best.0 + step).min(hi),
        )
    };
    let at_bound = all_right || all_wrong || theta <= lo + 1e-6 || theta >= hi - 1e-6;
    let info: f64 = responses.iter().map(|(i, _)| i.info(theta)).sum();
    Some(Estimate {
        theta,
        se: 1.0 / info.sqrt(),
        method: Estimator::Mle,
        at_bound,
    })
}

/// The maximiser of a unimodal `f` on [a, b], to 1e-10.
fn golden_max(f: impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - r * (b - a);
    let mut d = a + r * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    while (b - a).abs() > 1e-10 {
        if fc > fd {
            b = d;
            d = c;
            fd = fc;
            c = b - r * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + r * (b - a);
            fd = f(d);
        }
    }
    (a + b) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prior_alone_gives_its_mean_and_sd() {
        let grid = Grid::standard();
        let e = Posterior::new(&grid).estimate();
        assert!(e.theta.abs() < 1e-9);
        assert!((e.se - 1.0).abs() < 1e-3, "{}", e.se);
        assert!((Posterior::new(&grid).prob_above(0.0) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn posterior_sd_shrinks_as_items_are_added() {
        let grid = Grid::standard();
        let mut post = Posterior::new(&grid);
        let mut last = post.estimate().se;
        for k in 0..40 {
            let item = ItemParams::rasch(f64::from(k % 5) * 0.5 - 1.0);
            post.update(&item, k % 3 != 0);
            let se = post.estimate().se;
            assert!(se < last, "item {k}: {se} >= {last}");
            last = se;
        }
    }

    #[test]
    fn long_all_right_patterns_stay_finite_and_high() {
        let grid = Grid::standard();
        let items: Vec<_> = (0..100).map(|_| (ItemParams::rasch(0.0), true)).collect();
        let e = eap(&items, &grid);
        assert!(e.theta > 3.0 && e.theta < 6.0, "{e:?}");
        let m = mle(&items).unwrap();
        assert!(m.at_bound && m.theta == 6.0);
        let wrong: Vec<_> = items.iter().map(|(i, _)| (*i, false)).collect();
        assert!(mle(&wrong).unwrap().theta == -6.0);
        assert!(eap(&wrong, &grid).theta < -3.0);
    }

    #[test]
    fn update_with_precomputed_probabilities_matches_update() {
        let grid = Grid::standard();
        let item = ItemParams {
            a: 1.4,
            b: 0.2,
            c: 0.2,
        };
        let mut a = Posterior::new(&grid);
        let mut b = Posterior::new(&grid);
        a.update(&item, true);
        b.update_with(&grid.probabilities(&item), true);
        assert_eq!(a.estimate(), b.estimate());
    }

    #[test]
    fn prob_above_is_monotone_and_complementary() {
        let grid = Grid::standard();
        let mut post = Posterior::new(&grid);
        for k in 0..10 {
            post.update(&ItemParams::rasch(0.3), k % 2 == 0);
        }
        let mut last = 1.0;
        for k in 0..=1200 {
            let cut = -6.0 + 0.01 * f64::from(k);
            let p = post.prob_above(cut);
            assert!(p <= last + 1e-12, "{cut}");
            last = p;
        }
    }
}
