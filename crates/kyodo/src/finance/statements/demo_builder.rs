//! Builds the demonstration statements line by line: leaves in 千円, each parent the sum of the
//! lines under it, so the demonstration set is consistent by construction.

use super::{StLine, Statement, TOTAL};

pub struct Builder {
    pub lines: Vec<StLine>,
}

impl Builder {
    /// A line in 千円; `column` only for the NW.
    pub fn add(
        &mut self,
        st: Statement,
        code: &str,
        parent: &str,
        name: &str,
        column: &'static str,
        k: i64,
    ) {
        self.lines.push(StLine {
            statement: st,
            code: code.into(),
            parent: parent.into(),
            name: name.into(),
            column,
            amount: k * 1000,
        });
    }
    /// A parent line whose amount the leaves under it give (see `fill`).
    pub fn group(&mut self, st: Statement, code: &str, parent: &str, name: &str) {
        self.add(st, code, parent, name, TOTAL, 0);
    }
    /// Leaves under one parent: (name, 千円), coded parent-1, parent-2 …
    pub fn leaves(&mut self, st: Statement, parent: &str, items: &[(&str, i64)]) {
        for (i, (name, k)) in items.iter().enumerate() {
            self.add(st, &format!("{parent}-{}", i + 1), parent, name, TOTAL, *k);
        }
    }
    /// Sets each parent to the sum of its lines, deepest first (children follow their parents).
    pub fn fill(&mut self) {
        for i in (0..self.lines.len()).rev() {
            let l = &self.lines[i];
            let key = (l.statement, l.column, l.code.clone());
            let sum: i64 = self.lines[i + 1..]
                .iter()
                .filter(|c| {
                    (c.statement, c.column, c.parent.as_str()) == (key.0, key.1, key.2.as_str())
                })
                .map(|c| c.amount)
                .sum();
            if self.lines[i + 1..]
                .iter()
                .any(|c| c.parent == key.2 && c.statement == key.0)
            {
                self.lines[i].amount = sum;
            }
        }
    }
    pub fn get(&self, st: Statement, name: &str) -> i64 {
        self.lines
            .iter()
            .find(|l| l.statement == st && l.name == name && l.column == TOTAL)
            .map_or(0, |l| l.amount / 1000)
    }
}

/// A line with no parent, in 千円.
pub fn line(st: Statement, code: &str, name: &str, column: &'static str, k: i64) -> StLine {
    StLine {
        statement: st,
        code: code.into(),
        parent: String::new(),
        name: name.into(),
        column,
        amount: k * 1000,
    }
}
