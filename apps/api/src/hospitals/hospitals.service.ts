import { HospitalChoice, HospitalView, JurisdictionIndex } from '@cad/domain';
import { haversineMetres } from '@cad/routing';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Assignment, Incident, readCityProfile } from '@cad/db';
import { InvalidInput, NotFound, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { EventsService } from '../events/events.service';

/** Task statuses in which a hospital may be chosen: on scene (about to transport) or transporting. */
const CHOOSABLE = ['on_scene', 'transporting'];

/**
 * The hospitals of the city profile (issue 26) and the choice of one for a unit that transports,
 * recorded as `assignment.hospital`. A profile that lists none (San Francisco lists none it cannot
 * source) answers an empty list with a `note` saying so, and a choice is refused.
 */
@Injectable()
export class HospitalsService {
  private readonly hospitals: HospitalView[];

  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.hospitals = readCityProfile(config.CITY_PROFILE).hospitals.map((h) => ({ name: h.name, lat: h.lat, lon: h.lon, source: h.source }));
  }

  /**
   * The profile's hospitals, nearest to incident `incidentId` first (with `distanceM`, great-circle
   * metres) when given, else in the profile's order; `note` when the profile lists none.
   * @throws NotFound (404) for an unknown incident
   */
  async list(incidentId?: string): Promise<{ hospitals: HospitalView[]; note: string | null }> {
    const note = this.hospitals.length ? null : 'the city profile lists no hospital (none it can source): choose by radio and record it in the narrative';
    if (!incidentId) return { hospitals: this.hospitals, note };
    const i = await this.ds.getRepository(Incident).findOneBy({ id: incidentId });
    if (!i) throw new NotFound('incident', incidentId);
    const withD = this.hospitals.map((h) => ({ ...h, distanceM: Math.round(haversineMetres(i.lat, i.lon, h.lat, h.lon)) }));
    return { hospitals: withD.sort((a, b) => a.distanceM - b.distanceM), note };
  }

  /**
   * Records the hospital task `assignmentId` transports to (`assignment.hospital`; choosing again
   * records the new choice).
   * @throws InvalidInput (400) naming `hospital` for a name the profile does not list (or none listed)
   * @throws StateConflict (409) naming the task's status unless it is on scene or transporting
   */
  async choose(assignmentId: string, name: string, by: string): Promise<HospitalChoice> {
    const h = this.hospitals.find((x) => x.name === name);
    if (!h) {
      throw new InvalidInput(
        this.hospitals.length
          ? `hospital must be one the city profile lists: ${this.hospitals.map((x) => x.name).join('; ')}`
          : 'hospital: the city profile lists no hospital to choose from',
      );
    }
    return this.ds.transaction(async (m) => {
      const a = await m.findOne(Assignment, { where: { id: assignmentId }, lock: { mode: 'pessimistic_write' } });
      if (!a) throw new NotFound('assignment', assignmentId);
      if (!CHOOSABLE.includes(a.status)) throw new StateConflict(`task ${assignmentId} is ${a.status}: a hospital is chosen on scene or while transporting`, a.status);
      const incident = await m.findOneByOrFail(Incident, { id: a.incidentId });
      const choice: HospitalChoice = { incidentId: a.incidentId, assignmentId: a.id, unitId: a.unitId, hospital: { name: h.name, lat: h.lat, lon: h.lon }, chosenBy: by };
      await this.events.append(m, { type: 'assignment.hospital', incidentId: a.incidentId, unitId: a.unitId, jurisdictionIds: this.index.chain(incident.streetId), at: new Date(), actor: by, payload: choice });
      return choice;
    });
  }

  /** The latest hospital chosen for each task of an incident. */
  async chosen(incidentId: string): Promise<HospitalChoice[]> {
    const rows: { payload: HospitalChoice }[] = await this.ds.query(
      `SELECT DISTINCT ON (payload->>'assignmentId') payload FROM incident_event WHERE incident_id = $1 AND type = 'assignment.hospital' ORDER BY payload->>'assignmentId', seq DESC`,
      [incidentId],
    );
    return rows.map((r) => r.payload);
  }
}
