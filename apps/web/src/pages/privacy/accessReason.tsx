import { useCallback, useId, useState } from 'react';

const KEY = 'nexus.accessReason';

/** The server's rule (accessReason in @nexus/schema): at least 3 characters once trimmed. */
export const isReason = (text: string) => text.trim().length >= 3;

function stored(): string {
  try {
    return window.sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * Why this person is searching (docs/decisions/0037-access-records-and-masking.md): searches
 * outside the review queue need one and it is recorded with every read. Kept for the tab's
 * session, so one reason covers a search and the customers opened from it.
 */
export function useAccessReason(): { reason: string; valid: boolean; setReason: (text: string) => void } {
  const [reason, set] = useState(stored);
  const setReason = useCallback((text: string) => {
    set(text);
    try {
      window.sessionStorage.setItem(KEY, text);
    } catch {
      // private mode: the reason lives as long as the page
    }
  }, []);
  return { reason, valid: isReason(reason), setReason };
}

/** The reason box shown above a search; the search waits until it holds a reason. */
export function AccessReasonField({
  reason,
  onReason,
}: {
  reason: string;
  onReason: (text: string) => void;
}) {
  const id = useId();
  return (
    <label htmlFor={id} className="field access-reason">
      <span>Reason for looking (recorded)</span>
      <input
        id={id}
        type="text"
        value={reason}
        maxLength={500}
        autoComplete="off"
        placeholder="e.g. caller asked about their registration, ticket 4411"
        onChange={(e) => onReason(e.target.value)}
      />
      {isReason(reason) ? null : (
        <small className="muted">Searches outside the review queue say why: at least 3 characters.</small>
      )}
    </label>
  );
}
