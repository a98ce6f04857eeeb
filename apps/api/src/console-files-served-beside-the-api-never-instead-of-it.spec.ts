import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestApp, TestApp } from './testing/test-app';

/**
 * The console's files are served at `/` (a page by its name without `.html`), and the API's own paths
 * never look on disk: a file that happens to sit under `api/` in the console folder is not served in
 * place of the API's answer (issue 19: the disk lookup cost a tenth of every GET's CPU).
 */
describe('console files beside the API', () => {
  let t: TestApp;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cad-console-'));
  beforeAll(async () => {
    fs.writeFileSync(path.join(dir, 'index.html'), '<title>console</title>');
    fs.writeFileSync(path.join(dir, 'responder.html'), '<title>responder</title>');
    fs.mkdirSync(path.join(dir, 'api', 'health'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'api', 'health', 'live.html'), 'a file, not the API');
    fs.writeFileSync(path.join(dir, 'api', 'nothing.html'), 'a file, not the API');
    t = await startTestApp('console-files', { CONSOLE_DIR: dir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the console at / and a page by its name', async () => {
    const root = await fetch(`${t.url}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<title>console</title>');
    const responder = await fetch(`${t.url}/responder`);
    expect(responder.status).toBe(200);
    expect(await responder.text()).toContain('<title>responder</title>');
  });

  it('answers an API path from the API, never from a file of the same name', async () => {
    const live = await fetch(`${t.url}/api/health/live`);
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toMatch(/json/);
    const unknown = await fetch(`${t.url}/api/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).not.toContain('a file, not the API');
    // Spelled as serve-static would decode it (hostile review): still never the file.
    for (const spelled of ['/%61pi/health/live', '//api/health/live', '/api%2Fhealth%2Flive', '/API/nothing']) {
      const r = await fetch(`${t.url}${spelled}`);
      expect({ spelled, file: (await r.text()).includes('a file, not the API') }).toEqual({ spelled, file: false });
    }
  });
});
