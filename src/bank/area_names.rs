//! Content areas as instructors name them, guessed from an item's text, and the standard
//! reference of each area.
//!
//! Instructors name areas the way their course does: a Moodle category `Unit 3 - Heme`,
//! a CSV cell `Blood Bank` or `Urinalysis & Body Fluids`. [`area_from_name`] reads one
//! such name and [`area_from_path`] a whole category path; both match **whole names**
//! from the synonym table below after normalising case, accents, punctuation and `&`/`+`
//! (as `and`), never a substring, so `Micro` is microbiology but `Microcytic anemias` is
//! nothing. Course words around a name (`Unit 3`, `Quiz 2`, `Review`, `Default for`) are
//! left out first, and a compound name (`Heme/Coag`, `Hematology & Coagulation`) maps
//! when every part names the same area.
//!
//! The general laboratory-operations words (`QC`, `Safety`, `Lab Math`, `Management`)
//! are weak: in a path they count only when no other segment names a discipline, so
//! `Micro/QC` is microbiology (quality control *in* microbiology) while `Safety` alone is
//! lab operations.
//!
//! [`guess_area`] suggests an area from an item's own words (a Gram stain is
//! microbiology) for the importer's hints; it never sets an area. [`standard_references`]
//! names the textbook an item of an area is usually checked against. Both are for any
//! hint that needs them (the importer's, `banks check`'s). The table and the keyword
//! lists are documented in docs/import-formats.md.

use std::collections::HashSet;

use crate::bank::model::Area;

/// How strongly a name points at its area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// A general laboratory-operations word (`QC`, `Safety`): it names the area only when
    /// nothing else in the path names a discipline.
    General,
    /// A discipline's name (`Heme`, `Blood Bank`, `Micro`) or lab operations by name.
    Discipline,
}

/// Every name an area goes by, normalised (lowercase words separated by one space,
/// `&` written `and`), with how strongly it names the area. The canonical names and
/// titles (`blood-banking`, `Urinalysis and Body Fluids`) are matched too.
pub const SYNONYMS: &[(&str, Area, Strength)] = {
    use Area::*;
    use Strength::{Discipline as D, General as G};
    &[
        // Blood banking.
        ("blood bank", BloodBanking, D),
        ("blood banking", BloodBanking, D),
        ("bb", BloodBanking, D),
        ("immunohematology", BloodBanking, D),
        ("immunohaematology", BloodBanking, D),
        ("ih", BloodBanking, D),
        ("transfusion", BloodBanking, D),
        ("transfusion medicine", BloodBanking, D),
        ("transfusion service", BloodBanking, D),
        ("transfusion services", BloodBanking, D),
        ("blood banking and transfusion services", BloodBanking, D),
        ("blood bank and transfusion", BloodBanking, D),
        // Chemistry.
        ("chemistry", Chemistry, D),
        ("chem", Chemistry, D),
        ("clinical chemistry", Chemistry, D),
        ("biochemistry", Chemistry, D),
        ("clinical biochemistry", Chemistry, D),
        ("toxicology", Chemistry, D),
        ("therapeutic drug monitoring", Chemistry, D),
        ("tdm", Chemistry, D),
        // Hematology (hemostasis is part of hematology on the ASCP and AMT outlines).
        ("hematology", Hematology, D),
        ("haematology", Hematology, D),
        ("heme", Hematology, D),
        ("hem", Hematology, D),
        ("coag", Hematology, D),
        ("coagulation", Hematology, D),
        ("hemostasis", Hematology, D),
        ("haemostasis", Hematology, D),
        ("hemostasis and thrombosis", Hematology, D),
        ("coagulation and hemostasis", Hematology, D),
        // Immunology.
        ("immunology", Immunology, D),
        ("immuno", Immunology, D),
        ("serology", Immunology, D),
        ("clinical immunology", Immunology, D),
        ("immunology and serology", Immunology, D),
        ("immunology serology", Immunology, D),
        // Microbiology (the ASCP outline puts mycology, parasitology and virology in it).
        ("microbiology", Microbiology, D),
        ("micro", Microbiology, D),
        ("clinical microbiology", Microbiology, D),
        ("bacteriology", Microbiology, D),
        ("mycology", Microbiology, D),
        ("parasitology", Microbiology, D),
        ("virology", Microbiology, D),
        ("mycobacteriology", Microbiology, D),
        // Urinalysis and body fluids.
        ("urinalysis", Urinalysis, D),
        ("ua", Urinalysis, D),
        ("urinalysis and body fluids", Urinalysis, D),
        ("urinalysis and other body fluids", Urinalysis, D),
        ("body fluids", Urinalysis, D),
        ("body fluid", Urinalysis, D),
        ("clinical microscopy", Urinalysis, D),
        // Laboratory operations, by name.
        ("lab operations", LabOperations, D),
        ("laboratory operations", LabOperations, D),
        ("lab ops", LabOperations, D),
        ("lab operations and management", LabOperations, D),
        ("general laboratory", LabOperations, D),
        ("general lab", LabOperations, D),
        ("laboratory management", LabOperations, D),
        ("lab management", LabOperations, D),
        // Laboratory operations: general words, weak in a path.
        ("management", LabOperations, G),
        ("qc", LabOperations, G),
        ("qa", LabOperations, G),
        ("quality", LabOperations, G),
        ("quality control", LabOperations, G),
        ("quality assurance", LabOperations, G),
        ("quality management", LabOperations, G),
        ("safety", LabOperations, G),
        ("lab safety", LabOperations, G),
        ("laboratory safety", LabOperations, G),
        ("lab math", LabOperations, G),
        ("lab mathematics", LabOperations, G),
        ("laboratory math", LabOperations, G),
        ("laboratory mathematics", LabOperations, G),
        ("instrumentation", LabOperations, G),
    ]
};

/// Course words left out of a name before it is matched (`Unit 3 - Heme`, `Micro Quiz
/// 2`, `Default for Hematology`); numbers and Roman numerals are left out too.
const COURSE_WORDS: &[&str] = &[
    "unit",
    "units",
    "chapter",
    "chapters",
    "ch",
    "week",
    "module",
    "part",
    "section",
    "lesson",
    "lecture",
    "lectures",
    "exam",
    "exams",
    "quiz",
    "quizzes",
    "test",
    "tests",
    "review",
    "questions",
    "question",
    "bank",
    "practice",
    "final",
    "midterm",
    "default",
    "for",
    "topic",
    "topics",
    "block",
    "i",
    "ii",
    "iii",
    "iv",
    "v",
    "vi",
    "vii",
    "viii",
    "ix",
    "x",
];

/// A name's words: lowercase, accents and apostrophes dropped, `&` and `+` read as
/// `and`, every other run of non-alphanumerics a word break.
pub fn words(text: &str) -> Vec<String> {
    let mut spaced = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\'' | '\u{2019}' => {}
            '&' | '+' => spaced.push_str(" and "),
            c if c.is_alphanumeric() => {
                for l in c.to_lowercase() {
                    spaced.push(unaccent(l));
                }
            }
            _ => spaced.push(' '),
        }
    }
    spaced.split_whitespace().map(str::to_string).collect()
}

/// The unaccented form of a lowercase Latin letter (`é` -> `e`); others as they are.
fn unaccent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        c => c,
    }
}

/// The area a normalised phrase names exactly, with its strength.
fn lookup(phrase: &str) -> Option<(Area, Strength)> {
    if phrase.is_empty() {
        return None;
    }
    if let Some(area) = Area::ALL
        .into_iter()
        .find(|a| a.name().replace('-', " ") == phrase || words(a.title()).join(" ") == phrase)
    {
        return Some((area, Strength::Discipline));
    }
    SYNONYMS
        .iter()
        .find(|(name, _, _)| *name == phrase)
        .map(|&(_, area, strength)| (area, strength))
}

/// The area the words name, whole or as a compound whose every part (split at `and`)
/// names the same area.
fn lookup_words(words: &[String]) -> Option<(Area, Strength)> {
    if let Some(found) = lookup(&words.join(" ")) {
        return Some(found);
    }
    let parts: Vec<String> = words
        .split(|w| w == "and")
        .filter(|p| !p.is_empty())
        .map(|p| p.join(" "))
        .collect();
    if parts.len() < 2 {
        return None;
    }
    let mut found: Option<(Area, Strength)> = None;
    for part in &parts {
        let (area, strength) = lookup(part)?;
        match found {
            Some((a, _)) if a != area => return None,
            Some((a, s)) => found = Some((a, s.max(strength))),
            None => found = Some((area, strength)),
        }
    }
    found
}

/// The area one name (a category, a CSV cell, a tag) gives, with its strength: the whole
/// name, or its parts between separators (`Unit 3 - Heme`, `Heme/Coag`, `Heme (Rodak
/// ch. 5)`), course words and numbers left out. Parts naming different areas name none.
pub fn area_of_name(name: &str) -> Option<(Area, Strength)> {
    let whole = words(name);
    if let Some(found) = lookup_words(&whole) {
        return Some(found);
    }
    let parts: Vec<Vec<String>> = split_parts(name)
        .into_iter()
        .map(|p| {
            words(p)
                .into_iter()
                .filter(|w| !is_course_word(w))
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty())
        .collect();
    let mut found: Option<(Area, Strength)> = None;
    for part in &parts {
        let Some((area, strength)) = lookup_words(part) else {
            continue;
        };
        match found {
            Some((a, _)) if a != area => return None,
            Some((a, s)) => found = Some((a, s.max(strength))),
            None => found = Some((area, strength)),
        }
    }
    // `Heme/Coag` as one part: compounds split at `/` and `,` need every piece to agree.
    found.or_else(|| {
        let pieces: Vec<Vec<String>> = name
            .split(['/', ',', ';'])
            .map(|p| {
                words(p)
                    .into_iter()
                    .filter(|w| !is_course_word(w))
                    .collect::<Vec<_>>()
            })
            .filter(|p| !p.is_empty())
            .collect();
        if pieces.len() < 2 {
            return None;
        }
        let mut found: Option<(Area, Strength)> = None;
        for piece in &pieces {
            let (area, strength) = lookup_words(piece)?;
            match found {
                Some((a, _)) if a != area => return None,
                Some((a, s)) => found = Some((a, s.max(strength))),
                None => found = Some((area, strength)),
            }
        }
        found
    })
}

/// The area one name gives, however weakly (see [`area_of_name`]).
pub fn area_from_name(name: &str) -> Option<Area> {
    area_of_name(name).map(|(area, _)| area)
}

/// The area a category path gives (`["$course$", "top", "MLT 1010", "Unit 3 - Heme",
/// "Anemias"]` gives hematology): the deepest segment naming a discipline, else the
/// deepest naming a general lab-operations word.
pub fn area_from_path<S: AsRef<str>>(segments: &[S]) -> Option<Area> {
    let found: Vec<(Area, Strength)> = segments
        .iter()
        .rev()
        .filter_map(|s| area_of_name(s.as_ref()))
        .collect();
    found
        .iter()
        .find(|(_, s)| *s == Strength::Discipline)
        .or_else(|| found.first())
        .map(|(area, _)| *area)
}

fn is_course_word(word: &str) -> bool {
    COURSE_WORDS.contains(&word) || word.chars().all(|c| c.is_ascii_digit())
}

/// A name cut at its separators: `:`, `|`, brackets, dashes with spaces around them.
fn split_parts(name: &str) -> Vec<&str> {
    name.split([':', '|', '(', ')', '[', ']', '\u{2013}', '\u{2014}'])
        .flat_map(|p| p.split(" - "))
        .collect()
}

/// An area suggested by an item's words, and the words that suggest it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaGuess {
    pub area: Area,
    /// The keywords found, in the order of the area's list (at most three).
    pub because: Vec<&'static str>,
}

/// Words and phrases that belong to one area's content. Phrases (two words or more)
/// count twice: "urine bilirubin" says more than "bilirubin".
const KEYWORDS: &[(Area, &[&str])] = &[
    (
        Area::BloodBanking,
        &[
            "blood bank",
            "crossmatch",
            "antibody screen",
            "antibody identification",
            "antibody panel",
            "abo",
            "rh",
            "rhd",
            "weak d",
            "anti d",
            "rhig",
            "rh immune globulin",
            "direct antiglobulin",
            "indirect antiglobulin",
            "antiglobulin",
            "dat",
            "iat",
            "coombs",
            "ahg",
            "transfusion",
            "transfused",
            "donor",
            "donors",
            "fresh frozen plasma",
            "ffp",
            "cryoprecipitate",
            "apheresis",
            "irradiated",
            "leukoreduced",
            "kell",
            "duffy",
            "kidd",
            "lewis",
            "hdfn",
            "hemolytic disease of the fetus",
            "hemolytic disease of the newborn",
            "kleihauer",
            "rosette",
            "elution",
            "eluate",
            "adsorption",
            "reverse grouping",
            "forward grouping",
            "reagent red cells",
            "isohemagglutinins",
            "immunohematology",
        ],
    ),
    (
        Area::Chemistry,
        &[
            "glucose",
            "hba1c",
            "hemoglobin a1c",
            "creatinine",
            "bun",
            "urea nitrogen",
            "electrolytes",
            "sodium",
            "potassium",
            "chloride",
            "bicarbonate",
            "anion gap",
            "osmolality",
            "cholesterol",
            "triglycerides",
            "hdl",
            "ldl",
            "lipoprotein",
            "enzyme",
            "enzymes",
            "alt",
            "ast",
            "alkaline phosphatase",
            "ggt",
            "creatine kinase",
            "ck mb",
            "troponin",
            "ldh",
            "amylase",
            "lipase",
            "bilirubin",
            "albumin",
            "total protein",
            "protein electrophoresis",
            "tsh",
            "thyroxine",
            "cortisol",
            "hcg",
            "psa",
            "tumor marker",
            "therapeutic drug",
            "toxicology",
            "ethanol",
            "acetaminophen",
            "salicylate",
            "ammonia",
            "uric acid",
            "calcium",
            "magnesium",
            "phosphorus",
            "beers law",
            "spectrophotometry",
            "spectrophotometer",
            "ion selective electrode",
            "chromatography",
            "mass spectrometry",
            "blood gas",
            "pco2",
            "po2",
            "acid base",
            "lactate",
            "egfr",
            "bnp",
            "myoglobin",
            "diabetes",
            "hyperglycemia",
            "hypoglycemia",
        ],
    ),
    (
        Area::Hematology,
        &[
            "cbc",
            "complete blood count",
            "hemoglobin",
            "hematocrit",
            "hct",
            "mcv",
            "mch",
            "mchc",
            "rdw",
            "red cell indices",
            "anemia",
            "anemias",
            "reticulocyte",
            "reticulocytes",
            "wbc",
            "white cell",
            "differential count",
            "neutrophil",
            "neutrophils",
            "lymphocyte",
            "lymphocytes",
            "monocyte",
            "eosinophil",
            "basophil",
            "blast",
            "blasts",
            "leukemia",
            "lymphoma",
            "myeloma",
            "platelet",
            "platelets",
            "thrombocytopenia",
            "peripheral smear",
            "blood smear",
            "peripheral blood",
            "wright",
            "wrights stain",
            "schistocytes",
            "spherocytes",
            "spherocytosis",
            "target cells",
            "sickle",
            "thalassemia",
            "howell jolly",
            "auer rod",
            "auer rods",
            "bone marrow",
            "sedimentation rate",
            "esr",
            "coagulation",
            "prothrombin time",
            "aptt",
            "ptt",
            "inr",
            "fibrinogen",
            "d dimer",
            "von willebrand",
            "hemophilia",
            "dic",
            "warfarin",
            "bleeding time",
            "platelet aggregation",
            "thrombin time",
            "mixing study",
            "lupus anticoagulant",
            "hemostasis",
        ],
    ),
    (
        Area::Immunology,
        &[
            "serology",
            "immunology",
            "complement",
            "ana",
            "antinuclear",
            "rheumatoid factor",
            "crp",
            "c reactive protein",
            "elisa",
            "western blot",
            "immunofluorescence",
            "hiv",
            "hepatitis",
            "hbsag",
            "anti hbs",
            "syphilis",
            "rpr",
            "vdrl",
            "treponemal",
            "ebv",
            "mononucleosis",
            "heterophile",
            "aso",
            "antistreptolysin",
            "autoimmune",
            "lupus",
            "hla",
            "hypersensitivity",
            "t cell",
            "t cells",
            "b cell",
            "b cells",
            "cd4",
            "cytokine",
            "cytokines",
            "interleukin",
            "titer",
            "prozone",
            "immunodiffusion",
            "precipitin",
        ],
    ),
    (
        Area::Microbiology,
        &[
            "gram stain",
            "gram positive",
            "gram negative",
            "gram variable",
            "cocci",
            "bacilli",
            "coccobacilli",
            "catalase",
            "coagulase",
            "oxidase",
            "indole",
            "agar",
            "blood agar",
            "macconkey",
            "chocolate agar",
            "culture",
            "cultures",
            "colony",
            "colonies",
            "beta hemolytic",
            "alpha hemolytic",
            "beta hemolysis",
            "alpha hemolysis",
            "staphylococcus",
            "staphylococci",
            "streptococcus",
            "streptococci",
            "enterococcus",
            "escherichia",
            "e coli",
            "klebsiella",
            "pseudomonas",
            "salmonella",
            "shigella",
            "neisseria",
            "haemophilus",
            "mycobacterium",
            "mycobacteria",
            "acid fast",
            "ziehl neelsen",
            "tuberculosis",
            "fungus",
            "fungi",
            "yeast",
            "mold",
            "candida",
            "aspergillus",
            "cryptococcus",
            "parasite",
            "parasites",
            "ova and parasites",
            "malaria",
            "plasmodium",
            "giardia",
            "helminth",
            "antibiotic",
            "antimicrobial",
            "susceptibility",
            "kirby bauer",
            "disk diffusion",
            "blood culture",
            "anaerobe",
            "anaerobic",
            "clostridium",
            "clostridioides",
            "bacteria",
            "bacterial",
            "organism",
        ],
    ),
    (
        Area::Urinalysis,
        &[
            "urinalysis",
            "urine",
            "urinary",
            "dipstick",
            "reagent strip",
            "specific gravity",
            "refractometer",
            "sediment",
            "casts",
            "hyaline cast",
            "hyaline casts",
            "waxy casts",
            "crystals",
            "calcium oxalate",
            "triple phosphate",
            "renal tubular",
            "proteinuria",
            "glucosuria",
            "glycosuria",
            "ketonuria",
            "hematuria",
            "nitrite",
            "leukocyte esterase",
            "urobilinogen",
            "urine bilirubin",
            "csf",
            "cerebrospinal",
            "synovial",
            "pleural",
            "peritoneal",
            "serous",
            "semen",
            "seminal",
            "sperm",
            "amniotic",
            "fecal",
            "occult blood",
            "body fluid",
            "body fluids",
            "sweat chloride",
            "microalbumin",
        ],
    ),
    (
        Area::LabOperations,
        &[
            "quality control",
            "qc",
            "westgard",
            "levey jennings",
            "control rule",
            "standard deviation",
            "coefficient of variation",
            "accuracy",
            "precision",
            "calibration",
            "calibrator",
            "proficiency testing",
            "clia",
            "osha",
            "safety",
            "safety data sheet",
            "fire extinguisher",
            "biohazard",
            "personal protective equipment",
            "ppe",
            "needlestick",
            "chemical hygiene",
            "serial dilution",
            "dilution",
            "molarity",
            "normality",
            "percent solution",
            "standard precautions",
            "hipaa",
            "quality assurance",
            "delta check",
            "turnaround time",
            "method validation",
            "linearity",
            "reportable range",
            "competency assessment",
            "sensitivity and specificity",
            "predictive value",
        ],
    ),
];

/// The area an item's text suggests: the one whose keywords it uses most (a phrase counts
/// twice), if one leads; `None` when no keyword is found or two areas tie.
pub fn guess_area(text: &str) -> Option<AreaGuess> {
    let words = words(text);
    if words.is_empty() {
        return None;
    }
    // Every run of up to five words, so each keyword is one look-up.
    let phrases: HashSet<String> = (1..=MAX_KEYWORD_WORDS)
        .flat_map(|n| words.windows(n).map(|w| w.join(" ")))
        .collect();
    let mut scores: Vec<(usize, Area, Vec<&'static str>)> = KEYWORDS
        .iter()
        .map(|(area, keywords)| {
            let found: Vec<&'static str> = keywords
                .iter()
                .copied()
                .filter(|k| phrases.contains(*k))
                .collect();
            let score = found
                .iter()
                .map(|k| if k.contains(' ') { 2 } else { 1 })
                .sum();
            (score, *area, found)
        })
        .collect();
    scores.sort_by_key(|s| std::cmp::Reverse(s.0));
    let (best, area, found) = scores.first()?.clone();
    let runner_up = scores.get(1).map_or(0, |s| s.0);
    (best > 0 && best > runner_up).then(|| AreaGuess {
        area,
        because: found.into_iter().take(3).collect(),
    })
}

/// The most words in a keyword.
const MAX_KEYWORD_WORDS: usize = 5;

/// The standard texts an item of an area is checked against, the usual first.
pub fn standard_references(area: Area) -> &'static [&'static str] {
    match area {
        Area::BloodBanking => &[
            "AABB Technical Manual",
            "Harmening, Modern Blood Banking & Transfusion Practices",
        ],
        Area::Chemistry => &[
            "Tietz Fundamentals of Clinical Chemistry and Molecular Diagnostics",
            "Bishop, Clinical Chemistry: Principles, Techniques, and Correlations",
        ],
        Area::Hematology => &[
            "Rodak's Hematology: Clinical Principles and Applications",
            "McKenzie, Clinical Laboratory Hematology",
        ],
        Area::Immunology => &[
            "Stevens, Clinical Immunology and Serology: A Laboratory Perspective",
            "Turgeon, Immunology & Serology in Laboratory Medicine",
        ],
        Area::Microbiology => &[
            "Bailey & Scott's Diagnostic Microbiology",
            "Mahon, Textbook of Diagnostic Microbiology",
        ],
        Area::Urinalysis => &[
            "Strasinger, Urinalysis and Body Fluids",
            "Brunzel, Fundamentals of Urine and Body Fluid Analysis",
        ],
        Area::LabOperations => &[
            "CLSI guidelines (e.g. C24 Statistical Quality Control)",
            "Garcia, Clinical Laboratory Management",
        ],
    }
}

/// The usual standard text for an area (the first of [`standard_references`]).
pub fn reference_for(area: Area) -> &'static str {
    standard_references(area)[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_instructors_write_them() {
        let table = [
            ("Blood Bank", Some(Area::BloodBanking)),
            ("BLOOD BANKING", Some(Area::BloodBanking)),
            ("Immunohematology", Some(Area::BloodBanking)),
            ("Transfusion Medicine", Some(Area::BloodBanking)),
            ("BB", Some(Area::BloodBanking)),
            ("blood_banking", Some(Area::BloodBanking)),
            ("Clinical Chemistry", Some(Area::Chemistry)),
            ("Chem", Some(Area::Chemistry)),
            ("Heme", Some(Area::Hematology)),
            ("Haematology", Some(Area::Hematology)),
            ("Coag", Some(Area::Hematology)),
            ("Hemostasis", Some(Area::Hematology)),
            ("Heme/Coag", Some(Area::Hematology)),
            ("Hematology & Coagulation", Some(Area::Hematology)),
            ("Serology", Some(Area::Immunology)),
            ("Immuno", Some(Area::Immunology)),
            ("Immunology and Serology", Some(Area::Immunology)),
            ("Micro", Some(Area::Microbiology)),
            ("Mycology", Some(Area::Microbiology)),
            ("Parasitology", Some(Area::Microbiology)),
            ("Virology", Some(Area::Microbiology)),
            ("Mycobacteriology", Some(Area::Microbiology)),
            ("Urinalysis & Body Fluids", Some(Area::Urinalysis)),
            ("Urinalysis + Body Fluids", Some(Area::Urinalysis)),
            ("UA", Some(Area::Urinalysis)),
            ("Body Fluids", Some(Area::Urinalysis)),
            ("Lab Operations", Some(Area::LabOperations)),
            ("Laboratory Operations", Some(Area::LabOperations)),
            ("lab-operations", Some(Area::LabOperations)),
            ("QC", Some(Area::LabOperations)),
            ("Lab Math", Some(Area::LabOperations)),
            ("Safety", Some(Area::LabOperations)),
            // Course words around a name.
            ("Unit 3 - Heme", Some(Area::Hematology)),
            ("Unit 3: Heme", Some(Area::Hematology)),
            ("Micro Quiz 2", Some(Area::Microbiology)),
            ("Default for Hematology", Some(Area::Hematology)),
            ("Clinical Chemistry II", Some(Area::Chemistry)),
            ("Heme (Rodak ch. 5)", Some(Area::Hematology)),
            // Never a substring, never a mixed compound.
            ("Microcytic anemias", None),
            ("Microscopy", None),
            ("Chemistry of hemoglobin", None),
            ("Chemistry & Urinalysis", None),
            ("Heme - Chem", None),
            ("Hemoglobinopathies", None),
            ("MLT 1010", None),
            ("Anemias", None),
            ("Unit 3", None),
            ("", None),
            ("histology", None),
        ];
        for (name, area) in table {
            assert_eq!(area_from_name(name), area, "{name:?}");
        }
    }

    #[test]
    fn every_synonym_and_keyword_is_normalised() {
        for (name, _, _) in SYNONYMS {
            assert_eq!(words(name).join(" "), *name, "{name}");
        }
        for (_, keywords) in KEYWORDS {
            for k in *keywords {
                assert_eq!(words(k).join(" "), *k, "{k}");
                assert!(words(k).len() <= MAX_KEYWORD_WORDS, "{k}");
            }
        }
    }

    #[test]
    fn paths_take_the_deepest_discipline() {
        let path = |p: &str| area_from_path(&p.split('/').collect::<Vec<_>>());
        assert_eq!(
            path("$course$/top/MLT 1010/Unit 3 - Heme/Anemias"),
            Some(Area::Hematology)
        );
        assert_eq!(path("$course$/top/Micro/QC"), Some(Area::Microbiology));
        assert_eq!(path("$course$/top/Safety"), Some(Area::LabOperations));
        assert_eq!(
            path("$course$/top/Immunology/Blood Bank"),
            Some(Area::BloodBanking)
        );
        assert_eq!(path("$course$/top/Default for MLT 1010"), None);
    }

    #[test]
    fn guesses_come_from_the_items_own_words() {
        let table = [
            (
                "A Gram stain of a wound shows gram-positive cocci in clusters.",
                Some(Area::Microbiology),
            ),
            (
                "Which antibody is detected by the indirect antiglobulin test?",
                Some(Area::BloodBanking),
            ),
            (
                "A urine reagent strip is positive for nitrite and leukocyte esterase.",
                Some(Area::Urinalysis),
            ),
            (
                "Levey-Jennings chart: two consecutive controls exceed 2 SD (Westgard rule).",
                Some(Area::LabOperations),
            ),
            (
                "What is the MCV when the Hct is 45%?",
                Some(Area::Hematology),
            ),
            ("Which color is between orange and green?", None),
            ("", None),
        ];
        for (text, area) in table {
            assert_eq!(guess_area(text).map(|g| g.area), area, "{text}");
        }
        let g = guess_area("Gram stain: gram-negative rods on MacConkey agar").unwrap();
        assert_eq!(g.because, ["gram stain", "gram negative", "agar"]);
    }

    #[test]
    fn every_area_has_its_own_reference() {
        assert_eq!(
            reference_for(Area::Hematology),
            "Rodak's Hematology: Clinical Principles and Applications"
        );
        assert_eq!(reference_for(Area::BloodBanking), "AABB Technical Manual");
        let firsts: std::collections::HashSet<_> = Area::ALL.map(reference_for).into();
        assert_eq!(firsts.len(), Area::ALL.len());
    }
}
