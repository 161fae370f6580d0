//! Export: `places.geojson`, every place with coordinates as a GeoJSON
//! FeatureCollection (RFC 7946), so a reader or a GIS can map the edition.
//!
//! Each feature's properties are the place's ID, name, description as plain
//! text, its page's path relative to the site root, and how often the text
//! mentions it. Positions are `[longitude, latitude]`, as GeoJSON orders them.

use serde::Serialize;

use crate::markdown::plain_text;
use crate::model::{Edition, EntityKind, EntityRef};

#[derive(Serialize)]
struct FeatureCollection<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    features: Vec<Feature<'a>>,
}

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    geometry: Point,
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Point {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Longitude, then latitude.
    coordinates: [f64; 2],
}

#[derive(Serialize)]
struct Properties<'a> {
    id: &'a str,
    name: &'a str,
    description: String,
    url: String,
    mentions: usize,
}

/// `places.geojson` as bytes: pretty-printed, like `annotations.json`.
pub fn to_geojson(e: &Edition) -> Vec<u8> {
    let features = (e.places.iter().enumerate())
        .filter_map(|(i, p)| {
            let c = p.coordinates?;
            let r = EntityRef {
                kind: EntityKind::Place,
                index: i as u32,
            };
            Some(Feature {
                kind: "Feature",
                geometry: Point {
                    kind: "Point",
                    coordinates: [c.lon, c.lat],
                },
                properties: Properties {
                    id: &p.id,
                    name: &p.name,
                    description: plain_text(&p.description),
                    url: e.entity_url(r),
                    mentions: p.mentions.len(),
                },
            })
        })
        .collect();
    let collection = FeatureCollection {
        kind: "FeatureCollection",
        features,
    };
    let mut bytes = serde_json::to_vec_pretty(&collection).expect("plain data always serializes");
    bytes.push(b'\n');
    bytes
}
