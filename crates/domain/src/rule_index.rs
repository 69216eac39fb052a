//! The account rules of a [`LedgerMapping`] as an index over the account number line, so that
//! classifying a ledger key costs a binary search and a look at the few rules whose range holds
//! the account, instead of a scan of every rule with padded strings (issue 23).
//!
//! An account range is a pair of digit prefixes ([`AccountRange`]): padded to ten digits, `from`
//! with zeros and `to` with nines, it is an interval of the numbers 0..=9 999 999 999. The rules'
//! interval ends cut that line into pieces; every account of a piece lies in exactly the same
//! ranges, so each piece keeps the list of its rules in the mapping's order, and the first of
//! them whose ansvar list admits the row wins, as in [`LedgerMapping::classify`]. An account that
//! is not 1–10 digits is compared as text by the mapping itself (the rule of record).

use crate::Id;
use crate::ledger::{Classification, LedgerMapping, RuleTarget, UnmappedReason};
use std::collections::HashMap;

/// Ten digits: [`crate::ledger`]'s padding width.
const WIDTH: u32 = 10;

/// An index of a mapping's account rules, units and projects. Built once per mapping; every
/// answer equals the mapping's own ([`LedgerMapping::classify`]).
#[derive(Debug)]
pub struct RuleIndex<'m> {
    mapping: &'m LedgerMapping,
    /// The first account number of each piece, ascending; a piece ends where the next begins.
    starts: Vec<u64>,
    /// The rules (indices into `mapping.rules`, in order) whose range holds each piece.
    pieces: Vec<Vec<usize>>,
    units: HashMap<&'m str, &'m Id>,
    projects: HashMap<&'m str, &'m Id>,
}

/// A digit string padded with `fill` to ten digits, as a number; `None` when it is not 1–10
/// ASCII digits.
fn padded_number(digits: &str, fill: u8) -> Option<u64> {
    let bytes = digits.as_bytes();
    if bytes.is_empty() || bytes.len() > WIDTH as usize || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut number = 0u64;
    for &byte in bytes {
        number = number * 10 + u64::from(byte - b'0');
    }
    for _ in bytes.len()..WIDTH as usize {
        number = number * 10 + u64::from(fill - b'0');
    }
    Some(number)
}

impl LedgerMapping {
    /// The mapping's index: [`RuleIndex::classify`] answers as [`LedgerMapping::classify`].
    pub fn index(&self) -> RuleIndex<'_> {
        RuleIndex::new(self)
    }
}

impl<'m> RuleIndex<'m> {
    pub fn new(mapping: &'m LedgerMapping) -> RuleIndex<'m> {
        // Each rule's interval, inclusive; a range is 1–5 digits, so it always pads.
        let intervals: Vec<Option<(u64, u64)>> = mapping
            .rules
            .iter()
            .map(|rule| {
                Some((
                    padded_number(rule.accounts.from(), b'0')?,
                    padded_number(rule.accounts.to(), b'9')?,
                ))
            })
            .collect();
        let mut starts: Vec<u64> = vec![0];
        for (low, high) in intervals.iter().flatten() {
            starts.push(*low);
            starts.push(high.saturating_add(1));
        }
        starts.sort_unstable();
        starts.dedup();
        let pieces = starts
            .iter()
            .map(|&start| {
                intervals
                    .iter()
                    .enumerate()
                    .filter(|(_, interval)| {
                        interval.is_some_and(|(low, high)| low <= start && start <= high)
                    })
                    .map(|(index, _)| index)
                    .collect()
            })
            .collect();
        let mut units = HashMap::new();
        for unit in &mapping.units {
            units.entry(unit.object.as_str()).or_insert(&unit.unit);
        }
        let mut projects = HashMap::new();
        for project in &mapping.projects {
            projects
                .entry(project.object.as_str())
                .or_insert(&project.project);
        }
        RuleIndex {
            mapping,
            starts,
            pieces,
            units,
            projects,
        }
    }

    /// The index of the first rule that matches the account and ansvar, as
    /// [`LedgerMapping::classify`] finds it.
    pub fn rule(&self, account: &str, ansvar: Option<&str>) -> Option<usize> {
        let rules = &self.mapping.rules;
        let Some(number) = padded_number(account, b'0') else {
            return rules.iter().position(|rule| rule.matches(account, ansvar));
        };
        let piece = self.starts.partition_point(|&start| start <= number) - 1;
        self.pieces[piece].iter().copied().find(|&index| {
            let rule = &rules[index];
            rule.ansvar.is_empty()
                || ansvar.is_some_and(|object| rule.ansvar.iter().any(|a| a == object))
        })
    }

    /// Whether the row's project (dimension 6) decides where it goes: the first matching rule
    /// is `inv` or `expl`. For any other key the project may be left out.
    pub fn needs_project(&self, account: &str, ansvar: Option<&str>) -> bool {
        self.rule(account, ansvar).is_some_and(|index| {
            matches!(
                self.mapping.rules[index].target,
                RuleTarget::Investment | RuleTarget::Exploitation
            )
        })
    }

    /// The unit a dimension-1 object belongs to (the mapping's first).
    pub fn unit_of(&self, ansvar: &str) -> Option<&'m Id> {
        self.units.get(ansvar).copied()
    }

    /// Maps one ledger key exactly as [`LedgerMapping::classify`] does.
    pub fn classify(
        &self,
        account: &str,
        ansvar: Option<&str>,
        project: Option<&str>,
    ) -> Classification<'m> {
        let Some(index) = self.rule(account, ansvar) else {
            return Classification::Unmapped(UnmappedReason::NoRule);
        };
        let rule = &self.mapping.rules[index];
        let unit = ansvar.and_then(|object| self.unit_of(object));
        let project_of = |object: &str| self.projects.get(object).copied();
        match &rule.target {
            RuleTarget::Operating { table, line } => {
                Classification::Operating { table, line, unit }
            }
            RuleTarget::Excluded => Classification::Excluded { rule: index },
            RuleTarget::Finance { row } => Classification::Finance { row },
            RuleTarget::Exploitation => match project {
                None => Classification::Unmapped(UnmappedReason::NoProject),
                Some(object) => match project_of(object) {
                    Some(row) => Classification::Exploitation { row },
                    None => Classification::Unmapped(UnmappedReason::UnknownProject),
                },
            },
            RuleTarget::Investment => match project {
                None => Classification::Unmapped(UnmappedReason::NoProject),
                Some(object) => match project_of(object) {
                    Some(project) => Classification::Investment { project, unit },
                    None => Classification::Unmapped(UnmappedReason::UnknownProject),
                },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Location;
    use crate::ledger::{AccountRange, AccountRule, ProjectMapping, UnitMapping};

    /// SplitMix64: the tests' own deterministic numbers.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }

        fn digits(&mut self, min: u64, max: u64) -> String {
            let len = min + self.below(max - min + 1);
            (0..len)
                .map(|_| char::from(b'0' + u8::try_from(self.below(10)).unwrap_or(0)))
                .collect()
        }
    }

    fn random_mapping(random: &mut Random) -> LedgerMapping {
        let targets = [
            "op.t.a", "op.t.b", "inv", "expl", "exclude", "fin.r", "op.u.c",
        ];
        let ansvar = ["1000", "1100", "1200", "", "7"];
        let mut rules = Vec::new();
        for _ in 0..random.below(30) {
            let (from, to) = loop {
                let from = random.digits(1, 5);
                let to = if random.below(3) == 0 {
                    from.clone()
                } else {
                    random.digits(1, 5)
                };
                if AccountRange::parse(&from, &to).is_ok() {
                    break (from, to);
                }
            };
            let objects = (0..random.below(3))
                .map(|_| ansvar[random.below(ansvar.len() as u64) as usize].to_owned())
                .collect();
            rules.push(AccountRule {
                accounts: AccountRange::parse(&from, &to).unwrap(),
                ansvar: objects,
                target: RuleTarget::parse(targets[random.below(targets.len() as u64) as usize])
                    .unwrap(),
                note: None,
                at: Location::default(),
            });
        }
        let id = |text: &str| Id::parse(text).unwrap();
        LedgerMapping {
            rules,
            units: vec![
                UnitMapping {
                    object: "1000".into(),
                    unit: id("a"),
                    name: None,
                    at: Location::default(),
                },
                UnitMapping {
                    object: "1000".into(),
                    unit: id("b"),
                    name: None,
                    at: Location::default(),
                },
                UnitMapping {
                    object: "1200".into(),
                    unit: id("c"),
                    name: None,
                    at: Location::default(),
                },
            ],
            projects: vec![
                ProjectMapping {
                    object: "P1".into(),
                    project: id("p1"),
                    at: Location::default(),
                },
                ProjectMapping {
                    object: "P1".into(),
                    project: id("p2"),
                    at: Location::default(),
                },
            ],
            profiles: vec![],
        }
    }

    #[test]
    fn the_index_classifies_every_key_as_the_rules_do() {
        let mut random = Random(23);
        let odd = ["", "4A10", "12345678901", "-1", "0", "9999999999", "45 1"];
        for _ in 0..300 {
            let mapping = random_mapping(&mut random);
            let index = mapping.index();
            for round in 0..400 {
                let account = if round % 50 == 0 {
                    odd[random.below(odd.len() as u64) as usize].to_owned()
                } else {
                    random.digits(1, 7)
                };
                let ansvar = ["1000", "1100", "1200", "", "9"]
                    .get(random.below(6) as usize)
                    .copied();
                let project = ["P1", "P2"].get(random.below(3) as usize).copied();
                assert_eq!(
                    index.classify(&account, ansvar, project),
                    mapping.classify(&account, ansvar, project),
                    "{account} {ansvar:?} {project:?} in {:?}",
                    mapping.rules
                );
            }
        }
    }
}
