//! Voucher blocks: `#VER` and its `{ … }` block, the rows (#TRANS, #RTRANS,
//! #BTRANS), the #RTRANS duplicate rule, the balance check, and the
//! [`Visitor`] that receives every finished voucher as a borrowed
//! [`VoucherView`].
//!
//! A voucher's texts live in one reused arena and its rows in reused
//! vectors, so a voucher costs no allocation once the buffers have grown, and
//! memory holds one voucher at a time. Texts are decoded only when they are
//! not plain ASCII. It deliberately does not sum anything across vouchers
//! (see [`crate::sums`]) and knows nothing about the records outside blocks.

use crate::diagnostics::{DiagnosticKind as K, Severity};
use crate::encoding;
use crate::fields;
use crate::model::{
    AccountNo, Amount, Date, ObjectRef, Quantity, RowKind, SieFile, TransRow, Voucher,
};
use crate::reader::Reader;
use crate::records::{Label, Rec};
use std::ops::Range;

/// Receives what a streaming read finds. Both methods have empty defaults.
pub trait Visitor {
    /// Once, before the first voucher (or at the end of a file without any), with every
    /// non-voucher record read so far (#ORGNR, #FNAMN, #RAR, #PROGRAM, #KONTO with the #KTYP,
    /// #ENHET and #SRU read so far …). Records after the first #VER, the whole-file checks and
    /// the type-2 rule for object rows are not in it yet: they are in the outcome.
    fn header(&mut self, _file: &SieFile) {}
    /// Every voucher in file order once its block is complete (rows, row kinds, its
    /// diagnostics done): exactly the vouchers that [`crate::read`] keeps.
    fn voucher(&mut self, _voucher: &VoucherView<'_>) {}
    /// The same vouchers as [`Visitor::voucher`], their rows as the reader holds them, when
    /// [`Visitor::handover`] is [`Handover::Rows`].
    fn voucher_rows(&mut self, _voucher: &VoucherRows<'_>) {}
    /// What the reader hands over of each voucher.
    fn handover(&self) -> Handover {
        Handover::Views
    }
    /// Whether [`VoucherView::text`], [`VoucherView::sign`], [`RowView::text`] and
    /// [`RowView::sign`] are read. When false they are empty strings, and the reader neither
    /// copies nor decodes them (diagnostics are unchanged).
    fn wants_text(&self) -> bool {
        true
    }
}

/// What the reader hands a [`Visitor`] of each finished voucher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handover {
    /// [`Visitor::voucher`] with a [`VoucherView`]: every field of every row, resolved.
    Views,
    /// [`Visitor::voucher_rows`] with the rows as the reader holds them ([`VoucherRows`]),
    /// a row's texts resolved only when asked: for a visitor that reads a few fields of each
    /// row (as [`crate::Sums`] does), this saves building the views.
    Rows,
    /// Nothing: the vouchers are only checked and counted (as `styr sie check` does).
    Nothing,
}

/// A visitor that can be split across threads, one part of the file each, and merged back.
pub trait Fork: Visitor + Send + Sized {
    /// An empty visitor for another part of the file.
    fn fork(&self) -> Self;
    /// Take in what a visitor of the part of the file that follows gathered.
    fn merge(&mut self, later: Self);
}

/// One finished voucher, borrowed from the reader.
#[derive(Debug, Clone, Copy)]
pub struct VoucherView<'a> {
    /// Line of its #VER.
    pub line: usize,
    /// Series (may be empty).
    pub series: &'a str,
    /// Number (may be empty).
    pub number: &'a str,
    /// Voucher date.
    pub date: Date,
    /// Text (empty if none).
    pub text: &'a str,
    /// Registration date.
    pub registered: Option<Date>,
    /// Signature (empty if none).
    pub sign: &'a str,
    /// Rows in file order, including struck rows and #RTRANS duplicates.
    pub rows: &'a [RowView<'a>],
}

/// One row of a [`VoucherView`].
#[derive(Debug, Clone)]
pub struct RowView<'a> {
    /// Record kind.
    pub kind: RowKind,
    /// Account digits (1–10 ASCII digits).
    pub account: &'a str,
    /// Object list after the reader's rules (pairs, empty ids dropped, the first object per
    /// dimension), decoded.
    pub objects: &'a [(u32, &'a str)],
    /// Amount in öre.
    pub amount: i64,
    /// Transaction date, if given (otherwise the voucher date applies).
    pub date: Option<Date>,
    /// Text (empty if none).
    pub text: &'a str,
    /// Quantity, if given.
    pub quantity: Option<Quantity>,
    /// Signature (empty if none).
    pub sign: &'a str,
    /// The reader's number of the row's account and object list as written, or
    /// [`NO_SPELLING`] (see [`RowView::spelling`]).
    spelling: u32,
}

/// A row read the general way has no spelling number.
const NO_SPELLING: u32 = u32::MAX;

/// Rows are equal when what they say is: the spelling number is the reader's bookkeeping.
impl PartialEq for RowView<'_> {
    fn eq(&self, other: &Self) -> bool {
        let RowView {
            kind,
            account,
            objects,
            amount,
            date,
            text,
            quantity,
            sign,
            spelling: _,
        } = self;
        *kind == other.kind
            && *account == other.account
            && *objects == other.objects
            && *amount == other.amount
            && *date == other.date
            && *text == other.text
            && *quantity == other.quantity
            && *sign == other.sign
    }
}

impl Eq for RowView<'_> {}

impl RowView<'_> {
    /// A number the reader gave this row's account and object list *as written* (the bytes
    /// from the account to the list's `}`), when it read the row the fast way: two rows with
    /// the same number have the same [`account`](Self::account) and
    /// [`objects`](Self::objects). A visitor can remember what it derived from them under
    /// this number instead of looking them up again. Numbers are dense from 0 and belong to
    /// one reader: a part of a file read on another thread (a [`Fork`]) numbers its own.
    /// `None` for a row read the general way.
    pub fn spelling(&self) -> Option<u32> {
        (self.spelling != NO_SPELLING).then_some(self.spelling)
    }

    /// The object of dimension `dim`, if listed.
    pub fn object_in(&self, dim: u32) -> Option<&str> {
        self.objects
            .iter()
            .find(|(d, _)| *d == dim)
            .map(|(_, o)| *o)
    }
    /// An owned row.
    pub fn to_row(&self) -> TransRow {
        TransRow {
            kind: self.kind,
            account: AccountNo::validated(self.account),
            objects: self
                .objects
                .iter()
                .map(|(d, o)| ObjectRef::new(*d, *o))
                .collect(),
            amount: Amount(self.amount),
            date: self.date,
            text: self.text.to_owned(),
            quantity: self.quantity.clone(),
            sign: self.sign.to_owned(),
        }
    }
}

impl VoucherView<'_> {
    /// An owned voucher.
    pub fn to_voucher(&self) -> Voucher {
        Voucher {
            series: self.series.to_owned(),
            number: self.number.to_owned(),
            date: self.date,
            text: self.text.to_owned(),
            registered: self.registered,
            sign: self.sign.to_owned(),
            rows: self.rows.iter().map(RowView::to_row).collect(),
        }
    }
    /// Rows that are part of the booked amounts.
    pub fn counted_rows(&self) -> impl Iterator<Item = &RowView<'_>> {
        self.rows.iter().filter(|r| r.kind.counts())
    }
}

/// One finished voucher as the reader holds it (see [`Handover::Rows`]): its rows' amounts,
/// kinds and dates at hand, their account and objects resolved when asked.
#[derive(Debug, Clone, Copy)]
pub struct VoucherRows<'a> {
    /// Line of its #VER.
    pub line: usize,
    /// Voucher date.
    pub date: Date,
    rows: &'a [RowData],
    texts: Texts<'a>,
}

/// Where a held row's texts are: the voucher's arena, its object list and the row cache.
#[derive(Debug, Clone, Copy)]
struct Texts<'a> {
    arena: &'a str,
    cache: &'a str,
    objects: &'a [(u32, Text)],
}

impl<'a> Texts<'a> {
    fn get(&self, t: &Text) -> &'a str {
        resolve(self.arena, self.cache, t)
    }
}

impl<'a> VoucherRows<'a> {
    /// Rows in file order, including struck rows and #RTRANS duplicates.
    pub fn rows(&self) -> impl Iterator<Item = HeldRow<'a>> + use<'a> {
        let texts = self.texts;
        self.rows.iter().map(move |row| HeldRow { row, texts })
    }
}

/// One row of a [`VoucherRows`]: the same fields as a [`RowView`], each read when asked.
#[derive(Debug, Clone, Copy)]
pub struct HeldRow<'a> {
    row: &'a RowData,
    texts: Texts<'a>,
}

impl<'a> HeldRow<'a> {
    /// Record kind.
    pub fn kind(&self) -> RowKind {
        self.row.kind
    }
    /// Amount in öre.
    pub fn amount(&self) -> i64 {
        self.row.amount
    }
    /// Transaction date, if given (otherwise the voucher date applies).
    pub fn date(&self) -> Option<Date> {
        self.row.date
    }
    /// See [`RowView::spelling`].
    pub fn spelling(&self) -> Option<u32> {
        (self.row.spelling != NO_SPELLING).then_some(self.row.spelling)
    }
    /// See [`RowView::account`].
    pub fn account(&self) -> &'a str {
        self.texts.get(&self.row.account)
    }
    /// The object of dimension `dim`, if listed (see [`RowView::objects`]).
    pub fn object_in(&self, dim: u32) -> Option<&'a str> {
        let objects = self
            .texts
            .objects
            .get(self.row.objects.start as usize..self.row.objects.end as usize)?;
        objects
            .iter()
            .find(|(d, _)| *d == dim)
            .map(|(_, t)| self.texts.get(t))
    }
}

/// Vouchers and rows handed over, for summaries of a streamed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VoucherCounts {
    /// Vouchers (those [`crate::read`] keeps).
    pub vouchers: usize,
    /// Counted rows: #TRANS + #RTRANS, without #RTRANS duplicates and #BTRANS.
    pub transactions: usize,
    /// #RTRANS rows.
    pub added_rows: usize,
    /// #BTRANS rows.
    pub struck_rows: usize,
}

impl VoucherCounts {
    pub(crate) fn add(&mut self, other: &VoucherCounts) {
        self.vouchers += other.vouchers;
        self.transactions += other.transactions;
        self.added_rows += other.added_rows;
        self.struck_rows += other.struck_rows;
    }
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub(crate) enum BlockState {
    AwaitingOpen,
    Open,
}

/// Range of a text in the arena, or with [`IN_CACHE`] set on both ends, of the row cache's
/// text (a fast row's account and objects, which need no copy).
type Text = Range<u32>;

/// Marks a [`Text`] of the row cache's text (whose offsets stay below 2³¹: the cache is full
/// before, see `RowCache::is_full`).
const IN_CACHE: u32 = 1 << 31;

/// A text of the arena or of the row cache's text.
#[inline]
fn resolve<'a>(arena: &'a str, cache: &'a str, t: &Text) -> &'a str {
    if t.start == t.end {
        return "";
    }
    let (base, start, end) = if t.start & IN_CACHE != 0 {
        (cache, t.start & !IN_CACHE, t.end & !IN_CACHE)
    } else {
        (arena, t.start, t.end)
    };
    base.get(start as usize..end as usize).unwrap_or_default()
}

/// A row, its texts in the arena (or, a fast row's account and objects, in the row cache's
/// text).
#[derive(Debug, Clone)]
struct RowData {
    kind: RowKind,
    account: Text,
    objects: Range<u32>,
    amount: i64,
    date: Option<Date>,
    text: Text,
    quantity: Option<Text>,
    sign: Text,
    /// See [`RowView::spelling`].
    spelling: u32,
}

/// The voucher being read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OpenVoucher {
    /// False when the #VER had no valid date, or the block is being skipped.
    pub(crate) valid: bool,
    pub(crate) line: usize,
    pub(crate) state: BlockState,
    /// A row was dropped, so the balance check would only repeat that error.
    incomplete: bool,
    /// Line of the last #RTRANS if it still awaits its duplicate #TRANS.
    pending_added: Option<usize>,
    date: Date,
    registered: Option<Date>,
    /// Sum of the counted rows.
    sum: i128,
}

/// The reused buffers of the voucher being read.
#[derive(Debug, Default)]
pub(crate) struct VoucherBuf {
    /// The texts, decoded, one after the other.
    arena: String,
    /// The #VER's series and number as written, one after the other (the series is
    /// `head[..series_len]`), decoded only when a message or a view needs them: most vouchers
    /// need neither.
    head: Vec<u8>,
    series_len: usize,
    head_encoding: Option<encoding::FileEncoding>,
    text: Text,
    sign: Text,
    rows: Vec<RowData>,
    objects: Vec<(u32, Text)>,
    view_objects: Vec<(u32, &'static str)>,
    view_rows: Vec<RowView<'static>>,
}

/// Reuse a vector's allocation for another type of the same layout (an
/// in-place collect of nothing).
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

impl VoucherBuf {
    fn clear(&mut self) {
        self.arena.clear();
        self.rows.clear();
        self.objects.clear();
        self.head.clear();
        self.series_len = 0;
        self.text = 0..0;
        self.sign = 0..0;
    }

    fn push(&mut self, bytes: &[u8], enc: encoding::FileEncoding) -> Text {
        let start = self.arena.len();
        encoding::decode_into(bytes, enc, &mut self.arena);
        u32_of(start)..u32_of(self.arena.len())
    }

    /// Keep the #VER's series and number as written.
    fn set_head(&mut self, series: &[u8], number: &[u8], enc: encoding::FileEncoding) {
        self.head.extend_from_slice(series);
        self.head.extend_from_slice(number);
        self.series_len = series.len();
        self.head_encoding = Some(enc);
    }

    /// The #VER's series and number as written (not decoded).
    fn head_bytes(&self) -> (&[u8], &[u8]) {
        self.head.split_at(self.series_len.min(self.head.len()))
    }

    /// The #VER's series and number, decoded into the arena.
    fn push_head(&mut self) -> (Text, Text) {
        let enc = self.head_encoding.unwrap_or(encoding::FileEncoding::Cp437);
        let head = std::mem::take(&mut self.head);
        let (series, number) = head.split_at(self.series_len.min(head.len()));
        let texts = (self.push(series, enc), self.push(number, enc));
        self.head = head;
        texts
    }

    /// The #VER's series and number, decoded, for a message.
    fn head_text(&self) -> (String, String) {
        let enc = self.head_encoding.unwrap_or(encoding::FileEncoding::Cp437);
        let (series, number) = self.head_bytes();
        let decode = |bytes: &[u8]| {
            let mut out = String::new();
            encoding::decode_into(bytes, enc, &mut out);
            out
        };
        (decode(series), decode(number))
    }

    /// A text's bytes (UTF-8).
    fn bytes(&self, t: &Text) -> &[u8] {
        self.arena
            .as_bytes()
            .get(t.start as usize..t.end as usize)
            .unwrap_or_default()
    }

    fn rollback(&mut self, arena: usize, objects: usize) {
        self.arena.truncate(arena);
        self.objects.truncate(objects);
    }

    /// The objects of a row, as decoded pairs.
    fn objects_of(&self, r: &Range<u32>) -> impl Iterator<Item = (u32, &[u8])> {
        self.objects
            .get(r.start as usize..r.end as usize)
            .unwrap_or_default()
            .iter()
            .map(|(d, t)| (*d, self.bytes(t)))
    }
}

pub(crate) fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn fmt_ore(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

impl<V: Visitor + ?Sized> Reader<'_, V> {
    // ------------------------------------------------------------- blocks

    pub(crate) fn open_brace(&mut self, no: usize) {
        match &mut self.voucher {
            Some(v) if v.state == BlockState::AwaitingOpen => v.state = BlockState::Open,
            Some(v) => {
                let vline = v.line;
                self.diag(
                    Severity::Error,
                    K::BlockStructure,
                    no,
                    "{",
                    None,
                    format!("'{{' inuti blocket för #VER på rad {vline}; det föregående blocket stängdes inte"),
                );
                self.note_line_in_message(vline);
                self.finish_voucher();
                self.discard_block(no);
            }
            None => {
                self.diag(
                    Severity::Error,
                    K::BlockStructure,
                    no,
                    "{",
                    None,
                    "'{' utan föregående #VER; blocket hoppas över",
                );
                self.discard_block(no);
            }
        }
    }

    fn discard_block(&mut self, no: usize) {
        self.vbuf.clear();
        self.voucher = Some(OpenVoucher {
            valid: false,
            line: no,
            state: BlockState::Open,
            incomplete: true,
            pending_added: None,
            date: Date::PLACEHOLDER,
            registered: None,
            sum: 0,
        });
    }

    pub(crate) fn close_brace(&mut self, no: usize) {
        match &self.voucher {
            Some(v) if v.state == BlockState::Open => self.finish_voucher(),
            _ => self.diag(
                Severity::Error,
                K::BlockStructure,
                no,
                "}",
                None,
                "'}' utan öppet verifikationsblock",
            ),
        }
    }

    /// What a record outside the rows does to the voucher being read: a known
    /// record closes the block (with an error when it is open); an unknown one
    /// inside an open block is let be. Returns whether a row goes into the block.
    pub(crate) fn voucher_before_record(&mut self, rec_line: usize, label: Label) -> bool {
        let Some(v) = &self.voucher else {
            return false;
        };
        let is_row = label.is_row();
        match (v.state, is_row, label != Label::Unknown) {
            (BlockState::Open, true, _) => return true,
            (BlockState::Open, false, true) => {
                let vline = v.line;
                self.diag(
                    Severity::Error,
                    K::BlockStructure,
                    rec_line,
                    label.name(),
                    None,
                    format!("'}}' saknas: blocket för #VER på rad {vline} stängs inte före den här posten"),
                );
                self.note_line_in_message(vline);
                self.finish_voucher();
            }
            (BlockState::Open, false, false) => {}
            (BlockState::AwaitingOpen, _, _) => self.finish_voucher(),
        }
        false
    }

    /// The end of the input: an open block is reported, the voucher handed over.
    pub(crate) fn voucher_at_end(&mut self) {
        if let Some(v) = &self.voucher {
            if v.state == BlockState::Open {
                let line = v.line;
                let what = if v.valid { "#VER" } else { "{" };
                self.diag(
                    Severity::Error,
                    K::BlockStructure,
                    line,
                    what,
                    None,
                    "filen slutar inuti det här verifikationsblocket: '}' saknas (avkortad fil?)",
                );
            }
            self.finish_voucher();
        }
    }

    pub(crate) fn finish_voucher(&mut self) {
        let Some(ov) = self.voucher.take() else {
            return;
        };
        if let Some(rline) = ov.pending_added {
            self.diag(
                Severity::Warning,
                K::RtransWithoutDuplicate,
                rline,
                "#RTRANS",
                None,
                "#RTRANS följs inte av sin dubblett-#TRANS, som specifikationen kräver för bakåtkompatibilitet",
            );
        }
        if !ov.valid {
            return;
        }
        if ov.state == BlockState::AwaitingOpen {
            let (series, number) = self.vbuf.head_text();
            let msg = format!("#VER {series} {number} har inget {{ }}-block med transaktioner");
            self.diag(
                Severity::Warning,
                K::BlockStructure,
                ov.line,
                "#VER",
                None,
                msg,
            );
        }
        if ov.sum != 0 && !ov.incomplete {
            let (series, number) = self.vbuf.head_text();
            let msg = format!(
                "verifikationen {series} {number} balanserar inte: dess rader summerar till {}",
                fmt_ore(ov.sum)
            );
            self.diag(
                Severity::Error,
                K::UnbalancedVoucher,
                ov.line,
                "#VER",
                None,
                msg,
            );
        }
        self.hand_over(&ov);
    }

    /// Build the borrowed views of the voucher and give them to the visitor.
    fn hand_over(&mut self, ov: &OpenVoucher) {
        if !self.header_done {
            self.header_done = true;
            self.apply_account_details_so_far();
            self.visitor.header(&self.file);
        }
        let b = &mut self.vbuf;
        let counts = &mut self.counts;
        let handover = self.visitor.handover();
        counts.vouchers += 1;
        for r in &b.rows {
            match r.kind {
                RowKind::Normal | RowKind::Added => counts.transactions += 1,
                _ => {}
            }
            match r.kind {
                RowKind::Added => counts.added_rows += 1,
                RowKind::Struck => counts.struck_rows += 1,
                _ => {}
            }
        }
        // Only a view shows the series and number: decoded here, not for every voucher read.
        let (series, number) = match handover {
            Handover::Views => b.push_head(),
            Handover::Rows | Handover::Nothing => (0..0, 0..0),
        };
        let texts = Texts {
            arena: b.arena.as_str(),
            cache: self.row_cache.text.as_str(),
            objects: &b.objects,
        };
        match handover {
            Handover::Nothing => return,
            Handover::Rows => {
                self.visitor.voucher_rows(&VoucherRows {
                    line: ov.line,
                    date: ov.date,
                    rows: &b.rows,
                    texts,
                });
                return;
            }
            Handover::Views => {}
        }
        let mut objects: Vec<(u32, &str)> = std::mem::take(&mut b.view_objects);
        let mut rows: Vec<RowView<'_>> = std::mem::take(&mut b.view_rows);
        let text = |t: &Text| texts.get(t);
        objects.extend(b.objects.iter().map(|(d, t)| (*d, text(t))));
        rows.extend(b.rows.iter().map(|r| {
            RowView {
                kind: r.kind,
                account: text(&r.account),
                objects: objects
                    .get(r.objects.start as usize..r.objects.end as usize)
                    .unwrap_or_default(),
                amount: r.amount,
                date: r.date,
                text: text(&r.text),
                quantity: r
                    .quantity
                    .as_ref()
                    .and_then(|q| Quantity::parse(text(q)).ok()),
                sign: text(&r.sign),
                spelling: r.spelling,
            }
        }));
        let view = VoucherView {
            line: ov.line,
            series: text(&series),
            number: text(&number),
            date: ov.date,
            text: text(&b.text),
            registered: ov.registered,
            sign: text(&b.sign),
            rows: &rows,
        };
        self.visitor.voucher(&view);
        b.view_rows = recycle(rows);
        b.view_objects = recycle(objects);
    }

    // ------------------------------------------------------------ vouchers

    pub(crate) fn ver(&mut self, rec: &Rec<'_>) {
        let date = self.date(rec, 2, "verdatum", true);
        let registered = self.date(rec, 4, "regdatum", false);
        let field = |i| rec.field(i).unwrap_or_default();
        let texts = [field(0), field(1), field(3), field(5)];
        self.begin_voucher(rec.line, date, registered, texts, rec.enc);
    }

    /// Open the voucher of the `#VER` on `line` (valid when it has a date): its series,
    /// number, text and signature are `texts`.
    fn begin_voucher(
        &mut self,
        line: usize,
        date: Option<Date>,
        registered: Option<Date>,
        texts: [&[u8]; 4],
        enc: encoding::FileEncoding,
    ) {
        self.vbuf.clear();
        // Between vouchers no row points into the row cache: a full one starts again here.
        if self.row_cache.is_full() {
            self.row_cache.start_again();
        }
        let [series, number, text, sign] = texts;
        if date.is_some() {
            let b = &mut self.vbuf;
            b.set_head(series, number, enc);
            if self.want_text {
                b.text = b.push(text, enc);
                b.sign = b.push(sign, enc);
            }
        }
        self.voucher = Some(OpenVoucher {
            valid: date.is_some(),
            incomplete: date.is_none(),
            line,
            state: BlockState::AwaitingOpen,
            pending_added: None,
            date: date.unwrap_or(Date::PLACEHOLDER),
            registered,
            sum: 0,
        });
    }

    /// Read `raw`, line `no`, if it is a plain `#VER` line that the general path would read
    /// without a diagnostic: the label in capitals, then at most six fields, each bare
    /// (without quotes, braces, backslashes or tabs) or quoted (without an escaped quote), one
    /// space apart, a valid voucher date and no registration date or a valid one. The same
    /// voucher, first use and #KSUMMA bytes as the general path; false (and nothing changed)
    /// sends the line down the general path.
    pub(crate) fn fast_ver(&mut self, no: usize, raw: &[u8]) -> bool {
        let running = match self.ks {
            crate::reader::KsState::NotStarted => false,
            crate::reader::KsState::Running(_) => true,
            crate::reader::KsState::Done => return false,
        };
        let Some(fields) = crate::fastrow::ver_fields(raw) else {
            return false;
        };
        // Quoted fields with `\"` are read unescaped, as the lexer gives them (a voucher text
        // often quotes a name): into the row cache's scratch.
        let mut unescaped = std::mem::take(&mut self.row_cache.scratch);
        unescaped.clear();
        let mut spans = [(0, 0); 6];
        for (f, span) in fields.iter().zip(spans.iter_mut()) {
            if let Some(f) = f.filter(|f| f.escaped) {
                let start = unescaped.len();
                f.unescape_into(&mut unescaped);
                *span = (start, unescaped.len());
            }
        }
        let field = |i: usize| match fields.get(i).copied().flatten() {
            Some(f) if f.escaped => spans
                .get(i)
                .and_then(|&(start, end)| unescaped.get(start..end))
                .unwrap_or_default(),
            Some(f) => f.bytes,
            None => b"",
        };
        let Some(date) = self.recent_dates.date(field(2)) else {
            return false;
        };
        let registered = match field(4) {
            b"" | b"00000000" => None,
            bytes => match self.recent_dates.date(bytes) {
                Some(date) => Some(date),
                None => return false,
            },
        };
        // From here on the line is read, as `lexed` and `record` read it (the caller counts
        // the record).
        if running {
            self.ksumma.feed(b"#VER");
            for i in 0..fields.len() {
                self.ksumma.feed(field(i));
            }
        }
        self.note_label(Label::Ver, no);
        self.voucher_before_record(no, Label::Ver);
        let enc = self.enc.unwrap_or(encoding::FileEncoding::Cp437);
        let texts = [field(0), field(1), field(3), field(5)];
        self.begin_voucher(no, Some(date), registered, texts, enc);
        self.row_cache.scratch = unescaped;
        true
    }

    pub(crate) fn row(&mut self, rec: &Rec<'_>) {
        let kind = match rec.label {
            Label::Rtrans => RowKind::Added,
            Label::Btrans => RowKind::Struck,
            _ => RowKind::Normal,
        };
        if self.voucher.as_ref().is_none_or(|v| !v.valid) {
            return; // the #VER or the block was already reported
        }
        let (arena_mark, objects_mark) = (self.vbuf.arena.len(), self.vbuf.objects.len());
        let parsed = self.trans_fields(rec, kind);
        let Some(ov) = self.voucher.as_mut() else {
            return;
        };
        let Some(mut row) = parsed else {
            ov.incomplete = true;
            self.vbuf.rollback(arena_mark, objects_mark);
            return;
        };
        let pending = ov.pending_added.take();
        let mut unmatched_rtrans = None;
        if let Some(rline) = pending {
            let b = &self.vbuf;
            let alike = b.rows.last().is_some_and(|p| {
                p.amount == row.amount
                    && b.bytes(&p.account) == b.bytes(&row.account)
                    && p.objects.len() == row.objects.len()
                    && b.objects_of(&p.objects).eq(b.objects_of(&row.objects))
            });
            if kind == RowKind::Normal && alike {
                row.kind = RowKind::AddedDuplicate;
            } else {
                unmatched_rtrans = Some(rline);
            }
        }
        if kind == RowKind::Added {
            ov.pending_added = Some(rec.line);
        }
        if row.kind.counts() {
            ov.sum += i128::from(row.amount);
        }
        self.vbuf.rows.push(row);
        if let Some(rline) = unmatched_rtrans {
            self.diag(
                Severity::Warning,
                K::RtransWithoutDuplicate,
                rline,
                "#RTRANS",
                None,
                "#RTRANS följs inte av en likadan #TRANS; nästa rad räknas som en egen rad",
            );
        }
    }

    fn trans_fields(&mut self, rec: &Rec<'_>, kind: RowKind) -> Option<RowData> {
        let enc = rec.enc;
        let account_bytes = self.account(rec, 0, true)?;
        let account = self.vbuf.push(account_bytes, enc);
        let first = u32_of(self.vbuf.objects.len());
        let next = self.objects_at(rec, 1, ObjectsTo::Voucher)?;
        let objects = first..u32_of(self.vbuf.objects.len());
        let amount = self.amount(rec, next, "belopp")?;
        let date = self.date(rec, next + 1, "transdat", false);
        let want = self.want_text;
        let b = &mut self.vbuf;
        let text = if want {
            b.push(rec.field(next + 2).unwrap_or_default(), enc)
        } else {
            0..0
        };
        let quantity = self.quantity(rec, next + 3);
        let b = &mut self.vbuf;
        let quantity = quantity.map(|q| b.push(q, enc));
        let sign = if want {
            b.push(rec.field(next + 4).unwrap_or_default(), enc)
        } else {
            0..0
        };
        Some(RowData {
            kind,
            account,
            objects,
            amount,
            date,
            text,
            quantity,
            sign,
            spelling: NO_SPELLING,
        })
    }

    /// Parse the object list at `i`. Tolerates a missing list (returns the
    /// index of the next field unchanged). `None` means: drop the record.
    pub(crate) fn objects_at(
        &mut self,
        rec: &Rec<'_>,
        i: usize,
        to: ObjectsTo<'_>,
    ) -> Option<usize> {
        let Some(members) = rec.list(i) else {
            self.diag(
                Severity::Info,
                K::MalformedObjectList,
                rec.line,
                &rec.name(),
                Some("objektlista"),
                "ingen objektlista {} där specifikationen har en; läses som tom",
            );
            return Some(i);
        };
        if !members.len().is_multiple_of(2) {
            self.err(
                K::MalformedObjectList,
                rec,
                Some("objektlista"),
                format!(
                    "objektlistan har {} medlemmar; väntade par av dimension och objekt; posten ignoreras",
                    members.len()
                ),
            );
            return None;
        }
        let mut to = to;
        let mut taken: u64 = 0; // dimensions 0..64 already in the list, as bits
        let first = self.vbuf.objects.len();
        for pair in members.chunks(2) {
            let (Some(&d), Some(&o)) = (pair.first(), pair.get(1)) else {
                continue;
            };
            let d = rec.span(d);
            let o = rec.span(o);
            let Some(dim) = fields::dim(d) else {
                let shown = rec.decode(d);
                self.err(
                    K::MalformedObjectList,
                    rec,
                    Some("objektlista"),
                    format!(
                        "dimensionsnumret {shown:?} i objektlistan är inget tal; posten ignoreras"
                    ),
                );
                return None;
            };
            if o.is_empty() {
                self.warn(
                    K::MalformedObjectList,
                    rec,
                    Some("objektlista"),
                    format!("tomt objekt-id för dimension {dim} ignoreras"),
                );
                continue;
            }
            let seen = if dim < 64 {
                taken & (1 << dim) != 0
            } else {
                match &to {
                    ObjectsTo::Voucher => self
                        .vbuf
                        .objects
                        .get(first..)
                        .unwrap_or_default()
                        .iter()
                        .any(|(x, _)| *x == dim),
                    ObjectsTo::Owned(v) => v.iter().any(|x| x.dimension == dim),
                }
            };
            if seen {
                self.warn(
                    K::MalformedObjectList,
                    rec,
                    Some("objektlista"),
                    format!(
                        "dimension {dim} förekommer två gånger i objektlistan; det första objektet används"
                    ),
                );
                continue;
            }
            if dim < 64 {
                taken |= 1 << dim;
            }
            self.note_dim(dim, rec.line, rec.label);
            match &mut to {
                ObjectsTo::Voucher => {
                    let t = self.vbuf.push(o, rec.enc);
                    let name = self.vbuf.bytes(&t);
                    note_object(&mut self.object_refs, dim, name, rec.line, rec.label);
                    self.vbuf.objects.push((dim, t));
                }
                ObjectsTo::Owned(v) => {
                    let name = rec.decode(o);
                    note_object(
                        &mut self.object_refs,
                        dim,
                        name.as_bytes(),
                        rec.line,
                        rec.label,
                    );
                    v.push(ObjectRef::new(dim, name));
                }
            }
        }
        Some(i + 1)
    }
}

/// The account and object lists (the *prefix*, as spelled) of `#TRANS` rows that the fast
/// path has checked in this reader: a prefix met again needs no check, no decoding and no
/// bookkeeping of first uses (its first use is on an earlier line of the same reader).
///
/// A ledger of 10 M rows has some 25 000–100 000 prefixes, more than the processor's nearest
/// caches hold, so what a row's lookup reads is one cache line: each prefix is a [`Place`] of
/// an open-addressed table holding its hash, its spelling (when short, as nearly all are) and
/// the lengths of its parts, beside one stretch of `text` (its account and decoded objects).
/// A hash map of indices beside a vector of entries took two or three misses a row.
#[derive(Debug, Default)]
pub(crate) struct RowCache {
    /// A power of two long (or empty), at most half full.
    places: Vec<Place>,
    /// Prefixes remembered since the cache last started again.
    count: usize,
    /// Spellings too long for their place, by the number in the place's `bytes`.
    long: Vec<Box<[u8]>>,
    /// The prefixes' accounts and decoded objects, one prefix after the other.
    text: String,
    /// The prefixes' #KSUMMA bytes, one prefix after the other.
    ks: Vec<u8>,
    /// The text of a row, or the fields of a `#VER`, being unescaped.
    scratch: Vec<u8>,
    /// The members of the object list being checked (see `fastrow::members`).
    spans: Vec<(u32, u32)>,
    /// The spelling number of the first prefix remembered since the cache last started
    /// again: those remembered before (see [`RowView::spelling`]).
    numbered: u32,
}

/// Spelling bytes a [`Place`] holds itself.
const SHORT: usize = 30;

/// A checked prefix: one cache line. Its account's digits (`account` bytes) and then each
/// object's decoded id (`objects[i].1` bytes) are `RowCache::text[start..]`; its #KSUMMA bytes
/// (the account and the list's members as written) are `RowCache::ks[ks..][..ks_len]`.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct Place {
    hash: u64,
    /// Its order among the prefixes remembered since the cache started again, + 1 (0: an
    /// empty place).
    number: u32,
    start: u32,
    ks: u32,
    ks_len: u16,
    enc: encoding::FileEncoding,
    /// The spelling's length when `bytes` holds it, else `LONG` (and `bytes` begins with the
    /// index into `RowCache::long`).
    len: u8,
    account: u8,
    count: u8,
    /// (dimension, length of the decoded id) of each object.
    objects: [(u8, u8); PREFIX_OBJECTS],
    bytes: [u8; SHORT],
}

/// [`Place::len`] of a spelling kept in `RowCache::long`.
const LONG: u8 = u8::MAX;

const EMPTY: Place = Place {
    hash: 0,
    number: 0,
    start: 0,
    ks: 0,
    ks_len: 0,
    enc: encoding::FileEncoding::Cp437,
    len: 0,
    account: 0,
    count: 0,
    objects: [(0, 0); PREFIX_OBJECTS],
    bytes: [0; SHORT],
};

/// The hash of a prefix's bytes.
fn prefix_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// Objects a remembered prefix has at most (a row with more goes the general way).
const PREFIX_OBJECTS: usize = 4;

/// Prefixes remembered at most (past this the cache starts again, so that memory stays
/// bounded whatever the file).
const ROW_CACHE: usize = 1 << 17;

impl RowCache {
    /// Ask the processor to fetch the place where a hash's search begins, without waiting.
    #[inline]
    fn prefetch(&self, hash: u64) {
        if let Some(place) = self.places.get(self.home(hash)) {
            crate::fields::prefetch(place);
        }
    }

    /// Append a prefix's account and its objects (pairs of `list`'s members in `spans`,
    /// decoded) to the text and its #KSUMMA bytes to `ks`, each object's dimension and
    /// length to `parts`; `None` (having appended part of it) for a list the general path
    /// would say something about: an empty id, a dimension twice, an id longer than 255
    /// bytes.
    fn take_objects(
        &mut self,
        account: &[u8],
        list: &[u8],
        enc: encoding::FileEncoding,
        parts: &mut [(u8, u8); PREFIX_OBJECTS],
    ) -> Option<()> {
        self.text.push_str(std::str::from_utf8(account).ok()?);
        self.ks.extend_from_slice(account);
        let member = |(a, b): (u32, u32)| list.get(a as usize..b as usize);
        let mut taken: u64 = 0;
        for (pair, part) in self.spans.chunks_exact(2).zip(parts.iter_mut()) {
            let (d, o) = (member(*pair.first()?)?, member(*pair.get(1)?)?);
            let dim = fields::dim(d)?;
            if o.is_empty() || dim >= 64 || taken & (1 << dim) != 0 {
                return None;
            }
            taken |= 1 << dim;
            let before = self.text.len();
            encoding::decode_into(o, enc, &mut self.text);
            *part = (dim as u8, u8::try_from(self.text.len() - before).ok()?);
            self.ks.extend_from_slice(d);
            self.ks.extend_from_slice(o);
        }
        Some(())
    }

    /// The first place to look for a hash (its top bits, spread: FxHash's low bits are weak).
    fn home(&self, hash: u64) -> usize {
        let bits = self.places.len().trailing_zeros();
        if bits == 0 {
            return 0;
        }
        (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// Whether `place` holds this spelling; `padded` is the spelling padded with zeros to
    /// [`SHORT`] bytes when it fits, as a place keeps it (compared whole, without a call).
    fn holds(
        &self,
        place: &Place,
        hash: u64,
        bytes: &[u8],
        padded: Option<&[u8; SHORT]>,
        enc: encoding::FileEncoding,
    ) -> bool {
        if place.hash != hash || place.enc != enc {
            return false;
        }
        match padded {
            Some(padded) => usize::from(place.len) == bytes.len() && place.bytes == *padded,
            None if place.len == LONG => {
                let [a, b, c, d, ..] = place.bytes;
                let at = u32::from_le_bytes([a, b, c, d]);
                self.long.get(at as usize).is_some_and(|b| **b == *bytes)
            }
            None => false,
        }
    }

    /// The place of a remembered prefix.
    #[inline]
    fn find(&self, hash: u64, bytes: &[u8], enc: encoding::FileEncoding) -> Option<&Place> {
        let mask = self.places.len().checked_sub(1)?;
        let mut buffer = [0u8; SHORT];
        let padded = match buffer.get_mut(..bytes.len()) {
            Some(head) => {
                head.copy_from_slice(bytes);
                Some(&buffer)
            }
            None => None,
        };
        let mut i = self.home(hash);
        loop {
            let place = self.places.get(i)?;
            if place.number == 0 {
                return None;
            }
            if self.holds(place, hash, bytes, padded, enc) {
                return Some(place);
            }
            i = (i + 1) & mask;
        }
    }

    /// The spelling number of a place's prefix.
    fn spelling(&self, place: &Place) -> u32 {
        self.numbered
            .checked_add(place.number - 1)
            .filter(|&n| n != NO_SPELLING)
            .unwrap_or(NO_SPELLING)
    }

    /// Whether the cache remembers all it may: it starts again before it remembers more.
    fn is_full(&self) -> bool {
        let limit = (u32::MAX >> 1) as usize;
        self.count >= ROW_CACHE || self.text.len() > limit || self.ks.len() > limit
    }

    /// Forget every prefix (their numbers are not given again).
    fn start_again(&mut self) {
        self.numbered = self
            .numbered
            .checked_add(u32_of(self.count))
            .unwrap_or(NO_SPELLING);
        self.places.fill(EMPTY);
        self.count = 0;
        self.long.clear();
        self.text.clear();
        self.ks.clear();
    }

    /// Put a place in the table, doubling it first when it would be more than half full.
    fn insert(&mut self, place: Place) -> Option<Place> {
        if (self.count + 1) * 2 > self.places.len() {
            let bigger = (self.places.len() * 2).max(1024);
            let old = std::mem::replace(&mut self.places, vec![EMPTY; bigger]);
            for p in old.into_iter().filter(|p| p.number != 0) {
                self.put(p);
            }
        }
        self.count += 1;
        self.put(place)
    }

    fn put(&mut self, place: Place) -> Option<Place> {
        let mask = self.places.len().checked_sub(1)?;
        let mut i = self.home(place.hash);
        loop {
            let slot = self.places.get_mut(i)?;
            if slot.number == 0 {
                *slot = place;
                return Some(place);
            }
            i = (i + 1) & mask;
        }
    }
}

/// The #KSUMMA bytes of a remembered prefix (its account and its list's members as written).
#[inline]
fn ksumma_bytes<'c>(place: &Place, ks: &'c [u8]) -> Option<&'c [u8]> {
    let start = place.ks as usize;
    ks.get(start..start + usize::from(place.ks_len))
}

impl<V: Visitor + ?Sized> Reader<'_, V> {
    /// Read `raw`, line `no`, if it is a plain `#TRANS` row (no control character, no byte of
    /// 0xC0 or more) that the general path would read without a diagnostic into the open
    /// voucher: the same row, the same first uses, the same #KSUMMA bytes; its end in `raw`.
    /// `None` (and nothing changed) sends the line down the general path. Plainness is asked
    /// of the bytes no parser has vouched for: the text (the amount and date are digits, the
    /// label and the separators are what they must be, a prefix is checked when first met).
    ///
    /// `in_block`: `raw` is the rest of a block from the line's start, and the row ends where
    /// its tail does, at a line break (only the commonest tail, see `fastrow::plain_tail`).
    pub(crate) fn fast_row(&mut self, no: usize, raw: &[u8], in_block: bool) -> Option<usize> {
        let running = match self.ks {
            crate::reader::KsState::NotStarted => false,
            crate::reader::KsState::Running(_) => true,
            crate::reader::KsState::Done => return None,
        };
        match &self.voucher {
            Some(ov) if ov.valid && ov.state == BlockState::Open && ov.pending_added.is_none() => {}
            _ => return None,
        }
        let (start, close) = crate::fastrow::split(raw)?;
        let prefix_bytes = raw.get(start..=close)?;
        // The prefix's place in the row cache is a cache miss more often than not (the table
        // is megabytes): asked for now, it arrives while the tail is read.
        let hash = prefix_hash(prefix_bytes);
        self.row_cache.prefetch(hash);
        // The fields after the list: checked before anything changes. The commonest shape in
        // one pass; any other the general way.
        let plain = |bytes| crate::fastrow::RawField {
            bytes,
            escaped: false,
        };
        let (amount, amount_bytes, date_field, text_field, end) =
            match crate::fastrow::plain_tail(raw, close) {
                Some(t) => (
                    t.amount,
                    t.amount_bytes,
                    t.date.map(plain),
                    t.text.map(plain),
                    t.end,
                ),
                // The general split needs the line's end.
                None if in_block => return None,
                None => {
                    let Some([Some(amount_field), date_field, text_field]) =
                        crate::fastrow::fields_after(raw, close)
                    else {
                        return None;
                    };
                    if amount_field.escaped {
                        return None;
                    }
                    let amount = fields::amount(amount_field.bytes)?;
                    (
                        amount,
                        amount_field.bytes,
                        date_field,
                        text_field,
                        raw.len(),
                    )
                }
            };
        let date = match date_field {
            None => None,
            Some(d) if d.bytes.is_empty() || d.bytes == b"00000000" => None,
            Some(d) if d.escaped => return None,
            Some(d) => Some(self.recent_dates.date(d.bytes)?),
        };
        if text_field.is_some_and(|t| crate::lexer::line_flags(t.bytes) != 0) {
            return None;
        }
        let enc = self.enc.unwrap_or(encoding::FileEncoding::Cp437);
        let place = match self.row_cache.find(hash, prefix_bytes, enc) {
            Some(place) => *place,
            None => self.check_prefix(no, prefix_bytes, enc, hash)?,
        };
        let cache = &mut self.row_cache;
        let spelling = cache.spelling(&place);
        // The prefix's #KSUMMA bytes, when a checksum is being computed.
        let ks: &[u8] = match running {
            false => &[],
            true => ksumma_bytes(&place, &cache.ks)?,
        };
        // From here on the row is read (its label's first use noted as `note_label` does).
        if let Some(first) = self.first_line.get_mut(Label::Trans as usize)
            && (*first == 0 || *first > no)
        {
            *first = no;
        }
        let want_text = self.want_text;
        cache.scratch.clear();
        if let Some(t) = text_field
            && (want_text || running)
        {
            t.unescape_into(&mut cache.scratch);
        }
        if running {
            let k = &mut self.ksumma;
            k.feed(b"#TRANS");
            k.feed(ks);
            k.feed(amount_bytes);
            if let Some(d) = date_field {
                k.feed(d.bytes);
            }
            k.feed(&cache.scratch);
        }
        // The account and the objects stay in the row cache's text: the row points there.
        let b = &mut self.vbuf;
        let in_cache = |from: u32, to: u32| (from | IN_CACHE)..(to | IN_CACHE);
        let mut at = place.start + u32::from(place.account);
        let account = in_cache(place.start, at);
        let first = u32_of(b.objects.len());
        for &(dim, len) in place.objects.iter().take(usize::from(place.count)) {
            let end = at + u32::from(len);
            b.objects.push((u32::from(dim), in_cache(at, end)));
            at = end;
        }
        let objects = first..u32_of(b.objects.len());
        let (text, sign) = if want_text {
            let text = b.push(&cache.scratch, enc);
            (text, b.push(b"", enc))
        } else {
            (0..0, 0..0)
        };
        b.rows.push(RowData {
            kind: RowKind::Normal,
            account,
            objects,
            amount,
            date,
            text,
            quantity: None,
            sign,
            spelling,
        });
        if let Some(ov) = self.voucher.as_mut() {
            ov.sum += i128::from(amount);
        }
        Some(end)
    }

    /// Check a row's account and object list as the general path does, and when it would
    /// say nothing about them, note their first uses and remember the prefix: its place.
    fn check_prefix(
        &mut self,
        no: usize,
        prefix: &[u8],
        enc: encoding::FileEncoding,
        hash: u64,
    ) -> Option<Place> {
        // The cache starts again only between vouchers (see `begin_voucher`): the open
        // voucher's fast rows point into its text. Until then a new prefix is read the general
        // way.
        let full = self.row_cache.is_full();
        if full && !self.vbuf.rows.is_empty() {
            return None;
        }
        if crate::lexer::line_flags(prefix) != 0 {
            return None;
        }
        let (account, list) = crate::fastrow::prefix_parts(prefix)?;
        if !fields::is_account(account) || !(3..=5).contains(&account.len()) {
            return None;
        }
        let cache = &mut self.row_cache;
        crate::fastrow::members(list, &mut cache.spans)?;
        let pairs = cache.spans.len() / 2;
        if !cache.spans.len().is_multiple_of(2)
            || pairs > PREFIX_OBJECTS
            || account.len() > usize::from(u8::MAX)
        {
            return None;
        }
        if full {
            cache.start_again();
        }
        // The account and the decoded objects go straight into the cache's text, and the
        // #KSUMMA bytes into its own; a member that does not pass takes them out again.
        let start = cache.text.len();
        let ks_start = cache.ks.len();
        let mut parts = [(0u8, 0u8); PREFIX_OBJECTS];
        let taken = cache.take_objects(account, list, enc, &mut parts);
        let ks_len = u16::try_from(cache.ks.len() - ks_start).ok();
        let (Some(()), Some(ks_len)) = (taken, ks_len) else {
            cache.text.truncate(start);
            cache.ks.truncate(ks_start);
            return None;
        };
        // What the general path notes: the account's, the dimensions' and the objects' first
        // uses (the lowest line wins).
        note_first(
            &mut self.account_refs,
            fields::account_key(account),
            no,
            Label::Trans,
        );
        let mut at = start + account.len();
        for &(dim, len) in parts.iter().take(pairs) {
            let name = cache.text.as_bytes().get(at..at + usize::from(len))?;
            at += usize::from(len);
            note_first(&mut self.dim_refs, u32::from(dim), no, Label::Trans);
            note_object(
                &mut self.object_refs,
                u32::from(dim),
                name,
                no,
                Label::Trans,
            );
        }
        let mut place = Place {
            hash,
            number: u32_of(cache.count + 1),
            start: u32_of(start),
            ks: u32_of(ks_start),
            ks_len,
            enc,
            len: 0,
            account: account.len() as u8,
            count: pairs as u8,
            objects: parts,
            bytes: [0; SHORT],
        };
        match place.bytes.get_mut(..prefix.len()) {
            Some(bytes) => {
                bytes.copy_from_slice(prefix);
                place.len = prefix.len() as u8;
            }
            None => {
                let at = u32_of(cache.long.len()).to_le_bytes();
                if let Some(head) = place.bytes.get_mut(..at.len()) {
                    head.copy_from_slice(&at);
                }
                place.len = LONG;
                cache.long.push(prefix.into());
            }
        }
        cache.insert(place)
    }
}

/// Where [`Reader::objects_at`] puts the objects.
pub(crate) enum ObjectsTo<'o> {
    /// Into the voucher being read.
    Voucher,
    /// Into a list of owned references (balance records).
    Owned(&'o mut Vec<ObjectRef>),
}

/// First uses of objects: dimension → object id (decoded, as UTF-8 bytes) → (line, label).
pub(crate) type ObjectRefs = Vec<(u32, rustc_hash::FxHashMap<Box<[u8]>, (usize, Label)>)>;

/// Note the first use of an account or a dimension (the lowest line wins).
pub(crate) fn note_first<K: std::hash::Hash + Eq>(
    refs: &mut rustc_hash::FxHashMap<K, (usize, Label)>,
    key: K,
    line: usize,
    label: Label,
) {
    match refs.get_mut(&key) {
        Some(first) if first.0 <= line => {}
        Some(first) => *first = (line, label),
        None => {
            refs.insert(key, (line, label));
        }
    }
}

/// Note the first use of an object (the lowest line wins, so that parts of a file read
/// apart merge to what one pass finds).
pub(crate) fn note_object(refs: &mut ObjectRefs, dim: u32, name: &[u8], line: usize, label: Label) {
    let map = match refs.iter_mut().position(|(d, _)| *d == dim) {
        Some(i) => refs.get_mut(i).map(|(_, m)| m),
        None => {
            refs.push((dim, rustc_hash::FxHashMap::default()));
            refs.last_mut().map(|(_, m)| m)
        }
    };
    let Some(map) = map else { return };
    match map.get_mut(name) {
        Some(first) if first.0 <= line => {}
        Some(first) => *first = (line, label),
        None => {
            map.insert(name.into(), (line, label));
        }
    }
}
