//! RON documents read with the `ron` crate, keeping the source position of every value.
//!
//! The `ron` crate parses; this module only keeps positions. A value deserialized as a
//! borrowed `&ron::value::RawValue` is a slice of the source, and a struct's field names
//! arrive as borrowed slices too, so pointer arithmetic gives the exact byte span of every
//! field name and value. A document becomes a small tree of [`Node`]s: each struct an
//! ordered list of fields (unknown and repeated ones kept, so `decode` can report them),
//! each list a list of nodes, each scalar its typed value. Syntax errors are `ron`'s,
//! moved to a byte span and worded with a hint.
//!
//! What a value means (a bank, an item, a blueprint) is `decode`'s job.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use ron::value::RawValue;
use serde::Deserialize;
use serde::de::{self, Deserializer as _, MapAccess, SeqAccess, Visitor};

/// Deepest nesting accepted; deeper input is refused instead of exhausting the stack.
pub const MAX_DEPTH: usize = 64;

/// A byte range in one source file.
pub type Span = Range<usize>;

/// A value with the span it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub span: Span,
    pub kind: NodeKind<'a>,
}

/// A struct field: `name: value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<'a> {
    pub name: &'a str,
    pub name_span: Span,
    pub value: Node<'a>,
}

/// An identifier used as a struct or enum name, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident<'a> {
    pub name: &'a str,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind<'a> {
    Bool(bool),
    /// A number; `integer` is true when it was written without a fraction or exponent.
    Number {
        value: f64,
        integer: bool,
    },
    Str(Cow<'a, str>),
    Char(char),
    List(Vec<Node<'a>>),
    Map(Vec<(Node<'a>, Node<'a>)>),
    /// `Name(field: v, ...)` or `(field: v, ...)`.
    Struct {
        name: Option<Ident<'a>>,
        fields: Vec<Field<'a>>,
    },
    /// `Name(v, ...)` or `(v, ...)`; `Some(v)` is a tuple named `Some`.
    Tuple {
        name: Option<Ident<'a>>,
        items: Vec<Node<'a>>,
    },
    /// A bare identifier such as `None` or an enum variant, or `()`.
    Unit {
        name: Option<Ident<'a>>,
    },
}

impl NodeKind<'_> {
    /// A short description for "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match self {
            NodeKind::Bool(_) => "a boolean".into(),
            NodeKind::Number { .. } => "a number".into(),
            NodeKind::Str(_) => "a string".into(),
            NodeKind::Char(_) => "a character".into(),
            NodeKind::List(_) => "a list".into(),
            NodeKind::Map(_) => "a map".into(),
            NodeKind::Struct { name: Some(n), .. } => format!("a `{}(...)` struct", n.name),
            NodeKind::Struct { name: None, .. } => "a struct".into(),
            NodeKind::Tuple { name: Some(n), .. } => format!("`{}(...)`", n.name),
            NodeKind::Tuple { name: None, .. } => "a tuple".into(),
            NodeKind::Unit { name: Some(n) } => format!("`{}`", n.name),
            NodeKind::Unit { name: None } => "`()`".into(),
        }
    }
}

/// A syntax error: where, what, and what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    pub hint: Option<String>,
}

/// ron's own limit counts about two levels for each bracket.
fn options() -> ron::Options {
    ron::Options::default().with_recursion_limit(MAX_DEPTH * 2)
}

/// Reads one RON document into a positioned tree.
pub fn parse(src: &str) -> Result<Node<'_>, SyntaxError> {
    // One pass with ron checks the whole document, so the tree below is built from
    // text known to be valid RON.
    if let Err(e) = options().from_str::<de::IgnoredAny>(src) {
        return Err(syntax_error(src, &e));
    }
    let mut de = ron::Deserializer::from_str_with_options(src, &options())
        .map_err(|e| syntax_error(src, &e))?;
    let shape = (&mut de)
        .deserialize_any(ShapeVisitor)
        .map_err(|e| syntax_error(src, &de.span_error(e)))?;
    let start = value_start(src, 0);
    build(src, start, shape, 0)
}

/// What one level of a value holds, its children still raw.
enum Shape<'a> {
    Map(Vec<(&'a str, &'a RawValue)>),
    Entries(Vec<(&'a RawValue, &'a RawValue)>),
    Seq(Vec<&'a RawValue>),
    Some(&'a RawValue),
    None,
    Unit,
    Bool(bool),
    Number(f64),
    Str(Cow<'a, str>),
    Char(char),
    Bytes,
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a RON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape<'de>, A::Error> {
        // Struct fields arrive as borrowed identifiers; map keys as values.
        let mut fields = Vec::new();
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let value: &RawValue = map.next_value()?;
            match key {
                Key::Ident(name) => fields.push((name, value)),
                Key::Raw(raw) => entries.push((raw, value)),
            }
        }
        Ok(if entries.is_empty() {
            Shape::Map(fields)
        } else {
            Shape::Entries(entries)
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<&RawValue>()? {
            items.push(item);
        }
        Ok(Shape::Seq(items))
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Shape<'de>, D::Error> {
        Ok(Shape::Some(<&RawValue>::deserialize(d)?))
    }

    fn visit_none<E: de::Error>(self) -> Result<Shape<'de>, E> {
        Ok(Shape::None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Shape<'de>, E> {
        Ok(Shape::Unit)
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Shape<'de>, D::Error> {
        Ok(Shape::Seq(vec![<&RawValue>::deserialize(d)?]))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Shape<'de>, E> {
        Ok(Shape::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Shape<'de>, E> {
        Ok(Shape::Number(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Shape<'de>, E> {
        Ok(Shape::Number(v as f64))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Shape<'de>, E> {
        Ok(Shape::Number(v as f64))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Shape<'de>, E> {
        Ok(Shape::Number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Shape<'de>, E> {
        Ok(Shape::Number(v))
    }

    fn visit_char<E: de::Error>(self, v: char) -> Result<Shape<'de>, E> {
        Ok(Shape::Char(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Shape<'de>, E> {
        Ok(Shape::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Shape<'de>, E> {
        Ok(Shape::Str(Cow::Owned(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Shape<'de>, E> {
        Ok(Shape::Str(Cow::Owned(v)))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Shape<'de>, E> {
        Ok(Shape::Bytes)
    }

    fn visit_byte_buf<E: de::Error>(self, _: Vec<u8>) -> Result<Shape<'de>, E> {
        Ok(Shape::Bytes)
    }
}

/// A map key: a struct's field name (borrowed from the source) or a map key value.
enum Key<'a> {
    Ident(&'a str),
    Raw(&'a RawValue),
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name or a map key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Ident(v))
            }
            fn visit_newtype_struct<D: de::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Key<'de>, D::Error> {
                Ok(Key::Raw(<&RawValue>::deserialize(d)?))
            }
        }
        // Field names are identifiers; anything else is read as a raw value.
        d.deserialize_identifier(KeyVisitor)
            .map_err(|_: D::Error| de::Error::custom("unsupported map key"))
    }
}

/// The byte offset of `part` inside `src` (a slice of it).
fn offset(src: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(src.as_ptr() as usize)
}

/// Skips white space, comments and `#![...]` attributes from `at`.
fn value_start(src: &str, mut at: usize) -> usize {
    let bytes = src.as_bytes();
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if src[at..].starts_with("//") {
            at = src[at..].find('\n').map_or(src.len(), |i| at + i);
        } else if src[at..].starts_with("/*") {
            at = skip_block_comment(src, at);
        } else if src[at..].starts_with("#![") {
            at = src[at..].find(']').map_or(src.len(), |i| at + i + 1);
        } else {
            return at;
        }
    }
}

fn skip_block_comment(src: &str, mut at: usize) -> usize {
    let mut depth = 0usize;
    while at < src.len() {
        if src[at..].starts_with("/*") {
            depth += 1;
            at += 2;
        } else if src[at..].starts_with("*/") {
            depth -= 1;
            at += 2;
            if depth == 0 {
                return at;
            }
        } else {
            at += src[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    at
}

/// The identifier a value starts with, when it is followed by `(` or stands alone:
/// the name of `Bank(...)`, `Some(...)`, `EndOfTest`.
fn leading_ident(src: &str, at: usize) -> Option<Ident<'_>> {
    let rest = &src[at..];
    let len = rest
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_alphabetic() || *c == '_' || (*i > 0 && c.is_ascii_digit()))
        .count();
    (len > 0).then(|| Ident {
        name: &rest[..len],
        span: at..at + len,
    })
}

fn raw_node<'a>(src: &'a str, raw: &'a RawValue, depth: usize) -> Result<Node<'a>, SyntaxError> {
    let text = raw.get_ron();
    let start = value_start(src, offset(src, text));
    let mut de = ron::Deserializer::from_str_with_options(text, &options())
        .map_err(|e| syntax_error(src, &e))?;
    let shape = (&mut de).deserialize_any(ShapeVisitor).map_err(|e| {
        let e = de.span_error(e);
        SyntaxError {
            span: start..start + 1,
            message: e.code.to_string(),
            hint: None,
        }
    })?;
    build(src, start, shape, depth)
}

fn build<'a>(
    src: &'a str,
    start: usize,
    shape: Shape<'a>,
    depth: usize,
) -> Result<Node<'a>, SyntaxError> {
    if depth > MAX_DEPTH {
        return Err(SyntaxError {
            span: start..start + 1,
            message: format!("values are nested more than {MAX_DEPTH} levels deep"),
            hint: Some("a bank needs four levels; is a bracket left open?".into()),
        });
    }
    let end_of = |raw: &RawValue| offset(src, raw.get_ron()) + raw.get_ron().len();
    let ident = leading_ident(src, start);
    let kind = match shape {
        Shape::Map(fields) => NodeKind::Struct {
            name: ident,
            fields: fields
                .into_iter()
                .map(|(name, value)| {
                    let at = offset(src, name);
                    Ok(Field {
                        name,
                        name_span: at..at + name.len(),
                        value: raw_node(src, value, depth + 1)?,
                    })
                })
                .collect::<Result<_, _>>()?,
        },
        Shape::Entries(entries) => NodeKind::Map(
            entries
                .into_iter()
                .map(|(k, v)| Ok((raw_node(src, k, depth + 1)?, raw_node(src, v, depth + 1)?)))
                .collect::<Result<_, _>>()?,
        ),
        Shape::Seq(items) => {
            let nodes = items
                .into_iter()
                .map(|i| raw_node(src, i, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            if src[start..].starts_with('[') {
                NodeKind::List(nodes)
            } else {
                NodeKind::Tuple {
                    name: ident,
                    items: nodes,
                }
            }
        }
        Shape::Some(inner) => NodeKind::Tuple {
            name: ident,
            items: vec![raw_node(src, inner, depth + 1)?],
        },
        Shape::None => NodeKind::Unit { name: ident },
        Shape::Unit => NodeKind::Unit { name: ident },
        Shape::Bool(b) => NodeKind::Bool(b),
        Shape::Number(value) => {
            let text = number_text(src, start);
            let integer = !text.contains(['.', 'e', 'E'])
                || text.starts_with("0x")
                || text.starts_with("-0x")
                || text.starts_with("+0x");
            let integer = integer && !text.contains("inf") && !text.contains("NaN");
            NodeKind::Number { value, integer }
        }
        Shape::Str(s) => NodeKind::Str(s),
        Shape::Char(c) => NodeKind::Char(c),
        Shape::Bytes => {
            return Err(SyntaxError {
                span: start..start + 2,
                message: "a byte string".into(),
                hint: Some("write text as a normal string: \"...\"".into()),
            });
        }
    };
    let _ = end_of;
    let end = value_end(src, start, &kind);
    Ok(Node {
        span: start..end,
        kind,
    })
}

/// The text of a number starting at `at`.
fn number_text(src: &str, at: usize) -> &str {
    let rest = &src[at..];
    let len = rest
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-'))
        .count();
    &rest[..len]
}

/// Where a value that starts at `start` ends: after its closing bracket or its last
/// character.
fn value_end(src: &str, start: usize, kind: &NodeKind) -> usize {
    let rest = &src[start..];
    match kind {
        NodeKind::Str(_) => string_end(rest).map_or(src.len(), |n| start + n),
        NodeKind::Char(_) => rest[1..].find('\'').map_or(src.len(), |i| start + i + 2),
        NodeKind::Number { .. } => start + number_text(src, start).len(),
        NodeKind::Bool(b) => start + if *b { 4 } else { 5 },
        NodeKind::Unit { name: Some(n) } if !rest[n.name.len()..].trim_start().starts_with('(') => {
            n.span.end
        }
        _ => closing(src, start),
    }
}

/// The length of a string literal (`"..."` or `r#"..."#`) at the start of `text`.
fn string_end(text: &str) -> Option<usize> {
    if let Some(rest) = text.strip_prefix('r') {
        let hashes = rest.chars().take_while(|c| *c == '#').count();
        let close = format!("\"{}", "#".repeat(hashes));
        let body = 1 + hashes + 1;
        return text[body..].find(&close).map(|i| body + i + close.len());
    }
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i + 1),
            _ => escaped = false,
        }
    }
    None
}

/// After the bracket that closes the first bracket at or after `start`, skipping
/// strings, chars and comments.
fn closing(src: &str, start: usize) -> usize {
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    let mut at = start;
    while at < bytes.len() {
        match bytes[at] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return at + 1;
                }
            }
            b'"' | b'r'
                if bytes[at] == b'"'
                    || src[at..].starts_with("r\"")
                    || src[at..].starts_with("r#") =>
            {
                if let Some(n) = string_end(&src[at..]) {
                    at += n;
                    continue;
                }
            }
            b'\'' => {
                if let Some(i) = src[at + 1..].find('\'') {
                    at += i + 2;
                    continue;
                }
            }
            b'/' if src[at..].starts_with("//") => {
                at = src[at..].find('\n').map_or(src.len(), |i| at + i);
                continue;
            }
            b'/' if src[at..].starts_with("/*") => {
                at = skip_block_comment(src, at);
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    src.len()
}

/// ron's error, at a byte span, in labcert's words with a hint.
fn syntax_error(src: &str, e: &ron::error::SpannedError) -> SyntaxError {
    use ron::error::Error as E;
    let at = byte_offset(src, e.span.start.line, e.span.start.col);
    let end = byte_offset(src, e.span.end.line, e.span.end.col).max(at);
    let next_char = src[at..].chars().next().map_or(0, char::len_utf8);
    let point = at..(at + next_char).max(end);
    let open = innermost_open(src, at);
    let closer = match open {
        Some(b'[') => "]",
        Some(b'{') => "}",
        _ => ")",
    };
    let (message, hint): (String, Option<String>) = match &e.code {
        E::Eof if src[..at].trim().is_empty() && value_start(src, 0) >= src.len() => (
            "the file holds no RON value".into(),
            Some("a bank file starts with `Bank(` and ends with `)`".into()),
        ),
        E::Eof => (
            format!("the file ends before a `{closer}` closes what was opened"),
            Some(format!("add the missing `{closer}`")),
        ),
        E::ExpectedComma => (
            if closer == ")" {
                "expected `,` or `)` after the field".into()
            } else {
                format!("expected `,` or `{closer}` after the value")
            },
            Some("is a comma missing at the end of the line before?".into()),
        ),
        E::TrailingCharacters => (
            "unexpected text after the end of the value".into(),
            Some("the file must hold exactly one value; check for an extra `)` or `]`".into()),
        ),
        E::ExpectedStringEnd => (
            "this string is never closed".into(),
            Some("add the closing `\"`; a `\"` inside text is written `\\\"`".into()),
        ),
        E::InvalidEscape(what) => (
            format!("a bad escape in a string: {}", what.to_lowercase()),
            Some("a backslash is written `\\\\`; a quote `\\\"`; a newline `\\n`".into()),
        ),
        E::UnexpectedChar(c @ ('\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}')) => (
            format!("a curly quote `{c}` where RON needs a straight one"),
            Some("use straight quotes `\"`; a word processor may have changed them".into()),
        ),
        E::UnexpectedChar(c) => (format!("unexpected `{c}`"), None),
        E::ExceededRecursionLimit => (
            format!("values are nested more than {MAX_DEPTH} levels deep"),
            Some("a bank needs four levels; is a bracket left open?".into()),
        ),
        E::ExpectedMapColon => (
            "expected `:` after the field name".into(),
            Some("write `name: value`".into()),
        ),
        E::ExpectedArrayEnd | E::ExpectedStructLikeEnd | E::ExpectedMapEnd => (
            format!("expected `{closer}`"),
            Some(format!(
                "close what was opened with `{closer}`, or add a comma before the next value"
            )),
        ),
        E::UnclosedBlockComment => (
            "a `/*` comment is never closed".into(),
            Some("add `*/`".into()),
        ),
        other => (lower_first(&other.to_string()), None),
    };
    SyntaxError {
        span: point,
        message,
        hint,
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The bracket left open at byte `at`, outside strings and comments.
fn innermost_open(src: &str, at: usize) -> Option<u8> {
    let bytes = src.as_bytes();
    let mut stack = Vec::new();
    let mut i = 0;
    while i < at.min(bytes.len()) {
        match bytes[i] {
            b'(' | b'[' | b'{' => stack.push(bytes[i]),
            b')' | b']' | b'}' => {
                stack.pop();
            }
            b'"' => {
                i += string_end(&src[i..]).unwrap_or(src.len() - i);
                continue;
            }
            b'/' if src[i..].starts_with("//") => {
                i = src[i..].find('\n').map_or(src.len(), |n| i + n);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    stack.last().copied()
}

/// The byte offset of a 1-based line and column (columns count characters).
fn byte_offset(src: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match src[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return src.len(),
        }
    }
    src[start..]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(src.len(), |(i, _)| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(src: &str) -> NodeKind<'_> {
        parse(src).unwrap().kind
    }

    #[test]
    fn spans_are_exact() {
        let src = "Bank(\n  id: \"x\", // c\n  items: [(a: 1), Item(b: 2.5)],\n)";
        let root = parse(src).unwrap();
        let NodeKind::Struct { name, fields } = &root.kind else {
            panic!("{root:?}")
        };
        assert_eq!(name.as_ref().unwrap().name, "Bank");
        assert_eq!(&src[fields[0].name_span.clone()], "id");
        assert_eq!(&src[fields[0].value.span.clone()], "\"x\"");
        assert_eq!(&src[fields[1].value.span.clone()], "[(a: 1), Item(b: 2.5)]");
        let NodeKind::List(items) = &fields[1].value.kind else {
            panic!()
        };
        assert_eq!(&src[items[1].span.clone()], "Item(b: 2.5)");
        assert_eq!(&src[root.span.clone()], src);
    }

    #[test]
    fn every_kind_of_value() {
        assert_eq!(kind("true"), NodeKind::Bool(true));
        assert_eq!(kind("'A'"), NodeKind::Char('A'));
        assert_eq!(
            kind("12"),
            NodeKind::Number {
                value: 12.0,
                integer: true
            }
        );
        assert!(matches!(
            kind("1.5"),
            NodeKind::Number { integer: false, .. }
        ));
        assert!(matches!(kind("0x1F"), NodeKind::Number { value, integer: true } if value == 31.0));
        assert_eq!(kind("\"a\\nb\""), NodeKind::Str("a\nb".into()));
        assert!(
            matches!(kind("Some(3)"), NodeKind::Tuple { name: Some(n), items } if n.name == "Some" && items.len() == 1)
        );
        assert!(matches!(kind("None"), NodeKind::Unit { name: Some(n) } if n.name == "None"));
        assert!(
            matches!(kind("EndOfTest"), NodeKind::Unit { name: Some(n) } if n.name == "EndOfTest")
        );
        assert!(
            matches!(kind("Fixed(100)"), NodeKind::Tuple { name: Some(n), .. } if n.name == "Fixed")
        );
        assert!(matches!(kind("()"), NodeKind::Unit { name: None }));
        assert!(
            matches!(kind("Config()"), NodeKind::Tuple { name: Some(_), items } if items.is_empty())
        );
        assert!(
            matches!(kind("(a: 1, a: 2)"), NodeKind::Struct { fields, .. } if fields.len() == 2)
        );
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse("Bank(\n    id: \"x\"\n    title: \"y\",\n)").unwrap_err();
        assert_eq!(e.message, "expected `,` or `)` after the field");
        assert_eq!(e.span.start, 22); // line 3, column 5: `title`
        assert!(parse("").unwrap_err().message.contains("no RON value"));
        assert!(
            parse("(a: 1))")
                .unwrap_err()
                .message
                .contains("after the end")
        );
        assert!(
            parse("(a: \u{201c}x\u{201d})")
                .unwrap_err()
                .message
                .contains("curly quote")
        );
        let deep = "[".repeat(200_000) + &"]".repeat(200_000);
        assert!(
            parse(&deep)
                .unwrap_err()
                .message
                .contains("nested more than 64")
        );
    }
}
