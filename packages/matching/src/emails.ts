/**
 * E-mail addresses: trimmed and lower-cased (no provider treats the case of an address as
 * significant in practice). Sub-addressing tags ("ann+shop@") are dropped for the large
 * providers documented to deliver them to the same mailbox, and Gmail ignores dots in the
 * local part, so those are dropped for Gmail only; other providers keep dots and tags because
 * for them "a.b@" and "ab@" may be different people.
 */

const PLUS_TAG_DOMAINS = new Set([
  'gmail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'icloud.com',
  'me.com',
  'fastmail.com',
  'protonmail.com',
  'proton.me',
]);
const DOMAIN_ALIASES: Readonly<Record<string, string>> = { 'googlemail.com': 'gmail.com' };

/** Canonical address, or undefined when nothing is left after trimming. */
export function normaliseEmail(value: string): string | undefined {
  const text = value
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/^(?:mailto:|<)+/, '')
    .replace(/>+$/, '');
  if (text === '') return undefined;
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return text;
  const rawDomain = text.slice(at + 1);
  const domain = DOMAIN_ALIASES[rawDomain] ?? rawDomain;
  let local = text.slice(0, at);
  if (PLUS_TAG_DOMAINS.has(domain)) {
    const plus = local.indexOf('+');
    if (plus > 0) local = local.slice(0, plus);
  }
  if (domain === 'gmail.com') local = local.replace(/\./g, '') || local;
  return `${local}@${domain}`;
}

/** The part before the last @ (the whole value when there is no @). */
export function emailLocalPart(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? email : email.slice(0, at);
}
