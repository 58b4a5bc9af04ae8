//! CIDR functions with Terraform's arithmetic (go-cidr) and messages, IPv4 and IPv6.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::config::value::Value;

use super::value::{string, whole};
use super::{Fail, FuncContext};

type R = Result<Value, Fail>;

/// A network as Terraform's ParseCIDR gives it: the address masked to its prefix.
#[derive(Clone, Copy)]
struct Net {
    addr: u128,
    prefix: u32,
    /// 32 or 128.
    bits: u32,
}

impl Net {
    fn parse(text: &str) -> Result<Net, Fail> {
        let bad = || {
            Fail::call(format!(
                "invalid CIDR expression: invalid CIDR address: {text}"
            ))
        };
        let (ip, len) = text.split_once('/').ok_or_else(bad)?;
        let (addr, bits) = match ip.parse::<IpAddr>().map_err(|_| bad())? {
            IpAddr::V4(v4) => (u32::from(v4) as u128, 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        };
        if len.is_empty() || !len.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let prefix: u32 = len.parse().map_err(|_| bad())?;
        if prefix > bits {
            return Err(bad());
        }
        Ok(Net {
            addr: addr & mask(prefix, bits),
            prefix,
            bits,
        })
    }

    fn host_bits(&self) -> u32 {
        self.bits - self.prefix
    }

    fn last(&self) -> u128 {
        self.addr | (!mask(self.prefix, self.bits) & full(self.bits))
    }
}

fn full(bits: u32) -> u128 {
    if bits == 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    }
}

fn mask(prefix: u32, bits: u32) -> u128 {
    if prefix == 0 {
        0
    } else {
        (full(bits) >> (bits - prefix) << (bits - prefix)) & full(bits)
    }
}

fn ip_text(addr: u128, bits: u32) -> String {
    if bits == 32 {
        Ipv4Addr::from(addr as u32).to_string()
    } else {
        Ipv6Addr::from(addr).to_string()
    }
}

fn net_text(addr: u128, prefix: u32, bits: u32) -> String {
    format!("{}/{prefix}", ip_text(addr, bits))
}

pub(crate) fn cidrsubnet(args: &[Value], _: &FuncContext) -> R {
    let net = Net::parse(&string(args, 0)?)?;
    let newbits = whole(args, 1)?;
    let netnum = whole(args, 2)?;
    if net.prefix as i64 + newbits > net.bits as i64 {
        return Err(Fail::call(format!(
            "insufficient address space to extend prefix of {} by {}",
            net.prefix, newbits
        )));
    }
    if newbits < 0 {
        // go-cidr accepts a negative extension: a shorter prefix over the same address.
        let prefix = net.prefix as i64 + newbits;
        if prefix < 0 || netnum < 0 {
            return Err(Fail::call(format!(
                "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
            )));
        }
        let shift = net.bits - prefix as u32;
        let addr = (net.addr | (netnum as u128).checked_shl(shift).unwrap_or(0)) & full(net.bits);
        return Ok(Value::String(net_text(addr, prefix as u32, net.bits)));
    }
    let newbits = newbits as u32;
    if netnum < 0 || (newbits < 64 && (netnum as u128) >= (1u128 << newbits)) {
        return Err(Fail::call(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        )));
    }
    let prefix = net.prefix + newbits;
    let shift = net.bits - prefix;
    let addr = net.addr | ((netnum as u128).checked_shl(shift).unwrap_or(0));
    Ok(Value::String(net_text(addr, prefix, net.bits)))
}

pub(crate) fn cidrhost(args: &[Value], _: &FuncContext) -> R {
    let net = Net::parse(&string(args, 0)?)?;
    let hostnum = whole(args, 1)?;
    let host_bits = net.host_bits();
    let max = full(host_bits.min(128));
    let too_big = || {
        Fail::call(format!(
            "prefix of {} does not accommodate a host numbered {}",
            net.prefix, hostnum
        ))
    };
    let offset = if hostnum >= 0 {
        let n = hostnum as u128;
        if n > max {
            return Err(too_big());
        }
        n
    } else {
        // Counted back from the end; the message names the adjusted number, as Terraform's.
        let back = hostnum.unsigned_abs() as u128;
        if back - 1 > max {
            let adjusted = max as i128 + 1 + hostnum as i128;
            return Err(Fail::call(format!(
                "prefix of {} does not accommodate a host numbered {adjusted}",
                net.prefix
            )));
        }
        max - (back - 1)
    };
    Ok(Value::String(ip_text(net.addr | offset, net.bits)))
}

pub(crate) fn cidrnetmask(args: &[Value], _: &FuncContext) -> R {
    let text = string(args, 0)?;
    let net = Net::parse(&text)?;
    if net.bits != 32 {
        return Err(Fail::call(format!(
            "IPv6 addresses cannot have a netmask: {text}"
        )));
    }
    Ok(Value::String(ip_text(mask(net.prefix, 32), 32)))
}

/// Allocates consecutive subnets of the given extensions, each aligned after the previous,
/// as go-cidr's PreviousSubnet / NextSubnet do.
pub(crate) fn cidrsubnets(args: &[Value], _: &FuncContext) -> R {
    let net = Net::parse(&string(args, 0)?)?;
    if args.len() == 1 {
        return Ok(Value::List(Vec::new()));
    }
    let lengths: Vec<i64> = (1..args.len())
        .map(|i| whole(args, i))
        .collect::<Result<_, _>>()?;
    let first = (net.prefix as i64 + lengths[0]).clamp(0, net.bits as i64) as u32;
    let start = net.addr.wrapping_sub(1) & full(net.bits);
    let mut current = Net {
        addr: start & mask(first, net.bits),
        prefix: first,
        bits: net.bits,
    };
    let mut out = Vec::with_capacity(lengths.len());
    for (i, ext) in lengths.iter().enumerate() {
        let arg = i + 1;
        if *ext < 1 {
            return Err(Fail::arg(arg, "must extend prefix by at least one bit"));
        }
        if *ext > 32 {
            return Err(Fail::arg(arg, "may not extend prefix by more than 32 bits"));
        }
        let length = net.prefix + *ext as u32;
        if length > net.bits {
            let protocol = if net.bits == 32 { "IPv4" } else { "IPv6" };
            return Err(Fail::arg(
                arg,
                format!("would extend prefix to {length} bits, which is too long for an {protocol} address"),
            ));
        }
        let m = mask(length, net.bits);
        let aligned = Net {
            addr: current.last() & m,
            prefix: length,
            bits: net.bits,
        };
        let after = aligned.last().wrapping_add(1) & full(net.bits);
        let next = after & m;
        let inside = (next & mask(net.prefix, net.bits)) == net.addr;
        if after == 0 || !inside {
            return Err(Fail::arg(
                arg,
                format!(
                    "not enough remaining address space for a subnet with a prefix of {length} bits after {}",
                    net_text(current.addr, current.prefix, current.bits)
                ),
            ));
        }
        current = Net {
            addr: next,
            prefix: length,
            bits: net.bits,
        };
        out.push(Value::String(net_text(
            current.addr,
            current.prefix,
            current.bits,
        )));
    }
    Ok(Value::List(out))
}
