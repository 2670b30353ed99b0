import { Gauge, type Registry } from 'prom-client';

/**
 * A gauge read when scraped (a count in the database, a backlog). When the read fails the gauge
 * has no sample at all, so a dashboard shows a gap and an `absent()` alert fires, instead of a
 * made-up value such as -1 or 0 that looks like a measurement.
 */
export class ScrapedGauge extends Gauge {
  constructor(
    config: { name: string; help: string; registry: Registry },
    private readonly read: () => Promise<number>,
    private readonly onReadFailed: (name: string, error: unknown) => void,
  ) {
    super({ name: config.name, help: config.help, registers: [config.registry] });
  }

  override async get() {
    const base = await super.get();
    try {
      return { ...base, values: [{ value: await this.read(), labels: {} }] };
    } catch (error) {
      this.onReadFailed(base.name, error);
      return { ...base, values: [] };
    }
  }
}
