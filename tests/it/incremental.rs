//! Incremental rebuilds (what `serve` runs on each change) give the same
//! bytes and the same diagnostics as a full build, edit after edit, while
//! rendering only what an edit affects.

use std::fs;

use glossator::incremental::{Outcome, Session};
use glossator::{BuildOptions, build};

use crate::harness::{Edition, tree_bytes};

struct Bench {
    edition: Edition,
    session: Session,
    pages: usize,
}

impl Bench {
    fn new() -> Bench {
        let edition = Edition::fixture("basic");
        let mut opts = BuildOptions::new(edition.root());
        opts.out = Some(edition.root().join("served"));
        let session = Session::new(opts);
        Bench {
            edition,
            session,
            pages: 0,
        }
    }

    /// Rebuilds incrementally and fully, and compares outputs and messages.
    #[track_caller]
    fn step(&mut self, what: &str) -> Outcome {
        let outcome = self.session.rebuild();
        let full = build(&BuildOptions::new(self.edition.root()));
        let messages = |items: &[glossator::diagnostics::Diagnostic]| {
            items.iter().map(|d| d.render(false)).collect::<Vec<_>>()
        };
        assert_eq!(
            messages(&outcome.diagnostics.items),
            messages(&full.diagnostics.items),
            "{what}: diagnostics differ"
        );
        assert_eq!(outcome.failed(), full.failed(), "{what}");
        let served = tree_bytes(&self.edition.root().join("served"));
        let built = tree_bytes(&self.edition.site());
        assert_eq!(
            served.keys().collect::<Vec<_>>(),
            built.keys().collect::<Vec<_>>(),
            "{what}: different files"
        );
        for (path, bytes) in &built {
            assert!(served[path] == *bytes, "{what}: {path} differs");
        }
        self.pages = built.keys().filter(|p| p.ends_with(".html")).count();
        outcome
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.edition.read(rel);
        assert!(text.contains(from), "{rel} holds {from:?}");
        self.edition.write(rel, &text.replacen(from, to, 1));
    }

    fn rename(&self, from: &str, to: &str) {
        let root = self.edition.root();
        fs::rename(root.join(from), root.join(to)).unwrap();
    }

    fn remove(&self, rel: &str) {
        fs::remove_file(self.edition.root().join(rel)).unwrap();
    }
}

const PART: &str = "content/01-beginnings.md";

#[test]
fn pages_first_and_exports_after_still_give_a_full_build() {
    let mut b = Bench::new();
    b.step("first build");
    let served = |b: &Bench, path: &str| {
        fs::read_to_string(b.edition.root().join("served").join(path)).unwrap()
    };
    b.edit(PART, "recalls meetings", "recalls brief meetings");
    let pages = b.session.rebuild_pages();
    assert!(!pages.failed() && pages.written >= 1);
    // The page shows the edit at once; the exports, not yet.
    assert!(served(&b, "01-beginnings/index.html").contains("brief meetings"));
    assert!(!served(&b, "annotations.json").contains("brief meetings"));
    // Another edit before the exports were written: they are brought up to
    // date before the new pages, and the end is a full build's bytes.
    b.edit(PART, "recalls brief meetings", "recalls long meetings");
    b.step("an edit while the last one's exports wait");
    let exports = b.session.finish_exports();
    assert_eq!(exports.written, 0, "nothing was left to write");
}

#[test]
fn every_edit_gives_the_bytes_of_a_full_build() {
    let mut b = Bench::new();
    let first = b.step("first build");
    assert_eq!(first.rendered, b.pages);
    assert!(b.pages > 10);

    // A part: change, add, rename, delete.
    b.edit(PART, "recalls meetings", "recalls long meetings");
    let one_word = b.step("change a word in a part");
    assert!(
        one_word.rendered < b.pages / 2,
        "a word in one part renders {} of {} pages",
        one_word.rendered,
        b.pages
    );
    assert!(one_word.written >= 1);
    assert!(!one_word.resolved_whole, "a word resolves its part alone");
    let again = b.step("nothing changed");
    assert_eq!((again.rendered, again.written), (0, 0));

    // A part's text alone: its mentions are resolved again, the later
    // parts' mentions move, back-links follow.
    b.edit(
        PART,
        "recalls long meetings",
        "recalls long meetings with [Zarif](person:zarif)",
    );
    let added = b.step("add a mention to a part's text");
    assert!(!added.resolved_whole);
    b.edit(PART, "with [Zarif](person:zarif)", "with Zarif");
    let removed = b.step("remove a mention from a part's text");
    assert!(!removed.resolved_whole);
    b.edit(PART, "with Zarif", "with [Zarif](person:zariff)");
    let unknown = b.step("mention an unknown entity");
    assert!(unknown.failed() && unknown.resolved_whole);
    b.edit(PART, "with [Zarif](person:zariff)", "with Zarif");
    b.step("fix the mention");
    b.edit(PART, "## A heading", "A new paragraph.\n\n## A heading");
    let paragraph = b.step("add a paragraph: other files may link to its number");
    assert!(paragraph.resolved_whole);
    b.edit(PART, "A new paragraph.\n\n## A heading", "## A heading");
    b.step("remove the paragraph");

    b.edition.write(
        "content/03-coda.md",
        "---\ntitle: Coda\n---\nAnd [Zarif](person:zarif) again, with [the deal](term:jcpoa).\n",
    );
    b.step("add a part");
    b.rename("content/03-coda.md", "content/03-epilogue.md");
    b.step("rename a part");
    b.edit(
        "content/01-beginnings.md",
        "title: Beginnings",
        "title: Openings",
    );
    b.step("retitle a part: every part lists every part");
    b.edit(
        "content/03-epilogue.md",
        "title: Coda",
        "title: Epilogue\nslug: afterword",
    );
    b.step("change a part's slug");
    b.remove("content/03-epilogue.md");
    b.step("delete a part");

    // An entity: add, change, delete; inline and in its own file.
    b.edition.write(
        "content/people/rice.md",
        "---\nname: Condoleezza Rice\ndescription: National security adviser.\n---\nA long note.\n",
    );
    b.step("add an entity");
    b.edit(
        "content/02-later.md",
        "\n\n",
        "\n\nAsk [Rice](person:rice) about it.\n\n",
    );
    b.step("mention the new entity");
    b.edit(
        "content/people/rice.md",
        "National security",
        "The national security",
    );
    let entity = b.step("change an entity");
    assert!(
        entity.rendered < b.pages,
        "{} of {}",
        entity.rendered,
        b.pages
    );
    b.edit(
        "content/02-later.md",
        "Ask [Rice](person:rice) about it.\n\n",
        "",
    );
    b.remove("content/people/rice.md");
    b.step("delete an entity");
    b.edit(
        PART,
        "the 2015 nuclear agreement",
        "the nuclear agreement of 2015",
    );
    b.step("change an inline entity");
    b.edit(
        "content/sources/new-yorker-interview.md",
        "kind: article",
        "kind: book",
    );
    b.step("change a source's kind (its schema.org type on other pages)");

    // A broken and a fixed front matter: nothing written while broken.
    b.edit(
        PART,
        "summary: Where it starts.",
        "summary: [Where it starts.",
    );
    let broken = b.step("break a part's YAML");
    assert!(broken.failed());
    assert_eq!(broken.written, 0);
    b.edit(
        PART,
        "summary: [Where it starts.",
        "summary: Where it starts again.",
    );
    b.step("fix the YAML");

    // A template: override, break, fix.
    let default_part = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/part.html"),
    )
    .unwrap();
    let template = "themes/default/templates/part.html";
    b.edition.write(
        template,
        &default_part.replacen("</article>", "<p>edited</p></article>", 1),
    );
    let themed = b.step("override a template");
    assert!(themed.written >= 2, "every part page changes");
    b.edition.write(template, "{% block oops %}{{ unclosed ");
    let broken = b.step("break a template");
    assert!(broken.failed());
    b.edition.write(template, &default_part);
    b.step("fix the template");

    // The edition's metadata is on every page.
    b.edit("content/_index.md", "title:", "title: The");
    let meta = b.step("change the edition title");
    assert_eq!(meta.rendered, b.pages);
}

#[test]
fn a_word_in_one_part_of_a_long_edition_rewrites_its_page_its_shard_and_the_exports() {
    let edition = Edition::many_parts(120);
    let served = edition.root().join("served");
    let mut opts = BuildOptions::new(edition.root());
    opts.out = Some(served.clone());
    let mut session = Session::new(opts);
    assert!(!session.rebuild().failed());
    let before = tree_bytes(&served);
    let part = "content/075-part.md";
    edition.write(part, &edition.read(part).replace("second", "next"));
    let outcome = session.rebuild();
    assert!(!outcome.failed());
    assert_eq!(outcome.rendered, 1, "pages rendered");
    let after = tree_bytes(&served);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(p, bytes)| before.get(*p) != Some(bytes))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(
        changed,
        [
            "075-part/index.html",
            "annotations.json",
            "search/text-0002.js"
        ]
    );
    assert_eq!(outcome.written, changed.len());
    build(&BuildOptions::new(edition.root()));
    assert!(
        after == tree_bytes(&edition.site()),
        "differs from a full build"
    );
}

#[test]
fn every_edit_to_sections_gives_the_bytes_of_a_full_build() {
    let mut b = Bench::new();
    b.step("first build");
    b.edition.write(
        "content/later/_index.md",
        "---\ntitle: Later letters\n---\nWhat came after [Zarif](person:zarif) left.\n",
    );
    b.step("add a section, empty");
    b.edition.write(
        "content/later/03-after.md",
        "---\ntitle: After\n---\nWhat [Zarif](person:zarif) did next.\n",
    );
    b.step("add a part to it");
    let again = b.step("nothing changed");
    assert_eq!((again.rendered, again.written), (0, 0));
    b.edit("content/later/03-after.md", "did next", "did after that");
    let word = b.step("a word in a part in a section");
    assert!(!word.failed());
    assert!(!word.resolved_whole, "a word resolves its part alone");
    b.edit(
        "content/later/_index.md",
        "What came after",
        "What followed",
    );
    b.step("a word in the section's introduction");
    b.edit(
        "content/later/_index.md",
        "title: Later letters",
        "title: Afterwards",
    );
    b.step("retitle the section: every page with contents changes");
    b.edit(
        "content/later/_index.md",
        "title: Afterwards",
        "title: Afterwards\nslug: after",
    );
    b.step("change the section's slug: its parts move");
    b.edition.write(
        "content/later/deeper/_index.md",
        "---\ntitle: Deeper\norder: 1\n---\n",
    );
    b.edition.write(
        "content/later/deeper/03-deep.md",
        "---\ntitle: Deep\n---\n[Crocker](person:crocker) in a nested section.\n",
    );
    b.step("add a nested section with a part, ordered first");
    b.edit(
        "content/later/_index.md",
        "title: Afterwards",
        "title: Afterwards\ndraft: true",
    );
    b.step("make the section a draft");
    b.edit("content/later/_index.md", "\ndraft: true", "");
    b.step("publish it again");
    b.edit(
        "content/later/_index.md",
        "title: Afterwards",
        "titel: Afterwards",
    );
    let broken = b.step("break the section's front matter");
    assert!(broken.failed());
    b.remove("content/later/_index.md");
    b.step("remove the section: its folder is no longer read");
    b.rename("content/later", "content/elsewhere");
    b.step("rename a folder");
}
