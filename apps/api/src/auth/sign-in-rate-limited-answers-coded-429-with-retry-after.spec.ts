import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: the sign-in limit answered `{"statusCode":429,"message":"ThrottlerException:
 * Too Many Requests"}`, without the `code` every other error carries and without `Retry-After`. Now a
 * throttled request answers the documented shape `{statusCode, code: 'RATE_LIMITED', message}` and says
 * in `Retry-After` how many seconds to wait.
 */
describe('sign-in past its rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('ratelimited', { SIGNIN_RATE_PER_MIN: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 with code RATE_LIMITED, a message naming the wait, and a Retry-After header', async () => {
    const signIn = () =>
      fetch(`${t.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'observer', password: 'wrong' }) });
    const codes: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await signIn();
      codes.push(last.status);
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(last!.status).toBe(429);
    const body = (await last!.json()) as { statusCode: number; code: string; message: string };
    expect(body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(body.message).not.toContain('ThrottlerException');
    const retryAfter = Number(last!.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(body.message).toContain(`retry after ${retryAfter} s`);
  });
});
