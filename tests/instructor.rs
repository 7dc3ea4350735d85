//! The instructor tools through the real binary: `labcert blueprint check`,
//! `labcert analyze` and `labcert calibrate`.
//!
//! Item analysis is checked against values computed independently with numpy
//! (tests/reference/item_analysis.py); calibration against known difficulties of
//! simulated candidates.

use std::fmt::Write as _;
use std::fs;

use crate::common::{Env, Run, fixture};
use labcert::MAX_EXPORT_FILE_BYTES;
use labcert::blueprint;
use labcert::content_hash;
use labcert::logistic;
use labcert::synthetic::standard_normal;
use labcert::{Area, Bank, LoadRequest, load};
use labcert::{BUILTIN_BANKS, check_text};

/// The header of exports made before labcert wrote `install_id` and `blueprint_id` (as
/// in the class fixture): still read, the profile alone naming the candidate.
const EXPORT_HEADER: &str = "profile,answered_at,mode,exam_id,bank_id,item_id,content_hash,area,topic,response,correct,seconds,a,b,c";
use labcert::{NewDifficulty, format_b, rewrite_difficulties};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::Value;

const CLASS_BANK: &str = "responses/class-bank.ron";
const CLASS_CSV: &str = "responses/class.csv";
/// A fixed-form quiz of 8 items taken by 15 candidates (`--blueprint fixture-quiz`),
/// with practice and review answers and two candidates of another quiz around it.
const QUIZ_BANK: &str = "responses/quiz-bank.ron";
const QUIZ_CSV: &str = "responses/quiz.csv";

#[track_caller]
fn assert_close(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: got {actual}, expected {expected} (tolerance {tol})"
    );
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.all()))
}

/// Snapshots live beside the fixtures they come from.
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "fixtures/responses/snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[track_caller]
fn assert_no_panic(run: &Run) {
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

// ---- item analysis ---------------------------------------------------------------

fn analyze_fixture(env: &Env, extra: &[&str]) -> Run {
    let bank = fixture(CLASS_BANK);
    let csv = fixture(CLASS_CSV);
    let mut args = vec!["--no-builtin", "--bank", &bank, "analyze", &csv];
    args.extend_from_slice(extra);
    env.run(&args)
}

/// The largest difference from a reference value seen so far, and where.
#[derive(Default)]
struct Deviation {
    largest: f64,
    at: String,
}

impl Deviation {
    /// Checks `actual` against `expected` to 1e-6 and remembers the difference.
    #[track_caller]
    fn check(&mut self, actual: &Value, expected: &Value, what: &str) {
        let (Some(a), Some(e)) = (actual.as_f64(), expected.as_f64()) else {
            panic!("{what}: got {actual}, expected {expected}");
        };
        assert_close(a, e, 1e-6, what);
        if (a - e).abs() > self.largest {
            self.largest = (a - e).abs();
            self.at = what.to_string();
        }
    }
}

/// Compares one analysis (`labcert analyze ... --json`) with its reference values from
/// tests/reference/item_analysis.py (numpy and scipy).
fn compare_with_reference(v: &Value, want: &Value, name: &str, dev: &mut Deviation) {
    for key in ["candidates", "answers", "repeats_ignored"] {
        assert_eq!(v[key], want[key], "{name}: {key}");
    }
    assert_eq!(
        v["selection"]["outside"], want["outside"],
        "{name}: outside"
    );
    for key in ["target", "upper", "lower"] {
        assert_eq!(
            v["groups"][key], want["groups"][key],
            "{name}: groups {key}"
        );
    }

    let test = &v["test"];
    let reference = &want["test"];
    for key in ["items", "candidates", "complete_candidates", "fixed_form"] {
        assert_eq!(test[key], reference[key], "{name}: test {key}");
    }
    let s = &test["statistics"];
    let items = reference["items"].as_f64().unwrap();
    for key in [
        "mean",
        "median",
        "sd",
        "skewness",
        "kurtosis",
        "alpha",
        "cic",
        "error_ratio",
        "sem",
    ] {
        dev.check(&s[key], &reference[key], &format!("{name}: test {key}"));
    }
    for key in ["mean", "median", "sd", "sem"] {
        let percent = reference[key].as_f64().unwrap() * 100.0 / items;
        dev.check(
            &s[format!("{key}_percent")],
            &percent.into(),
            &format!("{name}: test {key}_percent"),
        );
    }
    for key in ["mean", "median", "sd"] {
        dev.check(
            &test["percent_right"][key],
            &reference["percent_right"][key],
            &format!("{name}: percent right {key}"),
        );
    }

    let got = v["items"].as_array().unwrap();
    assert_eq!(
        got.len(),
        want["items"].as_object().unwrap().len(),
        "{name}"
    );
    for item in got {
        let id = item["item_id"].as_str().unwrap();
        let want = &want["items"][id];
        let what = |key: &str| format!("{name}: {id} {key}");
        assert_eq!(item["candidates"], want["n"], "{}", what("n"));
        for key in [
            "p",
            "facility",
            "sd",
            "random_guess_score",
            "r",
            "discrimination_index",
            "discriminative_efficiency",
            "d",
            "mean_seconds",
        ] {
            dev.check(&item[key], &want[key], &what(key));
        }
        for group in ["upper", "lower"] {
            assert_eq!(item[group], want[group], "{}", what(group));
        }
        for choice in item["choices"].as_array().unwrap() {
            let letter = choice["letter"].as_str().unwrap();
            let expected = want["choices"][letter].as_u64().unwrap_or(0);
            assert_eq!(
                choice["chosen"].as_u64(),
                Some(expected),
                "{}",
                what(letter)
            );
        }
        let values = want["values"].as_array().unwrap();
        if values.is_empty() {
            assert_eq!(item["numeric"], Value::Null, "{}", what("numeric"));
        } else {
            let mut got: Vec<(f64, u64)> = item["numeric"]["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| (v["value"].as_f64().unwrap(), v["answers"].as_u64().unwrap()))
                .collect();
            got.sort_by(|a, b| a.0.total_cmp(&b.0));
            let expected: Vec<(f64, u64)> = values
                .iter()
                .map(|v| (v[0].as_f64().unwrap(), v[1].as_u64().unwrap()))
                .collect();
            assert_eq!(got, expected, "{}", what("values"));
        }
    }
}

fn analyze_quiz(env: &Env, extra: &[&str]) -> Run {
    let bank = fixture(QUIZ_BANK);
    let csv = fixture(QUIZ_CSV);
    let mut args = vec!["--no-builtin", "--bank", &bank, "analyze", &csv];
    args.extend_from_slice(extra);
    env.run(&args)
}

#[test]
fn item_analysis_matches_the_reference_values() {
    let reference: Value =
        serde_json::from_str(include_str!("reference/item_analysis.json")).expect("reference");
    let env = Env::new();
    let mut dev = Deviation::default();

    let run = analyze_fixture(&env, &["--json", "--min-candidates", "5"]);
    run.expect_code(0);
    let v = json(&run);
    compare_with_reference(&v, &reference["class"], "class", &mut dev);
    assert_eq!(v["repeats_ignored"], 1, "ana's second answer to fx-1");
    // Hand check of one figure: fx-5 (x = 1,0,1,0,0 against rest scores
    // 1, .75, .5, .5, .5) has r = 0.2 / sqrt(1.2 * 0.2) = 1/sqrt(6).
    let items = v["items"].as_array().unwrap();
    let fx5 = items.iter().find(|i| i["item_id"] == "fx-5").unwrap();
    assert_close(fx5["r"].as_f64().unwrap(), 1.0 / 6f64.sqrt(), 1e-12, "fx-5");

    // The fixed-form quiz, and all exams (two quizzes, so not a fixed form).
    for (name, filter) in [
        ("quiz", ["--blueprint", "fixture-quiz"]),
        ("quiz_exam", ["--mode", "exam"]),
    ] {
        let mut args = vec!["--json"];
        args.extend(filter);
        let run = analyze_quiz(&env, &args);
        run.expect_code(0);
        compare_with_reference(&json(&run), &reference[name], name, &mut dev);
    }
    // Printed with --nocapture: the figure for the record.
    println!(
        "largest deviation from the numpy/scipy reference: {:e} ({})",
        dev.largest, dev.at
    );
}

#[test]
fn item_analysis_flags_what_to_review() {
    let env = Env::new();
    let run = analyze_fixture(&env, &["--json", "--min-candidates", "5"]);
    let v = json(&run);
    let flags = |id: &str| -> Vec<Value> {
        let item = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["item_id"] == id)
            .unwrap();
        item["flags"].as_array().unwrap().clone()
    };
    let names = |id: &str| -> Vec<String> {
        flags(id)
            .iter()
            .map(|f| f["flag"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names("fx-1"),
        ["weak-discrimination", "unchosen-distractor"]
    );
    assert_eq!(flags("fx-1")[1]["letters"], serde_json::json!(["A", "D"]));
    assert_eq!(
        names("fx-2"),
        ["negative-discrimination", "unchosen-distractor"]
    );
    // A select-all distractor nobody chose, and eve answered an earlier text.
    assert_eq!(
        names("fx-3"),
        ["weak-discrimination", "unchosen-distractor", "edited"]
    );
    assert_eq!(flags("fx-3")[2]["answers"], 1);
    assert!(names("fx-5").is_empty());
    let chemistry = &v["areas"][0];
    assert_eq!(chemistry["area"], "chemistry");
    assert_eq!(chemistry["items"], 2);
    assert_close(chemistry["mean_p"].as_f64().unwrap(), 0.45, 1e-12, "mean p");

    // With the default --min-candidates (10), six candidates are too few to judge.
    let run = analyze_fixture(&env, &["--json"]);
    let v = json(&run);
    for item in v["items"].as_array().unwrap() {
        assert_eq!(item["flags"][0]["flag"], "few-candidates", "{item}");
    }
}

#[test]
fn item_analysis_reads_as_a_report() {
    let env = Env::new();
    let run = analyze_fixture(&env, &["--min-candidates", "5"]);
    run.expect_code(0);
    assert!(
        run.stdout.lines().all(|l| l.chars().count() <= 80),
        "{}",
        run.stdout
    );
    snapshot!("analyze_fixture", run.stdout);
}

#[test]
fn the_quiz_reads_as_a_report_with_moodles_test_statistics() {
    let env = Env::new();
    let run = analyze_quiz(
        &env,
        &["--blueprint", "fixture-quiz", "--min-candidates", "5"],
    );
    run.expect_code(0);
    assert!(
        run.stdout.lines().all(|l| l.chars().count() <= 80),
        "{}",
        run.stdout
    );
    snapshot!("analyze_quiz", run.stdout);
}

/// Lines of `labcert analyze` on the quiz at a terminal width.
fn quiz_at_width(env: &Env, columns: usize) -> String {
    let mut cmd = env.cmd();
    cmd.env("COLUMNS", columns.to_string()).args([
        "--no-builtin",
        "--bank",
        &fixture(QUIZ_BANK),
        "analyze",
        &fixture(QUIZ_CSV),
        "--blueprint",
        "fixture-quiz",
    ]);
    let run = Run::from(cmd.output().expect("run labcert"));
    run.expect_code(0);
    for line in run.stdout.lines() {
        assert!(
            line.chars().count() <= columns,
            "over {columns} columns: {line:?}\n{}",
            run.stdout
        );
    }
    run.stdout
}

#[test]
fn the_stem_stands_next_to_the_id_shortened_to_fit() {
    let env = Env::new();
    // 80 columns (a pipe): 32 columns of stem, cut at a word with an ellipsis.
    let at_80 = quiz_at_width(&env, 80);
    let row = at_80.lines().find(|l| l.starts_with("qz-1 ")).unwrap();
    assert!(
        row.starts_with("qz-1 Which anticoagulant is used in…   "),
        "{row}"
    );
    // A wider terminal shows more of it; a short stem is whole.
    let at_100 = quiz_at_width(&env, 100);
    let row = at_100.lines().find(|l| l.starts_with("qz-1 ")).unwrap();
    assert!(
        row.starts_with("qz-1 Which anticoagulant is used in the blue-top tube…   "),
        "{row}"
    );
    let row = at_100.lines().find(|l| l.starts_with("qz-2 ")).unwrap();
    assert!(
        row.starts_with("qz-2 Platelets are fragments of which bone marrow cell?   "),
        "{row}"
    );
    // Too narrow for the table: the stem on the id's line, the figures by name below.
    let at_40 = quiz_at_width(&env, 40);
    let mut lines = at_40.lines().skip_while(|l| !l.starts_with("qz-1 "));
    assert_eq!(
        lines.next(),
        Some("qz-1 Which anticoagulant is used in the…")
    );
    assert_eq!(lines.next(), Some("      n=15, facil=73.3, SD=45.8,"));
}

#[test]
fn numeric_items_show_the_values_given_and_a_miskey_stands_out() {
    let env = Env::new();
    let run = analyze_quiz(
        &env,
        &["--blueprint", "fixture-quiz", "--min-candidates", "5"],
    );
    run.expect_code(0);
    // qz-4 is keyed 0.6 (divided by the dilution); most candidates, and all the strong
    // ones, multiplied and answered 15.
    assert!(
        run.stdout.contains(
            "      given 15 (9), 0.6* (3), 3 (2), 1.5 (1); key 0.6 mg/dL +/- 0.05; mean time\n      52.6s"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("    ! possible miskey: 4 of the 4 candidates of the upper group"),
        "{}",
        run.stdout
    );
    // 90 and 90.0 are one value; the correctly keyed item is not flagged.
    assert!(
        run.stdout
            .contains("      given 90* (7), 9 (4), 45 (4); key 90 fL +/- 0.5;"),
        "{}",
        run.stdout
    );
    let run = analyze_quiz(
        &env,
        &[
            "--blueprint",
            "fixture-quiz",
            "--min-candidates",
            "5",
            "--json",
        ],
    );
    let v = json(&run);
    let item = |id: &str| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["item_id"] == id)
            .unwrap()
            .clone()
    };
    let qz4 = item("qz-4");
    assert_eq!(qz4["kind"], "numeric");
    assert_eq!(qz4["key"], "0.6 mg/dL +/- 0.05");
    assert_eq!(
        qz4["numeric"]["values"][0],
        serde_json::json!({"value": 15.0, "answers": 9, "correct": 0})
    );
    let miskey: Vec<&Value> = qz4["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["flag"] == "possible-miskey")
        .collect();
    assert_eq!(
        miskey,
        [&serde_json::json!({"flag": "possible-miskey", "answer": "15", "upper": 4, "of": 4})]
    );
    let qz5 = item("qz-5");
    assert!(
        !qz5["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["flag"] == "possible-miskey"),
        "{qz5}"
    );
    assert_eq!(
        qz5["stem"],
        "A blood has an Hct of 45% and an RBC count of 5.0 x 10^12/L. What is the MCV in fL?"
    );
}

#[test]
fn mode_and_blueprint_select_the_answers() {
    let env = Env::new();
    let figures = |extra: &[&str]| -> Value {
        let mut args = vec!["--json"];
        args.extend_from_slice(extra);
        let run = analyze_quiz(&env, &args);
        run.expect_code(0);
        json(&run)
    };
    // Everything: 139 answers, some practice before the exam and some review after.
    let all = figures(&[]);
    assert_eq!(
        (&all["candidates"], &all["answers"], &all["repeats_ignored"]),
        (&17.into(), &126.into(), &13.into())
    );
    assert_eq!(all["selection"]["modes"], serde_json::json!([]));
    // Exams only: both quizzes; the practised items count with their exam answer.
    let exams = figures(&["--mode", "exam"]);
    assert_eq!(exams["selection"]["outside"], 13);
    assert_eq!(exams["selection"]["seen_before"], 10);
    assert_eq!(exams["test"]["fixed_form"], false);
    // A comma list and a repeated flag are the same selection.
    let both = figures(&["--mode", "exam,review"]);
    assert_eq!(figures(&["--mode", "review", "--mode", "exam"]), both);
    assert_eq!(
        both["selection"]["modes"],
        serde_json::json!(["review", "exam"])
    );
    assert_eq!(both["selection"]["outside"], 10);
    // One exam style: the other quiz, 2 candidates on 3 items, a fixed form.
    let other = figures(&["--blueprint", "other-quiz"]);
    assert_eq!(
        (&other["candidates"], &other["answers"]),
        (&2.into(), &6.into())
    );
    assert_eq!(other["test"]["fixed_form"], true);
    assert_eq!(other["selection"]["blueprint"], "other-quiz");
    // Review answers alone: three candidates, one item each.
    let review = figures(&["--mode", "review"]);
    assert_eq!(
        (&review["candidates"], &review["answers"]),
        (&3.into(), &3.into())
    );

    // The text says what was selected.
    let run = analyze_quiz(&env, &["--mode", "exam"]);
    assert!(
        run.stdout
            .contains("Selected with --mode exam: 13 other answers left out. 10 of")
            && run.stdout.contains("Not a fixed form")
            && run
                .stdout
                .contains("Test statistics over the 15 of 17 candidates who answered all 8 items:"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_selection_that_keeps_nothing_says_what_the_files_hold() {
    let env = Env::new();
    let run = analyze_quiz(&env, &["--blueprint", "spring-quiz"]);
    run.expect_code(1);
    assert_no_panic(&run);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "error: no answers match --blueprint spring-quiz; the files hold 139 answers: 126 exam, 10 practice, 3 review; exam answers by exam style (--blueprint): fixture-quiz 120, other-quiz 6"
        ),
        "{}",
        run.stderr
    );
    let run = analyze_quiz(&env, &["--mode", "practice", "--blueprint", "fixture-quiz"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("only exam answers have a blueprint id, so --blueprint needs --mode exam"),
        "{}",
        run.stderr
    );
    // The class fixture was exported before labcert wrote blueprint ids.
    let run = analyze_fixture(&env, &["--blueprint", "fixture-quiz"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("(no blueprint id: exported by an older labcert) 29"),
        "{}",
        run.stderr
    );
    // A mode that is not one is a usage error.
    analyze_quiz(&env, &["--mode", "quiz"]).expect_code(2);
}

#[test]
fn items_missing_from_the_banks_are_still_analysed() {
    let env = Env::new();
    let run = env.run(&["--no-builtin", "--json", "analyze", &fixture(CLASS_CSV)]);
    run.expect_code(0);
    let v = json(&run);
    for item in v["items"].as_array().unwrap() {
        assert_eq!(item["kind"], Value::Null);
        let flags: Vec<&str> = item["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["flag"].as_str().unwrap())
            .collect();
        assert!(flags.contains(&"not-in-bank"), "{item}");
        // The letters seen are still counted.
        assert!(!item["choices"].as_array().unwrap().is_empty());
    }
}

#[test]
fn candidates_can_come_from_file_names() {
    let env = Env::new();
    let text = fs::read_to_string(fixture(CLASS_CSV)).unwrap();
    // Two students whose exports both say profile "default".
    let alice = env.path("alice.csv");
    let bob = env.path("bob.csv");
    let rows: Vec<&str> = text.lines().collect();
    let as_default = |rows: &[&str]| -> String {
        let mut out = format!("{EXPORT_HEADER}\n");
        for row in rows {
            let rest = row.split_once(',').unwrap().1;
            writeln!(out, "default,{rest}").unwrap();
        }
        out
    };
    fs::write(&alice, as_default(&rows[2..7])).unwrap();
    fs::write(&bob, as_default(&rows[7..12])).unwrap();
    let (a, b) = (alice.display().to_string(), bob.display().to_string());
    let merged = env.run(&["--no-builtin", "--json", "analyze", &a, &b]);
    assert_eq!(json(&merged)["candidates"], 1);
    assert_eq!(json(&merged)["repeats_ignored"], 5);
    // Old exports cannot tell them apart: the merge is warned about, with the way out.
    assert!(
        merged
            .stderr
            .contains(&format!("profile \"default\" is in {a}, {b}"))
            && merged.stderr.contains("add --candidate-from-file"),
        "{}",
        merged.stderr
    );
    let apart = env.run(&[
        "--no-builtin",
        "--json",
        "analyze",
        "--candidate-from-file",
        &a,
        &b,
    ]);
    assert_eq!(json(&apart)["candidates"], 2);
    assert_eq!(json(&apart)["answers"], 10);
}

// ---- bad input ---------------------------------------------------------------------

fn analyze_file(env: &Env, name: &str, contents: &[u8]) -> Run {
    let path = env.path(name);
    fs::write(&path, contents).unwrap();
    let run = env.run(&["--no-builtin", "analyze", &path.display().to_string()]);
    assert_no_panic(&run);
    run
}

fn good_rows() -> String {
    fs::read_to_string(fixture(CLASS_CSV)).unwrap()
}

#[test]
fn a_file_that_is_not_utf8_is_located() {
    let env = Env::new();
    let mut bytes = good_rows().into_bytes();
    // "café" in Latin-1 at the start of the topic on line 3: the é is column 83.
    let line3 = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .unwrap()
        .0
        + 1;
    let topic = line3
        + "ana,2026-11-02T09:00:00Z,exam,1,class-fixture,fx-1,1420d246415113fb,hematology,".len();
    bytes.splice(topic..topic, [b'c', b'a', b'f', 0xE9, b' ']);
    let run = analyze_file(&env, "latin1.csv", &bytes);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("latin1.csv:3:83: not UTF-8 text (byte 0xE9)"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_columns_are_named() {
    let env = Env::new();
    let text = good_rows().replace(",correct,", ",right,");
    let run = analyze_file(&env, "renamed.csv", text.as_bytes());
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("renamed.csv:1: the header lacks the column `correct`"),
        "{}",
        run.stderr
    );
    let run = analyze_file(&env, "notes.csv", b"name,score\nalice,12\n");
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("lacks the columns `profile`, `answered_at`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let env = Env::new();
    let path = env.path("huge.csv");
    // A sparse file: no disk space used, but its length is over the limit.
    fs::File::create(&path)
        .unwrap()
        .set_len(MAX_EXPORT_FILE_BYTES + 1)
        .unwrap();
    let run = env.run(&["--no-builtin", "analyze", &path.display().to_string()]);
    assert_no_panic(&run);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("huge.csv: the file is larger than 128 MiB"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_malformed_row_is_listed_with_its_line() {
    let env = Env::new();
    let mut text = good_rows();
    text = text.replacen(",B,1,31.5,", ",B,yes,31.5,", 1); // line 3
    text = text.replacen("2026-11-02T09:30:00Z", "last tuesday", 1); // line 8
    text = text.replacen(",anemias,B,1,55.25,", ",anemias,\"B\"x,1,55.25,", 1); // line 13
    text.push_str("eve,2026-11-02T12:00:00Z,exam,5,class-fixture\r\n"); // line 32
    text.push_str("eve,2026-11-02T12:00:00Z,exam,5,class-fixture,fx-9,1420d246415113fb,hemo,t,A,1,2,1,0,0\r\n");
    text.push_str("eve,2026-11-02T12:00:00Z,exam,5,class-fixture,fx-9,1420d246415113fb,hematology,t,\"A,1,2,1,0,0\r\n");
    let run = analyze_file(&env, "broken.csv", text.as_bytes());
    run.expect_code(1);
    let expected = [
        "broken.csv: 6 malformed rows:",
        "broken.csv:3: correct is \"yes\"; it must be 1 or 0",
        "broken.csv:8: answered_at \"last tuesday\" is not an RFC 3339 time",
        "broken.csv:13:91: field 10 has text after its closing quote",
        "broken.csv:32: this row has 5 fields but the header has 15",
        "broken.csv:33: unknown area \"hemo\"",
        "broken.csv:34:82: field 10 opens a quote (\") on line 34 that is never closed",
    ];
    for line in expected {
        assert!(
            run.stderr.contains(line),
            "missing {line:?} in\n{}",
            run.stderr
        );
    }
}

#[test]
fn unreadable_files_exit_2_and_binary_files_1() {
    let env = Env::new();
    let run = env.run(&["--no-builtin", "analyze", "no-such-file.csv"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("no-such-file.csv: no such file"),
        "{}",
        run.stderr
    );
    let dir = env.dir.path().display().to_string();
    let run = env.run(&["--no-builtin", "analyze", &dir]);
    run.expect_code(2);
    assert!(run.stderr.contains("is a folder"), "{}", run.stderr);
    // Every file's problem is reported, and a missing file decides the exit code.
    let run = analyze_file(&env, "nul.csv", b"profile,answered_at\n\0\0\0");
    run.expect_code(1);
    assert!(
        run.stderr.contains("nul.csv:2: a NUL byte"),
        "{}",
        run.stderr
    );
    let nul = env.path("nul.csv").display().to_string();
    let run = env.run(&["--no-builtin", "calibrate", &nul, "gone.csv", "-o", "x.ron"]);
    run.expect_code(2);
    assert!(run.stderr.contains("nul.csv:2") && run.stderr.contains("gone.csv: no such file"));
    let run = analyze_file(&env, "empty.csv", b"");
    run.expect_code(1);
    assert!(
        run.stderr.contains("empty.csv: the file is empty"),
        "{}",
        run.stderr
    );
    let run = analyze_file(
        &env,
        "header-only.csv",
        format!("{EXPORT_HEADER}\n").as_bytes(),
    );
    run.expect_code(1);
    assert!(run.stderr.contains("holds no answers"), "{}", run.stderr);
}

// ---- calibration -------------------------------------------------------------------

/// A bank of Rasch items: ids `{prefix}-NNN`, four choices, key A, the given `b` (or a
/// difficulty rating when `None`).
fn bank_text(id: &str, bs: &[Option<f64>]) -> String {
    let mut out = format!(
        "// Calibration test bank.\nBank(\n    id: \"{id}\",\n    title: \"Calibration test\",\n    author: \"labcert tests\",\n    version: \"1\",\n    license: \"CC0-1.0\",\n    items: [\n"
    );
    for (k, b) in bs.iter().enumerate() {
        let area = Area::ALL[k % Area::ALL.len()].name();
        let difficulty = match b {
            Some(b) => format!("b: {b:.3},"),
            None => "difficulty: 3,".to_string(),
        };
        write!(
            out,
            "        (\n            id: \"{id}-{k:03}\",\n            area: \"{area}\",\n            topic: \"topic {k}\",\n            level: \"both\",\n            {difficulty}\n            stem: \"Question {k} of the calibration bank, about topic {k} in {area}?\",\n            answer: SingleBest(choices: [\"first {k}\", \"second {k}\", \"third {k}\", \"fourth {k}\"], key: \"A\"),\n            explanation: \"The first choice is right for question {k}.\",\n            references: [\"Test reference\"],\n        ),\n"
        )
        .unwrap();
    }
    out.push_str("    ],\n)\n");
    out
}

fn checked_bank(name: &str, text: &str) -> Bank {
    let report = check_text(name, text);
    assert_eq!(report.errors(), 0, "{name} has errors");
    report.banks[0].clone()
}

/// One export row: the key A when right, a wrong letter when not.
fn export_row(
    out: &mut String,
    candidate: &str,
    k: usize,
    bank: &Bank,
    item: usize,
    correct: bool,
) {
    let it = &bank.items[item];
    let response = if correct {
        "A"
    } else {
        ["B", "C", "D"][(k + item) % 3]
    };
    writeln!(
        out,
        "{candidate},2026-11-21T{:02}:{:02}:00Z,exam,1,{},{},{},{},{},{response},{},30.0,1,{},0",
        9 + item / 60,
        item % 60,
        bank.id,
        it.id,
        content_hash(it),
        it.area.name(),
        it.topic,
        u8::from(correct),
        it.irt.b
    )
    .unwrap();
}

#[test]
fn calibration_recovers_known_difficulties() {
    let mut rng = StdRng::seed_from_u64(20_261_121);
    let true_b: Vec<f64> = (0..100).map(|_| standard_normal(&mut rng)).collect();
    // The bank holds the author's guesses: the true b plus N(0, 0.5) error.
    let guesses: Vec<Option<f64>> = true_b
        .iter()
        .map(|b| Some((b + 0.5 * standard_normal(&mut rng)).clamp(-5.0, 5.0)))
        .collect();
    let env = Env::new();
    let text = bank_text("sim", &guesses);
    let bank_path = env.path("sim.ron");
    fs::write(&bank_path, &text).unwrap();
    let bank = checked_bank("sim.ron", &text);
    let mut csv = format!("{EXPORT_HEADER}\n");
    for k in 0..500 {
        let theta = standard_normal(&mut rng);
        for (item, b) in true_b.iter().enumerate() {
            let correct = rng.random::<f64>() < logistic(theta - b);
            export_row(
                &mut csv,
                &format!("student-{k:03}"),
                k,
                &bank,
                item,
                correct,
            );
        }
    }
    let csv_path = env.path("class.csv");
    fs::write(&csv_path, csv).unwrap();
    let out_path = env.path("sim-calibrated.ron");
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank_path.display().to_string(),
        "--json",
        "calibrate",
        &csv_path.display().to_string(),
        "-o",
        &out_path.display().to_string(),
    ]);
    run.expect_code(0);
    let v = json(&run);
    assert_eq!(v["items"].as_array().unwrap().len(), 100);
    assert_eq!(v["anchoring"]["rule"], "given-b");

    let written = fs::read_to_string(&out_path).unwrap();
    let calibrated = checked_bank("sim-calibrated.ron", &written);
    let new_b: Vec<f64> = calibrated.items.iter().map(|i| i.irt.b).collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    // Anchoring as documented: the items whose b the bank gave keep their mean b
    // (up to the two decimals written).
    let old_b: Vec<f64> = bank.items.iter().map(|i| i.irt.b).collect();
    assert_close(mean(&new_b), mean(&old_b), 0.006, "anchored mean");
    // Aligning the scales: the true b's origin is arbitrary, so compare after matching
    // means.
    let offset = mean(&new_b) - mean(&true_b);
    let rmse = (new_b
        .iter()
        .zip(&true_b)
        .map(|(n, t)| (n - offset - t).powi(2))
        .sum::<f64>()
        / 100.0)
        .sqrt();
    let guess_rmse = (old_b
        .iter()
        .zip(&true_b)
        .map(|(g, t)| (g - t).powi(2))
        .sum::<f64>()
        / 100.0)
        .sqrt();
    eprintln!("recovery RMSE {rmse:.4} (the bank's guesses: {guess_rmse:.4}); offset {offset:+.4}");
    assert!(rmse < 0.15, "RMSE {rmse}");
    assert!(rmse < guess_rmse / 2.0);
    // Standard errors are about 1/sqrt(500 PQ): 0.09 to 0.2 for these items.
    for item in v["items"].as_array().unwrap() {
        let se = item["se"].as_f64().unwrap();
        assert!((0.08..0.3).contains(&se), "{item}");
    }
    // Every calibrated item carries its comment.
    assert_eq!(
        written.matches("// calibrated: n = 500, se = 0.").count(),
        100
    );
    assert!(written.starts_with("// Calibration test bank.\n"));
}

/// 40 candidates on six items: `ok-0`..`ok-3` mixed, `sim-004` all right, `sim-005` all
/// wrong, `sim-006` answered by 10 only. Candidate 0 is right and candidate 1 wrong on
/// every item they answer.
fn refusal_class(env: &Env) -> (String, String) {
    let bs = [
        Some(-1.0),
        Some(-0.5),
        Some(0.5),
        None,
        Some(-2.0),
        Some(2.0),
        Some(0.0),
    ];
    let text = bank_text("sim", &bs);
    let bank = checked_bank("sim.ron", &text);
    let bank_path = env.path("sim.ron");
    fs::write(&bank_path, &text).unwrap();
    let mut csv = format!("{EXPORT_HEADER}\n");
    for k in 0..40 {
        let name = format!("s{k:02}");
        for item in 0..7 {
            let correct = match (k, item) {
                (_, 4) => true,
                (_, 5) => false,
                (_, 6) if k >= 10 => continue,
                (0, _) => true,
                (1, _) => false,
                (_, 6) => k % 2 == 0,
                // Mixed: item 0 right for 3 candidates in 4, items 1 and 2 for 2 in 4,
                // item 3 for 1 in 4; every candidate has a right and a wrong answer.
                _ => (k + item) % 4 < [3, 2, 2, 1][item],
            };
            export_row(&mut csv, &name, k, &bank, item, correct);
        }
    }
    let csv_path = env.path("class.csv");
    fs::write(&csv_path, csv).unwrap();
    (
        bank_path.display().to_string(),
        csv_path.display().to_string(),
    )
}

#[test]
fn items_that_cannot_be_calibrated_are_refused_one_by_one() {
    let env = Env::new();
    let (bank, csv) = refusal_class(&env);
    let out = env.path("out.ron").display().to_string();
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "calibrate",
        &csv,
        "-o",
        &out,
    ]);
    run.expect_code(0);
    // The report wraps at 80 columns; compare with the white space collapsed.
    let flat = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for line in [
        // One line per reason (sim-006 has 10 answers, 8 once s00 and s01 are out).
        "Not calibrated (3 items; they keep their b):",
        "- 1 item, fewer than 10 answers (--min-answers sets how many): sim-006",
        "- 1 item, every answer right: easier than this class can show: sim-004",
        "- 1 item, every answer wrong: harder than this class can show: sim-005",
        "Left out, having no finite ability: 1 with every answer right and 1 with every answer wrong.",
    ] {
        assert!(flat.contains(line), "missing {line:?} in\n{}", run.stdout);
    }
    assert!(
        run.stdout.lines().all(|l| l.chars().count() <= 80),
        "{}",
        run.stdout
    );
    // The copy passes `labcert banks check`, with the original loaded beside it.
    env.run(&["--no-builtin", "--bank", &bank, "banks", "check", &out])
        .expect_code(0);
    let written = fs::read_to_string(&out).unwrap();
    let calibrated = checked_bank("out.ron", &written);
    let b = |id: &str| calibrated.items.iter().find(|i| i.id == id).unwrap().irt.b;
    // Refused items keep their b and get no comment; the rest are calibrated.
    assert_eq!((b("sim-004"), b("sim-005"), b("sim-006")), (-2.0, 2.0, 0.0));
    assert_eq!(written.matches("// calibrated:").count(), 4);
    assert!(written.contains("            // calibrated: n = 38, se = "));
    // sim-003 had no b: one was inserted above its stem.
    let at = written.find("id: \"sim-003\"").unwrap();
    assert!(written[at..].contains("difficulty: 3,\n            // calibrated: n = 38"));

    // With --min-answers 5, sim-006 has enough answers (8, once s00 and s01 are out).
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "--json",
        "calibrate",
        "--force",
        &csv,
        "-o",
        &out,
        "--min-answers",
        "5",
    ]);
    run.expect_code(0);
    let v = json(&run);
    let refused: Vec<&str> = v["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(refused, ["all-right", "all-wrong"]);
    assert_eq!(v["candidates_all_right"], 1);
    assert_eq!(v["candidates_all_wrong"], 1);
    assert_eq!(v["candidates_used"], 38);
}

#[test]
fn nothing_calibrated_writes_nothing() {
    let env = Env::new();
    let (bank, csv) = refusal_class(&env);
    let out = env.path("out.ron");
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "calibrate",
        "--force",
        &csv,
        "-o",
        &out.display().to_string(),
        "--min-answers",
        "1000",
    ]);
    run.expect_code(1);
    let flat = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("fewer than 1000 answers (--min-answers sets how many): sim-000, sim-001"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn calibrate_needs_to_know_which_bank() {
    let env = Env::new();
    let (bank, csv) = refusal_class(&env);
    let run = env.run(&["--no-builtin", "calibrate", &csv, "-o", "x.ron"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(
            "none of the answered items is in a loaded bank (the answers are to bank sim)"
        ),
        "{}",
        run.stderr
    );
    // Answers to two loaded banks: calibrated together into a folder, or one picked.
    let two = format!("{}{}", fs::read_to_string(&csv).unwrap(), {
        let rows = fs::read_to_string(fixture(CLASS_CSV)).unwrap();
        rows.split_once('\n').unwrap().1.to_string()
    });
    let both = env.path("both.csv");
    fs::write(&both, two).unwrap();
    let both = both.display().to_string();
    let class_bank = fixture(CLASS_BANK);
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "--bank",
        &class_bank,
        "calibrate",
        &both,
        "-o",
        "x.ron",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("the answers are to items of 2 banks (sim, class-fixture), calibrated together on one scale: give -o a folder"),
        "{}",
        run.stderr
    );
    let folder = env.path("calibrated");
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "--bank",
        &class_bank,
        "--json",
        "calibrate",
        &both,
        "-o",
        &format!("{}/", folder.display()),
        "--min-answers",
        "3",
    ]);
    run.expect_code(0);
    let v = json(&run);
    assert_eq!(v["banks"], serde_json::json!(["sim", "class-fixture"]));
    let outputs = v["outputs"].as_object().unwrap();
    assert_eq!(
        outputs["sim"].as_str().unwrap(),
        folder.join("sim.ron").display().to_string()
    );
    for (bank_id, path) in outputs {
        let text = fs::read_to_string(path.as_str().unwrap()).unwrap();
        assert!(text.contains(&format!("id: \"{bank_id}\"")));
        assert!(text.contains("// calibrated:"), "{bank_id}");
    }
    let out = env.path("out.ron").display().to_string();
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "--bank",
        &class_bank,
        "calibrate",
        "--force",
        &both,
        "-o",
        &out,
        "--bank-id",
        "sim",
    ]);
    run.expect_code(0);
    assert!(
        run.stdout
            .contains("Not used: 29 answers to items of banks not being calibrated"),
        "{}",
        run.stdout
    );
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "calibrate",
        "--force",
        &csv,
        "-o",
        &out,
        "--anchor",
        "nope",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("--anchor names \"nope\" not in bank \"sim\""),
        "{}",
        run.stderr
    );
}

/// A shipped bank's (possibly rewritten) text checked as the copy that replaces it, with
/// the other shipped banks loaded, so links between banks (enemies) resolve.
fn checked_as_replacement(name: &str, text: &str) -> Bank {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, text).unwrap();
    let report = labcert::load(&labcert::LoadRequest {
        builtin: true,
        only_report: Some(vec![path.clone()]),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        report.errors(),
        0,
        "{name}:\n{}",
        labcert::render_to_string(&report.sources, &report.diagnostics)
    );
    report
        .banks
        .into_iter()
        .find(|b| b.origin == labcert::BankOrigin::File(path.clone()))
        .expect("the checked bank")
}

#[test]
fn every_shipped_bank_can_be_rewritten_and_still_checks() {
    for (name, text) in BUILTIN_BANKS {
        let bank = checked_as_replacement(name, text);
        let updates: Vec<NewDifficulty> = bank
            .items
            .iter()
            .enumerate()
            .map(|(k, item)| NewDifficulty {
                item_id: item.id.clone(),
                b: -2.0 + 0.01 * k as f64,
                note: format!("n = {k}, se = 0.20, 2026-11-21"),
            })
            .collect();
        let out = rewrite_difficulties(text, &updates).unwrap();
        let rewritten = checked_as_replacement(name, &out);
        assert_eq!(rewritten.items.len(), bank.items.len());
        for (k, (old, new)) in bank.items.iter().zip(&rewritten.items).enumerate() {
            let expected: f64 = format_b(-2.0 + 0.01 * k as f64).parse().unwrap();
            assert_eq!(new.irt.b, expected, "{name} {}", new.id);
            assert_eq!(
                (&new.id, &new.stem, &new.answer),
                (&old.id, &old.stem, &old.answer)
            );
        }
        // Only b values and comment lines changed.
        let removed: Vec<&str> = text
            .lines()
            .filter(|l| !out.lines().any(|o| o == *l))
            .collect();
        assert!(
            removed.iter().all(|l| l.trim_start().starts_with("b: ")),
            "{name}: {removed:?}"
        );
    }
}

// ---- blueprint check ---------------------------------------------------------------

#[test]
fn the_shipped_banks_support_every_shipped_style() {
    let library = load(&LoadRequest {
        builtin: true,
        ..Default::default()
    })
    .unwrap()
    .into_library()
    .ok()
    .unwrap();
    let env = Env::new();
    for (style, needed) in [
        ("ascp-mls", [22, 22, 22, 10, 22, 10, 10]),
        ("ascp-mlt", [20, 25, 25, 10, 20, 10, 10]),
        ("amt-mlt", [39, 41, 49, 8, 20, 23, 30]),
        ("amt-mls", [40, 42, 50, 8, 20, 24, 31]),
    ] {
        let run = env.run(&["--json", "blueprint", "check", "--style", style]);
        run.expect_code(0);
        let v = json(&run);
        assert_eq!(v["supported"], true, "{style}");
        assert_eq!(v["shortfalls"], serde_json::json!([]), "{style}");
        let bp = blueprint::shipped(style).unwrap();
        let mut fewest = usize::MAX;
        for (k, area) in Area::ALL.into_iter().enumerate() {
            let row = &v["areas"][k];
            assert_eq!(row["area"], area.name(), "{style}");
            assert_eq!(row["needed"], needed[k], "{style} {area}");
            // Counted independently: single-best items of the area that the level
            // admits, with four choices for the AMT styles.
            let have = library
                .items()
                .filter(|(_, i)| {
                    i.area == area
                        && bp.level.admits(i.level)
                        && matches!(&i.answer, labcert::Answer::SingleBest { choices, .. }
                            if !style.starts_with("amt") || choices.len() == 4)
                })
                .count();
            assert_eq!(row["available"], have, "{style} {area}");
            assert_eq!(
                row["exams_without_repeats"],
                have / needed[k],
                "{style} {area}"
            );
            fewest = fewest.min(have / needed[k]);
        }
        assert_eq!(v["exams_without_repeats"], fewest, "{style}");
        let text = env.run(&["blueprint", "check", "--style", style]);
        text.expect_code(0);
        assert!(
            text.stdout
                .ends_with("The loaded banks support this blueprint.\n")
        );
        assert!(
            text.stdout.lines().all(|l| l.chars().count() <= 80),
            "{}",
            text.stdout
        );
    }
}

#[test]
fn a_small_bank_falls_short_with_plain_sentences() {
    let env = Env::new();
    let bank = fixture(CLASS_BANK);
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "blueprint",
        "check",
        "--style",
        "ascp-mls",
    ]);
    run.expect_code(1);
    for sentence in [
        // Only single-best items count for an ASCP-style exam: hematology's select-all
        // item does not.
        "  - blood-banking needs 22 per exam but has no MLS single-best items: add at",
        "  - chemistry needs 22 per exam but has 2 MLS single-best items: add at least 20",
        "  - hematology needs 22 per exam but has 2 MLS single-best items: add at least",
        "The loaded banks fall short of this blueprint in 7 areas.",
    ] {
        assert!(
            run.stdout.contains(sentence),
            "missing {sentence:?} in\n{}",
            run.stdout
        );
    }
    snapshot!("blueprint_shortfall", run.stdout);
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "--json",
        "blueprint",
        "check",
        "--style",
        "amt-mlt",
    ]);
    run.expect_code(1);
    let v = json(&run);
    assert_eq!(
        v["shortfalls"][0],
        "blood-banking needs 39 per exam but has no MLT single-best items with 4 choices: add at least 39"
    );
}

#[test]
fn a_blueprint_file_the_bank_just_supports() {
    let env = Env::new();
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &fixture(CLASS_BANK),
        "blueprint",
        "check",
        "--blueprint",
        &fixture("responses/quiz-blueprint.ron"),
    ]);
    run.expect_code(0);
    snapshot!("blueprint_quiz", run.stdout);
    let run = env.run(&["blueprint", "check", "--blueprint", "no-such-blueprint.ron"]);
    run.expect_code(2);
    assert!(run.stderr.contains("no-such-blueprint.ron: no such file"));
}

#[test]
fn groups_of_items_no_candidate_links_are_warned_about() {
    // Two cohorts: the first answers items 0-3, the second items 4-7; no one answers both.
    let env = Env::new();
    let text = bank_text("split", &[Some(0.0); 8]);
    let bank = checked_bank("split.ron", &text);
    let bank_path = env.path("split.ron");
    fs::write(&bank_path, &text).unwrap();
    let mut csv = format!("{EXPORT_HEADER}\n");
    for k in 0..60 {
        let name = format!("c{k:02}");
        let items = if k < 30 { 0..4 } else { 4..8 };
        for item in items {
            export_row(&mut csv, &name, k, &bank, item, (k + item) % 3 != 0);
        }
    }
    let csv_path = env.path("split.csv");
    fs::write(&csv_path, csv).unwrap();
    let out = env.path("out.ron").display().to_string();
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank_path.display().to_string(),
        "calibrate",
        &csv_path.display().to_string(),
        "-o",
        &out,
    ]);
    let flat = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("warning: no candidate links these groups of items (sizes 4, 4)"),
        "{}",
        run.stdout
    );
    let json = env.run(&[
        "--no-builtin",
        "--bank",
        &bank_path.display().to_string(),
        "--json",
        "calibrate",
        &csv_path.display().to_string(),
        "-o",
        &env.path("out2.ron").display().to_string(),
    ]);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["item_groups"], serde_json::json!([4, 4]));
}

/// A class of students who all kept the profile `default`, each on their own machine
/// (data directory): their exports stay 25 candidates, not one.
#[test]
fn students_who_all_use_the_default_profile_never_merge() {
    let class_dir = tempfile::tempdir().unwrap();
    let bank = fixture("responses/class-bank.ron");
    let mut files = Vec::new();
    for student in 0..25u64 {
        let env = Env::new();
        // Each student answers differently: a letter from a small generator (A-C, which
        // every item in the bank has).
        let answers: String = (0..8)
            .map(|k| ["A", "B", "C"][((student * 7 + k * 2 + student * k) % 3) as usize])
            .map(|l| format!("{l}\n"))
            .collect();
        let mut practice = env.cmd();
        practice.args([
            "--no-builtin",
            "--bank",
            &bank,
            "--seed",
            &student.to_string(),
            "practice",
            "--questions",
            "8",
        ]);
        crate::common::run_with_input(practice, &answers).expect_code(0);
        let out = class_dir.path().join(format!("student-{student:02}.csv"));
        env.run(&["export", "--out", &out.display().to_string()])
            .expect_code(0);
        files.push(out.display().to_string());
    }
    let env = Env::new();
    let mut args = vec!["--no-builtin", "--bank", bank.as_str(), "--json", "analyze"];
    args.extend(files.iter().map(String::as_str));
    let run = env.run(&args);
    run.expect_code(0);
    assert_eq!(json(&run)["candidates"], 25, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);

    // The same student's file given twice is noticed, and counted once.
    args.push(files[3].as_str());
    let run = env.run(&args);
    run.expect_code(0);
    assert_eq!(json(&run)["candidates"], 25);
    assert!(
        run.stderr.contains("the same student's export given twice")
            && run.stderr.contains(&files[3]),
        "{}",
        run.stderr
    );
}

/// Rasch fit (infit, outfit) and the centred difficulties agree with an independent
/// scipy JML (tests/reference/rasch_fit.py) on a class of 25, to 1e-6; the text shows
/// the fit columns, the rough items and a Wright map.
#[test]
fn rasch_fit_and_difficulties_match_the_reference_values() {
    let reference: Value =
        serde_json::from_str(&fs::read_to_string("tests/reference/rasch_fit.json").unwrap())
            .unwrap();
    let env = Env::new();
    let mut items = String::new();
    for j in 1..=12 {
        items.push_str(&format!(
            "(id: \"fit-{j}\", area: \"hematology\", topic: \"anemias\", level: \"both\", difficulty: 3,
              stem: \"Fit item {j} {}?\", answer: SingleBest(choices: [\"A {j}\", \"B {j}\"], key: \"A\"),
              explanation: \"E.\", references: [\"Rodak\"]),\n",
            "w".repeat(j)
        ));
    }
    let bank = env.path("fit.ron");
    fs::write(
        &bank,
        format!("Bank(id: \"fit\", title: \"F\", author: \"a\", version: \"1\", license: \"CC0-1.0\", items: [{items}])"),
    )
    .unwrap();
    let bank = bank.display().to_string();
    let out = env.path("calibrated.ron").display().to_string();
    let args = |json: bool| {
        let mut a = vec!["--no-builtin", "--bank", bank.as_str()];
        if json {
            a.push("--json");
        }
        a.extend([
            "calibrate",
            "--include-edited",
            "--force",
            "tests/fixtures/responses/fit.csv",
            "-o",
            out.as_str(),
        ]);
        a
    };
    let run = env.run(&args(true));
    run.expect_code(0);
    let v = json(&run);
    let got = v["items"].as_array().unwrap();
    assert_eq!(got.len(), 12);
    let mean_b = got.iter().map(|i| i["b"].as_f64().unwrap()).sum::<f64>() / 12.0;
    for item in got {
        let id = item["item_id"].as_str().unwrap();
        let want = &reference["items"][id];
        let field = |v: &Value, k: &str| v[k].as_f64().unwrap();
        assert_close(
            field(item, "b") - mean_b,
            field(want, "b_centred"),
            1e-6,
            &format!("{id} b"),
        );
        assert_close(
            field(item, "infit"),
            field(want, "infit"),
            1e-6,
            &format!("{id} infit"),
        );
        assert_close(
            field(item, "outfit"),
            field(want, "outfit"),
            1e-6,
            &format!("{id} outfit"),
        );
        // Rough exactly when the standard error is above half a logit.
        assert_eq!(item["rough"], field(item, "se") > 0.5, "{id}");
    }
    assert_eq!(v["abilities"].as_array().unwrap().len(), 25);

    let text = env.run(&args(false));
    text.expect_code(0);
    assert!(
        text.stdout.contains("infit outfit") && text.stdout.contains("Wright map"),
        "{}",
        text.stdout
    );
    // Every candidate is on the map: the marks stand for 25 in all.
    let marks: usize = text
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Wright map"))
        .skip_while(|l| !l.contains('|'))
        .take_while(|l| l.contains('|'))
        .map(|l| l.split('|').next().unwrap().matches('#').count())
        .sum();
    assert_eq!(marks, 25, "one # per candidate: {}", text.stdout);
}

/// docs/instructors.md's walkthrough, command by command: a Moodle GIFT export to a
/// usable bank, a percent-scored unit quiz taken by 25 students who all kept the
/// profile `default`, item analysis, calibration, and the bank back to Moodle.
#[test]
fn the_walkthrough_in_the_instructors_guide_runs() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).display().to_string();
    fs::copy(
        "tests/fixtures/import/gift/moodle_export.gift",
        dir.path().join("moodle.gift"),
    )
    .unwrap();
    let instructor = Env::new();
    let run = |env: &Env, args: &[&str]| {
        let mut cmd = env.cmd();
        cmd.current_dir(dir.path()).args(args);
        Run::from(cmd.output().unwrap())
    };

    // 1. Import: items need attention (exit 1), images to copy are named.
    let import = run(
        &instructor,
        &["import", "gift", "moodle.gift", "-o", "class.ron"],
    );
    import.expect_code(1);
    assert!(
        import.stdout.contains("imported 24 of 27 questions")
            && import
                .stdout
                .contains("schistocytes.png (shown by HEM-ANE-03)"),
        "{}",
        import.stdout
    );
    // 2. Check: the errors are the two items without an area and the missing images.
    let check = run(
        &instructor,
        &["banks", "check", "class.ron", "--errors-only"],
    );
    check.expect_code(1);
    assert!(
        check.stdout.contains("4 errors") && check.stdout.contains("add `area: \"microbiology\",`"),
        "{}",
        check.stdout
    );
    fs::write(dir.path().join("schistocytes.png"), b"png").unwrap();
    fs::write(dir.path().join("gram stain 1.jpg"), b"jpg").unwrap();

    // 3-4. The unit quiz, scored in percent, from this bank only.
    fs::write(
        dir.path().join("unit3-quiz.ron"),
        r#"Blueprint(id: "mlt1010-unit3", name: "MLT 1010, unit 3 quiz: hematology", level: "any",
  delivery: Linear, length: Fixed(8), time_limit_minutes: 15, review: Marking,
  scale: Percent(cut: 70), banks: ["class"], areas: [(area: "hematology", min: 100, max: 100)])"#,
    )
    .unwrap();
    run(
        &instructor,
        &[
            "--bank",
            "class.ron",
            "blueprint",
            "check",
            "--blueprint",
            "unit3-quiz.ron",
        ],
    )
    .expect_code(0);

    // 5. 25 students, each on their own machine with the profile `default`. Each line
    // pair answers a choice item (the letter) or a numeric one (the number).
    fs::create_dir_all(dir.path().join("class-answers")).unwrap();
    let mut files = Vec::new();
    for s in 1..=25u64 {
        let student = Env::new();
        let mut input = String::new();
        for i in 1..=8u64 {
            let letter = ["A", "B", "C", "A"][((s * 7 + i * 3 + s * i) % 4) as usize];
            input.push_str(&format!("{letter}\n{}\n", 85 + ((s + i) % 3) * 5));
        }
        input.push_str("submit\nyes\n");
        let mut exam = student.cmd();
        exam.current_dir(dir.path()).args([
            "--bank",
            "class.ron",
            "--seed",
            &s.to_string(),
            "exam",
            "--blueprint",
            "unit3-quiz.ron",
        ]);
        let sat = crate::common::run_with_input(exam, &input);
        sat.expect_code(0);
        assert!(sat.stdout.contains("Pass mark: 70%"), "{}", sat.stdout);
        let file = format!("class-answers/student-{s:02}.csv");
        run(&student, &["export", "--out", &file]).expect_code(0);
        files.push(file);
    }

    // 6. Analysis: 25 candidates, Moodle's statistics.
    let mut args = vec![
        "--bank",
        "class.ron",
        "--json",
        "analyze",
        "--blueprint",
        "mlt1010-unit3",
    ];
    args.extend(files.iter().map(String::as_str));
    let analysis = run(&instructor, &args);
    analysis.expect_code(0);
    let v: Value = serde_json::from_str(&analysis.stdout).unwrap();
    assert_eq!(v["candidates"], 25, "{}", analysis.stderr);
    assert_eq!(v["items"].as_array().unwrap().len(), 8);

    // 7. Calibration writes the copy; 8. it goes back to Moodle and reads back in.
    let mut args = vec!["--bank", "class.ron", "calibrate"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["-o", "class-calibrated.ron"]);
    let calibration = run(&instructor, &args);
    calibration.expect_code(0);
    assert!(
        calibration.stdout.contains("Wright map")
            && calibration.stdout.contains("Wrote class-calibrated.ron"),
        "{}",
        calibration.stdout
    );
    run(
        &instructor,
        &[
            "--bank",
            "class-calibrated.ron",
            "banks",
            "export",
            "class",
            "--format",
            "gift",
            "-o",
            "class.gift",
        ],
    )
    .expect_code(0);
    let back = run(
        &instructor,
        &[
            "--no-builtin",
            "import",
            "gift",
            "class.gift",
            "-o",
            "copy.ron",
        ],
    );
    assert!(
        back.stdout.contains("imported 22 of 22 questions"),
        "{}",
        back.stdout
    );
    // The measured difficulties travelled as tags, and the copy is a usable bank.
    let copy = fs::read_to_string(at("copy.ron")).unwrap();
    assert!(
        copy.lines()
            .filter(|l| l.trim_start().starts_with("b: "))
            .count()
            >= 7,
        "{copy}"
    );
    run(&instructor, &["--no-builtin", "banks", "check", "copy.ron"]).expect_code(0);
}
