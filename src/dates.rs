//! Render stage, vocabulary: dates in words, in the edition's language.
//!
//! Front matter writes dates as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (checked in
//! resolve). Readers see them in words ("4 March 1865", "March 1865",
//! "1865") in the `language` of `_index.md`, inside a `<time datetime>` that
//! keeps the ISO form for machines. The words are joined by no-break spaces,
//! so a date never breaks across lines on a narrow screen. A language without
//! month names here shows the ISO form, which every reader can parse.

use crate::render::esc;

/// No-break space: a date is one unit on the line.
const NBSP: char = '\u{a0}';

/// Month names and the shape of a full date, for one language.
struct Words {
    months: [&'static str; 12],
    /// The full date from day, month and year (`1` for the first of the
    /// month is written as some languages write it: `1er`, `1º`).
    full: fn(u32, &str, &str) -> String,
    /// Month and year.
    month_year: fn(&str, &str) -> String,
}

fn words(language: &str) -> Option<Words> {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match primary.as_str() {
        "en" => english(),
        "fr" => french(),
        "de" => german(),
        "es" => spanish(),
        "it" => italian(),
        _ => return None,
    })
}

fn english() -> Words {
    Words {
        months: [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        full: |d, m, y| format!("{d} {m} {y}"),
        month_year: |m, y| format!("{m} {y}"),
    }
}

fn french() -> Words {
    Words {
        months: [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        full: |d, m, y| match d {
            1 => format!("1er {m} {y}"),
            d => format!("{d} {m} {y}"),
        },
        month_year: |m, y| format!("{m} {y}"),
    }
}

fn german() -> Words {
    Words {
        months: [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
        full: |d, m, y| format!("{d}. {m} {y}"),
        month_year: |m, y| format!("{m} {y}"),
    }
}

fn spanish() -> Words {
    Words {
        months: [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
        full: |d, m, y| format!("{d} de {m} de {y}"),
        month_year: |m, y| format!("{m} de {y}"),
    }
}

fn italian() -> Words {
    Words {
        months: [
            "gennaio",
            "febbraio",
            "marzo",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "agosto",
            "settembre",
            "ottobre",
            "novembre",
            "dicembre",
        ],
        full: |d, m, y| match d {
            1 => format!("1º {m} {y}"),
            d => format!("{d} {m} {y}"),
        },
        month_year: |m, y| format!("{m} {y}"),
    }
}

/// A date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) in words in `language`, with
/// no-break spaces; the ISO form itself for a language not known here or a
/// value that is not such a date.
pub fn in_words(iso: &str, language: &str) -> String {
    let mut pieces = iso.split('-');
    let (year, month, day) = (pieces.next(), pieces.next(), pieces.next());
    let month = month.map(|m| m.parse::<usize>().ok().filter(|m| (1..=12).contains(m)));
    let day = day.map(|d| d.parse::<u32>().ok().filter(|d| (1..=31).contains(d)));
    let (Some(words), Some(year)) = (words(language), year) else {
        return iso.to_string();
    };
    let text = match (month, day) {
        (None, None) => year.to_string(),
        (Some(Some(m)), None) => (words.month_year)(words.months[m - 1], year),
        (Some(Some(m)), Some(Some(d))) => (words.full)(d, words.months[m - 1], year),
        _ => return iso.to_string(),
    };
    text.replace(' ', &NBSP.to_string())
}

/// The date as HTML: `<time datetime="ISO">in words</time>`, escaped.
pub fn time_element(iso: &str, language: &str) -> String {
    format!(
        "<time datetime=\"{}\">{}</time>",
        esc(iso),
        esc(&in_words(iso, language))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(iso: &str, language: &str) -> String {
        in_words(iso, language).replace(NBSP, " ")
    }

    #[test]
    fn full_dates_months_and_years_in_five_languages() {
        assert_eq!(plain("1865-03-04", "en"), "4 March 1865");
        assert_eq!(plain("1865-03", "en"), "March 1865");
        assert_eq!(plain("1865", "en-GB"), "1865");
        assert_eq!(plain("1865-03-01", "fr"), "1er mars 1865");
        assert_eq!(plain("1865-03-04", "fr-FR"), "4 mars 1865");
        assert_eq!(plain("1865-03-04", "de"), "4. März 1865");
        assert_eq!(plain("1865-03-04", "es"), "4 de marzo de 1865");
        assert_eq!(plain("1865-03", "es"), "marzo de 1865");
        assert_eq!(plain("1865-03-01", "it"), "1º marzo 1865");
        assert_eq!(plain("1865-12-25", "it"), "25 dicembre 1865");
    }

    #[test]
    fn dates_never_break_and_keep_their_iso_form() {
        assert_eq!(in_words("1865-03-04", "en"), "4\u{a0}March\u{a0}1865");
        assert_eq!(
            time_element("1865-03-04", "en"),
            "<time datetime=\"1865-03-04\">4\u{a0}March\u{a0}1865</time>"
        );
    }

    #[test]
    fn unknown_languages_and_odd_values_keep_the_iso_form() {
        assert_eq!(in_words("1865-03-04", "ja"), "1865-03-04");
        assert_eq!(in_words("1865-13", "en"), "1865-13");
    }
}
