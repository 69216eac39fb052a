//! `styr kolada import` and `styr kolada fetch` as a user runs them; fetch against a local HTTP
//! server started here that serves the recorded responses (with their links pointing to it).

use crate::{example_dir, stderr, stdout, styr};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../kolada/tests/data")
        .join(name)
        .to_str()
        .unwrap()
        .to_owned()
}

fn example_db(dir: &std::path::Path) -> String {
    let db = dir.join("styr.db").to_str().unwrap().to_owned();
    let output = styr(&["import", example_dir().to_str().unwrap(), "--db", &db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    db
}

/// Serves `routes` (path with query → file) on a free port; records every requested path.
fn serve(routes: Vec<(&'static str, &'static str)>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let root = format!("http://{}", listener.local_addr().unwrap());
    let requested = Arc::new(Mutex::new(Vec::new()));
    let (seen, base) = (Arc::clone(&requested), root.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buffer = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let text = String::from_utf8_lossy(&request);
            let path = text.split_whitespace().nth(1).unwrap_or("").to_owned();
            seen.lock().unwrap().push(path.clone());
            let response = match routes.iter().find(|(route, _)| *route == path) {
                Some((_, file)) => {
                    let body = std::fs::read_to_string(data(file))
                        .unwrap()
                        .replace("https://api.kolada.se", &base);
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    )
                }
                None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_owned(),
            };
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (root, requested)
}

#[test]
fn import_takes_every_page_and_refuses_a_missing_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = example_db(dir.path());
    let page1 = data("v2_N00914_page1.json");
    let output = styr(&["kolada", "import", &page1, "--db", &db]);
    assert_eq!(output.status.code(), Some(1));
    let errors = stderr(&output);
    assert!(
        errors.contains("v2_N00914_page1.json:3: next_page: svaret fortsätter på nästa sida"),
        "{errors}"
    );
    assert!(errors.ends_with("fel: 1 fel; inget ändrades\n"), "{errors}");

    let page2 = data("v2_N00914_page2.json");
    let args = [
        "kolada",
        "import",
        &page1,
        &page2,
        "--db",
        &db,
        "--retrieved",
        "2026-11-20",
    ];
    let output = styr(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "importerade 18 värden från Kolada (1 utan värde): 18 nya eller ändrade, 0 oförändrade\n"
    );
    let again = styr(&args);
    assert_eq!(
        stdout(&again),
        "importerade 18 värden från Kolada (1 utan värde): 0 nya eller ändrade, 18 oförändrade\n"
    );
    let audit = styr(&[
        "audit",
        "list",
        "--what",
        "import kolada",
        "--format",
        "json",
        "--db",
        &db,
    ]);
    assert_eq!(stdout(&audit).matches("import kolada haninge/").count(), 1);

    let list = stdout(&styr(&["kolada", "list", "--kpi", "N00914", "--db", &db]));
    assert_eq!(list.lines().count(), 18);
    assert!(
        list.contains("N00914 0136 Haninge kommun 2019 T: 81,2  (Kolada: "),
        "{list}"
    );
    assert!(
        list.contains("N00914 0126 Huddinge 2019 K: saknas [Missing]  (Kolada: "),
        "{list}"
    );
    assert!(list.contains(", hämtat 2026-11-20)\n"), "{list}");

    // The document from the database shows them beside the plan's own values.
    let html = dir.path().join("plan.html");
    let output = styr(&[
        "render",
        "--db",
        &db,
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.contains("Förvärvsarbetande invånare 20-64 år – utfall, mål och jämförelse"));
    assert!(html.contains("Södertörnskommunerna, medel: 2018: 79,0\u{a0}%, 2019: 79,5\u{a0}%."));
}

#[test]
fn fetch_follows_next_url_from_a_configurable_base() {
    let dir = tempfile::tempdir().unwrap();
    let db = example_db(dir.path());
    let (root, requested) = serve(vec![
        (
            "/v3/data/kpi/N00914/municipality/0136,0138/year/2020,2021",
            "v3_N00914_page1.json",
        ),
        (
            "/v3/data/kpi/N00914/municipality/0136,0138/year/2020,2021?page=2&per_page=2",
            "v3_N00914_page2.json",
        ),
    ]);
    let base = format!("{root}/v3");
    let output = styr(&[
        "kolada",
        "fetch",
        "--kpi",
        "N00914",
        "--municipality",
        "0136,0138",
        "--years",
        "2020-2021",
        "--base-url",
        &base,
        "--db",
        &db,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "importerade 12 värden från Kolada (3 utan värde): 12 nya eller ändrade, 0 oförändrade\n"
    );
    assert_eq!(
        *requested.lock().unwrap(),
        vec![
            "/v3/data/kpi/N00914/municipality/0136,0138/year/2020,2021".to_owned(),
            "/v3/data/kpi/N00914/municipality/0136,0138/year/2020,2021?page=2&per_page=2"
                .to_owned(),
        ]
    );

    // Without --kpi and --municipality: the plan's KPIs for Haninge and its comparison group.
    let output = styr(&[
        "kolada",
        "fetch",
        "--years",
        "2020",
        "--base-url",
        &base,
        "--db",
        &db,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "/v3/data/kpi/N00914/municipality/0136,0127,0126,0140,0192,0128,0181,0138/year/2020: servern svarade 404"
        ),
        "{}",
        stderr(&output)
    );
    let audit = styr(&[
        "audit",
        "list",
        "--what",
        "import kolada",
        "--format",
        "json",
        "--db",
        &db,
    ]);
    assert_eq!(stdout(&audit).matches("import kolada haninge/").count(), 1);
}
