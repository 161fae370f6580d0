//! Render stage: the images named in front matter (the cover, the image of
//! a person, place or organisation) as views for the templates, with the size read from the file.

use serde::Serialize;

use crate::files::{self, Files};
use crate::model::FrontImage;

/// An image for a template: `src` relative to the page, the size when the
/// file's header gave it (so the text does not move as it loads).
#[derive(Debug, Serialize)]
pub struct ImageView<'a> {
    pub src: String,
    pub alt: &'a str,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub credit: Option<&'a str>,
}

/// The view of `image` on a page `root` away from the site root; `None` if
/// its path names no file of the edition (already reported by resolve).
pub fn view<'a>(image: &'a FrontImage, files: &Files, root: &str) -> Option<ImageView<'a>> {
    let target = files::front_image_target(image)?;
    let size = files.get(&target).and_then(|f| f.size);
    Some(ImageView {
        src: format!("{root}{target}"),
        alt: image.alt.as_deref().unwrap_or(""),
        width: size.map(|s| s.0),
        height: size.map(|s| s.1),
        credit: image.credit.as_deref(),
    })
}
