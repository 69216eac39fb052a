//! The SIE reader: bytes or a file in, a [`ReadOutcome`] (content plus
//! [`Diagnostic`]s) out, every voucher handed to a [`Visitor`] as it is read.
//!
//! This is the driver: it splits the input into lines (with `memchr`, from a
//! fixed buffer when reading a file, so memory does not grow with the file),
//! decides the file's encoding, keeps the #KSUMMA checksum, hands each record
//! to [`crate::records`] and [`crate::voucher`], and runs the whole-file
//! checks at the end (undeclared accounts, dimensions and objects, records
//! required or forbidden by the SIE type). [`read_path_parallel`] reads the
//! parts of a file between `#VER` lines on several threads and merges them
//! into exactly what one pass finds. It never panics: all indexing is checked
//! and no input-derived value is unwrapped. It deliberately does not sum,
//! convert or interpret balances, does not repair unbalanced vouchers and
//! does not reorder anything.
//!
//! The encoding is decided for the whole file, as the spec's PC8 with the
//! real-world deviations (see [`crate::encoding`]): bytes in memory are
//! checked at once; a file is checked lazily, at its first non-ASCII byte, by
//! validating it as UTF-8 from the start until the first invalid sequence
//! (at once for a CP437 file with Swedish letters; a whole extra pass only
//! for a file that is UTF-8; never for a file of plain ASCII).

use crate::checksum::{ChecksumStatus, Ksumma};
use crate::diagnostics::{Diagnostic, DiagnosticKind as K, Severity};
use crate::encoding::{self, FieldDecoding, FileEncoding};
use crate::fields;
use crate::lexer::{LexIssue, Tok, Tokens};
use crate::model::*;
use crate::records::{LABELS, Label, Rec};
use crate::voucher::{
    Fork, ObjectRefs, OpenVoucher, Visitor, VoucherBuf, VoucherCounts, VoucherView,
};
use rustc_hash::FxHashMap;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Everything the reader learned: the content, the diagnostics and facts
/// about this serialisation (encoding, #FORMAT, #KSUMMA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOutcome {
    /// The content (without vouchers when they went to a [`Visitor`]).
    pub file: SieFile,
    /// All diagnostics, in line order.
    pub diagnostics: Vec<Diagnostic>,
    /// The encoding used to decode the file.
    pub encoding: FileEncoding,
    /// The #FORMAT value, if any.
    pub declared_format: Option<String>,
    /// The #KSUMMA verdict.
    pub checksum: ChecksumStatus,
    /// How many vouchers and rows were read (whether or not they were kept).
    pub counts: VoucherCounts,
}

/// Read a SIE file. Never panics; problems become diagnostics.
pub fn read(bytes: &[u8]) -> (SieFile, Vec<Diagnostic>) {
    let o = read_outcome(bytes);
    (o.file, o.diagnostics)
}

/// Keeps every voucher, owned.
struct Collect(Vec<Voucher>);

impl Visitor for Collect {
    fn voucher(&mut self, v: &VoucherView<'_>) {
        self.0.push(v.to_voucher());
    }
}

/// Read a SIE file and also report encoding and checksum facts.
pub fn read_outcome(bytes: &[u8]) -> ReadOutcome {
    let mut c = Collect(Vec::new());
    let mut o = read_bytes(bytes, &mut c);
    o.file.vouchers = c.0;
    o
}

/// Read a SIE file as [`read`] does, but hand every voucher to `sink` as soon as its block is
/// complete (its rows, row kinds and diagnostics done) instead of keeping it: the returned
/// [`SieFile`] has no vouchers. The vouchers come in file order, exactly those that
/// `read(bytes).0.vouchers` holds, and the diagnostics are the same.
pub fn read_with(bytes: &[u8], sink: &mut dyn FnMut(Voucher)) -> (SieFile, Vec<Diagnostic>) {
    let o = read_outcome_with(bytes, sink);
    (o.file, o.diagnostics)
}

/// [`read_outcome`] with the vouchers handed to `sink` as [`read_with`] does.
pub fn read_outcome_with(bytes: &[u8], sink: &mut dyn FnMut(Voucher)) -> ReadOutcome {
    struct Sink<'s>(&'s mut dyn FnMut(Voucher));
    impl Visitor for Sink<'_> {
        fn voucher(&mut self, v: &VoucherView<'_>) {
            (self.0)(v.to_voucher());
        }
    }
    read_bytes(bytes, &mut Sink(sink))
}

/// Read bytes held in memory, handing every voucher to `visitor`; the outcome's file has no
/// vouchers.
pub fn read_bytes(bytes: &[u8], visitor: &mut dyn Visitor) -> ReadOutcome {
    let detected = encoding::detect(bytes);
    let mut r = Reader::new(visitor, Some(detected.encoding), None);
    r.block(&detected.bytes);
    r.voucher_at_end();
    r.finish()
}

/// [`read_outcome`] with every line read the general way (no fast path for plain `#TRANS`
/// rows): for the tests that check that both ways read a file to the same outcome.
#[doc(hidden)]
pub fn read_outcome_general(bytes: &[u8]) -> ReadOutcome {
    let mut c = Collect(Vec::new());
    let detected = encoding::detect(bytes);
    let mut r = Reader::new(&mut c, Some(detected.encoding), None);
    r.fast = false;
    r.block(&detected.bytes);
    r.voucher_at_end();
    let mut o = r.finish();
    o.file.vouchers = c.0;
    o
}

const CHUNK: usize = 256 << 10;
const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

fn is_utf16(head: &[u8]) -> bool {
    head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF])
}

/// Read a file, streamed from a fixed buffer, handing every voucher to `visitor`; the
/// outcome's file has no vouchers. Memory holds one voucher, the records outside vouchers and
/// the diagnostics, never the file (except a UTF-16 file, which is transcoded in memory).
pub fn read_path(path: &Path, visitor: &mut dyn Visitor) -> io::Result<ReadOutcome> {
    read_path_with(path, visitor)
}

/// [`read_bytes`] through the streaming buffer of [`read_path`], with room for `buffer` bytes
/// at first: for tests of lines that cross the buffer's edge.
#[doc(hidden)]
pub fn read_bytes_buffered(bytes: &[u8], buffer: usize, visitor: &mut dyn Visitor) -> ReadOutcome {
    if is_utf16(bytes) {
        return read_bytes(bytes, visitor);
    }
    let enc = encoding::detect(bytes).encoding;
    let mut r = Reader::new(visitor, Some(enc), None);
    let mut input = bytes.strip_prefix(&BOM).unwrap_or(bytes);
    if stream(&mut input, &mut r, false, buffer.max(1)).is_err() {
        return read_bytes(bytes, r.visitor);
    }
    r.voucher_at_end();
    r.finish()
}

fn read_path_with<V: Visitor + ?Sized>(path: &Path, visitor: &mut V) -> io::Result<ReadOutcome> {
    let mut file = std::fs::File::open(path)?;
    let mut head = [0u8; 3];
    let n = fill(&mut file, &mut head, 0)?;
    let head = head.get(..n).unwrap_or_default();
    file.seek(SeekFrom::Start(0))?;
    if is_utf16(head) {
        let mut all = Vec::new();
        file.read_to_end(&mut all)?;
        let detected = encoding::detect(&all);
        let mut r = Reader::new(visitor, Some(detected.encoding), None);
        r.block(&detected.bytes);
        r.voucher_at_end();
        return Ok(r.finish());
    }
    let bom = head == BOM;
    let decider = Decider::new(path);
    let enc = bom.then_some(FileEncoding::Utf8);
    let mut r = Reader::new(visitor, enc, Some(&decider));
    stream(&mut file, &mut r, bom, CHUNK)?;
    r.voucher_at_end();
    Ok(r.finish())
}

/// Decides a file's encoding when it is first needed, once (also across threads).
struct Decider {
    path: PathBuf,
    once: OnceLock<FileEncoding>,
}

impl Decider {
    fn new(path: &Path) -> Decider {
        Decider {
            path: path.to_owned(),
            once: OnceLock::new(),
        }
    }

    /// Called at the first non-ASCII byte: UTF-8 if the whole file is valid UTF-8, otherwise
    /// CP437. (A file that cannot be read again is taken as CP437, the spec's encoding.)
    fn get(&self) -> FileEncoding {
        *self
            .once
            .get_or_init(|| valid_utf8(&self.path).unwrap_or(FileEncoding::Cp437))
    }
}

/// UTF-8 if the file is valid UTF-8 (it is known to have a non-ASCII byte), stopping at the
/// first invalid sequence.
fn valid_utf8(path: &Path) -> io::Result<FileEncoding> {
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; CHUNK];
    let mut filled = fill(&mut file, &mut buf, 0)?;
    loop {
        let data = buf.get(..filled).unwrap_or_default();
        if filled < buf.len() {
            return Ok(if std::str::from_utf8(data).is_ok() {
                FileEncoding::Utf8
            } else {
                FileEncoding::Cp437
            });
        }
        // Validate up to the last line end: a UTF-8 sequence never spans one.
        let Some(p) = memchr::memrchr(b'\n', data) else {
            let len = buf.len();
            buf.resize(len * 2, 0);
            filled = fill(&mut file, &mut buf, filled)?;
            continue;
        };
        if std::str::from_utf8(data.get(..=p).unwrap_or_default()).is_err() {
            return Ok(FileEncoding::Cp437);
        }
        buf.copy_within(p + 1..filled, 0);
        filled = fill(&mut file, &mut buf, filled - p - 1)?;
    }
}

fn fill<R: Read>(reader: &mut R, buf: &mut [u8], mut filled: usize) -> io::Result<usize> {
    while filled < buf.len() {
        let Some(space) = buf.get_mut(filled..) else {
            break;
        };
        match reader.read(space) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Feed a reader's lines to `r` from a fixed buffer (grown only for a line longer than it).
fn stream<R: Read, V: Visitor + ?Sized>(
    input: &mut R,
    r: &mut Reader<'_, V>,
    skip_bom: bool,
    buffer: usize,
) -> io::Result<()> {
    let mut buf = vec![0u8; buffer];
    let mut filled = fill(input, &mut buf, 0)?;
    let mut start = if skip_bom && buf.get(..filled).unwrap_or_default().starts_with(&BOM) {
        3
    } else {
        0
    };
    loop {
        let eof = filled < buf.len();
        let data = buf.get(start..filled).unwrap_or_default();
        if eof {
            r.block(data);
            return Ok(());
        }
        match memchr::memrchr(b'\n', data) {
            Some(p) => {
                r.block(data.get(..=p).unwrap_or_default());
                let tail = start + p + 1;
                buf.copy_within(tail..filled, 0);
                filled -= tail;
            }
            None => {
                buf.copy_within(start..filled, 0);
                filled -= start;
                let len = buf.len();
                buf.resize(len * 2, 0);
            }
        }
        start = 0;
        filled = fill(input, &mut buf, filled)?;
    }
}

// ------------------------------------------------------------ in parallel

/// Read a file on up to `threads` threads, each a part between `#VER` lines, with a fork of
/// `visitor` each; the forks are merged into `visitor` in file order. The outcome (content,
/// diagnostics, encoding, checksum, counts) is exactly what [`read_path`] gives; the
/// visitor's `header` is called on the fork of the first part. Small and UTF-16 files are
/// read on one thread.
pub fn read_path_parallel<V: Fork>(
    path: &Path,
    threads: usize,
    visitor: &mut V,
) -> io::Result<ReadOutcome> {
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let mut head = vec![0u8; 64 << 10];
    let n = fill(&mut file, &mut head, 0)?;
    head.truncate(n);
    if threads <= 1 || len < (8 << 20) || is_utf16(&head) {
        return read_path_with(path, visitor);
    }
    let bom = head.starts_with(&BOM);
    let points = split_points(&mut file, len, threads)?;
    if points.len() <= 2 {
        return read_path_with(path, visitor);
    }
    let regions: Vec<(u64, u64)> = points
        .windows(2)
        .filter_map(|w| Some((*w.first()?, *w.get(1)?)))
        .collect();
    let decider = Decider::new(path);
    let enc = bom.then_some(FileEncoding::Utf8);
    let assumed = ksumma_after(&head);
    let mut forks: Vec<V> = regions.iter().map(|_| visitor.fork()).collect();
    let last = regions.len() - 1;
    let outcome = std::thread::scope(|scope| {
        let handles: Vec<_> = regions
            .iter()
            .zip(forks.iter_mut())
            .enumerate()
            .map(|(i, (&(start, end), fork))| {
                let decider = &decider;
                scope.spawn(move || -> io::Result<Reader<'_, V>> {
                    let mut f = std::fs::File::open(path)?;
                    f.seek(SeekFrom::Start(start))?;
                    let mut r = Reader::new(fork, enc, Some(decider));
                    if i > 0 {
                        r.start_part(assumed);
                    }
                    stream(&mut f.take(end - start), &mut r, i == 0 && bom, CHUNK)?;
                    r.end_part(i == last);
                    Ok(r)
                })
            })
            .collect();
        let mut parts = Vec::new();
        for h in handles {
            parts.push(
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("a reading thread stopped")))?,
            );
        }
        Ok::<_, io::Error>(merge_parts(parts))
    })?;
    match outcome {
        Some(o) => {
            for fork in forks {
                visitor.merge(fork);
            }
            Ok(o)
        }
        // A part began in another #KSUMMA state than assumed: read again in one pass.
        None => read_path_with(path, visitor),
    }
}

/// Read bytes held in memory in parts as [`read_path_parallel`] does, splitting before the
/// first `#VER` line at or after each of `targets` (byte offsets), one thread a part. For
/// tests of the parallel path with parts ending in odd places.
#[doc(hidden)]
pub fn read_bytes_in_parts<V: Fork>(
    bytes: &[u8],
    targets: &[usize],
    visitor: &mut V,
) -> ReadOutcome {
    if is_utf16(bytes) {
        return read_bytes(bytes, visitor);
    }
    let detected = encoding::detect(bytes);
    let enc = detected.encoding;
    let body: &[u8] = &detected.bytes;
    let mut points = vec![0usize];
    for &t in targets {
        let prev = points.last().copied().unwrap_or(0);
        if let Some(p) = next_ver(body, t.max(prev)).filter(|&p| p > prev) {
            points.push(p);
        }
    }
    points.push(body.len());
    let regions: Vec<&[u8]> = points
        .windows(2)
        .filter_map(|w| body.get(*w.first()?..*w.get(1)?))
        .collect();
    let assumed = ksumma_after(regions.first().copied().unwrap_or_default());
    let mut forks: Vec<V> = regions.iter().map(|_| visitor.fork()).collect();
    let last = regions.len().saturating_sub(1);
    let parts: Vec<Reader<'_, V>> = std::thread::scope(|scope| {
        let handles: Vec<_> = regions
            .iter()
            .zip(forks.iter_mut())
            .enumerate()
            .map(|(i, (&region, fork))| {
                scope.spawn(move || {
                    let mut r = Reader::new(fork, Some(enc), None);
                    if i > 0 {
                        r.start_part(assumed);
                    }
                    r.block(region);
                    r.end_part(i == last);
                    r
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let complete = parts.len() == regions.len();
    match merge_parts(parts).filter(|_| complete) {
        Some(o) => {
            for fork in forks {
                visitor.merge(fork);
            }
            o
        }
        None => read_bytes(bytes, visitor),
    }
}

/// The start of the first line `#VER␠` or `#VER\t` at or after `from`.
fn next_ver(bytes: &[u8], from: usize) -> Option<usize> {
    let tail = bytes.get(from.saturating_sub(1)..)?;
    let base = from.saturating_sub(1);
    memchr::memmem::find_iter(tail, b"\n#VER")
        .find(|&p| matches!(tail.get(p + 5), Some(b' ' | b'\t')))
        .map(|p| base + p + 1)
}

/// Byte offsets that split a file into `parts` regions, each (but the
/// first) starting at a line `#VER␠` or `#VER\t`: there the reader's state
/// depends on that line only, so regions can be read independently.
fn split_points(file: &mut std::fs::File, len: u64, parts: usize) -> io::Result<Vec<u64>> {
    let mut points = vec![0u64];
    let mut window = vec![0u8; 1 << 20];
    for k in 1..parts {
        let target = len / parts as u64 * k as u64;
        let prev = points.last().copied().unwrap_or(0);
        let mut pos = target.max(prev);
        let mut found = None;
        while pos < len && found.is_none() {
            file.seek(SeekFrom::Start(pos))?;
            let n = fill(file, &mut window, 0)?;
            let data = window.get(..n).unwrap_or_default();
            for p in memchr::memmem::find_iter(data, b"\n#VER") {
                match data.get(p + 5) {
                    Some(b' ' | b'\t') => {
                        found = Some(pos + p as u64 + 1);
                        break;
                    }
                    Some(_) => {}
                    None => break,
                }
            }
            if n < 8 {
                break;
            }
            // Overlap so that a match across the window edge is not missed.
            pos += (n - 8) as u64;
        }
        match found {
            Some(p) if p > prev => points.push(p),
            _ => break,
        }
    }
    points.push(len);
    Ok(points)
}

/// The #KSUMMA state after the complete lines of `head`: what the parts after the first
/// assume at their start (and check when merged).
fn ksumma_after(head: &[u8]) -> KsState {
    let mut state = KsState::NotStarted;
    let mut toks = Tokens::default();
    let complete = memchr::memrchr(b'\n', head).map_or(0, |p| p + 1);
    for line in head
        .get(..complete)
        .unwrap_or_default()
        .split(|&b| b == b'\n')
    {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        toks.lex(line);
        let is_ksumma = matches!(toks.toks.first(), Some(Tok::Field { span, quoted: false })
            if Label::of(toks.bytes(line, *span)) == Label::Ksumma);
        if !is_ksumma {
            continue;
        }
        let value = matches!(toks.toks.get(1), Some(Tok::Field { span, .. }) if !toks.bytes(line, *span).is_empty());
        state = match (state, value) {
            (KsState::NotStarted, false) => KsState::Running(None),
            (KsState::NotStarted, true) | (KsState::Running(_), true) => KsState::Done,
            (s, _) => s,
        };
    }
    state
}

/// Merge the parts of a file read apart, in file order; `None` when a part's assumption
/// about the #KSUMMA state at its start was wrong.
fn merge_parts<V: Visitor + ?Sized>(parts: Vec<Reader<'_, V>>) -> Option<ReadOutcome> {
    let mut parts = parts.into_iter();
    let mut first = parts.next()?;
    for later in parts {
        first.absorb(later)?;
    }
    Some(first.finish())
}

// ----------------------------------------------------------------- reader

/// Whether a diagnostic is found before its line's record is read (the lexer's, the
/// encoding's, a record after the closing #KSUMMA): in one pass these come first on their
/// line, and sorting by this keeps them first when parts of a file are read apart.
fn read_before_record(d: &Diagnostic) -> bool {
    d.record == "line"
        || d.kind == K::EncodingFallback
        || d.kind == K::EncodingMixed
        || (d.kind == K::ChecksumStructure && d.record != "#KSUMMA")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KsState {
    NotStarted,
    /// Running since the line given (unknown in a part that assumed it).
    Running(Option<usize>),
    Done,
}

impl KsState {
    fn same_kind(self, other: KsState) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }
}

/// The reader's state between lines. Generic over the visitor so that a known visitor's
/// calls are direct.
pub(crate) struct Reader<'v, V: Visitor + ?Sized> {
    pub(crate) visitor: &'v mut V,
    pub(crate) want_text: bool,
    pub(crate) enc: Option<FileEncoding>,
    decider: Option<&'v Decider>,
    pub(crate) file: SieFile,
    diags: Vec<Diagnostic>,
    /// Indices of diagnostics to drop (an unusual account warned again in a later part).
    dead: Vec<usize>,
    pub(crate) ks: KsState,
    ks_assumed: KsState,
    pub(crate) ksumma: Ksumma,
    /// The checksum covers this part from its start, whose prefix is another part's.
    ks_from_start: bool,
    /// A closing #KSUMMA whose check needs the checksum of the parts before.
    ks_close: Option<(usize, String, Ksumma)>,
    checksum: ChecksumStatus,
    after_ksumma_warned: bool,
    /// Index of the warning about a record after the closing #KSUMMA.
    after_ksumma_index: Option<usize>,
    /// A #KSUMMA record was read.
    ks_seen: bool,
    pub(crate) declared_format: Option<String>,
    pub(crate) voucher: Option<OpenVoucher>,
    pub(crate) vbuf: VoucherBuf,
    /// First line of each label (0: none), for whole-file checks.
    pub(crate) first_line: [usize; LABELS],
    pub(crate) account_refs: FxHashMap<u64, (usize, Label)>,
    /// Diagnostics whose message names a line (`på rad N`): index and line.
    lines_in_messages: Vec<(usize, usize)>,
    /// Accounts of unusual length already warned about: line and diagnostic index.
    unusual: FxHashMap<u64, (usize, usize)>,
    pub(crate) dim_refs: FxHashMap<u32, (usize, Label)>,
    pub(crate) object_refs: ObjectRefs,
    pub(crate) pending_ktyp: Vec<(usize, AccountNo, AccountType)>,
    pub(crate) pending_enhet: Vec<(usize, AccountNo, String)>,
    pub(crate) pending_sru: Vec<(usize, AccountNo, String)>,
    /// Lines of #PSALDO/#PBUDGET/#OIB/#OUB rows, parallel to the model vectors.
    pub(crate) psaldo_lines: Vec<usize>,
    pub(crate) pbudget_lines: Vec<usize>,
    pub(crate) oib_lines: Vec<usize>,
    pub(crate) oub_lines: Vec<usize>,
    fffd_lines: usize,
    first_fffd_line: usize,
    last_fffd_line: usize,
    records: usize,
    pub(crate) counts: VoucherCounts,
    /// A part after the first: records about the content wait for the parts before.
    pub(crate) defer_content: bool,
    pub(crate) deferred: Vec<(usize, Vec<u8>)>,
    pub(crate) header_done: bool,
    toks: Tokens,
    /// The last valid date fields read, and their dates.
    pub(crate) recent_dates: fields::RecentDates,
    line_no: usize,
    block_ascii: bool,
    /// The account and object lists of `#TRANS` rows already checked (see `fast_row`).
    pub(crate) row_cache: crate::voucher::RowCache,
    /// Whether plain `#TRANS` rows take the fast path (always, but in the tests that compare).
    fast: bool,
}

impl<'v, V: Visitor + ?Sized> Reader<'v, V> {
    fn new(visitor: &'v mut V, enc: Option<FileEncoding>, decider: Option<&'v Decider>) -> Self {
        Reader {
            want_text: visitor.wants_text(),
            visitor,
            enc,
            decider,
            file: SieFile::default(),
            diags: Vec::new(),
            dead: Vec::new(),
            ks: KsState::NotStarted,
            ks_assumed: KsState::NotStarted,
            ksumma: Ksumma::new(),
            ks_from_start: false,
            ks_close: None,
            checksum: ChecksumStatus::Absent,
            after_ksumma_warned: false,
            after_ksumma_index: None,
            ks_seen: false,
            declared_format: None,
            voucher: None,
            vbuf: VoucherBuf::default(),
            first_line: [0; LABELS],
            account_refs: FxHashMap::default(),
            unusual: FxHashMap::default(),
            lines_in_messages: Vec::new(),
            dim_refs: FxHashMap::default(),
            object_refs: Vec::new(),
            pending_ktyp: Vec::new(),
            pending_enhet: Vec::new(),
            pending_sru: Vec::new(),
            psaldo_lines: Vec::new(),
            pbudget_lines: Vec::new(),
            oib_lines: Vec::new(),
            oub_lines: Vec::new(),
            fffd_lines: 0,
            first_fffd_line: 0,
            last_fffd_line: 0,
            records: 0,
            counts: VoucherCounts::default(),
            defer_content: false,
            deferred: Vec::new(),
            header_done: false,
            toks: Tokens::default(),
            recent_dates: fields::RecentDates::default(),
            line_no: 0,
            block_ascii: true,
            row_cache: Default::default(),
            fast: true,
        }
    }

    /// Make this reader read a part after the first, which starts at a `#VER` line in the
    /// #KSUMMA state `assumed`.
    fn start_part(&mut self, assumed: KsState) {
        self.ks = assumed;
        self.ks_assumed = assumed;
        self.ks_from_start = matches!(assumed, KsState::Running(_));
        self.defer_content = true;
        self.header_done = true;
    }

    /// The end of a part: the last one ends the input; another is followed by a `#VER` line.
    fn end_part(&mut self, last: bool) {
        if last {
            self.voucher_at_end();
        } else {
            let next = self.line_no + 1;
            self.voucher_before_record(next, Label::Ver);
        }
    }

    pub(crate) fn diag(
        &mut self,
        severity: Severity,
        kind: K,
        line: usize,
        record: &str,
        field: Option<&str>,
        message: impl Into<String>,
    ) {
        self.diags.push(Diagnostic::new(
            severity, kind, line, record, field, message,
        ));
    }

    fn encoding(&mut self) -> FileEncoding {
        match (self.enc, self.decider) {
            (Some(e), _) => e,
            (None, Some(d)) => {
                let e = d.get();
                self.enc = Some(e);
                e
            }
            (None, None) => FileEncoding::Cp437,
        }
    }

    /// Whether to warn about an account of unusual length on `line` (the first use warns).
    pub(crate) fn first_unusual(&mut self, key: u64, line: usize) -> bool {
        match self.unusual.get(&key).copied() {
            Some((first, _)) if first <= line => false,
            Some((_, index)) => {
                self.dead.push(index);
                self.unusual.insert(key, (line, usize::MAX));
                true
            }
            None => {
                self.unusual.insert(key, (line, usize::MAX));
                true
            }
        }
    }

    /// The diagnostic just pushed names `line` in its message (as `på rad N`).
    pub(crate) fn note_line_in_message(&mut self, line: usize) {
        let index = self.diags.len().saturating_sub(1);
        self.lines_in_messages.push((index, line));
    }

    /// The warning just pushed is the one about `key`.
    pub(crate) fn note_unusual_diag(&mut self, key: u64) {
        let index = self.diags.len().saturating_sub(1);
        if let Some(entry) = self.unusual.get_mut(&key) {
            entry.1 = index;
        }
    }

    // ---------------------------------------------------------------- lines

    /// Complete lines (the last may lack its line end only at the end of the input).
    fn block(&mut self, block: &[u8]) {
        if self.enc.is_none() {
            self.block_ascii = block.is_ascii();
            if !self.block_ascii {
                self.encoding();
            }
        }
        let mut start = 0;
        while let Some(rest) = block.get(start..).filter(|r| !r.is_empty()) {
            // A plain #TRANS row (indented the commonest way) is read where it starts, its end
            // found by reading it: most lines need no search for their end.
            if self.fast
                && rest.starts_with(b"\t#TRANS ")
                && let Some(end) = self.fast_row(self.line_no + 1, rest, true)
            {
                self.line_no += 1;
                self.records += 1;
                start += end
                    + match rest.get(end) {
                        Some(b'\r') => 2,
                        Some(_) => 1,
                        None => 0,
                    };
                continue;
            }
            let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            if let Some(line) = rest.get(..end) {
                self.line(line);
            }
            start += end + 1;
        }
    }

    fn line(&mut self, raw: &[u8]) {
        self.line_no += 1;
        let no = self.line_no;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.first() != Some(&b'#') {
            let trimmed = raw.trim_ascii();
            if trimmed.is_empty() {
                return;
            }
            if trimmed == b"{" {
                self.open_brace(no);
                return;
            }
            if trimmed == b"}" {
                self.close_brace(no);
                return;
            }
        }
        // The commonest lines, a plain #TRANS row and a plain #VER, without the general lexer
        // when they can.
        if self.fast && self.fast_row(no, raw, false).is_some() {
            self.records += 1;
            return;
        }
        if self.fast && raw.starts_with(b"#VER ") && self.fast_ver(no, raw) {
            self.records += 1;
            return;
        }
        let mut toks = std::mem::take(&mut self.toks);
        toks.lex(raw);
        self.lexed(no, raw, &toks);
        self.toks = toks;
    }

    fn lexed(&mut self, no: usize, raw: &[u8], toks: &Tokens) {
        for issue in &toks.issues {
            let (sev, kind, msg) = match issue {
                LexIssue::UnterminatedQuote => (
                    Severity::Warning,
                    K::UnterminatedQuote,
                    "citattecknet stängs inte; fältet löper till radens slut".to_owned(),
                ),
                LexIssue::UnterminatedList => (
                    Severity::Error,
                    K::MalformedObjectList,
                    "objektlistan stängs inte med '}'".to_owned(),
                ),
                LexIssue::NestedBrace => (
                    Severity::Warning,
                    K::MalformedObjectList,
                    "'{' inuti en objektlista ignoreras".to_owned(),
                ),
                LexIssue::ControlChar(c) => (
                    Severity::Warning,
                    K::ControlCharacter,
                    format!("styrtecknet 0x{c:02X} togs bort från raden"),
                ),
            };
            self.diag(sev, kind, no, "line", None, msg);
        }
        let label_bytes = match toks.toks.first() {
            None => return,
            Some(Tok::Field {
                span,
                quoted: false,
            }) => Some(toks.bytes(raw, *span)).filter(|b| b.first() == Some(&b'#') && b.len() > 1),
            _ => None,
        };
        let Some(label_bytes) = label_bytes else {
            let shown = encoding::decode_cp437(raw.get(..raw.len().min(40)).unwrap_or(raw));
            self.diag(
                Severity::Error,
                K::NotARecord,
                no,
                "line",
                None,
                format!("raden börjar inte med en #POST: {shown:?}"),
            );
            return;
        };
        let label = Label::of(label_bytes);
        self.records += 1;

        // #KSUMMA bookkeeping happens on raw bytes, before decoding.
        if label == Label::Ksumma {
            let value = match toks.toks.get(1) {
                Some(Tok::Field { span, .. }) => Some(toks.bytes(raw, *span))
                    .filter(|b| !b.is_empty())
                    .map(encoding::decode_cp437),
                _ => None,
            };
            self.ksumma_record(no, value);
            return;
        }
        // A block with a non-ASCII byte has had the encoding decided; in one of plain ASCII the
        // encoding does not matter.
        let enc = self.enc.unwrap_or(FileEncoding::Cp437);
        let rec = Rec {
            label,
            line: no,
            enc,
            label_bytes,
            raw,
            toks,
        };
        match self.ks {
            KsState::Running(_) => {
                self.ksumma.feed(label_bytes);
                for t in toks.toks.iter().skip(1) {
                    match *t {
                        Tok::Field { span, .. } => self.ksumma.feed(toks.bytes(raw, span)),
                        Tok::List { first, len } => {
                            for &m in toks.members(first, len) {
                                self.ksumma.feed(toks.bytes(raw, m));
                            }
                        }
                    }
                }
            }
            KsState::Done if !self.after_ksumma_warned => {
                self.after_ksumma_warned = true;
                self.after_ksumma_index = Some(self.diags.len());
                self.diag(
                    Severity::Warning,
                    K::ChecksumStructure,
                    no,
                    &rec.name(),
                    None,
                    "posten efter den avslutande #KSUMMA täcks inte av kontrollsumman",
                );
            }
            _ => {}
        }
        if toks.high {
            self.encoding_scan(&rec);
        }
        self.record(&rec);
    }

    /// Encoding diagnostics of every field of a line that is not plain ASCII: a Latin-1
    /// fallback, or U+FFFD replacement characters.
    fn encoding_scan(&mut self, rec: &Rec<'_>) {
        let toks = rec.toks;
        for (i, t) in toks.toks.iter().skip(1).enumerate() {
            match *t {
                Tok::Field { span, .. } => self.encoding_of(rec, i + 1, rec.span(span)),
                Tok::List { first, len } => {
                    for &m in toks.members(first, len) {
                        self.encoding_of(rec, i + 1, rec.span(m));
                    }
                }
            }
        }
    }

    fn encoding_of(&mut self, rec: &Rec<'_>, field: usize, bytes: &[u8]) {
        if bytes.is_ascii() {
            return;
        }
        let line = rec.line;
        match rec.enc {
            FileEncoding::Cp437 => {
                if encoding::looks_utf8(bytes) {
                    let label = String::from_utf8_lossy(rec.label_bytes).into_owned();
                    self.diag(
                        Severity::Error,
                        K::EncodingMixed,
                        line,
                        &label,
                        Some(&format!("fält {field}")),
                        format!(
                            "fältet är UTF-8 ({:?}) i en fil som annars är CP437 ({:?} i \
                             CP437): filen blandar teckenkodningar; exportera om den i en \
                             kodning",
                            String::from_utf8_lossy(bytes),
                            encoding::decode_cp437(bytes)
                        ),
                    );
                    return;
                }
                if !encoding::looks_latin1(bytes) {
                    return;
                }
                let (s, how) = encoding::decode_field(bytes, rec.enc);
                if how == FieldDecoding::Latin1Fallback {
                    self.diag(
                        Severity::Warning,
                        K::EncodingFallback,
                        line,
                        "encoding",
                        None,
                        format!(
                            "fältet {:?} är inte CP437-text; avkodat som Latin-1 ({:?} i CP437)",
                            s,
                            encoding::decode_cp437(bytes)
                        ),
                    );
                }
            }
            FileEncoding::Utf8 | FileEncoding::Utf16 => {
                if String::from_utf8_lossy(bytes).contains('\u{FFFD}') {
                    if self.fffd_lines == 0 {
                        self.first_fffd_line = line;
                    }
                    // Count lines, not fields.
                    if self.last_fffd_line != line {
                        self.fffd_lines += 1;
                        self.last_fffd_line = line;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------- #KSUMMA

    fn ksumma_record(&mut self, no: usize, value: Option<String>) {
        self.ks_seen = true;
        match (self.ks, value) {
            (KsState::NotStarted, None) => {
                self.ks = KsState::Running(Some(no));
                self.ksumma = Ksumma::new();
                self.ks_from_start = false;
            }
            (KsState::NotStarted, Some(_)) => {
                self.ks = KsState::Done;
                self.checksum = ChecksumStatus::Unverifiable;
                self.diag(
                    Severity::Warning,
                    K::ChecksumStructure,
                    no,
                    "#KSUMMA",
                    Some("kontrollsumma"),
                    "avslutande #KSUMMA utan inledande #KSUMMA; kontrollsumman kan inte kontrolleras",
                );
            }
            (KsState::Running(_), None) => self.diag(
                Severity::Warning,
                K::ChecksumStructure,
                no,
                "#KSUMMA",
                None,
                "en andra inledande #KSUMMA ignoreras",
            ),
            (KsState::Running(_), Some(v)) => {
                self.ks = KsState::Done;
                if self.ks_from_start {
                    self.ks_close = Some((no, v, self.ksumma.clone()));
                } else {
                    let computed = self.ksumma.value();
                    self.check_ksumma(no, &v, computed);
                }
            }
            (KsState::Done, _) => self.diag(
                Severity::Warning,
                K::ChecksumStructure,
                no,
                "#KSUMMA",
                None,
                "ytterligare #KSUMMA efter den avslutande kontrollsumman ignoreras",
            ),
        }
    }

    fn check_ksumma(&mut self, no: usize, v: &str, computed: u32) {
        match v.parse::<u32>() {
            Ok(declared) if declared == computed => {
                self.checksum = ChecksumStatus::Verified { value: computed };
            }
            Ok(declared) => {
                self.checksum = ChecksumStatus::Mismatch { declared, computed };
                self.diag(
                    Severity::Error,
                    K::ChecksumMismatch,
                    no,
                    "#KSUMMA",
                    Some("kontrollsumma"),
                    format!(
                        "kontrollsumman stämmer inte: filen anger {declared}, innehållet ger {computed}"
                    ),
                );
            }
            Err(_) => {
                self.checksum = ChecksumStatus::Unverifiable;
                self.diag(
                    Severity::Error,
                    K::ChecksumStructure,
                    no,
                    "#KSUMMA",
                    Some("kontrollsumma"),
                    format!("kontrollsumman {v:?} är inte ett tal som ryms i 32 bitar utan tecken"),
                );
            }
        }
    }

    // -------------------------------------------------------------- merging

    /// Take in the part of the file that follows this one. `None` when that part assumed
    /// another #KSUMMA state at its start than this part ended in.
    fn absorb(&mut self, mut b: Reader<'_, V>) -> Option<()> {
        if !b.ks_assumed.same_kind(self.ks) {
            return None;
        }
        let shift = self.line_no;
        let offset = self.diags.len();
        for mut d in b.diags.drain(..) {
            d.line += shift;
            self.diags.push(d);
        }
        self.dead.extend(b.dead.iter().map(|i| i + offset));
        for &(index, line) in &b.lines_in_messages {
            if let Some(d) = self.diags.get_mut(index + offset) {
                d.message = d.message.replacen(
                    &format!("på rad {line}"),
                    &format!("på rad {}", line + shift),
                    1,
                );
            }
        }
        for (key, (line, index)) in b.unusual.drain() {
            let (line, index) = (
                line + shift,
                if index == usize::MAX {
                    index
                } else {
                    index + offset
                },
            );
            match self.unusual.get(&key).copied() {
                Some((first, _)) if first <= line => {
                    if index != usize::MAX {
                        self.dead.push(index);
                    }
                }
                Some((_, old)) => {
                    if old != usize::MAX {
                        self.dead.push(old);
                    }
                    self.unusual.insert(key, (line, index));
                }
                None => {
                    self.unusual.insert(key, (line, index));
                }
            }
        }
        for (mine, theirs) in self.first_line.iter_mut().zip(b.first_line) {
            if theirs != 0 && (*mine == 0 || *mine > theirs + shift) {
                *mine = theirs + shift;
            }
        }
        for (key, (line, label)) in b.account_refs.drain() {
            let line = line + shift;
            match self.account_refs.get_mut(&key) {
                Some(first) if first.0 <= line => {}
                Some(first) => *first = (line, label),
                None => {
                    self.account_refs.insert(key, (line, label));
                }
            }
        }
        for (dim, (line, label)) in b.dim_refs.drain() {
            self.note_dim(dim, line + shift, label);
        }
        for (dim, objects) in b.object_refs.drain(..) {
            for (name, (line, label)) in objects {
                crate::voucher::note_object(&mut self.object_refs, dim, &name, line + shift, label);
            }
        }
        if b.fffd_lines > 0 {
            if self.fffd_lines == 0 {
                self.first_fffd_line = b.first_fffd_line + shift;
            }
            self.fffd_lines += b.fffd_lines;
        }
        self.records += b.records;
        self.counts.add(&b.counts);
        if self.enc.is_none() {
            self.enc = b.enc;
        }
        // #KSUMMA.
        match self.ks {
            KsState::Running(open) => {
                if let Some((no, v, h)) = b.ks_close.take() {
                    self.ksumma.combine(&h);
                    let computed = self.ksumma.value();
                    self.check_ksumma(no + shift, &v, computed);
                    self.ks = b.ks;
                    self.after_ksumma_warned = b.after_ksumma_warned;
                } else {
                    self.ksumma.combine(&b.ksumma);
                    self.ks = KsState::Running(open);
                }
            }
            _ => {
                if b.ks_seen {
                    self.ks = match b.ks {
                        KsState::Running(line) => KsState::Running(line.map(|l| l + shift)),
                        s => s,
                    };
                    self.ksumma = std::mem::take(&mut b.ksumma);
                }
                if b.checksum != ChecksumStatus::Absent {
                    self.checksum = b.checksum;
                }
                if let Some(index) = b.after_ksumma_index
                    && self.after_ksumma_warned
                {
                    self.dead.push(index + offset);
                }
                self.after_ksumma_warned |= b.after_ksumma_warned;
            }
        }
        self.ks_seen |= b.ks_seen;
        // Records about the content, in file order after those before.
        let mut toks = Tokens::default();
        for (line, raw) in std::mem::take(&mut b.deferred) {
            toks.lex(&raw);
            let Some(Tok::Field { span, .. }) = toks.toks.first().copied() else {
                continue;
            };
            let label_bytes = toks.bytes(&raw, span);
            let enc = if raw.is_ascii() {
                FileEncoding::Cp437
            } else {
                self.encoding()
            };
            let rec = Rec {
                label: Label::of(label_bytes),
                line: line + shift,
                enc,
                label_bytes,
                raw: &raw,
                toks: &toks,
            };
            self.content(&rec);
        }
        self.line_no += b.line_no;
        Some(())
    }

    // ------------------------------------------------------------ finish

    fn finish(mut self) -> ReadOutcome {
        if let KsState::Running(line) = self.ks {
            self.checksum = ChecksumStatus::Unterminated;
            self.diag(
                Severity::Error,
                K::ChecksumStructure,
                line.unwrap_or(1),
                "#KSUMMA",
                None,
                "inledande #KSUMMA utan avslutande kontrollsumma; specifikationen säger att en sådan fil ska avvisas",
            );
        }
        if self.records == 0 {
            self.diag(
                Severity::Error,
                K::EmptyFile,
                1,
                "file",
                None,
                "inga SIE-poster hittades",
            );
        }
        if !self.header_done {
            self.header_done = true;
            self.apply_account_details_so_far();
            self.visitor.header(&self.file);
        }
        self.encoding_checks();
        self.apply_account_details();
        self.reference_checks();
        self.type_checks();
        let mut diags = std::mem::take(&mut self.diags);
        if !self.dead.is_empty() {
            let mut dead = std::mem::take(&mut self.dead);
            dead.sort_unstable();
            let mut i = 0;
            diags.retain(|_| {
                let keep = dead.binary_search(&i).is_err();
                i += 1;
                keep
            });
        }
        diags.sort_by_key(|d| (d.line, !read_before_record(d)));
        ReadOutcome {
            file: self.file,
            diagnostics: diags,
            encoding: self.enc.unwrap_or(FileEncoding::Cp437),
            declared_format: self.declared_format,
            checksum: self.checksum,
            counts: self.counts,
        }
    }

    fn encoding_checks(&mut self) {
        let enc = self.enc.unwrap_or(FileEncoding::Cp437);
        if enc != FileEncoding::Cp437 {
            let claims = self
                .declared_format
                .clone()
                .unwrap_or_else(|| "ingenting".to_owned());
            let line = self.first(Label::Format).unwrap_or(1);
            let which = if enc == FileEncoding::Utf8 {
                "UTF-8"
            } else {
                "UTF-16"
            };
            self.diag(
                Severity::Warning,
                K::EncodingMismatch,
                line,
                "#FORMAT",
                None,
                format!("#FORMAT anger {claims} men byten är {which}; avkodat som {which}"),
            );
        }
        if self.fffd_lines > 0 {
            let (n, line) = (self.fffd_lines, self.first_fffd_line);
            self.diag(
                Severity::Warning,
                K::EncodingLoss,
                line,
                "encoding",
                None,
                format!("{n} rad(er) innehåller ersättningstecknet U+FFFD: de ursprungliga bokstäverna gick förlorade innan filen skrevs och kan inte återställas"),
            );
        }
    }

    fn first(&self, label: Label) -> Option<usize> {
        self.first_line
            .get(label as usize)
            .copied()
            .filter(|&l| l != 0)
    }

    /// Apply the #KTYP, #ENHET and #SRU read so far to the accounts defined so far (the rest
    /// wait for the end of the file).
    pub(crate) fn apply_account_details_so_far(&mut self) {
        let accounts = &mut self.file.accounts;
        self.pending_ktyp
            .retain(|(_, acc, t)| match accounts.get_mut(acc) {
                Some(a) => {
                    a.kind = Some(*t);
                    false
                }
                None => true,
            });
        self.pending_enhet
            .retain_mut(|(_, acc, u)| match accounts.get_mut(acc) {
                Some(a) => {
                    a.unit = std::mem::take(u);
                    false
                }
                None => true,
            });
        self.pending_sru
            .retain_mut(|(_, acc, c)| match accounts.get_mut(acc) {
                Some(a) => {
                    a.sru.push(std::mem::take(c));
                    false
                }
                None => true,
            });
    }

    fn apply_account_details(&mut self) {
        let mut missing: std::collections::BTreeMap<AccountNo, (usize, &'static str)> =
            std::collections::BTreeMap::new();
        for (line, acc, t) in std::mem::take(&mut self.pending_ktyp) {
            match self.file.accounts.get_mut(&acc) {
                Some(a) => a.kind = Some(t),
                None => {
                    missing.entry(acc).or_insert((line, "#KTYP"));
                }
            }
        }
        for (line, acc, u) in std::mem::take(&mut self.pending_enhet) {
            match self.file.accounts.get_mut(&acc) {
                Some(a) => a.unit = u,
                None => {
                    missing.entry(acc).or_insert((line, "#ENHET"));
                }
            }
        }
        for (line, acc, c) in std::mem::take(&mut self.pending_sru) {
            match self.file.accounts.get_mut(&acc) {
                Some(a) => a.sru.push(c),
                None => {
                    missing.entry(acc).or_insert((line, "#SRU"));
                }
            }
        }
        for (acc, (line, label)) in missing {
            self.diag(
                Severity::Warning,
                K::UnknownAccount,
                line,
                label,
                Some("kontonr"),
                format!("{label} för kontot {acc}, som saknar #KONTO; ignoreras"),
            );
        }
    }

    fn reference_checks(&mut self) {
        let mut refs: Vec<(String, usize, Label)> = self
            .account_refs
            .drain()
            .map(|(key, (line, label))| (fields::account_digits(key), line, label))
            .collect();
        refs.sort();
        for (acc, line, label) in refs {
            if !self.file.accounts.contains_key(&AccountNo::validated(&acc)) {
                self.diag(
                    Severity::Warning,
                    K::UnknownAccount,
                    line,
                    label.name(),
                    Some("kontonr"),
                    format!("kontot {acc} används men saknar #KONTO (första användningen på den här raden)"),
                );
            }
        }
        let mut dims: Vec<(u32, (usize, Label))> = self.dim_refs.drain().collect();
        dims.sort();
        for (dim, (line, label)) in dims {
            if !self.file.dimensions.contains_key(&dim) {
                let note = if (1..=19).contains(&dim) {
                    " (ett reserverat dimensionsnummer, som specifikationen låter filer lämna odeklarerat)"
                } else {
                    ""
                };
                self.diag(
                    Severity::Warning,
                    K::UndeclaredDimension,
                    line,
                    label.name(),
                    Some("dimensionsnr"),
                    format!("dimension {dim} används utan #DIM eller #UNDERDIM{note}"),
                );
            }
        }
        let mut objs: Vec<(ObjectRef, (usize, Label))> = std::mem::take(&mut self.object_refs)
            .into_iter()
            .flat_map(|(dim, m)| {
                m.into_iter().map(move |(name, first)| {
                    (ObjectRef::new(dim, String::from_utf8_lossy(&name)), first)
                })
            })
            .collect();
        objs.sort();
        for (obj, (line, label)) in objs {
            if !self.file.objects.contains_key(&obj) {
                self.diag(
                    Severity::Warning,
                    K::UndeclaredObject,
                    line,
                    label.name(),
                    Some("objektlista"),
                    format!(
                        "objektet {:?} i dimension {} används utan #OBJEKT",
                        obj.object, obj.dimension
                    ),
                );
            }
        }
    }

    fn type_checks(&mut self) {
        for label in [
            Label::Flagga,
            Label::Program,
            Label::Format,
            Label::Gen,
            Label::Fnamn,
        ] {
            if self.first(label).is_none() && self.records > 0 {
                self.diag(
                    Severity::Warning,
                    K::TypeConformance,
                    1,
                    label.name(),
                    None,
                    format!("den obligatoriska posten {} saknas", label.name()),
                );
            }
        }
        let t = self.file.sie_type;
        let beyond_type1 = [
            Label::Ver,
            Label::Psaldo,
            Label::Pbudget,
            Label::Oib,
            Label::Oub,
        ]
        .iter()
        .find_map(|l| self.first(*l));
        let mut found: Vec<(usize, &'static str, String)> = Vec::new();
        match t {
            None => {
                if let Some(line) = beyond_type1 {
                    found.push((line, "#SIETYP", "ingen #SIETYP (specifikationens standard är typ 1) men filen har poster av en högre typ".into()));
                }
            }
            Some(t) => {
                let n = t.number();
                if n <= 3 && self.first(Label::Rar).is_none() {
                    found.push((1, "#RAR", format!("#RAR är obligatorisk i SIE typ {n}")));
                }
                if (n == 2 || n == 3) && self.first(Label::Omfattn).is_none() {
                    found.push((
                        1,
                        "#OMFATTN",
                        format!("#OMFATTN är obligatorisk i SIE typ {n}"),
                    ));
                }
                if let Some(line) = self.first(Label::Ver).filter(|_| n <= 3) {
                    found.push((
                        line,
                        "#VER",
                        format!("verifikationer är inte tillåtna i SIE typ {n}"),
                    ));
                }
                if n == 1 {
                    for l in [Label::Psaldo, Label::Pbudget, Label::Oib, Label::Oub] {
                        if let Some(line) = self.first(l) {
                            found.push((
                                line,
                                l.name(),
                                format!("{} är inte tillåten i SIE typ 1", l.name()),
                            ));
                        }
                    }
                }
            }
        }
        for (line, label, msg) in found {
            self.diag(
                Severity::Warning,
                K::TypeConformance,
                line,
                label,
                None,
                msg,
            );
        }
        if t == Some(SieType::Type2) {
            self.drop_object_rows_for_type2();
        }
    }

    /// Spec §11 #PSALDO: a type-2 reader ignores rows with a non-empty object list.
    fn drop_object_rows_for_type2(&mut self) {
        let mut ignored: Vec<(usize, &'static str)> = Vec::new();
        fn retain_rows<T>(
            rows: &mut Vec<T>,
            lines: &[usize],
            has_objects: impl Fn(&T) -> bool,
            label: &'static str,
            ignored: &mut Vec<(usize, &'static str)>,
        ) {
            let mut idx = 0;
            rows.retain(|r| {
                let line = lines.get(idx).copied().unwrap_or(1);
                idx += 1;
                if has_objects(r) {
                    ignored.push((line, label));
                    false
                } else {
                    true
                }
            });
        }
        retain_rows(
            &mut self.file.period_balances,
            &self.psaldo_lines,
            |r| !r.objects.is_empty(),
            "#PSALDO",
            &mut ignored,
        );
        retain_rows(
            &mut self.file.period_budgets,
            &self.pbudget_lines,
            |r| !r.objects.is_empty(),
            "#PBUDGET",
            &mut ignored,
        );
        retain_rows(
            &mut self.file.object_opening_balances,
            &self.oib_lines,
            |r| !r.objects.is_empty(),
            "#OIB",
            &mut ignored,
        );
        retain_rows(
            &mut self.file.object_closing_balances,
            &self.oub_lines,
            |r| !r.objects.is_empty(),
            "#OUB",
            &mut ignored,
        );
        for (line, label) in ignored {
            self.diag(
                Severity::Info,
                K::IgnoredForType,
                line,
                label,
                Some("objektlista"),
                "rad med objektlista ignoreras: läsare av SIE typ 2 ska ignorera objektrader",
            );
        }
    }
}
