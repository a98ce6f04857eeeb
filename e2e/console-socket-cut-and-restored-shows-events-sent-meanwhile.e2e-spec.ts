/// <reference lib="dom" />
import { callBody, realCalls } from '@cad/db/testing';
import { assignmentsOfCall, openConsole, postCall, screenshot, useServerAndChromium } from './support/browser';

describe('the console misses no event while its socket is down', () => {
  const env = useServerAndChromium('socketcut');

  const lastSeqInDb = async () => Number((await env.server.db.query(`SELECT MAX(seq) AS m FROM incident_event`)).rows[0].m);

  it('replays the events of a call taken while disconnected once the socket is back, without reloading the snapshot', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    expect(await page.evaluate(() => (window as any).__cadConsole.snapshotLoads())).toBe(1);

    await page.evaluate(() => (window as any).__cadConsole.socket.disconnect());
    await page.waitForSelector('#conn-status[data-state="reconnecting"]');
    const call = realCalls().find((c) => c.type === 'Structure Fire') ?? realCalls()[0];
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const assignments = await assignmentsOfCall(env.server, call.callNumber);
    const incidentId = assignments[0].incident_id;
    const missedUpTo = await lastSeqInDb();
    expect(await page.$(`.incident-row[data-incident-id="${incidentId}"]`)).toBeNull();

    await page.evaluate(() => (window as any).__cadConsole.socket.connect());
    await page.waitForSelector('#conn-status[data-state="live"]');
    await page.waitForSelector(`.incident-row[data-incident-id="${incidentId}"]`, { timeout: 15000 });
    for (const a of assignments)
      await page.waitForSelector(`.incident-row[data-incident-id="${incidentId}"] .asg[data-unit-id="${a.unit_id}"]`, { timeout: 15000 });
    await page.waitForFunction((seq) => (window as any).__cadConsole.store.lastSeq >= seq, missedUpTo, { timeout: 15000 });
    // The events came through the replay of the subscription, not through a snapshot reload.
    expect(await page.evaluate(() => (window as any).__cadConsole.snapshotLoads())).toBe(1);
    await page.waitForSelector(`path.incident-marker[data-incident-id="${incidentId}"]`);
    await screenshot(page, 'console-after-reconnect');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reloads the REST snapshot when the server answers resync, and shows what it had missed', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    await page.evaluate(() => (window as any).__cadConsole.socket.disconnect());
    const call = realCalls().filter((c) => c.type === 'Medical Incident')[5];
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const [a] = await assignmentsOfCall(env.server, call.callNumber);
    // What the client does when the server says its gap is too old to replay.
    await page.evaluate(() => {
      const socket = (window as any).__cadConsole.socket;
      for (const fn of socket.listeners('resync')) fn();
    });
    await page.waitForFunction(() => (window as any).__cadConsole.snapshotLoads() === 2, null, { timeout: 15000 });
    await page.waitForSelector(`.incident-row[data-incident-id="${a.incident_id}"] .asg[data-unit-id="${a.unit_id}"]`, { timeout: 15000 });
    expect(await page.evaluate(() => (window as any).__cadConsole.store.lastSeq)).toBeGreaterThanOrEqual(await lastSeqInDb());
    expect(errors).toEqual([]);
    await context.close();
  });
});
