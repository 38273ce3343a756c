//! A synthetic council-minutes corpus for `bench/minutes-search.sh`: speeches as CSV files in the
//! columns Kyodo imports (each file under the import limits), administrative vocabulary with a
//! Zipf-like frequency (the named words among 6,000 kanji compounds, joined by particles), speech
//! lengths with a median near 210 characters, a mean near 340 and a long tail, about 127
//! speeches a meeting day. Also writes `expected.tsv`: for each query of the benchmark's mix, the
//! number of speeches a naive substring scan finds (the generated text needs no normalisation).
//!
//!   kyodo-minutes-corpus SPEECHES OUT_DIR

use std::io::Write;

const WORDS: &[&str] = &[
    "市",
    "財政",
    "予算",
    "防災",
    "行政改革",
    "市民",
    "協働",
    "補助金",
    "市民税",
    "福祉",
    "介護保険",
    "子育て",
    "教育",
    "道路",
    "除雪",
    "観光",
    "農業",
    "商工",
    "環境",
    "ごみ",
    "下水道",
    "水道",
    "病院",
    "医療",
    "健康",
    "高齢者",
    "障がい者",
    "地域",
    "まちづくり",
    "公共施設",
    "指定管理者",
    "職員",
    "定員管理",
    "人件費",
    "事務事業",
    "評価",
    "実施計画",
    "進行管理",
    "公表",
    "情報公開",
    "入札",
    "契約",
    "基金",
    "市債",
    "公債費",
    "交付税",
    "総合計画",
    "施策",
    "成果指標",
    "行政改革大綱",
    "について",
    "伺います",
    "お答えします",
    "検討",
    "考えております",
    "取り組み",
    "進めて",
    "まいります",
    "状況",
    "課題",
    "今後",
    "本市",
    "議員",
    "ご質問",
    "ですが",
    "であります",
];

/// What joins words into sentences.
const PARTICLES: &[&str] = &[
    "の",
    "は",
    "を",
    "に",
    "が",
    "と",
    "で",
    "、",
    "も",
    "について、",
    "。",
    "ます。",
    "であります。",
];

/// Kanji of administrative prose, combined in pairs and triples into compounds.
const KANJI: &str = "市町村県国民生活安全住宅環境保全地域振興産業経済雇用労働教育文化学校児童福祉健康医療保険年金税収支出予算決算財政計画事業施策評価改善推進整備開発交通道路河川公園上下水施設管理運営委託契約入札監査議会委員会条例規則制度改正報告調査審議協議要望意見提案対応実施検討確保充実強化支援";

/// The named words (the query mix among them) at fixed ranks, the compounds around them.
fn vocabulary() -> Vec<String> {
    let kanji: Vec<char> = KANJI.chars().collect();
    let mut compounds: Vec<String> = Vec::new();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    while compounds.len() < 6_000 {
        let n = 2 + (rng.next() % 2) as usize;
        let w: String = (0..n)
            .map(|_| kanji[(rng.next() % kanji.len() as u64) as usize])
            .collect();
        if !WORDS.iter().any(|n| w.contains(n)) {
            compounds.push(w);
        }
    }
    let mut v: Vec<String> = Vec::with_capacity(compounds.len() + WORDS.len());
    let mut named = WORDS.iter();
    for (i, c) in compounds.into_iter().enumerate() {
        // A named word every ninth rank at first, then every 60th: the first few are common.
        let named_rank = if i < 270 { i % 9 == 0 } else { i % 60 == 0 };
        if named_rank && let Some(w) = named.next() {
            v.push((*w).to_string());
        }
        v.push(c);
    }
    v.extend(named.map(|w| (*w).to_string()));
    v
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The benchmark's query mix: (label, `any`, speaker).
pub const QUERIES: [(&str, &str, &str); 10] = [
    ("1 char", "市", ""),
    ("1 char rare", "病", ""),
    ("2 chars", "財政", ""),
    ("2 chars", "防災", ""),
    ("3 chars", "補助金", ""),
    ("3 chars", "市民税", ""),
    ("6 chars", "行政改革大綱", ""),
    ("2 terms", "財政 防災", ""),
    ("2 terms", "介護保険 高齢者", ""),
    ("speaker", "予算", "議員7"),
];

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| "minutes-corpus".into()));
    std::fs::create_dir_all(&out)?;
    // The vocabulary: the named words at the ranks a council's minutes give them among
    // thousands of compounds of common administrative kanji, weighted 1/rank (Zipf).
    let vocabulary = vocabulary();
    let mut cumulative = Vec::with_capacity(vocabulary.len());
    let mut total = 0.0;
    for r in 1..=vocabulary.len() {
        total += 1.0 / r as f64;
        cumulative.push(total);
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let pick = |rng: &mut Rng| {
        let x = rng.unit() * total;
        let i = cumulative.partition_point(|c| *c < x);
        vocabulary[i.min(vocabulary.len() - 1)].as_str()
    };
    let mut counts = vec![0usize; QUERIES.len()];
    let (mut file_no, mut file_bytes, mut chars, mut rows) = (0, 0usize, 0usize, 0usize);
    let mut file = std::io::BufWriter::new(std::fs::File::create(out.join("speeches-000.csv"))?);
    let header = "会議名,開催日,会期,号,発言番号,発言者(表記),発言者,役職,会派,発言\n";
    file.write_all(header.as_bytes())?;
    for i in 0..n {
        let meeting = i / 127;
        let day = chrono_like_date(meeting);
        let speaker = format!("議員{}", rng.next() % 40);
        // Log-normal-ish length: median 210, capped at 27,000 characters.
        let z: f64 = (0..6).map(|_| rng.unit()).sum::<f64>() - 3.0;
        // σ ≈ 1: median 210, mean ≈ 340 characters (160 M at 470,000 speeches).
        let target = ((210.0 * (z * 1.4).exp()) as usize).clamp(10, 27_000);
        let mut text = String::new();
        let mut len = 0;
        while len < target {
            let w = pick(&mut rng);
            text.push_str(w);
            len += w.chars().count();
            let joint = PARTICLES[(rng.next() % PARTICLES.len() as u64) as usize];
            text.push_str(joint);
            len += joint.chars().count();
        }
        chars += len;
        for (k, (_, any, who)) in QUERIES.iter().enumerate() {
            if any.split(' ').all(|t| text.contains(t)) && (who.is_empty() || speaker.contains(who))
            {
                counts[k] += 1;
            }
        }
        let line = format!(
            "本会議,{day},,第{}号,{},議員（{speaker}君）,{speaker},議員,,{text}\n",
            meeting + 1,
            i % 127 + 1
        );
        // A new file at a meeting boundary once one passes 11 MB or 85,000 rows (the import
        // limits are 16 MB and 100,000 rows), so a meeting stays in one file.
        if i > 0 && i.is_multiple_of(127) && (file_bytes > 11_000_000 || rows > 85_000) {
            file.flush()?;
            file_no += 1;
            file = std::io::BufWriter::new(std::fs::File::create(
                out.join(format!("speeches-{file_no:03}.csv")),
            )?);
            file.write_all(header.as_bytes())?;
            file_bytes = 0;
            rows = 0;
        }
        file_bytes += line.len();
        rows += 1;
        file.write_all(line.as_bytes())?;
    }
    file.flush()?;
    let mut expected = std::fs::File::create(out.join("expected.tsv"))?;
    for ((label, any, who), c) in QUERIES.iter().zip(&counts) {
        // `-` for no speaker: an empty field would vanish in a shell's `read`.
        let who = if who.is_empty() { "-" } else { who };
        writeln!(expected, "{label}\t{any}\t{who}\t{c}")?;
    }
    eprintln!(
        "{n} speeches, {chars} characters, {} meetings, {} files",
        n.div_ceil(127),
        file_no + 1
    );
    Ok(())
}

/// Meeting days from 2001-04-01 on, every few days (about 3,700 in 25 years).
fn chrono_like_date(meeting: usize) -> String {
    let days = meeting * 25 * 365 / 3_700;
    let (mut y, mut d) = (2001u32, days + 90);
    loop {
        let len = if y.is_multiple_of(4) { 366 } else { 365 };
        if d < len {
            break;
        }
        d -= len;
        y += 1;
    }
    let months = [
        31,
        if y.is_multiple_of(4) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut m = 0;
    while d >= months[m] {
        d -= months[m];
        m += 1;
    }
    format!("{y}-{:02}-{:02}", m + 1, d + 1)
}
