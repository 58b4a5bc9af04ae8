//! Terraform addresses as typed values: module instance paths, resources, resource instances,
//! and their unexpanded configuration forms.
//!
//! Printing and parsing follow Terraform's `internal/addrs` exactly: string instance keys are
//! written as HCL quoted strings (so a printed address parses back), and the ordering of
//! [`ResourceInstance`] is the order `terraform state list` prints. Nothing here does I/O.

use std::cmp::Ordering;
use std::fmt::{self, Display, Write as _};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The key of one instance of a resource or module expanded by `count` or `for_each`.
///
/// The derived order (no key, then integers, then strings) is Terraform's `InstanceKeyLess`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum InstanceKey {
    #[default]
    None,
    Int(i64),
    Str(String),
}

impl InstanceKey {
    pub fn is_none(&self) -> bool {
        matches!(self, InstanceKey::None)
    }
}

impl Display for InstanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceKey::None => Ok(()),
            InstanceKey::Int(i) => write!(f, "[{i}]"),
            InstanceKey::Str(s) => {
                f.write_char('[')?;
                f.write_str(&hcl_quote(s))?;
                f.write_char(']')
            }
        }
    }
}

/// Whether a resource is managed (`resource`) or read (`data`).
///
/// Declared data-first so that the derived order sorts data resources before managed ones,
/// as Terraform does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Data,
    Managed,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Data => "data",
            Mode::Managed => "managed",
        }
    }
}

/// One step of a module instance path: `module.NAME[KEY]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleStep {
    pub name: String,
    pub key: InstanceKey,
}

/// An expanded module path such as `module.jobs["a"].module.inner`. Empty for the root module.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct ModuleInstance(pub Vec<ModuleStep>);

impl ModuleInstance {
    pub fn root() -> Self {
        ModuleInstance(Vec::new())
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn child(&self, name: impl Into<String>, key: InstanceKey) -> Self {
        let mut steps = self.0.clone();
        steps.push(ModuleStep {
            name: name.into(),
            key,
        });
        ModuleInstance(steps)
    }

    /// The unexpanded module path (instance keys dropped).
    pub fn config_path(&self) -> ModulePath {
        ModulePath(self.0.iter().map(|s| s.name.clone()).collect())
    }
}

impl Ord for ModuleInstance {
    /// Shorter paths first, then step by step on name and key (Terraform's `ModuleInstance.Less`).
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for ModuleInstance {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Display for ModuleInstance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_char('.')?;
            }
            write!(f, "module.{}{}", step.name, step.key)?;
        }
        Ok(())
    }
}

/// A resource within a module, without instance key: `data.google_project.current`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Resource {
    pub mode: Mode,
    pub type_name: String,
    pub name: String,
}

impl Resource {
    pub fn managed(type_name: impl Into<String>, name: impl Into<String>) -> Self {
        Resource {
            mode: Mode::Managed,
            type_name: type_name.into(),
            name: name.into(),
        }
    }

    pub fn data(type_name: impl Into<String>, name: impl Into<String>) -> Self {
        Resource {
            mode: Mode::Data,
            type_name: type_name.into(),
            name: name.into(),
        }
    }
}

impl Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mode == Mode::Data {
            f.write_str("data.")?;
        }
        write!(f, "{}.{}", self.type_name, self.name)
    }
}

/// A resource inside an expanded module instance, without its own instance key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AbsResource {
    pub module: ModuleInstance,
    pub resource: Resource,
}

impl AbsResource {
    pub fn instance(&self, key: InstanceKey) -> ResourceInstance {
        ResourceInstance {
            module: self.module.clone(),
            resource: self.resource.clone(),
            key,
        }
    }
}

impl Display for AbsResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.module.is_root() {
            write!(f, "{}.", self.module)?;
        }
        write!(f, "{}", self.resource)
    }
}

/// A fully expanded resource instance address, as `terraform state list` prints it:
/// `module.jobs["quality-check"].google_cloud_scheduler_job.this[0]`.
///
/// The order is Terraform's `AbsResourceInstance.Less`: module depth, module path, data before
/// managed, type, name, key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceInstance {
    pub module: ModuleInstance,
    pub resource: Resource,
    pub key: InstanceKey,
}

impl ResourceInstance {
    pub fn abs_resource(&self) -> AbsResource {
        AbsResource {
            module: self.module.clone(),
            resource: self.resource.clone(),
        }
    }

    pub fn config_resource(&self) -> ConfigResource {
        ConfigResource {
            module: self.module.config_path(),
            resource: self.resource.clone(),
        }
    }
}

impl Display for ResourceInstance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.module.is_root() {
            write!(f, "{}.", self.module)?;
        }
        write!(f, "{}{}", self.resource, self.key)
    }
}

/// An unexpanded module path from the configuration: `module.jobs.module.inner`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ModulePath(pub Vec<String>);

impl ModulePath {
    pub fn root() -> Self {
        ModulePath(Vec::new())
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn child(&self, name: impl Into<String>) -> Self {
        let mut v = self.0.clone();
        v.push(name.into());
        ModulePath(v)
    }
}

impl Display for ModulePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, name) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_char('.')?;
            }
            write!(f, "module.{name}")?;
        }
        Ok(())
    }
}

/// A resource block as declared in configuration, before `count` / `for_each` expansion.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConfigResource {
    pub module: ModulePath,
    pub resource: Resource,
}

impl Display for ConfigResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.module.is_root() {
            write!(f, "{}.", self.module)?;
        }
        write!(f, "{}", self.resource)
    }
}

/// Where a `moved` or `removed` block points, relative to the module that declares it
/// (Terraform's `MoveEndpoint`): a module call, a module instance, a resource or a resource
/// instance. `module.a` and `aws_x.a` name the whole call or resource unless the other endpoint
/// of the block has a key; then they name the instance without a key, as
/// Terraform's `UnifyMoveEndpoints` decides.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MoveEndpoint {
    /// Every instance of a module call: the last step's key is [`InstanceKey::None`].
    ModuleCall(ModuleInstance),
    /// One module instance, everything in it.
    ModuleInstance(ModuleInstance),
    /// Every instance of a resource.
    Resource(AbsResource),
    /// One resource instance.
    Instance(ResourceInstance),
}

impl MoveEndpoint {
    /// Whether a key was written on the endpoint's last step.
    fn has_key(&self) -> bool {
        match self {
            MoveEndpoint::ModuleCall(_) | MoveEndpoint::Resource(_) => false,
            MoveEndpoint::ModuleInstance(m) => m.0.last().is_some_and(|s| !s.key.is_none()),
            MoveEndpoint::Instance(i) => !i.key.is_none(),
        }
    }

    /// A whole call or resource made into its instance without a key.
    fn into_instance(self) -> MoveEndpoint {
        match self {
            MoveEndpoint::ModuleCall(m) => MoveEndpoint::ModuleInstance(m),
            MoveEndpoint::Resource(r) => MoveEndpoint::Instance(r.instance(InstanceKey::None)),
            other => other,
        }
    }

    /// The endpoints of a `moved` block, unified: when one side names an instance, an unkeyed
    /// call or resource on the other side is its instance without a key.
    pub fn unify(from: MoveEndpoint, to: MoveEndpoint) -> (MoveEndpoint, MoveEndpoint) {
        if from.has_key() || to.has_key() {
            (from.into_instance(), to.into_instance())
        } else {
            (from, to)
        }
    }

    /// Whether `addr` is at or under this endpoint, read in the module `declared_in` (every
    /// instance of that module: a block in a module applies to all of its instances).
    pub fn covers(&self, declared_in: &ModulePath, addr: &ResourceInstance) -> bool {
        let steps = &addr.module.0;
        let n = declared_in.0.len();
        if steps.len() < n
            || steps[..n]
                .iter()
                .zip(&declared_in.0)
                .any(|(s, d)| s.name != *d)
        {
            return false;
        }
        let rel = &steps[n..];
        let module_prefix = |m: &ModuleInstance, any_last_key: bool| {
            rel.len() >= m.0.len()
                && m.0.iter().zip(rel).enumerate().all(|(i, (want, got))| {
                    want.name == got.name
                        && (want.key == got.key || (any_last_key && i + 1 == m.0.len()))
                })
        };
        match self {
            MoveEndpoint::ModuleCall(m) => module_prefix(m, true),
            MoveEndpoint::ModuleInstance(m) => module_prefix(m, false),
            MoveEndpoint::Resource(r) => {
                rel == r.module.0.as_slice() && addr.resource == r.resource
            }
            MoveEndpoint::Instance(i) => {
                rel == i.module.0.as_slice() && addr.resource == i.resource && addr.key == i.key
            }
        }
    }
}

impl Display for MoveEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoveEndpoint::ModuleCall(m) | MoveEndpoint::ModuleInstance(m) => m.fmt(f),
            MoveEndpoint::Resource(r) => r.fmt(f),
            MoveEndpoint::Instance(i) => i.fmt(f),
        }
    }
}

impl FromStr for MoveEndpoint {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut c = Cursor::new(s);
        let steps = c.module_steps()?;
        if c.at_end() {
            if steps.is_empty() {
                return Err(c.err("the address is empty"));
            }
            let call = steps.last().is_some_and(|s| s.key.is_none());
            let m = ModuleInstance(steps);
            return Ok(if call {
                MoveEndpoint::ModuleCall(m)
            } else {
                MoveEndpoint::ModuleInstance(m)
            });
        }
        let resource = c.resource()?;
        if resource.mode == Mode::Data {
            return Err(c.err("a data resource cannot be moved or removed"));
        }
        let key = c.key()?;
        c.finish()?;
        let module = ModuleInstance(steps);
        Ok(if key.is_none() {
            MoveEndpoint::Resource(AbsResource { module, resource })
        } else {
            MoveEndpoint::Instance(ResourceInstance {
                module,
                resource,
                key,
            })
        })
    }
}

/// A block whose instances are not known offline (its `count`, `for_each`, or those of the
/// module call it is in, depend on values only known after apply): a resource in a known
/// module instance, or a module call of a known module instance.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartialExpanded {
    Resource(AbsResource),
    ModuleCall {
        parent: ModuleInstance,
        name: String,
    },
}

impl PartialExpanded {
    /// Whether `addr` may be one of the unknown instances.
    pub fn contains(&self, addr: &ResourceInstance) -> bool {
        match self {
            PartialExpanded::Resource(r) => addr.module == r.module && addr.resource == r.resource,
            PartialExpanded::ModuleCall { parent, name } => {
                let steps = &addr.module.0;
                steps.len() > parent.0.len()
                    && steps[..parent.0.len()] == parent.0[..]
                    && steps[parent.0.len()].name == *name
            }
        }
    }
}

impl Display for PartialExpanded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialExpanded::Resource(r) => r.fmt(f),
            PartialExpanded::ModuleCall { parent, name } => {
                if !parent.is_root() {
                    write!(f, "{parent}.")?;
                }
                write!(f, "module.{name}")
            }
        }
    }
}

/// Why an address did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid address {input:?}: {reason}")]
pub struct ParseError {
    pub input: String,
    pub reason: String,
}

/// Quote a string as an HCL quoted template, exactly as Terraform's `toHCLQuotedString`.
pub fn hcl_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' | '%' => {
                out.push(c);
                if bytes.get(i + 1) == Some(&b'{') {
                    out.push(c);
                }
            }
            c if !is_go_printable(c) => {
                let n = c as u32;
                if n < 65536 {
                    let _ = write!(out, "\\u{n:04x}");
                } else {
                    let _ = write!(out, "\\U{n:08x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
fn is_go_printable(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    if c == ' ' {
        return true;
    }
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
            | G::NonspacingMark
            | G::SpacingMark
            | G::EnclosingMark
            | G::DecimalNumber
            | G::LetterNumber
            | G::OtherNumber
            | G::ConnectorPunctuation
            | G::DashPunctuation
            | G::OpenPunctuation
            | G::ClosePunctuation
            | G::InitialPunctuation
            | G::FinalPunctuation
            | G::OtherPunctuation
            | G::MathSymbol
            | G::CurrencySymbol
            | G::ModifierSymbol
            | G::OtherSymbol
    )
}

/// A small cursor over an address string, following HCL's traversal syntax.
struct Cursor<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(input: &'a str) -> Self {
        Cursor { input, pos: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn at_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    fn err(&self, reason: impl Into<String>) -> ParseError {
        ParseError {
            input: self.input.to_string(),
            reason: reason.into(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_spaces(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// An HCL identifier: a letter or `_`, then letters, digits, `_` and `-`.
    fn ident(&mut self) -> Result<&'a str, ParseError> {
        let start = self.pos;
        let mut chars = self.rest().char_indices();
        match chars.next() {
            Some((_, c)) if c.is_alphabetic() || c == '_' => {}
            Some((_, c)) => return Err(self.err(format!("expected a name, found {c:?}"))),
            None => return Err(self.err("expected a name, found the end of the address")),
        }
        let mut end = self.input.len();
        for (i, c) in chars {
            if !(c.is_alphanumeric() || c == '_' || c == '-') {
                end = start + i;
                break;
            }
        }
        self.pos = end;
        Ok(&self.input[start..end])
    }

    /// An optional `[KEY]` after a name.
    fn key(&mut self) -> Result<InstanceKey, ParseError> {
        if !self.eat('[') {
            return Ok(InstanceKey::None);
        }
        self.skip_spaces();
        let key = match self.peek() {
            Some('"') => InstanceKey::Str(self.quoted()?),
            Some(c) if c.is_ascii_digit() => {
                let start = self.pos;
                while matches!(self.peek(), Some(c) if c.is_ascii_digit()) {
                    self.pos += 1;
                }
                if matches!(self.peek(), Some('.' | 'e' | 'E')) {
                    return Err(self.err("an instance key must be a whole number or a string"));
                }
                let digits = &self.input[start..self.pos];
                InstanceKey::Int(
                    digits
                        .parse()
                        .map_err(|_| self.err(format!("instance key {digits} is too large")))?,
                )
            }
            Some('*') => return Err(self.err("a wildcard is not an instance key")),
            _ => return Err(self.err("an instance key must be a whole number or a quoted string")),
        };
        self.skip_spaces();
        if !self.eat(']') {
            return Err(self.err("expected ']' after the instance key"));
        }
        Ok(key)
    }

    /// An HCL quoted string with its escapes; template sequences are not allowed in addresses.
    fn quoted(&mut self) -> Result<String, ParseError> {
        debug_assert_eq!(self.peek(), Some('"'));
        self.pos += 1;
        let mut out = String::new();
        loop {
            let c = self
                .peek()
                .ok_or_else(|| self.err("unterminated string in instance key"))?;
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let e = self
                        .peek()
                        .ok_or_else(|| self.err("unterminated escape in instance key"))?;
                    self.pos += e.len_utf8();
                    match e {
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        'u' | 'U' => {
                            let len = if e == 'u' { 4 } else { 8 };
                            let hex = self
                                .rest()
                                .get(..len)
                                .ok_or_else(|| self.err("truncated unicode escape"))?;
                            let n = u32::from_str_radix(hex, 16).map_err(|_| {
                                self.err(format!("invalid unicode escape \\{e}{hex}"))
                            })?;
                            let ch = char::from_u32(n).ok_or_else(|| {
                                self.err(format!("\\{e}{hex} is not a unicode character"))
                            })?;
                            self.pos += len;
                            out.push(ch);
                        }
                        other => return Err(self.err(format!("invalid escape sequence \\{other}"))),
                    }
                }
                '$' | '%' => {
                    if self.rest().starts_with(c) && self.rest()[1..].starts_with('{') {
                        // `$${` is an escaped `${`.
                        self.pos += 1;
                        out.push(c);
                    } else if self.rest().starts_with('{') {
                        return Err(self.err("template sequences are not allowed in an address"));
                    } else {
                        out.push(c);
                    }
                }
                '\n' => return Err(self.err("a quoted string cannot span lines")),
                c => out.push(c),
            }
        }
    }

    fn expect_dot(&mut self, what: &str) -> Result<(), ParseError> {
        if self.eat('.') {
            Ok(())
        } else {
            Err(self.err(format!("expected '.' {what}")))
        }
    }

    /// Leading `module.NAME[KEY].` steps. Stops before anything that is not `module.`.
    fn module_steps(&mut self) -> Result<Vec<ModuleStep>, ParseError> {
        let mut steps = Vec::new();
        while self.rest().starts_with("module.") {
            self.pos += "module.".len();
            let name = self.ident()?.to_string();
            let key = self.key()?;
            steps.push(ModuleStep { name, key });
            if self.at_end() {
                break;
            }
            self.expect_dot("after a module step")?;
            if self.at_end() {
                return Err(self.err("expected a name, found the end of the address"));
            }
        }
        Ok(steps)
    }

    fn resource(&mut self) -> Result<Resource, ParseError> {
        let mut mode = Mode::Managed;
        let first = self.ident()?;
        let type_name = if first == "data" && self.peek() == Some('.') {
            mode = Mode::Data;
            self.pos += 1;
            self.ident()?
        } else {
            first
        };
        self.expect_dot("between the resource type and name")?;
        let name = self.ident()?;
        Ok(Resource {
            mode,
            type_name: type_name.to_string(),
            name: name.to_string(),
        })
    }

    fn finish(&self) -> Result<(), ParseError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.err(format!("unexpected {:?} at the end", self.rest())))
        }
    }
}

impl FromStr for ModuleInstance {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut c = Cursor::new(s);
        let steps = c.module_steps()?;
        c.finish()?;
        Ok(ModuleInstance(steps))
    }
}

impl FromStr for ResourceInstance {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut c = Cursor::new(s);
        let steps = c.module_steps()?;
        if c.at_end() {
            return Err(c.err(if steps.is_empty() {
                "the address is empty"
            } else {
                "a module address is not a resource instance address"
            }));
        }
        let resource = c.resource()?;
        let key = c.key()?;
        c.finish()?;
        Ok(ResourceInstance {
            module: ModuleInstance(steps),
            resource,
            key,
        })
    }
}

impl FromStr for AbsResource {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let inst: ResourceInstance = s.parse()?;
        if !inst.key.is_none() {
            return Err(ParseError {
                input: s.to_string(),
                reason: "a resource address has no instance key".into(),
            });
        }
        Ok(inst.abs_resource())
    }
}

impl FromStr for ConfigResource {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let inst: ResourceInstance = s.parse()?;
        if !inst.key.is_none() || inst.module.0.iter().any(|m| !m.key.is_none()) {
            return Err(ParseError {
                input: s.to_string(),
                reason: "a configuration address has no instance keys".into(),
            });
        }
        Ok(inst.config_resource())
    }
}

macro_rules! serde_via_string {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}

serde_via_string!(
    ModuleInstance,
    ResourceInstance,
    AbsResource,
    ConfigResource,
    MoveEndpoint
);

impl Serialize for PartialExpanded {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ri(s: &str) -> ResourceInstance {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn parse_and_print_table() {
        let cases = [
            "aws_instance.web",
            "aws_instance.web[0]",
            "data.google_project.current",
            "module.jobs[\"quality-check\"].google_cloud_scheduler_job.this[0]",
            "module.a.module.b[3].data.x_y.z[\"k\"]",
            "terraform_data.x[\"with \\\"quote\\\"\"]",
            "terraform_data.x[\"back\\\\slash\"]",
            "terraform_data.x[\"ünïcødé ☃\"]",
            "terraform_data.x[\"$${not_template}\"]",
            "terraform_data.x[\"%%{not_directive}\"]",
            "terraform_data.x[\"a$b%c\"]",
            "terraform_data.x[\"tab\\there\\nnewline\"]",
            "terraform_data.x[\"\"]",
            "module.m[\"b\\\"q\"].terraform_data.y",
            "aws_s3_bucket.my-bucket_2",
        ];
        for case in cases {
            assert_eq!(ri(case).to_string(), case, "round trip of {case}");
        }
    }

    #[test]
    fn parsed_structure() {
        let a = ri(
            "module.jobs[\"quality-check\"].module.x[2].data.google_project.current[\"a\\\"b\"]",
        );
        assert_eq!(a.module.0.len(), 2);
        assert_eq!(a.module.0[0].name, "jobs");
        assert_eq!(a.module.0[0].key, InstanceKey::Str("quality-check".into()));
        assert_eq!(a.module.0[1].key, InstanceKey::Int(2));
        assert_eq!(a.resource.mode, Mode::Data);
        assert_eq!(a.resource.type_name, "google_project");
        assert_eq!(a.resource.name, "current");
        assert_eq!(a.key, InstanceKey::Str("a\"b".into()));
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(
            ri("x.y[\"\\u00e9\\U0001F600\\t\"]").key,
            InstanceKey::Str("é😀\t".into())
        );
        // Non-printable characters print as \u escapes, like Terraform.
        let a = ResourceInstance {
            module: ModuleInstance::root(),
            resource: Resource::managed("x", "y"),
            key: InstanceKey::Str("a\u{200b}b\u{7}".into()),
        };
        assert_eq!(a.to_string(), "x.y[\"a\\u200bb\\u0007\"]");
        assert_eq!(ri(&a.to_string()), a);
    }

    #[test]
    fn errors() {
        let bad = [
            ("", "empty"),
            ("aws_instance", "expected '.'"),
            ("aws_instance.", "expected a name"),
            ("aws_instance.web[", "instance key"),
            ("aws_instance.web[1.5]", "whole number"),
            ("aws_instance.web[\"x\"", "expected ']'"),
            ("aws_instance.web[\"x]", "unterminated"),
            ("aws_instance.web[*]", "wildcard"),
            ("aws_instance.web[\"${x}\"]", "template"),
            ("aws_instance.web[\"\\q\"]", "invalid escape"),
            ("aws_instance.web.extra", "unexpected"),
            ("module.a", "module address"),
            ("module.a.", "expected a name"),
            ("1abc.x", "expected a name"),
            ("aws_instance.web[99999999999999999999]", "too large"),
        ];
        for (input, want) in bad {
            let err = input.parse::<ResourceInstance>().unwrap_err();
            assert!(
                err.reason.contains(want),
                "{input:?}: got {:?}, want it to contain {want:?}",
                err.reason
            );
        }
    }

    #[test]
    fn config_and_abs_resource() {
        let c: ConfigResource = "module.a.module.b.aws_x.y".parse().unwrap();
        assert_eq!(c.module, ModulePath(vec!["a".into(), "b".into()]));
        assert_eq!(c.to_string(), "module.a.module.b.aws_x.y");
        assert!("module.a[0].aws_x.y".parse::<ConfigResource>().is_err());
        assert!("aws_x.y[0]".parse::<AbsResource>().is_err());
        let a: AbsResource = "module.a[0].aws_x.y".parse().unwrap();
        assert_eq!(
            a.instance(InstanceKey::Int(1)).to_string(),
            "module.a[0].aws_x.y[1]"
        );
        assert_eq!(
            ri("module.a[0].aws_x.y[1]").config_resource().to_string(),
            "module.a.aws_x.y"
        );
    }

    #[test]
    fn ordering_matches_terraform_state_list() {
        let mut v: Vec<ResourceInstance> = [
            "module.b.a.x",
            "module.a[\"z\"].a.x",
            "z.z",
            "data.z.z",
            "a.a[\"k\"]",
            "a.a[1]",
            "a.a[0]",
            "a.a",
            "module.a[1].a.x",
            "module.a.module.b.a.x",
            "module.a[\"z\"].data.a.x",
        ]
        .iter()
        .map(|s| ri(s))
        .collect();
        v.sort();
        let got: Vec<String> = v.iter().map(|a| a.to_string()).collect();
        assert_eq!(
            got,
            [
                "data.z.z",
                "a.a",
                "a.a[0]",
                "a.a[1]",
                "a.a[\"k\"]",
                "z.z",
                "module.a[1].a.x",
                "module.a[\"z\"].data.a.x",
                "module.a[\"z\"].a.x",
                "module.b.a.x",
                "module.a.module.b.a.x",
            ]
        );
    }

    #[test]
    fn serde_as_string() {
        let a = ri("module.m[\"k\"].t.n[0]");
        let j = serde_json::to_string(&a).unwrap();
        assert_eq!(j, "\"module.m[\\\"k\\\"].t.n[0]\"");
        let back: ResourceInstance = serde_json::from_str(&j).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn move_endpoints_cover_what_terraform_moves() {
        let ep = |s: &str| s.parse::<MoveEndpoint>().unwrap_or_else(|e| panic!("{e}"));
        let root = ModulePath::root();
        let net = ModulePath(vec!["net".into()]);
        // (endpoint, declared in, state address, covered)
        let cases: [(&str, &ModulePath, &str, bool); 14] = [
            ("aws_vpc.old", &root, "aws_vpc.old", true),
            ("aws_vpc.old", &root, "aws_vpc.old[3]", true),
            ("aws_vpc.old", &root, "aws_vpc.older", false),
            ("aws_vpc.old", &root, "module.net.aws_vpc.old", false),
            // Relative to the declaring module, in every instance of it.
            ("aws_vpc.old", &net, "module.net.aws_vpc.old", true),
            ("aws_vpc.old", &net, "module.net[\"a\"].aws_vpc.old", true),
            ("aws_vpc.old", &net, "aws_vpc.old", false),
            ("aws_vpc.old[1]", &root, "aws_vpc.old[1]", true),
            ("aws_vpc.old[1]", &root, "aws_vpc.old[2]", false),
            ("module.a", &root, "module.a[\"x\"].aws_vpc.v", true),
            ("module.a", &root, "module.ab.aws_vpc.v", false),
            ("module.a[\"x\"]", &root, "module.a[\"y\"].aws_vpc.v", false),
            ("module.a", &net, "module.net.module.a.module.b.t.n", true),
            ("module.a.aws_vpc.v", &root, "module.a.aws_vpc.v[0]", true),
        ];
        for (e, m, a, want) in cases {
            assert_eq!(ep(e).covers(m, &ri(a)), want, "{e} in {m} covers {a}");
        }
        // A keyed endpoint on one side makes the other side's bare name one instance.
        let (from, to) = MoveEndpoint::unify(ep("aws_x.a"), ep("aws_x.a[0]"));
        assert!(from.covers(&root, &ri("aws_x.a")));
        assert!(!from.covers(&root, &ri("aws_x.a[1]")));
        assert_eq!(to.to_string(), "aws_x.a[0]");
        let (from, _) = MoveEndpoint::unify(ep("module.m"), ep("module.m[\"k\"]"));
        assert!(!from.covers(&root, &ri("module.m[\"j\"].t.n")));
        assert!(from.covers(&root, &ri("module.m.t.n")));
        for bad in ["", "data.x.y", "aws_x", "module.a.", "aws_x.a[*]"] {
            assert!(bad.parse::<MoveEndpoint>().is_err(), "{bad:?} parses");
        }
    }

    #[test]
    fn partial_expansions_contain_only_their_instances() {
        let r = PartialExpanded::Resource("module.a[\"x\"].aws_s3_bucket.b".parse().unwrap());
        assert!(r.contains(&ri("module.a[\"x\"].aws_s3_bucket.b[\"k\"]")));
        assert!(!r.contains(&ri("module.a[\"x\"].aws_s3_bucket.bb")));
        assert!(!r.contains(&ri("module.a[\"y\"].aws_s3_bucket.b")));
        assert_eq!(r.to_string(), "module.a[\"x\"].aws_s3_bucket.b");
        let m = PartialExpanded::ModuleCall {
            parent: "module.p".parse().unwrap(),
            name: "c".into(),
        };
        assert!(m.contains(&ri("module.p.module.c[3].module.d.t.n")));
        assert!(!m.contains(&ri("module.p.module.cc.t.n")));
        assert!(!m.contains(&ri("module.p.t.n")));
        assert_eq!(m.to_string(), "module.p.module.c");
    }

    fn ident() -> impl Strategy<Value = String> {
        "[a-zA-Z_][a-zA-Z0-9_-]{0,12}"
    }

    fn key() -> impl Strategy<Value = InstanceKey> {
        prop_oneof![
            Just(InstanceKey::None),
            (0i64..1_000_000).prop_map(InstanceKey::Int),
            any::<String>().prop_map(InstanceKey::Str),
            "[\"\\\\$%{}\\n\\t a-z]{0,10}".prop_map(InstanceKey::Str),
        ]
    }

    proptest! {
        #[test]
        fn print_parse_round_trip(
            steps in proptest::collection::vec((ident(), key()), 0..3),
            data in any::<bool>(),
            ty in ident().prop_filter("not data", |s| s != "data" && s != "module"),
            name in ident(),
            k in key(),
        ) {
            let addr = ResourceInstance {
                module: ModuleInstance(steps.into_iter().map(|(name, key)| ModuleStep { name, key }).collect()),
                resource: Resource { mode: if data { Mode::Data } else { Mode::Managed }, type_name: ty, name },
                key: k,
            };
            let printed = addr.to_string();
            let parsed: ResourceInstance = printed.parse().map_err(|e: ParseError| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(parsed, addr);
        }
    }
}
