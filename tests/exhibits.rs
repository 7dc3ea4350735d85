//! Exhibits through the real binary: drawn at 80 and 60 columns, written as SVG that
//! parses as XML, and every malformed kind diagnosed at its place.

use crate::common::{Env, fixture};

const ITEMS: [&str; 5] = ["ex-table", "ex-qc", "ex-spe", "ex-hist", "ex-flow"];

fn show(env: &Env, id: &str, width: &str) -> String {
    let bank = fixture("exhibits/all-kinds.ron");
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "--color",
        "never",
        "banks",
        "show",
        id,
        "--width",
        width,
    ]);
    run.expect_code(0);
    run.stdout
}

#[test]
fn every_exhibit_kind_is_drawn_within_80_and_60_columns() {
    let env = Env::new();
    for id in ITEMS {
        for width in ["80", "60"] {
            let out = show(&env, id, width);
            let w: usize = width.parse().unwrap();
            for line in out.lines() {
                assert!(
                    line.chars().count() <= w,
                    "{id} at {width}: {} columns: {line}",
                    line.chars().count()
                );
            }
            assert!(out.contains("Exhibit 1: "), "{out}");
            insta::assert_snapshot!(format!("exhibit_{id}_{width}"), out);
        }
    }
}

#[test]
fn the_drawings_show_the_numbers_a_candidate_reads() {
    let env = Env::new();
    // The panel is split into column groups at 60 columns, the first column repeated.
    let panel = show(&env, "ex-table", "60");
    assert!(panel.contains("continued below"), "{panel}");
    assert!(panel.matches("Cell").count() >= 2, "{panel}");
    // QC: every result is listed and the marked rules' violations are named.
    let qc = show(&env, "ex-qc", "80");
    assert!(qc.contains("12) 93.4"), "{qc}");
    assert!(qc.contains("2-2s at runs 8, 9"), "{qc}");
    assert!(qc.contains("1-3s at run 12"), "{qc}");
    // SPE: g/dL from the total protein.
    let spe = show(&env, "ex-spe", "80");
    assert!(spe.contains("gamma 28.0% (2.41 g/dL)"), "{spe}");
    assert!(spe.contains("Zones: C/A2/E/O-Arab"), "{spe}");
    // Flow: exact quadrant percentages from the clouds.
    let flow = show(&env, "ex-flow", "80");
    assert!(flow.contains("upper left 25.0"), "{flow}");
    assert!(flow.contains("lower right 45.0"), "{flow}");
}

#[test]
fn exhibits_are_written_as_svg_that_parses_as_xml() {
    let env = Env::new();
    let bank = fixture("exhibits/all-kinds.ron");
    let out = env.path("svg");
    let out_arg = out.display().to_string();
    let args = [
        "--no-builtin",
        "--bank",
        &bank,
        "banks",
        "exhibits",
        "-o",
        &out_arg,
    ];
    env.run(&args).expect_code(0);
    let mut files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "ex-flow-1.svg",
            "ex-hist-1.svg",
            "ex-qc-1.svg",
            "ex-spe-1.svg",
            "ex-spe-2.svg",
            "ex-table-1.svg"
        ]
    );
    for f in &files {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{f}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg", "{f}");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        let count = |tag: &str| {
            doc.descendants()
                .filter(|n| n.tag_name().name() == tag)
                .count()
        };
        assert_eq!(count("title"), 1, "{f}");
        match f.as_str() {
            // 12 results: circles for the plain ones, diamonds for the marked ones.
            "ex-qc-1.svg" => assert_eq!(count("circle") + count("path") - 1, 12, "{f}"),
            "ex-flow-1.svg" => assert!(count("circle") > 1000, "{f}"),
            // The caption, 22 header cells and 3 rows of 22, the note.
            "ex-table-1.svg" => assert_eq!(count("text"), 1 + 22 + 66 + 1, "{f}"),
            _ => assert!(count("path") >= 2, "{f}"),
        }
    }
    // Files are not replaced without --force.
    let again = env.run(&args);
    again.expect_code(2);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    let mut forced = args.to_vec();
    forced.push("--force");
    env.run(&forced).expect_code(0);
}

#[test]
fn every_malformed_exhibit_kind_is_named_at_its_place() {
    let env = Env::new();
    let file = fixture("exhibits/broken.ron");
    let run = env.run(&["--no-builtin", "banks", "check", &file]);
    run.expect_code(1);
    for (code, line) in [
        ("error[exhibit-row-length]", 11),
        ("error[exhibit-empty]", 16),
        ("error[exhibit-rule]", 16),
        ("error[exhibit-position]", 21),
        ("error[exhibit-sum]", 26),
        ("error[exhibit-data]", 31),
        ("error[exhibit-range]", 36),
        ("error[unknown-exhibit]", 41),
    ] {
        let at = run
            .stdout
            .find(code)
            .unwrap_or_else(|| panic!("{code} missing:\n{}", run.stdout));
        let place = format!("broken.ron:{line}:");
        assert!(
            run.stdout[at..]
                .lines()
                .nth(1)
                .is_some_and(|l| l.contains(&place)),
            "{code} not at line {line}:\n{}",
            run.stdout
        );
    }
    assert!(run.stdout.contains("did you mean `Scatter`?"));
    assert!(
        run.stdout
            .contains("checked 1 file and 7 items: 8 errors, 0 warnings"),
        "{}",
        run.stdout
    );
}

#[test]
fn banks_list_counts_items_with_exhibits() {
    let env = Env::new();
    let bank = fixture("exhibits/all-kinds.ron");
    let run = env.run(&["--no-builtin", "--bank", &bank, "--json", "banks", "list"]);
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["exhibits"], 5);
    assert_eq!(v["exhibit_kinds"]["Electrophoresis"], 2);
    assert_eq!(v["exhibit_kinds"]["Table"], 1);
    assert_eq!(v["banks"][0]["exhibits"], 5);
}

#[test]
fn x_shows_the_exhibits_again_and_o_never_blocks_a_scripted_run() {
    let env = Env::new();
    let bank = fixture("exhibits/all-kinds.ron");
    let mut cmd = env.cmd();
    cmd.args([
        "--no-builtin",
        "--bank",
        &bank,
        "--seed",
        "3",
        "practice",
        "--questions",
        "1",
        "--area",
        "lab-operations",
    ]);
    let run = crate::common::run_with_input(cmd, "x\no\nA\n");
    run.expect_code(0);
    assert_eq!(
        run.stdout
            .matches("Exhibit 1: Glucose, control level 1")
            .count(),
        2,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Answer (A-D; x: exhibits)"),
        "{}",
        run.stdout
    );
    // `o` on a question without an image is an ordinary wrong entry, asked again.
    assert!(
        run.stdout.contains("there is no choice o: answer A to D"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Correct.") || run.stdout.contains("Not quite"));
}

#[test]
fn an_image_is_named_in_scripted_runs_and_opening_it_is_refused_without_a_terminal() {
    let env = Env::new();
    let dir = env.path("imgbank");
    std::fs::create_dir_all(dir.join("images")).unwrap();
    // A scripted run names the file and never decodes it, so its bytes do not matter.
    let png: &[u8] = b"\x89PNG placeholder";
    std::fs::write(dir.join("images/cell.png"), png).unwrap();
    std::fs::write(
        dir.join("bank.ron"),
        r#"Bank(id: "img", title: "Images", author: "t", version: "1", license: "CC0-1.0", items: [
  (id: "img-1", area: "hematology", topic: "cell morphology", level: "both", difficulty: 2, image: "images/cell.png",
   stem: "Which cell is shown?", answer: SingleBest(choices: ["Neutrophil", "Lymphocyte", "Monocyte", "Eosinophil"], key: "A"),
   explanation: "Because. Yes.", references: ["Rodak"]),
])"#,
    )
    .unwrap();
    let bank = dir.join("bank.ron").display().to_string();
    let mut cmd = env.cmd();
    cmd.args([
        "--no-builtin",
        "--bank",
        &bank,
        "practice",
        "--questions",
        "1",
    ]);
    let run = crate::common::run_with_input(cmd, "o\nA\n");
    run.expect_code(0);
    assert!(run.stdout.contains("[Image: "), "{}", run.stdout);
    assert!(run.stdout.contains("images/cell.png]"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Answer (A-D; o: image)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Opening images needs a person at a terminal"),
        "{}",
        run.stdout
    );
}
