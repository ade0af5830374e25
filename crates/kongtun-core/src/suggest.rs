//! "Did you mean": the known name closest to a mistyped one, by edit distance. One helper
//! for every reader (claim fields, pack keys, expression names, document kinds).

/// The candidate closest to `word` within `max_edits` insertions, deletions or
/// substitutions; the first one wins a tie.
///
/// ```
/// use kongtun_core::suggest::closest;
/// assert_eq!(closest("prize", ["price", "qty"], 2), Some("price"));
/// assert_eq!(closest("zzz", ["price", "qty"], 2), None);
/// ```
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, max_edits: usize) -> Option<&'a str> {
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let d = edit_distance(word, candidate);
        if d <= max_edits && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The candidate a mistyped name (a path, a claim id) most likely meant: the same name in
/// another letter case first, else the closest within about one edit in four letters (1 to 4);
/// the first one wins a tie.
///
/// ```
/// use kongtun_core::suggest::likely;
/// assert_eq!(likely("UC-IP-TKX", &["UC-OP-01", "UC-IP-TKA"]), Some("UC-IP-TKA"));
/// assert_eq!(likely("uc-ip-tka", &["UC-IP-TKA", "uc-ip-tkb"]), Some("UC-IP-TKA"));
/// assert_eq!(likely("NOPE", &["UC-IP-TKA"]), None);
/// ```
pub fn likely<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates.iter().copied().find(|c| c.to_lowercase() == lower).or_else(|| {
        let edits = (word.chars().count() / 4).clamp(1, 4);
        closest(word, candidates.iter().copied(), edits)
    })
}

/// Levenshtein distance over characters (not bytes, so Thai counts right).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(cur).min(row[j]) };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("บัตรทอง", "บัตรทอง"), 0);
        assert_eq!(closest("tka_ceilng", ["drg_base_rate", "tka_ceiling"], 3), Some("tka_ceiling"));
    }
}
