import type { MoveUpView } from '@cad/domain/move-up-view';
import { moveUpHtml } from '../responder/move-up';
import { moveUpsHtml } from './move-ups';

const move = (over: Partial<MoveUpView>): MoveUpView => ({
  id: 'm1',
  world: 'live',
  unitId: 'E05',
  callsign: 'Engine 5',
  fromStationId: 'st-05',
  fromStationName: 'Station 5',
  toStationId: 'st-16',
  toStationName: 'Station 16',
  owningDistrictId: 'sf-d2',
  status: 'proposed',
  dispatcher: null,
  districtConsented: false,
  crewAcknowledged: false,
  confirmTimeoutS: null,
  gainShare: 0.05,
  gapShare: 0.01,
  reason: null,
  incidentId: null,
  proposedAt: '2026-01-01T10:00:00.000Z',
  startedAt: null,
  endedAt: null,
  ...over,
});

describe('the move-ups in the coverage box and on the responder page', () => {
  it('names the unit by call sign and the stations by name, never by id, and says who has still to agree', () => {
    const html = moveUpsHtml([move({ dispatcher: 'confirmed' })], true);
    expect(html).toContain('Engine 5');
    expect(html).toContain('Station 16');
    expect(html).toContain('Station 5');
    expect(html).not.toMatch(/>[^<]*(st-16|st-05|E05|sf-d2)/);
    expect(html).toContain('waiting for: district, crew');
    // Confirmed already: no Confirm button; Consent and Refuse remain.
    expect(html).not.toContain('data-moveup-action="confirm"');
    expect(html).toContain('data-moveup-action="consent"');
    expect(html).toContain('data-moveup-action="refuse"');
  });

  it('offers no buttons to an observer nor on a move already under way, and shows nothing without moves', () => {
    expect(moveUpsHtml([move({})], false)).not.toContain('<button');
    expect(moveUpsHtml([move({ status: 'moving', dispatcher: 'confirmed', districtConsented: true, crewAcknowledged: true })], true)).not.toContain('<button');
    expect(moveUpsHtml([], true)).toBe('');
  });

  it('escapes station names from the server', () => {
    const html = moveUpsHtml([move({ toStationName: '<img src=x onerror=alert(1)>' })], true);
    expect(html).not.toContain('<img');
  });

  it('gives the crew Acknowledge until it has, then only Cannot go; once moving, At the new station', () => {
    expect(moveUpHtml(null)).toBe('');
    const fresh = moveUpHtml(move({}));
    expect(fresh).toContain('Move-up: go to');
    expect(fresh).toContain('data-moveup-crew="acknowledge"');
    expect(fresh).toContain('data-moveup-crew="refuse"');
    const acked = moveUpHtml(move({ crewAcknowledged: true }));
    expect(acked).not.toContain('data-moveup-crew="acknowledge"');
    const moving = moveUpHtml(move({ status: 'moving', crewAcknowledged: true }));
    expect(moving).toContain('data-moveup-crew="arrived"');
    expect(moving).not.toContain('data-moveup-crew="refuse"');
  });
});
