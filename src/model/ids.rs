//! Typed indices into the edition's vectors, and the traits that let
//! `edition[id]` find the thing an id names.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

use super::{
    Claim, Edition, EntityKind, EntityRef, Mention, Organisation, Part, Person, Place, Section,
    Source, Term,
};

/// The index of one `T` in the edition's vector of them: a person, a part,
/// a mention. Typed, so a claim's index cannot be read as a source's;
/// `edition[id]` is the thing itself.
pub struct Id<T>(u32, PhantomData<fn() -> T>);

pub type PersonId = Id<Person>;
pub type SourceId = Id<Source>;
pub type ClaimId = Id<Claim>;
pub type PlaceId = Id<Place>;
pub type OrganisationId = Id<Organisation>;
pub type MentionId = Id<Mention>;
pub type PartId = Id<Part>;
pub type SectionId = Id<Section>;

impl<T> Id<T> {
    pub const fn new(index: u32) -> Self {
        Id(index, PhantomData)
    }

    /// From a position in the vector, which holds fewer than `u32::MAX` items.
    pub fn at(index: usize) -> Self {
        Id::new(index as u32)
    }

    /// The number the exports write.
    pub const fn get(self) -> u32 {
        self.0
    }

    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

// By hand: derived impls would ask `T` for the same traits.
impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<T> Eq for Id<T> {}
impl<T> PartialOrd for Id<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Id<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}
/// Hashes as the bare index did, so fingerprints do not change with the type.
impl<T> Hash for Id<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}
impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What the edition holds a vector of, so that `edition[id]` finds it.
pub trait Stored: Sized {
    fn all(e: &Edition) -> &[Self];
    fn all_mut(e: &mut Edition) -> &mut [Self];
}

/// An entity struct, tied to its line of the kind list.
pub trait Entity: Stored {
    const KIND: EntityKind;
}

macro_rules! stored {
    ($($ty:ty => $field:ident $(as $kind:ident)?),* $(,)?) => {$(
        impl Stored for $ty {
            fn all(e: &Edition) -> &[Self] {
                &e.$field
            }
            fn all_mut(e: &mut Edition) -> &mut [Self] {
                &mut e.$field
            }
        }
        $(impl Entity for $ty {
            const KIND: EntityKind = EntityKind::$kind;
        })?
    )*};
}

stored! {
    Person => people as Person,
    Source => sources as Source,
    Claim => claims as Claim,
    Term => terms as Term,
    Place => places as Place,
    Organisation => organisations as Organisation,
    Mention => mentions,
    Part => parts,
    Section => sections,
}

impl<T: Stored> Index<Id<T>> for Edition {
    type Output = T;
    fn index(&self, id: Id<T>) -> &T {
        &T::all(self)[id.index()]
    }
}

impl<T: Stored> IndexMut<Id<T>> for Edition {
    fn index_mut(&mut self, id: Id<T>) -> &mut T {
        &mut T::all_mut(self)[id.index()]
    }
}

/// A kind's own vector by id, for when the rest of the edition is borrowed
/// apart from it (filling one kind's back-links while reading another's).
impl<T> Index<Id<T>> for Vec<T> {
    type Output = T;
    fn index(&self, id: Id<T>) -> &T {
        &self[id.index()]
    }
}

impl<T> IndexMut<Id<T>> for Vec<T> {
    fn index_mut(&mut self, id: Id<T>) -> &mut T {
        &mut self[id.index()]
    }
}

impl<T: Entity> From<Id<T>> for EntityRef {
    fn from(id: Id<T>) -> Self {
        EntityRef {
            kind: T::KIND,
            index: id.get(),
        }
    }
}
