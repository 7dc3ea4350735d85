//! Aiken, the one-best-answer text format, read into drafts.
//!
//! A question is its text (one line, or several), then options `A)` or `A.` one per
//! line in letter order (a missing space after the delimiter is tolerated, `A)Text`),
//! then `ANSWER: X`. Blank lines between questions are optional. Options are only
//! recognised in sequence (the first must be `A`, the next `B`, ...), so a stem line such
//! as "E. coli grows on ..." is not taken for an option. The first line of a question is
//! always its text.
//!
//! A question that cannot be read is skipped with its first line and the reason: too few
//! options, no ANSWER line before the next question or the end of the file, an ANSWER
//! letter that is not among the options, an ANSWER line with no question. Aiken has no
//! feedback, so every imported item needs an explanation; that is reported by `draft`.

use super::draft::{Draft, Parsed, SkipKind, Skipped, excerpt};
use crate::bank::decode::letter_for;
use crate::bank::model::Answer;

/// Reads an Aiken file.
pub fn parse(text: &str) -> Parsed {
    let mut reader = Reader::default();
    for (i, line) in text.lines().enumerate() {
        reader.line(i + 1, line.trim());
    }
    reader.end()
}

/// A question whose ANSWER line has not come yet.
struct Pending {
    line: usize,
    number: usize,
    stem: Vec<String>,
    options: Vec<String>,
}

impl Pending {
    fn stem(&self) -> String {
        self.stem.join("\n")
    }

    fn skip(&self, reason: impl Into<String>) -> Skipped {
        Skipped {
            column: None,
            line: self.line,
            kind: SkipKind::Malformed,
            question: excerpt(&self.stem()),
            reason: reason.into(),
        }
    }
}

#[derive(Default)]
struct Reader {
    parsed: Parsed,
    pending: Option<Pending>,
    questions: usize,
}

impl Reader {
    fn line(&mut self, number: usize, line: &str) {
        if line.is_empty() {
            return;
        }
        if let Some(value) = answer_value(line) {
            match self.pending.take() {
                Some(p) => self.answered(p, value),
                None => {
                    self.questions += 1;
                    self.parsed.skipped.push(Skipped {
                        column: None,
                        line: number,
                        kind: SkipKind::Malformed,
                        question: excerpt(line),
                        reason: "an ANSWER line with no question before it".to_string(),
                    });
                }
            }
            return;
        }
        let Some(p) = &mut self.pending else {
            self.start(number, line);
            return;
        };
        if let Some(text) = option_text(line, p.options.len()) {
            p.options.push(text);
        } else if p.options.is_empty() {
            p.stem.push(tidy(line));
        } else if let Some(p) = self.pending.take() {
            self.parsed.skipped.push(p.skip(format!(
                "no ANSWER line after its options (line {number} starts the next question)"
            )));
            self.start(number, line);
        }
    }

    fn start(&mut self, number: usize, line: &str) {
        self.questions += 1;
        self.pending = Some(Pending {
            line: number,
            number: self.questions,
            stem: vec![tidy(line)],
            options: Vec::new(),
        });
    }

    fn answered(&mut self, p: Pending, value: &str) {
        match answer_key(&p, value) {
            Ok(key) => {
                let stem = p.stem();
                let answer = Answer::SingleBest {
                    choices: p.options,
                    key,
                };
                self.parsed
                    .drafts
                    .push(Draft::new(p.line, p.number, stem, answer));
            }
            Err(reason) => self.parsed.skipped.push(p.skip(reason)),
        }
    }

    fn end(mut self) -> Parsed {
        if let Some(p) = self.pending.take() {
            self.parsed
                .skipped
                .push(p.skip("unterminated: the file ends before the question's ANSWER line"));
        }
        self.parsed
    }
}

/// The value of an `ANSWER: X` line (any letter case, spaces allowed before `:`).
fn answer_value(line: &str) -> Option<&str> {
    let head = line.get(..6)?;
    if !head.eq_ignore_ascii_case("answer") {
        return None;
    }
    line[6..].trim_start().strip_prefix(':').map(str::trim)
}

/// The text of an option line for the option at `index` (`A)` or `A.` for index 0), if
/// the line is one.
fn option_text(line: &str, index: usize) -> Option<String> {
    if index >= 26 {
        return None;
    }
    let letter = letter_for(index);
    let mut chars = line.chars();
    let first = chars.next()?;
    let delimiter = chars.next()?;
    if !first.eq_ignore_ascii_case(&letter) || !matches!(delimiter, ')' | '.') {
        return None;
    }
    Some(tidy(chars.as_str()))
}

/// The 0-based key named by an ANSWER value, or why it names none.
fn answer_key(p: &Pending, value: &str) -> Result<usize, String> {
    let n = p.options.len();
    if n == 0 {
        let first = p.stem.first().map(String::as_str).unwrap_or("");
        return Err(if option_text(first, 0).is_some() {
            format!("the question text is missing: it starts with the option line \"{first}\"")
        } else {
            "no options (A) ..., B) ...) before the ANSWER line".to_string()
        });
    }
    if n < 2 {
        return Err("only 1 option; a question needs at least 2".to_string());
    }
    let letter = value.trim_end_matches([')', '.']).trim();
    let mut chars = letter.chars();
    let index = match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => {
            (c.to_ascii_uppercase() as u8 - b'A') as usize
        }
        _ if letter.chars().filter(char::is_ascii_alphabetic).count() > 1
            && letter
                .split([',', ';', ' '])
                .filter(|s| !s.is_empty())
                .count()
                > 1 =>
        {
            return Err(format!(
                "\"ANSWER: {value}\" names several letters; an Aiken question has one answer (use CSV for select-all items)"
            ));
        }
        _ => {
            return Err(format!(
                "\"ANSWER: {value}\" does not name an option letter"
            ));
        }
    };
    if index >= n {
        return Err(format!(
            "\"ANSWER: {value}\" is not among the options A-{}",
            letter_for(n - 1)
        ));
    }
    Ok(index)
}

fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_delimiters_and_no_space() {
        let parsed = parse(
            "Q one?\nA) a\nB) b\nANSWER: B\n\nQ two?\nA. a\nB. b\nC. c\nANSWER: c\nQ three\nA)x\nB)y\nANSWER: A",
        );
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        let keys: Vec<_> = parsed
            .drafts
            .iter()
            .map(|d| (d.line, d.answer.clone()))
            .collect();
        assert_eq!(keys.len(), 3);
        assert!(matches!(keys[0].1, Answer::SingleBest { key: 1, .. }));
        assert!(matches!(keys[1].1, Answer::SingleBest { key: 2, .. }));
        assert_eq!(keys[2].0, 11);
        assert_eq!(parsed.drafts[2].answer.choices(), ["x", "y"]);
    }

    #[test]
    fn a_stem_line_that_looks_like_an_option_stays_text() {
        let parsed = parse(
            "Which grows on MAC?\nE. coli grows pink. Why?\nA) lactose\nB) sucrose\nANSWER: A",
        );
        assert_eq!(parsed.drafts.len(), 1);
        assert_eq!(
            parsed.drafts[0].stem,
            "Which grows on MAC?\nE. coli grows pink. Why?"
        );
    }

    #[test]
    fn malformed_questions_are_reported_with_their_line() {
        let text = "Too few\nA) only\nANSWER: A\n\nA) Not started\n\nANSWER: Not started\n\nGood\nA) yes\nB) no\nANSWER: A\n\nUnfinished\nA) a\nB) b\n\nOut of range\nA) a\nB) b\nANSWER: D\n\nANSWER: B\n\nAt the end\nA) a";
        let parsed = parse(text);
        assert_eq!(parsed.drafts.len(), 1);
        let found: Vec<(usize, &str)> = parsed
            .skipped
            .iter()
            .map(|s| (s.line, s.reason.as_str()))
            .collect();
        let expected = [
            (1, "only 1 option"),
            (5, "the question text is missing"),
            (14, "no ANSWER line after its options (line 18"),
            (18, "is not among the options A-B"),
            (23, "an ANSWER line with no question"),
            (25, "unterminated"),
        ];
        assert_eq!(found.len(), expected.len(), "{found:?}");
        for ((line, reason), (want_line, words)) in found.iter().zip(expected) {
            assert_eq!(*line, want_line, "{reason}");
            assert!(reason.contains(words), "{reason:?} lacks {words:?}");
        }
    }

    #[test]
    fn several_answer_letters_are_refused() {
        let parsed = parse("Q\nA) a\nB) b\nC) c\nANSWER: A, C");
        assert!(parsed.skipped[0].reason.contains("several letters"));
    }
}
