/**
 * The value, or an error that names what was missing. A `!` claims the same thing but, when the
 * claim is wrong, fails somewhere later with "cannot read properties of undefined"; this fails
 * here, with `what` in the message. For a value that is there whenever the code around it is
 * right (a row an aggregate always returns, an index inside its array); a value that may
 * legitimately be absent is narrowed and handled instead.
 */
export function required<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`${what} missing`);
  return value;
}
