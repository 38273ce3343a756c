//! ふりがな (ruby) for Kyodo's pages. Readings come from IPADIC as Debian's `mecab-ipadic`
//! package installs it (`/usr/share/mecab/dic/ipadic`, EUC-JP sources); the text is segmented with
//! vibrato (MeCab's model, in Rust) and each word with kanji gets `<ruby>` with its reading in
//! hiragana, the okurigana left outside (取(と)り組(く)み).
//!
//! Building the dictionary from the sources takes seconds; [`Furigana::load`] keeps the built
//! dictionary in a cache file and reads that next time.

mod align;
mod html;

pub use align::{align, hiragana};
use std::io::Read;
use std::path::Path;

/// Debian's IPADIC sources.
pub const DEBIAN_IPADIC: &str = "/usr/share/mecab/dic/ipadic";

pub struct Furigana {
    tokenizer: vibrato::Tokenizer,
}

/// What can go wrong loading the dictionary.
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

fn err(what: &str, e: impl std::fmt::Display) -> Error {
    Error(format!("{what}: {e}"))
}

/// A file of the dictionary sources as UTF-8 (they are EUC-JP).
fn euc_jp(path: &Path) -> Result<Vec<u8>, Error> {
    let mut raw = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut raw))
        .map_err(|e| err(&path.display().to_string(), e))?;
    let (text, _, _) = encoding_rs::EUC_JP.decode(&raw);
    Ok(text.into_owned().into_bytes())
}

impl Furigana {
    /// The dictionary from `cache` if it holds one, else built from the IPADIC sources in
    /// `sources` and written to `cache` (best effort: an unwritable cache only costs time).
    pub fn load(sources: &Path, cache: &Path) -> Result<Self, Error> {
        if let Ok(f) = std::fs::File::open(cache)
            && let Ok(dict) = vibrato::Dictionary::read(std::io::BufReader::new(f))
        {
            return Ok(Self::from_dictionary(dict));
        }
        let dict = Self::build(sources)?;
        let tmp = cache.with_extension("tmp");
        if let Ok(f) = std::fs::File::create(&tmp)
            && dict.write(std::io::BufWriter::new(f)).is_ok()
        {
            let _ = std::fs::rename(&tmp, cache);
        }
        Ok(Self::from_dictionary(dict))
    }

    /// Builds the dictionary from the IPADIC sources (every `*.csv`, `matrix.def`, `char.def`,
    /// `unk.def`).
    pub fn build(sources: &Path) -> Result<vibrato::Dictionary, Error> {
        let mut csvs: Vec<_> = std::fs::read_dir(sources)
            .map_err(|e| err(&sources.display().to_string(), e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .collect();
        if csvs.is_empty() {
            return Err(Error(format!(
                "{}: no IPADIC *.csv files",
                sources.display()
            )));
        }
        csvs.sort();
        let mut lexicon = Vec::new();
        for p in &csvs {
            lexicon.extend(euc_jp(p)?);
            if lexicon.last() != Some(&b'\n') {
                lexicon.push(b'\n');
            }
        }
        let matrix = euc_jp(&sources.join("matrix.def"))?;
        let chars = euc_jp(&sources.join("char.def"))?;
        let unknown = euc_jp(&sources.join("unk.def"))?;
        vibrato::SystemDictionaryBuilder::from_readers(
            lexicon.as_slice(),
            matrix.as_slice(),
            chars.as_slice(),
            unknown.as_slice(),
        )
        .map_err(|e| err("IPADIC", e))
    }

    pub fn from_dictionary(dict: vibrato::Dictionary) -> Self {
        Self {
            tokenizer: vibrato::Tokenizer::new(dict),
        }
    }

    /// `text` (plain text, or the text of an HTML element as escaped) with ruby on every word
    /// that has kanji, appended to `out`.
    pub fn annotate_into(
        &self,
        worker: &mut vibrato::tokenizer::worker::Worker<'_>,
        text: &str,
        out: &mut String,
    ) {
        if !text.chars().any(align::is_kanji) {
            out.push_str(text);
            return;
        }
        worker.reset_sentence(text);
        worker.tokenize();
        let mut at = 0;
        for i in 0..worker.num_tokens() {
            let t = worker.token(i);
            let range = t.range_byte();
            // Anything the tokenizer skipped is copied as it was.
            out.push_str(&text[at..range.start]);
            at = range.end;
            let surface = t.surface();
            let reading = t.feature().split(',').nth(7).filter(|r| *r != "*");
            match reading {
                Some(r) if surface.chars().any(align::is_kanji) => {
                    for (base, ruby) in align(surface, &hiragana(r)) {
                        match ruby {
                            Some(ruby) => {
                                out.push_str("<ruby>");
                                out.push_str(&base);
                                out.push_str("<rp>(</rp><rt>");
                                out.push_str(&ruby);
                                out.push_str("</rt><rp>)</rp></ruby>");
                            }
                            None => out.push_str(&base),
                        }
                    }
                }
                _ => out.push_str(surface),
            }
        }
        out.push_str(&text[at..]);
    }

    /// A whole HTML page with ruby on the text of its body (not in scripts, styles, form
    /// controls' values, code, SVG or existing ruby).
    pub fn annotate_html(&self, page: &str) -> String {
        let mut worker = self.tokenizer.new_worker();
        let mut out = String::with_capacity(page.len() + page.len() / 2);
        html::each_text(page, &mut out, |text, out| {
            self.annotate_into(&mut worker, text, out)
        });
        out
    }
}
