/**
 * Offline evaluator: replays each labelled data set through the online decision, one record at
 * a time in file order, as the engine does, and prints pairwise precision, recall and F1.
 *
 *   npx tsx packages/matching/src/evaluate.ts [--data DIR] [--only NAME] [--link=N]
 *       [--review=N] [--no-tf] [--train] [--verbose]
 *
 * Candidates are the current clusters that share a blocking key with the record; a link joins
 * the best cluster, a new decision opens one, a review leaves the record out of every cluster.
 * Term frequencies come from the whole data set, as `nexus train` would compute them from the
 * register; with --no-tf the model's own u is used throughout. With --train each set is also
 * run under a model trained on the set itself without labels (as `nexus train` after a default
 * run: u from random pairs, m by EM over blocked pairs, the model's own term frequencies);
 * --verbose prints its m/u against the defaults.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY, type DecisionPolicy } from './decide';
import { DEFAULT_MODEL } from './defaultModel';
import { loadDataSets, type LabelledDataSet } from './evaluationData';
import { normaliseRecord } from './normaliseRecord';
import { simulate, type RunResult } from './simulateDecisions';
import { formatModelComparison } from './training/compareModels';
import type { TrainingResult } from './training/trainModel';
import { trainOnRecords } from './training/trainOnRecords';

function format(r: RunResult): string {
  const cells = [
    r.name.padEnd(30),
    String(r.records).padStart(6),
    r.precision.toFixed(4),
    r.recall.toFixed(4),
    r.f1.toFixed(4),
    `${(r.reviewShare * 100).toFixed(2)}%`.padStart(7),
    String(r.mergeProposals).padStart(5),
    r.blockingRecall.toFixed(4),
    r.largest.padStart(8),
    `${r.meanCandidates.toFixed(1)}/${r.maxCandidates}`.padStart(8),
    r.recordsPerSecond.toFixed(0).padStart(7),
  ];
  return cells.join('  ');
}

/** Trains on the set's own records, without their labels, starting from the defaults. */
function trainOn(set: LabelledDataSet): TrainingResult {
  const normalised = set.records.map((r) => normaliseRecord(r.record));
  return trainOnRecords(DEFAULT_MODEL, normalised, { version: `trained-on-${set.name}` });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      // The labelled data live beside the repository, never inside it (NEXUS_SHARED_DATA moves them).
      data: {
        type: 'string',
        default: fileURLToPath(new URL('../../../../shared/data', import.meta.url)),
      },
      only: { type: 'string' },
      link: { type: 'string' },
      review: { type: 'string' },
      'no-tf': { type: 'boolean', default: false },
      train: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  const policy: DecisionPolicy = {
    linkThreshold: values.link === undefined ? DEFAULT_POLICY.linkThreshold : Number(values.link),
    reviewThreshold: values.review === undefined ? DEFAULT_POLICY.reviewThreshold : Number(values.review),
  };
  const sets = loadDataSets(values.data).filter(
    (s) => values.only === undefined || s.name.includes(values.only),
  );
  console.log(
    `model ${DEFAULT_MODEL.version}, link >= ${policy.linkThreshold}, review >= ${policy.reviewThreshold}, ` +
      `term frequencies ${values['no-tf'] ? 'off' : 'on'}`,
  );
  console.log(
    [
      'data set'.padEnd(30),
      'recs'.padStart(6),
      'P     ',
      'R     ',
      'F1    ',
      'review'.padStart(7),
      'merge',
      'blockR',
      'largest'.padStart(8),
      'cand'.padStart(8),
      'rec/s'.padStart(7),
    ].join('  '),
  );
  for (const set of sets) {
    console.log(format(simulate(set, DEFAULT_MODEL, policy, values['no-tf'] ? 'off' : 'data')));
    if (!values.train) continue;
    const trained = trainOn(set);
    const tf = values['no-tf'] ? 'off' : 'model';
    console.log(format(simulate(set, trained.model, policy, tf, `  trained (${trained.iterations} it)`)));
    if (values.verbose) {
      console.log(
        `  random pairs ${trained.randomPairs} (${trained.randomPairMatches.toFixed(1)} matches left out), ` +
          `blocked pairs ${trained.blockedPairs}, patterns ${trained.patterns}, ` +
          `expected matches ${trained.expectedMatches.toFixed(0)}, converged ${trained.converged}`,
      );
      console.log(formatModelComparison(DEFAULT_MODEL, trained.model));
    }
  }
}

main();
