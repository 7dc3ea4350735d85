//! The shipped banks (question_banks/) meet the content plan, so they cannot regress:
//! coverage per area, kinds, level mix, difficulty spread and key-position balance.

use std::collections::{BTreeMap, BTreeSet};

use labcert::bank::{Answer, Area, Item, Kind, LoadRequest, load};

fn shipped() -> Vec<Item> {
    let report = load(&LoadRequest {
        builtin: true,
        ..Default::default()
    })
    .expect("built-in banks load");
    assert_eq!(
        report.diagnostics.len(),
        0,
        "the shipped banks must check with no errors and no warnings:\n{}",
        labcert::bank::diagnostic::render_to_string(&report.sources, &report.diagnostics)
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

#[test]
fn every_area_has_its_minimum_count() {
    let items = shipped();
    let areas = by_area(&items);
    let minimum = [
        (Area::BloodBanking, 75),
        (Area::Chemistry, 75),
        (Area::Hematology, 75),
        (Area::Microbiology, 75),
        (Area::Immunology, 45),
        (Area::Urinalysis, 45),
        (Area::LabOperations, 60),
    ];
    for (area, min) in minimum {
        let n = areas.get(&area).map_or(0, Vec::len);
        assert!(n >= min, "{area}: {n} items, need {min}");
    }
    assert!(items.len() >= 450);
}

#[test]
fn kinds_are_mixed_as_planned() {
    let items = shipped();
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
    for item in &items {
        if let Answer::SingleBest { choices, .. } = &item.answer {
            assert_eq!(
                choices.len(),
                4,
                "{}: single-best items have 4 choices (ASCP format)",
                item.id
            );
        }
    }
}

#[test]
fn about_two_thirds_suit_the_mlt_exam() {
    let items = shipped();
    let mlt = items.iter().filter(|i| i.level.suits_mlt()).count() as f64 / items.len() as f64;
    assert!((0.6..=0.75).contains(&mlt), "MLT-suitable share {mlt:.2}");
    for (area, list) in by_area(&items) {
        let share = list.iter().filter(|i| i.level.suits_mlt()).count() as f64 / list.len() as f64;
        assert!(
            (0.55..=0.8).contains(&share),
            "{area}: MLT-suitable share {share:.2}"
        );
    }
}

#[test]
fn every_area_spans_the_ability_range() {
    let items = shipped();
    for (area, list) in by_area(&items) {
        let n = list.len() as f64;
        let easy = list.iter().filter(|i| i.irt.b < -1.0).count() as f64 / n;
        let hard = list.iter().filter(|i| i.irt.b > 1.0).count() as f64 / n;
        assert!(easy >= 0.15, "{area}: {easy:.2} below b = -1");
        assert!(hard >= 0.15, "{area}: {hard:.2} above b = +1");
        assert!(
            list.iter().all(|i| i.difficulty.is_some()),
            "{area}: every item has a rating"
        );
    }
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

#[test]
fn each_area_covers_the_planned_topics() {
    let items = shipped();
    let required: &[(Area, &[&str])] = &[
        (
            Area::BloodBanking,
            &[
                "ABO and Rh typing",
                "ABO discrepancies",
                "antibody screen",
                "antibody identification",
                "compatibility testing",
                "DAT",
                "hemolytic disease of the fetus and newborn",
                "transfusion reactions",
                "blood components",
                "component storage",
                "donor selection",
                "blood group systems",
            ],
        ),
        (
            Area::Chemistry,
            &[
                "carbohydrates",
                "lipids",
                "proteins",
                "enzymes",
                "electrolytes",
                "acid-base",
                "renal function",
                "liver function",
                "endocrinology",
                "therapeutic drug monitoring",
                "toxicology",
                "tumor markers",
                "method principles",
                "instrumentation",
            ],
        ),
        (
            Area::Hematology,
            &[
                "cell morphology",
                "anemias",
                "leukemias",
                "lymphomas",
                "red cell indices",
                "automated cell counting",
                "coagulation",
                "hemostasis testing",
                "body fluid cell counts",
                "special stains",
            ],
        ),
        (
            Area::Microbiology,
            &[
                "gram-positive cocci",
                "gram-negative bacilli",
                "anaerobes",
                "mycobacteria",
                "fungi",
                "parasites",
                "viruses",
                "specimen collection",
                "antimicrobial susceptibility testing",
                "biochemical identification",
            ],
        ),
        (
            Area::Immunology,
            &[
                "immune system",
                "serology principles",
                "autoimmune disease",
                "infectious disease serology",
                "hypersensitivity",
                "immunoassay methods",
            ],
        ),
        (
            Area::Urinalysis,
            &[
                "physical examination of urine",
                "chemical examination of urine",
                "microscopic examination of urine",
                "renal disease",
                "cerebrospinal fluid",
                "serous fluids",
                "synovial fluid",
                "seminal fluid",
            ],
        ),
        (
            Area::LabOperations,
            &[
                "quality control",
                "Westgard rules",
                "quality assurance",
                "laboratory safety",
                "regulations",
                "method evaluation",
                "laboratory mathematics",
                "laboratory information systems",
            ],
        ),
    ];
    for (area, topics) in required {
        let have: BTreeSet<&str> = items
            .iter()
            .filter(|i| i.area == *area)
            .map(|i| i.topic.as_str())
            .collect();
        for topic in *topics {
            assert!(
                have.contains(topic),
                "{area}: no item on {topic:?} (have {have:?})"
            );
        }
    }
}

#[test]
fn the_ron_crate_reads_every_shipped_bank_too() {
    // labcert reads banks with its own positioned reader; the files must also be plain RON
    // as the reference implementation reads it, so other tools can process them.
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/question_banks")).unwrap()
    {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            let text = std::fs::read_to_string(&path).unwrap();
            if let Err(e) = ron::from_str::<ron::Value>(&text) {
                panic!("{}: the ron crate cannot read it: {e}", path.display());
            }
        }
    }
}
