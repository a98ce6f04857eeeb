/// <reference lib="dom" />
import { waitFor } from '@cad/db/testing';
import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { screenshot, signInConsole, toolbarMisfits, useServerAndChromium } from './support/browser';

// The shipped lifelines file with 4-second sensor periods, so that a sensor goes silent (3 periods) within the test.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cad-lifelines-e2e-'));
const file = path.join(dir, 'lifelines.json');
const shipped = JSON.parse(fs.readFileSync(path.resolve('db/lifelines/sf-lifelines.json'), 'utf8'));
for (const n of shipped.networks) for (const s of n.sensors) s.periodS = 4;
fs.writeFileSync(file, JSON.stringify(shipped));
const prefix = `e2e22/${randomBytes(5).toString('hex')}`;

describe('the console lifelines layer: the stand-in network said as such, sensors by state, the open leak alarm, in English and Chinese', () => {
  const env = useServerAndChromium('lifelines-layer', {
    LIFELINES_ENABLED: 'true',
    MQTT_URL: 'mqtt://127.0.0.1:1883',
    MQTT_TOPIC_PREFIX: prefix,
    MQTT_SESSION_EXPIRY_S: '60',
    LIFELINES_FILE: file,
    LIFELINES_SILENT_AFTER_PERIODS: '3',
  });
  let gateway: mqtt.MqttClient;
  let timer: NodeJS.Timeout;

  beforeAll(async () => {
    gateway = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `e2e22-gw-${randomBytes(4).toString('hex')}` });
    // Every sensor reports each second but P-30 (silent); P-21 reads 5 m, far below the model (a leak); the rest 100 m.
    const sensors: string[] = shipped.networks[0].sensors.map((s: { id: string }) => s.id).filter((id: string) => id !== 'P-30');
    timer = setInterval(() => {
      const at = Date.now() / 1000;
      for (const s of sensors) void gateway.publishAsync(`${prefix}/hanoi/${s}/pressure`, JSON.stringify({ t: at, value: s === 'P-21' ? 5 : 100, unit: 'm' }), { qos: 1 });
    }, 1000);
  });
  afterAll(async () => {
    clearInterval(timer);
    await gateway?.endAsync();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('draws every pipe, P-30 silent, P-21 out of control, the leak area; the layer toggles off and on; the box speaks Chinese', async () => {
    const api = await waitFor(
      async () => {
        const [nets, state] = [(await env.server.request('GET', '/api/lifelines/networks')).body, (await env.server.request('GET', '/api/lifelines')).body];
        return state.alarms.length === 1 && state.silent.length === 1 ? { nets, state } : undefined;
      },
      60000,
      'a leak alarm and a silent sensor in the API',
    );
    expect(api.state.silent[0].sensor).toBe('P-30');
    const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.server.url, { waitUntil: 'domcontentloaded' });
    await signInConsole(page);
    await page.waitForFunction(() => document.querySelectorAll('path.lifeline-alarm').length === 1 && document.querySelectorAll('path.lifeline-sensor-silent').length === 1, null, { timeout: 45000 });
    const shown = () =>
      page.evaluate(() => ({
        pipes: document.querySelectorAll('path.lifeline-pipe').length,
        ok: document.querySelectorAll('path.lifeline-sensor-ok').length,
        alarm: document.querySelectorAll('path.lifeline-sensor-alarm').length,
        silent: document.querySelectorAll('path.lifeline-sensor-silent').length,
        leaks: document.querySelectorAll('path.lifeline-alarm').length,
        box: document.getElementById('lifelines-box')?.innerText ?? null,
      }));
    // The box starts collapsed to one line (it covered part of the map), its open alarms still said; a click opens it.
    const collapsed = await page.evaluate(() => document.getElementById('lifelines-box')?.innerText ?? '');
    expect(collapsed).toContain('Open alarms: 1');
    expect(collapsed).not.toContain('Stand-in network');
    await page.click('#lifelines-box .lifelines-toggle');
    const en = await shown();
    expect(en.pipes).toBe(api.nets[0].pipes.length);
    expect(en.ok + en.alarm + en.silent).toBe(api.nets[0].sensors.length);
    expect(en.alarm).toBeGreaterThanOrEqual(1);
    expect(en.silent).toBe(1);
    expect(en.leaks).toBe(1);
    expect(en.box).toContain('Stand-in network hanoi: a benchmark model drawn over the city, not its real mains');
    expect(en.box).toContain('Open alarms: 1');
    expect(en.box).toContain('Silent sensors: 1');
    await screenshot(page, 'console-lifelines');
    // At 1440×900 every toolbar button is on screen, its label on one line.
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await toolbarMisfits(page)).toEqual([]);

    // An open incident card is never under the box (its narrative, commands and timeline stay clear),
    // and a dialog opened over them is on top of the box.
    const posted = await env.server.request('POST', '/api/calls', { type: 'Medical Incident', priority: 3, lat: 37.7989, lon: -122.4094, address: '550 Columbus Ave' });
    expect(posted.status).toBe(202);
    await page.locator('.incident-row').first().click({ timeout: 30000 });
    await page.waitForSelector('#detail:not([hidden]) .timeline', { timeout: 15000 });
    const rects = await page.evaluate(() => {
      const r = (id: string) => document.getElementById(id)!.getBoundingClientRect().toJSON() as { left: number; right: number; top: number; bottom: number };
      return { box: r('lifelines-box'), card: r('detail') };
    });
    const apart = rects.box.left >= rects.card.right || rects.box.right <= rects.card.left || rects.box.top >= rects.card.bottom || rects.box.bottom <= rects.card.top;
    expect({ apart, ...rects }).toMatchObject({ apart: true });
    await page.keyboard.press('n');
    await page.waitForSelector('#call-dialog[open]');
    // Nothing covers the dialog: every point of a grid over it hits the dialog itself.
    const covered = await page.evaluate(() => {
      const d = document.getElementById('call-dialog')!.getBoundingClientRect();
      const misses: string[] = [];
      for (let i = 1; i < 10; i++)
        for (let j = 1; j < 10; j++) {
          const hit = document.elementFromPoint(d.left + (d.width * i) / 10, d.top + (d.height * j) / 10);
          if (!hit?.closest('#call-dialog')) misses.push(hit?.id || hit?.className?.toString() || '?');
        }
      return misses;
    });
    expect(covered).toEqual([]);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#call-dialog:not([open])', { state: 'attached' });

    // Toggled off in the layers control: no pipe, no sensor, no box; on again: all back.
    const toggle = async () => {
      await page.hover('.leaflet-control-layers');
      await page.locator('.leaflet-control-layers-overlays label', { hasText: 'Lifelines (water network sensors)' }).locator('input').click();
    };
    await toggle();
    const off = await shown();
    expect(off).toMatchObject({ pipes: 0, ok: 0, alarm: 0, silent: 0, leaks: 0, box: null });
    await toggle();
    expect((await shown()).pipes).toBe(api.nets[0].pipes.length);

    await page.selectOption('#locale-select', 'zh-CN');
    await page.waitForFunction(() => (document.getElementById('lifelines-box')?.innerText ?? '').includes('替代管网'), null, { timeout: 10000 });
    const zh = await shown();
    expect(zh.box).toContain('替代管网 hanoi：基准模型绘于城市之上，并非本市真实管道');
    expect(zh.box).toContain('静默传感器：1');
    expect(zh.box).not.toMatch(/Stand-in|Silent|Open alarms/);
    expect(await page.locator('.leaflet-control-layers-overlays label', { hasText: '生命线（供水管网传感器）' }).count()).toBe(1);
    await screenshot(page, 'console-lifelines-zh-CN');
    expect(errors).toEqual([]);
    await context.close();
  });
});
