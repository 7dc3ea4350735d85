//! A candidate's answer to an item: reading what they typed, and marking it.

use std::fmt;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::bank::decode::letter_for;
use crate::bank::{Answer, Item};

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

/// What a candidate typed, in the plain forms the parsers read: full-width letters and
/// digits become ASCII (`Ａ`, `９０`), every kind of space (no-break, thin, ideographic)
/// a plain space, and the Unicode minus and dashes (`−`, `–`, `—`) a hyphen-minus.
/// Control characters are dropped.
pub fn normalize_typed(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' => Some('-'),
            c if c.is_whitespace() => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
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

/// A unit as compared: no spaces, lower case, micro sign and Greek mu as `u`.
fn unit_key(unit: &str) -> String {
    unit.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .map(|c| if matches!(c, 'µ' | 'μ') { 'u' } else { c })
        .collect()
}

/// Reads a typed number: `90`, `-3`, `=12.5`, `1e-3`, `1_000`, `7,500` (grouped
/// thousands), `3,5` (a decimal comma), followed by nothing or by the item's unit
/// (`90 fL`, `37 °C`). Works on characters, so no input can split a character.
fn number_answer(text: &str, unit: &str) -> Option<f64> {
    let t = text.trim().trim_start_matches('=').trim_start();
    let mut end = 0;
    let mut seen_digit = false;
    let mut chars = t.char_indices().peekable();
    if let Some(&(_, '-' | '+')) = chars.peek() {
        chars.next();
        end = 1;
    }
    while let Some(&(i, c)) = chars.peek() {
        match c {
            '0'..='9' => seen_digit = true,
            '.' | ',' | '_' => {}
            'e' | 'E' if seen_digit => {
                // An exponent only when digits follow (`90 eV` keeps its unit).
                let rest = &t[i + 1..];
                let digits = rest.strip_prefix(['-', '+']).unwrap_or(rest);
                if !digits.starts_with(|d: char| d.is_ascii_digit()) {
                    break;
                }
                let sign = rest.len() - digits.len();
                let run = digits.chars().take_while(char::is_ascii_digit).count();
                end = i + 1 + sign + run;
                break;
            }
            _ => break,
        }
        chars.next();
        end = i + c.len_utf8();
    }
    if !seen_digit {
        return None;
    }
    let (number, rest) = t.split_at(end);
    let rest = rest.trim();
    if !rest.is_empty() && (unit.is_empty() || unit_key(rest) != unit_key(unit)) {
        return None;
    }
    let number = number.replace('_', "");
    let number = match number.matches(',').count() {
        0 => number,
        _ if grouped(&number) => number.replace(',', ""),
        1 if !number.contains('.') => number.replace(',', "."),
        _ => return None,
    };
    number.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// `7,500` or `-1,234,567.5`: thousands in groups of three after a first group of one to
/// three digits (not starting with 0).
fn grouped(number: &str) -> bool {
    let digits = number.trim_start_matches(['-', '+']);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && !first.starts_with('0')
        && first.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads what a candidate typed for `answer`'s kind, or says why it does not fit.
pub fn parse(text: &str, answer: &Answer) -> Result<Response, String> {
    let normalized = normalize_typed(text);
    let text = normalized.trim();
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
        Answer::Numeric { unit, .. } => match number_answer(text, unit) {
            Some(x) => Ok(Response::Number(x)),
            None => Err(if unit.is_empty() {
                "answer with a number, e.g. 12.5".to_string()
            } else {
                format!("answer with a number in {unit}, e.g. 12.5")
            }),
        },
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
    answer.key_text()
}

/// The order an item's choices are shown in, drawn from `seed`: `order[i]` is the
/// item's own choice shown as letter `i`. An item with `shuffle: false` (where the
/// order matters) and a numeric item keep their order. Shuffling stops "always A" from
/// winning on banks imported with the key first, as Moodle exports often are.
pub fn shown_order(item: &Item, seed: u64) -> Vec<usize> {
    let n = item.answer.choices().len();
    let mut order: Vec<usize> = (0..n).collect();
    if item.shuffle && n > 1 {
        order.shuffle(&mut StdRng::seed_from_u64(seed));
    }
    order
}

/// A response typed against the shown letters, in the item's own letters (the form the
/// store, exports and item analysis use).
pub fn from_shown(r: Response, order: &[usize]) -> Response {
    let own = |i: usize| order.get(i).copied().unwrap_or(i);
    match r {
        Response::Choice(i) => Response::Choice(own(i)),
        Response::Choices(v) => {
            let mut v: Vec<usize> = v.into_iter().map(own).collect();
            v.sort_unstable();
            Response::Choices(v)
        }
        number => number,
    }
}

/// A response in the item's own letters, in the letters the candidate saw.
pub fn to_shown(r: &Response, order: &[usize]) -> Response {
    let shown = |i: usize| order.iter().position(|&o| o == i).unwrap_or(i);
    match r {
        Response::Choice(i) => Response::Choice(shown(*i)),
        Response::Choices(v) => {
            let mut v: Vec<usize> = v.iter().map(|&i| shown(i)).collect();
            v.sort_unstable();
            Response::Choices(v)
        }
        number => number.clone(),
    }
}

/// The key in the letters the candidate saw.
pub fn shown_key(answer: &Answer, order: &[usize]) -> String {
    match answer {
        Answer::SingleBest { key, .. } => to_shown(&Response::Choice(*key), order).to_string(),
        Answer::SelectAll { keys, .. } => {
            to_shown(&Response::Choices(keys.clone()), order).to_string()
        }
        Answer::Numeric { .. } => key_text(answer),
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
    fn typed_numbers_in_the_forms_candidates_type() {
        let a = |unit: &str| Answer::Numeric {
            value: 0.0,
            tolerance: 0.0,
            unit: unit.into(),
        };
        let cases: &[(&str, &str, f64)] = &[
            ("９０", "fL", 90.0),
            ("−3", "", -3.0),
            ("–3", "", -3.0),
            ("—3", "", -3.0),
            ("37 °C", "°C", 37.0),
            ("37°C", "°C", 37.0),
            ("3\u{A0}g", "g", 3.0),
            ("3\u{202F}g", "g", 3.0),
            ("7,500", "/µL", 7500.0),
            ("7,500 /uL", "/µL", 7500.0),
            ("3,5", "", 3.5),
            ("1e-3", "", 0.001),
            ("=12.5", "", 12.5),
            ("1_000", "", 1000.0),
            (" 90 FL ", "fL", 90.0),
            ("7.5 x 10^9/L", "x10^9/L", 7.5),
        ];
        for (typed, unit, want) in cases {
            assert_eq!(
                parse(typed, &a(unit)),
                Ok(Response::Number(*want)),
                "{typed:?} in {unit:?}"
            );
        }
        for (typed, unit) in [
            ("½", ""),
            ("Ａ", "fL"),
            ("90 mL", "fL"),
            ("37 °C", ""),
            ("1,23,4", ""),
            ("e5", ""),
            ("-", ""),
            ("1e999", ""),
            ("", ""),
        ] {
            assert!(
                parse(typed, &a(unit)).is_err(),
                "{typed:?} in {unit:?} should be refused"
            );
        }
        assert_eq!(parse("Ｂ", &single()), Ok(Response::Choice(1)));
        assert_eq!(
            parse("\u{3000}ｂ\u{3000}", &single()),
            Ok(Response::Choice(1))
        );
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

    #[test]
    fn shown_letters_map_to_the_items_own_and_back() {
        let order = vec![2, 0, 3, 1]; // shown A is the item's C, shown B its A, ...
        assert_eq!(from_shown(Response::Choice(0), &order), Response::Choice(2));
        assert_eq!(
            from_shown(Response::Choices(vec![1, 3]), &order),
            Response::Choices(vec![0, 1])
        );
        for r in [
            Response::Choice(3),
            Response::Choices(vec![0, 2]),
            Response::Number(4.5),
        ] {
            assert_eq!(from_shown(to_shown(&r, &order), &order), r);
        }
        assert_eq!(
            shown_key(&single(), &order),
            "D",
            "the item's B is shown as D"
        );
    }
}
