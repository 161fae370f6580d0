//! Render: the view of each page kind that has more than a few lines of
//! building, one file each (the cover, editor's pages, search, timeline and
//! 404 views are small and stay in `render`).

mod entity;
mod kind_index;
pub mod part;
pub mod section;
