import { FaceHosts } from '@nexus/actors';
import { required } from '@nexus/schema';

/**
 * NEXUS_SOURCE_URL_HOSTS as a rule: the face URL policy's host and address checks
 * (docs/decisions/0024-face-image-policy.md), plus an optional port per entry (`host:port`).
 */
export class SourceHosts {
  readonly hosts: FaceHosts;
  /** Host -> the ports allowed; a host listed without a port has no entry (any port). */
  private readonly ports = new Map<string, Set<string>>();
  private readonly anyPort = new Set<string>();

  constructor(entries: readonly string[]) {
    const plain: string[] = [];
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(entry);
      const host = (m ? required(m[1], `host of ${entry}`) : entry).replace(/^\[|\]$/g, '');
      plain.push(host);
      if (m)
        this.ports.set(host, (this.ports.get(host) ?? new Set()).add(required(m[2], `port of ${entry}`)));
      else this.anyPort.add(host);
    }
    this.hosts = new FaceHosts(plain);
  }

  /** The URL's host (and port, when its entry names one) is listed. */
  allowsUrl(url: URL): boolean {
    if (!this.hosts.allowsHost(url.hostname)) return false;
    const host = url.hostname
      .toLowerCase()
      .replace(/^\[|\]$/g, '')
      .replace(/\.$/, '');
    if (this.anyPort.has(host)) return true;
    const ports = this.ports.get(host);
    // Listed by CIDR range or address without a port entry of its own: any port.
    if (!ports) return true;
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return ports.has(port);
  }
}
