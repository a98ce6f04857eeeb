import { DamageFigures, emptyDamage, rollUpSituation, SitrepJurisdiction } from './sitrep';

const chain: SitrepJurisdiction[] = [
  { id: 'c', name: 'City', level: 'city', parentId: null },
  { id: 'd1', name: 'D1', level: 'district', parentId: 'c' },
  { id: 'd2', name: 'D2', level: 'district', parentId: 'c' },
  { id: 'd1-a', name: 'A', level: 'street', parentId: 'd1' },
  { id: 'd1-b', name: 'B', level: 'street', parentId: 'd1' },
  { id: 'd2-x', name: 'X', level: 'street', parentId: 'd2' },
];

const fig = ({ red, dead, ...p }: Partial<DamageFigures> & { red?: number; dead?: number }): DamageFigures => ({
  ...emptyDamage(),
  ...p,
  casualties: { immediate: red ?? 0, delayed: 0, minor: 0, deceased: dead ?? 0 },
});

const incidents = [
  { id: 'i1', type: 'Structure Fire', status: 'on_scene', priority: 1, streetId: 'd1-a', commandingTier: 'district' },
  { id: 'i2', type: 'Medical Incident', status: 'closed', priority: 2, streetId: 'd1-b', commandingTier: 'district' },
  { id: 'i3', type: 'Medical Incident', status: 'dispatched', priority: 1, streetId: 'd2-x', commandingTier: 'street' },
];
const assignments = [
  { incidentId: 'i1', unitId: 'E1', capability: 'engine', active: true },
  { incidentId: 'i1', unitId: 'T1', capability: 'ladder', active: true },
  { incidentId: 'i2', unitId: 'M1', capability: 'als', active: false },
  { incidentId: 'i3', unitId: 'M2', capability: 'als', active: true },
];
const damage = [
  { streetId: 'd1-a', figures: fig({ red: 2, displaced: 30, buildingsDamaged: 3, lifelinesOut: ['power'], needs: ['shelter'] }) },
  { streetId: 'd1-b', figures: fig({ dead: 1, buildingsDestroyed: 1, roadsBlocked: 2, lifelinesOut: ['water', 'power'], needs: ['shelter', 'water'] }) },
  { streetId: 'd2-x', figures: fig({ red: 5, displaced: 100 }) },
];

describe('a damage report rolls up from street to district to city', () => {
  it('sums each street into its district and every district into the city', () => {
    const city = rollUpSituation('c', chain, incidents, assignments, damage);
    const d1 = city.children.find((c) => c.jurisdictionId === 'd1')!;
    const a = d1.children.find((c) => c.jurisdictionId === 'd1-a')!;
    expect(a.damage).toEqual(fig({ red: 2, displaced: 30, buildingsDamaged: 3, lifelinesOut: ['power'], needs: ['shelter'] }));
    expect(d1.damage).toEqual(fig({ red: 2, dead: 1, displaced: 30, buildingsDamaged: 3, buildingsDestroyed: 1, roadsBlocked: 2, lifelinesOut: ['power', 'water'], needs: ['shelter', 'water'] }));
    expect(city.damage.casualties).toEqual({ immediate: 7, delayed: 0, minor: 0, deceased: 1 });
    expect(city.damage.displaced).toBe(130);
    expect(city.damageReports).toBe(3);
    expect(city.incidents).toBe(3);
    expect(city.byType).toEqual({ 'Structure Fire': 1, 'Medical Incident': 2 });
    expect(city.byPriority).toEqual({ P1: 2, P2: 1 });
    expect(d1.byStatus).toEqual({ on_scene: 1, closed: 1 });
    // Escalated and open: i1 only (i2 is closed, i3 commanded by its street).
    expect(city.openEscalations).toBe(1);
    expect(d1.unitsCommitted).toBe(2);
    expect(city.unitsCommitted).toBe(3);
    expect(city.committedByCapability).toEqual({ engine: 1, ladder: 1, als: 1 });
  });

  it("hostile twin: a district's report holds none of another district's numbers", () => {
    const d2 = rollUpSituation('d2', chain, incidents, assignments, damage);
    expect(d2.incidents).toBe(1);
    expect(d2.damage.casualties.immediate).toBe(5);
    expect(d2.damage.casualties.deceased).toBe(0);
    expect(d2.children.map((c) => c.jurisdictionId)).toEqual(['d2-x']);
    expect(JSON.stringify(d2)).not.toMatch(/d1|Structure Fire/);
  });

  it('a unit counted once however many incidents of the node it serves; an unknown root is refused by name', () => {
    const twice = [...assignments, { incidentId: 'i3', unitId: 'E1', capability: 'engine', active: true }];
    expect(rollUpSituation('c', chain, incidents, twice, damage).unitsCommitted).toBe(3);
    expect(() => rollUpSituation('nowhere', chain, incidents, assignments, damage)).toThrow(/nowhere/);
  });
});
