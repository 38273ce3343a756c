//! Small server-side SVG charts. Every chart is shown with its data as a table beside it (the table
//! is the accessible, printable source of truth; the SVG has a title for assistive technology).
//! Colours come from the Digital Agency palette and keep 3:1 contrast against white.

use std::fmt::Write;

/// One data series: name and one value per category (`None` = no data).
pub struct Series<'a> {
    pub name: &'a str,
    pub values: Vec<Option<f64>>,
}

const FILLS: [(&str, &str); 3] = [
    ("#9db7f9", "#0017c1"),
    ("#0017c1", "#00118f"),
    ("#197a4b", "#115a36"),
];

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A "nice" upper bound for the axis: 1, 2, 2.5 or 5 × 10^n at or above `max`.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let exp = max.log10().floor();
    let base = 10f64.powf(exp);
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * base)
        .find(|v| *v >= max)
        .unwrap_or(10.0 * base)
}

/// The axis top for whole-number data (yen, people): steps of 1, 2 or 5 × 10^n and never less than
/// 1, so a chart of small amounts is not labelled 0.25, 0.5 …
fn whole_max(max: f64) -> f64 {
    let step = (max / 4.0).max(1.0);
    let base = 10f64.powf(step.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * base)
        .find(|v| *v >= step)
        .unwrap_or(10.0 * base);
    step * 4.0
}

pub fn fmt_num(v: f64) -> String {
    let rounded = v.round();
    if (v - rounded).abs() < 1e-9 {
        let s = (rounded as i64).unsigned_abs().to_string();
        let mut out = String::new();
        for (i, ch) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        if rounded < 0.0 {
            format!("-{out}")
        } else {
            out
        }
    } else {
        format!("{v:.1}")
    }
}

/// Grouped bar chart. `id` must be unique on the page (it names the title element).
pub fn bars(
    id: &str,
    title: &str,
    categories: &[String],
    series: &[Series<'_>],
    unit: &str,
) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 300.0, 80.0, 16.0, 44.0, 40.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let all: Vec<f64> = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .collect();
    let min_data = all.iter().copied().fold(0.0f64, f64::min);
    let whole = all.iter().all(|v| v.fract() == 0.0);
    let axis_top = if whole { whole_max } else { nice_max };
    let max = axis_top(all.iter().copied().fold(0.0f64, f64::max));
    let min = if min_data < 0.0 {
        -axis_top(-min_data)
    } else {
        0.0
    };
    let y = |v: f64| top + plot_h * (1.0 - (v - min) / (max - min));
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="{id}-title" class="chart"><title id="{id}-title">{}</title>"##,
        escape(title)
    );
    // Grid lines and y-axis labels at five steps.
    for i in 0..=4 {
        let v = min + (max - min) * f64::from(i) / 4.0;
        let yy = y(v);
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#cccccc" stroke-width="1"/><text x="{}" y="{:.1}" text-anchor="end" font-size="12" fill="#333333">{}</text>"##,
            w - right,
            left - 6.0,
            yy + 4.0,
            escape(&fmt_num(v))
        );
    }
    let _ = write!(
        svg,
        r##"<text x="8" y="{}" font-size="12" fill="#333333">{}</text>"##,
        top - 10.0,
        escape(unit)
    );
    let n = categories.len().max(1) as f64;
    let group_w = plot_w / n;
    let k = series.len().max(1) as f64;
    let bar_w = (group_w * 0.8 / k).min(48.0);
    for (ci, cat) in categories.iter().enumerate() {
        let gx = left + group_w * ci as f64 + (group_w - bar_w * k) / 2.0;
        for (si, s) in series.iter().enumerate() {
            if let Some(Some(v)) = s.values.get(ci) {
                let (fill, stroke) = FILLS[si % FILLS.len()];
                let (y0, y1) = (y(v.max(0.0)), y(v.min(0.0)));
                let _ = write!(
                    svg,
                    r##"<rect x="{:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>"##,
                    gx + bar_w * si as f64,
                    bar_w - 2.0,
                    (y1 - y0).max(0.5)
                );
            }
        }
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{}" text-anchor="middle" font-size="12" fill="#333333">{}</text>"##,
            left + group_w * (ci as f64 + 0.5),
            h - bottom + 18.0,
            escape(cat)
        );
    }
    // Legend.
    let mut lx = left;
    for (si, s) in series.iter().enumerate() {
        let (fill, stroke) = FILLS[si % FILLS.len()];
        let _ = write!(
            svg,
            r##"<rect x="{lx}" y="8" width="14" height="14" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/><text x="{}" y="20" font-size="13" fill="#333333">{}</text>"##,
            lx + 20.0,
            escape(s.name)
        );
        lx += 40.0 + 14.0 * s.name.chars().count() as f64;
    }
    let _ = write!(
        svg,
        r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#333333" stroke-width="1"/></svg>"##,
        w - right,
        y(0.0),
        y(0.0)
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_bounds_are_round() {
        assert_eq!(nice_max(1102.0), 2000.0);
        assert_eq!(nice_max(230.0), 250.0);
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(whole_max(0.0), 4.0, "no step under 1");
        assert_eq!(whole_max(3.0), 4.0);
        assert_eq!(whole_max(230.0), 400.0);
        assert_eq!(whole_max(1102.0), 2000.0);
        assert_eq!(whole_max(7_000.0), 8_000.0);
        assert_eq!(fmt_num(1027.0), "1,027");
        assert_eq!(fmt_num(-1234567.0), "-1,234,567");
        assert_eq!(fmt_num(99.25), "99.2");
    }

    #[test]
    fn chart_has_a_title_bars_and_escaped_labels() {
        let cats = vec!["平成20年度".to_string(), "<b>".to_string()];
        let s = bars(
            "c1",
            "職員数 <目標と実績>",
            &cats,
            &[
                Series {
                    name: "目標",
                    values: vec![Some(1075.0), None],
                },
                Series {
                    name: "実績",
                    values: vec![Some(1080.0), Some(5.0)],
                },
            ],
            "人",
        );
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert!(
            s.contains(r#"aria-labelledby="c1-title""#) && s.contains("職員数 &lt;目標と実績&gt;")
        );
        assert_eq!(
            s.matches("<rect").count(),
            3 + 2,
            "three bars and two legend keys"
        );
        assert!(s.contains("&lt;b&gt;") && !s.contains("<b>"));
    }
}
