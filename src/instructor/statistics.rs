//! The numbers behind `labcert analyze`, as pure functions: the score distribution,
//! correlations, internal consistency and the upper and lower groups.
//!
//! The test and item statistics follow the definitions of Moodle's quiz statistics report
//! (Moodle's `question/classes/statistics/questions/calculator.php` for items and
//! `mod/quiz/report/statistics/classes/calculator.php` for the test, described in the
//! Moodle developer documentation "Quiz statistics calculations"): sample variances with
//! n - 1, skewness and kurtosis from the k-statistics, Cronbach's alpha from item and
//! total variances. Which answers and candidates they are given to, and what is reported,
//! is for [`super::analysis`].

/// Spread this small is rounding error on a constant.
const NO_SPREAD: f64 = 1e-12;

/// The arithmetic mean; `None` when empty.
pub fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// The median: the middle value, or the mean of the two middle values (as Moodle's
/// median grade); `None` when empty.
pub fn median(xs: &[f64]) -> Option<f64> {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The sample standard deviation (divisor n - 1); `None` with fewer than two values.
pub fn sample_sd(xs: &[f64]) -> Option<f64> {
    let m = mean(xs)?;
    (xs.len() > 1).then(|| {
        let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
        (ss / (xs.len() - 1) as f64).sqrt()
    })
}

/// The shape of a set of scores, as Moodle's quiz statistics report gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distribution {
    pub n: usize,
    pub mean: f64,
    pub median: f64,
    /// Sample standard deviation (n - 1); from two scores.
    pub sd: Option<f64>,
    /// k3 / k2^(3/2) (the adjusted Fisher-Pearson coefficient G1); from three scores
    /// with some spread.
    pub skewness: Option<f64>,
    /// k4 / k2^2 (excess kurtosis G2, 0 for a normal distribution); from four scores
    /// with some spread.
    pub kurtosis: Option<f64>,
}

/// The distribution of `xs`; `None` when empty. With m_r = sum((x - mean)^r) / n:
/// k2 = n m2 / (n-1), k3 = n^2 m3 / ((n-1)(n-2)),
/// k4 = n^2 ((n+1) m4 - 3 (n-1) m2^2) / ((n-1)(n-2)(n-3)).
pub fn distribution(xs: &[f64]) -> Option<Distribution> {
    let mean = mean(xs)?;
    let median = median(xs)?;
    let n = xs.len() as f64;
    let moment = |r: i32| xs.iter().map(|x| (x - mean).powi(r)).sum::<f64>() / n;
    let (m2, m3, m4) = (moment(2), moment(3), moment(4));
    let sd = (xs.len() > 1).then(|| (n * m2 / (n - 1.0)).sqrt());
    let k2 = (xs.len() > 1).then(|| n * m2 / (n - 1.0));
    let spread = k2.filter(|k2| *k2 > NO_SPREAD);
    let skewness = spread.filter(|_| xs.len() > 2).map(|k2| {
        let k3 = n * n * m3 / ((n - 1.0) * (n - 2.0));
        k3 / k2.powf(1.5)
    });
    let kurtosis = spread.filter(|_| xs.len() > 3).map(|k2| {
        let k4 = n * n * ((n + 1.0) * m4 - 3.0 * (n - 1.0) * m2 * m2)
            / ((n - 1.0) * (n - 2.0) * (n - 3.0));
        k4 / (k2 * k2)
    });
    Some(Distribution {
        n: xs.len(),
        mean,
        median,
        sd,
        skewness,
        kurtosis,
    })
}

/// The Pearson correlation of the pairs, or `None` with fewer than two pairs or no
/// spread in either variable.
pub fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    let (sxy, sxx, syy) = co_sums(pairs)?;
    if sxx <= NO_SPREAD || syy <= NO_SPREAD {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

/// Moodle's discriminative efficiency as a proportion: the covariance of the pairs
/// divided by the largest covariance the same two sets of values could have, reached
/// when both are sorted in the same order. So an item is judged against the best it
/// could do given its own facility and the spread of the other scores. `None` with fewer
/// than two pairs or when that largest covariance is 0.
pub fn discriminative_efficiency(pairs: &[(f64, f64)]) -> Option<f64> {
    let (sxy, _, _) = co_sums(pairs)?;
    let mut xs: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let mut ys: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    xs.sort_by(f64::total_cmp);
    ys.sort_by(f64::total_cmp);
    let sorted: Vec<(f64, f64)> = xs.into_iter().zip(ys).collect();
    let (max, _, _) = co_sums(&sorted)?;
    (max > NO_SPREAD).then(|| sxy / max)
}

/// Sums of cross products and squares about the means; `None` under two pairs.
fn co_sums(pairs: &[(f64, f64)]) -> Option<(f64, f64, f64)> {
    if pairs.len() < 2 {
        return None;
    }
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    Some((sxy, sxx, syy))
}

/// Cronbach's alpha of a complete candidates-by-items matrix of item scores (each row
/// one candidate, every row as long): k / (k - 1) * (1 - sum of item variances /
/// variance of the totals), the variances with n - 1 as in Moodle's coefficient of
/// internal consistency. For items scored 0 or 1 it is KR-20. `None` with fewer than two
/// items, fewer than three candidates (Moodle's condition), ragged rows, or totals
/// without spread.
pub fn cronbach_alpha(rows: &[Vec<f64>]) -> Option<f64> {
    let k = rows.first()?.len();
    if k < 2 || rows.len() < 3 || rows.iter().any(|r| r.len() != k) {
        return None;
    }
    let item_variance: f64 = (0..k)
        .map(|j| {
            let column: Vec<f64> = rows.iter().map(|r| r[j]).collect();
            sample_sd(&column).map_or(0.0, |sd| sd * sd)
        })
        .sum();
    let totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let total_variance = sample_sd(&totals).map(|sd| sd * sd)?;
    if total_variance <= NO_SPREAD {
        return None;
    }
    let k = k as f64;
    Some(k / (k - 1.0) * (1.0 - item_variance / total_variance))
}

/// The share of candidates in each of the upper and lower groups.
pub const GROUP_PERCENT: usize = 27;

/// The upper and lower 27% groups of candidates by score (Kelley's groups for the
/// classical discrimination index D).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtremeGroups {
    /// 27% of the candidates, rounded (at least 1): the size each group aims at.
    pub target: usize,
    /// Indexes into the scores: every candidate scoring at least the `target`-th best
    /// score.
    pub upper: Vec<usize>,
    /// Every candidate scoring at most the `target`-th worst score.
    pub lower: Vec<usize>,
}

/// Splits candidates into upper and lower 27% groups by `scores`. Candidates tied with
/// the last one in a group join it, so a group can be larger than 27% (never smaller)
/// and no candidate is put in or left out by an arbitrary tie-break. `None` with fewer
/// than two candidates, or when ties make the groups meet (the `target`-th best score is
/// not above the `target`-th worst).
pub fn extreme_groups(scores: &[f64]) -> Option<ExtremeGroups> {
    let n = scores.len();
    if n < 2 {
        return None;
    }
    let target = ((GROUP_PERCENT * n + 50) / 100).max(1);
    let mut sorted = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    let lower_cut = sorted[target - 1];
    let upper_cut = sorted[n - target];
    if upper_cut <= lower_cut {
        return None;
    }
    let pick = |keep: &dyn Fn(f64) -> bool| -> Vec<usize> {
        (0..n).filter(|&i| keep(scores[i])).collect()
    };
    Some(ExtremeGroups {
        target,
        upper: pick(&|s| s >= upper_cut),
        lower: pick(&|s| s <= lower_cut),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn assert_close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-12,
            "got {actual}, expected {expected}"
        );
    }

    #[test]
    fn pearson_table() {
        type Pairs = &'static [(f64, f64)];
        let table: [(Pairs, Option<f64>); 5] = [
            (&[(0.0, 0.0), (1.0, 1.0)], Some(1.0)),
            (&[(0.0, 1.0), (1.0, 0.0), (1.0, 0.0)], Some(-1.0)),
            (&[(1.0, 0.2), (1.0, 0.9)], None),
            (&[(0.0, 0.5), (1.0, 0.5)], None),
            (&[(1.0, 0.5)], None),
        ];
        for (pairs, expected) in table {
            match (pearson(pairs), expected) {
                (Some(got), Some(want)) => assert_close(got, want),
                (got, want) => assert_eq!(got, want, "{pairs:?}"),
            }
        }
        // x = [1, 0, 1, 0], y = [1, 0, 0.5, 0.5]: sxy = 0.5, sxx = 1, syy = 0.5.
        let r = pearson(&[(1.0, 1.0), (0.0, 0.0), (1.0, 0.5), (0.0, 0.5)]).unwrap();
        assert_close(r, 0.5 / 0.5f64.sqrt());
    }

    #[test]
    fn median_and_spread() {
        assert_eq!(median(&[]), None);
        assert_close(median(&[3.0, 1.0, 2.0]).unwrap(), 2.0);
        assert_close(median(&[4.0, 1.0, 2.0, 3.0]).unwrap(), 2.5);
        assert_eq!(sample_sd(&[5.0]), None);
        // 2, 4, 4, 4, 5, 5, 7, 9: sum of squares 32 about the mean 5; 32 / 7.
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_close(sample_sd(&xs).unwrap(), (32.0f64 / 7.0).sqrt());
    }

    #[test]
    fn skewness_and_kurtosis_are_the_k_statistics() {
        // 1, 2, 3, 10: mean 4, deviations -3, -2, -1, 6; m2 = 12.5, m3 = 45, m4 = 348.5.
        let d = distribution(&[1.0, 2.0, 3.0, 10.0]).unwrap();
        let (n, m2, m3, m4) = (4.0, 12.5, 45.0, 348.5);
        let k2: f64 = n * m2 / (n - 1.0);
        let k3 = n * n * m3 / ((n - 1.0) * (n - 2.0));
        let k4 = n * n * ((n + 1.0) * m4 - 3.0 * (n - 1.0) * m2 * m2)
            / ((n - 1.0) * (n - 2.0) * (n - 3.0));
        assert_close(d.skewness.unwrap(), k3 / k2.powf(1.5));
        assert_close(d.kurtosis.unwrap(), k4 / (k2 * k2));
        // A symmetric set is not skewed.
        assert_close(
            distribution(&[1.0, 2.0, 3.0]).unwrap().skewness.unwrap(),
            0.0,
        );
        // Too few scores, or none that differ: the figure is missing, not NaN.
        let two = distribution(&[1.0, 3.0]).unwrap();
        assert_eq!((two.skewness, two.kurtosis), (None, None));
        let flat = distribution(&[2.0; 5]).unwrap();
        assert_eq!(
            (flat.sd, flat.skewness, flat.kurtosis),
            (Some(0.0), None, None)
        );
    }

    #[test]
    fn discriminative_efficiency_compares_with_the_best_order() {
        // Already in the best order: efficiency 1.
        let best = [(0.0, 0.1), (0.0, 0.2), (1.0, 0.3), (1.0, 0.4)];
        assert_close(discriminative_efficiency(&best).unwrap(), 1.0);
        // x = 0,1,0,1 with y = 1,2,3,4: sxy = 1; best order (0,0,1,1) gives sxy = 2.
        let half = [(0.0, 1.0), (1.0, 2.0), (0.0, 3.0), (1.0, 4.0)];
        assert_close(discriminative_efficiency(&half).unwrap(), 0.5);
        assert_eq!(discriminative_efficiency(&[(1.0, 0.5), (1.0, 0.7)]), None);
    }

    #[test]
    fn alpha_is_kr20_for_right_and_wrong() {
        // Four candidates, three items. Totals 3, 2, 1, 0: variance 5/3. Items p = .75,
        // .5, .25: sample variances .25, 1/3, .25, sum 5/6. alpha = 1.5 * (1 - .5) = .75.
        let rows = vec![
            vec![1.0, 1.0, 1.0],
            vec![1.0, 1.0, 0.0],
            vec![1.0, 0.0, 0.0],
            vec![0.0, 0.0, 0.0],
        ];
        assert_close(cronbach_alpha(&rows).unwrap(), 0.75);
        assert_eq!(cronbach_alpha(&rows[..2]), None, "two candidates");
        assert_eq!(cronbach_alpha(&[vec![1.0], vec![0.0], vec![1.0]]), None);
        assert_eq!(cronbach_alpha(&vec![vec![1.0, 1.0]; 4]), None, "no spread");
        let ragged = vec![vec![1.0, 0.0], vec![1.0], vec![0.0, 0.0]];
        assert_eq!(cronbach_alpha(&ragged), None);
    }

    #[test]
    fn extreme_groups_keep_ties_together() {
        // 10 candidates: 27% is 2.7, so 3 in each group.
        let scores = [9.0, 8.0, 7.0, 6.0, 5.0, 5.0, 4.0, 3.0, 2.0, 1.0];
        let g = extreme_groups(&scores).unwrap();
        assert_eq!(g.target, 3);
        assert_eq!((g.upper, g.lower), (vec![0, 1, 2], vec![7, 8, 9]));
        // A tie at the third best brings both tied candidates in.
        let tied = [9.0, 8.0, 7.0, 7.0, 5.0, 5.0, 4.0, 3.0, 2.0, 1.0];
        assert_eq!(extreme_groups(&tied).unwrap().upper, vec![0, 1, 2, 3]);
        // 27% of 50 is 13.5: rounded up to 14.
        let fifty: Vec<f64> = (0..50).map(f64::from).collect();
        assert_eq!(extreme_groups(&fifty).unwrap().target, 14);
        // Groups that would meet, and too few candidates.
        assert_eq!(
            extreme_groups(&[9.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 1.0]),
            None
        );
        assert_eq!(extreme_groups(&[1.0]), None);
        let two = extreme_groups(&[1.0, 0.0]).unwrap();
        assert_eq!((two.upper, two.lower), (vec![0], vec![1]));
    }
}
