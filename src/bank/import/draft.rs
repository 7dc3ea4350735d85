//! What the parsers produce and how it becomes items: drafts, skipped questions, notes,
//! and the finishing pass shared by every format.
//!
//! A parser turns its file into [`Draft`]s (questions that have the shape of a labcert
//! item) and [`Skipped`] entries (questions that cannot be one: an essay, a matching
//! question, a malformed block). [`finish`] then does what is the same for every format:
//! it holds each draft to the rules of the bank format (2-6 choices for single best,
//! distinct non-empty choices, IRT ranges; see docs/bank-format.md), skipping what breaks
//! them; gives every item a valid, unique id; fills in `--area`, `--topic` and `--level`
//! where the file gives none; and lists per item what the instructor must still add.
//! Writing the bank is `write`'s job.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use super::areas::{AreaGuess, guess_area};
use super::{Defaults, Format};
use crate::bank::decode::{B_LIMIT, letter_for};
use crate::bank::model::{Answer, Area, Level};
use crate::doc::decode::valid_id;

/// The most choices a single-best item may have (docs/bank-format.md).
pub const MAX_SINGLE_BEST_CHOICES: usize = 6;
/// The most choices a select-all item may have.
pub const MAX_SELECT_ALL_CHOICES: usize = 8;
/// The fewest choices any choice item may have.
pub const MIN_CHOICES: usize = 2;
/// The longest id the bank format accepts.
pub const MAX_ID_LEN: usize = 64;
/// The rating an item gets when the file gives neither a rating nor `b`.
pub const DEFAULT_DIFFICULTY: u8 = 3;

/// A value a file may give, validly or not.
#[derive(Debug, Clone, PartialEq)]
pub enum Given<T> {
    Absent,
    Valid(T),
    /// Text that names no such thing, kept as written so that `labcert banks check` can
    /// point at it and suggest the intended name.
    Invalid(String),
}

/// Item response theory parameters as a file gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct IrtGiven {
    pub a: Option<f64>,
    pub b: Option<f64>,
    pub c: Option<f64>,
}

/// Where an item's id comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum IdSource {
    /// An id written in the file (CSV): used exactly as written, or the row is skipped,
    /// because other records (an instructor's calibration data) may refer to it.
    Given(String),
    /// A question's name (a GIFT `::title::`): made into a valid, unique id.
    Name(String),
    /// A Moodle ID number (a GIFT `// [id:...]` comment): made into a valid, unique id
    /// like a name, and preferred to the name because the instructor chose it to stay.
    IdNumber(String),
    /// Nothing: generated from the bank id and the question's number in the file.
    Generated,
}

/// A question read from a file, in the shape of an item. While it is a draft its id
/// is wherever the file took it from ([`IdSource`]) and nothing is checked; once
/// [`finish`]ed it is an [`ImportedItem`]: a final id, defaults filled in, and what it
/// still needs listed. One type for both, so a field is added in one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft<Id = IdSource> {
    /// The line the question starts on (1-based).
    pub line: usize,
    /// The question's position among the file's questions (1-based), for generated ids.
    pub number: usize,
    pub id: Id,
    pub area: Given<Area>,
    pub topic: Option<String>,
    pub subtopic: Option<String>,
    pub level: Given<Level>,
    pub stem: String,
    pub answer: Answer,
    pub explanation: Option<String>,
    pub references: Vec<String>,
    pub difficulty: Option<u8>,
    pub irt: IrtGiven,
    /// The image shown with the stem, a file name relative to the bank's folder.
    pub image: Option<String>,
    /// Labels the file gives that the bank format has no field for (Moodle tags): kept
    /// as a comment above the item, never dropped.
    pub tags: Vec<String>,
    /// Fields only a bank has (never read from an import), kept by `--update`.
    pub enemies: Vec<String>,
    pub shuffle: Option<bool>,
    /// Comment lines written above the item (what `--update` replaced, for example).
    pub comments: Vec<String>,
    /// What the item still needs before a bank check passes (empty in a draft).
    pub needs: Vec<Need>,
    /// For an item without an area: the area its words suggest, for the hints.
    pub area_guess: Option<AreaGuess>,
    /// Where the final id came from (set by [`finish`]).
    pub id_kind: IdKind,
}

/// Where an item's final id came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IdKind {
    /// Written in the file and used exactly (CSV `id`).
    Given,
    /// Made from a name or a Moodle ID number.
    Named,
    /// Made from the bank id and the question's position: it does not follow the
    /// question when questions are added or removed before it.
    #[default]
    Generated,
}

/// An item ready to be written, with what it still needs.
pub type ImportedItem = Draft<String>;

impl Draft {
    /// A draft with nothing but a stem and an answer.
    pub fn new(line: usize, number: usize, stem: String, answer: Answer) -> Draft {
        Draft {
            line,
            number,
            id: IdSource::Generated,
            area: Given::Absent,
            topic: None,
            subtopic: None,
            level: Given::Absent,
            stem,
            answer,
            explanation: None,
            references: Vec::new(),
            difficulty: None,
            irt: IrtGiven::default(),
            image: None,
            tags: Vec::new(),
            enemies: Vec::new(),
            shuffle: None,
            comments: Vec::new(),
            needs: Vec::new(),
            area_guess: None,
            id_kind: IdKind::Generated,
        }
    }

    /// How the question is named in messages: its name or id, else its stem's start.
    fn label(&self) -> String {
        match &self.id {
            IdSource::Given(id) | IdSource::Name(id) | IdSource::IdNumber(id) => id.clone(),
            IdSource::Generated => excerpt(&self.stem),
        }
    }
}

/// Why a question was not imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipKind {
    /// An essay question (GIFT `{}`): nothing to score.
    Essay,
    /// A matching question (GIFT `->`).
    Matching,
    /// A short-answer question (GIFT answers all `=`): typed text labcert cannot score.
    ShortAnswer,
    /// Text without an answer block (a GIFT description).
    Description,
    /// A question the parser could not read (unclosed brace, no ANSWER line, ...).
    Malformed,
    /// A readable question that breaks a rule of the bank format (7 choices, ...).
    Unusable,
}

impl SkipKind {
    /// How the kind reads in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            SkipKind::Essay => "essay question",
            SkipKind::Matching => "matching question",
            SkipKind::ShortAnswer => "short-answer question",
            SkipKind::Description => "description",
            SkipKind::Malformed => "malformed question",
            SkipKind::Unusable => "question",
        }
    }
}

/// A question that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub line: usize,
    /// The column of the cell to blame, when one is (CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub kind: SkipKind,
    /// The question's name, or the start of its text.
    pub question: String,
    pub reason: String,
}

/// Something the instructor should know about an imported question: partial credit
/// dropped, an image left behind, an id changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub line: Option<usize>,
    pub text: String,
}

impl Note {
    pub fn at(line: usize, text: impl Into<String>) -> Note {
        Note {
            line: Some(line),
            text: text.into(),
        }
    }
}

/// What a parser found in a file.
#[derive(Debug, Default)]
pub struct Parsed {
    pub drafts: Vec<Draft>,
    pub skipped: Vec<Skipped>,
    pub notes: Vec<Note>,
}

/// Something an imported item still needs before `labcert banks check` accepts it.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    /// No area in the file and no `--area`.
    Area,
    /// The file names an area labcert does not have.
    UnknownArea(String),
    /// No topic (GIFT `$CATEGORY`, CSV `topic`) and no `--topic`.
    Topic,
    /// The file names a level labcert does not have.
    UnknownLevel(String),
    /// No explanation: no feedback in the file, or an empty cell.
    Explanation,
    /// The id (written in the file) is already used by another loaded bank.
    IdInUse { bank: String },
    /// The stem shows an image whose file is not in the bank's folder yet.
    Image(String),
    /// A problem `labcert banks check` found in the written item that the importer did
    /// not predict (kept so that the report and `banks check` always agree).
    Check { code: String, message: String },
}

impl Need {
    /// The item field to edit.
    pub fn field(&self) -> &'static str {
        match self {
            Need::Area | Need::UnknownArea(_) => "area",
            Need::Topic => "topic",
            Need::UnknownLevel(_) => "level",
            Need::Explanation => "explanation",
            Need::IdInUse { .. } => "id",
            Need::Image(_) => "image",
            Need::Check { .. } => "item",
        }
    }

    /// What is wrong, in a sentence, for an item imported from `format`.
    pub fn problem(&self, format: Format) -> String {
        match self {
            Need::Area => "no area: pass --area or add `area:` to the item".to_string(),
            Need::UnknownArea(name) => format!(
                "\"{name}\" is not one of the content areas ({})",
                area_names()
            ),
            Need::Topic => "no topic: pass --topic or add `topic:` to the item".to_string(),
            Need::UnknownLevel(name) => {
                format!("\"{name}\" is not a level (MLT, MLS or both)")
            }
            Need::Explanation => match format {
                Format::Gift => "no explanation: the question has no feedback (#, ####)",
                Format::Aiken => "no explanation: the Aiken format has none",
                Format::Csv => "no explanation: the explanation cell is empty or missing",
            }
            .to_string(),
            Need::IdInUse { bank } => format!("the id is already used by the bank \"{bank}\""),
            Need::Image(file) => format!(
                "the image \"{file}\" is not in the bank's folder yet: copy it there (the question's text refers to it)"
            ),
            Need::Check { code, message } => format!("{code}: {message}"),
        }
    }
}

/// The seven area names, for messages.
pub fn area_names() -> String {
    Area::ALL.map(Area::name).join(", ")
}

/// The result of [`finish`].
#[derive(Debug, Default)]
pub struct Finished {
    pub items: Vec<ImportedItem>,
    pub skipped: Vec<Skipped>,
    pub notes: Vec<Note>,
}

/// What [`finish`] needs besides the drafts.
pub struct FinishContext<'a> {
    pub bank_id: &'a str,
    pub defaults: &'a Defaults,
    /// Item ids used by other loaded banks, with the bank that uses each.
    pub taken_ids: &'a HashMap<String, String>,
    /// The folder the bank is written to, where its images must be; `None`: images are
    /// not looked for.
    pub image_dir: Option<&'a Path>,
}

/// Checks the drafts, gives them ids and defaults, and lists what each still needs.
pub fn finish(parsed: Parsed, cx: &FinishContext) -> Finished {
    let Parsed {
        drafts,
        mut skipped,
        mut notes,
    } = parsed;
    let mut ids = IdAllocator::new(cx.bank_id, cx.taken_ids);
    let mut accepted = Vec::new();
    for draft in drafts {
        match draft_problem(&draft) {
            Some(reason) => skipped.push(Skipped {
                column: None,
                line: draft.line,
                kind: SkipKind::Unusable,
                question: draft.label(),
                reason,
            }),
            None => accepted.push(draft),
        }
    }
    // Ids written in the file are fixed: reserve them first, so a generated id never
    // takes one of them.
    let mut fixed_on_line: HashMap<String, usize> = HashMap::new();
    let mut kept = Vec::new();
    for draft in accepted {
        if let IdSource::Given(id) = &draft.id {
            let problem = if !valid_id(id) {
                Some(format!(
                    "the id \"{id}\" is not usable: use 1 to 64 letters, digits, `-`, `_` or `.`"
                ))
            } else {
                fixed_on_line
                    .get(id)
                    .map(|line| format!("the id \"{id}\" is already used on line {line}"))
            };
            if let Some(reason) = problem {
                skipped.push(Skipped {
                    column: None,
                    line: draft.line,
                    kind: SkipKind::Unusable,
                    question: draft.label(),
                    reason,
                });
                continue;
            }
            fixed_on_line.insert(id.clone(), draft.line);
            ids.reserve(id);
        }
        kept.push(draft);
    }
    let mut defaulted_level = 0;
    let mut items = Vec::with_capacity(kept.len());
    for draft in kept {
        let (id, id_note) = ids.assign(&draft);
        notes.extend(id_note.map(|text| Note::at(draft.line, text)));
        if draft.level == Given::Absent && cx.defaults.level.is_none() {
            defaulted_level += 1;
        }
        items.push(complete(draft, id, cx));
    }
    if defaulted_level > 0 {
        notes.push(Note {
            line: None,
            text: format!(
                "{defaulted_level} item{} got the level \"both\" because neither the file nor --level gives one (pass --level MLT or --level MLS to choose)",
                if defaulted_level == 1 { "" } else { "s" }
            ),
        });
    }
    skipped.sort_by_key(|s| s.line);
    notes.sort_by_key(|n| n.line.unwrap_or(usize::MAX));
    Finished {
        items,
        skipped,
        notes,
    }
}

/// Fills in defaults and lists what the item still needs.
fn complete(draft: Draft, id: String, cx: &FinishContext) -> ImportedItem {
    let area = match draft.area {
        Given::Absent => cx.defaults.area.map_or(Given::Absent, Given::Valid),
        given => given,
    };
    let topic = non_blank(draft.topic).or_else(|| cx.defaults.topic.clone());
    let level = match draft.level {
        Given::Absent => Given::Valid(cx.defaults.level.unwrap_or(Level::Both)),
        given => given,
    };
    let difficulty = match (draft.difficulty, draft.irt.b) {
        (None, None) => Some(DEFAULT_DIFFICULTY),
        (d, _) => d,
    };
    let id_kind = match &draft.id {
        IdSource::Given(_) => IdKind::Given,
        IdSource::Name(name) | IdSource::IdNumber(name) if !id_from_name(name).is_empty() => {
            IdKind::Named
        }
        _ => IdKind::Generated,
    };
    let mut item = ImportedItem {
        line: draft.line,
        number: draft.number,
        id,
        area,
        topic,
        subtopic: non_blank(draft.subtopic),
        level,
        stem: draft.stem,
        answer: draft.answer,
        explanation: non_blank(draft.explanation),
        references: draft
            .references
            .into_iter()
            .filter(|r| !r.trim().is_empty())
            .collect(),
        difficulty,
        irt: draft.irt,
        image: draft.image,
        tags: draft.tags,
        enemies: draft.enemies,
        shuffle: draft.shuffle,
        comments: draft.comments,
        needs: Vec::new(),
        area_guess: None,
        id_kind,
    };
    assess(&mut item, cx.taken_ids, cx.image_dir);
    item
}

/// Lists what an item still needs, and for one without an area the area its words
/// suggest. Run again on an item whose fields changed (`--update`).
pub fn assess(
    item: &mut ImportedItem,
    taken_ids: &HashMap<String, String>,
    image_dir: Option<&Path>,
) {
    let mut needs = Vec::new();
    match &item.area {
        Given::Absent => needs.push(Need::Area),
        Given::Invalid(name) => needs.push(Need::UnknownArea(name.clone())),
        Given::Valid(_) => {}
    }
    if item.topic.is_none() {
        needs.push(Need::Topic);
    }
    if let Given::Invalid(name) = &item.level {
        needs.push(Need::UnknownLevel(name.clone()));
    }
    if item.explanation.is_none() {
        needs.push(Need::Explanation);
    }
    if item.id_kind == IdKind::Given
        && let Some(bank) = taken_ids.get(&item.id)
    {
        needs.push(Need::IdInUse { bank: bank.clone() });
    }
    if let (Some(image), Some(dir)) = (&item.image, image_dir)
        && !dir.join(image).is_file()
    {
        needs.push(Need::Image(image.clone()));
    }
    item.needs = needs;
    item.area_guess = match item.area {
        Given::Valid(_) => None,
        _ => guess_area(&item_words(item)),
    };
}

/// The words an area guess reads: the topic, the stem and the choices.
fn item_words(item: &ImportedItem) -> String {
    let mut text = item.topic.clone().unwrap_or_default();
    text.push('\n');
    text.push_str(&item.stem);
    for choice in item.answer.choices() {
        text.push('\n');
        text.push_str(choice);
    }
    text
}

fn non_blank(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// Why a draft cannot be an item of the bank format, if it cannot.
pub fn draft_problem(draft: &Draft) -> Option<String> {
    if draft.stem.trim().is_empty() {
        return Some("the question has no text".to_string());
    }
    if let Some(problem) = answer_problem(&draft.answer) {
        return Some(problem);
    }
    if let Some(d) = draft.difficulty
        && !(1..=5).contains(&d)
    {
        return Some(format!(
            "difficulty {d} is outside the rating scale 1 (easiest) to 5 (hardest)"
        ));
    }
    irt_problem(&draft.irt)
}

/// Why an answer breaks the bank format's rules, if it does.
pub fn answer_problem(answer: &Answer) -> Option<String> {
    match answer {
        Answer::SingleBest { choices, key } => {
            choices_problem(choices, MAX_SINGLE_BEST_CHOICES, "a single-best item")
                .or_else(|| key_problem(*key, choices.len()))
        }
        Answer::SelectAll { choices, keys } => {
            choices_problem(choices, MAX_SELECT_ALL_CHOICES, "a select-all item").or_else(|| {
                if keys.is_empty() {
                    return Some("no choice is marked right".to_string());
                }
                keys.iter().find_map(|k| key_problem(*k, choices.len()))
            })
        }
        Answer::Numeric {
            value, tolerance, ..
        } => {
            if !value.is_finite() || !tolerance.is_finite() {
                Some("the answer is not a finite number".to_string())
            } else if *tolerance < 0.0 {
                Some(format!("the tolerance {tolerance} is negative"))
            } else {
                None
            }
        }
    }
}

fn choices_problem(choices: &[String], max: usize, what: &str) -> Option<String> {
    let n = choices.len();
    if !(MIN_CHOICES..=max).contains(&n) {
        return Some(format!(
            "{n} choice{}; {what} takes {MIN_CHOICES} to {max}",
            if n == 1 { "" } else { "s" }
        ));
    }
    let mut seen: Vec<String> = Vec::with_capacity(n);
    for (i, choice) in choices.iter().enumerate() {
        // Case matters, as in the bank format: anti-E and anti-e are different antibodies.
        let norm = choice.split_whitespace().collect::<Vec<_>>().join(" ");
        if norm.is_empty() {
            return Some(format!("choice {} is empty", letter_for(i)));
        }
        if let Some(first) = seen.iter().position(|s| *s == norm) {
            return Some(format!(
                "choices {} and {} are the same (\"{}\")",
                letter_for(first),
                letter_for(i),
                choice.trim()
            ));
        }
        seen.push(norm);
    }
    None
}

fn key_problem(key: usize, n: usize) -> Option<String> {
    (key >= n).then(|| {
        format!(
            "the answer {} is not among the choices (A-{})",
            letter_for(key),
            letter_for(n.saturating_sub(1))
        )
    })
}

fn irt_problem(irt: &IrtGiven) -> Option<String> {
    let a = irt
        .a
        .filter(|&v| !v.is_finite() || v <= 0.0 || v > 10.0)
        .map(|v| (v, "a", "above 0 and at most 10"));
    let b = irt
        .b
        .filter(|&v| !v.is_finite() || v.abs() > B_LIMIT)
        .map(|v| (v, "b", "between -6 and 6 logits"));
    let c = irt
        .c
        .filter(|&v| !(0.0..1.0).contains(&v))
        .map(|v| (v, "c", "at least 0 and below 1"));
    a.or(b)
        .or(c)
        .map(|(v, name, rule)| format!("{name} = {v} is out of range: it must be {rule}"))
}

/// A finite number written in decimal (`1822`, `-3.142`, `1e-3`); not `inf` or `NaN`.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty()
        || t.chars()
            .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads an area as a file may write it: its name (`blood-banking`), its title
/// (`Blood Banking`) or a name instructors use (`Blood Bank`, `Micro`, `Heme`), in any
/// case (see [`super::areas`]).
pub fn area_from_text(text: &str) -> Option<Area> {
    super::areas::area_from_name(text)
}

/// The first 60 characters of a text, on one line ("(no text)" for none).
pub fn excerpt(text: &str) -> String {
    const MAX: usize = 60;
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return "(no text)".to_string();
    }
    if line.chars().count() <= MAX {
        return line;
    }
    let cut: String = line.chars().take(MAX - 3).collect();
    format!("{}...", cut.trim_end())
}

/// Turns a question's name into an id: letters with accents lose them, runs of other
/// characters become one `-`, and the result is cut to 64 characters.
pub fn id_from_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let folded = fold_accent(c);
        for c in folded.chars() {
            if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
    }
    let trimmed = out.trim_end_matches('-');
    trimmed
        .get(..MAX_ID_LEN)
        .unwrap_or(trimmed)
        .trim_end_matches('-')
        .to_string()
}

/// The unaccented spelling of a Latin letter (`é` -> `e`, `ß` -> `ss`); other characters
/// as they are.
fn fold_accent(c: char) -> String {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'š' | 'ś' => "s",
        'Š' | 'Ś' => "S",
        'ž' | 'ź' | 'ż' => "z",
        'Ž' | 'Ź' | 'Ż' => "Z",
        'ł' => "l",
        'Ł' => "L",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        _ => return c.to_string(),
    };
    s.to_string()
}

/// Hands out ids that are valid and unique in the bank and among the loaded banks.
struct IdAllocator<'a> {
    bank_id: &'a str,
    taken: &'a HashMap<String, String>,
    used: HashSet<String>,
    /// For each base, the next suffix to try, so that many questions with one name
    /// cost linear time, not quadratic.
    next: HashMap<String, usize>,
}

impl<'a> IdAllocator<'a> {
    fn new(bank_id: &'a str, taken: &'a HashMap<String, String>) -> Self {
        IdAllocator {
            bank_id,
            taken,
            used: HashSet::new(),
            next: HashMap::new(),
        }
    }

    fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// The id for a draft, and a note when it differs from what the file suggests.
    fn assign(&mut self, draft: &Draft) -> (String, Option<String>) {
        match &draft.id {
            IdSource::Given(id) => (id.clone(), None),
            IdSource::Name(name) | IdSource::IdNumber(name) => {
                let what = match &draft.id {
                    IdSource::IdNumber(_) => "the Moodle ID number",
                    _ => "the name",
                };
                let base = id_from_name(name);
                if base.is_empty() {
                    return (self.generated(draft.number), None);
                }
                let id = self.unique(&base);
                let note = if id != base {
                    Some(match self.taken.get(&base) {
                        Some(bank) => format!(
                            "{what} \"{name}\" gives the id \"{base}\", which the bank \"{bank}\" already uses; this item is \"{id}\""
                        ),
                        None => format!(
                            "another question already has the id \"{base}\"; this one is \"{id}\""
                        ),
                    })
                } else if matches!(draft.id, IdSource::IdNumber(_)) && base != *name {
                    Some(format!(
                        "{what} \"{name}\" is not a usable id (1 to 64 letters, digits, `-`, `_`, `.`); this item is \"{id}\""
                    ))
                } else {
                    None
                };
                (id, note)
            }
            IdSource::Generated => (self.generated(draft.number), None),
        }
    }

    fn generated(&mut self, number: usize) -> String {
        let suffix = format!("-{number:04}");
        let prefix = cut(self.bank_id, MAX_ID_LEN - suffix.len());
        self.unique(&format!("{prefix}{suffix}"))
    }

    fn unique(&mut self, base: &str) -> String {
        let free =
            |id: &str, used: &HashSet<String>| !used.contains(id) && !self.taken.contains_key(id);
        let mut id = base.to_string();
        let mut n = self.next.get(base).copied().unwrap_or(2);
        while !free(&id, &self.used) {
            let suffix = format!("-{n}");
            id = format!("{}{suffix}", cut(base, MAX_ID_LEN - suffix.len()));
            n += 1;
        }
        self.next.insert(base.to_string(), n);
        self.used.insert(id.clone());
        id
    }
}

/// The first `max` bytes of an ASCII id.
fn cut(id: &str, max: usize) -> &str {
    id.get(..max).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(choices: &[&str], key: usize) -> Answer {
        Answer::SingleBest {
            choices: choices.iter().map(|c| c.to_string()).collect(),
            key,
        }
    }

    #[test]
    fn names_become_valid_ids() {
        let table = [
            ("Q8", "Q8"),
            ("2-08 TSL", "2-08-TSL"),
            ("Grant's Tomb", "Grant-s-Tomb"),
            (
                "Jesus' hometown (Short answer ex.)",
                "Jesus-hometown-Short-answer-ex.",
            ),
            (
                "Combien de principes GRASP y a-t-il?",
                "Combien-de-principes-GRASP-y-a-t-il",
            ),
            ("Réponse à côté", "Reponse-a-cote"),
            ("  --  ", ""),
            ("日本", ""),
        ];
        for (name, id) in table {
            assert_eq!(id_from_name(name), id, "{name}");
            assert!(id.is_empty() || valid_id(id));
        }
        let long = id_from_name(&"word ".repeat(40));
        assert!(long.len() <= MAX_ID_LEN && valid_id(&long), "{long}");
    }

    #[test]
    fn ids_are_made_unique_within_the_file_and_among_loaded_banks() {
        let taken: HashMap<String, String> =
            [("bb-001".to_string(), "labcert-blood-banking".to_string())].into();
        let mut ids = IdAllocator::new("class", &taken);
        let mut draft = Draft::new(1, 1, "s".into(), single(&["a", "b"], 0));
        draft.id = IdSource::Name("2-08 TSL".into());
        assert_eq!(ids.assign(&draft).0, "2-08-TSL");
        let (id, note) = ids.assign(&draft);
        assert_eq!(id, "2-08-TSL-2");
        assert!(note.unwrap().contains("already has the id"));
        draft.id = IdSource::Name("bb 001".into());
        let (id, note) = ids.assign(&draft);
        assert_eq!(id, "bb-001-2");
        assert!(note.unwrap().contains("labcert-blood-banking"));
        draft.id = IdSource::Generated;
        draft.number = 7;
        assert_eq!(ids.assign(&draft).0, "class-0007");
    }

    #[test]
    fn generated_ids_fit_in_64_characters() {
        let taken = HashMap::new();
        let bank = "b".repeat(64);
        let mut ids = IdAllocator::new(&bank, &taken);
        let id = ids.generated(123_456);
        assert!(id.len() <= MAX_ID_LEN && valid_id(&id), "{id}");
        assert!(id.ends_with("-123456"));
    }

    #[test]
    fn answers_are_held_to_the_bank_format() {
        let seven = ["a", "b", "c", "d", "e", "f", "g"];
        let table: [(Answer, Option<&str>); 8] = [
            (single(&["a", "b"], 1), None),
            (
                single(&seven, 0),
                Some("7 choices; a single-best item takes 2 to 6"),
            ),
            (single(&["only"], 0), Some("1 choice;")),
            (
                single(&["a", "b"], 2),
                Some("the answer C is not among the choices (A-B)"),
            ),
            (
                single(&["Same", " Same "], 0),
                Some("choices A and B are the same"),
            ),
            (single(&["Anti-E", "Anti-e"], 0), None),
            (single(&["a", " "], 0), Some("choice B is empty")),
            (
                Answer::Numeric {
                    value: 1.0,
                    tolerance: -1.0,
                    unit: String::new(),
                },
                Some("negative"),
            ),
        ];
        for (answer, expected) in table {
            let problem = answer_problem(&answer);
            match expected {
                None => assert_eq!(problem, None),
                Some(words) => assert!(
                    problem.as_deref().is_some_and(|p| p.contains(words)),
                    "{problem:?} lacks {words:?}"
                ),
            }
        }
    }

    #[test]
    fn irt_parameters_are_range_checked() {
        let ok = IrtGiven {
            a: Some(1.2),
            b: Some(-0.4),
            c: Some(0.2),
        };
        assert_eq!(irt_problem(&ok), None);
        let bad_b = IrtGiven { b: Some(7.0), ..ok };
        assert!(irt_problem(&bad_b).unwrap().starts_with("b = 7"));
        let bad_a = IrtGiven { a: Some(0.0), ..ok };
        assert!(irt_problem(&bad_a).unwrap().starts_with("a = 0"));
    }

    #[test]
    fn areas_are_read_by_name_or_title() {
        assert_eq!(area_from_text("Hematology"), Some(Area::Hematology));
        assert_eq!(area_from_text("blood banking"), Some(Area::BloodBanking));
        assert_eq!(
            area_from_text("Urinalysis and Body Fluids"),
            Some(Area::Urinalysis)
        );
        assert_eq!(area_from_text("LAB_OPERATIONS"), Some(Area::LabOperations));
        assert_eq!(area_from_text("Hemtology"), None);
    }

    #[test]
    fn defaults_fill_what_the_file_leaves_out() {
        let defaults = Defaults {
            area: Some(Area::Chemistry),
            topic: None,
            level: Some(Level::Mlt),
        };
        let taken = HashMap::new();
        let cx = FinishContext {
            bank_id: "b",
            defaults: &defaults,
            taken_ids: &taken,
            image_dir: None,
        };
        let mut given = Draft::new(3, 1, "stem".into(), single(&["a", "b"], 0));
        given.area = Given::Valid(Area::Hematology);
        let bare = Draft::new(9, 2, "stem two".into(), single(&["a", "b"], 1));
        let parsed = Parsed {
            drafts: vec![given, bare],
            ..Default::default()
        };
        let done = finish(parsed, &cx);
        assert_eq!(done.items[0].area, Given::Valid(Area::Hematology));
        assert_eq!(done.items[1].area, Given::Valid(Area::Chemistry));
        assert_eq!(done.items[1].level, Given::Valid(Level::Mlt));
        assert_eq!(done.items[1].difficulty, Some(DEFAULT_DIFFICULTY));
        assert_eq!(done.items[1].needs, vec![Need::Topic, Need::Explanation]);
    }

    #[test]
    fn bad_or_repeated_given_ids_skip_the_row() {
        let defaults = Defaults::default();
        let taken: HashMap<String, String> = [("hem-1".to_string(), "other".to_string())].into();
        let cx = FinishContext {
            bank_id: "b",
            defaults: &defaults,
            taken_ids: &taken,
            image_dir: None,
        };
        let mut drafts = Vec::new();
        for (line, id) in [(2, "q1"), (3, "q 2"), (4, "q1"), (5, "hem-1")] {
            let mut d = Draft::new(
                line,
                line - 1,
                format!("stem {line}"),
                single(&["a", "b"], 0),
            );
            d.id = IdSource::Given(id.to_string());
            drafts.push(d);
        }
        let done = finish(
            Parsed {
                drafts,
                ..Default::default()
            },
            &cx,
        );
        let ids: Vec<_> = done.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["q1", "hem-1"]);
        assert!(done.items[1].needs.contains(&Need::IdInUse {
            bank: "other".into()
        }));
        let reasons: Vec<_> = done
            .skipped
            .iter()
            .map(|s| (s.line, s.reason.as_str()))
            .collect();
        assert_eq!(reasons[0].0, 3);
        assert!(reasons[0].1.contains("not usable"));
        assert_eq!(reasons[1], (4, "the id \"q1\" is already used on line 2"));
    }
}
