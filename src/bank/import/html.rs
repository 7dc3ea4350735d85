//! HTML to readable text, for the `[html]` and `[moodle]` texts of GIFT files.
//!
//! Moodle exports question text, answers and feedback as HTML. A labcert item holds plain
//! text, so tags are dropped, line-breaking tags (`<br>`, `<p>`, `<div>`, `<li>`, ...)
//! become newlines, `<sup>` becomes `^` (so `10<sup>12</sup>/L` reads `10^12/L`), the
//! contents of `<script>` and `<style>` are dropped, and character references
//! (`&amp;`, `&nbsp;`, `&#39;`, `&#x3bc;`) are decoded. Images are listed by their
//! `src` ([`Html::images`]) so the importer can make one the item's `image`; what else
//! cannot be shown as text (audio, video, an `<img>` without a `src`) is reported through
//! [`Html::dropped_media`] so the importer can tell the instructor. This is a reader for the HTML that editors write, not a
//! full HTML parser: anything it does not understand is kept as text.

/// Text converted from HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Html {
    /// The readable text: lines trimmed, runs of white space collapsed, no empty lines.
    pub text: String,
    /// Whether audio, video, an embedded object or an image without a source was
    /// dropped.
    pub dropped_media: bool,
    /// The `src` of every `<img>`, in order, entities decoded.
    pub images: Vec<String>,
}

/// Tags after (or before) which the text continues on a new line.
const LINE_TAGS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
];
/// Tags whose content is kept apart from its neighbours by a space.
const CELL_TAGS: &[&str] = &["td", "th"];
/// Tags whose content is not text at all.
const HIDDEN_TAGS: &[&str] = &["script", "style", "head", "title"];
/// Tags that stand for something a text item cannot show.
const MEDIA_TAGS: &[&str] = &[
    "audio", "embed", "iframe", "img", "object", "picture", "svg", "video",
];

/// Converts HTML to readable text.
pub fn to_text(html: &str) -> Html {
    let mut out = String::with_capacity(html.len());
    let mut dropped_media = false;
    let mut images = Vec::new();
    let mut rest = html;
    // Character references (the whole HTML5 table) are decoded in the text between tags.
    while let Some(i) = rest.find('<') {
        out.push_str(&html_escape::decode_html_entities(&rest[..i]));
        rest = &rest[i..];
        match tag(rest) {
            Some(t) => {
                let source = &rest[..t.len];
                rest = &rest[t.len..];
                let name = t.name.as_str();
                if name == "img" && !t.closing {
                    match attribute(source, "src").filter(|s| !s.trim().is_empty()) {
                        Some(src) => images.push(src),
                        None => dropped_media = true,
                    }
                } else if MEDIA_TAGS.contains(&name) {
                    dropped_media = true;
                }
                if LINE_TAGS.contains(&name) {
                    out.push('\n');
                } else if CELL_TAGS.contains(&name) {
                    out.push(' ');
                } else if name == "sup" && !t.closing {
                    out.push('^');
                }
                if HIDDEN_TAGS.contains(&name) && !t.closing && !t.self_closing {
                    rest = skip_hidden(rest, name);
                }
            }
            None => {
                out.push('<');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(&html_escape::decode_html_entities(rest));
    Html {
        text: tidy(&out),
        dropped_media,
        images,
    }
}

/// The value of attribute `name` in a tag's text (`<img src="a.png" alt=x>`), quoted
/// or not, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let body = tag
        .strip_prefix('<')?
        .trim_end_matches('>')
        .trim_end_matches('/');
    // Skip the tag's own name.
    let mut rest = body.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return None;
        }
        let key_len = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        rest = rest[key_len..].trim_start();
        let value = match rest.strip_prefix('=') {
            Some(after) => {
                let after = after.trim_start();
                match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let inner = &after[1..];
                        let end = inner.find(q).unwrap_or(inner.len());
                        rest = inner.get(end + 1..).unwrap_or("");
                        &inner[..end]
                    }
                    _ => {
                        let end = after.find(char::is_whitespace).unwrap_or(after.len());
                        rest = &after[end..];
                        &after[..end]
                    }
                }
            }
            None => {
                if key.is_empty() {
                    // A stray character (`"`, `/`): step over it.
                    let mut chars = rest.chars();
                    chars.next();
                    rest = chars.as_str();
                }
                ""
            }
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(html_escape::decode_html_entities(value).into_owned());
        }
    }
}

/// A tag found at the start of the text.
struct Tag {
    /// Lower-case name; empty for comments and declarations.
    name: String,
    closing: bool,
    self_closing: bool,
    /// Bytes from `<` to `>` inclusive.
    len: usize,
}

/// Reads the tag at the start of `s` (which starts with `<`), if it is one: `<` must be
/// followed by a letter, `/` and a letter, or `!`, and closed by `>`.
fn tag(s: &str) -> Option<Tag> {
    let after = &s[1..];
    if let Some(comment) = after.strip_prefix("!--") {
        let window = floor_char_boundary(comment, MAX_COMMENT_BYTES);
        let end = comment[..window].find("-->")?;
        return Some(Tag {
            name: String::new(),
            closing: false,
            self_closing: true,
            len: 4 + end + 3,
        });
    }
    let (closing, body) = match after.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, after),
    };
    let first = body.chars().next()?;
    if !(first.is_ascii_alphabetic() || (first == '!' && !closing)) {
        return None;
    }
    let end = tag_end(s)?;
    let name: String = body
        .trim_start_matches('!')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    Some(Tag {
        name,
        closing,
        self_closing: s[..end].ends_with('/'),
        len: end + 1,
    })
}

/// The longest tag read, in bytes: a `<` with no `>` within this reach is text.
const MAX_TAG_BYTES: usize = 4096;
/// The longest comment read, in bytes: a `<!--` with no `-->` within this reach is text.
const MAX_COMMENT_BYTES: usize = 64 * 1024;

/// The largest char boundary of `s` at or below `max`.
fn floor_char_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    (0..=max)
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}

/// The index of the `>` closing the tag at the start of `s`, skipping quoted attribute
/// values (which may hold `>`).
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s
        .char_indices()
        .skip(1)
        .take_while(|(i, _)| *i < MAX_TAG_BYTES)
    {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            (None, '<') => return None,
            (None, _) => {}
        }
    }
    None
}

/// Skips past the closing tag of a hidden element (`</script>`), or to the end.
fn skip_hidden<'a>(s: &'a str, name: &str) -> &'a str {
    let mut rest = s;
    while let Some(i) = rest.find("</") {
        let after = &rest[i + 2..];
        let matches = after
            .get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name));
        rest = after;
        if matches {
            return match rest.find('>') {
                Some(j) => &rest[j + 1..],
                None => "",
            };
        }
    }
    ""
}

/// Trims every line, collapses runs of white space inside lines and drops empty lines:
/// an item's text is short, and a blank line in it reads as the end of the stem.
pub fn tidy(text: &str) -> String {
    text.split('\n')
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_dropped_and_breaks_become_newlines() {
        let table = [
            (
                "Match the <b>activity</b> to it.",
                "Match the activity to it.",
            ),
            ("<p>One</p><p>Two</p>", "One\nTwo"),
            ("a<br>b<br />c", "a\nb\nc"),
            (
                "<a href=\"http://x/y.mp3\">Listen:</a><br /><br />What?",
                "Listen:\nWhat?",
            ),
            ("RBC 5.0 x 10<sup>12</sup>/L", "RBC 5.0 x 10^12/L"),
            ("CO<sub>2</sub>", "CO2"),
            ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
            ("<!-- note -->kept", "kept"),
            ("<script>alert(1)</script>text", "text"),
            ("<span title=\"a > b\">x</span>", "x"),
            ("  many   \n  spaces  ", "many\nspaces"),
        ];
        for (html, text) in table {
            assert_eq!(to_text(html).text, text, "{html}");
        }
    }

    #[test]
    fn entities_are_decoded() {
        let table = [
            ("A &amp; B", "A & B"),
            ("&lt;5 mg/dL&gt;", "<5 mg/dL>"),
            ("it&#39;s", "it's"),
            ("it&#x27;s", "it's"),
            ("a&nbsp;b", "a b"),
            (
                "5 &micro;L, 37&deg;C, &plusmn;2",
                "5 \u{b5}L, 37\u{b0}C, \u{b1}2",
            ),
            ("&beta;-hCG", "\u{3b2}-hCG"),
            ("AT&T &unknown; & done", "AT&T &unknown; & done"),
            ("&#0; &#xZZ; &#99999999999;", "&#0; &#xZZ; &#99999999999;"),
        ];
        for (html, text) in table {
            assert_eq!(to_text(html).text, text, "{html}");
        }
    }

    #[test]
    fn what_is_not_a_tag_stays_text() {
        let table = [
            ("glucose <5 mg/dL", "glucose <5 mg/dL"),
            ("a < b and c > d", "a < b and c > d"),
            ("unclosed <b", "unclosed <b"),
            ("<", "<"),
            ("&", "&"),
            ("<!--", "<!--"),
        ];
        for (html, text) in table {
            assert_eq!(to_text(html).text, text, "{html}");
        }
    }

    #[test]
    fn media_is_reported_and_images_listed() {
        let h = to_text("Identify the cell: <img src=\"smear.png\" alt=\"smear\">");
        assert_eq!(h.text, "Identify the cell:");
        assert_eq!(h.images, ["smear.png"]);
        assert!(!h.dropped_media);
        assert!(!to_text("<p>no media</p>").dropped_media);
        assert!(to_text("<video src=\"a.mp4\"></video>").dropped_media);
        assert!(to_text("<img alt=\"no source\">").dropped_media);
    }

    #[test]
    fn image_sources_in_every_spelling() {
        let table = [
            (
                "<img src=\"@@PLUGINFILE@@/smear.png\">",
                "@@PLUGINFILE@@/smear.png",
            ),
            ("<IMG SRC='a b.png' width=300>", "a b.png"),
            ("<img alt=\"x > y\" src=plain.png/>", "plain.png"),
            (
                "<img class=img-fluid src = \"x.png?time=1\" />",
                "x.png?time=1",
            ),
            ("<img data-src=\"no.png\" src=\"yes.png\">", "yes.png"),
            ("<img src=\"a&amp;b.png\">", "a&b.png"),
        ];
        for (html, src) in table {
            assert_eq!(to_text(html).images, [src], "{html}");
        }
    }

    #[test]
    fn tidy_drops_empty_lines() {
        assert_eq!(tidy("\n\n a \n\n\n\n b \n"), "a\nb");
        assert_eq!(tidy("a\nb"), "a\nb");
        assert_eq!(tidy("   "), "");
    }
}
