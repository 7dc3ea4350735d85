//! What a GIFT question says outside GIFT's own syntax: Moodle's `// [id:...]
//! [tag:...]` comment tokens, labcert's tag vocabulary, and `Read:` lines closing the
//! general feedback.
//!
//! Moodle (since 3.6) writes a question's id number and tags as tokens in its comment
//! lines (`// [id:hem-001] [tag:level:MLS]`) and reads them back from any comment line
//! of the question; a `]` inside a token is written `\]`. labcert's GIFT export
//! (`bank::export`) puts there what Moodle has no field for, as `key:value` tags (see
//! [`tag`]), and ends the general feedback with one `Read: SOURCE` line per reference.
//! `gift` reads the tokens (and the tags an instructor's own Moodle questions carry:
//! area, topic, subtopic, level, difficulty); this module reads the rest of labcert's
//! tags into a draft, and the `Read:` lines. Tags it does not know are ignored here and
//! kept in a comment by `gift`.

use super::draft::Draft;
use crate::bank::model::Answer;

/// The start of a line of the general feedback that names a reference (`Read: Rodak,
/// 6th ed.`), matched in any letter case.
pub const READ_PREFIX: &str = "Read:";

/// The keys of labcert's `key:value` tags.
pub mod tag {
    /// The content area's name (`hematology`); the category path names it too.
    pub const AREA: &str = "area";
    /// `MLT`, `MLS` or `both`.
    pub const LEVEL: &str = "level";
    pub const SUBTOPIC: &str = "subtopic";
    /// The author's rating, 1 to 5.
    pub const DIFFICULTY: &str = "difficulty";
    pub const IRT_A: &str = "irt-a";
    pub const IRT_B: &str = "irt-b";
    pub const IRT_C: &str = "irt-c";
    /// The unit of a numeric answer (GIFT's numerical answers have none).
    pub const UNIT: &str = "unit";
    /// One tag per enemy item id.
    pub const ENEMY: &str = "enemy";
    /// `shuffle:false` keeps the choices in their order.
    pub const SHUFFLE: &str = "shuffle";
    /// The image's file name: GIFT cannot carry the file, so it is named for the
    /// instructor.
    pub const IMAGE: &str = "image";
}

/// Writes `value` for a `[tag:...]` or `[id:...]` token: a `]` is written `\\]`.
pub fn escape_token(value: &str) -> String {
    value.replace(']', "\\]")
}

/// Gives a draft what labcert's own tags say beyond area, topic, subtopic, level and
/// difficulty (which `gift` reads with the instructor's tags): the IRT parameters, a
/// numeric answer's unit, enemies, `shuffle` and the image's name. Returns notes about
/// values that could not be used.
pub fn apply_labcert_tags(draft: &mut Draft, tags: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
    for t in tags {
        let Some((key, value)) = t.split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
        let mut unusable = |what: &str| {
            notes.push(format!("the tag \"{t}\" was left out: {what}"));
        };
        match key.as_str() {
            tag::IRT_A | tag::IRT_B | tag::IRT_C => match super::draft::parse_number(value) {
                Some(v) if key == tag::IRT_A => draft.irt.a = Some(v),
                Some(v) if key == tag::IRT_B => draft.irt.b = Some(v),
                Some(v) => draft.irt.c = Some(v),
                None => unusable("not a number"),
            },
            tag::UNIT => match &mut draft.answer {
                Answer::Numeric { unit, .. } => *unit = value.to_string(),
                _ => unusable("a unit belongs to a numeric question"),
            },
            tag::ENEMY if !value.is_empty() && !draft.enemies.iter().any(|e| e == value) => {
                draft.enemies.push(value.to_string());
            }
            tag::SHUFFLE => match value.to_ascii_lowercase().as_str() {
                "false" | "no" => draft.shuffle = Some(false),
                "true" | "yes" => draft.shuffle = Some(true),
                _ => unusable("shuffle is true or false"),
            },
            // The file is named; whether it is beside the bank is checked like any image.
            tag::IMAGE if draft.image.is_none() && !value.is_empty() => {
                draft.image = Some(value.to_string());
            }
            _ => {}
        }
    }
    notes
}

/// Splits the `Read:` lines closing a general feedback off as references: the
/// explanation (none if nothing else is left) and the references, in order.
pub fn split_references(feedback: &str) -> (Option<String>, Vec<String>) {
    let mut lines: Vec<&str> = feedback.lines().collect();
    let mut references = Vec::new();
    while let Some(last) = lines.last() {
        match reference_of(last) {
            Some(r) => {
                references.push(r.to_string());
                lines.pop();
            }
            None => break,
        }
    }
    references.reverse();
    let explanation = lines.join("\n");
    let explanation = (!explanation.trim().is_empty()).then_some(explanation);
    (explanation, references)
}

/// The reference a `Read: SOURCE` line names.
fn reference_of(line: &str) -> Option<&str> {
    let line = line.trim();
    let head = line.get(..READ_PREFIX.len())?;
    if !head.eq_ignore_ascii_case(READ_PREFIX) {
        return None;
    }
    let source = line[READ_PREFIX.len()..].trim();
    (!source.is_empty()).then_some(source)
}

/// Whether the last line of `text` would be read as a reference.
pub fn ends_with_read_line(text: &str) -> bool {
    text.lines()
        .last()
        .is_some_and(|l| reference_of(l).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labcert_tags_fill_the_draft_and_bad_ones_are_noted() {
        let mut d = Draft::new(
            1,
            1,
            "s".into(),
            Answer::Numeric {
                value: 1.0,
                tolerance: 0.0,
                unit: String::new(),
            },
        );
        let tags: Vec<String> = [
            "irt-b:-0.5",
            "irt-a:x",
            "unit:mg/dL",
            "enemy:q.2",
            "enemy:q.2",
            "shuffle:false",
            "image:smear.png",
            "week 3",
        ]
        .map(String::from)
        .to_vec();
        let notes = apply_labcert_tags(&mut d, &tags);
        assert_eq!((d.irt.a, d.irt.b), (None, Some(-0.5)));
        assert!(matches!(&d.answer, Answer::Numeric { unit, .. } if unit == "mg/dL"));
        assert_eq!(d.enemies, ["q.2"]);
        assert_eq!(d.shuffle, Some(false));
        assert_eq!(d.image.as_deref(), Some("smear.png"));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("irt-a:x"), "{notes:?}");
        assert_eq!(escape_token("a]b"), "a\\]b");
    }

    #[test]
    fn read_lines_close_the_feedback() {
        let (e, r) = split_references("Because.\nSecond line.\nRead: Rodak; ch. 5\nread:  Tietz ");
        assert_eq!(e.as_deref(), Some("Because.\nSecond line."));
        assert_eq!(r, ["Rodak; ch. 5", "Tietz"]);
        let (e, r) = split_references("Read: only\nBecause.");
        assert_eq!(e.as_deref(), Some("Read: only\nBecause."));
        assert!(r.is_empty());
        let (e, r) = split_references("Read: X");
        assert_eq!((e, r), (None, vec!["X".to_string()]));
        assert!(ends_with_read_line("a\nREAD: b"));
        assert!(!ends_with_read_line("Already read: b"));
    }
}
