import { JurisdictionIndex, UnitMessageView } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Incident, Unit, UnitMessageRow } from '@cad/db';
import { InvalidInput, NotFound } from '../common/errors';
import { EventsService } from '../events/events.service';

/** How many of a unit's messages `list` answers at most (newest). */
const LIST_LIMIT = 100;

/** The view of a stored message, with its receipt state. */
export function messageView(r: UnitMessageRow): UnitMessageView {
  return {
    id: String(r.id),
    unitId: r.unitId,
    incidentId: r.incidentId,
    text: r.text,
    sentBy: r.sentBy,
    sentAt: r.sentAt.toISOString(),
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    readAt: r.readAt?.toISOString() ?? null,
    state: r.readAt ? 'read' : r.deliveredAt ? 'delivered' : 'sent',
  };
}

/**
 * Text messages from dispatchers to live units' phones (issue 26). Sending stores the message and
 * appends `unit.message` (to the unit's phone room and the consoles of its home street's chain, and of
 * the incident's when it names one); the phone confirms delivery (at once, or from `list` when it
 * reconnects after being offline) and the crew marks it read, each a `unit.message_receipt`.
 */
@Injectable()
export class UnitMessagesService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
  ) {}

  /**
   * Sends `text` to live unit `unitId` from `sentBy`, optionally about incident `incidentId`.
   * @throws NotFound (404) for an unknown unit or incident
   * @throws InvalidInput (400) naming `incidentId` for an exercise (drill) incident: drills never reach a live phone
   */
  async send(unitId: string, text: string, sentBy: string, incidentId?: string): Promise<UnitMessageView> {
    return this.ds.transaction((m) => this.sendIn(m, unitId, text, sentBy, incidentId));
  }

  /** {@link send} inside the caller's transaction `m` (a dispatcher's decision that tells the crew). */
  async sendIn(m: EntityManager, unitId: string, text: string, sentBy: string, incidentId?: string): Promise<UnitMessageView> {
    const unit = await m.findOneBy(Unit, { world: 'live', id: unitId });
    if (!unit) throw new NotFound('unit', unitId);
    const incident = incidentId ? await m.findOneBy(Incident, { id: incidentId }) : null;
    if (incidentId && !incident) throw new NotFound('incident', incidentId);
    // Drills never touch live work: a drill's crews are simulated, so nothing said about a drill
    // incident is stored for, or sent to, the live unit of the same id.
    if (incident && (incident.exercise || incident.drillId)) {
      throw new InvalidInput(`incidentId: incident ${incident.id} is an exercise (drill ${incident.drillId ?? 'unknown'}): drill crews are simulated, so a message about it is never sent to a live unit's phone`);
    }
    const row = await m.save(UnitMessageRow, m.create(UnitMessageRow, { unitId, incidentId: incidentId ?? null, text, sentBy }));
    const view = messageView(await m.findOneByOrFail(UnitMessageRow, { id: row.id }));
    await this.append(m, 'unit.message', view, unit.homeStreetId, incident, sentBy);
    return view;
  }

  /**
   * A unit's messages, oldest first (the newest {@link LIST_LIMIT}).
   * @param incidentIds when given, only the messages about these incidents
   */
  async list(unitId: string, incidentIds?: readonly string[]): Promise<UnitMessageView[]> {
    const where = incidentIds ? { unitId, incidentId: In([...incidentIds]) } : { unitId };
    const rows = await this.ds.getRepository(UnitMessageRow).find({ where, order: { sentAt: 'DESC', id: 'DESC' }, take: LIST_LIMIT });
    return rows.reverse().map(messageView);
  }

  /** The unit a message was sent to (for the caller's access check). @throws NotFound (404) */
  async unitOf(messageId: string): Promise<string> {
    const r = /^\d{1,18}$/.test(messageId) ? await this.ds.getRepository(UnitMessageRow).findOneBy({ id: messageId }) : null;
    if (!r) throw new NotFound('message', messageId);
    return r.unitId;
  }

  /**
   * Records the phone's receipt: `delivered` sets `delivered_at` once; `read` sets `read_at` once (and
   * `delivered_at` when the phone skipped it). Repeating a receipt changes nothing and appends nothing.
   * @throws NotFound (404) for an unknown message
   */
  async receipt(messageId: string, kind: 'delivered' | 'read', actor: string): Promise<UnitMessageView> {
    return this.ds.transaction(async (m) => {
      const r = await m.findOne(UnitMessageRow, { where: { id: messageId }, lock: { mode: 'pessimistic_write' } });
      if (!r) throw new NotFound('message', messageId);
      const now = new Date();
      const changed = kind === 'delivered' ? !r.deliveredAt : !r.readAt;
      if (!changed) return messageView(r);
      r.deliveredAt ??= now;
      if (kind === 'read') r.readAt = now;
      await m.update(UnitMessageRow, { id: r.id }, { deliveredAt: r.deliveredAt, readAt: r.readAt });
      const view = messageView(r);
      const unit = await m.findOneBy(Unit, { world: 'live', id: r.unitId });
      const incident = r.incidentId ? await m.findOneBy(Incident, { id: r.incidentId }) : null;
      await this.append(m, 'unit.message_receipt', view, unit?.homeStreetId ?? null, incident, actor);
      return view;
    });
  }

  private async append(m: EntityManager, type: 'unit.message' | 'unit.message_receipt', view: UnitMessageView, homeStreetId: string | null, incident: Incident | null, actor: string) {
    const rooms = new Set([...this.index.chain(homeStreetId), ...(incident ? this.index.chain(incident.streetId) : [])]);
    await this.events.append(m, { type, incidentId: incident?.id ?? null, unitId: view.unitId, jurisdictionIds: [...rooms], at: new Date(), actor, payload: view });
  }
}
