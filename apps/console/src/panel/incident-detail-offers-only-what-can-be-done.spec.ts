import { NO_FEATURES } from '../features';
import type { CadEvent, Incident, Recommendations } from '../types';
import { anAssignment, anEvent, anIncident } from '../testing/views';
import { closeRefusal, recommendedUnitIds, renderDetail, tierMoveRefusal } from './detail';

const incident = (over: Partial<Incident> = {}): Incident =>
  anIncident({
  id: 'i1',
  callNumber: 'C1',
  type: 'Structure Fire',
  priority: 1,
  status: 'dispatched',
  lat: 37.8,
  lon: -122.43,
  address: '1 Grant Ave',
  receivedAt: '2026-11-29T17:00:00Z',
  exercise: false,
  street: { id: 'sf-d3-chinatown', name: 'Chinatown' },
  district: { id: 'sf-d3', name: 'District 3' },
  outsideBoundary: false,
  assignments: [],
  ...over,
});

/** Renders the card into a stand-in element and answers its HTML. */
function card(inc: Incident, extras: { recommendations?: Recommendations | null; timeline?: CadEvent[] }): string {
  const el = { hidden: true, innerHTML: '', dataset: {} } as unknown as HTMLElement;
  renderDetail(el, inc, {
    timeline: extras.timeline,
    recommendations: extras.recommendations,
    units: new Map(),
    features: { ...NO_FEATURES, recommendations: true, timeline: true, escalate: true, deescalate: true },
  });
  return el.innerHTML;
}

const acceptButton = (html: string): string => /<button[^>]*data-cmd="accept"[^>]*>/.exec(html)?.[0] ?? '';

describe('the incident detail card', () => {
  it('offers Accept when the recommendation names a unit', () => {
    const recs: Recommendations = { slots: [{ capability: 'engine', unitId: 'E01', etaSeconds: 120, reason: 'nearest' }] };
    expect(recommendedUnitIds(recs)).toEqual(['E01']);
    expect(acceptButton(card(incident(), { recommendations: recs }))).not.toContain('disabled');
  });

  it('disables Accept when every slot of the recommendation has no unit (nothing to accept)', () => {
    const recs: Recommendations = { slots: [{ capability: 'truck', unitId: null, etaSeconds: null, reason: 'no truck available' }] };
    expect(recommendedUnitIds(recs)).toEqual([]);
    const button = acceptButton(card(incident(), { recommendations: recs }));
    expect(button).toContain('disabled');
    expect(button).toContain('Nothing to accept');
  });

  it('shows no recommendation section on a resolved incident with nothing left to fill, and keeps it on an open one', () => {
    const none: Recommendations = { slots: [] };
    expect(card(incident({ status: 'resolved' }), { recommendations: none })).not.toMatch(/Recommendation|nothing to recommend/i);
    expect(card(incident({ status: 'dispatched' }), { recommendations: none })).toContain('nothing to recommend');
  });

  it('refuses escalating at city tier and de-escalating at street tier, and hides those buttons', () => {
    expect(tierMoveRefusal('escalate', 'city')).toMatch(/cannot be escalated further/);
    expect(tierMoveRefusal('escalate', 'district')).toBeNull();
    expect(tierMoveRefusal('escalate', undefined)).toBeNull();
    expect(tierMoveRefusal('deescalate', 'street')).toMatch(/no tier below/);
    expect(tierMoveRefusal('deescalate', undefined)).toMatch(/no tier below/);
    const atCity = card(incident({ commandingTier: 'city' }), { recommendations: null });
    expect(atCity).not.toContain('data-cmd="escalate"');
    expect(atCity).toContain('data-cmd="deescalate"');
  });

  it('numbers the timeline with room for every digit of its last entry number (12: two, 100: three)', () => {
    const timeline: CadEvent[] = Array.from({ length: 12 }, (_, i) => anEvent(i + 1, 'unit.status', { unitId: 'E01', status: 'en_route' }, { unitId: 'E01' }));
    expect(card(incident(), { timeline, recommendations: null })).toContain('<ol class="timeline" style="--entry-digits: 2">');
    const long = Array.from({ length: 100 }, (_, i) => ({ ...timeline[0], seq: i + 1 }));
    expect(card(incident(), { timeline: long, recommendations: null })).toContain('--entry-digits: 3');
  });

  it('offers Close only once every unit has cleared, saying which units are still on it', () => {
    const task = (unitId: string, status: 'en_route' | 'cleared') => anAssignment({ id: unitId, unitId, callsign: unitId, status, etaSeconds: 60 });
    expect(closeRefusal(incident({ assignments: [task('E02', 'en_route'), task('T10', 'cleared')] }))).toBe(
      'Units still assigned (E02): they must clear before the incident is closed; X cancels it',
    );
    expect(closeRefusal(incident({ status: 'resolved', assignments: [task('E02', 'cleared')] }))).toBe('');
    expect(closeRefusal(incident({ status: 'closed' }))).toBe('Already closed');
  });
});
