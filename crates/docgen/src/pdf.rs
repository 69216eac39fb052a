//! Typst markup → PDF, in process: our own typst `World` with one source file, the fonts
//! bundled in `typst-assets`, no file system, no packages and no network.
//!
//! The PDF is tagged and conforms to PDF/UA-1 (typst-pdf validates it); its creation date is
//! fixed and its identifier is fixed, so the same markup gives the same bytes. typst's memo cache
//! is emptied after each document, so every render costs the same and memory stays flat.

use crate::DocgenError;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// The fonts and the font book, loaded once per process.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        let book = FontBook::from_fonts(&fonts);
        Fonts {
            book: LazyHash::new(book),
            fonts,
        }
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        LazyHash::new(
            Library::builder()
                .with_features([Feature::A11yExtras].into_iter().collect())
                .build(),
        )
    })
}

/// A world of one source file.
struct DocWorld {
    main: Source,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().get_without_slash().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        Err(FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // Fixed, so that output never depends on the clock.
        Datetime::from_ymd(2000, 1, 1)
    }
}

fn describe(diagnostics: &[SourceDiagnostic], world: &DocWorld) -> String {
    let source = &world.main;
    diagnostics
        .iter()
        .map(|d| {
            let place = world
                .range(d.span)
                .map(|range| {
                    let line = source.text()[..range.start].lines().count();
                    format!("rad {line}: ")
                })
                .unwrap_or_default();
            format!("{place}{}", d.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Compiles typst markup to PDF bytes.
pub fn compile(markup: &str) -> Result<Vec<u8>, DocgenError> {
    let path = VirtualPath::new("/main.typ").map_err(|e| DocgenError::Typst(e.to_string()))?;
    let id = RootedPath::new(VirtualRoot::Project, path).intern();
    let world = DocWorld {
        main: Source::new(id, markup.to_owned()),
    };
    let warned = typst::compile::<PagedDocument>(&world);
    let document = warned
        .output
        .map_err(|errors| DocgenError::Typst(describe(&errors, &world)))?;
    let standards = PdfStandards::new(&[PdfStandard::Ua_1])
        .map_err(|e| DocgenError::Pdf(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom("styr-document".to_owned()),
        creator: Smart::Custom(Some("styr".to_owned())),
        timestamp: Datetime::from_ymd_hms(2000, 1, 1, 0, 0, 0).map(Timestamp::new_utc),
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| DocgenError::Pdf(describe(&errors, &world)));
    // typst memoises layout between compilations; a document is rendered once, so drop the
    // cache rather than let a long-running process (the web server) grow with it.
    typst::comemo::evict(0);
    pdf
}
