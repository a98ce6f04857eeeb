import { ACTIVE_ASSIGNMENT_STATUSES, dispatchModeOf, heldReason, isOpenIncident, worldOf } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Assignment, Incident, Unit } from '@cad/db';
import { InvalidInput, NotFound, StateConflict } from '../common/errors';
import { ClockService } from '../platform/clock/clock.service';
import { CommandChainService } from '../command-chain/command-chain.service';
import { ArmedDeadline, DeadlinesService } from '../command-chain/deadlines.service';
import { assignmentView, AssignmentView } from '../incidents/incident.view';
import { DispatchCandidatesService } from './dispatch-candidates.service';
import { UnitAssignmentService } from './unit-assignment.service';

/** A dispatcher's own choice of unit for an incident (also a post accepting a request with a unit, and an accepted recommendation). */
@Injectable()
export class AssignByHandService {
  constructor(
    private readonly candidates: DispatchCandidatesService,
    private readonly assignments: UnitAssignmentService,
    private readonly deadlines: DeadlinesService,
    private readonly chain: CommandChainService,
    private readonly clock: ClockService,
    private readonly ds: DataSource,
  ) {}

  /**
   * Assigns one unit chosen by a dispatcher to an open incident. Of two dispatchers racing for the
   * same unit exactly one wins: the unit's status moves from a dispatchable status in one
   * conditional UPDATE, and the partial unique index allows one active assignment per unit.
   * @param capability the plan slot the unit fills (defaults to its primary capability)
   * @param mayUse checks the dispatcher may draw on a unit based in that street (throws Forbidden)
   * @param viaRequest for a unit of an agency dispatched by request: records the post's acceptance of its
   *   request inside the same transaction, given the new assignment (throws to undo it); without it such
   *   a unit is refused
   * @throws NotFound for an unknown incident or unit
   * @throws InvalidInput (400) for a unit of an agency in `request` mode assigned without its request
   * @throws StateConflict (409) when the incident is closed, or the unit is not available (naming
   *   its status and the incident it is assigned to)
   */
  async assignByHand(
    incidentId: string,
    unitId: string,
    actor: string,
    capability?: string,
    mayUse: (homeStreetId: string | null) => Promise<void> = async () => undefined,
    viaRequest?: (m: EntityManager, a: Assignment) => Promise<void>,
  ): Promise<AssignmentView> {
    const incident0 = await this.ds.getRepository(Incident).findOneBy({ id: incidentId });
    if (!incident0) throw new NotFound('incident', incidentId);
    // The unit of the incident's world: a drill incident takes the drill's E28, never the live one.
    const world = worldOf(incident0);
    const unit = await this.ds.getRepository(Unit).findOneBy({ world, id: unitId });
    if (!unit) throw new NotFound('unit', unitId);
    await mayUse(unit.homeStreetId);
    if (!viaRequest && dispatchModeOf(this.chain.agencyRules, unit.agency) === 'request') {
      throw new InvalidInput(
        `unitId: ${unitId} is a ${unit.agency} unit: ${unit.agency} units are requested of the ${unit.agency} post, which accepts the request with a unit (POST /api/agency-requests/:id/accept), not assigned by hand`,
      );
    }
    if (capability && !unit.capabilities.includes(capability)) {
      throw new InvalidInput(`capability: unit ${unitId} has ${unit.capabilities.join(', ')}, not ${capability}`);
    }
    // Served beside a closure when the closures cut the incident off (issue 18): an ETA whenever the unit can drive at all.
    const { network, node, etaSeconds: eta } = await this.candidates.etaOfUnit(incident0, unit);
    const why = Number.isFinite(eta) ? '' : ': no ETA, the road closures cut the unit off from every open road to the incident';
    const armed: (ArmedDeadline | null)[] = [];
    const view = await this.ds.transaction(async (m) => {
      const incident = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!incident) throw new NotFound('incident', incidentId);
      if (!isOpenIncident(incident.status)) {
        throw new StateConflict(`incident is ${incident.status}: no unit can be assigned`, incident.status);
      }
      const when = this.clock.timeFor(incident);
      const a = await this.assignments.assign(
        m,
        incident,
        { unit, node, capability: capability ?? unit.capabilities[0], etaSeconds: eta, reason: `assigned by ${actor}${why}`, runnerUp: null },
        when,
        actor,
        armed,
        network,
      );
      if (!a) {
        // Read on this transaction's own connection: a second pool connection while holding the
        // incident lock could starve the pool under a burst of racing requests.
        const holder = await m.findOne(Assignment, { where: { world, unitId, status: In([...ACTIVE_ASSIGNMENT_STATUSES]) } });
        const current = await m.findOneByOrFail(Unit, { world, id: unitId });
        throw new StateConflict(
          `unit ${unitId} is ${current.status}${holder ? ` on incident ${holder.incidentId}` : ''}: not available`,
          { status: current.status, incidentId: holder?.incidentId ?? null },
        );
      }
      if (viaRequest) await viaRequest(m, a);
      if (incident.status === 'received') await m.update(Incident, { id: incident.id }, { status: 'dispatched', dispatchedAt: when });
      // A dispatcher's own unit ends a hold on automatic dispatch (crews that did not acknowledge).
      if (!incident.autoDispatch) await m.update(Incident, { id: incident.id }, { autoDispatch: true, ...heldReason(null) });
      await this.assignments.appendIncidentUpdated(m, incident.id, when, actor);
      return assignmentView(a);
    });
    await this.deadlines.scheduleDeadlines(armed);
    return view;
  }
}
