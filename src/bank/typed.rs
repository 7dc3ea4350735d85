//! The fast way to read a bank file that is expected to be right: one typed pass of the
//! `ron` crate (serde structs with `deny_unknown_fields`), turned into the same tree of
//! [`Node`]s that `decode` checks, but without source positions.
//!
//! Loading banks for use tries this first. When the typed pass fails, or `decode` finds
//! any problem in what it produced, the caller reads the file again through
//! [`crate::doc::ron`], which keeps every position, so the problems are reported at their
//! place. A correct bank is thus read once; a broken one costs a second read, and only
//! `banks check` and broken banks pay for positions.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::doc::ron::{Field, Ident, Node, NodeKind};

#[derive(Deserialize)]
#[serde(rename = "Bank", deny_unknown_fields)]
struct BankDoc<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    author: Cow<'a, str>,
    #[serde(borrow)]
    version: Cow<'a, str>,
    #[serde(borrow)]
    license: Cow<'a, str>,
    #[serde(borrow, default)]
    description: Option<Cow<'a, str>>,
    #[serde(borrow)]
    items: Vec<ItemDoc<'a>>,
}

#[derive(Deserialize)]
#[serde(rename = "Item", deny_unknown_fields)]
struct ItemDoc<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    area: Cow<'a, str>,
    #[serde(borrow)]
    topic: Cow<'a, str>,
    #[serde(borrow, default)]
    subtopic: Option<Cow<'a, str>>,
    #[serde(borrow)]
    level: Cow<'a, str>,
    #[serde(default)]
    difficulty: Option<i64>,
    #[serde(default)]
    a: Option<f64>,
    #[serde(default)]
    b: Option<f64>,
    #[serde(default)]
    c: Option<f64>,
    #[serde(borrow)]
    stem: Cow<'a, str>,
    #[serde(borrow, default)]
    image: Option<Cow<'a, str>>,
    /// Exhibits are read by the positioned reader from their slice of the source: few
    /// items have them, and their many shapes need no second set of serde structs.
    #[serde(borrow, default)]
    exhibits: Option<&'a ron::value::RawValue>,
    #[serde(borrow)]
    answer: AnswerDoc<'a>,
    #[serde(borrow)]
    explanation: Cow<'a, str>,
    #[serde(borrow, default)]
    references: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, default)]
    enemies: Option<Vec<Cow<'a, str>>>,
    #[serde(default)]
    shuffle: Option<bool>,
}

#[derive(Deserialize)]
enum AnswerDoc<'a> {
    SingleBest {
        #[serde(borrow)]
        choices: Vec<Cow<'a, str>>,
        key: Letter,
    },
    SelectAll {
        #[serde(borrow)]
        choices: Vec<Cow<'a, str>>,
        keys: Vec<Letter>,
    },
    Numeric {
        value: f64,
        tolerance: f64,
        #[serde(borrow)]
        unit: Cow<'a, str>,
    },
}

/// A key as written: `"B"` or `'B'`.
enum Letter {
    Str(String),
    Char(char),
}

impl<'de> Deserialize<'de> for Letter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Letter;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a letter")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Letter, E> {
                Ok(Letter::Str(v.to_string()))
            }
            fn visit_char<E: de::Error>(self, v: char) -> Result<Letter, E> {
                Ok(Letter::Char(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads a bank in one typed pass; `None` when the text is not a well-formed bank (the
/// positioned reader then says why).
pub fn bank_tree(src: &str) -> Option<Node<'_>> {
    let options = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(crate::doc::ron::MAX_DEPTH * 2);
    let doc: BankDoc = options.from_str(src).ok()?;
    bank_node(doc)
}

const NO_SPAN: std::ops::Range<usize> = 0..0;

fn node(kind: NodeKind<'_>) -> Node<'_> {
    Node {
        span: NO_SPAN,
        kind,
    }
}

fn text(s: Cow<'_, str>) -> Node<'_> {
    node(NodeKind::Str(s))
}

fn number(value: f64, integer: bool) -> Node<'static> {
    node(NodeKind::Number { value, integer })
}

fn list<'a>(items: Vec<Node<'a>>) -> Node<'a> {
    node(NodeKind::List(items))
}

fn texts(items: Vec<Cow<'_, str>>) -> Node<'_> {
    list(items.into_iter().map(text).collect())
}

fn structure<'a>(name: &'static str, fields: Vec<(&'static str, Node<'a>)>) -> Node<'a> {
    node(NodeKind::Struct {
        name: Some(Ident {
            name,
            span: NO_SPAN,
        }),
        fields: fields
            .into_iter()
            .map(|(name, value)| Field {
                name,
                name_span: NO_SPAN,
                value,
            })
            .collect(),
    })
}

fn letter(l: Letter) -> Node<'static> {
    match l {
        Letter::Str(s) => node(NodeKind::Str(Cow::Owned(s))),
        Letter::Char(c) => node(NodeKind::Char(c)),
    }
}

fn bank_node(doc: BankDoc<'_>) -> Option<Node<'_>> {
    let mut fields = vec![
        ("id", text(doc.id)),
        ("title", text(doc.title)),
        ("author", text(doc.author)),
        ("version", text(doc.version)),
        ("license", text(doc.license)),
    ];
    if let Some(d) = doc.description {
        fields.push(("description", text(d)));
    }
    let items = doc
        .items
        .into_iter()
        .map(item_node)
        .collect::<Option<Vec<_>>>()?;
    fields.push(("items", list(items)));
    Some(structure("Bank", fields))
}

fn item_node(i: ItemDoc<'_>) -> Option<Node<'_>> {
    let mut f = vec![
        ("id", text(i.id)),
        ("area", text(i.area)),
        ("topic", text(i.topic)),
        ("level", text(i.level)),
        ("stem", text(i.stem)),
        ("explanation", text(i.explanation)),
    ];
    let answer = match i.answer {
        AnswerDoc::SingleBest { choices, key } => structure(
            "SingleBest",
            vec![("choices", texts(choices)), ("key", letter(key))],
        ),
        AnswerDoc::SelectAll { choices, keys } => structure(
            "SelectAll",
            vec![
                ("choices", texts(choices)),
                ("keys", list(keys.into_iter().map(letter).collect())),
            ],
        ),
        AnswerDoc::Numeric {
            value,
            tolerance,
            unit,
        } => structure(
            "Numeric",
            vec![
                ("value", number(value, false)),
                ("tolerance", number(tolerance, false)),
                ("unit", text(unit)),
            ],
        ),
    };
    f.push(("answer", answer));
    if let Some(s) = i.subtopic {
        f.push(("subtopic", text(s)));
    }
    if let Some(d) = i.difficulty {
        f.push(("difficulty", number(d as f64, true)));
    }
    for (name, v) in [("a", i.a), ("b", i.b), ("c", i.c)] {
        if let Some(v) = v {
            f.push((name, number(v, false)));
        }
    }
    if let Some(image) = i.image {
        f.push(("image", text(image)));
    }
    if let Some(raw) = i.exhibits {
        // Spans are relative to the slice; they are never shown (any problem sends the
        // file to the positioned reader).
        f.push(("exhibits", crate::doc::ron::parse(raw.get_ron()).ok()?));
    }
    if let Some(r) = i.references {
        f.push(("references", texts(r)));
    }
    if let Some(e) = i.enemies {
        f.push(("enemies", texts(e)));
    }
    if let Some(s) = i.shuffle {
        f.push(("shuffle", node(NodeKind::Bool(s))));
    }
    Some(structure("Item", f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_well_formed_bank_reads_in_one_pass() {
        let src = r#"Bank(id: "b", title: "t", author: "a", version: "1", license: "x", items: [
            (id: "i-1", area: "hematology", topic: "t", level: "both", difficulty: 2, b: Some(-1.0),
             stem: "Which?", answer: SingleBest(choices: ["a", "b"], key: 'A'),
             explanation: "Because. Yes.", references: ["r"], subtopic: None),
            Item(id: "i-2", area: "chemistry", topic: "t", level: "MLS", b: 1,
             stem: "How much?", answer: Numeric(value: 90, tolerance: 0.5, unit: "fL"),
             explanation: "Because. Yes.", enemies: ["i-1"], shuffle: false),
        ])"#;
        let tree = bank_tree(src).expect("reads");
        let NodeKind::Struct { fields, .. } = &tree.kind else {
            panic!()
        };
        assert_eq!(fields.len(), 6);
    }

    #[test]
    fn anything_unusual_is_left_to_the_positioned_reader() {
        for src in [
            "Bnak(id: \"b\")",
            "Bank(id: \"b\", title: \"t\", author: \"a\", version: \"1\", license: \"x\", items: [], extra: 1)",
            "Bank(id: 1, title: \"t\", author: \"a\", version: \"1\", license: \"x\", items: [])",
            "Bank(id: \"b\", title: \"t\", author: \"a\", version: \"1\", license: \"x\", items: [(id: \"x\")])",
        ] {
            assert!(bank_tree(src).is_none(), "{src}");
        }
    }
}
