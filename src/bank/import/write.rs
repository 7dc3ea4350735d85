//! Writing an import as a bank file, checked by labcert's own reader.
//!
//! The bank is written by hand rather than through serde and `ron::ser`, so that it reads
//! like the shipped banks (one field per line, the docs' field order) and carries comments
//! an instructor needs while completing it. `ron::ser` was tried for the item bodies and
//! left out: its escaped strings write every apostrophe as `\'` ("Wright\'s stain",
//! "the patient\'s"), which is most items in a medical bank, and its unescaped mode writes
//! raw strings whose line breaks cannot be indented with the item. The `ron` crate still
//! reads every file written here (a test checks it with mirror structs). The comments
//! say where each item came from (`// from line 14`), what it still needs
//! (`// needs: area, explanation`) and which questions were skipped.
//! A missing area, topic or explanation is left out of the item rather than filled with a
//! placeholder, so `labcert banks check` reports a `missing-field` error for exactly the
//! items that need one; a value the file gives but labcert does not know (a CSV area
//! "Hemtology") is written as given, so the check can suggest the intended name.
//!
//! [`write_bank`] then reads the text back with [`check_text`]: an error the import did
//! not predict is added to its item's needs, so the import's report and `banks check`
//! always name the same items. Where the text goes (a file, atomically) is `cli`'s job.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;

use super::Import;
use super::areas;
use super::draft::{Given, ImportedItem, Need};
use crate::bank::Diagnostic;
use crate::bank::decode::letter_for;
use crate::bank::load::check_text;
use crate::bank::model::{Answer, Area};

/// How many skipped questions the file's header comment lists before "and N more".
const MAX_SKIPPED_IN_HEADER: usize = 40;

/// The bank text and what checking it found.
#[derive(Debug, Clone)]
pub struct Written {
    pub text: String,
    /// Errors outside any item (the bank's own fields); empty unless the importer has a
    /// bug, but reported rather than hidden.
    pub bank_problems: Vec<String>,
    /// Warnings `labcert banks check` will show for the file, by code (no-references,
    /// similar-stem, ...): not errors, but worth knowing.
    pub warnings: BTreeMap<&'static str, usize>,
}

/// Writes the bank text for `import`, checks it with labcert's reader, and adds any
/// error the import did not predict to the needs of its item.
pub fn write_bank(import: &mut Import) -> Written {
    let (text, spans) = render(import);
    let name = format!("{}.ron", import.bank.id);
    let report = check_text(&name, &text);
    let mut bank_problems = Vec::new();
    let mut warnings = BTreeMap::new();
    let mut added = false;
    for d in &report.diagnostics {
        if !d.is_error() {
            *warnings.entry(d.code).or_insert(0) += 1;
            continue;
        }
        if enemy_elsewhere(d, &text, import) {
            continue;
        }
        let at = d.primary.as_ref().map(|p| p.span.start);
        let item = at.and_then(|at| spans.iter().position(|s| s.contains(&at)));
        match item {
            Some(i) if !import.items[i].needs.iter().any(|n| explains(n, d)) => {
                import.items[i].needs.push(Need::Check {
                    code: d.code.to_string(),
                    message: d.message.clone(),
                });
                added = true;
            }
            Some(_) => {}
            None => bank_problems.push(format!("{}: {}", d.code, d.message)),
        }
    }
    let text = if added { render(import).0 } else { text };
    Written {
        text,
        bank_problems,
        warnings,
    }
}

/// Whether `d` is an unknown enemy that names an item of another loaded bank: checked
/// alone the bank cannot resolve it, but `banks check` with the same banks does.
fn enemy_elsewhere(d: &Diagnostic, text: &str, import: &Import) -> bool {
    d.code == "unknown-enemy"
        && d.primary
            .as_ref()
            .and_then(|p| text.get(p.span.clone()))
            .is_some_and(|enemy| import.taken_ids.contains_key(enemy.trim_matches('"')))
}

/// Whether a need the import found accounts for an error `banks check` reports.
fn explains(need: &Need, d: &Diagnostic) -> bool {
    let missing = |field: &str| {
        d.code == "missing-field" && d.message.ends_with(&format!("the field `{field}`"))
    };
    match need {
        Need::Area => missing("area"),
        Need::Topic => missing("topic"),
        Need::Explanation => d.code == "no-explanation",
        Need::UnknownArea(_) => d.code == "unknown-area",
        Need::UnknownLevel(_) => d.code == "unknown-level",
        Need::IdInUse { .. } => d.code == "duplicate-id",
        Need::Image(_) => d.code == "image-missing",
        Need::Check { code, message } => d.code == code && d.message == *message,
    }
}

/// The bank text, and the byte range of each item in it.
fn render(import: &Import) -> (String, Vec<Range<usize>>) {
    let mut out = String::new();
    header_comment(&mut out, import);
    let bank = &import.bank;
    // Optional fields are written bare (`subtopic: "x"`), as in the shipped banks;
    // this line lets the `ron` crate read them too (labcert's reader ignores it).
    out.push_str("#![enable(implicit_some)]\n");
    out.push_str("Bank(\n");
    for (field, value) in [
        ("id", &bank.id),
        ("title", &bank.title),
        ("author", &bank.author),
        ("version", &bank.version),
        ("license", &bank.license),
        ("description", &bank.description),
    ] {
        let _ = writeln!(out, "    {field}: {},", ron_string(value));
    }
    out.push_str("    items: [\n");
    let mut spans = Vec::with_capacity(import.items.len());
    for item in &import.items {
        let start = out.len();
        item_text(&mut out, item);
        spans.push(start..out.len());
    }
    out.push_str("    ],\n)\n");
    if let Some(update) = &import.update
        && !update.removed.is_empty()
    {
        removed_block(&mut out, import, update);
    }
    (out, spans)
}

/// The items `--update` removed, commented out after the bank, so none of their text is
/// lost: uncomment one (inside `items: [...]`) to bring it back.
fn removed_block(out: &mut String, import: &Import, update: &super::update::Update) {
    let _ = writeln!(
        out,
        "\n// Removed by `labcert import {} --update`: these items' questions are no longer in {}.",
        import.format.name(),
        comment_safe(&source_file_name(import))
    );
    out.push_str("// To keep one, move it back inside `items: [...]` and remove the `// `.\n");
    for removed in &update.removed {
        out.push_str("//\n");
        let text = format!("{},", removed.source.trim_end());
        for line in text.lines() {
            let _ = writeln!(out, "// {}", comment_safe(line.trim_end()));
        }
    }
}

/// The imported file's name without its folder.
fn source_file_name(import: &Import) -> String {
    std::path::Path::new(&import.source_name)
        .file_name()
        .map_or_else(
            || import.source_name.clone(),
            |n| n.to_string_lossy().into_owned(),
        )
}

fn header_comment(out: &mut String, import: &Import) {
    let mut line = |text: String| {
        let _ = writeln!(out, "// {}", comment_safe(&text));
    };
    let source = source_file_name(import);
    line(format!(
        "Imported by `labcert import {}` from {source}: {} of {} questions.",
        import.format.name(),
        import.items.len(),
        import.questions()
    ));
    if let Some(update) = &import.update {
        line(format!(
            "Updated with --update: {} unchanged, {} changed, {} added, {} removed.",
            update.unchanged.len(),
            update.changed.len(),
            update.added.len(),
            update.removed.len()
        ));
    }
    if !import.skipped.is_empty() {
        line(format!(
            "Skipped {} (not in this file):",
            import.skipped.len()
        ));
        for s in import.skipped.iter().take(MAX_SKIPPED_IN_HEADER) {
            line(format!(
                "  line {}: {} \"{}\": {}",
                s.line,
                s.kind.label(),
                s.question,
                s.reason
            ));
        }
        if import.skipped.len() > MAX_SKIPPED_IN_HEADER {
            line(format!(
                "  ... and {} more",
                import.skipped.len() - MAX_SKIPPED_IN_HEADER
            ));
        }
    }
    let incomplete = import.incomplete().count();
    if incomplete > 0 {
        line(format!(
            "{incomplete} item{} need{} attention: search for \"needs:\". `labcert banks check` reports them until they are complete.",
            if incomplete == 1 { "" } else { "s" },
            if incomplete == 1 { "s" } else { "" }
        ));
    }
    line("Set `author` and `license` (and `title`) before sharing this bank.".to_string());
}

fn item_text(out: &mut String, item: &ImportedItem) {
    let mut comment = format!("from line {}", item.line);
    if !item.needs.is_empty() {
        let needs: Vec<String> = item.needs.iter().map(|n| short_need(n, item)).collect();
        let _ = write!(comment, "; needs: {}", needs.join(", "));
    }
    if item.references.is_empty()
        && let Some(area) = area_or_guess(item)
    {
        let _ = write!(
            comment,
            "; no references yet ({area}: {})",
            areas::reference_for(area)
        );
    }
    let _ = writeln!(out, "        // {}", comment_safe(&comment));
    if !item.tags.is_empty() {
        let _ = writeln!(
            out,
            "        // {TAGS_COMMENT}{}",
            comment_safe(&item.tags.join(", "))
        );
    }
    for line in &item.comments {
        let _ = writeln!(out, "        // {}", comment_safe(line));
    }
    out.push_str("        (\n");
    let mut field = |name: &str, value: String| {
        let _ = writeln!(out, "            {name}: {value},");
    };
    field("id", ron_string(&item.id));
    match &item.area {
        Given::Valid(area) => field("area", ron_string(area.name())),
        Given::Invalid(text) => field("area", ron_string(text)),
        Given::Absent => {}
    }
    if let Some(topic) = &item.topic {
        field("topic", ron_string(topic));
    }
    if let Some(subtopic) = &item.subtopic {
        field("subtopic", ron_string(subtopic));
    }
    match &item.level {
        Given::Valid(level) => field("level", ron_string(level.name())),
        Given::Invalid(text) => field("level", ron_string(text)),
        Given::Absent => {}
    }
    if let Some(d) = item.difficulty {
        field("difficulty", d.to_string());
    }
    for (name, value) in [("a", item.irt.a), ("b", item.irt.b), ("c", item.irt.c)] {
        if let Some(v) = value {
            field(name, ron_number(v));
        }
    }
    field("stem", ron_string(&item.stem));
    field("answer", answer_text(&item.answer));
    if let Some(explanation) = &item.explanation {
        field("explanation", ron_string(explanation));
    }
    if !item.references.is_empty() {
        field("references", string_list(&item.references));
    }
    if let Some(image) = &item.image {
        field("image", ron_string(image));
    }
    if !item.enemies.is_empty() {
        field("enemies", string_list(&item.enemies));
    }
    if let Some(shuffle) = item.shuffle {
        field("shuffle", shuffle.to_string());
    }
    out.push_str("        ),\n");
}

/// The comment above an item that lists its Moodle tags.
pub const TAGS_COMMENT: &str = "Moodle tags: ";

/// `["a", "b"]`.
fn string_list(values: &[String]) -> String {
    let values: Vec<String> = values.iter().map(|r| ron_string(r)).collect();
    format!("[{}]", values.join(", "))
}

/// The item's area, or the one its words suggest.
fn area_or_guess(item: &ImportedItem) -> Option<Area> {
    match &item.area {
        Given::Valid(area) => Some(*area),
        _ => item.area_guess.as_ref().map(|g| g.area),
    }
}

/// A need in a few words, for the item's comment.
fn short_need(need: &Need, item: &ImportedItem) -> String {
    match need {
        Need::Area => match &item.area_guess {
            Some(guess) => format!(
                "area (perhaps \"{}\": the text mentions {})",
                guess.area,
                quoted_list(&guess.because)
            ),
            None => "area".to_string(),
        },
        Need::UnknownArea(name) => match &item.area_guess {
            Some(guess) => format!(
                "area (\"{name}\" is not one; perhaps \"{}\": the text mentions {})",
                guess.area,
                quoted_list(&guess.because)
            ),
            None => format!("area (\"{name}\" is not one)"),
        },
        Need::UnknownLevel(name) => format!("level (\"{name}\" is not one)"),
        Need::IdInUse { bank } => format!("id (also used by the bank \"{bank}\")"),
        Need::Image(file) => format!("image (copy {file} into the bank's folder)"),
        Need::Check { code, .. } => code.clone(),
        other => other.field().to_string(),
    }
}

/// `"a", "b" and "c"`.
pub fn quoted_list(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

fn answer_text(answer: &Answer) -> String {
    let choice_list = |choices: &[String]| {
        let mut s = String::from("[\n");
        for c in choices {
            let _ = writeln!(s, "                    {},", ron_string(c));
        }
        s.push_str("                ]");
        s
    };
    match answer {
        Answer::SingleBest { choices, key } => format!(
            "SingleBest(\n                choices: {},\n                key: \"{}\",\n            )",
            choice_list(choices),
            letter_for(*key)
        ),
        Answer::SelectAll { choices, keys } => {
            let keys: Vec<String> = keys
                .iter()
                .map(|k| format!("\"{}\"", letter_for(*k)))
                .collect();
            format!(
                "SelectAll(\n                choices: {},\n                keys: [{}],\n            )",
                choice_list(choices),
                keys.join(", ")
            )
        }
        Answer::Numeric {
            value,
            tolerance,
            unit,
        } => format!(
            "Numeric(value: {}, tolerance: {}, unit: {})",
            ron_number(*value),
            ron_number(*tolerance),
            ron_string(unit)
        ),
    }
}

/// A RON string literal.
pub fn ron_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A RON number: the shortest decimal that reads back as the same `f64`.
fn ron_number(x: f64) -> String {
    let text = format!("{x}");
    if text.contains(['.', 'e', 'E']) || text.len() < 16 {
        text
    } else {
        // A whole number too long for an integer literal: write it in exponent form.
        format!("{x:e}")
    }
}

/// A comment on one line: control characters become spaces.
fn comment_safe(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::import::draft::IrtGiven;
    use crate::bank::import::{BankMeta, Format};
    use crate::bank::model::{Area, Level};
    use serde::Deserialize;

    fn item(id: &str, answer: Answer) -> ImportedItem {
        ImportedItem {
            line: 1,
            number: 1,
            id: id.to_string(),
            area: Given::Valid(Area::Hematology),
            topic: Some("indices".into()),
            subtopic: None,
            level: Given::Valid(Level::Both),
            stem: format!("Stem of {id} with \"quotes\", a \\ backslash,\na new line and \u{3bc}L"),
            answer,
            explanation: Some("Because.\tTabbed.".into()),
            references: vec!["Rodak's, ch. 1".into()],
            difficulty: Some(3),
            irt: IrtGiven::default(),
            image: None,
            tags: Vec::new(),
            enemies: Vec::new(),
            shuffle: None,
            comments: Vec::new(),
            needs: Vec::new(),
            area_guess: None,
            id_kind: Default::default(),
        }
    }

    fn import(items: Vec<ImportedItem>) -> Import {
        Import {
            format: Format::Csv,
            source_name: "in\nput.csv".into(),
            bank: BankMeta::for_source("round".into(), "input.csv", Format::Csv),
            items,
            skipped: Vec::new(),
            notes: Vec::new(),
            taken_ids: Default::default(),
            update: None,
        }
    }

    fn sample() -> Vec<ImportedItem> {
        let mut numeric = item(
            "n-1",
            Answer::Numeric {
                value: 1e-7,
                tolerance: 0.0005,
                unit: "fL".into(),
            },
        );
        numeric.irt = IrtGiven {
            a: Some(1.25),
            b: Some(-0.5),
            c: Some(0.2),
        };
        numeric.difficulty = None;
        vec![
            item(
                "s-1",
                Answer::SingleBest {
                    choices: vec!["one".into(), "t\"wo".into()],
                    key: 1,
                },
            ),
            item(
                "m-1",
                Answer::SelectAll {
                    choices: vec!["a".into(), "b".into(), "c".into()],
                    keys: vec![0, 2],
                },
            ),
            numeric,
        ]
    }

    #[test]
    fn labcerts_reader_reads_back_the_same_items() {
        let mut imp = import(sample());
        let written = write_bank(&mut imp);
        let report = check_text("round.ron", &written.text);
        assert_eq!(report.errors(), 0, "{}", written.text);
        let bank = &report.banks[0];
        assert_eq!(bank.id, "round");
        assert_eq!(bank.license, crate::bank::import::DEFAULT_LICENSE);
        assert_eq!(bank.items.len(), 3);
        for (read, wrote) in bank.items.iter().zip(&imp.items) {
            assert_eq!(read.id, wrote.id);
            assert_eq!(Given::Valid(read.area), wrote.area);
            assert_eq!(Some(&read.topic), wrote.topic.as_ref());
            assert_eq!(read.stem, wrote.stem);
            assert_eq!(read.answer, wrote.answer);
            assert_eq!(Some(&read.explanation), wrote.explanation.as_ref());
            assert_eq!(read.references, wrote.references);
            assert_eq!(read.difficulty, wrote.difficulty);
        }
        let irt = &bank.items[2].irt;
        assert_eq!((irt.a, irt.b, irt.c), (1.25, -0.5, 0.2));
        assert!(written.bank_problems.is_empty());
    }

    /// The same file read by the `ron` crate into mirror structs of the format, so the
    /// output is valid RON and not only what labcert's reader accepts.
    #[test]
    fn the_ron_crate_reads_the_output_too() {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Bank {
            id: String,
            title: String,
            author: String,
            version: String,
            license: String,
            description: Option<String>,
            items: Vec<Item>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Item {
            id: String,
            area: Option<String>,
            topic: Option<String>,
            subtopic: Option<String>,
            level: String,
            difficulty: Option<u8>,
            a: Option<f64>,
            b: Option<f64>,
            c: Option<f64>,
            stem: String,
            answer: AnswerMirror,
            explanation: Option<String>,
            references: Option<Vec<String>>,
        }
        #[derive(Deserialize, Debug, PartialEq)]
        #[serde(deny_unknown_fields)]
        enum AnswerMirror {
            SingleBest {
                choices: Vec<String>,
                key: String,
            },
            SelectAll {
                choices: Vec<String>,
                keys: Vec<String>,
            },
            Numeric {
                value: f64,
                tolerance: f64,
                unit: String,
            },
        }
        let mut items = sample();
        items[0].explanation = None;
        items[0].area = Given::Absent;
        items[0].needs = vec![Need::Area, Need::Explanation];
        let mut imp = import(items);
        let written = write_bank(&mut imp);
        let bank: Bank =
            ron::from_str(&written.text).unwrap_or_else(|e| panic!("{e}\n{}", written.text));
        assert_eq!(bank.items.len(), 3);
        assert_eq!(bank.items[0].stem, imp.items[0].stem);
        assert_eq!(bank.items[0].area, None);
        assert_eq!(
            bank.items[1].answer,
            AnswerMirror::SelectAll {
                choices: vec!["a".into(), "b".into(), "c".into()],
                keys: vec!["A".into(), "C".into()],
            }
        );
        assert_eq!(
            bank.items[2].answer,
            AnswerMirror::Numeric {
                value: 1e-7,
                tolerance: 0.0005,
                unit: "fL".into()
            }
        );
    }

    #[test]
    fn missing_fields_are_left_out_and_marked() {
        let mut items = sample();
        items[1].explanation = None;
        items[1].needs = vec![Need::Explanation];
        items[2].area = Given::Invalid("Hemtology".into());
        items[2].needs = vec![Need::UnknownArea("Hemtology".into())];
        let mut imp = import(items);
        let written = write_bank(&mut imp);
        assert!(
            written
                .text
                .contains("// from line 1; needs: explanation\n")
        );
        assert!(
            written
                .text
                .contains("needs: area (\"Hemtology\" is not one)")
        );
        assert!(written.text.contains("2 items need attention"));
        let report = check_text("x.ron", &written.text);
        let codes: Vec<_> = report
            .diagnostics
            .iter()
            .map(|d| (d.code, d.is_error()))
            .collect();
        // A missing explanation is a warning: the bank is usable before it is written.
        assert_eq!(
            codes,
            [("no-explanation", false), ("unknown-area", true)],
            "{:?}",
            report.diagnostics
        );
        // The input's name had a line break: the header comment stays one line.
        assert!(
            written
                .text
                .starts_with("// Imported by `labcert import csv` from in put.csv")
        );
    }

    #[test]
    fn an_unpredicted_error_is_added_beside_the_predicted_ones() {
        let mut items = sample();
        items[0].answer = Answer::SingleBest {
            choices: vec!["same".into(), "same".into()],
            key: 0,
        };
        items[0].explanation = None;
        items[0].needs = vec![Need::Explanation];
        let mut imp = import(items);
        write_bank(&mut imp);
        let fields: Vec<_> = imp.items[0].needs.iter().map(Need::field).collect();
        assert_eq!(fields, ["explanation", "item"]);
    }

    #[test]
    fn an_error_the_import_did_not_predict_becomes_a_need() {
        let mut items = sample();
        items[0].answer = Answer::SingleBest {
            choices: vec!["same".into(), "same".into()],
            key: 0,
        };
        let mut imp = import(items);
        let written = write_bank(&mut imp);
        assert_eq!(
            imp.items[0].needs,
            vec![Need::Check {
                code: "duplicate-choice".into(),
                message: "the choice \"same\" is given twice".into()
            }]
        );
        assert!(written.text.contains("needs: duplicate-choice"));
    }

    #[test]
    #[allow(clippy::approx_constant)] // numbers from the GIFT examples (pi to three places)
    fn numbers_read_back_exactly() {
        let values = [
            0.0,
            -0.0,
            1822.0,
            3.1415,
            -3.1415,
            1e-7,
            1e300,
            123_456_789_012_345_680.0,
            f64::MIN_POSITIVE,
        ];
        let items = values
            .iter()
            .enumerate()
            .map(|(i, &value)| {
                item(
                    &format!("n-{i}"),
                    Answer::Numeric {
                        value,
                        tolerance: 0.0,
                        unit: String::new(),
                    },
                )
            })
            .collect();
        let mut imp = import(items);
        let written = write_bank(&mut imp);
        let report = check_text("n.ron", &written.text);
        assert_eq!(report.errors(), 0, "{}", written.text);
        for (read, &value) in report.banks[0].items.iter().zip(&values) {
            assert!(matches!(read.answer, Answer::Numeric { value: v, .. } if v == value));
            assert_eq!(ron::from_str::<f64>(&ron_number(value)).ok(), Some(value));
        }
    }
}
