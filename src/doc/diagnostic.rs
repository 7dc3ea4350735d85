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

fn to_codespan(d: &Diagnostic, sources: &Sources) -> (CsDiagnostic<FileId>, Excerpts) {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let places: Vec<(LabelStyle, &Place)> = d
        .primary
        .iter()
        .map(|p| (LabelStyle::Primary, p))
        .chain(d.secondary.iter().map(|p| (LabelStyle::Secondary, p)))
        .collect();
    let spans: Vec<(FileId, Range<usize>)> = places
        .iter()
        .map(|(_, p)| (p.file, one_line(sources, p.file, clamp(sources, p))))
        .collect();
    let excerpts = Excerpts::new(sources, &spans);
    let labels = places
        .iter()
        .zip(&spans)
        .map(|((style, p), (file, span))| {
            Label::new(*style, *file, excerpts.map(*file, span.clone()))
                .with_message(clean(&p.label))
        })
        .collect();
    let mut message = clean(&d.message).into_owned();
    if d.primary.is_none() {
        // No text to point into: name the file in the message itself.
        message = format!("{}: {}", clean(&sources.name(d.file)), message);
    }
    let diagnostic = CsDiagnostic::new(severity)
        .with_code(d.code)
        .with_message(message)
        .with_labels(labels)
        .with_notes(
            d.hints
                .iter()
                .map(|h| format!("help: {}", clean(h)))
                .collect(),
        );
    (diagnostic, excerpts)
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

/// Cuts a span to the line it starts on: a diagnostic shows one line per place.
fn one_line(sources: &Sources, file: FileId, span: Range<usize>) -> Range<usize> {
    let text = sources.text(file);
    let line_end = text[span.start..]
        .find('\n')
        .map_or(text.len(), |i| span.start + i);
    span.start..span.end.min(line_end).max(span.start)
}

/// Text from a bank or an import, safe for a terminal: control characters other than
/// newline and tab (escape sequences that could clear the screen, write the clipboard
/// or hide text) and bidirectional overrides become U+FFFD.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if !may_be_unsafe(text) || !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| if unsafe_char(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// A quick byte test: `false` means `text` surely holds no [`unsafe_char`] (every
/// control character, C1 control and bidirectional override starts with one of these
/// bytes), so the character scan can be skipped.
pub fn may_be_unsafe(text: &str) -> bool {
    text.bytes()
        .any(|b| b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xE2)
}

/// Whether `c` must not reach a terminal as it is.
pub fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The longest source line shown whole, in bytes; longer lines are cut to a window
/// around what the diagnostic points at.
const MAX_SHOWN_LINE: usize = 200;
/// Bytes shown on each side of the marked text in a cut line.
const WINDOW_MARGIN: usize = 60;
/// The most bytes shown of a cut line.
const MAX_WINDOW: usize = 240;

/// The lines of the files one diagnostic points into, each cut to a window when it is
/// long and cleaned of control characters: what the diagnostic shows, so its cost is
/// that of the lines shown, never of the whole file, and no byte of a bank reaches the
/// terminal unfiltered. Line and column numbers stay those of the real file.
struct Excerpts {
    files: Vec<(FileId, Excerpt)>,
}

struct Excerpt {
    name: String,
    text: String,
    /// Shown lines, in order of their index in the real file.
    lines: Vec<ExcerptLine>,
    original: String,
}

struct ExcerptLine {
    /// The line's index in the real file.
    index: usize,
    /// Where the line is in `Excerpt::text`.
    range: Range<usize>,
    /// The real byte offsets of the line's start and of the first byte shown.
    line_start: usize,
    shown_start: usize,
    shown_end: usize,
    /// Bytes of the "…" marking a cut start.
    prefix: usize,
}

const ELLIPSIS: &str = "\u{2026}";

impl Excerpts {
    fn new(sources: &Sources, spans: &[(FileId, Range<usize>)]) -> Excerpts {
        let mut files: Vec<(FileId, Excerpt)> = Vec::new();
        let mut by_file: Vec<(FileId, Vec<Range<usize>>)> = Vec::new();
        for (file, span) in spans {
            match by_file.iter_mut().find(|(f, _)| f == file) {
                Some((_, v)) => v.push(span.clone()),
                None => by_file.push((*file, vec![span.clone()])),
            }
        }
        for (file, spans) in by_file {
            let text = sources.text(file);
            let line_of = |byte: usize| sources.files.line_index(file, byte).unwrap_or(0);
            let range_of = |index: usize| {
                sources.files.line_range(file, index).ok().map(|r| {
                    r.start..text[r.clone()].trim_end_matches(['\n', '\r']).len() + r.start
                })
            };
            // Lines with places, and their neighbours (shown when one line separates
            // two places).
            let mut wanted: std::collections::BTreeMap<usize, Vec<Range<usize>>> =
                std::collections::BTreeMap::new();
            for span in &spans {
                let index = line_of(span.start);
                wanted.entry(index).or_default().push(span.clone());
                if index > 0 {
                    wanted.entry(index - 1).or_default();
                }
                wanted.entry(index + 1).or_default();
            }
            let mut excerpt = Excerpt {
                name: clean(&sources.name(file)).into_owned(),
                text: String::new(),
                lines: Vec::new(),
                original: String::new(),
            };
            for (index, marks) in wanted {
                let Some(line) = range_of(index) else {
                    continue;
                };
                let (start, end) = window(text, line.clone(), &marks);
                let from = excerpt.text.len();
                let prefix = if start > line.start {
                    excerpt.text.push_str(ELLIPSIS);
                    ELLIPSIS.len()
                } else {
                    0
                };
                // Same byte length as the original, so offsets map one to one.
                for c in text[start..end].chars() {
                    if unsafe_char(c) {
                        excerpt.text.extend(std::iter::repeat_n('?', c.len_utf8()));
                    } else {
                        excerpt.text.push(c);
                    }
                }
                if end < line.end {
                    excerpt.text.push_str(ELLIPSIS);
                }
                let to = excerpt.text.len();
                excerpt.text.push('\n');
                excerpt.lines.push(ExcerptLine {
                    index,
                    range: from..to,
                    line_start: line.start,
                    shown_start: start,
                    shown_end: end,
                    prefix,
                });
            }
            excerpt.original = text[..excerpt.lines.last().map_or(0, |l| l.shown_end)].to_string();
            files.push((file, excerpt));
        }
        Excerpts { files }
    }

    fn get(&self, file: FileId) -> Result<&Excerpt, codespan_reporting::files::Error> {
        self.files
            .iter()
            .find(|(f, _)| *f == file)
            .map(|(_, e)| e)
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    /// Where a real span is in the excerpt's text.
    fn map(&self, file: FileId, span: Range<usize>) -> Range<usize> {
        let Ok(e) = self.get(file) else {
            return 0..0;
        };
        let Some(line) = e.lines.iter().rev().find(|l| l.line_start <= span.start) else {
            return 0..0;
        };
        let at = |byte: usize| {
            let byte = byte.clamp(line.shown_start, line.shown_end);
            line.range.start + line.prefix + (byte - line.shown_start)
        };
        at(span.start)..at(span.end)
    }
}

/// The part of a line shown: all of it when it is short, else a window around the
/// marked spans, on character boundaries.
fn window(text: &str, line: Range<usize>, marks: &[Range<usize>]) -> (usize, usize) {
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let ceil = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    if line.len() <= MAX_SHOWN_LINE {
        return (line.start, line.end);
    }
    let (from, to) = match (
        marks.iter().map(|m| m.start).min(),
        marks.iter().map(|m| m.end).max(),
    ) {
        (Some(from), Some(to)) => (from, to.max(from + 1)),
        _ => (line.start, line.start),
    };
    let start = floor(from.saturating_sub(WINDOW_MARGIN).max(line.start));
    let end = ceil(
        (to + WINDOW_MARGIN)
            .min(line.end)
            .min(start + MAX_WINDOW)
            .max(start),
    );
    (start, end.min(line.end))
}

impl<'a> Files<'a> for Excerpts {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.get(id)?.name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.get(id)?.text)
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let e = self.get(id)?;
        Ok(e.lines
            .iter()
            .rev()
            .find(|l| l.range.start <= byte)
            .or(e.lines.first())
            .map_or(0, |l| l.index))
    }

    fn column_number(
        &'a self,
        id: FileId,
        line_index: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let e = self.get(id)?;
        let Some(line) = e.lines.iter().find(|l| l.index == line_index) else {
            return Ok(1);
        };
        let shown = byte.saturating_sub(line.range.start + line.prefix);
        let real = (line.shown_start + shown).min(line.shown_end);
        Ok(e.original[line.line_start..real].chars().count() + 1)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let e = self.get(id)?;
        e.lines
            .iter()
            .find(|l| l.index == line_index)
            .map(|l| l.range.clone())
            .ok_or(codespan_reporting::files::Error::LineTooLarge {
                given: line_index,
                max: e.lines.last().map_or(0, |l| l.index),
            })
    }
}

/// Writes diagnostics as a compiler would, with colour if the writer supports it.
pub fn render(
    out: &mut dyn WriteColor,
    sources: &Sources,
    diagnostics: &[Diagnostic],
) -> io::Result<()> {
    let config = render_config();
    for d in diagnostics {
        let (diagnostic, excerpts) = to_codespan(d, sources);
        term::emit_to_write_style(out, &config, &excerpts, &diagnostic).map_err(|e| match e {
            codespan_reporting::files::Error::Io(e) => e,
            other => io::Error::other(other.to_string()),
        })?;
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
