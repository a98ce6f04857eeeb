import { JwtService } from '@nestjs/jwt';
import { startTestApp, TestApp } from '../testing/test-app';

describe('the secret signs and checks tokens as a key object: the real token is accepted, a forged or altered one refused 401', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('jwtkey');
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts the token sign-in gave, many times over (the key is made once, not per request)', async () => {
    for (let i = 0; i < 5; i++) expect((await t.request('GET', '/api/incidents')).status).toBe(200);
  });

  it('hostile: a token signed with another secret, an altered payload, alg none, or garbage is refused naming why', async () => {
    const [, payload] = t.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const { iat: _iat, exp: _exp, ...rest } = claims;
    const forged = new JwtService({ secret: 'not-the-secret-of-this-city' }).sign(rest, { algorithm: 'HS256', expiresIn: 600 });
    const altered = [t.token.split('.')[0], Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url'), t.token.split('.')[2]].join('.');
    const none = [Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'), payload, ''].join('.');
    for (const bad of [forged, altered, none, 'garbage']) {
      const r = await t.request('GET', '/api/incidents', undefined, bad);
      expect(r.status).toBe(401);
      expect(JSON.stringify(r.body)).toMatch(/token rejected/);
    }
  });
});
