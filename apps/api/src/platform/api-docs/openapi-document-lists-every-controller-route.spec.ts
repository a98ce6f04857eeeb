import { startTestApp, TestApp } from '../../testing/test-app';

/** A route as Express's router holds it (Express 5: `app.router.stack`). */
interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/**
 * The OpenAPI document at `/api/docs-json` lists every route the application's router serves under `/api` and `/public`
 * (read from Express, not from a hand list or the generator's own source), each with its error answers;
 * request bodies come from the DTOs' validation rules.
 */
describe('API docs: the OpenAPI document lists every controller route', () => {
  let t: TestApp;
  let doc: any;
  beforeAll(async () => {
    t = await startTestApp('apidocs');
    const res = await fetch(`${t.url}/api/docs-json`);
    expect(res.status).toBe(200);
    doc = await res.json();
  });
  afterAll(async () => {
    await t.close();
  });

  it('has every /api route of the router, with its method, and no route the router lacks', () => {
    const express = t.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
    const served = express.router.stack
      .filter((l) => l.route)
      // A layer answering every method (`router.all`, as the fallbacks for the public paths) is no controller route.
      .filter((l) => !l.route!.methods._all && !l.route!.methods.acl)
      .flatMap((l) => [l.route!.path].flat().flatMap((p) => Object.keys(l.route!.methods).map((m) => `${m} ${p}`)))
      // Nest's not-found fallback (`/api/{*path}`, every method) is no route of a controller.
      .filter((r) => (r.split(' ')[1].startsWith('/api/') || r.split(' ')[1].startsWith('/public/')) && !r.split(' ')[1].startsWith('/api/docs') && !r.includes('{*'));
    expect(served.length).toBeGreaterThan(40);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(documented.sort()).toEqual([...new Set(served)].sort());
    for (const must of ['get /public/alerts.atom', 'post /api/calls', 'get /api/incidents/:id', 'patch /api/assignments/:id', 'get /api/health/ready', 'post /api/admin/session']) expect(served).toContain(must);
  });

  it('gives every route its error answers, the bearer scheme to all but the public ones, and its own operation id', () => {
    const ids: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const op of Object.values(ops)) {
        const codes = Object.keys(op.responses);
        if (p !== '/api/health/live') expect(codes).toContain('503');
        // Public: health, sign-in and the first password (by its one-time token), the agencies' CAP intake (by
        // configured sender), the residents' alert page and feeds outside /api, residents' reports and the
        // situation report page's scripts (issue 24).
        const isPublic =
          p.startsWith('/api/health') || ['/api/auth/sign-in', '/api/auth/first-password', '/api/alerts/received', '/api/public/reports', '/api/sitrep/assets/{file}'].includes(p) || p.startsWith('/public/');
        expect(op.security).toEqual(isPublic ? [] : [{ bearer: [] }]);
        if (!isPublic) expect(codes).toEqual(expect.arrayContaining(['401', '403']));
        if (p.includes('{')) expect(codes).toEqual(expect.arrayContaining(['400', '404']));
        if (op.requestBody) expect(codes).toEqual(expect.arrayContaining(['400', '415']));
        if (p !== '/api/health/live') expect(op.responses['503'].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorBody');
        ids.push(op.operationId);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(doc.paths['/api/calls'].post.responses)).toEqual(expect.arrayContaining(['400', '415', '429', '503']));
  });

  it('describes request bodies and query parameters from the DTOs, with their validation rules', () => {
    const ref: string = doc.paths['/api/calls'].post.requestBody.content['application/json'].schema.$ref;
    const call = doc.components.schemas[ref.split('/').pop()!];
    expect(call.properties.lat).toMatchObject({ minimum: -90, maximum: 90 });
    expect(call.properties.lon).toMatchObject({ minimum: -180, maximum: 180 });
    expect(call.required).toEqual(expect.arrayContaining(['type']));
    const signIn = doc.components.schemas[doc.paths['/api/auth/sign-in'].post.requestBody.content['application/json'].schema.$ref.split('/').pop()];
    expect(signIn.properties.username).toMatchObject({ type: 'string', minLength: 1, maxLength: 80 });
    const listParams = doc.paths['/api/incidents'].get.parameters.map((q: { name: string; in: string }) => `${q.in}:${q.name}`);
    expect(listParams).toEqual(expect.arrayContaining(['query:open', 'query:limit']));
    expect(doc.components.schemas.ErrorBody.required).toEqual(['statusCode', 'message']);
  });

  it('serves the Swagger UI at /api/docs without a token', async () => {
    const res = await fetch(`${t.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
  });
});
