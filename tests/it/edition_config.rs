//! An editor's own edition: `glossator.toml` and how flags override it, the
//! edition folder as a positional argument, and the files copied beside the
//! pages (from `content/` and `static/`).

use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

use crate::harness::{Edition, Run};

/// Runs `glossator ARGS` as given, from a neutral working folder.
fn glossator<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let cwd = tempfile::tempdir().unwrap();
    let out: Output = Command::cargo_bin("glossator")
        .unwrap()
        .current_dir(cwd.path())
        .args(args)
        .output()
        .unwrap();
    Run(out)
}

/// A tiny valid PNG of `width` × `height` pixels (one grey channel).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend(kind);
        out.extend(data);
        let crc = crc32(&out[start..]);
        out.extend(crc.to_be_bytes());
    }
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
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    // Uncompressed deflate ("stored" blocks) of the scanlines: a filter byte
    // then one byte per pixel, per row.
    let raw: Vec<u8> = (0..height)
        .flat_map(|_| std::iter::once(0).chain(std::iter::repeat_n(0x80, width as usize)))
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
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn the_config_file_sets_the_output_base_url_and_epub() {
    let ed = Edition::fixture("basic");
    ed.write(
        "glossator.toml",
        "base_url = \"https://example.org/ed/\"\noutput = \"public\"\nepub = true\n",
    );
    ed.build().success();
    let public = ed.root().join("public");
    assert!(public.join("index.html").is_file());
    assert!(!ed.site().exists(), "the default output was written too");
    assert!(public.join("sitemap.xml").is_file());
    let epubs = fs::read_dir(&public)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some(OsStr::new("epub")))
        .count();
    assert_eq!(epubs, 1);
    let index = fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        index.contains("https://example.org/ed/"),
        "no canonical URL"
    );
}

#[test]
fn flags_win_over_the_config_file() {
    let ed = Edition::fixture("basic");
    ed.write(
        "glossator.toml",
        "base_url = \"https://example.org/ed/\"\noutput = \"public\"\ntheme = \"missing\"\n",
    );
    // The file names a theme that does not exist: the build fails on it...
    let run = ed.build();
    run.failure();
    assert!(run.stderr().contains("missing"), "{}", run.stderr());
    // ...unless the flag names another.
    let other = ed.root().join("elsewhere");
    ed.run(&[
        "build",
        "--theme",
        "default",
        "--out",
        other.to_str().unwrap(),
        "--base-url",
        "https://other.example/",
    ])
    .success();
    assert!(!ed.root().join("public").exists());
    let sitemap = fs::read_to_string(other.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://other.example/"), "{sitemap}");
    assert!(!sitemap.contains("example.org/ed"), "{sitemap}");
}

#[test]
fn strict_in_the_config_file_makes_warnings_errors() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/people/unmentioned.md",
        "---\nname: Nobody Mentioned\ndescription: Never mentioned in the text.\n---\n",
    );
    ed.build().success();
    ed.write("glossator.toml", "strict = true\n");
    let run = ed.build();
    run.failure();
    assert!(run.stderr().contains("Nobody Mentioned") || run.stderr().contains("unmentioned"));
}

#[test]
fn a_config_error_is_located_in_check_and_serve_too() {
    let ed = Edition::fixture("basic");
    ed.write("glossator.toml", "strict = 1\n");
    let check = ed.run(&["check"]);
    check.failure();
    assert!(
        check
            .stderr()
            .contains("glossator.toml:1:10: error: invalid type: integer `1`, expected a boolean"),
        "{}",
        check.stderr()
    );
    let serve = ed.run(&["serve", "--port", "0"]);
    assert_eq!(serve.code(), 1, "{}", serve.stderr());
    assert!(
        serve.stderr().contains("glossator.toml:1:10"),
        "{}",
        serve.stderr()
    );
}

#[test]
fn the_edition_folder_may_be_given_as_an_argument() {
    let ed = Edition::fixture("basic");
    glossator([OsStr::new("check"), ed.root().as_os_str()]).success();
    assert!(!ed.site().exists(), "check wrote a site");
    glossator([OsStr::new("build"), ed.root().as_os_str()]).success();
    assert!(ed.site().join("index.html").is_file());
    // Both at once is ambiguous.
    let both = glossator([
        OsStr::new("build"),
        ed.root().as_os_str(),
        OsStr::new("--root"),
        ed.root().as_os_str(),
    ]);
    assert_eq!(both.code(), 2, "{}", both.stderr());
}

#[test]
fn a_new_edition_has_a_config_file_its_schema_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let ed = dir.path().join("mine");
    glossator([OsStr::new("new"), ed.as_os_str()]).success();
    let text = fs::read_to_string(ed.join("glossator.toml")).unwrap();
    assert!(
        text.starts_with("#:schema ./schemas/config.schema.json\n"),
        "{text}"
    );
    assert!(ed.join("schemas/config.schema.json").is_file());
    let data: Value = toml::from_str(&text).unwrap();
    let schema = config_schema();
    assert!(jsonschema::is_valid(&schema, &data), "{data}");
    let misspelt: Value = toml::from_str("bse_url = \"https://x.org/\"").unwrap();
    assert!(!jsonschema::is_valid(&schema, &misspelt));
    let wrong: Value = toml::from_str("epub = \"yes\"").unwrap();
    assert!(!jsonschema::is_valid(&schema, &wrong));
    glossator([OsStr::new("build"), OsStr::new("--strict"), ed.as_os_str()]).success();
}

fn config_schema() -> Value {
    let run = glossator(["schema", "config"]);
    run.success();
    serde_json::from_str(&run.stdout()).unwrap()
}

#[test]
fn the_config_schema_lists_every_key() {
    let schema = config_schema();
    assert_eq!(schema["additionalProperties"], false);
    let keys: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "base_url",
            "drafts",
            "epub",
            "output",
            "search",
            "strict",
            "tei",
            "theme",
            "web_annotations"
        ]
    );
    assert_eq!(schema["properties"]["epub"]["type"], "boolean");
    let search = &schema["definitions"]["SearchConfig"];
    assert_eq!(search["additionalProperties"], false);
    assert_eq!(search["properties"]["enabled"]["type"], "boolean");
    assert_eq!(search["properties"]["enabled"]["default"], true);
}

#[test]
fn search_can_be_turned_off_leaving_no_page_script_or_box() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    assert!(ed.site().join("search/index.html").is_file());
    assert!(ed.site().join("static/search.js").is_file());
    let with_box = ed.page("index.html");
    assert_eq!(
        with_box
            .select(&crate::harness::sel("form.search-form"))
            .count(),
        1
    );

    ed.write("glossator.toml", "[search]\nenabled = false\n");
    ed.build().success();
    let site = ed.site();
    for gone in ["search", "search-index.js", "static/search.js"] {
        assert!(!site.join(gone).exists(), "{gone}");
    }
    for (path, page) in crate::harness::html_pages(&site) {
        assert_eq!(
            page.select(&crate::harness::sel(
                "form.search-form, a[href*=\"search/\"], script[src*=\"search\"]"
            ))
            .count(),
            0,
            "{path}"
        );
    }
    let sitemap = fs::read_to_string(site.join("sitemap.xml")).unwrap_or_default();
    assert!(!sitemap.contains("/search/"), "{sitemap}");

    ed.write("glossator.toml", "[search]\nenabled = \"no\"\n");
    let run = ed.build();
    run.failure();
    assert!(
        run.stderr().contains("glossator.toml:2:11: error:"),
        "{}",
        run.stderr()
    );
    ed.write("glossator.toml", "[search]\nenable = false\n");
    let run = ed.build();
    run.failure();
    assert!(
        run.stderr().contains("did you mean `enabled`?"),
        "{}",
        run.stderr()
    );
}

#[test]
fn files_beside_the_text_and_in_static_are_copied() {
    let ed = Edition::fixture("basic");
    let image = png(4, 3);
    ed.write("content/.DS_Store", "junk");
    ed.write("content/.git/config", "[core]\n");
    ed.write(
        "static/.well-known/security.txt",
        "Contact: mailto:editor@example.org\n",
    );
    fs::create_dir_all(ed.root().join("content/img")).unwrap();
    fs::write(ed.root().join("content/img/map.png"), &image).unwrap();
    ed.write("content/people/crocker.pdf", "%PDF-1.4 not really\n");
    ed.write("static/CNAME", "edition.example.org\n");
    ed.write("static/.nojekyll", "");
    ed.build().success();
    let site = ed.site();
    assert_eq!(fs::read(site.join("img/map.png")).unwrap(), image);
    assert!(site.join("people/crocker.pdf").is_file());
    assert_eq!(
        fs::read_to_string(site.join("CNAME")).unwrap(),
        "edition.example.org\n"
    );
    assert!(site.join(".nojekyll").is_file());
    assert!(
        !site.join(".git").exists(),
        "a hidden folder of content/ was copied"
    );
    assert!(site.join(".well-known/security.txt").is_file());
    assert!(
        !site.join(".DS_Store").exists(),
        "a hidden file of content/ was copied"
    );
    assert!(
        !site.join("01-beginnings.md").exists(),
        "a Markdown source was copied"
    );
}

#[cfg(unix)]
#[test]
fn an_unchanged_copied_file_keeps_its_time_and_a_changed_one_is_replaced() {
    use std::os::unix::fs::MetadataExt;
    let ed = Edition::fixture("basic");
    ed.write("static/CNAME", "a.example.org\n");
    ed.write("content/notes.txt", "first\n");
    ed.build().success();
    let inode = |p: &str| fs::metadata(ed.site().join(p)).unwrap().ino();
    let (cname, notes) = (inode("CNAME"), inode("notes.txt"));
    ed.write("content/notes.txt", "second\n");
    ed.build().success();
    assert_eq!(inode("CNAME"), cname, "an unchanged file was written again");
    assert_ne!(inode("notes.txt"), notes);
    assert_eq!(
        fs::read_to_string(ed.site().join("notes.txt")).unwrap(),
        "second\n"
    );
}

#[test]
fn a_static_file_may_not_replace_a_generated_one_or_a_content_file() {
    let ed = Edition::fixture("basic");
    ed.write("static/citations.bib", "@misc{x}\n");
    ed.write("static/img/a.txt", "one\n");
    ed.write("content/img/a.txt", "two\n");
    let run = ed.build();
    run.failure();
    let stderr = run.stderr();
    assert!(
        stderr.contains("static/citations.bib collides with the generated file citations.bib"),
        "{stderr}"
    );
    assert!(
        stderr.contains("static/img/a.txt collides with content/img/a.txt"),
        "{stderr}"
    );
    // robots.txt is generated only with a base URL: without one, an editor's own is copied.
    let ed = Edition::fixture("basic");
    ed.write("static/robots.txt", "User-agent: *\n");
    ed.build().success();
    assert!(ed.site().join("robots.txt").is_file());
    ed.run(&["build", "--base-url", "https://example.org/"])
        .failure();
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_edition_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "private\n").unwrap();
    let ed = Edition::fixture("basic");
    fs::create_dir_all(ed.root().join("static")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        ed.root().join("static/secret.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), ed.root().join("content/linked")).unwrap();
    let run = ed.build();
    run.failure();
    let stderr = run.stderr();
    assert!(
        stderr.contains(
            "cannot copy static/secret.txt: it is a symbolic link to a file outside `static/`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot copy content/linked/secret.txt"),
        "{stderr}"
    );
    assert!(!ed.site().exists());
    // A link that stays inside the edition's folder is fine.
    fs::remove_file(ed.root().join("static/secret.txt")).unwrap();
    fs::remove_file(ed.root().join("content/linked")).unwrap();
    ed.write("static/real.txt", "shared\n");
    std::os::unix::fs::symlink(Path::new("real.txt"), ed.root().join("static/alias.txt")).unwrap();
    ed.build().success();
    assert_eq!(
        fs::read_to_string(ed.site().join("alias.txt")).unwrap(),
        "shared\n"
    );
}

/// The basic edition with `content/img/map.png` (40 × 30) and a part that
/// shows it.
fn with_images(part: &str) -> Edition {
    let ed = Edition::fixture("basic");
    fs::create_dir_all(ed.root().join("content/img")).unwrap();
    fs::write(ed.root().join("content/img/map.png"), png(40, 30)).unwrap();
    ed.write("content/people/crocker.pdf", "%PDF-1.4\n");
    ed.write(
        "content/03-images.md",
        &format!("---\ntitle: Images\n---\n{part}"),
    );
    ed
}

#[test]
fn images_get_their_size_lazy_loading_and_a_path_from_the_site_root() {
    let ed = with_images(
        "Before ![A map of the Gulf](img/map.png) after, and [the letter](people/crocker.pdf#page=2).\n\n\
         ![The Gulf](img/map.png \"The Gulf in 2003\")\n\nAn ![outside image](https://example.org/x.png \"far\").\n",
    );
    ed.build().success();
    let page = ed.page("03-images/index.html");
    let imgs: Vec<_> = page.select(&crate::harness::sel("img")).collect();
    assert_eq!(imgs.len(), 3);
    let inline = imgs[0].value();
    assert_eq!(inline.attr("src"), Some("../img/map.png"));
    assert_eq!(inline.attr("alt"), Some("A map of the Gulf"));
    assert_eq!(
        (inline.attr("width"), inline.attr("height")),
        (Some("40"), Some("30"))
    );
    assert_eq!(inline.attr("loading"), Some("lazy"));
    let figure = page
        .select(&crate::harness::sel("figure > img + figcaption"))
        .next()
        .expect("a lone image with a title is a figure");
    assert_eq!(figure.text().collect::<String>(), "The Gulf in 2003");
    assert_eq!(imgs[1].value().attr("alt"), Some("The Gulf"));
    assert_eq!(
        imgs[1].value().attr("title"),
        None,
        "the caption is not repeated"
    );
    let outside = imgs[2].value();
    assert_eq!(outside.attr("src"), Some("https://example.org/x.png"));
    assert_eq!(
        (outside.attr("width"), outside.attr("title")),
        (None, Some("far"))
    );
    let link = page
        .select(&crate::harness::sel("a[href$='crocker.pdf#page=2']"))
        .next()
        .expect("the link to the file");
    assert_eq!(
        link.value().attr("href"),
        Some("../people/crocker.pdf#page=2")
    );
    // No figure inside a paragraph, no paragraph around a figure.
    assert_eq!(
        page.select(&crate::harness::sel("p figure, p > p")).count(),
        0
    );
}

#[test]
fn a_missing_image_or_file_is_an_error_with_a_suggestion() {
    let ed = with_images(
        "Text.\n\n![A map](img/mapp.png)\n\nSee [the letter](people/croker.pdf) and ![x](../../etc/passwd).\n",
    );
    let run = ed.build();
    run.failure();
    let stderr = run.stderr();
    assert!(
        stderr.contains("content/03-images.md:6:1: error: image `img/mapp.png` names content/img/mapp.png, which does not exist"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `img/map.png`?"), "{stderr}");
    assert!(
        stderr.contains(
            "error: link `people/croker.pdf` names content/people/croker.pdf, which does not exist"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `people/crocker.pdf`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: image `../../etc/passwd` points outside `content/`"),
        "{stderr}"
    );
    assert!(!ed.site().exists());
}

#[test]
fn an_image_without_alt_text_is_a_warning_and_an_error_under_strict() {
    let ed = with_images("Text.\n\n![](img/map.png)\n");
    let run = ed.build();
    run.success();
    assert!(
        run.stderr()
            .contains("content/03-images.md:6:1: warning: image without alt text"),
        "{}",
        run.stderr()
    );
    ed.run(&["build", "--strict"]).failure();
}

#[test]
fn the_cover_image_and_a_portrait_are_shown_with_their_size() {
    let ed = with_images("Text.\n");
    let index = ed.read("content/_index.md");
    let index = index.replacen(
        "---\n",
        "---\ncover_image: img/map.png\ncover_alt: A map of the Gulf\n",
        1,
    );
    ed.write("content/_index.md", &index);
    fs::write(ed.root().join("content/people/rice.jpg.png"), png(20, 25)).unwrap();
    ed.write(
        "content/people/rice.md",
        "---\nname: Condoleezza Rice\ndescription: National security adviser.\nimage: rice.jpg.png\nimage_alt: Rice at a lectern\nimage_credit: \"Photo: <Archive> & Co\"\n---\n",
    );
    ed.run(&["build", "--base-url", "https://example.org/ed/"])
        .success();
    let cover = ed.page("index.html");
    let img = cover
        .select(&crate::harness::sel("figure.cover-image img"))
        .next()
        .expect("the cover image");
    assert_eq!(img.value().attr("src"), Some("img/map.png"));
    assert_eq!(img.value().attr("alt"), Some("A map of the Gulf"));
    assert_eq!(
        (img.value().attr("width"), img.value().attr("height")),
        (Some("40"), Some("30"))
    );
    let og = |page: &scraper::Html, p: &str| {
        page.select(&crate::harness::sel(&format!("meta[property='{p}']")))
            .next()
            .and_then(|m| m.value().attr("content").map(str::to_string))
    };
    assert_eq!(
        og(&cover, "og:image").as_deref(),
        Some("https://example.org/ed/img/map.png")
    );
    assert_eq!(
        og(&cover, "og:image:alt").as_deref(),
        Some("A map of the Gulf")
    );
    let person = ed.page("people/rice/index.html");
    let img = person
        .select(&crate::harness::sel("figure.entity-image img"))
        .next()
        .expect("the portrait");
    assert_eq!(img.value().attr("src"), Some("../../people/rice.jpg.png"));
    assert_eq!(
        (img.value().attr("width"), img.value().attr("height")),
        (Some("20"), Some("25"))
    );
    let credit: String = person
        .select(&crate::harness::sel("figure.entity-image figcaption"))
        .flat_map(|c| c.text())
        .collect();
    assert_eq!(credit, "Photo: <Archive> & Co");
    let html = fs::read_to_string(ed.site().join("people/rice/index.html")).unwrap();
    assert!(
        html.contains("Photo: &lt;Archive&gt; &amp; Co"),
        "the credit is escaped"
    );
    assert_eq!(
        og(&person, "og:image").as_deref(),
        Some("https://example.org/ed/people/rice.jpg.png")
    );
    // Other pages show the cover in previews.
    let part = ed.page("03-images/index.html");
    assert_eq!(
        og(&part, "og:image").as_deref(),
        Some("https://example.org/ed/img/map.png")
    );
}

#[test]
fn a_missing_cover_or_portrait_is_an_error_and_no_alt_a_warning() {
    let ed = with_images("Text.\n");
    let index = ed.read("content/_index.md");
    ed.write(
        "content/_index.md",
        &index.replacen("---\n", "---\ncover_image: img/mapp.png\n", 1),
    );
    ed.write(
        "content/people/rice.md",
        "---\nname: Condoleezza Rice\ndescription: National security adviser.\nimage: people/crocker.pdf\n---\n",
    );
    let run = ed.build();
    run.failure();
    let stderr = run.stderr();
    assert!(
        stderr.contains("content/_index.md:2:14: error: image `img/mapp.png` names content/img/mapp.png, which does not exist"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `img/map.png`?"), "{stderr}");
    assert!(
        stderr.contains("content/_index.md:2:14: warning: image without alt text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/people/rice.md:4:8: error: image `people/crocker.pdf` names content/people/people/crocker.pdf"),
        "{stderr}"
    );
}

#[test]
fn a_place_and_an_organisation_show_their_image() {
    let ed = with_images(
        "In [Baghdad](place:baghdad), the [Foreign Office](org:foreign-office) wrote.\n",
    );
    ed.write(
        "content/places/baghdad.md",
        "---\nname: Baghdad\ndescription: The capital of Iraq.\nimage: baghdad.png\nimage_alt: The Tigris at Baghdad\nimage_credit: Placeholder image\n---\n",
    );
    fs::write(ed.root().join("content/places/baghdad.png"), png(30, 20)).unwrap();
    ed.write(
        "content/organisations/foreign-office.md",
        "---\nname: Foreign Office\ndescription: The British foreign ministry.\nimage: ../img/map.png\nimage_alt: A map of the Gulf\n---\n",
    );
    ed.run(&["build", "--base-url", "https://example.org/ed/"])
        .success();
    let image = |page: &scraper::Html| {
        let img = page
            .select(&crate::harness::sel("figure.entity-image img"))
            .next()
            .expect("the entity's image");
        let v = img.value();
        (
            v.attr("src").map(str::to_string),
            v.attr("alt").map(str::to_string),
            v.attr("width").map(str::to_string),
            v.attr("height").map(str::to_string),
        )
    };
    let og_image = |page: &scraper::Html| {
        page.select(&crate::harness::sel("meta[property='og:image']"))
            .next()
            .and_then(|m| m.value().attr("content").map(str::to_string))
    };
    let place = ed.page("places/baghdad/index.html");
    assert_eq!(
        image(&place),
        (
            Some("../../places/baghdad.png".into()),
            Some("The Tigris at Baghdad".into()),
            Some("30".into()),
            Some("20".into())
        )
    );
    let credit: String = place
        .select(&crate::harness::sel("figure.entity-image figcaption"))
        .flat_map(|c| c.text())
        .collect();
    assert_eq!(credit, "Placeholder image");
    assert_eq!(
        og_image(&place).as_deref(),
        Some("https://example.org/ed/places/baghdad.png")
    );
    assert!(ed.site().join("places/baghdad.png").is_file());
    let org = ed.page("organisations/foreign-office/index.html");
    assert_eq!(
        image(&org),
        (
            Some("../../img/map.png".into()),
            Some("A map of the Gulf".into()),
            Some("40".into()),
            Some("30".into())
        )
    );
    assert_eq!(
        og_image(&org).as_deref(),
        Some("https://example.org/ed/img/map.png")
    );
}

#[test]
fn a_missing_place_or_organisation_image_is_an_error() {
    let ed = with_images(
        "In [Baghdad](place:baghdad), the [Foreign Office](org:foreign-office) wrote.\n",
    );
    ed.write(
        "content/places/baghdad.md",
        "---\nname: Baghdad\ndescription: The capital of Iraq.\nimage: bagdad.png\nimage_alt: The Tigris\n---\n",
    );
    fs::write(ed.root().join("content/places/baghdad.png"), png(30, 20)).unwrap();
    ed.write(
        "content/organisations/foreign-office.md",
        "---\nname: Foreign Office\ndescription: The British foreign ministry.\nimage: ../img/map.png\n---\n",
    );
    let run = ed.build();
    run.failure();
    let stderr = run.stderr();
    assert!(
        stderr.contains("content/places/baghdad.md:4:8: error: image `bagdad.png` names content/places/bagdad.png, which does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/organisations/foreign-office.md:4:8: warning: image without alt text"
        ),
        "{stderr}"
    );
}

#[test]
fn the_committed_config_schema_is_current() {
    let committed: Value = serde_json::from_str(
        &fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/config.schema.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        committed,
        config_schema(),
        "docs/config.schema.json is stale: run `glossator schema config > docs/config.schema.json`"
    );
}

/// `tests/fixtures/edition`: a config file, images in the text, a figure, a
/// cover, a portrait, a file linked from the preface and `static/`.
#[test]
fn the_fixture_edition_builds_strictly_with_its_images_and_files() {
    let ed = Edition::fixture("edition");
    // glossator.toml asks for --strict, a base URL and the EPUB.
    let run = ed.build();
    run.success();
    assert!(run.stdout().contains("0 warnings"), "{}", run.stdout());
    let site = ed.site();
    for file in [
        "CNAME",
        ".nojekyll",
        "sitemap.xml",
        "images/cover.png",
        "images/map.png",
        "images/stamp.png",
        "images/transcription.txt",
        "people/crocker.png",
        "letters-from-the-gulf.epub",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    // Every image of every page names a file of the site and has its size.
    for (path, page) in crate::harness::html_pages(&site) {
        for img in page.select(&crate::harness::sel("img")) {
            let src = img.value().attr("src").unwrap();
            let (target, _) = crate::harness::resolve_href(&path, src).expect("a relative src");
            assert!(site.join(&target).is_file(), "{path}: {src}");
            assert!(img.value().attr("width").is_some(), "{path}: {src}");
            assert!(img.value().attr("height").is_some(), "{path}: {src}");
        }
    }
    let part = ed.page("02-second-letter/index.html");
    assert_eq!(
        part.select(&crate::harness::sel("figure > figcaption"))
            .count(),
        1
    );
    // The EPUB holds the images, with their media type, the cover marked.
    let epub = fs::read(site.join("letters-from-the-gulf.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut opf = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("EPUB/package.opf").unwrap(), &mut opf).unwrap();
    assert_eq!(opf.matches("media-type=\"image/png\"").count(), 4, "{opf}");
    assert_eq!(
        opf.matches("properties=\"cover-image\"").count(),
        1,
        "{opf}"
    );
    let mut chapter = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("EPUB/part-1.xhtml").unwrap(), &mut chapter)
        .unwrap();
    assert!(chapter.contains("<img src=\"images/"), "{chapter}");
    for i in 0..zip.len() {
        let name = zip.by_index(i).unwrap().name().to_string();
        if let Some(href) = name.strip_prefix("EPUB/images/") {
            assert!(
                opf.contains(&format!("href=\"images/{href}\"")),
                "{name} not in the manifest"
            );
        }
    }
}

/// The basic edition with a draft part that mentions a draft person.
fn with_drafts() -> Edition {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/03-unfinished.md",
        "---\ntitle: Unfinished\ndraft: true\n---\nNot ready: [Rice](person:rice) said so.\n",
    );
    ed.write(
        "content/people/rice.md",
        "---\nname: Condoleezza Rice\ndescription: National security adviser.\ndraft: true\n---\n",
    );
    ed
}

#[test]
fn drafts_are_left_out_of_the_build_and_its_exports() {
    let ed = with_drafts();
    let run = ed.build();
    run.success();
    assert!(run.stdout().contains("(2 parts;"), "{}", run.stdout());
    assert!(
        run.stdout().contains("2 drafts left out"),
        "{}",
        run.stdout()
    );
    assert!(!ed.site().join("03-unfinished").exists());
    assert!(!ed.site().join("people/rice").exists());
    for file in [
        "annotations.json",
        "search-index.js",
        "index.html",
        "people/index.html",
    ] {
        let text = fs::read_to_string(ed.site().join(file)).unwrap();
        assert!(
            !text.contains("Unfinished") && !text.contains("Condoleezza"),
            "{file}"
        );
    }
    // No page marks itself a draft.
    for (path, page) in crate::harness::html_pages(&ed.site()) {
        assert_eq!(
            page.select(&crate::harness::sel(".draft-banner")).count(),
            0,
            "{path}"
        );
    }
}

#[test]
fn drafts_are_built_and_marked_when_asked_for() {
    for how in ["flag", "config"] {
        let ed = with_drafts();
        let run = match how {
            "flag" => ed.run(&["build", "--drafts"]),
            _ => {
                ed.write("glossator.toml", "drafts = true\n");
                ed.build()
            }
        };
        run.success();
        assert!(
            run.stdout().contains("(3 parts;"),
            "{how}: {}",
            run.stdout()
        );
        assert!(
            !run.stdout().contains("left out"),
            "{how}: {}",
            run.stdout()
        );
        for page in ["03-unfinished/index.html", "people/rice/index.html"] {
            let banner = ed
                .page(page)
                .select(&crate::harness::sel("main > .draft-banner"))
                .count();
            assert_eq!(banner, 1, "{how}: {page}");
        }
        let published = ed.page("01-beginnings/index.html");
        assert_eq!(
            published
                .select(&crate::harness::sel(".draft-banner"))
                .count(),
            0
        );
    }
}

#[test]
fn a_published_mention_of_a_draft_entity_is_an_error_naming_both() {
    let ed = with_drafts();
    ed.write(
        "content/04-published.md",
        "---\ntitle: Published\n---\nAs [Rice](person:rice) put it.\n",
    );
    let run = ed.build();
    run.failure();
    let stderr = run.stderr();
    assert!(
        stderr.contains("content/04-published.md:4:4: error: mention of person `rice`, which is a draft (content/people/rice.md)"),
        "{stderr}"
    );
    assert!(stderr.contains("marked `draft: true`"), "{stderr}");
    assert!(
        !stderr.contains("unknown"),
        "a second, misleading error: {stderr}"
    );
    ed.run(&["build", "--drafts"]).success();
}
