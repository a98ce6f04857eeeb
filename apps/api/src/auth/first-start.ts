import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { seedDemoUsers } from '@cad/db';
import type { AppConfig } from '../config/config';

/** `app_setting` key marking a record as a demo: its demo accounts (known password) may sign in. */
export const DEMO_RECORD_KEY = 'demo_record';
/** `app_setting` key of the pending one-time token that sets the first city commander's password. */
export const FIRST_PASSWORD_KEY = 'first_password_token';
/** How long a printed first-password token stays usable, seconds (one day: a new start prints a new one). */
export const FIRST_PASSWORD_TTL_S = 24 * 3600;
/** Username of the first city commander created on a record that is not a demo. */
export const FIRST_COMMANDER = 'commander';

/** The stored form of a first-password token: only its SHA-256 is kept. */
export interface FirstPasswordToken {
  sha256: string;
  userId: string;
  expiresAt: string;
}

/** True when the record was created as a demo (demo accounts seeded; see {@link prepareAccounts}). */
export async function isDemoRecord(ds: DataSource): Promise<boolean> {
  const [row] = await ds.query('SELECT value FROM app_setting WHERE key = $1', [DEMO_RECORD_KEY]);
  return row?.value === 'true';
}

/** SHA-256 (hex) of a first-password token, as stored. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What {@link prepareAccounts} found or did. */
export interface AccountsAtStart {
  demo: boolean;
  /** Demo accounts created now. */
  seeded: number;
  /** The one-time first-password token printed now (null when none was needed or asked for). */
  firstPasswordToken: string | null;
}

/**
 * Accounts at start-up, so that no record outside a demo has an account with a known password:
 * - `SEED_DEMO_USERS=true` on a record without accounts seeds the demo accounts (one per post, the
 *   password `DEMO_PASSWORD`) and marks the record as a demo, for good;
 * - a demo record is said loudly at every start;
 * - on any other record, while no active city commander has a password, the account `commander` is
 *   created without one and (when `issueToken`: the API's start, not a worker's) a one-time token to set
 *   its password is printed, valid {@link FIRST_PASSWORD_TTL_S} s; a later start prints a fresh one and
 *   the older stops working.
 * @param url the console's address, to print the first-password link
 */
export async function prepareAccounts(
  ds: DataSource,
  config: AppConfig,
  log: (m: string) => void,
  opts: { issueToken: boolean; url: string; announce?: (m: string) => void },
): Promise<AccountsAtStart> {
  // What a person must read at start (the demo banner, the first-password link) is logged and announced.
  const loud = (m: string) => {
    log(m);
    opts.announce?.(m);
  };
  let demo = await isDemoRecord(ds);
  let seeded = 0;
  if (config.SEED_DEMO_USERS) {
    const [{ n }] = await ds.query('SELECT COUNT(*)::int AS n FROM app_user');
    if (n === 0) {
      seeded = (await seedDemoUsers(ds, config.DEMO_PASSWORD)).created;
      await ds.query(`INSERT INTO app_setting (key, value) VALUES ($1, 'true') ON CONFLICT (key) DO UPDATE SET value = 'true'`, [DEMO_RECORD_KEY]);
      demo = true;
    } else if (!demo) {
      // Loud: a newcomer following the README would otherwise find the demo accounts refused with no word why.
      loud(
        banner(
          `NO DEMO ACCOUNTS: the database ${databaseName(config.DATABASE_URL)} already holds real accounts, so SEED_DEMO_USERS is ignored and\n` +
            `  the demo password signs no one in. Sign in with this record's own accounts, or start on a fresh\n` +
            `  database for the demo: DATABASE_URL=postgres://<user>@<host>:<port>/cad_demo npm start`,
        ),
      );
    }
  }
  if (demo) {
    loud(banner(`DEMO RECORD: every demo account (commander, commander2, d1..d11, observer, each street and unit) signs in\n  with the demo password${seeded ? ` (${seeded} accounts seeded now)` : ''}. Never use this record for real work;\n  for production start on a fresh database without SEED_DEMO_USERS (README: first start in production).`));
    return { demo, seeded, firstPasswordToken: null };
  }
  const [ready] = await ds.query(`SELECT 1 FROM app_user WHERE role = 'city_commander' AND password_hash IS NOT NULL AND disabled_at IS NULL LIMIT 1`);
  if (ready) return { demo, seeded, firstPasswordToken: null };
  const [city] = await ds.query(`SELECT id, name FROM jurisdiction WHERE level = 'city' ORDER BY id LIMIT 1`);
  await ds.query(
    `INSERT INTO app_user (username, display_name, password_hash, role, jurisdiction_id, demo) VALUES ($1, $2, NULL, 'city_commander', $3, false) ON CONFLICT (username) DO NOTHING`,
    [FIRST_COMMANDER, `${city?.name ?? 'City'} commander`, city?.id ?? null],
  );
  const [commander] = await ds.query(`SELECT id FROM app_user WHERE username = $1 AND role = 'city_commander' AND password_hash IS NULL`, [FIRST_COMMANDER]);
  if (!opts.issueToken || !commander) return { demo, seeded, firstPasswordToken: null };
  const token = randomBytes(32).toString('base64url');
  const stored: FirstPasswordToken = { sha256: tokenDigest(token), userId: commander.id, expiresAt: new Date(Date.now() + FIRST_PASSWORD_TTL_S * 1000).toISOString() };
  await ds.query(`INSERT INTO app_setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [FIRST_PASSWORD_KEY, JSON.stringify(stored)]);
  loud(
    `No city commander can sign in yet. Set the password of '${FIRST_COMMANDER}' (once, within ${FIRST_PASSWORD_TTL_S / 3600} h) at\n` +
      `  ${opts.url}/#first-password=${token}\n` +
      `or: curl -X POST ${opts.url}/api/auth/first-password -H 'content-type: application/json' -d '{"token":"${token}","password":"<a strong password>"}'`,
  );
  return { demo, seeded, firstPasswordToken: token };
}

/** The database a Postgres URL names (`cad` of `postgres://u@h:5432/cad`), or the URL itself when it cannot be read. Never the password. */
function databaseName(url: string | undefined): string {
  try {
    return decodeURIComponent(new URL(url ?? '').pathname.replace(/^\//, '')) || '(default)';
  } catch {
    return '(see DATABASE_URL)';
  }
}

/** Text a person must not miss at start, between two rows of `!` (indented two spaces; its own lines indent themselves). */
function banner(text: string): string {
  const bar = '!'.repeat(78);
  return `${bar}\n  ${text}\n${bar}`;
}
