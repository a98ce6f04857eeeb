import { JurisdictionIndex, planFor, planSlots, ResponsePlan } from '@cad/domain';
import { fillPlanNearest, RoadNetwork } from '@cad/routing';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { EventsService } from '../events/events.service';
import { Assignment, Incident, ResponsePlanRow, Unit } from '@cad/db';
import { assignmentView } from './incident.view';
import { IncidentsService } from './incidents.service';

/** Outcome of one dispatch run. */
export interface DispatchResult {
  incidentId: string;
  dispatched: { unitId: string; capability: string; etaSeconds: number }[];
  unfilled: string[];
  /** True when the incident was no longer waiting for dispatch (a repeated job). */
  skipped: boolean;
}

/**
 * Fills an incident's response plan with available units chosen by road travel time, and records
 * the assignments, unit and incident status changes and their events in one transaction.
 */
@Injectable()
export class DispatchService {
  private readonly log = new Logger('Dispatch');

  constructor(
    private readonly ds: DataSource,
    private readonly network: RoadNetwork,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
  ) {}

  /**
   * Dispatches an incident at a revision. Idempotent: an incident that is no longer `received`, or
   * whose revision moved on, is left as it is. A unit taken by a concurrent dispatch (its version or
   * status changed) is skipped, never double-assigned.
   * @param at dispatch time (simulated time in a drill); defaults to now
   */
  async dispatch(incidentId: string, revision: number, at?: Date): Promise<DispatchResult> {
    const incident = await this.ds.getRepository(Incident).findOneByOrFail({ id: incidentId });
    if (incident.status !== 'received' || incident.revision !== revision) {
      return { incidentId, dispatched: [], unfilled: [], skipped: true };
    }
    const plan = await this.planOf(incident.type);
    const slots = planSlots(plan);
    const units = await this.ds.getRepository(Unit).find({ where: { status: 'available' } });
    const capable = units.filter((u) => u.capabilities.some((c) => slots.includes(c as never)));
    const target = this.network.snap(incident.lat, incident.lon).node;
    const sources = capable.map((u) => this.network.snap(u.lat, u.lon).node);
    const times = this.network.travelTimesTo(target, sources);
    const fill = fillPlanNearest(
      slots,
      capable.map((u, i) => ({ unitId: u.id, capabilities: u.capabilities, etaSeconds: times[i] })),
    );
    const when = at ?? (incident.exercise ? incident.receivedAt : new Date());
    const chain = this.index.chain(incident.streetId);
    const byId = new Map(capable.map((u, i) => [u.id, { unit: u, node: sources[i] }]));

    const dispatched = await this.ds.transaction(async (m) => {
      const fresh = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!fresh || fresh.status !== 'received' || fresh.revision !== revision) return null;
      const done: DispatchResult['dispatched'] = [];
      for (const choice of fill.chosen) {
        const { unit, node } = byId.get(choice.unitId)!;
        const taken = await m
          .createQueryBuilder()
          .update(Unit)
          .set({ status: 'dispatched' })
          .where('id = :id AND version = :version AND status = :status', { id: unit.id, version: unit.version, status: 'available' })
          .execute();
        if (!taken.affected) continue;
        const route = this.network.route(node, target);
        const a = await m.save(
          m.create(Assignment, {
            incidentId,
            unitId: unit.id,
            capability: choice.capability,
            status: 'dispatched',
            etaSeconds: choice.etaSeconds,
            routeMetres: route?.metres ?? 0,
            route: route?.geometry ?? null,
            dispatchedAt: when,
            enRouteAt: null,
            onSceneAt: null,
            clearedAt: null,
          }),
        );
        done.push({ unitId: unit.id, capability: choice.capability, etaSeconds: choice.etaSeconds });
        await this.events.append(m, {
          type: 'assignment.created',
          incidentId,
          unitId: unit.id,
          jurisdictionIds: chain,
          at: when,
          actor: 'dispatch',
          payload: { incidentId, assignment: assignmentView(a), reason: choice.reason, runnerUp: choice.runnerUp },
        });
        await this.events.append(m, {
          type: 'unit.status',
          incidentId,
          unitId: unit.id,
          jurisdictionIds: chain,
          at: when,
          actor: 'dispatch',
          payload: { unitId: unit.id, status: 'dispatched', lat: unit.lat, lon: unit.lon },
        });
      }
      const unfilled = [...fill.unfilled, ...fill.chosen.filter((c) => !done.some((d) => d.unitId === c.unitId)).map((c) => c.capability)];
      await m.update(
        Incident,
        { id: incidentId },
        done.length
          ? { status: 'dispatched', dispatchedAt: when, lastError: unfilled.length ? `unfilled: ${unfilled.join(', ')}` : null }
          : { lastError: `no available unit could be dispatched (${slots.join(', ')})` },
      );
      await this.events.append(m, {
        type: 'incident.updated',
        incidentId,
        jurisdictionIds: chain,
        at: when,
        actor: 'dispatch',
        payload: await this.incidents.view(incidentId, m),
      });
      return { done, unfilled };
    });
    if (!dispatched) return { incidentId, dispatched: [], unfilled: [], skipped: true };
    this.log.log(`incident ${incidentId}: dispatched ${dispatched.done.map((d) => d.unitId).join(', ') || 'nothing'}`);
    return { incidentId, dispatched: dispatched.done, unfilled: dispatched.unfilled, skipped: false };
  }

  private async planOf(callType: string): Promise<ResponsePlan> {
    const rows = await this.ds.getRepository(ResponsePlanRow).find({ where: { callType: In([callType]) } });
    const plans = new Map(
      rows.map((r) => [r.callType, { callType: r.callType, slots: r.slots, commandingTier: r.commandingTier as 'street', derivedFrom: r.derivedFrom }]),
    );
    return planFor(plans, callType);
  }
}
