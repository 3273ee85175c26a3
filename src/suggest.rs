//! The nearest valid name to a misspelt one, for "did you mean" in errors.

/// The candidate nearest to `word`, if one is near enough to be what was
/// meant: the same but for case, or within an edit distance (insertions,
/// deletions, substitutions and swaps of neighbours) of a third of the
/// word's length, at least one. Ties go to the first candidate.
pub(crate) fn nearest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // The distance is at least the difference in length.
        if c == word || c.chars().count().abs_diff(word.chars().count()) > limit {
            continue;
        }
        let d = distance(&lower, &c.to_lowercase());
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The optimal string alignment distance between two texts, by characters.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Rows two back, one back and now, of the (|a|+1) × (|b|+1) table.
    let mut older: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(older[j - 2] + 1);
            }
        }
        std::mem::swap(&mut older, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_find_what_was_meant_and_strangers_find_nothing() {
        let fields = ["id", "unit", "effective", "announced", "kind", "source"];
        assert_eq!(nearest("efective", fields), Some("effective"));
        assert_eq!(nearest("effectvie", fields), Some("effective"));
        assert_eq!(nearest("Unit", fields), Some("unit"));
        assert_eq!(nearest("colour", fields), None);
        assert_eq!(nearest("x", ["id"]), None);
        let footings = [
            "permanent",
            "rotational",
            "high_readiness",
            "requested",
            "pledged",
        ];
        assert_eq!(nearest("rotationl", footings), Some("rotational"));
        assert_eq!(
            nearest("personel", ["personnel", "ships"]),
            Some("personnel")
        );
        assert_eq!(nearest("deaths", ["personnel", "ships"]), None);
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("", "abc"), 3);
    }
}
