//! With Debian's IPADIC (scripts/test.sh installs `mecab-ipadic`; `KYODO_TEST_REQUIRE_FURIGANA=1`
//! turns its absence into a failure): real sentences of the reform plan get the right readings.
#![allow(
    clippy::unwrap_used,
    reason = "a test step that fails should stop the test"
)]

use kyodo_furigana::{DEBIAN_IPADIC, Furigana};
use std::path::Path;

#[test]
fn the_reform_plan_reads_as_a_citizen_would() {
    if !Path::new(DEBIAN_IPADIC).join("matrix.def").exists() {
        assert!(
            std::env::var_os("KYODO_TEST_REQUIRE_FURIGANA").is_none(),
            "mecab-ipadic is not installed at {DEBIAN_IPADIC}"
        );
        eprintln!("furigana test skipped: mecab-ipadic not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("kyodo-furigana-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cache = dir.join("ipadic.dic");
    let started = std::time::Instant::now();
    let f = Furigana::load(Path::new(DEBIAN_IPADIC), &cache).unwrap();
    eprintln!("built in {:.1} s", started.elapsed().as_secs_f64());
    let page =
        "<p>行政評価システムの取り組みをさらに深め、市民とともに進めます。</p><code>市</code>";
    let out = f.annotate_html(page);
    for expected in [
        "<ruby>行政<rp>(</rp><rt>ぎょうせい</rt><rp>)</rp></ruby>",
        "<ruby>評価<rp>(</rp><rt>ひょうか</rt><rp>)</rp></ruby>",
        "<ruby>取<rp>(</rp><rt>と</rt><rp>)</rp></ruby>り<ruby>組<rp>(</rp><rt>く</rt><rp>)</rp></ruby>み",
        "<ruby>市民<rp>(</rp><rt>しみん</rt><rp>)</rp></ruby>",
        "システムの",
        "<code>市</code>",
    ] {
        assert!(out.contains(expected), "{expected} missing in {out}");
    }
    // Nothing but ruby was added: without it the text is the same.
    let stripped = out
        .replace("<ruby>", "")
        .replace("</ruby>", "")
        .split("<rp>(</rp><rt>")
        .map(|s| {
            s.split_once("</rt><rp>)</rp>")
                .map_or(s, |(_, after)| after)
        })
        .collect::<String>();
    assert_eq!(stripped, page);
    // The second load reads the cache.
    let started = std::time::Instant::now();
    let again = Furigana::load(Path::new("/nonexistent"), &cache).unwrap();
    eprintln!(
        "read from the cache in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(again.annotate_html(page), out);
    let _ = std::fs::remove_dir_all(&dir);
}
