//! The floor for the benchmarks in `benches/`: what it costs only to read,
//! parse and render every Markdown file of a content folder with
//! pulldown-cmark, in parallel, with no annotations, templates or links.
//!
//! ```text
//! cargo run --release --example md_floor -- CONTENT_DIR OUT_DIR
//! ```
//!
//! Each `.md` file (front matter stripped) becomes `OUT_DIR/<slug>/index.html`,
//! where the slug is the file's path below CONTENT_DIR without its extension
//! and without a leading `NN-` order prefix; `_index.md` becomes
//! `OUT_DIR/index.html`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

/// The Markdown options glossator renders with.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The body of a file with YAML front matter between `---` lines.
fn strip_front_matter(text: &str) -> &str {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return text;
    };
    let mut pos = 0;
    for line in rest.split_inclusive('\n') {
        pos += line.len();
        if line.trim_end() == "---" {
            return &rest[pos..];
        }
    }
    text
}

fn slug_for(content: &Path, file: &Path) -> PathBuf {
    let rel = file
        .strip_prefix(content)
        .unwrap_or(file)
        .with_extension("");
    let mut out = PathBuf::new();
    let parts: Vec<_> = rel.iter().collect();
    for (i, c) in parts.iter().enumerate() {
        let c = c.to_string_lossy();
        if i + 1 < parts.len() {
            out.push(c.as_ref());
            continue;
        }
        if c == "_index" {
            break;
        }
        let stem = match c.split_once('-') {
            Some((n, rest))
                if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty() =>
            {
                rest
            }
            _ => c.as_ref(),
        };
        out.push(stem);
    }
    out
}

fn render(content: &Path, out: &Path, file: &Path) -> std::io::Result<()> {
    let text = fs::read_to_string(file)?;
    let body = strip_front_matter(&text);
    let mut html_out = String::with_capacity(body.len() * 3 / 2 + 128);
    html_out.push_str("<!DOCTYPE html>\n<html><body>\n");
    html::push_html(&mut html_out, Parser::new_ext(body, options()));
    html_out.push_str("</body></html>\n");
    let dir = out.join(slug_for(content, file));
    fs::create_dir_all(&dir)?;
    fs::write(dir.join("index.html"), html_out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [content, out] = args.as_slice() else {
        eprintln!("usage: md_floor CONTENT_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    let content = Path::new(content);
    let out = Path::new(out);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let result = files
        .par_iter()
        .try_for_each(|f| render(content, out, f).map_err(|e| format!("{}: {e}", f.display())));
    match result {
        Ok(()) => {
            eprintln!("md_floor: {} pages", files.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("md_floor: {e}");
            ExitCode::FAILURE
        }
    }
}
