//! Turns a parsed RON tree into checked model values, collecting every problem.
//!
//! Decoding never stops at the first problem: a wrong field is reported and the rest of
//! the item, and every other item, is still read. An item with any error is left out of
//! the resulting bank, and a file with any error yields no bank at all, so the rest of
//! the program only ever sees valid data. Checks that need more than one item (duplicate
//! ids, similar stems) live in `validate`; this module records where each item's id and
//! stem are so those checks can point at them.

use std::path::Path;

use super::model::{
    Answer, Area, BSource, Bank, BankOrigin, IrtParams, Item, Level, b_for_rating,
    b_range_for_rating,
};
use crate::doc::decode::{Cx, StructView, suggest, valid_id};
use crate::doc::diagnostic::{Diagnostic, FileId};
use crate::doc::ron::{Node, NodeKind, Span};

/// Stems longer than this many words earn a `long-stem` warning.
pub const LONG_STEM_WORDS: usize = 120;
/// The ability scale the exams work on; `b` outside it cannot be measured.
pub const B_LIMIT: f64 = 6.0;

/// Where one item's id and stem are, for checks across items and files.
#[derive(Debug, Clone)]
pub struct IndexedItem {
    pub id: String,
    pub id_span: Span,
    /// The stem's string literal as written (escapes and all).
    pub stem_span: Option<Span>,
    /// The ids named in `enemies`, each with its place.
    pub enemies: Vec<(String, Span)>,
}

/// The result of decoding one bank file.
#[derive(Debug)]
pub struct DecodedBank {
    pub file: FileId,
    /// Present when the bank itself (its header and item list) decoded; it holds the
    /// items that decoded without errors.
    pub bank: Option<Bank>,
    pub bank_id: Option<(String, Span)>,
    pub index: Vec<IndexedItem>,
    /// The place of every item in the file, decoded or not.
    pub item_spans: Vec<Span>,
    /// For each item in `bank`, its index in `item_spans`.
    pub kept: Vec<usize>,
}

fn check_id(cx: &mut Cx, id: &str, span: Span) -> bool {
    if valid_id(id) {
        return true;
    }
    let d = Diagnostic::error("bad-id", cx.file, format!("\"{id}\" is not a usable id"))
        .at(span, "invalid id")
        .hint("use 1 to 64 letters, digits, `-`, `_` or `.`, e.g. \"hem-0042\"");
    cx.push(d);
    false
}

// ---- banks -------------------------------------------------------------------------

const BANK_FIELDS: &[&str] = &[
    "id",
    "title",
    "author",
    "version",
    "license",
    "description",
    "items",
];
const ITEM_FIELDS: &[&str] = &[
    "id",
    "area",
    "topic",
    "subtopic",
    "level",
    "difficulty",
    "a",
    "b",
    "c",
    "stem",
    "image",
    "exhibits",
    "answer",
    "explanation",
    "references",
    "enemies",
    "shuffle",
];

/// Decodes a whole bank file. `base_dir` resolves image paths (none for built-in banks,
/// whose images are checked in the repository by the test suite instead).
pub fn decode_bank(
    root: &Node,
    origin: BankOrigin,
    base_dir: Option<&Path>,
    cx: &mut Cx,
) -> DecodedBank {
    let mut out = DecodedBank {
        file: cx.file,
        bank: None,
        bank_id: None,
        index: Vec::new(),
        item_spans: Vec::new(),
        kept: Vec::new(),
    };
    let Some(mut s) = cx.structure(root, "Bank", "the bank") else {
        return out;
    };
    let id = s.required(cx, "id", "\"my-bank\"").and_then(|n| {
        let id = cx.string(n, None)?;
        check_id(cx, &id, n.span.clone()).then(|| {
            out.bank_id = Some((id.clone(), n.span.clone()));
            id
        })
    });
    let mut meta = |s: &mut StructView, name: &str, example: &str| {
        s.required(cx, name, example).and_then(|n| cx.text(n, name))
    };
    let title = meta(&mut s, "title", "\"Hematology for MLT students\"");
    let author = meta(&mut s, "author", "\"Your Name\"");
    let version = meta(&mut s, "version", "\"1.0\"");
    let license = meta(&mut s, "license", "\"CC-BY-4.0\"");
    let description = s.optional("description").and_then(|n| cx.string(n, None));
    let mut items = Vec::new();
    // Errors inside an item cost only that item; any other error costs the bank.
    let mut item_errors = 0;
    if let Some(list) = s.required(cx, "items", "[ (...), ]")
        && let Some(nodes) = cx.list(list, Some("`items` is a list: items: [ (...), (...) ]"))
    {
        for node in nodes {
            let before = cx.errors();
            out.item_spans.push(node.span.clone());
            if let Some(item) = decode_item(node, base_dir, cx, &mut out.index) {
                out.kept.push(out.item_spans.len() - 1);
                items.push(item);
            }
            item_errors += cx.errors() - before;
        }
    }
    s.finish(cx, BANK_FIELDS);
    if cx.errors() == item_errors
        && let (Some(id), Some(title), Some(author), Some(version), Some(license)) =
            (id, title, author, version, license)
    {
        out.bank = Some(Bank {
            id,
            title,
            author,
            version,
            license,
            description,
            origin,
            items,
        });
    }
    out
}

fn decode_item(
    node: &Node,
    base_dir: Option<&Path>,
    cx: &mut Cx,
    index: &mut Vec<IndexedItem>,
) -> Option<Item> {
    let errors_before = cx.errors();
    let mut s = cx.structure(node, "Item", "an item")?;

    let id_node = s.required(cx, "id", "\"hem-0001\"");
    let id = id_node.and_then(|n| {
        let id = cx.string(n, None)?;
        check_id(cx, &id, n.span.clone()).then_some(id)
    });
    let what = match &id {
        Some(id) => format!("item `{id}`"),
        None => "this item".to_string(),
    };
    s.what = what.clone();

    // The stem first: a missing area's hint suggests the area its words point to.
    let stem_node = s.required(cx, "stem", "\"Which ...?\"");
    let stem = stem_node.and_then(|n| cx.text(n, "stem"));
    let guessed = stem
        .as_deref()
        .and_then(crate::bank::area_names::guess_area)
        .map(|g| g.area);
    let area_example = format!("\"{}\"", guessed.unwrap_or(Area::Hematology).name());
    let area = s
        .required(cx, "area", &area_example)
        .and_then(|n| decode_area(cx, n));
    let topic = s
        .required(cx, "topic", "\"anemias\"")
        .and_then(|n| cx.text(n, "topic"));
    let subtopic = s.optional("subtopic").and_then(|n| cx.text(n, "subtopic"));
    let level = s
        .required(cx, "level", "\"both\"")
        .and_then(|n| decode_level(cx, n));
    if let (Some(stem), Some(n)) = (&stem, stem_node) {
        let words = stem.split_whitespace().count();
        if words > LONG_STEM_WORDS {
            let d = Diagnostic::warning(
                "long-stem",
                cx.file,
                format!("the stem of {what} is {words} words long"),
            )
            .at(
                n.span.start..n.span.start + 1,
                format!("over {LONG_STEM_WORDS} words"),
            )
            .hint("candidates have about 90 seconds an item; move detail into a table or cut it");
            cx.push(d);
        }
    }
    let enemies = match s.optional("enemies") {
        Some(n) => cx.string_list(n).map(|list| {
            let mut seen: Vec<&str> = Vec::new();
            let mut out = Vec::with_capacity(list.len());
            for (enemy, span) in &list {
                if Some(enemy) == id.as_ref() {
                    cx.error(
                        "self-enemy",
                        span.clone(),
                        format!("{what} names itself as an enemy"),
                        "an item cannot be its own enemy",
                    );
                } else if seen.contains(&enemy.as_str()) {
                    cx.error(
                        "duplicate-enemy",
                        span.clone(),
                        format!("enemy \"{enemy}\" is listed twice"),
                        "listed again here",
                    );
                } else {
                    seen.push(enemy);
                    out.push((enemy.clone(), span.clone()));
                }
            }
            out
        }),
        None => Some(Vec::new()),
    };
    let shuffle = match s.optional("shuffle") {
        Some(n) => cx.boolean(n),
        None => Some(true),
    };
    if let (Some(id), Some(n)) = (&id, id_node) {
        index.push(IndexedItem {
            id: id.clone(),
            id_span: n.span.clone(),
            stem_span: stem.as_ref().and(stem_node).map(|n| n.span.clone()),
            enemies: enemies.clone().unwrap_or_default(),
        });
    }

    let answer = s
        .required(cx, "answer", "SingleBest(choices: [...], key: \"A\")")
        .and_then(|n| decode_answer(cx, n));
    // A missing explanation is a warning (an error under `banks check --strict`): an
    // instructor's freshly imported bank is usable before every explanation is written.
    let explanation_node = s.optional("explanation");
    let explanation = match explanation_node {
        Some(n) => cx.string(n, None),
        None => Some(String::new()),
    };
    if matches!(&explanation, Some(e) if e.trim().is_empty()) {
        let at = explanation_node.map_or_else(|| s.head.clone(), |n| n.span.clone());
        let d = Diagnostic::warning(
            "no-explanation",
            cx.file,
            format!("{what} has no explanation"),
        )
        .at(at, "no `explanation`")
        .hint("add `explanation: \"... is right because ...; ... is wrong because ...\",`; until then candidates see \"no explanation in this bank\" after answering");
        cx.push(d);
    }

    let references = match s.optional("references") {
        Some(n) => cx
            .string_list(n)
            .map(|v| v.into_iter().map(|(r, _)| r).collect::<Vec<_>>()),
        None => Some(Vec::new()),
    };
    if matches!(&references, Some(r) if r.is_empty()) {
        let d = Diagnostic::warning("no-references", cx.file, format!("{what} names no reference"))
            .at(s.head.clone(), "no `references`")
            .hint(match area.or(guessed) {
                Some(a) => format!(
                    "add `references: [\"{}\"],` (with edition and chapter) so candidates can read further",
                    crate::bank::area_names::reference_for(a)
                ),
                None => "add `references: [\"...\"],` naming a standard text (edition and chapter) so candidates can read further".to_string(),
            });
        cx.push(d);
    }

    let difficulty = s.optional("difficulty").and_then(|n| {
        let v = cx.integer(n)?;
        if (1..=5).contains(&v) {
            Some((v as u8, n.span.clone()))
        } else {
            cx.error(
                "bad-difficulty",
                n.span.clone(),
                format!("difficulty {v} is outside the rating scale"),
                "must be 1 (easiest) to 5 (hardest)",
            );
            None
        }
    });
    let irt = decode_irt(cx, &mut s, difficulty.as_ref(), &what);

    let image = s.optional("image").and_then(|n| {
        let path = cx.text(n, "image")?;
        let relative = std::path::Path::new(&path);
        let leaves = relative.has_root()
            || relative.components().any(|c| {
                !matches!(
                    c,
                    std::path::Component::Normal(_) | std::path::Component::CurDir
                )
            });
        if leaves {
            cx.error(
                "image-outside",
                n.span.clone(),
                format!("image \"{path}\" is not inside the bank's folder"),
                "an image path is relative to the bank's folder and stays inside it",
            );
            return None;
        }
        match base_dir {
            Some(dir) => {
                let full = dir.join(&path);
                // A link inside the folder may not lead out of it either.
                let inside = match (std::fs::canonicalize(&full), std::fs::canonicalize(dir)) {
                    (Ok(f), Ok(d)) => f.starts_with(d),
                    _ => true,
                };
                if !inside {
                    cx.error(
                        "image-outside",
                        n.span.clone(),
                        format!("image \"{path}\" is not inside the bank's folder"),
                        "an image path is relative to the bank's folder and stays inside it",
                    );
                    return None;
                }
                if full.is_file() {
                    Some(full)
                } else {
                    let d = Diagnostic::error(
                        "image-missing",
                        cx.file,
                        format!("image \"{path}\" not found"),
                    )
                    .at(n.span.clone(), format!("no file at {}", full.display()))
                    .hint("image paths are relative to the folder of the bank file");
                    cx.push(d);
                    None
                }
            }
            None => Some(path.into()),
        }
    });

    let exhibits = match s.optional("exhibits") {
        Some(n) => crate::exhibit::decode::exhibits(cx, n, &what),
        None => Some(Vec::new()),
    };

    s.finish(cx, ITEM_FIELDS);

    if cx.errors() > errors_before {
        return None;
    }
    let (irt, b_source) = irt?;
    Some(Item {
        id: id?,
        area: area?,
        topic: topic?,
        subtopic,
        level: level?,
        stem: stem?,
        answer: answer?,
        explanation: explanation?,
        references: references?,
        difficulty: difficulty.map(|(d, _)| d),
        irt,
        b_source,
        image,
        exhibits: exhibits?,
        enemies: enemies?.into_iter().map(|(e, _)| e).collect(),
        shuffle: shuffle?,
    })
}

fn decode_area(cx: &mut Cx, node: &Node) -> Option<Area> {
    let name = cx.string(
        node,
        Some("write the area as a string, e.g. \"hematology\""),
    )?;
    if let Some(area) = Area::from_name(&name) {
        return Some(area);
    }
    // Titles and common spellings map to a suggestion, not silently to an area: the
    // file should say the canonical name.
    let alias = Area::parse(&name);
    let suggestion = alias
        .map(Area::name)
        .or_else(|| suggest(&name, Area::ALL.iter().map(|a| a.name())));
    let hint = match suggestion {
        Some(s) => format!("did you mean \"{s}\"?"),
        None => format!(
            "the areas are: {}",
            Area::ALL
                .iter()
                .map(|a| a.name())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let d = Diagnostic::error("unknown-area", cx.file, format!("unknown area \"{name}\""))
        .at(node.span.clone(), "not one of the seven content areas")
        .hint(hint);
    cx.push(d);
    None
}

fn decode_level(cx: &mut Cx, node: &Node) -> Option<Level> {
    let name = cx.string(
        node,
        Some("write the level as a string: \"MLT\", \"MLS\" or \"both\""),
    )?;
    if let Some(level) = Level::from_name(&name) {
        return Some(level);
    }
    let lower = name.to_lowercase();
    let hint = if lower.contains("mlt") && lower.contains("mls") {
        "an item for both levels is written \"both\"".to_string()
    } else {
        match suggest(&name, Level::ALL.iter().map(|l| l.name())) {
            Some(s) => format!("did you mean \"{s}\"?"),
            None => "the levels are \"MLT\", \"MLS\" and \"both\"".to_string(),
        }
    };
    let d = Diagnostic::error(
        "unknown-level",
        cx.file,
        format!("unknown level \"{name}\""),
    )
    .at(node.span.clone(), "not MLT, MLS or both")
    .hint(hint);
    cx.push(d);
    None
}

const VARIANTS: &[&str] = &["SingleBest", "SelectAll", "Numeric"];

fn decode_answer(cx: &mut Cx, node: &Node) -> Option<Answer> {
    let variant = match &node.kind {
        NodeKind::Struct { name: Some(n), .. } => n.clone(),
        _ => {
            cx.wrong_type(
                node,
                "`SingleBest(...)`, `SelectAll(...)` or `Numeric(...)`",
                Some("e.g. answer: SingleBest(choices: [\"...\", \"...\"], key: \"A\")"),
            );
            return None;
        }
    };
    match variant.name {
        "SingleBest" => {
            let mut s = cx.structure(node, "SingleBest", "the answer")?;
            let choices_node = s.required(cx, "choices", "[\"...\", \"...\"]");
            let n_choices = choices_node.and_then(list_len);
            let choices = choices_node.and_then(|n| choices(cx, n, 6));
            let key = s.required(cx, "key", "\"A\"").and_then(|n| {
                let letter = key_letter(cx, n)?;
                in_range(cx, n, letter, n_choices)
            });
            s.finish(cx, &["choices", "key"]);
            Some(Answer::SingleBest {
                choices: choices?,
                key: key?,
            })
        }
        "SelectAll" => {
            let mut s = cx.structure(node, "SelectAll", "the answer")?;
            let choices_node = s.required(cx, "choices", "[\"...\", \"...\"]");
            let n_choices = choices_node.and_then(list_len);
            let choices = choices_node.and_then(|n| choices(cx, n, 8));
            let keys = s.required(cx, "keys", "[\"A\", \"C\"]").and_then(|n| {
                let list = cx.list(n, Some("`keys` is a list of letters: [\"A\", \"C\"]"))?;
                if list.is_empty() {
                    cx.error(
                        "no-key",
                        n.span.clone(),
                        "a select-all item needs at least one key",
                        "no keys given",
                    );
                    return None;
                }
                let mut keys: Vec<(usize, Span)> = Vec::new();
                let mut ok = true;
                for k in list {
                    let idx = key_letter(cx, k).and_then(|l| in_range(cx, k, l, n_choices));
                    match idx {
                        Some(i) => {
                            if let Some((_, first)) = keys.iter().find(|(j, _)| *j == i) {
                                let d = Diagnostic::error(
                                    "duplicate-key",
                                    cx.file,
                                    "the same key is listed twice",
                                )
                                .at(k.span.clone(), "listed again here")
                                .also(
                                    cx.file,
                                    first.clone(),
                                    "first listed here",
                                );
                                cx.push(d);
                                ok = false;
                            } else {
                                keys.push((i, k.span.clone()));
                            }
                        }
                        None => ok = false,
                    }
                }
                let mut keys: Vec<usize> = keys.into_iter().map(|(i, _)| i).collect();
                keys.sort_unstable();
                ok.then_some(keys)
            });
            s.finish(cx, &["choices", "keys"]);
            Some(Answer::SelectAll {
                choices: choices?,
                keys: keys?,
            })
        }
        "Numeric" => {
            let mut s = cx.structure(node, "Numeric", "the answer")?;
            let value = s.required(cx, "value", "4.5").and_then(|n| cx.number(n));
            let tolerance = s.required(cx, "tolerance", "0.1").and_then(|n| {
                let t = cx.number(n)?;
                if t < 0.0 {
                    cx.error(
                        "negative-tolerance",
                        n.span.clone(),
                        format!("tolerance {t} is negative"),
                        "must be zero or more",
                    );
                    return None;
                }
                Some(t)
            });
            let unit = s
                .required(cx, "unit", "\"mg/dL\"")
                .and_then(|n| cx.string(n, None));
            s.finish(cx, &["value", "tolerance", "unit"]);
            Some(Answer::Numeric {
                value: value?,
                tolerance: tolerance?,
                unit: unit?,
            })
        }
        other => {
            let d = Diagnostic::error(
                "unknown-kind",
                cx.file,
                format!("unknown answer kind `{other}`"),
            )
            .at(variant.span.clone(), "not an answer kind")
            .hint(match suggest(other, VARIANTS.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "the kinds are SingleBest, SelectAll and Numeric".to_string(),
            });
            cx.push(d);
            None
        }
    }
}

fn list_len(node: &Node) -> Option<usize> {
    match &node.kind {
        NodeKind::List(items) => Some(items.len()),
        _ => None,
    }
}

fn choices(cx: &mut Cx, node: &Node, max: usize) -> Option<Vec<String>> {
    let list = cx.string_list(node)?;
    let mut ok = true;
    if list.len() < 2 || list.len() > max {
        cx.error(
            "choice-count",
            node.span.clone(),
            format!("{} choices given; this kind takes 2 to {max}", list.len()),
            "wrong number of choices",
        );
        ok = false;
    }
    let mut seen: Vec<(String, Span)> = Vec::new();
    for (text, span) in &list {
        // Case matters: anti-K and anti-k, anti-I and anti-i are different antibodies.
        let norm = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if norm.is_empty() {
            cx.error(
                "empty-choice",
                span.clone(),
                "a choice is empty",
                "empty choice",
            );
            ok = false;
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(t, _)| *t == norm) {
            let d = Diagnostic::error(
                "duplicate-choice",
                cx.file,
                format!("the choice \"{text}\" is given twice"),
            )
            .at(span.clone(), "same text as an earlier choice")
            .also(cx.file, first.clone(), "first given here")
            .hint("every choice must be different, or the key is ambiguous");
            cx.push(d);
            ok = false;
        } else {
            seen.push((norm, span.clone()));
        }
    }
    ok.then(|| list.into_iter().map(|(t, _)| t).collect())
}

/// Reads a key written as a letter, `"B"` or `'B'`, into a 0-based index.
fn key_letter(cx: &mut Cx, node: &Node) -> Option<usize> {
    let text = match &node.kind {
        NodeKind::Str(s) => s.trim().to_string(),
        NodeKind::Char(c) => c.to_string(),
        NodeKind::Number { .. } => {
            cx.wrong_type(
                node,
                "a letter",
                Some("keys are letters: \"A\" is the first choice, \"B\" the second"),
            );
            return None;
        }
        _ => {
            cx.wrong_type(
                node,
                "a letter",
                Some("write the key as a letter, e.g. \"B\""),
            );
            return None;
        }
    };
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => {
            Some((c.to_ascii_uppercase() as u8 - b'A') as usize)
        }
        _ => {
            cx.error(
                "bad-key",
                node.span.clone(),
                format!("\"{text}\" is not a choice letter"),
                "expected a single letter such as \"B\"",
            );
            None
        }
    }
}

/// The letter naming the 0-based choice `i` (A, B, ...).
pub fn letter_for(i: usize) -> char {
    (b'A' + (i.min(25) as u8)) as char
}

fn in_range(cx: &mut Cx, node: &Node, index: usize, n_choices: Option<usize>) -> Option<usize> {
    let n = n_choices?;
    if index < n {
        return Some(index);
    }
    let last = letter_for(n.saturating_sub(1));
    cx.error(
        "key-out-of-range",
        node.span.clone(),
        format!(
            "key \"{}\" is out of range: there are {n} choices (A-{last})",
            letter_for(index)
        ),
        format!("must be A to {last}"),
    );
    None
}

fn decode_irt(
    cx: &mut Cx,
    s: &mut StructView,
    difficulty: Option<&(u8, Span)>,
    what: &str,
) -> Option<(IrtParams, BSource)> {
    let mut ok = true;
    let mut param =
        |cx: &mut Cx, name: &str, valid: &dyn Fn(f64) -> bool, rule: &str| -> Option<f64> {
            let n = s.optional(name)?;
            let v = cx.number(n);
            match v {
                Some(v) if valid(v) => Some(v),
                Some(v) => {
                    cx.error(
                        "irt-range",
                        n.span.clone(),
                        format!("IRT parameter {name} = {v} is out of range"),
                        rule.to_string(),
                    );
                    ok = false;
                    None
                }
                None => {
                    ok = false;
                    None
                }
            }
        };
    let a = param(
        cx,
        "a",
        &|v| v > 0.0 && v <= 10.0,
        "discrimination a must be above 0 (and at most 10)",
    );
    let b_given = param(
        cx,
        "b",
        &|v| v.abs() <= B_LIMIT,
        "difficulty b must be between -6 and 6 logits",
    );
    let c = param(
        cx,
        "c",
        &|v| (0.0..1.0).contains(&v),
        "guessing c must be at least 0 and below 1",
    );
    if !ok {
        return None;
    }
    let (b, source) = match (b_given, difficulty) {
        (Some(b), Some((rating, span))) => {
            let (lo, hi) = b_range_for_rating(*rating);
            if b < lo || b > hi {
                let d = Diagnostic::warning(
                    "b-rating-mismatch",
                    cx.file,
                    format!("{what} has b = {b} but difficulty {rating}, which suggests b from {lo} to {hi}"),
                )
                .at(span.clone(), format!("rating {rating}"))
                .hint("one of the two is probably wrong; see the rubric in docs/bank-format.md");
                cx.push(d);
            }
            (b, BSource::Given)
        }
        (Some(b), None) => (b, BSource::Given),
        (None, Some((rating, _))) => (b_for_rating(*rating), BSource::Rating),
        (None, None) => {
            let d = Diagnostic::warning(
                "no-difficulty",
                cx.file,
                format!("{what} has neither `difficulty` nor `b`"),
            )
            .at(s.head.clone(), "assumed medium (b = 0)")
            .hint(
                "add `difficulty: 3,` (1 easiest to 5 hardest) so the adaptive exam can place it",
            );
            cx.push(d);
            (0.0, BSource::Default)
        }
    };
    Some((
        IrtParams {
            a: a.unwrap_or(1.0),
            b,
            c: c.unwrap_or(0.0),
        },
        source,
    ))
}
