import dns from 'node:dns';
import net from 'node:net';
import { FaceHosts } from '@nexus/actors';

/**
 * Where webhook deliveries may go: any public address; loopback, private, link-local and other
 * special addresses only when NEXUS_WEBHOOK_URL_HOSTS lists them (the rule of face URLs,
 * docs/decisions/0024-face-image-policy.md, minus its host list: subscribers name their own hosts).
 */
export class WebhookAddresses {
  private readonly rule: FaceHosts;

  constructor(listed: readonly string[]) {
    this.rule = new FaceHosts(listed);
  }

  allows(address: string): boolean {
    return this.rule.allowsAddress(address);
  }

  /** dns.lookup that answers only allowed addresses, so the socket connects to nothing else. */
  lookup(): net.LookupFunction {
    return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
      dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error);
        const allowed = addresses.filter((a) => this.allows(a.address));
        const [first] = allowed;
        if (first === undefined) return callback(new AddressRefused(hostname));
        if (options.all) return callback(null, allowed);
        callback(null, first.address, first.family);
      });
    }) as net.LookupFunction;
  }

  /**
   * Why a URL may not be subscribed, or null. A literal address is judged at once; a name is
   * resolved now for an early answer (and checked again at each delivery, where it counts).
   */
  async refusal(url: string): Promise<string | null> {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http and https URLs';
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host))
      return this.allows(host) ? null : `${host} is not a public address (see NEXUS_WEBHOOK_URL_HOSTS)`;
    try {
      const addresses = await dns.promises.lookup(host, { all: true });
      if (addresses.length > 0 && !addresses.some((a) => this.allows(a.address)))
        return `${host} resolves to addresses that are not public (see NEXUS_WEBHOOK_URL_HOSTS)`;
    } catch {
      // Unknown today may resolve tomorrow: the delivery's own check decides then.
    }
    return null;
  }
}

/** A delivery's address was refused by the policy. */
export class AddressRefused extends Error {
  readonly code = 'ADDRESS_REFUSED';
  constructor(host: string) {
    super(`${host}: address not allowed (see NEXUS_WEBHOOK_URL_HOSTS)`);
  }
}
