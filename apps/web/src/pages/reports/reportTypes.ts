import type { Api } from '../../api/client';

/** The API's own output types: the page follows the server's shapes as they change. */
export type Report = Awaited<ReturnType<Api['analytics']['report']['query']>>;
export type DailyRow = Report['days'][number];

export interface ReportRange {
  from: string;
  to: string;
  source?: string;
  zone?: string;
}
