import { startTech5Simulator } from '@nexus/tech5-sim';
import { ConfigError, type Config } from '../config';
import type { ShutdownRegistry } from '../lifecycle/shutdown';

export type Tech5Urls = Required<Pick<Config, 'TECH5_LDS_URL' | 'TECH5_ABIS_URL'>>;

/**
 * Where Tech5 is: TECH5_LDS_URL and TECH5_ABIS_URL when set, otherwise the simulator
 * (apps/tech5-sim) started here on a loopback port and closed by the shutdown registry.
 */
export async function resolveTech5(
  config: Pick<Config, 'TECH5_LDS_URL' | 'TECH5_ABIS_URL'> &
    Partial<Pick<Config, 'TECH5_SIM_FIXED_LATENCY_MS'>>,
  shutdown: ShutdownRegistry,
  log: (line: string) => void,
): Promise<Tech5Urls> {
  const { TECH5_LDS_URL, TECH5_ABIS_URL } = config;
  if (TECH5_LDS_URL && TECH5_ABIS_URL) {
    log(`tech5: liveness ${TECH5_LDS_URL}, ABIS ${TECH5_ABIS_URL}`);
    return { TECH5_LDS_URL, TECH5_ABIS_URL };
  }
  if (TECH5_LDS_URL || TECH5_ABIS_URL) {
    throw new ConfigError(
      'invalid configuration: set TECH5_LDS_URL and TECH5_ABIS_URL together, or neither (the simulator)',
    );
  }
  const fixedLatencyMs = config.TECH5_SIM_FIXED_LATENCY_MS ?? 0;
  const simulator = await startTech5Simulator({ host: '127.0.0.1', port: 0, fixedLatencyMs });
  shutdown.register('tech5 simulator', () => simulator.close());
  const mode = fixedLatencyMs > 0 ? `, every answer after ${fixedLatencyMs} ms` : '';
  log(`tech5: simulator on ${simulator.url}${mode} (set TECH5_LDS_URL and TECH5_ABIS_URL for a real Tech5)`);
  return { TECH5_LDS_URL: simulator.ldsUrl, TECH5_ABIS_URL: simulator.abisUrl };
}
