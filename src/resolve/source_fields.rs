//! Resolve stage: a source's bibliographic fields (CSL's), checked one by one.
//!
//! The checks are pure functions of the text (a DOI's shape, an ISBN's or
//! ISSN's check digit, an absolute URL) that return what is wrong and how to
//! fix it; [`Resolver::source_details`] reports them at the field's position
//! and keeps only the values that passed.

use serde_saphyr::Spanned;

use super::{Registry, Resolver, spanned_origin};
use crate::codes::Code;
use crate::model::{Author, EntityKind, Id, SourceDetails};
use crate::parse::YamlPlace;
use crate::raw::RawSource;

/// What is wrong with a field's value, and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub code: Code,
    pub message: String,
    pub help: String,
}

impl FieldError {
    fn new(code: Code, message: String, help: impl Into<String>) -> Self {
        FieldError {
            code,
            message,
            help: help.into(),
        }
    }
}

impl Resolver {
    /// The CSL fields of `raw`, each reported at its place if it is wrong.
    pub(super) fn source_details(
        &mut self,
        yaml: &YamlPlace,
        raw: &RawSource,
        reg: &Registry,
    ) -> SourceDetails {
        SourceDetails {
            container_title: raw.container_title.clone(),
            editors: self.names(yaml, "editors", &raw.editors, reg),
            translators: self.names(yaml, "translators", &raw.translators, reg),
            place: raw.place.clone(),
            volume: raw.volume.clone(),
            issue: raw.issue.clone(),
            pages: raw.pages.clone(),
            edition: raw.edition.clone(),
            doi: raw.doi.as_ref().and_then(|v| self.checked(yaml, v, doi)),
            isbn: raw.isbn.as_ref().and_then(|v| self.checked(yaml, v, isbn)),
            issn: raw.issn.as_ref().and_then(|v| self.checked(yaml, v, issn)),
            accessed: raw
                .accessed
                .as_ref()
                .and_then(|d| self.date(yaml, d, "accessed date")),
            genre: raw.genre.clone(),
        }
    }

    /// A list of names as `authors`, `editors` and `translators` take them:
    /// `person:ID` for a person of the edition, otherwise a name as written.
    pub(super) fn names(
        &mut self,
        yaml: &YamlPlace,
        field: &str,
        names: &[Spanned<String>],
        reg: &Registry,
    ) -> Vec<Author> {
        names
            .iter()
            .filter_map(|a| match a.value.strip_prefix("person:") {
                Some(id) => self
                    .reference(yaml, a, EntityKind::Person, id, reg)
                    .map(|p| Author::Person(Id::new(p))),
                None if reg.get(EntityKind::Person, &a.value).is_some() => {
                    self.bare_person_id(yaml, field, a);
                    None
                }
                None => Some(Author::Name(a.value.clone())),
            })
            .collect()
    }

    /// The value if `check` accepts it; otherwise an error at the value.
    pub(super) fn checked(
        &mut self,
        yaml: &YamlPlace,
        value: &Spanned<String>,
        check: fn(&str) -> Result<String, FieldError>,
    ) -> Option<String> {
        match check(&value.value) {
            Ok(v) => Some(v),
            Err(e) => {
                let at = spanned_origin(&yaml.source, &yaml.split, value);
                self.error_at(e.code, &at, e.message).help = Some(e.help);
                None
            }
        }
    }
}

/// A DOI alone: `10.`, a registrant code of digits (and dots), `/`, a suffix
/// without spaces. A DOI written as a link is refused with the bare form as
/// the suggestion, so every DOI is stored one way.
pub fn doi(s: &str) -> Result<String, FieldError> {
    let help = "write the DOI alone, such as `10.5555/12345678`";
    for prefix in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "doi:",
    ] {
        if let Some(bare) = s.strip_prefix(prefix) {
            return Err(FieldError::new(
                Code::BadDoi,
                format!("`{s}` is a DOI written as a link"),
                format!(
                    "did you mean `{bare}`? A DOI is written alone, such as `10.5555/12345678`"
                ),
            ));
        }
    }
    let shape_ok = s
        .strip_prefix("10.")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(registrant, suffix)| {
            registrant.len() >= 4
                && registrant.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && registrant
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_digit())
                && !suffix.is_empty()
                && !suffix.chars().any(|c| c.is_whitespace() || c.is_control())
        });
    if shape_ok {
        Ok(s.to_string())
    } else {
        Err(FieldError::new(
            Code::BadDoi,
            format!("`{s}` is not a DOI"),
            help,
        ))
    }
}

/// An ISBN-10 or ISBN-13, hyphens and spaces allowed, with a right check
/// digit; kept as written. A wrong check digit is reported with the right one.
pub fn isbn(s: &str) -> Result<String, FieldError> {
    let chars: Vec<char> = s.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    let well_formed = match chars.len() {
        10 => {
            chars[..9].iter().all(char::is_ascii_digit) && matches!(chars[9], '0'..='9' | 'X' | 'x')
        }
        13 => chars.iter().all(char::is_ascii_digit),
        _ => false,
    };
    if !well_formed {
        return Err(FieldError::new(
            Code::BadIsbn,
            format!("`{s}` is not an ISBN"),
            "an ISBN has 10 or 13 digits (the last of an ISBN-10 may be X), hyphens allowed",
        ));
    }
    let digits: Vec<u32> = chars[..chars.len() - 1]
        .iter()
        .map(|c| c.to_digit(10).expect("checked to be a digit"))
        .collect();
    let expected = if chars.len() == 10 {
        let sum: u32 = digits.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
        check_char((11 - sum % 11) % 11)
    } else {
        let sum: u32 = (digits.iter().enumerate())
            .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
            .sum();
        char::from_digit((10 - sum % 10) % 10, 10).expect("a digit")
    };
    check_digit(s, chars[chars.len() - 1], expected, Code::BadIsbn, "ISBN")
}

/// An ISSN, `NNNN-NNNC`, with a right check digit; kept as written.
pub fn issn(s: &str) -> Result<String, FieldError> {
    let chars: Vec<char> = s.chars().filter(|&c| c != '-').collect();
    let well_formed = chars.len() == 8
        && s.chars().filter(|&c| c == '-').count() <= 1
        && chars[..7].iter().all(char::is_ascii_digit)
        && matches!(chars[7], '0'..='9' | 'X' | 'x');
    if !well_formed {
        return Err(FieldError::new(
            Code::BadIssn,
            format!("`{s}` is not an ISSN"),
            "an ISSN is eight digits written NNNN-NNNN (the last may be X)",
        ));
    }
    let sum: u32 = (chars[..7].iter())
        .zip((2..=8).rev())
        .map(|(c, w)| c.to_digit(10).expect("checked to be a digit") * w)
        .sum();
    check_digit(
        s,
        chars[7],
        check_char((11 - sum % 11) % 11),
        Code::BadIssn,
        "ISSN",
    )
}

/// An absolute http(s) URL with a host.
pub fn absolute_url(s: &str) -> Result<String, FieldError> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    let bad_char = s.chars().any(|c| c.is_whitespace() || c.is_control());
    match host {
        Some(h) if !h.is_empty() && !bad_char => Ok(s.to_string()),
        _ => Err(FieldError::new(
            Code::RelativeUrl,
            format!("`{s}` is not an absolute http(s) URL"),
            "write the whole address, such as `https://example.org/article`",
        )),
    }
}

/// The name of a CSL style bundled with glossator, with the nearest names
/// when it is not one.
pub fn citation_style(s: &str) -> Result<String, FieldError> {
    // A style file of the edition is read and checked with the other files
    // of `content/` (`files::style_file`).
    if crate::render::citations::is_bundled(s) || s.ends_with(".csl") {
        return Ok(s.to_string());
    }
    let names = crate::render::citations::style_names();
    let mut near: Vec<(usize, &str)> = (names.iter())
        .map(|n| (strsim::levenshtein(s, n), *n))
        .collect();
    near.sort();
    let near: Vec<String> = near.iter().take(3).map(|(_, n)| format!("`{n}`")).collect();
    Err(FieldError::new(
        Code::UnknownStyle,
        format!("`{s}` is not a citation style glossator knows"),
        format!(
            "did you mean {}? `glossator` bundles {} styles, such as `chicago-author-date` (the default), `apa`, `modern-language-association` and `ieee`; a style of your own is a `.csl` file under `content/`, named by its path",
            near.join(", "),
            names.len()
        ),
    ))
}

/// The check digit of a mod-11 scheme: 10 is written `X`.
fn check_char(n: u32) -> char {
    if n == 10 {
        'X'
    } else {
        char::from_digit(n, 10).expect("a digit")
    }
}

fn check_digit(
    s: &str,
    found: char,
    expected: char,
    code: Code,
    what: &str,
) -> Result<String, FieldError> {
    if found.to_ascii_uppercase() == expected {
        return Ok(s.to_string());
    }
    // The last character that is not a separator is the check digit.
    let at = s.rfind(|c: char| !matches!(c, '-' | ' ')).unwrap_or(0);
    let fixed = format!("{}{expected}{}", &s[..at], &s[at + found.len_utf8()..]);
    Err(FieldError::new(
        code,
        format!("`{s}` is not a valid {what}: its check digit should be {expected}"),
        format!(
            "did you mean `{fixed}`? Check the number against the book or journal; a mistyped digit anywhere changes the check digit"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois_are_bare() {
        assert_eq!(doi("10.5555/12345678").as_deref(), Ok("10.5555/12345678"));
        assert_eq!(doi("10.1000.10/a(b)c").as_deref(), Ok("10.1000.10/a(b)c"));
        let link = doi("https://doi.org/10.5555/1").unwrap_err();
        assert!(link.help.contains("did you mean `10.5555/1`?"), "{link:?}");
        for bad in [
            "10.555/1",
            "11.5555/1",
            "10.5555/",
            "10.5555",
            "10.5555/a b",
        ] {
            assert!(doi(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn isbns_have_a_right_check_digit() {
        // Computed by hand: 978-0-306-40615-7 and its ISBN-10, 0-306-40615-2.
        assert!(isbn("978-0-306-40615-7").is_ok());
        assert!(isbn("0-306-40615-2").is_ok());
        assert!(isbn("0-8044-2957-X").is_ok());
        let wrong = isbn("978-0-306-40615-3").unwrap_err();
        assert!(wrong.message.contains("should be 7"), "{wrong:?}");
        assert!(wrong.help.contains("`978-0-306-40615-7`"), "{wrong:?}");
        assert!(isbn("978-0-306").is_err());
        assert!(isbn("97803064061X7").is_err());
    }

    #[test]
    fn issns_have_a_right_check_digit() {
        assert!(issn("0378-5955").is_ok());
        assert!(issn("2049-3630").is_ok());
        assert!(issn("0317-8471").is_ok());
        assert!(
            issn("0378-5954")
                .unwrap_err()
                .message
                .contains("should be 5")
        );
        assert!(issn("0378-59").is_err());
    }

    #[test]
    fn urls_are_absolute() {
        assert!(absolute_url("https://example.org/a?b#c").is_ok());
        for bad in [
            "example.org",
            "/a/b",
            "https://",
            "ftp://x.org",
            "https://x.org/a b",
        ] {
            assert!(absolute_url(bad).is_err(), "{bad}");
        }
    }
}
