import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rateLimiter';
import { addressKey, isAddressOrCidr, normaliseAddress, TrustedProxies } from './trustedProxies';

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('trusted proxies', () => {
  it('ignore X-Forwarded-For unless the peer is trusted', () => {
    const none = new TrustedProxies([]);
    expect(none.clientAddress(request('203.0.113.9', '10.0.0.1'))).toBe('203.0.113.9');
    const proxies = new TrustedProxies(['10.0.0.0/8', 'fd00::/8', '192.0.2.10']);
    expect(proxies.clientAddress(request('203.0.113.9', '10.0.0.1'))).toBe('203.0.113.9');
    expect(proxies.clientAddress(request('::ffff:192.0.2.10', '198.51.100.4'))).toBe('198.51.100.4');
  });

  it('take the right-most hop that is not a trusted proxy, whatever the client wrote to its left', () => {
    const proxies = new TrustedProxies(['10.0.0.0/8']);
    expect(proxies.clientAddress(request('10.0.0.2', 'spoofed, 1.2.3.4, 198.51.100.4, 10.9.9.9'))).toBe(
      '198.51.100.4',
    );
    expect(proxies.clientAddress(request('10.0.0.2', '10.0.0.3,10.0.0.4'))).toBe('10.0.0.3');
    expect(proxies.clientAddress(request('10.0.0.2', 'not-an-address'))).toBe('10.0.0.2');
    expect(proxies.clientAddress(request('10.0.0.2'))).toBe('10.0.0.2');
    expect(proxies.clientAddress(request('10.0.0.2', '[2001:db8::1]:443'))).toBe('2001:db8::1');
  });

  it('accept addresses and CIDRs, and refuse anything else', () => {
    for (const ok of ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8', '0.0.0.0/0'])
      expect(isAddressOrCidr(ok)).toBe(true);
    for (const bad of ['nginx', '10.0.0.0/33', '10.0.0/8', '::1/129', '1.2.3.4/8/8', ''])
      expect(isAddressOrCidr(bad)).toBe(false);
    expect(normaliseAddress('::FFFF:127.0.0.1')).toBe('127.0.0.1');
  });

  it('key IPv6 addresses by their /64 and IPv4 addresses whole', () => {
    expect(addressKey('2001:db8:1:2::1')).toBe(addressKey('2001:db8:1:2:ffff:1:2:3'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::1')).toBe('a:0:0:0:0::/64');
    expect(addressKey('198.51.100.4')).toBe('a:198.51.100.4');
  });
});

describe('rate limiter memory', () => {
  it('keeps at most its bound of buckets, however many clients come', () => {
    const limiter = new RateLimiter(1, 5, 1000);
    for (let i = 0; i < 20_000; i++) limiter.take(`a:10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 0);
    expect(limiter.size).toBe(1000);
  });

  it('charges a batch its size, at most a full bucket', () => {
    const limiter = new RateLimiter(1, 5);
    expect(limiter.take('a', 0, 4).ok).toBe(true);
    expect(limiter.take('a', 0, 2)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b', 0, 50).ok).toBe(true);
    expect(limiter.take('b', 0).ok).toBe(false);
  });
});
