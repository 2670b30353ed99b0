import { randomBytes } from 'node:crypto';

/**
 * Ids that sort in the order they were made: UUIDv7 (RFC 9562) with a 42-bit counter after the
 * millisecond (its "method 1"). Records: the relay publishes a batch's records by
 * (received_at, id), and received_at is the batch's transaction time, shared by all of them;
 * with random ids a batch reached the bus in a random order, so the same file was decided in a
 * different order on every run. Golden records: a tie between two candidates goes to the lower
 * id, which is then the older golden record rather than a coin toss.
 */
let lastMs = 0;
let counter = 0;
const COUNTER_LIMIT = 2 ** 42;

export function timeOrderedId(now: number = Date.now()): string {
  // A clock that steps back keeps the last millisecond, so ids never go backwards.
  if (now > lastMs) {
    lastMs = now;
    // A random start in the lower half leaves room for 2^41 ids within one millisecond.
    counter = randomBytes(4).readUInt32BE() * 2 ** 9;
  } else if (++counter >= COUNTER_LIMIT) {
    lastMs++;
    counter = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  const high = Math.floor(counter / 2 ** 30); // 12 bits, after the version nibble
  const low = counter % 2 ** 30; // 30 bits, after the variant
  bytes[6] = 0x70 | (high >> 8);
  bytes[7] = high & 0xff;
  bytes.writeUInt32BE(((0b10 << 30) | low) >>> 0, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
