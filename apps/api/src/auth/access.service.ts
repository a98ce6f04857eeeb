import { JurisdictionIndex, LIVE_WORLD } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Assignment, Incident, Unit } from '@cad/db';
import { Forbidden, NotFound } from '../common/errors';
import { Principal } from './principal';

/** Where a request keeps the unit its device names once looked up ({@link AccessService.unitOfRequestDevice}). */
const DEVICE_UNIT = Symbol('deviceUnit');

/**
 * What each post may see and act on. A commander, dispatcher or observer covers the subtree of
 * their jurisdiction (the city: everything; a district: its streets; a street: itself), which also
 * holds every incident escalated to their tier from below. A responder covers only the incidents
 * their unit is assigned to, and only their own unit.
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
  ) {}

  /** True when the principal's jurisdiction holds street `streetId` (city-wide posts hold all). */
  coversStreet(p: Principal, streetId: string | null): boolean {
    if (p.role === 'system') return true;
    if (!p.jurisdictionId) return false;
    if (this.index.get(p.jurisdictionId)?.level === 'city') return true;
    return this.index.chain(streetId).includes(p.jurisdictionId);
  }

  /** True when jurisdiction `jurisdictionId` is the principal's own or lies inside it. */
  coversJurisdiction(p: Principal, jurisdictionId: string): boolean {
    if (p.role === 'system') return true;
    if (!p.jurisdictionId) return false;
    return jurisdictionId === p.jurisdictionId || this.index.chain(jurisdictionId).includes(p.jurisdictionId);
  }

  /**
   * Checks that the principal may see (and, for dispatchers, act on) an incident.
   * @throws NotFound for an unknown incident
   * @throws Forbidden (403) naming the incident's street when it is outside the post
   */
  async assertIncident(p: Principal, incidentId: string): Promise<Incident> {
    const i = await this.ds.getRepository(Incident).findOneBy({ id: incidentId });
    if (!i) throw new NotFound('incident', incidentId);
    if (p.role === 'responder') {
      // A phone is a live crew's: a drill's task of the same unit id is never its own.
      const mine = await this.ds.getRepository(Assignment).countBy({ incidentId, unitId: p.unitId ?? '', world: LIVE_WORLD });
      if (!mine) throw new Forbidden(`incident ${incidentId} is not a task of unit ${p.unitId}`);
      return i;
    }
    if (!this.coversStreet(p, i.streetId)) throw new Forbidden(`incident ${incidentId} is in ${i.streetId}, outside ${p.jurisdictionId}`);
    return i;
  }

  /**
   * Checks that the principal may hand an incident's command back down the chain: only a post at the
   * commanding tier or above (the city commander for a city-commanded incident; a district dispatcher
   * for one commanded by its district), besides the scope of {@link assertIncident}.
   * @throws NotFound / Forbidden (403) naming the tier that commands it
   */
  async assertMayDeescalate(p: Principal, incidentId: string): Promise<Incident> {
    const i = await this.assertIncident(p, incidentId);
    const rank = { street: 0, district: 1, city: 2 } as Record<string, number>;
    const post = p.role === 'city_commander' || p.role === 'system' ? 'city' : p.role === 'district_dispatcher' ? 'district' : 'street';
    if ((rank[i.commandingTier] ?? 0) > rank[post]) {
      throw new Forbidden(`incident ${incidentId} is commanded at ${i.commandingTier} tier: only a ${i.commandingTier} post can hand command back down`);
    }
    return i;
  }

  /**
   * Checks that the principal may report on an assignment: a responder only for their own unit's live
   * tasks (a drill's task of the same unit id belongs to a simulated crew, never to the phone), a
   * dispatcher for an incident in their jurisdiction.
   * @throws NotFound / Forbidden (403)
   */
  async assertAssignment(p: Principal, assignmentId: string): Promise<Assignment> {
    const a = await this.ds.getRepository(Assignment).findOneBy({ id: assignmentId });
    if (!a) throw new NotFound('assignment', assignmentId);
    if (p.role === 'responder') {
      if (a.unitId !== p.unitId) throw new Forbidden(`unit ${p.unitId} cannot change unit ${a.unitId}`);
      if (a.world !== LIVE_WORLD) throw new Forbidden(`assignment ${assignmentId} is a drill's task: the phone of unit ${p.unitId} reports on live tasks only`);
      return a;
    }
    await this.assertIncident(p, a.incidentId);
    return a;
  }

  /**
   * Checks that the principal may act for a unit: its responder, or a dispatcher whose jurisdiction
   * holds the unit's home street.
   * @throws Forbidden (403)
   */
  async assertUnit(p: Principal, unitId: string, homeStreetId: string | null): Promise<void> {
    if (p.role === 'responder') {
      if (p.unitId !== unitId) throw new Forbidden(`unit ${p.unitId} cannot act for unit ${unitId}`);
      return;
    }
    if (!this.coversStreet(p, homeStreetId)) throw new Forbidden(`unit ${unitId} is based outside ${p.jurisdictionId}`);
  }

  /**
   * Which of a unit's messages the principal may read or send. Its crew and a post whose jurisdiction
   * holds the unit's home street get them all (`'all'`). A post whose jurisdiction holds an incident the
   * unit is assigned to, wherever the unit is based (a mutual-aid engine on a district's fire), gets
   * the live incidents of that kind (ids): for `read`, every such assignment, cleared or not (the
   * history of the incident); for `send`, only tasks not yet cleared. Drill assignments never count.
   * @throws Forbidden (403) naming the unit and the post when neither holds
   */
  async unitMessageScope(p: Principal, unitId: string, homeStreetId: string | null, purpose: 'read' | 'send'): Promise<'all' | string[]> {
    if (p.role === 'responder' || this.coversStreet(p, homeStreetId)) {
      await this.assertUnit(p, unitId, homeStreetId);
      return 'all';
    }
    const rows: { incident_id: string; street_id: string | null }[] = await this.ds.query(
      `SELECT DISTINCT a.incident_id, i.street_id FROM assignment a JOIN incident i ON i.id = a.incident_id
        WHERE a.unit_id = $1 AND a.world = $2 AND ($3::boolean OR a.status <> 'cleared')`,
      [unitId, LIVE_WORLD, purpose === 'read'],
    );
    const incidentIds = rows.filter((r) => this.coversStreet(p, r.street_id)).map((r) => r.incident_id);
    if (!incidentIds.length) throw new Forbidden(`unit ${unitId} is based outside ${p.jurisdictionId} and is not assigned to an incident there`);
    return incidentIds;
  }

  /**
   * The live unit a device id names: a unit's phone is known by the unit's id in lower case
   * (`gator2` for GATOR2), as its responder account is. `null` for any other device id.
   */
  async unitOfDevice(device: string): Promise<Unit | null> {
    if (!/^[a-z0-9]{1,40}$/i.test(device)) return null;
    return this.ds.getRepository(Unit).findOneBy({ world: LIVE_WORLD, id: device.toUpperCase() });
  }

  /**
   * {@link unitOfDevice}, looked up once per request: the device clock guard and the handler
   * after it (a crew's status report, an AVL fix) share the answer kept on the request object. A
   * lookup that failed is not kept (the next caller asks again).
   * @param req the request the device sent (any object that lives as long as the request)
   */
  unitOfRequestDevice(req: object, device: string): Promise<Unit | null> {
    const held = req as { [DEVICE_UNIT]?: { device: string; unit: Promise<Unit | null> } };
    const memo = held[DEVICE_UNIT];
    if (memo && memo.device === device) return memo.unit;
    const unit = this.unitOfDevice(device);
    const kept = { device, unit };
    held[DEVICE_UNIT] = kept;
    unit.catch(() => {
      if (held[DEVICE_UNIT] === kept) delete held[DEVICE_UNIT];
    });
    return unit;
  }

  /**
   * True when the principal may speak for a device (so its requests may teach the device's clock):
   * never an observer; for a device named after a unit ({@link unitOfDevice}), only who may act for
   * that unit ({@link assertUnit}); any other device of an acting account is its own.
   * @param req the request, to look the device's unit up once for it ({@link unitOfRequestDevice})
   */
  async maySpeakForDevice(p: Principal, device: string, req: object = {}): Promise<boolean> {
    if (p.role === 'observer') return false;
    const unit = await this.unitOfRequestDevice(req, device);
    if (!unit) return true;
    return this.assertUnit(p, unit.id, unit.homeStreetId).then(
      () => true,
      () => false,
    );
  }

  /**
   * Checks that a device may send a report (AVL fix, task status) for unit `unitId`: a device named
   * after a unit ({@link unitOfDevice}) speaks for that unit only.
   * @param device the device id (`X-Device-Id`, else the account's username)
   * @param req the request, to look the device's unit up once for it ({@link unitOfRequestDevice})
   * @throws Forbidden (403) naming both units
   */
  async assertDeviceFor(device: string, unitId: string, req: object = {}): Promise<void> {
    const own = await this.unitOfRequestDevice(req, device);
    if (own && own.id !== unitId) throw new Forbidden(`device ${device} is the phone of unit ${own.id}: it cannot report for unit ${unitId}`);
  }
}
