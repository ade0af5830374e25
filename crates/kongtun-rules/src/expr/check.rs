//! Type checking and compiling: a syntax tree becomes an [`Expr`] with every name resolved
//! (fields to [`Field`], parameters to their values, table outputs to an index), or a
//! [`CompileError`] at the offending character.

use super::syntax::{self, Ast, AstKind, BinOp};
use super::{normalise_code, Arith, Cmp, CodePattern, CompileError, Expr, Field, Per, Scope, Type};
use kongtun_core::calendar::parse_date;

/// Compiles an expression's text, checking names and types; `want` is the type it must have.
/// Compiles an expression's text, checking names and types; `want` is the type it must
/// have (`None`: any type). Returns the expression and its type.
pub fn compile(src: &str, want: Option<Type>, scope: &mut Scope<'_>) -> Result<(Expr, Type), CompileError> {
    let ast = syntax::parse(src).map_err(|e| CompileError { at: e.at, message: e.message })?;
    let (expr, ty) = check(&ast, scope)?;
    match want {
        Some(want) if ty != want => {
            Err(CompileError { at: 0, message: format!("expected {want}, but this expression is {ty}") })
        }
        _ => Ok((expr, ty)),
    }
}

fn err<T>(at: usize, message: impl Into<String>) -> Result<T, CompileError> {
    Err(CompileError { at, message: message.into() })
}

/// ` (did you mean `x`?)` for the known name closest to `word`, or nothing.
fn closest<'n>(word: &str, names: impl Iterator<Item = &'n str>) -> String {
    match kongtun_core::suggest::closest(word, names, 3) {
        Some(n) => format!(" (did you mean `{n}`?)"),
        None => String::new(),
    }
}

fn check(ast: &Ast, scope: &mut Scope<'_>) -> Result<(Expr, Type), CompileError> {
    let at = ast.at;
    Ok(match &ast.kind {
        AstKind::Num(n) => (Expr::Num(*n), Type::Num),
        AstKind::Text(t) => (Expr::Text(t.as_str().into()), Type::Text),
        AstKind::Bool(b) => (Expr::Bool(*b), Type::Bool),
        AstKind::Name(name) => resolve(name, at, scope)?,
        AstKind::Not(inner) => {
            let e = check_as(inner, Type::Bool, "`not`", scope)?;
            (Expr::Not(Box::new(e)), Type::Bool)
        }
        AstKind::Neg(inner) => {
            let e = check_as(inner, Type::Num, "`-`", scope)?;
            (Expr::Neg(Box::new(e)), Type::Num)
        }
        AstKind::Binary(op @ (BinOp::And | BinOp::Or), l, r) => {
            let what = format!("`{}`", op.symbol());
            let (l, r) = (check_as(l, Type::Bool, &what, scope)?, check_as(r, Type::Bool, &what, scope)?);
            let flatten = |e: Expr, out: &mut Vec<Expr>| match (op, e) {
                (BinOp::And, Expr::And(items)) | (BinOp::Or, Expr::Or(items)) => out.extend(items.into_vec()),
                (_, e) => out.push(e),
            };
            let mut items = Vec::new();
            flatten(l, &mut items);
            flatten(r, &mut items);
            let items = items.into_boxed_slice();
            (if *op == BinOp::And { Expr::And(items) } else { Expr::Or(items) }, Type::Bool)
        }
        AstKind::Binary(op @ (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div), l, r) => {
            let what = format!("`{}`", op.symbol());
            let (l, r) = (check_as(l, Type::Num, &what, scope)?, check_as(r, Type::Num, &what, scope)?);
            let a = match op {
                BinOp::Add => Arith::Add,
                BinOp::Sub => Arith::Sub,
                BinOp::Mul => Arith::Mul,
                _ => Arith::Div,
            };
            (Expr::Arith(a, Box::new(l), Box::new(r)), Type::Num)
        }
        AstKind::Binary(op, l, r) => compare(*op, l, r, at, scope)?,
        AstKind::In(l, list) => member(l, list, scope)?,
        AstKind::List(_) => return err(at, "a list can only follow `in` or be a function argument"),
        AstKind::Call(name, args) => call(name, args, at, scope)?,
    })
}

fn check_as(ast: &Ast, want: Type, what: &str, scope: &mut Scope<'_>) -> Result<Expr, CompileError> {
    let (e, ty) = check(ast, scope)?;
    if ty != want {
        return err(ast.at, format!("{what} needs {want}, found {ty}"));
    }
    Ok(e)
}

fn resolve(name: &str, at: usize, scope: &mut Scope<'_>) -> Result<(Expr, Type), CompileError> {
    if name.contains('.') {
        let Some(field) = Field::by_name(name) else {
            return err(
                at,
                format!(
                    "unknown field `{name}`{}; fields are: {}",
                    closest(name, Field::names()),
                    Field::names().collect::<Vec<_>>().join(", ")
                ),
            );
        };
        if field.is_line() && scope.per == Per::Claim {
            return err(at, format!("`{name}` is a line field, but this expression is evaluated once per claim"));
        }
        return Ok((Expr::Field(field), field.ty()));
    }
    if let Some(i) = scope.outputs.iter().position(|o| o == name) {
        return Ok((Expr::Output(i), Type::Num));
    }
    if let Some((_, value)) = scope.params.iter().find(|(n, _)| n == name) {
        scope.used.insert(name.to_string());
        return Ok((Expr::Param(std::sync::Arc::from(name), *value), Type::Num));
    }
    let known = scope.params.iter().map(|(n, _)| n.as_str()).chain(scope.outputs.iter().map(String::as_str));
    let hint = closest(name, known);
    err(
        at,
        format!(
            "unknown parameter `{name}`{hint}: declare it under `params:`, or write a field as `claim.x` / `line.x`"
        ),
    )
}

fn compare(op: BinOp, l: &Ast, r: &Ast, at: usize, scope: &mut Scope<'_>) -> Result<(Expr, Type), CompileError> {
    let (le, lt) = check(l, scope)?;
    let (re, rt) = check(r, scope)?;
    if lt != rt {
        return err(at, format!("cannot compare {lt} with {rt} using `{}`", op.symbol()));
    }
    let cmp = match op {
        BinOp::Eq => Cmp::Eq,
        BinOp::Ne => Cmp::Ne,
        BinOp::Lt => Cmp::Lt,
        BinOp::Le => Cmp::Le,
        BinOp::Gt => Cmp::Gt,
        _ => Cmp::Ge,
    };
    let ordered = !matches!(cmp, Cmp::Eq | Cmp::Ne);
    if ordered && !matches!(lt, Type::Num | Type::Date) {
        return err(at, format!("`{}` orders numbers and dates; {lt} can only use `==` and `!=`", op.symbol()));
    }
    if lt == Type::Codes {
        return err(at, "compare code lists with has_code(list, \"code\")");
    }
    for (field_side, other) in [(&le, &re), (&re, &le)] {
        if let (Expr::Field(f), Expr::Text(t)) = (field_side, other) {
            check_closed_value(*f, t, at)?;
        }
    }
    Ok((Expr::Compare(cmp, Box::new(le), Box::new(re)), Type::Bool))
}

/// `claim.setting == "opd"` can never be true: say so when the pack loads.
fn check_closed_value(field: Field, text: &str, at: usize) -> Result<(), CompileError> {
    let values = field.values();
    if !values.is_empty() && !values.contains(&text) {
        return err(at, format!("`{}` is never \"{text}\": it is one of {}", field.name(), values.join(", ")));
    }
    Ok(())
}

fn member(l: &Ast, list: &Ast, scope: &mut Scope<'_>) -> Result<(Expr, Type), CompileError> {
    let (le, lt) = check(l, scope)?;
    let AstKind::List(items) = &list.kind else {
        return err(list.at, "`in` needs a list of values: x in [\"a\", \"b\"]");
    };
    match lt {
        Type::Text => {
            let mut texts = Vec::new();
            for item in items {
                let AstKind::Text(t) = &item.kind else {
                    return err(item.at, "the list after `in` must hold text values, like \"HD\"");
                };
                if let Expr::Field(f) = &le {
                    check_closed_value(*f, t, item.at)?;
                }
                texts.push(Box::from(t.as_str()));
            }
            Ok((Expr::InText(Box::new(le), texts.into_boxed_slice()), Type::Bool))
        }
        Type::Num => {
            let mut nums = Vec::new();
            for item in items {
                match check(item, scope)? {
                    (Expr::Num(n) | Expr::Param(_, n), _) => nums.push(n),
                    _ => return err(item.at, "the list after `in` must hold numbers or parameters"),
                }
            }
            Ok((Expr::InNum(Box::new(le), nums.into_boxed_slice()), Type::Bool))
        }
        other => err(l.at, format!("`in` works on text and numbers, not {other}")),
    }
}

fn field_arg(args: &[Ast], i: usize, scope: &mut Scope<'_>) -> Result<Field, CompileError> {
    match args.get(i).map(|a| (check(a, scope), a.at)) {
        Some((Ok((Expr::Field(f), _)), _)) => Ok(f),
        Some((Err(e), _)) => Err(e),
        Some((Ok(_), at)) => err(at, "expected a field such as claim.adj_rw"),
        None => err(0, "missing argument"),
    }
}

fn text_literal(arg: Option<&Ast>, fname: &str) -> Result<String, CompileError> {
    match arg {
        Some(Ast { kind: AstKind::Text(t), .. }) => Ok(t.clone()),
        Some(a) => err(a.at, format!("{fname} needs a text literal here, like \"81.54\"")),
        None => err(0, format!("{fname} is missing an argument")),
    }
}

fn call(name: &str, args: &[Ast], at: usize, scope: &mut Scope<'_>) -> Result<(Expr, Type), CompileError> {
    let arity = |n: usize| -> Result<(), CompileError> {
        if args.len() == n {
            Ok(())
        } else {
            err(at, format!("{name} takes {n} argument(s), found {}", args.len()))
        }
    };
    Ok(match name {
        "present" => {
            arity(1)?;
            (Expr::Present(field_arg(args, 0, scope)?), Type::Bool)
        }
        "count" => {
            arity(1)?;
            let f = field_arg(args, 0, scope)?;
            if f.ty() != Type::Codes {
                return err(args[0].at, "count needs a list: claim.diagnoses or claim.procedures");
            }
            (Expr::Count(f), Type::Num)
        }
        "has_code" => {
            if args.len() < 2 {
                return err(at, "has_code needs a list and at least one code: has_code(claim.procedures, \"81.54\")");
            }
            let f = field_arg(args, 0, scope)?;
            if f.ty() != Type::Codes {
                return err(args[0].at, "has_code needs a list: claim.diagnoses or claim.procedures");
            }
            let mut patterns = Vec::new();
            for a in &args[1..] {
                patterns.push(code_pattern(&text_literal(Some(a), "has_code")?, a.at)?);
            }
            (Expr::HasCode(f, patterns.into_boxed_slice()), Type::Bool)
        }
        "starts_with" => {
            arity(2)?;
            let e = check_as(&args[0], Type::Text, "starts_with", scope)?;
            let prefix = text_literal(args.get(1), "starts_with")?;
            (Expr::StartsWith(Box::new(e), prefix.into()), Type::Bool)
        }
        "days_between" => {
            arity(2)?;
            let a = check_as(&args[0], Type::Date, "days_between", scope)?;
            let b = check_as(&args[1], Type::Date, "days_between", scope)?;
            (Expr::DaysBetween(Box::new(a), Box::new(b)), Type::Num)
        }
        "date" => {
            arity(1)?;
            let text = text_literal(args.first(), "date")?;
            match parse_date(&text) {
                Ok(d) => (Expr::Date(d), Type::Date),
                Err(e) => return err(args[0].at, e.to_string()),
            }
        }
        "min" | "max" => {
            arity(2)?;
            let a = check_as(&args[0], Type::Num, name, scope)?;
            let b = check_as(&args[1], Type::Num, name, scope)?;
            let op = if name == "min" { Arith::Min } else { Arith::Max };
            (Expr::Arith(op, Box::new(a), Box::new(b)), Type::Num)
        }
        other => {
            const FUNCTIONS: [&str; 8] =
                ["present", "has_code", "starts_with", "count", "days_between", "date", "min", "max"];
            return err(
                at,
                format!(
                    "unknown function `{other}`{}; functions are: {}",
                    closest(other, FUNCTIONS.into_iter()),
                    FUNCTIONS.join(", ")
                ),
            );
        }
    })
}

fn code_pattern(text: &str, at: usize) -> Result<CodePattern, CompileError> {
    if let Some(prefix) = text.strip_suffix('*') {
        return Ok(CodePattern::Prefix(normalise_code(prefix).into()));
    }
    if let Some((lo, hi)) = text.split_once('-') {
        let (lo, hi) = (normalise_code(lo), normalise_code(hi));
        if lo.len() != hi.len() || lo.is_empty() || lo > hi {
            return err(at, format!("range \"{text}\" needs two codes of one length, low first, like \"V01-V89\""));
        }
        return Ok(CodePattern::Range(lo.into(), hi.into()));
    }
    Ok(CodePattern::Exact(normalise_code(text).into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn compile_claim(src: &str) -> Result<Expr, CompileError> {
        let params = vec![("tka_ceiling".to_string(), Decimal::from(49800))];
        compile(src, Some(Type::Bool), &mut Scope::new(&params, Per::Line)).map(|(e, _)| e)
    }

    #[test]
    fn type_errors_are_load_errors() {
        let e = compile_claim("claim.setting > 3").unwrap_err();
        assert!(e.message.contains("cannot compare text with a number"), "{}", e.message);
        let e = compile_claim("claim.setting == \"opd\"").unwrap_err();
        assert!(e.message.contains("one of op, ip"), "{}", e.message);
        let e = compile_claim("line.prize > 1").unwrap_err();
        assert!(e.message.contains("did you mean `line.price`"), "{}", e.message);
        let e = compile_claim("line.price > tka_ceilng").unwrap_err();
        assert!(e.message.contains("did you mean `tka_ceiling`"), "{}", e.message);
        assert_eq!(e.at, 13);
        let e = compile_claim("line.price + 1").unwrap_err();
        assert!(e.message.contains("expected true/false"), "{}", e.message);
        let e = compile_claim("has_code(claim.procedures, \"V89-V01\")").unwrap_err();
        assert!(e.message.contains("low first"), "{}", e.message);
        let params = vec![];
        let e = compile("line.code == \"X\"", Some(Type::Bool), &mut Scope::new(&params, Per::Claim)).unwrap_err();
        assert!(e.message.contains("line field"), "{}", e.message);
    }

    #[test]
    fn code_patterns() {
        let p = code_pattern("V01-V89", 0).unwrap();
        assert!(p.matches("V01") && p.matches("v89.9") && p.matches("V435") && !p.matches("V00") && !p.matches("V90"));
        assert!(!p.matches("V0"));
        let p = code_pattern("81.54", 0).unwrap();
        assert!(p.matches("8154") && p.matches("81.54") && !p.matches("81.5"));
        let p = code_pattern("S72*", 0).unwrap();
        assert!(p.matches("S72.0") && !p.matches("S73"));
    }
}
