import { startTestApp, TestApp } from '../../testing/test-app';

/**
 * The queue dashboard at `/admin/queues` opens for the city commander (a browser, by the HttpOnly cookie set
 * at sign-in; an API client, by its bearer) and for nobody else: `403` to a dispatcher, `401` without a
 * session, a forged or foreign cookie, or a sign-in token passed off as the cookie; and it changes nothing.
 */
describe('queue dashboard: commander only, read-only', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestApp('queueboard');
  });
  afterAll(async () => {
    await t.close();
  });

  const signIn = (username: string) =>
    fetch(`${t.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: t.config.DEMO_PASSWORD }) });
  const open = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${t.url}/admin/queues${path}`, { method, headers, redirect: 'manual' });

  it("a commander's sign-in sets a short-lived HttpOnly cookie scoped to /admin that opens the dashboard", async () => {
    const res = await signIn('commander');
    expect(res.status).toBe(200);
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/^cad_admin=[^;]+;/);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).toMatch(/Path=\/admin/);
    expect(set).toMatch(new RegExp(`Max-Age=${t.config.ADMIN_COOKIE_TTL_S}`));
    cookie = set.split(';')[0];
    const page = await open('', { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('City CAD queues');
    const api = await open('/api/queues', { cookie });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['dispatch', 'escalation', 'intake']);
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
    expect((await open('/api/queues', { authorization: `Bearer ${t.token}` })).status).toBe(200);
  });

  it('answers 403 to a dispatcher, who gets no cookie, and 401 without a session', async () => {
    const res = await signIn('d3');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    const { token } = (await res.json()) as { token: string };
    const refused = await open('', { authorization: `Bearer ${token}` });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toContain('district dispatcher');
    expect((await open('/api/queues', { authorization: `Bearer ${token}` })).status).toBe(403);
    expect((await open('')).status).toBe(401);
  });

  it('refuses a forged cookie, and a sign-in token passed off as the cookie', async () => {
    const [name, value] = cookie.split('=');
    const [h, p, s] = value.split('.');
    const forged = `${name}=${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), exp: 4102444800 })).toString('base64url')}.${s}`;
    expect((await open('', { cookie: forged })).status).toBe(401);
    expect((await open('', { cookie: `cad_admin=${t.token}` })).status).toBe(401);
  });

  it('changes nothing: action routes answer 405 even to the commander', async () => {
    for (const [method, path] of [
      ['PUT', '/api/queues/intake/retry/failed'],
      ['PUT', '/api/queues/intake/clean/completed'],
      ['PUT', '/api/queues/intake/pause'],
      ['DELETE', '/api/queues/intake/jobs/1'],
      ['POST', '/api/queues/intake/add'],
    ]) {
      expect((await open(path, { cookie }, method)).status).toBe(405);
    }
  });

  it('POST /api/admin/session renews the cookie for the commander only', async () => {
    const renew = await t.request('POST', '/api/admin/session');
    expect(renew.status).toBe(204);
    const d3 = await t.signIn('d3');
    expect((await t.request('POST', '/api/admin/session', undefined, d3)).status).toBe(403);
  });
});
