import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';

/** `app_setting` key of the configuration the last start ran with. */
export const LAST_CONFIG_KEY = 'last_config';

/**
 * Settings that say where a process runs, not how the system behaves: two nodes may differ in them
 * without anything having changed, so they are left out of the comparison.
 */
const PLACEMENT = new Set(['DATABASE_URL', 'REDIS_URL', 'PORT', 'HOST', 'CONSOLE_DIR', 'ROUTING_CACHE_DIR', 'LOG_LEVEL', 'RUN_WORKERS', 'DRILL_DATE', 'DRILL_SPEED', 'REDIS_PREFIX', 'MQTT_CLIENT_ID']);
/** Secrets: compared and recorded only as a short SHA-256 fingerprint, never in clear. */
const SECRETS = new Set(['JWT_SECRET', 'DEMO_PASSWORD', 'MQTT_PASSWORD', 'MQTT_URL']);

/** The behavioural configuration, secrets as fingerprints, keys sorted. */
export function configurationSnapshot(config: AppConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(config).sort()) {
    if (PLACEMENT.has(key)) continue;
    const v = (config as unknown as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function') continue;
    out[key] = SECRETS.has(key) ? `sha256:${createHash('sha256').update(String(v)).digest('hex').slice(0, 12)}` : String(v);
  }
  return out;
}

/**
 * Puts a configuration change on the audit trail: compares this start's configuration with the one
 * the previous start ran with, and when they differ records `config.change` (actor `system:start`,
 * source the host name) with only the changed settings before and after, then keeps this one.
 * @returns the changed keys (empty when nothing changed; every key on the first start, recorded too) and whether it is the first start
 */
export async function recordConfigurationChange(ds: DataSource, config: AppConfig): Promise<{ changed: string[]; first: boolean }> {
  const now = configurationSnapshot(config);
  return ds.transaction(async (m) => {
    const [row] = await m.query('SELECT value FROM app_setting WHERE key = $1 FOR UPDATE', [LAST_CONFIG_KEY]);
    const last = row ? (JSON.parse(row.value) as Record<string, string>) : null;
    const changed = [...new Set([...Object.keys(now), ...Object.keys(last ?? {})])].filter((k) => now[k] !== last?.[k]).sort();
    if (!changed.length) return { changed, first: false };
    const pick = (o: Record<string, string> | null) => (o ? Object.fromEntries(changed.filter((k) => k in o).map((k) => [k, o[k]])) : null);
    await m.query(`INSERT INTO audit_event (actor, action, subject, source, before, after) VALUES ('system:start', 'config.change', 'config', $1, $2, $3)`, [
      os.hostname().slice(0, 64),
      last ? JSON.stringify(pick(last)) : null,
      JSON.stringify(pick(now)),
    ]);
    await m.query('INSERT INTO app_setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [LAST_CONFIG_KEY, JSON.stringify(now)]);
    return { changed, first: last === null };
  });
}
