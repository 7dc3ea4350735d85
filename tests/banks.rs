//! `labcert banks check` and `labcert banks list`, through the real binary.

use std::fs;
use std::io::Write;

use crate::common::{Env, fixture};

#[test]
fn every_planted_mistake_is_reported_with_its_line_and_column() {
    let env = Env::new();
    let file = fixture("banks/ten_mistakes.ron");
    // --strict: the missing explanation is an error too, as in the shipped banks.
    let run = env.run(&["--no-builtin", "banks", "check", "--strict", &file]);
    run.expect_code(1);
    let expected = [
        ("error[unknown-area]", 11, 19),
        ("error[unknown-level]", 24, 20),
        ("error[no-explanation]", 31, 9),
        ("error[unknown-field]", 39, 13),
        ("error[no-explanation]", 42, 9),
        ("error[duplicate-id]", 53, 17),
        ("error[key-out-of-range]", 70, 93),
        ("error[duplicate-choice]", 81, 61),
        ("error[empty-choice]", 92, 64),
        ("error[no-key]", 103, 74),
        ("error[negative-tolerance]", 114, 52),
        ("error[irt-range]", 124, 16),
        ("error[irt-range]", 125, 16),
        ("error[image-missing]", 130, 20),
    ];
    // Pair each headline with the `-->` line that follows it.
    let lines: Vec<&str> = run.stdout.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("error[") || line.starts_with("warning[") {
            let head = line.split(':').next().unwrap_or("").to_string();
            let at = lines[i + 1].trim().trim_start_matches("--> ");
            let mut parts = at.rsplitn(3, ':');
            let col: usize = parts.next().unwrap().parse().unwrap();
            let line_no: usize = parts.next().unwrap().parse().unwrap();
            assert_eq!(parts.next().unwrap(), file);
            found.push((head, line_no, col));
        }
    }
    let expected: Vec<(String, usize, usize)> = expected
        .iter()
        .map(|(h, l, c)| (h.to_string(), *l, *c))
        .collect();
    assert_eq!(found, expected, "{}", run.stdout);
    assert!(
        run.stdout
            .ends_with("checked 1 file and 11 items: 14 errors, 0 warnings\n"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!("ten_mistakes", run.stdout);
}

#[test]
fn hints_suggest_the_intended_name() {
    let env = Env::new();
    let run = env.run(&[
        "--no-builtin",
        "banks",
        "check",
        &fixture("banks/ten_mistakes.ron"),
    ]);
    for hint in [
        "= help: did you mean \"hematology\"?",
        "= help: an item for both levels is written \"both\"",
        "= help: did you mean `explanation`?",
        "first used here",
    ] {
        assert!(
            run.stdout.contains(hint),
            "missing {hint:?} in\n{}",
            run.stdout
        );
    }
}

#[test]
fn json_diagnostics_carry_file_line_and_column() {
    let env = Env::new();
    let run = env.run(&[
        "--no-builtin",
        "--json",
        "banks",
        "check",
        &fixture("banks/ten_mistakes.ron"),
    ]);
    run.expect_code(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // Without --strict the missing explanation is a warning.
    assert_eq!(
        (v["errors"].clone(), v["warnings"].clone()),
        (12.into(), 2.into())
    );
    assert_eq!(v["diagnostics"][0]["code"], "unknown-area");
    assert_eq!(v["diagnostics"][0]["line"], 11);
    assert_eq!(v["diagnostics"][0]["column"], 19);
}

#[test]
fn a_valid_bank_checks_clean_and_lists_its_counts() {
    let env = Env::new();
    env.run(&[
        "--no-builtin",
        "banks",
        "check",
        &fixture("banks/ok/small.ron"),
    ])
    .expect_code(0);
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &fixture("banks/ok"),
        "banks",
        "list",
        "--json",
    ]);
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["total"], 3);
    assert_eq!(v["areas"]["chemistry"], 2);
    assert_eq!(v["areas"]["hematology"], 1);
    assert_eq!(v["areas"]["blood-banking"], 0, "every area is present");
    assert_eq!(v["levels"]["MLS"], 1);
    assert_eq!(v["kinds"]["numeric"], 1);
    assert_eq!(v["kinds"]["select-all"], 1);
    assert_eq!(v["banks"][0]["id"], "small");
    assert_eq!(v["banks"][0]["items"], 3);
}

#[test]
fn the_plain_list_reads_as_a_table() {
    let env = Env::new();
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &fixture("banks/ok/small.ron"),
        "banks",
        "list",
    ]);
    run.expect_code(0);
    insta::assert_snapshot!("list_small", run.stdout.replace('\\', "/"));
}

#[test]
fn global_options_work_before_or_after_the_subcommand() {
    let env = Env::new();
    let bank = fixture("banks/ok/small.ron");
    let before = env.run(&["--no-builtin", "--json", "--bank", &bank, "banks", "list"]);
    let after = env.run(&["banks", "list", "--bank", &bank, "--json", "--no-builtin"]);
    before.expect_code(0);
    after.expect_code(0);
    assert_eq!(before.stdout, after.stdout);
}

#[test]
fn duplicate_ids_across_banks_name_both_places() {
    let env = Env::new();
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &fixture("banks/ok/small.ron"),
        "banks",
        "check",
        &fixture("banks/mixed/other.ron"),
    ]);
    run.expect_code(1);
    assert!(
        run.stdout
            .contains("error[duplicate-id]: item id \"s-3\" is used twice"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("tests/fixtures/banks/mixed/other.ron:9:17"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("tests/fixtures/banks/ok/small.ron:32:17"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("also used here, in another bank"),
        "{}",
        run.stdout
    );
    // Only the checked file is reported on.
    assert!(
        run.stdout.contains("checked 1 file and 1 item: 1 error"),
        "{}",
        run.stdout
    );
}

#[test]
fn loading_a_broken_bank_for_use_leaves_out_what_cannot_be_used() {
    let env = Env::new();
    let bank = fixture("banks/ten_mistakes.ron");
    let run = env.run(&["--no-builtin", "--bank", &bank, "--json", "banks", "list"]);
    run.expect_code(0);
    // One warning, with the count and where to look; the usable item loads.
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "warning: 10 items cannot be used and were left out ({bank}: 10); `labcert banks check` shows why"
        )),
        "{}",
        run.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["total"], 1);
    // A file that cannot be read at all is left out whole; with nothing usable left, that
    // is an error.
    let broken = env.path("broken.ron");
    fs::write(&broken, "Bank(id: \"b\", items: [").unwrap();
    let broken = broken.display().to_string();
    let run = env.run(&["--no-builtin", "--bank", &broken, "banks", "list"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(&format!("({broken}: the whole file)")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no usable items"), "{}", run.stderr);
}

/// An instructor's bank straight from an import: no explanations, two items that cannot
/// be used, listed in config.ron. Practice, exams and the report still work.
#[test]
fn an_incomplete_bank_does_not_block_practice() {
    let env = Env::new();
    let mut items = String::new();
    for i in 1..=12 {
        items.push_str(&format!(
            "(id: \"q-{i}\", area: \"hematology\", topic: \"anemias\", level: \"both\",
              stem: \"Question {i} about anemia?\",
              answer: SingleBest(choices: [\"One\", \"Two\", \"Three\", \"Four\"], key: \"B\")),\n"
        ));
    }
    // No area; no key.
    items.push_str(
        "(id: \"q-13\", topic: \"t\", level: \"both\", stem: \"Where?\",
          answer: SingleBest(choices: [\"a\", \"b\"], key: \"A\")),
         (id: \"q-14\", area: \"chemistry\", topic: \"t\", level: \"both\", stem: \"What?\",
          answer: SingleBest(choices: [\"a\", \"b\"])),\n",
    );
    let class = env.path("class");
    fs::create_dir_all(&class).unwrap();
    fs::write(
        class.join("unit3.ron"),
        format!(
            "Bank(id: \"unit3\", title: \"Unit 3\", author: \"T\", version: \"1\", license: \"CC0-1.0\", items: [{items}])"
        ),
    )
    .unwrap();
    fs::create_dir_all(env.data_dir()).unwrap();
    fs::write(
        env.data_dir().join("config.ron"),
        format!("Config(banks: [{:?}])", class.display().to_string()),
    )
    .unwrap();
    let unit3 = class.join("unit3.ron").display().to_string();

    let mut practice = env.cmd();
    practice.args(["--no-builtin", "practice", "--questions", "2"]);
    let run = crate::common::run_with_input(practice, "A\nB\n");
    run.expect_code(0);
    assert!(
        run.stdout.contains("(No explanation in this bank.)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(&format!(
            "2 items cannot be used and were left out ({unit3}: 2)"
        )) && run.stderr.contains("is loaded because"),
        "{}",
        run.stderr
    );
    env.run(&["--no-builtin", "report"]).expect_code(0);

    // `banks check` still fails on the errors, and shows the missing explanations and
    // references as warnings; --errors-only hides them; --strict makes them errors.
    let codes = |run: &crate::common::Run| -> (usize, usize, usize) {
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let count = |code: &str, severity: &str| {
            v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["code"] == code && d["severity"] == severity)
                .count()
        };
        (
            v["errors"].as_u64().unwrap() as usize,
            count("no-explanation", "warning") + count("no-references", "warning"),
            count("no-explanation", "error") + count("no-references", "error"),
        )
    };
    let check = env.run(&["--no-builtin", "--json", "banks", "check"]);
    check.expect_code(1);
    assert_eq!(codes(&check), (2, 28, 0), "{}", check.stdout);
    let strict = env.run(&["--no-builtin", "--json", "banks", "check", "--strict"]);
    strict.expect_code(1);
    assert_eq!(codes(&strict), (30, 0, 28), "{}", strict.stdout);
    let only = env.run(&["--no-builtin", "banks", "check", "--errors-only"]);
    only.expect_code(1);
    assert!(!only.stdout.contains("warning["), "{}", only.stdout);
    assert!(
        only.stdout.contains("is missing the field `key`"),
        "{}",
        only.stdout
    );
}

#[test]
fn banks_listed_in_the_config_file_are_loaded() {
    let env = Env::new();
    fs::create_dir_all(env.data_dir()).unwrap();
    let ok = fs::canonicalize(fixture("banks/ok")).unwrap();
    fs::write(
        env.data_dir().join("config.ron"),
        format!("Config(banks: [{:?}])", ok.display().to_string()),
    )
    .unwrap();
    let run = env.run(&["--no-builtin", "--json", "banks", "list"]);
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["total"], 3);
}

#[test]
fn no_colour_when_output_is_not_a_terminal() {
    let env = Env::new();
    let run = env.run(&[
        "--no-builtin",
        "banks",
        "check",
        &fixture("banks/ten_mistakes.ron"),
    ]);
    assert!(
        !run.all().contains('\u{1b}'),
        "escape codes in piped output"
    );
    let forced = env.run(&[
        "--no-builtin",
        "--color",
        "always",
        "banks",
        "check",
        &fixture("banks/ten_mistakes.ron"),
    ]);
    assert!(
        forced.stdout.contains('\u{1b}'),
        "--color always must colour"
    );
}

// ---- bad input: a clear message naming the path, exit 1 or 2, never a panic -----------

#[track_caller]
fn assert_clean_failure(run: &crate::common::Run, code: i32, path: &str, words: &str) {
    run.expect_code(code);
    let all = run.all();
    assert!(!all.contains("panicked"), "panic:\n{all}");
    assert!(all.contains(path), "path {path:?} not named:\n{all}");
    assert!(all.contains(words), "{words:?} not said:\n{all}");
}

#[test]
fn an_empty_file_is_a_syntax_error() {
    let env = Env::new();
    let p = env.path("empty.ron");
    fs::write(&p, "").unwrap();
    let path = p.display().to_string();
    let run = env.run(&["--no-builtin", "banks", "check", &path]);
    assert_clean_failure(&run, 1, &path, "the file holds no RON value");
}

#[test]
fn a_binary_file_is_refused() {
    let env = Env::new();
    let p = env.path("image.ron");
    fs::write(&p, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let path = p.display().to_string();
    let run = env.run(&["--no-builtin", "banks", "check", &path]);
    assert_clean_failure(&run, 1, &path, "binary file");
}

#[test]
fn invalid_utf8_is_located() {
    let env = Env::new();
    let p = env.path("latin1.ron");
    fs::write(&p, b"Bank(\n  title: \"Caf\xe9\",\n)").unwrap();
    let path = p.display().to_string();
    let run = env.run(&["--no-builtin", "banks", "check", &path]);
    assert_clean_failure(&run, 1, &format!("{path}:2:14"), "not valid UTF-8");
}

#[test]
fn a_100_mb_file_is_refused_by_size() {
    let env = Env::new();
    let p = env.path("huge.ron");
    let f = fs::File::create(&p).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let path = p.display().to_string();
    let run = env.run(&["--no-builtin", "banks", "check", &path]);
    assert_clean_failure(&run, 1, &path, "larger than 32 MiB");
}

#[test]
fn deeply_nested_ron_is_refused_without_overflowing_the_stack() {
    let env = Env::new();
    let p = env.path("deep.ron");
    let mut f = fs::File::create(&p).unwrap();
    let depth = 200_000;
    f.write_all("[".repeat(depth).as_bytes()).unwrap();
    f.write_all("]".repeat(depth).as_bytes()).unwrap();
    drop(f);
    let path = p.display().to_string();
    let run = env.run(&["--no-builtin", "banks", "check", &path]);
    assert_clean_failure(&run, 1, &path, "nested more than 64 levels");
}

#[test]
fn a_folder_without_bank_files_is_a_usage_error() {
    let env = Env::new();
    let dir = fixture("banks/empty_dir");
    let run = env.run(&["--no-builtin", "banks", "check", &dir]);
    assert_clean_failure(&run, 2, &dir, "holds no .ron bank files");
    let run = env.run(&["--no-builtin", "--bank", &dir, "banks", "list"]);
    assert_clean_failure(&run, 2, &dir, "holds no .ron bank files");
}

#[test]
fn an_unreadable_file_is_an_io_error() {
    let env = Env::new();
    // A symlink loop cannot be opened, even by root (chmod 000 would not stop root).
    let p = env.path("loop.ron");
    std::os::unix::fs::symlink(&p, &p).unwrap();
    let path = p.display().to_string();
    let run = env.run(&["--no-builtin", "banks", "check", &path]);
    assert_clean_failure(&run, 2, &path, "cannot read");
}

#[test]
fn a_missing_path_is_an_io_error() {
    let env = Env::new();
    let path = env.path("nope.ron").display().to_string();
    let run = env.run(&["--no-builtin", "--bank", &path, "banks", "list"]);
    assert_clean_failure(&run, 2, &path, "no such file or folder");
}

#[test]
fn a_syntax_error_points_at_the_place() {
    let env = Env::new();
    let p = env.path("comma.ron");
    fs::write(&p, "Bank(\n    id: \"x\"\n    title: \"y\",\n)\n").unwrap();
    let path = p.display().to_string();
    let run = env.run(&["--no-builtin", "banks", "check", &path]);
    assert_clean_failure(
        &run,
        1,
        &format!("{path}:3:5"),
        "expected `,` or `)` after the field",
    );
    assert!(run.stdout.contains("is a comma missing"), "{}", run.stdout);
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    env.run(&["banks", "frobnicate"]).expect_code(2);
    env.run(&["--profile", "../x", "banks", "list"])
        .expect_code(2);
    env.run(&["--help"]).expect_code(0);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::process::Stdio;
    let env = Env::new();
    let mut child = env
        .cmd()
        .args([
            "--no-builtin",
            "banks",
            "check",
            &fixture("banks/ten_mistakes.ron"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away at once
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

#[test]
fn a_bank_file_with_a_shipped_banks_id_replaces_it() {
    // An instructor's edited (or calibrated) copy of a shipped bank is used instead of it.
    let env = Env::new();
    let copy = env.path("hematology-edited.ron");
    let shipped = std::fs::read_to_string("question_banks/hematology.ron").unwrap();
    let edited = shipped.replacen("id: \"hem-001\"", "id: \"hem-001-edited\"", 1);
    fs::write(&copy, edited).unwrap();
    let copy = copy.display().to_string();
    let plain: serde_json::Value =
        serde_json::from_str(&env.run(&["--json", "banks", "list"]).stdout).unwrap();
    let run = env.run(&["--bank", &copy, "--json", "banks", "list"]);
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        v["areas"]["hematology"], plain["areas"]["hematology"],
        "the copy replaced the shipped bank, not added to it"
    );
    let hem = v["banks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "labcert-hematology")
        .unwrap();
    assert_eq!(hem["origin"], copy.as_str());
    // Two files with one id are still an error: `banks check` fails, and for use the
    // second file is left out with a warning.
    let twice = env.path("again.ron");
    fs::copy(&copy, &twice).unwrap();
    let twice = twice.display().to_string();
    let run = env.run(&["--bank", &copy, "--bank", &twice, "banks", "check"]);
    run.expect_code(1);
    assert!(run.stdout.contains("duplicate-bank"), "{}", run.stdout);
    let run = env.run(&["--bank", &copy, "--bank", &twice, "--json", "banks", "list"]);
    run.expect_code(0);
    assert!(
        run.stderr.contains(&format!("({twice}: the whole file, ")),
        "{}",
        run.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["areas"]["hematology"], plain["areas"]["hematology"]);
}

/// Hints fit the item: a missing area suggests the area the stem's words point to, a
/// missing reference the standard text of the item's area.
#[test]
fn hints_suggest_the_items_own_area_and_reference() {
    let env = Env::new();
    let bank = env.path("hints.ron");
    fs::write(
        &bank,
        r#"Bank(id: "h", title: "H", author: "a", version: "1", license: "CC0-1.0", items: [
  (id: "m-1", topic: "stains", level: "both", difficulty: 2,
   stem: "A Gram stain of a sputum culture shows gram-positive cocci in clusters. Which test separates Staphylococcus from Streptococcus?",
   answer: SingleBest(choices: ["Catalase", "Oxidase", "Coagulase", "Bile solubility"], key: "A"),
   explanation: "Catalase.", references: ["Bailey & Scott"]),
  (id: "c-1", area: "chemistry", topic: "enzymes", level: "both", difficulty: 2,
   stem: "Which enzyme is most specific for the liver?",
   answer: SingleBest(choices: ["ALT", "AST", "LD", "CK"], key: "A"),
   explanation: "ALT."),
])"#,
    )
    .unwrap();
    let run = env.run(&[
        "--no-builtin",
        "banks",
        "check",
        &bank.display().to_string(),
    ]);
    run.expect_code(1);
    assert!(
        run.stdout.contains("= help: add `area: \"microbiology\",`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("= help: add `references: [\"Tietz Fundamentals of Clinical Chemistry"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("Rodak"), "{}", run.stdout);
}
