//! Showing an item's stem and choices, the same way in exams, practice and review.

use std::io::{self, Write};

use super::text::{wrap, wrap_hanging};
use crate::bank::decode::letter_for;
use crate::bank::{Answer, Item};
use crate::practice::session::Feedback;

/// The explanation, or a note that the bank has none (an instructor's bank may be used
/// before every explanation is written).
pub fn explanation_or_note(explanation: &str) -> &str {
    if explanation.trim().is_empty() {
        "(No explanation in this bank.)"
    } else {
        explanation
    }
}

/// The stem, any image, the lettered choices in `order` (`order[i]` is the choice
/// shown as letter `i`) and a hint on how to answer.
pub fn write_body_in(out: &mut dyn Write, item: &Item, order: &[usize]) -> io::Result<()> {
    write_body_at(out, item, order, super::width())
}

/// [`write_body_in`] for `width` columns.
pub fn write_body_at(
    out: &mut dyn Write,
    item: &Item,
    order: &[usize],
    width: usize,
) -> io::Result<()> {
    writeln!(out, "{}", wrap(&item.stem, width, ""))?;
    if let Some(img) = &item.image {
        super::image::show(out, img, width)?;
    }
    write_exhibits_in(out, item, width)?;
    writeln!(out)?;
    let choices = item.answer.choices();
    for (shown, &own) in order.iter().enumerate() {
        if let Some(c) = choices.get(own) {
            writeln!(
                out,
                "{}",
                wrap_hanging(&format!("{}. {c}", letter_for(shown)), width, "  ", "     ")
            )?;
        }
    }
    match &item.answer {
        Answer::SelectAll { .. } => writeln!(
            out,
            "(Select all that apply: type every right letter, e.g. A,C)"
        ),
        Answer::Numeric { unit, .. } if !unit.is_empty() => {
            writeln!(out, "(Type a number, in {unit})")
        }
        Answer::Numeric { .. } => writeln!(out, "(Type a number)"),
        Answer::SingleBest { .. } => Ok(()),
    }
}

/// The item's exhibits, each after a blank line, drawn for `width` columns.
pub fn write_exhibits_in(out: &mut dyn Write, item: &Item, width: usize) -> io::Result<()> {
    for (i, e) in item.exhibits.iter().enumerate() {
        writeln!(out)?;
        write!(
            out,
            "{}",
            crate::exhibit::text::draw(e, i + 1, width, super::stdout_painted())
        )?;
    }
    Ok(())
}

/// The answer prompt for an item's kind.
pub fn prompt(item: &Item) -> String {
    crate::exam::runner::prompt(item)
}

/// Practice feedback after an answer: right or wrong (with the key), the explanation and
/// where to read more.
pub fn write_feedback(out: &mut dyn Write, f: &Feedback, item: &Item) -> io::Result<()> {
    if f.correct {
        writeln!(
            out,
            "{}{}",
            super::good("Correct."),
            if f.guessed {
                " (a good guess: it will come back for review)"
            } else {
                ""
            }
        )?;
    } else {
        let mut text = format!("{} the answer is {}.", super::bad("Not quite:"), f.key);
        if !f.missed.is_empty() {
            text.push_str(&format!(" You left out {}.", f.missed.join(", ")));
        }
        if !f.wrongly_chosen.is_empty() {
            text.push_str(&format!(
                " {} {} not right.",
                f.wrongly_chosen.join(", "),
                if f.wrongly_chosen.len() == 1 {
                    "is"
                } else {
                    "are"
                }
            ));
        }
        writeln!(out, "{}", wrap(&text, super::width(), ""))?;
    }
    writeln!(
        out,
        "{}",
        wrap(explanation_or_note(&item.explanation), super::width(), "  ")
    )?;
    if !item.references.is_empty() {
        let read = format!("Read: {}", item.references.join("; "));
        writeln!(out, "{}", wrap(&read, super::width(), "  "))?;
    }
    Ok(())
}
