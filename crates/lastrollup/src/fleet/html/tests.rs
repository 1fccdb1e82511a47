//! The page's escaping, its policy and its parts without JavaScript.

use super::*;
use crate::assess::exposure::EmbeddedKev;
use crate::assess::{Goal, Options};
use crate::catalog::Catalog;
use crate::evidence::read_file;

/// Host names that try to become markup, script, a formula or reversed text.
const HOSTILE: &[&str] = &[
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "=HYPERLINK(\"http://x\")",
    "SRV\u{202E}01-LAB",
    "<!--<script>",
    "LINE\u{2028}SEP\u{2029}X",
];

fn systeminfo(name: &str, product_id: &str) -> String {
    format!(
        "Host Name:                 {name}\r\n\
         OS Name:                   Microsoft Windows Server 2008 Enterprise \r\n\
         OS Version:                6.0.6003 Service Pack 2 Build 6003\r\n\
         OS Configuration:          Member Server\r\n\
         Product ID:                {product_id}\r\n\
         System Type:               x64-based PC\r\n\
         Domain:                    plant.example\r\n\
         Hotfix(s):                 1 Hotfix(s) Installed.\r\n\
                                    [01]: KB4474419\r\n"
    )
}

fn render_hostile(extras: &Extras) -> String {
    let files: Vec<_> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let text = systeminfo(n, &format!("92516-082-0000000-7600{i}"));
            read_file(&format!("h{i}.txt"), text.as_bytes()).expect("a systeminfo list")
        })
        .collect();
    let catalog = Catalog::embedded();
    let kev = EmbeddedKev(catalog);
    let options = Options {
        as_of: jiff::civil::date(2026, 6, 30),
        goal: Goal::Final,
    };
    let report = crate::fleet::assess(&files, &[], catalog, &kev, options);
    assert_eq!(report.hosts.len(), HOSTILE.len());
    render(&report, extras)
}

/// The text between `<script>` and the next `</script>`.
fn inline_script(page: &str) -> &str {
    let start = page.find("<script>").map(|i| i + "<script>".len());
    let start = start.expect("an inline script");
    let end = page[start..].find("</script>").expect("its end");
    &page[start..start + end]
}

fn data_block(page: &str) -> &str {
    let open = "<script type=\"application/json\" id=\"data\">";
    let start = page.find(open).expect("the data block") + open.len();
    let end = page[start..].find("</script>").expect("its end");
    &page[start..start + end]
}

#[test]
fn script_json_escapes_what_could_end_the_element() {
    let json = serde_json::to_string("</script><!--<b>&\u{2028}\u{2029}").unwrap();
    let safe = script_json(&json);
    assert_eq!(
        safe,
        "\"\\u003c/script\\u003e\\u003c!--\\u003cb\\u003e\\u0026\\u2028\\u2029\""
    );
    // Still the same JSON value.
    let back: String = serde_json::from_str(&safe).unwrap();
    assert_eq!(back, "</script><!--<b>&\u{2028}\u{2029}");
}

#[test]
fn hostile_names_stay_text_in_the_data_and_the_page() {
    let page = render_hostile(&Extras::default());
    let data = data_block(&page);
    for c in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
        assert!(!data.contains(c), "{c:?} in the data block");
    }
    let value: serde_json::Value = serde_json::from_str(data).expect("the data is JSON");
    let names: Vec<&str> = value["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h[1].as_str())
        .collect();
    for n in HOSTILE {
        assert!(names.contains(n), "{n:?} kept exactly in the data");
    }
    // Two script elements only: the data and the page's script.
    assert_eq!(page.matches("<script").count(), 2);
    assert!(!page.contains("<img"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("SRV\u{27E8}U+202E\u{27E9}01-LAB"));
    let html = page.replace(data, "");
    assert!(
        !html.contains('\u{202E}'),
        "shown as a marker outside the data"
    );
}

#[test]
fn the_policy_hashes_the_exact_script_and_style() {
    let page = render_hostile(&Extras::default());
    let script = inline_script(&page);
    assert_eq!(script, SCRIPT);
    let style_start = page.find("<style>").unwrap() + "<style>".len();
    let style_end = page.find("</style>").unwrap();
    assert_eq!(&page[style_start..style_end], STYLE);
    let meta = page
        .lines()
        .find(|l| l.contains("Content-Security-Policy"))
        .expect("a CSP meta tag");
    assert!(meta.contains(&csp_hash(script)));
    assert!(meta.contains(&csp_hash(STYLE)));
    assert!(meta.contains("default-src 'none'"));
    assert!(!meta.contains("unsafe-inline"));
    // The policy comes before anything it governs.
    assert!(page.find("Content-Security-Policy").unwrap() < page.find("<style>").unwrap());
}

#[test]
fn known_sha256_of_an_empty_script() {
    assert_eq!(
        csp_hash(""),
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    );
}

#[test]
fn the_script_and_style_cannot_end_their_elements() {
    for s in [SCRIPT, STYLE] {
        let lower = s.to_ascii_lowercase();
        assert!(
            !lower.contains("</script") && !lower.contains("</style") && !lower.contains("<!--")
        );
    }
    assert!(!SCRIPT.contains("innerHTML") && !SCRIPT.contains("outerHTML"));
    assert!(!SCRIPT.contains("insertAdjacentHTML") && !SCRIPT.contains("document.write"));
    assert!(!SCRIPT.contains("eval(") && !SCRIPT.contains("http:") && !SCRIPT.contains("https:"));
    assert!(!STYLE.contains("url(") && !STYLE.contains("@import"));
}

#[test]
fn the_page_requests_nothing() {
    let page = render_hostile(&Extras::default());
    let page = page.replace(data_block(&page), "");
    for bad in [
        "<img",
        "<script src",
        " href=\"http",
        "url(",
        "@import",
        "<link",
        "<iframe",
        "<object",
        "<embed",
    ] {
        assert!(!page.contains(bad), "{bad}");
    }
}

#[test]
fn changes_and_trends_show_only_when_present() {
    let page = render_hostile(&Extras::default());
    assert!(!page.contains("id=\"changes\"") && !page.contains("id=\"trends\""));
    let extras = Extras {
        changes: Some(serde_json::json!({
            "new_hosts": [{"id": "x", "name": "<b>NEW</b>"}],
            "regressed": [{"id": "y", "name": "Y", "before": "2025-12", "after": "2019-05"}],
            "gone_hosts": []
        })),
        trend: vec![
            TrendPoint {
                as_of: jiff::civil::date(2026, 1, 31),
                hosts: 10,
                at_final: 2,
                kev_open: 300,
            },
            TrendPoint {
                as_of: jiff::civil::date(2026, 3, 31),
                hosts: 12,
                at_final: 7,
                kev_open: 120,
            },
        ],
    };
    let page = render_hostile(&extras);
    assert!(page.contains("id=\"changes\""));
    assert!(page.contains("&lt;b&gt;NEW&lt;/b&gt;"));
    assert!(page.contains("Y</bdi>: 2025-12 → 2019-05"));
    assert!(page.contains("<svg") && page.contains("<polyline"));
    assert!(
        page.contains("Hosts at the final baseline: 2 on 2026-01-31 to 7 on 2026-03-31 (2 runs).")
    );
    let data: serde_json::Value = serde_json::from_str(data_block(&page)).unwrap();
    assert_eq!(data["trend"].as_array().map(Vec::len), Some(2));
    assert!(data["changes"]["regressed"].is_array());
}
