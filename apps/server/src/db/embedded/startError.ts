/** The embedded or configured Postgres could not be started or reached; the message says why and what to do. */
export class PostgresStartError extends Error {
  readonly code = 'DB.START_FAILED';
}
