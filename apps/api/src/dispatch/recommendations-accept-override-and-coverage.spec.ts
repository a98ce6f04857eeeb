import { startTestApp, TestApp } from '../testing/test-app';

/**
 * A dispatcher sees the allocator's recommendation for an incident's unfilled slot, with its reason,
 * and accepts it in one click or overrides it with a reason; the coverage layer reports per street
 * whether an engine (240 s) and ALS unit (480 s) can reach it, with move-ups.
 */
describe('recommendations with reasons, accept or override, and coverage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('recommendations');
  });
  afterAll(async () => {
    await t.close();
  });

  // Each incident ~1.1 km from the last, so no call is linked to another as a duplicate.
  let nth = 0;
  async function incidentWithOpenSlot() {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7850 + 0.01 * nth++, lon: -122.4190 });
    const incident = await t.incidentOf(call.body.id);
    const first = incident.assignments[0];
    // The crew clears early (a cancel, with its reason): its slot of the plan is open again.
    expect((await t.request('PATCH', `/api/assignments/${first.id}`, { status: 'cleared', cancelReason: 'cancelled_by_dispatch' })).status).toBe(200);
    return { incident, freed: first };
  }

  it('recommends a unit for the open slot with its reason, and accepting sends it', async () => {
    const { incident, freed } = await incidentWithOpenSlot();
    const rec = await t.request('GET', `/api/incidents/${incident.id}/recommendations`);
    expect(rec.status).toBe(200);
    expect(rec.body.slots).toHaveLength(1);
    const slot = rec.body.slots[0];
    expect(slot.capability).toBe(freed.capability);
    expect(slot.unitId).toBeTruthy();
    expect(slot.etaSeconds).toBeGreaterThanOrEqual(0);
    expect(slot.reason).toMatch(/\S/);
    const accepted = await t.request('POST', `/api/incidents/${incident.id}/recommendations/accept`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.body.assigned.map((a: any) => a.unitId)).toEqual([slot.unitId]);
    const again = await t.request('GET', `/api/incidents/${incident.id}/recommendations`);
    expect(again.body.slots).toEqual([]);
  });

  it('recommends the same one of two units with one ETA however their rows are stored, and accepting sends the unit shown', async () => {
    const { incident } = await incidentWithOpenSlot();
    const shown = (await t.request('GET', `/api/incidents/${incident.id}/recommendations`)).body.slots[0].unitId as string;
    // A twin of the recommended unit: same type, capabilities, station and place, so the same ETA to the slot.
    const twin = `0TWIN-${shown}`;
    await t.ds.query(
      `INSERT INTO unit SELECT (jsonb_populate_record(NULL::unit, to_jsonb(u) || jsonb_build_object('id', $2::text))).* FROM unit u WHERE world = 'live' AND id = $1`,
      [shown, twin],
    );
    const recommended = async () => (await t.request('GET', `/api/incidents/${incident.id}/recommendations`)).body.slots[0] as { unitId: string; etaSeconds: number };
    const first = await recommended();
    expect([shown, twin]).toContain(first.unitId);
    // Each unit's row rewritten in turn (an update stores a new row version elsewhere in the table): the
    // recommendation does not follow where the rows lie.
    for (const id of [first.unitId, first.unitId === twin ? shown : twin, first.unitId]) {
      await t.ds.query(`UPDATE unit SET status = 'out_of_service' WHERE world = 'live' AND id = $1`, [id]);
      await t.ds.query(`UPDATE unit SET status = 'available' WHERE world = 'live' AND id = $1`, [id]);
      const again = await recommended();
      expect(again.unitId).toBe(first.unitId);
      expect(again.etaSeconds).toBe(first.etaSeconds);
    }
    // The console accepts the units it showed: those are sent, and a unit no longer recommended is refused, never swapped.
    const other = first.unitId === twin ? shown : twin;
    const refused = await t.request('POST', `/api/incidents/${incident.id}/recommendations/accept`, { unitIds: [other] });
    expect(refused.status).toBe(200);
    expect(refused.body.assigned).toEqual([]);
    expect(refused.body.refused[0]).toMatchObject({ unitId: other });
    expect(refused.body.refused[0].reason).toContain(first.unitId);
    const accepted = await t.request('POST', `/api/incidents/${incident.id}/recommendations/accept`, { unitIds: [first.unitId] });
    expect(accepted.body.assigned.map((a: { unitId: string }) => a.unitId)).toEqual([first.unitId]);
  });

  it('refuses unitIds that are null, empty or not a list naming the field, never reading them as "all"; a unit listed twice is answered once', async () => {
    const { incident } = await incidentWithOpenSlot();
    const accept = (body: unknown) => t.request('POST', `/api/incidents/${incident.id}/recommendations/accept`, body);
    for (const body of [{ unitIds: null }, { unitIds: [] }, { unitIds: 'E35' }]) {
      const r = await accept(body);
      expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), 400]);
      expect(JSON.stringify(r.body.message)).toMatch(/unitIds must (be a list|list at least one)/);
    }
    // Nothing was sent by any of them: the slot is still recommended.
    const rec = (await t.request('GET', `/api/incidents/${incident.id}/recommendations`)).body.slots[0];
    expect(rec.unitId).toBeTruthy();
    const twice = await accept({ unitIds: ['E99', 'E99'] });
    expect(twice.status).toBe(200);
    expect(twice.body.refused.map((r: { unitId: string }) => r.unitId)).toEqual(['E99']);
    expect(twice.body.assigned).toEqual([]);
  });

  it('overrides the recommendation with another unit and records why', async () => {
    const { incident, freed } = await incidentWithOpenSlot();
    const rec = (await t.request('GET', `/api/incidents/${incident.id}/recommendations`)).body;
    const units = (await t.request('GET', '/api/units')).body as any[];
    const other = units.find((u) => u.status === 'available' && u.capabilities.includes(freed.capability) && u.id !== rec.slots[0].unitId);
    const res = await t.request('POST', `/api/incidents/${incident.id}/recommendations/override`, { unitId: other.id, reason: 'crew knows the building' });
    expect(res.status).toBe(200);
    expect(res.body.assignment.unitId).toBe(other.id);
    expect(res.body.recommended.unitId).toBe(rec.slots[0].unitId);
    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body;
    expect(events.find((e: any) => e.type === 'recommendation.overridden').payload).toMatchObject({ unitId: other.id, reason: 'crew knows the building' });
    const noReason = await t.request('POST', `/api/incidents/${incident.id}/recommendations/override`, { unitId: other.id });
    expect(noReason.status).toBe(400);
  });

  it('reports coverage per street against NFPA 1710 with move-ups, scoped to the post', async () => {
    const city = await t.request('GET', '/api/coverage');
    expect(city.status).toBe(200);
    expect(city.body.streets.length).toBeGreaterThan(50);
    expect(city.body.totalWeight).toBeGreaterThan(0);
    for (const s of city.body.streets) {
      const engineOk = s.engineSeconds !== null && s.engineSeconds <= 240;
      const alsOk = s.alsSeconds !== null && s.alsSeconds <= 480;
      expect(s.covered).toBe(engineOk && alsOk);
    }
    const coveredWeight = city.body.streets.filter((s: any) => s.covered).reduce((a: number, s: any) => a + s.weight, 0);
    expect(city.body.coveredWeight).toBeCloseTo(coveredWeight, 6);
    expect(city.body.shareAfterMoveUps).toBeGreaterThanOrEqual(city.body.share);
    // Each move says how long the drive takes (road travel under the travel model, no lights and sirens).
    expect(city.body.moveUps.length).toBeGreaterThan(0);
    const types = new Map<string, string>((await t.ds.query(`SELECT id, unit_type FROM unit WHERE world = 'live'`)).map((u: { id: string; unit_type: string }) => [u.id, u.unit_type]));
    for (const m of city.body.moveUps) {
      // The unit named with its type, for a line that says "Medic 50 → Station 10 (250 s)".
      expect(m.unitType).toBe(types.get(m.unitId));
      expect(m.moveSeconds).toBeGreaterThan(30);
      expect(m.moveSeconds).toBeLessThan(1800);
    }
    const d3 = await t.signIn('d3');
    const mine = await t.request('GET', '/api/coverage', undefined, d3);
    expect(mine.body.streets.every((s: any) => s.id.startsWith('sf-d3-'))).toBe(true);
    expect((await t.request('GET', '/api/coverage?jurisdictionId=sf-d5', undefined, d3)).status).toBe(403);
  });

  it('says a capability is out of service rather than missing when no unit of it can be recommended', async () => {
    const trucks = await t.ds.query(`SELECT id, status FROM unit WHERE 'truck' = ANY(capabilities)`);
    await t.ds.query(`UPDATE unit SET status = 'out_of_service' WHERE 'truck' = ANY(capabilities) AND status = 'available'`);
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7990, lon: -122.4350 });
    const incident = await t.incidentOf(call.body.id, true);
    const rec = await t.request('GET', `/api/incidents/${incident.id}/recommendations`);
    const truck = rec.body.slots.find((s: any) => s.capability === 'truck');
    expect(truck.unitId).toBeNull();
    const [{ n: oos }] = await t.ds.query(`SELECT count(*)::int AS n FROM unit WHERE 'truck' = ANY(capabilities) AND status = 'out_of_service'`);
    expect(oos).toBeGreaterThan(0);
    expect(truck.reason).toMatch(new RegExp(`^no truck available: ${oos} out of service`));
    // Back as they were.
    for (const u of trucks) await t.ds.query(`UPDATE unit SET status = $2 WHERE id = $1`, [u.id, u.status]);
  });
});
