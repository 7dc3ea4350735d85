//! GIFT, Moodle's text format for questions, read into drafts.
//!
//! The reading follows Moodle's own importer (`question/format/gift/format.php`):
//! questions are separated by blank lines; lines starting with `//` are comments;
//! `::name::` names a question; `$CATEGORY: a/b/c` sets the category of the questions
//! after it; the first `{...}` is the answer block; `\~ \= \# \{ \} \: \\` are escapes
//! and `\n` is a line break; `[html]`, `[moodle]`, `[plain]` and `[markdown]` at the
//! start of a text say how it is written, and the question text's format is the default
//! for its answers and feedback. The question type is decided in Moodle's order: empty
//! block (essay), `#` first (numerical), a `~` (multiple choice), `=` with `->`
//! (matching), `T`/`TRUE`/`F`/`FALSE` (true/false), anything else (short answer).
//!
//! Moodle's exporter also writes `// [id:...] [tag:...]` comment lines (read here as the
//! id and tags) and images as `<img src="@@PLUGINFILE@@/file">` (the stem's first one
//! becomes the item's `image`). Nothing the file says is dropped silently: per-answer
//! feedback joins the general feedback, labelled by its answer; tags labcert has no
//! field for are kept for a comment; two questions run together are reported as such.
//!
//! What labcert does with each type, and why, is in docs/import-formats.md. This module
//! only reads; the `[id:...]` and `[tag:...]` tokens of a question's comment lines and
//! the `Read:` lines closing its general feedback are read by `moodle`; the checks every
//! format shares (choice counts, ids, defaults) are `draft`'s.

use super::areas::{self, Strength};
use super::draft::{
    Draft, Given, IdSource, Note, Parsed, SkipKind, Skipped, excerpt, parse_number,
};
use super::{html, moodle};
use crate::bank::model::{Answer, Area, Level};

/// The text that stands for the answer when the answer block is inside the sentence.
pub const BLANK: &str = "_____";
/// A question longer than this is taken for a missing blank line between questions
/// (and not read, which would cost memory in proportion to its length).
const MAX_QUESTION_BYTES: usize = 1024 * 1024;

/// A line of the file and its 1-based number.
type Line<'t> = (usize, &'t str);

/// Reads a GIFT file.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut category = Category::default();
    let mut number = 0;
    for block in blocks(text) {
        let (comments, mut lines): (Vec<Line>, Vec<Line>) = block
            .into_iter()
            .partition(|(_, l)| l.trim_start().starts_with("//"));
        if let Some((_, first)) = lines.first()
            && let Some(path) = first.trim().strip_prefix("$CATEGORY:")
        {
            category = Category::from_path(path);
            lines.remove(0);
        }
        let Some(&(line, _)) = lines.first() else {
            continue;
        };
        number += 1;
        let source = lines
            .iter()
            .map(|(_, l)| l.trim())
            .collect::<Vec<_>>()
            .join("\n");
        if source.len() > MAX_QUESTION_BYTES {
            parsed.skipped.push(Skipped {
                column: None,
                line,
                kind: SkipKind::Malformed,
                question: excerpt(source.lines().next().unwrap_or_default()),
                reason: format!(
                    "the question runs to {} KiB, over the {} KiB a question may have: is a blank line missing between questions?",
                    source.len() >> 10,
                    MAX_QUESTION_BYTES >> 10
                ),
            });
            continue;
        }
        let question = Question {
            line,
            lines: lines.iter().map(|(n, _)| *n).collect(),
            number,
            category: &category,
            moodle: Moodle::from_comments(comments.iter().map(|(_, c)| *c)),
        };
        match question.read(&symbols(&source)) {
            Ok((draft, notes)) => {
                parsed.drafts.push(draft);
                parsed.notes.extend(notes);
            }
            Err(skipped) => {
                // Two questions run together count as two, so generated ids do not
                // shift once the blank line is added.
                number += skipped.len().saturating_sub(1);
                parsed.skipped.extend(skipped);
            }
        }
    }
    parsed
}

/// The lines of the file grouped into blocks separated by blank lines, with their
/// 1-based line numbers.
fn blocks(text: &str) -> Vec<Vec<(usize, &str)>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push((i + 1, line));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// What `$CATEGORY:` says about the questions after it.
#[derive(Debug, Default, Clone, PartialEq)]
struct Category {
    topic: Option<String>,
    area: Option<Area>,
}

impl Category {
    /// Reads a Moodle category path such as `$course$/top/MLT 1010/Unit 3 - Heme/Anemias`:
    /// the last component is the topic, and the components name the area as
    /// instructors name areas (see [`areas::area_from_path`]).
    fn from_path(path: &str) -> Category {
        // Moodle writes a `/` inside a category name as `//`.
        let components: Vec<String> = path
            .replace("//", "\u{1}")
            .split('/')
            .map(|c| {
                // Names written with entities (`Urinalysis &amp; Body Fluids`) read as text.
                let c = c.replace('\u{1}', "/");
                html::tidy(&html_escape::decode_html_entities(&c)).replace('\n', " ")
            })
            .filter(|c| !c.is_empty())
            .collect();
        let topic = components.last().filter(|c| !is_context_marker(c)).cloned();
        let named: Vec<&String> = components
            .iter()
            .filter(|c| !is_context_marker(c))
            .collect();
        let area = areas::area_from_path(&named);
        Category { topic, area }
    }
}

/// What Moodle writes in a question's comment lines: `// [id:ABC-12] [tag:heme] [tag:MLT]`
/// (`\]` for a `]` inside), as its exporter does since Moodle 3.6.
#[derive(Debug, Default, Clone, PartialEq)]
struct Moodle {
    id_number: Option<String>,
    tags: Vec<String>,
}

impl Moodle {
    fn from_comments<'a>(comments: impl Iterator<Item = &'a str>) -> Moodle {
        let mut moodle = Moodle::default();
        for comment in comments {
            let mut rest = comment;
            while let Some(start) = rest.find('[') {
                rest = &rest[start..];
                let (kind, body) = if let Some(b) = rest.strip_prefix("[id:") {
                    ("id", b)
                } else if let Some(b) = rest.strip_prefix("[tag:") {
                    ("tag", b)
                } else {
                    rest = &rest[1..];
                    continue;
                };
                let Some((value, after)) = bracketed(body) else {
                    break;
                };
                rest = after;
                let value = value.trim().to_string();
                if value.is_empty() {
                    continue;
                }
                match kind {
                    "id" if moodle.id_number.is_none() => moodle.id_number = Some(value),
                    "tag" if !moodle.tags.contains(&value) => moodle.tags.push(value),
                    _ => {}
                }
            }
        }
        moodle
    }
}

/// The text up to the first `]` not written `\]`, unescaped, and what follows it.
fn bracketed(text: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if text[i + 1..].starts_with(']') => {
                value.push(']');
                chars.next();
            }
            ']' => return Some((value, &text[i + 1..])),
            c => value.push(c),
        }
    }
    None
}

/// Moodle's context names and its root category, which name no topic.
fn is_context_marker(component: &str) -> bool {
    let c = component.to_ascii_lowercase();
    (c.starts_with('$') && c.ends_with('$')) || c == "top"
}

/// One character of GIFT text, with whether it was escaped (and so is never syntax).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Sym {
    c: char,
    escaped: bool,
}

/// Resolves escapes: `\~ \= \# \{ \} \: \\` stand for the character, `\n` for a line
/// break; any other backslash is itself.
fn symbols(text: &str) -> Vec<Sym> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(Sym { c, escaped: false });
            continue;
        }
        let c = match chars.peek() {
            Some(&n) if "~=#{}:\\".contains(n) => n,
            Some('n') => '\n',
            _ => {
                out.push(Sym {
                    c: '\\',
                    escaped: true,
                });
                continue;
            }
        };
        chars.next();
        out.push(Sym { c, escaped: true });
    }
    out
}

/// The first unescaped `c`.
fn find(s: &[Sym], c: char) -> Option<usize> {
    s.iter().position(|x| x.c == c && !x.escaped)
}

/// Whether an unescaped `pattern` starts at `i`.
fn starts_at(s: &[Sym], i: usize, pattern: &str) -> bool {
    let n = pattern.chars().count();
    s.get(i..i + n).is_some_and(|w| {
        w.iter()
            .zip(pattern.chars())
            .all(|(x, p)| x.c == p && !x.escaped)
    })
}

fn find_seq(s: &[Sym], pattern: &str) -> Option<usize> {
    (0..s.len()).find(|&i| starts_at(s, i, pattern))
}

fn rfind_seq(s: &[Sym], pattern: &str) -> Option<usize> {
    (0..s.len()).rev().find(|&i| starts_at(s, i, pattern))
}

fn trim(s: &[Sym]) -> &[Sym] {
    let start = s
        .iter()
        .position(|x| !x.c.is_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|x| !x.c.is_whitespace())
        .map_or(start, |e| e + 1);
    &s[start..end]
}

/// The text of symbols: a line break in the file is a space (GIFT lines wrap), a `\n`
/// escape a real line break.
fn text_of(s: &[Sym]) -> String {
    s.iter()
        .map(|x| if x.c == '\n' && !x.escaped { ' ' } else { x.c })
        .collect()
}

/// Splits at every unescaped marker character; each part keeps the marker that began
/// it (`None` for text before the first marker).
fn split_at_markers<'s>(s: &'s [Sym], markers: &[char]) -> Vec<(Option<char>, &'s [Sym])> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut marker = None;
    for (i, x) in s.iter().enumerate() {
        if !x.escaped && markers.contains(&x.c) {
            parts.push((marker, &s[start..i]));
            marker = Some(x.c);
            start = i + 1;
        }
    }
    parts.push((marker, &s[start..]));
    parts
        .into_iter()
        .filter(|(m, part)| m.is_some() || !trim(part).is_empty())
        .collect()
}

/// Splits off the text after the first unescaped `#` (per-answer feedback).
fn split_feedback(s: &[Sym]) -> (&[Sym], Option<&[Sym]>) {
    match find(s, '#') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}

/// Reads a `%weight%` at the start of an answer: the weight in percent and the rest.
fn split_weight(s: &[Sym]) -> (Option<f64>, &[Sym]) {
    let s = trim(s);
    if !s.first().is_some_and(|x| x.c == '%' && !x.escaped) {
        return (None, s);
    }
    let close = s
        .iter()
        .enumerate()
        .skip(1)
        .take(16)
        .find(|(_, x)| x.c == '%' && !x.escaped)
        .map(|(i, _)| i);
    let weight = close.and_then(|i| parse_number(&text_of(&s[1..i])).map(|w| (w, i)));
    match weight {
        Some((w, i)) => (Some(w), &s[i + 1..]),
        None => (None, s),
    }
}

/// How a GIFT text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup {
    /// Plain text, `[plain]` or `[markdown]`: shown as written.
    Plain,
    /// `[html]` or `[moodle]`: HTML, turned into text.
    Html,
}

/// Text ready for an item, the images it shows, and whether other media was left out.
struct Rendered {
    text: String,
    dropped_media: bool,
    images: Vec<String>,
}

/// Reads a leading format tag, if any, and returns the markup and the rest.
fn split_format(text: &str, default: Markup) -> (Markup, &str) {
    let t = text.trim_start();
    for (tag, markup) in [
        ("[html]", Markup::Html),
        ("[moodle]", Markup::Html),
        ("[plain]", Markup::Plain),
        ("[markdown]", Markup::Plain),
    ] {
        if let Some(rest) = t.strip_prefix(tag) {
            return (markup, rest);
        }
    }
    (default, text)
}

fn render(text: &str, markup: Markup) -> Rendered {
    match markup {
        Markup::Plain => Rendered {
            text: html::tidy(text),
            dropped_media: false,
            images: Vec::new(),
        },
        Markup::Html => {
            let h = html::to_text(text);
            Rendered {
                text: h.text,
                dropped_media: h.dropped_media,
                images: h.images,
            }
        }
    }
}

/// Renders a part of the answer block (a choice or a feedback), in its own format or
/// the question's, on one line. An image there cannot be shown: it counts as media
/// left out.
fn render_part(s: &[Sym], default: Markup, media: &mut bool) -> String {
    let text = text_of(trim(s));
    let (markup, body) = split_format(&text, default);
    let r = render(body, markup);
    *media |= r.dropped_media || !r.images.is_empty();
    r.text.replace('\n', " ")
}

/// One answer of a choice question.
struct Choice {
    /// `=`, `~`, or `None` for text before the first marker.
    marker: Option<char>,
    /// The `%weight%` in percent, if written.
    weight: Option<f64>,
    text: String,
    feedback: String,
}

impl Choice {
    /// The credit this answer earns in percent: `=` is 100 unless weighted, `~` 0.
    fn credit(&self) -> f64 {
        match (self.marker, self.weight) {
            (_, Some(w)) => w,
            (Some('='), None) => 100.0,
            _ => 0.0,
        }
    }
}

/// Whether a credit is full marks.
fn is_full(credit: f64) -> bool {
    (credit - 100.0).abs() < 1e-6
}

/// The explanation folded from per-answer feedback: one `label: feedback` line per
/// answer that has feedback, in the file's order.
fn fold_feedback<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<String> {
    let lines: Vec<String> = pairs
        .into_iter()
        .filter(|(_, feedback)| !feedback.trim().is_empty())
        .map(|(label, feedback)| format!("{label}: {}", feedback.trim()))
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The answer part of a question as read, before it becomes a draft.
struct Reading {
    answer: Answer,
    /// Explanation folded from per-answer feedback, after the general feedback if any.
    folded: Option<String>,
    notes: Vec<String>,
}

/// A question block being read.
struct Question<'c> {
    line: usize,
    /// The file's line number of each line of the question's text (comments left out).
    lines: Vec<usize>,
    number: usize,
    category: &'c Category,
    moodle: Moodle,
}

impl Question<'_> {
    fn skip(&self, kind: SkipKind, question: String, reason: impl Into<String>) -> Skipped {
        Skipped {
            column: None,
            line: self.line,
            kind,
            question,
            reason: reason.into(),
        }
    }

    /// The file's line of symbol `i` of `syms` (the whole question's symbols).
    fn line_of(&self, syms: &[Sym], i: usize) -> usize {
        let breaks = syms[..i.min(syms.len())]
            .iter()
            .filter(|x| x.c == '\n' && !x.escaped)
            .count();
        self.lines.get(breaks).copied().unwrap_or(self.line)
    }

    /// Reads one question block (comments and category already removed); what cannot
    /// be read is skipped (two questions run together are two skipped questions).
    fn read(&self, syms: &[Sym]) -> Result<(Draft, Vec<Note>), Vec<Skipped>> {
        let (name, rest) = split_name(syms);
        let rest = trim(rest);
        let label = |stem: &str| match (&self.moodle.id_number, &name) {
            (_, Some(n)) => n.clone(),
            (Some(id), None) => id.clone(),
            (None, None) => excerpt(stem),
        };
        let (open, close) = answer_block(rest).map_err(|problem| {
            let line_of = |i| self.line_of(syms, offset_in(syms, rest) + i);
            let shown = match problem {
                // Name the first question by its own text, not both questions'.
                BlockProblem::NoBlankLine(_) => &rest[..find(rest, '{').unwrap_or(rest.len())],
                _ => rest,
            };
            let first = self.skip(problem.kind(), label(&plain_text(shown)), problem.reason(line_of));
            let mut skipped = vec![first];
            if let BlockProblem::NoBlankLine(i) = problem {
                let (name, text) = split_name(&rest[i..]);
                skipped.push(Skipped {
                    column: None,
                    line: line_of(i),
                    kind: SkipKind::Malformed,
                    question: name.unwrap_or_else(|| excerpt(&plain_text(text))),
                    reason: format!(
                        "no blank line before it: it starts right after the question on line {}; add a blank line before it, and both are imported",
                        self.line
                    ),
                });
            }
            skipped
        })?;
        let (block, after) = (&rest[open + 1..close], &rest[close + 1..]);

        let mut media = false;
        let (markup, stem) = question_text(&rest[..open], after);
        let (stem, stem_images) = {
            let r = render(&stem, markup);
            media |= r.dropped_media;
            (r.text, r.images)
        };
        let label = label(&stem);

        let (block, general) = match rfind_seq(block, "####") {
            Some(i) => (trim(&block[..i]), Some(&block[i + 4..])),
            None => (trim(block), None),
        };
        // `Read:` lines closing the general feedback are the references (as
        // `labcert banks export` writes them).
        let (general, references) = match general
            .map(|g| render_part_multiline(g, markup, &mut media))
            .filter(|g| !g.is_empty())
        {
            Some(g) => moodle::split_references(&g),
            None => (None, Vec::new()),
        };
        let reading = self
            .answer(block, markup, &label, &mut media)
            .map_err(|s| vec![s])?;

        let mut notes: Vec<String> = reading.notes;
        let mut draft = Draft::new(self.line, self.number, stem, reading.answer);
        draft.id = match (&self.moodle.id_number, name) {
            (Some(id), _) => IdSource::IdNumber(id.clone()),
            (None, Some(name)) => IdSource::Name(name),
            (None, None) => IdSource::Generated,
        };
        draft.topic = self.category.topic.clone();
        draft.area = self.category.area.map_or(Given::Absent, Given::Valid);
        // Nothing the file says is dropped: per-answer feedback follows the general
        // feedback, each line labelled by its answer.
        draft.explanation = match (general, reading.folded) {
            (Some(g), Some(f)) => Some(format!("{g}\n{f}")),
            (g, f) => g.or(f),
        };
        draft.references = references;
        self.take_images(&mut draft, stem_images, &mut notes);
        if media {
            notes.push(
                "an image in an answer or a feedback, or audio or video, was left out: labcert shows one image, with the stem; describe it in the text".to_string(),
            );
        }
        self.apply_tags(&mut draft, &mut notes);
        notes.extend(moodle::apply_labcert_tags(&mut draft, &self.moodle.tags));
        let notes = notes
            .into_iter()
            .map(|n| Note::at(self.line, format!("\"{label}\": {n}")))
            .collect();
        Ok((draft, notes))
    }

    /// The stem's first image becomes the item's `image` (a file beside the bank); the
    /// others, and sources that name no file, are noted.
    fn take_images(&self, draft: &mut Draft, images: Vec<String>, notes: &mut Vec<String>) {
        for src in images {
            match image_file(&src) {
                Ok(file) if draft.image.is_none() => draft.image = Some(file),
                Ok(file) => notes.push(format!(
                    "a second image, {file}, was left out: an item shows one image (kept {})",
                    draft.image.as_deref().unwrap_or_default()
                )),
                Err(problem) => notes.push(format!(
                    "{problem}; save the image beside the bank and add `image: \"FILE\",` to the item"
                )),
            }
        }
    }

    /// Moodle tags: `area:`, `topic:`, `subtopic:`, `level:` and `difficulty:` set those
    /// fields; a tag naming an area (`Heme`) gives the area when the category does not,
    /// and `MLT` or `MLS` the level. Every tag is also kept in a comment above the item.
    fn apply_tags(&self, draft: &mut Draft, notes: &mut Vec<String>) {
        let mut tag_areas: Vec<(Area, &str)> = Vec::new();
        let mut levels: Vec<Level> = Vec::new();
        for tag in &self.moodle.tags {
            if let Some((key, value)) = tag.split_once(':') {
                let value = value.trim();
                match key.trim().to_ascii_lowercase().as_str() {
                    "area" => {
                        draft.area = areas::area_from_name(value)
                            .map_or_else(|| Given::Invalid(value.to_string()), Given::Valid);
                        continue;
                    }
                    "topic" if !value.is_empty() => {
                        draft.topic = Some(value.to_string());
                        continue;
                    }
                    "subtopic" if !value.is_empty() => {
                        draft.subtopic = Some(value.to_string());
                        continue;
                    }
                    "level" => {
                        draft.level = Level::from_name(value)
                            .map_or_else(|| Given::Invalid(value.to_string()), Given::Valid);
                        continue;
                    }
                    "difficulty" => {
                        match value.parse::<u8>().ok().filter(|d| (1..=5).contains(d)) {
                            Some(d) => draft.difficulty = Some(d),
                            None => notes.push(format!(
                                "the tag \"{tag}\" is not a difficulty from 1 to 5; left out"
                            )),
                        }
                        continue;
                    }
                    _ => {}
                }
            }
            if let Some((area, Strength::Discipline)) = areas::area_of_name(tag) {
                tag_areas.push((area, tag));
            } else if let Some(level) = Level::from_name(tag.trim()) {
                levels.push(level);
            }
        }
        let explicit_area = self.moodle.tags.iter().any(|t| {
            t.split_once(':')
                .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("area"))
        });
        if !explicit_area && let Some(&(area, tag)) = tag_areas.first() {
            let agree = tag_areas.iter().all(|(a, _)| *a == area);
            match &draft.area {
                Given::Absent if agree => draft.area = Given::Valid(area),
                Given::Absent => notes.push(format!(
                    "the tags name different areas ({}); none was used",
                    tag_areas
                        .iter()
                        .map(|(a, t)| format!("\"{t}\": {a}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                Given::Valid(category) if *category != area => notes.push(format!(
                    "the tag \"{tag}\" names {area} but the category gives {category}; the category's area was used"
                )),
                _ => {}
            }
        }
        if draft.level == Given::Absent && !levels.is_empty() {
            draft.level = Given::Valid(if levels.iter().all(|l| *l == levels[0]) {
                levels[0]
            } else {
                Level::Both
            });
        }
        draft.tags = self.moodle.tags.clone();
    }
}

/// The position of `inner` (a slice of `outer`) in `outer`.
fn offset_in(outer: &[Sym], inner: &[Sym]) -> usize {
    let size = std::mem::size_of::<Sym>().max(1);
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize) / size
}

/// The file an image source names, for the item's `image`: the last part of a Moodle
/// `@@PLUGINFILE@@/...` path, a web address or a relative path, percent-decoded, without
/// a query. An embedded `data:` image, or a source naming no file, is refused with why.
pub fn image_file(src: &str) -> Result<String, String> {
    let src = src.trim();
    if src.len() > 5 && src[..5].eq_ignore_ascii_case("data:") {
        return Err("an embedded (data:) image cannot be imported".to_string());
    }
    let path = src.split(['?', '#']).next().unwrap_or_default();
    let last = path.rsplit(['/', '\\']).next().unwrap_or_default();
    let name = percent_decode(last);
    let usable = !name.trim().is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
        && name.len() <= 255;
    if usable {
        Ok(name)
    } else {
        Err(format!("the image source \"{src}\" names no usable file"))
    }
}

/// `%20` and the like decoded; a `%` not followed by two hex digits stays as it is.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Question<'_> {
    /// Reads the answer block (general feedback removed) by its type, or skips the
    /// question when labcert has no such item.
    fn answer(
        &self,
        block: &[Sym],
        markup: Markup,
        label: &str,
        media: &mut bool,
    ) -> Result<Reading, Skipped> {
        let unusable = |reason| self.skip(SkipKind::Unusable, label.to_string(), reason);
        match classify(block) {
            Type::Essay => Err(self.skip(
                SkipKind::Essay,
                label.to_string(),
                "an essay has no answer to score",
            )),
            Type::Matching => Err(self.skip(
                SkipKind::Matching,
                label.to_string(),
                "labcert has no matching items; rewrite each pair as a single-best question",
            )),
            Type::ShortAnswer => Err(self.skip(
                SkipKind::ShortAnswer,
                label.to_string(),
                "labcert cannot score typed answers; add wrong choices with ~ to make it multiple choice",
            )),
            Type::TrueFalse => Ok(true_false(block, markup, media)),
            Type::MultipleChoice => multiple_choice(block, markup, media).map_err(unusable),
            Type::Numerical => numerical(&block[1..], markup, media).map_err(unusable),
        }
    }
}

/// Why a question has no usable answer block.
enum BlockProblem {
    Description,
    Unclosed,
    CloseFirst,
    /// A second question follows the first with no blank line between them: the
    /// index of its first symbol.
    NoBlankLine(usize),
    /// The block is still open when a later line opens another: the index of that `{`.
    StillOpen(usize),
    Several,
}

impl BlockProblem {
    fn kind(&self) -> SkipKind {
        match self {
            BlockProblem::Description => SkipKind::Description,
            _ => SkipKind::Malformed,
        }
    }

    /// The reason, with lines found by `line_of` (a symbol's index -> the file's line).
    fn reason(&self, line_of: impl Fn(usize) -> usize) -> String {
        match self {
            BlockProblem::Description => {
                "no answer block {...}: this is text for students, not a question".to_string()
            }
            BlockProblem::Unclosed => "the answer block `{` is never closed (a question ends at a blank line; write \\{ for a literal brace)".to_string(),
            BlockProblem::CloseFirst => {
                "a `}` comes before any `{` (write \\} for a literal brace)".to_string()
            }
            BlockProblem::NoBlankLine(i) => {
                let line = line_of(*i);
                format!(
                    "no blank line between two questions: the question on line {line} starts right after this one's answer block; add a blank line before line {line} (GIFT separates questions with blank lines), and both are imported"
                )
            }
            BlockProblem::StillOpen(i) => {
                let line = line_of(*i);
                format!(
                    "the answer block is not closed before line {line} opens another `{{`: is a `}}` missing, and a blank line before line {line}?"
                )
            }
            BlockProblem::Several => "more than one `{` or `}`: a question has one answer block (write \\{ or \\} for a literal brace)".to_string(),
        }
    }
}

/// Where the answer block is: the first `{` and the first `}` (as Moodle reads it), or
/// why the question has no usable one.
fn answer_block(rest: &[Sym]) -> Result<(usize, usize), BlockProblem> {
    let (open, close) = match (find(rest, '{'), find(rest, '}')) {
        (Some(o), Some(c)) if o < c => (o, c),
        (None, None) => return Err(BlockProblem::Description),
        (Some(_), None) => return Err(BlockProblem::Unclosed),
        _ => return Err(BlockProblem::CloseFirst),
    };
    let (block, after) = (&rest[open + 1..close], &rest[close + 1..]);
    if let Some(inner) = find(block, '{') {
        let on_a_later_line = block[..inner].iter().any(|x| x.c == '\n' && !x.escaped);
        return Err(if on_a_later_line {
            BlockProblem::StillOpen(open + 1 + inner)
        } else {
            BlockProblem::Several
        });
    }
    if find(after, '{').is_some() || find(after, '}').is_some() {
        // Text on a new line after the block, with a block of its own: the next question.
        let start = after.iter().position(|x| !x.c.is_whitespace());
        let new_line = start.is_some_and(|s| after[..s].iter().any(|x| x.c == '\n' && !x.escaped));
        return Err(match start {
            Some(s) if new_line && find(after, '{').is_some() => {
                BlockProblem::NoBlankLine(close + 1 + s)
            }
            _ => BlockProblem::Several,
        });
    }
    Ok((open, close))
}

/// Text as a reader sees it, for naming a question that could not be read.
fn plain_text(s: &[Sym]) -> String {
    let text = text_of(s);
    let (markup, body) = split_format(&text, Markup::Plain);
    render(body, markup).text
}

/// Splits off a leading `::name::`. Without the closing `::`, Moodle drops the opening
/// one and reads the rest as text.
fn split_name(syms: &[Sym]) -> (Option<String>, &[Sym]) {
    let syms = trim(syms);
    if !starts_at(syms, 0, "::") {
        return (None, syms);
    }
    let body = &syms[2..];
    match find_seq(body, "::") {
        Some(end) => {
            let name = html::tidy(&text_of(&body[..end])).replace('\n', " ");
            ((!name.is_empty()).then_some(name), &body[end + 2..])
        }
        None => (None, body),
    }
}

/// The question text around the answer block, with its format: the block becomes a
/// blank when words follow it; text after it that is only punctuation (a `.` or a
/// stray `";`) is dropped when the sentence before is already finished.
fn question_text(before: &[Sym], after: &[Sym]) -> (Markup, String) {
    let before = text_of(before);
    let after = text_of(after);
    let (markup, before, after) = if before.trim().is_empty() {
        let (markup, after) = split_format(&after, Markup::Plain);
        (markup, "", after)
    } else {
        let (markup, before) = split_format(&before, Markup::Plain);
        (markup, before, after.as_str())
    };
    let visible = |s: &str| match markup {
        Markup::Html => html::to_text(s).text,
        Markup::Plain => s.trim().to_string(),
    };
    let (seen_before, seen_after) = (visible(before), visible(after));
    let words_after = seen_after.chars().any(char::is_alphanumeric);
    let sentence_done = seen_before.ends_with(['?', ':', '.', '!', ')']);
    let text = if words_after || (!seen_after.is_empty() && !sentence_done) {
        format!("{before}{BLANK}{after}")
    } else {
        before.to_string()
    };
    (markup, text)
}

/// General feedback keeps its line breaks.
fn render_part_multiline(s: &[Sym], default: Markup, media: &mut bool) -> String {
    let text = text_of(trim(s));
    let (markup, body) = split_format(&text, default);
    let r = render(body, markup);
    *media |= r.dropped_media;
    r.text
}

/// The question types of GIFT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Essay,
    Numerical,
    MultipleChoice,
    Matching,
    TrueFalse,
    ShortAnswer,
}

/// Decides the type of an answer block (general feedback removed), in Moodle's order.
fn classify(block: &[Sym]) -> Type {
    if block.is_empty() {
        Type::Essay
    } else if block[0].c == '#' && !block[0].escaped {
        Type::Numerical
    } else if find(block, '~').is_some() {
        Type::MultipleChoice
    } else if find(block, '=').is_some() && find_seq(block, "->").is_some() {
        Type::Matching
    } else {
        let (answer, _) = split_feedback(block);
        let word = text_of(answer).trim().to_ascii_uppercase();
        if matches!(word.as_str(), "T" | "TRUE" | "F" | "FALSE") {
            Type::TrueFalse
        } else {
            Type::ShortAnswer
        }
    }
}

/// `{T}`, `{FALSE#wrong feedback#right feedback}`: two choices, "True" and "False".
fn true_false(block: &[Sym], markup: Markup, media: &mut bool) -> Reading {
    let (answer, rest) = split_feedback(block);
    let key = usize::from(text_of(answer).trim().to_ascii_uppercase().starts_with('F'));
    // Moodle: the first feedback is shown for the wrong answer, the second for the right.
    let (wrong, right) = match rest {
        Some(rest) => {
            let (wrong, right) = split_feedback(rest);
            (
                render_part(wrong, markup, media),
                right
                    .map(|r| render_part(r, markup, media))
                    .unwrap_or_default(),
            )
        }
        None => (String::new(), String::new()),
    };
    // Each feedback is labelled by the answer it answers and whether that answer is
    // right, so `{F#Light destroys bilirubin...}` reads "True (wrong): Light destroys
    // bilirubin..." and never as support for True.
    let pairs = if key == 0 {
        [("True (right)", right), ("False (wrong)", wrong)]
    } else {
        [("True (wrong)", wrong), ("False (right)", right)]
    };
    Reading {
        answer: Answer::SingleBest {
            choices: vec!["True".to_string(), "False".to_string()],
            key,
        },
        folded: fold_feedback(pairs.iter().map(|(l, f)| (*l, f.as_str()))),
        notes: Vec::new(),
    }
}

/// `{=right ~wrong}` (single best) or `{~%50%a ~%50%b ~%-100%c}` (select all: with no
/// `=`, every answer with a positive weight is a key).
fn multiple_choice(block: &[Sym], markup: Markup, media: &mut bool) -> Result<Reading, String> {
    let choices: Vec<Choice> = split_at_markers(block, &['~', '='])
        .into_iter()
        .map(|(marker, part)| {
            let (weight, part) = split_weight(part);
            let (text, feedback) = split_feedback(part);
            Choice {
                marker,
                weight,
                text: render_part(text, markup, media),
                feedback: feedback
                    .map(|f| render_part(f, markup, media))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let single = choices.iter().any(|c| c.marker == Some('='));
    let mut notes = Vec::new();
    let keys: Vec<usize> = if single {
        let full: Vec<usize> = (0..choices.len())
            .filter(|&i| is_full(choices[i].credit()))
            .collect();
        for c in choices
            .iter()
            .filter(|c| c.credit() > 0.0 && !is_full(c.credit()))
        {
            notes.push(format!(
                "partial credit ({}%) for \"{}\" was dropped: labcert scores it as wrong",
                c.credit(),
                c.text
            ));
        }
        match full.len() {
            1 => full,
            0 => {
                return Err(
                    "no answer is fully right (=): a single-best item needs one key".into(),
                );
            }
            n => {
                return Err(format!(
                    "{n} answers are marked fully right (=); a single-best item has one key (an = inside a text starts a new answer: write \\= for a literal one)"
                ));
            }
        }
    } else {
        let keys: Vec<usize> = (0..choices.len())
            .filter(|&i| choices[i].credit() > 0.0)
            .collect();
        if keys.is_empty() {
            return Err("no answer is marked right (no = and no positive %weight%)".to_string());
        }
        keys
    };
    let texts: Vec<String> = choices.iter().map(|c| c.text.clone()).collect();
    let folded = fold_feedback(
        choices
            .iter()
            .map(|c| (c.text.as_str(), c.feedback.as_str())),
    );
    let answer = if single {
        Answer::SingleBest {
            choices: texts,
            key: keys[0],
        }
    } else {
        Answer::SelectAll {
            choices: texts,
            keys,
        }
    };
    Ok(Reading {
        answer,
        folded,
        notes,
    })
}

/// One answer of a numerical question.
struct NumericAnswer {
    credit: f64,
    value: f64,
    tolerance: f64,
    /// The answer as a reader would write it: `1822`, `1822 ± 2`, `1 to 5`.
    label: String,
    feedback: String,
}

/// `{#1822:5}`, `{#1..5}`, `{# =1822:0 =%50%1822:2 ~#feedback for anything else}`: the
/// fully right answer becomes the item's value and tolerance.
fn numerical(block: &[Sym], markup: Markup, media: &mut bool) -> Result<Reading, String> {
    let (answers, other) = match find(block, '~') {
        Some(i) => (&block[..i], Some(&block[i + 1..])),
        None => (block, None),
    };
    let mut read = Vec::new();
    let mut other_feedback = other
        .and_then(|o| split_feedback(o).1)
        .map(|f| render_part(f, markup, media))
        .unwrap_or_default();
    for (_, part) in split_at_markers(answers, &['=']) {
        let (weight, part) = split_weight(part);
        let (number, feedback) = split_feedback(part);
        let feedback = feedback
            .map(|f| render_part(f, markup, media))
            .unwrap_or_default();
        let number = text_of(number).trim().to_string();
        if number == "*" {
            other_feedback = feedback;
            continue;
        }
        let (value, tolerance, label) = numeric_value(&number)?;
        read.push(NumericAnswer {
            credit: weight.unwrap_or(100.0),
            value,
            tolerance,
            label,
            feedback,
        });
    }
    let Some(key) = read.iter().position(|a| is_full(a.credit)) else {
        return Err(if read.is_empty() {
            "the numerical answer block gives no number".to_string()
        } else {
            "no numerical answer earns full credit".to_string()
        });
    };
    let mut notes = Vec::new();
    for (_, a) in read
        .iter()
        .enumerate()
        .filter(|(i, a)| *i != key && a.credit > 0.0)
    {
        notes.push(if is_full(a.credit) {
            format!(
                "another right answer, {}, was left out: a numeric item has one value and tolerance (kept {})",
                a.label, read[key].label
            )
        } else {
            format!(
                "the answer {} ({}% credit) was left out: labcert scores it as wrong",
                a.label, a.credit
            )
        });
    }
    let mut pairs: Vec<(&str, &str)> = read
        .iter()
        .map(|a| (a.label.as_str(), a.feedback.as_str()))
        .collect();
    pairs.push(("Any other answer", other_feedback.as_str()));
    let folded = fold_feedback(pairs);
    Ok(Reading {
        answer: Answer::Numeric {
            value: read[key].value,
            tolerance: read[key].tolerance,
            unit: String::new(),
        },
        folded,
        notes,
    })
}

/// Reads `value`, `value:tolerance` or `low..high` (value = midpoint, tolerance =
/// half-width, rounded one digit past the bounds' own precision).
fn numeric_value(text: &str) -> Result<(f64, f64, String), String> {
    let not_a_number = || {
        format!(
            "\"{text}\" is not a number, value:tolerance or low..high (an = inside feedback starts a new answer: write \\= for a literal one)"
        )
    };
    if let Some(i) = text.find("..").filter(|&i| i > 0) {
        let (low_text, high_text) = (text[..i].trim(), text[i + 2..].trim());
        let (low, high) = parse_number(low_text)
            .zip(parse_number(high_text))
            .ok_or_else(not_a_number)?;
        if low > high {
            return Err(format!("the range {low_text}..{high_text} runs backwards"));
        }
        let digits = decimals(low_text).max(decimals(high_text)) + 1;
        let value = round_to((low + high) / 2.0, digits);
        let tolerance = round_to((high - low) / 2.0, digits);
        return Ok((value, tolerance, format!("{low_text} to {high_text}")));
    }
    if let Some(i) = text.find(':').filter(|&i| i > 0) {
        let (value_text, tol_text) = (text[..i].trim(), text[i + 1..].trim());
        let (value, tolerance) = parse_number(value_text)
            .zip(parse_number(tol_text))
            .ok_or_else(not_a_number)?;
        let label = if tolerance == 0.0 {
            value_text.to_string()
        } else {
            format!("{value_text} \u{b1} {tol_text}")
        };
        return Ok((value, tolerance, label));
    }
    let value = parse_number(text).ok_or_else(not_a_number)?;
    Ok((value, 0.0, text.to_string()))
}

/// Digits after the decimal point of a written number (none for exponent notation).
fn decimals(text: &str) -> i32 {
    if text.contains(['e', 'E']) {
        return 0;
    }
    text.split_once('.')
        .map_or(0, |(_, frac)| frac.len().min(12) as i32)
}

fn round_to(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits.clamp(0, 12));
    let rounded = (x * scale).round() / scale;
    if rounded.is_finite() { rounded } else { x }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Draft {
        let parsed = parse(text);
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        assert_eq!(parsed.drafts.len(), 1, "{parsed:?}");
        parsed.drafts.into_iter().next().unwrap()
    }

    fn skipped(text: &str) -> Skipped {
        let parsed = parse(text);
        assert!(parsed.drafts.is_empty(), "{:?}", parsed.drafts);
        assert_eq!(parsed.skipped.len(), 1);
        parsed.skipped.into_iter().next().unwrap()
    }

    fn choices(d: &Draft) -> Vec<&str> {
        d.answer.choices().iter().map(String::as_str).collect()
    }

    #[test]
    fn multiple_choice_with_one_key() {
        let d =
            one("::Q2:: What's between orange and green?\n{\n =yellow # right\n ~red\n ~blue\n}");
        assert_eq!(d.id, IdSource::Name("Q2".into()));
        assert_eq!(d.stem, "What's between orange and green?");
        assert_eq!(choices(&d), ["yellow", "red", "blue"]);
        assert!(matches!(d.answer, Answer::SingleBest { key: 0, .. }));
        assert_eq!(d.explanation.as_deref(), Some("yellow: right"));
    }

    #[test]
    fn weights_without_equals_make_select_all() {
        let d = one(
            "Which are continents\\:{\n~%33.3%Africa\n~%33.3%Asia\n~%-100%China\n~%33.4%Antarctica}",
        );
        assert_eq!(d.stem, "Which are continents:");
        match &d.answer {
            Answer::SelectAll { keys, .. } => assert_eq!(keys, &[0, 1, 3]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn true_false_feedback_follows_moodle() {
        // Moodle (question/format/gift/format.php, split_truefalse_comment): the first
        // feedback is shown for the wrong answer, the second for the right one.
        let d = one("Grant is buried there.{FALSE#for true#for false}");
        assert_eq!(choices(&d), ["True", "False"]);
        assert!(matches!(d.answer, Answer::SingleBest { key: 1, .. }));
        assert_eq!(
            d.explanation.as_deref(),
            Some("True (wrong): for true\nFalse (right): for false")
        );
        let d = one("Bilirubin is stable in light.{F#Light destroys bilirubin.}");
        assert_eq!(
            d.explanation.as_deref(),
            Some("True (wrong): Light destroys bilirubin.")
        );
        let d = one("Light destroys bilirubin.{T#It does.#Right.}");
        assert_eq!(
            d.explanation.as_deref(),
            Some("True (right): Right.\nFalse (wrong): It does.")
        );
        let d = one("42 is the answer.{T####A reference.}");
        assert!(matches!(d.answer, Answer::SingleBest { key: 0, .. }));
        assert_eq!(d.explanation.as_deref(), Some("A reference."));
    }

    #[test]
    fn answer_feedback_is_kept_beside_general_feedback() {
        let d = one("Q?{=a#yes ~b#no ~c####Because a.}");
        assert_eq!(d.explanation.as_deref(), Some("Because a.\na: yes\nb: no"));
        let d = one("T?{FALSE#Wrong.#Right.####General.}");
        assert_eq!(
            d.explanation.as_deref(),
            Some("General.\nTrue (wrong): Wrong.\nFalse (right): Right.")
        );
    }

    #[test]
    fn moodle_id_numbers_and_tags_are_read_from_comments() {
        let m = Moodle::from_comments(
            [
                "// question: 12  name: Q",
                "// [id:HEM-01] [tag:Heme] [tag:a\\]b] [tag:Heme] [id:second]",
            ]
            .into_iter(),
        );
        assert_eq!(m.id_number.as_deref(), Some("HEM-01"));
        assert_eq!(m.tags, ["Heme", "a]b"]);
        let parsed =
            parse("// [id:q 7] [tag:topic:Anemias] [tag:MLS] [tag:Heme] [tag:review]\nQ?{=a ~b}");
        let d = &parsed.drafts[0];
        assert_eq!(d.id, IdSource::IdNumber("q 7".into()));
        assert_eq!(d.topic.as_deref(), Some("Anemias"));
        assert_eq!(d.level, Given::Valid(Level::Mls));
        assert_eq!(d.area, Given::Valid(Area::Hematology));
        assert_eq!(d.tags, ["topic:Anemias", "MLS", "Heme", "review"]);
    }

    #[test]
    fn a_missing_blank_line_is_named_as_such() {
        let parsed = parse("// c\nFirst? {=a ~b}\n// c\n::Q2::Second? {=c ~d}\n\nThird {=e ~f}");
        let lines: Vec<(usize, &str)> = parsed
            .skipped
            .iter()
            .map(|s| (s.line, s.question.as_str()))
            .collect();
        assert_eq!(lines, [(2, "First?"), (4, "Q2")]);
        assert!(
            parsed.skipped[0]
                .reason
                .starts_with("no blank line between two questions: the question on line 4"),
            "{}",
            parsed.skipped[0].reason
        );
        assert!(
            parsed.skipped[1]
                .reason
                .contains("after the question on line 2")
        );
        assert_eq!(parsed.drafts[0].number, 3, "the two count as two questions");
        let s = skipped("First? {=a ~b\nSecond? {=c ~d}");
        assert!(
            s.reason.contains("not closed before line 2"),
            "{}",
            s.reason
        );
        let s = skipped("Two {~a =b} blocks {~c =d}");
        assert!(s.reason.starts_with("more than one"), "{}", s.reason);
    }

    #[test]
    fn the_stem_image_becomes_the_items_image() {
        let d = one(
            "[html]<p>Identify the cell.</p><img src\\=\"@@PLUGINFILE@@/smear%201.png?time\\=1\"><img src\\=\"b.png\">{=a ~b}",
        );
        assert_eq!(d.stem, "Identify the cell.");
        assert_eq!(d.image.as_deref(), Some("smear 1.png"));
        let table = [
            ("@@PLUGINFILE@@/smear.png", Ok("smear.png")),
            ("https://example.org/img/cell.jpg#x", Ok("cell.jpg")),
            ("images\\win.png", Ok("win.png")),
            ("data:image/png;base64,AAAA", Err("embedded")),
            ("@@PLUGINFILE@@/", Err("no usable file")),
            ("@@PLUGINFILE@@/..", Err("no usable file")),
            ("a%2Fb.png", Err("no usable file")),
        ];
        for (src, expected) in table {
            match (image_file(src), expected) {
                (Ok(file), Ok(want)) => assert_eq!(file, want, "{src}"),
                (Err(why), Err(words)) => assert!(why.contains(words), "{why}"),
                (got, want) => panic!("{src}: {got:?}, expected {want:?}"),
            }
        }
    }

    #[test]
    #[allow(clippy::approx_constant)] // the GIFT examples ask for pi to three places
    fn numerical_forms() {
        let table = [
            ("{#1822}", 1822.0, 0.0),
            ("{#-1}", -1.0, 0.0),
            ("{#3.1415:0.0005}", 3.1415, 0.0005),
            ("{#3.141..3.142}", 3.1415, 0.0005),
            ("{#-3.142..-3.141}", -3.1415, 0.0005),
            ("{#1..5}", 3.0, 2.0),
            ("{#\n=1822:0\n=%50%1822:2}", 1822.0, 0.0),
            ("{#\n=%0%5:0\n=%100%9:0}", 9.0, 0.0),
        ];
        for (block, value, tolerance) in table {
            let d = one(&format!("What number? {block}"));
            assert_eq!(
                d.answer,
                Answer::Numeric {
                    value,
                    tolerance,
                    unit: String::new()
                },
                "{block}"
            );
        }
    }

    #[test]
    fn numerical_feedback_is_folded_with_readable_labels() {
        let d = one("Born? {#\n=1822:0 #Correct!\n=%50%1822:2 #Close.\n~#No.}");
        assert_eq!(
            d.explanation.as_deref(),
            Some("1822: Correct!\n1822 \u{b1} 2: Close.\nAny other answer: No.")
        );
    }

    #[test]
    fn unsupported_types_are_skipped_with_the_line() {
        let table = [
            ("// c\n::Q8:: How are you? {}", SkipKind::Essay, 2),
            ("Match.{=a -> 1 =b -> 2}", SkipKind::Matching, 1),
            ("\n\nWho?{=no one =nobody}", SkipKind::ShortAnswer, 3),
            ("Just some text.", SkipKind::Description, 1),
            ("Broken {~a =b", SkipKind::Malformed, 1),
            ("Two {~a =b} blocks {~c =d}", SkipKind::Malformed, 1),
        ];
        for (text, kind, line) in table {
            let s = skipped(text);
            assert_eq!((s.kind, s.line), (kind, line), "{text}");
        }
    }

    #[test]
    fn missing_word_becomes_a_blank() {
        let d = one("Grant is {~buried =entombed ~living} in Grant's tomb.");
        assert_eq!(d.stem, "Grant is _____ in Grant's tomb.");
        let d = one("Jesus Christ was from {=Nazareth ~Rome}.");
        assert_eq!(d.stem, "Jesus Christ was from _____.");
        let d = one("What is pi? {#3.1415:0.0005}.");
        assert_eq!(d.stem, "What is pi?");
    }

    #[test]
    fn escapes_and_line_breaks() {
        let d = one("a \\~ b \\= c \\# d \\{ e \\} f \\: g \\\\ h\\nnext {=x ~y}");
        assert_eq!(d.stem, "a ~ b = c # d { e } f : g \\ h\nnext");
        let d = one("Which is not a control character? {\n~ \\~ # it is\n= \\ # right}");
        assert_eq!(choices(&d), ["~", "\\"]);
    }

    #[test]
    fn html_is_turned_into_text_and_inherited_by_answers() {
        let d = one(
            "[html]<p>Pick <b>one</b> &amp; only one:</p>{=<i>this</i>#<p>Yes&#39;s</p> ~[plain]<that>}",
        );
        assert_eq!(d.stem, "Pick one & only one:");
        assert_eq!(choices(&d), ["this", "<that>"]);
        assert_eq!(d.explanation.as_deref(), Some("this: Yes's"));
    }

    #[test]
    fn category_sets_topic_and_area() {
        let parsed = parse(
            "$CATEGORY: $course$/top/Hematology/Anemias\n\nQ? {=a ~b}\n\n$CATEGORY: $course$/top\n\nR? {=a ~b}",
        );
        assert_eq!(parsed.drafts[0].topic.as_deref(), Some("Anemias"));
        assert_eq!(parsed.drafts[0].area, Given::Valid(Area::Hematology));
        assert_eq!(parsed.drafts[1].topic, None);
        assert_eq!(parsed.drafts[1].area, Given::Absent);
    }

    #[test]
    fn partial_credit_and_several_keys() {
        let parsed = parse("Hard.{~wrong ~%50%half =full}");
        assert_eq!(parsed.drafts.len(), 1);
        assert!(
            parsed.notes[0]
                .text
                .contains("partial credit (50%) for \"half\"")
        );
        let s = skipped("Two right.{=a =b ~c}");
        assert!(
            s.reason.contains("2 answers are marked fully right"),
            "{}",
            s.reason
        );
        let s = skipped("None right.{~a ~b}");
        assert!(
            s.reason.contains("no answer is marked right"),
            "{}",
            s.reason
        );
    }

    #[test]
    fn a_huge_question_is_skipped_not_read() {
        let text = format!("Q?{{=a ~b}}\n{}\n", "x ".repeat(MAX_QUESTION_BYTES));
        let s = skipped(&text);
        assert_eq!(s.kind, SkipKind::Malformed);
        assert!(s.reason.contains("blank line missing"), "{}", s.reason);
    }

    #[test]
    fn bad_numbers_are_reasons_not_panics() {
        for block in ["{#abc}", "{#5..1}", "{#}", "{#inf}", "{#1:x}", "{#%50%3}"] {
            let s = skipped(&format!("N? {block}"));
            assert_eq!(s.kind, SkipKind::Unusable, "{block}");
        }
    }
}
