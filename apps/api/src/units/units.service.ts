import { ACTIVE_ASSIGNMENT_STATUSES, JurisdictionIndex, LIVE_WORLD, nextUnitStatus } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Assignment, BASE_UNKNOWN, Unit } from '@cad/db';
import { Forbidden, NotFound, StateConflict } from '../common/errors';
import { EventsService } from '../events/events.service';
import { assignmentView } from '../assignments/assignment.view';
import { IncidentsService } from '../incidents/incidents.service';

/** A unit as the API shows it: its world (`live` or a drill run id), WGS84 position, status, home street. */
export function unitView(u: Unit) {
  return {
    id: u.id,
    world: u.world,
    callsign: u.callsign,
    unitType: u.unitType,
    capabilities: u.capabilities,
    status: u.status,
    lat: u.lat,
    lon: u.lon,
    stationId: u.stationId,
    homeStreetId: u.homeStreetId,
    /**
     * Why the import put it out of service, when it did: `unmapped-type` (its type maps to no capability) or
     * `base-unknown` (the data cannot place its station); null otherwise (a person's reason is not shown).
     */
    importedOut: u.status === 'out_of_service' && u.outOfServiceBy?.startsWith('import:') ? u.outOfServiceBy.slice('import:'.length) : null,
  };
}

/**
 * Unit status by hand (out of service, back in service) and a unit's current task (AVL fixes: `AvlService`):
 * all of live units (a drill's units are moved by its simulated crews only, never by a phone or a dispatcher's status change).
 */
@Injectable()
export class UnitsService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
  ) {}

  /**
   * Puts a unit out of service or back in service (`unit.status` event), recording who took it out.
   * @param byCrew the unit's own crew asks: it may put the unit back only when it went out of service
   *   by the crew itself or by the acknowledgement timer, not when a dispatcher took it out
   * @throws NotFound for an unknown unit
   * @throws Forbidden (403) naming who took it out, when its crew may not undo that
   * @throws InvalidTransition (409) naming the current status, e.g. taking a unit with a task out of service
   * @throws StateConflict (409) putting back a unit the import took out because its station cannot be placed
   *   (`BASE_UNKNOWN`): a stations file places it, and the import puts it back
   */
  async setStatus(unitId: string, to: 'available' | 'out_of_service', actor: string, byCrew = false) {
    return this.ds.transaction(async (m) => {
      const u = await m.findOne(Unit, { where: { world: LIVE_WORLD, id: unitId }, lock: { mode: 'pessimistic_write' } });
      if (!u) throw new NotFound('unit', unitId);
      if (byCrew && to === 'available' && u.status === 'out_of_service' && u.outOfServiceBy && !u.outOfServiceBy.startsWith('timer:') && u.outOfServiceBy !== actor) {
        throw new Forbidden(`unit ${unitId} was put out of service by ${u.outOfServiceBy}: only dispatch can put it back`);
      }
      if (to === 'available' && u.status === 'out_of_service' && u.outOfServiceBy === BASE_UNKNOWN) {
        // Its station is a guess: back in service, dispatch would rank it from there whenever its fix is stale.
        throw new StateConflict(
          `unit ${unitId} is out of service since the import: the data cannot place its station, so dispatch would send it from a guessed position; ` +
            `place its station with a stations file (npm run import -- --stations <file>) and the import puts it back in service`,
          u.status,
        );
      }
      // Out of service already: a repeat changes nothing, above all not who took it out (else a crew, or a
      // dispatcher for an imported-out unit, could take over the reason and then put the unit back).
      if (to === 'out_of_service' && u.status === 'out_of_service') return unitView(u);
      nextUnitStatus(u.status, to);
      u.outOfServiceBy = to === 'out_of_service' ? actor : null;
      const active = await m.count(Assignment, { where: { world: LIVE_WORLD, unitId, status: In([...ACTIVE_ASSIGNMENT_STATUSES]) } });
      if (active) throw new StateConflict(`unit ${unitId} has an active task: clear it first`, u.status);
      u.status = to;
      await m.save(u);
      await this.events.append(m, {
        type: 'unit.status',
        unitId,
        jurisdictionIds: this.index.chain(u.homeStreetId),
        at: new Date(),
        actor,
        payload: { unitId, status: to, lat: u.lat, lon: u.lon },
      });
      return unitView(u);
    });
  }

  /**
   * The unit's current task: its active assignment with the incident, or null when it has none.
   * @throws NotFound for an unknown unit
   */
  async currentTask(unitId: string) {
    const u = await this.ds.getRepository(Unit).findOneBy({ world: LIVE_WORLD, id: unitId });
    if (!u) throw new NotFound('unit', unitId);
    // A phone never gets a drill's task: the drill's E38 is simulated.
    const a = await this.ds.getRepository(Assignment).findOne({ where: { world: LIVE_WORLD, unitId, status: In([...ACTIVE_ASSIGNMENT_STATUSES]) } });
    if (!a) return null;
    return { unit: unitView(u), assignment: assignmentView(a), incident: await this.incidents.view(a.incidentId) };
  }
}
