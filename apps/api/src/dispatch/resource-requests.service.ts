import { alarmsOf, planLabel, currentTier, heldReason, isOpenIncident, ACTIVE_ASSIGNMENT_STATUSES, parentTier, planSlots, splitByDispatchMode, Tier, TIERS, unfilledSlots, withFirstAlarm } from '@cad/domain';
import { fillPlanNearest, PlanFill } from '@cad/routing';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Assignment, Incident } from '@cad/db';
import { NotFound, StateConflict } from '../common/errors';
import { ClockService } from '../platform/clock/clock.service';
import { CommandChainService } from '../command-chain/command-chain.service';
import { ArmedDeadline, DeadlinesService } from '../command-chain/deadlines.service';
import type { DispatchResult } from './dispatch.service';
import { DispatchCandidatesService } from './dispatch-candidates.service';
import { UnitAssignmentService } from './unit-assignment.service';

/**
 * Units sent beyond the response plan: a commanding tier's request to the tier above, a further alarm
 * struck, and the replacement of a task its crew did not acknowledge. Each is recorded as
 * `incident.resources_requested`.
 */
@Injectable()
export class ResourceRequestsService {
  constructor(
    private readonly ds: DataSource,
    private readonly chain: CommandChainService,
    private readonly deadlines: DeadlinesService,
    private readonly clock: ClockService,
    private readonly candidates: DispatchCandidatesService,
    private readonly assignments: UnitAssignmentService,
  ) {}

  /**
   * A commanding tier asks the tier above for extra units without handing over command (a street
   * asking its district): the requested capabilities are filled with the nearest dispatchable units
   * of the parent tier's subtree (the city's when the incident is already commanded by the city);
   * what that tier cannot fill is asked of the next tier up, to the city; and
   * `incident.resources_requested` records the request and its outcome.
   * A capability of an agency dispatched by request (police) is asked of that agency's post instead.
   * @param capabilities one entry per unit wanted, e.g. `['engine', 'engine', 'truck']`
   * @param slotPrefix prefix of the requests' slots (`alarm2-`); defaults to one unique to this request
   * @returns the units sent (ETA seconds), the capabilities no unit could fill, and the requests made to other agencies' posts
   * @throws NotFound for an unknown incident
   * @throws StateConflict (409) when the incident is not open
   */
  async requestResources(incidentId: string, capabilities: string[], reason: string, actor: string, slotPrefix = `rr${Date.now().toString(36)}-`) {
    return this.sendUnits(incidentId, capabilities, reason, actor, 'parent', null, slotPrefix);
  }

  /**
   * Replaces a task taken back from a unit that did not acknowledge: one unit of the slot's
   * capability from the incident's commanding tier (after the escalation the timer made, that is
   * the tier above the one that failed), and from the tiers above when it has none. Recorded like
   * a resource request (`incident.resources_requested` with the coded reason `not_acknowledged`,
   * `replacesUnitId` and `replacesAssignmentId`, which the console words). At most one replacement per task (a unique
   * index): running it again sends nothing. When no unit is found and none is left on the
   * incident, it goes back to `received` and waits for the next unit to free up.
   *
   * Asked again (`retry`) after a unit was freed somewhere in its world (`requeueUnreplaced`): a slot
   * left unfilled while the incident runs on its other units was never filled before (a hostile test: a
   * P1 whose engine did not acknowledge while every engine was busy ran without an engine until it was
   * resolved). A retry sends a unit only while the incident's plan still misses that capability (a
   * dispatcher may have filled it by hand), never for an incident waiting in `received` (its dispatch
   * serves it) or held for a dispatcher, and writes nothing when no unit can go yet.
   * @param releasedId the assignment taken back
   * @param retry asked again after a unit was freed (see above)
   * @returns the unit sent and what could not be filled, as {@link requestResources}; null when the
   *   incident is no longer open or the task was already replaced (or, for a retry, nothing was sent)
   * @throws NotFound for an unknown assignment
   */
  async replaceTask(releasedId: string, actor: string, retry = false) {
    const released = await this.ds.getRepository(Assignment).findOneBy({ id: releasedId });
    if (!released) throw new NotFound('assignment', releasedId);
    const incident = await this.ds.getRepository(Incident).findOneByOrFail({ id: released.incidentId });
    if (!isOpenIncident(incident.status)) return null;
    if (retry && !(await this.stillMissing(incident, released.capability))) return null;
    return this.sendUnits(incident.id, [released.capability], 'not_acknowledged', actor, 'commanding', { assignmentId: released.id, unitId: released.unitId }, '', retry);
  }

  /** Whether an incident running with automatic dispatch still misses `capability` in its plan. */
  private async stillMissing(incident: Incident, capability: string): Promise<boolean> {
    if (incident.status === 'received' || !incident.autoDispatch) return false;
    return (await this.missingSlots(incident.id, planSlots(await this.candidates.planOf(incident)))).includes(capability);
  }

  /**
   * The slots of `slots` (capabilities) that units dispatched directly should fill and none serves: a
   * unit serves its slot while its task is active, or when it reached the scene and cleared (not taken
   * back). Slots of agencies dispatched by request are left out (their posts are asked instead).
   */
  private async missingSlots(incidentId: string, slots: string[]): Promise<string[]> {
    const { direct } = splitByDispatchMode(slots, this.chain.agencyRules);
    const tasks = await this.ds.getRepository(Assignment).findBy({ incidentId });
    const serving = tasks.filter((a) => (ACTIVE_ASSIGNMENT_STATUSES as readonly string[]).includes(a.status) || (a.onSceneAt !== null && !a.releasedReason)).map((a) => a.capability);
    return unfilledSlots(direct, serving);
  }

  /**
   * After an incident's priority was raised (a more urgent duplicate call linked to it), sends what the
   * plan of its new priority asks beyond the units it has (issue 20: a P2 medical call answered by an
   * ambulance alone, raised to P1, now needs the engine its P1 plan sends). Units of the commanding tier
   * first, then the tiers above (as a replacement is found); recorded as `incident.resources_requested`
   * with the coded reason `priority_raised`. A unit counts as serving its slot while its task is active,
   * or when it reached the scene and cleared. Only for an incident already dispatched with automatic
   * dispatch on: one still `received` is served by its dispatch job at the new revision with the new
   * plan, and one held for a dispatcher stays theirs. Idempotent: run again, it finds nothing missing.
   * Slots of agencies dispatched by request are left to the first decision's requests (not topped up).
   * An incident with its own first alarm (`withFirstAlarm`) needs per capability the more of it and of the
   * new priority's plan.
   * @returns what `requestResources` returns, or null when nothing was missing or the incident does not qualify
   */
  async topUpAfterPriorityRaise(incidentId: string) {
    const incident = await this.ds.getRepository(Incident).findOneBy({ id: incidentId });
    if (!incident || incident.status === 'received' || !isOpenIncident(incident.status) || !incident.autoDispatch) return null;
    // An incident with its own first alarm (a drill replaying history) needs, per capability, the more of
    // that and what the plan of its new priority sends: a raise never goes unanswered for it either.
    // The plan read once: its type's for the new priority, with the incident's own first alarm over it.
    const raised = await this.candidates.planOf({ type: incident.type, priority: incident.priority });
    const slots = planSlots(withFirstAlarm(raised, incident.firstAlarm));
    if (incident.firstAlarm) {
      const planned = planSlots(raised);
      for (const cap of new Set(planned)) {
        const more = planned.filter((c) => c === cap).length - slots.filter((c) => c === cap).length;
        for (let k = 0; k < more; k++) slots.push(cap);
      }
    }
    const missing = await this.missingSlots(incidentId, slots);
    if (!missing.length) return null;
    return this.sendUnits(incidentId, missing, 'priority_raised', 'dispatch', 'commanding', null, `p${incident.priority}-`);
  }

  private async sendUnits(
    incidentId: string,
    asked: string[],
    reason: string,
    actor: string,
    source: 'parent' | 'commanding',
    replaces: { assignmentId: string; unitId: string } | null = null,
    slotPrefix = '',
    onlyIfSent = false,
  ) {
    const replacesId = replaces?.assignmentId ?? null;
    const incident0 = await this.ds.getRepository(Incident).findOneBy({ id: incidentId });
    if (!incident0) throw new NotFound('incident', incidentId);
    // Capabilities of agencies dispatched by request become requests to their posts (slots `<prefix><capability>-<n>`).
    const { direct: capabilities, requested } = splitByDispatchMode(asked, this.chain.agencyRules);
    const tier: Tier = currentTier(incident0);
    const from: Tier = source === 'commanding' ? tier : (parentTier(tier) ?? tier);
    const jid = this.chain.jurisdictionAt(incident0, from);
    const { candidates, byId, network } = await this.candidates.candidates(incident0, capabilities);
    // The tier above fills what it can; what it cannot goes one tier further up, up to the city.
    const fill: PlanFill = { chosen: [], unfilled: [] };
    let wanted = capabilities;
    for (let t: Tier | null = from; t && wanted.length; t = parentTier(t)) {
      const scopeTier = t;
      const scopeId = this.chain.jurisdictionAt(incident0, scopeTier);
      const taken = new Set(fill.chosen.map((c) => c.unitId));
      const step = fillPlanNearest(
        wanted,
        candidates.filter((c) => !taken.has(c.unitId) && this.chain.inScope(byId.get(c.unitId)!.unit.homeStreetId, scopeTier, scopeId)),
      );
      fill.chosen.push(...step.chosen.map((c) => (scopeTier === from ? c : { ...c, reason: `${c.reason}; from the ${scopeTier}: none left in the ${from}` })));
      wanted = step.unfilled;
    }
    fill.unfilled = wanted;
    // A replacement asked again after a unit was freed: nothing to write while no unit can go.
    if (onlyIfSent && !fill.chosen.length) return null;
    const armed: (ArmedDeadline | null)[] = [];
    const result = await this.ds.transaction(async (m) => {
      const incident = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!incident) throw new NotFound('incident', incidentId);
      if (replacesId && (!isOpenIncident(incident.status) || (await m.countBy(Assignment, { replacesId })))) return null;
      if (!isOpenIncident(incident.status)) throw new StateConflict(`incident is ${incident.status}: no unit can be requested`, incident.status);
      const when = this.clock.timeFor(incident);
      const sent: DispatchResult['dispatched'] = [];
      for (const choice of fill.chosen) {
        const { unit, node, network: own } = byId.get(choice.unitId)!;
        const a = await this.assignments.assign(m, incident, { unit, node, network: own, ...choice, reason: `requested from ${from} ${jid}: ${choice.reason}` }, when, actor, armed, network, replacesId);
        if (!a) continue;
        sent.push({ unitId: unit.id, capability: choice.capability, etaSeconds: choice.etaSeconds });
      }
      const unfilled = capabilities.slice();
      for (const s of sent) unfilled.splice(unfilled.indexOf(s.capability), 1);
      const requestedOf = (await this.assignments.requestOfAgencies(m, incident, requested, when, slotPrefix)).map((r) => ({ id: r.id, agency: r.agency, capability: r.capability }));
      if (sent.length && incident.status === 'received') await m.update(Incident, { id: incidentId }, { status: 'dispatched', dispatchedAt: when });
      if (sent.length && !incident.autoDispatch && !replacesId) await m.update(Incident, { id: incidentId }, { autoDispatch: true, ...heldReason(null) });
      if (!sent.length && replacesId && incident.status === 'dispatched' && !(await m.countBy(Assignment, { incidentId, status: In([...ACTIVE_ASSIGNMENT_STATUSES]) }))) {
        // Nobody left on the incident and nobody to send: it waits for the next unit to free up.
        await m.update(Incident, { id: incidentId }, { status: 'received', ...heldReason({ code: 'unfilled_unreplaced', params: { capabilities: unfilled.join(', ') } }) });
      }
      await this.assignments.appendResourcesRequested(m, incident, when, actor, {
        incidentId,
        fromTier: tier,
        toTier: from,
        toJurisdictionId: jid,
        reason,
        ...(replaces ? { replacesUnitId: replaces.unitId, replacesAssignmentId: replaces.assignmentId } : {}),
        requested: asked,
        sent,
        unfilled,
        agencyRequests: requestedOf,
      });
      await this.assignments.appendIncidentUpdated(m, incidentId, when, actor);
      return { fromTier: from, jurisdictionId: jid, sent, unfilled, agencyRequests: requestedOf };
    });
    await this.deadlines.scheduleDeadlines(armed);
    return result;
  }

  /**
   * Strikes a further alarm (a second alarm, ...): sends the units that alarm level of the response
   * plan adds, from the tier above (and up, as {@link requestResources}), and hands command to the
   * tier the plan names for that level when it is higher (`escalation` with reason `alarm`).
   * @param level 2 or more
   * @throws NotFound / StateConflict (409) when the incident is not open or the plan has no such level
   */
  async strikeAlarm(incidentId: string, level: number, actor: string) {
    const incident = await this.ds.getRepository(Incident).findOneBy({ id: incidentId });
    if (!incident) throw new NotFound('incident', incidentId);
    const plan = await this.candidates.planOf(incident);
    const alarm = alarmsOf(plan).find((a) => a.level === level);
    if (!alarm) throw new StateConflict(`the ${planLabel(plan)} response plan has no alarm level ${level}`, { levels: alarmsOf(plan).map((a) => a.level) });
    const current: Tier = currentTier(incident);
    const target = alarm.commandingTier;
    if (TIERS.indexOf(target) > TIERS.indexOf(current)) {
      await this.ds.transaction(async (m) => {
        const locked = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
        if (!locked) return;
        await this.chain.move(m, locked, { reason: 'alarm', detail: `alarm ${level} struck`, key: `alarm-${incidentId}-${level}`, actor, at: this.clock.timeFor(locked), toTier: target });
      });
    }
    const sent = await this.requestResources(incidentId, planSlots({ slots: alarm.slots }), `alarm ${level}`, actor, `alarm${level}-`);
    return { level, commandingTier: TIERS.indexOf(target) > TIERS.indexOf(current) ? target : current, ...sent };
  }
}
