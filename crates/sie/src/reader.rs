//! The SIE reader: bytes in, [`SieFile`] plus [`Diagnostic`]s out.
//!
//! Reads SIE types 1–4 and 4I, every record type of the 4B spec, line by
//! line in one pass, then runs whole-file checks (undeclared accounts,
//! dimensions and objects, records required or forbidden by the SIE type).
//! It collects every problem as a diagnostic and never panics: all indexing
//! is checked and no input-derived value is unwrapped. It deliberately does
//! not sum, convert or interpret balances (no municipal logic), does not
//! repair unbalanced vouchers and does not reorder anything.

use crate::checksum::{ChecksumStatus, Ksumma};
use crate::diagnostics::{Diagnostic, DiagnosticKind as K, Severity};
use crate::encoding::{self, FieldDecoding, FileEncoding};
use crate::lexer::{self, LexIssue, RawToken};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// Everything the reader learned: the content, the diagnostics and facts
/// about this serialisation (encoding, #FORMAT, #KSUMMA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOutcome {
    /// The content.
    pub file: SieFile,
    /// All diagnostics, in line order.
    pub diagnostics: Vec<Diagnostic>,
    /// The encoding used to decode the file.
    pub encoding: FileEncoding,
    /// The #FORMAT value, if any.
    pub declared_format: Option<String>,
    /// The #KSUMMA verdict.
    pub checksum: ChecksumStatus,
}

/// Read a SIE file. Never panics; problems become diagnostics.
pub fn read(bytes: &[u8]) -> (SieFile, Vec<Diagnostic>) {
    let o = read_outcome(bytes);
    (o.file, o.diagnostics)
}

/// Read a SIE file and also report encoding and checksum facts.
pub fn read_outcome(bytes: &[u8]) -> ReadOutcome {
    run(bytes, None)
}

/// Read a SIE file as [`read`] does, but hand every voucher to `sink` as soon as its block is
/// complete (its rows, row kinds and diagnostics done) instead of keeping it: the returned
/// [`SieFile`] has no vouchers. The vouchers come in file order, exactly those that
/// `read(bytes).0.vouchers` holds, and the diagnostics are the same; a huge file can be
/// checked or streamed without holding its vouchers.
pub fn read_with(bytes: &[u8], sink: &mut dyn FnMut(Voucher)) -> (SieFile, Vec<Diagnostic>) {
    let o = read_outcome_with(bytes, sink);
    (o.file, o.diagnostics)
}

/// [`read_outcome`] with the vouchers handed to `sink` as [`read_with`] does.
pub fn read_outcome_with(bytes: &[u8], sink: &mut dyn FnMut(Voucher)) -> ReadOutcome {
    run(bytes, Some(sink))
}

fn run(bytes: &[u8], sink: Option<&mut dyn FnMut(Voucher)>) -> ReadOutcome {
    let detected = encoding::detect(bytes);
    let mut r = Reader::new(detected.encoding, sink);
    for (no, line) in lexer::lines(&detected.bytes) {
        r.line(no, line);
    }
    r.finish()
}

/// A decoded token.
#[derive(Debug, Clone)]
enum Tok {
    Text(String),
    List(Vec<String>),
}

/// A decoded record.
struct Rec {
    label: String,
    line: usize,
    toks: Vec<Tok>,
}

impl Rec {
    /// Field `i` as text; `None` if missing or if it is an object list.
    fn text(&self, i: usize) -> Option<&str> {
        match self.toks.get(i) {
            Some(Tok::Text(s)) => Some(s),
            _ => None,
        }
    }
    /// Field `i` as text, empty if missing.
    fn text_or_empty(&self, i: usize) -> String {
        self.text(i).unwrap_or_default().to_owned()
    }
    fn is_list(&self, i: usize) -> bool {
        matches!(self.toks.get(i), Some(Tok::List(_)))
    }
}

#[derive(PartialEq, Eq)]
enum KsState {
    NotStarted,
    Running { line: usize },
    Done,
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum BlockState {
    AwaitingOpen,
    Open,
}

struct OpenVoucher {
    voucher: Option<Voucher>,
    line: usize,
    state: BlockState,
    /// A row was dropped, so the balance check would only repeat that error.
    incomplete: bool,
    /// Line of the last #RTRANS if it still awaits its duplicate #TRANS.
    pending_added: Option<usize>,
}

struct Reader<'s> {
    enc: FileEncoding,
    /// Where finished vouchers go; `None` keeps them in `file.vouchers`.
    sink: Option<&'s mut dyn FnMut(Voucher)>,
    file: SieFile,
    diags: Vec<Diagnostic>,
    ks: KsState,
    ksumma: Ksumma,
    checksum: ChecksumStatus,
    after_ksumma_warned: bool,
    declared_format: Option<String>,
    voucher: Option<OpenVoucher>,
    /// Lines of records (by canonical label) for whole-file checks.
    first_line: BTreeMap<&'static str, usize>,
    account_refs: BTreeMap<AccountNo, (usize, &'static str)>,
    unusual_accounts: BTreeSet<AccountNo>,
    dim_refs: BTreeMap<u32, (usize, &'static str)>,
    object_refs: BTreeMap<ObjectRef, (usize, &'static str)>,
    pending_ktyp: Vec<(usize, AccountNo, AccountType)>,
    pending_enhet: Vec<(usize, AccountNo, String)>,
    pending_sru: Vec<(usize, AccountNo, String)>,
    /// Lines of #PSALDO/#PBUDGET/#OIB/#OUB rows, parallel to the model vectors.
    psaldo_lines: Vec<usize>,
    pbudget_lines: Vec<usize>,
    oib_lines: Vec<usize>,
    oub_lines: Vec<usize>,
    fffd_lines: usize,
    first_fffd_line: usize,
    last_fffd_line: usize,
    records: usize,
}

const KNOWN: &[&str] = &[
    "#FLAGGA",
    "#PROGRAM",
    "#FORMAT",
    "#GEN",
    "#SIETYP",
    "#PROSA",
    "#FTYP",
    "#FNR",
    "#ORGNR",
    "#BKOD",
    "#ADRESS",
    "#FNAMN",
    "#RAR",
    "#TAXAR",
    "#OMFATTN",
    "#KPTYP",
    "#VALUTA",
    "#KONTO",
    "#KTYP",
    "#ENHET",
    "#SRU",
    "#DIM",
    "#UNDERDIM",
    "#OBJEKT",
    "#IB",
    "#UB",
    "#OIB",
    "#OUB",
    "#RES",
    "#PSALDO",
    "#PBUDGET",
    "#VER",
    "#TRANS",
    "#RTRANS",
    "#BTRANS",
    "#KSUMMA",
];

fn canonical(label: &str) -> Option<&'static str> {
    KNOWN.iter().copied().find(|k| *k == label)
}

impl<'s> Reader<'s> {
    fn new(enc: FileEncoding, sink: Option<&'s mut dyn FnMut(Voucher)>) -> Self {
        Reader {
            enc,
            sink,
            file: SieFile::default(),
            diags: Vec::new(),
            ks: KsState::NotStarted,
            ksumma: Ksumma::new(),
            checksum: ChecksumStatus::Absent,
            after_ksumma_warned: false,
            declared_format: None,
            voucher: None,
            first_line: BTreeMap::new(),
            account_refs: BTreeMap::new(),
            unusual_accounts: BTreeSet::new(),
            dim_refs: BTreeMap::new(),
            object_refs: BTreeMap::new(),
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
        }
    }

    fn diag(
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

    fn err(&mut self, kind: K, rec: &Rec, field: Option<&str>, msg: impl Into<String>) {
        let (line, label) = (rec.line, rec.label.clone());
        self.diag(Severity::Error, kind, line, &label, field, msg);
    }

    fn warn(&mut self, kind: K, rec: &Rec, field: Option<&str>, msg: impl Into<String>) {
        let (line, label) = (rec.line, rec.label.clone());
        self.diag(Severity::Warning, kind, line, &label, field, msg);
    }

    // ---------------------------------------------------------------- lines

    fn line(&mut self, no: usize, raw: &[u8]) {
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
        let lexed = lexer::lex_line(raw);
        for issue in &lexed.issues {
            let (sev, kind, msg) = match issue {
                LexIssue::UnterminatedQuote => (
                    Severity::Warning,
                    K::UnterminatedQuote,
                    "quoted field is not closed; it runs to the end of the line".to_owned(),
                ),
                LexIssue::UnterminatedList => (
                    Severity::Error,
                    K::MalformedObjectList,
                    "object list is not closed with '}'".to_owned(),
                ),
                LexIssue::NestedBrace => (
                    Severity::Warning,
                    K::MalformedObjectList,
                    "'{' inside an object list was ignored".to_owned(),
                ),
                LexIssue::ControlChar(c) => (
                    Severity::Warning,
                    K::ControlCharacter,
                    format!("control character 0x{c:02X} removed from the line"),
                ),
            };
            self.diag(sev, kind, no, "line", None, msg);
        }
        let Some((first, rest)) = lexed.tokens.split_first() else {
            return;
        };
        let label_bytes = match first {
            RawToken::Field {
                bytes,
                quoted: false,
            } if bytes.first() == Some(&b'#') && bytes.len() > 1 => bytes,
            _ => {
                let shown = encoding::decode_cp437(raw.get(..raw.len().min(40)).unwrap_or(raw));
                self.diag(
                    Severity::Error,
                    K::NotARecord,
                    no,
                    "line",
                    None,
                    format!("line does not start with a #LABEL: {shown:?}"),
                );
                return;
            }
        };
        let label: String = encoding::decode_cp437(label_bytes).to_ascii_uppercase();
        self.records += 1;

        // #KSUMMA bookkeeping happens on raw bytes, before decoding.
        if label == "#KSUMMA" {
            let value = rest.first().and_then(|t| match t {
                RawToken::Field { bytes, .. } if !bytes.is_empty() => {
                    Some(encoding::decode_cp437(bytes))
                }
                _ => None,
            });
            self.ksumma_record(no, value);
            return;
        }
        match self.ks {
            KsState::Running { .. } => self.ksumma.feed_record(label_bytes, rest),
            KsState::Done if !self.after_ksumma_warned => {
                self.after_ksumma_warned = true;
                self.diag(
                    Severity::Warning,
                    K::ChecksumStructure,
                    no,
                    &label,
                    None,
                    "record after the closing #KSUMMA is not covered by the checksum",
                );
            }
            _ => {}
        }

        let toks = rest.iter().map(|t| self.decode_token(no, t)).collect();
        let rec = Rec {
            label,
            line: no,
            toks,
        };
        self.record(rec);
    }

    fn decode_one(&mut self, line: usize, bytes: &[u8]) -> String {
        let (s, how) = encoding::decode_field(bytes, self.enc);
        if how == FieldDecoding::Latin1Fallback {
            self.diag(
                Severity::Warning,
                K::EncodingFallback,
                line,
                "encoding",
                None,
                format!(
                    "field {:?} is not CP437 text; decoded as Latin-1 ({:?} in CP437)",
                    s,
                    encoding::decode_cp437(bytes)
                ),
            );
        }
        if s.contains('\u{FFFD}') {
            if self.fffd_lines == 0 {
                self.first_fffd_line = line;
            }
            // Count lines, not fields.
            if self.last_fffd_line != line {
                self.fffd_lines += 1;
                self.last_fffd_line = line;
            }
        }
        s
    }

    fn decode_token(&mut self, line: usize, t: &RawToken) -> Tok {
        match t {
            RawToken::Field { bytes, .. } => Tok::Text(self.decode_one(line, bytes)),
            RawToken::List(members) => {
                Tok::List(members.iter().map(|m| self.decode_one(line, m)).collect())
            }
        }
    }

    // ------------------------------------------------------------- #KSUMMA

    fn ksumma_record(&mut self, no: usize, value: Option<String>) {
        match (&self.ks, value) {
            (KsState::NotStarted, None) => self.ks = KsState::Running { line: no },
            (KsState::NotStarted, Some(_)) => {
                self.ks = KsState::Done;
                self.checksum = ChecksumStatus::Unverifiable;
                self.diag(
                    Severity::Warning,
                    K::ChecksumStructure,
                    no,
                    "#KSUMMA",
                    Some("kontrollsumma"),
                    "closing #KSUMMA without an opening #KSUMMA; the checksum cannot be verified",
                );
            }
            (KsState::Running { .. }, None) => self.diag(
                Severity::Warning,
                K::ChecksumStructure,
                no,
                "#KSUMMA",
                None,
                "second opening #KSUMMA ignored",
            ),
            (KsState::Running { .. }, Some(v)) => {
                self.ks = KsState::Done;
                let computed = self.ksumma.value();
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
                                "checksum mismatch: file says {declared}, contents give {computed}"
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
                            format!("checksum {v:?} is not an unsigned 32-bit number"),
                        );
                    }
                }
            }
            (KsState::Done, _) => self.diag(
                Severity::Warning,
                K::ChecksumStructure,
                no,
                "#KSUMMA",
                None,
                "extra #KSUMMA after the closing checksum ignored",
            ),
        }
    }

    // ------------------------------------------------------------- blocks

    fn open_brace(&mut self, no: usize) {
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
                    format!("'{{' inside the block of the #VER on line {vline}; the previous block was not closed"),
                );
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
                    "'{' without a preceding #VER; the block is skipped",
                );
                self.discard_block(no);
            }
        }
    }

    fn discard_block(&mut self, no: usize) {
        self.voucher = Some(OpenVoucher {
            voucher: None,
            line: no,
            state: BlockState::Open,
            incomplete: true,
            pending_added: None,
        });
    }

    fn close_brace(&mut self, no: usize) {
        match &self.voucher {
            Some(v) if v.state == BlockState::Open => self.finish_voucher(),
            _ => self.diag(
                Severity::Error,
                K::BlockStructure,
                no,
                "}",
                None,
                "'}' without an open voucher block",
            ),
        }
    }

    fn finish_voucher(&mut self) {
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
                "#RTRANS is not followed by its duplicate #TRANS, which the spec requires for backward compatibility",
            );
        }
        let Some(v) = ov.voucher else {
            return;
        };
        if ov.state == BlockState::AwaitingOpen {
            self.diag(
                Severity::Warning,
                K::BlockStructure,
                ov.line,
                "#VER",
                None,
                format!(
                    "#VER {} {} has no {{ }} block with transactions",
                    v.series, v.number
                ),
            );
        }
        let sum = v.counted_sum();
        if sum != 0 && !ov.incomplete {
            self.diag(
                Severity::Error,
                K::UnbalancedVoucher,
                ov.line,
                "#VER",
                None,
                format!(
                    "voucher {} {} does not balance: its counted rows sum to {}",
                    v.series,
                    v.number,
                    fmt_ore(sum)
                ),
            );
        }
        match &mut self.sink {
            Some(sink) => sink(v),
            None => self.file.vouchers.push(v),
        }
    }

    // ------------------------------------------------------------ records

    fn record(&mut self, rec: Rec) {
        let canon = canonical(&rec.label);
        if let Some(c) = canon {
            self.first_line.entry(c).or_insert(rec.line);
        }
        let is_row = matches!(canon, Some("#TRANS" | "#RTRANS" | "#BTRANS"));

        // Voucher block bookkeeping.
        if let Some(v) = &self.voucher {
            match (v.state, is_row, canon) {
                (BlockState::Open, true, _) => {
                    self.row(rec);
                    return;
                }
                (BlockState::Open, false, Some(_)) => {
                    let vline = v.line;
                    self.err(
                        K::BlockStructure,
                        &rec,
                        None,
                        format!("missing '}}': the block of the #VER on line {vline} is not closed before this record"),
                    );
                    self.finish_voucher();
                }
                (BlockState::Open, false, None) => {}
                (BlockState::AwaitingOpen, _, _) => self.finish_voucher(),
            }
        }
        if is_row {
            self.err(
                K::Misplaced,
                &rec,
                None,
                "transaction row outside a #VER { } block; ignored",
            );
            return;
        }

        match canon {
            None => {
                let msg = format!("unknown record {} ignored", rec.label);
                let (line, label) = (rec.line, rec.label.clone());
                self.diag(Severity::Info, K::UnknownRecord, line, &label, None, msg);
            }
            Some("#VER") => self.ver(rec),
            Some(
                c @ ("#KONTO" | "#KTYP" | "#ENHET" | "#SRU" | "#DIM" | "#UNDERDIM" | "#OBJEKT"),
            ) => self.chart_record(c, &rec),
            Some(c @ ("#IB" | "#UB" | "#RES" | "#OIB" | "#OUB" | "#PSALDO" | "#PBUDGET")) => {
                self.balance_record(c, &rec)
            }
            Some(c) => self.identification_record(c, &rec),
        }
    }

    /// Flag and identification records (spec §11, "Identifikationsposter").
    fn identification_record(&mut self, canon: &'static str, rec: &Rec) {
        match canon {
            "#FLAGGA" => match rec.text(0).map(str::parse::<u8>) {
                Some(Ok(f)) => self.file.flag = f,
                _ => self.warn(K::InvalidNumber, rec, Some("x"), "#FLAGGA should be 0 or 1"),
            },
            "#PROGRAM" => {
                if self.dup_check(rec, self.file.program.is_some()) {
                    return;
                }
                match rec.text(0) {
                    Some(name) => {
                        self.file.program = Some(Program {
                            name: name.to_owned(),
                            version: rec.text_or_empty(1),
                        })
                    }
                    None => self.warn(K::MissingField, rec, Some("programnamn"), "no program name"),
                }
            }
            "#FORMAT" => {
                let f = rec.text_or_empty(0);
                if !f.eq_ignore_ascii_case("PC8") {
                    self.warn(
                        K::UnsupportedFormat,
                        rec,
                        Some("PC8"),
                        format!("#FORMAT {f:?}: the spec allows only PC8 (CP437); encoding detected from the bytes"),
                    );
                }
                self.declared_format = Some(f);
            }
            "#GEN" => {
                if self.dup_check(rec, self.file.generated.is_some()) {
                    return;
                }
                if let Some(date) = self.date(rec, 0, "datum", true) {
                    self.file.generated = Some(Generated {
                        date,
                        sign: rec.text_or_empty(1),
                    });
                }
            }
            "#SIETYP" if self.dup_check(rec, self.file.sie_type.is_some()) => {}
            "#SIETYP" => match rec.text(0).and_then(SieType::parse) {
                Some(t) => self.file.sie_type = Some(t),
                None => self.err(
                    K::InvalidValue,
                    rec,
                    Some("typnr"),
                    format!("SIE type {:?} is not 1, 2, 3 or 4", rec.text_or_empty(0)),
                ),
            },
            "#PROSA" => self.single_text(rec, "text", |f| &mut f.prosa),
            "#FTYP" => self.single_text(rec, "företagstyp", |f| &mut f.company_type),
            "#FNR" => self.single_text(rec, "företagsid", |f| &mut f.company_id),
            "#BKOD" => self.single_text(rec, "SNI-kod", |f| &mut f.sni_code),
            "#FNAMN" => self.single_text(rec, "företagsnamn", |f| &mut f.company_name),
            "#KPTYP" => self.single_text(rec, "typ", |f| &mut f.chart_type),
            "#VALUTA" => self.single_text(rec, "valutakod", |f| &mut f.currency),
            "#ORGNR" => {
                if self.dup_check(rec, self.file.org_nr.is_some()) {
                    return;
                }
                match rec.text(0).filter(|s| !s.is_empty()) {
                    Some(n) => {
                        self.file.org_nr = Some(OrgNr {
                            number: n.to_owned(),
                            acquisition: rec.text_or_empty(1),
                            activity: rec.text_or_empty(2),
                        })
                    }
                    None => self.warn(
                        K::MissingField,
                        rec,
                        Some("orgnr"),
                        "#ORGNR without a number",
                    ),
                }
            }
            "#ADRESS" => {
                if self.dup_check(rec, self.file.address.is_some()) {
                    return;
                }
                self.file.address = Some(Address {
                    contact: rec.text_or_empty(0),
                    street: rec.text_or_empty(1),
                    postal: rec.text_or_empty(2),
                    phone: rec.text_or_empty(3),
                });
            }
            "#RAR" => {
                let index = self.int(rec, 0, "årsnr");
                let start = self.date(rec, 1, "start", true);
                let end = self.date(rec, 2, "slut", true);
                if let (Some(index), Some(start), Some(end)) = (index, start, end) {
                    if end < start {
                        self.err(
                            K::InvalidDate,
                            rec,
                            Some("slut"),
                            "fiscal year ends before it starts",
                        );
                    }
                    if self.file.fiscal_years.iter().any(|y| y.index == index) {
                        self.warn(
                            K::Duplicate,
                            rec,
                            Some("årsnr"),
                            format!("#RAR {index} given twice"),
                        );
                    }
                    self.file
                        .fiscal_years
                        .push(FiscalYear { index, start, end });
                }
            }
            "#TAXAR" if self.dup_check(rec, self.file.tax_year.is_some()) => {}
            "#TAXAR" => {
                if let Some(y) = self.int(rec, 0, "år") {
                    self.file.tax_year = Some(y);
                }
            }
            "#OMFATTN" if self.dup_check(rec, self.file.balances_until.is_some()) => {}
            "#OMFATTN" => {
                if let Some(d) = self.date(rec, 0, "datum", true) {
                    self.file.balances_until = Some(d);
                }
            }
            _ => {}
        }
    }

    /// Chart-of-accounts records: accounts, dimensions, objects.
    fn chart_record(&mut self, canon: &'static str, rec: &Rec) {
        match canon {
            "#KONTO" => {
                let Some(acc) = self.account(rec, 0, false) else {
                    return;
                };
                if self.file.accounts.contains_key(&acc) {
                    self.warn(
                        K::Duplicate,
                        rec,
                        Some("kontonr"),
                        format!("#KONTO {acc} defined twice; the first definition is kept"),
                    );
                    return;
                }
                if rec.text(1).is_none() {
                    self.warn(
                        K::MissingField,
                        rec,
                        Some("kontonamn"),
                        format!("#KONTO {acc} has no name"),
                    );
                }
                self.file.accounts.insert(
                    acc,
                    Account {
                        name: rec.text_or_empty(1),
                        kind: None,
                        unit: String::new(),
                        sru: Vec::new(),
                    },
                );
            }
            "#KTYP" => {
                let Some(acc) = self.account(rec, 0, false) else {
                    return;
                };
                match rec.text(1).and_then(AccountType::from_code) {
                    Some(t) => self.pending_ktyp.push((rec.line, acc, t)),
                    None => self.err(
                        K::InvalidValue,
                        rec,
                        Some("kontotyp"),
                        format!(
                            "account type {:?} is not T, S, K or I",
                            rec.text_or_empty(1)
                        ),
                    ),
                }
            }
            "#ENHET" => {
                let Some(acc) = self.account(rec, 0, false) else {
                    return;
                };
                match rec.text(1) {
                    Some(u) => self.pending_enhet.push((rec.line, acc, u.to_owned())),
                    None => self.warn(K::MissingField, rec, Some("enhet"), "no unit"),
                }
            }
            "#SRU" => {
                let Some(acc) = self.account(rec, 0, false) else {
                    return;
                };
                match rec.text(1).filter(|s| !s.is_empty()) {
                    Some(c) => self.pending_sru.push((rec.line, acc, c.to_owned())),
                    None => self.warn(K::MissingField, rec, Some("SRU-kod"), "no SRU code"),
                }
            }
            "#DIM" => {
                let Some(n) = self.dim_no(rec, 0, "dimensionsnr") else {
                    return;
                };
                self.add_dimension(rec, n, None);
            }
            "#UNDERDIM" => {
                let Some(n) = self.dim_no(rec, 0, "dimensionsnr") else {
                    return;
                };
                let Some(parent) = self.dim_no(rec, 2, "superdimension") else {
                    return;
                };
                self.dim_refs
                    .entry(parent)
                    .or_insert((rec.line, "#UNDERDIM"));
                self.add_dimension(rec, n, Some(parent));
            }
            "#OBJEKT" => {
                let Some(dim) = self.dim_no(rec, 0, "dimensionsnr") else {
                    return;
                };
                let id = match rec.text(1) {
                    Some(id) if !id.is_empty() => id.to_owned(),
                    _ => {
                        self.err(
                            K::MissingField,
                            rec,
                            Some("objektnr"),
                            "#OBJEKT without an object id",
                        );
                        return;
                    }
                };
                self.dim_refs.entry(dim).or_insert((rec.line, "#OBJEKT"));
                let key = ObjectRef::new(dim, id);
                if self.file.objects.contains_key(&key) {
                    self.warn(
                        K::Duplicate,
                        rec,
                        Some("objektnr"),
                        format!(
                            "object {} {:?} defined twice; the first definition is kept",
                            key.dimension, key.object
                        ),
                    );
                    return;
                }
                self.file.objects.insert(key, rec.text_or_empty(2));
            }
            _ => {}
        }
    }

    /// Balance and period records (#IB #UB #RES #OIB #OUB #PSALDO #PBUDGET).
    fn balance_record(&mut self, canon: &'static str, rec: &Rec) {
        match canon {
            label @ ("#IB" | "#UB" | "#RES") => {
                let Some(year) = self.int(rec, 0, "årsnr") else {
                    return;
                };
                let Some(account) = self.account(rec, 1, true) else {
                    return;
                };
                let Some(amount) = self.amount(rec, 2, "saldo") else {
                    return;
                };
                let quantity = self.quantity(rec, 3);
                let b = Balance {
                    year,
                    account,
                    amount,
                    quantity,
                };
                match label {
                    "#IB" => self.file.opening_balances.push(b),
                    "#UB" => self.file.closing_balances.push(b),
                    _ => self.file.results.push(b),
                }
            }
            label @ ("#OIB" | "#OUB") => {
                let Some(year) = self.int(rec, 0, "årsnr") else {
                    return;
                };
                let Some(account) = self.account(rec, 1, true) else {
                    return;
                };
                let Some((objects, next)) = self.objects_at(rec, 2) else {
                    return;
                };
                let Some(amount) = self.amount(rec, next, "saldo") else {
                    return;
                };
                let quantity = self.quantity(rec, next + 1);
                let b = ObjectBalance {
                    year,
                    account,
                    objects,
                    amount,
                    quantity,
                };
                if label == "#OIB" {
                    self.file.object_opening_balances.push(b);
                    self.oib_lines.push(rec.line);
                } else {
                    self.file.object_closing_balances.push(b);
                    self.oub_lines.push(rec.line);
                }
            }
            label @ ("#PSALDO" | "#PBUDGET") => {
                let Some(year) = self.int(rec, 0, "årsnr") else {
                    return;
                };
                let Some(period) = self.period(rec, 1) else {
                    return;
                };
                let Some(account) = self.account(rec, 2, true) else {
                    return;
                };
                let Some((objects, next)) = self.objects_at(rec, 3) else {
                    return;
                };
                let Some(amount) = self.amount(rec, next, "saldo") else {
                    return;
                };
                let quantity = self.quantity(rec, next + 1);
                let p = PeriodAmount {
                    year,
                    period,
                    account,
                    objects,
                    amount,
                    quantity,
                };
                if label == "#PSALDO" {
                    self.file.period_balances.push(p);
                    self.psaldo_lines.push(rec.line);
                } else {
                    self.file.period_budgets.push(p);
                    self.pbudget_lines.push(rec.line);
                }
            }
            _ => {}
        }
    }

    /// Warn about a repeated single-valued record. Returns true if it is one.
    fn dup_check(&mut self, rec: &Rec, present: bool) -> bool {
        if present {
            self.warn(
                K::Duplicate,
                rec,
                None,
                format!("{} given twice; the first one is kept", rec.label),
            );
        }
        present
    }

    fn single_text(
        &mut self,
        rec: &Rec,
        field: &str,
        slot: impl Fn(&mut SieFile) -> &mut Option<String>,
    ) {
        let present = slot(&mut self.file).is_some();
        if self.dup_check(rec, present) {
            return;
        }
        match rec.text(0) {
            Some(t) => *slot(&mut self.file) = Some(t.to_owned()),
            None => self.warn(
                K::MissingField,
                rec,
                Some(field),
                format!("{} without a value", rec.label),
            ),
        }
    }

    fn add_dimension(&mut self, rec: &Rec, n: u32, parent: Option<u32>) {
        if let Some(existing) = self.file.dimensions.get(&n) {
            let what = if existing.parent.is_some() {
                "#UNDERDIM"
            } else {
                "#DIM"
            };
            self.warn(
                K::Duplicate,
                rec,
                Some("dimensionsnr"),
                format!("dimension {n} is already declared by {what} {n} {:?}; this declaration is ignored", existing.name),
            );
            return;
        }
        if rec.text(1).is_none() {
            self.warn(
                K::MissingField,
                rec,
                Some("namn"),
                format!("dimension {n} has no name"),
            );
        }
        self.file.dimensions.insert(
            n,
            Dimension {
                name: rec.text_or_empty(1),
                parent,
            },
        );
    }

    // ------------------------------------------------------------ vouchers

    fn ver(&mut self, rec: Rec) {
        let date = self.date(&rec, 2, "verdatum", true);
        let registered = self.date(&rec, 4, "regdatum", false);
        let voucher = date.map(|date| Voucher {
            series: rec.text_or_empty(0),
            number: rec.text_or_empty(1),
            date,
            text: rec.text_or_empty(3),
            registered,
            sign: rec.text_or_empty(5),
            rows: Vec::new(),
        });
        self.voucher = Some(OpenVoucher {
            incomplete: voucher.is_none(),
            voucher,
            line: rec.line,
            state: BlockState::AwaitingOpen,
            pending_added: None,
        });
    }

    fn row(&mut self, rec: Rec) {
        let kind = match rec.label.as_str() {
            "#RTRANS" => RowKind::Added,
            "#BTRANS" => RowKind::Struck,
            _ => RowKind::Normal,
        };
        let discard = self.voucher.as_ref().is_none_or(|v| v.voucher.is_none());
        if discard {
            return; // the #VER or the block was already reported
        }
        let parsed = self.trans_fields(&rec);
        let Some(ov) = self.voucher.as_mut() else {
            return;
        };
        let Some(mut row) = parsed else {
            ov.incomplete = true;
            return;
        };
        let pending = ov.pending_added.take();
        let mut unmatched_rtrans = None;
        if let Some(rline) = pending {
            let prev = ov.voucher.as_ref().and_then(|v| v.rows.last());
            let alike = prev.is_some_and(|p| {
                p.account == row.account && p.objects == row.objects && p.amount == row.amount
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
        if let Some(v) = ov.voucher.as_mut() {
            v.rows.push(row);
        }
        if let Some(rline) = unmatched_rtrans {
            self.diag(
                Severity::Warning,
                K::RtransWithoutDuplicate,
                rline,
                "#RTRANS",
                None,
                "#RTRANS is not followed by an identical #TRANS; the next row is counted as its own row",
            );
        }
    }

    fn trans_fields(&mut self, rec: &Rec) -> Option<TransRow> {
        let kind = match rec.label.as_str() {
            "#RTRANS" => RowKind::Added,
            "#BTRANS" => RowKind::Struck,
            _ => RowKind::Normal,
        };
        let account = self.account(rec, 0, true)?;
        let (objects, next) = self.objects_at(rec, 1)?;
        let amount = self.amount(rec, next, "belopp")?;
        let date = self.date(rec, next + 1, "transdat", false);
        Some(TransRow {
            kind,
            account,
            objects,
            amount,
            date,
            text: rec.text_or_empty(next + 2),
            quantity: self.quantity(rec, next + 3),
            sign: rec.text_or_empty(next + 4),
        })
    }

    // ------------------------------------------------------------ fields

    fn int(&mut self, rec: &Rec, i: usize, field: &str) -> Option<i32> {
        match rec.text(i) {
            None => {
                self.err(
                    K::MissingField,
                    rec,
                    Some(field),
                    format!("missing {field}; record ignored"),
                );
                None
            }
            Some(s) => match s.parse::<i32>() {
                Ok(v) => Some(v),
                Err(_) => {
                    self.err(
                        K::InvalidNumber,
                        rec,
                        Some(field),
                        format!("{field} {s:?} is not an integer; record ignored"),
                    );
                    None
                }
            },
        }
    }

    fn dim_no(&mut self, rec: &Rec, i: usize, field: &str) -> Option<u32> {
        match rec.text(i) {
            None => {
                self.err(
                    K::MissingField,
                    rec,
                    Some(field),
                    format!("missing {field}; record ignored"),
                );
                None
            }
            Some(s) => match parse_dim(s) {
                Some(v) => Some(v),
                None => {
                    self.err(
                        K::InvalidNumber,
                        rec,
                        Some(field),
                        format!("dimension number {s:?} is not a number; record ignored"),
                    );
                    None
                }
            },
        }
    }

    fn date(&mut self, rec: &Rec, i: usize, field: &str, required: bool) -> Option<Date> {
        let s = rec.text(i).unwrap_or_default();
        if s.is_empty() || (!required && s == "00000000") {
            if required {
                self.err(
                    K::MissingField,
                    rec,
                    Some(field),
                    format!("missing {field}; record ignored"),
                );
            }
            return None;
        }
        match Date::parse(s) {
            Ok(d) => Some(d),
            Err(e) => {
                let tail = if required {
                    "; record ignored"
                } else {
                    "; field ignored"
                };
                self.err(
                    K::InvalidDate,
                    rec,
                    Some(field),
                    format!("{field}: {e}{tail}"),
                );
                None
            }
        }
    }

    fn period(&mut self, rec: &Rec, i: usize) -> Option<Period> {
        let s = rec.text(i).unwrap_or_default();
        match Period::parse(s) {
            Ok(p) => Some(p),
            Err(e) => {
                self.err(
                    K::InvalidPeriod,
                    rec,
                    Some("period"),
                    format!("{e}; record ignored"),
                );
                None
            }
        }
    }

    fn amount(&mut self, rec: &Rec, i: usize, field: &str) -> Option<Amount> {
        match rec.text(i) {
            None => {
                self.err(
                    K::MissingField,
                    rec,
                    Some(field),
                    format!("missing {field}; record ignored"),
                );
                None
            }
            Some(s) => match Amount::parse(s) {
                Ok(a) => Some(a),
                Err(e) => {
                    self.err(
                        K::MalformedAmount,
                        rec,
                        Some(field),
                        format!("{e}; record ignored"),
                    );
                    None
                }
            },
        }
    }

    fn quantity(&mut self, rec: &Rec, i: usize) -> Option<Quantity> {
        let s = rec.text(i).filter(|s| !s.is_empty())?;
        match Quantity::parse(s) {
            Ok(q) => Some(q),
            Err(e) => {
                self.warn(
                    K::MalformedQuantity,
                    rec,
                    Some("kvantitet"),
                    format!("{e}; quantity ignored"),
                );
                None
            }
        }
    }

    /// Parse an account number; `referenced` records it for the #KONTO check.
    fn account(&mut self, rec: &Rec, i: usize, referenced: bool) -> Option<AccountNo> {
        let s = match rec.text(i) {
            Some(s) if !s.is_empty() => s,
            _ => {
                self.err(
                    K::MissingField,
                    rec,
                    Some("kontonr"),
                    "missing account number; record ignored",
                );
                return None;
            }
        };
        let acc = match AccountNo::parse(s) {
            Ok(a) => a,
            Err(e) => {
                self.err(
                    K::InvalidAccount,
                    rec,
                    Some("kontonr"),
                    format!("{e}; record ignored"),
                );
                return None;
            }
        };
        if !acc.has_usual_length() && self.unusual_accounts.insert(acc.clone()) {
            self.warn(
                K::InvalidAccount,
                rec,
                Some("kontonr"),
                format!(
                    "account {acc} has {} digits; charts normally use 3 to 5",
                    acc.as_str().len()
                ),
            );
        }
        if referenced {
            let label = canonical(&rec.label).unwrap_or("#TRANS");
            self.account_refs
                .entry(acc.clone())
                .or_insert((rec.line, label));
        }
        Some(acc)
    }

    /// Parse the object list at `i`. Tolerates a missing list (returns the
    /// index of the next field unchanged). `None` means: drop the record.
    fn objects_at(&mut self, rec: &Rec, i: usize) -> Option<(Vec<ObjectRef>, usize)> {
        if !rec.is_list(i) {
            self.diag(
                Severity::Info,
                K::MalformedObjectList,
                rec.line,
                &rec.label.clone(),
                Some("objektlista"),
                "no object list {} where the spec has one; read as empty",
            );
            return Some((Vec::new(), i));
        }
        let members: Vec<String> = match rec.toks.get(i) {
            Some(Tok::List(m)) => m.clone(),
            _ => Vec::new(),
        };
        if !members.len().is_multiple_of(2) {
            self.err(
                K::MalformedObjectList,
                rec,
                Some("objektlista"),
                format!(
                    "object list has {} members; expected dimension/object pairs; record ignored",
                    members.len()
                ),
            );
            return None;
        }
        let label = canonical(&rec.label).unwrap_or("#TRANS");
        let mut out: Vec<ObjectRef> = Vec::with_capacity(members.len() / 2);
        for pair in members.chunks(2) {
            let (Some(d), Some(o)) = (pair.first(), pair.get(1)) else {
                continue;
            };
            let Some(dim) = parse_dim(d) else {
                self.err(
                    K::MalformedObjectList,
                    rec,
                    Some("objektlista"),
                    format!(
                        "dimension number {d:?} in object list is not a number; record ignored"
                    ),
                );
                return None;
            };
            if o.is_empty() {
                self.warn(
                    K::MalformedObjectList,
                    rec,
                    Some("objektlista"),
                    format!("empty object id for dimension {dim} ignored"),
                );
                continue;
            }
            if out.iter().any(|x| x.dimension == dim) {
                self.warn(
                    K::MalformedObjectList,
                    rec,
                    Some("objektlista"),
                    format!(
                        "dimension {dim} appears twice in the object list; the first object is used"
                    ),
                );
                continue;
            }
            let r = ObjectRef::new(dim, o.clone());
            self.dim_refs.entry(dim).or_insert((rec.line, label));
            self.object_refs
                .entry(r.clone())
                .or_insert((rec.line, label));
            out.push(r);
        }
        Some((out, i + 1))
    }

    // ------------------------------------------------------------ finish

    fn finish(mut self) -> ReadOutcome {
        if let Some(v) = &self.voucher {
            if v.state == BlockState::Open {
                let line = v.line;
                let what = if v.voucher.is_some() { "#VER" } else { "{" };
                self.diag(
                    Severity::Error,
                    K::BlockStructure,
                    line,
                    what,
                    None,
                    "the file ends inside this voucher block: missing '}' (truncated file?)",
                );
            }
            self.finish_voucher();
        }
        if let KsState::Running { line } = self.ks {
            self.checksum = ChecksumStatus::Unterminated;
            self.diag(
                Severity::Error,
                K::ChecksumStructure,
                line,
                "#KSUMMA",
                None,
                "opening #KSUMMA without a closing checksum; the spec says to refuse such a file",
            );
        }
        if self.records == 0 {
            self.diag(
                Severity::Error,
                K::EmptyFile,
                1,
                "file",
                None,
                "no SIE records found",
            );
        }
        self.encoding_checks();
        self.apply_account_details();
        self.reference_checks();
        self.type_checks();
        self.diags.sort_by_key(|d| d.line);
        ReadOutcome {
            file: self.file,
            diagnostics: self.diags,
            encoding: self.enc,
            declared_format: self.declared_format,
            checksum: self.checksum,
        }
    }

    fn encoding_checks(&mut self) {
        if self.enc != FileEncoding::Cp437 {
            let claims = self
                .declared_format
                .clone()
                .unwrap_or_else(|| "nothing".to_owned());
            let line = self.first_line.get("#FORMAT").copied().unwrap_or(1);
            let which = if self.enc == FileEncoding::Utf8 {
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
                format!("#FORMAT says {claims} but the bytes are {which}; decoded as {which}"),
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
                format!("{n} line(s) contain U+FFFD replacement characters: the original letters were lost before this file was written and cannot be recovered"),
            );
        }
    }

    fn apply_account_details(&mut self) {
        let mut missing: BTreeMap<AccountNo, (usize, &'static str)> = BTreeMap::new();
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
                format!("{label} for account {acc}, which has no #KONTO; ignored"),
            );
        }
    }

    fn reference_checks(&mut self) {
        let refs = std::mem::take(&mut self.account_refs);
        for (acc, (line, label)) in refs {
            if !self.file.accounts.contains_key(&acc) {
                self.diag(
                    Severity::Warning,
                    K::UnknownAccount,
                    line,
                    label,
                    Some("kontonr"),
                    format!("account {acc} is used but has no #KONTO (first use on this line)"),
                );
            }
        }
        let dims = std::mem::take(&mut self.dim_refs);
        for (dim, (line, label)) in dims {
            if !self.file.dimensions.contains_key(&dim) {
                let note = if (1..=19).contains(&dim) {
                    " (a reserved dimension number, which the spec lets files leave undeclared)"
                } else {
                    ""
                };
                self.diag(
                    Severity::Warning,
                    K::UndeclaredDimension,
                    line,
                    label,
                    Some("dimensionsnr"),
                    format!("dimension {dim} is used without #DIM or #UNDERDIM{note}"),
                );
            }
        }
        let objs = std::mem::take(&mut self.object_refs);
        for (obj, (line, label)) in objs {
            if !self.file.objects.contains_key(&obj) {
                self.diag(
                    Severity::Warning,
                    K::UndeclaredObject,
                    line,
                    label,
                    Some("objektlista"),
                    format!(
                        "object {:?} of dimension {} is used without #OBJEKT",
                        obj.object, obj.dimension
                    ),
                );
            }
        }
    }

    fn type_checks(&mut self) {
        for label in ["#FLAGGA", "#PROGRAM", "#FORMAT", "#GEN", "#FNAMN"] {
            if !self.first_line.contains_key(label) && self.records > 0 {
                self.diag(
                    Severity::Warning,
                    K::TypeConformance,
                    1,
                    label,
                    None,
                    format!("mandatory record {label} is missing"),
                );
            }
        }
        let t = self.file.sie_type;
        let has = |l: &str| self.first_line.get(l).copied();
        let beyond_type1 = ["#VER", "#PSALDO", "#PBUDGET", "#OIB", "#OUB"]
            .iter()
            .find_map(|l| has(l));
        let mut found: Vec<(usize, &'static str, String)> = Vec::new();
        match t {
            None => {
                if let Some(line) = beyond_type1 {
                    found.push((line, "#SIETYP", "no #SIETYP (the spec's default is type 1) but the file has records of a higher type".into()));
                }
            }
            Some(t) => {
                let n = t.number();
                if n <= 3 && has("#RAR").is_none() {
                    found.push((1, "#RAR", format!("#RAR is mandatory in SIE type {n}")));
                }
                if (n == 2 || n == 3) && has("#OMFATTN").is_none() {
                    found.push((
                        1,
                        "#OMFATTN",
                        format!("#OMFATTN is mandatory in SIE type {n}"),
                    ));
                }
                if let Some(line) = has("#VER").filter(|_| n <= 3) {
                    found.push((
                        line,
                        "#VER",
                        format!("vouchers are not allowed in SIE type {n}"),
                    ));
                }
                if n == 1 {
                    for l in ["#PSALDO", "#PBUDGET", "#OIB", "#OUB"] {
                        if let Some(line) = has(l) {
                            found.push((line, l, format!("{l} is not allowed in SIE type 1")));
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
                "row with an object list ignored: SIE type 2 readers must ignore object rows",
            );
        }
    }
}

fn parse_dim(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn fmt_ore(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}
