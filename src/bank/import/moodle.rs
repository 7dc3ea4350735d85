//! What a GIFT question says outside GIFT's own syntax: Moodle's `// [id:...]
//! [tag:...]` comment tokens, labcert's tag vocabulary, and `Read:` lines closing the
//! general feedback.
//!
//! Moodle (since 3.6) writes a question's id number and tags as tokens in its comment
//! lines (`// [id:hem-001] [tag:level:MLS]`) and reads them back from any comment line
//! of the question; a `]` inside a token is written `\]`. labcert's GIFT export
//! (`bank::export`) puts there what Moodle has no field for, as `key:value` tags (see
//! [`tag`]), and ends the general feedback with one `Read: SOURCE` line per reference.
//! This module reads both into a draft; tags it does not know are the instructor's own
//! Moodle tags and are ignored. Everything else about GIFT is `gift`'s.

use super::draft::{Draft, Given, IdSource};
use crate::bank::model::{Answer, Area, Level};
use crate::doc::decode::valid_id;

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

/// The id number and tags of a question's comment lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comment {
    pub id: Option<String>,
    pub tags: Vec<String>,
}

impl Comment {
    /// Reads the `[id:...]` (the first) and `[tag:...]` tokens of comment lines, as
    /// Moodle does: a token ends at the first `]` not written `\]`, holds no control
    /// character (so never spans lines), and is trimmed; a tag holds no `<`, `>` or
    /// `` ` ``.
    pub fn read<'a>(lines: impl IntoIterator<Item = &'a str>) -> Comment {
        let mut comment = Comment::default();
        for line in lines {
            for (kind, value) in tokens(line) {
                match kind {
                    Token::Id if comment.id.is_none() => comment.id = Some(value),
                    Token::Tag => comment.tags.push(value),
                    Token::Id => {}
                }
            }
        }
        comment
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Id,
    Tag,
}

/// The `[id:...]` and `[tag:...]` tokens of one line, in order.
fn tokens(line: &str) -> Vec<(Token, String)> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('[') {
        rest = &rest[start..];
        let (kind, body) = if let Some(body) = rest.strip_prefix("[id:") {
            (Token::Id, body)
        } else if let Some(body) = rest.strip_prefix("[tag:") {
            (Token::Tag, body)
        } else {
            rest = &rest[1..];
            continue;
        };
        match token_value(body, kind) {
            Some((value, len)) => {
                if !value.is_empty() {
                    out.push((kind, value));
                }
                rest = &body[len..];
            }
            None => rest = &rest[1..],
        }
    }
    out
}

/// The value of a token whose body starts `body`, and the bytes it takes with its `]`;
/// `None` when a character Moodle refuses comes before the closing `]`.
fn token_value(body: &str, kind: Token) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|(_, n)| *n == ']') => {
                chars.next();
                value.push(']');
            }
            ']' => return Some((value.trim().to_string(), i + 1)),
            c if c.is_control() => return None,
            '<' | '>' | '`' if kind == Token::Tag => return None,
            c => value.push(c),
        }
    }
    None
}

/// Writes a value for a `[id:...]` or `[tag:...]` token: `]` becomes `\]`.
pub fn escape_token(value: &str) -> String {
    value.replace(']', "\\]")
}

/// Gives a draft what its comment says: the id number (when it is a usable labcert
/// id) and labcert's tags. Returns notes about values that could not be used.
pub fn apply(draft: &mut Draft, comment: &Comment) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(id) = &comment.id {
        if valid_id(id) {
            draft.id = IdSource::Given(id.clone());
        } else {
            notes.push(format!(
                "the id number \"{id}\" is not a usable labcert id (1 to 64 letters, digits, `-`, `_` or `.`); the question's name was used instead"
            ));
        }
    }
    for t in &comment.tags {
        let Some((key, value)) = t.split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
        let mut unusable = |what: &str| {
            notes.push(format!("the tag \"{t}\" was left out: {what}"));
        };
        match key.as_str() {
            tag::AREA => {
                draft.area = Area::parse(value)
                    .map_or_else(|| Given::Invalid(value.to_string()), Given::Valid);
            }
            tag::LEVEL => {
                draft.level = Level::from_name(value)
                    .map_or_else(|| Given::Invalid(value.to_string()), Given::Valid);
            }
            tag::SUBTOPIC if !value.is_empty() => draft.subtopic = Some(value.to_string()),
            tag::DIFFICULTY => match value.parse::<u8>() {
                Ok(d) => draft.difficulty = Some(d),
                Err(_) => unusable("a difficulty is a whole number from 1 to 5"),
            },
            tag::IRT_A | tag::IRT_B | tag::IRT_C => {
                match super::draft::parse_number(value) {
                    Some(v) if key == tag::IRT_A => draft.irt.a = Some(v),
                    Some(v) if key == tag::IRT_B => draft.irt.b = Some(v),
                    Some(v) => draft.irt.c = Some(v),
                    None => unusable("not a number"),
                }
            }
            tag::UNIT => match &mut draft.answer {
                Answer::Numeric { unit, .. } => *unit = value.to_string(),
                _ => unusable("a unit belongs to a numeric question"),
            },
            tag::ENEMY if !value.is_empty() && !draft.enemies.iter().any(|e| e == value) => {
                draft.enemies.push(value.to_string());
            }
            tag::SHUFFLE => match value.to_ascii_lowercase().as_str() {
                "false" | "no" => draft.shuffle = false,
                "true" | "yes" => draft.shuffle = true,
                _ => unusable("shuffle is true or false"),
            },
            tag::IMAGE => notes.push(format!(
                "the image \"{value}\" is not in a GIFT file: put it beside the bank and add `image: \"{value}\",` to the item"
            )),
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
    fn tokens_are_read_as_moodle_reads_them() {
        let c = Comment::read([
            "// question: 12  name: Q",
            "// [id:hem-001] [tag:level:MLS] [tag: subtopic:a\\]b ] [tag:] [ta",
            "// [id:second] [tag:x<y] [tag:unclosed",
        ]);
        assert_eq!(c.id.as_deref(), Some("hem-001"));
        assert_eq!(c.tags, ["level:MLS", "subtopic:a]b"]);
        assert_eq!(escape_token("a]b"), "a\\]b");
        assert_eq!(
            Comment::read(["// [id:\u{7}x] [id:y]"]).id.as_deref(),
            Some("y")
        );
    }

    #[test]
    fn tags_fill_the_draft_and_bad_ones_are_noted() {
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
        let c = Comment {
            id: Some("q.1".into()),
            tags: [
                "area:Blood Bank",
                "LEVEL:mls",
                "subtopic:ABO",
                "difficulty:4",
                "irt-b:-0.5",
                "irt-a:x",
                "unit:mg/dL",
                "enemy:q.2",
                "enemy:q.2",
                "shuffle:false",
                "week 3",
            ]
            .map(String::from)
            .to_vec(),
        };
        let notes = apply(&mut d, &c);
        assert_eq!(d.id, IdSource::Given("q.1".into()));
        assert_eq!(d.area, Given::Valid(Area::BloodBanking));
        assert_eq!(d.level, Given::Valid(Level::Mls));
        assert_eq!(d.subtopic.as_deref(), Some("ABO"));
        assert_eq!(d.difficulty, Some(4));
        assert_eq!((d.irt.a, d.irt.b), (None, Some(-0.5)));
        assert!(matches!(&d.answer, Answer::Numeric { unit, .. } if unit == "mg/dL"));
        assert_eq!(d.enemies, ["q.2"]);
        assert!(!d.shuffle);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("irt-a:x"), "{notes:?}");
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
        let notes = apply(
            &mut d,
            &Comment {
                id: Some("Q 12".into()),
                tags: vec!["level:expert".into()],
            },
        );
        assert_eq!(d.id, IdSource::Generated);
        assert_eq!(d.level, Given::Invalid("expert".into()));
        assert!(notes[0].contains("not a usable labcert id"), "{notes:?}");
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
