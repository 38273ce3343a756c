//! The results report's charts, drawn in typst itself (vector, printed sharp, no image files):
//! the importance × satisfaction scatter with the same range, axes and quadrant corners as the
//! page's SVG (`chart::scatter`), and a bar beside each count. Labels go in as string literals.

use super::chart::{Point, bounds};
use kyodo_pdf::string as lit;
use std::fmt::Write;

/// The side of the square plot, in millimetres.
const SIDE: f64 = 100.0;
/// The length of a 100 % bar, in millimetres.
pub const BAR: f64 = 45.0;

/// The scatter chart: importance across, satisfaction up, axes crossed at 偏差値 50, each point
/// numbered as in the table below it. Quadrant labels as in `chart::scatter`.
pub fn scatter(points: &[Point], axes: (&str, &str), quadrants: [&str; 4]) -> String {
    let (lo, hi) = bounds(points);
    let x = |v: f64| SIDE * (v - lo) / (hi - lo);
    let y = |v: f64| SIDE * (1.0 - (v - lo) / (hi - lo));
    let (cx, cy) = (x(50.0), y(50.0));
    let mut s = String::new();
    let _ = writeln!(
        s,
        "#align(center, box(width: {SIDE}mm, height: {SIDE}mm, stroke: 0.6pt + rgb(\"#767676\"), {{"
    );
    let _ = writeln!(
        s,
        "  place(line(start: ({cx:.1}mm, 0mm), end: ({cx:.1}mm, {SIDE}mm), stroke: (paint: rgb(\"#333333\"), thickness: 0.5pt, dash: \"dashed\")))"
    );
    let _ = writeln!(
        s,
        "  place(line(start: (0mm, {cy:.1}mm), end: ({SIDE}mm, {cy:.1}mm), stroke: (paint: rgb(\"#333333\"), thickness: 0.5pt, dash: \"dashed\")))"
    );
    let corners = [
        ("bottom + right", quadrants[0]),
        ("top + right", quadrants[1]),
        ("top + left", quadrants[2]),
        ("bottom + left", quadrants[3]),
    ];
    for (at, label) in corners {
        let _ = writeln!(
            s,
            "  place({at}, dx: 0mm, dy: 0mm, pad(2mm, text(size: 8pt, weight: \"bold\")[#{}]))",
            lit(label)
        );
    }
    for p in points {
        let (px, py) = (x(p.importance), y(p.satisfaction));
        let _ = writeln!(
            s,
            "  place(dx: {:.1}mm, dy: {:.1}mm, circle(radius: 2.2mm, fill: rgb(\"#0017c1\"), align(center + horizon, text(size: 6.5pt, fill: white)[{}])))",
            px - 2.2,
            py - 2.2,
            p.number
        );
    }
    s.push_str("}))\n");
    let _ = writeln!(
        s,
        "#align(center, text(size: 8pt)[#{}])\n",
        lit(&format!("横軸: {} → ・ 縦軸: {} →", axes.0, axes.1))
    );
    s
}

/// A horizontal bar for `n` of `base` (empty when there is no base).
pub fn bar(n: i64, base: i64) -> String {
    let share = if base > 0 {
        n as f64 / base as f64
    } else {
        0.0
    };
    format!(
        "box(width: {:.1}mm, height: 0.8em, fill: rgb(\"#0017c1\"))",
        (BAR * share.clamp(0.0, 1.0)).max(0.0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_and_bars_are_placed_to_scale() {
        let pts = [
            Point {
                number: 1,
                importance: 60.0,
                satisfaction: 40.0,
            },
            Point {
                number: 2,
                importance: 40.0,
                satisfaction: 60.0,
            },
        ];
        let src = scatter(&pts, ("重要度", "満足度"), ["A", "B", "C", "\"D\""]);
        assert_eq!(src.matches("circle(").count(), 2);
        // Range 28–72: importance 60 → 72.7 mm across; satisfaction 40 → 72.7 mm down.
        assert!(src.contains("place(dx: 70.5mm, dy: 70.5mm"), "{src}");
        assert!(src.contains("place(dx: 25.1mm, dy: 25.1mm"), "{src}");
        assert!(
            src.contains(r#"[#"\"D\""]"#),
            "labels are string literals: {src}"
        );
        assert_eq!(
            bar(1, 4),
            "box(width: 11.2mm, height: 0.8em, fill: rgb(\"#0017c1\"))"
        );
        assert!(bar(3, 0).starts_with("box(width: 0.0mm"));
    }
}
