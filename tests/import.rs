//! `labcert import`: every GIFT, Aiken and CSV construct on fixtures under
//! tests/fixtures/import/, the real-world files in ../shared/fixtures, banks read back by
//! labcert's own reader, no panic on any input, and the command through the real binary
//! (exit codes, the summary, and `banks check` agreeing with it item for item).

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Env, fixture};
use labcert::check_text;
use labcert::import::{
    BankMeta, Defaults, Format, Given, Import, ImportError, ImportRequest, ImportedItem, Need,
    SkipKind, decode_source, import_file, import_text, write_bank,
};
use labcert::{Answer, Area, Level};

// ---- helpers -----------------------------------------------------------------------

fn request(format: Format, source: &str, defaults: Defaults) -> ImportRequest {
    ImportRequest {
        format,
        source_name: source.to_string(),
        bank: BankMeta::for_source("test-bank".into(), source, format),
        defaults,
        taken_ids: HashMap::new(),
        image_dir: None,
    }
}

/// Imports a fixture under tests/fixtures/import/.
fn import(format: Format, rel: &str) -> Import {
    import_with(format, rel, Defaults::default())
}

fn import_with(format: Format, rel: &str, defaults: Defaults) -> Import {
    let path = fixture(&format!("import/{rel}"));
    import_file(Path::new(&path), &request(format, &path, defaults))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[track_caller]
fn item<'a>(import: &'a Import, id: &str) -> &'a ImportedItem {
    import.items.iter().find(|i| i.id == id).unwrap_or_else(|| {
        let ids: Vec<_> = import.items.iter().map(|i| &i.id).collect();
        panic!("no item {id:?} among {ids:?}")
    })
}

fn choices(item: &ImportedItem) -> Vec<&str> {
    item.answer.choices().iter().map(String::as_str).collect()
}

#[track_caller]
fn single(item: &ImportedItem) -> (Vec<&str>, usize) {
    match &item.answer {
        Answer::SingleBest { choices, key } => (choices.iter().map(String::as_str).collect(), *key),
        other => panic!("{}: expected single best, got {other:?}", item.id),
    }
}

#[track_caller]
fn numeric(item: &ImportedItem) -> (f64, f64, &str) {
    match &item.answer {
        Answer::Numeric {
            value,
            tolerance,
            unit,
        } => (*value, *tolerance, unit),
        other => panic!("{}: expected numeric, got {other:?}", item.id),
    }
}

#[track_caller]
fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{actual} is not {expected}"
    );
}

/// The skipped questions as (line, kind, reason).
fn skipped(import: &Import) -> Vec<(usize, SkipKind, &str)> {
    import
        .skipped
        .iter()
        .map(|s| (s.line, s.kind, s.reason.as_str()))
        .collect()
}

#[track_caller]
fn assert_skipped(import: &Import, expected: &[(usize, SkipKind, &str)]) {
    let found = skipped(import);
    assert_eq!(
        found.len(),
        expected.len(),
        "skipped: {found:#?}\nexpected: {expected:#?}"
    );
    for (f, e) in found.iter().zip(expected) {
        assert_eq!((f.0, f.1), (e.0, e.1), "{f:?}");
        assert!(f.2.contains(e.2), "{:?} lacks {:?}", f.2, e.2);
    }
}

/// The shared real-world fixtures, if this checkout has them beside it.
fn shared(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(rel);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "note: {} is absent; skipping this real-world check",
            path.display()
        );
        None
    }
}

fn import_shared(format: Format, path: &Path) -> Import {
    let name = path.display().to_string();
    import_file(path, &request(format, &name, Defaults::default()))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn ids(import: &Import) -> Vec<&str> {
    import.items.iter().map(|i| i.id.as_str()).collect()
}

// ---- GIFT --------------------------------------------------------------------------

const CONSTRUCTS: &str = "gift/constructs.gift";

#[test]
fn gift_multiple_choice_folds_answer_feedback_into_the_explanation() {
    let imp = import(Format::Gift, CONSTRUCTS);
    let mcv = item(&imp, "MCV-calculation");
    assert_eq!(mcv.line, 6);
    assert_eq!(
        mcv.stem,
        "Hct 45% and RBC 5.0 x 10^12/L. What is the MCV in fL?"
    );
    assert_eq!(single(mcv), (vec!["90 fL", "45 fL", "9 fL", "30 fL"], 0));
    assert_eq!(
        mcv.explanation.as_deref(),
        Some(
            "90 fL: Hct x 10 / RBC = 450 / 5.0 = 90 fL.\n45 fL: This divides by 10 instead of multiplying.\n9 fL: Off by a factor of ten."
        )
    );
    assert!(mcv.needs.is_empty(), "{:?}", mcv.needs);
    assert_eq!(mcv.difficulty, Some(3));
    assert_eq!(mcv.level, Given::Valid(Level::Both));
}

#[test]
fn gift_weights_without_an_equals_sign_make_select_all() {
    let imp = import(Format::Gift, CONSTRUCTS);
    let anemias = item(&imp, "Microcytic-anemias");
    match &anemias.answer {
        Answer::SelectAll { choices, keys } => {
            assert_eq!(choices.len(), 4);
            assert_eq!(keys, &[0, 1], "positive weights are the keys");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        anemias.explanation.as_deref(),
        Some(
            "Iron deficiency anemia: Yes: too little iron for hemoglobin synthesis.\nVitamin B12 deficiency: No: this is macrocytic."
        )
    );
}

#[test]
fn gift_true_false_in_every_spelling() {
    let imp = import(Format::Gift, CONSTRUCTS);
    for (id, key) in [
        ("Target-cells", 0),
        ("Spherocytes", 1),
        ("MCHC", 0),
        ("Sickle-cells", 1),
    ] {
        assert_eq!(single(item(&imp, id)), (vec!["True", "False"], key), "{id}");
    }
    // Moodle's order: the first feedback is for the wrong answer, the second for the
    // right; each line says which answer it answers and whether that answer is right.
    assert_eq!(
        item(&imp, "Spherocytes").explanation.as_deref(),
        Some(
            "True (wrong): No: spherocytes lack central pallor.\nFalse (right): Right: they lack it."
        )
    );
    assert_eq!(item(&imp, "Target-cells").needs, vec![Need::Explanation]);
}

#[test]
fn gift_general_feedback_is_the_explanation() {
    let imp = import(Format::Gift, CONSTRUCTS);
    assert_eq!(
        item(&imp, "MCHC").explanation.as_deref(),
        Some("Spherocytes lose membrane but keep their hemoglobin, so the MCHC rises.")
    );
    assert_eq!(
        item(&imp, "Anion-gap").explanation.as_deref(),
        Some("AG = Na - (Cl + HCO3) = 140 - 128 = 12 mmol/L.")
    );
}

#[test]
fn gift_numerical_value_tolerance_range_and_several_answers() {
    let imp = import(Format::Gift, CONSTRUCTS);
    let (v, t, unit) = numeric(item(&imp, "Anion-gap"));
    assert_eq!((v, t, unit), (12.0, 1.0, ""));
    // {#70..99}: value = midpoint, tolerance = half-width.
    let (v, t, _) = numeric(item(&imp, "Glucose-interval"));
    assert_close(v, 84.5);
    assert_close(t, 14.5);
    // Several answers: the 100% one; the partial one is noted.
    let clearance = item(&imp, "Creatinine-clearance");
    let (v, t, _) = numeric(clearance);
    assert_eq!((v, t), (100.0, 2.0));
    assert_eq!(
        clearance.explanation.as_deref(),
        Some(
            "100 \u{b1} 2: U x V / P = 100 x 1 / 1.0 = 100 mL/min.\n100 \u{b1} 10: Close: check the volume per minute.\nAny other answer: Use U x V / P with V in mL/min."
        )
    );
    assert!(
        imp.notes
            .iter()
            .any(|n| n.line == Some(34)
                && n.text.contains("100 \u{b1} 10 (50% credit) was left out")),
        "{:?}",
        imp.notes
    );
}

#[test]
fn gift_titles_become_valid_unique_ids() {
    let imp = import(Format::Gift, CONSTRUCTS);
    let long = "A-very-long-title-that-goes-on-and-on-well-past-the-sixty-four-c";
    assert_eq!(long.len(), 64);
    assert_eq!(item(&imp, long).line, 56);
    assert_eq!(item(&imp, "Escapes-all-of-them").line, 40);
    // The second "MCV calculation".
    let again = item(&imp, "MCV-calculation-2");
    assert_eq!(again.line, 75);
    assert!(
        imp.notes.iter().any(|n| n.line == Some(75)
            && n.text
                .contains("\"MCV-calculation\"; this one is \"MCV-calculation-2\"")),
        "{:?}",
        imp.notes
    );
    for i in &imp.items {
        assert!(
            !i.id.is_empty()
                && i.id.len() <= 64
                && i.id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "{}",
            i.id
        );
    }
}

#[test]
fn gift_category_gives_the_topic_and_the_area() {
    let imp = import(Format::Gift, CONSTRUCTS);
    let table = [
        ("MCV-calculation", Area::Hematology, "Red cell indices"),
        ("Anion-gap", Area::Chemistry, "Calculations"),
        ("HTML-stem", Area::Microbiology, "Gram stain"),
        (
            "A-very-long-title-that-goes-on-and-on-well-past-the-sixty-four-c",
            Area::BloodBanking,
            "Fetomaternal hemorrhage",
        ),
    ];
    for (id, area, topic) in table {
        let i = item(&imp, id);
        assert_eq!(i.area, Given::Valid(area), "{id}");
        assert_eq!(i.topic.as_deref(), Some(topic), "{id}");
    }
}

#[test]
fn gift_escapes_and_comments() {
    let imp = import(Format::Gift, CONSTRUCTS);
    let e = item(&imp, "Escapes-all-of-them");
    assert_eq!(
        e.stem,
        "Which symbol means \"approximately\" {in GIFT}? a ~ b, a = b, a # b \\ c"
    );
    assert_eq!(single(e), (vec!["~ (tilde)", "= (equals)", "# (hash)"], 0));
    assert!(
        imp.items.iter().all(|i| !i.stem.contains("//")),
        "comments never reach a stem"
    );
}

#[test]
fn gift_html_format_tags_become_readable_text() {
    let imp = import(Format::Gift, CONSTRUCTS);
    let h = item(&imp, "HTML-stem");
    assert_eq!(
        h.stem,
        "A Gram stain shows gram-positive cocci in clusters & the catalase test is positive.\nWhich organism is most likely?"
    );
    // Answers inherit [html] from the question; [plain] keeps text as written.
    assert_eq!(
        choices(h),
        [
            "Staphylococcus aureus",
            "Streptococcus pyogenes",
            "<Enterococcus faecalis>"
        ]
    );
    assert_eq!(
        h.explanation.as_deref(),
        Some(
            "Staphylococcus aureus: Catalase-positive cocci in clusters are staphylococci.\nStreptococcus pyogenes: Streptococci are catalase negative \u{2013} and grow in chains.\n<Enterococcus faecalis>: Also catalase negative <really>."
        )
    );
}

#[test]
fn gift_missing_word_is_imported_with_a_blank() {
    let imp = import(Format::Gift, CONSTRUCTS);
    let m = item(
        &imp,
        "A-very-long-title-that-goes-on-and-on-well-past-the-sixty-four-c",
    );
    assert_eq!(
        m.stem,
        "The _____ test estimates the volume of a fetomaternal hemorrhage."
    );
    assert_eq!(
        single(m),
        (
            vec!["Kleihauer-Betke", "direct antiglobulin", "antibody screen"],
            0
        )
    );
}

#[test]
fn gift_what_cannot_be_an_item_is_skipped_with_its_line_and_reason() {
    let imp = import(Format::Gift, CONSTRUCTS);
    assert_skipped(
        &imp,
        &[
            (58, SkipKind::Essay, "no answer to score"),
            (60, SkipKind::Matching, "no matching items"),
            (65, SkipKind::ShortAnswer, "cannot score typed answers"),
            (67, SkipKind::Description, "no answer block"),
            (
                69,
                SkipKind::Unusable,
                "7 choices; a single-best item takes 2 to 6",
            ),
            (71, SkipKind::Malformed, "never closed"),
            (73, SkipKind::Unusable, "2 answers are marked fully right"),
        ],
    );
    assert_eq!(imp.questions(), 20);
    assert_eq!(imp.items.len(), 13);
}

// ---- Aiken -------------------------------------------------------------------------

#[test]
fn aiken_delimiters_multiline_stems_and_missing_spaces() {
    let imp = import(Format::Aiken, "aiken/valid.txt");
    assert!(imp.skipped.is_empty(), "{:?}", imp.skipped);
    assert_eq!(
        ids(&imp),
        ["test-bank-0001", "test-bank-0002", "test-bank-0003"]
    );
    let [a, b, c] = [&imp.items[0], &imp.items[1], &imp.items[2]];
    assert_eq!(
        single(a),
        (
            vec!["EDTA", "Sodium citrate", "Heparin", "Sodium fluoride"],
            1
        )
    );
    assert_eq!(
        b.stem,
        "A patient's results:\nNa 140 mmol/L, K 4.1 mmol/L\nWhich is outside its reference interval?"
    );
    assert_eq!(single(b), (vec!["Sodium", "Potassium", "Neither"], 2));
    assert_eq!(
        (c.line, single(c)),
        (15, (vec!["Megakaryocyte", "Myeloblast"], 0))
    );
    for i in &imp.items {
        assert_eq!(i.needs, vec![Need::Area, Need::Topic, Need::Explanation]);
    }
}

#[test]
fn aiken_malformed_questions_are_reported_with_their_lines() {
    let imp = import(Format::Aiken, "aiken/malformed.txt");
    assert_skipped(
        &imp,
        &[
            (
                1,
                SkipKind::Malformed,
                "only 1 option; a question needs at least 2",
            ),
            (
                5,
                SkipKind::Malformed,
                "no ANSWER line after its options (line 9",
            ),
            (
                9,
                SkipKind::Malformed,
                "\"ANSWER: C\" is not among the options A-B",
            ),
            (14, SkipKind::Malformed, "an ANSWER line with no question"),
            (21, SkipKind::Malformed, "unterminated"),
        ],
    );
    assert_eq!(imp.items.len(), 1);
    assert_eq!(imp.items[0].line, 16);
}

// ---- CSV ---------------------------------------------------------------------------

#[test]
fn csv_every_column_with_quoting_a_bom_and_crlf() {
    let imp = import(Format::Csv, "csv/complete.csv");
    assert!(imp.skipped.is_empty(), "{:?}", imp.skipped);
    assert!(imp.is_complete());
    let h = item(&imp, "class-hem-1");
    assert_eq!(h.line, 2);
    assert_eq!(
        h.stem,
        "For a CBC, which tube is used: lavender, light blue, or green?"
    );
    assert_eq!(
        single(h),
        (
            vec![
                "Lavender (EDTA)",
                "Light blue (\"citrate\")",
                "Green (heparin)"
            ],
            0
        )
    );
    assert_eq!(
        h.explanation.as_deref(),
        Some("A CBC needs whole blood with EDTA;\nEDTA chelates calcium.")
    );
    assert_eq!(
        (h.area.clone(), h.level.clone()),
        (Given::Valid(Area::Hematology), Given::Valid(Level::Mlt))
    );
    assert_eq!(h.subtopic.as_deref(), Some("collection"));
    assert_eq!(h.references, ["Rodak's Hematology, ch. 3"]);
    assert_eq!(h.difficulty, Some(2));
    // The quoted field spanned two lines, so the next row starts on line 4.
    let multi = item(&imp, "class-hem-2");
    assert_eq!(multi.line, 4);
    assert!(matches!(&multi.answer, Answer::SelectAll { keys, .. } if keys == &[0, 2]));
    let comma = item(&imp, "class-chem-3");
    assert!(matches!(&comma.answer, Answer::SelectAll { keys, .. } if keys == &[0, 2]));
    assert_eq!(comma.area, Given::Valid(Area::Chemistry), "title case");
    assert_eq!(numeric(item(&imp, "class-chem-4")), (90.0, 0.5, "fL"));
    assert_eq!(
        numeric(item(&imp, "class-chem-5")),
        (12.0, 1.0, "mmol/L"),
        "kind inferred from a number with no choices"
    );
    let irt = item(&imp, "class-mic-6");
    assert_eq!(
        (irt.irt.a, irt.irt.b, irt.irt.c),
        (Some(1.3), Some(-0.8), Some(0.2))
    );
    assert_eq!(irt.difficulty, None, "b given: no default rating");
    assert_eq!(
        item(&imp, "class-chem-5").difficulty,
        Some(3),
        "the default"
    );
    let bb = item(&imp, "class-bb-7");
    assert_eq!(bb.area, Given::Valid(Area::BloodBanking));
    assert_eq!(
        bb.references,
        ["AABB Technical Manual ch. 23", "Harmening ch. 20"]
    );
}

#[test]
fn csv_rows_that_cannot_be_items_are_skipped_and_incomplete_ones_listed() {
    let imp = import(Format::Csv, "csv/incomplete.csv");
    assert_skipped(
        &imp,
        &[
            (
                7,
                SkipKind::Unusable,
                "the answer E is not among the choices (A-D)",
            ),
            (8, SkipKind::Unusable, "7 choices"),
            (
                9,
                SkipKind::Unusable,
                "the id \"q-ok\" is already used on line 2",
            ),
            (10, SkipKind::Malformed, "\"ninety\" is not a number"),
            (11, SkipKind::Malformed, "no id"),
            (
                12,
                SkipKind::Malformed,
                "15 fields, but the header has 14 columns",
            ),
            (13, SkipKind::Malformed, "text after its closing quote"),
        ],
    );
    let needs: Vec<(&str, &[Need])> = imp
        .items
        .iter()
        .map(|i| (i.id.as_str(), i.needs.as_slice()))
        .collect();
    assert_eq!(
        needs,
        [
            ("q-ok", &[][..]),
            ("q-noarea", &[Need::Area][..]),
            ("q-typo", &[Need::UnknownArea("Hemtology".into())][..]),
            ("q-noexpl", &[Need::Explanation][..]),
            ("q-level", &[Need::UnknownLevel("MLT/MLS".into())][..]),
        ]
    );
}

#[test]
fn csv_semicolons_and_decimal_commas() {
    let imp = import(Format::Csv, "csv/semicolon.csv");
    assert!(imp.is_complete(), "{:?}", imp.skipped);
    assert_eq!(numeric(&imp.items[0]), (4.5, 0.05, "mmol/L"));
}

#[test]
fn csv_missing_columns_name_the_file_the_columns_and_the_header_line() {
    let path = fixture("import/csv/missing_columns.csv");
    let err = import_file(
        Path::new(&path),
        &request(Format::Csv, &path, Defaults::default()),
    )
    .unwrap_err();
    assert!(
        matches!(err, ImportError::CsvHeader { line: 1, .. }),
        "{err:?}"
    );
    let message = err.to_string();
    for words in [
        &format!("{path}:1: "),
        "lacks the required columns `id`, `stem`, `answer`, `area`, `topic`",
        "header:  Question,Option A,Option B,Correct",
        "did you mean `stem`?",
    ] {
        assert!(message.contains(words), "{words:?} not in\n{message}");
    }
    // With --area and --topic, those two columns may be left out.
    let err = import_text(
        "id,stem,answer,A\n",
        &request(
            Format::Csv,
            "x.csv",
            Defaults {
                area: Some(Area::Chemistry),
                topic: Some("t".into()),
                level: None,
            },
        ),
    )
    .unwrap_err();
    assert!(matches!(err, ImportError::NoQuestions { .. }), "{err}");
}

#[test]
fn wrong_encoding_names_the_file_the_line_and_what_to_do() {
    let path = fixture("import/csv/windows1252.csv");
    let err = import_file(
        Path::new(&path),
        &request(Format::Csv, &path, Defaults::default()),
    )
    .unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with(&format!("{path}:3:30: ")), "{message}");
    assert!(message.contains("not UTF-8 (byte 0xE9 here)"), "{message}");
    assert!(message.contains("Windows-1252"), "{message}");
    assert!(
        message.contains("\"CSV UTF-8 (Comma delimited)\""),
        "{message}"
    );
}

// ---- the real-world files in ../shared/fixtures ------------------------------------

#[test]
fn real_world_moodle_gift_export() {
    let Some(path) = shared("gift/moodle_questions.gift.txt") else {
        return;
    };
    let imp = import_shared(Format::Gift, &path);
    assert_eq!(
        ids(&imp),
        ["Q2", "colours", "Q5", "Q1", "2-08-TSL", "2-08-TSL-2"]
    );
    assert_skipped(
        &imp,
        &[
            (2, SkipKind::Essay, "essay"),
            (5, SkipKind::Matching, "matching"),
            (34, SkipKind::ShortAnswer, "typed answers"),
        ],
    );
    let q2 = item(&imp, "Q2");
    assert_eq!(single(q2), (vec!["yellow", "red", "blue"], 0));
    assert_eq!(
        q2.explanation.as_deref(),
        Some("yellow: right; good!\nred: wrong, it's yellow\nblue: wrong, it's yellow")
    );
    let colours = item(&imp, "colours");
    assert!(matches!(&colours.answer, Answer::SelectAll { keys, .. } if keys == &[0, 2]));
    // {#3:2~#Completely wrong}"; : the stray `";` after the block is dropped.
    let q5 = item(&imp, "Q5");
    assert_eq!(q5.stem, "What is a number from 1 to 5?");
    assert_eq!(numeric(q5), (3.0, 2.0, ""));
    assert_eq!(
        q5.explanation.as_deref(),
        Some("Any other answer: Completely wrong")
    );
    let q1 = item(&imp, "Q1");
    assert_eq!(single(q1), (vec!["True", "False"], 1));
    // General feedback first, then the per-answer feedback it used to hide.
    assert_eq!(
        q1.explanation.as_deref(),
        Some(
            "This is, of course, a Hitchiker's Guide to the Galaxy reference.\nTrue (wrong): 42 is the Ultimate Answer.\nFalse (right): You gave the right answer."
        )
    );
    assert_eq!(single(item(&imp, "2-08-TSL-2")).1, 0, "{{TRUE}}");
    // No category and no options: every item needs an area and a topic.
    assert!(
        imp.items
            .iter()
            .all(|i| i.needs.contains(&Need::Area) && i.needs.contains(&Need::Topic))
    );
}

#[test]
fn real_world_moodle_gift_with_a_category() {
    let Some(path) = shared("gift/moodle_questions_in_category.gift.txt") else {
        return;
    };
    let imp = import_shared(Format::Gift, &path);
    assert_eq!(ids(&imp), ["Greeting", "Moodle-acronym"]);
    assert_skipped(
        &imp,
        &[
            (5, SkipKind::Matching, "matching"),
            (22, SkipKind::ShortAnswer, "typed answers"),
        ],
    );
    let greeting = item(&imp, "Greeting");
    assert_eq!(greeting.topic.as_deref(), Some("Default for New Features"));
    assert_eq!(
        greeting.stem,
        "Listen to this greeting:\nWhat language is being spoken?"
    );
    assert_eq!(single(greeting).1, 1);
    let acronym = item(&imp, "Moodle-acronym");
    assert_eq!(
        acronym.stem,
        "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Environment."
    );
    assert_eq!(single(acronym).1, 0);
    assert_eq!(acronym.needs, vec![Need::Area, Need::Explanation]);
}

#[test]
#[allow(clippy::approx_constant)] // the GIFT examples ask for pi to three places
fn real_world_gift_pegjs_files() {
    let Some(mc5) = shared("gift/giftpegjs_mc5.gift") else {
        return;
    };
    let imp = import_shared(Format::Gift, &mc5);
    assert_eq!(imp.items.len(), 4);
    assert_eq!(single(&imp.items[0]).1, 2);
    assert_eq!(imp.items[1].stem, "Grant is _____ in Grant's tomb.");
    assert_eq!(
        imp.items[2].stem,
        "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November."
    );
    assert_eq!(
        single(&imp.items[3]),
        (vec!["India", "China", "Korea", "Egypt"], 1)
    );

    if let Some(path) = shared("gift/giftpegjs_escapeAll.gift") {
        let imp = import_shared(Format::Gift, &path);
        assert_skipped(&imp, &[(1, SkipKind::Unusable, "7 choices")]);
    }
    if let Some(path) = shared("gift/giftpegjs_multipleAnswersFloat.gift") {
        let imp = import_shared(Format::Gift, &path);
        let i = &imp.items[0];
        assert_eq!(
            i.stem,
            "Select all of the options below which name a continent:"
        );
        assert!(matches!(&i.answer, Answer::SelectAll { keys, .. } if keys == &[0, 1, 3]));
    }
    if let Some(path) = shared("gift/giftpegjs_TFTwoFeedback.gift") {
        let imp = import_shared(Format::Gift, &path);
        let keys: Vec<usize> = imp.items.iter().map(|i| single(i).1).collect();
        assert_eq!(keys, [1, 0, 0]);
        assert_eq!(
            imp.items[0].explanation.as_deref(),
            Some("True (wrong): feedback for true\nFalse (right): feedback for false")
        );
        // {TRUE# #...}: no wrong-answer feedback; the second is the right answer's.
        assert_eq!(
            imp.items[2].explanation.as_deref(),
            Some("True (right): feedback for false")
        );
    }
    if let Some(path) = shared("gift/giftpegjs_numerical1.gift") {
        let imp = import_shared(Format::Gift, &path);
        assert!(imp.skipped.is_empty(), "{:?}", imp.skipped);
        let values: Vec<(f64, f64)> = imp
            .items
            .iter()
            .map(|i| {
                let (v, t, _) = numeric(i);
                (v, t)
            })
            .collect();
        let expected = [
            (1822.0, 0.0),
            (-1.0, 0.0),
            (3.1415, 0.0005),
            (-3.142, 0.001),
            (3.1415, 0.0005),
            (-3.1415, 0.0005),
            (3.0, 2.0),
            (0.0, 5.0),
            (1822.0, 0.0),
            (9.0, 0.0),
        ];
        assert_eq!(values.len(), expected.len());
        for ((v, t), (ev, et)) in values.into_iter().zip(expected) {
            assert_close(v, ev);
            assert_close(t, et);
        }
        let grasp = item(&imp, "Combien-de-principes-GRASP-y-a-t-il");
        assert!(
            grasp
                .explanation
                .as_deref()
                .is_some_and(|e| e.contains("9: Correct. Il y a neuf (9) principes GRASP.")),
            "{:?}",
            grasp.explanation
        );
    }
    if let Some(path) = shared("gift/giftpegjs_giftFormatPhpExamples.gift") {
        let imp = import_shared(Format::Gift, &path);
        assert_skipped(
            &imp,
            &[
                (11, SkipKind::ShortAnswer, "typed"),
                (15, SkipKind::Matching, "matching"),
                (33, SkipKind::ShortAnswer, "typed"),
            ],
        );
        assert_eq!(imp.items.len(), 7);
        assert_eq!(
            item(&imp, "Grant-s-Tomb").stem,
            "Grant is _____ in Grant's tomb."
        );
        assert!(imp.notes.iter().any(|n| {
            n.text
                .contains("partial credit (50%) for \"half credit answer\"")
        }));
        assert_eq!(numeric(item(&imp, "Numerical-example")).0, 1822.0);
    }
}

#[test]
fn real_world_aiken_files() {
    if let Some(path) = shared("aiken/moodle_questions.aiken.txt") {
        let imp = import_shared(Format::Aiken, &path);
        assert!(imp.skipped.is_empty(), "{:?}", imp.skipped);
        assert_eq!(single(&imp.items[0]).1, 1);
        assert_eq!(
            imp.items[1].stem,
            "Moodle's abilities include handling user input that includes <html class=\"cool\"> & images:",
            "Aiken is plain text: markup stays as written"
        );
    }
    if let Some(path) = shared("aiken/moodle_aiken_errors.txt") {
        let imp = import_shared(Format::Aiken, &path);
        assert_skipped(
            &imp,
            &[
                (1, SkipKind::Malformed, "only 1 option"),
                (5, SkipKind::Malformed, "the question text is missing"),
                (14, SkipKind::Malformed, "no ANSWER line"),
            ],
        );
        let lines: Vec<(usize, usize)> = imp.items.iter().map(|i| (i.line, single(i).1)).collect();
        assert_eq!(
            lines,
            [(9, 0), (18, 1)],
            "the second has no space after `)`"
        );
    }
}

// ---- the written bank, read back ---------------------------------------------------

/// Writes the complete items of an import and reads them back with labcert's reader.
#[track_caller]
fn assert_round_trip(mut imp: Import) {
    imp.items.retain(|i| i.needs.is_empty());
    assert!(!imp.items.is_empty());
    let written = write_bank(&mut imp);
    let report = check_text("round-trip.ron", &written.text);
    assert_eq!(report.errors(), 0, "{}", written.text);
    let bank = &report.banks[0];
    assert_eq!(bank.id, imp.bank.id);
    assert_eq!(bank.title, imp.bank.title);
    assert_eq!(bank.author, "imported");
    assert_eq!(bank.items.len(), imp.items.len());
    for (read, wrote) in bank.items.iter().zip(&imp.items) {
        assert_eq!(read.id, wrote.id);
        assert_eq!(Given::Valid(read.area), wrote.area, "{}", read.id);
        assert_eq!(Some(&read.topic), wrote.topic.as_ref());
        assert_eq!(read.subtopic, wrote.subtopic);
        assert_eq!(Given::Valid(read.level), wrote.level);
        assert_eq!(read.stem, wrote.stem);
        assert_eq!(read.answer, wrote.answer);
        assert_eq!(Some(&read.explanation), wrote.explanation.as_ref());
        assert_eq!(read.references, wrote.references);
        assert_eq!(read.difficulty, wrote.difficulty);
        if let Some(b) = wrote.irt.b {
            assert_eq!(read.irt.b, b);
        }
    }
}

#[test]
fn written_banks_read_back_with_the_same_content() {
    assert_round_trip(import(Format::Csv, "csv/complete.csv"));
    assert_round_trip(import(Format::Gift, "gift/complete.gift"));
    assert_round_trip(import(Format::Gift, CONSTRUCTS));
    let defaults = Defaults {
        area: Some(Area::Hematology),
        topic: Some("cells".into()),
        level: Some(Level::Mlt),
    };
    let mut aiken = import_with(Format::Aiken, "aiken/valid.txt", defaults);
    for i in &mut aiken.items {
        i.explanation = Some("Written by hand.".into());
        i.needs.clear();
    }
    assert_round_trip(aiken);
}

// ---- no panic on any input ---------------------------------------------------------

/// Every fixture, ours and the shared real-world ones.
fn all_fixture_texts() -> Vec<(String, String)> {
    let mut dirs = vec![PathBuf::from(fixture("import"))];
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
    if shared.is_dir() {
        dirs.push(shared);
    }
    let mut out = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(bytes) = fs::read(&path) {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                out.push((path.display().to_string(), text));
            }
        }
    }
    out
}

/// Imports `text` in each of `formats`; when items come out and `check` is set, writes
/// them and checks that `banks check` finds errors in exactly the items the import says
/// need something.
fn import_as(text: &str, formats: &[Format], check: bool) {
    for &format in formats {
        let Ok(mut imp) = import_text(text, &request(format, "fuzz", Defaults::default())) else {
            continue;
        };
        assert_eq!(imp.questions(), imp.items.len() + imp.skipped.len());
        if !check || imp.items.is_empty() {
            continue;
        }
        let written = write_bank(&mut imp);
        assert!(
            written.bank_problems.is_empty(),
            "{:?}",
            written.bank_problems
        );
        let report = check_text("fuzz.ron", &written.text);
        let flagged = items_with_errors_in(&written.text, &report);
        let incomplete: BTreeSet<String> = imp.incomplete().map(|i| i.id.clone()).collect();
        // Every error was predicted by the importer's own checks, none only found by
        // reading the bank back.
        let unpredicted: Vec<&Need> = imp
            .items
            .iter()
            .flat_map(|i| &i.needs)
            .filter(|n| matches!(n, Need::Check { .. }))
            .collect();
        assert!(unpredicted.is_empty(), "{unpredicted:?} on {text:?}");
        assert_eq!(
            flagged, incomplete,
            "{format:?} on {text:?}\n{}",
            written.text
        );
    }
}

const ALL_FORMATS: [Format; 3] = [Format::Gift, Format::Aiken, Format::Csv];

/// The format a fixture is written in, by its folder (none for the READMEs and the
/// context bank, which are not import inputs).
fn formats_of(path: &str) -> &'static [Format] {
    if path.contains("/gift/") {
        &[Format::Gift]
    } else if path.contains("/aiken/") {
        &[Format::Aiken]
    } else if path.contains("/csv/") {
        &[Format::Csv]
    } else {
        &[]
    }
}

#[test]
fn no_panic_on_any_prefix_of_any_fixture() {
    for (name, text) in all_fixture_texts() {
        if formats_of(&name).is_empty() {
            continue;
        }
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let blocks = (formats_of(&name) == [Format::Gift] && text.len() > LARGE_FIXTURE)
            .then(|| GiftBlocks::new(&text));
        for (n, &end) in boundaries.iter().enumerate() {
            // Every prefix in the file's own format; every 7th in all formats too, and
            // every 31st (and the whole) written and checked, which is slower.
            let formats = if n.is_multiple_of(7) {
                &ALL_FORMATS[..]
            } else {
                formats_of(&name)
            };
            let check = n.is_multiple_of(31) || end == text.len();
            let prefix = match &blocks {
                Some(blocks) if end < text.len() => blocks.cut(&text, end),
                _ => text[..end].to_string(),
            };
            let result = std::panic::catch_unwind(|| import_as(&prefix, formats, check));
            assert!(result.is_ok(), "{name}: panic on the first {end} bytes");
        }
    }
}

/// A GIFT fixture larger than this is cut block by block (see [`GiftBlocks`]).
const LARGE_FIXTURE: usize = 4096;

/// The blocks of a large GIFT file. GIFT is read block by block (blank lines between
/// them), carrying only the last `$CATEGORY` from one block to the next, so a cut inside
/// block k behaves as that `$CATEGORY` line followed by block k cut at the same place: the
/// whole blocks before it cost time (quadratic in the file's size), not cases. Every
/// byte of the file is still a cut; the whole file is read whole.
struct GiftBlocks {
    /// Where each block starts, and the last `$CATEGORY:` line before it.
    starts: Vec<(usize, Option<String>)>,
}

impl GiftBlocks {
    fn new(text: &str) -> GiftBlocks {
        let mut starts = vec![(0, None)];
        let mut category: Option<String> = None;
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            if line.trim_start().starts_with("$CATEGORY:") {
                category = Some(line.trim_end().to_string());
            }
            offset += line.len();
            if line.trim().is_empty() {
                starts.push((offset, category.clone()));
            }
        }
        GiftBlocks { starts }
    }

    /// The text a cut at `end` is read as.
    fn cut(&self, text: &str, end: usize) -> String {
        let i = self.starts.partition_point(|(s, _)| *s <= end) - 1;
        let (start, category) = &self.starts[i];
        match category {
            Some(c) => format!("{c}\n\n{}", &text[*start..end]),
            None => text[*start..end].to_string(),
        }
    }
}

/// xorshift64*: a deterministic generator with no dependency.
fn generator(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Random files made of the pieces each format is built from, so the parsers meet
/// nearly valid input far more often than random bytes would let them.
#[test]
fn no_panic_on_random_questions_built_from_format_pieces() {
    let gift: &[&str] = &[
        "::t::",
        "::",
        "Q?",
        " ",
        "{",
        "}",
        "=",
        "~",
        "#",
        "####",
        "%50%",
        "%-100%",
        "%x%",
        "->",
        "T",
        "FALSE",
        "#3:2",
        "#1..5",
        "..",
        ":",
        "\\",
        "\\n",
        "\\{",
        "\\=",
        "word",
        "[html]",
        "[plain]",
        "<p>",
        "</p>",
        "<img src=x>",
        "&amp;",
        "&#39;",
        "\n",
        "\n\n",
        "$CATEGORY: $course$/Hematology/x\n",
        "// c\n",
        "*",
        "é",
    ];
    let aiken: &[&str] = &[
        "Q?\n",
        "A) x\n",
        "B) y\n",
        "C. z\n",
        "B)w\n",
        "ANSWER: A\n",
        "ANSWER: B\n",
        "ANSWER: Z\n",
        "ANSWER:\n",
        "ANSWER: A, B\n",
        "\n",
        "E. coli\n",
        "a) lower\n",
    ];
    let csv: &[&str] = &[
        ",",
        ",",
        ",",
        "\n",
        "\"",
        "\"\"",
        ";",
        "A",
        "B",
        "A;C",
        "a,c",
        "9",
        "-1",
        "4,5",
        "1e400",
        "x",
        "numeric",
        "multi",
        "single",
        "hematology",
        "Hemtology",
        "MLT",
        "both",
        "7",
        "0",
        "q1",
        "q1",
        " ",
    ];
    let columns = COLUMN_SAMPLE;
    let mut next = generator(0x0DDB_1A5E_5BAD_5EED);
    for round in 0..1500u32 {
        let pick = |pieces: &[&str], next: &mut dyn FnMut() -> u64, n: usize| -> String {
            (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect()
        };
        let n = (next() % 60) as usize;
        let check = round.is_multiple_of(4);
        let text = pick(gift, &mut next, n);
        import_as(&text, &[Format::Gift], check);
        let text = pick(aiken, &mut next, n);
        import_as(&text, &[Format::Aiken], check);
        let header_len = 1 + (next() % columns.len() as u64) as usize;
        let header: Vec<&str> = (0..header_len)
            .map(|_| columns[(next() % columns.len() as u64) as usize])
            .collect();
        let text = format!("{}\n{}", header.join(","), pick(csv, &mut next, n * 2));
        import_as(&text, &[Format::Csv], check);
    }
}

/// Header names for the random CSV files: every column, a few twice as likely.
const COLUMN_SAMPLE: &[&str] = &[
    "id",
    "id",
    "stem",
    "stem",
    "answer",
    "answer",
    "area",
    "topic",
    "level",
    "kind",
    "A",
    "B",
    "C",
    "H",
    "unit",
    "tolerance",
    "explanation",
    "references",
    "difficulty",
    "a",
    "b",
    "c",
    "#x",
    "subtopic",
];

#[test]
fn no_panic_on_random_bytes() {
    let mut next = generator(0x9E37_79B9_7F4A_7C15);
    // Bytes biased towards the characters the formats care about.
    let alphabet = b"{}~=#:\\%[]<>&;,\"\n\r\t ->.ABCabc0123456789$/TF";
    for round in 0..3000u32 {
        let len = (next() % 300) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let r = next();
                if r.is_multiple_of(4) {
                    (r >> 8) as u8
                } else {
                    alphabet[((r >> 8) as usize) % alphabet.len()]
                }
            })
            .collect();
        let decoded = decode_source("random", bytes.clone());
        let text = match decoded {
            Ok(text) => text,
            Err(_) => String::from_utf8_lossy(&bytes).into_owned(),
        };
        let result =
            std::panic::catch_unwind(|| import_as(&text, &ALL_FORMATS, round.is_multiple_of(5)));
        assert!(result.is_ok(), "panic on {bytes:?}");
    }
}

// ---- the command, through the real binary ------------------------------------------

/// Item ids with an error in a `banks check --json` run over `bank`.
/// Items `banks check` flags as incomplete: with an error, or without an explanation
/// (a warning, so that the bank can be used before it is written; an error under
/// `--strict`). Returns the exit code too, which is 1 only for errors.
fn items_with_errors(env: &Env, bank: &Path, extra: &[&str]) -> (i32, BTreeSet<String>) {
    let path = bank.display().to_string();
    let mut args = vec!["--no-builtin", "--json"];
    args.extend_from_slice(extra);
    args.extend(["banks", "check", path.as_str()]);
    let run = env.run(&args);
    let v: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.all()));
    let text = fs::read_to_string(bank).unwrap();
    let lines: Vec<usize> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error" || d["code"] == "no-explanation")
        .map(|d| d["line"].as_u64().expect("an item error has a line") as usize)
        .collect();
    let ids = lines
        .into_iter()
        .map(|line| {
            item_at_line(&text, line).unwrap_or_else(|| panic!("line {line} is in no item"))
        })
        .collect();
    let expected_code = if v["errors"] == 0 { 0 } else { 1 };
    assert_eq!(run.code, expected_code, "{}", run.all());
    (run.code, ids)
}

/// Item ids with an error or without an explanation in a `check_text` report.
fn items_with_errors_in(text: &str, report: &labcert::LoadReport) -> BTreeSet<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.is_error() || d.code == "no-explanation")
        .filter_map(|d| {
            let at = d.primary.as_ref()?.span.start;
            let line = text[..at.min(text.len())].matches('\n').count() + 1;
            item_at_line(text, line)
        })
        .collect()
}

/// The id of the item whose text (from its `(` to its `),`) holds `line` (1-based).
fn item_at_line(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = (0..line)
        .rev()
        .find(|&i| lines.get(i) == Some(&"        ("))?;
    let end = (start..lines.len()).find(|&i| lines[i] == "        ),")?;
    if line - 1 > end {
        return None;
    }
    lines[start..end].iter().find_map(|l| {
        l.strip_prefix("            id: \"")
            .and_then(|rest| rest.strip_suffix("\","))
            .map(str::to_string)
    })
}

#[test]
fn a_complete_import_exits_0_and_the_bank_passes_banks_check() {
    let env = Env::new();
    for (format, rel) in [("gift", "gift/complete.gift"), ("csv", "csv/complete.csv")] {
        let out = env.path(&format!("{format}.ron"));
        // The shipped banks are loaded (no --no-builtin), as an instructor would run it.
        let run = env.run(&[
            "import",
            format,
            &fixture(&format!("import/{rel}")),
            "--level",
            "MLT",
            "-o",
            &out.display().to_string(),
        ]);
        run.expect_code(0);
        assert!(
            run.stdout.contains("the bank is complete"),
            "{}",
            run.stdout
        );
        let (code, flagged) = items_with_errors(&env, &out, &[]);
        assert_eq!((code, flagged), (0, BTreeSet::new()));
        // With the shipped banks loaded too: no id clashes with them either.
        let check = env.run(&["banks", "check", &out.display().to_string()]);
        check.expect_code(0);
    }
}

#[test]
fn an_incomplete_import_exits_1_and_banks_check_flags_exactly_those_items() {
    let env = Env::new();
    let cases = [
        ("gift", "gift/constructs.gift"),
        ("gift", "gift/moodle_export.gift"),
        ("gift", "gift/missing_blank_line.gift"),
        ("csv", "csv/incomplete.csv"),
        ("aiken", "aiken/malformed.txt"),
    ];
    for (format, rel) in cases {
        let out = env.path(&format!("{}.ron", rel.replace('/', "-")));
        let out_s = out.display().to_string();
        let run = env.run(&[
            "--no-builtin",
            "--json",
            "import",
            format,
            &fixture(&format!("import/{rel}")),
            "-o",
            &out_s,
        ]);
        run.expect_code(1);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let reported: BTreeSet<String> = v["needs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect();
        let (_, flagged) = items_with_errors(&env, &out, &[]);
        assert_eq!(flagged, reported, "{rel}");
        assert!(!v["skipped"].as_array().unwrap().is_empty(), "{rel}");
    }
}

#[test]
fn the_summary_says_what_was_skipped_and_what_each_item_needs() {
    let env = Env::new();
    let out = env.path("c.ron").display().to_string();
    let input = fixture("import/csv/incomplete.csv");
    let run = env.run(&["--no-builtin", "import", "csv", &input, "-o", &out]);
    run.expect_code(1);
    let expected = [
        format!("imported 5 of 12 questions from {input} into {out}\n"),
        "skipped 7:\n".to_string(),
        "  line 7: question \"q-range\": the answer E is not among the choices (A-D)\n".to_string(),
        "  line 11: malformed question \"A row without an id.\": no id\n".to_string(),
        format!("needs attention: 4 of 5 items (`labcert banks check {out}` reports them"),
        "  1 item: no area: pass --area AREA".to_string(),
        "    q-noarea (line 3)\n".to_string(),
        "  q-typo (line 4): \"Hemtology\" is not one of the content areas".to_string(),
        "  q-level (line 6): \"MLT/MLS\" is not a level (MLT, MLS or both)\n".to_string(),
        "    q-noexpl (line 5)\n".to_string(),
    ];
    for words in &expected {
        assert!(
            run.stdout.contains(words.as_str()),
            "{words:?} not in\n{}",
            run.stdout
        );
    }
    // The file marks the same items.
    let bank = fs::read_to_string(&out).unwrap();
    assert!(
        bank.contains("// from line 3; needs: area (perhaps"),
        "{bank}"
    );
    assert!(bank.contains(
        "// from line 4; needs: area (\"Hemtology\" is not one; perhaps \"hematology\": the text mentions \"mcv\""
    ));
    assert!(bank.contains("// from line 5; needs: explanation;"));
    assert!(bank.contains("//   line 13: malformed question \"q-quote\""));
}

#[test]
fn json_summary_lists_every_item_and_skip() {
    let env = Env::new();
    let out = env.path("g.ron").display().to_string();
    let run = env.run(&[
        "--no-builtin",
        "import",
        "gift",
        &fixture("import/gift/constructs.gift"),
        "-o",
        &out,
        "--json",
    ]);
    run.expect_code(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["format"], "gift");
    assert_eq!(v["bank_id"], "g");
    assert_eq!(v["questions"], 20);
    assert_eq!(v["imported"], 13);
    assert_eq!(v["complete"], false);
    assert_eq!(v["skipped"][0]["line"], 58);
    assert_eq!(v["skipped"][0]["kind"], "essay");
    assert_eq!(v["skipped"][0]["question"], "Essay");
    assert_eq!(v["needs"][0]["id"], "Target-cells");
    assert_eq!(v["needs"][0]["line"], 20);
    assert_eq!(v["needs"][0]["needs"][0]["field"], "explanation");
    assert_eq!(v["warnings"]["no-references"], 13);
}

#[test]
fn options_fill_in_what_the_file_leaves_out() {
    let env = Env::new();
    let out = env.path("a.ron");
    let run = env.run(&[
        "--no-builtin",
        "--json",
        "import",
        "aiken",
        &fixture("import/aiken/valid.txt"),
        "--area",
        "hematology",
        "--topic",
        "specimens",
        "--level",
        "mlt",
        "--bank-id",
        "class-aiken",
        "-o",
        &out.display().to_string(),
    ]);
    run.expect_code(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    for need in v["needs"].as_array().unwrap() {
        let fields: Vec<&str> = need["needs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["field"].as_str().unwrap())
            .collect();
        assert_eq!(
            fields,
            ["explanation"],
            "area and topic came from the options"
        );
    }
    let bank = fs::read_to_string(&out).unwrap();
    assert!(bank.contains("    id: \"class-aiken\",\n"));
    assert!(bank.contains("            id: \"class-aiken-0001\",\n"));
    assert!(bank.contains("            area: \"hematology\",\n"));
    assert!(bank.contains("            level: \"MLT\",\n"));
    assert!(bank.contains("    title: \"valid.txt\",\n"));
}

#[test]
fn ids_do_not_clash_with_the_other_loaded_banks() {
    let env = Env::new();
    let context = fixture("import/context/other.ron");
    // A GIFT name that is taken gets another id.
    let gift_out = env.path("gift.ron");
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &context,
        "import",
        "gift",
        &fixture("import/gift/clash.gift"),
        "-o",
        &gift_out.display().to_string(),
    ]);
    run.expect_code(0);
    assert!(
        run.stdout
            .contains("which the bank \"other-bank\" already uses; this item is \"taken-1-2\""),
        "{}",
        run.stdout
    );
    let (code, flagged) = items_with_errors(&env, &gift_out, &["--bank", &context]);
    assert_eq!((code, flagged.len()), (0, 0));
    // A CSV id is kept as written (other data may refer to it) and reported.
    let csv_out = env.path("csv.ron");
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &context,
        "--json",
        "import",
        "csv",
        &fixture("import/csv/clash.csv"),
        "-o",
        &csv_out.display().to_string(),
    ]);
    run.expect_code(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["needs"][0]["id"], "taken-1");
    assert_eq!(v["needs"][0]["needs"][0]["field"], "id");
    let (code, flagged) = items_with_errors(&env, &csv_out, &["--bank", &context]);
    assert_eq!(code, 1);
    assert_eq!(flagged, BTreeSet::from(["taken-1".to_string()]));
}

// ---- usage and I/O errors: exit 2, a clear message, nothing written ---------------------

#[track_caller]
fn assert_refused(run: &crate::common::Run, out: &Path, words: &[&str]) {
    run.expect_code(2);
    let all = run.all();
    assert!(!all.contains("panicked"), "{all}");
    for w in words {
        assert!(all.contains(w), "{w:?} not in\n{all}");
    }
    assert!(!out.exists(), "{} was written", out.display());
}

#[test]
fn unreadable_or_unusable_inputs_exit_2_and_write_nothing() {
    let env = Env::new();
    let out = env.path("out.ron");
    let out_s = out.display().to_string();
    let import = |format: &str, input: &str| {
        env.run(&["--no-builtin", "import", format, input, "-o", &out_s])
    };

    let missing = env.path("nope.gift").display().to_string();
    assert_refused(&import("gift", &missing), &out, &[&missing, "no such file"]);

    let columns = fixture("import/csv/missing_columns.csv");
    assert_refused(
        &import("csv", &columns),
        &out,
        &[
            &format!("{columns}:1:"),
            "lacks the required columns",
            "header:  Question,Option A",
        ],
    );

    let cp1252 = fixture("import/csv/windows1252.csv");
    assert_refused(
        &import("csv", &cp1252),
        &out,
        &[&format!("{cp1252}:3:30:"), "not UTF-8", "CSV UTF-8"],
    );

    let huge = env.path("huge.gift");
    fs::File::create(&huge)
        .unwrap()
        .set_len(33 * 1024 * 1024)
        .unwrap();
    let huge_s = huge.display().to_string();
    assert_refused(
        &import("gift", &huge_s),
        &out,
        &[&huge_s, "larger than 32 MiB"],
    );

    let empty = env.path("empty.gift");
    fs::write(&empty, "// nothing but a comment\n").unwrap();
    let empty_s = empty.display().to_string();
    assert_refused(
        &import("gift", &empty_s),
        &out,
        &["no GIFT questions found"],
    );

    let gift = fixture("import/gift/complete.gift");
    assert_refused(
        &import("moodle-xml", &gift),
        &out,
        &["invalid value 'moodle-xml'"],
    );
}

#[test]
fn bad_options_and_outputs_exit_2() {
    let env = Env::new();
    let gift = fixture("import/gift/complete.gift");
    let out = env.path("out.ron");
    let out_s = out.display().to_string();
    let run = env.run(&["import", "gift", &gift, "--area", "histology", "-o", &out_s]);
    assert_refused(&run, &out, &["not a content area", "blood-banking"]);
    let run = env.run(&[
        "import",
        "gift",
        &gift,
        "--bank-id",
        "my bank",
        "-o",
        &out_s,
    ]);
    assert_refused(&run, &out, &["1 to 64 letters"]);
    let run = env.run(&["import", "gift", &gift]);
    assert_refused(&run, &out, &["--output"]);

    let nowhere = env.path("no/such/dir/out.ron");
    let run = env.run(&[
        "--no-builtin",
        "import",
        "gift",
        &gift,
        "-o",
        &nowhere.display().to_string(),
    ]);
    assert_refused(&run, &nowhere, &["out.ron: cannot write"]);
}

#[test]
fn an_existing_bank_is_replaced_only_with_force() {
    let env = Env::new();
    let gift = fixture("import/gift/complete.gift");
    let out = env.path("out.ron");
    let out_s = out.display().to_string();
    fs::write(&out, "// my edited bank\n").unwrap();
    let run = env.run(&["--no-builtin", "import", "gift", &gift, "-o", &out_s]);
    run.expect_code(2);
    assert!(run.stderr.contains("pass --force"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(&out).unwrap(), "// my edited bank\n");
    let run = env.run(&[
        "--no-builtin",
        "import",
        "gift",
        &gift,
        "-o",
        &out_s,
        "--force",
    ]);
    run.expect_code(0);
    assert!(fs::read_to_string(&out).unwrap().contains("ua-ketones"));
    // Never over the input itself, even with --force.
    let input = env.path("in.gift");
    fs::copy(&gift, &input).unwrap();
    let input_s = input.display().to_string();
    let run = env.run(&[
        "--no-builtin",
        "import",
        "gift",
        &input_s,
        "-o",
        &input_s,
        "--force",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("is the file being imported; labcert never writes over it"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(&input).unwrap(), fs::read(&gift).unwrap());
}

// ---- a Moodle export as an instructor's course writes it (issue 13) -------------------

const MOODLE: &str = "gift/moodle_export.gift";

/// Imports `rel` (under tests/fixtures/import/) with the real binary into `out`.
fn run_import(
    env: &Env,
    format: &str,
    rel: &str,
    out: &Path,
    extra: &[&str],
) -> crate::common::Run {
    let input = fixture(&format!("import/{rel}"));
    let out = out.display().to_string();
    let mut args = vec![
        "--no-builtin",
        "import",
        format,
        input.as_str(),
        "-o",
        out.as_str(),
    ];
    args.extend_from_slice(extra);
    env.run(&args)
}

/// The lines of the item `id` in a bank the importer wrote: its comments, then its
/// fields from `(` to `),`.
#[track_caller]
fn item_lines<'a>(bank: &'a str, id: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = bank.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == format!("            id: \"{id}\","))
        .unwrap_or_else(|| panic!("no item {id} in\n{bank}"));
    let open = (0..at).rev().find(|&i| lines[i] == "        (").unwrap();
    let first = (0..open)
        .rev()
        .take_while(|&i| lines[i].starts_with("        // "))
        .last()
        .unwrap_or(open);
    let close = (at..lines.len())
        .find(|&i| lines[i] == "        ),")
        .unwrap();
    lines[first..=close].to_vec()
}

/// A field of the item `id` as written (`area` -> `"hematology"`), if present.
#[track_caller]
fn field_of(bank: &str, id: &str, field: &str) -> Option<String> {
    let prefix = format!("            {field}: ");
    item_lines(bank, id)
        .into_iter()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .map(|v| v.trim_end_matches(',').to_string())
}

/// The comment lines above the item `id`.
#[track_caller]
fn comments_of(bank: &str, id: &str) -> Vec<String> {
    item_lines(bank, id)
        .into_iter()
        .take_while(|l| l.starts_with("        // "))
        .map(|l| l.trim_start_matches("        // ").to_string())
        .collect()
}

#[test]
fn moodle_categories_give_areas_as_instructors_name_them_and_topics_from_the_last_segment() {
    let env = Env::new();
    let out = env.path("class.ron");
    run_import(&env, "gift", MOODLE, &out, &[]).expect_code(1);
    let bank = fs::read_to_string(&out).unwrap();
    let table = [
        // $course$/top/MLT 1010/Unit 3 - Heme/Anemias
        ("HEM-ANE-01", Some("hematology"), "Anemias"),
        // .../Unit 3 - Heme/Coag
        ("HEM-COA-01", Some("hematology"), "Coag"),
        ("BB-AB-01", Some("blood-banking"), "Antibody ID"),
        ("MIC-GS-02", Some("microbiology"), "Gram stains"),
        // Micro/QC: quality control in microbiology, not lab operations.
        ("MIC-QC-01", Some("microbiology"), "QC"),
        // Urinalysis & Body Fluids/Urine sediment
        ("UA-SED-01", Some("urinalysis"), "Urine sediment"),
        ("CHEM-ENZ-01", Some("chemistry"), "Enzymes"),
        ("IMM-SER-01", Some("immunology"), "Serology"),
        ("OPS-SAF-01", Some("lab-operations"), "Safety"),
        // MLT 1010/Final review names no area: the item needs one.
        ("REV-01", None, "Final review"),
        ("REV-04", None, "Final review"),
    ];
    for (id, area, topic) in table {
        assert_eq!(
            field_of(&bank, id, "area"),
            area.map(|a| format!("\"{a}\"")),
            "{id}"
        );
        assert_eq!(
            field_of(&bank, id, "topic"),
            Some(format!("\"{topic}\"")),
            "{id}"
        );
    }
}

#[test]
fn the_needs_hints_suggest_the_items_own_area_and_that_areas_reference() {
    let env = Env::new();
    let out = env.path("class.ron");
    let run = run_import(&env, "gift", MOODLE, &out, &[]);
    run.expect_code(1);
    // A Gram stain question without an area is pointed at microbiology, not at a fixed
    // example; the one whose words name no area gets no guess.
    assert!(
        run.stdout
            .contains("    perhaps microbiology (by their words): REV-01 (line 223)\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .lines()
            .filter(|l| l.starts_with("    perhaps"))
            .all(|l| !l.contains("REV-04")),
        "{}",
        run.stdout
    );
    let bank = fs::read_to_string(&out).unwrap();
    let rev01 = comments_of(&bank, "REV-01");
    assert!(
        rev01[0].starts_with(
            "from line 223; needs: area (perhaps \"microbiology\": the text mentions \"gram stain\", \"gram negative\""
        ),
        "{rev01:?}"
    );
    assert!(
        comments_of(&bank, "REV-04")[0].starts_with("from line 251; needs: area, explanation"),
        "{bank}"
    );
    // Missing references point at the area's standard text, not always at Rodak.
    for (id, reference) in [
        ("MIC-GS-02", "Bailey & Scott's Diagnostic Microbiology"),
        ("BB-AB-01", "AABB Technical Manual"),
        ("CHEM-ENZ-01", "Tietz Fundamentals of Clinical Chemistry"),
        ("UA-SED-01", "Strasinger, Urinalysis and Body Fluids"),
        ("IMM-SER-01", "Stevens, Clinical Immunology and Serology"),
        ("OPS-SAF-01", "CLSI guidelines"),
        ("HEM-ANE-01", "Rodak's Hematology"),
        ("REV-01", "Bailey & Scott's Diagnostic Microbiology"),
    ] {
        let comment = &comments_of(&bank, id)[0];
        assert!(comment.contains("no references yet ("), "{id}: {comment}");
        assert!(comment.contains(reference), "{id}: {comment}");
    }
    assert!(
        run.stdout
            .contains("  microbiology (5 items): Bailey & Scott's Diagnostic Microbiology\n"),
        "{}",
        run.stdout
    );
    // --json carries the suggestion and the references by area.
    let json = run_import(&env, "gift", MOODLE, &env.path("j.ron"), &["--json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let rev01 = v["needs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "REV-01")
        .unwrap();
    assert_eq!(rev01["needs"][0]["field"], "area");
    assert!(
        rev01["needs"][0]["suggestion"]
            .as_str()
            .unwrap()
            .starts_with("microbiology (the text mentions \"gram stain\""),
        "{rev01}"
    );
    let refs = v["references"].as_array().unwrap();
    assert!(refs.iter().any(|r| r["area"] == "urinalysis"
        && r["reference"] == "Strasinger, Urinalysis and Body Fluids"
        && r["items"] == 2));
}

#[test]
fn every_feedback_is_kept_and_true_false_feedback_reads_by_its_answer() {
    let env = Env::new();
    let out = env.path("class.ron");
    run_import(&env, "gift", MOODLE, &out, &[]).expect_code(1);
    let bank = fs::read_to_string(&out).unwrap();
    // General feedback, then each answer's feedback labelled by its answer.
    assert_eq!(
        field_of(&bank, "HEM-ANE-01", "explanation").unwrap(),
        "\"Iron deficiency gives a microcytic, hypochromic picture: a low MCV and a low MCHC.\\nMCV 105 fL, MCHC 34 g/dL: Macrocytic: think of vitamin B12 or folate deficiency.\\nMCV 68 fL, MCHC 29 g/dL: Microcytic and hypochromic.\\nMCV 90 fL, MCHC 33 g/dL: Normocytic and normochromic.\\nMCV 88 fL, MCHC 38 g/dL: An MCHC this high suggests spherocytes or an interference.\""
    );
    assert!(
        field_of(&bank, "HEM-COA-01", "explanation")
            .unwrap()
            .ends_with("\\nFibrinogen: Fibrinogen is a factor level, not a heparin monitor.\"")
    );
    // {FALSE#feedback}: the one feedback is what a student answering True sees.
    assert_eq!(
        field_of(&bank, "UA-SED-02", "explanation").unwrap(),
        "\"True (wrong): Light destroys bilirubin, so a specimen left in the light reads falsely low.\""
    );
    assert_eq!(
        field_of(&bank, "BB-AB-02", "explanation").unwrap(),
        "\"True (wrong): Anti-D is usually IgG, crosses the placenta and can cause HDFN.\""
    );
    // {TRUE#wrong#right}: both, each by its answer.
    assert_eq!(
        field_of(&bank, "HEM-ANE-02", "explanation").unwrap(),
        "\"True (right): Hemoglobin C disease shows many target cells.\\nFalse (wrong): Target cells are typical of hemoglobin C disease and of the thalassemias.\""
    );
    // Per-answer feedback alone is the explanation.
    assert!(
        field_of(&bank, "REV-02", "explanation")
            .unwrap()
            .starts_with(
                "\"DNA: They are nuclear remnants.\\nRNA: RNA remnants are basophilic stippling."
            )
    );
}

#[test]
fn moodle_images_become_the_items_image_and_the_files_to_copy_are_listed() {
    let env = Env::new();
    let dir = env.path("banks");
    fs::create_dir(&dir).unwrap();
    let out = dir.join("class.ron");
    let run = run_import(&env, "gift", MOODLE, &out, &[]);
    run.expect_code(1);
    let bank = fs::read_to_string(&out).unwrap();
    assert_eq!(
        field_of(&bank, "HEM-ANE-03", "image").as_deref(),
        Some("\"schistocytes.png\"")
    );
    // @@PLUGINFILE@@/gram%20stain%201.jpg
    assert_eq!(
        field_of(&bank, "MIC-GS-01", "image").as_deref(),
        Some("\"gram stain 1.jpg\"")
    );
    assert_eq!(
        field_of(&bank, "HEM-ANE-03", "stem").as_deref(),
        Some("\"Identify the red cells indicated by the arrows in this peripheral smear.\"")
    );
    for words in [
        format!(
            "images: copy 2 files into {} (the bank's folder; `image:` is relative to it):\n  schistocytes.png (shown by HEM-ANE-03)\n  gram stain 1.jpg (shown by MIC-GS-01)\n",
            dir.display()
        ),
        "  HEM-ANE-03 (line 26): the image \"schistocytes.png\" is not in the bank's folder yet".to_string(),
        "a second image, scale-bar.png, was left out: an item shows one image (kept schistocytes.png)".to_string(),
    ] {
        assert!(run.stdout.contains(&words), "{words:?} not in\n{}", run.stdout);
    }
    assert!(
        comments_of(&bank, "HEM-ANE-03")[0]
            .contains("needs: image (copy schistocytes.png into the bank's folder)")
    );
    let (_, flagged) = items_with_errors(&env, &out, &[]);
    assert!(flagged.contains("HEM-ANE-03") && flagged.contains("MIC-GS-01"));

    // With the file copied next to the bank, the item no longer needs it.
    fs::write(dir.join("schistocytes.png"), b"\x89PNG\r\n").unwrap();
    let run = run_import(&env, "gift", MOODLE, &out, &["--force"]);
    run.expect_code(1);
    assert!(
        run.stdout.contains("images: copy 1 file into"),
        "{}",
        run.stdout
    );
    let bank = fs::read_to_string(&out).unwrap();
    assert!(
        !comments_of(&bank, "HEM-ANE-03")[0].contains("needs:"),
        "{bank}"
    );
    let (_, flagged) = items_with_errors(&env, &out, &[]);
    assert!(!flagged.contains("HEM-ANE-03") && flagged.contains("MIC-GS-01"));
}

#[test]
fn moodle_id_numbers_become_ids_and_tags_fields_or_comments() {
    let env = Env::new();
    let out = env.path("class.ron");
    let run = run_import(&env, "gift", MOODLE, &out, &[]);
    run.expect_code(1);
    let bank = fs::read_to_string(&out).unwrap();
    // [id:...] is the id, not the ::name::.
    assert!(!bank.contains("Iron-deficiency-indices"));
    assert_eq!(
        comments_of(&bank, "HEM-ANE-01")[1],
        "Moodle tags: MLT, anemia"
    );
    // MLT / MLS tags set the level.
    assert_eq!(
        field_of(&bank, "HEM-ANE-01", "level").as_deref(),
        Some("\"MLT\"")
    );
    assert_eq!(
        field_of(&bank, "HEM-COA-01", "level").as_deref(),
        Some("\"MLS\"")
    );
    assert_eq!(
        field_of(&bank, "HEM-ANE-02", "level").as_deref(),
        Some("\"both\"")
    );
    // A tag naming an area gives it when the category does not.
    assert_eq!(
        field_of(&bank, "REV-02", "area").as_deref(),
        Some("\"hematology\"")
    );
    // area:, topic: and difficulty: tags set those fields.
    assert_eq!(
        field_of(&bank, "REV-03", "area").as_deref(),
        Some("\"blood-banking\"")
    );
    assert_eq!(
        field_of(&bank, "REV-03", "topic").as_deref(),
        Some("\"Transfusion reactions\"")
    );
    assert_eq!(
        field_of(&bank, "REV-03", "difficulty").as_deref(),
        Some("4")
    );
    // A tag naming another area than the category is reported, the category kept.
    assert_eq!(
        field_of(&bank, "MIC-PAR-01", "area").as_deref(),
        Some("\"microbiology\"")
    );
    assert!(run.stdout.contains(
        "line 134: \"Banana-shaped gametocytes\": the tag \"Heme\" names hematology but the category gives microbiology"
    ), "{}", run.stdout);
    assert!(
        run.stdout.contains("8 items have Moodle tags"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_missing_blank_line_between_questions_is_reported_as_such() {
    let env = Env::new();
    let out = env.path("tubes.ron");
    let run = run_import(&env, "gift", "gift/missing_blank_line.gift", &out, &[]);
    run.expect_code(1);
    for words in [
        "imported 1 of 3 questions",
        "  line 4: malformed question \"EDTA tube\": no blank line between two questions: the question on line 6 starts right after this one's answer block; add a blank line before line 6",
        "  line 6: malformed question \"Citrate tube\": no blank line before it: it starts right after the question on line 4",
    ] {
        assert!(
            run.stdout.contains(words),
            "{words:?} not in\n{}",
            run.stdout
        );
    }
    assert!(!run.stdout.contains("more than one `{`"), "{}", run.stdout);
    assert!(!run.stdout.contains("never closed"), "{}", run.stdout);
    // The numbering counts both, so the next question's generated id stays put once
    // the blank line is added.
    let bank = fs::read_to_string(&out).unwrap();
    assert!(
        bank.contains("            id: \"Fluoride-tube\",\n"),
        "{bank}"
    );
}

#[test]
fn csv_area_cells_are_read_as_instructors_write_them() {
    let env = Env::new();
    let out = env.path("areas.ron");
    let run = run_import(&env, "csv", "csv/areas.csv", &out, &[]);
    run.expect_code(1);
    let bank = fs::read_to_string(&out).unwrap();
    for (id, area) in [
        ("bb-1", "\"blood-banking\""),   // Blood Bank
        ("mic-1", "\"microbiology\""),   // Micro
        ("hem-1", "\"hematology\""),     // Heme
        ("coag-1", "\"hematology\""),    // Coag
        ("ua-1", "\"urinalysis\""),      // Urinalysis & Body Fluids
        ("chem-1", "\"chemistry\""),     // Clinical Chemistry
        ("imm-1", "\"immunology\""),     // Serology
        ("ops-1", "\"lab-operations\""), // QC
        ("mic-2", "\"microbiology\""),   // Unit 4 - Mycology
        ("x-1", "\"Microscopy\""),       // not micro: whole names only
    ] {
        assert_eq!(field_of(&bank, id, "area").as_deref(), Some(area), "{id}");
    }
    assert!(
        run.stdout
            .contains("  x-1 (line 11): \"Microscopy\" is not one of the content areas"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("    perhaps microbiology (by their words): x-2 (line 12)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn area_options_take_the_names_instructors_use() {
    let env = Env::new();
    let out = env.path("a.ron");
    let run = run_import(
        &env,
        "aiken",
        "aiken/valid.txt",
        &out,
        &["--area", "Blood Bank", "--topic", "specimens"],
    );
    run.expect_code(1);
    let bank = fs::read_to_string(&out).unwrap();
    assert_eq!(
        field_of(&bank, "a-0001", "area").as_deref(),
        Some("\"blood-banking\"")
    );
    let run = run_import(&env, "aiken", "aiken/valid.txt", &env.path("b.ron"), &[]);
    assert!(
        run.stdout
            .contains("    perhaps hematology (by their words): b-0003 (line 15)\n"),
        "{}",
        run.stdout
    );
    let run = run_import(
        &env,
        "aiken",
        "aiken/valid.txt",
        &env.path("c.ron"),
        &["--area", "Microcytic"],
    );
    run.expect_code(2);
    assert!(run.stderr.contains("not a content area"), "{}", run.stderr);
}

/// Edits a bank file as an instructor would: `(id, old, new)` replacements, each of
/// which must apply.
#[track_caller]
fn hand_edit(path: &Path, edits: &[(&str, &str)]) {
    let mut text = fs::read_to_string(path).unwrap();
    for (old, new) in edits {
        assert!(text.contains(old), "{old:?} not in\n{text}");
        text = text.replacen(old, new, 1);
    }
    fs::write(path, text).unwrap();
}

#[test]
fn update_keeps_hand_written_fields_and_reports_what_it_kept_replaced_added_and_removed() {
    let env = Env::new();
    let out = env.path("class.ron");
    run_import(&env, "gift", MOODLE, &out, &[]).expect_code(1);
    let bank = fs::read_to_string(&out).unwrap();
    let warfarin = item_lines(&bank, "HEM-COA-02").join("\n");
    hand_edit(
        &out,
        &[
            ("    author: \"imported\",", "    author: \"A. Instructor\","),
            // An explanation the import had none for.
            (
                &warfarin,
                &warfarin.replace(
                    "        ),",
                    "            explanation: \"Warfarin lowers factors II, VII, IX and X; the PT is most sensitive to factor VII.\",\n        ),",
                ),
            ),
            // A rewritten explanation, references and a note of one's own.
            (
                "explanation: \"ALT is found mainly in the liver; AST is also in heart and skeletal muscle.\",",
                "explanation: \"ALT is mostly hepatic; AST is also in heart and muscle.\", // checked\n            references: [\"Tietz, ch. 29\"],",
            ),
            // A topic of one's own.
            ("topic: \"Serology\",", "topic: \"Syphilis serology\","),
            // A calibrated difficulty on a question that will change.
            (
                "stem: \"Which cast is most indicative of glomerulonephritis?\",",
                "b: 0.8,\n            stem: \"Which cast is most indicative of glomerulonephritis?\",",
            ),
            // An explanation on a question that will be removed.
            (
                "stem: \"Which is the SI unit for the amount of a substance?\",",
                "explanation: \"The mole is the SI base unit of amount of substance.\",\n            stem: \"Which is the SI unit for the amount of a substance?\",",
            ),
        ],
    );
    // The instructor edits the questions in Moodle and exports again.
    let mut gift = fs::read_to_string(fixture(&format!("import/{MOODLE}"))).unwrap();
    gift = gift.replace(
        "Which cast is most indicative of glomerulonephritis?",
        "Which urine cast is most indicative of acute glomerulonephritis?",
    );
    let cut = gift.find("// question: 2205").unwrap();
    gift.truncate(cut);
    gift.push_str(
        "// question: 2206  name: Sweat chloride\n// [id:REV-05]\n::Sweat chloride::A sweat chloride test is used to diagnose:{\n\t=Cystic fibrosis\n\t~Diabetes insipidus\n\t~Addison disease\n\t####A sweat chloride above 60 mmol/L supports cystic fibrosis.\n}\n",
    );
    let input = env.path("moodle-v2.gift");
    fs::write(&input, gift).unwrap();
    let out_s = out.display().to_string();
    let run = env.run(&[
        "--no-builtin",
        "import",
        "gift",
        &input.display().to_string(),
        "-o",
        &out_s,
        "--update",
    ]);
    run.expect_code(1);
    for words in [
        format!("updated {out_s} from "),
        ": 27 questions; 22 unchanged, 1 changed, 1 added, 1 removed\n".to_string(),
        "  UA-SED-01 (line 147): stem changed; replaced difficulty\n".to_string(),
        "kept from the bank for unchanged questions (the file says otherwise):\n  explanation in 1 item: CHEM-ENZ-01\n  topic in 1 item: IMM-SER-01\n".to_string(),
        "added 1: REV-05\n".to_string(),
        format!("removed 1 no longer in {} (kept, commented out, at the end of {out_s}): REV-04", input.display()),
        "comments you wrote among the items of the old".to_string(),
    ] {
        assert!(run.stdout.contains(&words), "{words:?} not in\n{}", run.stdout);
    }
    let bank = fs::read_to_string(&out).unwrap();
    // The bank's own fields and the hand-written ones of unchanged questions stay.
    assert!(bank.contains("    author: \"A. Instructor\",\n"));
    assert_eq!(
        field_of(&bank, "HEM-COA-02", "explanation").as_deref(),
        Some(
            "\"Warfarin lowers factors II, VII, IX and X; the PT is most sensitive to factor VII.\""
        )
    );
    assert_eq!(
        field_of(&bank, "CHEM-ENZ-01", "explanation").as_deref(),
        Some("\"ALT is mostly hepatic; AST is also in heart and muscle.\"")
    );
    assert_eq!(
        field_of(&bank, "CHEM-ENZ-01", "references").as_deref(),
        Some("[\"Tietz, ch. 29\"]")
    );
    assert_eq!(
        field_of(&bank, "IMM-SER-01", "topic").as_deref(),
        Some("\"Syphilis serology\"")
    );
    // The changed question takes the new text; its calibrated b is kept in a comment.
    assert_eq!(
        field_of(&bank, "UA-SED-01", "stem").as_deref(),
        Some("\"Which urine cast is most indicative of acute glomerulonephritis?\"")
    );
    assert_eq!(field_of(&bank, "UA-SED-01", "b"), None);
    assert!(
        comments_of(&bank, "UA-SED-01")
            .contains(&"before this import: difficulty: 3, b: 0.8".to_string()),
        "{:?}",
        comments_of(&bank, "UA-SED-01")
    );
    // The new question is in; the removed one is commented out at the end, whole.
    assert!(field_of(&bank, "REV-05", "stem").is_some());
    let tail = &bank[bank
        .find("// Removed by `labcert import gift --update`")
        .unwrap()..];
    assert!(tail.contains("//     id: \"REV-04\",\n"), "{tail}");
    assert!(
        tail.contains(
            "//     explanation: \"The mole is the SI base unit of amount of substance.\",\n"
        ),
        "{tail}"
    );
    assert!(tail.ends_with("// ),\n"), "{tail}");
    // The merged bank reads back, and `banks check` still agrees with the report.
    let v = env.run(&[
        "--no-builtin",
        "--json",
        "import",
        "gift",
        &input.display().to_string(),
        "-o",
        &out_s,
        "--update",
    ]);
    v.expect_code(1);
    let v: serde_json::Value = serde_json::from_str(&v.stdout).unwrap();
    assert_eq!(v["update"]["unchanged"].as_array().unwrap().len(), 24);
    assert_eq!(v["update"]["removed"].as_array().unwrap().len(), 0);
    let reported: BTreeSet<String> = v["needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    let (_, flagged) = items_with_errors(&env, &out, &[]);
    assert_eq!(flagged, reported);
    assert!(!reported.contains("HEM-COA-02"), "its explanation was kept");
}

#[test]
fn update_needs_an_existing_readable_bank_and_never_force() {
    let env = Env::new();
    let out = env.path("class.ron");
    let run = run_import(&env, "gift", MOODLE, &out, &["--update"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("--update merges into a bank an earlier import wrote"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
    fs::write(&out, "Bank(\n  id: \"x\",\n  items: [ ( id: ] )\n").unwrap();
    let run = run_import(&env, "gift", MOODLE, &out, &["--update"]);
    run.expect_code(2);
    assert!(run.stderr.contains(":3:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("--update cannot merge into this bank"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "Bank(\n  id: \"x\",\n  items: [ ( id: ] )\n"
    );
    let run = run_import(&env, "gift", MOODLE, &out, &["--update", "--force"]);
    run.expect_code(2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}
