import { createHmac, randomBytes } from 'node:crypto';

/** Per process: a reference cannot be turned back into what was typed, not even by guessing and hashing. */
const KEY = randomBytes(32);

/**
 * What a failed sign-in logs for the username typed. An account's name is logged as it is; for
 * a name no account has (often a password typed into the wrong field) only a keyed hash, which
 * still lets one process's log lines about the same attempt be matched up.
 */
export function usernameForLog(
  typed: string,
  accountExists: boolean,
): { username: string } | { usernameRef: string } {
  if (accountExists) return { username: typed };
  return { usernameRef: createHmac('sha256', KEY).update(typed.toLowerCase()).digest('hex').slice(0, 16) };
}
