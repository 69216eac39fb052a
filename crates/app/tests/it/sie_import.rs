//! Importing a real SIE file (crates/sie/tests/data/avendo_transaktioner_ovnbolag_sie4.se, see
//! SOURCES.txt there; CP437, no #KSUMMA, #RAR 0 2011) that was damaged the ways a ledger
//! export is: half re-encoded as UTF-8, a voucher dated outside the fiscal year, and cut at a
//! voucher boundary. Each is refused with file, line and field, nothing stored.

use crate::db::{TestDb, VOUCHERS};
use crate::{admin, all, app_with_example};
use styr_app::{ActualsOptions, AppError, NoProgress};

fn avendo() -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../sie/tests/data/avendo_transaktioner_ovnbolag_sie4.se"),
    )
    .unwrap()
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn problems(error: AppError) -> Vec<String> {
    match error {
        AppError::Invalid(problems) => problems.iter().map(ToString::to_string).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

/// The file with the second half's Swedish letters in UTF-8, as a careless merge of two
/// exports makes it.
fn half_utf8(bytes: &[u8]) -> Vec<u8> {
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let half = lines.len() / 2;
    let mut out = Vec::new();
    let mut changed = 0;
    for (i, line) in lines.iter().enumerate() {
        for &b in *line {
            let letter = match b {
                0x84 => Some("ä"),
                0x86 => Some("å"),
                0x94 => Some("ö"),
                0x8E => Some("Ä"),
                0x8F => Some("Å"),
                0x99 => Some("Ö"),
                _ => None,
            };
            match letter {
                Some(letter) if i >= half => {
                    out.extend_from_slice(letter.as_bytes());
                    changed += 1;
                }
                _ => out.push(b),
            }
        }
        if i + 1 < lines.len() {
            out.push(b'\n');
        }
    }
    assert!(changed > 100, "{changed}");
    out
}

async fn a_file_half_cp437_half_utf8_is_refused(db: &TestDb) {
    let app = app_with_example(db).await;
    let temp = tempfile::tempdir().unwrap();
    let path = write(temp.path(), "blandad.se", &half_utf8(&avendo()));
    let error = app
        .import_actuals(&admin(), &all(), &path, &mut NoProgress)
        .await
        .unwrap_err();
    let problems = problems(error);
    // The first UTF-8 field in the second half: #VER B 1 "Övriga personalkostnader".
    assert!(
        problems[0]
            .contains("blandad.se:3905: #VER: fältet är UTF-8 (\"Övriga personalkostnader\")"),
        "{problems:?}"
    );
    assert!(problems[0].contains("blandar teckenkodningar"));
    assert_eq!(db.count("ledger_files").await, 0);
}

async fn a_voucher_dated_outside_the_fiscal_year_is_refused(db: &TestDb) {
    let app = app_with_example(db).await;
    let temp = tempfile::tempdir().unwrap();
    let text = avendo();
    // #VER L 24 20110215 → 20150215 (line 4645), in a 2011 file without #KSUMMA.
    let needle = b"#VER L 24 20110215";
    let at = text
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    let mut bytes = text.clone();
    bytes[at + 10..at + 14].copy_from_slice(b"2015");
    let path = write(temp.path(), "fel-ar.se", &bytes);
    let error = app
        .import_actuals(&admin(), &all(), &path, &mut NoProgress)
        .await
        .unwrap_err();
    let problems = problems(error);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].ends_with(
            "fel-ar.se:4645: #VER verdatum: verifikationen är daterad 2015-02-15, utanför \
             räkenskapsåret 2011-01-01–2011-12-31 (#RAR 0)"
        ),
        "{problems:?}"
    );
}

async fn a_file_cut_short_never_replaces_a_whole_year_unasked(db: &TestDb) {
    let app = app_with_example(db).await;
    let temp = tempfile::tempdir().unwrap();
    let full = avendo();
    let whole = write(temp.path(), "hela.se", &full);
    app.import_actuals(&admin(), &all(), &whole, &mut NoProgress)
        .await
        .unwrap();
    // Cut before the 101st voucher (#VER L 25), at a voucher boundary: a valid file.
    let needle = b"#VER L 25 ";
    let at = full
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    let cut = write(temp.path(), "kapad.se", &full[..at]);
    let error = app
        .import_actuals(&admin(), &all(), &cut, &mut NoProgress)
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, AppError::Conflict(_)), "{message}");
    assert!(
        message.contains("filen har 100 verifikationer i ")
            && message.contains("har 163 verifikationer i 3 månader")
            && message.contains("--replace-smaller"),
        "{message}"
    );
    assert_eq!(db.count(VOUCHERS).await, 163);
    // Asked for explicitly, it replaces, and says so.
    let imported = app
        .import_actuals_with(
            &admin(),
            &all(),
            &cut,
            ActualsOptions {
                replace_smaller: true,
                ..ActualsOptions::default()
            },
            &mut NoProgress,
        )
        .await
        .unwrap();
    let smaller = imported.smaller.unwrap();
    assert_eq!((smaller.stored_vouchers, smaller.vouchers), (163, 100));
    // The same file again is not smaller than itself.
    let again = app
        .import_actuals(&admin(), &all(), &cut, &mut NoProgress)
        .await
        .unwrap();
    assert!(again.smaller.is_none());
}

crate::on_both_backends!(
    a_file_half_cp437_half_utf8_is_refused,
    a_voucher_dated_outside_the_fiscal_year_is_refused,
    a_file_cut_short_never_replaces_a_whole_year_unasked,
);
