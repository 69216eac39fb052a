//! Voucher rows packed (issue 23, migration 0035): a file's voucher rows are stored as
//! `ledger_packs`, each a few dozen consecutive rows of one run, account and ansvar in the
//! run's order (day, voucher, line), encoded into one blob. One SQL row per transaction cost
//! the SQLite import half its time (measured in docs/performance.md): the database's work is
//! per row, and a pack is one row for some seventy.
//!
//! A pack's key is (file, run, account, ansvar, last_day, seq): the drill-down seeks the packs
//! of a pair whose last day reaches its window and decodes them here. `seq` numbers the packs
//! of a run in order; `first_day` is the day its rows' days are counted from.
//!
//! A row is encoded as, in order: a head byte (bits 0–1 the kind, bit 2 `text_tail`, bits 3–4
//! how the text is held: 0 none, 1 a `ledger_texts` id, 2 inline), the day after `first_day`,
//! the voucher after the previous row's (the first after 0), the line, the object list's text id
//! plus one (0: none), the amount in öre, and the text: its id, or its length and UTF-8 bytes.
//! Numbers are LEB128 varints; signed ones zigzag-encoded first.

use crate::StoreError;

/// A pack is closed once its data reaches this many bytes: a pack of about 900 bytes stays
/// within its page in SQLite's tree (a 4 KiB page keeps up to about 1 000 bytes of a row
/// locally, the rest would go to an overflow page), and in PostgreSQL's heap tuple (no TOAST).
pub(crate) const PACK_BYTES: usize = 900;

/// The most rows a pack holds.
pub(crate) const PACK_ROWS: usize = 255;

/// How a row's text is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowText<'a> {
    None,
    /// A `ledger_texts` id.
    Id(i64),
    /// The text itself (a file with more distinct texts than the importer keeps).
    Inline(&'a str),
}

/// One voucher row of a pack, as the columns of the former `ledger_rows` held it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PackedRow<'a> {
    pub day: i64,
    pub voucher: i64,
    pub line: i64,
    /// 0 #TRANS, 1 #RTRANS, 2 #BTRANS, 3 the #TRANS that duplicates an #RTRANS.
    pub kind: u8,
    pub objects: Option<i64>,
    pub amount: i64,
    pub text: RowText<'a>,
    /// The row's text is followed by its voucher's text.
    pub tail: bool,
}

/// The packs' columns besides the data: what a pack is found by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PackHead {
    pub account: i64,
    pub ansvar: i64,
    pub first_day: i64,
    pub last_day: i64,
    pub seq: i64,
    pub rows: i64,
}

impl PackHead {
    /// The head's values in `ledger_packs`' column order after file and run, as both sinks and
    /// migration 0035 bind them.
    pub fn values(&self) -> [i64; 6] {
        [
            self.account,
            self.ansvar,
            self.last_day,
            self.seq,
            self.first_day,
            self.rows,
        ]
    }
}

/// [`PackHead::values`] is in the table's order: file and run, the head, the data.
const _: () = assert!(
    crate::write::same_columns(
        super::tables::PACKS.columns,
        &[
            "file",
            "run",
            "account",
            "ansvar",
            "last_day",
            "seq",
            "first_day",
            "row_count",
            "data"
        ]
    ),
    "PackHead::values binds a pack's values in this order"
);

/// Packs rows given in key order (account, ansvar, day, voucher, line) and hands each finished
/// pack to `emit`.
pub(crate) struct Packer {
    data: Vec<u8>,
    head: Option<PackHead>,
    previous_voucher: i64,
    seq: i64,
}

impl Default for Packer {
    fn default() -> Packer {
        Packer {
            data: Vec::with_capacity(PACK_BYTES + 256),
            head: None,
            previous_voucher: 0,
            seq: 0,
        }
    }
}

impl Packer {
    /// Adds the next row of `account` and `ansvar`; emits the pack before it when the row
    /// belongs to another pair or the pack is full.
    pub fn push<E>(
        &mut self,
        account: i64,
        ansvar: i64,
        row: &PackedRow<'_>,
        emit: &mut impl FnMut(PackHead, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let full = |head: &PackHead, data: &[u8]| {
            head.account != account
                || head.ansvar != ansvar
                || data.len() >= PACK_BYTES
                || head.rows >= PACK_ROWS as i64
        };
        if self
            .head
            .as_ref()
            .is_some_and(|head| full(head, &self.data))
        {
            self.finish(emit)?;
        }
        let head = self.head.get_or_insert_with(|| {
            self.previous_voucher = 0;
            PackHead {
                account,
                ansvar,
                first_day: row.day,
                last_day: row.day,
                seq: self.seq,
                rows: 0,
            }
        });
        head.rows += 1;
        head.last_day = head.last_day.max(row.day);
        let first_day = head.first_day;
        encode(&mut self.data, first_day, self.previous_voucher, row);
        self.previous_voucher = row.voucher;
        Ok(())
    }

    /// Emits the pack being filled, if any.
    pub fn finish<E>(
        &mut self,
        emit: &mut impl FnMut(PackHead, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        if let Some(head) = self.head.take() {
            self.seq += 1;
            let result = emit(head, &self.data);
            self.data.clear();
            result?;
        }
        Ok(())
    }
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

fn encode(out: &mut Vec<u8>, first_day: i64, previous_voucher: i64, row: &PackedRow<'_>) {
    let text_mode = match row.text {
        RowText::None => 0u8,
        RowText::Id(_) => 1,
        RowText::Inline(_) => 2,
    };
    out.push((row.kind & 3) | (u8::from(row.tail) << 2) | (text_mode << 3));
    push_varint(out, zigzag(row.day.wrapping_sub(first_day)));
    push_varint(out, zigzag(row.voucher.wrapping_sub(previous_voucher)));
    push_varint(out, zigzag(row.line));
    push_varint(out, row.objects.map_or(0, |id| zigzag(id).wrapping_add(1)));
    push_varint(out, zigzag(row.amount));
    match row.text {
        RowText::None => {}
        RowText::Id(id) => push_varint(out, zigzag(id)),
        RowText::Inline(text) => {
            push_varint(out, text.len() as u64);
            out.extend_from_slice(text.as_bytes());
        }
    }
}

/// The rows of a pack's `data`, in order; an error names what could not be read.
pub(crate) fn decode(
    first_day: i64,
    data: &[u8],
) -> impl Iterator<Item = Result<PackedRow<'_>, StoreError>> {
    let mut previous_voucher = 0i64;
    read_all("ledger_packs", data, move |reader| {
        let row = reader.row(first_day, previous_voucher)?;
        previous_voucher = row.voucher;
        Ok(row)
    })
}

/// The counted rows (#TRANS and #RTRANS) of a pack's `data` booked from `low` to `high`
/// (day numbers, inclusive): what a drill-down lists.
pub(crate) fn counted_rows(
    first_day: i64,
    data: &[u8],
    low: i64,
    high: i64,
) -> impl Iterator<Item = Result<PackedRow<'_>, StoreError>> {
    decode(first_day, data).filter(move |row| {
        row.as_ref()
            .map_or(true, |row| row.kind <= 1 && (low..=high).contains(&row.day))
    })
}

/// The items `next` reads from `data` one after another until it is used up; nothing after
/// an error, since nothing after a bad byte can be trusted.
fn read_all<'a, T>(
    table: &'static str,
    data: &'a [u8],
    mut next: impl FnMut(&mut Reader<'a>) -> Result<T, StoreError>,
) -> impl Iterator<Item = Result<T, StoreError>> {
    let mut reader = Reader { table, data, at: 0 };
    std::iter::from_fn(move || {
        if reader.at >= reader.data.len() {
            return None;
        }
        let item = next(&mut reader);
        if item.is_err() {
            reader.at = reader.data.len();
        }
        Some(item)
    })
}

struct Reader<'a> {
    /// The table whose data is read, for the error.
    table: &'static str,
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn corrupt(&self, what: &str) -> StoreError {
        StoreError::Corrupt(format!(
            "{}.data: {what} vid byte {} av {}",
            self.table,
            self.at,
            self.data.len()
        ))
    }

    fn byte(&mut self) -> Result<u8, StoreError> {
        let byte = *self
            .data
            .get(self.at)
            .ok_or_else(|| self.corrupt("raden tar slut"))?;
        self.at += 1;
        Ok(byte)
    }

    fn varint(&mut self) -> Result<u64, StoreError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.corrupt("ett för långt tal"))
    }

    fn text(&mut self) -> Result<&'a str, StoreError> {
        let len = usize::try_from(self.varint()?).unwrap_or(usize::MAX);
        let end = self
            .at
            .checked_add(len)
            .filter(|end| *end <= self.data.len())
            .ok_or_else(|| self.corrupt("texten tar slut"))?;
        let text = std::str::from_utf8(&self.data[self.at..end])
            .map_err(|_| self.corrupt("texten är inte UTF-8"))?;
        self.at = end;
        Ok(text)
    }

    fn voucher(
        &mut self,
        previous_id: i64,
        previous_day: i64,
    ) -> Result<PackedVoucher<'a>, StoreError> {
        Ok(PackedVoucher {
            id: previous_id.wrapping_add(unzigzag(self.varint()?)),
            series: unzigzag(self.varint()?),
            day: previous_day.wrapping_add(unzigzag(self.varint()?)),
            number: self.text()?,
            text: self.text()?,
        })
    }

    fn row(&mut self, first_day: i64, previous_voucher: i64) -> Result<PackedRow<'a>, StoreError> {
        let head = self.byte()?;
        let day = first_day.wrapping_add(unzigzag(self.varint()?));
        let voucher = previous_voucher.wrapping_add(unzigzag(self.varint()?));
        let line = unzigzag(self.varint()?);
        let objects = match self.varint()? {
            0 => None,
            id => Some(unzigzag(id - 1)),
        };
        let amount = unzigzag(self.varint()?);
        let text = match (head >> 3) & 3 {
            0 => RowText::None,
            1 => RowText::Id(unzigzag(self.varint()?)),
            2 => RowText::Inline(self.text()?),
            _ => return Err(self.corrupt("okänt textsätt")),
        };
        Ok(PackedRow {
            day,
            voucher,
            line,
            kind: head & 3,
            objects,
            amount,
            text,
            tail: head & 4 != 0,
        })
    }
}

/// Vouchers per voucher pack: a pack holds the vouchers whose ids (numbered from 1 in file
/// order) fall in one block of this many, `block = (id - 1) / VOUCHERS_PER_PACK`. Sixteen
/// vouchers are some 740 bytes, within their page in SQLite's tree as [`PACK_BYTES`] is; 64
/// (2 950 bytes) each took an overflow page, and the table grew larger than unpacked.
pub(crate) const VOUCHERS_PER_PACK: i64 = 16;

/// The block of a voucher id.
pub(crate) fn voucher_block(id: i64) -> i64 {
    (id - 1).div_euclid(VOUCHERS_PER_PACK)
}

/// One voucher of a voucher pack (migration 0037), as `ledger_vouchers` held it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PackedVoucher<'a> {
    pub id: i64,
    /// Its series' `ledger_texts` id.
    pub series: i64,
    pub number: &'a str,
    pub day: i64,
    pub text: &'a str,
}

/// Packs vouchers given in id order, a block at a time: each voucher is its id after the
/// previous one's (the first after the block's start), its series, its day after the previous
/// voucher's, and its number's and text's lengths and UTF-8 bytes.
#[derive(Default)]
pub(crate) struct VoucherPacker {
    block: Option<i64>,
    count: i64,
    data: Vec<u8>,
    previous_id: i64,
    previous_day: i64,
}

impl VoucherPacker {
    /// Adds a voucher; emits the block before it when the voucher begins another.
    pub fn push<E>(
        &mut self,
        voucher: &PackedVoucher<'_>,
        emit: &mut impl FnMut(i64, i64, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let block = voucher_block(voucher.id);
        if self.block.is_some_and(|open| open != block) {
            self.finish(emit)?;
        }
        if self.block.is_none() {
            self.block = Some(block);
            self.previous_id = block * VOUCHERS_PER_PACK;
            self.previous_day = 0;
        }
        let out = &mut self.data;
        push_varint(out, zigzag(voucher.id.wrapping_sub(self.previous_id)));
        push_varint(out, zigzag(voucher.series));
        push_varint(out, zigzag(voucher.day.wrapping_sub(self.previous_day)));
        for text in [voucher.number, voucher.text] {
            push_varint(out, text.len() as u64);
            out.extend_from_slice(text.as_bytes());
        }
        self.previous_id = voucher.id;
        self.previous_day = voucher.day;
        self.count += 1;
        Ok(())
    }

    /// Emits the block being filled, if any, as (block, count, data).
    pub fn finish<E>(
        &mut self,
        emit: &mut impl FnMut(i64, i64, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        if let Some(block) = self.block.take() {
            let result = emit(block, self.count, &self.data);
            self.count = 0;
            self.data.clear();
            result?;
        }
        Ok(())
    }
}

/// The vouchers of a voucher pack of `block`, in id order.
pub(crate) fn decode_vouchers(
    block: i64,
    data: &[u8],
) -> impl Iterator<Item = Result<PackedVoucher<'_>, StoreError>> {
    let (mut previous_id, mut previous_day) = (block * VOUCHERS_PER_PACK, 0i64);
    read_all("ledger_voucher_packs", data, move |reader| {
        let voucher = reader.voucher(previous_id, previous_day)?;
        (previous_id, previous_day) = (voucher.id, voucher.day);
        Ok(voucher)
    })
}

/// PostgreSQL, in a migration: `table`'s partition for `file`, attached at once (no import is
/// loading it), with row-level security enabled as `partition::create` does.
async fn create_partition(
    db: &mut sqlx::AnyConnection,
    table: &super::tables::Table,
    file: i64,
) -> Result<(), StoreError> {
    let partition = super::partition::name(table, file);
    // Built from a constant table name and a number.
    for sql in [
        format!(
            "CREATE TABLE {partition} PARTITION OF {} FOR VALUES IN ({file})",
            table.name
        ),
        format!("ALTER TABLE {partition} ENABLE ROW LEVEL SECURITY"),
    ] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}

/// Migration 0035's step (`migrate::Step::PackLedgerRows`): packs the rows of `ledger_rows`,
/// file by file and run by run in the key's order, into `ledger_packs`, then drops
/// `ledger_rows`; in the migration's transaction, so that either every file is packed or
/// nothing changed. On PostgreSQL each file's packs get their partition first.
pub(crate) async fn pack_ledger_rows(
    db: &mut sqlx::AnyConnection,
    backend: crate::connect::Backend,
) -> Result<(), StoreError> {
    use futures_util::TryStreamExt as _;
    use sqlx::Row as _;
    let runs: Vec<(i64, i64)> =
        sqlx::query("SELECT DISTINCT file, run FROM ledger_rows ORDER BY file, run")
            .fetch_all(&mut *db)
            .await?
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
    let mut partitioned: Option<i64> = None;
    for (file, run) in runs {
        if backend == crate::connect::Backend::Postgres && partitioned != Some(file) {
            create_partition(db, &super::tables::PACKS, file).await?;
            partitioned = Some(file);
        }
        let mut packs: Vec<(PackHead, Vec<u8>)> = Vec::new();
        let mut packer = Packer::default();
        let mut emit = |head: PackHead, data: &[u8]| {
            packs.push((head, data.to_vec()));
            Ok::<(), StoreError>(())
        };
        {
            let mut rows = sqlx::query(
                "SELECT account, ansvar, day, voucher, line, kind, objects, amount_ore, text, \
                 text_inline, text_tail FROM ledger_rows WHERE file = $1 AND run = $2 \
                 ORDER BY account, ansvar, day, voucher, line",
            )
            .bind(file)
            .bind(run)
            .fetch(&mut *db);
            while let Some(row) = rows.try_next().await? {
                let cells = crate::row::Cells {
                    row: &row,
                    table: "ledger_rows",
                };
                let inline = cells.opt_text("text_inline")?;
                let kind = cells.int("kind")?;
                let packed = PackedRow {
                    day: cells.int("day")?,
                    voucher: cells.int("voucher")?,
                    line: cells.int("line")?,
                    kind: u8::try_from(kind)
                        .ok()
                        .filter(|kind| *kind < 4)
                        .ok_or_else(|| StoreError::Corrupt(format!("ledger_rows.kind: {kind}")))?,
                    objects: cells.opt_int("objects")?,
                    amount: cells.int("amount_ore")?,
                    text: match (cells.opt_int("text")?, inline.as_deref()) {
                        (Some(id), _) => RowText::Id(id),
                        (None, Some(text)) => RowText::Inline(text),
                        (None, None) => RowText::None,
                    },
                    tail: cells.int("text_tail")? == 1,
                };
                packer.push(
                    cells.int("account")?,
                    cells.int("ansvar")?,
                    &packed,
                    &mut emit,
                )?;
            }
        }
        packer.finish(&mut emit)?;
        for (head, data) in packs {
            let mut insert = sqlx::query(
                "INSERT INTO ledger_packs (file, run, account, ansvar, last_day, seq, first_day, \
                 row_count, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            );
            for value in [file, run].into_iter().chain(head.values()) {
                insert = insert.bind(value);
            }
            insert.bind(data).execute(&mut *db).await?;
        }
    }
    sqlx::query("DROP TABLE ledger_rows")
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Migration 0037's step (`migrate::Step::PackVouchers`): packs the vouchers of
/// `ledger_vouchers`, file by file in id order, into `ledger_voucher_packs`, then drops
/// `ledger_vouchers`; in the migration's transaction. On PostgreSQL each file's packs get their
/// partition first.
pub(crate) async fn pack_vouchers(
    db: &mut sqlx::AnyConnection,
    backend: crate::connect::Backend,
) -> Result<(), StoreError> {
    use futures_util::TryStreamExt as _;
    use sqlx::Row as _;
    let files: Vec<i64> = sqlx::query("SELECT DISTINCT file FROM ledger_vouchers ORDER BY file")
        .fetch_all(&mut *db)
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, sqlx::Error>>()?;
    for file in files {
        if backend == crate::connect::Backend::Postgres {
            create_partition(db, &super::tables::VOUCHER_PACKS, file).await?;
        }
        let mut packs: Vec<(i64, i64, Vec<u8>)> = Vec::new();
        let mut packer = VoucherPacker::default();
        let mut emit = |block: i64, vouchers: i64, data: &[u8]| {
            packs.push((block, vouchers, data.to_vec()));
            Ok::<(), StoreError>(())
        };
        {
            let mut rows = sqlx::query(
                "SELECT id, series, number, day, text FROM ledger_vouchers WHERE file = $1 \
                 ORDER BY id",
            )
            .bind(file)
            .fetch(&mut *db);
            while let Some(row) = rows.try_next().await? {
                let cells = crate::row::Cells {
                    row: &row,
                    table: "ledger_vouchers",
                };
                let (number, text) = (cells.text("number")?, cells.text("text")?);
                packer.push(
                    &PackedVoucher {
                        id: cells.int("id")?,
                        series: cells.int("series")?,
                        number: &number,
                        day: cells.int("day")?,
                        text: &text,
                    },
                    &mut emit,
                )?;
            }
        }
        packer.finish(&mut emit)?;
        for (block, vouchers, data) in packs {
            sqlx::query(
                "INSERT INTO ledger_voucher_packs (file, block, vouchers, data) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(file)
            .bind(block)
            .bind(vouchers)
            .bind(data)
            .execute(&mut *db)
            .await?;
        }
    }
    sqlx::query("DROP TABLE ledger_vouchers")
        .execute(&mut *db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn row_strategy() -> impl Strategy<Value = (i64, i64, PackedRow<'static>)> {
        let text = prop_oneof![
            Just(RowText::None),
            any::<i64>().prop_map(RowText::Id),
            prop_oneof![Just(""), Just("Hyra å"), Just("\"x\" ;\n")].prop_map(RowText::Inline),
        ];
        (
            0i64..3,
            0i64..3,
            -30_000i64..30_000,
            any::<i64>(),
            0i64..1000,
            0u8..4,
            prop_oneof![Just(None), (0i64..1 << 40).prop_map(Some)],
            any::<i64>(),
            text,
            any::<bool>(),
        )
            .prop_map(
                |(account, ansvar, day, voucher, line, kind, objects, amount, text, tail)| {
                    (
                        account,
                        ansvar,
                        PackedRow {
                            day,
                            voucher,
                            line,
                            kind,
                            objects,
                            amount,
                            text,
                            tail,
                        },
                    )
                },
            )
    }

    proptest! {
        /// Whatever rows come, in key order, the packs give them back in the same order and
        /// pair, each pack within its bounds and its days.
        #[test]
        fn packs_give_back_every_row(mut rows in proptest::collection::vec(row_strategy(), 0..800)) {
            rows.sort_by_key(|(account, ansvar, row)| (*account, *ansvar, row.day, row.voucher, row.line));
            let mut packs: Vec<(PackHead, Vec<u8>)> = Vec::new();
            let mut packer = Packer::default();
            let mut emit = |head: PackHead, data: &[u8]| {
                packs.push((head, data.to_vec()));
                Ok::<(), ()>(())
            };
            for (account, ansvar, row) in &rows {
                packer.push(*account, *ansvar, row, &mut emit).unwrap();
            }
            packer.finish(&mut emit).unwrap();
            let mut back = Vec::new();
            for (seq, (head, data)) in packs.iter().enumerate() {
                prop_assert_eq!(head.seq, seq as i64);
                prop_assert!(head.rows as usize <= PACK_ROWS);
                let decoded: Vec<PackedRow<'_>> =
                    decode(head.first_day, data).collect::<Result<_, _>>().unwrap();
                prop_assert_eq!(decoded.len() as i64, head.rows);
                for row in decoded {
                    prop_assert!(head.first_day <= row.day && row.day <= head.last_day);
                    back.push((head.account, head.ansvar, row));
                }
            }
            prop_assert_eq!(back, rows);
        }
    }

    #[test]
    fn a_cut_pack_is_an_error_not_a_row() {
        let row = PackedRow {
            day: 18_700,
            voucher: 12,
            line: 1,
            kind: 0,
            objects: Some(3),
            amount: -123_456,
            text: RowText::Inline("Hyra"),
            tail: false,
        };
        let mut data = Vec::new();
        encode(&mut data, 18_690, 0, &row);
        assert_eq!(
            decode(18_690, &data)
                .collect::<Result<Vec<_>, _>>()
                .unwrap(),
            vec![row]
        );
        let cut = &data[..data.len() - 2];
        let error = decode(18_690, cut)
            .collect::<Result<Vec<_>, _>>()
            .unwrap_err();
        assert!(error.to_string().contains("ledger_packs.data"), "{error}");
    }

    proptest! {
        /// Vouchers in id order, with gaps, come back from their blocks' packs as they went in.
        #[test]
        fn voucher_packs_give_back_every_voucher(
            steps in proptest::collection::vec(
                (1i64..90, 0i64..40, -400i64..400, prop_oneof![Just(""), Just("12"), Just("A-7")],
                 prop_oneof![Just(""), Just("Lön 2021-01"), Just("\"x\" å")]),
                0..300,
            )
        ) {
            let mut id = 0;
            let vouchers: Vec<PackedVoucher<'static>> = steps
                .into_iter()
                .map(|(step, series, day, number, text)| {
                    id += step;
                    PackedVoucher { id, series, number, day: 18_628 + day, text }
                })
                .collect();
            let mut packs: Vec<(i64, i64, Vec<u8>)> = Vec::new();
            let mut packer = VoucherPacker::default();
            let mut emit = |block: i64, count: i64, data: &[u8]| {
                packs.push((block, count, data.to_vec()));
                Ok::<(), ()>(())
            };
            for voucher in &vouchers {
                packer.push(voucher, &mut emit).unwrap();
            }
            packer.finish(&mut emit).unwrap();
            let mut back = Vec::new();
            for (block, count, data) in &packs {
                let decoded: Vec<PackedVoucher<'_>> =
                    decode_vouchers(*block, data).collect::<Result<_, _>>().unwrap();
                prop_assert_eq!(decoded.len() as i64, *count);
                prop_assert!(decoded.iter().all(|v| voucher_block(v.id) == *block));
                back.extend(decoded);
            }
            prop_assert_eq!(back, vouchers);
        }
    }
}
