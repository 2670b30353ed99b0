import { pino, type Logger } from 'pino';
import { createDb, loadActiveModel, migrateToLatest, type Db } from '@nexus/actors';
import { rollupZones } from './analytics/analyticsService';
import { analyticsSettings } from './analytics/analyticsSettings';
import { RollupSchedule } from './analytics/rollupSchedule';
import { AccessTokens } from './auth/accessTokens';
import { resolveTech5 } from './biometrics/tech5';
import { ensureFirstAdmin } from './auth/firstAdmin';
import { resolveServerSecretKey } from './auth/serverSecretKey';
import { resolveSigningKey } from './auth/signingKey';
import type { Config } from './config';
import { redact, resolvePostgres } from './db/postgres';
import { startEngine, type Engine } from './engine/engine';
import { logEngineFailures } from './engine/engineFailureLog';
import { startHttpServer, type RunningHttpServer } from './http/httpServer';
import { RateLimiter } from './http/rateLimiter';
import { TrustedProxies } from './http/trustedProxies';
import { ShutdownRegistry } from './lifecycle/shutdown';
import { IdentifyMonitor } from './identify/identifyMonitor';
import { JobService } from './jobs/jobService';
import type { Notifier } from './notifications/notifier';
import { LiveHub } from './live/liveHub';
import { LOG_REDACTION } from './privacy/logRedaction';
import { retentionSettings } from './privacy/retention';
import { RetentionSchedule } from './privacy/retentionSchedule';
import { RetrainSchedule } from './training/retrainSchedule';
import { retrainSettings } from './training/retrainSettings';
import { createMetrics } from './metrics/metrics';
import { startNotifications } from './notifications/notifications';
import type { ServerDeps } from './trpc/context';
import { AccountSessions } from './users/accountSessions';

export interface RunningNexus {
  db: Db;
  databaseUrl: string;
  engine: Engine;
  http: RunningHttpServer;
  deps: ServerDeps;
  shutdown: ShutdownRegistry;
}

export interface StartOptions {
  /** Structured logs (requests, auth failures); default: pino at LOG_LEVEL on stderr. */
  logger?: Logger;
  /** Who is told when a job ends (webhooks, Slack, email); default: nobody. */
  notifier?: Notifier;
}

/** The structured logger of `nexus start`: JSON lines on stderr, stdout stays for people. */
export function createLogger(level: Config['LOG_LEVEL']): Logger {
  return pino(
    { level, base: { service: 'nexus' }, timestamp: pino.stdTimeFunctions.isoTime, redact: LOG_REDACTION },
    pino.destination(2),
  );
}

/**
 * `nexus start`: Postgres (given or embedded), migrations, the first admin, the engine, the HTTP
 * and WebSocket server. Everything started registers in `shutdown` (the caller's, so a signal
 * during start-up closes what was started so far).
 */
export async function startNexus(
  config: Config,
  log: (line: string) => void,
  shutdown: ShutdownRegistry = new ShutdownRegistry(),
  options: StartOptions = {},
): Promise<RunningNexus> {
  try {
    const postgres = await resolvePostgres(config.DATABASE_URL, config.NEXUS_DATA_DIR, log);
    shutdown.register('postgres', () => postgres.stop());
    log(
      postgres.embedded
        ? `database: embedded Postgres, data in ${config.NEXUS_DATA_DIR}`
        : `database: ${redact(postgres.url)}`,
    );
    const db = createDb(postgres.url, { maxConnections: 10, applicationName: 'nexus-server' });
    shutdown.register('database pool', () => db.destroy());
    await migrateToLatest(db);
    const model = await loadActiveModel(db);
    log(`matching model: version ${model.version}`);
    const admin = await ensureFirstAdmin(db, config.NEXUS_ADMIN_PASSWORD);
    if (admin.created) log(firstAdminMessage(admin.generatedPassword));
    // Read when first needed: with NEXUS_JWT_SECRET set, only notification secrets may need it.
    let secretKey: ReturnType<typeof resolveServerSecretKey> | undefined;
    const serverSecretKey = () =>
      (secretKey ??= resolveServerSecretKey(config.NEXUS_SECRET_KEY, config.NEXUS_DATA_DIR));
    const tokens = new AccessTokens({
      secret: config.NEXUS_JWT_SECRET ?? (await resolveSigningKey(db, await serverSecretKey())),
      issuer: config.NEXUS_JWT_ISSUER,
      audience: config.NEXUS_JWT_AUDIENCE,
      ttlSeconds: config.NEXUS_ACCESS_TOKEN_TTL,
    });
    const tech5 = await resolveTech5(config, shutdown, log);
    const engine = await startEngine({ ...config, ...tech5 }, db, postgres.url);
    shutdown.register('engine', () => engine.stop());
    log(`engine: ${config.NEXUS_PARTITIONS} partitions, ${config.NEXUS_WORKERS} worker threads`);
    const identify = new IdentifyMonitor();
    const live = new LiveHub(engine, { db, identify });
    live.start();
    shutdown.register('live feeds', () => live.stop());
    const logger = options.logger ?? createLogger(config.LOG_LEVEL);
    shutdown.register('engine failure log', logEngineFailures(engine, logger));
    const metrics = createMetrics(db, engine, logger, identify);
    shutdown.register('metrics', () => metrics.stop());
    const rollups = new RollupSchedule(
      db,
      {
        zones: rollupZones(analyticsSettings(config)),
        intervalSeconds: config.NEXUS_ROLLUP_INTERVAL_SECONDS,
        lateDays: config.NEXUS_ROLLUP_LATE_DAYS,
      },
      logger,
    );
    rollups.start();
    shutdown.register('daily rollups', () => rollups.stop());
    const retention = new RetentionSchedule(
      db,
      retentionSettings(config),
      config.NEXUS_RETENTION_INTERVAL_SECONDS,
      logger,
    );
    retention.start();
    shutdown.register('retention', () => retention.stop());
    const retraining = new RetrainSchedule(
      db,
      retrainSettings(config),
      config.NEXUS_RETRAIN_INTERVAL_SECONDS,
      logger,
    );
    retraining.start();
    shutdown.register('model retraining', () => retraining.stop());
    const notifications = startNotifications(
      config,
      db,
      postgres.url,
      async () => (await serverSecretKey()).key,
      logger,
      shutdown,
      engine.events,
    );
    const jobs = new JobService({
      db,
      partitions: engine.bus.partitions,
      key: (await serverSecretKey()).key,
      config,
      logger,
      notifier: options.notifier ?? notifications.notifier,
      onChange: () => engine.changes.announce('records_stored'),
    });
    jobs.start();
    shutdown.register('jobs', () => jobs.stop());
    const deps: ServerDeps = {
      jobs,
      config,
      db,
      engine,
      live,
      auth: { db, tokens, refreshTtlSeconds: config.NEXUS_REFRESH_TOKEN_TTL },
      logger,
      loginLimiter: new RateLimiter(
        config.NEXUS_LOGIN_RATE_PER_MINUTE / 60,
        config.NEXUS_LOGIN_RATE_PER_MINUTE,
        config.NEXUS_RATE_LIMIT_MAX_CLIENTS,
      ),
      sessions: new AccountSessions(),
      proxies: new TrustedProxies(config.NEXUS_TRUSTED_PROXIES),
      identify,
      abisUrl: tech5.TECH5_ABIS_URL,
      notifications,
    };
    const http = await startHttpServer(deps, metrics, { host: config.HOST, port: config.PORT });
    shutdown.register('http and websocket server', () => http.close());
    return { db, databaseUrl: postgres.url, engine, http, deps, shutdown };
  } catch (error) {
    await shutdown.shutdown();
    throw error;
  }
}

function firstAdminMessage(generatedPassword: string | undefined): string {
  const signIn =
    'sign in with POST /api/v1/auth/login {"username":"admin","password":"..."} or on the dashboard (the address below)';
  if (!generatedPassword)
    return `created the first user "admin" with the password in NEXUS_ADMIN_PASSWORD; ${signIn}`;
  return [
    'created the first user "admin". Its password, shown only this once:',
    '',
    `    ${generatedPassword}`,
    '',
    `  ${signIn}, then add people on its Users page or with \`npx nexus user add NAME --role ROLE\`.`,
    '  (Set NEXUS_ADMIN_PASSWORD before the first start to choose it instead.)',
  ].join('\n');
}
