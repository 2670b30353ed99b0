/** Numbers, durations and times as people read them, in the browser's language and time zone. */
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export const formatCount = (n: number | null | undefined): string => (n == null ? '–' : integer.format(n));
export const formatDecimal = (n: number | null | undefined): string => (n == null ? '–' : decimal.format(n));
export const formatPercent = (share: number | null | undefined): string =>
  share == null || !Number.isFinite(share) ? '–' : percent.format(share);

export function formatMs(ms: number | null | undefined): string {
  if (ms == null) return '–';
  if (ms < 1) return `${decimal.format(ms * 1000)} µs`;
  if (ms < 1000) return `${decimal.format(ms)} ms`;
  return `${decimal.format(ms / 1000)} s`;
}

const asDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));

export const formatDateTime = (value: string | number | Date | null | undefined): string =>
  value == null ? '–' : dateTime.format(asDate(value));
export const formatTime = (value: string | number | Date | null | undefined): string =>
  value == null ? '–' : timeOnly.format(asDate(value));

/** "3 minutes ago"; `now` is given by tests. */
export function formatAgo(
  value: string | number | Date | null | undefined,
  now: number = Date.now(),
): string {
  if (value == null) return '–';
  const seconds = Math.round((asDate(value).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

/** The message of any thrown value, for error notices. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'something went wrong';
}
