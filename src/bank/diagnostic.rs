//! Problems found in bank (and blueprint and config) files, and how they are shown.
//!
//! A [`Diagnostic`] names a severity, a short code, a message, where it is (a span in a
//! [`Sources`] file, or just the file when there is no text to point into), other places
//! that matter (the first definition of a duplicate id), and hints. Rendering uses
//! `codespan-reporting` with ASCII borders, so every diagnostic reads like a compiler's:
//!
//! ```text
//! error[unknown-area]: unknown area "hematolgy"
//!   --> banks/mine.ron:12:15
//!    |
//! 12 |         area: "hematolgy",
//!    |               ^^^^^^^^^^^ not one of the seven content areas
//!    |
//!    = help: did you mean "hematology"?
//! ```

use std::io;
use std::ops::Range;

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label, LabelStyle, Severity as CsSeverity,
};
use codespan_reporting::files::{Files, SimpleFiles};
use codespan_reporting::term::termcolor::WriteColor;
use codespan_reporting::term::{self, Chars, Config};
use serde::Serialize;

/// Identifies a file in [`Sources`].
pub type FileId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a file with a short label.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub file: FileId,
    pub span: Range<usize>,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short, stable, kebab-case code such as `unknown-area` (listed in docs/bank-format.md).
    pub code: &'static str,
    pub message: String,
    /// The file the problem is in.
    pub file: FileId,
    /// Where in the file, when there is text to point at.
    pub primary: Option<Place>,
    pub secondary: Vec<Place>,
    /// What to do about it; shown as `= help: ...`.
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: FileId, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file,
            primary: None,
            secondary: Vec::new(),
            hints: Vec::new(),
        }
    }

    pub fn warning(code: &'static str, file: FileId, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    /// Points at `span` in the diagnostic's own file.
    pub fn at(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.primary = Some(Place {
            file: self.file,
            span,
            label: label.into(),
        });
        self
    }

    pub fn also(mut self, file: FileId, span: Range<usize>, label: impl Into<String>) -> Self {
        self.secondary.push(Place {
            file,
            span,
            label: label.into(),
        });
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn hint_opt(self, hint: Option<String>) -> Self {
        match hint {
            Some(h) => self.hint(h),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The start of the primary span, for sorting (file-level problems first).
    fn position(&self) -> usize {
        self.primary.as_ref().map_or(0, |p| p.span.start)
    }
}

/// The text of every file that diagnostics point into.
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
}

/// A line and column, both 1-based; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl Sources {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.files.add(name.into(), text.into())
    }

    pub fn name(&self, file: FileId) -> String {
        self.files
            .name(file)
            .map(|n| n.to_string())
            .unwrap_or_default()
    }

    pub fn text(&self, file: FileId) -> &str {
        self.files
            .get(file)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    pub fn line_col(&self, file: FileId, offset: usize) -> Option<LineCol> {
        self.files.location(file, offset).ok().map(|l| LineCol {
            line: l.line_number,
            column: l.column_number,
        })
    }
}

/// Sorts diagnostics into reading order: by file, then position, errors before
/// warnings at the same place.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.file, a.position(), a.severity).cmp(&(b.file, b.position(), b.severity))
    });
}

fn render_config() -> Config {
    Config {
        chars: Chars::ascii(),
        ..Config::default()
    }
}

fn to_codespan(d: &Diagnostic, sources: &Sources) -> CsDiagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let mut labels = Vec::new();
    if let Some(p) = &d.primary {
        labels.push(
            Label::new(LabelStyle::Primary, p.file, clamp(sources, p)).with_message(&p.label),
        );
    }
    for p in &d.secondary {
        labels.push(
            Label::new(LabelStyle::Secondary, p.file, clamp(sources, p)).with_message(&p.label),
        );
    }
    let mut message = d.message.clone();
    if d.primary.is_none() {
        // No text to point into: name the file in the message itself.
        message = format!("{}: {}", sources.name(d.file), message);
    }
    CsDiagnostic::new(severity)
        .with_code(d.code)
        .with_message(message)
        .with_labels(labels)
        .with_notes(d.hints.iter().map(|h| format!("help: {h}")).collect())
}

/// Keeps a span inside its file and on character boundaries, so rendering cannot fail.
fn clamp(sources: &Sources, p: &Place) -> Range<usize> {
    let text = sources.text(p.file);
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    fix(p.span.start)..fix(p.span.end.max(p.span.start))
}

/// Writes diagnostics as a compiler would, with colour if the writer supports it.
pub fn render(
    out: &mut dyn WriteColor,
    sources: &Sources,
    diagnostics: &[Diagnostic],
) -> io::Result<()> {
    let config = render_config();
    for d in diagnostics {
        term::emit_to_write_style(out, &config, &sources.files, &to_codespan(d, sources)).map_err(
            |e| match e {
                codespan_reporting::files::Error::Io(e) => e,
                other => io::Error::other(other.to_string()),
            },
        )?;
    }
    Ok(())
}

/// Renders to a plain string (tests, snapshots).
pub fn render_to_string(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut buf = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    // Writing into memory cannot fail.
    let _ = render(&mut buf, sources, diagnostics);
    String::from_utf8_lossy(&buf.into_inner()).into_owned()
}

/// The machine-readable form of a diagnostic (`banks check --json`).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub hints: Vec<String>,
}

pub fn to_json(d: &Diagnostic, sources: &Sources) -> JsonDiagnostic {
    let at = d
        .primary
        .as_ref()
        .and_then(|p| sources.line_col(p.file, clamp(sources, p).start));
    JsonDiagnostic {
        severity: d.severity,
        code: d.code,
        message: d.message.clone(),
        file: sources.name(d.file),
        line: at.map(|a| a.line),
        column: at.map(|a| a.column),
        hints: d.hints.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_column_and_marker() {
        let mut sources = Sources::new();
        let f = sources.add("b.ron", "(\n  area: \"hematolgy\",\n)\n");
        let d = Diagnostic::error("unknown-area", f, "unknown area \"hematolgy\"")
            .at(10..21, "not a content area")
            .hint("did you mean \"hematology\"?");
        let out = render_to_string(&sources, &[d]);
        assert!(
            out.contains("error[unknown-area]: unknown area \"hematolgy\""),
            "{out}"
        );
        assert!(out.contains("--> b.ron:2:9"), "{out}");
        assert!(out.contains("^^^^^^^^^^^ not a content area"), "{out}");
        assert!(
            out.contains("= help: did you mean \"hematology\"?"),
            "{out}"
        );
    }

    #[test]
    fn file_level_problems_name_the_file() {
        let mut sources = Sources::new();
        let f = sources.add("x.ron", "");
        let out = render_to_string(&sources, &[Diagnostic::error("binary-file", f, "not text")]);
        assert!(out.contains("error[binary-file]: x.ron: not text"), "{out}");
    }

    #[test]
    fn spans_past_the_end_do_not_break_rendering() {
        let mut sources = Sources::new();
        let f = sources.add("x.ron", "é");
        let d = Diagnostic::error("x", f, "m").at(1..99, "here");
        let out = render_to_string(&sources, &[d]);
        assert!(out.contains("x.ron:1:1"), "{out}");
    }
}
