//! Reading the values of a positioned RON tree, reporting every problem with its place:
//! [`Cx`] collects diagnostics for one file and reads scalars and lists, [`StructView`]
//! reads a struct's fields and reports the missing, repeated and unknown ones.
//!
//! Banks, blueprints and the config file are all read this way; what their fields mean
//! is each reader's own business (`bank::decode`, `exam::blueprint`, `settings`).

use super::diagnostic::{Diagnostic, FileId};
use super::ron::{Field, Node, NodeKind, Span};

/// Collects diagnostics for one file.
pub struct Cx<'d> {
    pub file: FileId,
    pub diags: &'d mut Vec<Diagnostic>,
    errors: usize,
}

impl<'d> Cx<'d> {
    pub fn new(file: FileId, diags: &'d mut Vec<Diagnostic>) -> Self {
        Cx {
            file,
            diags,
            errors: 0,
        }
    }

    pub fn errors(&self) -> usize {
        self.errors
    }

    pub fn push(&mut self, d: Diagnostic) {
        if d.is_error() {
            self.errors += 1;
        }
        self.diags.push(d);
    }

    pub fn error(
        &mut self,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) {
        let d = Diagnostic::error(code, self.file, message).at(span, label);
        self.push(d);
    }

    pub fn wrong_type(&mut self, node: &Node, expected: &str, hint: Option<&str>) {
        let d = Diagnostic::error(
            "wrong-type",
            self.file,
            format!("expected {expected}, found {}", node.kind.describe()),
        )
        .at(node.span.clone(), format!("expected {expected}"))
        .hint_opt(hint.map(str::to_string));
        self.push(d);
    }

    // ---- scalars -------------------------------------------------------------------

    pub fn string(&mut self, node: &Node, hint: Option<&str>) -> Option<String> {
        match &node.kind {
            NodeKind::Str(s)
                if super::diagnostic::may_be_unsafe(s)
                    && s.chars().any(super::diagnostic::unsafe_char) =>
            {
                let c = s
                    .chars()
                    .find(|c| super::diagnostic::unsafe_char(*c))
                    .unwrap_or('?');
                let d = Diagnostic::warning(
                    "control-character",
                    self.file,
                    format!(
                        "this text holds the control character U+{:04X}; labcert shows it as \u{FFFD}",
                        c as u32
                    ),
                )
                .at(node.span.clone(), "control character in here")
                .hint("remove it: escape sequences in a bank could make a terminal clear the screen, hide text or write the clipboard");
                self.push(d);
                Some(super::diagnostic::clean(s).into_owned())
            }
            NodeKind::Str(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(
                    node,
                    "a string",
                    hint.or(Some("put text in double quotes: \"...\"")),
                );
                None
            }
        }
    }

    /// A string that must hold more than white space.
    pub fn text(&mut self, node: &Node, field: &str) -> Option<String> {
        let s = self.string(node, None)?;
        if s.trim().is_empty() {
            self.error(
                "empty-field",
                node.span.clone(),
                format!("`{field}` is empty"),
                "write something here",
            );
            return None;
        }
        Some(s)
    }

    pub fn number(&mut self, node: &Node) -> Option<f64> {
        match &node.kind {
            NodeKind::Number { value, .. } => {
                if value.is_finite() {
                    Some(*value)
                } else {
                    self.error(
                        "not-finite",
                        node.span.clone(),
                        "this number is not finite",
                        "a finite number is needed",
                    );
                    None
                }
            }
            _ => {
                self.wrong_type(node, "a number", None);
                None
            }
        }
    }

    pub fn integer(&mut self, node: &Node) -> Option<i64> {
        match &node.kind {
            NodeKind::Number {
                value,
                integer: true,
            } if value.abs() < 1e15 => Some(*value as i64),
            NodeKind::Number { .. } => {
                self.wrong_type(
                    node,
                    "a whole number",
                    Some("write it without a decimal point"),
                );
                None
            }
            _ => {
                self.wrong_type(node, "a whole number", None);
                None
            }
        }
    }

    pub fn boolean(&mut self, node: &Node) -> Option<bool> {
        match &node.kind {
            NodeKind::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(node, "`true` or `false`", None);
                None
            }
        }
    }

    pub fn list<'n>(&mut self, node: &'n Node<'n>, hint: Option<&str>) -> Option<&'n [Node<'n>]> {
        match &node.kind {
            NodeKind::List(items) => Some(items),
            _ => {
                self.wrong_type(node, "a list `[...]`", hint);
                None
            }
        }
    }

    pub fn string_list(&mut self, node: &Node) -> Option<Vec<(String, Span)>> {
        let items = self.list(node, Some("write a list of strings: [\"...\", \"...\"]"))?;
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match self.string(item, None) {
                Some(s) => out.push((s, item.span.clone())),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    // ---- structs -------------------------------------------------------------------

    /// Views `node` as a struct named `name` (or anonymous). `what` names it in messages.
    pub fn structure<'n>(
        &mut self,
        node: &'n Node<'n>,
        name: &str,
        what: &str,
    ) -> Option<StructView<'n>> {
        let head = node.span.start..node.span.start + 1;
        match &node.kind {
            NodeKind::Struct {
                name: given,
                fields,
            } => {
                if let Some(given) = given
                    && given.name != name
                {
                    let d = Diagnostic::error(
                        "wrong-name",
                        self.file,
                        format!("expected {what} `{name}(...)`, found `{}(...)`", given.name),
                    )
                    .at(given.span.clone(), format!("should be `{name}` or nothing"))
                    .hint(format!("write `{name}(` or just `(`"));
                    self.push(d);
                }
                let head = given.as_ref().map_or(head, |g| g.span.clone());
                // Few fields: a scan is cheaper than hashing every name.
                for (i, f) in fields.iter().enumerate() {
                    if let Some(first) = fields[..i].iter().find(|g| g.name == f.name) {
                        let d = Diagnostic::error(
                            "duplicate-field",
                            self.file,
                            format!("field `{}` is given twice", f.name),
                        )
                        .at(f.name_span.clone(), "given again here")
                        .also(self.file, first.name_span.clone(), "first given here")
                        .hint("keep one of them");
                        self.push(d);
                    }
                }
                Some(StructView {
                    head,
                    what: what.to_string(),
                    fields,
                    used: vec![false; fields.len()],
                })
            }
            // `()` and `Name()`: a struct with no fields given.
            NodeKind::Unit { name: None } => Some(StructView {
                head,
                what: what.to_string(),
                fields: &[],
                used: Vec::new(),
            }),
            NodeKind::Tuple {
                name: Some(given),
                items,
            } if items.is_empty() && given.name == name => Some(StructView {
                head: given.span.clone(),
                what: what.to_string(),
                fields: &[],
                used: Vec::new(),
            }),
            _ => {
                self.wrong_type(node, &format!("{what} `{name}(...)`"), None);
                None
            }
        }
    }
}

/// The fields of one struct, tracking which were read so the rest can be reported.
pub struct StructView<'n> {
    /// Where to point when a field is missing: the struct's name or opening parenthesis.
    pub head: Span,
    pub what: String,
    fields: &'n [Field<'n>],
    used: Vec<bool>,
}

impl<'n> StructView<'n> {
    /// The value of an optional field; `None` (the RON value) counts as absent and
    /// `Some(x)` is unwrapped, so both `b: 1.2` and `b: Some(1.2)` work.
    pub fn optional(&mut self, name: &str) -> Option<&'n Node<'n>> {
        let i = self.fields.iter().position(|f| f.name == name)?;
        self.used[i] = true;
        unwrap_option(&self.fields[i].value)
    }

    /// The value of a required field, or a `missing-field` error at the struct's head.
    pub fn required(&mut self, cx: &mut Cx, name: &str, example: &str) -> Option<&'n Node<'n>> {
        let found = self.optional(name);
        if found.is_none() {
            let d = Diagnostic::error(
                "missing-field",
                cx.file,
                format!("{} is missing the field `{name}`", self.what),
            )
            .at(self.head.clone(), format!("`{name}` is required here"))
            .hint(format!("add `{name}: {example},`"));
            cx.push(d);
        }
        found
    }

    /// Reports every field that was never read as unknown, with a suggestion.
    pub fn finish(self, cx: &mut Cx, known: &[&str]) {
        for (f, used) in self.fields.iter().zip(&self.used) {
            if *used || known.contains(&f.name) {
                continue;
            }
            let d = Diagnostic::error(
                "unknown-field",
                cx.file,
                format!("unknown field `{}` in {}", f.name, self.what),
            )
            .at(f.name_span.clone(), "not a field of this struct")
            .hint(match suggest(f.name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the fields are: {}", known.join(", ")),
            });
            cx.push(d);
        }
    }
}

fn unwrap_option<'n>(node: &'n Node<'n>) -> Option<&'n Node<'n>> {
    match &node.kind {
        NodeKind::Unit { name: Some(n) } if n.name == "None" => None,
        NodeKind::Tuple {
            name: Some(n),
            items,
        } if n.name == "Some" && items.len() == 1 => Some(&items[0]),
        _ => Some(node),
    }
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let norm = |s: &str| s.to_lowercase().replace([' ', '_'], "-");
    let w = norm(word);
    candidates
        .into_iter()
        .map(|c| (c, strsim::jaro_winkler(&w, &norm(c))))
        .filter(|(_, score)| *score >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// Whether `id` is usable as an identifier on the command line and in CSV files.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
