//! Cursor paging for the API's lists: a page ends with `next_cursor`, the key of its last item;
//! the next request sends it as `cursor` and gets the items after that one. Keys are stable
//! (a case's number, a programme's code, a tender's id), so a page never repeats or skips an
//! item because another was added before it.

use crate::error::{AppError, AppResult};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Items per page, 1–500 (100).
    pub limit: Option<usize>,
}

/// One page of `items` (in their stable order) and the cursor of the next, if any.
pub fn page<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    q: &PageQuery,
) -> AppResult<(Vec<T>, Option<String>)> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(AppError::BadRequest("error.bad_query"));
    }
    let start = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => {
            items
                .iter()
                .position(|i| key(i) == c)
                .ok_or(AppError::BadRequest("error.bad_query"))?
                + 1
        }
    };
    let more = items.len() > start + limit;
    let out: Vec<T> = items.into_iter().skip(start).take(limit).collect();
    let next = if more { out.last().map(&key) } else { None };
    Ok((out, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(cursor: Option<&str>, limit: usize) -> PageQuery {
        PageQuery {
            cursor: cursor.map(str::to_string),
            limit: Some(limit),
        }
    }

    #[test]
    fn pages_follow_each_other_without_gaps_or_repeats() {
        let items: Vec<i32> = (1..=7).collect();
        let key = |i: &i32| i.to_string();
        let (a, next) = page(items.clone(), key, &q(None, 3)).unwrap();
        assert_eq!((a, next.as_deref()), (vec![1, 2, 3], Some("3")));
        let (b, next) = page(items.clone(), key, &q(Some("3"), 3)).unwrap();
        assert_eq!((b, next.as_deref()), (vec![4, 5, 6], Some("6")));
        let (c, next) = page(items.clone(), key, &q(Some("6"), 3)).unwrap();
        assert_eq!((c, next), (vec![7], None));
        assert!(page(items.clone(), key, &q(Some("99"), 3)).is_err());
        assert!(page(items, key, &q(None, 0)).is_err());
    }
}
