//! `styr render --bas-url`: each figure links to its trace on the web under the base; without
//! it, no trace links at all; a base that is not an absolute address is refused.

use crate::{example_dir, styr};

#[test]
fn render_links_figures_to_an_absolute_bas_url_only() {
    let temp = tempfile::tempdir().unwrap();
    let render = |out: &str, extra: &[&str]| {
        let path = temp.path().join(out);
        let example = example_dir();
        let mut args = vec![
            "render",
            example.to_str().unwrap(),
            "--format",
            "html",
            "-o",
            path.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let output = styr(&args);
        (output, std::fs::read_to_string(&path).unwrap_or_default())
    };
    let (output, plain) = render("utan.html", &[]);
    assert!(output.status.success());
    assert!(!plain.contains("/spar/"));
    let (output, linked) = render("med.html", &["--bas-url", "https://styr.example.se"]);
    assert!(output.status.success());
    assert!(linked.contains("href=\"https://styr.example.se/spar/plan/ks_2021_proposal/drift/"));
    let (output, written) = render("relativ.html", &["--bas-url", "/spar"]);
    assert!(!output.status.success());
    assert!(written.is_empty(), "nothing written");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--bas-url"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
