//! Figure expressions: how narrative claims and table lines name the figures they state.
//!
//! `op.ksf.trygghet@2021 - op.ksf.trygghet@2020`, `pct_change(a, b)`, `exp.cost < 0`.
//! This module parses expressions; evaluating them against a plan is `Plan::evaluate`.

use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// Which year a reference is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearSelector {
    Year(i32),
    /// "Budget tom": the accumulated budget before the budget year.
    Until,
}

/// A reference to a figure of the plan: a dotted path and an optional year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureRef {
    pub path: Vec<String>,
    pub year: Option<YearSelector>,
}

impl fmt::Display for FigureRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path.join("."))?;
        match self.year {
            Some(YearSelector::Year(year)) => write!(f, "@{year}"),
            Some(YearSelector::Until) => write!(f, "@tom"),
            None => Ok(()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// (b − a) / a × 100.
    PctChange,
    /// a / b × 100.
    SharePct,
}

impl Function {
    fn parse(name: &str) -> Option<Function> {
        match name {
            "pct_change" => Some(Function::PctChange),
            "share_pct" => Some(Function::SharePct),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

impl Comparison {
    pub fn holds(self, left: Decimal, right: Decimal) -> bool {
        match self {
            Comparison::Eq => left == right,
            Comparison::Ne => left != right,
            Comparison::Lt => left < right,
            Comparison::Gt => left > right,
            Comparison::Le => left <= right,
            Comparison::Ge => left >= right,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Eq => "==",
            Comparison::Ne => "!=",
            Comparison::Lt => "<",
            Comparison::Gt => ">",
            Comparison::Le => "<=",
            Comparison::Ge => ">=",
        }
    }
}

/// A numeric expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(Decimal),
    Ref(FigureRef),
    Negate(Box<Expr>),
    Binary(Box<Expr>, BinaryOp, Box<Expr>),
    Call(Function, Box<Expr>, Box<Expr>),
}

/// A numeric expression, or a comparison of two.
#[derive(Debug, Clone, PartialEq)]
pub enum Formula {
    Value(Expr),
    Compare(Expr, Comparison, Expr),
}

impl Expr {
    /// Every reference in the expression, in order.
    pub fn refs(&self) -> Vec<&FigureRef> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs<'a>(&'a self, out: &mut Vec<&'a FigureRef>) {
        match self {
            Expr::Number(_) => {}
            Expr::Ref(figure) => out.push(figure),
            Expr::Negate(inner) => inner.collect_refs(out),
            Expr::Binary(left, _, right) | Expr::Call(_, left, right) => {
                left.collect_refs(out);
                right.collect_refs(out);
            }
        }
    }
}

impl Expr {
    /// The expression with every reference that names no year given `year`: lets one
    /// reference on a table line (`op.fortroende`) serve each of the line's year columns.
    pub fn with_default_year(&self, year: i32) -> Expr {
        match self {
            Expr::Ref(figure) if figure.year.is_none() => Expr::Ref(FigureRef {
                path: figure.path.clone(),
                year: Some(YearSelector::Year(year)),
            }),
            Expr::Number(_) | Expr::Ref(_) => self.clone(),
            Expr::Negate(inner) => Expr::Negate(Box::new(inner.with_default_year(year))),
            Expr::Binary(left, op, right) => Expr::Binary(
                Box::new(left.with_default_year(year)),
                *op,
                Box::new(right.with_default_year(year)),
            ),
            Expr::Call(function, first, second) => Expr::Call(
                *function,
                Box::new(first.with_default_year(year)),
                Box::new(second.with_default_year(year)),
            ),
        }
    }
}

impl Formula {
    pub fn with_default_year(&self, year: i32) -> Formula {
        match self {
            Formula::Value(expr) => Formula::Value(expr.with_default_year(year)),
            Formula::Compare(left, comparison, right) => Formula::Compare(
                left.with_default_year(year),
                *comparison,
                right.with_default_year(year),
            ),
        }
    }

    pub fn refs(&self) -> Vec<&FigureRef> {
        match self {
            Formula::Value(expr) => expr.refs(),
            Formula::Compare(left, _, right) => {
                let mut refs = left.refs();
                refs.extend(right.refs());
                refs
            }
        }
    }
}

/// Why an expression could not be read; `offset` is the byte offset in the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (tecken {offset}) i uttrycket {text:?}")]
pub struct ExprError {
    pub text: String,
    pub offset: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(Decimal),
    Path(FigureRef),
    Ident(String),
    Plus,
    Minus,
    Comma,
    Open,
    Close,
    Compare(Comparison),
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token)>, (usize, String)> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let byte = bytes[i];
        let is_word = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_';
        match byte {
            b' ' | b'\t' => i += 1,
            b'+' => (tokens.push((start, Token::Plus)), i += 1).1,
            b'-' | b'(' | b')' | b',' => {
                let token = match byte {
                    b'-' => Token::Minus,
                    b'(' => Token::Open,
                    b')' => Token::Close,
                    _ => Token::Comma,
                };
                tokens.push((start, token));
                i += 1;
            }
            b'=' | b'!' | b'<' | b'>' => {
                let two = bytes.get(i + 1) == Some(&b'=');
                let comparison = match (byte, two) {
                    (b'=', true) => Comparison::Eq,
                    (b'!', true) => Comparison::Ne,
                    (b'<', true) => Comparison::Le,
                    (b'>', true) => Comparison::Ge,
                    (b'<', false) => Comparison::Lt,
                    (b'>', false) => Comparison::Gt,
                    _ => return Err((start, "okänt tecken, menade du ==?".into())),
                };
                tokens.push((start, Token::Compare(comparison)));
                i += if two { 2 } else { 1 };
            }
            b'0'..=b'9' => {
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                    i += 1;
                }
                let number = Decimal::from_str(&text[start..i])
                    .map_err(|_| (start, format!("ogiltigt tal {:?}", &text[start..i])))?;
                tokens.push((start, Token::Number(number)));
            }
            b'a'..=b'z' => {
                while i < bytes.len() && (is_word(bytes[i]) || bytes[i] == b'.') {
                    i += 1;
                }
                let path_text = &text[start..i];
                let mut year = None;
                if bytes.get(i) == Some(&b'@') {
                    i += 1;
                    let year_start = i;
                    while i < bytes.len() && is_word(bytes[i]) {
                        i += 1;
                    }
                    let year_text = &text[year_start..i];
                    year = Some(if year_text == "tom" {
                        YearSelector::Until
                    } else {
                        match year_text.parse::<i32>() {
                            Ok(y) if year_text.len() == 4 => YearSelector::Year(y),
                            _ => return Err((year_start, format!("ogiltigt år {year_text:?}"))),
                        }
                    });
                }
                let path: Vec<String> = path_text.split('.').map(str::to_owned).collect();
                if path.iter().any(String::is_empty) {
                    return Err((start, format!("ogiltig referens {path_text:?}")));
                }
                if year.is_none() && path.len() == 1 && bytes.get(i) == Some(&b'(') {
                    tokens.push((start, Token::Ident(path_text.to_owned())));
                } else {
                    tokens.push((start, Token::Path(FigureRef { path, year })));
                }
            }
            _ => {
                let shown = text[start..].chars().next().unwrap_or(' ');
                return Err((start, format!("oväntat tecken {shown:?}")));
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    position: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position).map(|(_, token)| token)
    }

    fn offset(&self) -> usize {
        self.tokens
            .get(self.position)
            .map_or(self.end, |(offset, _)| *offset)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.position).map(|(_, t)| t.clone());
        self.position += 1;
        token
    }

    fn expect(&mut self, wanted: Token, what: &str) -> Result<(), (usize, String)> {
        let offset = self.offset();
        match self.next() {
            Some(token) if token == wanted => Ok(()),
            _ => Err((offset, format!("väntade {what}"))),
        }
    }

    fn expr(&mut self) -> Result<Expr, (usize, String)> {
        let mut left = self.term()?;
        loop {
            let op = match self.peek() {
                Some(Token::Plus) => BinaryOp::Add,
                Some(Token::Minus) => BinaryOp::Sub,
                _ => return Ok(left),
            };
            self.position += 1;
            let right = self.term()?;
            left = Expr::Binary(Box::new(left), op, Box::new(right));
        }
    }

    fn term(&mut self) -> Result<Expr, (usize, String)> {
        let offset = self.offset();
        match self.next() {
            Some(Token::Number(number)) => Ok(Expr::Number(number)),
            Some(Token::Path(figure)) => Ok(Expr::Ref(figure)),
            Some(Token::Minus) => Ok(Expr::Negate(Box::new(self.term()?))),
            Some(Token::Open) => {
                let inner = self.expr()?;
                self.expect(Token::Close, "')'")?;
                Ok(inner)
            }
            Some(Token::Ident(name)) => {
                let function =
                    Function::parse(&name).ok_or((offset, format!("okänd funktion {name:?}")))?;
                self.expect(Token::Open, "'('")?;
                let first = self.expr()?;
                self.expect(Token::Comma, "','")?;
                let second = self.expr()?;
                self.expect(Token::Close, "')'")?;
                Ok(Expr::Call(function, Box::new(first), Box::new(second)))
            }
            _ => Err((offset, "väntade ett tal, en referens eller '('".into())),
        }
    }
}

/// Parses a formula: an expression, optionally compared with another.
pub fn parse_formula(text: &str) -> Result<Formula, ExprError> {
    let error = |(offset, message): (usize, String)| ExprError {
        text: text.to_owned(),
        offset,
        message,
    };
    let tokens = tokenize(text).map_err(error)?;
    let mut parser = Parser {
        tokens,
        position: 0,
        end: text.len(),
    };
    let left = parser.expr().map_err(error)?;
    let formula = match parser.peek() {
        Some(Token::Compare(comparison)) => {
            let comparison = *comparison;
            parser.position += 1;
            let right = parser.expr().map_err(error)?;
            Formula::Compare(left, comparison, right)
        }
        _ => Formula::Value(left),
    };
    if parser.position < parser.tokens.len() {
        return Err(error((parser.offset(), "oväntat efter uttrycket".into())));
    }
    Ok(formula)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(path: &str, year: i32) -> Expr {
        Expr::Ref(FigureRef {
            path: path.split('.').map(str::to_owned).collect(),
            year: Some(YearSelector::Year(year)),
        })
    }

    #[test]
    fn parses_difference_of_references() {
        let formula = parse_formula("op.ksf.trygghet@2021 - op.ksf.trygghet@2020").unwrap();
        assert_eq!(
            formula,
            Formula::Value(Expr::Binary(
                Box::new(figure("op.ksf.trygghet", 2021)),
                BinaryOp::Sub,
                Box::new(figure("op.ksf.trygghet", 2020)),
            ))
        );
    }

    #[test]
    fn parses_function_and_comparison() {
        let formula = parse_formula("pct_change(op.g.b@2020, op.g.b@2021) >= 2.0").unwrap();
        let Formula::Compare(Expr::Call(Function::PctChange, _, _), Comparison::Ge, right) =
            formula
        else {
            panic!("unexpected {formula:?}");
        };
        assert_eq!(right, Expr::Number(Decimal::new(20, 1)));
    }

    #[test]
    fn parses_until_selector_and_negation() {
        let formula = parse_formula("0 - exp.cost + inv.vattenplan@tom").unwrap();
        assert_eq!(formula.refs().len(), 2);
        assert_eq!(formula.refs()[1].year, Some(YearSelector::Until));
    }

    #[test]
    fn reports_offsets_of_errors() {
        let error = parse_formula("op.ksf@20x1").unwrap_err();
        assert_eq!(error.offset, 7);
        let error = parse_formula("op.a@2020 +").unwrap_err();
        assert_eq!(error.offset, 11);
        assert!(parse_formula("foo(1, 2)").is_err());
        assert!(parse_formula("1 = 2").is_err());
        assert!(parse_formula("op.a@2020 op.b@2020").is_err());
    }
}
