import * as bcrypt from 'bcryptjs';
import { Client } from 'pg';
import { cloneTestDatabase } from '@cad/db/testing';
import { prepare } from '../bootstrap';
import { loadConfig } from '../config/config';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * A record started without the demo (`SEED_DEMO_USERS` unset, as in production) has no account with a
 * known password: its only account is the first city commander, without a password, and the start
 * prints a one-time token to set it. The demo password never signs in there, not even on an account
 * marked as a demo; the token works once (also when two use it at once) and a weak password is refused.
 */
describe('a fresh record that is not a demo has no account with a known password', () => {
  let url: string;
  let t: TestApp;
  let printed: string[] = [];
  let token: string;
  const env = { ...process.env, DRILL_DATE: '', SEED_DEMO_USERS: '' };

  /** Runs the API's start-up preparation on the record, and answers what it printed. */
  const start = async () => {
    printed = [];
    await prepare(loadConfig({ ...env, DATABASE_URL: url }), { log: (m) => printed.push(m), firstPasswordToken: true });
    return printed.join('\n');
  };

  beforeAll(async () => {
    // A record with the city's data but no accounts and no demo mark: what a production first start sees.
    url = await cloneTestDatabase('fresh-record');
    const c = new Client({ connectionString: url });
    await c.connect();
    await c.query(`DELETE FROM app_user`);
    await c.query(`DELETE FROM app_setting WHERE key IN ('demo_record', 'first_password_token')`);
    await c.end();
    const out = await start();
    token = /#first-password=([A-Za-z0-9_-]+)/.exec(out)?.[1] ?? '';
    t = await startTestApp('fresh-record', { SEED_DEMO_USERS: '' }, { databaseUrl: url, signIn: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has only the first commander, without a password, and prints a one-time link to set it', async () => {
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(printed.join('\n')).not.toContain('DEMO RECORD');
    const users = await t.ds.query(`SELECT username, role, password_hash, demo FROM app_user`);
    expect(users).toEqual([{ username: 'commander', role: 'city_commander', password_hash: null, demo: false }]);
    const stored = await t.ds.query(`SELECT value FROM app_setting WHERE key = 'first_password_token'`);
    expect(stored[0].value).not.toContain(token); // only its digest is kept
  });

  it('refuses the demo password for every account, even one marked as a demo on this record', async () => {
    const hash = await bcrypt.hash(t.config.DEMO_PASSWORD, 4);
    await t.ds.query(`INSERT INTO app_user (username, display_name, password_hash, role, jurisdiction_id, demo) VALUES ('d3', 'planted demo', $1, 'district_dispatcher', 'sf-d3', true), ('d4', 'planted', $1, 'district_dispatcher', 'sf-d4', false)`, [hash]);
    for (const username of ['commander', 'd3', 'd4', 'observer', 'e38']) {
      const r = await t.request('POST', '/api/auth/sign-in', { username, password: t.config.DEMO_PASSWORD }, null);
      expect([username, r.status]).toEqual([username, 401]);
    }
    const failed = await t.ds.query(`SELECT actor, after FROM audit_event WHERE action = 'sign-in.failed' AND actor IN ('d3', 'd4') ORDER BY id`);
    expect(failed.map((f: any) => f.after.reason)).toEqual(['demo password on a record that is not a demo', 'demo password on a record that is not a demo']);
    await t.ds.query(`DELETE FROM app_user WHERE username IN ('d3', 'd4')`);
  });

  it('refuses a weak password and a wrong token, then sets the password once even when the token is used twice at once', async () => {
    const weak = await t.request('POST', '/api/auth/first-password', { token, password: 'commander123' }, null);
    expect(weak.status).toBe(400);
    expect(weak.body.message).toMatch(/^password /);
    const demo = await t.request('POST', '/api/auth/first-password', { token, password: t.config.DEMO_PASSWORD }, null);
    expect(demo.status).toBe(400);
    const wrong = await t.request('POST', '/api/auth/first-password', { token: token.slice(1) + 'x', password: 'Harbor-lantern-91-quietly' }, null);
    expect(wrong.status).toBe(401);
    const both = await Promise.all(['Harbor-lantern-91-quietly', 'Second-attempt-77-orchard'].map((password) => t.request('POST', '/api/auth/first-password', { token, password }, null)));
    expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = both[0].status === 200 ? 'Harbor-lantern-91-quietly' : 'Second-attempt-77-orchard';
    const signIn = await t.request('POST', '/api/auth/sign-in', { username: 'commander', password: winner }, null);
    expect(signIn.status).toBe(200);
    expect(signIn.body.user.role).toBe('city_commander');
    const again = await t.request('POST', '/api/auth/first-password', { token, password: 'Yet-another-55-lighthouse' }, null);
    expect(again.status).toBe(401);
    const audit = await t.request('GET', '/api/audit?action=user.first-password', undefined, signIn.body.token);
    expect(audit.body).toHaveLength(1);
    expect(JSON.stringify(audit.body)).not.toContain(winner);
  });

  it('a later start prints no token once a commander can sign in', async () => {
    const out = await start();
    expect(out).not.toContain('first-password');
    expect((await t.ds.query(`SELECT 1 FROM app_setting WHERE key = 'first_password_token'`)).length).toBe(0);
  });
  it('says loudly, naming the database, when a demo is asked of it: no demo account, and how to get one', async () => {
    printed = [];
    await prepare(loadConfig({ ...env, SEED_DEMO_USERS: 'true', DATABASE_URL: url }), { log: (m) => printed.push(m) });
    const out = printed.join('\n');
    expect(out).toContain('NO DEMO ACCOUNTS');
    expect(out).toContain(new URL(url).pathname.slice(1));
    expect(out).toContain('DATABASE_URL=');
    expect(out).not.toContain('DEMO RECORD');
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM app_user WHERE demo`);
    expect(n).toBe(0);
  });
});
