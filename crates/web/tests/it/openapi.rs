//! The OpenAPI document: generated from the code, checked in as docs/openapi.json, and the two
//! must agree (regenerate with `STYR_UPDATE_OPENAPI=1 cargo test -p styr-web --test it openapi`).

use std::path::PathBuf;

#[test]
fn the_checked_in_openapi_document_is_the_generated_one() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let generated = styr_web::openapi_json();
    if std::env::var_os("STYR_UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "docs/openapi.json is stale: run STYR_UPDATE_OPENAPI=1 cargo test -p styr-web --test it openapi"
    );
    let document: serde_json::Value = serde_json::from_str(&generated).unwrap();
    let paths: Vec<&String> = document["paths"].as_object().unwrap().keys().collect();
    assert_eq!(
        paths,
        [
            "/api/v1/alternatives",
            "/api/v1/alternatives/compare",
            "/api/v1/alternatives/{id}",
            "/api/v1/alternatives/{id}/frames",
            "/api/v1/alternatives/{id}/publish",
            "/api/v1/alternatives/{id}/submit",
            "/api/v1/assignments",
            "/api/v1/assignments/{id}/reports/{period}",
            "/api/v1/audit",
            "/api/v1/budget-vs-actual",
            "/api/v1/budget-vs-actual/vouchers",
            "/api/v1/calendar",
            "/api/v1/periods",
            "/api/v1/plan",
            "/api/v1/plan/sections",
            "/api/v1/plan/sections/{path}",
            "/api/v1/plan/sections/{path}/preview",
            "/api/v1/process",
            "/api/v1/proposals/{body}",
            "/api/v1/proposals/{body}/transitions",
            "/api/v1/questions",
            "/api/v1/questions/{id}/answer",
        ]
    );
    let put = &document["paths"]["/api/v1/assignments/{id}/reports/{period}"]["put"]["responses"];
    for status in ["200", "401", "403", "404", "409", "422"] {
        assert!(put.get(status).is_some(), "PUT answers {status}");
    }
    // `period` and `since` are query parameters of the GETs; only the PUT's are in the path.
    for (path, name) in [
        ("/api/v1/assignments", "period"),
        ("/api/v1/budget-vs-actual", "period"),
        ("/api/v1/budget-vs-actual/vouchers", "after"),
        ("/api/v1/audit", "since"),
    ] {
        let parameters = document["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap();
        let parameter = parameters.iter().find(|p| p["name"] == name).unwrap();
        assert_eq!(parameter["in"], "query", "{path} {name}");
    }
}
