/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { callBody, realCalls } from '@cad/db/testing';
import { Server, startServer } from './support/server';

const ARTIFACTS = path.resolve('test-artifacts');

describe('the dispatcher console in headless Chromium shows the map, boundaries and a live incident marker', () => {
  let t: Server;
  let browser: Browser;
  beforeAll(async () => {
    t = await startServer('chromium');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t.stop();
  });

  it('draws an incident posted after the page loaded, and lists it with its street', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(t.url, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.leaflet-container');
    await page.waitForFunction(() => document.querySelectorAll('.unit-marker').length > 0, null, { timeout: 45000 });

    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    const res = await fetch(`${t.url}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(callBody(call)) });
    expect(res.status).toBe(202);
    await page.waitForSelector('.incident-marker', { timeout: 45000 });
    const incidents = (await (await fetch(`${t.url}/api/incidents?open=true`)).json()) as any[];
    await page.waitForFunction((name) => document.body.innerText.includes(name), incidents[0].street.name, { timeout: 10000 });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'console.png') });
    expect(errors).toEqual([]);
  });
});
