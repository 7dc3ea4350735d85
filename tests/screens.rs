//! Snapshots of what users read, so a change in wording is a reviewed diff: the help
//! screens and a progress report after some practice and an exam.

use crate::common::{Env, env_with_generated_bank, run_with_input};

fn help(env: &Env, args: &[&str]) -> String {
    let mut cmd = env.cmd();
    cmd.env_remove("LABCERT_DATA_DIR").args(args);
    let out = cmd.output().expect("run labcert");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn help_screens() {
    let env = Env::new();
    insta::assert_snapshot!("help_main", help(&env, &["--help"]));
    insta::assert_snapshot!("help_exam", help(&env, &["exam", "--help"]));
    insta::assert_snapshot!("help_practice", help(&env, &["practice", "--help"]));
}

#[test]
fn progress_report_after_practice_and_an_exam() {
    let (env, bank) = env_with_generated_bank();
    let at = |cmd: &mut std::process::Command, when: &str| {
        cmd.env("LABCERT_NOW", when).env("TZ", "UTC");
    };
    let mut practice = env.cmd();
    practice.args([
        "--no-builtin",
        "--bank",
        &bank,
        "--seed",
        "3",
        "practice",
        "--questions",
        "25",
    ]);
    at(&mut practice, "2026-11-10T09:00:00Z");
    run_with_input(practice, &"B\n".repeat(25)).expect_code(0);
    let mut exam = env.cmd();
    exam.args([
        "--no-builtin",
        "--bank",
        &bank,
        "--seed",
        "4",
        "exam",
        "--style",
        "ascp-mls",
    ]);
    at(&mut exam, "2026-11-12T09:00:00Z");
    run_with_input(exam, &("C\n".repeat(100) + "submit\n")).expect_code(0);
    let mut report = env.cmd();
    report.args(["--no-builtin", "--bank", &bank, "report"]);
    at(&mut report, "2026-11-14T09:00:00Z");
    let run = run_with_input(report, "");
    run.expect_code(0);
    for line in run.stdout.lines() {
        assert!(line.chars().count() <= 80, "over 80 columns: {line:?}");
    }
    insta::assert_snapshot!("progress_report", run.stdout);
}

/// Every line of `text` fits `width` columns.
fn assert_fits(what: &str, text: &str, width: usize) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= width,
            "{what}: a line of {} columns at COLUMNS={width}:\n{line}",
            line.chars().count()
        );
    }
}

#[test]
fn screens_wrap_to_a_60_column_terminal() {
    let (env, bank) = env_with_generated_bank();
    let run = |args: &[&str], input: &str| {
        let mut cmd = env.cmd();
        cmd.env("COLUMNS", "60")
            .env("LABCERT_NOW", "2026-11-10T09:00:00Z")
            .env("TZ", "UTC")
            .args(["--no-builtin", "--bank", &bank, "--seed", "2"])
            .args(args);
        let run = run_with_input(cmd, input);
        run.expect_code(0);
        run.stdout
    };
    let exam = run(&["exam", "--style", "ascp-mls"], "B\nquit\n");
    assert_fits("exam", &exam, 60);
    let first_screen: String = exam
        .lines()
        .take_while(|l| !l.starts_with("Answer (A-D)"))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("exam_at_60_columns", first_screen);
    assert_fits(
        "practice",
        &run(&["practice", "--questions", "3"], "A\nB\nC\n"),
        60,
    );
    assert_fits("report", &run(&["report"], ""), 60);
    assert_fits("exams", &run(&["exams"], ""), 60);
    for args in [
        &["--help"][..],
        &["exam", "--help"],
        &["practice", "--help"],
    ] {
        let mut cmd = env.cmd();
        // (An env var's value is shown whole; a candidate's usually is not set.)
        cmd.env("COLUMNS", "60")
            .env_remove("LABCERT_DATA_DIR")
            .args(args);
        let out = cmd.output().unwrap();
        assert_fits("help", &String::from_utf8_lossy(&out.stdout), 60);
    }
}

#[test]
fn colour_follows_the_color_option_on_every_screen() {
    let (env, bank) = env_with_generated_bank();
    let run = |color: &str, no_color: bool, args: &[&str], input: &str| {
        let mut cmd = env.cmd();
        cmd.args(["--no-builtin", "--bank", &bank, "--color", color])
            .args(args);
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        run_with_input(cmd, input)
    };
    let escape = "\u{1b}[";
    // Practice feedback, exam results and errors are coloured when asked ...
    let practice = run(
        "always",
        false,
        &["practice", "--questions", "4"],
        &"A\n".repeat(4),
    );
    assert!(practice.stdout.contains(escape), "{}", practice.stdout);
    let exam = run(
        "always",
        false,
        &["--seed", "1", "exam", "--style", "ascp-mls"],
        &("A\n".repeat(100) + "submit\n"),
    );
    assert!(
        exam.stdout.contains(&format!("Result: {escape}1;3")),
        "PASS/FAIL coloured"
    );
    let error = run("always", false, &["exam", "--resume", "77"], "");
    assert!(
        error.stderr.starts_with(&format!("{escape}1;31merror")),
        "{}",
        error.stderr
    );
    // ... and never on a pipe by default, nor with NO_COLOR, nor with --color never.
    for (color, no_color) in [("auto", false), ("auto", true), ("never", false)] {
        let practice = run(
            color,
            no_color,
            &["practice", "--questions", "4"],
            &"A\n".repeat(4),
        );
        assert!(!practice.stdout.contains(escape), "{color} {no_color}");
        let error = run(color, no_color, &["exam", "--resume", "77"], "");
        assert!(!error.stderr.contains(escape), "{color} {no_color}");
    }
}
