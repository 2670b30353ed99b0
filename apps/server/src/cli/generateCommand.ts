import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { withFaces } from '../generate/syntheticFaces';
import { generatePopulation } from '../generate/syntheticPeople';
import { writeDataset } from '../generate/writeDataset';
import { ProgressLine } from './progressLine';

interface GenerateOptions {
  people: number;
  dupRate: number;
  faces?: boolean;
  spoofRate: number;
  out: string;
  seed: number;
  prefix: string;
  quiet?: boolean;
}

const count = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000)
    throw new InvalidArgumentError('must be a whole number from 1 to 10000000');
  return n;
};
const rate = (value: string) => {
  const r = Number(value);
  if (!Number.isFinite(r) || r < 0 || r > 1) throw new InvalidArgumentError('must be a number from 0 to 1');
  return r;
};
const integer = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
};

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write synthetic people: DIR/records.csv, face images beside it, DIR/truth.csv')
    .requiredOption('--people <n>', 'distinct people', count)
    .requiredOption(
      '--dup-rate <r>',
      'share of people recorded a second time, with typos and gaps (0..1)',
      rate,
    )
    .option('--faces', 'a face image (PNG) for every record, in DIR/faces')
    .option('--spoof-rate <s>', 'share of faces that are presentation attacks (with --faces)', rate, 0)
    .requiredOption('--out <dir>', 'where to write')
    .option('--seed <n>', 'random seed: the same seed writes the same data', integer, 42)
    .option('--prefix <p>', 'external_id prefix', 'g')
    .option('--quiet', 'no progress line')
    .action((opts: GenerateOptions) => {
      if (opts.spoofRate > 0 && !opts.faces) throw new Error('--spoof-rate needs --faces');
      const progress = new ProgressLine(process.stderr, !opts.quiet);
      const people = generatePopulation({
        people: opts.people,
        dupRate: opts.dupRate,
        seed: opts.seed,
        prefix: opts.prefix,
      });
      const population = opts.faces
        ? withFaces(people, { seed: opts.seed, spoofRate: opts.spoofRate })
        : people;
      const summary = writeDataset(path.resolve(opts.out), population, (n) =>
        progress.update(`written ${n}/${population.length}`),
      );
      progress.done();
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    });
}
