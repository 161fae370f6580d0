//! Export: `sitemap.xml` and `robots.txt`, written when the site's public URL
//! is known (`--base-url`), since both must name absolute URLs.

use crate::model::Edition;
use crate::render::{PageSpec, RenderOptions, esc, page_specs};
use crate::site_paths::absolute;

/// Every page but the 404 page, by its public URL.
pub fn sitemap(e: &Edition, opts: &RenderOptions, base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for spec in page_specs(e, opts) {
        if spec == PageSpec::NotFound {
            continue;
        }
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            esc(&absolute(base, &spec.path(e)))
        ));
    }
    out.push_str("</urlset>\n");
    out
}

/// Allows everything and names the sitemap.
pub fn robots(base: &str) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        absolute(base, crate::site_paths::SITEMAP)
    )
}
