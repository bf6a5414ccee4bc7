import net from 'node:net';

/**
 * Which IP addresses an outbound fetch named by a certificate may reach. A certificate's AIA URL is
 * written by whoever made the certificate, so without these rules the console would fetch whatever
 * internal address it is told to (SSRF). Addresses that embed an IPv4 address (IPv4-mapped, IPv4-
 * compatible, NAT64, 6to4) are judged by the IPv4 address inside them.
 */
export type AddressClass =
  /** Routable on the internet. */
  | 'public'
  /** Loopback, RFC 1918, CGNAT, ULA: reachable only with the admin's consent (`aiaAllowPrivate`). */
  | 'private'
  /** Never: unspecified, link-local (cloud metadata lives there), multicast, broadcast, reserved, documentation. */
  | 'forbidden';

function blockList(type: 'ipv4' | 'ipv6', ranges: [string, number][]): net.BlockList {
  const list = new net.BlockList();
  for (const [address, prefix] of ranges) list.addSubnet(address, prefix, type);
  return list;
}

const PRIVATE_V4 = blockList('ipv4', [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
]);

const FORBIDDEN_V4 = blockList('ipv4', [
  ['0.0.0.0', 8],
  ['169.254.0.0', 16],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
]);

const PRIVATE_V6 = blockList('ipv6', [
  ['::1', 128],
  ['fc00::', 7],
  ['fec0::', 10],
]);

const FORBIDDEN_V6 = blockList('ipv6', [
  ['::', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fe80::', 10],
  ['ff00::', 8],
]);

/** The eight 16-bit groups of an IPv6 address (with or without an embedded dotted quad). */
function hextets(ip: string): number[] {
  let text = ip.toLowerCase();
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a, b, c, d] = (dotted[1] as string).split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -(dotted[1] as string).length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((h) => Number.parseInt(h, 16));
}

function v4From(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The IPv4 address an IPv6 address stands for, if it embeds one. */
export function embeddedIpv4(ip: string): string | null {
  const h = hextets(ip);
  const zeros = (from: number, to: number) => h.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated but still routed by some stacks).
  if (zeros(0, 5) && (h[5] === 0xffff || (h[5] === 0 && (h[6] !== 0 || (h[7] as number) > 1))))
    return v4From(h[6] as number, h[7] as number);
  // 64:ff9b::/96, the well-known NAT64 prefix.
  if (h[0] === 0x64 && h[1] === 0xff9b && zeros(2, 6)) return v4From(h[6] as number, h[7] as number);
  // 2002:AABB:CCDD::/48, 6to4.
  if (h[0] === 0x2002) return v4From(h[1] as number, h[2] as number);
  return null;
}

export function classifyAddress(ip: string): AddressClass {
  if (net.isIPv4(ip)) {
    if (ip === '255.255.255.255' || FORBIDDEN_V4.check(ip, 'ipv4')) return 'forbidden';
    return PRIVATE_V4.check(ip, 'ipv4') ? 'private' : 'public';
  }
  if (!net.isIPv6(ip)) return 'forbidden';
  const v4 = embeddedIpv4(ip);
  if (v4) return classifyAddress(v4);
  if (FORBIDDEN_V6.check(ip, 'ipv6')) return 'forbidden';
  return PRIVATE_V6.check(ip, 'ipv6') ? 'private' : 'public';
}

/** The same address in one spelling, so "::ffff:7f00:1" and "127.0.0.1" compare equal. */
export function canonicalAddress(ip: string): string {
  if (net.isIPv4(ip)) return ip;
  const v4 = embeddedIpv4(ip);
  return (
    v4 ??
    hextets(ip)
      .map((h) => h.toString(16))
      .join(':')
  );
}

/** Loopback in any spelling: 127/8, ::1, and their IPv4-mapped forms. */
export function isLoopback(ip: string): boolean {
  const canonical = canonicalAddress(ip);
  return net.isIPv4(canonical) ? canonical.startsWith('127.') : canonical === '0:0:0:0:0:0:0:1';
}
