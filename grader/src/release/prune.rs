//! [`prune_suite`]: a suite's source with its hidden tests cut out, and with
//! them everything only they used (helpers, constants, types, methods,
//! imports), so the released grader carries no hidden test code and
//! compiles without warnings.
//!
//! The suite is parsed with `syn`; the cuts are made in the original text
//! (by the byte ranges of the parsed items), so what stays keeps its
//! comments and layout. What a hidden test used is found by name: an item
//! stays when its name is still mentioned by something that stays, which
//! may keep a little too much but never too little. Anything the pruning
//! does not recognise (a hidden test defined outside the `vec![...]` of
//! `tests()`) is an error rather than a leak.
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{Expr, ImplItem, Item, Token, UseTree, Visibility};

/// A suite without its hidden tests.
#[derive(Debug, Clone)]
pub struct Pruned {
    /// The source that remains.
    pub text: String,
    /// The hidden tests removed, in the suite's order.
    pub hidden: Vec<String>,
    /// The visible tests kept, in the suite's order.
    pub visible: Vec<String>,
}

/// Why a suite could not be pruned.
#[derive(Debug, thiserror::Error)]
pub enum PruneError {
    /// The source does not parse.
    #[error("does not parse: {0}")]
    Parse(String),
    /// The suite is not laid out as the pruning expects.
    #[error("{0}")]
    Layout(String),
}

/// Cuts the hidden tests out of a suite's source (see the module's doc).
pub fn prune_suite(source: &str) -> Result<Pruned, PruneError> {
    let source = &replace_module_doc(source)?;
    let file = syn::parse_file(source).map_err(|e| PruneError::Parse(e.to_string()))?;
    let mut nodes = Vec::new();
    let mut cuts: Vec<Range<usize>> = Vec::new();
    let mut roots = Refs::default();
    let mut tests_fn = None;
    for item in &file.items {
        let range = tokens_range(item.to_token_stream());
        if is_cfg_test(item_attrs(item)) {
            cuts.push(range);
            continue;
        }
        match item {
            Item::Use(_) => {}
            Item::Fn(f) if f.sig.ident == "tests" => tests_fn = Some((f, range)),
            _ if !matches!(item_vis(item), None | Some(Visibility::Inherited)) => {
                roots.add_item(item, &[]);
            }
            Item::Fn(f) => nodes.push(Node::free(&f.sig.ident, item, range)),
            Item::Const(c) => nodes.push(Node::free(&c.ident, item, range)),
            Item::Static(s) => nodes.push(Node::free(&s.ident, item, range)),
            Item::Struct(s) => nodes.push(Node::free(&s.ident, item, range)),
            Item::Enum(e) => nodes.push(Node::free(&e.ident, item, range)),
            Item::Type(t) => nodes.push(Node::free(&t.ident, item, range)),
            Item::Macro(m) if m.ident.is_some() => {
                let ident = m.ident.as_ref().expect("checked");
                nodes.push(Node::free(ident, item, range));
            }
            Item::Impl(imp) => add_impl(imp, range, &mut nodes)?,
            _ => roots.add_item(item, &[]),
        }
    }
    let Some((tests_fn, _)) = tests_fn else {
        return Err(PruneError::Layout("has no `fn tests()`".into()));
    };
    let list = test_list(tests_fn)?;
    let hidden_ranges: Vec<Range<usize>> = list
        .iter()
        .filter(|e| e.hidden)
        .map(|e| e.cut.clone())
        .collect();
    roots.add_item(&Item::Fn(tests_fn.clone()), &hidden_ranges);
    cuts.extend(hidden_ranges.iter().cloned());
    if list.iter().all(|e| e.hidden) {
        return Err(PruneError::Layout("has no visible test".into()));
    }
    // Every mention of `TestDef::hidden` must be one of the list's entries.
    let mentions = source.matches("TestDef::hidden").count();
    let listed = list.iter().filter(|e| e.hidden).count();
    if mentions != listed {
        return Err(PruneError::Layout(format!(
            "mentions `TestDef::hidden` {mentions} times, but its `tests()` list has {listed} \
             hidden tests: define every test in the `vec![...]` of `tests()`"
        )));
    }

    let kept = reachable(&nodes, roots);
    for (node, kept) in nodes.iter().zip(&kept) {
        if !kept {
            cuts.push(node.range.clone());
        }
    }
    // An inherent impl all of whose methods go, goes whole.
    let mut impls: Vec<(Range<usize>, bool)> = Vec::new();
    for (node, kept) in nodes.iter().zip(&kept) {
        if let Kind::Method { impl_range } = &node.kind {
            match impls.iter_mut().find(|(r, _)| r == impl_range) {
                Some((_, any)) => *any |= kept,
                None => impls.push((impl_range.clone(), *kept)),
            }
        }
    }
    cuts.extend(impls.into_iter().filter(|(_, any)| !any).map(|(r, _)| r));

    let text = cut(source, cuts);
    let text = prune_imports(&text, &mentions_outside_imports(&file))?;
    let text = tidy(&text);
    Ok(Pruned {
        text,
        hidden: list
            .iter()
            .filter(|e| e.hidden)
            .map(|e| e.name.clone())
            .collect(),
        visible: list
            .iter()
            .filter(|e| !e.hidden)
            .map(|e| e.name.clone())
            .collect(),
    })
}

/// The suite's module documentation describes its hidden tests too: it
/// becomes one line naming the suite and saying that only its visible tests
/// are here.
fn replace_module_doc(source: &str) -> Result<String, PruneError> {
    let file = syn::parse_file(source).map_err(|e| PruneError::Parse(e.to_string()))?;
    let docs: Vec<&syn::Attribute> = file
        .attrs
        .iter()
        .filter(|a| matches!(a.style, syn::AttrStyle::Inner(_)) && a.path().is_ident("doc"))
        .collect();
    let Some(first) = docs.first() else {
        return Ok(source.to_string());
    };
    let first_line = match &first.meta {
        syn::Meta::NameValue(syn::MetaNameValue {
            value:
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }),
            ..
        }) => s.value(),
        _ => String::new(),
    };
    let subject = match first_line.trim().split_once(": ") {
        Some((head, _)) if head.starts_with("Suite of") => head.to_string(),
        _ => "This suite".to_string(),
    };
    let range = docs
        .iter()
        .map(|a| tokens_range(a.to_token_stream()))
        .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
        .expect("at least one doc line");
    Ok(format!(
        "{}//! {subject}: its visible tests only.\n\
         //! The course's hidden tests are not in this repository.{}",
        &source[..range.start],
        &source[range.end..]
    ))
}

/// An item that stays only when something that stays mentions it.
struct Node {
    /// The name it defines.
    name: String,
    kind: Kind,
    /// Its text, attributes and doc comments included.
    range: Range<usize>,
    /// What it mentions.
    refs: Refs,
}

enum Kind {
    /// A function, constant, static, type or macro of the module.
    Free,
    /// A method of an inherent impl of the type `Node::name`'s impl.
    Method {
        /// The impl's text.
        impl_range: Range<usize>,
    },
    /// An impl (of a trait, or a whole inherent impl without methods):
    /// stays with its type.
    Impl,
}

impl Node {
    fn free(ident: &syn::Ident, item: &Item, range: Range<usize>) -> Node {
        let mut refs = Refs::default();
        refs.add_item(item, &[]);
        Node {
            name: ident.to_string(),
            kind: Kind::Free,
            range,
            refs,
        }
    }
}

/// The type an impl is for, and its nodes: one per method of an inherent
/// impl (its other items stay with the type), the whole impl otherwise.
fn add_impl(
    imp: &syn::ItemImpl,
    range: Range<usize>,
    nodes: &mut Vec<Node>,
) -> Result<(), PruneError> {
    let syn::Type::Path(ty) = &*imp.self_ty else {
        return Err(PruneError::Layout(
            "has an impl for a type that is not a path".into(),
        ));
    };
    let ty_name = ty
        .path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default();
    let none = HashSet::new();
    let mut shell = Refs::default();
    shell.add(imp.generics.to_token_stream(), &[], &none);
    shell.add(imp.self_ty.to_token_stream(), &[], &none);
    if imp.trait_.is_some() || !imp.items.iter().any(|i| matches!(i, ImplItem::Fn(_))) {
        let mut refs = Refs::default();
        let locals = bindings(|v| syn::visit::visit_item_impl(v, imp));
        refs.add(imp.to_token_stream(), &[], &locals);
        nodes.push(Node {
            name: ty_name,
            kind: Kind::Impl,
            range,
            refs,
        });
        return Ok(());
    }
    for item in &imp.items {
        let mut refs = Refs::default();
        let locals = bindings(|v| syn::visit::visit_impl_item(v, item));
        refs.add(item.to_token_stream(), &[], &locals);
        refs.extend(&shell);
        match item {
            ImplItem::Fn(f) => nodes.push(Node {
                name: format!("{ty_name}::{}", f.sig.ident),
                kind: Kind::Method {
                    impl_range: range.clone(),
                },
                range: tokens_range(item.to_token_stream()),
                refs,
            }),
            // Associated constants and types stay with their type.
            _ => nodes.push(Node {
                name: ty_name.clone(),
                kind: Kind::Impl,
                range: 0..0,
                refs,
            }),
        }
    }
    Ok(())
}

/// The names a piece of code mentions, counted: as a path, a value or a
/// call (`free`), after a single dot as a method or field (`member`), or as
/// a macro invoked (`macros`, also counted in `free`).
#[derive(Default, Clone)]
struct Refs {
    free: HashMap<String, usize>,
    member: HashMap<String, usize>,
    macros: HashMap<String, usize>,
}

impl Refs {
    /// Adds what an item mentions; in a function, a lowercase name it binds
    /// itself (a variable, a parameter) is not a mention of an item of the
    /// module, unless it is called.
    fn add_item(&mut self, item: &Item, skip: &[Range<usize>]) {
        let locals = match item {
            Item::Fn(f) => bindings(|v| syn::visit::visit_item_fn(v, f)),
            _ => HashSet::new(),
        };
        self.add(item.to_token_stream(), skip, &locals);
    }

    /// Adds what the tokens mention, leaving out those inside `skip` and the
    /// `locals` of their function.
    fn add(&mut self, tokens: TokenStream, skip: &[Range<usize>], locals: &HashSet<String>) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let punct = |i: usize| match trees.get(i) {
            Some(TokenTree::Punct(p)) => Some((p.as_char(), p.spacing())),
            _ => None,
        };
        for (i, tree) in trees.iter().enumerate() {
            let at = tree.span().byte_range();
            if skip.iter().any(|r| r.start <= at.start && at.end <= r.end) {
                continue;
            }
            match tree {
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    let before = i.checked_sub(1).and_then(punct);
                    let before2 = i.checked_sub(2).and_then(punct);
                    let after_one_dot = matches!(before, Some(('.', _)))
                        && !matches!(before2, Some(('.', Spacing::Joint)));
                    let is_macro = matches!(punct(i + 1), Some(('!', _)));
                    let is_path = matches!(punct(i + 1), Some((':', Spacing::Joint)))
                        && matches!(punct(i + 2), Some((':', _)));
                    let called = is_macro
                        || is_path
                        || matches!(trees.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
                    if after_one_dot {
                        *self.member.entry(name).or_default() += 1;
                    } else if called || !locals.contains(&name) {
                        if is_macro {
                            *self.macros.entry(name.clone()).or_default() += 1;
                        }
                        *self.free.entry(name).or_default() += 1;
                    }
                }
                TokenTree::Group(g) => self.add(g.stream(), skip, locals),
                TokenTree::Literal(lit) => self.add_format_args(&lit.to_string(), locals),
                TokenTree::Punct(_) => {}
            }
        }
    }

    /// The names a format string captures (`"{name}"`, `"{name:>5}"`).
    fn add_format_args(&mut self, literal: &str, locals: &HashSet<String>) {
        let mut rest = literal;
        while let Some(open) = rest.find('{') {
            rest = &rest[open + 1..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let name = &rest[..end];
            let closes = rest[end..].starts_with('}') || rest[end..].starts_with(':');
            if closes
                && !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && !locals.contains(name)
            {
                *self.free.entry(name.to_string()).or_default() += 1;
            }
        }
    }

    fn mentions(&self, name: &str) -> bool {
        self.free.contains_key(name) || self.member.contains_key(name)
    }

    fn extend(&mut self, other: &Refs) {
        for (mine, theirs) in [
            (&mut self.free, &other.free),
            (&mut self.member, &other.member),
            (&mut self.macros, &other.macros),
        ] {
            for (name, n) in theirs {
                *mine.entry(name.clone()).or_default() += n;
            }
        }
    }
}

/// The lowercase names a function binds (variables, parameters, closure
/// parameters, names in patterns). Uppercase names in patterns are
/// constants or variants, not bindings.
fn bindings(visit: impl FnOnce(&mut Bindings)) -> HashSet<String> {
    let mut b = Bindings(HashSet::new());
    visit(&mut b);
    b.0
}

struct Bindings(HashSet<String>);

impl<'ast> syn::visit::Visit<'ast> for Bindings {
    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        let name = p.ident.to_string();
        if name.starts_with(|c: char| c.is_lowercase() || c == '_') {
            self.0.insert(name);
        }
        syn::visit::visit_pat_ident(self, p);
    }
}

/// Which nodes stay: those mentioned, transitively, by the roots.
fn reachable(nodes: &[Node], roots: Refs) -> Vec<bool> {
    let mut kept = vec![false; nodes.len()];
    let mut refs = roots;
    loop {
        let mut changed = false;
        for (i, node) in nodes.iter().enumerate() {
            if kept[i] {
                continue;
            }
            let stays = match &node.kind {
                Kind::Free | Kind::Impl => refs.free.contains_key(&node.name),
                Kind::Method { .. } => {
                    let (ty, method) = node.name.split_once("::").expect("a method's name");
                    refs.free.contains_key(ty) && refs.mentions(method)
                }
            };
            if stays {
                kept[i] = true;
                changed = true;
                refs.extend(&node.refs);
            }
        }
        if !changed {
            return kept;
        }
    }
}

/// One entry of the `vec![...]` of `tests()`.
struct Entry {
    name: String,
    hidden: bool,
    /// The text that removes it: from after the previous comma to after its own.
    cut: Range<usize>,
}

/// The entries of the `vec![...]` that `tests()` returns.
fn test_list(tests_fn: &syn::ItemFn) -> Result<Vec<Entry>, PruneError> {
    let mut macros = Vec::new();
    find_vec_macros(tests_fn.block.to_token_stream(), &mut macros);
    let [mac] = macros.as_slice() else {
        return Err(PruneError::Layout(format!(
            "`tests()` must build its list in one `vec![...]`, it has {}",
            macros.len()
        )));
    };
    let (open, body) = mac;
    let entries = syn::parse::Parser::parse2(
        Punctuated::<Expr, Token![,]>::parse_terminated,
        body.clone(),
    )
    .map_err(|e| PruneError::Layout(format!("the list of `tests()`: {e}")))?;
    let mut out = Vec::new();
    let mut start = *open;
    for pair in entries.pairs() {
        let expr = pair.value();
        let mut end = tokens_range(expr.to_token_stream()).end;
        if let Some(comma) = pair.punct() {
            end = comma.span.byte_range().end;
        }
        let (name, hidden) = classify(expr)?;
        out.push(Entry {
            name,
            hidden,
            cut: start..end,
        });
        start = end;
    }
    Ok(out)
}

/// Finds each `vec![...]` in `tokens`: the end of its opening bracket and its body.
fn find_vec_macros(tokens: TokenStream, found: &mut Vec<(usize, TokenStream)>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        if let TokenTree::Group(g) = tree {
            let is_vec = i >= 2
                && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '!')
                && matches!(&trees[i - 2], TokenTree::Ident(id) if id == "vec");
            if is_vec && g.delimiter() == Delimiter::Bracket {
                found.push((g.span_open().byte_range().end, g.stream()));
            } else {
                find_vec_macros(g.stream(), found);
            }
        }
    }
}

/// The name of a test entry and whether it is hidden: the entry is a
/// chain of calls on `TestDef::visible(NAME, ..)` or `TestDef::hidden(NAME, ..)`.
fn classify(expr: &Expr) -> Result<(String, bool), PruneError> {
    let text = || expr.to_token_stream().to_string();
    let mut e = expr;
    while let Expr::MethodCall(m) = e {
        e = &m.receiver;
    }
    let unknown = || {
        PruneError::Layout(format!(
            "cannot tell whether the test `{}` is visible or hidden: write it as \
             `TestDef::visible(NAME, ..)` or `TestDef::hidden(NAME, ..)`",
            text()
        ))
    };
    let Expr::Call(call) = e else {
        return Err(unknown());
    };
    let Expr::Path(path) = &*call.func else {
        return Err(unknown());
    };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let hidden = match segments.as_slice() {
        [.., ty, f] if ty == "TestDef" && f == "hidden" => true,
        [.., ty, f] if ty == "TestDef" && f == "visible" => false,
        _ => return Err(unknown()),
    };
    let name = match call.args.first() {
        Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        })) => s.value(),
        _ => return Err(unknown()),
    };
    Ok((name, hidden))
}

/// Removes the `cuts` from `source`, each widened to whole lines (with the
/// plain comments just above it and one blank line around it).
fn cut(source: &str, cuts: Vec<Range<usize>>) -> String {
    let mut ranges: Vec<Range<usize>> = cuts
        .into_iter()
        .filter(|r| r.start < r.end)
        .map(|r| widen(source, r))
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for r in merged {
        out.push_str(&source[at..r.start]);
        at = r.end;
    }
    out.push_str(&source[at..]);
    out
}

/// Widens a cut that starts a line to whole lines, with the comment lines
/// right above it and the blank line before it; a cut inside a line is kept.
fn widen(source: &str, r: Range<usize>) -> Range<usize> {
    let line_start = source[..r.start].rfind('\n').map_or(0, |i| i + 1);
    if !source[line_start..r.start].trim().is_empty() {
        return r;
    }
    let mut start = line_start;
    // Plain comments right above belong to the item.
    while start > 0 {
        let prev_start = source[..start - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = source[prev_start..start - 1].trim_start();
        if line.starts_with("//") && !line.starts_with("//!") {
            start = prev_start;
        } else {
            break;
        }
    }
    let mut end = r.end;
    let rest = &source[end..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[spaces..].starts_with('\n') {
        end += spaces + 1;
    }
    // One blank line goes with it when it sits between blank lines (or
    // before the end of the block).
    let blank_before = source[..start].ends_with("\n\n");
    let after = &source[end..];
    let next = after.trim_start_matches([' ', '\t']);
    if blank_before && (after.starts_with('\n') || after.is_empty() || next.starts_with('}')) {
        start -= 1;
    }
    start..end
}

/// What the items of a file other than its imports mention.
fn mentions_outside_imports(file: &syn::File) -> Refs {
    let mut refs = Refs::default();
    for item in &file.items {
        if !matches!(item, Item::Use(_)) {
            refs.add_item(item, &[]);
        }
    }
    refs
}

/// Drops the section headers left without items: top-level blocks of plain
/// `//` comments, alone between blank lines, followed by another such block
/// or by the end of the file (with the blank lines after them).
fn tidy(text: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let blank = |l: &str| l.trim().is_empty();
    let is_comment =
        |l: &str| l.starts_with("//") && !l.starts_with("///") && !l.starts_with("//!");
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if is_comment(lines[i]) && (i == 0 || blank(lines[i - 1])) {
            let start = i;
            while i < lines.len() && is_comment(lines[i]) {
                i += 1;
            }
            if i == lines.len() || blank(lines[i]) {
                blocks.push(start..i);
            }
        } else {
            i += 1;
        }
    }
    let mut dropped = vec![false; lines.len()];
    for block in &blocks {
        let mut next = block.end;
        while next < lines.len() && blank(lines[next]) {
            next += 1;
        }
        if next == lines.len() || blocks.iter().any(|b| b.start == next) {
            for d in &mut dropped[block.start..next] {
                *d = true;
            }
        }
    }
    let mut out: String = lines
        .iter()
        .zip(dropped)
        .filter(|(_, dropped)| !dropped)
        .map(|(line, _)| *line)
        .collect();
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Removes the imports that the remaining code no longer uses; `before`
/// is what the code mentioned before the cuts.
fn prune_imports(source: &str, before: &Refs) -> Result<String, PruneError> {
    let file = syn::parse_file(source)
        .map_err(|e| PruneError::Layout(format!("the pruned suite does not parse: {e}")))?;
    let used = Used {
        now: mentions_outside_imports(&file),
        before,
    };
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for item in &file.items {
        let Item::Use(u) = item else { continue };
        if !u.attrs.is_empty() || !matches!(u.vis, Visibility::Inherited) {
            continue;
        }
        let original = u.tree.to_token_stream().to_string();
        let mut unsure = Vec::new();
        let pruned = prune_tree(&u.tree, None, "", &used, &mut unsure);
        let range = tokens_range(item.to_token_stream());
        let mut text = match &pruned {
            None => String::new(),
            Some(tree) if tree.to_token_stream().to_string() == original => continue,
            Some(tree) => render_use(tree),
        };
        // An import the remaining code may or may not need (a trait whose
        // methods both the cut and the remaining code call) stays, allowed
        // to be unused.
        for path in unsure {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&format!("#[allow(unused_imports)]\nuse {path};"));
        }
        edits.push((range, text));
    }
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    edits.sort_by_key(|(r, _)| r.start);
    for (r, text) in edits {
        let r = if text.is_empty() { widen(source, r) } else { r };
        out.push_str(&source[at..r.start]);
        out.push_str(&text);
        at = r.end;
    }
    out.push_str(&source[at..]);
    Ok(out)
}

/// A trait imported for its methods (and macros, written with `!`): those
/// only it has, and those other types have too (`Ctx::write` is not
/// `Write::write`).
struct TraitMethods {
    name: &'static str,
    own: &'static [&'static str],
    shared: &'static [&'static str],
}

const TRAITS: &[TraitMethods] = &[
    TraitMethods {
        name: "Read",
        own: &["read_exact", "read_to_end", "read_to_string"],
        shared: &["read", "bytes", "take", "chain", "by_ref"],
    },
    TraitMethods {
        name: "Write",
        own: &["write_all", "flush", "write_fmt", "write!", "writeln!"],
        shared: &["write", "by_ref"],
    },
    TraitMethods {
        name: "BufRead",
        own: &["read_line", "read_until", "fill_buf", "consume"],
        shared: &["lines", "split"],
    },
    TraitMethods {
        name: "Seek",
        own: &["seek", "rewind", "stream_position", "seek_relative"],
        shared: &[],
    },
    TraitMethods {
        name: "AsRawFd",
        own: &["as_raw_fd"],
        shared: &[],
    },
    TraitMethods {
        name: "AsFd",
        own: &["as_fd"],
        shared: &[],
    },
    TraitMethods {
        name: "IntoRawFd",
        own: &["into_raw_fd"],
        shared: &[],
    },
    TraitMethods {
        name: "FromRawFd",
        own: &["from_raw_fd"],
        shared: &[],
    },
    TraitMethods {
        name: "OsStrExt",
        own: &["from_bytes"],
        shared: &["as_bytes"],
    },
    TraitMethods {
        name: "PermissionsExt",
        own: &["set_mode", "from_mode"],
        shared: &["mode"],
    },
    TraitMethods {
        name: "MetadataExt",
        own: &["blocks", "blksize", "ino", "nlink"],
        shared: &["mode", "dev", "uid", "gid", "size"],
    },
    TraitMethods {
        name: "FileTypeExt",
        own: &["is_fifo", "is_socket", "is_block_device", "is_char_device"],
        shared: &[],
    },
    TraitMethods {
        name: "CommandExt",
        own: &["pre_exec", "arg0"],
        shared: &["exec", "process_group"],
    },
    TraitMethods {
        name: "ExitStatusExt",
        own: &["core_dumped", "stopped_signal"],
        shared: &["signal"],
    },
    TraitMethods {
        name: "ResultExt",
        own: &["context"],
        shared: &[],
    },
];

/// What the code mentions after the cuts, and before.
struct Used<'a> {
    now: Refs,
    before: &'a Refs,
}

/// Whether the remaining code needs an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// It mentions the name, or calls the trait's methods as often as before.
    Yes,
    /// It no longer mentions the name, nor calls the trait's methods.
    No,
    /// It calls some of the trait's methods, which the cut code called too.
    Unsure,
}

/// Whether the remaining code needs an imported name. A name the code
/// never mentioned, even before the cuts, is a trait imported for its
/// methods (or unused all along).
fn need(name: &str, used: &Used<'_>) -> Need {
    if used.now.mentions(name) {
        return Need::Yes;
    }
    let calls = |refs: &Refs, methods: &[&str]| -> usize {
        methods
            .iter()
            .map(|m| match m.strip_suffix('!') {
                Some(mac) => refs.macros.get(mac).copied().unwrap_or(0),
                None => refs.member.get(*m).copied().unwrap_or(0),
            })
            .sum()
    };
    match TRAITS.iter().find(|t| t.name == name) {
        Some(t) if calls(&used.now, t.own) > 0 => Need::Yes,
        Some(t) => match (calls(&used.now, t.shared), calls(used.before, t.shared)) {
            (0, _) => Need::No,
            (now, before) if now == before && calls(used.before, t.own) == 0 => Need::Yes,
            _ => Need::Unsure,
        },
        None if used.before.mentions(name) => Need::No,
        None if used.now.member == used.before.member && used.now.macros == used.before.macros => {
            Need::Yes
        }
        None => Need::Unsure,
    }
}

/// The use tree without the names the code no longer needs, `None` when
/// nothing is left; the full paths of those it may need go to `unsure`.
fn prune_tree(
    tree: &UseTree,
    parent: Option<&syn::Ident>,
    prefix: &str,
    used: &Used<'_>,
    unsure: &mut Vec<String>,
) -> Option<UseTree> {
    let mut decide = |name: &syn::Ident, text: String| match need(&name.to_string(), used) {
        Need::Yes => true,
        Need::No => false,
        Need::Unsure => {
            unsure.push(format!("{prefix}{text}"));
            false
        }
    };
    match tree {
        UseTree::Path(p) => {
            let prefix = format!("{prefix}{}::", p.ident);
            let sub = prune_tree(&p.tree, Some(&p.ident), &prefix, used, unsure)?;
            if let UseTree::Group(g) = &sub {
                if matches!(g.items.first(), Some(UseTree::Name(n)) if n.ident == "self" && g.items.len() == 1)
                {
                    return Some(UseTree::Name(syn::UseName {
                        ident: p.ident.clone(),
                    }));
                }
            }
            let mut p = p.clone();
            *p.tree = sub;
            Some(UseTree::Path(p))
        }
        UseTree::Name(n) if n.ident == "self" => {
            let parent = parent?;
            decide(parent, "self".into()).then(|| tree.clone())
        }
        UseTree::Name(n) => decide(&n.ident, n.ident.to_string()).then(|| tree.clone()),
        UseTree::Rename(r) => {
            decide(&r.rename, format!("{} as {}", r.ident, r.rename)).then(|| tree.clone())
        }
        UseTree::Glob(_) => Some(tree.clone()),
        UseTree::Group(g) => {
            let items: Vec<UseTree> = g
                .items
                .iter()
                .filter_map(|t| prune_tree(t, parent, prefix, used, unsure))
                .collect();
            match items.len() {
                0 => None,
                1 if !matches!(&items[0], UseTree::Name(n) if n.ident == "self") => {
                    items.into_iter().next()
                }
                _ => {
                    let mut g = g.clone();
                    g.items = items.into_iter().collect();
                    Some(UseTree::Group(g))
                }
            }
        }
    }
}

/// A use item as rustfmt would write it: on one line, or its last group
/// broken over lines when the line would be longer than 100 characters.
fn render_use(tree: &UseTree) -> String {
    let one_line = format!("use {};", use_text(tree));
    if one_line.len() <= 100 {
        return one_line;
    }
    let mut prefix = String::new();
    let mut t = tree;
    while let UseTree::Path(p) = t {
        prefix.push_str(&format!("{}::", p.ident));
        t = &p.tree;
    }
    let UseTree::Group(g) = t else {
        return one_line;
    };
    let mut lines = vec![format!("use {prefix}{{")];
    let mut line = String::from("   ");
    for item in &g.items {
        let piece = format!(" {},", use_text(item));
        if line.len() + piece.len() > 100 {
            lines.push(std::mem::replace(&mut line, String::from("   ")));
        }
        line.push_str(&piece);
    }
    lines.push(line);
    lines.push("};".into());
    lines.join("\n")
}

/// A use tree written out: `a::b::{c, d as e, *}`.
fn use_text(tree: &UseTree) -> String {
    match tree {
        UseTree::Path(p) => format!("{}::{}", p.ident, use_text(&p.tree)),
        UseTree::Name(n) => n.ident.to_string(),
        UseTree::Rename(r) => format!("{} as {}", r.ident, r.rename),
        UseTree::Glob(_) => "*".into(),
        UseTree::Group(g) => {
            let items: Vec<String> = g.items.iter().map(use_text).collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// The byte range a piece of parsed source covers.
fn tokens_range(tokens: TokenStream) -> Range<usize> {
    let mut range: Option<Range<usize>> = None;
    for tree in tokens {
        let r = tree.span().byte_range();
        range = Some(match range {
            None => r,
            Some(all) => all.start.min(r.start)..all.end.max(r.end),
        });
    }
    range.unwrap_or(0..0)
}

fn item_attrs(item: &Item) -> &[syn::Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

fn item_vis(item: &Item) -> Option<&Visibility> {
    match item {
        Item::Const(i) => Some(&i.vis),
        Item::Enum(i) => Some(&i.vis),
        Item::Fn(i) => Some(&i.vis),
        Item::Mod(i) => Some(&i.vis),
        Item::Static(i) => Some(&i.vis),
        Item::Struct(i) => Some(&i.vis),
        Item::Trait(i) => Some(&i.vis),
        Item::Type(i) => Some(&i.vis),
        _ => None,
    }
}

/// Whether the attributes hold `#[cfg(test)]`.
fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: &str = r#"//! Suite of `demo ARG`: a visible check, and a hidden one with a helper.
use std::io::{self, Write};
use std::time::Duration;

use crate::harness::{Ctx, ResultExt, Rng, TestDef, TestResult};

/// Shared by both tests.
const SHARED: &str = "shared";

/// Only the hidden test's data.
const SECRET_DATA: &[&str] = &["only-the-hidden-test-knows"];

/// The tests.
pub fn tests() -> Vec<TestDef> {
    vec![
        TestDef::visible("visible_check", 2, visible_check),
        TestDef::hidden("hidden_check", 3, hidden_check).timeout(Duration::from_secs(9)),
    ]
}

struct Helper;

impl Helper {
    fn used(&self) -> &'static str {
        SHARED
    }

    fn only_hidden(&self, rng: &mut Rng) -> String {
        rng.choose(SECRET_DATA).to_string()
    }
}

fn visible_check(t: &mut Ctx) -> TestResult {
    let words = Helper.used();
    t.write("a.txt", words)?;
    io::stdout().flush().map_err(crate::harness::Failure::grader)?;
    t.run(&["a.txt"]).context("visible")?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Hidden tests

/// A helper only the hidden test calls.
fn words(rng: &mut Rng) -> String {
    Helper.only_hidden(rng)
}

fn hidden_check(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    t.write("b.txt", words(&mut rng))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_are_words() {}
}
"#;

    #[test]
    fn hidden_tests_and_what_only_they_use_are_cut() {
        let pruned = prune_suite(SUITE).unwrap();
        let text = &pruned.text;
        assert_eq!(pruned.hidden, ["hidden_check"]);
        assert_eq!(pruned.visible, ["visible_check"]);
        for gone in [
            "hidden_check",
            "only-the-hidden-test-knows",
            "SECRET_DATA",
            "fn words",
            "only_hidden",
            "Hidden tests",
            "Rng",
            "Duration",
            "words_are_words",
            "a hidden one",
        ] {
            assert!(!text.contains(gone), "`{gone}` is still there:\n{text}");
        }
        for kept in [
            "const SHARED",
            "fn used",
            "struct Helper",
            "fn visible_check",
            "use std::io::{self, Write};",
            "use crate::harness::{Ctx, ResultExt, TestDef, TestResult};",
            "//! Suite of `demo ARG`: its visible tests only.",
        ] {
            assert!(text.contains(kept), "`{kept}` is gone:\n{text}");
        }
        assert!(!text.contains("\n\n\n"), "{text}");
        assert!(text.ends_with("}\n"), "{text}");
        // What is left still parses.
        syn::parse_file(text).unwrap();
    }

    #[test]
    fn a_suite_without_hidden_tests_keeps_its_code() {
        let source = SUITE.replace(
            "TestDef::hidden(\"hidden_check\", 3, hidden_check)",
            "TestDef::visible(\"hidden_check\", 3, hidden_check)",
        );
        let pruned = prune_suite(&source).unwrap();
        assert!(pruned.hidden.is_empty());
        assert!(pruned.text.contains("only-the-hidden-test-knows"));
        assert!(pruned
            .text
            .contains("use crate::harness::{Ctx, ResultExt, Rng, TestDef, TestResult};"));
    }

    #[test]
    fn a_test_defined_elsewhere_is_refused_rather_than_leaked() {
        let source = SUITE.replace(
            "struct Helper;",
            "fn more() -> TestDef { TestDef::hidden(\"sneaky\", 1, hidden_check) }\n\nstruct Helper;",
        );
        let err = prune_suite(&source).unwrap_err().to_string();
        assert!(err.contains("TestDef::hidden"), "{err}");
        let source = SUITE.replace(
            "TestDef::visible(\"visible_check\", 2, visible_check),",
            "make(\"visible_check\"),",
        );
        let err = prune_suite(&source).unwrap_err().to_string();
        assert!(err.contains("cannot tell"), "{err}");
    }

    #[test]
    fn a_trait_the_remaining_code_may_need_is_kept_and_allowed() {
        // `t.write` may be `Write::write` or a method of the context: the
        // import stays, allowed to be unused.
        let source = SUITE.replace(
            "    io::stdout().flush().map_err(crate::harness::Failure::grader)?;\n",
            "",
        )
        .replace(
            "    Ok(())\n}\n\n#[cfg(test)]",
            "    io::stdout().flush().map_err(crate::harness::Failure::grader)?;\n    Ok(())\n}\n\n#[cfg(test)]",
        );
        let pruned = prune_suite(&source).unwrap();
        let text = &pruned.text;
        assert!(
            text.contains("\n#[allow(unused_imports)]\nuse std::io::Write;\n"),
            "{text}"
        );
        // `io` itself is no longer used at all.
        assert!(!text.contains("use std::io;"), "{text}");
    }
}
