import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from './notificationSettings';
import { signWebhook, verifyWebhookSignature } from './webhookSignature';

describe('retry delays', () => {
  it('doubles per attempt, half fixed and half random', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(2, 1000, () => 0)).toBe(1000);
    expect(retryDelayMs(4, 1000, () => 0.5)).toBe(6000);
  });

  it('never waits more than an hour, however many attempts failed', () => {
    expect(retryDelayMs(1000, 1000, () => 1)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(40, 3_600_000, () => 0)).toBe(MAX_RETRY_DELAY_MS / 2);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test-secret-0123456789';
  const body = '{"type":"job.completed","id":"x"}';
  const now = 1_796_284_800;

  it('accepts any matching v1 (a second one during key rotation) and refuses malformed headers', () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhookSignature(secret, body, `${header},v1=${'0'.repeat(64)}`, now)).toBe(true);
    expect(
      verifyWebhookSignature(secret, body, `t=${now},v1=${'0'.repeat(64)},${header.split(',')[1]}`, now),
    ).toBe(true);
    for (const bad of [
      undefined,
      '',
      'garbage',
      `t=${now}`,
      `v1=${header.split('v1=')[1]}`,
      `t=abc,v1=${header.split('v1=')[1]}`,
      header.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      header.toUpperCase(),
    ])
      expect(verifyWebhookSignature(secret, body, bad, now), String(bad)).toBe(false);
  });

  it('refuses timestamps outside five minutes either way', () => {
    expect(verifyWebhookSignature(secret, body, signWebhook(secret, body, now - 300), now)).toBe(true);
    expect(verifyWebhookSignature(secret, body, signWebhook(secret, body, now - 301), now)).toBe(false);
    expect(verifyWebhookSignature(secret, body, signWebhook(secret, body, now + 301), now)).toBe(false);
  });
});
