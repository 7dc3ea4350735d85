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
}

/// The standard normal distribution function (the error function by the
/// Abramowitz-Stegun 7.1.26 approximation, absolute error under 1.5e-7: ample for
/// percentages printed to one decimal).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
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

/// An upper bound on the information any item with discrimination in [a_min, a_max] can
/// give at distance `d = |θ − b|` from its difficulty. Item selection uses it to stop
/// scanning outward once no further item can beat the ones found.
///
/// The 3PL information never exceeds the 2PL information a²P*Q* with the same a and b.
/// With x = a·d that is h(x)/d², where h(x) = x²σ(x)σ(−x) rises to its maximum
/// h(x*) ≈ 0.4392 at x* ≈ 2.3994 and falls after; so the bound is h(x*)/d² when x* lies
/// in [a_min·d, a_max·d], and otherwise the larger of the 2PL informations at a_min and
/// a_max. For a Rasch pool (a_min = a_max = 1) it is the exact information.
pub fn info_bound(a_min: f64, a_max: f64, d: f64) -> f64 {
    const X_STAR: f64 = 2.399_357_280_515_467;
    let d = d.abs();
    let two_pl = |a: f64| {
        let p = logistic(a * d);
        a * a * p * (1.0 - p)
    };
    if a_min * d <= X_STAR && X_STAR <= a_max * d {
        let p = logistic(X_STAR);
        X_STAR * X_STAR * p * (1.0 - p) / (d * d)
    } else {
        two_pl(a_min).max(two_pl(a_max))
    }
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
    fn the_bound_peak_is_where_its_derivative_vanishes() {
        // h(x) = x^2 s(x) s(-x); h'(x) = 0  <=>  2/x = tanh(x/2).
        let x: f64 = 2.399_357_280_515_467;
        assert!((2.0 / x - (x / 2.0).tanh()).abs() < 1e-12);
        // For a Rasch pool the bound is the exact information.
        for d in [0.0, 0.3, 1.0, 2.5, 4.0] {
            assert!((info_bound(1.0, 1.0, d) - ItemParams::rasch(0.0).info(d)).abs() < 1e-15);
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
                let d = theta - item.b;
                assert!(
                    info <= info_bound(item.a, item.a, d) + 1e-12,
                    "{item:?} at {theta}"
                );
                // Any range holding the item's a bounds it too.
                assert!(
                    info <= info_bound(item.a * 0.3, item.a * 1.7, d) + 1e-12,
                    "{item:?} at {theta}"
                );
                // And the bound is attained by some a in the range (it is tight for 2PL).
                let best = (0..=1000)
                    .map(|k| {
                        let a = item.a * (0.3 + 1.4 * f64::from(k) / 1000.0);
                        ItemParams { a, b: 0.0, c: 0.0 }.info(d)
                    })
                    .fold(0.0, f64::max);
                assert!(
                    info_bound(item.a * 0.3, item.a * 1.7, d) - best < 1e-3,
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
