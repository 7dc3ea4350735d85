//! Banks as GIFT, for Moodle's question import and for `labcert import gift`.
//!
//! Written to Moodle's rules (`question/format/gift/format.php` and its documentation):
//! one question per block with a blank line between blocks; `$CATEGORY:
//! $course$/top/<Area title>/<topic>` in a block of its own (a `/` in a name is `//`);
//! `// [id:ITEM] [tag:key:value] ...` on the comment line above each question, which
//! Moodle keeps as the question's id number and tags; `::ITEM::` as the name; texts in
//! `[html]` (Moodle's editor is HTML) with `& < >` written as entities and line breaks
//! as `<br>`; `\` `~` `=` `#` `{` `}` `:` escaped with a backslash; the explanation and
//! one `Read: SOURCE` line per reference as the general feedback after `####`.
//!
//! Single best: `=key ~other`. Select all: each key `~%W%` with W = 100/keys, a value
//! on Moodle's list of grades whose sum Moodle accepts as 100 (it rounds to two
//! decimals), and each wrong choice `~%-100%`, so a wrong pick cancels the marks as it
//! makes a labcert answer wrong. Numeric: `{#=value:tolerance}`; GIFT has no units, so
//! the unit is a `unit:` tag. The tags are listed in `import::moodle::tag`.

use std::fmt::Write as _;

use super::{Export, LossKind, Losses, irt_a, irt_b, irt_c, no_controls, number, one_line};
use crate::bank::import::moodle::{READ_PREFIX, ends_with_read_line, escape_token, tag};
use crate::bank::model::{Answer, Bank, Item};

/// The weight of each key of a select-all item, by number of keys (1 to 8): fractions on
/// Moodle's list, `n` of which round to 100 at two decimals as Moodle checks.
const KEY_WEIGHTS: [&str; 8] = [
    "100", "50", "33.33333", "25", "20", "16.66667", "14.28571", "12.5",
];
/// The weight of a wrong choice of a select-all item.
const WRONG_WEIGHT: &str = "-100";

/// Writes the banks as one GIFT file.
pub fn write(banks: &[&Bank]) -> super::Export {
    let mut out = String::new();
    let mut losses = Vec::new();
    let mut items = 0;
    for bank in banks {
        header(&mut out, bank);
        let mut category = None;
        for item in &bank.items {
            let path = category_path(item);
            if category.as_ref() != Some(&path) {
                let _ = writeln!(out, "$CATEGORY: {path}\n");
                category = Some(path);
            }
            let mut l = Losses {
                item: &item.id,
                out: &mut losses,
            };
            question(&mut out, item, &mut l);
            out.push('\n');
            items += 1;
        }
    }
    Export {
        text: out,
        items,
        losses,
    }
}

/// A comment block naming the bank: its own block, so Moodle reads it as no question.
fn header(out: &mut String, bank: &Bank) {
    let mut line = |text: String| {
        let safe: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let _ = writeln!(out, "// {safe}");
    };
    let n = bank.items.len();
    line(format!(
        "{}: labcert bank {}, version {}, {n} item{}",
        bank.title,
        bank.id,
        bank.version,
        if n == 1 { "" } else { "s" }
    ));
    line(format!(
        "Author: {}. License: {}.",
        bank.author, bank.license
    ));
    line(
        "Moodle: Question bank > Import > GIFT format. labcert: `labcert import gift FILE -o BANK.ron`."
            .to_string(),
    );
    line(
        "Tags hold what Moodle has no field for (area, level, subtopic, difficulty, IRT, unit, enemies); see docs/moodle.md."
            .to_string(),
    );
    out.push('\n');
}

/// `$course$/top/<Area title>/<topic>`, names escaped as Moodle's
/// `assemble_category_path` does (`/` doubled; a name starting or ending with `/` padded
/// with a space, which Moodle trims).
fn category_path(item: &Item) -> String {
    let name = |n: &str| {
        let mut e = no_controls(n.trim()).replace('/', "//");
        if e.starts_with('/') {
            e.insert(0, ' ');
        }
        if e.ends_with('/') {
            e.push(' ');
        }
        e
    };
    format!(
        "$course$/top/{}/{}",
        name(item.area.title()),
        name(&item.topic)
    )
}

fn question(out: &mut String, item: &Item, l: &mut Losses) {
    l.common(item);
    l.trimmed("topic", &item.topic);
    let _ = writeln!(out, "// {}", tokens(item, l).join(" "));
    l.lines("stem", &item.stem);
    let _ = write!(out, "::{}::[html]{}{{", escape(&item.id), text(&item.stem));
    match &item.answer {
        Answer::SingleBest { choices, key } => {
            out.push('\n');
            for (i, c) in choices.iter().enumerate() {
                let mark = if i == *key { "=" } else { "~" };
                choice(out, mark, c, l);
            }
        }
        Answer::SelectAll { choices, keys } => {
            out.push('\n');
            let weight = KEY_WEIGHTS
                .get(keys.len().saturating_sub(1))
                .copied()
                .unwrap_or(KEY_WEIGHTS[KEY_WEIGHTS.len() - 1]);
            for (i, c) in choices.iter().enumerate() {
                let w = if keys.contains(&i) {
                    weight
                } else {
                    WRONG_WEIGHT
                };
                choice(out, &format!("~%{w}%"), c, l);
            }
        }
        Answer::Numeric {
            value, tolerance, ..
        } => {
            let _ = writeln!(out, "#\n\t={}:{}", number(*value), number(*tolerance));
        }
    }
    l.lines("explanation", &item.explanation);
    if ends_with_read_line(&item.explanation) {
        l.add(LossKind::ReadLine);
    }
    let mut feedback = item.explanation.clone();
    for r in &item.references {
        l.line("reference", r);
        let _ = write!(feedback, "\n{READ_PREFIX} {}", one_line(r));
    }
    let _ = writeln!(out, "\t####{}\n}}", text(&feedback));
}

fn choice(out: &mut String, mark: &str, text_of_choice: &str, l: &mut Losses) {
    l.line("choices", text_of_choice);
    let _ = writeln!(out, "\t{mark}{}", text(&one_line(text_of_choice)));
}

/// The comment tokens: the id number, then labcert's tags.
fn tokens(item: &Item, l: &mut Losses) -> Vec<String> {
    let mut tags: Vec<(&str, String)> = vec![
        (tag::AREA, item.area.name().to_string()),
        (tag::LEVEL, item.level.name().to_string()),
    ];
    if let Some(s) = &item.subtopic {
        tags.push((tag::SUBTOPIC, s.clone()));
    }
    if let Some(d) = item.difficulty {
        tags.push((tag::DIFFICULTY, d.to_string()));
    }
    for (key, value) in [
        (tag::IRT_A, irt_a(item)),
        (tag::IRT_B, irt_b(item)),
        (tag::IRT_C, irt_c(item)),
    ] {
        if let Some(v) = value {
            tags.push((key, number(v)));
        }
    }
    if let Answer::Numeric { unit, .. } = &item.answer
        && !unit.is_empty()
    {
        tags.push((tag::UNIT, unit.clone()));
    }
    for e in &item.enemies {
        tags.push((tag::ENEMY, e.clone()));
    }
    if !item.shuffle {
        tags.push((tag::SHUFFLE, "false".to_string()));
    }
    if let Some(image) = &item.image {
        let name = image.file_name().map_or_else(
            || image.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        tags.push((tag::IMAGE, name));
    }
    let mut out = vec![format!("[id:{}]", escape_token(&item.id))];
    for (key, value) in tags {
        let field = match key {
            tag::SUBTOPIC => "subtopic",
            tag::UNIT => "unit",
            _ => "tag",
        };
        l.trimmed(field, &value);
        if value.contains(['<', '>', '`']) || value.trim_end().ends_with('\\') {
            l.add(LossKind::TagText(field));
        }
        let value = tag_safe(&value);
        out.push(format!("[tag:{key}:{}]", escape_token(value.trim())));
    }
    out
}

/// A tag value without what Moodle refuses in a tag token (`<`, `>`, `` ` ``: dropped)
/// or what would end the comment line (a control character: a space).
fn tag_safe(value: &str) -> String {
    no_controls(value).replace(['<', '>', '`'], "")
}

/// A text as GIFT `[html]`: HTML-escaped (`& < >` as entities, line breaks as `<br>`, a
/// leading `[` as `&#91;` so it never reads as a format tag), then GIFT-escaped.
fn text(t: &str) -> String {
    let mut html = String::with_capacity(t.len() + 8);
    for (i, c) in t.chars().enumerate() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '\n' => html.push_str("<br>"),
            '[' if i == 0 => html.push_str("&#91;"),
            c => html.push(c),
        }
    }
    escape(&html)
}

/// GIFT's escapes: `\ ~ = # { } :` are written with a backslash before them.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '\\' | '~' | '=' | '#' | '{' | '}' | ':') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_items::{bank, item, single};
    use super::super::{LossKind, export};
    use super::*;
    use crate::bank::model::{Area, BSource};

    #[test]
    fn every_special_character_is_escaped() {
        let table = [
            ("plain", "plain"),
            ("a ~ b = c # d", "a \\~ b \\= c \\# d"),
            ("{x}: y", "\\{x\\}\\: y"),
            ("back\\slash", "back\\\\slash"),
            ("\\n is not a break", "\\\\n is not a break"),
            ("glucose < 50 & K > 5", "glucose &lt; 50 &amp; K &gt; 5"),
            ("&amp; stays", "&amp;amp; stays"),
            ("line\nbreak", "line<br>break"),
            ("[html] not a tag", "&\\#91;html] not a tag"),
            ("a [b]", "a [b]"),
            ("µ ° ≥ ×", "µ ° ≥ ×"),
        ];
        for (raw, written) in table {
            assert_eq!(text(raw), written, "{raw:?}");
        }
    }

    #[test]
    fn a_single_best_question_in_moodle_form() {
        let mut i = item("hem-1", single(&["90 fL", "45 fL"], 0));
        i.b_source = BSource::Given;
        i.irt.b = -0.8;
        i.references.push("Blood Adv. 2023;7(3):317".to_string());
        let e = export(&[&bank(vec![i])], super::super::Format::Gift);
        let expected = "\
$CATEGORY: $course$/top/Hematology/red cell indices

// [id:hem-1] [tag:area:hematology] [tag:level:MLS] [tag:subtopic:MCV] [tag:difficulty:2] [tag:irt-b:-0.8]
::hem-1::[html]Hct 45% and RBC 5.0 x 10^12/L\\: what is the MCV?{
\t=90 fL
\t~45 fL
\t####Hct x 10 / RBC \\= 90 fL.<br>Read\\: Rodak's Hematology, 6th ed.<br>Read\\: Blood Adv. 2023;7(3)\\:317
}

";
        assert!(e.text.ends_with(expected), "{}", e.text);
        assert!(
            e.text
                .starts_with("// Class bank: labcert bank class, version 1, 1 item\n")
        );
        assert_eq!((e.items, e.losses.len()), (1, 0));
    }

    #[test]
    fn select_all_weights_are_moodle_grades_that_add_up_to_100() {
        for keys in 1..=8usize {
            let w: f64 = KEY_WEIGHTS[keys - 1].parse().unwrap();
            let total = (w * keys as f64 / 100.0 * 100.0).round() / 100.0;
            assert_eq!(total, 1.0, "{keys} keys");
            // Moodle's list of grades (question_bank::fraction_options_full), within its
            // tolerance of 0.00001 on the fraction.
            let allowed = [
                100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333,
                30.0, 25.0, 20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0,
            ];
            assert!(allowed.iter().any(|a| ((a - w) / 100.0).abs() < 0.00001));
        }
        let mut i = item(
            "sa",
            Answer::SelectAll {
                choices: ["a", "b", "c", "d", "e"].map(String::from).to_vec(),
                keys: vec![0, 2, 4],
            },
        );
        i.area = Area::LabOperations;
        i.topic = "QC/QA".to_string();
        let e = export(&[&bank(vec![i])], super::super::Format::Gift);
        assert!(
            e.text
                .contains("$CATEGORY: $course$/top/Laboratory Operations/QC//QA\n")
        );
        assert!(e.text.contains(
            "{\n\t~%33.33333%a\n\t~%-100%b\n\t~%33.33333%c\n\t~%-100%d\n\t~%33.33333%e\n\t####"
        ));
    }

    #[test]
    fn numeric_answers_carry_the_tolerance_and_the_unit_as_a_tag() {
        for (tolerance, block) in [(0.0, "{#\n\t=8.8:0\n"), (0.05, "{#\n\t=8.8:0.05\n")] {
            let i = item(
                "n",
                Answer::Numeric {
                    value: 8.8,
                    tolerance,
                    unit: "g/dL".to_string(),
                },
            );
            let e = export(&[&bank(vec![i])], super::super::Format::Gift);
            assert!(e.text.contains(block), "{}", e.text);
            assert!(e.text.contains("[tag:unit:g/dL]"));
        }
    }

    #[test]
    fn what_cannot_travel_is_listed() {
        let mut i = item("q", single(&["a  b", "c"], 0));
        i.stem = " padded".to_string();
        i.explanation = "Why.\nRead: the label".to_string();
        i.subtopic = Some("ends in \\".to_string());
        i.image = Some("figs/smear.png".into());
        i.enemies = vec!["x]y".to_string()];
        i.shuffle = false;
        let e = export(&[&bank(vec![i])], super::super::Format::Gift);
        let kinds: Vec<LossKind> = e.losses.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LossKind::Image,
                LossKind::TagText("subtopic"),
                LossKind::Spacing("stem"),
                LossKind::Spacing("choices"),
                LossKind::ReadLine,
            ]
        );
        assert!(
            e.text
                .contains("[tag:enemy:x\\]y] [tag:shuffle:false] [tag:image:smear.png]")
        );
    }
}
