//! A candidate's answer to an item: reading what they typed, and marking it.

use std::fmt;

use crate::bank::Answer;
use crate::bank::decode::letter_for;

/// What the candidate answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// One choice, 0-based.
    Choice(usize),
    /// Several choices, 0-based, sorted, distinct.
    Choices(Vec<usize>),
    Number(f64),
}

impl fmt::Display for Response {
    /// The form a candidate types and the store keeps: `B`, `A,C`, `12.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Response::Choice(i) => write!(f, "{}", letter_for(*i)),
            Response::Choices(v) => {
                let letters: Vec<String> = v.iter().map(|i| letter_for(*i).to_string()).collect();
                f.write_str(&letters.join(","))
            }
            Response::Number(x) => write!(f, "{x}"),
        }
    }
}

/// Reads letters: "B", "b", "b)", "A,C", "a c", "AC".
fn letters(text: &str) -> Option<Vec<usize>> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ')' | '.' | ','))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let mut out = Vec::new();
    for token in cleaned.split(' ').filter(|t| !t.is_empty()) {
        for c in token.chars() {
            if !c.is_ascii_alphabetic() {
                return None;
            }
            out.push((c.to_ascii_uppercase() as u8 - b'A') as usize);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Reads what a candidate typed for `answer`'s kind, or says why it does not fit.
pub fn parse(text: &str, answer: &Answer) -> Result<Response, String> {
    let text = text.trim();
    let last = |n: usize| letter_for(n.saturating_sub(1));
    match answer {
        Answer::SingleBest { choices, .. } => {
            let n = choices.len();
            match letters(text).as_deref() {
                Some([i]) if *i < n => Ok(Response::Choice(*i)),
                Some([_]) => Err(format!(
                    "there is no choice {text}: answer A to {}",
                    last(n)
                )),
                Some(_) => Err(format!("one letter only, A to {}", last(n))),
                None => Err(format!("answer with a letter, A to {}", last(n))),
            }
        }
        Answer::SelectAll { choices, .. } => {
            let n = choices.len();
            match letters(text) {
                Some(mut v) => {
                    if let Some(bad) = v.iter().find(|i| **i >= n) {
                        return Err(format!(
                            "there is no choice {}: letters A to {}",
                            letter_for(*bad),
                            last(n)
                        ));
                    }
                    v.sort_unstable();
                    v.dedup();
                    Ok(Response::Choices(v))
                }
                None => Err(format!(
                    "answer with every letter that applies, e.g. A,C (A to {})",
                    last(n)
                )),
            }
        }
        Answer::Numeric { unit, .. } => {
            // Accept a trailing unit ("90 fL") and a leading '='.
            let mut t = text.trim_start_matches('=').trim();
            if !unit.is_empty()
                && t.len() > unit.len()
                && t[t.len() - unit.len()..].eq_ignore_ascii_case(unit)
            {
                t = t[..t.len() - unit.len()].trim();
            }
            match t.replace('_', "").parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Response::Number(x)),
                _ => Err(if unit.is_empty() {
                    "answer with a number, e.g. 12.5".to_string()
                } else {
                    format!("answer with a number in {unit}, e.g. 12.5")
                }),
            }
        }
    }
}

/// Reads a stored response back (the `Display` form), whatever the item's kind now is.
pub fn from_stored(text: &str) -> Option<Response> {
    if let Ok(x) = text.parse::<f64>() {
        return Some(Response::Number(x));
    }
    let v = letters(text)?;
    Some(if text.contains(',') || v.len() > 1 {
        Response::Choices(v)
    } else {
        Response::Choice(v[0])
    })
}

/// Whether `response` is right for `answer`.
pub fn is_correct(answer: &Answer, response: &Response) -> bool {
    match (answer, response) {
        (Answer::SingleBest { key, .. }, Response::Choice(i)) => key == i,
        (Answer::SelectAll { keys, .. }, Response::Choices(v)) => keys == v,
        (Answer::SelectAll { keys, .. }, Response::Choice(i)) => keys.as_slice() == [*i],
        (
            Answer::Numeric {
                value, tolerance, ..
            },
            Response::Number(x),
        ) => {
            // A hair of slack so that 0.1 + 0.2 style rounding never marks a right answer wrong.
            (x - value).abs() <= tolerance + 1e-9 * value.abs().max(1.0)
        }
        _ => false,
    }
}

/// The key as a candidate would write it.
pub fn key_text(answer: &Answer) -> String {
    match answer {
        Answer::SingleBest { key, .. } => letter_for(*key).to_string(),
        Answer::SelectAll { keys, .. } => Response::Choices(keys.clone()).to_string(),
        Answer::Numeric {
            value,
            tolerance,
            unit,
        } => {
            let unit = if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            };
            if *tolerance > 0.0 {
                format!(
                    "{value}{unit} (accepted: {} to {})",
                    value - tolerance,
                    value + tolerance
                )
            } else {
                format!("{value}{unit}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single() -> Answer {
        Answer::SingleBest {
            choices: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            key: 1,
        }
    }

    #[test]
    fn letters_are_read_leniently() {
        for text in ["B", "b", " b) ", "b."] {
            assert_eq!(parse(text, &single()), Ok(Response::Choice(1)), "{text}");
        }
        assert!(parse("E", &single()).unwrap_err().contains("no choice E"));
        assert!(parse("12", &single()).unwrap_err().contains("letter"));
        assert!(parse("AB", &single()).unwrap_err().contains("one letter"));
    }

    #[test]
    fn select_all_takes_any_separator() {
        let a = Answer::SelectAll {
            choices: (0..5).map(|i| i.to_string()).collect(),
            keys: vec![0, 2],
        };
        for text in ["A,C", "c, a", "AC", "a c", "A,C,A"] {
            let r = parse(text, &a).unwrap();
            assert_eq!(r, Response::Choices(vec![0, 2]), "{text}");
            assert!(is_correct(&a, &r));
        }
        assert!(!is_correct(&a, &parse("A", &a).unwrap()));
        assert!(!is_correct(&a, &parse("A,B,C", &a).unwrap()));
        assert!(parse("A,F", &a).unwrap_err().contains("no choice F"));
    }

    #[test]
    fn numbers_accept_the_unit_and_the_tolerance() {
        let a = Answer::Numeric {
            value: 90.0,
            tolerance: 0.5,
            unit: "fL".into(),
        };
        assert_eq!(parse("90 fL", &a), Ok(Response::Number(90.0)));
        assert!(is_correct(&a, &Response::Number(90.5)));
        assert!(!is_correct(&a, &Response::Number(90.51)));
        assert!(parse("B", &a).unwrap_err().contains("number in fL"));
    }

    #[test]
    fn stored_responses_read_back() {
        for r in [
            Response::Choice(3),
            Response::Choices(vec![0, 2]),
            Response::Number(-1.25),
        ] {
            assert_eq!(from_stored(&r.to_string()), Some(r));
        }
    }
}
