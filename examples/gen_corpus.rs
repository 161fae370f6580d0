//! Synthetic edition generator for the benchmarks in `benches/`.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --parts N --out DIR [--plain] [--images] [--sections] [--hugo DIR] [--seed S]
//! ```
//!
//! Writes `DIR/content/` as a glossator edition of N parts of about 1,200
//! words each. By default the edition is annotated: N/5 people, N/10
//! sources, N/2 claims and N/20 terms, about two thirds in entity files and
//! one third inline in the front matter of some part, about 20 mentions per
//! part, every entity mentioned at least once. `--plain` writes the same
//! parts, word for word, without any annotation (mention links become plain
//! text). `--hugo DIR` also writes the same part texts as a Hugo site, so
//! both tools render the same text. `--images` adds one image per ten parts
//! (`content/images/plate-N.png`, shown as a figure at the end of the part),
//! which the build sizes, copies and checks. `--sections` puts the parts in
//! three sections of a third each (`content/book-1/` to `book-3/`, each
//! with an `_index.md` and an introduction); links between parts and to the
//! images climb out of the section folder.
//!
//! The output depends only on `--parts` and `--seed`.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use clap::Parser;
use rayon::prelude::*;

#[derive(Parser, Debug)]
#[command(
    about = "Generate a synthetic glossator edition (and optionally a Hugo site) for benchmarks"
)]
struct Args {
    /// Number of parts.
    #[arg(long)]
    parts: usize,
    /// Edition root to write (`DIR/content/…`); its `content/` folder is replaced.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write the parts without annotations (no entities, mentions as plain text).
    #[arg(long)]
    plain: bool,
    /// Add one image per ten parts, as a figure at the end of the part.
    #[arg(long)]
    images: bool,
    /// Put the parts in three sections, a third in each.
    #[arg(long)]
    sections: bool,
    /// Also write the same part texts as a Hugo site in this folder.
    #[arg(long)]
    hugo: Option<PathBuf>,
    /// Seed of the pseudo-random generator.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

// ---------------------------------------------------------------------------
// Pseudo-random numbers: splitmix64, enough for synthetic text.

#[derive(Clone)]
struct Rng(u64);

impl Rng {
    /// An independent stream for `(seed, stream, index)`.
    fn derive(seed: u64, stream: u64, index: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA24B_AED4_963E_E407));
        r.0 ^= r
            .next_u64()
            .wrapping_add(index.wrapping_mul(0x9FB2_1C65_1E98_DF25));
        r.next_u64();
        r
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    /// Skewed towards small indices, so that some entities are mentioned often.
    fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((u * u * n as f64) as usize).min(n - 1)
    }
}

// ---------------------------------------------------------------------------
// Vocabulary.

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "the", "the", "the", "the", "of", "of", "of", "and", "and", "and", "to", "to", "in", "in", "a",
    "a", "that", "was", "was", "for", "on", "with", "as", "by", "his", "her", "their", "it", "from",
    "had", "at", "which", "were", "not", "but", "would", "could", "this", "been", "into", "after",
    "before", "while", "when", "against", "between", "without", "through", "under", "over",
    "ambassador", "embassy", "minister", "ministry", "cable", "capital", "border", "treaty",
    "negotiation", "talks", "delegation", "envoy", "mission", "council", "parliament", "province",
    "governor", "militia", "army", "officers", "convoy", "checkpoint", "village", "city", "river",
    "mountains", "valley", "harbour", "market", "newspaper", "report", "letter", "memo", "archive",
    "interview", "witness", "record", "account", "evidence", "rumour", "promise", "warning",
    "deadline", "budget", "election", "vote", "coalition", "opposition", "reform", "sanctions",
    "agreement", "ceasefire", "withdrawal", "surge", "strategy", "policy", "doctrine", "alliance",
    "rivalry", "conflict", "crisis", "settlement", "compromise", "pressure", "leverage", "trust",
    "doubt", "fear", "hope", "patience", "ambition", "loyalty", "silence", "years", "months",
    "weeks", "days", "night", "morning", "winter", "spring", "summer", "autumn", "decade",
    "people", "families", "students", "farmers", "merchants", "soldiers", "clerics", "diplomats",
    "journalists", "translators", "lawyers", "engineers", "officials", "advisers", "leaders",
    "old", "new", "long", "short", "quiet", "open", "secret", "public", "early", "late", "difficult",
    "careful", "uncertain", "fragile", "stubborn", "patient", "distant", "local", "foreign",
    "central", "northern", "southern", "eastern", "western", "small", "large", "first", "last",
    "second", "final", "formal", "informal", "official", "private", "bitter", "cautious",
    "said", "wrote", "argued", "insisted", "denied", "recalled", "believed", "noticed", "feared",
    "promised", "refused", "accepted", "proposed", "signed", "crossed", "returned", "left",
    "arrived", "waited", "listened", "explained", "warned", "asked", "answered", "remembered",
    "suspected", "understood", "decided", "changed", "kept", "lost", "won", "built", "broke",
    "carried", "opened", "closed", "followed", "met", "sent", "received", "read", "heard",
    "again", "already", "almost", "still", "never", "often", "rarely", "perhaps", "quickly",
    "slowly", "openly", "quietly", "finally", "later", "soon", "only", "even", "also", "once",
    "nation's", "government's", "couldn't", "wasn't", "didn't", "everyone's",
];

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Amara", "Bashir", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hassan", "Ines", "Jonas",
    "Karim", "Leila", "Marek", "Nadia", "Omar", "Priya", "Rafael", "Samira", "Tomas", "Ursula",
    "Viktor", "Wen", "Yusuf", "Zofia", "Anders", "Beatrix", "Cyrus", "Dalia", "Emil", "Fatima",
    "Gideon", "Hana", "Ivan", "Julia", "Kenji", "Lucia", "Mikhail", "Noor", "Oskar", "Paloma",
];

#[rustfmt::skip]
const SURNAMES: &[&str] = &[
    "Okafor", "Haddad", "Lindqvist", "Petrov", "Moreau", "Rahimi", "Novak", "Castillo", "Baker",
    "Sato", "Kowalski", "Mansour", "Fischer", "Alvarez", "Brennan", "Demir", "Eriksen", "Farouk",
    "Gallagher", "Hoang", "Ibrahim", "Jansen", "Khalil", "Laurent", "Mahdavi", "Nakamura",
    "Osei", "Pereira", "Quraishi", "Rossi", "Sadeghi", "Tanaka", "Urquhart", "Vargas", "Weiss",
    "Yilmaz", "Zamani", "Crocker", "Ashdown", "Whitcombe",
];

#[rustfmt::skip]
const ROLES: &[&str] = &[
    "diplomat", "journalist", "minister", "general", "translator", "historian", "negotiator",
    "governor", "adviser", "envoy", "lawyer", "economist", "cleric", "engineer", "analyst",
];

#[rustfmt::skip]
const OUTLETS: &[&str] = &[
    "The Evening Ledger", "Harbour Review", "Northern Quarterly", "The Dispatch",
    "Continental Affairs", "The Weekly Record", "Foreign Desk", "The Observer Gazette",
];

const SOURCE_KINDS: &[&str] = &["book", "article", "interview"];

const CODE_SNIPPETS: &[&str] = &[
    "fn main() {\n    let cables = vec![\"Kabul\", \"Baghdad\", \"Damascus\"];\n    for (i, c) in cables.iter().enumerate() {\n        println!(\"{i}: {c}\");\n    }\n}",
    "struct Envoy {\n    name: String,\n    posts: Vec<String>,\n}\n\nimpl Envoy {\n    fn last_post(&self) -> Option<&str> {\n        self.posts.last().map(String::as_str)\n    }\n}",
    "fn days_between(a: u32, b: u32) -> u32 {\n    // a crude count, as the ledgers kept it\n    if a > b { a - b } else { b - a }\n}",
];

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Content words only (no articles or prepositions), for titles and names.
fn content_word(rng: &mut Rng) -> &'static str {
    loop {
        let w = rng.pick(WORDS);
        if w.len() > 4 && !w.contains('\'') {
            return w;
        }
    }
}

fn words(rng: &mut Rng, n: usize) -> Vec<&'static str> {
    (0..n).map(|_| rng.pick(WORDS)).collect()
}

fn sentence(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let n = rng.range(lo, hi);
    let mut s = String::new();
    let quote_at = if rng.chance(0.08) {
        Some(rng.below(n.saturating_sub(3).max(1)))
    } else {
        None
    };
    for (i, w) in words(rng, n).into_iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        if Some(i) == quote_at {
            s.push('"');
        }
        if i == 0 {
            s.push_str(&capitalize(w));
        } else {
            s.push_str(w);
        }
        if quote_at.is_some_and(|q| i == q + 2) {
            s.push('"');
        }
        if i + 1 < n && i > 2 && rng.chance(0.06) {
            s.push(',');
        }
    }
    s.push(if rng.chance(0.05) { '?' } else { '.' });
    s
}

fn title_words(rng: &mut Rng, n: usize) -> String {
    let mut t = String::from("The");
    for _ in 0..n {
        t.push(' ');
        t.push_str(&capitalize(content_word(rng)));
    }
    t
}

fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn note(rng: &mut Rng, paragraphs: usize) -> String {
    let mut out = String::new();
    for p in 0..paragraphs {
        if p > 0 {
            out.push_str("\n\n");
        }
        let n = rng.range(3, 5);
        let sents: Vec<String> = (0..n).map(|_| sentence(rng, 8, 18)).collect();
        out.push_str(&sents.join(" "));
    }
    out.push('\n');
    out
}

// ---------------------------------------------------------------------------
// Entities.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Person,
    Source,
    Claim,
    Term,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Source => "source",
            Kind::Claim => "claim",
            Kind::Term => "term",
        }
    }
    fn dir(self) -> &'static str {
        match self {
            Kind::Person => "people",
            Kind::Source => "sources",
            Kind::Claim => "claims",
            Kind::Term => "terms",
        }
    }
}

struct Person {
    id: String,
    name: String,
    surname: String,
    description: String,
    role: &'static str,
    aliases: Vec<String>,
}

enum Author {
    Person(usize),
    Name(String),
}

struct Source {
    id: String,
    title: String,
    authors: Vec<Author>,
    outlet: Option<String>,
    date: String,
    kind: &'static str,
}

struct Claim {
    id: String,
    text: String,
    span: String,
    status: &'static str,
    sources: Vec<usize>,
    attributed_to: Vec<usize>,
    about: Vec<(Kind, usize)>,
}

struct Term {
    id: String,
    term: String,
    definition: String,
}

struct Entities {
    people: Vec<Person>,
    sources: Vec<Source>,
    claims: Vec<Claim>,
    terms: Vec<Term>,
    /// For each kind (in `KINDS` order) and entity: `Some(part)` if defined
    /// inline in that part's front matter, `None` if it has its own file.
    home: [Vec<Option<usize>>; 4],
}

const KINDS: [Kind; 4] = [Kind::Person, Kind::Source, Kind::Claim, Kind::Term];

impl Entities {
    fn count(&self, k: Kind) -> usize {
        match k {
            Kind::Person => self.people.len(),
            Kind::Source => self.sources.len(),
            Kind::Claim => self.claims.len(),
            Kind::Term => self.terms.len(),
        }
    }
    fn id(&self, k: Kind, i: usize) -> &str {
        match k {
            Kind::Person => &self.people[i].id,
            Kind::Source => &self.sources[i].id,
            Kind::Claim => &self.claims[i].id,
            Kind::Term => &self.terms[i].id,
        }
    }
    fn mention_text(&self, k: Kind, i: usize, rng: &mut Rng) -> String {
        match k {
            Kind::Person => {
                let p = &self.people[i];
                if rng.chance(0.5) {
                    p.name.clone()
                } else {
                    p.surname.clone()
                }
            }
            Kind::Source => self.sources[i].title.clone(),
            Kind::Claim => self.claims[i].span.clone(),
            Kind::Term => self.terms[i].term.clone(),
        }
    }
}

fn make_entities(n_parts: usize, seed: u64) -> Entities {
    let mut rng = Rng::derive(seed, 1, 0);
    let n_people = (n_parts / 5).max(1);
    let n_sources = (n_parts / 10).max(1);
    let n_claims = (n_parts / 2).max(1);
    let n_terms = (n_parts / 20).max(1);

    let mut used_aliases = std::collections::HashSet::new();
    let people: Vec<Person> = (0..n_people)
        .map(|i| {
            let first = rng.pick(FIRST_NAMES);
            let surname = rng.pick(SURNAMES);
            let name = format!("{first} {surname}");
            let role = rng.pick(ROLES);
            let description = format!(
                "{} {role} who {} {} {}.",
                capitalize(rng.pick(&["foreign", "local", "senior", "junior", "veteran"])),
                rng.pick(&[
                    "served in",
                    "reported from",
                    "negotiated in",
                    "wrote about",
                    "left"
                ]),
                rng.pick(&[
                    "the capital",
                    "the northern province",
                    "the border region",
                    "the embassy",
                    "the ministry"
                ]),
                rng.pick(&[
                    "for a decade",
                    "during the war",
                    "in the early years",
                    "twice",
                    "briefly"
                ]),
            );
            // Aliases must not be shared between people (glossator warns).
            let mut aliases = Vec::new();
            if rng.chance(0.3) {
                for _ in 0..8 {
                    let middle = (b'A' + rng.below(26) as u8) as char;
                    let alias = format!("{}. {middle}. {surname}", &first[..1]);
                    if used_aliases.insert(alias.to_lowercase()) {
                        aliases.push(alias);
                        break;
                    }
                }
            }
            Person {
                id: format!("{}-{}", slug(surname), i + 1),
                name,
                surname: surname.to_string(),
                description,
                role,
                aliases,
            }
        })
        .collect();

    let sources: Vec<Source> = (0..n_sources)
        .map(|i| {
            let nw = rng.range(1, 3);
            let title = title_words(&mut rng, nw);
            let kind = rng.pick(SOURCE_KINDS);
            let n_auth = rng.range(1, 2);
            let authors = (0..n_auth)
                .map(|_| {
                    if rng.chance(0.25) {
                        Author::Person(rng.skewed(n_people))
                    } else {
                        Author::Name(format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES)))
                    }
                })
                .collect();
            let outlet = if kind == "book" {
                None
            } else {
                Some(rng.pick(OUTLETS).to_string())
            };
            let date = format!(
                "{}-{:02}-{:02}",
                rng.range(1995, 2022),
                rng.range(1, 12),
                rng.range(1, 28)
            );
            Source {
                id: format!("{}-{}", slug(&title), i + 1),
                title,
                authors,
                outlet,
                date,
                kind,
            }
        })
        .collect();

    let terms: Vec<Term> = (0..n_terms)
        .map(|i| {
            let term = if rng.chance(0.5) {
                (0..rng.range(3, 5))
                    .map(|_| (b'A' + rng.below(26) as u8) as char)
                    .collect::<String>()
            } else {
                format!("{} {}", content_word(&mut rng), content_word(&mut rng))
            };
            let definition = sentence(&mut rng, 10, 20);
            Term {
                id: format!("{}-{}", slug(&term), i + 1),
                term,
                definition,
            }
        })
        .collect();

    let claims: Vec<Claim> = (0..n_claims)
        .map(|i| {
            let text = sentence(&mut rng, 10, 20);
            let nw = rng.range(4, 8);
            let span_words = words(&mut rng, nw);
            let span = span_words.join(" ");
            let r = rng.below(100);
            let status = match r {
                0..40 => "sourced",
                40..65 => "attributed",
                65..75 => "disputed",
                75..85 => "unverified",
                _ => "assessment",
            };
            let mut sources = Vec::new();
            if status == "sourced" || status == "disputed" {
                for _ in 0..rng.range(1, 2) {
                    let s = rng.below(n_sources);
                    if !sources.contains(&s) {
                        sources.push(s);
                    }
                }
            }
            let mut attributed_to = Vec::new();
            if status == "attributed" {
                for _ in 0..rng.range(1, 2) {
                    let p = rng.skewed(n_people);
                    if !attributed_to.contains(&p) {
                        attributed_to.push(p);
                    }
                }
            }
            let mut about = Vec::new();
            if rng.chance(0.6) {
                about.push((Kind::Person, rng.skewed(n_people)));
            }
            if rng.chance(0.3) {
                about.push((Kind::Term, rng.below(n_terms)));
            }
            let id = format!(
                "{}-{}-{}",
                content_word(&mut rng),
                content_word(&mut rng),
                i + 1
            );
            Claim {
                id,
                text,
                span,
                status,
                sources,
                attributed_to,
                about,
            }
        })
        .collect();

    // About a third of each kind is defined inline in some part.
    let mut home: [Vec<Option<usize>>; 4] = Default::default();
    let counts = [n_people, n_sources, n_claims, n_terms];
    for (k, &c) in counts.iter().enumerate() {
        home[k] = (0..c)
            .map(|i| {
                if i % 3 == 1 {
                    Some(rng.below(n_parts))
                } else {
                    None
                }
            })
            .collect();
    }
    Entities {
        people,
        sources,
        claims,
        terms,
        home,
    }
}

// ---------------------------------------------------------------------------
// Part documents, built once and rendered in three flavours.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Annotated,
    Plain,
    Hugo,
}

enum Inline {
    Text(String),
    Emph(String),
    Strong(String),
    Mention(Kind, usize, String),
    PartLink(usize, String),
    FootRef,
}

enum Block {
    Para(Vec<Inline>),
    Heading(String),
    List(Vec<Vec<Inline>>),
    Quote(Vec<Inline>),
    Code(&'static str),
    FootDef(String),
}

enum Item {
    Mention(Kind, usize),
    Link(usize),
    FootRef,
}

struct Part {
    /// 1-based number.
    number: usize,
    title: String,
    summary: String,
    blocks: Vec<Block>,
}

fn part_file(number: usize, width: usize) -> String {
    format!("{number:0width$}-part-{number}.md")
}

/// Sections written by `--sections`.
const SECTIONS: usize = 3;

/// The section folder (`book-1`, …) of part `number` (from 1) of `n`.
fn section_of(number: usize, n: usize) -> String {
    format!("book-{}", (number - 1) * SECTIONS / n + 1)
}

/// A part's text with each link to another part's file (`NNN-part-N.md`)
/// made relative to a section folder: `../book-K/NNN-part-N.md`.
fn relink(text: &str, n: usize) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let (before, after) = rest.split_at(at + 2);
        out.push_str(before);
        let end = after.find(')').unwrap_or(after.len());
        let target = &after[..end];
        let number = (target.strip_suffix(".md"))
            .and_then(|t| t.split_once("-part-"))
            .filter(|(digits, _)| digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|(_, num)| num.parse::<usize>().ok());
        if let Some(number) = number.filter(|&k| (1..=n).contains(&k)) {
            let _ = write!(out, "../{}/", section_of(number, n));
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn build_part(
    index: usize,
    n_parts: usize,
    ents: &Entities,
    cover: &[(Kind, usize)],
    seed: u64,
) -> Part {
    let mut rng = Rng::derive(seed, 2, index as u64);
    let number = index + 1;
    let nw = rng.range(2, 3);
    let title = format!("Part {number}: {}", title_words(&mut rng, nw));
    let summary = sentence(&mut rng, 10, 16);

    // The inline items to spread over the text.
    let mut items: Vec<Item> = cover.iter().map(|&(k, i)| Item::Mention(k, i)).collect();
    let n_mentions = rng.range(18, 22).max(items.len());
    while items.len() < n_mentions {
        let r = rng.below(100);
        let k = match r {
            0..40 => Kind::Person,
            40..55 => Kind::Source,
            55..80 => Kind::Claim,
            _ => Kind::Term,
        };
        items.push(Item::Mention(k, rng.skewed(ents.count(k))));
    }
    if n_parts > 1 {
        for _ in 0..3 {
            let mut t = rng.below(n_parts - 1);
            if t >= index {
                t += 1;
            }
            items.push(Item::Link(t));
        }
    }
    let footnote = index.is_multiple_of(3);
    if footnote {
        items.push(Item::FootRef);
    }
    // Shuffle (Fisher–Yates).
    for i in (1..items.len()).rev() {
        let j = rng.below(i + 1);
        items.swap(i, j);
    }

    let target = rng.range(1000, 1200);
    let two_headings = rng.chance(0.5);
    let has_code = index.is_multiple_of(10);
    let mut words_done = 0usize;
    let mut blocks = Vec::new();
    let (mut did_h1, mut did_h2, mut did_list, mut did_quote, mut did_code) =
        (false, !two_headings, false, false, !has_code);

    let take_item = |rng: &mut Rng, words_done: usize, items: &mut Vec<Item>| -> Option<Item> {
        if items.is_empty() {
            return None;
        }
        let remaining_sentences = (target.saturating_sub(words_done) / 14).max(1);
        let p = items.len() as f64 / remaining_sentences as f64;
        if rng.chance(p) { items.pop() } else { None }
    };

    let render_item =
        |rng: &mut Rng, item: Item, out: &mut Vec<Inline>, words_done: &mut usize| match item {
            Item::Mention(k, i) => {
                let t = ents.mention_text(k, i, rng);
                *words_done += t.split_whitespace().count();
                out.push(Inline::Mention(k, i, t));
            }
            Item::Link(t) => {
                *words_done += 3;
                out.push(Inline::PartLink(t, format!("see part {}", t + 1)));
            }
            Item::FootRef => out.push(Inline::FootRef),
        };

    while words_done < target {
        // Structural blocks at fixed fractions of the text.
        let frac = words_done as f64 / target as f64;
        if !did_h1 && frac > 0.2 {
            blocks.push(Block::Heading(title_words(&mut rng, 2)));
            did_h1 = true;
        }
        if !did_list && frac > 0.35 {
            let list = (0..rng.range(4, 6))
                .map(|_| {
                    let s = sentence(&mut rng, 6, 12);
                    words_done += s.split_whitespace().count();
                    vec![Inline::Text(s)]
                })
                .collect();
            blocks.push(Block::List(list));
            did_list = true;
        }
        if !did_code && frac > 0.5 {
            blocks.push(Block::Code(CODE_SNIPPETS[rng.below(CODE_SNIPPETS.len())]));
            did_code = true;
        }
        if !did_h2 && frac > 0.6 {
            blocks.push(Block::Heading(title_words(&mut rng, 3)));
            did_h2 = true;
        }
        if !did_quote && frac > 0.7 {
            let s = format!(
                "{} {}",
                sentence(&mut rng, 10, 18),
                sentence(&mut rng, 8, 14)
            );
            words_done += s.split_whitespace().count();
            blocks.push(Block::Quote(vec![Inline::Text(s)]));
            did_quote = true;
        }

        let mut para = Vec::new();
        for si in 0..rng.range(4, 7) {
            if si > 0 {
                para.push(Inline::Text(" ".into()));
            }
            let n = rng.range(9, 22);
            let ws = words(&mut rng, n);
            words_done += n;
            let cut = rng.range(1, n - 1);
            let mut first = capitalize(ws[0]);
            for w in &ws[1..cut] {
                first.push(' ');
                first.push_str(w);
            }
            para.push(Inline::Text(first + " "));
            if let Some(item) = take_item(&mut rng, words_done, &mut items) {
                render_item(&mut rng, item, &mut para, &mut words_done);
                para.push(Inline::Text(" ".into()));
            } else if rng.chance(0.12) {
                let nw = rng.range(1, 3);
                let e = words(&mut rng, nw).join(" ");
                words_done += e.split_whitespace().count();
                para.push(if rng.chance(0.7) {
                    Inline::Emph(e)
                } else {
                    Inline::Strong(e)
                });
                para.push(Inline::Text(" ".into()));
            }
            para.push(Inline::Text(ws[cut..].join(" ")));
            // A second item at the end of some sentences.
            if let Some(item) = take_item(&mut rng, words_done, &mut items) {
                match item {
                    Item::FootRef => para.push(Inline::FootRef),
                    other => {
                        para.push(Inline::Text(" (".into()));
                        render_item(&mut rng, other, &mut para, &mut words_done);
                        para.push(Inline::Text(")".into()));
                    }
                }
            }
            para.push(Inline::Text(
                if rng.chance(0.05) { "?" } else { "." }.into(),
            ));
        }
        blocks.push(Block::Para(para));
    }
    if !items.is_empty() {
        let mut para = vec![Inline::Text("Further reading: ".into())];
        let mut first = true;
        while let Some(item) = items.pop() {
            if matches!(item, Item::FootRef) {
                para.push(Inline::FootRef);
                continue;
            }
            if !first {
                para.push(Inline::Text(", ".into()));
            }
            first = false;
            render_item(&mut rng, item, &mut para, &mut words_done);
        }
        para.push(Inline::Text(".".into()));
        blocks.push(Block::Para(para));
    }
    if footnote {
        blocks.push(Block::FootDef(sentence(&mut rng, 10, 20)));
    }
    Part {
        number,
        title,
        summary,
        blocks,
    }
}

fn render_inlines(out: &mut String, inl: &[Inline], mode: Mode, ents: &Entities, width: usize) {
    for i in inl {
        match i {
            Inline::Text(t) => out.push_str(t),
            Inline::Emph(t) => {
                let _ = write!(out, "*{t}*");
            }
            Inline::Strong(t) => {
                let _ = write!(out, "**{t}**");
            }
            Inline::Mention(k, idx, t) => {
                if mode == Mode::Annotated {
                    let _ = write!(out, "[{t}]({}:{})", k.prefix(), ents.id(*k, *idx));
                } else {
                    out.push_str(t);
                }
            }
            Inline::PartLink(target, t) => {
                let n = target + 1;
                if mode == Mode::Hugo {
                    let _ = write!(out, "[{t}](../part-{n}/)");
                } else {
                    let _ = write!(out, "[{t}]({})", part_file(n, width));
                }
            }
            Inline::FootRef => out.push_str("[^1]"),
        }
    }
}

fn render_body(part: &Part, mode: Mode, ents: &Entities, width: usize) -> String {
    let mut out = String::with_capacity(9000);
    for b in &part.blocks {
        match b {
            Block::Para(inl) => render_inlines(&mut out, inl, mode, ents, width),
            Block::Heading(h) => out.push_str(&format!("## {h}")),
            Block::List(items) => {
                for (n, it) in items.iter().enumerate() {
                    if n > 0 {
                        out.push('\n');
                    }
                    out.push_str("- ");
                    render_inlines(&mut out, it, mode, ents, width);
                }
            }
            Block::Quote(inl) => {
                out.push_str("> ");
                render_inlines(&mut out, inl, mode, ents, width);
            }
            Block::Code(c) => {
                out.push_str("```rust\n");
                out.push_str(c);
                out.push_str("\n```");
            }
            Block::FootDef(t) => {
                out.push_str("[^1]: ");
                out.push_str(t);
            }
        }
        out.push_str("\n\n");
    }
    out.pop();
    out
}

// ---------------------------------------------------------------------------
// Front matter.

fn person_fields(p: &Person, indent: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{indent}name: {}", yaml_str(&p.name));
    let _ = writeln!(s, "{indent}description: {}", yaml_str(&p.description));
    let _ = writeln!(s, "{indent}roles: [{}]", p.role);
    if !p.aliases.is_empty() {
        let list: Vec<String> = p.aliases.iter().map(|a| yaml_str(a)).collect();
        let _ = writeln!(s, "{indent}aliases: [{}]", list.join(", "));
    }
    s
}

fn source_fields(src: &Source, ents: &Entities, indent: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{indent}title: {}", yaml_str(&src.title));
    let list: Vec<String> = src
        .authors
        .iter()
        .map(|a| match a {
            Author::Person(p) => yaml_str(&format!("person:{}", ents.people[*p].id)),
            Author::Name(n) => yaml_str(n),
        })
        .collect();
    let _ = writeln!(s, "{indent}authors: [{}]", list.join(", "));
    if let Some(o) = &src.outlet {
        let _ = writeln!(s, "{indent}outlet: {}", yaml_str(o));
    }
    let _ = writeln!(s, "{indent}date: \"{}\"", src.date);
    let _ = writeln!(s, "{indent}kind: {}", src.kind);
    if src.kind == "article" {
        let _ = writeln!(s, "{indent}url: \"https://example.org/archive/{}\"", src.id);
    }
    s
}

fn claim_fields(c: &Claim, ents: &Entities, indent: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{indent}text: {}", yaml_str(&c.text));
    let _ = writeln!(s, "{indent}status: {}", c.status);
    if !c.sources.is_empty() {
        let ids: Vec<&str> = c
            .sources
            .iter()
            .map(|&i| ents.sources[i].id.as_str())
            .collect();
        let _ = writeln!(s, "{indent}sources: [{}]", ids.join(", "));
    }
    if !c.attributed_to.is_empty() {
        let ids: Vec<&str> = c
            .attributed_to
            .iter()
            .map(|&i| ents.people[i].id.as_str())
            .collect();
        let _ = writeln!(s, "{indent}attributed_to: [{}]", ids.join(", "));
    }
    if !c.about.is_empty() {
        let ids: Vec<String> = c
            .about
            .iter()
            .map(|&(k, i)| yaml_str(&format!("{}:{}", k.prefix(), ents.id(k, i))))
            .collect();
        let _ = writeln!(s, "{indent}about: [{}]", ids.join(", "));
    }
    s
}

fn term_fields(t: &Term, indent: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{indent}term: {}", yaml_str(&t.term));
    let _ = writeln!(s, "{indent}definition: {}", yaml_str(&t.definition));
    s
}

fn entity_fields(ents: &Entities, k: Kind, i: usize, indent: &str) -> String {
    match k {
        Kind::Person => person_fields(&ents.people[i], indent),
        Kind::Source => source_fields(&ents.sources[i], ents, indent),
        Kind::Claim => claim_fields(&ents.claims[i], ents, indent),
        Kind::Term => term_fields(&ents.terms[i], indent),
    }
}

// ---------------------------------------------------------------------------
// Output.

fn reset_dir(dir: &Path) -> io::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)
}

fn preface(seed: u64) -> (String, String) {
    let mut rng = Rng::derive(seed, 3, 0);
    let subtitle = title_words(&mut rng, 3);
    (subtitle, note(&mut rng, 3))
}

/// A grey PNG of `width` × `height`, its scanlines in stored (uncompressed)
/// deflate blocks: valid, with a header the build reads for the size.
fn png(width: u32, height: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend(kind);
        out.extend(data);
        let crc = crc32(&out[start..]);
        out.extend(crc.to_be_bytes());
    }
    let raw: Vec<u8> = (0..height)
        .flat_map(|_| std::iter::once(0).chain(std::iter::repeat_n(0x99, width as usize)))
        .collect();
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend(len.to_le_bytes());
        zlib.extend((!len).to_le_bytes());
        zlib.extend(*block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend(((b << 16) | a).to_be_bytes());
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn main() -> io::Result<()> {
    let args = Args::parse();
    if args.parts == 0 {
        eprintln!("--parts must be at least 1");
        std::process::exit(2);
    }
    if args.out.is_none() && args.hugo.is_none() {
        eprintln!("nothing to do: give --out DIR and/or --hugo DIR");
        std::process::exit(2);
    }
    let n = args.parts;
    let seed = args.seed;
    let width = n.to_string().len().max(2);
    let ents = make_entities(n, seed);

    // Make sure every entity is mentioned in at least one part.
    let mut cover: Vec<Vec<(Kind, usize)>> = vec![Vec::new(); n];
    let mut rng = Rng::derive(seed, 4, 0);
    for k in KINDS {
        for i in 0..ents.count(k) {
            cover[rng.below(n)].push((k, i));
        }
    }
    // Entities defined inline, grouped by host part.
    let mut inline: Vec<Vec<(Kind, usize)>> = vec![Vec::new(); n];
    for (ki, k) in KINDS.iter().enumerate() {
        for (i, h) in ents.home[ki].iter().enumerate() {
            if let Some(p) = h {
                inline[*p].push((*k, i));
            }
        }
    }

    let (subtitle, preface_text) = preface(seed);
    let edition_title = format!("A Synthetic Edition in {n} Parts");
    let annotated = !args.plain;

    if let Some(out) = &args.out {
        let content = out.join("content");
        reset_dir(&content)?;
        fs::write(
            content.join("_index.md"),
            format!(
                "---\ntitle: {}\nsubtitle: {}\nauthor: \"Glossator Benchmarks\"\n---\n\n{preface_text}",
                yaml_str(&edition_title),
                yaml_str(&subtitle)
            ),
        )?;
        if annotated {
            for k in KINDS {
                fs::create_dir_all(content.join(k.dir()))?;
            }
            let ents_ref = &ents;
            let files: Vec<(Kind, usize)> = KINDS
                .iter()
                .enumerate()
                .flat_map(|(ki, &k)| {
                    ents_ref.home[ki]
                        .iter()
                        .enumerate()
                        .filter(|(_, h)| h.is_none())
                        .map(move |(i, _)| (k, i))
                })
                .collect();
            files.par_iter().try_for_each(|&(k, i)| {
                let mut rng = Rng::derive(
                    seed,
                    5 + KINDS.iter().position(|&x| x == k).unwrap() as u64,
                    i as u64,
                );
                let text = format!("---\n{}---\n\n{}", entity_fields(&ents, k, i, ""), {
                    let np = rng.range(1, 3);
                    note(&mut rng, np)
                });
                fs::write(
                    content.join(k.dir()).join(format!("{}.md", ents.id(k, i))),
                    text,
                )
            })?;
        }
        if args.sections {
            for k in 1..=SECTIONS {
                let folder = content.join(format!("book-{k}"));
                fs::create_dir_all(&folder)?;
                fs::write(
                    folder.join("_index.md"),
                    format!(
                        "---\ntitle: Book {k}\norder: {k}\nsummary: The parts of book {k}.\n---\n\nBook {k} holds a third of the parts, in order.\n"
                    ),
                )?;
            }
        }
        if args.images {
            fs::create_dir_all(content.join("images"))?;
            (1..=n.div_ceil(10)).into_par_iter().try_for_each(|plate| {
                let (w, h) = (64 + plate % 64, 48 + plate % 32);
                fs::write(
                    content.join(format!("images/plate-{plate}.png")),
                    png(w as u32, h as u32),
                )
            })?;
        }
        (0..n).into_par_iter().try_for_each(|i| {
            let part = build_part(i, n, &ents, &cover[i], seed);
            let mode = if annotated {
                Mode::Annotated
            } else {
                Mode::Plain
            };
            let mut fm = String::new();
            let _ = writeln!(fm, "---\ntitle: {}", yaml_str(&part.title));
            let _ = writeln!(fm, "order: {}\nslug: part-{}", part.number, part.number);
            let _ = writeln!(fm, "summary: {}", yaml_str(&part.summary));
            if annotated {
                for k in KINDS {
                    let mine: Vec<usize> = inline[i]
                        .iter()
                        .filter(|(kk, _)| *kk == k)
                        .map(|&(_, x)| x)
                        .collect();
                    if mine.is_empty() {
                        continue;
                    }
                    let _ = writeln!(fm, "{}:", k.dir());
                    for x in mine {
                        let _ = writeln!(fm, "  {}:", ents.id(k, x));
                        fm.push_str(&entity_fields(&ents, k, x, "    "));
                    }
                }
            }
            fm.push_str("---\n\n");
            fm.push_str(&render_body(&part, mode, &ents, width));
            let up = if args.sections { "../" } else { "" };
            if args.images && part.number % 10 == 1 {
                let plate = part.number / 10 + 1;
                let _ = write!(
                    fm,
                    "\n\n![Plate {plate}, a grey field]({up}images/plate-{plate}.png \"Plate {plate}\")\n"
                );
            }
            let file = part_file(part.number, width);
            if args.sections {
                let folder = content.join(section_of(part.number, n));
                fs::write(folder.join(file), relink(&fm, n))
            } else {
                fs::write(content.join(file), fm)
            }
        })?;
    }

    if let Some(hugo) = &args.hugo {
        fs::create_dir_all(hugo)?;
        for sub in ["content", "layouts", "static", "public", "resources"] {
            let p = hugo.join(sub);
            if p.exists() {
                fs::remove_dir_all(&p)?;
            }
        }
        let posts = hugo.join("content").join("posts");
        let layouts = hugo.join("layouts").join("_default");
        fs::create_dir_all(&posts)?;
        fs::create_dir_all(&layouts)?;
        fs::write(
            hugo.join("hugo.toml"),
            HUGO_CONFIG.replace("{TITLE}", &edition_title),
        )?;
        fs::write(
            hugo.join("content").join("_index.md"),
            format!("+++\ntitle = \"{edition_title}\"\n+++\n\n{preface_text}"),
        )?;
        let mut nav = String::new();
        for p in 1..=n.min(10) {
            let _ = writeln!(nav, "      <a href=\"/posts/part-{p}/\">Part {p}</a>");
        }
        fs::write(
            layouts.join("baseof.html"),
            HUGO_BASEOF.replace("{NAV}", nav.trim_end()),
        )?;
        fs::write(layouts.join("single.html"), HUGO_SINGLE)?;
        fs::write(layouts.join("list.html"), HUGO_LIST)?;
        (0..n).into_par_iter().try_for_each(|i| {
            let part = build_part(i, n, &ents, &cover[i], seed);
            let text = format!(
                "+++\ntitle = \"{}\"\nslug = \"part-{}\"\nweight = {}\nsummary = \"{}\"\n+++\n\n{}",
                part.title,
                part.number,
                part.number,
                part.summary.replace('"', "\\\""),
                render_body(&part, Mode::Hugo, &ents, width)
            );
            fs::write(posts.join(part_file(part.number, width)), text)
        })?;
    }
    Ok(())
}

const HUGO_CONFIG: &str = r#"baseURL = "http://localhost/"
languageCode = "en"
title = "{TITLE}"
# Only the home page (a table of contents of all parts) and the part pages
# are rendered: no section list, taxonomies, feeds, sitemap, robots.txt or 404.
disableKinds = ["section", "taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableRobotsTXT = false
enableGitInfo = false
enableEmoji = false

[markup.goldmark.extensions]
  footnote = true
  strikethrough = true
  table = true
  typographer = true
  linkify = false
  taskList = false
  definitionList = false

[markup.highlight]
  codeFences = true
"#;

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>{{ .Title }} · {{ site.Title }}</title>
  </head>
  <body>
    <nav>
{NAV}
    </nav>
    <main>
{{ block "main" . }}{{ end }}
    </main>
  </body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<article>
  <h1>{{ .Title }}</h1>
  {{ .Content }}
</article>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ol>
{{ range site.RegularPages }}  <li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ol>
{{ end }}
"#;
