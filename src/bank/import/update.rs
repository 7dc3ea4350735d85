//! `--update`: merging a new import into the bank an earlier import wrote, keeping what
//! the instructor wrote by hand.
//!
//! The existing bank is read leniently ([`read_existing`]): an item is taken with
//! whatever fields it has, so an item still missing its explanation keeps the topic or
//! the references written into it since. [`merge`] then matches each imported question
//! to an existing item, by id first (only ids that follow the question: a `::name::`,
//! a Moodle ID number, a CSV id, never a position-made `BANK-0007`), then by stem text
//! (not for CSV rows, whose id is their identity), and decides field by field:
//!
//! - the question itself (stem, answer, image) is always the file's; the item keeps the
//!   bank's id, so progress history stays with it;
//! - what the question is about (area, topic, subtopic, level), and `enemies` and
//!   `shuffle` (which only a bank has), stay as the bank has them; the file fills them in
//!   where the bank has none;
//! - what belongs to the exact wording (explanation, references, the difficulty rating
//!   and the IRT values) stays as the bank has it while the question is unchanged; when
//!   the stem, the answer or the image changed it is the file's, and the bank's old
//!   values are written in a `// before this import:` comment above the item;
//! - an item whose question is no longer in the file is removed from the bank and
//!   written, commented out, at the end of the file.
//!
//! Everything kept, replaced, added and removed is in the [`Update`] report; nothing is
//! dropped silently. Comments the instructor wrote inside the items are not carried
//! over (the file is written anew); the report counts them. Where the bank file comes
//! from and goes to is `cli::import`'s job.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::draft::{Given, IdKind, ImportedItem, IrtGiven, assess};
use super::write::{TAGS_COMMENT, ron_string};
use super::{BankMeta, Import};
use crate::bank::model::{Answer, Area, Level};
use crate::doc::ron::{Field, Node, NodeKind};

/// The prefix of the comment lines that keep the values a change replaced.
pub const BEFORE_COMMENT: &str = "before this import: ";

/// The bank an earlier import wrote (and the instructor completed), as read for
/// `--update`.
#[derive(Debug, Clone)]
pub struct Existing {
    /// The bank's own fields, kept as they are (an instructor sets author and license).
    pub meta: BankMeta,
    pub items: Vec<ExistingItem>,
    /// Lines of comments in the item list that the importer did not write.
    pub foreign_comment_lines: Vec<usize>,
}

/// One item of the existing bank.
#[derive(Debug, Clone)]
pub struct ExistingItem {
    pub id: Option<String>,
    /// The item as fields, when it has an id, a stem and a readable answer.
    pub item: Option<ImportedItem>,
    /// The item's text in the file, to keep when it is removed.
    pub source: String,
    /// Its first line in the file.
    pub line: usize,
}

/// Why the existing bank cannot be merged into.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub line: usize,
    pub column: usize,
    pub problem: String,
}

/// Reads the bank at `text` leniently.
pub fn read_existing(text: &str) -> Result<Existing, Unreadable> {
    let at = |offset: usize| position(text, offset);
    let root = crate::doc::ron::parse(text).map_err(|e| {
        let (line, column) = at(e.span.start);
        Unreadable {
            line,
            column,
            problem: format!(
                "it is not valid RON ({}); `labcert banks check` shows where",
                e.message
            ),
        }
    })?;
    let NodeKind::Struct { fields, .. } = &root.kind else {
        return Err(Unreadable {
            line: 1,
            column: 1,
            problem: "it is not a bank: `Bank(...)` was expected".to_string(),
        });
    };
    let text_field = |name: &str| field(fields, name).and_then(string);
    let Some(id) = text_field("id") else {
        return Err(Unreadable {
            line: 1,
            column: 1,
            problem: "the bank has no `id`".to_string(),
        });
    };
    let meta = BankMeta {
        id,
        title: text_field("title").unwrap_or_default(),
        author: text_field("author").unwrap_or_default(),
        version: text_field("version").unwrap_or_default(),
        license: text_field("license").unwrap_or_default(),
        description: text_field("description").unwrap_or_default(),
    };
    let Some(items_node) = field(fields, "items") else {
        return Err(Unreadable {
            line: 1,
            column: 1,
            problem: "the bank has no `items` list".to_string(),
        });
    };
    let NodeKind::List(nodes) = &items_node.kind else {
        let (line, column) = at(items_node.span.start);
        return Err(Unreadable {
            line,
            column,
            problem: "`items` is not a list".to_string(),
        });
    };
    let items = nodes
        .iter()
        .map(|node| {
            let item = read_item(node);
            ExistingItem {
                id: match &node.kind {
                    NodeKind::Struct { fields, .. } => field(fields, "id").and_then(string),
                    _ => None,
                },
                item,
                source: dedent(
                    text.get(node.span.clone()).unwrap_or_default(),
                    at(node.span.start).1 - 1,
                ),
                line: at(node.span.start).0,
            }
        })
        .collect();
    let region = text.get(items_node.span.clone()).unwrap_or_default();
    let first_line = at(items_node.span.start).0;
    let foreign_comment_lines = region
        .lines()
        .enumerate()
        .filter(|(_, l)| foreign_comment(l))
        .map(|(i, _)| first_line + i)
        .collect();
    Ok(Existing {
        meta,
        items,
        foreign_comment_lines,
    })
}

/// An item's text with the indentation of its first line taken off the others.
fn dedent(source: &str, indent: usize) -> String {
    source
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                return line;
            }
            let spaces = line.len() - line.trim_start_matches(' ').len();
            &line[spaces.min(indent)..]
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The 1-based line and column of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Whether a line holds a comment the importer did not write: any `//` or `/*` outside a
/// string, except the importer's own whole-line comments above an item.
fn foreign_comment(line: &str) -> bool {
    let trimmed = line.trim_start();
    if let Some(text) = trimmed.strip_prefix("// ") {
        let ours = text.starts_with("from line ")
            || text.starts_with(TAGS_COMMENT)
            || text.starts_with(BEFORE_COMMENT);
        if ours {
            return false;
        }
    }
    let mut in_string = false;
    let mut escaped = false;
    let mut previous = ' ';
    for c in line.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if previous == '/' && (c == '/' || c == '*') {
            return true;
        }
        previous = if in_string { ' ' } else { c };
    }
    false
}

fn field<'n, 'a>(fields: &'n [Field<'a>], name: &str) -> Option<&'n Node<'a>> {
    fields
        .iter()
        .find(|f| f.name == name)
        .map(|f| &f.value)
        .and_then(present)
}

/// A value with `Some(...)` taken off; `None` for `None`.
fn present<'n, 'a>(node: &'n Node<'a>) -> Option<&'n Node<'a>> {
    match &node.kind {
        NodeKind::Unit { name: Some(n), .. } if n.name == "None" => None,
        NodeKind::Tuple {
            name: Some(n),
            items,
        } if n.name == "Some" && items.len() == 1 => present(&items[0]),
        _ => Some(node),
    }
}

fn string(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::Str(s) => Some(s.to_string()),
        NodeKind::Char(c) => Some(c.to_string()),
        _ => None,
    }
}

fn number(node: &Node) -> Option<f64> {
    match node.kind {
        NodeKind::Number { value, .. } if value.is_finite() => Some(value),
        _ => None,
    }
}

fn strings(node: &Node) -> Option<Vec<String>> {
    match &node.kind {
        NodeKind::List(items) => items.iter().map(string).collect(),
        _ => None,
    }
}

/// A key letter (`"B"` or `'B'`) as a 0-based index.
fn letter(node: &Node) -> Option<usize> {
    let text = string(node)?;
    let mut chars = text.trim().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => {
            Some((c.to_ascii_uppercase() as u8 - b'A') as usize)
        }
        _ => None,
    }
}

/// `SingleBest(choices, key)`, `SelectAll(choices, keys)` or `Numeric(value,
/// tolerance, unit)`, written with field names.
fn answer(node: &Node) -> Option<Answer> {
    let NodeKind::Struct {
        name: Some(name),
        fields,
    } = &node.kind
    else {
        return None;
    };
    let get = |n: &str| field(fields, n);
    match name.name {
        "SingleBest" => Some(Answer::SingleBest {
            choices: strings(get("choices")?)?,
            key: letter(get("key")?)?,
        }),
        "SelectAll" => Some(Answer::SelectAll {
            choices: strings(get("choices")?)?,
            keys: match &get("keys")?.kind {
                NodeKind::List(keys) => keys.iter().map(letter).collect::<Option<Vec<_>>>()?,
                _ => return None,
            },
        }),
        "Numeric" => Some(Answer::Numeric {
            value: number(get("value")?)?,
            tolerance: number(get("tolerance")?)?,
            unit: get("unit").and_then(string).unwrap_or_default(),
        }),
        _ => None,
    }
}

/// An existing item as fields: `None` without an id, a stem and a readable answer
/// (such an item can only be kept as text).
fn read_item(node: &Node) -> Option<ImportedItem> {
    let NodeKind::Struct { fields, .. } = &node.kind else {
        return None;
    };
    let get = |n: &str| field(fields, n);
    let text = |n: &str| get(n).and_then(string).filter(|t| !t.trim().is_empty());
    let id = text("id")?;
    let stem = text("stem")?;
    let answer = answer(get("answer")?)?;
    let area = match text("area") {
        None => Given::Absent,
        Some(name) => Area::from_name(&name).map_or(Given::Invalid(name), Given::Valid),
    };
    let level = match text("level") {
        None => Given::Absent,
        Some(name) => Level::from_name(&name).map_or(Given::Invalid(name), Given::Valid),
    };
    Some(ImportedItem {
        line: 0,
        number: 0,
        id,
        area,
        topic: text("topic"),
        subtopic: text("subtopic"),
        level,
        stem,
        answer,
        explanation: text("explanation"),
        references: get("references").and_then(strings).unwrap_or_default(),
        difficulty: get("difficulty")
            .and_then(number)
            .filter(|d| d.fract() == 0.0 && (0.0..=255.0).contains(d))
            .map(|d| d as u8),
        irt: IrtGiven {
            a: get("a").and_then(number),
            b: get("b").and_then(number),
            c: get("c").and_then(number),
        },
        image: text("image"),
        tags: Vec::new(),
        enemies: get("enemies").and_then(strings).unwrap_or_default(),
        shuffle: get("shuffle").and_then(|n| match n.kind {
            NodeKind::Bool(b) => Some(b),
            _ => None,
        }),
        comments: Vec::new(),
        needs: Vec::new(),
        area_guess: None,
        id_kind: IdKind::Named,
    })
}

/// What an update did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Update {
    /// The bank file's name, for messages.
    pub bank: String,
    /// Items whose question is unchanged: the bank's item, filled in where it lacked a
    /// field the file gives.
    pub unchanged: Vec<String>,
    pub changed: Vec<Changed>,
    pub added: Vec<String>,
    pub removed: Vec<Removed>,
    /// Bank values kept although the file now says something else.
    pub kept: Vec<FieldChange>,
    /// Fields the bank's item lacked, taken from the file.
    pub filled: Vec<FieldChange>,
    /// Matched items whose id the file now gives differently: the bank's id is kept.
    pub ids_kept: Vec<IdKept>,
    /// Lines of the old bank with comments the import does not carry over.
    pub comments_not_kept: Vec<usize>,
}

/// An item whose question changed.
#[derive(Debug, Clone, Serialize)]
pub struct Changed {
    pub id: String,
    pub line: usize,
    /// What changed in the question: `stem`, `answer`, `image`.
    pub question: Vec<&'static str>,
    /// Hand-written fields the file's values replaced (the old values are in a comment
    /// above the item).
    pub replaced: Vec<&'static str>,
}

/// An item no longer in the file.
#[derive(Debug, Clone, Serialize)]
pub struct Removed {
    /// Its id, if it had one.
    pub id: Option<String>,
    /// Its line in the old bank.
    pub line: usize,
    #[serde(skip)]
    pub source: String,
}

/// One field of one item.
#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    pub id: String,
    pub field: &'static str,
}

/// A matched item's id, kept from the bank.
#[derive(Debug, Clone, Serialize)]
pub struct IdKept {
    pub id: String,
    pub file_id: String,
}

impl Update {
    /// Items, by field, for a summary line: `explanation 12, topic 2`.
    pub fn count_by_field(changes: &[FieldChange]) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for c in changes {
            match counts.iter_mut().find(|(f, _)| *f == c.field) {
                Some((_, n)) => *n += 1,
                None => counts.push((c.field, 1)),
            }
        }
        counts
    }
}

/// Text with its spacing made regular: a line wrapped differently is the same text.
fn spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the file rates the item itself: IRT values, or a rating other than the
/// import's default.
fn file_rated(item: &ImportedItem) -> bool {
    item.irt != IrtGiven::default() || item.difficulty != Some(super::draft::DEFAULT_DIFFICULTY)
}

/// A stem compared loosely, for matching: case and spacing do not hide a question.
fn stem_key(stem: &str) -> String {
    stem.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Merges `import` into the `existing` bank (see the module's rules), in place: the
/// import's items become the merged bank's, its bank metadata the existing one's
/// (`bank_id` replaces the id when given), and its `update` says what happened.
pub fn merge(
    import: &mut Import,
    existing: Existing,
    bank_name: &str,
    bank_id: Option<&str>,
    taken_ids: &HashMap<String, String>,
    image_dir: Option<&std::path::Path>,
) {
    let mut update = Update {
        bank: bank_name.to_string(),
        comments_not_kept: existing.foreign_comment_lines.clone(),
        ..Update::default()
    };
    let mut meta = existing.meta.clone();
    if let Some(id) = bank_id {
        meta.id = id.to_string();
    }
    import.bank = meta;

    let readable: Vec<(usize, &ImportedItem)> = existing
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.item.as_ref().map(|item| (i, item)))
        .collect();
    let mut matched: Vec<Option<usize>> = vec![None; import.items.len()];
    let mut taken: HashSet<usize> = HashSet::new();
    // By id: only ids that follow their question.
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for &(i, item) in &readable {
        by_id.entry(item.id.as_str()).or_insert(i);
    }
    for (n, item) in import.items.iter().enumerate() {
        if item.id_kind == IdKind::Generated {
            continue;
        }
        if let Some(&i) = by_id.get(item.id.as_str())
            && taken.insert(i)
        {
            matched[n] = Some(i);
        }
    }
    // Then by stem.
    let mut by_stem: HashMap<String, Vec<usize>> = HashMap::new();
    for &(i, item) in &readable {
        by_stem.entry(stem_key(&item.stem)).or_default().push(i);
    }
    for (n, item) in import.items.iter().enumerate() {
        // A CSV id is the item's identity (other records may use it): by id only.
        if matched[n].is_some() || item.id_kind == IdKind::Given {
            continue;
        }
        if let Some(candidates) = by_stem.get(&stem_key(&item.stem))
            && let Some(&i) = candidates.iter().find(|i| !taken.contains(i))
        {
            taken.insert(i);
            matched[n] = Some(i);
        }
    }

    // Ids in use: every existing id (removed ones too, so a new question never takes a
    // deleted one's id and its history) and the matched items' ids.
    let mut used: HashSet<String> = existing.items.iter().filter_map(|e| e.id.clone()).collect();
    let items = std::mem::take(&mut import.items);
    let mut merged = Vec::with_capacity(items.len());
    for (n, new) in items.into_iter().enumerate() {
        match matched[n].and_then(|i| existing.items[i].item.as_ref()) {
            Some(old) => merged.push(merge_item(old, new, &mut update)),
            None => {
                let mut item = new;
                if used.contains(&item.id) {
                    let base = item.id.clone();
                    let mut k = 2;
                    while used.contains(&item.id) {
                        let suffix = format!("-{k}");
                        let cut = base.len().min(super::draft::MAX_ID_LEN - suffix.len());
                        item.id = format!("{}{suffix}", base.get(..cut).unwrap_or(&base));
                        k += 1;
                    }
                    import.notes.push(super::Note::at(
                        item.line,
                        format!(
                            "the id \"{base}\" belongs to another item of {bank_name}; this new question is \"{}\"",
                            item.id
                        ),
                    ));
                }
                used.insert(item.id.clone());
                update.added.push(item.id.clone());
                merged.push(item);
            }
        }
    }
    for (i, e) in existing.items.iter().enumerate() {
        if !taken.contains(&i) {
            update.removed.push(Removed {
                id: e.id.clone(),
                line: e.line,
                source: e.source.clone(),
            });
        }
    }
    for item in &mut merged {
        assess(item, taken_ids, image_dir);
    }
    import.items = merged;
    import.update = Some(update);
}

/// One matched item: the rules in the module's documentation.
fn merge_item(old: &ImportedItem, new: ImportedItem, update: &mut Update) -> ImportedItem {
    let mut question = Vec::new();
    if spaced(&old.stem) != spaced(&new.stem) {
        question.push("stem");
    }
    if old.answer != new.answer {
        question.push("answer");
    }
    if old.image != new.image {
        question.push("image");
    }
    let unchanged = question.is_empty();
    let id = old.id.clone();
    if new.id != old.id {
        update.ids_kept.push(IdKept {
            id: id.clone(),
            file_id: new.id.clone(),
        });
    }
    let mut item = new;
    let note = |list: &mut Vec<FieldChange>, field: &'static str| {
        list.push(FieldChange {
            id: id.clone(),
            field,
        })
    };

    // What the question is about: the bank's, filled in from the file.
    macro_rules! classify {
        ($field:ident, $name:literal, $absent:expr) => {
            if old.$field != $absent {
                if item.$field != $absent && item.$field != old.$field {
                    note(&mut update.kept, $name);
                }
                item.$field = old.$field.clone();
            } else if item.$field != $absent {
                note(&mut update.filled, $name);
            }
        };
    }
    classify!(area, "area", Given::Absent);
    classify!(topic, "topic", None);
    classify!(subtopic, "subtopic", None);
    classify!(level, "level", Given::Absent);
    item.enemies = old.enemies.clone();
    item.shuffle = old.shuffle;

    // What belongs to the wording.
    let rated = |i: &ImportedItem| {
        i.difficulty.is_some() || i.irt.a.is_some() || i.irt.b.is_some() || i.irt.c.is_some()
    };
    let same_rating = old.difficulty == item.difficulty && old.irt == item.irt;
    let mut replaced = Vec::new();
    if unchanged {
        match (&old.explanation, &item.explanation) {
            (Some(o), Some(n)) if o.trim() != n.trim() => note(&mut update.kept, "explanation"),
            (None, Some(_)) => note(&mut update.filled, "explanation"),
            _ => {}
        }
        if old.explanation.is_some() {
            item.explanation = old.explanation.clone();
        }
        if !old.references.is_empty() {
            if !item.references.is_empty() && item.references != old.references {
                note(&mut update.kept, "references");
            }
            item.references = old.references.clone();
        } else if !item.references.is_empty() {
            note(&mut update.filled, "references");
        }
        if rated(old) {
            if !same_rating && file_rated(&item) {
                note(&mut update.kept, "difficulty");
            }
            item.difficulty = old.difficulty;
            item.irt = old.irt;
        } else if file_rated(&item) {
            note(&mut update.filled, "difficulty");
        }
        update.unchanged.push(id.clone());
    } else {
        let mut before = Vec::new();
        if let Some(o) = &old.explanation
            && item.explanation.as_deref().map(str::trim) != Some(o.trim())
        {
            replaced.push("explanation");
            before.push(format!("explanation: {}", ron_string(o)));
        }
        if !old.references.is_empty() && old.references != item.references {
            replaced.push("references");
            let refs: Vec<String> = old.references.iter().map(|r| ron_string(r)).collect();
            before.push(format!("references: [{}]", refs.join(", ")));
        }
        if rated(old) && !same_rating {
            replaced.push("difficulty");
            let mut values = Vec::new();
            if let Some(d) = old.difficulty {
                values.push(format!("difficulty: {d}"));
            }
            for (name, v) in [("a", old.irt.a), ("b", old.irt.b), ("c", old.irt.c)] {
                if let Some(v) = v {
                    values.push(format!("{name}: {v}"));
                }
            }
            before.push(values.join(", "));
        }
        for line in before {
            item.comments.push(format!("{BEFORE_COMMENT}{line}"));
        }
        update.changed.push(Changed {
            id: id.clone(),
            line: item.line,
            question,
            replaced,
        });
    }
    item.id = id;
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    const BANK: &str = r#"// an instructor's note at the top
#![enable(implicit_some)]
Bank(
    id: "class",
    title: "Class bank",
    author: "A. Instructor",
    version: "2",
    license: "CC-BY-4.0",
    items: [
        // from line 3
        (
            id: "Q1",
            area: "hematology",
            topic: "indices",
            level: "MLT",
            difficulty: 2,
            stem: "What is the MCV?",
            answer: SingleBest(choices: ["90 fL", "45 fL"], key: "A"),
            explanation: "Written by hand.", // my own note
            references: ["Rodak's Hematology, ch. 14"],
            enemies: ["Q2"],
        ),
        (
            id: "Q2",
            stem: "No answer here",
        ),
        (
            id: "Q3",
            area: "chemistry",
            topic: "x",
            level: "both",
            b: Some(0.5),
            subtopic: None,
            stem: "Numeric?",
            answer: Numeric(value: 1.5, tolerance: 0.1, unit: "mg"),
            explanation: "Because.",
        ),
    ],
)
"#;

    #[test]
    fn an_existing_bank_is_read_with_whatever_fields_it_has() {
        let e = read_existing(BANK).unwrap();
        assert_eq!(e.meta.id, "class");
        assert_eq!(e.meta.author, "A. Instructor");
        assert_eq!(e.items.len(), 3);
        let q1 = e.items[0].item.as_ref().unwrap();
        assert_eq!(q1.explanation.as_deref(), Some("Written by hand."));
        assert_eq!(q1.enemies, ["Q2"]);
        assert_eq!(q1.answer.choices(), ["90 fL", "45 fL"]);
        assert_eq!(e.items[1].id.as_deref(), Some("Q2"));
        assert!(e.items[1].item.is_none(), "no answer: kept as text only");
        assert!(e.items[1].source.contains("No answer here"));
        let q3 = e.items[2].item.as_ref().unwrap();
        assert_eq!(q3.irt.b, Some(0.5));
        assert_eq!(q3.subtopic, None);
        assert!(matches!(q3.answer, Answer::Numeric { value, .. } if value == 1.5));
        assert_eq!(
            e.foreign_comment_lines,
            [19],
            "the trailing note, not `// from line`"
        );
    }

    #[test]
    fn an_unreadable_bank_says_where() {
        let err = read_existing("Bank(\n  id: \"x\",\n  items: [ ( id: ] )").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.problem.contains("not valid RON"), "{}", err.problem);
        assert!(read_existing("[1, 2]").is_err());
    }

    fn imported(format: super::super::Format, text: &str) -> Import {
        let request = super::super::ImportRequest {
            format,
            source_name: "new".into(),
            bank: BankMeta::for_source("b".into(), "new", format),
            defaults: Default::default(),
            taken_ids: HashMap::new(),
            image_dir: None,
        };
        super::super::import_text(text, &request).unwrap()
    }

    const OLD: &str = r#"Bank(id: "b", title: "t", author: "me", version: "1", license: "x", items: [
        (id: "b-0001", stem: "One?", answer: SingleBest(choices: ["a", "b"], key: "A"), explanation: "Mine."),
        (id: "q1", stem: "Two?", answer: SingleBest(choices: ["a", "b"], key: "A"), explanation: "Also mine."),
    ])"#;

    #[test]
    fn position_ids_never_match_and_new_questions_never_take_an_old_id() {
        // "Zero?" was inserted first: by position it would take b-0001, One's id.
        let mut import = imported(
            super::super::Format::Gift,
            "Zero?{=a ~b}\n\nOne?{=a ~b}\n\n::q1::Two, reworded?{=a ~b}",
        );
        merge(
            &mut import,
            read_existing(OLD).unwrap(),
            "b.ron",
            None,
            &HashMap::new(),
            None,
        );
        let ids: Vec<&str> = import.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["b-0001-2", "b-0001", "q1"]);
        assert_eq!(import.items[1].explanation.as_deref(), Some("Mine."));
        let update = import.update.unwrap();
        assert_eq!(update.unchanged, ["b-0001"]);
        assert_eq!(update.added, ["b-0001-2"]);
        assert_eq!(update.changed[0].id, "q1");
        assert_eq!(update.changed[0].replaced, ["explanation"]);
        assert_eq!(
            import.items[2].comments,
            ["before this import: explanation: \"Also mine.\""]
        );
        assert_eq!(import.bank.author, "me");
    }

    #[test]
    fn csv_rows_match_by_id_only() {
        let mut import = imported(
            super::super::Format::Csv,
            "id,area,topic,stem,A,B,answer\nq2,chemistry,t,One?,a,b,A\n",
        );
        merge(
            &mut import,
            read_existing(OLD).unwrap(),
            "b.ron",
            None,
            &HashMap::new(),
            None,
        );
        let update = import.update.unwrap();
        assert_eq!(
            update.added,
            ["q2"],
            "the same stem under a new id is a new item"
        );
        let removed: Vec<_> = update.removed.iter().map(|r| r.id.as_deref()).collect();
        assert_eq!(removed, [Some("b-0001"), Some("q1")]);
    }

    #[test]
    fn comments_are_found_outside_strings_only() {
        assert!(!foreign_comment("        // from line 4; needs: area"));
        assert!(foreign_comment("        // checked with the textbook"));
        assert!(foreign_comment("    stem: \"x\", /* old */"));
        assert!(!foreign_comment(
            "    references: [\"https://example.org/a\"],"
        ));
        assert!(!foreign_comment("    stem: \"a \\\" // b\","));
    }
}
