//! Drawing a mock exam on the terminal: the opening lines and each event the exam's
//! state machine (`exam::runner`) returns.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use super::text::{clock, invocation, wrap};
use crate::exam::blueprint::Review;
use crate::exam::clock_text;
use crate::exam::runner::{Event, ExamStore, Runner};

/// The exam's title, the time allowed (or left) and how to answer, stop and resume.
pub fn intro<S: ExamStore>(runner: &Runner<'_, S>, out: &mut dyn Write) -> io::Result<()> {
    let session = runner.session();
    let bp = &session.blueprint;
    let limit = runner.clock().limit;
    let left = runner.clock().left(Instant::now());
    // The shipped styles' names already say how many items; a custom name may not.
    let count = format!("{} items", session.length_text());
    let title = if bp.name.contains(&count) {
        bp.name.clone()
    } else {
        format!("{}, {count}", bp.name)
    };
    let mut lines = vec![if limit.saturating_sub(left) < Duration::from_secs(1) {
        format!("{title}. Time allowed: {}.", clock_text(limit))
    } else {
        format!(
            "{title}. Time left: {} of the {} allowed.",
            clock_text(left),
            clock_text(limit)
        )
    }];
    let answered = runner.answered();
    if answered > 0 {
        lines.push(format!("Resuming: {answered} answered so far."));
    }
    lines.push(match (bp.is_adaptive(), bp.review) {
        (true, Review::EndOfTest) => "Adaptive: each question depends on your answers so far. No skipping; after the last question you may review and change answers while time remains.".into(),
        (true, _) => "Adaptive: each question depends on your answers so far. No skipping, no going back.".into(),
        (false, _) => "Commands at any question: next, back, mark, goto N, list, submit. Marked and skipped questions can be revisited before you submit.".into(),
    });
    lines.push(format!("Type quit (or press Ctrl-C) to stop; your answers are saved and `{} exam --resume` continues.", invocation()));
    for (area, wanted, have) in &session.shortfalls {
        lines.push(format!(
            "Note: the loaded banks have only {have} {} items for this exam's {wanted}; the form is shorter.",
            area.name()
        ));
    }
    for l in lines {
        writeln!(out, "{}", wrap(&l, crate::ui::width(), ""))?;
    }
    Ok(())
}

pub fn render(event: &Event, out: &mut dyn Write) -> io::Result<()> {
    match event {
        Event::Item {
            number,
            total,
            marked,
            answer_so_far,
            item,
            order,
            time_left,
        } => {
            let head = format!("Question {number} of {total}");
            let left = format!("Time left {}", clock(*time_left));
            writeln!(out, "{}", "-".repeat(crate::ui::width()))?;
            writeln!(
                out,
                "{head}{left:>width$}",
                width = crate::ui::width() - head.len()
            )?;
            if *marked {
                writeln!(out, "[marked]")?;
            }
            writeln!(out)?;
            crate::ui::item::write_body_in(out, item.item, order)?;
            if let Some(r) = answer_so_far {
                writeln!(out, "Your answer so far: {r}")?;
            }
        }
        Event::Note(text) => writeln!(out, "{}", wrap(text, crate::ui::width(), ""))?,
        Event::Alert(text) => {
            writeln!(out, "{}", super::warn(&wrap(text, crate::ui::width(), "")))?
        }
        Event::Answers(list) => {
            let cells: Vec<String> = list
                .iter()
                .map(|(k, a, m)| format!("{k:>3}{} {a:<7}", if *m { "*" } else { "" }))
                .collect();
            for row in cells.chunks(6) {
                writeln!(out, "{}", row.join(" ").trim_end())?;
            }
            writeln!(
                out,
                "(question number, your answer; * marked, - not answered. goto N opens one.)"
            )?;
        }
        Event::Help(commands) => {
            for (cmd, what) in commands {
                writeln!(out, "  {cmd:<14} {what}")?;
            }
        }
        Event::EndOfQuestions(text) => {
            writeln!(out, "{}", "=".repeat(crate::ui::width()))?;
            writeln!(out, "{}", wrap(text, crate::ui::width(), ""))?;
        }
        Event::Exhibits(item) => {
            crate::ui::item::write_exhibits_in(out, item.item, crate::ui::width())?;
        }
        Event::OpenImage(item) => {
            if let Some(path) = &item.item.image {
                writeln!(out, "{}", crate::ui::image::open(path))?;
            }
        }
    }
    Ok(())
}
