import { identifierKeys, normaliseEmail, normaliseIdentifier, normalisePhone } from '@nexus/matching';

/**
 * A search by national id, email or phone while those are encrypted at rest (0049): the typed
 * identifier is normalised as the engine normalises each kind, and its blind-index keys are
 * looked up among the members' blocking keys. A mailbox name's key is shared across domains, so
 * the golden records found are kept only when their best values hold the identifier.
 */
export function identifierSearchKeys(identifier: string): string[] {
  const nationalId = normaliseIdentifier(identifier);
  const email = identifier.includes('@') ? normaliseEmail(identifier) : undefined;
  const phone = /\d{6}/.test(identifier.replace(/\D/g, '')) ? normalisePhone(identifier) : undefined;
  return [
    ...new Set([
      ...identifierKeys({ national_id: nationalId }),
      ...identifierKeys({ email }),
      ...identifierKeys({ phone }),
    ]),
  ];
}

const digits = (s: string) => s.replace(/\D/g, '');

export function bestHoldsIdentifier(best: Record<string, unknown>, identifier: string): boolean {
  const text = (key: string) => {
    const value = best[key];
    return typeof value === 'string' ? value : undefined;
  };
  const nationalId = text('national_id');
  const email = text('email');
  const phone = text('phone');
  return (
    (nationalId !== undefined && normaliseIdentifier(nationalId) === normaliseIdentifier(identifier)) ||
    (email !== undefined && normaliseEmail(email) === normaliseEmail(identifier)) ||
    (phone !== undefined && digits(phone).length >= 6 && digits(phone) === digits(identifier)) ||
    (phone !== undefined &&
      normalisePhone(phone) !== undefined &&
      normalisePhone(phone) === normalisePhone(identifier))
  );
}
