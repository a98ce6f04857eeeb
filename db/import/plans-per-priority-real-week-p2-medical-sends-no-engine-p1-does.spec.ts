import { derivePlans, MIN_INCIDENTS_PER_PRIORITY_PLAN, planFor, planSlots, priorityFromSf } from '@cad/domain';
import { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { cloneTestDatabase } from '../testing/clone-database';
import { SF_CALLS_FILE } from '../testing/sf-fixture';
import { readSfCalls } from './sf-calls';

/**
 * Issue 20 on the real week (the calls file of `DATA_DIR`, as the import reads it): SFFD answered most
 * priority-2 medical calls with an ambulance alone and priority-1 ones with an engine and an ambulance,
 * so the plans per (call type, priority) say the same, and the import stores them.
 */
describe('plans per call type and priority from the real SFFD week', () => {
  const { rows } = readSfCalls(SF_CALLS_FILE, process.env.DATA_TIME_ZONE || 'America/Los_Angeles');
  const history = rows.map((r) => ({ incidentKey: r.incidentNumber, callType: r.callType, unitType: r.unitType, priority: priorityFromSf(r.priorityCode) }));
  const plans = derivePlans(history);

  it('sends no engine to a P2 or P3 medical call and an engine with an ambulance to a P1 one', () => {
    // The data's own shares, counted here: most P2 medical calls got ambulances alone, almost no P1 one did.
    const byIncident = new Map<string, { priority: number; types: Set<string> }>();
    for (const r of rows.filter((x) => x.callType === 'Medical Incident')) {
      const i = byIncident.get(r.incidentNumber) ?? byIncident.set(r.incidentNumber, { priority: priorityFromSf(r.priorityCode), types: new Set() }).get(r.incidentNumber)!;
      i.types.add(r.unitType);
    }
    const share = (p: number) => {
      const of = [...byIncident.values()].filter((i) => i.priority === p);
      return of.filter((i) => [...i.types].every((t) => t === 'MEDIC' || t === 'PRIVATE')).length / of.length;
    };
    expect(share(2)).toBeGreaterThan(0.5);
    expect(share(1)).toBeLessThan(0.1);

    for (const p of [2, 3]) {
      const slots = planSlots(planFor(plans, 'Medical Incident', p));
      expect(slots).not.toContain('engine');
      expect(slots).toContain('ambulance');
    }
    expect(planSlots(planFor(plans, 'Medical Incident', 1))).toEqual(['engine', 'ambulance']);
    const medical = plans.get('Medical Incident')!;
    for (const v of medical.variants!) expect(v.derivedFrom).toBeGreaterThanOrEqual(MIN_INCIDENTS_PER_PRIORITY_PLAN);
    expect(medical.variants!.reduce((n, v) => n + v.derivedFrom, 0)).toBe(medical.derivedFrom);
  });

  it('keeps the type plan for a pair with too few incidents, and the import stores the variants beside the type plans', async () => {
    const incidentsOf = (type: string, p: number) => new Set(history.filter((h) => h.callType === type && h.priority === p).map((h) => h.incidentKey)).size;
    for (const [type, plan] of plans) {
      for (const p of [1, 2] as const) {
        const has = plan.variants?.some((v) => v.priority === p) ?? false;
        expect([type, p, has]).toEqual([type, p, incidentsOf(type, p) >= MIN_INCIDENTS_PER_PRIORITY_PLAN]);
        if (!has) expect(planFor(plans, type, p)).toBe(plan);
      }
    }
    const ds: DataSource = createDataSource(await cloneTestDatabase('planvariants'));
    await ds.initialize();
    try {
      const stored = await ds.query(`SELECT call_type, priority, slots, derived_from FROM response_plan_variant ORDER BY call_type, priority`);
      const medical = stored.filter((v: any) => v.call_type === 'Medical Incident');
      expect(medical.map((v: any) => [v.priority, v.slots])).toEqual([
        [1, { engine: 1, ambulance: 1 }],
        [2, { ambulance: 1 }],
      ]);
      // Every stored variant has its type's plan beside it.
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM response_plan_variant v LEFT JOIN response_plan p USING (call_type) WHERE p.call_type IS NULL`);
      expect(n).toBe(0);
    } finally {
      await ds.destroy();
    }
  });
});
