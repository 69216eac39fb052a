//! The one write protocol of a ledger import, on both databases.
//!
//! A [`LedgerLoad`] is an open write transaction (begun by [`begin`]) that takes a ledger file
//! voucher by voucher and row by row as the reader meets them, and hands table rows to the
//! database's [`Sink`]:
//! - texts that repeat (series, accounts, object lists, row texts) get a number per file the
//!   first time they are met (`ledger_texts`) and are referenced by it; a row text that ends
//!   with its voucher's text keeps only what comes before (`text_tail`);
//! - vouchers are numbered in file order and written as they come, packed a block of
//!   [`VOUCHERS_PER_PACK`](super::pack::VOUCHERS_PER_PACK) at a time (`ledger_voucher_packs`);
//! - voucher rows are gathered, sorted by (account, ansvar, day, voucher, line), packed a few
//!   dozen rows of one account and ansvar at a time ([`super::pack`]) and written a run at a
//!   time, so that the database appends instead of inserting all over its tree; a run holds at
//!   most [`RUN_ROWS`] rows, which bounds the memory;
//! - the counted rows are summed per account × ansvar × project × month as they pass.
//!
//! [`LedgerLoad::finish`] then replaces an earlier import of the same company and fiscal year,
//! writes the sums, the file's own row and the audit row, and commits. Dropping a load instead
//! rolls everything back: an import is whole or nothing.

use super::pack::{PackHead, PackedRow, PackedVoucher, Packer, RowText, VoucherPacker};
use super::sink::Sink;
use super::tables::{BALANCES, FILES, SUMS, TEXTS, Table, TableWriter, VOUCHER_PACKS};
use crate::row::Value;
use crate::write::values_of;
use crate::{StoreError, audit, time};
use rustc_hash::FxHashMap;
use styr_domain::Money;
use styr_domain::ledger::{LedgerAmount, Month, TransactionKind};
use styr_domain::statements::AccountBalance;

/// Voucher rows sorted and written at a time (a run): 40 bytes each in memory, so a run holds
/// 40 MB; one is filled while the one before is written.
pub const RUN_ROWS: usize = 1 << 20;

/// Distinct texts per file kept in memory; later new row texts are stored inline.
const MAX_TEXTS: usize = 1_000_000;

/// A calendar date, as a ledger gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LedgerDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl LedgerDate {
    /// Days since 1970-01-01 (negative before), the form the tables keep.
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date of a day number.
    pub fn from_days(days: i64) -> LedgerDate {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        LedgerDate {
            year: u16::try_from(year).unwrap_or(0),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// The month, when the year is one the store keeps (1000–9999).
    pub fn month(self) -> Option<Month> {
        Month::new(i32::from(self.year), self.month)
    }

    /// ISO `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A voucher as the reader gives it.
#[derive(Debug, Clone, Copy)]
pub struct VoucherRecord<'a> {
    pub series: &'a str,
    pub number: &'a str,
    pub date: LedgerDate,
    pub text: &'a str,
}

/// A voucher row as the reader gives it, after its voucher.
#[derive(Debug, Clone, Copy)]
pub struct RowRecord<'a> {
    pub kind: TransactionKind,
    pub account: &'a str,
    /// The object list: (dimension, object) pairs.
    pub objects: &'a [(u32, &'a str)],
    /// The row's own date, else its voucher's.
    pub date: LedgerDate,
    pub amount_ore: i64,
    pub text: &'a str,
    /// The reader's number of the row's account and object list as written
    /// (`styr_sie::RowView::spelling`): rows given the same number in one load have the same
    /// `account` and `objects`, so what they give is looked up once. `None` when unknown.
    pub spelling: Option<u32>,
}

/// What a row's account and object list give, remembered by its spelling number.
#[derive(Debug, Clone, Copy)]
struct Spelled {
    /// The spelling number + 1 (0: an empty entry).
    key: u32,
    account: u32,
    objects: u32,
    ansvar: u32,
    project: u32,
    ansvar_key: u32,
}

/// Entries of [`LedgerLoad::spelled`] at most (a power of two; spelling numbers are dense, so
/// the table is an array until they pass it).
const SPELLINGS: usize = 1 << 17;

/// What a stored ledger file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LedgerScope {
    /// A body's follow-up ledger, read by budget vs actual (every file before issue 22).
    #[default]
    FollowUp,
    /// The municipality's bokslut ledger with its balances, read by the financial statements
    /// only: never by a body's budget vs actual.
    Statements,
}

impl LedgerScope {
    pub fn code(self) -> &'static str {
        match self {
            LedgerScope::FollowUp => "followup",
            LedgerScope::Statements => "statements",
        }
    }
}

/// Who the file belongs to and what it covers: known once the whole file has been read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerFileInfo {
    /// The file's organisation number (#ORGNR), else its company name (#FNAMN).
    pub company: String,
    pub company_name: Option<String>,
    /// The fiscal year's first and last day, ISO `YYYY-MM-DD`.
    pub year_start: String,
    pub year_end: String,
    pub file_name: String,
    /// #PROGRAM, as `name version`.
    pub program: Option<String>,
}

impl LedgerFileInfo {
    /// `YYYY-MM-DD..YYYY-MM-DD`: the key of the fiscal year.
    pub fn fiscal_year(&self) -> String {
        format!("{}..{}", self.year_start, self.year_end)
    }
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerImportSummary {
    pub municipality: String,
    pub company: String,
    pub fiscal_year: String,
    /// Whether an earlier import of the same company and year was replaced, and how many voucher
    /// rows it had.
    pub replaced: Option<u64>,
    pub vouchers: u64,
    pub transactions: u64,
    pub monthly_rows: u64,
    pub imported_at: String,
    /// The counted rows summed per account × ansvar × project × month, as stored.
    pub actual: Vec<LedgerAmount>,
}

/// A voucher row waiting in a run, 40 bytes.
#[derive(Clone, Copy)]
pub(crate) struct PendingRow {
    amount: i64,
    account: u32,
    /// The dimension-1 object's text id, the empty text's when the row has none.
    ansvar: u32,
    day: i32,
    voucher: u32,
    line: u32,
    /// `NO_ID` when the row has no objects.
    objects: u32,
    /// A text id, or an index into `inline_texts` when `INLINE` is set in `flags`.
    text: u32,
    kind: u8,
    flags: u8,
}

const NO_ID: u32 = u32::MAX;
const INLINE: u8 = 1;
const TAIL: u8 = 2;

/// The texts of a file and their numbers.
#[derive(Default)]
struct Texts {
    ids: FxHashMap<Box<str>, u32>,
    by_id: Vec<Box<str>>,
}

/// (account, ansvar, project) text ids and the month's index.
type SumKey = (u32, u32, u32, i32);

/// An import in progress: an open transaction. See the module documentation.
pub struct LedgerLoad {
    writer: Writer,
    file: i64,
    municipality: String,
    actor: String,
    texts: Texts,
    /// Text ids of the dimension-1 and -6 objects of an object list's id.
    list_objects: FxHashMap<u32, (u32, u32)>,
    vouchers: u64,
    /// The vouchers of the block being read, packed (`ledger_voucher_packs`).
    voucher_packs: VoucherPacker,
    voucher_day: i32,
    voucher_text: String,
    line: u32,
    rows: u64,
    run: Vec<PendingRow>,
    /// The first and last day of each run handed to the writer so far, in run order
    /// (`ledger_files.run_days`; their number is `ledger_files.runs`).
    run_days: Vec<(i32, i32)>,
    run_rows: usize,
    inline_texts: Vec<Box<str>>,
    sums: FxHashMap<SumKey, (i128, u64)>,
    scratch: String,
    progress: Option<Box<dyn FnMut(u64) + Send>>,
    scope: LedgerScope,
    balances: Vec<AccountBalance>,
    /// By spelling number (`number % SPELLINGS`): a row's account, object list, ansvar and
    /// project ids without hashing their texts again (four lookups a row).
    spelled: Vec<Spelled>,
}

/// Begins an import into `sink`'s open transaction, whose write counter value `seq` numbers
/// the file.
pub(crate) fn begin(sink: Sink, seq: i64, municipality: &str, actor: &str) -> LedgerLoad {
    LedgerLoad {
        writer: Writer::start(sink),
        file: seq,
        municipality: municipality.to_owned(),
        actor: actor.to_owned(),
        texts: Texts::default(),
        list_objects: FxHashMap::default(),
        vouchers: 0,
        voucher_packs: VoucherPacker::default(),
        voucher_day: 0,
        voucher_text: String::new(),
        line: 0,
        rows: 0,
        run: Vec::with_capacity(RUN_ROWS),
        run_days: Vec::new(),
        run_rows: RUN_ROWS,
        inline_texts: Vec::new(),
        sums: FxHashMap::default(),
        scratch: String::new(),
        progress: None,
        scope: LedgerScope::FollowUp,
        balances: Vec::new(),
        spelled: Vec::new(),
    }
}

fn count(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

impl LedgerLoad {
    /// Calls `progress` with the number of voucher rows taken so far, now and then.
    pub fn on_progress(&mut self, progress: impl FnMut(u64) + Send + 'static) {
        self.progress = Some(Box::new(progress));
    }

    /// Writes runs of `rows` rows instead of [`RUN_ROWS`]: for tests of a file of many runs.
    #[doc(hidden)]
    pub fn set_run_rows(&mut self, rows: usize) {
        self.run_rows = rows.max(1);
    }

    /// Stores the file as `scope` (a follow-up file unless told).
    pub fn set_scope(&mut self, scope: LedgerScope) {
        self.scope = scope;
    }

    /// The file's #IB, #UB and #RES records, written with the file by [`finish`](Self::finish).
    pub fn set_balances(&mut self, balances: Vec<AccountBalance>) {
        self.balances = balances;
    }

    /// Voucher rows taken so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The text's id, writing the text when it is new; `None` when the file has more distinct
    /// texts than are kept and `bounded`.
    fn text_id(&mut self, text: &str, bounded: bool) -> Result<Option<u32>, StoreError> {
        if let Some(&id) = self.texts.ids.get(text) {
            return Ok(Some(id));
        }
        if bounded && self.texts.by_id.len() >= MAX_TEXTS {
            return Ok(None);
        }
        let id = u32::try_from(self.texts.by_id.len())
            .map_err(|_| StoreError::Corrupt("fler än 4 miljarder texter i en fil".into()))?;
        let boxed: Box<str> = text.into();
        self.texts.ids.insert(boxed.clone(), id);
        self.texts.by_id.push(boxed);
        self.writer.insert(
            &TEXTS,
            &mut Vec::from(values_of!(TEXTS;
                "file" => self.file,
                "id" => i64::from(id),
                "text" => text,
            )),
        )?;
        Ok(Some(id))
    }

    /// Takes the next voucher; its rows follow with [`row`](Self::row).
    pub fn voucher(&mut self, voucher: &VoucherRecord<'_>) -> Result<(), StoreError> {
        self.vouchers += 1;
        self.line = 0;
        self.voucher_day = i32::try_from(voucher.date.days()).unwrap_or(i32::MIN);
        self.voucher_text.clear();
        self.voucher_text.push_str(voucher.text);
        let series = self.text_id(voucher.series, false)?.unwrap_or(NO_ID);
        let (writer, file) = (&mut self.writer, self.file);
        self.voucher_packs.push(
            &PackedVoucher {
                id: count(self.vouchers),
                series: i64::from(series),
                number: voucher.number,
                day: i64::from(self.voucher_day),
                text: voucher.text,
            },
            &mut |block, vouchers, data| write_voucher_pack(writer, file, block, vouchers, data),
        )
    }

    /// Takes a row of the last voucher.
    pub fn row(&mut self, row: &RowRecord<'_>) -> Result<(), StoreError> {
        let month = row.date.month().ok_or_else(|| {
            StoreError::Corrupt(format!(
                "datumet {} ligger utanför åren 1000–9999",
                row.date.iso()
            ))
        })?;
        self.line += 1;
        self.rows += 1;
        let known_spelling = self.spelled_as(row.spelling);
        let (account, objects) = match known_spelling {
            Some(known) => (known.account, known.objects),
            None => {
                let account = self.text_id(row.account, false)?.unwrap_or(NO_ID);
                let objects = if row.objects.is_empty() {
                    NO_ID
                } else {
                    self.object_list(row.objects)?
                };
                (account, objects)
            }
        };
        let (tail, own_text) = match row.text.strip_suffix(self.voucher_text.as_str()) {
            Some(head) if !self.voucher_text.is_empty() => (TAIL, head),
            _ => (0, row.text),
        };
        let known = self.texts.ids.get(own_text).copied();
        let id = match known {
            Some(id) => Some(id),
            None => {
                let owned = own_text.to_owned();
                self.text_id(&owned, true)?
            }
        };
        let (text, flags) = match id {
            Some(id) => (id, tail),
            None => {
                self.inline_texts.push(own_text.into());
                (
                    u32::try_from(self.inline_texts.len() - 1).unwrap_or(NO_ID),
                    tail | INLINE,
                )
            }
        };
        let (ansvar, project) = match known_spelling {
            Some(known) => (known.ansvar, known.project),
            None if objects == NO_ID => (NO_ID, NO_ID),
            None => self
                .list_objects
                .get(&objects)
                .copied()
                .unwrap_or((NO_ID, NO_ID)),
        };
        if row.kind.counts() {
            let key = (account, ansvar, project, month_index(month));
            let sum = self.sums.entry(key).or_default();
            sum.0 += i128::from(row.amount_ore);
            sum.1 += 1;
        }
        let ansvar_key = match known_spelling {
            Some(known) => known.ansvar_key,
            None if ansvar == NO_ID => self.text_id("", false)?.unwrap_or(NO_ID),
            None => ansvar,
        };
        if known_spelling.is_none()
            && let Some(n) = row.spelling
        {
            self.remember_spelling(Spelled {
                key: n.wrapping_add(1),
                account,
                objects,
                ansvar,
                project,
                ansvar_key,
            });
        }
        self.run.push(PendingRow {
            amount: row.amount_ore,
            account,
            ansvar: ansvar_key,
            day: i32::try_from(row.date.days()).unwrap_or(i32::MIN),
            voucher: u32::try_from(self.vouchers).unwrap_or(NO_ID),
            line: self.line,
            objects,
            text,
            kind: kind_code(row.kind),
            flags,
        });
        if self.run.len() >= self.run_rows {
            self.write_run()?;
        }
        if self.rows.is_multiple_of(65_536)
            && let Some(progress) = self.progress.as_mut()
        {
            progress(self.rows);
        }
        Ok(())
    }

    /// What a row of this spelling number gave before, if remembered.
    fn spelled_as(&self, spelling: Option<u32>) -> Option<Spelled> {
        let n = spelling?;
        self.spelled
            .get(n as usize % SPELLINGS)
            .copied()
            .filter(|known| known.key == n.wrapping_add(1))
    }

    fn remember_spelling(&mut self, spelled: Spelled) {
        let place = spelled.key.wrapping_sub(1) as usize % SPELLINGS;
        if self.spelled.len() <= place {
            let len = (place + 1).next_power_of_two().clamp(1024, SPELLINGS);
            let empty = Spelled {
                key: 0,
                account: NO_ID,
                objects: NO_ID,
                ansvar: NO_ID,
                project: NO_ID,
                ansvar_key: NO_ID,
            };
            self.spelled.resize(len, empty);
        }
        if let Some(entry) = self.spelled.get_mut(place) {
            *entry = spelled;
        }
    }

    /// The id of an object list's text (`1=A;6=P`), noting its ansvar and project.
    fn object_list(&mut self, objects: &[(u32, &str)]) -> Result<u32, StoreError> {
        let mut list = std::mem::take(&mut self.scratch);
        list.clear();
        for (index, (dimension, object)) in objects.iter().enumerate() {
            if index > 0 {
                list.push(';');
            }
            push_number(&mut list, *dimension);
            list.push('=');
            list.push_str(object);
        }
        let known = self.texts.ids.get(list.as_str()).copied();
        let id = match known {
            Some(id) => id,
            None => self.text_id(&list, false)?.unwrap_or(NO_ID),
        };
        self.scratch = list;
        if !self.list_objects.contains_key(&id) {
            let object_in = |wanted: u32| {
                objects
                    .iter()
                    .find(|(dimension, _)| *dimension == wanted)
                    .map(|(_, object)| *object)
            };
            let ansvar = match object_in(1) {
                Some(object) => self.text_id(object, false)?.unwrap_or(NO_ID),
                None => NO_ID,
            };
            let project = match object_in(6) {
                Some(object) => self.text_id(object, false)?.unwrap_or(NO_ID),
                None => NO_ID,
            };
            self.list_objects.insert(id, (ansvar, project));
        }
        Ok(id)
    }

    /// Hands the gathered rows to the writer thread, which sorts and writes them while the
    /// reader goes on.
    fn write_run(&mut self) -> Result<(), StoreError> {
        if self.run.is_empty() {
            return Ok(());
        }
        let rows = std::mem::replace(&mut self.run, Vec::with_capacity(RUN_ROWS));
        let days = rows
            .iter()
            .fold((i32::MAX, i32::MIN), |(first, last), row| {
                (first.min(row.day), last.max(row.day))
            });
        let number = u32::try_from(self.run_days.len()).unwrap_or(u32::MAX);
        self.run_days.push(days);
        let inline_texts = std::mem::take(&mut self.inline_texts);
        self.writer.run(Run {
            file: self.file,
            number,
            rows,
            inline_texts,
        })
    }

    /// Writes what remains, replaces an earlier import of the same company and fiscal year,
    /// writes the sums, the ledger's #PBUDGET sums (`budget`), the file's row and the audit row,
    /// and commits.
    pub async fn finish(
        mut self,
        info: &LedgerFileInfo,
        budget: &[LedgerAmount],
    ) -> Result<LedgerImportSummary, StoreError> {
        self.write_run()?;
        let (writer, file) = (&mut self.writer, self.file);
        self.voucher_packs.finish(&mut |block, vouchers, data| {
            write_voucher_pack(writer, file, block, vouchers, data)
        })?;
        if let Some(progress) = self.progress.as_mut() {
            progress(self.rows);
        }
        let mut sink = self.writer.finish()?;
        let fiscal_year = info.fiscal_year();
        let replaced = sink
            .replace(&self.municipality, &info.company, &fiscal_year)
            .await?;
        let mut actual: Vec<(SumKey, (i128, u64))> = self.sums.drain().collect();
        // In the order of their texts (account, ansvar, project; none first), then month: each
        // text the sums name is ranked once, and the sums sort by the ranks instead of comparing
        // the texts themselves some twenty times each.
        let mut named: Vec<u32> = actual
            .iter()
            .flat_map(|((account, ansvar, project, _), _)| [*account, *ansvar, *project])
            .filter(|id| self.texts.by_id.get(*id as usize).is_some())
            .collect();
        named.sort_unstable();
        named.dedup();
        named.sort_unstable_by(|a, b| {
            self.texts.by_id[*a as usize].cmp(&self.texts.by_id[*b as usize])
        });
        let mut rank: FxHashMap<u32, u32> = FxHashMap::default();
        rank.extend(named.iter().zip(1..).map(|(id, rank)| (*id, rank)));
        let rank_of = |id: u32| rank.get(&id).copied().unwrap_or(0);
        actual.sort_unstable_by_key(|((account, ansvar, project, month), _)| {
            (
                rank_of(*account),
                rank_of(*ansvar),
                rank_of(*project),
                *month,
            )
        });
        let mut position = 0i64;
        let mut stored_actual = Vec::with_capacity(actual.len());
        for ((account, ansvar, project, month), (amount, rows)) in actual {
            let name = |id: u32| self.texts.by_id.get(id as usize).map(|t| t.to_string());
            let amount = i64::try_from(amount)
                .map_err(|_| StoreError::Corrupt("en månadssumma ryms inte i 64 bitar".into()))?;
            let mut values = Vec::from(values_of!(SUMS;
                "file" => self.file,
                "position" => position,
                "source" => "actual",
                "account" => name(account).unwrap_or_default(),
                "ansvar" => name(ansvar),
                "project" => name(project),
                "month" => month_from_index(month),
                "amount_ore" => amount,
                "row_count" => count(rows),
            ));
            sink.insert(&SUMS, &mut values)?;
            position += 1;
            stored_actual.push(LedgerAmount {
                account: name(account).unwrap_or_default(),
                ansvar: name(ansvar),
                project: name(project),
                month: Month::parse(&month_from_index(month)).ok_or_else(|| {
                    StoreError::Corrupt(format!("månaden {}", month_from_index(month)))
                })?,
                amount: Money::from_ore(amount),
                rows,
            });
        }
        for amount in budget {
            let mut values = Vec::from(values_of!(SUMS;
                "file" => self.file,
                "position" => position,
                "source" => "budget",
                "account" => amount.account.as_str(),
                "ansvar" => amount.ansvar.as_deref(),
                "project" => amount.project.as_deref(),
                "month" => amount.month.to_string(),
                "amount_ore" => amount.amount,
                "row_count" => count(amount.rows),
            ));
            sink.insert(&SUMS, &mut values)?;
            position += 1;
        }
        let monthly_rows = u64::try_from(position).unwrap_or(0);
        // The monthly balances the reports read (issue 23), from the sums just written.
        super::balances::write_file(&mut sink, self.file, &stored_actual, budget)?;
        for (position, balance) in self.balances.iter().enumerate() {
            let mut values = Vec::from(values_of!(BALANCES;
                "file" => self.file,
                "position" => count(position),
                "kind" => balance.kind.code(),
                "year_index" => i64::from(balance.year),
                "account" => balance.account.as_str(),
                "amount_ore" => balance.amount,
            ));
            sink.insert(&BALANCES, &mut values)?;
        }
        let imported_at = time::now_utc();
        let mut file_row = Vec::from(values_of!(FILES;
            "id" => self.file,
            "municipality" => self.municipality.as_str(),
            "company" => info.company.as_str(),
            "fiscal_year" => fiscal_year.as_str(),
            "company_name" => info.company_name.as_deref(),
            "year_start" => info.year_start.as_str(),
            "year_end" => info.year_end.as_str(),
            "file_name" => info.file_name.as_str(),
            "program" => info.program.as_deref(),
            "vouchers" => count(self.vouchers),
            "transactions" => count(self.rows),
            "runs" => count(self.run_days.len()),
            "run_days" => run_days_text(&self.run_days),
            "imported_at" => imported_at.as_str(),
            "imported_by" => self.actor.as_str(),
            "scope" => self.scope.code(),
        ));
        sink.insert(&FILES, &mut file_row)?;
        let action = format!(
            "import actuals {}/{}/{fiscal_year}",
            self.municipality, info.company
        );
        let detail = format!(
            "file={} vouchers={} transactions={} monthly_rows={monthly_rows} replaced={}{}",
            info.file_name.replace(' ', "_"),
            self.vouchers,
            self.rows,
            replaced.is_some(),
            replaced.map_or(String::new(), |n| format!(" replaced_transactions={n}")),
        );
        let change = audit::Change {
            seq: self.file,
            municipality: &self.municipality,
            at: &imported_at,
            actor: &self.actor,
            action: &action,
            detail: &detail,
            before: None,
            after: None,
        };
        sink.insert(&audit::TABLE, &mut change.values())?;
        sink.commit().await?;
        Ok(LedgerImportSummary {
            municipality: self.municipality,
            company: info.company.clone(),
            fiscal_year,
            replaced,
            vouchers: self.vouchers,
            transactions: self.rows,
            monthly_rows,
            imported_at,
            actual: stored_actual,
        })
    }
}

/// `ledger_files.run_days` (migration 0034): `first-last` per run, comma-separated.
fn run_days_text(days: &[(i32, i32)]) -> String {
    let runs: Vec<String> = days
        .iter()
        .map(|(first, last)| format!("{first}-{last}"))
        .collect();
    runs.join(",")
}

/// The days each of a file's `runs` spans, from `ledger_files.run_days` as written; a file
/// imported before the column (or a text that does not read as one span per run) gets spans
/// that reach every day, so every run is sought.
pub(crate) fn run_spans(text: Option<&str>, runs: i64) -> Vec<(i64, i64)> {
    let every_day = vec![(i64::MIN, i64::MAX); usize::try_from(runs).unwrap_or(0)];
    let Some(text) = text else {
        return every_day;
    };
    let spans: Option<Vec<(i64, i64)>> = text
        .split(',')
        .map(|run| {
            // The first day may be negative (before 1970): split at the dash after it.
            let at = run.get(1..)?.find('-')? + 1;
            Some((
                run.get(..at)?.parse().ok()?,
                run.get(at + 1..)?.parse().ok()?,
            ))
        })
        .collect();
    match spans {
        Some(spans) if spans.len() == every_day.len() => spans,
        _ => every_day,
    }
}

/// Appends a number's digits (without `fmt`, which cost more than the rest of a row).
fn push_number(out: &mut String, mut number: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + u8::try_from(number % 10).unwrap_or(0);
        number /= 10;
        if number == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

/// Hands a pack of vouchers to the writer as a row of `ledger_voucher_packs`.
fn write_voucher_pack(
    writer: &mut Writer,
    file: i64,
    block: i64,
    vouchers: i64,
    data: &[u8],
) -> Result<(), StoreError> {
    writer.insert(
        &VOUCHER_PACKS,
        &mut Vec::from(values_of!(VOUCHER_PACKS;
            "file" => file,
            "block" => block,
            "vouchers" => vouchers,
            "data" => data.to_vec(),
        )),
    )
}

/// Rows of a small table sent to the writer thread at a time.
const VALUE_BATCH_ROWS: usize = 4096;

/// Jobs waiting for the writer thread at most. A run's vouchers go as some 60 batches while the
/// run is read, so the reader can gather the next run while the writer writes one; with room
/// for 2 the reader waited for each run's write (a 10 M-row import used 1,15 cores of 2).
const QUEUED_JOBS: usize = 96;

/// A run of voucher rows, unsorted, with the texts its rows hold inline.
struct Run {
    file: i64,
    number: u32,
    rows: Vec<PendingRow>,
    inline_texts: Vec<Box<str>>,
}

/// What the writer thread is given to write.
enum Job {
    /// Whole rows of one table, their values in column order.
    Values(&'static Table, Vec<Value>),
    Run(Run),
}

/// The writer thread: it owns the sink (the open transaction) while the file is read, and
/// writes what it is sent in order; the reader's thread only gathers. Dropped unfinished, it
/// stops, and the sink, dropped with it, rolls back.
struct Writer {
    jobs: Option<std::sync::mpsc::SyncSender<Job>>,
    thread: Option<std::thread::JoinHandle<Result<Sink, StoreError>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Per small table: rows not yet sent.
    batches: Vec<(&'static Table, Vec<Value>)>,
}

impl Writer {
    fn start(mut sink: Sink) -> Writer {
        use std::sync::atomic::Ordering;
        let (jobs, received) = std::sync::mpsc::sync_channel::<Job>(QUEUED_JOBS);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = std::sync::Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("ledger-writer".into())
            .spawn(move || {
                let mut values = Vec::new();
                for job in received {
                    if stopped.load(Ordering::Relaxed) {
                        break;
                    }
                    match job {
                        Job::Values(table, batch) => {
                            let width = table.columns.len();
                            let mut batch = batch.into_iter();
                            loop {
                                values.extend(batch.by_ref().take(width));
                                if values.is_empty() {
                                    break;
                                }
                                sink.insert(table, &mut values)?;
                            }
                            sink.relieve()?;
                        }
                        Job::Run(run) => write_run(&mut sink, run)?,
                    }
                }
                Ok(sink)
            });
        Writer {
            jobs: Some(jobs),
            // Should the thread not start, the first job finds no one to take it and says so.
            thread: thread.ok(),
            stop,
            batches: Vec::new(),
        }
    }

    /// Queues one row of a small table.
    fn insert(&mut self, table: &'static Table, values: &mut Vec<Value>) -> Result<(), StoreError> {
        table.check_width(values)?;
        let index = match self
            .batches
            .iter()
            .position(|(t, _)| std::ptr::eq(*t, table))
        {
            Some(index) => index,
            None => {
                self.batches.push((table, Vec::new()));
                self.batches.len() - 1
            }
        };
        let batch = &mut self.batches[index].1;
        batch.append(values);
        if batch.len() >= table.columns.len() * VALUE_BATCH_ROWS {
            let full = std::mem::take(batch);
            self.send(Job::Values(table, full))?;
        }
        Ok(())
    }

    fn run(&mut self, run: Run) -> Result<(), StoreError> {
        // Small tables first: a run's rows may name texts sent with them.
        self.flush()?;
        self.send(Job::Run(run))
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        for (table, batch) in std::mem::take(&mut self.batches) {
            if !batch.is_empty() {
                self.send(Job::Values(table, batch))?;
            }
        }
        Ok(())
    }

    fn send(&mut self, job: Job) -> Result<(), StoreError> {
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(job).is_ok());
        if sent {
            Ok(())
        } else {
            // The writer stopped: its error says why.
            Err(self.join().err().unwrap_or_else(|| {
                StoreError::Corrupt("skrivtråden för bokföringen stannade".into())
            }))
        }
    }

    fn join(&mut self) -> Result<Sink, StoreError> {
        self.jobs = None;
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(StoreError::Corrupt(
                "skrivtråden för bokföringen föll".into(),
            )),
            None => Err(StoreError::Corrupt(
                "skrivtråden för bokföringen är redan slut".into(),
            )),
        }
    }

    /// Sends what is queued, waits for the writer, and returns the sink.
    fn finish(&mut self) -> Result<Sink, StoreError> {
        self.flush()?;
        self.join()
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
            // Waits until the writer has stopped and its sink has rolled back, so that the next
            // writer finds the database free.
            let _ = self.join();
        }
    }
}

/// Sorts a run into the packs' order and hands it to the sink.
fn write_run(sink: &mut Sink, mut run: Run) -> Result<(), StoreError> {
    sort_run(&mut run.rows);
    sink.rows(&SortedRun {
        file: run.file,
        number: run.number,
        rows: &run.rows,
        inline_texts: &run.inline_texts,
    })
}

/// Sorts rows by (account, ansvar, day, voucher, line), the packs' order. The rows come in file
/// order, which is (voucher, line) order: one key of 128 bits (account, ansvar, day, and the
/// row's place in the run) sorts them as the tuple would, at a fraction of the comparisons' cost.
fn sort_run(rows: &mut Vec<PendingRow>) {
    let Ok(len) = u32::try_from(rows.len()) else {
        rows.sort_unstable_by_key(|r| (r.account, r.ansvar, r.day, r.voucher, r.line));
        return;
    };
    let mut keys: Vec<u128> = rows
        .iter()
        .zip(0..len)
        .map(|(r, at)| {
            // The day's sign bit flipped: negative days sort before positive ones.
            let day = r.day.cast_unsigned() ^ 0x8000_0000;
            (u128::from(r.account) << 96)
                | (u128::from(r.ansvar) << 64)
                | (u128::from(day) << 32)
                | u128::from(at)
        })
        .collect();
    keys.sort_unstable();
    let mut sorted = Vec::with_capacity(rows.len());
    // The low 32 bits are the row's place in the run.
    sorted.extend(keys.iter().map(|&key| rows[(key as u32) as usize]));
    *rows = sorted;
}

/// A run of voucher rows in key order, as the sinks take it.
pub(crate) struct SortedRun<'a> {
    file: i64,
    number: u32,
    rows: &'a [PendingRow],
    inline_texts: &'a [Box<str>],
}

impl SortedRun<'_> {
    /// The file's number.
    pub fn file(&self) -> i64 {
        self.file
    }

    /// The run's number in its file.
    pub fn number(&self) -> i64 {
        i64::from(self.number)
    }

    /// Packs the run's rows ([`pack`](super::pack)) and hands each pack to `emit`, in key order.
    pub fn packs<E>(
        &self,
        mut emit: impl FnMut(PackHead, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut packer = Packer::default();
        for row in self.rows {
            let text = if row.flags & INLINE == 0 {
                RowText::Id(i64::from(row.text))
            } else {
                let index = usize::try_from(row.text).unwrap_or(usize::MAX);
                self.inline_texts
                    .get(index)
                    .map_or(RowText::None, |text| RowText::Inline(text))
            };
            let packed = PackedRow {
                day: i64::from(row.day),
                voucher: i64::from(row.voucher),
                line: i64::from(row.line),
                kind: row.kind,
                objects: (row.objects != NO_ID).then_some(i64::from(row.objects)),
                amount: row.amount,
                text,
                tail: row.flags & TAIL != 0,
            };
            packer.push(
                i64::from(row.account),
                i64::from(row.ansvar),
                &packed,
                &mut emit,
            )?;
        }
        packer.finish(&mut emit)
    }
}

fn kind_code(kind: TransactionKind) -> u8 {
    match kind {
        TransactionKind::Normal => 0,
        TransactionKind::Added => 1,
        TransactionKind::Struck => 2,
        TransactionKind::Duplicate => 3,
    }
}

/// A stored kind code.
pub(crate) fn kind_of_code(code: i64) -> Option<TransactionKind> {
    match code {
        0 => Some(TransactionKind::Normal),
        1 => Some(TransactionKind::Added),
        2 => Some(TransactionKind::Struck),
        3 => Some(TransactionKind::Duplicate),
        _ => None,
    }
}

fn month_index(month: Month) -> i32 {
    month.year() * 12 + i32::from(month.month()) - 1
}

fn month_from_index(index: i32) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_days_read_back_as_written() {
        let days = [(18_628, 18_660), (-3, 5), (-20, -10)];
        let text = run_days_text(&days);
        assert_eq!(text, "18628-18660,-3-5,-20--10");
        let read = run_spans(Some(&text), 3);
        assert_eq!(read, vec![(18_628, 18_660), (-3, 5), (-20, -10)]);
        // Not as many runs as the file has, unreadable, or not kept: every run reaches every
        // day, so every run is sought.
        let every_day = |runs| vec![(i64::MIN, i64::MAX); runs];
        assert_eq!(run_spans(Some(&text), 4), every_day(4));
        assert_eq!(run_spans(Some("18628-x"), 1), every_day(1));
        assert_eq!(run_spans(None, 2), every_day(2));
    }

    #[test]
    fn day_numbers_round_trip() {
        let epoch = LedgerDate {
            year: 1970,
            month: 1,
            day: 1,
        };
        assert_eq!(epoch.days(), 0);
        let date = LedgerDate {
            year: 2021,
            month: 3,
            day: 15,
        };
        assert_eq!(date.days(), 18_701);
        for days in [-719_162, -1, 0, 59, 18_701, 2_932_896] {
            assert_eq!(LedgerDate::from_days(days).days(), days);
        }
        assert_eq!(
            month_from_index(month_index(date.month().unwrap())),
            "2021-03"
        );
    }
}
