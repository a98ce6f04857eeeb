/// <reference lib="dom" />
import { callBody, realCalls } from '@cad/db/testing';
import { assignmentsOfCall, openResponder, PHONE, postCall, useServerAndChromium } from './support/browser';

/**
 * A crew on its phone files a damage report on its task's incident, then corrects it: the record keeps
 * both versions under the crew's name, and the district's situation report counts the newest one only.
 */
describe('a crew files a damage report from the phone in Chromium', () => {
  const env = useServerAndChromium('damage-chromium');

  it('sends, corrects, and the district report counts the correction', async () => {
    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const [assignment] = await assignmentsOfCall(env.server, call.callNumber);
    const phone = await env.browser.newContext({ ...PHONE });
    const { page, errors } = await openResponder(phone, env.server, assignment.unit_id);
    await page.waitForSelector(`#r-task[data-assignment-id="${assignment.id}"]`, { timeout: 15000 });
    await page.tap('#r-damage summary');
    await page.fill('#r-dmg-immediate', '2');
    await page.fill('#r-dmg-displaced', '12');
    await page.check('#r-dmg-lifelines input[value="power"]');
    await page.fill('#r-dmg-needs', 'blankets');
    await page.tap('#r-dmg-send');
    await page.waitForFunction(() => document.getElementById('r-dmg-result')!.textContent!.includes('version 1'));
    await page.fill('#r-dmg-immediate', '3');
    await page.tap('#r-dmg-send');
    await page.waitForFunction(() => document.getElementById('r-dmg-result')!.textContent!.includes('version 2'));

    const rows = (await env.server.db.query(`SELECT version, author, figures FROM damage_report WHERE incident_id = $1 ORDER BY version`, [assignment.incident_id])).rows;
    expect(rows.map((r: { version: number; author: string }) => [r.version, r.author])).toEqual([[1, assignment.unit_id.toLowerCase()], [2, assignment.unit_id.toLowerCase()]]);
    expect(rows[1].figures).toMatchObject({ casualties: { immediate: 3 }, displaced: 12, lifelinesOut: ['power'], needs: ['blankets'] });

    const [{ district_id: district }] = (await env.server.db.query(`SELECT district_id FROM incident WHERE id = $1`, [assignment.incident_id])).rows;
    const report = await env.server.request('GET', `/api/sitrep?jurisdictionId=${district}`);
    expect(report.body.summary.damage.casualties.immediate).toBe(3);
    expect(report.body.summary.damageReports).toBe(1);
    expect(errors).toEqual([]);
    await phone.close();
  }, 120000);
});
