/**
 * `tech5-sim`: the simulator on its own, for a Nexus started elsewhere or for a look with curl.
 * Prints TECH5_LDS_URL=... and TECH5_ABIS_URL=... once it listens; Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { startTech5Simulator } from './simulator';

const USAGE = `usage: tech5-sim [--port N] [--host ADDR] [--latency-ms N | --fixed-latency-ms N] [--liveness-threshold X] [--seed-references N]
  --latency-ms N        add N ms to every answer, on top of the real image work
  --fixed-latency-ms N  answer every call N ms after it arrived, with next to no CPU (each image
                        read once, generated faces judged by their capture mark); default from
                        TECH5_SIM_FIXED_LATENCY_MS`;

/** The option each parsed number came from, for the error that names it. */
const FLAG_OF = {
  port: 'port',
  latencyMs: 'latency-ms',
  fixedLatencyMs: 'fixed-latency-ms',
  seed: 'seed-references',
  threshold: 'liveness-threshold',
} as const;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '7005' },
        host: { type: 'string', default: '127.0.0.1' },
        'latency-ms': { type: 'string', default: '0' },
        'fixed-latency-ms': { type: 'string', default: env.TECH5_SIM_FIXED_LATENCY_MS ?? '0' },
        'liveness-threshold': { type: 'string' },
        'seed-references': { type: 'string', default: '0' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`tech5-sim: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const numbers = {
    port: Number(values.port),
    latencyMs: Number(values['latency-ms']),
    fixedLatencyMs: Number(values['fixed-latency-ms']),
    seed: Number(values['seed-references']),
    threshold: values['liveness-threshold'] === undefined ? undefined : Number(values['liveness-threshold']),
  };
  const bad = Object.entries(numbers).find(([, v]) => v !== undefined && !Number.isFinite(v));
  if (bad) {
    process.stderr.write(
      `tech5-sim: --${FLAG_OF[bad[0] as keyof typeof numbers]} must be a number\n${USAGE}\n`,
    );
    return 2;
  }
  if (numbers.latencyMs > 0 && numbers.fixedLatencyMs > 0) {
    process.stderr.write(`tech5-sim: --latency-ms and --fixed-latency-ms exclude each other\n${USAGE}\n`);
    return 2;
  }
  const sim = await startTech5Simulator({
    port: numbers.port,
    host: values.host,
    latencyMs: numbers.latencyMs,
    fixedLatencyMs: numbers.fixedLatencyMs,
    livenessThreshold: numbers.threshold,
  });
  if (numbers.seed > 0) sim.seedReferences(numbers.seed);
  process.stdout.write(`TECH5_LDS_URL=${sim.ldsUrl}\nTECH5_ABIS_URL=${sim.abisUrl}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  return 0;
}
