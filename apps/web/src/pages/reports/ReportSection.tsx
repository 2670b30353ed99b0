import { TimeSeriesChart, type ChartData, type ChartSeries } from '../../ui/TimeSeriesChart';
import { tableCsv, type Table } from './reportTables';

const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#be185d', '#4b5563'];

/** A day-indexed table as chart columns: x in epoch seconds (midnight UTC of each day). */
function chartOf(table: Table, columns: string[]): ChartData {
  const xs = table.rows.map((row) => Date.parse(`${String(row[0])}T00:00:00Z`) / 1000);
  const ys = columns.map((c) => {
    const i = table.columns.indexOf(c);
    return table.rows.map((row) => (typeof row[i] === 'number' ? row[i] : null));
  });
  return [xs, ...ys];
}

function download(name: string, table: Table) {
  const url = URL.createObjectURL(new Blob([tableCsv(table)], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** One report: a chart over the days (when it has one), the table it draws, and the table as CSV. */
export function ReportSection({
  title,
  description,
  table,
  chartColumns,
  unit,
  file,
  detail,
}: {
  title: string;
  description: string;
  table: Table;
  /** The table's columns drawn as series; none: a table only. */
  chartColumns?: string[];
  unit?: string;
  file: string;
  /** A second table (e.g. totals over the range). */
  detail?: Table;
}) {
  const series: ChartSeries[] = (chartColumns ?? []).map((label, i) => {
    const color = PALETTE[i % PALETTE.length];
    if (color === undefined) throw new Error('the report chart palette has no colours');
    return { label, color, ...(unit ? { unit } : {}) };
  });
  return (
    <section className="report" aria-label={title}>
      <header className="report-header">
        <div>
          <h2>{title}</h2>
          <p className="muted">{description}</p>
        </div>
        <button type="button" className="button" onClick={() => download(file, detail ?? table)}>
          Download CSV
        </button>
      </header>
      {chartColumns && table.rows.length > 0 ? (
        <TimeSeriesChart title={title} series={series} data={chartOf(table, chartColumns)} height={200} />
      ) : null}
      <ReportTable title={title} table={detail ?? table} />
    </section>
  );
}

function ReportTable({ title, table }: { title: string; table: Table }) {
  if (table.rows.length === 0) return <p className="muted">No rows in this range.</p>;
  return (
    <div className="table-wrap report-table">
      <table aria-label={`${title} table`}>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((v, j) => (
                <td key={j} className={typeof v === 'number' ? 'numeric' : undefined}>
                  {v === null ? '–' : String(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
