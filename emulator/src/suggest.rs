//! "Did you mean …?": the declared names closest to a name a request got wrong, by case first
//! (`VswitchId` → `VSwitchId`), then by edit distance (`Regoinid` → `RegionId`).

/// Names longer than this are not compared (a hostile key can be a megabyte long; a misspelt
/// parameter name is a few dozen characters).
const MAX_COMPARED_CHARS: usize = 64;

/// The candidates closest to `wrong`: every one equal to it but for ASCII case, or else the
/// ones at the smallest edit distance (insertions, deletions, substitutions and swaps of two
/// neighbours, ignoring case), if that distance is small for the name's length (at most 2, or a
/// third of its characters for longer names). At most two, in `candidates`' order.
pub(crate) fn closest<'c>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Vec<&'c str> {
    let wrong: Vec<char> = wrong.chars().map(|c| c.to_ascii_lowercase()).collect();
    if wrong.is_empty() || wrong.len() > MAX_COMPARED_CHARS {
        return Vec::new();
    }
    let allowed = 2.max(wrong.len() / 3);
    let mut best: Vec<&str> = Vec::new();
    let mut best_distance = usize::MAX;
    for candidate in candidates {
        let lower: Vec<char> = candidate.chars().map(|c| c.to_ascii_lowercase()).collect();
        if lower.len() > MAX_COMPARED_CHARS {
            continue;
        }
        let distance = edit_distance(&wrong, &lower);
        if distance > allowed || distance > best_distance {
            continue;
        }
        if distance < best_distance {
            best.clear();
            best_distance = distance;
        }
        best.push(candidate);
    }
    best.truncate(2);
    best
}

/// The optimal-string-alignment distance: the fewest single-character insertions, deletions,
/// substitutions and swaps of two neighbours that turn `a` into `b`.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    // Three rows of the classic table: two back (for swaps), previous, current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        edit_distance(&a, &b)
    }

    #[test]
    fn edit_distance_counts_edits_and_swaps() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("", "ab"), 2);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("regoin", "region"), 1, "a swap is one edit");
        assert_eq!(distance("abcd", "abdc"), 1);
        assert_eq!(distance("same", "same"), 0);
    }

    #[test]
    fn case_beats_everything() {
        let declared = ["VpcId", "VSwitchId", "SwitchId"];
        assert_eq!(closest("VswitchId", declared), ["VSwitchId"]);
        assert_eq!(closest("vswitchid", declared), ["VSwitchId"]);
    }

    #[test]
    fn close_names_are_suggested_far_ones_are_not() {
        let declared = ["RegionId", "ImageId", "InstanceType", "Filter"];
        assert_eq!(closest("Regoinid", declared), ["RegionId"]);
        assert_eq!(closest("ImageIds", declared), ["ImageId"]);
        assert_eq!(closest("InstanceTypes", declared), ["InstanceType"]);
        assert!(closest("Zzzzzzzz", declared).is_empty());
        assert!(closest("", declared).is_empty());
        assert!(closest(&"x".repeat(10_000), declared).is_empty());
    }

    #[test]
    fn ties_name_two_at_most_in_declared_order() {
        assert_eq!(closest("Ke", ["Key", "Kex", "Kez"]), ["Key", "Kex"]);
    }
}
