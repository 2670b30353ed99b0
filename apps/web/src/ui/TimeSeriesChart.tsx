import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  color: string;
  /** Unit shown in the legend after the value. */
  unit?: string;
}

/** Columns: x in epoch seconds, then one column per series (null = no value). */
export type ChartData = [number[], ...(number | null)[][]];

/**
 * A live time-series chart (uPlot, canvas): created once, then only fed new data, so a tick costs
 * one redraw, not a React re-render of hundreds of SVG nodes. Its height is fixed: no layout jump.
 */
export function TimeSeriesChart({
  title,
  series,
  data,
  height = 180,
  yLabel,
}: {
  title: string;
  series: ChartSeries[];
  data: ChartData;
  height?: number;
  yLabel?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const seriesKey = series.map((s) => s.label).join('|');

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      hooks: {
        // Away from the chart the legend shows the latest values, not dashes.
        setCursor: [(u) => u.cursor.idx == null && showLatest(u)],
      },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max)] } },
      axes: [
        { stroke: '#5b6472', grid: { stroke: '#eef0f3' } },
        { stroke: '#5b6472', grid: { stroke: '#eef0f3' }, size: 50, ...(yLabel ? { label: yLabel } : {}) },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          points: { show: false },
          value: (_u: uPlot, v: number | null) =>
            v == null ? '–' : `${Math.round(v * 10) / 10}${s.unit ?? ''}`,
        })),
      ],
    };
    const plot = new uPlot(options, data, element);
    chart.current = plot;
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(200, element.clientWidth), height }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
    // Data changes go through setData below; only a new set of series rebuilds the chart.
  }, [seriesKey, height, yLabel]);

  useEffect(() => {
    const plot = chart.current;
    if (!plot) return;
    plot.setData(data);
    if (plot.cursor.idx == null) showLatest(plot);
  }, [data]);

  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <div ref={host} className="chart-canvas" style={{ minHeight: height + 30 }} />
    </figure>
  );
}

function showLatest(plot: uPlot): void {
  const last = plot.data[0].length - 1;
  if (last >= 0) plot.setLegend({ idx: last });
}
