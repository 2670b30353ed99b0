import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiProvider';
import { PageHeader } from '../../ui/states';
import { ReportsView } from './ReportsView';
import type { ReportRange } from './reportTypes';
import './reports.css';

const DAY_MS = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The range lives in the address (?from=&to=&source=&zone=), so a report can be shared; default: the last 30 days. */
function rangeOf(params: URLSearchParams): ReportRange {
  const now = Date.now();
  const source = params.get('source');
  const zone = params.get('zone');
  return {
    from: params.get('from') ?? isoDay(now - 29 * DAY_MS),
    to: params.get('to') ?? isoDay(now),
    ...(source ? { source } : {}),
    ...(zone ? { zone } : {}),
  };
}

export function ReportsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const range = rangeOf(params);
  const zones = useQuery({ queryKey: ['analytics.zones'], queryFn: () => api.analytics.zones.query() });
  const report = useQuery({
    queryKey: ['analytics.report', range],
    queryFn: () => api.analytics.report.query(range),
    refetchInterval: 60_000,
  });
  return (
    <div className="reports-page">
      <PageHeader title="Reports" />
      <ReportsView
        key={`${range.from}|${range.to}|${range.source ?? ''}|${range.zone ?? ''}`}
        range={range}
        zones={zones.data ?? ['UTC']}
        report={report.data}
        loading={report.isPending}
        error={report.error}
        onRetry={() => void report.refetch()}
        onRange={(r) =>
          setParams({
            from: r.from,
            to: r.to,
            ...(r.source ? { source: r.source } : {}),
            ...(r.zone && r.zone !== 'UTC' ? { zone: r.zone } : {}),
          })
        }
      />
    </div>
  );
}
