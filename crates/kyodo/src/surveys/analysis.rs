//! Scores of scale questions and the importance × satisfaction portfolio, as Japanese cities compute
//! them in their 市民意識調査 (reference §3.2–3.4). Pure functions over counts: the database does the
//! counting (one GROUP BY per question), so no response is ever loaded here.

/// Answers per option of one scale question, in the order of the scale (e.g. 満足 … 不満), and how
/// many respondents gave none (無回答, or an option outside the scale such as わからない).
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleCounts {
    pub per_option: Vec<u64>,
    pub no_answer: u64,
}

impl ScaleCounts {
    fn answered(&self) -> u64 {
        self.per_option.iter().sum()
    }
}

/// Whether respondents without an answer count in the base (N) of a score. Cities differ; the
/// default leaves them out, as the reference infers for 大垣市.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Base {
    #[default]
    Answered,
    AllRespondents,
}

impl Base {
    fn of(self, c: &ScaleCounts) -> u64 {
        match self {
            Base::Answered => c.answered(),
            Base::AllRespondents => c.answered() + c.no_answer,
        }
    }
}

/// 加重平均値: Σ(n_k × w_k) / N, with weights per option (default +2, +1, 0, −1, −2).
/// `None` when the base is empty or the weights do not match the options.
pub fn weighted_average(c: &ScaleCounts, weights: &[f64], base: Base) -> Option<f64> {
    let n = base.of(c);
    if n == 0 || weights.len() != c.per_option.len() {
        return None;
    }
    let sum: f64 = c
        .per_option
        .iter()
        .zip(weights)
        .map(|(&k, w)| k as f64 * w)
        .sum();
    Some(sum / n as f64)
}

/// The default weights of a five-level scale, most positive first.
pub const FIVE_LEVEL_WEIGHTS: [f64; 5] = [2.0, 1.0, 0.0, -1.0, -2.0];

/// Per cent of the base that chose one of `options` (0-based indexes into the scale).
fn share(c: &ScaleCounts, options: &[usize], base: Base) -> Option<f64> {
    let n = base.of(c);
    if n == 0 {
        return None;
    }
    let chosen: u64 = options.iter().filter_map(|&i| c.per_option.get(i)).sum();
    Some(chosen as f64 * 100.0 / n as f64)
}

/// 満足(計), the top-2 box: per cent choosing one of the two most positive options.
pub fn top2_box(c: &ScaleCounts, base: Base) -> Option<f64> {
    share(c, &[0, 1], base)
}

/// Net score (五泉市): positive per cent minus negative per cent. The positive options are the first
/// two and the negative ones the last two (one each on a three-level scale); a middle option counts
/// in the base only.
pub fn net_score(c: &ScaleCounts, base: Base) -> Option<f64> {
    let k = c.per_option.len();
    let side = (k / 2).min(2);
    if side == 0 {
        return None;
    }
    let positive: Vec<usize> = (0..side).collect();
    let negative: Vec<usize> = (k - side..k).collect();
    Some(share(c, &positive, base)? - share(c, &negative, base)?)
}

/// 偏差値 of each value: (x − mean) / σ × 10 + 50, σ the population standard deviation. All 50 when
/// the values do not vary.
pub fn deviation_values(values: &[f64]) -> Vec<f64> {
    if values.is_empty() {
        return Vec::new();
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    values
        .iter()
        .map(|v| {
            if sd > 0.0 {
                (v - mean) / sd * 10.0 + 50.0
            } else {
                50.0
            }
        })
        .collect()
}

/// The four areas of the portfolio, with the axes crossed at the mean of all items. Their names are
/// a code list (default 重点改善 / 重点維持 / 維持 / 改善); this is the position only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quadrant {
    /// Important and unsatisfying: improve first (重点改善).
    ImproveFirst,
    /// Important and satisfying: keep it so (重点維持).
    KeepUp,
    /// Less important, satisfying (維持).
    Maintain,
    /// Less important, unsatisfying (改善).
    Improve,
}

impl Quadrant {
    /// The code of the quadrant in the configurable naming scheme.
    pub fn code(self) -> &'static str {
        match self {
            Quadrant::ImproveFirst => "improve_first",
            Quadrant::KeepUp => "keep_up",
            Quadrant::Maintain => "maintain",
            Quadrant::Improve => "improve",
        }
    }
}

/// One item placed on the portfolio.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// 偏差値 of importance and satisfaction among all items (the centre is 50, 50).
    pub importance: f64,
    pub satisfaction: f64,
    pub quadrant: Quadrant,
    /// Distance from the centre, in 偏差値 points.
    pub distance: f64,
    /// Angle in degrees between the item's direction and the 45° line into 重点改善.
    pub angle: f64,
    /// 改善度指数: distance × (90° − angle) / 90°, zero beyond 90°.
    pub improvement_index: f64,
}

/// 改善度指数 from distance and angle (reference §3.4: d = 15.8, θ = 24.4° → 11.5).
pub fn improvement_index(distance: f64, angle_degrees: f64) -> f64 {
    if angle_degrees >= 90.0 {
        0.0
    } else {
        distance * (90.0 - angle_degrees) / 90.0
    }
}

/// Places items given by their (importance, satisfaction) scores: standardizes both to 偏差値 among
/// all items, names the quadrant, and computes distance, angle and the improvement index with
/// importance to the right and satisfaction downwards, so 重点改善 lies on the 45° line.
/// Distance from the centre and angle (degrees, 0–180) off the 45° line of a point with importance
/// `x` to the right and dissatisfaction `y` upwards.
pub fn polar(x: f64, y: f64) -> (f64, f64) {
    let distance = x.hypot(y);
    if distance == 0.0 {
        return (0.0, 90.0);
    }
    let a = (y.atan2(x).to_degrees() - 45.0).rem_euclid(360.0);
    (distance, if a > 180.0 { 360.0 - a } else { a })
}

pub fn portfolio(items: &[(f64, f64)]) -> Vec<Placed> {
    let importance = deviation_values(&items.iter().map(|i| i.0).collect::<Vec<_>>());
    let satisfaction = deviation_values(&items.iter().map(|i| i.1).collect::<Vec<_>>());
    importance
        .into_iter()
        .zip(satisfaction)
        .map(|(imp, sat)| {
            let (distance, angle) = polar(imp - 50.0, 50.0 - sat);
            let quadrant = match (imp >= 50.0, sat >= 50.0) {
                (true, false) => Quadrant::ImproveFirst,
                (true, true) => Quadrant::KeepUp,
                (false, true) => Quadrant::Maintain,
                (false, false) => Quadrant::Improve,
            };
            Placed {
                importance: imp,
                satisfaction: sat,
                quadrant,
                distance,
                angle,
                improvement_index: improvement_index(distance, angle),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    fn counts(per_option: &[u64], no_answer: u64) -> ScaleCounts {
        ScaleCounts {
            per_option: per_option.to_vec(),
            no_answer,
        }
    }

    #[test]
    fn weighted_average_multiplies_counts_by_points_and_divides_by_the_base() {
        // 満足 10, やや満足 20, ふつう 40, やや不満 20, 不満 10, 無回答 5.
        let c = counts(&[10, 20, 40, 20, 10], 5);
        assert_eq!(
            weighted_average(&c, &FIVE_LEVEL_WEIGHTS, Base::Answered),
            Some(0.0)
        );
        let c = counts(&[30, 40, 20, 5, 5], 100);
        // (60 + 40 + 0 − 5 − 10) / 100 = 0.85; with the 100 無回答 in the base: 85 / 200.
        assert_eq!(
            weighted_average(&c, &FIVE_LEVEL_WEIGHTS, Base::Answered),
            Some(0.85)
        );
        assert_eq!(
            weighted_average(&c, &FIVE_LEVEL_WEIGHTS, Base::AllRespondents),
            Some(0.425)
        );
        assert_eq!(
            weighted_average(&counts(&[0; 5], 3), &FIVE_LEVEL_WEIGHTS, Base::Answered),
            None
        );
        assert_eq!(weighted_average(&c, &[1.0, 0.0], Base::Answered), None);
    }

    #[test]
    fn net_score_and_top2_box_are_percentages_of_the_base() {
        let c = counts(&[30, 40, 20, 5, 5], 0);
        assert_eq!(top2_box(&c, Base::Answered), Some(70.0));
        assert_eq!(net_score(&c, Base::Answered), Some(60.0));
        let c = counts(&[10, 10, 0, 30, 50], 0);
        assert_eq!(net_score(&c, Base::Answered), Some(-60.0));
        // A four-level scale without a neutral option: two positive, two negative.
        let c = counts(&[25, 25, 30, 20], 0);
        assert_eq!(net_score(&c, Base::Answered), Some(0.0));
        assert_eq!(top2_box(&counts(&[0; 5], 0), Base::Answered), None);
    }

    #[test]
    fn deviation_values_centre_on_fifty_with_ten_per_standard_deviation() {
        let d = deviation_values(&[1.0, 2.0, 3.0]);
        let sd = (2.0f64 / 3.0).sqrt();
        assert!(close(d[0], 50.0 - 10.0 / sd, 1e-9));
        assert!(close(d[1], 50.0, 1e-9));
        assert!(close(d[2], 50.0 + 10.0 / sd, 1e-9));
        assert_eq!(deviation_values(&[0.7, 0.7]), vec![50.0, 50.0]);
        assert!(deviation_values(&[]).is_empty());
    }

    #[test]
    fn the_improvement_index_matches_the_worked_example() {
        // Reference §3.4: distance 15.8, angle 24.4° → (90 − 24.4) / 90 = 0.729 → 11.5.
        assert!(close(improvement_index(15.8, 24.4), 11.5, 0.05));
        assert_eq!(improvement_index(15.8, 90.0), 0.0);
        assert_eq!(improvement_index(15.8, 135.0), 0.0);
        assert!(close(improvement_index(10.0, 0.0), 10.0, 1e-12));
        assert!(close(improvement_index(10.0, 45.0), 5.0, 1e-12));
    }

    #[test]
    fn the_portfolio_places_items_around_the_mean_and_ranks_by_the_index() {
        // Four items, one in each quadrant, symmetric around the mean.
        let items = [(1.5, 0.0), (1.5, 1.0), (0.5, 1.0), (0.5, 0.0)];
        let p = portfolio(&items);
        let quadrants: Vec<_> = p.iter().map(|x| x.quadrant).collect();
        assert_eq!(
            quadrants,
            vec![
                Quadrant::ImproveFirst,
                Quadrant::KeepUp,
                Quadrant::Maintain,
                Quadrant::Improve
            ]
        );
        // Standardized: ±10 on each axis, so each item is √200 from the centre.
        for x in &p {
            assert!(close(x.distance, 200f64.sqrt(), 1e-9));
        }
        // 重点改善 lies on the 45° line: the full distance counts. 重点維持 and 改善 are 90° off.
        assert!(close(p[0].angle, 0.0, 1e-9));
        assert!(close(p[0].improvement_index, 200f64.sqrt(), 1e-9));
        assert!(close(p[1].angle, 90.0, 1e-9) && p[1].improvement_index == 0.0);
        assert!(close(p[3].angle, 90.0, 1e-9) && p[3].improvement_index == 0.0);
        assert!(close(p[2].angle, 180.0, 1e-9) && p[2].improvement_index == 0.0);
    }

    #[test]
    fn the_worked_example_geometry_gives_its_index() {
        // A point 15.8 from the centre, 24.4° off the 45° line on either side, as the portfolio
        // computes it from 偏差値 coordinates.
        for direction in [45.0 + 24.4, 45.0 - 24.4f64] {
            let a = direction.to_radians();
            let (d, angle) = polar(15.8 * a.cos(), 15.8 * a.sin());
            assert!(close(d, 15.8, 1e-9) && close(angle, 24.4, 1e-9));
            assert!(close(improvement_index(d, angle), 11.5, 0.05));
        }
        // Straight into 重点維持 (satisfaction above the mean, importance on it): 135° off.
        assert!(close(polar(0.0, -1.0).1, 135.0, 1e-9));
        assert_eq!(polar(0.0, 0.0), (0.0, 90.0));
    }
}
