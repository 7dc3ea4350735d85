//! Westgard rules on one control level's series of results (Westgard, Basic QC
//! Practices, 4th ed.). A chart marks the violations of the rules its exhibit names.

/// A control rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WestgardRule {
    /// One result beyond 2 SD (a warning).
    W12s,
    /// One result beyond 3 SD.
    R13s,
    /// Two consecutive results beyond 2 SD on the same side.
    R22s,
    /// Two consecutive results more than 4 SD apart, one above +2 SD and one below -2 SD.
    R4s,
    /// Four consecutive results beyond 1 SD on the same side.
    R41s,
    /// Two of three consecutive results beyond 2 SD on the same side.
    R2of32s,
    /// Three consecutive results beyond 1 SD on the same side.
    R31s,
    /// N consecutive results on the same side of the mean.
    Mean(u8),
    /// Seven consecutive results each higher (or each lower) than the one before.
    Trend7,
}

impl WestgardRule {
    pub const NAMES: [&'static str; 13] = [
        "1-2s", "1-3s", "2-2s", "R-4s", "4-1s", "2of3-2s", "3-1s", "6x", "8x", "9x", "10x", "12x",
        "7T",
    ];

    pub fn from_name(name: &str) -> Option<WestgardRule> {
        let n = name.trim().to_lowercase().replace([' ', '_', ':'], "");
        let n = n.replace('/', "of");
        Some(match n.as_str() {
            "1-2s" | "12s" => WestgardRule::W12s,
            "1-3s" | "13s" => WestgardRule::R13s,
            "2-2s" | "22s" => WestgardRule::R22s,
            "r-4s" | "r4s" => WestgardRule::R4s,
            "4-1s" | "41s" => WestgardRule::R41s,
            "2of3-2s" | "2of32s" => WestgardRule::R2of32s,
            "3-1s" | "31s" => WestgardRule::R31s,
            "6x" => WestgardRule::Mean(6),
            "8x" => WestgardRule::Mean(8),
            "9x" => WestgardRule::Mean(9),
            "10x" => WestgardRule::Mean(10),
            "12x" => WestgardRule::Mean(12),
            "7t" => WestgardRule::Trend7,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            WestgardRule::W12s => "1-2s",
            WestgardRule::R13s => "1-3s",
            WestgardRule::R22s => "2-2s",
            WestgardRule::R4s => "R-4s",
            WestgardRule::R41s => "4-1s",
            WestgardRule::R2of32s => "2of3-2s",
            WestgardRule::R31s => "3-1s",
            WestgardRule::Mean(6) => "6x",
            WestgardRule::Mean(8) => "8x",
            WestgardRule::Mean(9) => "9x",
            WestgardRule::Mean(10) => "10x",
            WestgardRule::Mean(_) => "12x",
            WestgardRule::Trend7 => "7T",
        }
    }
}

/// One violation: the rule and the runs (0-based) whose results make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rule: WestgardRule,
    pub runs: Vec<usize>,
}

/// Every window of results that violates `rule`, given each result's distance from the
/// mean in SD. Overlapping windows are each reported.
pub fn violations(rule: WestgardRule, z: &[f64]) -> Vec<Violation> {
    let same_side =
        |w: &[f64], limit: f64| w.iter().all(|&v| v > limit) || w.iter().all(|&v| v < -limit);
    let windows = |n: usize, ok: &dyn Fn(&[f64]) -> bool| -> Vec<Violation> {
        if z.len() < n {
            return Vec::new();
        }
        (0..=z.len() - n)
            .filter(|&i| ok(&z[i..i + n]))
            .map(|i| Violation {
                rule,
                runs: (i..i + n).collect(),
            })
            .collect()
    };
    match rule {
        WestgardRule::W12s => windows(1, &|w| w[0].abs() > 2.0),
        WestgardRule::R13s => windows(1, &|w| w[0].abs() > 3.0),
        WestgardRule::R22s => windows(2, &|w| same_side(w, 2.0)),
        WestgardRule::R4s => windows(2, &|w| {
            (w[0] > 2.0 && w[1] < -2.0) || (w[0] < -2.0 && w[1] > 2.0)
        }),
        WestgardRule::R41s => windows(4, &|w| same_side(w, 1.0)),
        WestgardRule::R31s => windows(3, &|w| same_side(w, 1.0)),
        WestgardRule::R2of32s => windows(3, &|w| {
            w.iter().filter(|&&v| v > 2.0).count() >= 2
                || w.iter().filter(|&&v| v < -2.0).count() >= 2
        }),
        WestgardRule::Mean(n) => windows(n as usize, &|w| same_side(w, 0.0)),
        WestgardRule::Trend7 => windows(7, &|w| {
            w.windows(2).all(|p| p[1] > p[0]) || w.windows(2).all(|p| p[1] < p[0])
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(rule: &str, z: &[f64]) -> Option<Vec<usize>> {
        let rule = WestgardRule::from_name(rule).unwrap();
        violations(rule, z).into_iter().next().map(|v| v.runs)
    }

    #[test]
    fn each_rule_fires_on_its_pattern_and_not_on_a_near_miss() {
        assert_eq!(first("1-3s", &[0.5, -3.2, 0.1]), Some(vec![1]));
        assert_eq!(first("1-3s", &[0.5, -2.9, 2.99]), None);
        assert_eq!(first("1-2s", &[0.5, 2.1]), Some(vec![1]));
        assert_eq!(first("2-2s", &[2.1, 2.4, 0.0]), Some(vec![0, 1]));
        assert_eq!(first("2-2s", &[2.1, -2.4, 2.2]), None);
        assert_eq!(first("R-4s", &[0.0, 2.2, -2.1]), Some(vec![1, 2]));
        assert_eq!(first("R-4s", &[0.0, 2.2, -1.9]), None);
        assert_eq!(first("4-1s", &[1.1, 1.5, 1.2, 1.3]), Some(vec![0, 1, 2, 3]));
        assert_eq!(first("4-1s", &[1.1, 1.5, 0.9, 1.3, 1.2]), None);
        assert_eq!(first("3-1s", &[-1.1, -1.5, -1.2]), Some(vec![0, 1, 2]));
        assert_eq!(first("2of3-2s", &[2.1, 0.3, 2.5]), Some(vec![0, 1, 2]));
        assert_eq!(first("2of3-2s", &[2.1, 0.3, -2.5]), None);
        let ten_above = [0.2, 0.5, 0.1, 0.9, 0.3, 0.4, 0.6, 0.2, 0.1, 0.7];
        assert_eq!(first("10x", &ten_above), Some((0..10).collect()));
        assert_eq!(first("10x", &ten_above[..9]), None);
        assert_eq!(
            first("6x", &[-0.1, -0.4, -0.2, -0.9, -0.3, -0.4]),
            Some((0..6).collect())
        );
        let rising = [-1.0, -0.7, -0.4, -0.1, 0.2, 0.5, 0.9];
        assert_eq!(first("7T", &rising), Some((0..7).collect()));
        assert_eq!(first("7T", &[-1.0, -0.7, -0.4, -0.5, 0.2, 0.5, 0.9]), None);
    }

    #[test]
    fn every_rule_name_reads_back() {
        for name in WestgardRule::NAMES {
            let rule = WestgardRule::from_name(name).expect(name);
            assert_eq!(rule.name(), name);
        }
        assert_eq!(
            WestgardRule::from_name("2/3 2s"),
            Some(WestgardRule::R2of32s)
        );
        assert_eq!(WestgardRule::from_name("5x"), None);
        assert_eq!(WestgardRule::from_name("13s"), Some(WestgardRule::R13s));
    }
}
