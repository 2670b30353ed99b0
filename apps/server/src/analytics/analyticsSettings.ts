import type { Config } from '../config';
import type { AnalyticsSettings } from './analyticsService';

export function analyticsSettings(config: Config): AnalyticsSettings {
  return { timeZone: config.NEXUS_ANALYTICS_TIME_ZONE, maxDays: config.NEXUS_ANALYTICS_MAX_DAYS };
}
