//! Finding near-duplicate stems.
//!
//! Two stems are compared as sets of word 3-grams ("shingles"), by Jaccard similarity:
//! shared shingles over all distinct shingles of the pair. Comparing every pair would be
//! quadratic, so an inverted index from shingle to stems finds only the pairs that share
//! something; a shingle found in more than [`COMMON_SHINGLE`] stems ("which of the
//! following") says nothing about duplication and is skipped.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// Pairs at or above this similarity are reported.
pub const THRESHOLD: f64 = 0.8;
/// Shingles shared by more stems than this are too common to signal a duplicate.
pub const COMMON_SHINGLE: usize = 64;

fn shingles(text: &str) -> Vec<u64> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let hash = |ws: &[&str]| {
        let mut h = DefaultHasher::new();
        ws.hash(&mut h);
        h.finish()
    };
    let mut out: Vec<u64> = if words.len() < 3 {
        words.chunks(1).map(hash).collect()
    } else {
        words.windows(3).map(hash).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// Every pair `(i, j, similarity)` with `i < j` whose similarity is at least `threshold`,
/// sorted by `j` then `i`.
pub fn similar_pairs(texts: &[&str], threshold: f64) -> Vec<(usize, usize, f64)> {
    let sets: Vec<Vec<u64>> = texts.iter().map(|t| shingles(t)).collect();
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, set) in sets.iter().enumerate() {
        for &s in set {
            postings.entry(s).or_default().push(i as u32);
        }
    }
    let mut shared: HashMap<(u32, u32), u32> = HashMap::new();
    for docs in postings.values() {
        if docs.len() < 2 || docs.len() > COMMON_SHINGLE {
            continue;
        }
        for (x, &i) in docs.iter().enumerate() {
            for &j in &docs[x + 1..] {
                *shared.entry((i, j)).or_default() += 1;
            }
        }
    }
    let mut out: Vec<(usize, usize, f64)> = shared
        .into_iter()
        .filter_map(|((i, j), n)| {
            let (a, b) = (sets[i as usize].len(), sets[j as usize].len());
            let sim = f64::from(n) / (a + b - n as usize) as f64;
            (sim >= threshold).then_some((i as usize, j as usize, sim))
        })
        .collect();
    out.sort_by(|x, y| (x.1, x.0).cmp(&(y.1, y.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_reworded_copies_and_leaves_different_stems() {
        let texts = [
            "A 24-year-old woman has a hemoglobin of 8.1 g/dL and an MCV of 68 fL. Which test best confirms iron deficiency?",
            "A 24 year old woman has a hemoglobin of 8.1 g/dL and an MCV of 68 fL. Which test best confirms iron deficiency anemia?",
            "Which organism produces a positive CAMP test and hydrolyzes hippurate?",
            "Which anticoagulant is used for routine coagulation testing?",
        ];
        let pairs = similar_pairs(&texts, THRESHOLD);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].0, pairs[0].1), (0, 1));
        assert!(pairs[0].2 > 0.8 && pairs[0].2 < 1.0);
    }

    #[test]
    fn identical_short_stems_are_found() {
        let pairs = similar_pairs(&["Define MCV.", "define mcv", "Define MCH."], THRESHOLD);
        assert_eq!(pairs, vec![(0, 1, 1.0)]);
    }

    #[test]
    fn jaccard_matches_a_hand_count() {
        // 5 words -> 3 shingles each; one word changed at the end: 2 shared of 4 distinct.
        let pairs = similar_pairs(&["a b c d e", "a b c d x"], 0.0);
        assert_eq!(pairs, vec![(0, 1, 0.5)]);
    }
}
