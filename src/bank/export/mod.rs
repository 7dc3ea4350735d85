//! Exporters: banks written as GIFT for Moodle or as CSV in `labcert import csv`'s
//! columns, so that importing the file back gives the same items.
//!
//! Each writer (`gift`, `csv`) turns items into text and, while it writes, lists every
//! [`Loss`]: a value the format or labcert's importer cannot carry exactly (an image,
//! runs of spaces that the importer tidies, enemies in CSV). The round trip of every
//! shipped bank through both formats is tested item by item (tests/moodle_export.rs).
//! What goes where, and what Moodle will and will not show, is in docs/moodle.md.
//! Finding the banks, writing the file and printing the summary are `cli`'s job.

mod csv;
mod gift;

use serde::Serialize;

use crate::bank::import::html::tidy;
use crate::bank::model::{BSource, Bank, Item};

/// The formats a bank can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Moodle's GIFT text format.
    Gift,
    /// Comma-separated values in the columns `labcert import csv` reads.
    Csv,
}

impl Format {
    /// The format's name as people write it.
    pub fn title(self) -> &'static str {
        match self {
            Format::Gift => "GIFT",
            Format::Csv => "CSV",
        }
    }
}

/// The text of an export and what it could not carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub text: String,
    /// How many items were written.
    pub items: usize,
    pub losses: Vec<Loss>,
}

/// A value of one item that the file cannot carry exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loss {
    pub item: String,
    #[serde(flatten)]
    pub kind: LossKind,
}

/// What is lost, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "field")]
pub enum LossKind {
    /// White space the importer tidies (runs of spaces, tabs, blank lines, spaces at the
    /// ends of lines) in the named field.
    Spacing(&'static str),
    /// A line break (or another control character) in a field that is one line in the
    /// file (a choice, the topic, a reference, a tag), written as a space.
    LineBreak(&'static str),
    /// The explanation's last line starts with `Read:`, which the importer takes for a
    /// reference (GIFT).
    ReadLine,
    /// A tag value with `<`, `>` or `` ` `` (which a Moodle tag cannot hold: left out) or
    /// ending in a backslash (which would escape the closing `]`) (GIFT).
    TagText(&'static str),
    /// An image: neither format carries a file.
    Image,
    /// Enemies: CSV has no column for them.
    Enemies,
    /// `shuffle: false`: CSV has no column for it.
    Shuffle,
    /// No difficulty rating and no `b`: an import gives the item difficulty 3 (the same
    /// `b`, 0).
    NoRating,
}

impl LossKind {
    /// What happens, in a sentence, for a note.
    pub fn describe(self) -> String {
        match self {
            LossKind::Spacing(field) => format!(
                "the {field} has runs of spaces, tabs, blank lines or spaces at the ends of lines, which an import tidies"
            ),
            LossKind::LineBreak(field) => {
                format!("the {field} has a line break, written as a space")
            }
            LossKind::ReadLine => {
                "the explanation's last line starts with \"Read:\", which an import takes for a reference".to_string()
            }
            LossKind::TagText(field) => format!(
                "the {field} has <, > or ` (left out: a Moodle tag cannot hold them) or ends in a backslash"
            ),
            LossKind::Image => {
                "the image is not in the file (GIFT names it in an image: tag): add it by hand"
                    .to_string()
            }
            LossKind::Enemies => {
                "CSV has no column for enemies (GIFT keeps them as enemy: tags)".to_string()
            }
            LossKind::Shuffle => {
                "CSV has no column for `shuffle: false` (GIFT keeps it as a tag)".to_string()
            }
            LossKind::NoRating => {
                "no difficulty rating and no b: an import gives it difficulty 3 (the same b, 0)"
                    .to_string()
            }
        }
    }
}

/// Writes `banks` in `format`, items in bank order and each bank's own order.
pub fn export(banks: &[&Bank], format: Format) -> Export {
    match format {
        Format::Gift => gift::write(banks),
        Format::Csv => csv::write(banks),
    }
}

/// Collects the losses of the item being written.
struct Losses<'a> {
    item: &'a str,
    out: &'a mut Vec<Loss>,
}

impl Losses<'_> {
    fn add(&mut self, kind: LossKind) {
        let loss = Loss {
            item: self.item.to_string(),
            kind,
        };
        if !self.out.contains(&loss) {
            self.out.push(loss);
        }
    }

    /// A text the importer keeps with its line breaks (stem, explanation): it must
    /// already be tidy.
    fn lines(&mut self, field: &'static str, text: &str) {
        if tidy(text) != text {
            self.add(LossKind::Spacing(field));
        }
    }

    /// A text the importer reads as one line (a choice, the topic, a tag).
    fn line(&mut self, field: &'static str, text: &str) {
        if text.contains(['\n', '\r']) {
            self.add(LossKind::LineBreak(field));
        } else if one_line(text) != text {
            self.add(LossKind::Spacing(field));
        }
    }

    /// A value the importer trims but otherwise keeps (topic, subtopic, unit, a tag), on
    /// one line of the file.
    fn trimmed(&mut self, field: &'static str, text: &str) {
        if text.chars().any(char::is_control) {
            self.add(LossKind::LineBreak(field));
        } else if text.trim() != text {
            self.add(LossKind::Spacing(field));
        }
    }

    /// What every format loses the same way.
    fn common(&mut self, item: &Item) {
        if item.image.is_some() {
            self.add(LossKind::Image);
        }
        if item.difficulty.is_none() && item.b_source != BSource::Given {
            self.add(LossKind::NoRating);
        }
    }
}

/// A text on one line with single spaces, as the importers read choices.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A value with each control character (a line break, a tab) made a space.
fn no_controls(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A number as the shortest decimal that reads back as the same `f64` (never in
/// exponent form, which Moodle's `is_numeric` accepts but a spreadsheet may not).
fn number(x: f64) -> String {
    format!("{x}")
}

/// The discrimination `a` when it is not the Rasch default of 1.
fn irt_a(item: &Item) -> Option<f64> {
    (item.irt.a != 1.0).then_some(item.irt.a)
}

/// The difficulty `b` when the bank gives it (not derived from the rating).
fn irt_b(item: &Item) -> Option<f64> {
    (item.b_source == BSource::Given).then_some(item.irt.b)
}

/// The guessing parameter `c` when it is not 0.
fn irt_c(item: &Item) -> Option<f64> {
    (item.irt.c != 0.0).then_some(item.irt.c)
}

#[cfg(test)]
pub(crate) mod test_items {
    //! Items for the writers' unit tests.

    use crate::bank::model::{Answer, Area, BSource, Bank, BankOrigin, IrtParams, Item, Level};

    pub fn item(id: &str, answer: Answer) -> Item {
        Item {
            id: id.to_string(),
            area: Area::Hematology,
            topic: "red cell indices".to_string(),
            subtopic: Some("MCV".to_string()),
            level: Level::Mls,
            stem: "Hct 45% and RBC 5.0 x 10^12/L: what is the MCV?".to_string(),
            answer,
            explanation: "Hct x 10 / RBC = 90 fL.".to_string(),
            references: vec!["Rodak's Hematology, 6th ed.".to_string()],
            difficulty: Some(2),
            irt: IrtParams::rasch(-1.0),
            b_source: BSource::Rating,
            image: None,
            exhibits: Vec::new(),
            enemies: Vec::new(),
            shuffle: true,
        }
    }

    pub fn single(choices: &[&str], key: usize) -> Answer {
        Answer::SingleBest {
            choices: choices.iter().map(|c| c.to_string()).collect(),
            key,
        }
    }

    pub fn bank(items: Vec<Item>) -> Bank {
        Bank {
            id: "class".to_string(),
            title: "Class bank".to_string(),
            author: "Me".to_string(),
            version: "1".to_string(),
            license: "CC-BY-4.0".to_string(),
            description: None,
            origin: BankOrigin::Builtin("class.ron".to_string()),
            items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_items::*;
    use super::*;

    #[test]
    fn numbers_are_shortest_decimals_without_exponents() {
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(12900.0), "12900");
        assert_eq!(number(-2.125), "-2.125");
        assert_eq!(number(1e-7), "0.0000001");
        assert_eq!(number(0.1 + 0.2), "0.30000000000000004");
    }

    #[test]
    fn losses_name_the_item_and_what_is_lost_once() {
        let mut out = Vec::new();
        let mut losses = Losses {
            item: "q1",
            out: &mut out,
        };
        losses.lines("stem", "tidy\ntext");
        losses.lines("stem", "two  spaces");
        losses.lines("stem", "two  spaces");
        losses.line("topic", "a\nb");
        losses.line("choice", " padded");
        losses.trimmed("unit", "x  y");
        losses.trimmed("unit", "x\ty");
        let mut i = item("q1", single(&["a", "b"], 0));
        i.difficulty = None;
        losses.common(&i);
        let kinds: Vec<LossKind> = out.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LossKind::Spacing("stem"),
                LossKind::LineBreak("topic"),
                LossKind::Spacing("choice"),
                LossKind::LineBreak("unit"),
                LossKind::NoRating
            ]
        );
        assert!(out.iter().all(|l| l.item == "q1"));
    }

    #[test]
    fn irt_parameters_are_written_only_when_the_bank_gives_them() {
        let mut i = item("q1", single(&["a", "b"], 0));
        assert_eq!((irt_a(&i), irt_b(&i), irt_c(&i)), (None, None, None));
        i.irt.a = 1.3;
        i.irt.c = 0.2;
        i.b_source = BSource::Given;
        assert_eq!(
            (irt_a(&i), irt_b(&i), irt_c(&i)),
            (Some(1.3), Some(-1.0), Some(0.2))
        );
    }
}
