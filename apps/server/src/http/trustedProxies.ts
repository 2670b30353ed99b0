import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { required } from '@nexus/schema';

/** An address as it is compared and keyed: no brackets, no port, no zone, IPv4-mapped IPv6 as IPv4. */
export function normaliseAddress(raw: string): string {
  let address = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = required(bracketed[1], `address inside the brackets of ${raw}`);
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  address = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/.exec(address);
  return mapped ? required(mapped[1], `IPv4 address of ${address}`) : address;
}

function parseEntry(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [rawAddress, rawPrefix, extra] = entry.split('/');
  if (rawAddress === undefined || extra !== undefined) return null;
  const address = normaliseAddress(rawAddress);
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = rawPrefix === undefined ? max : /^\d{1,3}$/.test(rawPrefix) ? Number(rawPrefix) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export function isAddressOrCidr(entry: string): boolean {
  return parseEntry(entry) !== null;
}

/**
 * The proxies whose X-Forwarded-For is believed (NEXUS_TRUSTED_PROXIES). With none, the peer
 * address is the client: a header anyone can write must not choose whose rate limit is spent.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  private readonly count: number;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const parsed = parseEntry(entry);
      if (!parsed) throw new Error(`not an IP address or CIDR: ${entry}`);
      this.list.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
    this.count = entries.length;
  }

  has(address: string): boolean {
    if (this.count === 0) return false;
    const version = isIP(address);
    return version !== 0 && this.list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  }

  /** The address the connection comes from (the proxy's, behind one). */
  peerAddress(req: IncomingMessage): string {
    return normaliseAddress(req.socket.remoteAddress ?? 'unknown');
  }

  /**
   * The client's address: the peer's, or when the peer is a trusted proxy, the right-most
   * X-Forwarded-For hop that is not itself trusted (hops to its left were written by the client
   * and prove nothing). A hop that is no address ends the walk at the last trusted one.
   */
  clientAddress(req: IncomingMessage): string {
    let address = this.peerAddress(req);
    if (!this.has(address)) return address;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
    for (const raw of hops.reverse()) {
      const hop = normaliseAddress(raw);
      if (hop === '') continue;
      if (isIP(hop) === 0) return address;
      address = hop;
      if (!this.has(hop)) return hop;
    }
    return address;
  }
}

/**
 * The rate-limit key of an address. An IPv6 client usually holds a whole /64 and can pick any
 * address in it, so IPv6 addresses are keyed by their /64: cycling through it buys no new bucket.
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return `a:${address}`;
  const gap = address.indexOf('::');
  const split = (part: string) =>
    part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
  const groups =
    gap === -1
      ? split(address)
      : (() => {
          const left = split(address.slice(0, gap));
          const right = split(address.slice(gap + 2));
          return [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
        })();
  return `a:${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
