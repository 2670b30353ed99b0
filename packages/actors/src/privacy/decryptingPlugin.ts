import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { UnknownDataKeyError } from './fieldCipher';
import { installedFieldCipher, openWith } from './personalFields';

/**
 * Opens every sealed value in every query result, so the code that reads records, golden records,
 * dead letters and bus messages sees plain values without knowing about encryption: the one
 * read hook of encryption at rest. Does nothing (not even a walk) while encryption is off.
 */
export class DecryptingPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const cipher = installedFieldCipher();
    if (cipher === undefined || args.result.rows.length === 0) return args.result;
    try {
      openWith(cipher, args.result.rows);
    } catch (error) {
      // Rotated by another process a moment ago: re-read the keys once, then open what is left.
      if (!(error instanceof UnknownDataKeyError) || !('refresh' in cipher)) throw error;
      await (cipher as { refresh(): Promise<void> }).refresh();
      openWith(cipher, args.result.rows);
    }
    return args.result;
  }
}
