/**
 * Which addresses outbound requests (image_url downloads, callbacks) may reach: public
 * unicast only (SPEC §5), unless an operator allow-list admits a range. Everything else —
 * loopback, private, link-local (with the 169.254.169.254 metadata address), CGNAT
 * 100.64/10, multicast, broadcast, 0.0.0.0/8, reserved, unique-local, IPv4-mapped and the
 * IPv6 transition ranges that embed an IPv4 address (6to4, Teredo, NAT64) — is refused.
 */
import ipaddr from 'ipaddr.js';

export interface AddressAllowList {
  /** True admits every address (`--allow-private-urls`). */
  all: boolean;
  ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

/** Parses CIDR strings ('127.0.0.0/8', 'fc00::/7'); '*' admits everything. Throws on a malformed entry (config errors surface at boot). */
export function parseAllowList(entries: readonly string[] | boolean | undefined): AddressAllowList {
  if (entries === true) return { all: true, ranges: [] };
  if (!entries) return { all: false, ranges: [] };
  const list: AddressAllowList = { all: false, ranges: [] };
  for (const entry of entries) {
    if (entry === '*') { list.all = true; continue; }
    list.ranges.push(entry.includes('/') ? ipaddr.parseCIDR(entry) : hostRange(entry));
  }
  return list;
}

function hostRange(ip: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const addr = ipaddr.parse(ip);
  return [addr, addr.kind() === 'ipv4' ? 32 : 128];
}

/** Ranges that count as public: ipaddr.js calls global unicast 'unicast'. */
const PUBLIC_RANGES = new Set(['unicast']);

/**
 * Returns undefined when `ip` may be contacted, else the name of the range that forbids it
 * ('loopback', 'private', 'linkLocal', ...). Not an IP address at all: 'invalid'.
 */
export function forbiddenRange(ip: string, allow: AddressAllowList): string | undefined {
  if (!ipaddr.isValid(ip)) return 'invalid';
  const addr = ipaddr.parse(ip);
  if (allow.all || isAllowListed(addr, allow)) return undefined;
  const range = addr.range();
  return PUBLIC_RANGES.has(range) ? undefined : range;
}

function isAllowListed(addr: ipaddr.IPv4 | ipaddr.IPv6, allow: AddressAllowList): boolean {
  // An IPv4-mapped IPv6 address is matched against IPv4 ranges as its IPv4 self, so an
  // allow-list of 127.0.0.0/8 admits ::ffff:127.0.0.1 too — but never a public mapping by accident.
  const candidates: Array<ipaddr.IPv4 | ipaddr.IPv6> = [addr];
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    candidates.push((addr as ipaddr.IPv6).toIPv4Address());
  }
  return allow.ranges.some(([net, bits]) =>
    candidates.some((c) => c.kind() === net.kind() && c.match(net, bits)));
}
