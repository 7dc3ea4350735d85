//! The question model: what a checked bank holds.
//!
//! Everything here has passed validation (see `decode`), so the rest of the program can
//! trust it: choices are non-empty and distinct, keys are in range, IRT parameters are
//! finite and in range. Reading and checking files is `decode`'s job, not this module's.

use std::fmt;
use std::path::PathBuf;

/// A content area of the ASCP/AMT outlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Area {
    BloodBanking,
    Chemistry,
    Hematology,
    Immunology,
    Microbiology,
    Urinalysis,
    LabOperations,
}

impl Area {
    pub const ALL: [Area; 7] = [
        Area::BloodBanking,
        Area::Chemistry,
        Area::Hematology,
        Area::Immunology,
        Area::Microbiology,
        Area::Urinalysis,
        Area::LabOperations,
    ];

    /// The kebab-case name used in bank files, options and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Area::BloodBanking => "blood-banking",
            Area::Chemistry => "chemistry",
            Area::Hematology => "hematology",
            Area::Immunology => "immunology",
            Area::Microbiology => "microbiology",
            Area::Urinalysis => "urinalysis",
            Area::LabOperations => "lab-operations",
        }
    }

    /// The heading a candidate reads in a report.
    pub fn title(self) -> &'static str {
        match self {
            Area::BloodBanking => "Blood Banking",
            Area::Chemistry => "Chemistry",
            Area::Hematology => "Hematology",
            Area::Immunology => "Immunology",
            Area::Microbiology => "Microbiology",
            Area::Urinalysis => "Urinalysis and Body Fluids",
            Area::LabOperations => "Laboratory Operations",
        }
    }

    pub fn from_name(name: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Reads an area as people write it: the name (`blood-banking`), the title
    /// (`Urinalysis and Body Fluids`), or a name instructors and the exams use (`Blood
    /// Bank`, `Immunohematology`, `Micro`, `Heme`, `Coag`, `Chem`, `Serology`, `UA`,
    /// `Urinalysis & Body Fluids`, `Lab Ops`, `General Laboratory`), in any case and
    /// with spaces, `-`, `_` or `&`.
    pub fn parse(text: &str) -> Option<Area> {
        let norm: String = text
            .trim()
            .to_lowercase()
            .replace('&', " and ")
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_' || c == '/')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(a) = Area::ALL
            .into_iter()
            .find(|a| a.name().replace('-', " ") == norm || a.title().to_lowercase() == norm)
        {
            return Some(a);
        }
        Some(match norm.as_str() {
            "blood bank"
            | "bb"
            | "immunohematology"
            | "transfusion"
            | "transfusion medicine"
            | "blood banking and transfusion services" => Area::BloodBanking,
            "chem" | "clinical chemistry" => Area::Chemistry,
            "heme"
            | "hem"
            | "haematology"
            | "coag"
            | "coagulation"
            | "hemostasis"
            | "coagulation and hemostasis" => Area::Hematology,
            "serology" | "immunology and serology" | "immuno" | "immunology serology" => {
                Area::Immunology
            }
            "micro" | "clinical microbiology" | "bacteriology" => Area::Microbiology,
            "ua"
            | "urinalysis and body fluids"
            | "urinalysis and other body fluids"
            | "body fluids" => Area::Urinalysis,
            "lab ops"
            | "lab operations"
            | "laboratory operations"
            | "general laboratory"
            | "general lab"
            | "lab operations and management" => Area::LabOperations,
            _ => return None,
        })
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which certification level an item is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// MLT only: too basic for an MLS form.
    Mlt,
    /// MLS-only depth.
    Mls,
    /// Fits both the MLT and the MLS exam.
    Both,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Mlt, Level::Mls, Level::Both];

    /// The name used in bank files and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Level::Mlt => "MLT",
            Level::Mls => "MLS",
            Level::Both => "both",
        }
    }

    /// Reads `MLT`, `MLS` or `both`, in any letter case.
    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL
            .into_iter()
            .find(|l| l.name().eq_ignore_ascii_case(name))
    }

    /// Whether an item of this level belongs on an MLT form.
    pub fn suits_mlt(self) -> bool {
        matches!(self, Level::Mlt | Level::Both)
    }

    /// Whether an item of this level belongs on an MLS form.
    pub fn suits_mls(self) -> bool {
        matches!(self, Level::Mls | Level::Both)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The three kinds of item and what counts as right.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// One best answer among 2 to 6 choices (the ASCP format); `key` is 0-based.
    SingleBest { choices: Vec<String>, key: usize },
    /// Select all that apply among 2 to 8 choices; `keys` are 0-based, sorted, distinct.
    SelectAll {
        choices: Vec<String>,
        keys: Vec<usize>,
    },
    /// A number within `tolerance` (absolute) of `value`, in `unit`.
    Numeric {
        value: f64,
        tolerance: f64,
        unit: String,
    },
}

/// The kind of an item, for counting and filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    SingleBest,
    SelectAll,
    Numeric,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::SingleBest, Kind::SelectAll, Kind::Numeric];

    /// The name used in bank files (the variant name) and JSON (kebab-case).
    pub fn name(self) -> &'static str {
        match self {
            Kind::SingleBest => "single-best",
            Kind::SelectAll => "select-all",
            Kind::Numeric => "numeric",
        }
    }
}

impl Answer {
    pub fn kind(&self) -> Kind {
        match self {
            Answer::SingleBest { .. } => Kind::SingleBest,
            Answer::SelectAll { .. } => Kind::SelectAll,
            Answer::Numeric { .. } => Kind::Numeric,
        }
    }

    /// The key as a candidate would write it: `B`, `A,C`, `90 fL (accepted: 89.5 to
    /// 90.5)`. Part of an item's [`content_hash`], so its form must not change.
    pub fn key_text(&self) -> String {
        let letters = |keys: &[usize]| {
            keys.iter()
                .map(|k| crate::bank::decode::letter_for(*k).to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        match self {
            Answer::SingleBest { key, .. } => letters(&[*key]),
            Answer::SelectAll { keys, .. } => letters(keys),
            Answer::Numeric {
                value,
                tolerance,
                unit,
            } => {
                let unit = if unit.is_empty() {
                    String::new()
                } else {
                    format!(" {unit}")
                };
                if *tolerance > 0.0 {
                    format!(
                        "{value}{unit} (accepted: {} to {})",
                        value - tolerance,
                        value + tolerance
                    )
                } else {
                    format!("{value}{unit}")
                }
            }
        }
    }

    /// The choices of a choice item; empty for numeric items.
    pub fn choices(&self) -> &[String] {
        match self {
            Answer::SingleBest { choices, .. } | Answer::SelectAll { choices, .. } => choices,
            Answer::Numeric { .. } => &[],
        }
    }
}

/// Where an item's difficulty `b` came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BSource {
    /// Written in the bank (an initial estimate or a calibration).
    Given,
    /// Derived from the author's 1-5 difficulty rating (see [`b_for_rating`]).
    Rating,
    /// Neither given nor rated: the middle of the scale.
    Default,
}

/// Item response theory parameters (see [`crate::irt::ItemParams`]).
pub use crate::irt::ItemParams as IrtParams;

/// The rubric that turns an author's difficulty rating into an initial `b`:
/// 1 -> -2.0, 2 -> -1.0, 3 -> 0.0, 4 -> +1.0, 5 -> +2.0 (see docs/bank-format.md).
pub fn b_for_rating(rating: u8) -> f64 {
    f64::from(rating) - 3.0
}

/// The range of `b` consistent with a rating: the rating's value plus or minus 0.75.
/// A given `b` outside it earns a warning (the rating or the `b` is probably wrong).
pub fn b_range_for_rating(rating: u8) -> (f64, f64) {
    let mid = b_for_rating(rating);
    (mid - 0.75, mid + 0.75)
}

/// One question.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    pub area: Area,
    pub topic: String,
    pub subtopic: Option<String>,
    pub level: Level,
    pub stem: String,
    pub answer: Answer,
    pub explanation: String,
    pub references: Vec<String>,
    /// The author's rating, 1 (easiest) to 5 (hardest).
    pub difficulty: Option<u8>,
    pub irt: IrtParams,
    pub b_source: BSource,
    /// Resolved path of an image shown with the stem.
    pub image: Option<PathBuf>,
    /// Structured visual data shown after the stem (tables, charts, scans).
    pub exhibits: Vec<crate::exhibit::Exhibit>,
    /// Items that cue or answer this one: never given in the same exam or practice session.
    pub enemies: Vec<String>,
    /// Whether the choices may be shown in a shuffled order (false where order matters,
    /// e.g. "Both A and B").
    pub shuffle: bool,
}

pub use crate::hash::Fnv1a;

/// A stable hash of what a candidate saw and what was right, so history can say when an
/// answered item was edited later (FNV-1a 64 over stem, choices, key and explanation,
/// each followed by a 0xFF byte).
pub fn content_hash(item: &Item) -> String {
    let mut h = Fnv1a::default();
    let mut feed = |s: &str| {
        h.write(s.as_bytes());
        h.write(&[0xff]);
    };
    feed(&item.stem);
    for c in item.answer.choices() {
        feed(c);
    }
    feed(&item.answer.key_text());
    feed(&item.explanation);
    // Only items with exhibits feed them, so every other item's hash is as before.
    for e in &item.exhibits {
        feed(&e.canonical());
    }
    format!("{:016x}", h.finish())
}

/// Where a bank was read from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BankOrigin {
    /// Shipped inside the binary; the name is the file name under `question_banks/`.
    Builtin(String),
    /// Read from a file.
    File(PathBuf),
}

impl fmt::Display for BankOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BankOrigin::Builtin(name) => write!(f, "<builtin>/{name}"),
            BankOrigin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A bank: its metadata and its items.
#[derive(Debug, Clone, PartialEq)]
pub struct Bank {
    pub id: String,
    pub title: String,
    pub author: String,
    pub version: String,
    pub license: String,
    pub description: Option<String>,
    pub origin: BankOrigin,
    pub items: Vec<Item>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_names_round_trip() {
        for area in Area::ALL {
            assert_eq!(Area::from_name(area.name()), Some(area));
        }
        assert_eq!(Area::from_name("Hematology"), None);
    }

    #[test]
    fn areas_read_as_instructors_write_them() {
        for (text, area) in [
            ("Blood Bank", Area::BloodBanking),
            ("IMMUNOHEMATOLOGY", Area::BloodBanking),
            ("blood_banking", Area::BloodBanking),
            ("Micro", Area::Microbiology),
            ("Urinalysis & Body Fluids", Area::Urinalysis),
            ("Urinalysis and Body Fluids", Area::Urinalysis),
            ("UA", Area::Urinalysis),
            ("Heme", Area::Hematology),
            ("Coag", Area::Hematology),
            ("Chem", Area::Chemistry),
            ("Serology", Area::Immunology),
            ("Lab Ops", Area::LabOperations),
            ("General Laboratory", Area::LabOperations),
            ("lab-operations", Area::LabOperations),
        ] {
            assert_eq!(Area::parse(text), Some(area), "{text}");
        }
        assert_eq!(Area::parse("histology"), None);
    }

    #[test]
    fn levels_read_in_any_case() {
        assert_eq!(Level::from_name("mls"), Some(Level::Mls));
        assert_eq!(Level::from_name("BOTH"), Some(Level::Both));
        assert_eq!(Level::from_name("MLT/MLS"), None);
        assert!(Level::Both.suits_mlt() && Level::Both.suits_mls());
        assert!(!Level::Mls.suits_mlt());
    }

    #[test]
    fn rating_rubric() {
        let table = [(1, -2.0), (2, -1.0), (3, 0.0), (4, 1.0), (5, 2.0)];
        for (rating, b) in table {
            assert_eq!(b_for_rating(rating), b);
            let (lo, hi) = b_range_for_rating(rating);
            assert!(lo < b && b < hi);
        }
    }
}
