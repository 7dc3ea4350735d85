//! Writing new difficulties into a bank file's text, keeping everything else.
//!
//! The bank is read with the positioned reader (`doc::ron`), so every item's `b`
//! field, or the `stem` field before which a missing `b` goes, is known by byte span.
//! Only those spans change: the instructor's comments, layout, field order and
//! formatting survive. Each changed `b` gets a comment line above it
//! (`// calibrated: n = 132, se = 0.18, 2026-11-21`); a comment from an earlier
//! calibration directly above is replaced, not stacked. An item written on one line gets
//! a `/* ... */` comment instead, so the line stays one line.
//!
//! What the new values are is `calibration`'s business; checking the result is the
//! caller's (the command runs the bank checks on it before writing the file).

use std::collections::HashMap;
use std::ops::Range;

use thiserror::Error;

use crate::doc::ron::{Field, Node, NodeKind};

/// The comment that marks a calibrated `b`.
pub const COMMENT_PREFIX: &str = "// calibrated:";

/// One item's new difficulty and the note written above it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDifficulty {
    pub item_id: String,
    pub b: f64,
    /// The comment's text after `calibrated:`, e.g. `n = 132, se = 0.18, 2026-11-21`.
    pub note: String,
}

#[derive(Debug, Error, PartialEq)]
pub enum RewriteError {
    #[error("the bank text does not parse (at byte {at}): {message}")]
    Syntax { at: usize, message: String },
    #[error("the bank text has no `items: [...]` list")]
    NoItems,
    #[error("item \"{0}\" is not in the bank text")]
    MissingItem(String),
}

/// `b` as written into a bank: two decimals (finer than any class's standard error).
pub fn format_b(b: f64) -> String {
    let text = format!("{b:.2}");
    if text == "-0.00" {
        "0.00".to_string()
    } else {
        text
    }
}

/// Returns `text` with each item's `b` replaced (or inserted) as `updates` say.
pub fn rewrite_difficulties(text: &str, updates: &[NewDifficulty]) -> Result<String, RewriteError> {
    let root = crate::doc::ron::parse(text).map_err(|e| RewriteError::Syntax {
        at: e.span.start,
        message: e.message,
    })?;
    let items = items_by_id(&root).ok_or(RewriteError::NoItems)?;
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for update in updates {
        let fields = items
            .get(update.item_id.as_str())
            .ok_or_else(|| RewriteError::MissingItem(update.item_id.clone()))?;
        let comment = format!("{COMMENT_PREFIX} {}", update.note);
        let value = format_b(update.b);
        if let Some(b) = fields.iter().find(|f| f.name == "b") {
            edits.push((b.value.span.clone(), value));
            edits.push(comment_edit(text, b.name_span.start, &comment, eol));
        } else {
            // Before `stem` (required in every item), where the format's example puts `b`.
            let before = fields
                .iter()
                .find(|f| f.name == "stem")
                .or(fields.first())
                .ok_or_else(|| RewriteError::MissingItem(update.item_id.clone()))?;
            let at = before.name_span.start;
            let edit = match line_indent(text, at) {
                Some((line_start, indent)) => (
                    line_start..line_start,
                    format!("{indent}{comment}{eol}{indent}b: {value},{eol}"),
                ),
                None => (
                    at..at,
                    format!("/* calibrated: {} */ b: {value}, ", update.note),
                ),
            };
            edits.push(edit);
        }
    }
    edits.sort_by(|x, y| y.0.start.cmp(&x.0.start).then(y.0.end.cmp(&x.0.end)));
    let mut out = text.to_string();
    for (range, replacement) in edits {
        out.replace_range(range, &replacement);
    }
    Ok(out)
}

/// The fields of every item in the bank's `items` list, by item id.
fn items_by_id<'n>(root: &'n Node<'n>) -> Option<HashMap<&'n str, &'n [Field<'n>]>> {
    let NodeKind::Struct { fields, .. } = &root.kind else {
        return None;
    };
    let list = &fields.iter().find(|f| f.name == "items")?.value;
    let NodeKind::List(nodes) = &list.kind else {
        return None;
    };
    let mut out = HashMap::new();
    for node in nodes {
        if let NodeKind::Struct { fields, .. } = &node.kind
            && let Some(id) = fields.iter().find(|f| f.name == "id")
            && let NodeKind::Str(id) = &id.value.kind
        {
            let id: &'n str = match id {
                std::borrow::Cow::Borrowed(s) => s,
                // An id with escapes cannot be a valid id (letters, digits, - _ .).
                std::borrow::Cow::Owned(_) => continue,
            };
            out.insert(id, fields.as_slice());
        }
    }
    Some(out)
}

/// When `at` is the first non-blank character of its line: the line's start and its
/// indentation.
fn line_indent(text: &str, at: usize) -> Option<(usize, &str)> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..at];
    indent
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then_some((line_start, indent))
}

/// The edit that puts `comment` above the field starting at `at`: replacing an earlier
/// calibration comment on the line above, or inserting a new line.
fn comment_edit(text: &str, at: usize, comment: &str, eol: &str) -> (Range<usize>, String) {
    let Some((line_start, indent)) = line_indent(text, at) else {
        let inline = comment.trim_start_matches("//").trim();
        return (at..at, format!("/* {inline} */ "));
    };
    if line_start > 0 {
        let mut prev_end = line_start - 1;
        if text[..prev_end].ends_with('\r') {
            prev_end -= 1;
        }
        let prev_start = text[..prev_end].rfind('\n').map_or(0, |i| i + 1);
        if text[prev_start..prev_end]
            .trim_start()
            .starts_with(COMMENT_PREFIX)
        {
            return (prev_start..prev_end, format!("{indent}{comment}"));
        }
    }
    (line_start..line_start, format!("{indent}{comment}{eol}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::load::check_text;

    const BANK: &str = r#"// The class bank; keep this comment.
Bank(
    id: "class",
    title: "Class", author: "me", version: "1", license: "CC0-1.0",
    items: [
        (
            id: "has-b",
            area: "hematology",
            topic: "t",
            level: "both",
            difficulty: 2,
            b: Some(-1.0),   // the author's guess
            stem: "One?",
            answer: SingleBest(choices: ["a", "b"], key: "A"),
            explanation: "e",
            references: ["r"],
        ),
        (
            id: "no-b",
            area: "hematology",
            topic: "t",
            level: "both",
            difficulty: 3,
            stem: "Two?",
            answer: SingleBest(choices: ["a", "b"], key: "A"),
            explanation: "e",
            references: ["r"],
        ),
        (id: "compact", area: "hematology", topic: "t", level: "both", stem: "Three?", answer: SingleBest(choices: ["a", "b"], key: "A"), explanation: "e", references: ["r"]),
    ],
)
"#;

    fn update(id: &str, b: f64, note: &str) -> NewDifficulty {
        NewDifficulty {
            item_id: id.into(),
            b,
            note: note.into(),
        }
    }

    fn b_of(text: &str, id: &str) -> f64 {
        let report = check_text("out.ron", text);
        assert_eq!(
            report.errors(),
            0,
            "{}",
            crate::doc::diagnostic::render_to_string(&report.sources, &report.diagnostics)
        );
        let bank = &report.banks[0];
        bank.items.iter().find(|i| i.id == id).unwrap().irt.b
    }

    #[test]
    fn replaces_inserts_and_keeps_the_rest() {
        let out = rewrite_difficulties(
            BANK,
            &[
                update("has-b", -0.734, "n = 40, se = 0.31, 2026-11-21"),
                update("no-b", 0.2, "n = 41, se = 0.30, 2026-11-21"),
                update("compact", -0.001, "n = 42, se = 0.29, 2026-11-21"),
            ],
        )
        .unwrap();
        assert!(out.starts_with("// The class bank; keep this comment.\n"));
        assert!(out.contains(
            "            // calibrated: n = 40, se = 0.31, 2026-11-21\n            b: -0.73,   // the author's guess\n"
        ), "{out}");
        assert!(out.contains(
            "            difficulty: 3,\n            // calibrated: n = 41, se = 0.30, 2026-11-21\n            b: 0.20,\n            stem: \"Two?\",\n"
        ), "{out}");
        assert!(out.contains(
            "level: \"both\", /* calibrated: n = 42, se = 0.29, 2026-11-21 */ b: 0.00, stem: \"Three?\""
        ), "{out}");
        assert_eq!(b_of(&out, "has-b"), -0.73);
        assert_eq!(b_of(&out, "no-b"), 0.2);
        assert_eq!(b_of(&out, "compact"), 0.0);
    }

    #[test]
    fn a_second_calibration_replaces_the_first_comment() {
        let once = rewrite_difficulties(BANK, &[update("no-b", 0.2, "n = 41, first")]).unwrap();
        let twice = rewrite_difficulties(&once, &[update("no-b", 0.5, "n = 80, second")]).unwrap();
        assert!(!twice.contains("first"), "{twice}");
        assert_eq!(twice.matches(COMMENT_PREFIX).count(), 1);
        assert!(twice.contains("// calibrated: n = 80, second\n            b: 0.50,\n"));
        let compact = rewrite_difficulties(&once, &[update("compact", 1.0, "x")]).unwrap();
        let again = rewrite_difficulties(&compact, &[update("compact", 2.0, "y")]).unwrap();
        assert_eq!(b_of(&again, "compact"), 2.0);
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let crlf = BANK.replace('\n', "\r\n");
        let out = rewrite_difficulties(&crlf, &[update("no-b", 0.2, "n")]).unwrap();
        assert!(!out.replace("\r\n", "").contains('\n'));
        assert_eq!(b_of(&out, "no-b"), 0.2);
    }

    #[test]
    fn unknown_items_and_broken_text_are_errors() {
        assert_eq!(
            rewrite_difficulties(BANK, &[update("nope", 0.0, "n")]),
            Err(RewriteError::MissingItem("nope".into()))
        );
        assert!(matches!(
            rewrite_difficulties("Bank(", &[]),
            Err(RewriteError::Syntax { .. })
        ));
        assert_eq!(
            rewrite_difficulties("Bank(id: \"x\")", &[]),
            Err(RewriteError::NoItems)
        );
        assert_eq!(format_b(-0.004), "0.00");
        assert_eq!(format_b(1.237), "1.24");
    }
}
