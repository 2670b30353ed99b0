/**
 * Failure injection, per service, on demand: what a real Tech5 deployment does on a bad day.
 * Each request draws once: dropped connection, no answer (the client must time out), 503, or
 * through, after the added latency.
 */
import { z } from 'zod';

export const TECH5_SERVICES = ['lds', 'abis'] as const;
export type Tech5Service = (typeof TECH5_SERVICES)[number];

export const faultSpecSchema = z.object({
  /** Added to every answer, in ms (plus up to jitterMs more). */
  latencyMs: z.number().min(0).max(600_000).default(0),
  jitterMs: z.number().min(0).max(600_000).default(0),
  /** Every request answers 503 (an outage). */
  unavailable: z.boolean().default(false),
  /** Share of requests that answer 503. */
  errorRate: z.number().min(0).max(1).default(0),
  /** Share of requests never answered (held until the client gives up or the simulator closes). */
  timeoutRate: z.number().min(0).max(1).default(0),
  /** Share of requests whose connection is destroyed without an answer. */
  dropRate: z.number().min(0).max(1).default(0),
  /** Only these operations fail (e.g. ['insert'] or ['liveness']); all of the service's by default. */
  operations: z.array(z.string()).optional(),
});
export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type FaultInput = z.input<typeof faultSpecSchema> & { services?: Tech5Service[] };

export type FaultDraw = 'drop' | 'timeout' | 'unavailable' | 'pass';

export const NO_FAULTS: FaultSpec = faultSpecSchema.parse({});

export class FaultPlan {
  private specs: Record<Tech5Service, FaultSpec> = { lds: NO_FAULTS, abis: NO_FAULTS };

  constructor(private readonly random: () => number = Math.random) {}

  /** Replaces the faults of the given services (both by default); `{}` clears them. */
  set(input: FaultInput): void {
    const spec = faultSpecSchema.parse(input);
    for (const service of input.services ?? TECH5_SERVICES) this.specs[service] = spec;
  }

  get(service: Tech5Service): FaultSpec {
    return this.specs[service];
  }

  draw(service: Tech5Service, operation: string): FaultDraw {
    const s = this.specs[service];
    if (s.operations && !s.operations.includes(operation)) return 'pass';
    if (s.unavailable) return 'unavailable';
    const r = this.random();
    if (r < s.dropRate) return 'drop';
    if (r < s.dropRate + s.timeoutRate) return 'timeout';
    if (r < s.dropRate + s.timeoutRate + s.errorRate) return 'unavailable';
    return 'pass';
  }

  delayMs(service: Tech5Service, operation: string): number {
    const s = this.specs[service];
    if (s.operations && !s.operations.includes(operation)) return 0;
    return s.latencyMs + (s.jitterMs > 0 ? this.random() * s.jitterMs : 0);
  }
}
