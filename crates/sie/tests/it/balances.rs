//! Monthly net movement per account x dimension-1 object, and its CSV.

use crate::common::*;
use styr_sie::*;

#[test]
fn movements_use_counted_rows_transaction_dates_and_dim1() {
    let body = "#DIM 1 \"Ansvar\"\n#DIM 6 \"Projekt\"\n#OBJEKT 1 \"40100\" \"Skola\"\n#OBJEKT 1 \"A,B\" \"Komma\"\n#OBJEKT 6 \"P1\" \"Projekt\"\n\
#VER A 1 20240131 \"jan\"\n{\n#TRANS 30106 {1 \"40100\" 6 \"P1\"} -1243.50\n#TRANS 30106 {6 \"P1\"} -10 20240201\n#TRANS 1930 {} 1253.50\n}\n\
#VER A 2 20240215\n{\n#BTRANS 30106 {1 \"40100\"} -999\n#RTRANS 30106 {1 \"40100\"} -100\n#TRANS 30106 {1 \"40100\"} -100\n#TRANS 801 {1 \"A,B\"} 100\n}\n\
#VER A 3 20240110\n{\n#TRANS 30106 {1 \"40100\"} 0.50\n#TRANS 30106 {1 \"40100\"} -0.50\n}\n";
    let (f, d) = read_body(body);
    assert!(d.is_empty(), "{d:?}");
    let rows = balances(&f);
    let csv = balances_csv(&rows);
    assert_eq!(
        csv,
        "account,object,month,amount\n\
1930,,2024-01,1253.50\n\
30106,,2024-02,-10.00\n\
30106,40100,2024-01,-1243.50\n\
30106,40100,2024-02,-100.00\n\
801,\"A,B\",2024-02,100.00\n"
    );
    // The 0.50/-0.50 pair nets to zero in the same key as the January row.
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[2].amount, Amount(-124_350));
    assert_eq!(rows[2].object.as_deref(), Some("40100"));
    assert_eq!(rows[0].month, Period::new(2024, 1).unwrap());
}

#[test]
fn zero_net_keys_are_kept() {
    let (f, _) = read_body("#VER A 1 20240105\n{\n#TRANS 1930 {} 5\n#TRANS 1930 {} -5\n}\n");
    assert_eq!(
        balances_csv(&balances(&f)),
        "account,object,month,amount\n1930,,2024-01,0.00\n"
    );
}

#[test]
fn empty_file_gives_header_only() {
    assert_eq!(
        balances_csv(&balances(&SieFile::default())),
        "account,object,month,amount\n"
    );
}

#[test]
fn pyramid_sample_csv() {
    let (f, _) = read(&sample("pyramid_sie4_4dims.se"));
    // 5010: the struck PROD row is gone, the added ADM row counts once.
    assert_eq!(
        balances_csv(&balances(&f)),
        "account,object,month,amount\n\
1510,,2011-05,38305.00\n\
1930,,2011-05,-12250.00\n\
2440,,2011-05,-19561.00\n\
2610,,2011-05,-7661.00\n\
2641,,2011-05,3912.20\n\
3051,,2011-05,-27828.00\n\
3051,PROD,2011-05,-422.40\n\
3051,SUPP,2011-05,-2393.60\n\
4010,PROD,2011-05,6048.80\n\
4010,SUPP,2011-05,9600.00\n\
5010,ADM,2011-05,11250.00\n\
6110,ADM,2011-05,1000.00\n"
    );
}

#[test]
fn samples_net_to_zero_and_are_sorted() {
    for (name, expected_rows) in [
        ("avendo_transaktioner_ovnbolag_sie4.se", None),
        ("bl_administration_BL0001_typ4.SE", None),
        ("visma_compact_SIE4_ksumma.se", None),
        ("gks3_underdim_qmarks.SI", None),
        ("kapell_sie2_budget.si", Some(0)),
    ] {
        let (f, _) = read(&sample(name));
        let rows = balances(&f);
        if let Some(n) = expected_rows {
            assert_eq!(rows.len(), n, "{name}");
        }
        let total: i128 = rows.iter().map(|r| i128::from(r.amount.ore())).sum();
        assert_eq!(total, 0, "{name}");
        let mut sorted = rows.clone();
        sorted.sort();
        assert_eq!(rows, sorted, "{name}");
        let keys: std::collections::BTreeSet<_> = rows
            .iter()
            .map(|r| (&r.account, &r.object, r.month))
            .collect();
        assert_eq!(keys.len(), rows.len(), "{name}: one row per key");
    }
}
