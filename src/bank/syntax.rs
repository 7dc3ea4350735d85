//! A RON reader that keeps the source position of every value.
//!
//! The `ron` crate deserializes through serde and stops at the first problem, with no
//! position for values that parsed but mean the wrong thing (an unknown area, a key out
//! of range). Bank checking must report *every* problem with its line and column, so
//! banks and blueprints are read here into a small tree of [`Node`]s, each carrying its
//! byte span; `decode` turns that tree into the model and collects problems as it goes.
//!
//! The accepted language is RON as the `ron` crate reads it (tests compare the two on
//! every shipped bank and on the importer's output): comments (`//`, nested
//! `/* */`), `#![enable(...)]` attributes, named or anonymous structs, tuples, lists,
//! maps, `Some`/`None`, enum variants, strings with escapes, raw strings, chars, numbers
//! (decimal, hex, octal, binary, underscores, `inf`, `NaN`) and booleans.
//! Byte strings are refused with a clear message: a bank has no use for them.

use std::borrow::Cow;
use std::ops::Range;

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
    /// Borrowed from the source unless it had escapes.
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

/// Reads one RON document: optional attributes, exactly one value, then only
/// whitespace and comments.
pub fn parse(src: &str) -> Result<Node<'_>, SyntaxError> {
    let mut p = Parser {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        depth: 0,
    };
    p.skip_trivia()?;
    p.attributes()?;
    if p.pos >= p.bytes.len() {
        return Err(SyntaxError {
            span: p.pos..p.pos,
            message: "the file holds no RON value".into(),
            hint: Some("a bank file starts with `Bank(` and ends with `)`".into()),
        });
    }
    let value = p.value()?;
    p.skip_trivia()?;
    if p.pos < p.bytes.len() {
        let span = p.pos..p.next_char_end();
        return Err(SyntaxError {
            span,
            message: "unexpected text after the end of the value".into(),
            hint: Some(
                "the file must hold exactly one value; check for an extra `)` or `]`".into(),
            ),
        });
    }
    Ok(value)
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Parser<'a> {
    fn err<T>(&self, span: Span, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            span,
            message: message.into(),
            hint: None,
        })
    }

    fn err_hint<T>(
        &self,
        span: Span,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            span,
            message: message.into(),
            hint: Some(hint.into()),
        })
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next_char_end(&self) -> usize {
        self.src[self.pos..]
            .chars()
            .next()
            .map_or(self.pos, |c| self.pos + c.len_utf8())
    }

    /// Describes what stands at the current position, for error messages.
    fn found(&self) -> String {
        match self.src[self.pos..].chars().next() {
            None => "the end of the file".into(),
            Some(c) if c.is_whitespace() => "white space".into(),
            Some(c) => format!("`{c}`"),
        }
    }

    fn skip_trivia(&mut self) -> Result<(), SyntaxError> {
        loop {
            match self.peek() {
                Some(b) if b.is_ascii_whitespace() => self.pos += 1,
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    while let Some(b) = self.peek() {
                        if b == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    self.pos += 2;
                    let mut level = 1;
                    while level > 0 {
                        match self.peek() {
                            None => {
                                return self.err_hint(
                                    start..start + 2,
                                    "this block comment is never closed",
                                    "close it with `*/`",
                                );
                            }
                            Some(b'*') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                                level -= 1;
                                self.pos += 2;
                            }
                            Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                                level += 1;
                                self.pos += 2;
                            }
                            Some(_) => self.pos += 1,
                        }
                    }
                }
                Some(_) => {
                    // Unicode white space (e.g. a non-breaking space pasted from a word processor).
                    let c = self.src[self.pos..].chars().next();
                    match c {
                        Some(c) if c.is_whitespace() => self.pos += c.len_utf8(),
                        _ => return Ok(()),
                    }
                }
                None => return Ok(()),
            }
        }
    }

    /// `#![enable(...)]` lines at the top of the file; accepted and ignored (the
    /// decoder already accepts a bare value where an `Option` is expected).
    fn attributes(&mut self) -> Result<(), SyntaxError> {
        while self.peek() == Some(b'#') {
            let start = self.pos;
            if !self.src[self.pos..].starts_with("#![") {
                return self.err_hint(
                    start..start + 1,
                    "expected an attribute such as `#![enable(implicit_some)]`",
                    "remove the `#`",
                );
            }
            let mut level = 0usize;
            self.pos += 2;
            loop {
                match self.peek() {
                    None => {
                        return self
                            .err(start..start + 3, "this attribute is never closed with `]`");
                    }
                    Some(b'[') => level += 1,
                    Some(b']') => {
                        level -= 1;
                        if level == 0 {
                            self.pos += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                self.pos += 1;
            }
            self.skip_trivia()?;
        }
        Ok(())
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), SyntaxError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            let span = self.pos..self.next_char_end();
            self.err(span, format!("expected {what}, found {}", self.found()))
        }
    }

    fn value(&mut self) -> Result<Node<'a>, SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let span = self.pos..self.next_char_end();
            return self.err_hint(
                span,
                format!("values are nested more than {MAX_DEPTH} levels deep"),
                "a bank needs only a few levels; this file is probably not a bank",
            );
        }
        let result = self.value_inner();
        self.depth -= 1;
        result
    }

    fn value_inner(&mut self) -> Result<Node<'a>, SyntaxError> {
        let start = self.pos;
        let Some(b) = self.peek() else {
            return self.err(start..start, "expected a value, found the end of the file");
        };
        match b {
            b'"' => {
                let s = self.string()?;
                Ok(self.node(start, NodeKind::Str(s)))
            }
            b'r' if matches!(self.bytes.get(self.pos + 1), Some(b'"' | b'#')) => {
                let s = self.raw_string()?;
                Ok(self.node(start, NodeKind::Str(s)))
            }
            b'b' if matches!(self.bytes.get(self.pos + 1), Some(b'"' | b'\'')) => self.err_hint(
                start..start + 2,
                "byte strings are not used in labcert files",
                "write a plain string: \"...\"",
            ),
            b'\'' => self.char_literal(),
            b'[' => self.list(),
            b'{' => self.map(),
            b'(' => self.parenthesised(None, start),
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.number(),
            b if is_ident_start(b) => {
                let ident = self.ident();
                match ident.name {
                    "true" => return Ok(self.node(start, NodeKind::Bool(true))),
                    "false" => return Ok(self.node(start, NodeKind::Bool(false))),
                    "inf" => {
                        return Ok(self.node(
                            start,
                            NodeKind::Number {
                                value: f64::INFINITY,
                                integer: false,
                            },
                        ));
                    }
                    "NaN" => {
                        return Ok(self.node(
                            start,
                            NodeKind::Number {
                                value: f64::NAN,
                                integer: false,
                            },
                        ));
                    }
                    _ => {}
                }
                let after_ident = self.pos;
                self.skip_trivia()?;
                if self.peek() == Some(b'(') {
                    self.parenthesised(Some(ident), start)
                } else {
                    self.pos = after_ident;
                    Ok(self.node(start, NodeKind::Unit { name: Some(ident) }))
                }
            }
            _ => {
                let span = start..self.next_char_end();
                let found = self.found();
                let hint = match b {
                    b'\xe2'
                        if self.src[start..].starts_with('\u{201c}')
                            || self.src[start..].starts_with('\u{201d}') =>
                    {
                        Some("curly quotes are not string delimiters: use straight quotes \"...\"")
                    }
                    _ => None,
                };
                match hint {
                    Some(h) => self.err_hint(span, format!("expected a value, found {found}"), h),
                    None => self.err(span, format!("expected a value, found {found}")),
                }
            }
        }
    }

    fn node(&self, start: usize, kind: NodeKind<'a>) -> Node<'a> {
        Node {
            span: start..self.pos,
            kind,
        }
    }

    fn ident(&mut self) -> Ident<'a> {
        let start = self.pos;
        while matches!(self.peek(), Some(b) if is_ident_continue(b)) {
            self.pos += 1;
        }
        Ident {
            name: &self.src[start..self.pos],
            span: start..self.pos,
        }
    }

    /// After `(` (optionally preceded by a name): a struct if the first thing inside is
    /// `ident :`, otherwise a tuple; `()` is a unit.
    fn parenthesised(
        &mut self,
        name: Option<Ident<'a>>,
        start: usize,
    ) -> Result<Node<'a>, SyntaxError> {
        let open = self.pos;
        self.pos += 1; // '('
        self.skip_trivia()?;
        if self.peek() == Some(b')') {
            self.pos += 1;
            return Ok(match name {
                Some(name) => self.node(
                    start,
                    NodeKind::Tuple {
                        name: Some(name),
                        items: Vec::new(),
                    },
                ),
                None => self.node(start, NodeKind::Unit { name: None }),
            });
        }
        if self.looks_like_field() {
            let mut fields = Vec::new();
            loop {
                self.skip_trivia()?;
                if self.peek() == Some(b')') {
                    self.pos += 1;
                    break;
                }
                let Some(b) = self.peek() else {
                    return self.err_hint(
                        open..open + 1,
                        "this `(` is never closed",
                        "add the missing `)`",
                    );
                };
                if !is_ident_start(b) {
                    let span = self.pos..self.next_char_end();
                    return self.err(
                        span,
                        format!("expected a field name or `)`, found {}", self.found()),
                    );
                }
                let ident = self.ident();
                self.skip_trivia()?;
                if self.peek() != Some(b':') {
                    let span = self.pos..self.next_char_end();
                    return self.err_hint(
                        span,
                        format!("expected `:` after the field name, found {}", self.found()),
                        format!("write `{}: value`", ident.name),
                    );
                }
                self.pos += 1;
                self.skip_trivia()?;
                let value = self.value()?;
                fields.push(Field {
                    name: ident.name,
                    name_span: ident.span,
                    value,
                });
                if !self.separator(b')', open, "`,` or `)` after the field")? {
                    break;
                }
            }
            Ok(self.node(start, NodeKind::Struct { name, fields }))
        } else {
            let mut items = Vec::new();
            loop {
                self.skip_trivia()?;
                if self.peek() == Some(b')') {
                    self.pos += 1;
                    break;
                }
                if self.peek().is_none() {
                    return self.err_hint(
                        open..open + 1,
                        "this `(` is never closed",
                        "add the missing `)`",
                    );
                }
                items.push(self.value()?);
                if !self.separator(b')', open, "`,` or `)`")? {
                    break;
                }
            }
            Ok(self.node(start, NodeKind::Tuple { name, items }))
        }
    }

    /// After an element: `,` (returns true, continue) or the closing byte (consumed,
    /// returns false).
    fn separator(&mut self, close: u8, open: usize, what: &str) -> Result<bool, SyntaxError> {
        self.skip_trivia()?;
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(false)
            }
            None => {
                let opener = match close {
                    b')' => "(",
                    b']' => "[",
                    _ => "{",
                };
                self.err_hint(
                    open..open + 1,
                    format!("this `{opener}` is never closed"),
                    format!("add the missing `{}`", close as char),
                )
            }
            Some(_) => {
                let span = self.pos..self.next_char_end();
                self.err_hint(
                    span,
                    format!("expected {what}, found {}", self.found()),
                    "is a comma missing at the end of the previous line?",
                )
            }
        }
    }

    fn looks_like_field(&self) -> bool {
        let mut i = self.pos;
        if !matches!(self.bytes.get(i), Some(&b) if is_ident_start(b)) {
            return false;
        }
        while matches!(self.bytes.get(i), Some(&b) if is_ident_continue(b)) {
            i += 1;
        }
        while matches!(self.bytes.get(i), Some(b) if b.is_ascii_whitespace()) {
            i += 1;
        }
        // `name:` but not `name::` (never valid RON, but do not misread it).
        self.bytes.get(i) == Some(&b':') && self.bytes.get(i + 1) != Some(&b':')
    }

    fn list(&mut self) -> Result<Node<'a>, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(b']') {
                self.pos += 1;
                break;
            }
            if self.peek().is_none() {
                return self.err_hint(
                    start..start + 1,
                    "this `[` is never closed",
                    "add the missing `]`",
                );
            }
            items.push(self.value()?);
            if !self.separator(b']', start, "`,` or `]`")? {
                break;
            }
        }
        Ok(self.node(start, NodeKind::List(items)))
    }

    fn map(&mut self) -> Result<Node<'a>, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut entries = Vec::new();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(b'}') {
                self.pos += 1;
                break;
            }
            if self.peek().is_none() {
                return self.err_hint(
                    start..start + 1,
                    "this `{` is never closed",
                    "add the missing `}`",
                );
            }
            let key = self.value()?;
            self.skip_trivia()?;
            self.expect(b':', "`:` after the map key")?;
            self.skip_trivia()?;
            let value = self.value()?;
            entries.push((key, value));
            if !self.separator(b'}', start, "`,` or `}`")? {
                break;
            }
        }
        Ok(self.node(start, NodeKind::Map(entries)))
    }

    fn number(&mut self) -> Result<Node<'a>, SyntaxError> {
        let start = self.pos;
        let mut negative = false;
        if let Some(sign @ (b'+' | b'-')) = self.peek() {
            negative = sign == b'-';
            self.pos += 1;
        }
        // Signed specials.
        for (word, value) in [("inf", f64::INFINITY), ("NaN", f64::NAN)] {
            if self.src[self.pos..].starts_with(word)
                && !matches!(self.bytes.get(self.pos + word.len()), Some(&b) if is_ident_continue(b))
            {
                self.pos += word.len();
                let value = if negative { -value } else { value };
                return Ok(self.node(
                    start,
                    NodeKind::Number {
                        value,
                        integer: false,
                    },
                ));
            }
        }
        let radix = match (self.peek(), self.bytes.get(self.pos + 1)) {
            (Some(b'0'), Some(b'x')) => 16,
            (Some(b'0'), Some(b'o')) => 8,
            (Some(b'0'), Some(b'b')) => 2,
            _ => 10,
        };
        if radix != 10 {
            self.pos += 2;
            let digits_start = self.pos;
            while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b == b'_') {
                self.pos += 1;
            }
            let digits: String = self.src[digits_start..self.pos]
                .chars()
                .filter(|&c| c != '_')
                .collect();
            return match u128::from_str_radix(&digits, radix) {
                Ok(v) => {
                    let v = v as f64;
                    Ok(self.node(
                        start,
                        NodeKind::Number {
                            value: if negative { -v } else { v },
                            integer: true,
                        },
                    ))
                }
                Err(_) => self.err(start..self.pos, "this is not a valid number"),
            };
        }
        let mut integer = true;
        while let Some(b) = self.peek() {
            match b {
                b'0'..=b'9' | b'_' => self.pos += 1,
                b'.' => {
                    integer = false;
                    self.pos += 1;
                }
                b'e' | b'E' => {
                    integer = false;
                    self.pos += 1;
                    if matches!(self.peek(), Some(b'+' | b'-')) {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        // A number directly followed by letters (`12mg`) is a typo worth naming.
        if matches!(self.peek(), Some(b) if is_ident_start(b)) {
            let bad_start = self.pos;
            while matches!(self.peek(), Some(b) if is_ident_continue(b)) {
                self.pos += 1;
            }
            return self.err_hint(
                start..self.pos,
                format!("`{}` is not a number", &self.src[start..self.pos]),
                if bad_start > start {
                    "put units in the `unit` field or in a string, not after the number"
                } else {
                    "write the number alone"
                },
            );
        }
        let text: String = self.src[start..self.pos]
            .chars()
            .filter(|&c| c != '_')
            .collect();
        match text.parse::<f64>() {
            Ok(value) if text.chars().any(|c| c.is_ascii_digit()) => {
                Ok(self.node(start, NodeKind::Number { value, integer }))
            }
            _ => self.err(
                start..self.pos.max(start + 1),
                format!(
                    "`{}` is not a valid number",
                    &self.src[start..self.pos.max(start + 1)]
                ),
            ),
        }
    }

    fn string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let src: &'a str = self.src;
        // The common case: no escapes, so the text is borrowed from the source.
        let rest = &src[self.pos..];
        if let Some(end) = rest.find(['"', '\\'])
            && rest.as_bytes()[end] == b'"'
        {
            self.pos += end + 1;
            return Ok(Cow::Borrowed(&rest[..end]));
        }
        let mut out = String::new();
        loop {
            let rest = &src[self.pos..];
            // Copy the plain run up to the next quote or backslash in one go.
            let run = rest.find(['"', '\\']).unwrap_or(rest.len());
            out.push_str(&rest[..run]);
            self.pos += run;
            match self.peek() {
                None => {
                    return self.err_hint(
                        open..open + 1,
                        "this string is never closed",
                        "add the closing `\"`; a quote inside a string is written `\\\"`",
                    );
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                _ => {
                    let esc_start = self.pos;
                    self.pos += 1;
                    out.push(self.escape(esc_start)?);
                }
            }
        }
    }

    /// After a backslash: one escape sequence.
    fn escape(&mut self, esc_start: usize) -> Result<char, SyntaxError> {
        let Some(b) = self.peek() else {
            return self.err(
                esc_start..esc_start + 1,
                "the file ends inside an escape sequence",
            );
        };
        self.pos += 1;
        Ok(match b {
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'0' => '\0',
            b'\\' => '\\',
            b'"' => '"',
            b'\'' => '\'',
            b'x' => {
                let hex = self.src.get(self.pos..self.pos + 2).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) if v < 0x80 => {
                        self.pos += 2;
                        v as char
                    }
                    _ => {
                        return self.err_hint(
                            esc_start..self.pos,
                            "invalid `\\x` escape",
                            "`\\x` takes two hex digits below 80, e.g. `\\x41`",
                        );
                    }
                }
            }
            b'u' => {
                if self.peek() != Some(b'{') {
                    return self.err_hint(
                        esc_start..self.pos,
                        "invalid `\\u` escape",
                        "write a Unicode escape as `\\u{00B5}`",
                    );
                }
                let close = self.src[self.pos..].find('}');
                let digits = close.map(|c| &self.src[self.pos + 1..self.pos + c]);
                match digits
                    .and_then(|d| u32::from_str_radix(d, 16).ok())
                    .and_then(char::from_u32)
                {
                    Some(c) => {
                        self.pos += close.unwrap_or(0) + 1;
                        c
                    }
                    None => {
                        return self.err_hint(
                            esc_start..self.pos + 1,
                            "invalid `\\u{...}` escape",
                            "write a Unicode escape as `\\u{00B5}`",
                        );
                    }
                }
            }
            _ => {
                self.pos = esc_start + 1;
                let end = self.next_char_end();
                return self.err_hint(
                    esc_start..end,
                    format!("unknown escape `\\{}`", &self.src[esc_start + 1..end]),
                    "write a backslash as `\\\\`",
                );
            }
        })
    }

    fn raw_string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        let open = self.pos;
        self.pos += 1; // 'r'
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        if self.peek() != Some(b'"') {
            return self.err_hint(
                open..self.pos,
                "expected `\"` to start the raw string",
                "a raw string looks like r#\"...\"#",
            );
        }
        self.pos += 1;
        let closing: String = std::iter::once('"')
            .chain(std::iter::repeat_n('#', hashes))
            .collect();
        match self.src[self.pos..].find(&closing) {
            Some(end) => {
                let src: &'a str = self.src;
                let s = &src[self.pos..self.pos + end];
                self.pos += end + closing.len();
                Ok(Cow::Borrowed(s))
            }
            None => self.err_hint(
                open..open + 1 + hashes + 1,
                "this raw string is never closed",
                format!("close it with `{closing}`"),
            ),
        }
    }

    fn char_literal(&mut self) -> Result<Node<'a>, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.src[self.pos..].chars().next() {
            None => return self.err(start..start + 1, "this character literal is never closed"),
            Some('\\') => {
                let s = self.pos;
                self.pos += 1;
                self.escape(s)?
            }
            Some(c) => {
                self.pos += c.len_utf8();
                c
            }
        };
        if self.peek() != Some(b'\'') {
            return self.err_hint(
                start..self.pos,
                "a character literal holds exactly one character",
                "use double quotes for text: \"...\"",
            );
        }
        self.pos += 1;
        Ok(self.node(start, NodeKind::Char(c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(src: &str) -> NodeKind<'_> {
        parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}")).kind
    }

    #[test]
    fn reads_scalars() {
        assert_eq!(kind("true"), NodeKind::Bool(true));
        assert_eq!(
            kind("  -1.5e1 "),
            NodeKind::Number {
                value: -15.0,
                integer: false
            }
        );
        assert_eq!(
            kind("1_000"),
            NodeKind::Number {
                value: 1000.0,
                integer: true
            }
        );
        assert_eq!(
            kind("0x1F"),
            NodeKind::Number {
                value: 31.0,
                integer: true
            }
        );
        assert_eq!(kind(r#""a\"b\n\u{b5}""#), NodeKind::Str("a\"b\nµ".into()));
        assert_eq!(
            kind(r###"r#"say "hi""#"###),
            NodeKind::Str("say \"hi\"".into())
        );
        assert_eq!(kind("'x'"), NodeKind::Char('x'));
        assert!(matches!(kind("NaN"), NodeKind::Number { value, .. } if value.is_nan()));
        assert!(
            matches!(kind("-inf"), NodeKind::Number { value, .. } if value == f64::NEG_INFINITY)
        );
    }

    #[test]
    fn reads_structures_with_spans() {
        let src = "// c\n#![enable(implicit_some)]\nBank(id: \"x\", items: [(a: 1), None, Some(2)], m: {\"k\": (1, 2)})";
        let node = parse(src).unwrap();
        let NodeKind::Struct { name, fields } = node.kind else {
            panic!()
        };
        assert_eq!(name.unwrap().name, "Bank");
        assert_eq!(fields[0].name, "id");
        assert_eq!(&src[fields[0].value.span.clone()], "\"x\"");
        let NodeKind::List(items) = &fields[1].value.kind else {
            panic!()
        };
        assert!(matches!(
            &items[0].kind,
            NodeKind::Struct { name: None, .. }
        ));
        assert!(matches!(&items[1].kind, NodeKind::Unit { name: Some(n) } if n.name == "None"));
        assert!(
            matches!(&items[2].kind, NodeKind::Tuple { name: Some(n), items } if n.name == "Some" && items.len() == 1)
        );
        assert!(matches!(&fields[2].value.kind, NodeKind::Map(e) if e.len() == 1));
    }

    #[test]
    fn nested_block_comments_and_trailing_commas() {
        assert!(matches!(kind("/* a /* b */ c */ [1, 2,]"), NodeKind::List(v) if v.len() == 2));
        assert!(matches!(kind("(a: 1,)"), NodeKind::Struct { fields, .. } if fields.len() == 1));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let cases: &[(&str, &str, usize)] = &[
            ("(a: 1 b: 2)", "expected `,` or `)`", 6),
            ("[1, 2", "never closed", 0),
            ("\"abc", "never closed", 0),
            ("(a: 12mg)", "not a number", 4),
            ("(a: 1))", "after the end", 6),
            ("", "no RON value", 0),
            ("/* x", "never closed", 0),
            ("(a: \"\\q\")", "unknown escape", 5),
            ("b\"x\"", "byte strings", 0),
        ];
        for (src, msg, at) in cases {
            let e = parse(src).expect_err(src);
            assert!(e.message.contains(msg), "{src}: {}", e.message);
            assert_eq!(e.span.start, *at, "{src}: {e:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let src = "[".repeat(100_000) + &"]".repeat(100_000);
        let e = parse(&src).unwrap_err();
        assert!(e.message.contains("nested"), "{}", e.message);
    }

    #[test]
    fn agrees_with_the_ron_crate_on_values() {
        // What `ron` accepts, we accept, and vice versa, on a sample of tricky input.
        let samples = [
            "(a: 1, b: [1, 2, 3], c: Some(\"x\"), d: None)",
            "Foo(x: 'c', y: r\"raw\", z: {1: 2})",
            "[1.5, -2, +3, 0x10, 1e3]",
            "(a: 1 b: 2)",
            "[1, 2",
            "((1, 2), (3, 4))",
        ];
        for s in samples {
            let ours = parse(s).is_ok();
            let theirs = ron::from_str::<ron::Value>(s).is_ok();
            assert_eq!(ours, theirs, "{s}");
        }
    }
}
