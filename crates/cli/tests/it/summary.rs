use crate::{example_dir, stdout, styr};
use serde_json::Value;

#[test]
fn summary_json_counts_what_the_example_holds() {
    let dir = example_dir();
    let output = styr(&["summary", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let summary: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let expected = [
        ("goal_areas", 2),
        ("goals", 3),
        ("indicators", 6),
        ("assignments", 19),
        ("investment_projects", 5),
        ("exploitation_rows", 36),
        ("operating_lines", 25),
        ("finance_rows", 12),
    ];
    for (key, count) in expected {
        assert_eq!(summary[key], count, "{key}");
    }
}
