import { randomBytes } from 'node:crypto';
import { openSecret, sealSecret } from '../auth/sealedSecret';

/**
 * Seals subscription secrets under the server's secret key (NEXUS_SECRET_KEY or the data folder's
 * key file), bound to the subscription's id so a sealed value copied to another row does not
 * open. The key is read on first use: a server that never has a subscription never needs it.
 */
export class SubscriptionSecrets {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly resolveKey: () => Promise<Buffer>) {}

  async seal(subscriptionId: string, secret: string): Promise<string> {
    return sealSecret(await this.keyOnce(), nameOf(subscriptionId), secret);
  }

  /** The secret, or undefined when it was sealed under another key (the key was changed). */
  async open(subscriptionId: string, sealed: string): Promise<string | undefined> {
    return openSecret(await this.keyOnce(), nameOf(subscriptionId), sealed);
  }

  private keyOnce(): Promise<Buffer> {
    this.key ??= this.resolveKey().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }
}

function nameOf(subscriptionId: string): string {
  return `notification_subscription:${subscriptionId}`;
}

/** A new signing secret: 32 random bytes, prefixed so people recognise it in their vaults. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
