import type { Config } from '../config';
import type { RetrainSettings } from './retraining';

export function retrainSettings(config: Config): RetrainSettings {
  return {
    firstRecords: config.NEXUS_RETRAIN_FIRST_RECORDS,
    growthFactor: config.NEXUS_RETRAIN_GROWTH_FACTOR,
    heldBackShare: config.NEXUS_RETRAIN_HELD_BACK_SHARE,
  };
}
