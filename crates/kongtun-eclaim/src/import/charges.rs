//! A visit's charge lines: the itemised ADP and DRU rows, and for each CHA row the part of its
//! amount they do not itemise.
//!
//! CHA rows of one CHRGITEM are added up (a pot). Itemised lines are claimable, so each is
//! counted against the claimable pot of its category (`21` for a device, `31` for a drug used
//! in hospital, `41` for a take-home drug). An ADP row of TYPE 1 or 3-8 names no category: it
//! takes the category of the claimable pot it falls under, which is the only claimable pot
//! with an amount left once the other lines are counted, or else the only one whose amount
//! left equals those rows' total (rows that charge nothing: the only claimable pot no other
//! row itemises); anything else is ambiguous and rejects the claim. What is
//! left of each pot becomes one line `CHA-<CHRGITEM>` (qty 1, claimable per the flag); a
//! pot the lines exceed rejects the claim, naming both amounts.

use std::sync::Arc;

use kongtun_core::category::{ChargeCategory, ChrgItem};
use kongtun_core::claim::Line;
use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::money::Money;
use rust_decimal::Decimal;

use crate::layout::FileKind;

/// Where a line came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Src {
    pub file: Arc<str>,
    pub line: u32,
    pub kind: FileKind,
}

impl Src {
    /// An error about this row of visit `claim`.
    pub fn error(&self, claim: &str, kind: DiagnosticKind, field: &str, message: String) -> Diagnostic {
        Diagnostic::error(kind, self.file.clone(), message).at_line(u64::from(self.line)).claim(claim).field(field)
    }
}

/// An itemised line (ADP or DRU).
pub(crate) struct Item {
    pub line: Line,
    pub src: Src,
    /// The ADP TYPE when it names no category (1, 3-8): the category is decided here.
    pub untyped: Option<u8>,
}

/// One CHA row.
pub(crate) struct ChaRow {
    pub item: ChrgItem,
    /// The CHRGITEM as written, upper case (`31`, `G1`: G-J are all category 16).
    pub code: String,
    pub amount: Money,
    pub src: Src,
}

/// The category of an ADP TYPE that names one; `None` for 1 and 3-8.
pub(crate) fn adp_category(type_code: u8) -> Option<ChargeCategory> {
    let n = match type_code {
        2 => 2,
        9 => 9,
        10 => 1,
        11 => 5,
        12 => 13,
        13 => 15,
        14 => 6,
        15 => 7,
        16 => 8,
        17 => 12,
        18 => 10,
        19 => 11,
        20 => 14,
        _ => return None,
    };
    ChargeCategory::new(n).ok()
}

/// The ADP TYPE of a category, for writers (category 16 has none: TYPE 3, which takes the
/// category of the CHA line it falls under).
pub(crate) fn adp_type(category: ChargeCategory) -> u8 {
    (1..=20).find(|t| adp_category(*t) == Some(category)).unwrap_or(3)
}

struct Pot {
    code: String,
    category: ChargeCategory,
    claimable: bool,
    amount: Money,
    itemised: Money,
    /// Itemised rows counted against it (a row charging nothing counts too).
    rows: usize,
    src: Src,
    from_cha: bool,
}

impl Pot {
    fn left(&self) -> Money {
        self.amount - self.itemised
    }
}

/// The claimable pot of a category: its category character and flag 1.
fn claimable_code(category: ChargeCategory) -> String {
    format!("{}1", category.chrgitem_char())
}

/// The lines of a visit: the items in order, then the CHA remainders in the order of their
/// first CHA row. `cha` is `None` when the set has no CHA file: the items stand alone.
pub(crate) fn lines(
    mut items: Vec<Item>,
    cha: Option<Vec<ChaRow>>,
    claim: &str,
) -> Result<Vec<(Line, Src)>, Diagnostic> {
    let Some(cha) = cha else {
        if let Some(item) = items.iter().find(|i| i.untyped.is_some()) {
            return Err(untyped_error(item, claim, "the set has no CHA file to take it from"));
        }
        return Ok(items.into_iter().map(|i| (i.line, i.src)).collect());
    };
    let mut pots: Vec<Pot> = Vec::new();
    for row in cha {
        if let Some(pot) = pots.iter_mut().find(|p| p.code == row.code) {
            pot.amount += row.amount;
            continue;
        }
        let ChrgItem::Charge { category, claimable } = row.item else {
            return Err(row.src.error(
                claim,
                DiagnosticKind::InvalidValue,
                "CHRGITEM",
                "K1 (พรบ.) names no charge category: kongtun takes the accident from AER and each charge by its category; export the charges by category (1-9, A-J)".into(),
            ));
        };
        pots.push(Pot {
            code: row.code,
            category,
            claimable,
            amount: row.amount,
            itemised: Money::ZERO,
            rows: 0,
            src: row.src,
            from_cha: true,
        });
    }
    for item in items.iter().filter(|i| i.untyped.is_none()) {
        let code = claimable_code(item.line.category);
        let charged = item.line.charged();
        match pots.iter_mut().find(|p| p.code == code) {
            Some(pot) => {
                pot.itemised += charged;
                pot.rows += 1;
            }
            None => pots.push(Pot {
                code,
                category: item.line.category,
                claimable: true,
                amount: Money::ZERO,
                itemised: charged,
                rows: 1,
                src: item.src.clone(),
                from_cha: false,
            }),
        }
    }
    place_untyped(&mut items, &mut pots, claim)?;
    for pot in &pots {
        if pot.left().is_negative() {
            return Err(over_summary(pot, claim));
        }
    }
    let mut out: Vec<(Line, Src)> = items.into_iter().map(|i| (i.line, i.src)).collect();
    for pot in pots.into_iter().filter(|p| !p.left().is_zero()) {
        let line = Line {
            code: format!("CHA-{}", pot.code),
            category: pot.category,
            qty: Decimal::ONE,
            price: pot.left(),
            date: None,
            claimable: pot.claimable,
            serial: None,
            amount: None,
        };
        out.push((line, pot.src));
    }
    Ok(out)
}

/// Gives the ADP rows of TYPE 1 and 3-8 the category of the claimable pot they fall under:
/// the only one with an amount left, or the only one whose amount left equals their total;
/// rows that charge nothing, the only claimable pot no other row itemises.
fn place_untyped(items: &mut [Item], pots: &mut [Pot], claim: &str) -> Result<(), Diagnostic> {
    let Some(first) = items.iter().find(|i| i.untyped.is_some()) else {
        return Ok(());
    };
    let total: Money = items.iter().filter(|i| i.untyped.is_some()).map(|i| i.line.charged()).sum();
    let claimable = |p: &Pot| p.claimable && p.from_cha;
    let mut candidates: Vec<usize> =
        (0..pots.len()).filter(|i| claimable(&pots[*i]) && pots[*i].left() > Money::ZERO).collect();
    if candidates.is_empty() && total.is_zero() {
        // Rows that charge nothing fit anywhere: they fall under the claimable CHA line that
        // no other row itemises (a writer's CHA G1 of 0.00 for a free category-16 item).
        candidates = (0..pots.len()).filter(|i| claimable(&pots[*i]) && pots[*i].rows == 0).collect();
    }
    let chosen = match candidates.as_slice() {
        [one] => *one,
        [] => {
            return Err(untyped_error(
                first,
                claim,
                "no claimable CHA line (flag 1) of this visit has an amount left for it",
            ))
        }
        many => {
            let exact: Vec<usize> = many.iter().copied().filter(|i| pots[*i].left() == total).collect();
            match exact.as_slice() {
                [one] => *one,
                _ => {
                    let listed: Vec<String> = many
                        .iter()
                        .map(|i| format!("{} ({} left)", pots[*i].code, pots[*i].left().grouped()))
                        .collect();
                    let why = format!(
                        "it could fall under any of {}, and the rows of TYPE 1 and 3-8 ({}) match none of them exactly",
                        listed.join(", "),
                        total.grouped()
                    );
                    return Err(untyped_error(first, claim, &why));
                }
            }
        }
    };
    let pot = &mut pots[chosen];
    for item in items.iter_mut().filter(|i| i.untyped.is_some()) {
        item.line.category = pot.category;
    }
    pot.itemised += total;
    Ok(())
}

fn untyped_error(item: &Item, claim: &str, why: &str) -> Diagnostic {
    let t = item.untyped.unwrap_or(0);
    item.src.error(
        claim,
        DiagnosticKind::InvalidValue,
        "TYPE",
        format!(
            "TYPE {t} takes the category of the CHA line it falls under, but {why}: give the row a TYPE that names its category (2, 9-20)"
        ),
    )
}

fn over_summary(pot: &Pot, claim: &str) -> Diagnostic {
    let n = pot.category.number();
    if pot.from_cha {
        pot.src.error(
            claim,
            DiagnosticKind::InvalidValue,
            "AMOUNT",
            format!(
                "CHA {} is {} but the ADP and DRU lines of category {n} come to {}: the items are above the summary",
                pot.code,
                pot.amount.grouped(),
                pot.itemised.grouped()
            ),
        )
    } else {
        pot.src.error(
            claim,
            DiagnosticKind::InvalidValue,
            "",
            format!(
                "the ADP and DRU lines of category {n} come to {} but CHA has no {} row for this visit (0.00): the items are above the summary",
                pot.itemised.grouped(),
                pot.code
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(line: u32) -> Src {
        Src { file: Arc::from("ADP.txt"), line, kind: FileKind::Adp }
    }

    fn item(category: i64, price: i64, untyped: Option<u8>, line: u32) -> Item {
        Item {
            line: Line {
                code: format!("X{line}"),
                category: ChargeCategory::new(category).unwrap(),
                qty: Decimal::ONE,
                price: Money::baht(price),
                date: None,
                claimable: true,
                serial: None,
                amount: None,
            },
            src: src(line),
            untyped,
        }
    }

    fn cha(code: &str, amount: i64, line: u32) -> ChaRow {
        ChaRow {
            item: ChrgItem::parse(code).unwrap(),
            code: code.to_string(),
            amount: Money::baht(amount),
            src: Src { file: Arc::from("CHA.txt"), line, kind: FileKind::Cha },
        }
    }

    #[test]
    fn remainders_follow_the_items() {
        let lines = lines(
            vec![item(2, 50_000, None, 2)],
            Some(vec![cha("21", 50_000, 2), cha("11", 3_000, 3), cha("32", 200, 4)]),
            "A",
        )
        .unwrap();
        let codes: Vec<(&str, String, bool)> =
            lines.iter().map(|(l, _)| (l.code.as_str(), l.charged().to_string(), l.claimable)).collect();
        assert_eq!(
            codes,
            vec![
                ("X2", "50000.00".into(), true),
                ("CHA-11", "3000.00".into(), true),
                ("CHA-32", "200.00".into(), false)
            ]
        );
    }

    #[test]
    fn items_above_the_summary_reject() {
        let e = lines(vec![item(2, 50_000, None, 2)], Some(vec![cha("21", 45_000, 7)]), "A").unwrap_err();
        assert_eq!(e.to_string(), "CHA.txt:7: claim A: AMOUNT: CHA 21 is 45,000.00 but the ADP and DRU lines of category 2 come to 50,000.00: the items are above the summary");
        let e = lines(vec![item(7, 100, None, 3)], Some(vec![]), "A").unwrap_err();
        assert!(
            e.to_string().starts_with(
                "ADP.txt:3: claim A: the ADP and DRU lines of category 7 come to 100.00 but CHA has no 71 row"
            ),
            "{e}"
        );
    }

    #[test]
    fn untyped_rows_fall_under_the_one_pot_left() {
        let out = lines(
            vec![item(7, 100, None, 1), item(1, 40, Some(3), 2)],
            Some(vec![cha("71", 100, 1), cha("G1", 40, 2)]),
            "A",
        )
        .unwrap();
        assert_eq!(out[1].0.category.number(), 16);
        assert_eq!(out.len(), 2);
        // Two pots left: the one whose amount left equals the rows' total.
        let out = lines(vec![item(1, 40, Some(5), 2)], Some(vec![cha("71", 100, 1), cha("B1", 40, 2)]), "A").unwrap();
        assert_eq!(out[0].0.category.number(), 11);
        let e = lines(vec![item(1, 40, Some(8), 2)], Some(vec![cha("71", 100, 1), cha("B1", 60, 2)]), "A").unwrap_err();
        assert!(e.to_string().contains("TYPE: TYPE 8 takes the category of the CHA line it falls under, but it could fall under any of 71 (100.00 left), B1 (60.00 left)"), "{e}");
        // A row that charges nothing: the claimable pot no other row itemises.
        let out = lines(
            vec![item(7, 100, None, 1), item(1, 0, Some(3), 2)],
            Some(vec![cha("71", 100, 1), cha("G1", 0, 2)]),
            "A",
        )
        .unwrap();
        assert_eq!(out[1].0.category.number(), 16);
        let e = lines(vec![item(1, 40, Some(1), 2)], None, "A").unwrap_err();
        assert!(e.to_string().contains("the set has no CHA file"), "{e}");
    }

    #[test]
    fn k1_is_refused_and_rows_of_one_chrgitem_add_up() {
        let e = lines(vec![], Some(vec![cha("K1", 100, 9)]), "A").unwrap_err();
        assert!(e.to_string().starts_with("CHA.txt:9: claim A: CHRGITEM: K1"), "{e}");
        let out = lines(vec![], Some(vec![cha("11", 100, 1), cha("11", 50, 2)]), "A").unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].0.price, Money::baht(150));
    }

    #[test]
    fn adp_types_both_ways() {
        for n in 1..=15 {
            let c = ChargeCategory::new(n).unwrap();
            if ![3, 4].contains(&n) {
                assert_eq!(adp_category(adp_type(c)), Some(c), "{n}");
            }
        }
        assert_eq!(adp_type(ChargeCategory::new(16).unwrap()), 3);
        for untyped in [1, 3, 4, 5, 6, 7, 8] {
            assert_eq!(adp_category(untyped), None);
        }
    }
}
