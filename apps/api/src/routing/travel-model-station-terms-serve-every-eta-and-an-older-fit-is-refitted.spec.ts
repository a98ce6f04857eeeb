import { STATION_SHRINK_GRID, TravelModel } from '@cad/domain';
import { startTestApp, TestApp } from '../testing/test-app';
import { TravelModelService } from './travel-model.service';

describe('the travel model fitted at import carries station terms and a nested error; an older stored fit without them is refitted at start', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('travelstations');
  });
  afterAll(async () => {
    await t.close();
  });

  const stored = async () => ((await t.ds.query(`SELECT model FROM travel_model WHERE id = 'live'`)) as { model: TravelModel }[])[0].model;

  it('an ETA adds the unit’s home station term to its line, for the same model GET /api/travel-model shows', async () => {
    const travel = t.app.get(TravelModelService);
    const m = (await (await fetch(`${t.url}/api/travel-model`, { headers: { authorization: `Bearer ${t.token}` } })).json()) as TravelModel;
    expect(m.weighting).toBe('absolute');
    expect(m.alternatives.map((a) => [a.weighting, a.stationTerms, a.stationShrink])).toEqual([
      ['squared', false, null],
      ['absolute', false, null],
      ...STATION_SHRINK_GRID.map((k) => ['absolute', true, k]),
    ]);
    expect(m.stationShrink).not.toBeNull();
    // On the city's real week, held out by day (nested: each day's fit chosen and fitted without it): the
    // model beats the least-squares fit before it, even on that fit's own (not nested) figure.
    const before = m.alternatives.find((a) => a.weighting === 'squared')!;
    expect(m.crossValidation.nested).toBe(true);
    expect(m.crossValidation.medianAbsPctError).toBeLessThan(before.medianAbsPctError - 0.02);
    expect(m.crossValidation.perDay.length).toBeGreaterThan(1);
    const [station, term] = Object.entries(m.stations!).sort(([, a], [, b]) => Math.abs(b.offsetS) - Math.abs(a.offsetS))[0];
    expect(Math.abs(term.offsetS)).toBeGreaterThan(1);
    const [unit] = (await t.ds.query(`SELECT unit_type, station_id FROM unit WHERE world = 'live' AND station_id = $1 AND unit_type = 'ENGINE' LIMIT 1`, [station])) as {
      unit_type: string;
      station_id: string;
    }[];
    const withTerm = travel.eta(120, true, { unitType: unit.unit_type, stationId: unit.station_id }).travelS;
    const without = travel.eta(120, true, { unitType: unit.unit_type, stationId: null }).travelS;
    expect(withTerm - without).toBeCloseTo(term.offsetS, 9);
  });

  it('a stored model without station terms is refitted and replaced; one with them is kept as stored (hostile twin)', async () => {
    const travel = t.app.get(TravelModelService);
    const fittedAt = (await stored()).fittedAt;
    await travel.onModuleInit();
    expect(travel.model().fittedAt).toBe(fittedAt);

    await t.ds.query(`UPDATE travel_model SET model = model - 'stations' WHERE id = 'live'`);
    await travel.onModuleInit();
    expect(travel.model().stations).toBeDefined();
    expect(travel.model().fittedAt > fittedAt).toBe(true);
    expect((await stored()).stations).toEqual(travel.model().stations);

    // A stored model whose error was not nested (read off the cross-validation that chose it) is refitted too.
    const refittedAt = travel.model().fittedAt;
    await t.ds.query(`UPDATE travel_model SET model = model #- '{crossValidation,nested}' WHERE id = 'live'`);
    await travel.onModuleInit();
    expect(travel.model().fittedAt > refittedAt).toBe(true);
    expect((await stored()).crossValidation.nested).toBe(true);
  });
});
