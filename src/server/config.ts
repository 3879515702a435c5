import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().min(1).optional(),
  TANDEM_DATA_DIR: z.string().min(1).default('./data'),
  /** Where uploaded documents are kept; defaults to <TANDEM_DATA_DIR>/files. */
  TANDEM_FILES_DIR: z.string().min(1).optional(),
  /** An S3-compatible object store for documents (several instances need one); all five or none. */
  TANDEM_S3_ENDPOINT: z.string().url().optional(),
  TANDEM_S3_BUCKET: z.string().min(3).max(63).optional(),
  TANDEM_S3_REGION: z.string().min(1).default('us-east-1'),
  TANDEM_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  TANDEM_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Minutes of inactivity after which a session ends. */
  TANDEM_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Hours after sign-in after which a session ends whatever the activity. */
  TANDEM_SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(12),
  /** Set when Tandem runs behind a TLS-terminating proxy, so cookies are Secure and X-Forwarded-* is trusted. */
  TANDEM_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Public address used in invitation and reset links. */
  TANDEM_PUBLIC_URL: z.string().url().optional(),
  /** Sign-in and reset attempts allowed per client address per minute (on top of the per-account lockout). */
  TANDEM_AUTH_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Outcomes report: figures built on fewer people than this are withheld from aggregate-only audiences. */
  TANDEM_MIN_CELL_SIZE: z.coerce.number().int().min(1).max(1000).default(5),
  /** How often the server re-sends parents' unanswered questionnaire links (hours; 0 = never, e.g. when cron runs `tandem remind`). */
  TANDEM_REMINDER_HOURS: z.coerce.number().int().min(0).max(168).default(6),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  filesDir: string;
  s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string } | null;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  trustProxy: boolean;
  publicUrl: string | undefined;
  logLevel: string;
  authRatePerMinute: number;
  minCellSize: number;
  reminderHours: number;
};

export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  // An empty variable (DATABASE_URL= in a shell or a .env file) means "not set", as it does for most tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Bad configuration: ${problems}`);
  }
  const e = parsed.data;
  const s3Parts = [e.TANDEM_S3_ENDPOINT, e.TANDEM_S3_BUCKET, e.TANDEM_S3_ACCESS_KEY_ID, e.TANDEM_S3_SECRET_ACCESS_KEY];
  if (s3Parts.some(Boolean) && !s3Parts.every(Boolean)) {
    throw new Error('Bad configuration: TANDEM_S3_ENDPOINT, TANDEM_S3_BUCKET, TANDEM_S3_ACCESS_KEY_ID and TANDEM_S3_SECRET_ACCESS_KEY go together');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.TANDEM_DATA_DIR,
    s3:
      e.TANDEM_S3_ENDPOINT && e.TANDEM_S3_BUCKET && e.TANDEM_S3_ACCESS_KEY_ID && e.TANDEM_S3_SECRET_ACCESS_KEY
        ? { endpoint: e.TANDEM_S3_ENDPOINT, bucket: e.TANDEM_S3_BUCKET, region: e.TANDEM_S3_REGION, accessKeyId: e.TANDEM_S3_ACCESS_KEY_ID, secretAccessKey: e.TANDEM_S3_SECRET_ACCESS_KEY }
        : null,
    filesDir: e.TANDEM_FILES_DIR ?? `${e.TANDEM_DATA_DIR.replace(/\/$/, '')}/files`,
    sessionIdleMinutes: e.TANDEM_SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.TANDEM_SESSION_ABSOLUTE_HOURS,
    trustProxy: e.TANDEM_TRUST_PROXY,
    publicUrl: e.TANDEM_PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    authRatePerMinute: e.TANDEM_AUTH_RATE_PER_MINUTE,
    minCellSize: e.TANDEM_MIN_CELL_SIZE,
    reminderHours: e.TANDEM_REMINDER_HOURS,
  };
};
