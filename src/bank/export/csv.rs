//! Banks as CSV in the columns `labcert import csv` reads (docs/import-formats.md).
//!
//! One header line, then one row per item: `id, area, topic, subtopic, level, kind,
//! stem`, the choices in capital-letter columns (`A` up to the most choices an item
//! has), `answer` (the key letter, `A;C` for select all, the value of a numeric item),
//! `unit`, `tolerance`, `explanation`, `references`, `difficulty` and the IRT `a`, `b`,
//! `c` when the bank gives them. `kind` is always written, so a select-all item with one
//! key stays select-all. References are separated by `;`, or one per line when one of
//! them holds a `;` (a journal citation). Fields are quoted as RFC 4180 says: in double
//! quotes, with `"` doubled, when they hold a comma, a quote or a line break. Rows end
//! with a line feed, as labcert's other CSV files do. There are no columns for enemies,
//! `shuffle` or images: the export lists them as losses.

use super::{Export, LossKind, Losses, irt_a, irt_b, irt_c, number};
use crate::bank::decode::letter_for;
use crate::bank::import::csv::COLUMN_NAMES;
use crate::bank::model::{Answer, Bank, Item};

/// The import's columns before the choices and after them (the choice letters A-H sit
/// between): one list, so the export writes exactly what `import csv` reads.
fn before_choices() -> &'static [&'static str] {
    let at = COLUMN_NAMES.iter().position(|c| *c == "A").unwrap_or(0);
    &COLUMN_NAMES[..at]
}

fn after_choices() -> &'static [&'static str] {
    let at = COLUMN_NAMES
        .iter()
        .position(|c| *c == "answer")
        .unwrap_or(COLUMN_NAMES.len());
    &COLUMN_NAMES[at..]
}

/// Writes the banks as one CSV file.
pub fn write(banks: &[&Bank]) -> Export {
    let items: Vec<&Item> = banks.iter().flat_map(|b| &b.items).collect();
    let width = items
        .iter()
        .map(|i| i.answer.choices().len())
        .max()
        .unwrap_or(0);
    let mut header: Vec<String> = before_choices().iter().map(|c| c.to_string()).collect();
    header.extend((0..width).map(|i| letter_for(i).to_string()));
    header.extend(after_choices().iter().map(|c| c.to_string()));
    let mut text = header.join(",");
    text.push('\n');
    let mut losses = Vec::new();
    for item in &items {
        let mut l = Losses {
            item: &item.id,
            out: &mut losses,
        };
        let row: Vec<String> = row(item, width, &mut l).iter().map(|f| field(f)).collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    Export {
        text,
        items: items.len(),
        losses,
    }
}

/// The cells of one item, unquoted.
fn row(item: &Item, width: usize, l: &mut Losses) -> Vec<String> {
    l.common(item);
    if !item.enemies.is_empty() {
        l.add(LossKind::Enemies);
    }
    if !item.shuffle {
        l.add(LossKind::Shuffle);
    }
    l.trimmed("topic", &item.topic);
    if let Some(s) = &item.subtopic {
        l.trimmed("subtopic", s);
    }
    l.lines("stem", &item.stem);
    l.lines("explanation", &item.explanation);
    let kind = match &item.answer {
        Answer::SingleBest { .. } => "single",
        Answer::SelectAll { .. } => "multi",
        Answer::Numeric { .. } => "numeric",
    };
    let mut cells = vec![
        item.id.clone(),
        item.area.name().to_string(),
        item.topic.clone(),
        item.subtopic.clone().unwrap_or_default(),
        item.level.name().to_string(),
        kind.to_string(),
        item.stem.clone(),
    ];
    let choices = item.answer.choices();
    for c in choices {
        l.line("choices", c);
    }
    cells.extend((0..width).map(|i| choices.get(i).cloned().unwrap_or_default()));
    let letters = |keys: &[usize]| {
        keys.iter()
            .map(|k| letter_for(*k).to_string())
            .collect::<Vec<_>>()
            .join(";")
    };
    let (answer, unit, tolerance) = match &item.answer {
        Answer::SingleBest { key, .. } => (letters(&[*key]), String::new(), String::new()),
        Answer::SelectAll { keys, .. } => (letters(keys), String::new(), String::new()),
        Answer::Numeric {
            value,
            tolerance,
            unit,
        } => {
            l.trimmed("unit", unit);
            (number(*value), unit.clone(), number(*tolerance))
        }
    };
    for r in &item.references {
        l.trimmed("reference", r);
    }
    let separator = if item.references.iter().any(|r| r.contains(';')) {
        "\n"
    } else {
        "; "
    };
    let optional = |x: Option<f64>| x.map(number).unwrap_or_default();
    cells.extend([
        answer,
        unit,
        tolerance,
        item.explanation.clone(),
        item.references.join(separator),
        item.difficulty.map(|d| d.to_string()).unwrap_or_default(),
        optional(irt_a(item)),
        optional(irt_b(item)),
        optional(irt_c(item)),
    ]);
    cells
}

/// A field as RFC 4180 writes it: quoted, with `"` doubled, when it holds a comma, a
/// quote or a line break (or starts or ends with a space, kept visible in the file).
fn field(text: &str) -> String {
    let needs_quotes = text.contains([',', '"', '\n', '\r'])
        || text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace);
    if needs_quotes {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_items::{bank, item, single};
    use super::super::{Format, export};
    use super::*;
    use crate::bank::model::BSource;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        let table = [
            ("B", "B"),
            ("A;C", "A;C"),
            ("a, b", "\"a, b\""),
            ("5\" long", "\"5\"\" long\""),
            ("two\nlines", "\"two\nlines\""),
            (" padded", "\" padded\""),
            ("µ ≥ °C", "µ ≥ °C"),
            ("", ""),
        ];
        for (raw, written) in table {
            assert_eq!(field(raw), written, "{raw:?}");
        }
    }

    #[test]
    fn rows_in_the_import_columns() {
        let mut single_item = item("hem-1", single(&["90 fL", "45, or 9"], 0));
        single_item.references.push("Blood. 2023;7(3)".to_string());
        let mut numeric = item(
            "hem-2",
            Answer::Numeric {
                value: -0.5,
                tolerance: 0.0,
                unit: "g/dL".to_string(),
            },
        );
        numeric.difficulty = None;
        numeric.b_source = BSource::Given;
        numeric.irt.a = 1.5;
        let select = item(
            "hem-3",
            Answer::SelectAll {
                choices: ["a", "b", "c"].map(String::from).to_vec(),
                keys: vec![1],
            },
        );
        let e = export(&[&bank(vec![single_item, numeric, select])], Format::Csv);
        let lines: Vec<&str> = e.text.split('\n').collect();
        assert_eq!(
            lines[0],
            "id,area,topic,subtopic,level,kind,stem,A,B,C,answer,unit,tolerance,explanation,references,difficulty,a,b,c"
        );
        assert_eq!(
            lines[1],
            "hem-1,hematology,red cell indices,MCV,MLS,single,Hct 45% and RBC 5.0 x 10^12/L: what is the MCV?,90 fL,\"45, or 9\",,A,,,Hct x 10 / RBC = 90 fL.,\"Rodak's Hematology, 6th ed."
        );
        assert_eq!(lines[2], "Blood. 2023;7(3)\",2,,,");
        assert!(lines[3].starts_with("hem-2,"), "{}", lines[3]);
        assert!(
            lines[3].ends_with(
                ",,,,-0.5,g/dL,0,Hct x 10 / RBC = 90 fL.,\"Rodak's Hematology, 6th ed.\",,1.5,-1,"
            ),
            "{}",
            lines[3]
        );
        assert!(lines[4].contains(",multi,") && lines[4].contains(",a,b,c,B,"));
        assert_eq!(lines[5], "");
        assert_eq!(e.items, 3);
        assert_eq!(e.losses.len(), 0, "{:?}", e.losses);
    }

    #[test]
    fn enemies_and_shuffle_have_no_column() {
        let mut i = item("q", single(&["a", "b"], 0));
        i.enemies = vec!["p".to_string()];
        i.shuffle = false;
        let e = export(&[&bank(vec![i])], Format::Csv);
        let kinds: Vec<LossKind> = e.losses.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, [LossKind::Enemies, LossKind::Shuffle]);
    }
}
