import zh from '@cad/i18n/locales/zh-CN.json';
import { NO_FEATURES } from '../features';
import { addLocales, setLocale } from '../i18n';
import { anAssignment, anEvent, anIncident } from '../testing/views';
import type { Assignment, Unit } from '../types';
import { describeEvent, renderDetail } from './detail';

/**
 * A crew that cancels its task before on scene gives a reason on its phone (`cancelReason`, one of the
 * domain's TASK_CANCEL_REASONS): the dispatcher's incident card and timeline say it in plain words, in
 * English and in Chinese. A task that ended any other way (cleared after the job, taken back for want
 * of an acknowledgement) says no cancel reason.
 */
const units = new Map<string, Unit>([['E01', { id: 'E01', callsign: 'E01', unitType: 'ENGINE', capabilities: ['engine'], status: 'available', lat: 0, lon: 0, stationId: 'st-1' }]]);
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/[\u2066-\u2069]/g, '');
const cancelled = anAssignment({ status: 'cleared', cancelReason: 'handled_by_another_unit', clearedAt: '2026-11-29T17:03:00Z' });

/** The card's line for the task, as text. */
function unitLine(a: Assignment): string {
  const el = { hidden: true, innerHTML: '', dataset: {} } as unknown as HTMLElement;
  renderDetail(el, anIncident({ status: 'dispatched', assignments: [a] }), { timeline: [], recommendations: undefined, units, features: { ...NO_FEATURES, timeline: true } });
  return text(/<li class="asg-line[\s\S]*?<\/li>/.exec(el.innerHTML)?.[0] ?? '');
}
const timelineLine = (a: Assignment, extra: { reason?: string } = {}) => text(describeEvent(anEvent(5, 'assignment.updated', { incidentId: 'i1', assignment: a, ...extra }, { unitId: 'E01' }), units));

describe.each([
  ['en', 'cancelled · Handled by another unit', 'E01 (Engine) cancelled its task: Handled by another unit'],
  ['zh-CN', '已取消 · 已由其他车组处理', '取消了任务：已由其他车组处理'],
])('a task cancelled by its crew, in %s', (locale, card, line) => {
  beforeAll(() => {
    Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
    addLocales({ 'locales/zh-CN.json': zh });
    setLocale(locale, false);
  });
  afterAll(() => setLocale('en', false));

  it('says why in the incident card and in the timeline', () => {
    expect(unitLine(cancelled)).toContain(card);
    expect(timelineLine(cancelled)).toContain(line);
    expect(timelineLine(cancelled)).not.toContain('handled_by_another_unit');
  });

  it('says no cancel reason for a task cleared after the job or taken back', () => {
    const done = anAssignment({ status: 'cleared', clearedAt: '2026-11-29T17:30:00Z' });
    const takenBack = anAssignment({ status: 'cleared', releasedReason: 'not_acknowledged' });
    for (const a of [done, takenBack]) {
      expect(unitLine(a)).not.toContain(card.split(' · ')[0]);
      expect(timelineLine(a, a.releasedReason ? { reason: 'not_acknowledged' } : {})).not.toContain(line);
    }
    // A cancel reason on a task still running (not cleared) is not a cancel.
    expect(unitLine(anAssignment({ status: 'en_route', cancelReason: 'not_needed' }))).not.toContain(card.split(' · ')[0]);
  });
});
