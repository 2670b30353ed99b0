import { Kafka, logLevel, type LogEntry } from 'kafkajs';

export type BusLogLevel = 'error' | 'warn' | 'info';
export type BusLog = (level: BusLogLevel, message: string) => void;

export const stderrBusLog: BusLog = (level, message) => {
  if (level !== 'info') process.stderr.write(`kafka ${level}: ${message}\n`);
};

export interface KafkaClientOptions {
  brokers: readonly string[];
  clientId?: string;
  log?: BusLog;
}

/**
 * One kafkajs client. Requests are retried for about half a minute (a broker restart), then the
 * caller sees the error: the relay retries its batch, the consumer restarts under its own policy.
 */
export function createKafka(o: KafkaClientOptions): Kafka {
  const log = o.log ?? stderrBusLog;
  return new Kafka({
    clientId: o.clientId ?? 'nexus',
    brokers: [...o.brokers],
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, error } = entry as { message: string; error?: string };
        const text = `${message}${error ? `: ${error}` : ''}`;
        // Bounded producer retries are a choice here (docs/decisions/0013), not news.
        const expected = message.startsWith('Limiting retries for the idempotent producer');
        log(level <= logLevel.ERROR ? 'error' : level === logLevel.WARN && !expected ? 'warn' : 'info', text);
      },
  });
}

export class KafkaTimeoutError extends Error {
  readonly code = 'BUS.TIMEOUT';
}

/** For questions that must answer quickly (/health, lag): kafkajs itself retries for ~30 s. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KafkaTimeoutError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
