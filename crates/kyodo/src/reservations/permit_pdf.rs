//! 利用許可書 as PDF: the permit a counter prints and hands over (or mails) for a 本予約, A5
//! landscape like the paper forms, with the city's name as issuer. Every text goes into the Typst
//! source as a string literal, never as markup.

use super::listing::BookingRow;
use kyodo_pdf::string as lit;
use std::fmt::Write;

/// What the permit says beyond the booking itself, already in words.
pub struct PermitText<'a> {
    pub org_name: &'a str,
    pub when: &'a str,
    pub fee: &'a str,
    pub fee_due: &'a str,
    pub issued: &'a str,
    pub is_demo: bool,
}

/// Typst source of the permit.
pub fn source(b: &BookingRow, p: &PermitText) -> String {
    let mut s = String::new();
    let title = "施設利用許可書";
    let _ = writeln!(s, "#set document(title: {})", lit(title));
    s.push_str("#set page(paper: \"a5\", flipped: true, margin: (x: 14mm, y: 12mm))\n");
    s.push_str("#set text(font: \"IPAexGothic\", size: 10pt, lang: \"ja\")\n");
    let _ = writeln!(
        s,
        "#align(right)[#{}]",
        lit(&format!("許可番号 {}", b.number))
    );
    let _ = writeln!(
        s,
        "#align(center)[#text(size: 16pt, weight: \"bold\")[#{}]]\n",
        lit(title)
    );
    if p.is_demo {
        s.push_str("#block(stroke: 1pt + red, inset: 5pt)[#\"これはデモンストレーション用のデータです。実際の許可書ではありません。\"]\n\n");
    }
    let _ = writeln!(s, "#{}\n", lit(&format!("{} 様", b.user_name)));
    let _ = writeln!(s, "#{}\n", lit("次のとおり施設の利用を許可します。"));
    s.push_str("#table(columns: (32mm, 1fr), inset: 5pt,\n");
    let rows = [
        ("施設", format!("{} {}", b.facility, b.room)),
        ("利用日時", p.when.to_string()),
        ("利用目的", b.purpose.clone()),
        ("利用人数", format!("{}人", b.attendees)),
        ("使用料", p.fee.to_string()),
        ("減免", format!("{}%", b.exemption_percent)),
        ("納付額", p.fee_due.to_string()),
    ];
    for (k, v) in rows {
        let _ = writeln!(s, "  [#{}], [#{}],", lit(k), lit(&v));
    }
    s.push_str(")\n\n");
    let _ = writeln!(
        s,
        "#align(right)[#{}\\ #{}]",
        lit(p.issued),
        lit(p.org_name)
    );
    s
}
