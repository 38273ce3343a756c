//! The portfolio scatter chart (散布図): 偏差値 of importance across, of satisfaction up, axes crossed
//! at 50 (the mean of all items), quadrant names in the corners, each point numbered as in the table
//! shown beside it.

use crate::charts::escape;
use std::fmt::Write;

/// One point: its number in the table, importance and satisfaction 偏差値.
pub struct Point {
    pub number: usize,
    pub importance: f64,
    pub satisfaction: f64,
}

/// The portfolio's points, numbered in the order of its table.
pub fn points(items: &[super::results::PortfolioItem]) -> Vec<Point> {
    items
        .iter()
        .enumerate()
        .map(|(i, p)| Point {
            number: i + 1,
            importance: p.placed.importance,
            satisfaction: p.placed.satisfaction,
        })
        .collect()
}

/// The 偏差値 range both axes show: every point fits, and at least 30–70 so that small spreads do
/// not look dramatic. The page's SVG and the PDF report's chart use the same range.
pub fn bounds(points: &[Point]) -> (f64, f64) {
    let spread = points
        .iter()
        .flat_map(|p| [(p.importance - 50.0).abs(), (p.satisfaction - 50.0).abs()])
        .fold(20.0f64, f64::max)
        .ceil()
        + 2.0;
    (50.0 - spread, 50.0 + spread)
}

/// Quadrant labels: [high importance & low satisfaction, high & high, low & high, low & low].
pub fn scatter(
    id: &str,
    title: &str,
    axes: (&str, &str),
    quadrants: [&str; 4],
    points: &[Point],
) -> String {
    let (w, h, pad) = (520.0, 520.0, 56.0);
    let plot = w - 2.0 * pad;
    let (lo, hi) = bounds(points);
    let x = |v: f64| pad + plot * (v - lo) / (hi - lo);
    let y = |v: f64| pad + plot * (1.0 - (v - lo) / (hi - lo));
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="{id}-title" class="chart scatter"><title id="{id}-title">{}</title>"##,
        escape(title)
    );
    let _ = write!(
        svg,
        r##"<rect x="{pad}" y="{pad}" width="{plot}" height="{plot}" fill="none" stroke="#767676"/>"##
    );
    // The axes crossed at the mean (偏差値 50).
    let (cx, cy) = (x(50.0), y(50.0));
    let _ = write!(
        svg,
        r##"<line x1="{cx:.1}" x2="{cx:.1}" y1="{pad}" y2="{}" stroke="#333333" stroke-dasharray="4 3"/><line x1="{pad}" x2="{}" y1="{cy:.1}" y2="{cy:.1}" stroke="#333333" stroke-dasharray="4 3"/>"##,
        pad + plot,
        pad + plot
    );
    let corners = [
        (pad + plot - 6.0, pad + plot - 8.0, "end", quadrants[0]),
        (pad + plot - 6.0, pad + 18.0, "end", quadrants[1]),
        (pad + 6.0, pad + 18.0, "start", quadrants[2]),
        (pad + 6.0, pad + plot - 8.0, "start", quadrants[3]),
    ];
    for (tx, ty, anchor, label) in corners {
        let _ = write!(
            svg,
            r##"<text x="{tx:.1}" y="{ty:.1}" text-anchor="{anchor}" font-size="14" font-weight="bold" fill="#333333">{}</text>"##,
            escape(label)
        );
    }
    let _ = write!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="13" fill="#333333">{} →</text>"##,
        pad + plot / 2.0,
        h - 14.0,
        escape(axes.0)
    );
    let _ = write!(
        svg,
        r##"<text x="18" y="{:.1}" text-anchor="middle" font-size="13" fill="#333333" transform="rotate(-90 18 {:.1})">{} →</text>"##,
        pad + plot / 2.0,
        pad + plot / 2.0,
        escape(axes.1)
    );
    for p in points {
        let (px, py) = (x(p.importance), y(p.satisfaction));
        let _ = write!(
            svg,
            r##"<circle cx="{px:.1}" cy="{py:.1}" r="11" fill="#0017c1"/><text x="{px:.1}" y="{:.1}" text-anchor="middle" font-size="12" fill="#ffffff">{}</text>"##,
            py + 4.0,
            p.number
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_land_in_their_quadrant() {
        let svg = scatter(
            "p",
            "T<&>",
            ("重要度", "満足度"),
            ["A", "B", "C", "D"],
            &[
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
            ],
        );
        assert!(svg.contains("T&lt;&amp;&gt;"));
        // Importance 60 is right of the centre (x = 260), satisfaction 40 below it (y = 260).
        let first = svg.find(r#"<circle cx=""#).unwrap();
        let cx: f64 = svg[first + 12..]
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(cx > 260.0);
        assert_eq!(svg.matches("<circle").count(), 2);
    }
}
