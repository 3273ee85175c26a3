//! Aligned text tables, and the formatting of figures in them.

use posture_ledger::{Comparison, Count, Total};
use rust_decimal::Decimal;

/// A table: a header, body rows, and footer rows set off by a rule.
pub struct Table {
    /// How many columns, from the left, hold text (left-aligned); the rest
    /// hold figures (right-aligned).
    text_columns: usize,
    header: Vec<String>,
    body: Vec<Vec<String>>,
    footer: Vec<Vec<String>>,
}

impl Table {
    pub fn new(text_columns: usize, header: Vec<String>) -> Self {
        Table {
            text_columns,
            header,
            body: Vec::new(),
            footer: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.body.push(cells);
    }

    pub fn footer(&mut self, cells: Vec<String>) {
        self.footer.push(cells);
    }

    /// The table as lines of text, each ending in a newline.
    pub fn render(&self) -> String {
        let all = || {
            std::iter::once(&self.header)
                .chain(&self.body)
                .chain(&self.footer)
        };
        let mut widths = vec![0; self.header.len()];
        for row in all() {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |row: &Vec<String>| {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (cell, &w))| {
                    // Padded by hand: a width argument (`{cell:<w$}`) panics
                    // above 65,535, and a scope's cell can be wider.
                    let pad = " ".repeat(w.saturating_sub(cell.chars().count()));
                    if i < self.text_columns {
                        format!("{cell}{pad}")
                    } else {
                        format!("{pad}{cell}")
                    }
                })
                .collect();
            format!("{}\n", cells.join("  ").trim_end())
        };
        let mut out = line(&self.header);
        for row in &self.body {
            out.push_str(&line(row));
        }
        if !self.footer.is_empty() {
            if !self.body.is_empty() {
                let total = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
                out.push_str(&"─".repeat(total));
                out.push('\n');
            }
            for row in &self.footer {
                out.push_str(&line(row));
            }
        }
        out
    }
}

/// A count with thousands grouped: `46,000`.
pub fn count(c: Count) -> String {
    c.to_string()
}

/// A total's cell: its count, `—` where no record covers it, and the
/// count marked `(stale)` where its newest observation is too old.
pub fn total(t: Total) -> String {
    match t.count() {
        None => NO_RECORD.to_string(),
        Some(c) if t.is_stale() => format!("{c} (stale)"),
        Some(c) => c.to_string(),
    }
}

/// What a table prints where no record covers a cell.
pub const NO_RECORD: &str = "—";

/// The notes under a table whose cells include `totals`: what `—` and
/// `(stale)` mean, where any cell needs it.
pub fn notes<'t>(totals: impl IntoIterator<Item = &'t Total>) -> String {
    let (mut none, mut old, mut ended) = (false, None::<chrono::NaiveDate>, false);
    for t in totals {
        none |= !t.is_recorded();
        if let (true, Some(o)) = (t.is_stale(), t.oldest_figure()) {
            ended |= t.has_ended();
            old = Some(old.map_or(o, |a| a.min(o)));
        }
    }
    let mut out = String::new();
    if none {
        out.push_str("\n— no record: nothing the ledger holds covers this scope on this date; that is unknown, not 0\n");
    }
    if let Some(oldest) = old {
        out.push_str(if none { "" } else { "\n" });
        out.push_str(&format!(
            "(stale): a figure the total adds {} (the oldest figure, {oldest}); the total may no longer hold\n",
            if ended {
                "holds only until a date before this one, as its source says, or is older than --max-age"
            } else {
                "is older than --max-age"
            }
        ));
    }
    out
}

/// A change with its sign: `+46,000`, `−2,000`, `0`.
pub fn change(n: i128) -> String {
    match Decimal::try_from_i128_with_scale(n, 0) {
        Ok(d) => posture_ledger::interval::signed_thousands(&d),
        Err(_) => n.to_string(),
    }
}

/// A ratio for reading, to three decimals at most (`×12.5`, `×1.333`), or
/// `—` when the before figure is zero. JSON carries the exact value.
pub fn ratio(r: Option<Decimal>) -> String {
    match r {
        Some(r) => format!("×{}", r.round_dp(3).normalize()),
        None => "—".to_string(),
    }
}

/// The before, after, change and ratio cells of a comparison: no change
/// and no ratio where either side has no record.
pub fn comparison(c: &Comparison) -> [String; 4] {
    [
        total(c.before()),
        total(c.after()),
        c.change().map_or_else(|| NO_RECORD.to_string(), change),
        ratio(c.ratio()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_format_for_reading() {
        assert_eq!(change(46_000), "+46,000");
        assert_eq!(change(-2_000), "−2,000");
        assert_eq!(change(0), "0");
        assert_eq!(ratio(Some(Decimal::new(125, 1))), "×12.5");
        assert_eq!(ratio(Some(Decimal::ONE / Decimal::from(3))), "×0.333");
        assert_eq!(ratio(None), "—");
    }

    #[test]
    fn a_cell_wider_than_65535_characters_is_padded_without_panicking() {
        let wide = "u".repeat(70_000);
        let mut t = Table::new(1, vec!["scope".into(), "personnel".into()]);
        t.row(vec![wide.clone(), "1".into()]);
        let out = t.render();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            format!("scope{}  personnel", " ".repeat(70_000 - 5))
        );
        assert_eq!(lines[1], format!("{wide}  {}1", " ".repeat(8)));
    }

    #[test]
    fn tables_align_text_left_and_figures_right() {
        let mut t = Table::new(1, vec!["scope".into(), "personnel".into()]);
        t.row(vec!["in EST".into(), "1,650".into()]);
        t.footer(vec!["everything".into(), "104,000".into()]);
        assert_eq!(
            t.render(),
            "scope       personnel\nin EST          1,650\n─────────────────────\neverything    104,000\n"
        );
    }
}
