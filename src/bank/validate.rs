//! Checks that span items and files: duplicate bank ids, duplicate item ids and
//! near-duplicate stems.
//!
//! Item ids must be unique across *all* loaded banks, so an id names one question
//! wherever it appears (progress history, reports, exports). Problems are reported
//! against the later of the two places, unless only the earlier one is being checked.

use std::collections::HashMap;

use super::decode::DecodedBank;
use super::similar;
use crate::doc::decode::suggest;
use crate::doc::diagnostic::{Diagnostic, FileId, Sources};
use crate::doc::ron::Span;

/// Runs the cross-file checks. `checked(file)` says whether problems located in a file
/// should be reported (files loaded only as context are not reported on).
pub fn cross_check(
    decoded: &[DecodedBank],
    sources: &Sources,
    checked: &dyn Fn(FileId) -> bool,
    near_duplicates: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let pick = |first, second| pick(checked, first, second);

    let mut banks: HashMap<&str, (FileId, &Span)> = HashMap::new();
    for d in decoded {
        if let Some((id, span)) = &d.bank_id {
            match banks.get(id.as_str()) {
                Some(&first) => {
                    if let Some(((file, at), (ofile, oat))) = pick(first, (d.file, span)) {
                        diags.push(
                            Diagnostic::error("duplicate-bank", file, format!("bank id \"{id}\" is used by two banks"))
                                .at(at.clone(), "this bank")
                                .also(ofile, oat.clone(), "the other bank with this id")
                                .hint("give each bank its own id (a file may reuse a shipped bank's id to replace it, but two files may not share one)"),
                        );
                    }
                }
                None => {
                    banks.insert(id, (d.file, span));
                }
            }
        }
    }

    let mut items: HashMap<&str, (FileId, &Span)> = HashMap::new();
    for d in decoded {
        for item in &d.index {
            match items.get(item.id.as_str()) {
                Some(&first) => {
                    if let Some(((file, at), (ofile, oat))) = pick(first, (d.file, &item.id_span)) {
                        let same_file = file == ofile;
                        diags.push(
                            Diagnostic::error("duplicate-id", file, format!("item id \"{}\" is used twice", item.id))
                                .at(at.clone(), "this item")
                                .also(
                                    ofile,
                                    oat.clone(),
                                    if same_file { "first used here" } else { "also used here, in another bank" },
                                )
                                .hint("item ids must be unique across all loaded banks; rename one of them"),
                        );
                    }
                }
                None => {
                    items.insert(&item.id, (d.file, &item.id_span));
                }
            }
        }
    }

    check_enemies(decoded, checked, diags);
    if !near_duplicates {
        return;
    }

    let stems: Vec<(FileId, &str, &str, &Span)> = decoded
        .iter()
        .flat_map(|d| {
            d.index.iter().filter_map(move |i| {
                i.stem_span.as_ref().map(|span| {
                    (
                        d.file,
                        i.id.as_str(),
                        &sources.text(d.file)[span.clone()],
                        span,
                    )
                })
            })
        })
        .collect();
    let texts: Vec<&str> = stems.iter().map(|s| s.2).collect();
    for (i, j, sim) in similar::similar_pairs(&texts, similar::THRESHOLD) {
        let (a, b) = (&stems[i], &stems[j]);
        let Some(((file, at), _)) = pick((a.0, a.3), (b.0, b.3)) else {
            continue;
        };
        let (this, other) = if file == b.0 && at == b.3 {
            (b, a)
        } else {
            (a, b)
        };
        let head = at.start..at.start + 1;
        let ohead = other.3.start..other.3.start + 1;
        diags.push(
            Diagnostic::warning(
                "similar-stem",
                file,
                format!(
                    "the stem of \"{}\" is {:.0}% the same as the stem of \"{}\"",
                    this.1,
                    sim * 100.0,
                    other.1
                ),
            )
            .at(head, "this stem")
            .also(other.0, ohead, "is nearly the same as this one")
            .hint("a near-duplicate lets a candidate answer from memory; rewrite or remove one"),
        );
    }
}

/// Every `enemies` id must name a loaded item; a pair should be marked on both sides, so
/// that editing either item shows the link.
fn check_enemies(
    decoded: &[DecodedBank],
    checked: &dyn Fn(FileId) -> bool,
    diags: &mut Vec<Diagnostic>,
) {
    let mut enemies_of: HashMap<&str, (FileId, &Span, Vec<&str>)> = HashMap::new();
    for d in decoded {
        for item in &d.index {
            enemies_of.entry(&item.id).or_insert((
                d.file,
                &item.id_span,
                item.enemies.iter().map(|(e, _)| e.as_str()).collect(),
            ));
        }
    }
    for d in decoded {
        if !checked(d.file) {
            continue;
        }
        for item in &d.index {
            for (enemy, span) in &item.enemies {
                match enemies_of.get(enemy.as_str()) {
                    None => {
                        let hint = match suggest(enemy, enemies_of.keys().copied()) {
                            Some(s) => format!("did you mean \"{s}\"?"),
                            None => "name the id of an item in a loaded bank".to_string(),
                        };
                        diags.push(
                            Diagnostic::error(
                                "unknown-enemy",
                                d.file,
                                format!(
                                    "enemy \"{enemy}\" of item \"{}\" is not a loaded item",
                                    item.id
                                ),
                            )
                            .at(span.clone(), "no item has this id")
                            .hint(hint),
                        );
                    }
                    Some((ofile, ospan, theirs)) if !theirs.contains(&item.id.as_str()) => {
                        diags.push(
                            Diagnostic::warning(
                                "one-sided-enemy",
                                d.file,
                                format!(
                                    "item \"{}\" names \"{enemy}\" as an enemy, but not the other way round",
                                    item.id
                                ),
                            )
                            .at(span.clone(), "named here")
                            .also(*ofile, (*ospan).clone(), "this item does not name it back")
                            .hint(format!("add \"{}\" to the `enemies` of \"{enemy}\"", item.id)),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
    }
}

type At<'a> = (FileId, &'a Span);

/// Picks which of two places carries a diagnostic, returning (it, the other): the later,
/// unless only the earlier is being checked; `None` when neither is.
fn pick<'a>(
    checked: &dyn Fn(FileId) -> bool,
    first: At<'a>,
    second: At<'a>,
) -> Option<(At<'a>, At<'a>)> {
    if checked(second.0) {
        Some((second, first))
    } else if checked(first.0) {
        Some((first, second))
    } else {
        None
    }
}
