//! `glossator suggest`: names of known entities written without their link.
//! The `suggest` fixture holds each case: whole words ("Crockers" and
//! "Suleimaniyah" are not names), an alias, a name inside a longer one,
//! code, links, headings and front matter skipped, a part that links an
//! entity once and names it again.

use std::process::Command;

use crate::harness::Edition;

fn suggest(ed: &Edition, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_glossator"))
        .arg("suggest")
        .arg(ed.root())
        .args(args)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap(),
        text(&out.stdout),
        text(&out.stderr),
    )
}

/// The `path:line:col: Name → target` lines of the output, without the quoted lines.
fn findings(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| !l.starts_with("    ")).collect()
}

#[test]
fn the_first_unlinked_name_of_each_entity_in_each_part_longest_first() {
    let ed = Edition::fixture("suggest");
    let (code, out, err) = suggest(&ed, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        findings(&out),
        [
            "content/01-first.md:5:1: Qassim Suleimani → person:suleimani",
            "content/01-first.md:5:22: Ryan Crocker → person:crocker",
            "content/01-first.md:7:1: Hardliners → term:hardliners",
            // Crocker is linked in this part already; Suleimani is not.
            "content/02-second.md:4:66: Suleimani → person:suleimani",
        ]
    );
    assert!(
        out.contains("\n    Qassim Suleimani met Ryan Crocker."),
        "{out}"
    );
    assert!(err.contains("4 unlinked names"), "{err}");
}

#[test]
fn all_lists_every_occurrence_in_running_text_only() {
    let ed = Edition::fixture("suggest");
    let (_, out, _) = suggest(&ed, &["--all"]);
    assert_eq!(
        findings(&out),
        [
            "content/01-first.md:5:1: Qassim Suleimani → person:suleimani",
            "content/01-first.md:5:22: Ryan Crocker → person:crocker",
            "content/01-first.md:5:36: Suleimani → person:suleimani",
            "content/01-first.md:5:91: Crocker → person:crocker",
            "content/01-first.md:7:1: Hardliners → term:hardliners",
            "content/01-first.md:7:26: hardliners → term:hardliners",
            "content/02-second.md:4:40: Crocker → person:crocker",
            "content/02-second.md:4:66: Suleimani → person:suleimani",
        ]
    );
}

#[test]
fn kind_and_part_narrow_the_search() {
    let ed = Edition::fixture("suggest");
    let (_, out, _) = suggest(&ed, &["--kind", "term", "--all"]);
    assert_eq!(findings(&out).len(), 2, "{out}");
    assert!(
        findings(&out)
            .iter()
            .all(|l| l.ends_with("term:hardliners"))
    );
    let (_, out, _) = suggest(&ed, &["--part", "content/02-second.md", "--all"]);
    assert!(
        findings(&out)
            .iter()
            .all(|l| l.starts_with("content/02-second.md"))
    );
    assert_eq!(findings(&out).len(), 2, "{out}");

    let (code, out, err) = suggest(&ed, &["--kind", "persn"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.contains("`persn` is not a kind") && err.contains("did you mean `person`"),
        "{err}"
    );
    let (code, _, err) = suggest(&ed, &["--part", "09-missing.md"]);
    assert_eq!(code, 1);
    assert!(err.contains("no part 09-missing.md"), "{err}");
}

/// The text with link syntax taken out: what the reader reads.
fn words(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        // A link's text runs to the first `]`, which a `(` follows at once;
        // anything else (a footnote reference `[^e1]`, a lone bracket) is text.
        let link = after.find(']').and_then(|close| {
            let target = after[close + 1..].strip_prefix('(')?;
            let end = target.find(')')?;
            Some((close, close + 2 + end))
        });
        match link {
            Some((close, end)) if !after[..close].contains('[') => {
                out.push_str(&after[..close]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out + rest
}

#[test]
fn write_adds_links_and_keeps_every_word() {
    let ed = Edition::fixture("suggest");
    let before = ed.read("content/01-first.md");
    let second = ed.read("content/02-second.md");
    ed.run(&["check", "--strict"]).failure();
    let (code, out, err) = suggest(&ed, &["--write"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(findings(&out).len(), 4);
    assert!(err.contains("linked 4 names in 2 files"), "{err}");
    let after = ed.read("content/01-first.md");
    assert!(after.starts_with(
        "---\ntitle: First\nsummary: Suleimani in the front matter is not text.\n---\n[Qassim Suleimani](person:suleimani) met [Ryan Crocker](person:crocker). Suleimani spoke"
    ), "{after}");
    assert!(
        after.contains("\n[Hardliners](term:hardliners) objected"),
        "{after}"
    );
    assert!(after.contains("## Suleimani in a heading\n"), "{after}");
    assert_eq!(words(&after), words(&before));
    assert_eq!(words(&ed.read("content/02-second.md")), words(&second));
    // The entities never linked before are linked now.
    ed.run(&["check", "--strict"]).success();
    // Linked now: nothing more to suggest by default.
    let (_, out, _) = suggest(&ed, &[]);
    assert_eq!(findings(&out), Vec::<&str>::new());
}

#[test]
fn write_refuses_an_edition_with_errors() {
    let ed = Edition::fixture("suggest");
    ed.write(
        "content/03-broken.md",
        "---\ntitle: Broken\n---\n[x](person:nobody) and Crocker.\n",
    );
    let before = ed.read("content/01-first.md");
    let (code, _, err) = suggest(&ed, &["--write"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("changes nothing until `glossator check` passes"),
        "{err}"
    );
    assert_eq!(ed.read("content/01-first.md"), before);
}

#[test]
fn on_the_bundled_edition_every_entity_named_in_a_part_is_linked_there() {
    let ed = Edition::bundled();
    let (code, out, _) = suggest(&ed, &[]);
    assert_eq!((code, findings(&out)), (0, Vec::<&str>::new()), "{out}");
    // The later, unlinked repetitions, linked: the words stay the same.
    let parts: Vec<String> = (1..=7)
        .map(|n| {
            let name = std::fs::read_dir(ed.root().join("content"))
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .find(|f| f.starts_with(&format!("0{n}-")))
                .unwrap();
            format!("content/{name}")
        })
        .collect();
    let before: Vec<String> = parts.iter().map(|p| ed.read(p)).collect();
    let (code, out, err) = suggest(&ed, &["--all", "--write"]);
    assert_eq!(code, 0, "{err}");
    assert!(findings(&out).len() >= 10, "{out}");
    for (part, old) in parts.iter().zip(&before) {
        assert_eq!(words(&ed.read(part)), words(old), "{part}");
    }
    ed.run(&["check", "--strict"]).success();
}
