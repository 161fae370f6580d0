//! Resolve: text helpers: dates, IDs, sort keys and the sentence around a
//! mention.

use super::*;

/// A valid ID close to `s`, for help messages.
pub(super) fn suggested_id(s: &str) -> String {
    let mut out = String::new();
    for c in s.nfkd().filter(|c| c.is_ascii()) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_end_matches('-');
    if t.is_empty() {
        "item".into()
    } else {
        t.into()
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a real month and day.
pub fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => num(y, 4).is_some(),
        [y, m] => num(y, 4).is_some() && num(m, 2).is_some_and(|m| (1..=12).contains(&m)),
        [y, m, d] => {
            let (Some(y), Some(m), Some(d)) = (num(y, 4), num(m, 2), num(d, 2)) else {
                return false;
            };
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1]
        }
        _ => false,
    }
}

/// "Ryan Crocker" sorts as "Crocker, Ryan".
pub(super) fn default_sort_key(name: &str) -> String {
    match name.rsplit_once(' ') {
        Some((first, last)) => format!("{last}, {first}"),
        None => name.to_string(),
    }
}

/// The sentence of `text` that holds the character range `chars`.
pub fn sentence_around(text: &str, chars: Range<usize>) -> String {
    // Byte positions, found without copying the paragraph: this runs once per
    // mention, and an edition can have hundreds of thousands.
    let byte_of = |n: usize| text.char_indices().nth(n).map_or(text.len(), |(b, _)| b);
    let (from, to) = (byte_of(chars.start), byte_of(chars.end));
    let start = text[..from]
        .char_indices()
        .rev()
        .find(|&(i, _)| ends_sentence(text, i))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[to..]
        .char_indices()
        .find(|&(i, _)| ends_sentence(text, to + i))
        .map_or(text.len(), |(i, c)| to + i + c.len_utf8());
    let sentence = text[start..end].trim();
    if sentence.chars().count() > 400 {
        let start_chars = text[..start].chars().count();
        let local_start = chars.start.saturating_sub(start_chars).saturating_sub(150);
        let s: String = sentence.chars().skip(local_start).take(320).collect();
        return format!("…{}…", s.trim());
    }
    sentence.to_string()
}

/// Whether the character at byte `i` ends a sentence: . ? ! (and closing
/// quotes) followed by a space and a capital, unless the word is an initial
/// or an abbreviation (U.S.).
pub(super) fn ends_sentence(text: &str, i: usize) -> bool {
    let rest = &text[i..];
    if !rest.starts_with(['.', '?', '!']) {
        return false;
    }
    let after = rest[1..].trim_start_matches(['"', '”', '’', '\'', ')']);
    let Some(next) = after.strip_prefix(' ') else {
        return false;
    };
    if !next
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || matches!(c, '“' | '"'))
    {
        return false;
    }
    let word = &text[text[..i].rfind(' ').map_or(0, |p| p + 1)..i];
    !(word.chars().count() <= 1 || word.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real() {
        assert!(valid_date("2020"));
        assert!(valid_date("2020-02"));
        assert!(valid_date("2020-02-29"));
        assert!(!valid_date("2019-02-29"));
        assert!(!valid_date("2020-13-45"));
        assert!(!valid_date("20-1-1"));
    }

    /// The first, straightforward version, kept as the specification of
    /// the faster one.
    fn sentence_around_reference(text: &str, chars: Range<usize>) -> String {
        let chars_vec: Vec<char> = text.chars().collect();
        let is_end = |i: usize| -> bool {
            // A sentence ends at . ? ! (and closing quotes) followed by a space and
            // a capital, unless the word is an initial or an abbreviation (U.S.).
            let c = chars_vec[i];
            if !matches!(c, '.' | '?' | '!') {
                return false;
            }
            let mut j = i + 1;
            while j < chars_vec.len() && matches!(chars_vec[j], '"' | '”' | '’' | '\'' | ')') {
                j += 1;
            }
            if j >= chars_vec.len() || chars_vec[j] != ' ' {
                return false;
            }
            if !chars_vec
                .get(j + 1)
                .is_some_and(|c| c.is_uppercase() || matches!(c, '“' | '"'))
            {
                return false;
            }
            let word_start = chars_vec[..i]
                .iter()
                .rposition(|c| *c == ' ')
                .map_or(0, |p| p + 1);
            let word = &chars_vec[word_start..i];
            !(word.len() <= 1 || word.contains(&'.'))
        };
        let start = (0..chars.start.min(chars_vec.len()))
            .rev()
            .find(|&i| is_end(i))
            .map_or(0, |i| i + 1);
        let end = (chars.end.min(chars_vec.len())..chars_vec.len())
            .find(|&i| is_end(i))
            .map_or(chars_vec.len(), |i| i + 1);
        let sentence: String = chars_vec[start..end]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        if sentence.chars().count() > 400 {
            let local_start = chars.start.saturating_sub(start).saturating_sub(150);
            let s: String = sentence.chars().skip(local_start).take(320).collect();
            return format!("…{}…", s.trim());
        }
        sentence
    }

    proptest::proptest! {
        #[test]
        fn sentence_around_matches_its_specification(
            text in "[A-Za-z .?!”’\"')“éU]{0,900}",
            a in 0usize..950,
            len in 0usize..8,
        ) {
            let n = text.chars().count();
            let start = a.min(n);
            let end = (start + len).min(n);
            proptest::prop_assert_eq!(
                sentence_around(&text, start..end),
                sentence_around_reference(&text, start..end)
            );
        }
    }

    #[test]
    fn sentence_around_skips_initials_and_abbreviations() {
        let text = "It began. Then James F. Dobbins met U.S. diplomats in Bonn. Later, more.";
        let start = text.find("Dobbins").unwrap();
        let s = sentence_around(text, start..start + 7);
        assert_eq!(s, "Then James F. Dobbins met U.S. diplomats in Bonn.");
    }
}
