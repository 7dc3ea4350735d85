//! Finding near-duplicate stems.
//!
//! Two stems are compared as sets of word 3-grams ("shingles"), by Jaccard similarity:
//! shared shingles over all distinct shingles of the pair. Comparing every pair would be
//! quadratic, so an inverted index from shingle to stems finds only the pairs that share
//! something; a shingle found in more than [`COMMON_SHINGLE`] stems ("which of the
//! following") says nothing about duplication and is skipped.

use std::collections::HashMap;

/// Pairs at or above this similarity are reported.
pub const THRESHOLD: f64 = 0.8;
/// Shingles shared by more stems than this are too common to signal a duplicate.
pub const COMMON_SHINGLE: usize = 64;

/// FNV-1a over the lower-cased characters of one word.
fn word_hash(word: &str) -> u64 {
    let mut h = super::model::Fnv1a::default();
    let mut buf = [0u8; 4];
    for c in word.chars().flat_map(char::to_lowercase) {
        h.write(c.encode_utf8(&mut buf).as_bytes());
    }
    h.finish()
}

/// The distinct word 3-grams of a text (single words for texts under three words),
/// as hashes, sorted.
fn shingles(text: &str) -> Vec<u64> {
    let words: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(word_hash)
        .collect();
    let mut out: Vec<u64> = if words.len() < 3 {
        words
    } else {
        words
            .windows(3)
            .map(|w| {
                (w[0] ^ w[1].rotate_left(21) ^ w[2].rotate_left(42))
                    .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            })
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// Every pair `(i, j, similarity)` with `i < j` whose similarity is at least `threshold`,
/// sorted by `j` then `i`.
pub fn similar_pairs(texts: &[&str], threshold: f64) -> Vec<(usize, usize, f64)> {
    let mut sizes: Vec<usize> = Vec::with_capacity(texts.len());
    // (shingle, text) for every text, sorted by shingle: the inverted index as runs.
    let mut postings: Vec<(u64, u32)> = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let set = shingles(text);
        sizes.push(set.len());
        postings.extend(set.into_iter().map(|s| (s, i as u32)));
    }
    postings.sort_unstable();
    let mut shared: HashMap<(u32, u32), u32> = HashMap::new();
    for run in postings.chunk_by(|a, b| a.0 == b.0) {
        if run.len() < 2 || run.len() > COMMON_SHINGLE {
            continue;
        }
        for (x, &(_, i)) in run.iter().enumerate() {
            for &(_, j) in &run[x + 1..] {
                *shared.entry((i, j)).or_default() += 1;
            }
        }
    }
    let mut out: Vec<(usize, usize, f64)> = shared
        .into_iter()
        .filter_map(|((i, j), n)| {
            let (a, b) = (sizes[i as usize], sizes[j as usize]);
            let sim = f64::from(n) / (a + b - n as usize) as f64;
            (sim >= threshold).then_some((i as usize, j as usize, sim))
        })
        .collect();
    out.sort_by_key(|x| (x.1, x.0));
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
