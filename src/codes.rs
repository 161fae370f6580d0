//! Diagnostics, shared vocabulary: the stable code of every kind of problem.
//!
//! A code names what went wrong, not how the message is worded, so an editor
//! integration, a CI script or a search in `docs/errors.md` keeps working when
//! a message is improved. Codes are printed as `glossator::NAME` and handed to
//! miette through `Diagnostic::code`. Every code is listed in `docs/errors.md`
//! (a test checks it), so [`Code::ALL`] is the one list to extend.

/// The pipeline stage a problem belongs to. Diagnostics are shown stage by
/// stage, so a file that fails to parse is reported before what it breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Options,
    Load,
    Parse,
    Resolve,
    Render,
    Write,
}

macro_rules! codes {
    ($($stage:ident { $($variant:ident => $name:literal,)* })*) => {
        /// What kind of problem a diagnostic reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($($variant,)*)*
        }

        impl Code {
            /// Every code, in the order of `docs/errors.md`.
            pub const ALL: &[Code] = &[$($(Code::$variant,)*)*];

            /// The name after `glossator::`, in kebab case.
            pub fn name(self) -> &'static str {
                match self {
                    $($(Code::$variant => $name,)*)*
                }
            }

            /// The stage whose problems this code reports.
            pub fn stage(self) -> Stage {
                match self {
                    $($(Code::$variant => Stage::$stage,)*)*
                }
            }
        }
    };
}

codes! {
    // Files (load)
    Load {
        NoContentFolder => "no-content-folder",
        MissingIndex => "missing-index",
        NotUtf8 => "not-utf8",
        FileTooLarge => "file-too-large",
        UnreadableFile => "unreadable-file",
        NotAFile => "not-a-file",
        SymlinkLoop => "symlink-loop",
        DanglingSymlink => "dangling-symlink",
        UnreadFolder => "unread-folder",
        CopyRefused => "copy-refused",
        CopyCollision => "copy-collision",
    }
    // Front matter (parse)
    Parse {
        FrontMatterUnclosed => "front-matter-unclosed",
        FrontMatterTooLarge => "front-matter-too-large",
        NoFrontMatter => "no-front-matter",
        YamlSyntax => "yaml-syntax",
        YamlUnclosedQuote => "yaml-unclosed-quote",
        YamlUnquotedColon => "yaml-unquoted-colon",
        YamlTab => "yaml-tab",
        YamlExpectedList => "yaml-expected-list",
        UnknownField => "unknown-field",
        MissingField => "missing-field",
        UnknownVariant => "unknown-variant",
        WrongType => "wrong-type",
        DuplicateKey => "duplicate-key",
        YamlBudget => "yaml-budget",
    }
    // Imported bibliographies (parse)
    Parse {
        BibSyntax => "bib-syntax",
        CslJsonSyntax => "csl-json-syntax",
        BadImportedEntry => "bad-imported-entry",
        BadCitationKey => "bad-citation-key",
    }
    // Markdown (parse)
    Parse {
        RawHtml => "raw-html",
        UnsafeLink => "unsafe-link",
        UnsafeImage => "unsafe-image",
        UnknownKind => "unknown-kind",
        InvalidId => "invalid-id",
        UndefinedFootnote => "undefined-footnote",
        UnusedFootnote => "unused-footnote",
        BidiControl => "bidi-control",
        AlmostMention => "almost-mention",
        ImageOfContent => "image-of-content",
        NestedLink => "nested-link",
        MissingImage => "missing-image",
    }
    // References and structure (resolve)
    Resolve {
        UnknownEntity => "unknown-entity",
        BadReference => "bad-reference",
        BareIdReference => "bare-id-reference",
        DuplicateId => "duplicate-id",
        IdCollision => "id-collision",
        ClaimWithoutSources => "claim-without-sources",
        ClaimWithoutPeople => "claim-without-people",
        ClaimAboutItself => "claim-about-itself",
        ParentCycle => "parent-cycle",
        BadCoordinates => "bad-coordinates",
        BadDate => "bad-date",
        BadWikidata => "bad-wikidata",
        BadDoi => "bad-doi",
        BadIsbn => "bad-isbn",
        BadIssn => "bad-issn",
        RelativeUrl => "relative-url",
        UnknownStyle => "unknown-style",
        UnsafeUrl => "unsafe-url",
        BrokenLink => "broken-link",
        MissingAnchor => "missing-anchor",
        UnsafeSlug => "unsafe-slug",
        ReservedSlug => "reserved-slug",
        OutputCollision => "output-collision",
        DuplicatePartSlug => "duplicate-part-slug",
        DuplicateOrder => "duplicate-order",
        Unmentioned => "unmentioned",
        SharedAlias => "shared-alias",
        DraftMentioned => "draft-mentioned",
        DraftReferenced => "draft-referenced",
        MissingFile => "missing-file",
        FileOutsideContent => "file-outside-content",
        ImageWithoutAlt => "image-without-alt",
    }
    // Templates and rendering (render)
    Render {
        ThemeNotFound => "theme-not-found",
        TemplateMissing => "template-missing",
        TemplateError => "template-error",
        ThemeUnreadable => "theme-unreadable",
        InternalError => "internal-error",
        UnknownLanguage => "unknown-language",
        CodeTooLarge => "code-too-large",
    }
    // Options, checked before anything is read
    Options {
        BadConfig => "bad-config",
        BadBaseUrl => "bad-base-url",
        OutDirRefused => "out-dir-refused",
        EditionHasErrors => "edition-has-errors",
        NoSuchPart => "no-such-part",
    }
    // Output (write)
    Write {
        WriteFailed => "write-failed",
        EpubFailed => "epub-failed",
    }
    // Starting points (new, theme eject, schema --out)
    Write {
        FolderNotEmpty => "folder-not-empty",
        NotAFolder => "not-a-folder",
        BadThemeName => "bad-theme-name",
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "glossator::{}", self.name())
    }
}
