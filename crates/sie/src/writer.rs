//! The SIE 4 writer: [`SieFile`] in, CP437 bytes with #KSUMMA out.
//!
//! Writes records in the spec's order (flag, identification, chart of
//! accounts, balances, budgets, vouchers), quotes every text field, escapes
//! `"` as `\"`, ends lines with CRLF and brackets the content with an
//! opening `#KSUMMA` and a closing CRC-32 (spec chapter 10), so that
//! `read(write(x)) == x`. #FORMAT is always `PC8`. It writes voucher rows
//! verbatim: an [`RowKind::Added`] row should be followed by its
//! [`RowKind::AddedDuplicate`] row, as the spec requires. It deliberately
//! does not fill in missing mandatory records, reorder or validate balances,
//! and refuses (rather than mangles) text that CP437 SIE cannot carry.

use crate::checksum::Ksumma;
use crate::encoding;
use crate::model::*;
use thiserror::Error;

/// Why a [`SieFile`] could not be written.
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
}

/// One output token.
enum W<'a> {
    /// Written as is (numbers, dates, account numbers).
    Bare(String),
    /// Quoted text.
    Text(&'a str),
    /// Object list.
    List(&'a [ObjectRef]),
}

struct Out {
    bytes: Vec<u8>,
    ksumma: Ksumma,
}

fn encode_text(record: &'static str, s: &str) -> Result<Vec<u8>, WriteError> {
    if s.chars().any(|c| c.is_control()) {
        return Err(WriteError::ControlCharacter {
            record,
            text: s.to_owned(),
        });
    }
    let bytes = encoding::encode_cp437(s).map_err(|ch| WriteError::Unencodable {
        record,
        text: s.to_owned(),
        ch,
    })?;
    if encoding::looks_latin1(&bytes) {
        return Err(WriteError::Ambiguous {
            record,
            text: s.to_owned(),
        });
    }
    Ok(bytes)
}

fn can_be_bare(s: &str) -> bool {
    !s.is_empty()
        && !s
            .chars()
            .any(|c| c == ' ' || c == '\t' || c == '"' || c == '{' || c == '}')
}

impl Out {
    fn quoted(&mut self, record: &'static str, s: &str) -> Result<(), WriteError> {
        let bytes = encode_text(record, s)?;
        self.ksumma.feed(&bytes);
        if s.ends_with('\\') {
            if can_be_bare(s) {
                self.bytes.extend_from_slice(&bytes);
                return Ok(());
            }
            return Err(WriteError::Unquotable {
                record,
                text: s.to_owned(),
            });
        }
        self.bytes.push(b'"');
        for &b in &bytes {
            if b == b'"' {
                self.bytes.push(b'\\');
            }
            self.bytes.push(b);
        }
        self.bytes.push(b'"');
        Ok(())
    }

    fn record(&mut self, label: &'static str, fields: &[W<'_>]) -> Result<(), WriteError> {
        self.bytes.extend_from_slice(label.as_bytes());
        self.ksumma.feed(label.as_bytes());
        for f in fields {
            self.bytes.push(b' ');
            match f {
                W::Bare(s) => {
                    // Bare tokens are ASCII digits, signs and dots.
                    self.bytes.extend_from_slice(s.as_bytes());
                    self.ksumma.feed(s.as_bytes());
                }
                W::Text(s) => self.quoted(label, s)?,
                W::List(objs) => {
                    self.bytes.push(b'{');
                    for (i, o) in objs.iter().enumerate() {
                        if i > 0 {
                            self.bytes.push(b' ');
                        }
                        let d = o.dimension.to_string();
                        self.bytes.extend_from_slice(d.as_bytes());
                        self.ksumma.feed(d.as_bytes());
                        self.bytes.push(b' ');
                        self.quoted(label, &o.object)?;
                    }
                    self.bytes.push(b'}');
                }
            }
        }
        self.bytes.extend_from_slice(b"\r\n");
        Ok(())
    }

    /// A line that is not checksummed (`{`, `}`, the #KSUMMA lines).
    fn raw_line(&mut self, s: &str) {
        self.bytes.extend_from_slice(s.as_bytes());
        self.bytes.extend_from_slice(b"\r\n");
    }
}

/// Drop trailing absent optional fields; absent ones before a present one become `""`.
fn tail<'a>(fields: Vec<Option<W<'a>>>) -> Vec<W<'a>> {
    let keep = fields
        .iter()
        .rposition(Option::is_some)
        .map_or(0, |i| i + 1);
    fields
        .into_iter()
        .take(keep)
        .map(|f| f.unwrap_or(W::Text("")))
        .collect()
}

fn opt_text(s: &str) -> Option<W<'_>> {
    (!s.is_empty()).then_some(W::Text(s))
}

fn opt_date(d: Option<Date>) -> Option<W<'static>> {
    d.map(|d| W::Bare(d.to_string()))
}

fn opt_qty(q: &Option<Quantity>) -> Option<W<'static>> {
    q.as_ref().map(|q| W::Bare(q.as_str().to_owned()))
}

/// Write a SIE 4 file (CP437, CRLF, #KSUMMA). The SIE type written is the
/// model's `sie_type` (if any); budgets (#PBUDGET) and vouchers are written
/// whenever present.
pub fn write_sie4(file: &SieFile) -> Result<Vec<u8>, WriteError> {
    let mut o = Out {
        bytes: Vec::new(),
        ksumma: Ksumma::new(),
    };
    o.record("#FLAGGA", &[W::Bare(file.flag.to_string())])?;
    o.raw_line("#KSUMMA");
    o.ksumma = Ksumma::new();
    if let Some(p) = &file.program {
        o.record(
            "#PROGRAM",
            &tail(vec![Some(W::Text(&p.name)), opt_text(&p.version)]),
        )?;
    }
    o.record("#FORMAT", &[W::Bare("PC8".into())])?;
    if let Some(g) = &file.generated {
        o.record(
            "#GEN",
            &tail(vec![Some(W::Bare(g.date.to_string())), opt_text(&g.sign)]),
        )?;
    }
    if let Some(t) = file.sie_type {
        o.record("#SIETYP", &[W::Bare(t.number().to_string())])?;
    }
    let singles: [(&'static str, &Option<String>); 3] = [
        ("#PROSA", &file.prosa),
        ("#FTYP", &file.company_type),
        ("#FNR", &file.company_id),
    ];
    for (label, v) in singles {
        if let Some(v) = v {
            o.record(label, &[W::Text(v)])?;
        }
    }
    if let Some(n) = &file.org_nr {
        o.record(
            "#ORGNR",
            &tail(vec![
                Some(W::Text(&n.number)),
                opt_text(&n.acquisition),
                opt_text(&n.activity),
            ]),
        )?;
    }
    if let Some(v) = &file.sni_code {
        o.record("#BKOD", &[W::Text(v)])?;
    }
    if let Some(a) = &file.address {
        o.record(
            "#ADRESS",
            &[
                W::Text(&a.contact),
                W::Text(&a.street),
                W::Text(&a.postal),
                W::Text(&a.phone),
            ],
        )?;
    }
    if let Some(v) = &file.company_name {
        o.record("#FNAMN", &[W::Text(v)])?;
    }
    for y in &file.fiscal_years {
        o.record(
            "#RAR",
            &[
                W::Bare(y.index.to_string()),
                W::Bare(y.start.to_string()),
                W::Bare(y.end.to_string()),
            ],
        )?;
    }
    if let Some(y) = file.tax_year {
        o.record("#TAXAR", &[W::Bare(y.to_string())])?;
    }
    if let Some(d) = file.balances_until {
        o.record("#OMFATTN", &[W::Bare(d.to_string())])?;
    }
    if let Some(v) = &file.chart_type {
        o.record("#KPTYP", &[W::Text(v)])?;
    }
    if let Some(v) = &file.currency {
        o.record("#VALUTA", &[W::Text(v)])?;
    }

    for (no, acc) in &file.accounts {
        let nr = || W::Bare(no.as_str().to_owned());
        o.record("#KONTO", &[nr(), W::Text(&acc.name)])?;
        if let Some(k) = acc.kind {
            o.record("#KTYP", &[nr(), W::Bare(k.code().to_owned())])?;
        }
        if !acc.unit.is_empty() {
            o.record("#ENHET", &[nr(), W::Text(&acc.unit)])?;
        }
        for s in &acc.sru {
            o.record("#SRU", &[nr(), W::Text(s)])?;
        }
    }
    for (n, d) in &file.dimensions {
        match d.parent {
            None => o.record("#DIM", &[W::Bare(n.to_string()), W::Text(&d.name)])?,
            Some(p) => o.record(
                "#UNDERDIM",
                &[
                    W::Bare(n.to_string()),
                    W::Text(&d.name),
                    W::Bare(p.to_string()),
                ],
            )?,
        }
    }
    for (r, name) in &file.objects {
        o.record(
            "#OBJEKT",
            &[
                W::Bare(r.dimension.to_string()),
                W::Text(&r.object),
                W::Text(name),
            ],
        )?;
    }

    let balances: [(&'static str, &Vec<Balance>); 2] = [
        ("#IB", &file.opening_balances),
        ("#UB", &file.closing_balances),
    ];
    for (label, rows) in balances {
        for b in rows {
            write_balance(&mut o, label, b)?;
        }
    }
    let obj: [(&'static str, &Vec<ObjectBalance>); 2] = [
        ("#OIB", &file.object_opening_balances),
        ("#OUB", &file.object_closing_balances),
    ];
    for (label, rows) in obj {
        for b in rows {
            o.record(
                label,
                &tail(vec![
                    Some(W::Bare(b.year.to_string())),
                    Some(W::Bare(b.account.as_str().to_owned())),
                    Some(W::List(&b.objects)),
                    Some(W::Bare(b.amount.to_string())),
                    opt_qty(&b.quantity),
                ]),
            )?;
        }
    }
    for b in &file.results {
        write_balance(&mut o, "#RES", b)?;
    }
    let periods: [(&'static str, &Vec<PeriodAmount>); 2] = [
        ("#PSALDO", &file.period_balances),
        ("#PBUDGET", &file.period_budgets),
    ];
    for (label, rows) in periods {
        for p in rows {
            o.record(
                label,
                &tail(vec![
                    Some(W::Bare(p.year.to_string())),
                    Some(W::Bare(p.period.to_string())),
                    Some(W::Bare(p.account.as_str().to_owned())),
                    Some(W::List(&p.objects)),
                    Some(W::Bare(p.amount.to_string())),
                    opt_qty(&p.quantity),
                ]),
            )?;
        }
    }

    for v in &file.vouchers {
        let f = vec![
            Some(W::Text(&v.series)),
            Some(W::Text(&v.number)),
            Some(W::Bare(v.date.to_string())),
            opt_text(&v.text),
            opt_date(v.registered),
            opt_text(&v.sign),
        ];
        o.record("#VER", &tail(f))?;
        o.raw_line("{");
        for r in &v.rows {
            let label = r.kind.label();
            o.record(
                label,
                &tail(vec![
                    Some(W::Bare(r.account.as_str().to_owned())),
                    Some(W::List(&r.objects)),
                    Some(W::Bare(r.amount.to_string())),
                    opt_date(r.date),
                    opt_text(&r.text),
                    opt_qty(&r.quantity),
                    opt_text(&r.sign),
                ]),
            )?;
        }
        o.raw_line("}");
    }
    let crc = o.ksumma.value();
    o.raw_line(&format!("#KSUMMA {crc}"));
    if !o.bytes.is_ascii() && std::str::from_utf8(&o.bytes).is_ok() {
        return Err(WriteError::LooksLikeUtf8);
    }
    Ok(o.bytes)
}

fn write_balance(o: &mut Out, label: &'static str, b: &Balance) -> Result<(), WriteError> {
    o.record(
        label,
        &tail(vec![
            Some(W::Bare(b.year.to_string())),
            Some(W::Bare(b.account.as_str().to_owned())),
            Some(W::Bare(b.amount.to_string())),
            opt_qty(&b.quantity),
        ]),
    )
}
