/**
 * Console load benchmark: the built dispatcher console (dist/console, `npm run build` first) served with a
 * fake API and socket.io server that moves N unit markers once a second (`avl` messages, as the drill
 * does), measured in headless Chromium with PerformanceObserver('longtask') (tasks over 50 ms, the
 * W3C Long Tasks API threshold) and requestAnimationFrame intervals.
 *
 * Baseline: 200 markers (SVG), then 2,000 markers forced to SVG, then 2,000 with the console's default
 * (canvas above 1,000 units), in the same run. Prints the figures and writes
 * bench/results/console-load.json.
 *
 * Usage: `npm run bench:console` (env: BENCH_SECONDS, default 30 s of measurement per case).
 */
/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { nearestRank } from '@cad/domain';
import { chromium } from 'playwright-core';
import { Server as IoServer } from 'socket.io';

/** Repository root: npm runs scripts there. */
const ROOT = process.cwd();
const CONSOLE_DIR = path.join(ROOT, 'dist/console');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
/** Map centre of the console (apps/console/src/map/base.ts); units are spread over the visible area. */
const CENTRE = { lat: 37.7955, lon: -122.4396 };

interface FakeUnit {
  id: string;
  callsign: string;
  unitType: string;
  capabilities: string[];
  status: string;
  lat: number;
  lon: number;
  stationId: null;
}

const STATUSES = ['available', 'dispatched', 'en_route', 'on_scene'];

function makeUnits(n: number): FakeUnit[] {
  // Deterministic spread (golden-angle spiral) over ±0.02° lat, ±0.03° lon around the centre.
  return Array.from({ length: n }, (_, i) => {
    const r = Math.sqrt((i + 0.5) / n);
    const a = i * 2.399963229728653;
    return {
      id: `U${i}`,
      callsign: `U${i}`,
      unitType: 'ENGINE',
      capabilities: ['engine'],
      status: STATUSES[i % STATUSES.length],
      lat: CENTRE.lat + 0.02 * r * Math.sin(a),
      lon: CENTRE.lon + 0.03 * r * Math.cos(a),
      stationId: null,
    };
  });
}

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.png': 'image/png' };

/** Serves the console's files and a fake API; pushes `avl` for every unit each second. */
function startFakeServer(units: FakeUnit[]): Promise<{ url: string; close: () => Promise<void> }> {
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    if (p === '/api/state') return json(res, 200, { lastSeq: 0, clock: { running: false, simTime: null, speed: 1, drill: null } });
    if (p === '/api/units') return json(res, 200, units);
    if (p === '/api/incidents') return json(res, 200, { items: [], total: 0, limit: 500, offset: 0 });
    if (p === '/api/jurisdictions') return json(res, 200, []);
    if (p === '/api/roads') return json(res, 200, { type: 'FeatureCollection', features: [] });
    if (p.startsWith('/api/')) return json(res, 404, { statusCode: 404, message: `Cannot ${req.method} ${p}` });
    const file = path.join(CONSOLE_DIR, p === '/' ? 'index.html' : p);
    if (!file.startsWith(CONSOLE_DIR) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  const io = new IoServer(server);
  io.on('connection', (s) => s.on('subscribe', (_b: unknown, ack?: (r: unknown) => void) => ack?.({ ok: true })));
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    // Each unit drifts about 10-20 m per second on its own small circle.
    const positions = units.map((u, i) => {
      const phase = tick * 0.15 + i;
      return { unitId: u.id, lat: u.lat + 0.0004 * Math.sin(phase), lon: u.lon + 0.0005 * Math.cos(phase) };
    });
    io.emit('avl', { at: new Date().toISOString(), positions });
  }, 1000);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((r) => {
            clearInterval(timer);
            void io.close();
            server.close(() => r());
          }),
      });
    }),
  );
}

/** Figures of one case. Times in ms. */
interface CaseResult {
  markers: number;
  seconds: number;
  avlMessages: number;
  longTasks: number;
  longTaskTotalMs: number;
  longTaskMaxMs: number;
  /** Share of the measured time spent in long tasks. */
  longTaskShare: number;
  frames: number;
  frameP50Ms: number;
  frameP99Ms: number;
  /** Frames that took longer than 50 ms (visible jank). */
  framesOver50Ms: number;
}

async function runCase(n: number, markers?: 'svg' | 'canvas'): Promise<CaseResult & { renderer: string }> {
  const units = makeUnits(n);
  const srv = await startFakeServer(units);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.route('**/tile.openstreetmap.org/**', (r) => r.abort());
    // Signed in as the city commander (the fake API accepts any token).
    await page.addInitScript(() => {
      localStorage.setItem('cad.auth.token', 'bench');
      localStorage.setItem(
        'cad.auth.user',
        JSON.stringify({ userId: 'bench', username: 'commander', displayName: 'Bench commander', role: 'city_commander', jurisdictionId: 'sf', unitId: null }),
      );
    });
    // Given as source text: a bundler's helpers (tsx/esbuild `__name`) must not leak into the page.
    await page.addInitScript(`
      window.__bench = { longTasks: [], frames: [], avl: 0, on: false };
      new PerformanceObserver((list) => {
        if (window.__bench.on) for (const e of list.getEntries()) window.__bench.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
      let last = 0;
      requestAnimationFrame(function frame(t) {
        if (window.__bench.on && last) window.__bench.frames.push(t - last);
        last = t;
        requestAnimationFrame(frame);
      });
    `);
    await page.goto(markers ? `${srv.url}/?markers=${markers}` : srv.url, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#conn-status[data-state="live"]', { timeout: 60000 });
    await page.waitForFunction(
      (count) => ((window as unknown as { __cadConsole?: { unitMarkers(): number } }).__cadConsole?.unitMarkers() ?? 0) >= count,
      n,
      { timeout: 120000 },
    );
    const renderer = await page.evaluate(() => document.body.dataset.unitRenderer ?? '?');
    // Count avl messages the page received while measuring.
    await page.evaluate(() => {
      const w = window as unknown as { __cadConsole: { socket: { on: (e: string, f: () => void) => void } }; __bench: { avl: number; on: boolean } };
      w.__cadConsole.socket.on('avl', () => {
        if (w.__bench.on) w.__bench.avl++;
      });
    });
    await page.waitForTimeout(3000); // settle after the first render
    await page.evaluate(() => ((window as unknown as { __bench: { on: boolean } }).__bench.on = true));
    await page.waitForTimeout(SECONDS * 1000);
    const raw = await page.evaluate(() => {
      const b = (window as unknown as { __bench: { longTasks: number[]; frames: number[]; avl: number; on: boolean } }).__bench;
      b.on = false;
      return { longTasks: b.longTasks, frames: b.frames, avl: b.avl };
    });
    const frames = [...raw.frames].sort((a, b) => a - b);
    const total = raw.longTasks.reduce((a, b) => a + b, 0);
    return {
      renderer,
      markers: n,
      seconds: SECONDS,
      avlMessages: raw.avl,
      longTasks: raw.longTasks.length,
      longTaskTotalMs: Math.round(total),
      longTaskMaxMs: Math.round(Math.max(0, ...raw.longTasks)),
      longTaskShare: Number((total / (SECONDS * 1000)).toFixed(4)),
      frames: frames.length,
      frameP50Ms: Number(nearestRank(frames, 0.50).toFixed(1)),
      frameP99Ms: Number(nearestRank(frames, 0.99).toFixed(1)),
      framesOver50Ms: frames.filter((f) => f > 50).length,
    };
  } finally {
    await browser.close();
    await srv.close();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(CONSOLE_DIR, 'index.html'))) throw new Error(`${CONSOLE_DIR}/index.html not found: run npm run build first`);
  const baseline = await runCase(200);
  console.log('baseline (200 markers, default renderer)', baseline);
  const loadSvg = await runCase(2000, 'svg');
  console.log('2,000 markers forced to SVG', loadSvg);
  const load = await runCase(2000);
  console.log('load (2,000 markers, default renderer)', load);
  const ratio = (a: number, b: number) => (b ? Number((a / b).toFixed(2)) : null);
  const result = {
    name: 'console-load',
    date: new Date().toISOString(),
    method:
      'Built console served with a fake API; socket.io pushes one avl message per second moving every unit marker. ' +
      "Headless Chromium; long tasks from PerformanceObserver('longtask') (>50 ms), frame intervals from requestAnimationFrame, " +
      `measured for ${SECONDS} s after the markers were drawn and 3 s of settling.`,
    baseline,
    load,
    loadForcedSvg: loadSvg,
    ratios: {
      longTaskTotalMs: ratio(load.longTaskTotalMs, baseline.longTaskTotalMs),
      frameP99Ms: ratio(load.frameP99Ms, baseline.frameP99Ms),
      framesOver50Ms: ratio(load.framesOver50Ms, baseline.framesOver50Ms),
      forcedSvgLongTaskTotalMs: ratio(loadSvg.longTaskTotalMs, baseline.longTaskTotalMs),
      forcedSvgFrameP99Ms: ratio(loadSvg.frameP99Ms, baseline.frameP99Ms),
      /** Default (canvas) against forced SVG at 2,000 markers: below 1 is better. */
      defaultVsSvgFrameP99Ms: ratio(load.frameP99Ms, loadSvg.frameP99Ms),
      defaultVsSvgLongTaskTotalMs: ratio(load.longTaskTotalMs, loadSvg.longTaskTotalMs),
    },
    ratioNote: 'A ratio is null when its denominator is 0 (e.g. no long task at all in the baseline).',
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
    notes:
      'Ran on a shared 2-core machine while other agents were building and testing; absolute figures are noisy, ' +
      'compare the 2,000-marker case with the 200-marker baseline of the same run. Headless Chromium with --disable-gpu renders in software.',
  };
  const out = path.join(ROOT, 'bench/results/console-load.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`ratios (2,000 vs 200 markers): ${JSON.stringify(result.ratios)}\nwrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
