//! The no-panic suite: every reader of outside input (bank, blueprint, config, GIFT, Aiken,
//! CSV, answer exports) and every parser of what a candidate types is fed mutated real
//! files and arbitrary text, and must return a value or an error, never panic.
//!
//! Runs on stable Rust inside `cargo test` with a bounded budget. `LABCERT_FUZZ_CASES=N`
//! raises the number of cases per reader for a longer run (docs/reliability.md).

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rand::SeedableRng;

use crate::bank::Answer;
use crate::bank::import::{self, BankMeta, Defaults, Format, ImportRequest};

/// Cases per reader: small enough for CI, raised with `LABCERT_FUZZ_CASES`.
fn cases(default: u32) -> u32 {
    std::env::var("LABCERT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Real inputs to start from, for each reader.
fn seeds(kind: &str) -> Vec<String> {
    let names: &[&str] = match kind {
        "bank" => &[
            "tests/fixtures/banks/ten_mistakes.ron",
            "tests/fixtures/banks/ok/small.ron",
            "tests/fixtures/responses/class-bank.ron",
            "question_banks/urinalysis.ron",
            "tests/fixtures/exhibits/all-kinds.ron",
            "tests/fixtures/exhibits/broken.ron",
        ],
        "blueprint" => &[
            "src/exam/blueprints/ascp-mls.ron",
            "src/exam/blueprints/amt-mlt.ron",
            "tests/fixtures/responses/quiz-blueprint.ron",
        ],
        "gift" => &[
            "tests/fixtures/import/gift/constructs.gift",
            "tests/fixtures/import/gift/complete.gift",
        ],
        "aiken" => &[
            "tests/fixtures/import/aiken/valid.txt",
            "tests/fixtures/import/aiken/malformed.txt",
        ],
        "csv" => &[
            "tests/fixtures/import/csv/complete.csv",
            "tests/fixtures/import/csv/semicolon.csv",
            "tests/fixtures/import/csv/incomplete.csv",
        ],
        "responses" => &[
            "tests/fixtures/responses/class.csv",
            "tests/fixtures/responses/quiz.csv",
        ],
        _ => &[],
    };
    let mut out: Vec<String> = names.iter().map(|n| fixture(n)).collect();
    if kind == "config" {
        out.push("Config(banks: [\"class\", \"/abs/x.ron\"])".into());
        out.push("Config()".into());
    }
    // A large bank is slow to mutate in a debug build: keep the first items only.
    for s in &mut out {
        if s.len() > 40_000 {
            let cut = s.floor_char_boundary(40_000);
            s.truncate(cut);
        }
    }
    out
}

/// Pieces that readers treat specially, spliced into mutated text.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "'",
    "\\",
    "\\u{1b}",
    "\u{1b}[2J",
    "\n",
    "\r\n",
    "//",
    "/*",
    "*/",
    "#",
    "::",
    "~",
    "=",
    "%50%",
    "####",
    "$CATEGORY:",
    "ANSWER:",
    "A)",
    "B.",
    "\u{feff}",
    "\u{202e}",
    "é",
    "😀",
    "９",
    "−",
    "1e309",
    "-0",
    "NaN",
    "inf",
    "Some(",
    "None",
    "SingleBest(",
    "Numeric(",
    "key: \"Z\"",
    "b: 99",
    "items: [",
    "\"\"",
    ";",
    "\t",
    "\u{0}",
    "0x",
    "1_000",
    "..",
    "../",
    "/etc/passwd",
    "Config(",
    "Bank(",
];

/// One random edit of `text`: delete, duplicate or move a slice, insert a token or a
/// random character, or flip a character.
fn mutate(text: &str, rng: &mut rand::rngs::StdRng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let edits = rng.random_range(1..=4);
    for _ in 0..edits {
        let len = chars.len();
        let at = if len == 0 {
            0
        } else {
            rng.random_range(0..=len)
        };
        match rng.random_range(0..6) {
            0 if len > 0 => {
                let end = (at + rng.random_range(1..=16)).min(len);
                chars.drain(at.min(len)..end);
            }
            1 if len > 0 => {
                let start = at.min(len - 1);
                let end = (start + rng.random_range(1..=64)).min(len);
                let piece: Vec<char> = chars[start..end].to_vec();
                let to = rng.random_range(0..=chars.len());
                chars.splice(to..to, piece);
            }
            2 => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())];
                chars.splice(at..at, token.chars());
            }
            3 => {
                let c = char::from_u32(rng.random_range(0..0x11_0000)).unwrap_or('\u{fffd}');
                chars.insert(at, c);
            }
            4 if len > 0 => {
                let i = at.min(len - 1);
                chars[i] = char::from_u32(rng.random_range(0..0x80)).unwrap_or('?');
            }
            _ => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())];
                chars.splice(at..at, token.repeat(rng.random_range(1..=8)).chars());
            }
        }
    }
    chars.into_iter().collect()
}

/// Feeds `n` mutations of each seed of `kind` to `read`.
fn mutation_sweep(kind: &str, n: u32, read: impl Fn(&str)) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x01ab_ce47);
    let seeds = seeds(kind);
    eprintln!("{kind}: {} mutated inputs", seeds.len() * (n as usize + 1));
    for seed in seeds {
        read(&seed);
        let mut text = seed.clone();
        for i in 0..n {
            // Mostly fresh mutations of the seed, sometimes compounding earlier ones.
            if i % 4 == 0 {
                text = seed.clone();
            }
            text = mutate(&text, &mut rng);
            read(&text);
        }
    }
}

/// Arbitrary strings (any Unicode, control characters included) for a parser.
fn arbitrary(n: u32, read: impl Fn(&str)) {
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: n,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    runner
        .run(&any::<String>(), |s| {
            read(&s);
            Ok(())
        })
        .expect("no input may make a reader panic");
}

fn import_request(format: Format) -> ImportRequest {
    ImportRequest {
        format,
        source_name: "fuzz".into(),
        bank: BankMeta::for_source("fuzz".into(), "fuzz", format),
        defaults: Defaults::default(),
        taken_ids: Default::default(),
        image_dir: None,
    }
}

fn read_bank(text: &str) {
    let report = crate::bank::load::check_text("fuzz.ron", text);
    // Rendering walks every span against the text: it must not fail either.
    let _ = crate::doc::diagnostic::render_to_string(&report.sources, &report.diagnostics);
    // Whatever exhibits were accepted are drawn, at a narrow width and as SVG.
    for bank in &report.banks {
        for item in &bank.items {
            for e in &item.exhibits {
                let _ = crate::exhibit::text::draw(e, 1, 40, false);
                let _ = crate::exhibit::svg::render(e, true);
            }
        }
    }
}

fn read_blueprint(text: &str) {
    let _ = crate::exam::blueprint::parse("fuzz.ron", text);
}

fn read_config(text: &str) {
    let _ = crate::settings::parse_config(Path::new("/nonexistent"), "config.ron", text.into());
}

fn read_import(format: Format) -> impl Fn(&str) {
    move |text: &str| {
        if let Ok(mut imported) = import::import_text(text, &import_request(format)) {
            // What import writes must be readable again.
            let written = import::write_bank(&mut imported);
            let _ = crate::bank::load::check_text("fuzz-out.ron", &written.text);
        }
    }
}

/// Reads an export and, when it reads, analyses it: every answer, and exam answers of the
/// fixture quiz (so the statistics see odd item sets, one candidate, no spread).
fn read_responses(text: &str) {
    use crate::instructor::responses::{ClassAnswers, Mode, Selection, parse_export};
    static LIBRARY: std::sync::OnceLock<crate::bank::Library> = std::sync::OnceLock::new();
    let library = LIBRARY.get_or_init(|| crate::bank::Library {
        banks: ["class-bank.ron", "quiz-bank.ron"]
            .iter()
            .flat_map(|name| {
                let text = fixture(&format!("tests/fixtures/responses/{name}"));
                crate::bank::load::check_text(name, &text).banks
            })
            .collect(),
    });
    let Ok(answers) = parse_export(Path::new("fuzz.csv"), text, 0, None) else {
        return;
    };
    let quiz = Selection {
        modes: vec![Mode::Exam],
        blueprint: Some("fixture-quiz".into()),
    };
    for selection in [Selection::default(), quiz] {
        let class = ClassAnswers::select(vec![], answers.clone(), &selection);
        let _ = crate::instructor::analysis::analyze(&class, library, 1);
    }
}

fn answers() -> Vec<Answer> {
    vec![
        Answer::SingleBest {
            choices: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            key: 1,
        },
        Answer::SelectAll {
            choices: (0..8).map(|i| i.to_string()).collect(),
            keys: vec![0, 2],
        },
        Answer::Numeric {
            value: 90.0,
            tolerance: 0.5,
            unit: "fL".into(),
        },
        Answer::Numeric {
            value: -3.0,
            tolerance: 0.0,
            unit: String::new(),
        },
        Answer::Numeric {
            value: 37.0,
            tolerance: 0.1,
            unit: "°C".into(),
        },
    ]
}

fn read_typed(text: &str) {
    for a in answers() {
        if let Ok(r) = crate::exam::response::parse(text, &a) {
            let _ = crate::exam::response::is_correct(&a, &r);
            // What is stored reads back.
            let stored = r.to_string();
            assert!(
                crate::exam::response::from_stored(&stored).is_some(),
                "{stored:?}"
            );
        }
    }
    let _ = crate::exam::response::from_stored(text);
    let _ = crate::ui::text::parse_duration(text);
    let _ = crate::doc::diagnostic::clean(text);
}

#[test]
fn bank_files() {
    mutation_sweep("bank", cases(600), read_bank);
    arbitrary(cases(1000), read_bank);
}

#[test]
fn blueprints() {
    mutation_sweep("blueprint", cases(1500), read_blueprint);
    arbitrary(cases(1500), read_blueprint);
}

#[test]
fn config_files() {
    mutation_sweep("config", cases(1500), read_config);
    arbitrary(cases(1500), read_config);
}

#[test]
fn gift_files() {
    mutation_sweep("gift", cases(1500), read_import(Format::Gift));
    arbitrary(cases(1500), read_import(Format::Gift));
}

#[test]
fn aiken_files() {
    mutation_sweep("aiken", cases(1500), read_import(Format::Aiken));
    arbitrary(cases(1500), read_import(Format::Aiken));
}

#[test]
fn csv_files() {
    mutation_sweep("csv", cases(1500), read_import(Format::Csv));
    arbitrary(cases(1500), read_import(Format::Csv));
}

#[test]
fn answer_exports() {
    mutation_sweep("responses", cases(1500), read_responses);
    arbitrary(cases(1500), read_responses);
}

#[test]
fn typed_answers() {
    arbitrary(cases(20000), read_typed);
    // Strings built from the characters candidates' keyboards produce.
    let pieces = [
        "9", "0", ".", ",", "-", "−", "–", "—", " ", "\u{a0}", "\u{202f}", "\u{3000}", "９", "Ａ",
        "a", "B", "fL", "°C", "µ", "μ", "e", "E", "+", "=", "_", "½", "٩", "x10^9/L", "?",
    ];
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for _ in 0..cases(20000) {
        let n = rng.random_range(0..8);
        let text: String = (0..n)
            .map(|_| pieces[rng.random_range(0..pieces.len())])
            .collect();
        read_typed(&text);
    }
}
