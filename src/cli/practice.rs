//! `labcert practice` and `labcert review`: questions with immediate feedback, chosen
//! where they help most (see `practice::select`), every answer saved as it is given.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::time::Instant;

use anyhow::anyhow;
use clap::Args;
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::Style;
use crate::bank::{Area, Library};
use crate::doc::decode::suggest;
use crate::exam::blueprint::{self, Blueprint};
use crate::exam::response;
use crate::exit::Exit;
use crate::practice::select::{Chooser, PracticeItem, Reason};
use crate::settings::Settings;
use crate::store::history::{ability_map, due_reviews, item_histories, next_review};
use crate::store::{AnswerRecord, Store, now_ms};
use crate::ui::input::{Input, LineSource};
use crate::ui::item::{WIDTH, prompt, write_body};
use crate::ui::text::wrap;

#[derive(Debug, Args)]
pub struct PracticeArgs {
    /// Only this content area (e.g. hematology)
    #[arg(long, value_name = "AREA")]
    area: Option<String>,
    /// Only this topic (e.g. "antibody identification")
    #[arg(long, value_name = "TOPIC")]
    topic: Option<String>,
    /// How many questions
    #[arg(long, default_value_t = 20, value_name = "N")]
    questions: usize,
    /// The exam you are preparing for (weights areas; default: your last exam's, else ascp-mls)
    #[arg(long, value_enum)]
    style: Option<Style>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// At most this many questions
    #[arg(long, default_value_t = 50, value_name = "N")]
    questions: usize,
}

/// The blueprint a candidate is preparing for: the option, else the last exam's style,
/// else ASCP MLS.
pub fn preparing_for(
    store: &Store,
    profile: i64,
    style: Option<Style>,
) -> anyhow::Result<Blueprint> {
    let id = match style {
        Some(s) => s.id().to_string(),
        None => crate::store::history::finished_exams(store.connection(), profile)?
            .last()
            .map(|e| e.blueprint_id.clone())
            .filter(|id| blueprint::shipped(id).is_some())
            .unwrap_or_else(|| "ascp-mls".to_string()),
    };
    blueprint::shipped(&id).ok_or_else(|| anyhow!("no shipped blueprint {id}"))
}

pub fn practice(settings: &Settings, args: PracticeArgs) -> anyhow::Result<Exit> {
    let library = match super::load_library(settings)? {
        Ok(l) => l,
        Err(exit) => return Ok(exit),
    };
    let (store, profile) = super::open_store(settings)?;
    let bp = preparing_for(&store, profile, args.style)?;
    let area = match &args.area {
        Some(name) => match Area::from_name(&name.to_lowercase()) {
            Some(a) => Some(a),
            None => {
                let hint = suggest(name, Area::ALL.iter().map(|a| a.name()))
                    .map_or_else(String::new, |s| format!(" (did you mean {s}?)"));
                eprintln!(
                    "error: unknown area \"{name}\"{hint}; the areas are {}",
                    Area::ALL.map(|a| a.name()).join(", ")
                );
                return Ok(Exit::Usage);
            }
        },
        None => None,
    };
    let items: Vec<PracticeItem> = library
        .items()
        .filter(|(_, i)| bp.level.admits(i.level))
        .filter(|(_, i)| area.is_none_or(|a| i.area == a))
        .filter(|(_, i)| {
            args.topic
                .as_ref()
                .is_none_or(|t| i.topic.eq_ignore_ascii_case(t))
        })
        .map(|(bank, item)| PracticeItem { bank, item })
        .collect();
    if items.is_empty() {
        let topics: Vec<String> = topics_of(&library, area);
        eprintln!(
            "error: no items match{}{}.{}",
            area.map_or(String::new(), |a| format!(" area {}", a.name())),
            args.topic
                .as_ref()
                .map_or(String::new(), |t| format!(" topic \"{t}\"")),
            if args.topic.is_some() && !topics.is_empty() {
                format!(" Topics available: {}", topics.join("; "))
            } else {
                String::new()
            }
        );
        return Ok(Exit::Problem);
    }
    let now = now_ms();
    let conn = store.connection();
    let (areas, topics) = ability_map(conn, profile)?;
    let history = item_histories(conn, profile)?;
    let due: Vec<(String, String)> = due_reviews(conn, profile, now)?
        .into_iter()
        .map(|(b, i, _)| (b, i))
        .collect();
    let mut chooser = Chooser::new(
        items,
        bp.targets(),
        bp.passing_theta,
        areas,
        topics,
        history,
        &due,
        now,
    );
    let before: BTreeMap<Area, (f64, f64, f64)> = Area::ALL
        .iter()
        .map(|a| (*a, chooser.area_standing(*a)))
        .collect();
    let mut rng = StdRng::seed_from_u64(settings.seed.unwrap_or_else(rand::random));
    let mut out = io::stdout();
    writeln!(
        out,
        "{}",
        wrap(
            &format!(
                "Practice for {}: {} questions{}. Answer with a letter (add ? if you are guessing, e.g. B?); quit to stop.",
                bp.name,
                args.questions,
                if chooser.due_count() > 0 {
                    format!(
                        ", starting with {} due for review",
                        chooser.due_count().min(args.questions)
                    )
                } else {
                    String::new()
                }
            ),
            WIDTH,
            ""
        )
    )?;
    let mut input = super::answer_source(Box::new(io::stdout()));
    let mut asked = 0;
    let mut right = 0;
    let mut touched: Vec<Area> = Vec::new();
    while asked < args.questions {
        let Some((k, reason)) = chooser.next(&mut rng) else {
            writeln!(out, "No more questions match.")?;
            break;
        };
        let p = chooser.item(k);
        let why = match reason {
            Reason::Review => "due for review".to_string(),
            Reason::Weak { area, below } => format!(
                "{} is a weak area ({:.0}% likely below the pass mark)",
                area.title(),
                below * 100.0
            ),
            Reason::LittleData { area } => format!("little data yet on {}", area.title()),
        };
        match ask(
            &mut out,
            input.as_mut(),
            &store,
            profile,
            p,
            asked + 1,
            args.questions,
            &why,
            "practice",
        )? {
            Asked::Answered(correct) => {
                chooser.record(k, correct);
                asked += 1;
                right += usize::from(correct);
                if !touched.contains(&p.item.area) {
                    touched.push(p.item.area);
                }
            }
            Asked::Stopped => break,
        }
    }
    // The summary.
    writeln!(out, "{}", "=".repeat(WIDTH))?;
    if asked == 0 {
        writeln!(out, "No questions answered.")?;
        return Ok(Exit::Ok);
    }
    writeln!(
        out,
        "Practice: {right} of {asked} right ({:.0}%).",
        100.0 * right as f64 / asked as f64
    )?;
    writeln!(
        out,
        "What moved (ability in logits, then the {} score it implies):",
        short_name(&bp)
    )?;
    touched.sort();
    for a in &touched {
        let (t0, _, _) = before[a];
        let (t1, se1, _) = chooser.area_standing(*a);
        writeln!(
            out,
            "  {:<28}{} -> {} (SE {:.2})   {} -> {}",
            a.title(),
            crate::report::exam::signed(t0),
            crate::report::exam::signed(t1),
            se1,
            bp.scale.score(t0, bp.passing_theta),
            bp.scale.score(t1, bp.passing_theta)
        )?;
    }
    // What to study next: the areas most likely below the pass mark, by exam weight.
    let mut next: Vec<(f64, Area, f64)> = Area::ALL
        .iter()
        .map(|a| {
            let (_, _, below) = chooser.area_standing(*a);
            let share = bp.targets().target[Area::ALL.iter().position(|x| x == a).unwrap_or(0)];
            (share * below, *a, below)
        })
        .collect();
    next.sort_by(|x, y| y.0.total_cmp(&x.0));
    let advice: Vec<String> = next
        .iter()
        .take(2)
        .map(|(_, a, below)| {
            format!(
                "{} ({:.0}% likely below the pass mark)",
                a.title(),
                below * 100.0
            )
        })
        .collect();
    writeln!(
        out,
        "{}",
        wrap(
            &format!(
                "Study next: {}. `labcert report` shows your weakest topics.",
                advice.join("; ")
            ),
            WIDTH,
            ""
        )
    )?;
    let due_now = due_reviews(store.connection(), profile, now_ms())?.len();
    if due_now > 0 {
        writeln!(
            out,
            "{due_now} item(s) are due for review now: labcert review"
        )?;
    }
    Ok(Exit::Ok)
}

fn short_name(bp: &Blueprint) -> String {
    bp.id.to_uppercase()
}

fn topics_of(library: &Library, area: Option<Area>) -> Vec<String> {
    let mut t: Vec<String> = library
        .items()
        .filter(|(_, i)| area.is_none_or(|a| i.area == a))
        .map(|(_, i)| i.topic.clone())
        .collect();
    t.sort();
    t.dedup();
    t
}

pub fn review(settings: &Settings, args: ReviewArgs) -> anyhow::Result<Exit> {
    let library = match super::load_library(settings)? {
        Ok(l) => l,
        Err(exit) => return Ok(exit),
    };
    let (store, profile) = super::open_store(settings)?;
    let now = now_ms();
    let due = due_reviews(store.connection(), profile, now)?;
    let index: HashMap<(&str, &str), PracticeItem> = library
        .items()
        .map(|(bank, item)| {
            (
                (bank.id.as_str(), item.id.as_str()),
                PracticeItem { bank, item },
            )
        })
        .collect();
    let items: Vec<PracticeItem> = due
        .iter()
        .filter_map(|(b, i, _)| index.get(&(b.as_str(), i.as_str())).copied())
        .collect();
    let mut out = io::stdout();
    if items.is_empty() {
        match next_review(store.connection(), profile, now)? {
            Some(t) => writeln!(
                out,
                "Nothing is due for review. The next review is due {}.",
                crate::report::progress::when(t, now)
            )?,
            None => writeln!(
                out,
                "Nothing is scheduled for review yet: missed practice and exam questions are scheduled here."
            )?,
        }
        return Ok(Exit::Ok);
    }
    let total = items.len().min(args.questions);
    writeln!(
        out,
        "{total} item(s) due for review. Answer with a letter (add ? if you are guessing); quit to stop."
    )?;
    let mut input = super::answer_source(Box::new(io::stdout()));
    let mut right = 0;
    let mut asked = 0;
    for p in items.into_iter().take(total) {
        match ask(
            &mut out,
            input.as_mut(),
            &store,
            profile,
            p,
            asked + 1,
            total,
            "due for review",
            "review",
        )? {
            Asked::Answered(c) => {
                asked += 1;
                right += usize::from(c);
            }
            Asked::Stopped => break,
        }
    }
    writeln!(out, "{}", "=".repeat(WIDTH))?;
    writeln!(
        out,
        "Review: {right} of {asked} right. Missed items come back soon; the others later, further apart each time."
    )?;
    Ok(Exit::Ok)
}

enum Asked {
    Answered(bool),
    Stopped,
}

/// Shows one item, reads an answer, gives feedback and saves it.
#[allow(clippy::too_many_arguments)]
fn ask(
    out: &mut dyn Write,
    input: &mut dyn LineSource,
    store: &Store,
    profile: i64,
    p: PracticeItem,
    n: usize,
    total: usize,
    why: &str,
    mode: &str,
) -> anyhow::Result<Asked> {
    let item = p.item;
    writeln!(out, "{}", "-".repeat(WIDTH))?;
    writeln!(
        out,
        "{}",
        wrap(
            &format!(
                "Question {n} of {total} · {} · {}",
                item.area.title(),
                item.topic
            ),
            WIDTH,
            ""
        )
    )?;
    writeln!(
        out,
        "{}",
        wrap(&format!("(Why this one: {why}.)"), WIDTH, "")
    )?;
    writeln!(out)?;
    write_body(out, item)?;
    let since = Instant::now();
    let prompt = prompt(item);
    loop {
        match input.read_line(&prompt, None, &mut || {}) {
            Input::Line(t)
                if matches!(
                    t.trim().to_ascii_lowercase().as_str(),
                    "quit" | "exit" | "stop"
                ) =>
            {
                return Ok(Asked::Stopped);
            }
            Input::Eof | Input::Interrupted | Input::TimedOut => return Ok(Asked::Stopped),
            Input::Line(t) => {
                let trimmed = t.trim();
                let guessed = trimmed.ends_with('?');
                let text = trimmed.trim_end_matches('?');
                let r = match response::parse(text, &item.answer) {
                    Ok(r) => r,
                    Err(msg) => {
                        writeln!(out, "{msg}")?;
                        continue;
                    }
                };
                let correct = response::is_correct(&item.answer, &r);
                let text = r.to_string();
                store.record_answer(
                    profile,
                    mode,
                    &AnswerRecord {
                        bank_id: &p.bank.id,
                        item,
                        response: &text,
                        correct,
                        seconds: since.elapsed().as_secs_f64(),
                        guessed,
                    },
                )?;
                let key = response::key_text(&item.answer);
                if correct {
                    writeln!(
                        out,
                        "Correct{}.",
                        if guessed {
                            " (a good guess: it will come back for review)"
                        } else {
                            ""
                        }
                    )?;
                } else {
                    writeln!(out, "Not quite: the answer is {key}.")?;
                }
                writeln!(out, "{}", wrap(&item.explanation, WIDTH, "  "))?;
                if !item.references.is_empty() {
                    writeln!(
                        out,
                        "{}",
                        wrap(
                            &format!("Read: {}", item.references.join("; ")),
                            WIDTH,
                            "  "
                        )
                    )?;
                }
                return Ok(Asked::Answered(correct));
            }
        }
    }
}
