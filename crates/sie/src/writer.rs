//! The SIE 4 writer: records in, CP437 bytes with #KSUMMA out, one record at a time.
//!
//! [`Writer`] streams to any [`io::Write`]: a record or a voucher is encoded and written as it
//! comes, and the #KSUMMA checksum is computed on the way, so that a file of millions of
//! vouchers never sits in memory. [`write_sie4`] is the whole-file form on top of it: it writes
//! a [`SieFile`] in the spec's order (flag, identification, chart of accounts, balances,
//! budgets, vouchers).
//!
//! Every text field is quoted, `"` is escaped as `\"`, lines end with CRLF, #FORMAT is `PC8`,
//! and with #KSUMMA the content is bracketed by an opening `#KSUMMA` and a closing CRC-32
//! (spec chapter 10), so that `read(write(x)) == x`. It writes voucher rows verbatim: an
//! [`RowKind::Added`] row should be followed by its [`RowKind::AddedDuplicate`] row, as the
//! spec requires. It deliberately does not fill in missing mandatory records, reorder or
//! validate balances, and refuses (rather than mangles) text that CP437 SIE cannot carry.

use crate::checksum::Ksumma;
use crate::encoding;
use crate::model::*;
use std::io;
use thiserror::Error;

/// Why a record could not be written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WriteError {
    /// A character has no CP437 code.
    #[error("{record}: character {ch:?} in {text:?} cannot be written in CP437")]
    Unencodable {
        /// Record label.
        record: &'static str,
        /// The text.
        text: String,
        /// The offending character.
        ch: char,
    },
    /// Control characters are not allowed inside SIE text (spec 5.7).
    #[error("{record}: text {text:?} contains a control character")]
    ControlCharacter {
        /// Record label.
        record: &'static str,
        /// The text.
        text: String,
    },
    /// The text ends with a backslash and cannot be written bare either.
    #[error(
        "{record}: text {text:?} ends with a backslash inside quotes, which SIE cannot express"
    )]
    Unquotable {
        /// Record label.
        record: &'static str,
        /// The text.
        text: String,
    },
    /// All non-ASCII CP437 bytes of the output happen to form valid UTF-8
    /// (e.g. `∩┐╜` is EF BF BD), so a reader would take the file for UTF-8.
    #[error("the CP437 output is also valid UTF-8 and would be read back as UTF-8")]
    LooksLikeUtf8,
    /// The CP437 bytes would be read back as Latin-1 by the reader's fallback.
    #[error(
        "{record}: text {text:?} consists only of CP437 glyphs that read back as Latin-1 letters"
    )]
    Ambiguous {
        /// Record label.
        record: &'static str,
        /// The text.
        text: String,
    },
    /// A label or a [`Field::Bare`] token that is empty or holds a space, a quote, a brace, a
    /// control character or a non-ASCII character: it would not read back as one token.
    #[error("{record}: {token:?} cannot be written as a bare token")]
    NotBare {
        /// Record label.
        record: &'static str,
        /// The token.
        token: String,
    },
    /// The output could not be written.
    #[error("cannot write the SIE file: {message}")]
    Io {
        /// What kind of failure.
        kind: io::ErrorKind,
        /// The error's text.
        message: String,
    },
}

impl From<io::Error> for WriteError {
    fn from(error: io::Error) -> WriteError {
        WriteError::Io {
            kind: error.kind(),
            message: error.to_string(),
        }
    }
}

/// One field of a record.
#[derive(Debug, Clone, Copy)]
pub enum Field<'a> {
    /// Written as it stands: a code, an account number, a number. Must be ASCII without
    /// spaces, quotes, braces or control characters, and not empty.
    Bare(&'a str),
    /// A whole number.
    Int(i64),
    /// `YYYYMMDD`.
    Date(Date),
    /// `YYYYMM`.
    Period(Period),
    /// Kronor with two decimals and a dot.
    Amount(Amount),
    /// Text: quoted, CP437.
    Text(&'a str),
    /// An object list `{1 "100" 6 "P1"}`.
    Objects(&'a [ObjectRef]),
    /// An object list from borrowed (dimension, object id) pairs.
    ObjectIds(&'a [(u32, &'a str)]),
}

/// A streaming SIE 4 writer. Start it with [`Writer::start`], write records (or whole
/// [`SieFile`] headers and [`Voucher`]s) in the spec's order, and end it with
/// [`Writer::finish`], which writes the closing #KSUMMA.
///
/// After an error the output is incomplete (never a mangled record: a refused record writes
/// nothing), and the caller should discard it; an error of [`Writer::finish`] (the file would
/// read back as UTF-8) likewise means the bytes written must not be used.
pub struct Writer<W: io::Write> {
    out: W,
    ksumma: Option<Ksumma>,
    /// The record being written.
    line: Vec<u8>,
    /// One text field, encoded, before quoting.
    text: Vec<u8>,
    bytes: u64,
    /// Whether any text held non-ASCII bytes, and whether each such text was valid UTF-8
    /// on its own (then so is the whole output: everything else is ASCII).
    non_ascii: bool,
    all_utf8: bool,
    /// Written before every voucher row (`#TRANS`, `#RTRANS`, `#BTRANS`): empty, or the tab
    /// or spaces many exporters indent rows with. Not checksummed (whitespace never is).
    row_indent: &'static str,
}

impl<W: io::Write> Writer<W> {
    /// Writes `#FLAGGA flag` and, with `ksumma`, the opening `#KSUMMA`: every record written
    /// after it is checksummed.
    pub fn start(out: W, flag: u8, ksumma: bool) -> Result<Writer<W>, WriteError> {
        let mut writer = Writer {
            out,
            ksumma: None,
            line: Vec::with_capacity(256),
            text: Vec::with_capacity(128),
            bytes: 0,
            non_ascii: false,
            all_utf8: true,
            row_indent: "",
        };
        writer.record("#FLAGGA", &[Field::Int(i64::from(flag))])?;
        if ksumma {
            writer.raw_line(b"#KSUMMA")?;
            writer.ksumma = Some(Ksumma::new());
        }
        Ok(writer)
    }

    /// Indents every voucher row written from now on with `indent`, which must be spaces or
    /// tabs (as Avendo, Hogia and BL write `\t#TRANS`); anything else is ignored.
    pub fn set_row_indent(&mut self, indent: &'static str) {
        if indent.bytes().all(|b| b == b' ' || b == b'\t') {
            self.row_indent = indent;
        }
    }

    /// The bytes written so far.
    pub fn bytes_written(&self) -> u64 {
        self.bytes
    }

    /// Writes one record: the label and its fields, separated by spaces.
    pub fn record(&mut self, label: &'static str, fields: &[Field<'_>]) -> Result<(), WriteError> {
        self.start_line(label);
        let result = self.encode_record(label, fields.iter().copied().map(Some), fields.len());
        self.end_line(result)
    }

    /// Writes a record whose trailing absent fields are left out; an absent field before a
    /// present one is written `""`.
    fn record_opt(
        &mut self,
        label: &'static str,
        fields: &[Option<Field<'_>>],
    ) -> Result<(), WriteError> {
        let keep = fields
            .iter()
            .rposition(Option::is_some)
            .map_or(0, |i| i + 1);
        self.start_line(label);
        let result = self.encode_record(label, fields[..keep].iter().copied(), keep);
        self.end_line(result)
    }

    /// Writes `#VER` with its fields and opens the block of rows: write the rows with
    /// [`Writer::record`] (`#TRANS`, `#RTRANS`, `#BTRANS`) and close it with
    /// [`Writer::close_voucher`].
    pub fn open_voucher(&mut self, fields: &[Field<'_>]) -> Result<(), WriteError> {
        self.record("#VER", fields)?;
        self.raw_line(b"{")
    }

    /// Closes a voucher's block of rows.
    pub fn close_voucher(&mut self) -> Result<(), WriteError> {
        self.raw_line(b"}")
    }

    /// Writes a whole voucher: `#VER`, its rows in order, and the braces.
    pub fn voucher(&mut self, v: &Voucher) -> Result<(), WriteError> {
        self.record_opt(
            "#VER",
            &[
                Some(Field::Text(&v.series)),
                Some(Field::Text(&v.number)),
                Some(Field::Date(v.date)),
                opt_text(&v.text),
                v.registered.map(Field::Date),
                opt_text(&v.sign),
            ],
        )?;
        self.raw_line(b"{")?;
        for r in &v.rows {
            self.record_opt(
                r.kind.label(),
                &[
                    Some(Field::Bare(r.account.as_str())),
                    Some(Field::Objects(&r.objects)),
                    Some(Field::Amount(r.amount)),
                    r.date.map(Field::Date),
                    opt_text(&r.text),
                    opt_quantity(&r.quantity),
                    opt_text(&r.sign),
                ],
            )?;
        }
        self.close_voucher()
    }

    /// Writes every record of `file` that comes between the flag and the vouchers:
    /// identification, chart of accounts, dimensions and objects, balances, results, period
    /// balances and budgets. `#FORMAT` is always `PC8`.
    pub fn header(&mut self, file: &SieFile) -> Result<(), WriteError> {
        use Field::{Bare, Date as D, Int, Text};
        if let Some(p) = &file.program {
            self.record_opt("#PROGRAM", &[Some(Text(&p.name)), opt_text(&p.version)])?;
        }
        self.record("#FORMAT", &[Bare("PC8")])?;
        if let Some(g) = &file.generated {
            self.record_opt("#GEN", &[Some(D(g.date)), opt_text(&g.sign)])?;
        }
        if let Some(t) = file.sie_type {
            self.record("#SIETYP", &[Int(i64::from(t.number()))])?;
        }
        let singles: [(&'static str, &Option<String>); 3] = [
            ("#PROSA", &file.prosa),
            ("#FTYP", &file.company_type),
            ("#FNR", &file.company_id),
        ];
        for (label, v) in singles {
            if let Some(v) = v {
                self.record(label, &[Text(v)])?;
            }
        }
        if let Some(n) = &file.org_nr {
            self.record_opt(
                "#ORGNR",
                &[
                    Some(Text(&n.number)),
                    opt_text(&n.acquisition),
                    opt_text(&n.activity),
                ],
            )?;
        }
        if let Some(v) = &file.sni_code {
            self.record("#BKOD", &[Text(v)])?;
        }
        if let Some(a) = &file.address {
            self.record(
                "#ADRESS",
                &[
                    Text(&a.contact),
                    Text(&a.street),
                    Text(&a.postal),
                    Text(&a.phone),
                ],
            )?;
        }
        if let Some(v) = &file.company_name {
            self.record("#FNAMN", &[Text(v)])?;
        }
        for y in &file.fiscal_years {
            self.record("#RAR", &[Int(i64::from(y.index)), D(y.start), D(y.end)])?;
        }
        if let Some(y) = file.tax_year {
            self.record("#TAXAR", &[Int(i64::from(y))])?;
        }
        if let Some(d) = file.balances_until {
            self.record("#OMFATTN", &[D(d)])?;
        }
        if let Some(v) = &file.chart_type {
            self.record("#KPTYP", &[Text(v)])?;
        }
        if let Some(v) = &file.currency {
            self.record("#VALUTA", &[Text(v)])?;
        }

        for (no, acc) in &file.accounts {
            let nr = Bare(no.as_str());
            self.record("#KONTO", &[nr, Text(&acc.name)])?;
            if let Some(k) = acc.kind {
                self.record("#KTYP", &[nr, Bare(k.code())])?;
            }
            if !acc.unit.is_empty() {
                self.record("#ENHET", &[nr, Text(&acc.unit)])?;
            }
            for s in &acc.sru {
                self.record("#SRU", &[nr, Text(s)])?;
            }
        }
        for (n, d) in &file.dimensions {
            let n = Int(i64::from(*n));
            match d.parent {
                None => self.record("#DIM", &[n, Text(&d.name)])?,
                Some(p) => self.record("#UNDERDIM", &[n, Text(&d.name), Int(i64::from(p))])?,
            }
        }
        for (r, name) in &file.objects {
            self.record(
                "#OBJEKT",
                &[Int(i64::from(r.dimension)), Text(&r.object), Text(name)],
            )?;
        }

        let balances: [(&'static str, &Vec<Balance>); 2] = [
            ("#IB", &file.opening_balances),
            ("#UB", &file.closing_balances),
        ];
        for (label, rows) in balances {
            for b in rows {
                self.balance(label, b)?;
            }
        }
        let object_balances: [(&'static str, &Vec<ObjectBalance>); 2] = [
            ("#OIB", &file.object_opening_balances),
            ("#OUB", &file.object_closing_balances),
        ];
        for (label, rows) in object_balances {
            for b in rows {
                self.record_opt(
                    label,
                    &[
                        Some(Int(i64::from(b.year))),
                        Some(Bare(b.account.as_str())),
                        Some(Field::Objects(&b.objects)),
                        Some(Field::Amount(b.amount)),
                        opt_quantity(&b.quantity),
                    ],
                )?;
            }
        }
        for b in &file.results {
            self.balance("#RES", b)?;
        }
        let periods: [(&'static str, &Vec<PeriodAmount>); 2] = [
            ("#PSALDO", &file.period_balances),
            ("#PBUDGET", &file.period_budgets),
        ];
        for (label, rows) in periods {
            for p in rows {
                self.record_opt(
                    label,
                    &[
                        Some(Int(i64::from(p.year))),
                        Some(Field::Period(p.period)),
                        Some(Bare(p.account.as_str())),
                        Some(Field::Objects(&p.objects)),
                        Some(Field::Amount(p.amount)),
                        opt_quantity(&p.quantity),
                    ],
                )?;
            }
        }
        Ok(())
    }

    fn balance(&mut self, label: &'static str, b: &Balance) -> Result<(), WriteError> {
        self.record_opt(
            label,
            &[
                Some(Field::Int(i64::from(b.year))),
                Some(Field::Bare(b.account.as_str())),
                Some(Field::Amount(b.amount)),
                opt_quantity(&b.quantity),
            ],
        )
    }

    /// Writes the closing `#KSUMMA n` (when the file has one), flushes, and returns the
    /// output. Fails with [`WriteError::LooksLikeUtf8`] when the file would be read back as
    /// UTF-8: then the bytes written must be discarded.
    pub fn finish(mut self) -> Result<W, WriteError> {
        if let Some(ksumma) = self.ksumma.take() {
            let line = format!("#KSUMMA {}", ksumma.value());
            self.raw_line(line.as_bytes())?;
        }
        self.out.flush()?;
        if self.non_ascii && self.all_utf8 {
            return Err(WriteError::LooksLikeUtf8);
        }
        Ok(self.out)
    }

    /// Clears the line and indents it if it is a voucher row.
    fn start_line(&mut self, label: &str) {
        self.line.clear();
        if !self.row_indent.is_empty() && matches!(label, "#TRANS" | "#RTRANS" | "#BTRANS") {
            self.line.extend_from_slice(self.row_indent.as_bytes());
        }
    }

    /// A line that is not checksummed (`{`, `}`, the #KSUMMA lines).
    fn raw_line(&mut self, s: &[u8]) -> Result<(), WriteError> {
        self.line.clear();
        self.line.extend_from_slice(s);
        self.end_line(Ok(()))
    }

    /// Ends the record in `line` and writes it, unless encoding it failed.
    fn end_line(&mut self, encoded: Result<(), WriteError>) -> Result<(), WriteError> {
        encoded?;
        self.line.extend_from_slice(b"\r\n");
        self.out.write_all(&self.line)?;
        self.bytes += self.line.len() as u64;
        Ok(())
    }

    fn encode_record<'f>(
        &mut self,
        label: &'static str,
        fields: impl Iterator<Item = Option<Field<'f>>>,
        count: usize,
    ) -> Result<(), WriteError> {
        self.bare(label, label)?;
        for field in fields.take(count) {
            self.line.push(b' ');
            match field.unwrap_or(Field::Text("")) {
                Field::Bare(s) => self.bare(label, s)?,
                Field::Int(n) => self.token(|line| push_int(line, n)),
                Field::Date(d) => self.token(|line| push_date(line, d)),
                Field::Period(p) => self.token(|line| push_period(line, p)),
                Field::Amount(a) => self.token(|line| push_amount(line, a)),
                Field::Text(s) => self.quoted(label, s)?,
                Field::Objects(objects) => {
                    self.objects(label, objects.iter().map(|o| (o.dimension, &*o.object)))?
                }
                Field::ObjectIds(pairs) => self.objects(label, pairs.iter().copied())?,
            }
        }
        Ok(())
    }

    /// Feeds the checksum with what was appended to `line` since `start`.
    fn sum_from(&mut self, start: usize) {
        if let Some(k) = &mut self.ksumma {
            k.feed(&self.line[start..]);
        }
    }

    /// A token the writer formats itself (digits, signs, dots).
    fn token(&mut self, push: impl FnOnce(&mut Vec<u8>)) {
        let start = self.line.len();
        push(&mut self.line);
        self.sum_from(start);
    }

    fn bare(&mut self, record: &'static str, s: &str) -> Result<(), WriteError> {
        if s.is_empty()
            || !s
                .bytes()
                .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'{' | b'}'))
        {
            return Err(WriteError::NotBare {
                record,
                token: s.to_owned(),
            });
        }
        let start = self.line.len();
        self.line.extend_from_slice(s.as_bytes());
        self.sum_from(start);
        Ok(())
    }

    fn objects<'o>(
        &mut self,
        record: &'static str,
        objects: impl Iterator<Item = (u32, &'o str)>,
    ) -> Result<(), WriteError> {
        self.line.push(b'{');
        for (i, (dimension, object)) in objects.enumerate() {
            if i > 0 {
                self.line.push(b' ');
            }
            self.token(|line| push_int(line, i64::from(dimension)));
            self.line.push(b' ');
            self.quoted(record, object)?;
        }
        self.line.push(b'}');
        Ok(())
    }

    /// Encodes `s` as CP437 into `text`, refusing what SIE cannot carry.
    fn encode_text(&mut self, record: &'static str, s: &str) -> Result<(), WriteError> {
        self.text.clear();
        if s.is_ascii() {
            if s.bytes().any(|b| b.is_ascii_control()) {
                return Err(WriteError::ControlCharacter {
                    record,
                    text: s.to_owned(),
                });
            }
            self.text.extend_from_slice(s.as_bytes());
            return Ok(());
        }
        if s.chars().any(char::is_control) {
            return Err(WriteError::ControlCharacter {
                record,
                text: s.to_owned(),
            });
        }
        for ch in s.chars() {
            match encoding::cp437_byte(ch) {
                Some(b) => self.text.push(b),
                None => {
                    return Err(WriteError::Unencodable {
                        record,
                        text: s.to_owned(),
                        ch,
                    });
                }
            }
        }
        if encoding::looks_latin1(&self.text) {
            return Err(WriteError::Ambiguous {
                record,
                text: s.to_owned(),
            });
        }
        if !self.text.is_ascii() {
            self.non_ascii = true;
            if self.all_utf8 && std::str::from_utf8(&self.text).is_err() {
                self.all_utf8 = false;
            }
        }
        Ok(())
    }

    fn quoted(&mut self, record: &'static str, s: &str) -> Result<(), WriteError> {
        self.encode_text(record, s)?;
        if let Some(k) = &mut self.ksumma {
            k.feed(&self.text);
        }
        if s.ends_with('\\') {
            if can_be_bare(s) {
                self.line.extend_from_slice(&self.text);
                return Ok(());
            }
            return Err(WriteError::Unquotable {
                record,
                text: s.to_owned(),
            });
        }
        self.line.push(b'"');
        if self.text.contains(&b'"') {
            for &b in &self.text {
                if b == b'"' {
                    self.line.push(b'\\');
                }
                self.line.push(b);
            }
        } else {
            self.line.extend_from_slice(&self.text);
        }
        self.line.push(b'"');
        Ok(())
    }
}

fn can_be_bare(s: &str) -> bool {
    !s.is_empty()
        && !s
            .chars()
            .any(|c| c == ' ' || c == '\t' || c == '"' || c == '{' || c == '}')
}

fn opt_text(s: &str) -> Option<Field<'_>> {
    (!s.is_empty()).then_some(Field::Text(s))
}

fn opt_quantity(q: &Option<Quantity>) -> Option<Field<'_>> {
    q.as_ref().map(|q| Field::Bare(q.as_str()))
}

/// Appends the decimal digits of `n`.
fn push_u64(line: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    line.extend_from_slice(&digits[i..]);
}

fn push_int(line: &mut Vec<u8>, n: i64) {
    if n < 0 {
        line.push(b'-');
    }
    push_u64(line, n.unsigned_abs());
}

/// Appends `n` with at least `width` digits (zero-padded).
fn push_padded(line: &mut Vec<u8>, n: u64, width: usize) {
    let mut len = 1;
    let mut rest = n / 10;
    while rest > 0 {
        len += 1;
        rest /= 10;
    }
    line.extend(std::iter::repeat_n(b'0', width.saturating_sub(len)));
    push_u64(line, n);
}

fn push_date(line: &mut Vec<u8>, d: Date) {
    push_padded(line, u64::from(d.year()), 4);
    push_padded(line, u64::from(d.month()), 2);
    push_padded(line, u64::from(d.day()), 2);
}

fn push_period(line: &mut Vec<u8>, p: Period) {
    push_padded(line, u64::from(p.year()), 4);
    push_padded(line, u64::from(p.month()), 2);
}

/// Kronor with exactly two decimals and a dot, as `Amount`'s `Display`: `-1243.50`.
fn push_amount(line: &mut Vec<u8>, a: Amount) {
    if a.0 < 0 {
        line.push(b'-');
    }
    let abs = a.0.unsigned_abs();
    push_u64(line, abs / 100);
    line.push(b'.');
    push_padded(line, abs % 100, 2);
}

/// Write a SIE 4 file (CP437, CRLF, #KSUMMA). The SIE type written is the
/// model's `sie_type` (if any); budgets (#PBUDGET) and vouchers are written
/// whenever present.
pub fn write_sie4(file: &SieFile) -> Result<Vec<u8>, WriteError> {
    let mut writer = Writer::start(Vec::new(), file.flag, true)?;
    writer.header(file)?;
    for v in &file.vouchers {
        writer.voucher(v)?;
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(fields: &[Field<'_>]) -> String {
        let mut w = Writer::start(Vec::new(), 0, false).unwrap();
        w.record("#X", fields).unwrap();
        let bytes = w.finish().unwrap();
        String::from_utf8(bytes[b"#FLAGGA 0\r\n".len()..].to_vec()).unwrap()
    }

    #[test]
    fn indented_rows_read_back_and_sum_as_unindented_ones() {
        let write = |indent: &'static str| {
            let mut w = Writer::start(Vec::new(), 0, true).unwrap();
            w.set_row_indent(indent);
            w.record("#KONTO", &[Field::Bare("1910"), Field::Text("Kassa")])
                .unwrap();
            let date = Field::Date(Date::new(2021, 3, 1).unwrap());
            w.open_voucher(&[Field::Bare("A"), Field::Int(1), date])
                .unwrap();
            for amount in [100, -100] {
                w.record(
                    "#TRANS",
                    &[
                        Field::Bare("1910"),
                        Field::ObjectIds(&[]),
                        Field::Amount(Amount(amount)),
                    ],
                )
                .unwrap();
            }
            w.close_voucher().unwrap();
            w.finish().unwrap()
        };
        let (plain, tabbed) = (write(""), write("\t"));
        let tabbed_text = String::from_utf8(tabbed.clone()).unwrap();
        assert!(tabbed_text.contains("\r\n\t#TRANS 1910 {} 1.00\r\n"));
        assert!(tabbed_text.contains("\r\n#KONTO"));
        let ksumma = |b: &[u8]| {
            let t = String::from_utf8(b.to_vec()).unwrap();
            t.lines().last().unwrap().to_owned()
        };
        assert_eq!(ksumma(&plain), ksumma(&tabbed));
        let (a, b) = (crate::read(&plain), crate::read(&tabbed));
        assert_eq!(a.0.vouchers, b.0.vouchers);
        assert!(
            b.1.iter().all(|d| d.severity != crate::Severity::Error),
            "{:?}",
            b.1
        );
        assert_eq!(b.0.vouchers.len(), 1);
    }

    #[test]
    fn numbers_are_formatted_as_display_does() {
        for ore in [
            0,
            5,
            -5,
            99,
            100,
            -100,
            123_456,
            -124_350,
            i64::MAX,
            i64::MIN,
        ] {
            assert_eq!(
                line(&[Field::Amount(Amount(ore))]),
                format!("#X {}\r\n", Amount(ore))
            );
        }
        for n in [0, 7, -7, 1234, i64::MIN] {
            assert_eq!(line(&[Field::Int(n)]), format!("#X {n}\r\n"));
        }
        let d = Date::new(2021, 3, 9).unwrap();
        assert_eq!(line(&[Field::Date(d)]), "#X 20210309\r\n");
        let p = Period::new(812, 1).unwrap();
        assert_eq!(line(&[Field::Period(p)]), format!("#X {p}\r\n"));
    }

    #[test]
    fn texts_are_quoted_and_escaped() {
        assert_eq!(
            line(&[
                Field::Text("a \"b\""),
                Field::ObjectIds(&[(1, "x"), (6, "y")])
            ]),
            "#X \"a \\\"b\\\"\" {1 \"x\" 6 \"y\"}\r\n"
        );
        assert_eq!(line(&[Field::Objects(&[])]), "#X {}\r\n");
    }

    #[test]
    fn a_bad_bare_token_is_refused_and_nothing_is_written() {
        let mut w = Writer::start(Vec::new(), 0, false).unwrap();
        for token in ["", "a b", "\"", "{", "å"] {
            assert_eq!(
                w.record("#X", &[Field::Bare(token)]),
                Err(WriteError::NotBare {
                    record: "#X",
                    token: token.to_owned()
                })
            );
        }
        assert_eq!(w.finish().unwrap(), b"#FLAGGA 0\r\n");
    }

    #[test]
    fn the_checksum_covers_tokens_between_the_ksumma_lines() {
        let mut w = Writer::start(Vec::new(), 0, true).unwrap();
        w.record(
            "#TRANS",
            &[
                Field::Bare("1910"),
                Field::ObjectIds(&[(1, "A B")]),
                Field::Amount(Amount(-500)),
                Field::Text("x\"y"),
            ],
        )
        .unwrap();
        let bytes = w.finish().unwrap();
        let mut k = Ksumma::new();
        k.feed(b"#TRANS19101A B-5.00x\"y");
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.ends_with(&format!("\r\n#KSUMMA {}\r\n", k.value())),
            "{text}"
        );
        assert!(text.starts_with("#FLAGGA 0\r\n#KSUMMA\r\n#TRANS 1910"));
    }
}
