//! Tokens and syntax tree of rule expressions, parsed by recursive descent.
//!
//! ```text
//! expr  := and ("or" and)*
//! and   := not ("and" not)*
//! not   := "not" not | cmp
//! cmp   := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum | "in" list)?
//! sum   := prod (("+" | "-") prod)*
//! prod  := unary (("*" | "/") unary)*
//! unary := "-" unary | atom
//! atom  := number | "text" | 'text' | true | false | name("." name)* | name "(" args ")"
//!        | "(" expr ")" | "[" expr ("," expr)* "]"
//! ```
//! Nesting is limited to [`MAX_NESTING`], the height of the tree (long operator chains
//! such as `1 + 1 + ... + 1` included) to [`MAX_HEIGHT`] and length to [`MAX_LEN`]
//! characters, so no expression can exhaust the stack when it is checked, compiled or run.

use rust_decimal::Decimal;

/// Deepest nesting of parentheses, lists, `not` and unary minus.
pub const MAX_NESTING: usize = 32;
/// Highest syntax tree accepted: operators in a chain count one level each, since the
/// checker and the compiled evaluator recurse once per level.
pub const MAX_HEIGHT: u16 = 128;
/// Longest expression accepted, in characters.
pub const MAX_LEN: usize = 4_000;

/// A syntax error at a character offset in the expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Offset in characters from the start of the expression.
    pub at: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `and`
    And,
    /// `or`
    Or,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
}

/// A syntax tree node with its offset.
#[derive(Clone, Debug, PartialEq)]
pub struct Ast {
    /// What it is.
    pub kind: AstKind,
    /// Offset in characters.
    pub at: usize,
    /// Levels from this node down to its deepest leaf (a leaf is 1).
    pub height: u16,
}

impl Ast {
    fn children_height(kind: &AstKind) -> u16 {
        match kind {
            AstKind::Num(_) | AstKind::Text(_) | AstKind::Bool(_) | AstKind::Name(_) => 0,
            AstKind::Not(a) | AstKind::Neg(a) => a.height,
            AstKind::Binary(_, a, b) | AstKind::In(a, b) => a.height.max(b.height),
            AstKind::Call(_, args) | AstKind::List(args) => args.iter().map(|a| a.height).max().unwrap_or(0),
        }
    }
}

/// Syntax tree node kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum AstKind {
    /// A number literal.
    Num(Decimal),
    /// A text literal.
    Text(String),
    /// `true` / `false`.
    Bool(bool),
    /// A name: `tka_ceiling` (a parameter) or `line.code` (a field).
    Name(String),
    /// A function call.
    Call(String, Vec<Ast>),
    /// A list literal.
    List(Vec<Ast>),
    /// `not x`
    Not(Box<Ast>),
    /// `-x`
    Neg(Box<Ast>),
    /// `a op b`
    Binary(BinOp, Box<Ast>, Box<Ast>),
    /// `a in [..]`
    In(Box<Ast>, Box<Ast>),
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(Decimal),
    Text(String),
    Word(String),
    Sym(&'static str),
    End,
}

struct Lexer {
    toks: Vec<(Tok, usize)>,
}

fn lex(src: &str) -> Result<Lexer, SyntaxError> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == '_') {
                i += 1;
            }
            let text: String = chars[start..i].iter().filter(|c| **c != '_').collect();
            let n = Decimal::from_str_exact(&text)
                .map_err(|_| SyntaxError { at: start, message: format!("`{text}` is not a number") })?;
            toks.push((Tok::Num(n), start));
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                i += 1;
            }
            toks.push((Tok::Word(chars[start..i].iter().collect()), start));
            continue;
        }
        if c == '"' || c == '\'' {
            i += 1;
            let mut text = String::new();
            while i < chars.len() && chars[i] != c {
                text.push(chars[i]);
                i += 1;
            }
            if i >= chars.len() {
                return Err(SyntaxError { at: start, message: format!("text starting here has no closing {c}") });
            }
            i += 1;
            toks.push((Tok::Text(text), start));
            continue;
        }
        let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
        let sym = match two.as_str() {
            "==" | "!=" | "<=" | ">=" => {
                i += 2;
                match two.as_str() {
                    "==" => "==",
                    "!=" => "!=",
                    "<=" => "<=",
                    _ => ">=",
                }
            }
            _ => {
                i += 1;
                match c {
                    '<' => "<",
                    '>' => ">",
                    '+' => "+",
                    '-' => "-",
                    '*' => "*",
                    '/' => "/",
                    '(' => "(",
                    ')' => ")",
                    '[' => "[",
                    ']' => "]",
                    ',' => ",",
                    '=' => {
                        return Err(SyntaxError {
                            at: start,
                            message: "`=` is not an operator: write `==` to compare".into(),
                        })
                    }
                    '&' | '|' | '!' => {
                        return Err(SyntaxError {
                            at: start,
                            message: format!("`{c}` is not an operator: write `and`, `or`, `not`"),
                        })
                    }
                    other => return Err(SyntaxError { at: start, message: format!("unexpected character `{other}`") }),
                }
            }
        };
        toks.push((Tok::Sym(sym), start));
    }
    toks.push((Tok::End, chars.len()));
    Ok(Lexer { toks })
}

/// Parses an expression into a syntax tree.
pub fn parse(src: &str) -> Result<Ast, SyntaxError> {
    if src.chars().count() > MAX_LEN {
        return Err(SyntaxError { at: 0, message: format!("expression longer than {MAX_LEN} characters") });
    }
    let lexer = lex(src)?;
    let mut p = Parser { toks: &lexer.toks, pos: 0, depth: 0 };
    let ast = p.expr()?;
    match p.peek() {
        Tok::End => Ok(ast),
        tok => Err(p.error(format!("unexpected {}: expected an operator or the end", describe(tok)))),
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Num(n) => format!("number {n}"),
        Tok::Text(t) => format!("text \"{t}\""),
        Tok::Word(w) => format!("`{w}`"),
        Tok::Sym(s) => format!("`{s}`"),
        Tok::End => "end of expression".into(),
    }
}

struct Parser<'a> {
    toks: &'a [(Tok, usize)],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].0
    }

    fn at(&self) -> usize {
        self.toks[self.pos.min(self.toks.len() - 1)].1
    }

    fn bump(&mut self) -> (Tok, usize) {
        let t = self.toks[self.pos.min(self.toks.len() - 1)].clone();
        self.pos += 1;
        t
    }

    fn error(&self, message: String) -> SyntaxError {
        SyntaxError { at: self.at(), message }
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Word(x) if x == w)
    }

    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Tok::Sym(x) if *x == s)
    }

    fn expect_sym(&mut self, s: &str) -> Result<(), SyntaxError> {
        if self.is_sym(s) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected `{s}`, found {}", describe(self.peek()))))
        }
    }

    fn nest(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error(format!("expression nested deeper than {MAX_NESTING} levels")));
        }
        Ok(())
    }

    /// Every node is built here, so that no tree grows higher than [`MAX_HEIGHT`].
    fn node(&self, kind: AstKind, at: usize) -> Result<Ast, SyntaxError> {
        let height = Ast::children_height(&kind).saturating_add(1);
        if height > MAX_HEIGHT {
            return Err(SyntaxError {
                at,
                message: format!(
                    "expression has more than {MAX_HEIGHT} levels of operators: split it, or use `in [...]` for a list of values"
                ),
            });
        }
        Ok(Ast { kind, at, height })
    }

    fn binary(&self, op: BinOp, l: Ast, r: Ast) -> Result<Ast, SyntaxError> {
        let at = l.at;
        self.node(AstKind::Binary(op, Box::new(l), Box::new(r)), at)
    }

    fn expr(&mut self) -> Result<Ast, SyntaxError> {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.pos += 1;
            let right = self.and()?;
            left = self.binary(BinOp::Or, left, right)?;
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Ast, SyntaxError> {
        let mut left = self.not()?;
        while self.is_word("and") {
            self.pos += 1;
            let right = self.not()?;
            left = self.binary(BinOp::And, left, right)?;
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Ast, SyntaxError> {
        if self.is_word("not") {
            let at = self.at();
            self.pos += 1;
            self.nest()?;
            let inner = self.not()?;
            self.depth -= 1;
            return self.node(AstKind::Not(Box::new(inner)), at);
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Result<Ast, SyntaxError> {
        let left = self.sum()?;
        let op = match self.peek() {
            Tok::Sym("==") => BinOp::Eq,
            Tok::Sym("!=") => BinOp::Ne,
            Tok::Sym("<") => BinOp::Lt,
            Tok::Sym("<=") => BinOp::Le,
            Tok::Sym(">") => BinOp::Gt,
            Tok::Sym(">=") => BinOp::Ge,
            Tok::Word(w) if w == "in" => {
                self.pos += 1;
                let at = left.at;
                let list = self.sum()?;
                return self.node(AstKind::In(Box::new(left), Box::new(list)), at);
            }
            _ => return Ok(left),
        };
        self.pos += 1;
        let right = self.sum()?;
        if matches!(self.peek(), Tok::Sym("==" | "!=" | "<" | "<=" | ">" | ">=")) {
            return Err(self.error("comparisons do not chain: join them with `and`".into()));
        }
        self.binary(op, left, right)
    }

    fn sum(&mut self) -> Result<Ast, SyntaxError> {
        let mut left = self.prod()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("+") => BinOp::Add,
                Tok::Sym("-") => BinOp::Sub,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = self.prod()?;
            left = self.binary(op, left, right)?;
        }
    }

    fn prod(&mut self) -> Result<Ast, SyntaxError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("*") => BinOp::Mul,
                Tok::Sym("/") => BinOp::Div,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = self.unary()?;
            left = self.binary(op, left, right)?;
        }
    }

    fn unary(&mut self) -> Result<Ast, SyntaxError> {
        if self.is_sym("-") {
            let at = self.at();
            self.pos += 1;
            self.nest()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return self.node(AstKind::Neg(Box::new(inner)), at);
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Ast, SyntaxError> {
        let (tok, at) = self.bump();
        let kind = match tok {
            Tok::Num(n) => AstKind::Num(n),
            Tok::Text(t) => AstKind::Text(t),
            Tok::Word(w) if w == "true" => AstKind::Bool(true),
            Tok::Word(w) if w == "false" => AstKind::Bool(false),
            Tok::Word(w) if matches!(w.as_str(), "and" | "or" | "not" | "in") => {
                return Err(SyntaxError { at, message: format!("`{w}` needs a value before it") })
            }
            Tok::Word(w) if self.is_sym("(") => {
                self.pos += 1;
                self.nest()?;
                let mut args = Vec::new();
                if !self.is_sym(")") {
                    loop {
                        args.push(self.expr()?);
                        if !self.is_sym(",") {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                self.expect_sym(")")?;
                self.depth -= 1;
                AstKind::Call(w, args)
            }
            Tok::Word(w) => AstKind::Name(w),
            Tok::Sym("(") => {
                self.nest()?;
                let inner = self.expr()?;
                self.expect_sym(")")?;
                self.depth -= 1;
                return Ok(inner);
            }
            Tok::Sym("[") => {
                self.nest()?;
                let mut items = Vec::new();
                if !self.is_sym("]") {
                    loop {
                        items.push(self.expr()?);
                        if !self.is_sym(",") {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                self.expect_sym("]")?;
                self.depth -= 1;
                AstKind::List(items)
            }
            other => {
                return Err(SyntaxError { at, message: format!("expected a value, found {}", describe(&other)) });
            }
        };
        self.node(kind, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence() {
        let ast = parse("a or b and not c").unwrap();
        let AstKind::Binary(BinOp::Or, _, right) = ast.kind else { panic!("{ast:?}") };
        assert!(matches!(right.kind, AstKind::Binary(BinOp::And, _, _)));
        let ast = parse("1 + 2 * 3 > 4").unwrap();
        let AstKind::Binary(BinOp::Gt, left, _) = ast.kind else { panic!() };
        assert!(matches!(left.kind, AstKind::Binary(BinOp::Add, _, _)));
    }

    #[test]
    fn errors_have_offsets() {
        assert_eq!(parse("line.qty = 2").unwrap_err().at, 9);
        assert_eq!(parse("line.qty > ").unwrap_err().at, 11);
        assert!(parse("a && b").unwrap_err().message.contains("`and`"));
        assert!(parse("\"open").unwrap_err().message.contains("closing"));
        assert!(parse("1 < 2 < 3").unwrap_err().message.contains("chain"));
        assert!(parse("f(1, 2").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep).is_err());
        let deep = "not ".repeat(MAX_NESTING + 1) + "true";
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
        let fine = "not ".repeat(MAX_NESTING - 1) + "true";
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn long_operator_chains_are_refused_not_overflowed() {
        let terms = usize::from(MAX_HEIGHT) - 2;
        let fine = format!("{}1 > 0", "1 + ".repeat(terms));
        assert!(parse(&fine).is_ok(), "{:?}", parse(&fine));
        let long = format!("{}1 > 0", "1+".repeat(1_500));
        let err = parse(&long).unwrap_err();
        assert!(err.message.contains("more than 128 levels"), "{}", err.message);
        assert!(parse(&format!("{}false", "line.qty > 1 or ".repeat(300))).is_err());
    }
}
