//! Search terms from a catalogue's own words: the most frequent words of its product names,
//! without stop words, numbers and model codes.

use std::collections::HashMap;

/// English words too common to search for (with those of fewer than three letters dropped anyway).
const STOP_WORDS: &[&str] = &[
    "and", "the", "for", "with", "from", "that", "this", "your", "you", "our", "are", "was", "not", "but", "all", "any", "can", "has", "have", "its", "into",
    "out", "over", "per", "set", "pack", "pcs", "piece", "pieces", "new", "one", "two", "three", "each", "only", "more", "most", "very", "off",
];

/// At most `limit` words of `names`, most frequent first (ties alphabetically): lower case,
/// letters only, at least three of them, no stop words.
pub fn most_frequent_words<'a>(names: impl IntoIterator<Item = &'a str>, limit: usize) -> Vec<String> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for name in names {
        for word in name.split(|c: char| !c.is_alphanumeric()) {
            let word = word.to_lowercase();
            if word.chars().count() >= 3 && word.chars().all(char::is_alphabetic) && !STOP_WORDS.contains(&word.as_str()) {
                *counts.entry(word).or_default() += 1;
            }
        }
    }
    let mut words: Vec<(String, u64)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    words.into_iter().take(limit).map(|(w, _)| w).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_frequent_name_words_come_first_without_stop_words_or_model_codes() {
        let names = ["Chef's Knife - 8 inch", "Paring Knife with Sheath", "Knife Set for the Kitchen", "Kitchen Towel NX-420", "Tee"];
        let words = most_frequent_words(names, 4);
        assert_eq!(words, ["knife", "kitchen", "chef", "inch"]);
        assert!(!most_frequent_words(names, 100).iter().any(|w| ["with", "for", "the", "set", "nx", "420"].contains(&w.as_str())));
    }
}
