//! Exhibits: the structured visual data an item may carry (antibody panels and result
//! tables, Levey-Jennings charts, electrophoresis scans, analyzer histograms, scatter
//! plots), drawn exactly from their numbers.
//!
//! This module holds what an exhibit *is* and the arithmetic every drawing shares
//! (Westgard rules, electrophoresis positions, curves, the dots of a scatter plot).
//! [`decode`] reads exhibits from a bank's RON with located diagnostics, [`text`] draws
//! them for the terminal and [`svg`] as SVG. It depends only on `doc`, `hash` and the
//! maths of `irt`.

pub mod decode;
pub mod svg;
pub mod text;
mod westgard;

pub use westgard::{WestgardRule, violations};

/// One exhibit of an item.
#[derive(Debug, Clone, PartialEq)]
pub enum Exhibit {
    Table(Table),
    LeveyJennings(QcChart),
    Electrophoresis(Electrophoresis),
    Histogram(Histogram),
    Scatter(Scatter),
}

impl Exhibit {
    /// The kind's name as written in a bank.
    pub fn kind(&self) -> &'static str {
        match self {
            Exhibit::Table(_) => "Table",
            Exhibit::LeveyJennings(_) => "LeveyJennings",
            Exhibit::Electrophoresis(_) => "Electrophoresis",
            Exhibit::Histogram(_) => "Histogram",
            Exhibit::Scatter(_) => "Scatter",
        }
    }

    /// The caption or title shown above the exhibit.
    pub fn title(&self) -> &str {
        match self {
            Exhibit::Table(t) => &t.caption,
            Exhibit::LeveyJennings(c) => &c.title,
            Exhibit::Electrophoresis(e) => &e.title,
            Exhibit::Histogram(h) => &h.title,
            Exhibit::Scatter(s) => &s.title,
        }
    }

    /// Every value of the exhibit in one stable text form: part of an item's content hash
    /// (an edited exhibit is an edited item) and the seed of a scatter plot's dots.
    pub fn canonical(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let list = |v: &[f64]| {
            v.iter()
                .map(|x| format!("{x}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        match self {
            Exhibit::Table(t) => {
                let _ = write!(s, "Table|{}|{}", t.caption, t.header.join("\u{1f}"));
                for row in &t.rows {
                    let _ = write!(s, "|{}", row.join("\u{1f}"));
                }
                let _ = write!(s, "|{}", t.note.as_deref().unwrap_or(""));
            }
            Exhibit::LeveyJennings(c) => {
                let rules: Vec<&str> = c.rules.iter().map(|r| r.name()).collect();
                let _ = write!(
                    s,
                    "LeveyJennings|{}|{}|{}|{}|{}|{}",
                    c.title,
                    c.unit,
                    c.mean,
                    c.sd,
                    list(&c.points),
                    rules.join(",")
                );
            }
            Exhibit::Electrophoresis(e) => {
                let _ = write!(s, "Electrophoresis|{}|{:?}", e.title, e.method);
                for f in &e.fractions {
                    let _ = write!(s, "|{}:{}:{:?}:{}", f.name, f.percent, f.shape, f.position);
                }
                let _ = write!(s, "|{:?}", e.total_protein);
            }
            Exhibit::Histogram(h) => {
                let _ = write!(
                    s,
                    "Histogram|{}|{}|{}|{}",
                    h.title, h.x_label, h.range.0, h.range.1
                );
                match &h.data {
                    HistogramData::Populations(p) => {
                        for p in p {
                            let _ = write!(s, "|p{}:{}:{}", p.center, p.sd, p.share);
                        }
                    }
                    HistogramData::Bins(b) => {
                        let _ = write!(s, "|b{}", list(b));
                    }
                }
                for m in &h.markers {
                    let _ = write!(s, "|m{}:{}", m.at, m.label);
                }
                let _ = write!(s, "|{}", h.flags.join("\u{1f}"));
            }
            Exhibit::Scatter(p) => {
                let _ = write!(
                    s,
                    "Scatter|{}|{}|{}|{:?}|{:?}",
                    p.title, p.x_label, p.y_label, p.x_range, p.y_range
                );
                for c in &p.populations {
                    let _ = write!(
                        s,
                        "|{}:{}:{}:{}:{}:{}",
                        c.label, c.x, c.y, c.x_sd, c.y_sd, c.share
                    );
                }
                let _ = write!(s, "|{:?}", p.quadrants);
            }
        }
        s
    }
}

/// A table: an antibody panel, a result table with reference intervals, a
/// susceptibility report.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    /// Each row has exactly as many cells as the header.
    pub rows: Vec<Vec<String>>,
    pub note: Option<String>,
}

/// A Levey-Jennings chart of one control level.
#[derive(Debug, Clone, PartialEq)]
pub struct QcChart {
    pub title: String,
    pub unit: String,
    pub mean: f64,
    /// Positive.
    pub sd: f64,
    /// One value per run, oldest first.
    pub points: Vec<f64>,
    /// Rules whose violations the drawing marks (none: the candidate finds them).
    pub rules: Vec<WestgardRule>,
}

impl QcChart {
    /// Each point's distance from the mean in SD.
    pub fn z_scores(&self) -> Vec<f64> {
        self.points
            .iter()
            .map(|p| (p - self.mean) / self.sd)
            .collect()
    }
}

/// The electrophoresis a scan comes from; it places the named fractions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Serum proteins on agarose, pH 8.6; anode on the left, albumin first.
    Serum,
    /// Hemoglobins on cellulose acetate, pH 8.4-8.6; the origin (cathode side) on the left.
    HemoglobinAlkaline,
    /// Hemoglobins on citrate agar, pH 6.0-6.2.
    HemoglobinAcid,
}

impl Method {
    pub const NAMES: [&'static str; 3] = ["Serum", "HemoglobinAlkaline", "HemoglobinAcid"];

    pub fn from_name(name: &str) -> Option<Method> {
        match name {
            "Serum" => Some(Method::Serum),
            "HemoglobinAlkaline" => Some(Method::HemoglobinAlkaline),
            "HemoglobinAcid" => Some(Method::HemoglobinAcid),
            _ => None,
        }
    }

    /// Where a named fraction runs, as a share of the lane (0 left, 1 right), or `None`
    /// when the method does not place it. Comigrating fractions share a place.
    pub fn position_of(self, name: &str) -> Option<f64> {
        let n = name.trim().to_lowercase();
        let n = n.strip_prefix("hb ").unwrap_or(&n).replace('\u{2019}', "'");
        let n = n.as_str();
        match self {
            Method::Serum => match n {
                "prealbumin" => Some(0.08),
                "albumin" => Some(0.20),
                "alpha-1" | "alpha1" | "α1" => Some(0.37),
                "alpha-2" | "alpha2" | "α2" => Some(0.49),
                "beta" => Some(0.62),
                "beta-1" | "beta1" | "β1" => Some(0.59),
                "beta-2" | "beta2" | "β2" => Some(0.67),
                "gamma" | "γ" => Some(0.82),
                _ => None,
            },
            Method::HemoglobinAlkaline => match n {
                "c" | "a2" | "e" | "o-arab" => Some(0.22),
                "s" | "d" | "g" => Some(0.38),
                "f" => Some(0.50),
                "a" => Some(0.62),
                "bart's" | "barts" => Some(0.76),
                "h" => Some(0.86),
                _ => None,
            },
            Method::HemoglobinAcid => match n {
                "f" => Some(0.16),
                "a" | "a2" | "d" | "e" | "g" => Some(0.42),
                "s" => Some(0.62),
                "c" => Some(0.80),
                _ => None,
            },
        }
    }

    /// The labels at the two ends of the lane.
    pub fn ends(self) -> (&'static str, &'static str) {
        match self {
            Method::Serum => ("anode (+)", "cathode (-)"),
            Method::HemoglobinAlkaline => ("origin, cathode (-)", "anode (+)"),
            Method::HemoglobinAcid => ("anode (+)", "cathode (-)"),
        }
    }
}

/// How a fraction's peak looks on the scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Normal,
    /// Narrow and tall: a monoclonal band.
    Spike,
    /// Wide: a polyclonal increase.
    Broad,
    /// Spread toward beta so that the beta-gamma valley fills in.
    Bridged,
}

impl Shape {
    pub const NAMES: [&'static str; 4] = ["Normal", "Spike", "Broad", "Bridged"];

    pub fn from_name(name: &str) -> Option<Shape> {
        match name {
            "Normal" => Some(Shape::Normal),
            "Spike" => Some(Shape::Spike),
            "Broad" => Some(Shape::Broad),
            "Bridged" => Some(Shape::Bridged),
            _ => None,
        }
    }
}

/// One fraction of a scan.
#[derive(Debug, Clone, PartialEq)]
pub struct Fraction {
    pub name: String,
    pub percent: f64,
    pub shape: Shape,
    /// Where it runs, 0-1 along the lane (given, or placed by the method).
    pub position: f64,
}

impl Fraction {
    /// The peak's standard deviation along the lane, and where its centre sits: a
    /// bridged fraction is wide and drawn toward the anode side (beta).
    fn peak(&self) -> (f64, f64) {
        match self.shape {
            Shape::Normal => (self.position, 0.028),
            Shape::Spike => (self.position, 0.011),
            Shape::Broad => (self.position, 0.055),
            Shape::Bridged => (self.position - 0.05, 0.075),
        }
    }
}

/// A densitometer scan: serum protein or hemoglobin electrophoresis.
#[derive(Debug, Clone, PartialEq)]
pub struct Electrophoresis {
    pub title: String,
    pub method: Method,
    pub fractions: Vec<Fraction>,
    /// Total protein in g/dL (serum): each fraction's g/dL is shown too.
    pub total_protein: Option<f64>,
}

impl Electrophoresis {
    /// The scan's height at `x` (0-1 along the lane): the sum of each fraction's peak,
    /// each with an area proportional to its percent.
    pub fn density(&self, x: f64) -> f64 {
        self.fractions
            .iter()
            .map(|f| {
                let (mu, sd) = f.peak();
                f.percent * normal_pdf((x - mu) / sd) / sd
            })
            .sum()
    }
}

/// A labelled line across a histogram (an analyzer's discriminator).
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub at: f64,
    pub label: String,
}

/// One population of a histogram: a normal curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    pub center: f64,
    pub sd: f64,
    /// Relative size.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HistogramData {
    Populations(Vec<Population>),
    /// Counts in equal-width bins across the range.
    Bins(Vec<f64>),
}

/// An analyzer's size histogram (RBC, PLT, WBC) with its discriminators and flags.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub title: String,
    pub x_label: String,
    pub range: (f64, f64),
    pub data: HistogramData,
    pub markers: Vec<Marker>,
    pub flags: Vec<String>,
}

impl Histogram {
    /// The curve's height at `x` (any scale; drawings normalise it to their tallest point).
    pub fn density(&self, x: f64) -> f64 {
        match &self.data {
            HistogramData::Populations(p) => p
                .iter()
                .map(|p| p.share * normal_pdf((x - p.center) / p.sd) / p.sd)
                .sum(),
            HistogramData::Bins(bins) => {
                // Straight lines between the bins' centres, as analyzers draw them.
                let (lo, hi) = self.range;
                if x < lo || x > hi || bins.is_empty() {
                    return 0.0;
                }
                let f = ((x - lo) / (hi - lo) * bins.len() as f64 - 0.5).max(0.0);
                let i = (f.floor() as usize).min(bins.len() - 1);
                let j = (i + 1).min(bins.len() - 1);
                let t = (f - i as f64).clamp(0.0, 1.0);
                bins[i] * (1.0 - t) + bins[j] * t
            }
        }
    }
}

/// One cloud of a scatter plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Cloud {
    /// Shown next to the cloud unless empty.
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub x_sd: f64,
    pub y_sd: f64,
    /// Relative number of events.
    pub share: f64,
}

/// A flow cytometry dot plot or an analyzer scattergram.
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub populations: Vec<Cloud>,
    /// Gate lines: (x, y).
    pub quadrants: Option<(f64, f64)>,
}

/// Events drawn in a scatter plot.
pub const SCATTER_EVENTS: usize = 1500;

impl Scatter {
    /// The plot's dots: a fixed number of events shared among the clouds by `share`,
    /// drawn from normal distributions with a generator seeded by the exhibit's content,
    /// so the same exhibit always shows the same dots.
    pub fn events(&self, canonical: &str) -> Vec<(f64, f64)> {
        use rand::{RngExt, SeedableRng};
        let mut h = crate::hash::Fnv1a::default();
        h.write(canonical.as_bytes());
        let mut rng = rand::rngs::StdRng::seed_from_u64(h.finish());
        let total: f64 = self.populations.iter().map(|c| c.share).sum();
        let mut out = Vec::with_capacity(SCATTER_EVENTS);
        for c in &self.populations {
            let n = (c.share / total * SCATTER_EVENTS as f64).round() as usize;
            for _ in 0..n {
                // Box-Muller: two uniforms give two independent standard normals.
                let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
                let u2: f64 = rng.random::<f64>();
                let r = (-2.0 * u1.ln()).sqrt();
                let (z1, z2) = (
                    r * (std::f64::consts::TAU * u2).cos(),
                    r * (std::f64::consts::TAU * u2).sin(),
                );
                out.push((c.x + z1 * c.x_sd, c.y + z2 * c.y_sd));
            }
        }
        out
    }

    /// The exact share of events in each quadrant (upper left, upper right, lower left,
    /// lower right), in percent, from the clouds' normal distributions.
    pub fn quadrant_percents(&self) -> Option<[f64; 4]> {
        let (gx, gy) = self.quadrants?;
        let total: f64 = self.populations.iter().map(|c| c.share).sum();
        let mut q = [0.0; 4];
        for c in &self.populations {
            let w = c.share / total;
            let right = 1.0 - crate::irt::normal_cdf((gx - c.x) / c.x_sd);
            let upper = 1.0 - crate::irt::normal_cdf((gy - c.y) / c.y_sd);
            q[0] += w * (1.0 - right) * upper;
            q[1] += w * right * upper;
            q[2] += w * (1.0 - right) * (1.0 - upper);
            q[3] += w * right * (1.0 - upper);
        }
        Some(q.map(|v| v * 100.0))
    }
}

/// Nice tick values across (lo, hi): about `count` of them at 1, 2 or 5 x 10^k.
pub fn axis_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let raw = (hi - lo) / count.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let mut v = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while v <= hi + step * 1e-9 {
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    out
}

pub fn short_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (std::f64::consts::TAU).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_distribution_function_matches_published_values() {
        use crate::irt::normal_cdf;
        // Standard normal table values (scipy.stats.norm.cdf).
        for (z, p) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746),
            (-1.96, 0.024_997_895),
            (2.5, 0.993_790_335),
            (-3.0, 0.001_349_898),
        ] {
            assert!((normal_cdf(z) - p).abs() < 2e-7, "{z}: {}", normal_cdf(z));
        }
    }

    #[test]
    fn quadrant_shares_add_up_and_follow_the_clouds() {
        let s = Scatter {
            title: "t".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            x_range: (0.0, 4.0),
            y_range: (0.0, 4.0),
            populations: vec![
                Cloud {
                    label: "a".into(),
                    x: 1.0,
                    y: 3.0,
                    x_sd: 0.1,
                    y_sd: 0.1,
                    share: 3.0,
                },
                Cloud {
                    label: "b".into(),
                    x: 3.0,
                    y: 1.0,
                    x_sd: 0.1,
                    y_sd: 0.1,
                    share: 1.0,
                },
            ],
            quadrants: Some((2.0, 2.0)),
        };
        let q = s.quadrant_percents().unwrap();
        assert!((q.iter().sum::<f64>() - 100.0).abs() < 1e-9);
        assert!(
            (q[0] - 75.0).abs() < 1e-6 && (q[3] - 25.0).abs() < 1e-6,
            "{q:?}"
        );
        let events = s.events(&Exhibit::Scatter(s.clone()).canonical());
        assert_eq!(events.len(), SCATTER_EVENTS);
        assert_eq!(events, s.events(&Exhibit::Scatter(s.clone()).canonical()));
        let upper_left = events.iter().filter(|(x, y)| *x < 2.0 && *y > 2.0).count();
        assert!((1100..=1150).contains(&upper_left), "{upper_left}");
    }

    #[test]
    fn a_scan_has_the_area_of_its_percentages() {
        let e = Electrophoresis {
            title: "t".into(),
            method: Method::Serum,
            fractions: vec![
                Fraction {
                    name: "albumin".into(),
                    percent: 60.0,
                    shape: Shape::Normal,
                    position: 0.2,
                },
                Fraction {
                    name: "gamma".into(),
                    percent: 40.0,
                    shape: Shape::Spike,
                    position: 0.8,
                },
            ],
            total_protein: None,
        };
        let n = 4000;
        let area: f64 = (0..n)
            .map(|i| e.density(i as f64 / n as f64) / n as f64)
            .sum();
        assert!((area - 100.0).abs() < 0.1, "{area}");
        // A spike is taller than a normal peak of a larger fraction.
        assert!(e.density(0.8) > e.density(0.2));
    }
}
