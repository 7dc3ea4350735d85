//! The one CSV record reader: RFC 4180, strict, with positions.
//!
//! Both CSV readers (question import, `bank::import::csv`; class answers,
//! `instructor::responses`) split records here. The `csv` crate was considered and left
//! out on purpose: it accepts `"bad"tail` and an unclosed quote silently, and a
//! silently misread row is the worst outcome for an instructor's file. Here every
//! broken record is reported with its line and column, and reading goes on at the next
//! line:
//!
//! - fields are separated by one ASCII delimiter (`,`, `;` or a tab); a record ends at
//!   `\n` or `\r\n` outside quotes;
//! - a field that starts with `"` is quoted: `""` inside is one quote and line breaks
//!   are kept; after the closing quote only a delimiter or a line end may follow;
//! - a quote inside an unquoted field, text after a closing quote, or a quote never
//!   closed makes the record a [`Problem`].

/// One record: its fields, where each starts, and what is wrong with its quoting.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The line the record starts on (1-based).
    pub line: usize,
    pub fields: Vec<String>,
    /// Where each field starts: (line, column), 1-based, columns in characters.
    pub starts: Vec<(usize, usize)>,
    /// Why the record is broken; its fields are then incomplete.
    pub problem: Option<Problem>,
}

impl Record {
    /// Whether the record holds nothing but blanks (a blank line).
    pub fn is_blank(&self) -> bool {
        self.problem.is_none() && self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// What is wrong with a record's quoting, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The records of a text, one by one.
pub struct Records<'a> {
    text: &'a str,
    delimiter: u8,
    pos: usize,
    line: usize,
    /// Byte offset where the current line starts (for columns).
    line_start: usize,
}

impl<'a> Records<'a> {
    /// Records of `text` separated by `delimiter`, which must be ASCII (`,`, `;`, tab).
    pub fn new(text: &'a str, delimiter: char) -> Self {
        debug_assert!(delimiter.is_ascii() && delimiter != '"');
        Records {
            text,
            delimiter: delimiter as u8,
            pos: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// The 1-based character column of byte offset `at` on the current line.
    fn column(&self, at: usize) -> usize {
        self.text[self.line_start..at].chars().count() + 1
    }

    fn newline_at(&mut self, at: usize) {
        self.line += 1;
        self.line_start = at + 1;
    }

    /// Consumes a line end (`\n` or `\r\n`) if one is here.
    fn line_end(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        match (bytes.get(self.pos), bytes.get(self.pos + 1)) {
            (Some(b'\n'), _) => {
                self.newline_at(self.pos);
                self.pos += 1;
                true
            }
            (Some(b'\r'), Some(b'\n')) => {
                self.newline_at(self.pos + 1);
                self.pos += 2;
                true
            }
            _ => false,
        }
    }

    /// Skips to the start of the next line after a broken record.
    fn skip_line(&mut self) {
        match self.text[self.pos..].find('\n') {
            Some(i) => {
                self.newline_at(self.pos + i);
                self.pos += i + 1;
            }
            None => self.pos = self.text.len(),
        }
    }

    fn problem(&self, at: usize, message: String) -> Problem {
        Problem {
            line: self.line,
            column: self.column(at),
            message,
        }
    }

    fn record(&mut self) -> Record {
        let mut record = Record {
            line: self.line,
            fields: Vec::new(),
            starts: Vec::new(),
            problem: None,
        };
        loop {
            let number = record.fields.len() + 1;
            record.starts.push((self.line, self.column(self.pos)));
            let field = if self.peek() == Some(b'"') {
                self.quoted(number)
            } else {
                self.unquoted(number)
            };
            match field {
                Ok(field) => record.fields.push(field),
                Err(problem) => {
                    record.problem = Some(problem);
                    return record;
                }
            }
            match self.peek() {
                Some(b) if b == self.delimiter => self.pos += 1,
                // `quoted` and `unquoted` stop only at the delimiter, a line end or
                // the end of the text.
                _ => {
                    self.line_end();
                    return record;
                }
            }
        }
    }

    fn unquoted(&mut self, number: usize) -> Result<String, Problem> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            match b {
                b'\n' => break,
                b'\r' if bytes.get(self.pos + 1) == Some(&b'\n') => break,
                b'"' => {
                    let problem = self.problem(
                        self.pos,
                        format!(
                            "field {number} has a quote (\") but does not start with one; quote the whole field and double the quotes inside (\"\")"
                        ),
                    );
                    self.skip_line();
                    return Err(problem);
                }
                b if b == self.delimiter => break,
                _ => self.pos += 1,
            }
        }
        Ok(self.text[start..self.pos].to_string())
    }

    fn quoted(&mut self, number: usize) -> Result<String, Problem> {
        let opened = self.problem(
            self.pos,
            format!(
                "field {number} opens a quote (\") on line {} that is never closed; the rest of the file was read into it",
                self.line
            ),
        );
        self.pos += 1;
        let mut value = String::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(i) = rest.find(['"', '\n']) else {
                self.pos = self.text.len();
                return Err(opened);
            };
            value.push_str(&rest[..i]);
            let at = self.pos + i;
            self.pos = at + 1;
            if rest.as_bytes()[i] == b'\n' {
                value.push('\n');
                self.newline_at(at);
                continue;
            }
            if self.peek() == Some(b'"') {
                value.push('"');
                self.pos += 1;
                continue;
            }
            break;
        }
        let bytes = self.text.as_bytes();
        match self.peek() {
            None | Some(b'\n') => Ok(value),
            Some(b) if b == self.delimiter => Ok(value),
            Some(b'\r') if bytes.get(self.pos + 1) == Some(&b'\n') => Ok(value),
            Some(_) => {
                let problem = self.problem(
                    self.pos,
                    format!(
                        "field {number} has text after its closing quote; a quote inside a quoted field is written \"\""
                    ),
                );
                self.skip_line();
                Err(problem)
            }
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        (self.pos < self.text.len()).then(|| self.record())
    }
}

/// The delimiter the first line uses most outside quotes: `,` unless `;` or a tab is
/// more frequent.
pub fn detect_delimiter(text: &str) -> char {
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0)];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            _ if !quoted => {
                for (d, n) in &mut counts {
                    if *d == c {
                        *n += 1;
                    }
                }
            }
            _ => {}
        }
    }
    counts
        .into_iter()
        .fold(
            (',', 0),
            |best, (d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<Record> {
        Records::new(text, ',').collect()
    }

    fn fields(text: &str) -> Vec<Vec<String>> {
        records(text).into_iter().map(|r| r.fields).collect()
    }

    #[test]
    fn rfc_4180_quoting() {
        assert_eq!(
            fields("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\n"),
            vec![vec!["a", "b,c", "say \"hi\""], vec!["two\nlines", "", "x"]]
        );
        assert_eq!(fields("a,b"), vec![vec!["a", "b"]]);
        assert_eq!(fields("a\r\nb\n"), vec![vec!["a"], vec!["b"]]);
        // A lone carriage return is text, not a line end.
        assert_eq!(fields("a\rb\n"), vec![vec!["a\rb"]]);
    }

    #[test]
    fn other_delimiters() {
        let got: Vec<Vec<String>> = Records::new("a;\"b;c\";d,e\n", ';')
            .map(|r| r.fields)
            .collect();
        assert_eq!(got, vec![vec!["a", "b;c", "d,e"]]);
        assert_eq!(detect_delimiter("id;stem;A,B\n"), ';');
        assert_eq!(detect_delimiter("id\tstem\tA\n"), '\t');
        assert_eq!(detect_delimiter("id,\"a;b;c\",x\n"), ',');
        assert_eq!(detect_delimiter(""), ',');
    }

    #[test]
    fn lines_and_columns_count_quoted_line_breaks_and_characters() {
        let r = records("h\n\"a\nb\",é,c\nd\n");
        assert_eq!(r[1].line, 2);
        assert_eq!(r[1].starts, vec![(2, 1), (3, 4), (3, 6)]);
        assert_eq!(r[2].line, 4);
    }

    #[test]
    fn broken_quoting_is_located_and_reading_goes_on_at_the_next_line() {
        let r = records("a,b\"c\nd,\"e\"f,g\nh,i\n\"never closed\nj\n");
        let p = r[0].problem.as_ref().unwrap();
        assert_eq!((p.line, p.column), (1, 4));
        assert!(p.message.contains("field 2 has a quote"), "{}", p.message);
        let p = r[1].problem.as_ref().unwrap();
        assert_eq!((p.line, p.column), (2, 6));
        assert!(
            p.message
                .contains("field 2 has text after its closing quote")
        );
        assert_eq!(r[2].fields, vec!["h", "i"]);
        assert!(r[2].problem.is_none());
        let p = r[3].problem.as_ref().unwrap();
        assert_eq!((p.line, p.column), (4, 1));
        assert!(p.message.contains("never closed"), "{}", p.message);
        assert_eq!(r.len(), 4, "an unclosed quote reads to the end");
    }

    #[test]
    fn blank_lines_are_blank_records() {
        let r = records("a\n\n  \nb\n");
        assert_eq!(r.iter().filter(|r| r.is_blank()).count(), 2);
    }
}
