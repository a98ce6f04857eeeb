import { transportsPatients } from '@cad/domain/units';
import { drillRunHtml } from '../drill-run-view';
import { etaLeftText } from '../format';
import { setLocale } from '../i18n';
import { crewHospitalHtml, type PremiseTask } from './premise-hospital';

/**
 * What a crew's phone shows, said once and only where it applies: one ETA line counting down, its
 * turnout and travel apart ("ETA 3:05 (turnout 1:00 + travel 2:05)"), never two ETAs side by side;
 * the "Transport to hospital" box only to a unit whose type transports patients (MEDIC, PRIVATE), never
 * to an engine crew on scene; and a finished drill over its span, never a clock past its end.
 */
const dispatchedAt = '2017-01-01T10:00:00.000Z';
const at = (s: number) => Date.parse(dispatchedAt) + s * 1000;
const task = { status: 'dispatched', etaSeconds: 195, turnoutSeconds: 70, dispatchedAt };

beforeAll(() => setLocale('en', false));

describe("the phone's ETA", () => {
  it('is one line counting down, its turnout and travel adding up to it', () => {
    expect(etaLeftText(task, at(10))).toBe('ETA 3:05 (turnout 1:00 + travel 2:05)');
    expect(etaLeftText(task, at(10)).match(/ETA/g)).toHaveLength(1);
    expect(etaLeftText({ ...task, status: 'en_route', enRouteAt: new Date(at(80)).toISOString() }, at(90))).toBe('ETA 1:55');
  });

  it('hostile: a crew late to leave counts the travel down with no turnout left, a late unit overdue, on scene nothing', () => {
    expect(etaLeftText(task, at(100))).toBe('ETA 1:35 (turnout 0:00 + travel 1:35)');
    // The estimate has run out: "overdue", never a fake "ETA 0:00 (turnout 0:00 + travel 0:00)".
    expect(etaLeftText(task, at(900))).toBe('ETA overdue');
    expect(etaLeftText({ ...task, status: 'on_scene' }, at(300))).toBe('');
    expect(etaLeftText({ ...task, etaSeconds: -1 }, at(0))).toBe('');
    // A task recorded before turnout was: the whole ETA, counting down.
    expect(etaLeftText({ status: 'dispatched', etaSeconds: 120, dispatchedAt }, at(10))).toBe('ETA 1:50');
  });
});

describe('the Transport to hospital box', () => {
  const onScene = (transports: boolean): PremiseTask => ({ incidentId: 'i1', assignmentId: 'a1', status: 'on_scene', capability: transports ? 'ambulance' : 'engine', transports });
  const hospitals = [{ name: 'General', lat: 37.75, lon: -122.4, source: 'city profile' }];

  it('is shown to an ambulance crew on scene', () => {
    expect(crewHospitalHtml(onScene(true), hospitals, null)).toContain('Transport to hospital');
  });

  it('is never shown to an engine crew on scene', () => {
    expect(crewHospitalHtml(onScene(false), hospitals, null)).toBe('');
  });

  it('goes by the unit type, and by the task only when the type is unknown', () => {
    expect(transportsPatients('MEDIC')).toBe(true);
    expect(transportsPatients('private')).toBe(true);
    expect(transportsPatients('ENGINE', 'engine')).toBe(false);
    // An engine sent to fill an ambulance slot still carries no patient; a truck neither.
    expect(transportsPatients('ENGINE', 'ambulance')).toBe(false);
    expect(transportsPatients('TRUCK')).toBe(false);
    expect(transportsPatients(null, 'als')).toBe(true);
    expect(transportsPatients(undefined, 'engine')).toBe(false);
    expect(transportsPatients('HOVERCRAFT')).toBe(false);
  });
});

describe("a drill's simulated time", () => {
  const when = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const run = (state: string) => ({ id: 'd1', state, simStart: '2017-01-01T00:01:00Z', simTime: '2017-01-01T07:56:00Z', simEnd: '2017-01-01T06:35:00Z' });

  it('says a finished drill finished over its span, never a clock past its end', () => {
    const html = drillRunHtml(run('finished'), false, when);
    expect(html).toContain('Simulated 00:01 to 06:35, finished');
    expect(html).not.toContain('07:56');
  });

  it('hostile: a running drill whose clock a poll caught past its end (or before its start) is shown at that end', () => {
    expect(drillRunHtml(run('running'), false, when)).toContain('Simulated 06:35 (of 00:01 to 06:35)');
    expect(drillRunHtml({ ...run('running'), simTime: '2016-12-31T23:00:00Z' }, false, when)).toContain('Simulated 00:01 (of 00:01 to 06:35)');
  });
});
