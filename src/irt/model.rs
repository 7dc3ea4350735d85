//! Item response functions and Fisher information for the 1PL (Rasch), 2PL and 3PL
//! models, in the logistic metric (no 1.7 scaling constant):
//!
//! P(θ) = c + (1 − c) / (1 + exp(−a(θ − b)))
//!
//! I(θ) = a² · (Q/P) · ((P − c)/(1 − c))²   (Lord 1980, eq. 5.19; for c = 0 this is a²PQ)

/// One item's parameters: discrimination `a`, difficulty `b`, lower asymptote `c`.
/// Rasch items have `a = 1`, `c = 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemParams {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

impl ItemParams {
    pub fn rasch(b: f64) -> Self {
        ItemParams { a: 1.0, b, c: 0.0 }
    }

    /// Probability of a correct answer at ability `theta`.
    #[inline]
    pub fn prob(&self, theta: f64) -> f64 {
        self.c + (1.0 - self.c) * logistic(self.a * (theta - self.b))
    }

    /// Fisher information at `theta`.
    #[inline]
    pub fn info(&self, theta: f64) -> f64 {
        let p_star = logistic(self.a * (theta - self.b));
        if self.c == 0.0 {
            return self.a * self.a * p_star * (1.0 - p_star);
        }
        let p = self.c + (1.0 - self.c) * p_star;
        // (P - c)/(1 - c) = P*, and Q = (1 - c)(1 - P*).
        self.a * self.a * (1.0 - self.c) * (1.0 - p_star) * p_star * p_star / p
    }

    /// Whether this is a Rasch item (information then depends only on |θ − b|).
    pub fn is_rasch(&self) -> bool {
        self.a == 1.0 && self.c == 0.0
    }
}

/// The logistic function 1 / (1 + e^(−x)), computed without overflow.
#[inline]
pub fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// Test information: the sum of the items' information at `theta`.
pub fn test_information(items: &[ItemParams], theta: f64) -> f64 {
    items.iter().map(|i| i.info(theta)).sum()
}

/// An upper bound on the information any item with discrimination at most `a_max` can
/// give at distance `d = |θ − b|` from its difficulty. The 3PL information never exceeds
/// the 2PL information a²P*Q* ≤ a²e^(−a·d), and a²e^(−a·d) as a function of a peaks at
/// a = 2/d with value 4/(e²d²). Item selection uses this to stop scanning outward.
pub fn info_bound(a_max: f64, d: f64) -> f64 {
    let d = d.abs();
    if d == 0.0 {
        return a_max * a_max / 4.0;
    }
    let peak_a = 2.0 / d;
    let a = a_max.min(peak_a);
    (a * a * (-a * d).exp()).min(a_max * a_max / 4.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rasch_probability_and_information_at_b() {
        let item = ItemParams::rasch(0.5);
        assert!((item.prob(0.5) - 0.5).abs() < 1e-15);
        assert!((item.info(0.5) - 0.25).abs() < 1e-15);
    }

    #[test]
    fn logistic_is_stable_at_the_extremes() {
        assert_eq!(logistic(1000.0), 1.0);
        assert_eq!(logistic(-1000.0), 0.0);
        assert!((logistic(0.0) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn probability_is_monotone_in_theta() {
        let items = [
            ItemParams::rasch(-1.0),
            ItemParams {
                a: 1.7,
                b: 0.3,
                c: 0.2,
            },
            ItemParams {
                a: 0.4,
                b: 2.0,
                c: 0.0,
            },
        ];
        for item in items {
            let mut last = 0.0;
            for k in 0..=240 {
                let theta = -6.0 + 0.05 * f64::from(k);
                let p = item.prob(theta);
                assert!(p >= last, "{item:?} at {theta}");
                assert!(p >= item.c && p <= 1.0);
                last = p;
            }
        }
    }

    #[test]
    fn information_is_positive_and_under_the_bound() {
        let items = [
            ItemParams::rasch(0.0),
            ItemParams {
                a: 2.5,
                b: 1.0,
                c: 0.25,
            },
            ItemParams {
                a: 0.6,
                b: -2.0,
                c: 0.1,
            },
        ];
        for item in items {
            for k in 0..=120 {
                let theta = -6.0 + 0.1 * f64::from(k);
                let info = item.info(theta);
                assert!(info > 0.0, "{item:?} at {theta}");
                assert!(
                    info <= info_bound(item.a, theta - item.b) + 1e-12,
                    "{item:?} at {theta}"
                );
            }
        }
    }

    #[test]
    fn three_pl_information_matches_the_textbook_form() {
        // Direct evaluation of a²(Q/P)((P-c)/(1-c))² against the simplified form.
        let item = ItemParams {
            a: 1.3,
            b: -0.4,
            c: 0.22,
        };
        for theta in [-3.0, -0.4, 0.0, 2.1] {
            let p = item.prob(theta);
            let q = 1.0 - p;
            let direct = item.a.powi(2) * (q / p) * ((p - item.c) / (1.0 - item.c)).powi(2);
            assert!((direct - item.info(theta)).abs() < 1e-14);
        }
    }
}
