import net from 'node:net';

/**
 * NEXUS_FACE_URL_HOSTS as a rule: which URL hosts may be fetched, and which addresses a connection
 * may reach. Entries are host names (`faces.example.org`), IP addresses or CIDR ranges
 * (`10.20.0.0/16`). A listed host name reaches public addresses only: loopback, private,
 * link-local and other special addresses must be listed themselves, so a listed name whose DNS
 * answer turns to 127.0.0.1 (DNS rebinding) is refused.
 */
export class FaceHosts {
  private readonly names = new Set<string>();
  private readonly listed = new net.BlockList();

  constructor(entries: readonly string[]) {
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      if (entry === '') continue;
      const range = parseRange(entry);
      if (range) this.listed.addSubnet(range.address, range.prefix, range.family);
      else if (net.isIP(unbracket(entry)))
        this.listed.addAddress(unbracket(entry), familyOf(unbracket(entry)));
      else this.names.add(entry.replace(/\.$/, ''));
    }
  }

  /** A URL's host (as `new URL().hostname` gives it) may be fetched. */
  allowsHost(hostname: string): boolean {
    const host = unbracket(hostname.toLowerCase()).replace(/\.$/, '');
    if (net.isIP(host)) return this.listed.check(host, familyOf(host));
    return this.names.has(host);
  }

  /** A connection may go to this address (the one DNS gave and the socket reached). */
  allowsAddress(address: string): boolean {
    const family = net.isIP(address);
    if (family === 0) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (this.listed.check(address, type)) return true;
    return !SPECIAL_ADDRESSES.check(address, type);
  }
}

/** Entries that look like a CIDR range; others are addresses or host names. */
export function parseRange(
  entry: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const match = /^(.+)\/(\d{1,3})$/.exec(entry);
  if (!match?.[1] || !match[2]) return null;
  const address = unbracket(match[1]);
  const family = net.isIP(address);
  const prefix = Number(match[2]);
  if (family === 0 || prefix > (family === 4 ? 32 : 128)) return null;
  return { address, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}

/** A valid NEXUS_FACE_URL_HOSTS entry: a host name, an IP address or a CIDR range. */
export function isFaceHostEntry(entry: string): boolean {
  const e = entry.trim().toLowerCase();
  if (parseRange(e) || net.isIP(unbracket(e))) return true;
  return /^(?=.{1,253}\.?$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/.test(
    e,
  );
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return net.isIPv4(address) ? 'ipv4' : 'ipv6';
}

/** Addresses that are not the public internet (IANA special-purpose registries). */
const SPECIAL_ADDRESSES = (() => {
  const list = new net.BlockList();
  for (const [address, prefix] of [
    ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host
    ['10.0.0.0', 8],
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8],
    ['169.254.0.0', 16], // link-local, cloud metadata services
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, broadcast
  ] as const)
    list.addSubnet(address, prefix, 'ipv4');
  for (const [address, prefix] of [
    ['::', 128],
    ['::1', 128],
    ['::ffff:0:0', 96], // IPv4-mapped: would reach any IPv4 address, private ones too
    ['64:ff9b::', 96], // NAT64
    ['64:ff9b:1::', 48],
    ['100::', 64],
    ['2001::', 23],
    ['2001:db8::', 32],
    ['2002::', 16], // 6to4
    ['fc00::', 7], // unique local
    ['fe80::', 10], // link-local
    ['ff00::', 8], // multicast
  ] as const)
    list.addSubnet(address, prefix, 'ipv6');
  return list;
})();
