//! Records: identifying a label, reading one record's fields with their
//! diagnostics, and the records outside voucher blocks (flags and
//! identification, the chart of accounts, dimensions and objects, balances,
//! period amounts and budgets).
//!
//! A [`Rec`] is one lexed line borrowed from the reader: its fields are raw
//! bytes, parsed by [`crate::fields`] and decoded only where a text is kept
//! or shown. The field helpers here (`account`, `amount`, `date` …) turn a
//! bad field into the diagnostic the spec calls for, in Swedish, and are the
//! only place each field is parsed. It deliberately knows nothing about
//! lines, encodings of the whole file or #KSUMMA (see [`crate::reader`]).

use crate::diagnostics::{DiagnosticKind as K, Severity};
use crate::encoding::{self, FileEncoding};
use crate::fields;
use crate::lexer::{Span, Tok, Tokens};
use crate::model::*;
use crate::reader::Reader;
use crate::voucher::{ObjectsTo, Visitor};
use std::borrow::Cow;

macro_rules! labels {
    ($($v:ident = $s:literal),* $(,)?) => {
        /// A record label the reader knows, or `Unknown`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub(crate) enum Label { $($v,)* Unknown }
        impl Label {
            /// All known labels.
            pub(crate) const ALL: &'static [Label] = &[$(Label::$v,)*];
            /// The label as written in SIE.
            pub(crate) fn name(self) -> &'static str {
                match self { $(Label::$v => $s,)* Label::Unknown => "#?" }
            }
        }
    };
}

labels! {
    Flagga = "#FLAGGA", Program = "#PROGRAM", Format = "#FORMAT", Gen = "#GEN",
    Sietyp = "#SIETYP", Prosa = "#PROSA", Ftyp = "#FTYP", Fnr = "#FNR", Orgnr = "#ORGNR",
    Bkod = "#BKOD", Adress = "#ADRESS", Fnamn = "#FNAMN", Rar = "#RAR", Taxar = "#TAXAR",
    Omfattn = "#OMFATTN", Kptyp = "#KPTYP", Valuta = "#VALUTA", Konto = "#KONTO",
    Ktyp = "#KTYP", Enhet = "#ENHET", Sru = "#SRU", Dim = "#DIM", Underdim = "#UNDERDIM",
    Objekt = "#OBJEKT", Ib = "#IB", Ub = "#UB", Oib = "#OIB", Oub = "#OUB", Res = "#RES",
    Psaldo = "#PSALDO", Pbudget = "#PBUDGET", Ver = "#VER", Trans = "#TRANS",
    Rtrans = "#RTRANS", Btrans = "#BTRANS", Ksumma = "#KSUMMA",
}

/// Number of labels, `Unknown` included (for arrays indexed by label).
pub(crate) const LABELS: usize = Label::Unknown as usize + 1;

impl Label {
    /// Identify a label (case-insensitive, as the reader upper-cases labels).
    pub(crate) fn of(bytes: &[u8]) -> Label {
        match bytes {
            [b'#', b'T', b'R', b'A', b'N', b'S'] => return Label::Trans,
            [b'#', b'V', b'E', b'R'] => return Label::Ver,
            _ => {}
        }
        if bytes.len() > 10 || bytes.len() < 3 {
            return Label::Unknown;
        }
        let mut buf = [0u8; 10];
        let Some(upper) = buf.get_mut(..bytes.len()) else {
            return Label::Unknown;
        };
        upper.copy_from_slice(bytes);
        upper.make_ascii_uppercase();
        Label::ALL
            .iter()
            .copied()
            .find(|l| l.name().as_bytes() == &*upper)
            .unwrap_or(Label::Unknown)
    }

    /// #TRANS, #RTRANS or #BTRANS.
    pub(crate) fn is_row(self) -> bool {
        matches!(self, Label::Trans | Label::Rtrans | Label::Btrans)
    }
}

/// One record: a lexed line, borrowed.
pub(crate) struct Rec<'a> {
    pub(crate) label: Label,
    pub(crate) line: usize,
    pub(crate) enc: FileEncoding,
    pub(crate) label_bytes: &'a [u8],
    pub(crate) raw: &'a [u8],
    pub(crate) toks: &'a Tokens,
}

impl<'a> Rec<'a> {
    /// Field `i` after the label, if it is a field (not an object list).
    #[inline]
    pub(crate) fn field(&self, i: usize) -> Option<&'a [u8]> {
        match self.toks.toks.get(i + 1) {
            Some(Tok::Field { span, .. }) => Some(self.toks.bytes(self.raw, *span)),
            _ => None,
        }
    }
    /// The members of field `i` if it is an object list.
    pub(crate) fn list(&self, i: usize) -> Option<&'a [Span]> {
        match self.toks.toks.get(i + 1) {
            Some(Tok::List { first, len }) => Some(self.toks.members(*first, *len)),
            _ => None,
        }
    }
    /// The bytes of a member.
    #[inline]
    pub(crate) fn span(&self, s: Span) -> &'a [u8] {
        self.toks.bytes(self.raw, s)
    }
    /// Decode bytes under the file encoding.
    pub(crate) fn decode(&self, bytes: &[u8]) -> String {
        encoding::decode_field(bytes, self.enc).0
    }
    /// Field `i` as text; `None` if missing or if it is an object list.
    pub(crate) fn text(&self, i: usize) -> Option<String> {
        self.field(i).map(|b| self.decode(b))
    }
    /// Field `i` as text, empty if missing.
    pub(crate) fn text_or_empty(&self, i: usize) -> String {
        self.text(i).unwrap_or_default()
    }
    /// The label as shown in diagnostics.
    pub(crate) fn name(&self) -> Cow<'static, str> {
        match self.label {
            Label::Unknown => {
                Cow::Owned(encoding::decode_cp437(self.label_bytes).to_ascii_uppercase())
            }
            l => Cow::Borrowed(l.name()),
        }
    }
}

impl<V: Visitor + ?Sized> Reader<'_, V> {
    pub(crate) fn err(
        &mut self,
        kind: K,
        rec: &Rec<'_>,
        field: Option<&str>,
        msg: impl Into<String>,
    ) {
        self.diag(Severity::Error, kind, rec.line, &rec.name(), field, msg);
    }

    pub(crate) fn warn(
        &mut self,
        kind: K,
        rec: &Rec<'_>,
        field: Option<&str>,
        msg: impl Into<String>,
    ) {
        self.diag(Severity::Warning, kind, rec.line, &rec.name(), field, msg);
    }

    /// Note the first line a label occurs on.
    pub(crate) fn note_label(&mut self, label: Label, line: usize) {
        if let Some(first) = self.first_line.get_mut(label as usize)
            && (*first == 0 || *first > line)
        {
            *first = line;
        }
    }

    /// One record (not #KSUMMA, which the reader handles on bytes).
    pub(crate) fn record(&mut self, rec: &Rec<'_>) {
        if rec.label != Label::Unknown {
            self.note_label(rec.label, rec.line);
        }
        let into_block = self.voucher_before_record(rec.line, rec.label);
        if into_block {
            self.row(rec);
            return;
        }
        match rec.label {
            Label::Trans | Label::Rtrans | Label::Btrans => self.err(
                K::Misplaced,
                rec,
                None,
                "transaktionsrad utanför ett #VER { }-block; ignoreras",
            ),
            Label::Unknown => {
                let msg = format!("okänd post {} ignoreras", rec.name());
                self.diag(
                    Severity::Info,
                    K::UnknownRecord,
                    rec.line,
                    &rec.name(),
                    None,
                    msg,
                );
            }
            Label::Ver => self.ver(rec),
            Label::Ksumma => {}
            _ if self.defer_content => self.deferred.push((rec.line, rec.raw.to_vec())),
            _ => self.content(rec),
        }
    }

    /// A record about the content: identification, chart or balances.
    pub(crate) fn content(&mut self, rec: &Rec<'_>) {
        match rec.label {
            Label::Konto
            | Label::Ktyp
            | Label::Enhet
            | Label::Sru
            | Label::Dim
            | Label::Underdim
            | Label::Objekt => self.chart_record(rec),
            Label::Ib
            | Label::Ub
            | Label::Res
            | Label::Oib
            | Label::Oub
            | Label::Psaldo
            | Label::Pbudget => self.balance_record(rec),
            _ => self.identification_record(rec),
        }
    }

    /// Flag and identification records (spec §11, "Identifikationsposter").
    fn identification_record(&mut self, rec: &Rec<'_>) {
        match rec.label {
            Label::Flagga => match rec.text(0).map(|s| s.parse::<u8>()) {
                Some(Ok(f)) => self.file.flag = f,
                _ => self.warn(
                    K::InvalidNumber,
                    rec,
                    Some("x"),
                    "#FLAGGA ska vara 0 eller 1",
                ),
            },
            Label::Program => {
                if self.dup_check(rec, self.file.program.is_some()) {
                    return;
                }
                match rec.text(0) {
                    Some(name) => {
                        self.file.program = Some(Program {
                            name,
                            version: rec.text_or_empty(1),
                        })
                    }
                    None => self.warn(
                        K::MissingField,
                        rec,
                        Some("programnamn"),
                        "inget programnamn",
                    ),
                }
            }
            Label::Format => {
                let f = rec.text_or_empty(0);
                if !f.eq_ignore_ascii_case("PC8") {
                    self.warn(
                        K::UnsupportedFormat,
                        rec,
                        Some("PC8"),
                        format!("#FORMAT {f:?}: specifikationen tillåter bara PC8 (CP437); teckenkodningen avgörs av byten"),
                    );
                }
                self.declared_format = Some(f);
            }
            Label::Gen => {
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
            Label::Sietyp => {
                if self.dup_check(rec, self.file.sie_type.is_some()) {
                    return;
                }
                match rec.text(0).as_deref().and_then(SieType::parse) {
                    Some(t) => self.file.sie_type = Some(t),
                    None => self.err(
                        K::InvalidValue,
                        rec,
                        Some("typnr"),
                        format!(
                            "SIE-typen {:?} är inte 1, 2, 3 eller 4",
                            rec.text_or_empty(0)
                        ),
                    ),
                }
            }
            Label::Prosa => self.single_text(rec, "text", |f| &mut f.prosa),
            Label::Ftyp => self.single_text(rec, "företagstyp", |f| &mut f.company_type),
            Label::Fnr => self.single_text(rec, "företagsid", |f| &mut f.company_id),
            Label::Bkod => self.single_text(rec, "SNI-kod", |f| &mut f.sni_code),
            Label::Fnamn => self.single_text(rec, "företagsnamn", |f| &mut f.company_name),
            Label::Kptyp => self.single_text(rec, "typ", |f| &mut f.chart_type),
            Label::Valuta => self.single_text(rec, "valutakod", |f| &mut f.currency),
            Label::Orgnr => {
                if self.dup_check(rec, self.file.org_nr.is_some()) {
                    return;
                }
                match rec.text(0).filter(|s| !s.is_empty()) {
                    Some(number) => {
                        self.file.org_nr = Some(OrgNr {
                            number,
                            acquisition: rec.text_or_empty(1),
                            activity: rec.text_or_empty(2),
                        })
                    }
                    None => self.warn(K::MissingField, rec, Some("orgnr"), "#ORGNR utan nummer"),
                }
            }
            Label::Adress => {
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
            Label::Rar => {
                let index = self.int(rec, 0, "årsnr");
                let start = self.date(rec, 1, "start", true);
                let end = self.date(rec, 2, "slut", true);
                if let (Some(index), Some(start), Some(end)) = (index, start, end) {
                    if end < start {
                        self.err(
                            K::InvalidDate,
                            rec,
                            Some("slut"),
                            "räkenskapsåret slutar innan det börjar",
                        );
                    }
                    if self.file.fiscal_years.iter().any(|y| y.index == index) {
                        self.warn(
                            K::Duplicate,
                            rec,
                            Some("årsnr"),
                            format!("#RAR {index} anges två gånger"),
                        );
                    }
                    self.file
                        .fiscal_years
                        .push(FiscalYear { index, start, end });
                }
            }
            Label::Taxar => {
                if self.dup_check(rec, self.file.tax_year.is_some()) {
                    return;
                }
                if let Some(y) = self.int(rec, 0, "år") {
                    self.file.tax_year = Some(y);
                }
            }
            Label::Omfattn => {
                if self.dup_check(rec, self.file.balances_until.is_some()) {
                    return;
                }
                if let Some(d) = self.date(rec, 0, "datum", true) {
                    self.file.balances_until = Some(d);
                }
            }
            _ => {}
        }
    }

    /// Chart-of-accounts records: accounts, dimensions, objects.
    fn chart_record(&mut self, rec: &Rec<'_>) {
        match rec.label {
            Label::Konto => {
                let Some(acc) = self.account_no(rec, 0, false) else {
                    return;
                };
                if self.file.accounts.contains_key(&acc) {
                    self.warn(
                        K::Duplicate,
                        rec,
                        Some("kontonr"),
                        format!(
                            "#KONTO {acc} definieras två gånger; den första definitionen behålls"
                        ),
                    );
                    return;
                }
                if rec.field(1).is_none() {
                    self.warn(
                        K::MissingField,
                        rec,
                        Some("kontonamn"),
                        format!("#KONTO {acc} saknar namn"),
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
            Label::Ktyp => {
                let Some(acc) = self.account_no(rec, 0, false) else {
                    return;
                };
                match rec.text(1).as_deref().and_then(AccountType::from_code) {
                    Some(t) => self.pending_ktyp.push((rec.line, acc, t)),
                    None => self.err(
                        K::InvalidValue,
                        rec,
                        Some("kontotyp"),
                        format!(
                            "kontotypen {:?} är inte T, S, K eller I",
                            rec.text_or_empty(1)
                        ),
                    ),
                }
            }
            Label::Enhet => {
                let Some(acc) = self.account_no(rec, 0, false) else {
                    return;
                };
                match rec.text(1) {
                    Some(u) => self.pending_enhet.push((rec.line, acc, u)),
                    None => self.warn(K::MissingField, rec, Some("enhet"), "ingen enhet"),
                }
            }
            Label::Sru => {
                let Some(acc) = self.account_no(rec, 0, false) else {
                    return;
                };
                match rec.text(1).filter(|s| !s.is_empty()) {
                    Some(c) => self.pending_sru.push((rec.line, acc, c)),
                    None => self.warn(K::MissingField, rec, Some("SRU-kod"), "ingen SRU-kod"),
                }
            }
            Label::Dim => {
                let Some(n) = self.dim_no(rec, 0, "dimensionsnr") else {
                    return;
                };
                self.add_dimension(rec, n, None);
            }
            Label::Underdim => {
                let Some(n) = self.dim_no(rec, 0, "dimensionsnr") else {
                    return;
                };
                let Some(parent) = self.dim_no(rec, 2, "superdimension") else {
                    return;
                };
                self.note_dim(parent, rec.line, Label::Underdim);
                self.add_dimension(rec, n, Some(parent));
            }
            Label::Objekt => {
                let Some(dim) = self.dim_no(rec, 0, "dimensionsnr") else {
                    return;
                };
                let id = match rec.text(1) {
                    Some(id) if !id.is_empty() => id,
                    _ => {
                        self.err(
                            K::MissingField,
                            rec,
                            Some("objektnr"),
                            "#OBJEKT utan objekt-id",
                        );
                        return;
                    }
                };
                self.note_dim(dim, rec.line, Label::Objekt);
                let key = ObjectRef::new(dim, id);
                if self.file.objects.contains_key(&key) {
                    self.warn(
                        K::Duplicate,
                        rec,
                        Some("objektnr"),
                        format!(
                            "objektet {} {:?} definieras två gånger; den första definitionen behålls",
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
    fn balance_record(&mut self, rec: &Rec<'_>) {
        match rec.label {
            label @ (Label::Ib | Label::Ub | Label::Res) => {
                let Some(year) = self.int(rec, 0, "årsnr") else {
                    return;
                };
                let Some(account) = self.account_no(rec, 1, true) else {
                    return;
                };
                let Some(amount) = self.amount(rec, 2, "saldo") else {
                    return;
                };
                let quantity = self.quantity_owned(rec, 3);
                let b = Balance {
                    year,
                    account,
                    amount: Amount(amount),
                    quantity,
                };
                match label {
                    Label::Ib => self.file.opening_balances.push(b),
                    Label::Ub => self.file.closing_balances.push(b),
                    _ => self.file.results.push(b),
                }
            }
            label @ (Label::Oib | Label::Oub) => {
                let Some(year) = self.int(rec, 0, "årsnr") else {
                    return;
                };
                let Some(account) = self.account_no(rec, 1, true) else {
                    return;
                };
                let mut objects = Vec::new();
                let Some(next) = self.objects_at(rec, 2, ObjectsTo::Owned(&mut objects)) else {
                    return;
                };
                let Some(amount) = self.amount(rec, next, "saldo") else {
                    return;
                };
                let quantity = self.quantity_owned(rec, next + 1);
                let b = ObjectBalance {
                    year,
                    account,
                    objects,
                    amount: Amount(amount),
                    quantity,
                };
                if label == Label::Oib {
                    self.file.object_opening_balances.push(b);
                    self.oib_lines.push(rec.line);
                } else {
                    self.file.object_closing_balances.push(b);
                    self.oub_lines.push(rec.line);
                }
            }
            label @ (Label::Psaldo | Label::Pbudget) => {
                let Some(year) = self.int(rec, 0, "årsnr") else {
                    return;
                };
                let Some(period) = self.period(rec, 1) else {
                    return;
                };
                let Some(account) = self.account_no(rec, 2, true) else {
                    return;
                };
                let mut objects = Vec::new();
                let Some(next) = self.objects_at(rec, 3, ObjectsTo::Owned(&mut objects)) else {
                    return;
                };
                let Some(amount) = self.amount(rec, next, "saldo") else {
                    return;
                };
                let quantity = self.quantity_owned(rec, next + 1);
                let p = PeriodAmount {
                    year,
                    period,
                    account,
                    objects,
                    amount: Amount(amount),
                    quantity,
                };
                if label == Label::Psaldo {
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
    fn dup_check(&mut self, rec: &Rec<'_>, present: bool) -> bool {
        if present {
            let msg = format!("{} anges två gånger; den första behålls", rec.name());
            self.warn(K::Duplicate, rec, None, msg);
        }
        present
    }

    fn single_text(
        &mut self,
        rec: &Rec<'_>,
        field: &str,
        slot: impl Fn(&mut SieFile) -> &mut Option<String>,
    ) {
        let present = slot(&mut self.file).is_some();
        if self.dup_check(rec, present) {
            return;
        }
        match rec.text(0) {
            Some(t) => *slot(&mut self.file) = Some(t),
            None => {
                let msg = format!("{} utan värde", rec.name());
                self.warn(K::MissingField, rec, Some(field), msg);
            }
        }
    }

    fn add_dimension(&mut self, rec: &Rec<'_>, n: u32, parent: Option<u32>) {
        if let Some(existing) = self.file.dimensions.get(&n) {
            let what = if existing.parent.is_some() {
                "#UNDERDIM"
            } else {
                "#DIM"
            };
            let msg = format!(
                "dimension {n} är redan deklarerad av {what} {n} {:?}; den här deklarationen ignoreras",
                existing.name
            );
            self.warn(K::Duplicate, rec, Some("dimensionsnr"), msg);
            return;
        }
        if rec.field(1).is_none() {
            self.warn(
                K::MissingField,
                rec,
                Some("namn"),
                format!("dimension {n} saknar namn"),
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

    // ------------------------------------------------------------ fields

    fn missing(&mut self, rec: &Rec<'_>, field: &str) {
        self.err(
            K::MissingField,
            rec,
            Some(field),
            format!("{field} saknas; posten ignoreras"),
        );
    }

    pub(crate) fn int(&mut self, rec: &Rec<'_>, i: usize, field: &str) -> Option<i32> {
        let Some(s) = rec.field(i) else {
            self.missing(rec, field);
            return None;
        };
        let v = fields::int(s);
        if v.is_none() {
            let shown = rec.decode(s);
            self.err(
                K::InvalidNumber,
                rec,
                Some(field),
                format!("{field} {shown:?} är inget heltal; posten ignoreras"),
            );
        }
        v
    }

    fn dim_no(&mut self, rec: &Rec<'_>, i: usize, field: &str) -> Option<u32> {
        let Some(s) = rec.field(i) else {
            self.missing(rec, field);
            return None;
        };
        let v = fields::dim(s);
        if v.is_none() {
            let shown = rec.decode(s);
            self.err(
                K::InvalidNumber,
                rec,
                Some(field),
                format!("dimensionsnumret {shown:?} är inget tal; posten ignoreras"),
            );
        }
        v
    }

    pub(crate) fn date(
        &mut self,
        rec: &Rec<'_>,
        i: usize,
        field: &str,
        required: bool,
    ) -> Option<Date> {
        let s = rec.field(i).unwrap_or_default();
        if s.is_empty() || (!required && s == b"00000000") {
            if required {
                self.missing(rec, field);
            }
            return None;
        }
        let d = self.recent_dates.date(s);
        if d.is_none() {
            let tail = if required {
                "posten ignoreras"
            } else {
                "fältet ignoreras"
            };
            let shown = rec.decode(s);
            self.err(
                K::InvalidDate,
                rec,
                Some(field),
                format!("{field}: ogiltigt datum {shown:?}: väntade ett befintligt kalenderdatum ÅÅÅÅMMDD; {tail}"),
            );
        }
        d
    }

    fn period(&mut self, rec: &Rec<'_>, i: usize) -> Option<Period> {
        let s = rec.field(i).unwrap_or_default();
        let p = fields::period(s);
        if p.is_none() {
            let shown = rec.decode(s);
            self.err(
                K::InvalidPeriod,
                rec,
                Some("period"),
                format!("ogiltig period {shown:?}: väntade ÅÅÅÅMM; posten ignoreras"),
            );
        }
        p
    }

    pub(crate) fn amount(&mut self, rec: &Rec<'_>, i: usize, field: &str) -> Option<i64> {
        let Some(s) = rec.field(i) else {
            self.missing(rec, field);
            return None;
        };
        let a = fields::amount(s);
        if a.is_none() {
            let shown = rec.decode(s);
            self.err(
                K::MalformedAmount,
                rec,
                Some(field),
                format!("felaktigt belopp {shown:?}: väntade [-]siffror med högst två decimaler efter en punkt; posten ignoreras"),
            );
        }
        a
    }

    /// A quantity's validated bytes, if the field is there and valid.
    pub(crate) fn quantity<'r>(&mut self, rec: &Rec<'r>, i: usize) -> Option<&'r [u8]> {
        let s = rec.field(i).filter(|s| !s.is_empty())?;
        if fields::is_quantity(s) {
            return Some(s);
        }
        let shown = rec.decode(s);
        self.warn(
            K::MalformedQuantity,
            rec,
            Some("kvantitet"),
            format!(
                "felaktig kvantitet {shown:?}: väntade [-]siffror[.siffror]; kvantiteten ignoreras"
            ),
        );
        None
    }

    fn quantity_owned(&mut self, rec: &Rec<'_>, i: usize) -> Option<Quantity> {
        let s = self.quantity(rec, i)?;
        Quantity::parse(&rec.decode(s)).ok()
    }

    /// Parse an account number; `referenced` records it for the #KONTO check.
    /// Returns the validated digits.
    pub(crate) fn account<'r>(
        &mut self,
        rec: &Rec<'r>,
        i: usize,
        referenced: bool,
    ) -> Option<&'r [u8]> {
        let s = match rec.field(i) {
            Some(s) if !s.is_empty() => s,
            _ => {
                self.err(
                    K::MissingField,
                    rec,
                    Some("kontonr"),
                    "kontonummer saknas; posten ignoreras",
                );
                return None;
            }
        };
        if !fields::is_account(s) {
            let shown = rec.decode(s);
            self.err(
                K::InvalidAccount,
                rec,
                Some("kontonr"),
                format!("ogiltigt kontonummer {shown:?}: väntade bara siffror; posten ignoreras"),
            );
            return None;
        }
        let key = fields::account_key(s);
        if !(3..=5).contains(&s.len()) && self.first_unusual(key, rec.line) {
            let acc = rec.decode(s);
            self.warn(
                K::InvalidAccount,
                rec,
                Some("kontonr"),
                format!(
                    "kontot {acc} har {} siffror; kontoplaner har normalt 3 till 5",
                    s.len()
                ),
            );
            self.note_unusual_diag(key);
        }
        if referenced {
            let label = if rec.label == Label::Unknown {
                Label::Trans
            } else {
                rec.label
            };
            match self.account_refs.get_mut(&key) {
                Some(first) if first.0 <= rec.line => {}
                Some(first) => *first = (rec.line, label),
                None => {
                    self.account_refs.insert(key, (rec.line, label));
                }
            }
        }
        Some(s)
    }

    /// [`Self::account`] as an owned account number.
    fn account_no(&mut self, rec: &Rec<'_>, i: usize, referenced: bool) -> Option<AccountNo> {
        let s = self.account(rec, i, referenced)?;
        Some(AccountNo::validated(&rec.decode(s)))
    }

    /// Note the first use of a dimension (lowest line wins).
    pub(crate) fn note_dim(&mut self, dim: u32, line: usize, label: Label) {
        crate::voucher::note_first(&mut self.dim_refs, dim, line, label);
    }
}
