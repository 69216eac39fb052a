//! The smallest corrections behind the arithmetic findings.
//!
//! Every arithmetic check is a linear equation over cells (`stated − computed = 0`), so a
//! change of one cell by δ moves the residual of each equation that holds it by
//! `coefficient × δ`. One cell explains a set of findings when one δ zeroes every equation
//! the cell is in — all of them violated, all giving the same δ (an equation that holds would
//! break). The search runs per group of violated equations that share cells: single changes
//! first (each is determined by a residual, so this is linear in the size of the equations),
//! then pairs only for groups no single change explains. A pair must touch the violated
//! equation with the fewest cells, and then the one with the fewest cells that its first cell
//! leaves (or, if none is left, a neighbour of the first cell): a bounded search, and the two
//! changes are solved exactly from two of their equations and checked against all of them.
//! Equally small answers are all kept (ties), the stated figures first: a wrong printed sum is
//! the simplest explanation when it explains alone. Groups that need more than two changes
//! are reported without a suggestion.

use crate::cells::Cell;
use crate::tables::Equation;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use styr_domain::{Location, Money, Plan};

/// How many alternatives a correction keeps; the rest are counted.
const KEPT_ALTERNATIVES: usize = 20;
/// How many pairs the search tries for one group before it gives up.
const MAX_PAIR_TRIALS: usize = 2_000_000;

/// One cell changed from what it holds to what would make the equations hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub cell: Cell,
    pub at: Location,
    /// The column: "kostnader 2020", "2021", "budget tom".
    pub column: String,
    pub from: Money,
    pub to: Money,
}

/// The fewest changes that make a group of findings hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// The ids of the findings explained, in output order.
    pub explains: Vec<String>,
    /// Equally small sets of changes (one or two changes each); empty when no set of at most
    /// two changes makes all of `explains` hold.
    pub alternatives: Vec<Vec<Change>>,
    /// Alternatives found beyond those kept.
    pub more_alternatives: usize,
    /// The pair search stopped at its bound before trying every candidate.
    pub search_cut: bool,
}

impl Correction {
    /// One line: "en ändring av … förklarar 2 fel", the ties after one another, or that none
    /// was found.
    pub fn describe(&self) -> String {
        let explained = self.explains.len();
        match self.alternatives.as_slice() {
            [] if self.search_cut => {
                format!("ingen rättelse hittad för {explained} fel: sökningen nådde sin gräns")
            }
            [] => format!("ingen rättelse med högst två ändringar förklarar {explained} fel"),
            [changes] => format!(
                "{} förklarar {explained} fel",
                crate::finding::changes_text(changes)
            ),
            alternatives => {
                let total = alternatives.len() + self.more_alternatives;
                let listed: Vec<String> = alternatives
                    .iter()
                    .map(|changes| crate::finding::changes_text(changes))
                    .collect();
                let more = if self.more_alternatives > 0 {
                    format!("; … och {} till", self.more_alternatives)
                } else {
                    String::new()
                };
                format!(
                    "{explained} fel förklaras lika enkelt på {total} sätt: {}{more}",
                    listed.join("; ")
                )
            }
        }
    }
}

/// An equation as the search sees it: merged coefficients and the residual, in öre.
struct Row {
    terms: Vec<(Cell, i64)>,
    residual: i64,
}

/// The smallest corrections for the equations that do not hold.
pub fn smallest_corrections(plan: &Plan, equations: &[Equation]) -> Vec<Correction> {
    let rows: Vec<Row> = equations
        .iter()
        .map(|equation| {
            let mut merged: BTreeMap<Cell, i64> = BTreeMap::new();
            for &(cell, coefficient) in &equation.stated.terms {
                *merged.entry(cell).or_default() += coefficient;
            }
            for &(cell, coefficient) in &equation.computed.terms {
                *merged.entry(cell).or_default() -= coefficient;
            }
            Row {
                terms: merged.into_iter().filter(|&(_, c)| c != 0).collect(),
                residual: equation.residual(plan).ore(),
            }
        })
        .collect();
    let mut index: HashMap<Cell, Vec<(usize, i64)>> = HashMap::new();
    for (number, row) in rows.iter().enumerate() {
        for &(cell, coefficient) in &row.terms {
            index.entry(cell).or_default().push((number, coefficient));
        }
    }
    let search = Search {
        plan,
        rows: &rows,
        index: &index,
        stated: equations
            .iter()
            .flat_map(|e| e.stated.terms.iter().map(|&(cell, _)| cell))
            .collect(),
    };
    search
        .groups()
        .into_iter()
        .map(|group| search.correct(&group, equations))
        .collect()
}

struct Search<'a> {
    plan: &'a Plan,
    rows: &'a [Row],
    index: &'a HashMap<Cell, Vec<(usize, i64)>>,
    /// Cells printed as stated figures (totals, references): listed first among ties.
    stated: BTreeSet<Cell>,
}

impl Search<'_> {
    fn violated(&self, row: usize) -> bool {
        self.rows[row].residual != 0
    }

    /// The violated equations, grouped where they share a cell (union-find).
    fn groups(&self) -> Vec<Vec<usize>> {
        let mut parent: Vec<usize> = (0..self.rows.len()).collect();
        fn root(parent: &mut [usize], mut at: usize) -> usize {
            while parent[at] != at {
                parent[at] = parent[parent[at]];
                at = parent[at];
            }
            at
        }
        for (number, row) in self.rows.iter().enumerate() {
            if !self.violated(number) {
                continue;
            }
            for (cell, _) in &row.terms {
                for &(other, _) in &self.index[cell] {
                    if other != number && self.violated(other) {
                        let (a, b) = (root(&mut parent, number), root(&mut parent, other));
                        parent[a.max(b)] = a.min(b);
                    }
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for number in (0..self.rows.len()).filter(|&n| self.violated(n)) {
            let group = root(&mut parent, number);
            groups.entry(group).or_default().push(number);
        }
        groups.into_values().collect()
    }

    /// The δ by which changing `cell` alone zeroes every equation it is in, if there is one.
    fn single(&self, cell: Cell) -> Option<i64> {
        let mut delta = None;
        for &(row, coefficient) in &self.index[&cell] {
            let residual = self.rows[row].residual;
            if residual == 0 || residual % coefficient != 0 {
                return None;
            }
            let needed = -residual / coefficient;
            match delta {
                None => delta = Some(needed),
                Some(d) if d != needed => return None,
                Some(_) => {}
            }
        }
        delta
    }

    /// The δs by which changing two cells together zeroes every equation either is in.
    fn pair(&self, first: Cell, second: Cell) -> Option<(i64, i64)> {
        let mut system: BTreeMap<usize, (i128, i128)> = BTreeMap::new();
        for &(row, coefficient) in &self.index[&first] {
            system.entry(row).or_default().0 = i128::from(coefficient);
        }
        for &(row, coefficient) in &self.index[&second] {
            system.entry(row).or_default().1 = i128::from(coefficient);
        }
        let equations: Vec<(i128, i128, i128)> = system
            .iter()
            .map(|(&row, &(a, b))| (a, b, -i128::from(self.rows[row].residual)))
            .collect();
        // Two independent equations determine both changes (Cramer's rule).
        let mut solution = None;
        'outer: for (i, &(a1, b1, r1)) in equations.iter().enumerate() {
            for &(a2, b2, r2) in &equations[i + 1..] {
                let determinant = a1 * b2 - a2 * b1;
                if determinant != 0 {
                    let d1 = r1 * b2 - r2 * b1;
                    let d2 = a1 * r2 - a2 * r1;
                    if d1 % determinant != 0 || d2 % determinant != 0 {
                        return None;
                    }
                    solution = Some((d1 / determinant, d2 / determinant));
                    break 'outer;
                }
            }
        }
        let (d1, d2) = solution?;
        if d1 == 0 || d2 == 0 {
            return None;
        }
        equations
            .iter()
            .all(|&(a, b, r)| a * d1 + b * d2 == r)
            .then(|| Some((i64::try_from(d1).ok()?, i64::try_from(d2).ok()?)))
            .flatten()
    }

    fn change(&self, cell: Cell, delta: i64) -> Change {
        let from = cell.get(self.plan).unwrap_or(Money::ZERO);
        let (at, column) = cell.place(self.plan);
        Change {
            cell,
            at,
            column,
            from,
            to: from + Money::from_ore(delta),
        }
    }

    /// Whether the equations of the given cells cover the whole group.
    fn covers(&self, group: &BTreeSet<usize>, cells: &[Cell]) -> bool {
        let touched: BTreeSet<usize> = cells
            .iter()
            .flat_map(|cell| self.index[cell].iter().map(|&(row, _)| row))
            .collect();
        group.is_subset(&touched)
    }

    fn cells_of(&self, row: usize) -> impl Iterator<Item = Cell> + '_ {
        self.rows[row].terms.iter().map(|&(cell, _)| cell)
    }

    fn correct(&self, group: &[usize], equations: &[Equation]) -> Correction {
        let members: BTreeSet<usize> = group.iter().copied().collect();
        let mut found: Vec<Vec<(Cell, i64)>> = Vec::new();
        let candidates: BTreeSet<Cell> = group.iter().flat_map(|&r| self.cells_of(r)).collect();
        for &cell in &candidates {
            if let Some(delta) = self.single(cell)
                && self.covers(&members, &[cell])
            {
                found.push(vec![(cell, delta)]);
            }
        }
        let mut search_cut = false;
        if found.is_empty() {
            (found, search_cut) = self.pairs(&members);
        }
        // Stated figures first, then in table order.
        found.sort_by_key(|changes| {
            let stated = changes
                .iter()
                .filter(|(c, _)| self.stated.contains(c))
                .count();
            (
                std::cmp::Reverse(stated),
                changes.iter().map(|&(c, _)| c).collect::<Vec<_>>(),
            )
        });
        let more_alternatives = found.len().saturating_sub(KEPT_ALTERNATIVES);
        let alternatives = found
            .into_iter()
            .take(KEPT_ALTERNATIVES)
            .map(|changes| {
                changes
                    .into_iter()
                    .map(|(cell, delta)| self.change(cell, delta))
                    .collect()
            })
            .collect();
        Correction {
            explains: group.iter().map(|&r| equations[r].id.clone()).collect(),
            alternatives,
            more_alternatives,
            search_cut,
        }
    }

    /// Every pair of changes that makes the group hold, within the search's bound.
    fn pairs(&self, members: &BTreeSet<usize>) -> (Vec<Vec<(Cell, i64)>>, bool) {
        let fewest_cells = |rows: &mut dyn Iterator<Item = usize>| {
            rows.min_by_key(|&row| (self.rows[row].terms.len(), row))
        };
        let Some(first_row) = fewest_cells(&mut members.iter().copied()) else {
            return (Vec::new(), false);
        };
        let mut tried: BTreeSet<(Cell, Cell)> = BTreeSet::new();
        let mut found = Vec::new();
        let mut trials = 0;
        for first in self.cells_of(first_row) {
            let touched: BTreeSet<usize> = self.index[&first].iter().map(|&(r, _)| r).collect();
            let mut left = members.iter().copied().filter(|r| !touched.contains(r));
            let seconds: BTreeSet<Cell> = match fewest_cells(&mut left) {
                Some(row) => self.cells_of(row).collect(),
                // The first cell touches the whole group: the second repairs what it breaks.
                None => touched.iter().flat_map(|&r| self.cells_of(r)).collect(),
            };
            for second in seconds {
                if second == first || !tried.insert((first.min(second), first.max(second))) {
                    continue;
                }
                trials += 1;
                if trials > MAX_PAIR_TRIALS {
                    return (found, true);
                }
                if !self.covers(members, &[first, second]) {
                    continue;
                }
                if let Some((d1, d2)) = self.pair(first, second) {
                    let mut changes = vec![(first, d1), (second, d2)];
                    changes.sort_unstable();
                    found.push(changes);
                }
            }
        }
        (found, false)
    }
}
