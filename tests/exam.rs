//! Whole mock exams through the real binary with piped answers.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Env, Run};
use labcert::synthetic::{Shape, bank_text_with};

/// A temp env with a generated bank of single-best items (so every answer is a letter).
fn env_with_bank(items: usize) -> (Env, String) {
    if items == 700 {
        return crate::common::env_with_generated_bank();
    }
    let env = Env::new();
    let path = env.path("gen.ron");
    let text = bank_text_with(
        "gen",
        items,
        11,
        Shape {
            single_best_only: true,
            three_pl: false,
            ..Default::default()
        },
    );
    std::fs::write(&path, text).unwrap();
    (env, path.display().to_string())
}

fn exam_cmd(env: &Env, bank: &str, extra: &[&str]) -> Command {
    let mut c = env.cmd();
    c.args(["--no-builtin", "--bank", bank]).args(extra);
    c
}

fn run_with_input(cmd: Command, input: &str) -> Run {
    crate::common::run_with_input(cmd, input)
}

fn answers(letter: &str, n: usize) -> String {
    format!("{letter}\n").repeat(n)
}

/// The results: the first missed item (the rest repeat its shape), then the summary,
/// which comes last; the wall-clock figure redacted.
fn results_screen(stdout: &str) -> String {
    let summary_at = stdout
        .rfind("=====\nResults:")
        .map_or(0, |i| stdout[..i].rfind('\n').map_or(0, |j| j + 1));
    let missed = stdout.find("Missed items (").map_or(String::new(), |m| {
        let first = &stdout[m..summary_at];
        let cut = first
            .match_indices(&"-".repeat(80))
            .nth(1)
            .map_or(first.len(), |(i, _)| i);
        format!("{}[...]\n", &first[..cut])
    });
    let screen = format!("{missed}{}", &stdout[summary_at..]);
    screen
        .lines()
        .map(|l| match l.find("Time used: ") {
            Some(i) => {
                let rest = &l[i..];
                let of = rest.find(" of the ").unwrap_or(rest.len());
                format!("{}Time used: [elapsed]{}", &l[..i], &rest[of..])
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_whole_ascp_style_exam_through_piped_answers() {
    let (env, bank) = env_with_bank(700);
    let cmd = exam_cmd(&env, &bank, &["--seed", "5", "exam", "--style", "ascp-mls"]);
    let run = run_with_input(cmd, &(answers("A", 100) + "submit\n"));
    run.expect_code(0);
    assert!(run.stdout.contains("Question 100 of 100"), "{}", run.stdout);
    assert!(!run.stdout.contains("Question 101"));
    assert!(run.stdout.contains("You have answered every question."));
    assert!(run.stdout.contains("\nScaled score: "), "{}", run.stdout);
    // The score comes after the review of missed items, so it stays on screen.
    assert!(
        run.stdout.rfind("Scaled score:") > run.stdout.rfind("Your answer:"),
        "the summary is last"
    );
    // The content area is not shown while answering.
    let before_results = &run.stdout[..run.stdout.find("Missed items (").unwrap()];
    for area in ["hematology", "Hematology", "chemistry", "Chemistry"] {
        assert!(
            !before_results.contains(area),
            "area {area} shown during the exam"
        );
    }
    insta::assert_snapshot!("ascp_results", results_screen(&run.stdout));
}

#[test]
fn shipped_styles_use_single_best_items_only_and_practice_keeps_the_rest() {
    // A bank where one item in five is select-all or numeric entry.
    let env = Env::new();
    let path = env.path("mixed.ron");
    std::fs::write(&path, labcert::synthetic::bank_text("mixed", 1400, 5)).unwrap();
    let bank = path.display().to_string();
    for (style, n) in [("ascp-mlt", 100), ("amt-mlt", 210)] {
        let cmd = exam_cmd(&env, &bank, &["--seed", "2", "exam", "--style", style]);
        let run = run_with_input(cmd, &(answers("A", n) + "submit\n"));
        run.expect_code(0);
        assert!(
            run.stdout.contains(&format!("Question {n} of {n}")),
            "{style}"
        );
        assert!(
            !run.stdout.contains("(Select all"),
            "{style}: a select-all item"
        );
        assert!(
            !run.stdout.contains("(Type a number"),
            "{style}: a numeric item"
        );
    }
    // Practice on the same bank still asks them.
    let cmd = exam_cmd(
        &env,
        &bank,
        &["--seed", "4", "practice", "--questions", "40"],
    );
    let run = run_with_input(cmd, &answers("A", 200));
    assert!(
        run.stdout.contains("(Select all") || run.stdout.contains("(Type a number"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_same_seed_and_answers_give_the_same_exam() {
    let (env, bank) = env_with_bank(700);
    let input = answers("B", 30) + "quit\n";
    let a = run_with_input(
        exam_cmd(
            &env,
            &bank,
            &[
                "--seed",
                "9",
                "--profile",
                "a",
                "exam",
                "--style",
                "ascp-mlt",
            ],
        ),
        &input,
    );
    let b = run_with_input(
        exam_cmd(
            &env,
            &bank,
            &[
                "--seed",
                "9",
                "--profile",
                "b",
                "exam",
                "--style",
                "ascp-mlt",
            ],
        ),
        &input,
    );
    let c = run_with_input(
        exam_cmd(
            &env,
            &bank,
            &[
                "--seed",
                "10",
                "--profile",
                "c",
                "exam",
                "--style",
                "ascp-mlt",
            ],
        ),
        &input,
    );
    let stems = |r: &Run| {
        r.stdout
            .lines()
            .filter(|l| l.starts_with("Item "))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(stems(&a).len(), 31);
    assert_eq!(stems(&a), stems(&b));
    assert_ne!(
        stems(&a),
        stems(&c),
        "another seed, another exam (exposure control)"
    );
}

#[test]
fn answers_that_do_not_fit_are_refused_and_asked_again() {
    let (env, bank) = env_with_bank(700);
    let input = "E\n\nmaybe\nB\nquit\n";
    let run = run_with_input(
        exam_cmd(&env, &bank, &["--seed", "1", "exam", "--style", "ascp-mls"]),
        input,
    );
    run.expect_code(0);
    assert!(
        run.stdout.contains("there is no choice E: answer A to D"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("An answer is needed: this exam does not allow skipping.")
    );
    assert!(run.stdout.contains("one letter only"));
    assert!(
        run.stdout.contains("Question 2 of 100"),
        "B was taken after the refusals"
    );
    assert!(
        run.stdout.contains("Exam saved: 1 of 100 answered"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_quit_exam_resumes_with_the_same_items_and_finishes() {
    let (env, bank) = env_with_bank(700);
    let first = run_with_input(
        exam_cmd(&env, &bank, &["--seed", "3", "exam", "--style", "ascp-mls"]),
        &(answers("C", 40) + "quit\n"),
    );
    first.expect_code(0);
    assert!(
        first.stdout.contains("Exam saved: 40 of 100 answered"),
        "{}",
        first.stdout
    );
    assert!(first.stdout.contains("labcert exam --resume"));
    // The item on screen at quit (question 41) comes back first.
    let q41 = first
        .stdout
        .split("Question 41 of 100")
        .nth(1)
        .unwrap()
        .lines()
        .nth(2)
        .unwrap()
        .to_string();
    let second = run_with_input(
        exam_cmd(&env, &bank, &["exam", "--resume"]),
        &(answers("C", 60) + "submit\n"),
    );
    second.expect_code(0);
    assert!(
        second.stdout.contains("Resuming: 40 answered so far."),
        "{}",
        second.stdout
    );
    let resumed_first = second
        .stdout
        .split("Question 41 of 100")
        .nth(1)
        .unwrap()
        .lines()
        .nth(2)
        .unwrap()
        .to_string();
    assert_eq!(q41, resumed_first);
    assert!(
        second.stdout.contains("Answered 100 of 100"),
        "{}",
        second.stdout
    );
    // Nothing left to resume.
    let third = run_with_input(exam_cmd(&env, &bank, &["exam", "--resume"]), "");
    third.expect_code(2);
    assert!(third.stderr.contains("No unfinished exam"));
}

#[test]
fn end_of_input_before_the_last_item_behaves_like_quit() {
    let (env, bank) = env_with_bank(700);
    let run = run_with_input(
        exam_cmd(&env, &bank, &["--seed", "2", "exam", "--style", "ascp-mls"]),
        &answers("A", 5),
    );
    run.expect_code(0);
    assert!(
        run.stdout.contains("Exam saved: 5 of 100 answered"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("Scaled score"));
}

#[test]
fn end_of_input_during_review_submits_and_changes_rescore() {
    let (env, bank) = env_with_bank(700);
    // Answer all, then in review change question 1 to D, then end of input.
    let input = answers("A", 100) + "1\nD\n";
    let run = run_with_input(
        exam_cmd(
            &env,
            &bank,
            &["--seed", "4", "--json", "exam", "--style", "ascp-mls"],
        ),
        &input,
    );
    run.expect_code(0);
    let v: serde_json::Value =
        serde_json::from_str(&run.stdout).expect("stdout is only the JSON result");
    for member in [
        "scaled_score",
        "passed",
        "theta",
        "se",
        "pass_probability",
        "areas",
    ] {
        assert!(v.get(member).is_some(), "missing {member}");
    }
    assert_eq!(v["answered"], 100);
    assert!(
        run.stderr.contains("Enter keeps A. New answer (A-D): D"),
        "the transcript goes to stderr with --json"
    );
    let p = v["pass_probability"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    let areas = v["areas"].as_object().unwrap();
    assert_eq!(
        areas
            .values()
            .map(|a| a["items"].as_u64().unwrap())
            .sum::<u64>(),
        100
    );
}

#[test]
fn the_exam_ends_on_time_even_when_the_candidate_is_idle() {
    let (env, bank) = env_with_bank(700);
    let mut child = exam_cmd(
        &env,
        &bank,
        &[
            "--seed",
            "6",
            "exam",
            "--style",
            "ascp-mls",
            "--time-limit",
            "3s",
        ],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(answers("A", 3).as_bytes()).unwrap();
    stdin.flush().unwrap();
    // Keep stdin open and say nothing more: the candidate sits at the prompt.
    let start = Instant::now();
    let out = child.wait_with_output().unwrap();
    let elapsed = start.elapsed();
    drop(stdin);
    let run = Run::from(out);
    run.expect_code(0);
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
    assert!(run.stdout.contains("Time is up."), "{}", run.stdout);
    assert!(run.stdout.contains("Answered 3 of 100"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("97 items were not answered and count as wrong"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Time ran out."));
    assert!(
        run.stdout.contains("Time used: 3 s of the 3 s allowed."),
        "the limit in force, in plain units: {}",
        run.stdout
    );
}

#[test]
fn a_scripted_json_exam_whose_answers_run_out_still_prints_one_json_object() {
    let (env, bank) = env_with_bank(700);
    let cmd = exam_cmd(&env, &bank, &["--json", "exam", "--style", "ascp-mls"]);
    let run = run_with_input(cmd, &answers("A", 5));
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: stdout is not one JSON object:\n{}", run.stdout));
    assert_eq!(v["status"], "saved");
    assert_eq!(v["answered"], 5);
    assert_eq!(v["items"], 100);
    assert_eq!(v["resume"], "labcert exam --resume");
    // Resuming and finishing gives a finished result.
    let cmd = exam_cmd(&env, &bank, &["--json", "exam", "--resume"]);
    let run = run_with_input(cmd, &(answers("A", 95) + "submit\n"));
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["status"], "finished");
    assert_eq!(v["answered"], 100);
}

#[test]
fn the_resume_hint_names_the_command_the_candidate_ran() {
    let (env, bank) = env_with_bank(700);
    // Started by `cargo run` (cargo sets CARGO; the binary is in target/debug).
    let mut cmd = exam_cmd(&env, &bank, &["exam", "--style", "ascp-mls"]);
    cmd.env("CARGO", "cargo");
    let run = run_with_input(cmd, &answers("A", 2));
    assert!(
        run.stdout
            .contains("Continue with: cargo run -- exam --resume"),
        "{}",
        run.stdout
    );
    // Installed: plain `labcert`.
    let cmd = exam_cmd(&env, &bank, &["exam", "--resume"]);
    let run = run_with_input(cmd, &answers("A", 2));
    assert!(
        run.stdout.contains("Continue with: labcert exam --resume"),
        "{}",
        run.stdout
    );
}

#[test]
fn unanswered_items_at_time_out_count_as_wrong() {
    // Scored through the library: 3 right then time-out must score below 3 right then
    // the same with nothing owed (a 3-item exam).
    use labcert::{LoadRequest, load};
    use labcert::{Response, Session, blueprint, score};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gen.ron");
    std::fs::write(
        &path,
        bank_text_with(
            "gen",
            700,
            11,
            Shape {
                single_best_only: true,
                three_pl: false,
                ..Default::default()
            },
        ),
    )
    .unwrap();
    let library = load(&LoadRequest {
        builtin: false,
        paths: vec![path],
        ..Default::default()
    })
    .unwrap()
    .into_library()
    .ok()
    .unwrap();
    let bp = blueprint::shipped("ascp-mls").unwrap();
    let mut s = Session::new(bp, &library, 1, &Default::default()).unwrap();
    for _ in 0..3 {
        let slot = s.next_item().unwrap();
        let key = match &s.item(slot).item.answer {
            labcert::Answer::SingleBest { key, .. } => *key,
            _ => unreachable!("single-best bank"),
        };
        s.answer(slot, Response::Choice(key));
        s.add_time(slot, 30.0);
    }
    // The fourth item is on screen when time runs out, after 25 s on it.
    let slot = s.next_item().unwrap();
    s.add_time(slot, 25.0);
    let r = score(&s, 115.0, 9000.0, true);
    assert_eq!((r.answered, r.correct, r.unanswered), (3, 3, 97));
    assert!(!r.passed, "97 unanswered items cannot pass");
    assert!(r.theta < 0.0, "theta {}", r.theta);
    // Time per item is kept: by area, and on each missed item.
    let by_area: f64 = r.areas.values().map(|a| a.seconds).sum();
    assert_eq!(by_area, 115.0);
    let on_screen = r.missed.iter().find(|m| m.position == 4).unwrap();
    assert_eq!(on_screen.seconds, 25.0);
}

#[test]
fn a_whole_amt_style_linear_exam_with_marking_and_navigation() {
    let (env, bank) = env_with_bank(1400);
    // Mark question 1 and skip it, answer the rest, then go back, answer it and submit.
    let mut input = String::from("?\nmark\nnext\n");
    input += &answers("B", 214);
    input += "list\nmarked\nD\nsubmit\n";
    let run = run_with_input(
        exam_cmd(&env, &bank, &["--seed", "8", "exam", "--style", "amt-mls"]),
        &input,
    );
    run.expect_code(0);
    assert!(
        run.stdout.contains("Question 215 of 215"),
        "{}",
        &run.stdout[run.stdout.len().saturating_sub(3000)..]
    );
    assert!(run.stdout.contains("Marked."));
    // `?` (or help) lists the commands this exam allows.
    for command in ["Enter or next", "back", "mark", "goto N", "list", "submit"] {
        assert!(
            run.stdout.contains(&format!("  {command}")),
            "help lacks {command}"
        );
    }
    // The list view explains itself and fits 80 columns.
    assert!(
        run.stdout.contains("* marked, - not answered"),
        "{}",
        run.stdout
    );
    let list_at = run.stdout.find("* marked, - not answered").unwrap();
    assert!(
        run.stdout[..list_at]
            .lines()
            .rev()
            .take(30)
            .all(|l| l.chars().count() <= 80)
    );
    assert!(
        run.stdout
            .contains("End of the exam: 214 answered, 1 unanswered, 1 marked"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Answered 215 of 215"), "{}", run.stdout);
    assert!(run.stdout.contains("Pass mark: 70"));
    insta::assert_snapshot!("amt_results", results_screen(&run.stdout));
}

#[test]
fn a_custom_blueprint_runs_and_a_bad_one_is_diagnosed() {
    let (env, bank) = env_with_bank(700);
    let bp = env.path("quiz.ron");
    std::fs::write(
        &bp,
        r#"Blueprint(
    id: "hem-chem-quiz",
    name: "Hematology and chemistry quiz",
    level: "any",
    delivery: Adaptive(start_theta: 0.0),
    length: Variable(min: 10, max: 20, stop: StandardError(0.5)),
    time_limit_minutes: 20,
    review: NoReview,
    passing_theta: 0.0,
    scale: Linear(cut_score: 70, points_per_logit: 10, min: 0, max: 100),
    areas: [(area: "hematology", min: 40, max: 60), (area: "chemistry", min: 40, max: 60)],
)"#,
    )
    .unwrap();
    let run = run_with_input(
        exam_cmd(
            &env,
            &bank,
            &[
                "--seed",
                "2",
                "exam",
                "--blueprint",
                &bp.display().to_string(),
            ],
        ),
        &answers("A", 20),
    );
    run.expect_code(0);
    assert!(
        run.stdout
            .contains("Results: Hematology and chemistry quiz"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Pass mark: 70"));
    assert!(run.stdout.contains("Hematology") && run.stdout.contains("Chemistry"));
    assert!(
        !run.stdout.contains("Blood Banking"),
        "only the blueprint's areas"
    );

    std::fs::write(&bp, "Blueprint(id: \"x\", name: \"X\", level: \"MLS\", delivery: Linear, length: Fixed(10), time_limit_minutes: 10, review: Marking, passing_theta: 0, scale: Linear(cut_score: 70, points_per_logit: 10, min: 0, max: 100), areas: [(area: \"hematolgy\", min: 100, max: 100)])").unwrap();
    let bad = run_with_input(
        exam_cmd(
            &env,
            &bank,
            &["exam", "--blueprint", &bp.display().to_string()],
        ),
        "",
    );
    bad.expect_code(1);
    assert!(bad.stderr.contains("error[unknown-area]"), "{}", bad.stderr);
    assert!(bad.stderr.contains("quiz.ron:1:"), "{}", bad.stderr);
    assert!(bad.stderr.contains("did you mean \"hematology\"?"));
}

#[test]
fn simulate_on_a_generated_rasch_bank_measures_well() {
    let (env, bank) = env_with_bank(1400);
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "--seed",
        "1",
        "--json",
        "simulate",
        "--style",
        "ascp-mls",
        "--examinees",
        "300",
    ]);
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["examinees"], 300);
    assert!(v["rmse"].as_f64().unwrap() < 0.25, "{}", run.stdout);
    assert!(
        v["classification_accuracy"].as_f64().unwrap() > 0.9,
        "{}",
        run.stdout
    );
    for member in ["bias", "mean_se", "max_exposure"] {
        assert!(v[member].is_number(), "{member}");
    }
}

#[test]
fn counts_must_be_positive_and_styles_read_in_any_case() {
    let env = Env::new();
    for args in [
        &["practice", "--questions", "0"][..],
        &["review", "--questions", "0"],
        &["simulate", "--style", "ascp-mlt", "--examinees", "0"],
    ] {
        let run = env.run(args);
        run.expect_code(2);
        assert!(
            run.stderr.contains("must be at least 1"),
            "{args:?}: {}",
            run.stderr
        );
    }
    let run = env.run(&["--json", "blueprint", "check", "--style", "AMT-MLS"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("\"blueprint_id\": \"amt-mls\""),
        "{}",
        run.stdout
    );
}

#[test]
fn exams_are_records_to_list_reopen_resume_and_discard() {
    let (env, bank) = env_with_bank(700);
    let json = |run: &Run| -> serde_json::Value {
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
    };
    // Exam 1: quit after two answers. Exam 2: a finished practice run (short clock).
    // Exam 3: a finished ASCP MLT exam.
    let start = |args: &[&str], input: &str| {
        let cmd = exam_cmd(&env, &bank, args);
        run_with_input(cmd, input)
    };
    start(&["exam", "--style", "ascp-mls"], &answers("A", 2)).expect_code(0);
    start(
        &["exam", "--style", "ascp-mls", "--time-limit", "90m"],
        &(answers("A", 100) + "submit\n"),
    )
    .expect_code(0);
    let third = start(
        &["exam", "--style", "ascp-mlt"],
        &(answers("B", 100) + "submit\n"),
    );
    third.expect_code(0);
    // Starting exams while exam 1 is unfinished kept it, and said so.
    assert!(
        third.stderr.contains("exam 1, 2 questions answered")
            && third.stderr.contains("--resume 1"),
        "{}",
        third.stderr
    );

    let list = json(&env.run(&["--no-builtin", "--bank", &bank, "--json", "exams"]));
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["finished"], false);
    assert_eq!(rows[0]["answered"], 2);
    assert_eq!(
        (rows[1]["finished"].clone(), rows[1]["custom"].clone()),
        (true.into(), true.into())
    );
    assert_eq!(
        (rows[2]["blueprint_id"].clone(), rows[2]["custom"].clone()),
        ("ascp-mlt".into(), false.into())
    );

    // Results reopen as they were shown at the end of the exam.
    let shown = env.run(&["--no-builtin", "--bank", &bank, "exam", "show", "3"]);
    shown.expect_code(0);
    assert!(
        third.stdout.ends_with(&shown.stdout),
        "the same results screen"
    );
    let missed = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "--json",
        "exam",
        "show",
        "3",
        "--missed",
        "--area",
        "Heme",
    ]);
    missed.expect_code(0);
    let missed = json(&missed);
    assert!(!missed.as_array().unwrap().is_empty());
    assert!(
        missed
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["area"] == "hematology")
    );
    // An unfinished exam has no results yet; an unknown one is a usage error.
    let run = env.run(&["--no-builtin", "--bank", &bank, "exam", "show", "1"]);
    run.expect_code(2);
    assert!(run.stderr.contains("exam --resume 1"), "{}", run.stderr);
    env.run(&["--no-builtin", "--bank", &bank, "exam", "show", "99"])
        .expect_code(2);

    // Practice prepares for the last real exam's style, not the practice run's.
    let practice = run_with_input(
        exam_cmd(&env, &bank, &["practice", "--questions", "1"]),
        "A\n",
    );
    assert!(
        practice.stdout.contains("Practice for ASCP MLT"),
        "{}",
        practice.stdout
    );

    // Resume by id, then discard a finished exam: it leaves the list.
    let resumed = run_with_input(exam_cmd(&env, &bank, &["exam", "--resume", "1"]), "quit\n");
    resumed.expect_code(0);
    assert!(
        resumed.stdout.contains("Resuming: 2 answered"),
        "{}",
        resumed.stdout
    );
    env.run(&["--no-builtin", "--bank", &bank, "exam", "discard", "3"])
        .expect_code(0);
    let list = json(&env.run(&["--no-builtin", "--bank", &bank, "--json", "exams"]));
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1, 2]);
    env.run(&["--no-builtin", "--bank", &bank, "exam", "discard", "3"])
        .expect_code(2);
}

/// A pseudo-terminal `cols` x `rows`: (master, slave).
#[cfg(unix)]
fn open_pty(cols: u16, rows: u16) -> (std::fs::File, std::os::fd::OwnedFd) {
    use std::os::fd::FromRawFd;
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two new descriptors, which are then owned here.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    unsafe {
        (
            std::fs::File::from_raw_fd(master),
            std::os::fd::OwnedFd::from_raw_fd(slave),
        )
    }
}

/// Runs `cmd` with stdout on a fresh 80x24 pseudo-terminal and returns what it showed.
#[cfg(unix)]
fn on_a_terminal(mut cmd: Command) -> String {
    use std::io::Read;
    let (mut master, slave) = open_pty(80, 24);
    let mut child = cmd
        .stdout(Stdio::from(slave))
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn labcert");
    // The slave end is closed here once the child holds it, so reading ends with EIO.
    drop(cmd);
    let mut shown = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match master.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => shown.extend_from_slice(&chunk[..n]),
        }
    }
    child.wait().expect("wait for labcert");
    String::from_utf8_lossy(&shown).replace('\r', "")
}

#[cfg(unix)]
#[test]
fn long_results_on_a_terminal_go_through_the_pager_score_first() {
    let (env, bank) = env_with_bank(700);
    run_with_input(
        exam_cmd(&env, &bank, &["exam", "--style", "ascp-mls"]),
        &(answers("A", 100) + "submit\n"),
    )
    .expect_code(0);
    // A stand-in pager marks every line it shows.
    let mut show = exam_cmd(&env, &bank, &["exam", "show", "1"]);
    show.env("PAGER", "sed -e s/^/PAGED:/");
    let paged = on_a_terminal(show);
    let lines: Vec<&str> = paged.lines().collect();
    assert!(
        lines.len() > 24 && lines.iter().all(|l| l.starts_with("PAGED:")),
        "every line through the pager:\n{paged}"
    );
    let score = paged.find("Scaled score:").expect("a score");
    let missed = paged.find("Missed items (").expect("missed items");
    assert!(score < missed, "the pager opens on the score");

    // --no-pager, or PAGER=cat, prints straight out, with the score last.
    let no_pager: &[&str] = &["--no-pager", "exam", "show", "1"];
    let show_1: &[&str] = &["exam", "show", "1"];
    for (args, pager) in [(no_pager, "sed -e s/^/PAGED:/"), (show_1, "cat")] {
        let mut show = exam_cmd(&env, &bank, args);
        show.env("PAGER", pager);
        let plain = on_a_terminal(show);
        assert!(!plain.contains("PAGED:"), "{args:?} {pager}");
        assert!(
            plain.find("Missed items (") < plain.find("Scaled score:"),
            "{args:?}: the score comes last"
        );
    }
    // The report pages too; a pipe never does.
    let mut report = exam_cmd(&env, &bank, &["report"]);
    report.env("PAGER", "sed -e s/^/PAGED:/");
    assert!(on_a_terminal(report).starts_with("PAGED:Progress report"));
    let piped = env.run(&["--no-builtin", "--bank", &bank, "exam", "show", "1"]);
    assert!(!piped.stdout.contains("PAGED:"));
}

/// A class quiz of 30 items, every key A and the order fixed, so a script controls how
/// many are right.
fn quiz_env(scale: &str) -> (Env, String, String) {
    let env = Env::new();
    let mut items = String::new();
    for i in 1..=30 {
        items.push_str(&format!(
            "(id: \"q-{i}\", area: \"hematology\", topic: \"anemias\", level: \"both\", difficulty: {},
              stem: \"Quiz question number {i} on a distinct point {}?\",
              answer: SingleBest(choices: [\"Right {i}\", \"Wrong {i}\", \"Other {i}\", \"Last {i}\"], key: \"A\"),
              explanation: \"Because.\", references: [\"Rodak\"], shuffle: false),\n",
            1 + i % 5,
            "x".repeat(i)
        ));
    }
    let bank = env.path("quiz-bank.ron");
    std::fs::write(
        &bank,
        format!("Bank(id: \"quiz\", title: \"Q\", author: \"T\", version: \"1\", license: \"CC0-1.0\", items: [{items}])"),
    )
    .unwrap();
    let blueprint = env.path("unit-quiz.ron");
    std::fs::write(
        &blueprint,
        format!(
            "Blueprint(id: \"unit-quiz\", name: \"Unit 3 quiz\", level: \"any\", delivery: Linear,
               length: Fixed(30), time_limit_minutes: 45, review: Marking,
               scale: {scale}, areas: [(area: \"hematology\", min: 100, max: 100)])"
        ),
    )
    .unwrap();
    (
        env,
        bank.display().to_string(),
        blueprint.display().to_string(),
    )
}

/// Sits the quiz with `right` answers right (the first ones) and returns the JSON result.
fn sit_quiz(env: &Env, bank: &str, blueprint: &str, right: usize) -> serde_json::Value {
    let input = answers("A", right) + &answers("B", 30 - right) + "submit\nyes\n";
    let run = run_with_input(
        exam_cmd(env, bank, &["--json", "exam", "--blueprint", blueprint]),
        &input,
    );
    run.expect_code(0);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn a_quiz_can_be_scored_in_percent_or_right_answers() {
    let (env, bank, blueprint) = quiz_env("Percent(cut: 70)");
    let scores: Vec<(i64, bool)> = [15, 16, 20, 21, 30]
        .iter()
        .map(|&right| {
            let v = sit_quiz(&env, &bank, &blueprint, right);
            assert_eq!(v["correct"], right as u64);
            (
                v["scaled_score"].as_i64().unwrap(),
                v["passed"].as_bool().unwrap(),
            )
        })
        .collect();
    // Percent right, rounded down; more right never scores lower; a pass from 70%.
    assert_eq!(
        scores,
        [
            (50, false),
            (53, false),
            (66, false),
            (70, true),
            (100, true)
        ]
    );
    // The text results speak in percent and right answers, not logits.
    let shown = env.run(&["--no-builtin", "--bank", &bank, "exam", "show", "4"]);
    assert!(
        shown.stdout.contains("Score: 70% (21 of 30 right)")
            && shown.stdout.contains("Pass mark: 70%")
            && !shown.stdout.contains("logits"),
        "{}",
        shown.stdout
    );
    let list = env.run(&["--no-builtin", "--bank", &bank, "exams"]);
    assert!(list.stdout.contains("70% PASS"), "{}", list.stdout);

    let (env, bank, blueprint) = quiz_env("Raw(cut: 21)");
    let v = sit_quiz(&env, &bank, &blueprint, 20);
    assert_eq!(
        (v["scaled_score"].clone(), v["passed"].clone()),
        (20.into(), false.into())
    );
    let v = sit_quiz(&env, &bank, &blueprint, 21);
    assert_eq!(
        (v["scaled_score"].clone(), v["passed"].clone()),
        (21.into(), true.into())
    );
    let shown = env.run(&["--no-builtin", "--bank", &bank, "exam", "show", "2"]);
    assert!(
        shown.stdout.contains("Score: 21 of 30 right")
            && shown.stdout.contains("Pass mark: 21 right"),
        "{}",
        shown.stdout
    );
}

#[test]
fn a_blueprint_draws_on_its_own_banks_and_refuses_to_come_up_short() {
    let (env, bank, blueprint) = quiz_env("Percent(cut: 70)");
    let text = std::fs::read_to_string(&blueprint).unwrap();
    // Its banks named: the shipped banks are loaded too, but only the quiz's are used.
    let own = text.replace("areas:", "banks: [\"quiz\"], areas:");
    std::fs::write(&blueprint, &own).unwrap();
    let mut cmd = env.cmd();
    cmd.args(["--bank", &bank, "--json", "exam", "--blueprint", &blueprint]);
    let run = run_with_input(cmd, &(answers("B", 30) + "submit\nyes\n"));
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let missed = v["missed"].as_array().unwrap();
    assert_eq!(missed.len(), 30);
    assert!(missed.iter().all(|m| m["bank"] == "quiz"), "{}", run.stdout);

    // A bank it names that is not loaded: a usage error saying how to load it.
    std::fs::write(
        &blueprint,
        own.replace("[\"quiz\"]", "[\"quiz\", \"quizz-2\"]"),
    )
    .unwrap();
    let run = exam_cmd(&env, &bank, &["exam", "--blueprint", &blueprint])
        .output()
        .map(crate::common::Run::from)
        .unwrap();
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("draws on the bank \"quizz-2\", which is not loaded")
            && run.stderr.contains("did you mean \"quiz\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--bank FILE"), "{}", run.stderr);

    // 40 items from a 30-item bank: refused with the shortfall, unless --allow-short.
    std::fs::write(&blueprint, text.replace("Fixed(30)", "Fixed(40)")).unwrap();
    let run = exam_cmd(&env, &bank, &["exam", "--blueprint", &blueprint])
        .output()
        .map(crate::common::Run::from)
        .unwrap();
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("hematology needs 40 per exam but has 30")
            && run.stderr.contains("--allow-short"),
        "{}",
        run.stderr
    );
    let run = run_with_input(
        exam_cmd(
            &env,
            &bank,
            &["exam", "--blueprint", &blueprint, "--allow-short"],
        ),
        "quit\n",
    );
    run.expect_code(0);
    assert!(run.stdout.contains("Question 1 of 30"), "{}", run.stdout);
}

#[test]
fn simulate_reports_overlap_and_finds_exposure_parameters() {
    let env = Env::new();
    let run = env.run(&[
        "--json",
        "--seed",
        "1",
        "simulate",
        "--style",
        "ascp-mls",
        "--examinees",
        "200",
        "--calibrate-exposure",
    ]);
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let overlap = v["overlap_rate"].as_f64().unwrap();
    assert!(overlap > 0.0 && overlap < 1.0, "{overlap}");
    assert_eq!(v["exposure_control"]["target"], 0.25);
    let ece = v["pass_calibration"]["ece"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&ece), "{ece}");
    let simulees: u64 = v["pass_calibration"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["simulees"].as_u64().unwrap())
        .sum();
    assert_eq!(simulees, 200, "every simulee in one group");
    assert!(v["exposure_control"]["rounds"].as_u64().unwrap() >= 1);
    // Without the flag there is no exposure control in the report.
    let plain = env.run(&[
        "--json",
        "simulate",
        "--style",
        "ascp-mls",
        "--examinees",
        "50",
    ]);
    let v: serde_json::Value = serde_json::from_str(&plain.stdout).unwrap();
    assert!(v.get("exposure_control").is_none());
}

/// The readiness check stops by its confidence rule: a candidate who gets most items
/// wrong is clearly below the standard after the 30-item minimum, and the result counts
/// only the items given.
#[test]
fn a_readiness_check_stops_early_when_the_result_is_clear() {
    let env = Env::new();
    let mut cmd = env.cmd();
    cmd.args(["--seed", "3", "--json", "exam", "--style", "readiness-mls"]);
    let run = run_with_input(cmd, &(answers("A", 60) + "submit\nyes\n"));
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let answered = v["answered"].as_u64().unwrap();
    assert!((30..60).contains(&answered), "{answered}");
    assert_eq!(
        v["items"], answered,
        "a completed check has no unanswered items"
    );
    assert_eq!(v["unanswered"], 0);
    assert_eq!(v["passed"], false);
    // Practice and the report prepare for the exam the check is for.
    let report = env.run(&["--json", "report"]);
    let r: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
    assert_eq!(r["style"], "ascp-mls", "{}", report.stdout);
}
