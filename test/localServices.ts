import { execFile } from 'node:child_process';
import path from 'node:path';

const INFRA = path.resolve(import.meta.dirname, '../infra/local');

export type LocalService = 'kafka' | 'elasticsearch';

function run(service: LocalService, command: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [path.join(INFRA, `${service}.sh`), command],
      { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`infra/local/${service}.sh ${command} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

function address(service: LocalService, stdout: string, command: string): string {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const match = /^(KAFKA_BROKERS|ELASTICSEARCH_URL)=(.+)$/.exec(last);
  if (!match?.[2]) throw new Error(`infra/local/${service}.sh ${command} printed no address: ${last}`);
  return match[2];
}

/** The address of an instance that is already running, or undefined (`status` exits 3). */
export async function runningLocalService(
  service: LocalService,
  env: NodeJS.ProcessEnv = {},
): Promise<string | undefined> {
  try {
    return address(service, await run(service, 'status', env), 'status');
  } catch {
    return undefined;
  }
}

/**
 * Starts a real Kafka broker or Elasticsearch node from infra/local and returns its address,
 * parsed from the script's last line (`KAFKA_BROKERS=host:port` / `ELASTICSEARCH_URL=...`).
 * `env` picks another instance, e.g. `{ KAFKA_PORT: '19192' }`.
 */
export async function startLocalService(service: LocalService, env: NodeJS.ProcessEnv = {}): Promise<string> {
  return address(service, await run(service, 'start', env), 'start');
}

export async function stopLocalService(service: LocalService, env: NodeJS.ProcessEnv = {}): Promise<void> {
  await run(service, 'stop', env);
}

/** Stops the instance and deletes its data (for instances a suite made for itself). */
export async function resetLocalService(service: LocalService, env: NodeJS.ProcessEnv = {}): Promise<void> {
  await run(service, 'reset', env);
}
