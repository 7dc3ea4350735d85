//! CSV, one item per row under a header line, read into drafts.
//!
//! Quoting follows RFC 4180: a field in double quotes may hold the delimiter, line
//! breaks and doubled quotes (`""` for `"`). The delimiter is the comma, or the semicolon
//! or tab when the header line has more of those outside quotes (spreadsheets in many
//! locales save "CSV" with semicolons). Header names are case-insensitive and in any
//! order, except the single letters: capital `A`-`H` are the choices and lowercase `a`,
//! `b`, `c` the IRT parameters (also `irt_a`, `irt_b`, `irt_c`). Columns whose name starts
//! with `#` are ignored; any other unknown column is an error, so that a misspelt header
//! is caught rather than silently dropped. The columns and what each means are listed in
//! docs/import-formats.md.
//!
//! A row that cannot be an item (no id, an answer letter with no choice, a number that
//! is not one) is skipped with its line and the reason. The checks every format shares
//! (choice counts, IRT ranges, id rules) are `draft`'s.

use super::draft::{
    Draft, Given, IdSource, IrtGiven, Note, Parsed, SkipKind, Skipped, area_from_text, excerpt,
    parse_number,
};
use super::{Defaults, ImportError};
use crate::bank::decode::letter_for;
use crate::bank::model::{Answer, Level};
use crate::doc::csv::{Record, Records, detect_delimiter};
use crate::doc::decode::suggest;

/// The most choice columns: `A` to `H` (select-all items take up to 8 choices).
const MAX_CHOICE_COLUMNS: usize = 8;

/// Every column name, for messages and suggestions.
pub const COLUMN_NAMES: &[&str] = &[
    "id",
    "area",
    "topic",
    "subtopic",
    "level",
    "kind",
    "stem",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
    "H",
    "answer",
    "unit",
    "tolerance",
    "explanation",
    "references",
    "difficulty",
    "a",
    "b",
    "c",
];

/// Reads a CSV file named `name` (for messages). A header that cannot be used is an
/// error: nothing can be imported from such a file.
pub fn parse(text: &str, name: &str, defaults: &Defaults) -> Result<Parsed, ImportError> {
    let delimiter = detect_delimiter(text);
    let mut records = Records::new(text, delimiter).filter(|r| !r.is_blank());
    let Some(header) = records.next() else {
        return Err(ImportError::NoQuestions {
            path: name.to_string(),
            format: super::Format::Csv,
        });
    };
    let columns = Columns::from_header(&header, name, text, defaults)?;
    let mut parsed = Parsed::default();
    for (number, record) in records.enumerate() {
        let skip = |e: RowError| Skipped {
            line: e.at.map_or(record.line, |(line, _)| line),
            column: e.at.map(|(_, column)| column),
            kind: SkipKind::Malformed,
            question: columns.label(&record),
            reason: e.reason,
        };
        if let Some(problem) = &record.problem {
            parsed.skipped.push(skip(RowError {
                reason: problem.message.clone(),
                at: Some((problem.line, problem.column)),
            }));
            continue;
        }
        match columns.draft(&record, number + 1) {
            Ok((draft, notes)) => {
                parsed
                    .notes
                    .extend(notes.into_iter().map(|n| Note::at(record.line, n)));
                parsed.drafts.push(draft);
            }
            Err(reason) => parsed.skipped.push(skip(reason)),
        }
    }
    Ok(parsed)
}

/// What a header column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Area,
    Topic,
    Subtopic,
    Level,
    Kind,
    Stem,
    /// A choice: 0 for `A`, 1 for `B`, ...
    Choice(usize),
    Answer,
    Unit,
    Tolerance,
    Explanation,
    References,
    Difficulty,
    IrtA,
    IrtB,
    IrtC,
    /// A `#...` column: the instructor's own notes.
    Ignored,
}

impl Column {
    /// Reads a header name, or says what is wrong with it.
    fn from_name(name: &str) -> Result<Column, String> {
        let raw = name.trim();
        if raw.starts_with('#') {
            return Ok(Column::Ignored);
        }
        let mut chars = raw.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return match c {
                'A'..='H' => Ok(Column::Choice(c as usize - 'A' as usize)),
                'a' => Ok(Column::IrtA),
                'b' => Ok(Column::IrtB),
                'c' => Ok(Column::IrtC),
                'd'..='h' => Err(format!(
                    "`{c}`: choice columns are capital letters A-H (lowercase a, b and c are the IRT parameters)"
                )),
                _ => Err(format!("`{raw}` is not a column")),
            };
        }
        Ok(match raw.to_lowercase().as_str() {
            "id" => Column::Id,
            "area" => Column::Area,
            "topic" => Column::Topic,
            "subtopic" => Column::Subtopic,
            "level" => Column::Level,
            "kind" => Column::Kind,
            "stem" => Column::Stem,
            "answer" => Column::Answer,
            "unit" => Column::Unit,
            "tolerance" => Column::Tolerance,
            "explanation" => Column::Explanation,
            "references" => Column::References,
            "difficulty" => Column::Difficulty,
            "irt_a" | "irt-a" => Column::IrtA,
            "irt_b" | "irt-b" => Column::IrtB,
            "irt_c" | "irt-c" => Column::IrtC,
            lower => {
                let hint = match lower {
                    "question" | "text" | "prompt" => Some("stem"),
                    "key" | "correct" | "correct answer" => Some("answer"),
                    "feedback" | "rationale" => Some("explanation"),
                    "category" | "subject" => Some("topic"),
                    "reference" | "source" | "sources" => Some("references"),
                    _ => suggest(lower, COLUMN_NAMES.iter().copied().filter(|n| n.len() > 1)),
                };
                return Err(match hint {
                    Some(h) => format!("`{raw}` is not a column (did you mean `{h}`?)"),
                    None => format!("`{raw}` is not a column"),
                });
            }
        })
    }

    fn name(self) -> String {
        match self {
            Column::Choice(i) => letter_for(i).to_string(),
            Column::IrtA => "a".into(),
            Column::IrtB => "b".into(),
            Column::IrtC => "c".into(),
            other => format!("{other:?}").to_lowercase(),
        }
    }
}

/// The header: which column holds what.
struct Columns {
    order: Vec<Column>,
    /// The file's delimiter: it decides what a comma inside a number means.
    delimiter: char,
}

/// Why a row cannot be an item, and where (line, column) when one cell is to blame.
#[derive(Debug, Clone, PartialEq)]
struct RowError {
    reason: String,
    at: Option<(usize, usize)>,
}

impl From<String> for RowError {
    fn from(reason: String) -> RowError {
        RowError { reason, at: None }
    }
}

impl Columns {
    fn from_header(
        header: &Record,
        name: &str,
        text: &str,
        defaults: &Defaults,
    ) -> Result<Columns, ImportError> {
        let header_line = text
            .lines()
            .nth(header.line - 1)
            .unwrap_or_default()
            .to_string();
        let fail = |problem: String| ImportError::CsvHeader {
            path: name.to_string(),
            line: header.line,
            problem,
            header: header_line.clone(),
        };
        if let Some(problem) = &header.problem {
            return Err(fail(problem.message.clone()));
        }
        let mut order = Vec::with_capacity(header.fields.len());
        let mut unknown = Vec::new();
        for field in &header.fields {
            match Column::from_name(field) {
                Ok(c) if c != Column::Ignored && order.contains(&c) => {
                    return Err(fail(format!("names the column `{}` twice", c.name())));
                }
                Ok(c) => order.push(c),
                Err(e) => {
                    unknown.push(e);
                    order.push(Column::Ignored);
                }
            }
        }
        let mut required = vec![Column::Id, Column::Stem, Column::Answer];
        if defaults.area.is_none() {
            required.push(Column::Area);
        }
        if defaults.topic.is_none() {
            required.push(Column::Topic);
        }
        let missing: Vec<String> = required
            .into_iter()
            .filter(|c| !order.contains(c))
            .map(|c| format!("`{}`", c.name()))
            .collect();
        let mut problems = Vec::new();
        if !missing.is_empty() {
            let plural = if missing.len() == 1 { "" } else { "s" };
            let optional = if missing.iter().any(|m| m == "`area`" || m == "`topic`") {
                " (`area` and `topic` may be left out when --area and --topic are given)"
            } else {
                ""
            };
            problems.push(format!(
                "lacks the required column{plural} {}{optional}",
                missing.join(", ")
            ));
        }
        if !unknown.is_empty() {
            problems.push(format!(
                "has unknown columns: {} (start a column's name with # to keep it out of the import)",
                unknown.join("; ")
            ));
        }
        if problems.is_empty() {
            Ok(Columns {
                order,
                delimiter: detect_delimiter(text),
            })
        } else {
            Err(fail(problems.join("; and ")))
        }
    }

    /// The trimmed text of a column in a record; empty when the column or cell is absent.
    fn cell<'r>(&self, record: &'r Record, column: Column) -> &'r str {
        self.order
            .iter()
            .position(|c| *c == column)
            .and_then(|i| record.fields.get(i))
            .map_or("", |f| f.trim())
    }

    /// Where a column's cell starts in a record.
    fn position(&self, record: &Record, column: Column) -> Option<(usize, usize)> {
        let i = self.order.iter().position(|c| *c == column)?;
        record.starts.get(i).copied()
    }

    /// A number cell, read under the file's delimiter rules (see [`number`]); a cell
    /// that is not a number is an error at its line and column.
    fn number(&self, record: &Record, column: Column, what: &str) -> Result<f64, RowError> {
        number(self.cell(record, column), self.delimiter).map_err(|problem| RowError {
            reason: format!("{what}: {problem}"),
            at: self.position(record, column),
        })
    }

    fn has(&self, column: Column) -> bool {
        self.order.contains(&column)
    }

    /// How a row is named in messages: its id, else its stem's start.
    fn label(&self, record: &Record) -> String {
        let id = self.cell(record, Column::Id);
        if id.is_empty() {
            excerpt(self.cell(record, Column::Stem))
        } else {
            id.to_string()
        }
    }

    /// Reads one row into a draft, with notes, or says why it cannot be one.
    fn draft(&self, record: &Record, number: usize) -> Result<(Draft, Vec<String>), RowError> {
        if record.fields.len() > self.order.len()
            && record.fields[self.order.len()..]
                .iter()
                .any(|f| !f.trim().is_empty())
        {
            return Err(format!(
                "{} fields, but the header has {} columns (is a comma inside an unquoted field?)",
                record.fields.len(),
                self.order.len()
            )
            .into());
        }
        let cell = |c| self.cell(record, c);
        let id = cell(Column::Id);
        if id.is_empty() {
            return Err("no id".to_string().into());
        }
        let stem = super::html::tidy(cell(Column::Stem));
        if stem.is_empty() {
            return Err("the stem is empty".to_string().into());
        }
        let mut notes = Vec::new();
        let answer = self.answer(record, &mut notes)?;
        let mut draft = Draft::new(record.line, number, stem, answer);
        draft.id = IdSource::Given(id.to_string());
        draft.area = match cell(Column::Area) {
            "" => Given::Absent,
            text => {
                area_from_text(text).map_or_else(|| Given::Invalid(text.to_string()), Given::Valid)
            }
        };
        draft.level = match cell(Column::Level) {
            "" => Given::Absent,
            text => Level::from_name(text)
                .map_or_else(|| Given::Invalid(text.to_string()), Given::Valid),
        };
        let text = |c| Some(cell(c).to_string()).filter(|t| !t.is_empty());
        draft.topic = text(Column::Topic);
        draft.subtopic = text(Column::Subtopic);
        draft.explanation = text(Column::Explanation).map(|e| super::html::tidy(&e));
        draft.references = references(cell(Column::References));
        draft.difficulty = match cell(Column::Difficulty) {
            "" => None,
            d => Some(
                d.parse::<u8>()
                    .map_err(|_| format!("difficulty \"{d}\" is not a whole number from 1 to 5"))?,
            ),
        };
        let irt = |column, name| -> Result<Option<f64>, RowError> {
            if cell(column).is_empty() {
                return Ok(None);
            }
            self.number(record, column, &format!("{name} (the lowercase columns a, b and c are IRT parameters; choices are capital A-H)"))
                .map(Some)
        };
        draft.irt = IrtGiven {
            a: irt(Column::IrtA, "a")?,
            b: irt(Column::IrtB, "b")?,
            c: irt(Column::IrtC, "c")?,
        };
        Ok((draft, notes))
    }

    /// Reads the answer of a row from its `kind`, choices, `answer`, `unit` and
    /// `tolerance`.
    fn answer(&self, record: &Record, notes: &mut Vec<String>) -> Result<Answer, RowError> {
        let cell = |c| self.cell(record, c);
        let choices = self.choices(record)?;
        let answer = cell(Column::Answer);
        if answer.is_empty() {
            return Err("the answer is empty".to_string().into());
        }
        let looks_numeric = answer
            .trim_start_matches(['-', '+'])
            .starts_with(|c: char| c.is_ascii_digit() || c == '.');
        let kind = match cell(Column::Kind) {
            "" if choices.is_empty() && looks_numeric => Kind::Numeric,
            "" if letters(answer).is_ok_and(|l| l.len() > 1) => Kind::Multi,
            "" => Kind::Single,
            k => Kind::from_name(k)?,
        };
        if kind == Kind::Numeric {
            if !choices.is_empty() {
                return Err("a numeric item has no choices, but choice A is filled in"
                    .to_string()
                    .into());
            }
            let value = self.number(record, Column::Answer, "the answer of a numeric item")?;
            let tolerance = match cell(Column::Tolerance) {
                "" => 0.0,
                _ => self.number(record, Column::Tolerance, "the tolerance")?,
            };
            return Ok(Answer::Numeric {
                value,
                tolerance,
                unit: cell(Column::Unit).to_string(),
            });
        }
        if !cell(Column::Unit).is_empty() || !cell(Column::Tolerance).is_empty() {
            notes.push(format!(
                "\"{}\": unit and tolerance apply to numeric items only and were left out",
                self.label(record)
            ));
        }
        if choices.is_empty() {
            return Err(format!(
                "no choices (columns A-H), and the answer \"{answer}\" is not a number for a numeric item"
            )
            .into());
        }
        let keys = letters(answer)?;
        match kind {
            Kind::Single if keys.len() > 1 => Err(format!(
                "the kind is single but the answer \"{answer}\" names {} letters",
                keys.len()
            )
            .into()),
            Kind::Single => Ok(Answer::SingleBest {
                choices,
                key: keys[0],
            }),
            _ => Ok(Answer::SelectAll { choices, keys }),
        }
    }

    /// The filled choice cells `A`.. in order; a gap before a filled cell is an error.
    fn choices(&self, record: &Record) -> Result<Vec<String>, String> {
        let cells: Vec<String> = (0..MAX_CHOICE_COLUMNS)
            .map(|i| {
                self.cell(record, Column::Choice(i))
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let count = cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        if let Some(gap) = cells[..count].iter().position(String::is_empty) {
            let column = if self.has(Column::Choice(gap)) {
                "is empty"
            } else {
                "has no column"
            };
            return Err(format!(
                "choice {} {column}, but a later choice is given",
                letter_for(gap)
            ));
        }
        Ok(cells.into_iter().take(count).collect())
    }
}

/// The `kind` column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Single,
    Multi,
    Numeric,
}

impl Kind {
    fn from_name(name: &str) -> Result<Kind, String> {
        let norm: String = name
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        match norm.as_str() {
            "single" | "singlebest" => Ok(Kind::Single),
            "multi" | "multiple" | "selectall" => Ok(Kind::Multi),
            "numeric" | "numerical" | "number" => Ok(Kind::Numeric),
            _ => Err(format!(
                "the kind \"{name}\" is not single, multi or numeric"
            )),
        }
    }
}

/// A number as a spreadsheet may write it, without ever changing its meaning silently.
///
/// With comma-separated columns, a comma inside a (quoted) number can only be a thousands
/// separator: `"7,500"` is 7500 and `"1,234.5"` is 1234.5; any other comma is refused. With
/// `;` or tab columns, one comma between digits is the decimal separator (`4,5` is 4.5),
/// unless the number reads as well with a thousands separator (`7,500`): that is refused
/// as ambiguous rather than guessed.
fn number(text: &str, delimiter: char) -> Result<f64, String> {
    let t = text.trim();
    let not_a_number = || format!("\"{t}\" is not a number");
    if !t.contains(',') {
        return parse_number(t).ok_or_else(not_a_number);
    }
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let thousands = is_grouped(digits);
    let decimal = match digits.split_once(',') {
        Some((whole, fraction)) => {
            !whole.is_empty()
                && !fraction.is_empty()
                && whole.chars().all(|c| c.is_ascii_digit())
                && fraction.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    };
    let plain = |s: String| parse_number(&s).ok_or_else(not_a_number);
    if delimiter == ',' {
        return if thousands {
            plain(t.replace(',', ""))
        } else {
            Err(format!(
                "\"{t}\" has a comma that is not a thousands separator; in a comma-separated file write decimals with a point (4.5)"
            ))
        };
    }
    match (thousands, decimal) {
        (true, true) => Err(format!(
            "\"{t}\" could mean {} or {}; write it without a thousands separator, or with a decimal point",
            t.replace(',', ""),
            t.replace(',', ".")
        )),
        (true, false) => plain(t.replace(',', "")),
        (false, true) => plain(t.replace(',', ".")),
        (false, false) => Err(not_a_number()),
    }
}

/// Digits in groups of three after a first group of one to three (`7,500`,
/// `1,234,567.25`): a number written with thousands separators.
fn is_grouped(digits: &str) -> bool {
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && !(first.starts_with('0'))
        && first.chars().all(|c| c.is_ascii_digit())
        && whole.contains(',')
        && groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// The sources of a `references` cell: one per line when the cell has several lines
/// (so a reference may hold a `;`, as in "Blood. 2023;7(3)"), else separated by `;`.
pub fn references(cell: &str) -> Vec<String> {
    let parts: Vec<&str> = if cell.contains('\n') {
        cell.lines().collect()
    } else {
        cell.split(';').collect()
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect()
}

/// Answer letters (`B`, `A;C`, `A, C`, `a c`) as sorted 0-based indices.
fn letters(text: &str) -> Result<Vec<usize>, String> {
    let mut keys = Vec::new();
    for part in text.split([';', ',', ' ', '\t']).filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        let index = match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_alphabetic() => {
                (c.to_ascii_uppercase() as u8 - b'A') as usize
            }
            _ => {
                return Err(format!(
                    "the answer \"{text}\" is not a choice letter or letters such as B or A;C"
                ));
            }
        };
        if keys.contains(&index) {
            return Err(format!(
                "the answer \"{text}\" names {} twice",
                letter_for(index)
            ));
        }
        keys.push(index);
    }
    if keys.is_empty() {
        return Err(format!("the answer \"{text}\" names no choice letter"));
    }
    keys.sort_unstable();
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::model::Area;

    #[test]
    fn the_delimiter_is_detected_from_the_header() {
        assert_eq!(detect_delimiter("id,stem,answer\n"), ',');
        assert_eq!(detect_delimiter("id;stem;answer\n1;a,b;c"), ';');
        assert_eq!(detect_delimiter("id\tstem\tanswer"), '\t');
        assert_eq!(detect_delimiter("\"i;d;x\",stem"), ',');
    }

    #[test]
    fn header_names() {
        assert_eq!(Column::from_name(" Explanation "), Ok(Column::Explanation));
        assert_eq!(Column::from_name("A"), Ok(Column::Choice(0)));
        assert_eq!(Column::from_name("a"), Ok(Column::IrtA));
        assert_eq!(Column::from_name("IRT_B"), Ok(Column::IrtB));
        assert_eq!(Column::from_name("#notes"), Ok(Column::Ignored));
        assert!(
            Column::from_name("d")
                .unwrap_err()
                .contains("capital letters")
        );
        assert!(
            Column::from_name("explaination")
                .unwrap_err()
                .contains("did you mean `explanation`")
        );
        assert!(
            Column::from_name("Question")
                .unwrap_err()
                .contains("did you mean `stem`")
        );
    }

    #[test]
    fn answers_and_kinds() {
        assert_eq!(letters("A;C"), Ok(vec![0, 2]));
        assert_eq!(letters("c, a"), Ok(vec![0, 2]));
        assert!(letters("AC").is_err());
        assert!(letters("A;A").is_err());
        assert!(letters(" ; ,").is_err(), "separators alone name no key");
        assert_eq!(Kind::from_name("Select-All"), Ok(Kind::Multi));
    }

    #[test]
    fn commas_in_numbers_never_change_meaning_silently() {
        // Comma-separated: a comma can only group thousands.
        assert_eq!(number("7,500", ','), Ok(7500.0));
        assert_eq!(number("250,000", ','), Ok(250_000.0));
        assert_eq!(number("-1,234.5", ','), Ok(-1234.5));
        assert!(
            number("7,5", ',')
                .unwrap_err()
                .contains("not a thousands separator")
        );
        assert!(number("1,23,456", ',').is_err());
        // Semicolon or tab: one comma is a decimal point unless it could group thousands.
        for d in [';', '\t'] {
            assert_eq!(number("4,5", d), Ok(4.5));
            assert_eq!(number("0,500", d), Ok(0.5));
            assert_eq!(number("1,234.5", d), Ok(1234.5));
            assert!(
                number("7,500", d)
                    .unwrap_err()
                    .contains("could mean 7500 or 7.500")
            );
        }
        assert_eq!(number("12.5", ','), Ok(12.5));
        assert!(number("1,2,3", ';').is_err());
    }

    #[test]
    fn a_full_row() {
        let text = "id,area,topic,level,stem,A,B,C,answer,explanation,references,b\nq1,Hematology,indices,MLS,Which?,x,y,z,A;C,because,R1; R2,0.5\n";
        let parsed = parse(text, "t.csv", &Defaults::default()).unwrap();
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        let d = &parsed.drafts[0];
        assert_eq!(d.id, IdSource::Given("q1".into()));
        assert_eq!(d.area, Given::Valid(Area::Hematology));
        assert_eq!(d.level, Given::Valid(Level::Mls));
        assert_eq!(d.references, ["R1", "R2"]);
        assert_eq!(d.irt.b, Some(0.5));
        assert!(matches!(&d.answer, Answer::SelectAll { keys, .. } if keys == &[0, 2]));
    }

    #[test]
    fn references_split_on_lines_when_the_cell_has_several() {
        assert_eq!(references("Rodak; Tietz ;"), ["Rodak", "Tietz"]);
        assert_eq!(
            references("Blood Adv. 2023;7(3):317-320.\r\n\nRodak, 6th ed.\n"),
            ["Blood Adv. 2023;7(3):317-320.", "Rodak, 6th ed."]
        );
        assert!(references(" ").is_empty());
    }

    #[test]
    fn missing_columns_name_the_file_and_the_header() {
        let err = parse("Question,Option A,Answer\n", "q.csv", &Defaults::default()).unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("q.csv:1: "), "{message}");
        assert!(
            message.contains("`id`, `stem`, `area`, `topic`"),
            "{message}"
        );
        assert!(message.contains("Question,Option A,Answer"), "{message}");
    }
}
