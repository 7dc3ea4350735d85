//! The shipped banks (question_banks/) meet the content plan, so they cannot regress:
//! coverage per area, kinds, level mix, difficulty spread and key-position balance.

use std::collections::BTreeMap;

use labcert::{Answer, Area, Item, Kind, LoadRequest, load};

fn shipped() -> Vec<Item> {
    let report = load(&LoadRequest {
        builtin: true,
        full_check: true,
        strict: true,
        ..Default::default()
    })
    .expect("built-in banks load");
    assert_eq!(
        report.diagnostics.len(),
        0,
        "the shipped banks must check with no errors and no warnings:\n{}",
        labcert::render_to_string(&report.sources, &report.diagnostics)
    );
    report.banks.into_iter().flat_map(|b| b.items).collect()
}

fn by_area(items: &[Item]) -> BTreeMap<Area, Vec<&Item>> {
    let mut map: BTreeMap<Area, Vec<&Item>> = BTreeMap::new();
    for i in items {
        map.entry(i.area).or_default().push(i);
    }
    map
}

/// The plan in docs/content-outline.md: per area its minimum and its topics with theirs,
/// and the calculation subtopics with theirs.
/// An area, its minimum, and its topics with theirs.
type AreaPlan = (Area, usize, Vec<(String, usize)>);

struct Outline {
    areas: Vec<AreaPlan>,
    calculations: Vec<(String, usize)>,
}

fn outline() -> Outline {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/content-outline.md"
    ))
    .expect("docs/content-outline.md");
    let mut areas: Vec<AreaPlan> = Vec::new();
    let mut calculations = Vec::new();
    let mut in_calculations = false;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            // "### Blood banking (`blood-banking`): at least 250 items"
            let name = h.split('`').nth(1).expect("area name in backticks");
            let area = Area::ALL
                .into_iter()
                .find(|a| a.name() == name)
                .expect("known area");
            let min = h
                .split("at least ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .and_then(|n| n.parse().ok())
                .expect("area minimum");
            areas.push((area, min, Vec::new()));
            in_calculations = false;
        } else if line.starts_with("## ") {
            in_calculations = line == "## Calculations";
            if !in_calculations && !areas.is_empty() && line != "## Topics" {
                // Past the topic tables.
            }
        } else if let Some(row) = line.strip_prefix("| ") {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let Ok(min) = cells[1].parse::<usize>() else {
                continue; // header or separator
            };
            if in_calculations {
                calculations.push((cells[0].to_string(), min));
            } else if let Some(last) = areas.last_mut() {
                last.2.push((cells[0].to_string(), min));
            }
        }
    }
    assert_eq!(areas.len(), 7, "seven areas in the outline");
    assert!(calculations.len() >= 15, "the calculation table");
    Outline {
        areas,
        calculations,
    }
}

/// The banks of the first 480 items (issue 3); later items are in other files.
const FIRST_BANKS: &[&str] = &[
    "labcert-blood-banking",
    "labcert-chemistry",
    "labcert-hematology",
    "labcert-immunology",
    "labcert-microbiology",
    "labcert-urinalysis",
    "labcert-lab-operations",
];

fn shipped_with_banks() -> Vec<(String, Item)> {
    let report = load(&LoadRequest {
        builtin: true,
        full_check: true,
        strict: true,
        ..Default::default()
    })
    .expect("built-in banks load");
    assert_eq!(report.diagnostics.len(), 0);
    report
        .banks
        .into_iter()
        .flat_map(|b| {
            let id = b.id.clone();
            b.items.into_iter().map(move |i| (id.clone(), i))
        })
        .collect()
}

#[test]
fn every_area_and_topic_meets_the_outline() {
    let items = shipped();
    let outline = outline();
    let mut total = 0;
    for (area, min, topics) in &outline.areas {
        let in_area: Vec<&Item> = items.iter().filter(|i| i.area == *area).collect();
        assert!(
            in_area.len() >= *min,
            "{area}: {} items, the outline needs {min}",
            in_area.len()
        );
        total += min;
        for (topic, tmin) in topics {
            let n = in_area.iter().filter(|i| &i.topic == topic).count();
            assert!(
                n >= *tmin,
                "{area} / {topic}: {n} items, the outline needs {tmin}"
            );
        }
        for item in &in_area {
            assert!(
                topics.iter().any(|(t, _)| *t == item.topic),
                "{}: topic {:?} is not in the {area} outline",
                item.id,
                item.topic
            );
        }
    }
    assert!(items.len() >= total.max(1500), "{} items", items.len());
}

#[test]
fn every_calculation_exists_as_single_best_items() {
    let items = shipped();
    for (subtopic, min) in outline().calculations {
        let n = items
            .iter()
            .filter(|i| i.subtopic.as_deref() == Some(subtopic.as_str()))
            .filter(|i| i.answer.kind() == Kind::SingleBest)
            .count();
        assert!(
            n >= min,
            "calculation {subtopic:?}: {n} single-best items, need {min}"
        );
    }
}

#[test]
fn the_new_items_are_in_the_ascp_format() {
    let all = shipped_with_banks();
    let new: Vec<&Item> = all
        .iter()
        .filter(|(bank, _)| !FIRST_BANKS.contains(&bank.as_str()))
        .map(|(_, i)| i)
        .collect();
    assert!(new.len() >= 1000, "{} new items", new.len());
    let ascp = new
        .iter()
        .filter(|i| matches!(&i.answer, Answer::SingleBest { choices, .. } if choices.len() == 4))
        .count() as f64;
    assert!(
        ascp / new.len() as f64 >= 0.9,
        "single best with 4 choices: {ascp} of {}",
        new.len()
    );
    // Select-all and numeric items stay for practice.
    let items: Vec<&Item> = all.iter().map(|(_, i)| i).collect();
    let count = |k: Kind| items.iter().filter(|i| i.answer.kind() == k).count();
    assert!(
        count(Kind::Numeric) >= 50,
        "numeric: {}",
        count(Kind::Numeric)
    );
    assert!(
        count(Kind::SelectAll) >= 30,
        "select-all: {}",
        count(Kind::SelectAll)
    );
}

#[test]
fn most_items_suit_the_mlt_exam() {
    let items = shipped();
    let mlt = items.iter().filter(|i| i.level.suits_mlt()).count() as f64 / items.len() as f64;
    assert!(mlt >= 0.55, "MLT-suitable share {mlt:.2}");
    for (area, list) in by_area(&items) {
        let share = list.iter().filter(|i| i.level.suits_mlt()).count() as f64 / list.len() as f64;
        assert!(share >= 0.55, "{area}: MLT-suitable share {share:.2}");
    }
}

#[test]
fn every_area_spans_the_ability_range() {
    let items = shipped();
    for (area, list) in by_area(&items) {
        let n = list.len() as f64;
        let easy = list.iter().filter(|i| i.irt.b <= -1.25).count() as f64 / n;
        let hard = list.iter().filter(|i| i.irt.b >= 1.25).count() as f64 / n;
        assert!(easy >= 0.2, "{area}: {easy:.2} at b <= -1.25");
        assert!(hard >= 0.2, "{area}: {hard:.2} at b >= +1.25");
        assert!(
            list.iter().all(|i| i.difficulty.is_some()),
            "{area}: every item has a rating"
        );
    }
}

#[test]
fn enemies_are_marked_on_both_sides() {
    let items = shipped();
    let by_id: BTreeMap<&str, &Item> = items.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut pairs = 0;
    for item in &items {
        for e in &item.enemies {
            let other = by_id
                .get(e.as_str())
                .unwrap_or_else(|| panic!("{}: enemy {e} unknown", item.id));
            assert!(
                other.enemies.contains(&item.id),
                "{} -> {e} is one-sided",
                item.id
            );
            pairs += 1;
        }
    }
    assert!(pairs >= 2, "the audit's pair at least");
    assert!(by_id["ua-032"].enemies.contains(&"micro-043".to_string()));
}

#[test]
fn key_positions_are_balanced_in_every_area() {
    let items = shipped();
    for (area, list) in by_area(&items) {
        let mut counts = [0usize; 4];
        let mut n = 0;
        for item in list {
            if let Answer::SingleBest { key, .. } = &item.answer {
                counts[*key] += 1;
                n += 1;
            }
        }
        for (letter, c) in ["A", "B", "C", "D"].iter().zip(counts) {
            let share = c as f64 / n as f64;
            assert!(
                share <= 0.35,
                "{area}: key {letter} in {share:.2} of single-best items"
            );
        }
    }
}

#[test]
fn every_item_teaches_and_names_a_source() {
    for item in shipped() {
        let sentences = item.explanation.matches(". ").count() + 1;
        assert!(sentences >= 2, "{}: explanation of one sentence", item.id);
        assert!(!item.references.is_empty(), "{}: no reference", item.id);
        let stem = item.stem.to_lowercase();
        for banned in ["all of the above", "none of the above"] {
            assert!(
                !item
                    .answer
                    .choices()
                    .iter()
                    .any(|c| c.to_lowercase().contains(banned)),
                "{}: '{banned}' choice",
                item.id
            );
        }
        assert!(!stem.is_empty());
    }
}

/// The shipped banks pass the strict check through the binary, as an author runs it.
#[test]
fn the_shipped_banks_pass_the_strict_check() {
    let env = crate::common::Env::new();
    let run = env.run(&["banks", "check", "--strict"]);
    run.expect_code(0);
    assert!(
        run.stdout.ends_with(": 0 errors, 0 warnings\n"),
        "{}",
        run.stdout
    );
}
