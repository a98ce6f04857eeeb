import { Inject, Injectable } from '@nestjs/common';
import { CapAlertRow } from '@cad/db';
import { randomUUID } from 'node:crypto';
import { Forbidden, InvalidInput, NotFound, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { draftToCap, MessageHeader, StoredDraft } from './alert-message';
import { AlertsRepository, AlertView, alertView } from './alerts.repository';
import { boundaryToCapPolygons, capAreasToGeometry } from './cap/cap-geometry';
import { CapArea, capReference } from './cap/cap-message';
import { CapValidator } from './cap/cap-validator';
import { AlertDraftDto } from './dto/alert-draft.dto';
import { PublicAlertsService } from './public-alerts.service';

/** Who acts: the account's username and whether it may approve alerts (city commander). */
export interface AlertActor {
  username: string;
}

/**
 * The city's own alerts: written as drafts, issued on approval (a second commander for an Actual alert
 * by default), updated and cancelled, each one action. Every message is proved valid (rules and CAP 1.2
 * schema) before it is stored as issued.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly repo: AlertsRepository,
    private readonly validator: CapValidator,
    private readonly publicAlerts: PublicAlertsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * The draft's area as CAP: a jurisdiction's boundary (simplified to at most 100 vertices), a drawn
   * polygon (`[lat, lon]`, closed) or a circle (km).
   * @throws InvalidInput (400) naming `area` when not exactly one is given, `area.jurisdictionId` when unknown
   */
  private async resolveArea(d: AlertDraftDto): Promise<CapArea> {
    const a = d.area;
    const given = [a.jurisdictionId, a.polygon, a.circle].filter((x) => x !== undefined).length;
    if (given !== 1) throw new InvalidInput('area: give exactly one of jurisdictionId, polygon or circle');
    if (a.jurisdictionId) {
      const j = await this.repo.jurisdiction(a.jurisdictionId);
      if (!j) throw new InvalidInput(`area.jurisdictionId: no jurisdiction ${a.jurisdictionId}`);
      return { areaDesc: a.areaDesc ?? j.name, polygons: boundaryToCapPolygons(j.boundary), circles: [] };
    }
    if (a.polygon) return { areaDesc: a.areaDesc ?? 'Area shown on the map', polygons: [a.polygon], circles: [] };
    return { areaDesc: a.areaDesc ?? 'Area shown on the map', polygons: [], circles: [a.circle!] };
  }

  /**
   * Checks a draft the way its issue will (the same message, sent now) so that the author learns of any
   * problem while writing, then stores it.
   */
  private async storeDraft(d: AlertDraftDto, actor: AlertActor, msgType: 'Alert' | 'Update', previous: CapAlertRow | null): Promise<AlertView> {
    if (d.incidentId && !(await this.repo.incidentExists(d.incidentId))) throw new InvalidInput(`incidentId: no incident ${d.incidentId}`);
    const langs = d.infos.map((i) => i.language.toLowerCase());
    if (new Set(langs).size !== langs.length) throw new InvalidInput('infos.language: one info block per language');
    const draft: StoredDraft = { ...d, resolvedArea: await this.resolveArea(d) };
    const identifier = `cad-${randomUUID()}`;
    const header = this.header(identifier, new Date(), msgType, draft, previous);
    await this.validator.writeValid(draftToCap(draft, header));
    const row = await this.repo.insertNew({
      direction: 'issued',
      state: 'pending',
      version: '1.2',
      sender: this.config.ALERT_SENDER,
      identifier,
      sent: null,
      sentAt: null,
      status: d.status,
      msgType,
      scope: 'Public',
      references: header.references ?? null,
      previousId: previous?.id ?? null,
      xml: null,
      draft: draft as unknown as Record<string, unknown>,
      infos: d.infos.map((t) => ({ ...t, event: t.event ?? d.event, category: d.category, urgency: d.urgency, severity: d.severity, certainty: d.certainty, responseType: d.responseType })),
      geometry: capAreasToGeometry([draft.resolvedArea]),
      areaDesc: draft.resolvedArea.areaDesc,
      expiresAt: new Date(d.expires),
      author: actor.username,
      approver: null,
      incidentId: d.incidentId ?? null,
    });
    return alertView(row!);
  }

  private header(identifier: string, sent: Date, msgType: MessageHeader['msgType'], draft: StoredDraft, previous: CapAlertRow | null, reason?: string): MessageHeader {
    // An Update or Cancel references the message it replaces and everything that one referenced.
    const references = previous ? [previous.references, capReference({ sender: previous.sender, identifier: previous.identifier, sent: previous.sent! })].filter(Boolean).join(' ') : undefined;
    return { identifier, sender: this.config.ALERT_SENDER, senderName: this.config.ALERT_SENDER_NAME, sent, msgType, references, incidentId: draft.incidentId, reason };
  }

  /**
   * `POST /api/alerts`: writes a draft (state `pending`). Nothing reaches the public until approved.
   * @throws InvalidInput (400) naming the field when the message it would become is not valid CAP, or
   *   `incidentId` when no such incident exists
   */
  create(d: AlertDraftDto, actor: AlertActor): Promise<AlertView> {
    return this.storeDraft(d, actor, 'Alert', null);
  }

  /** One alert of ours or received. @throws NotFound (404) */
  async get(id: string): Promise<CapAlertRow> {
    const row = await this.repo.find(id);
    if (!row) throw new NotFound('alert', id);
    return row;
  }

  /**
   * `POST /api/alerts/:id/approve`: issues a pending draft (an Alert, or an Update, which supersedes the
   * message it updates) in one action. An Actual alert needs an approver other than its author unless
   * `ALERT_TWO_PERSON` is off; an Exercise alert may be issued by its author.
   * @throws Forbidden (403) when the author approves their own Actual alert
   * @throws StateConflict (409) when it is not pending (already issued, withdrawn, or approved by someone
   *   else at the same moment) or the message it updates is no longer current
   * @throws InvalidInput (400) naming the field when the message is no longer valid (it expired meanwhile)
   */
  async approve(id: string, actor: AlertActor): Promise<AlertView> {
    const row = await this.get(id);
    if (row.direction !== 'issued') throw new StateConflict(`alert ${id} was received from ${row.sender}: only the city's own alerts are approved`);
    if (row.state !== 'pending') throw new StateConflict(`alert ${id} is ${row.state}, not pending approval`, { state: row.state });
    if (row.status === 'Actual' && this.config.ALERT_TWO_PERSON && row.author === actor.username) {
      throw new Forbidden(`approver: an Actual alert needs a second commander; its author (${actor.username}) cannot approve it`);
    }
    const previous = row.previousId ? await this.get(row.previousId) : null;
    const sent = new Date();
    const draft = row.draft as unknown as StoredDraft;
    const cap = draftToCap(draft, this.header(row.identifier, sent, row.msgType as 'Alert' | 'Update', draft, previous));
    const xml = await this.validator.writeValid(cap);
    await this.repo.ds.transaction(async (m) => {
      if (!(await this.repo.transition(id, ['pending'], { state: 'issued', sent: cap.sent, sentAt: sent, xml, approver: actor.username, references: cap.references ?? null }, m))) {
        throw new StateConflict(`alert ${id} is no longer pending approval (approved or withdrawn by someone else)`);
      }
      if (previous && !(await this.repo.transition(previous.id, ['issued'], { state: 'superseded' }, m))) {
        throw new StateConflict(`alert ${previous.id}, which this update replaces, is ${previous.state} now: write a new alert instead`);
      }
    });
    this.publicAlerts.invalidate();
    return alertView((await this.repo.find(id))!);
  }

  /**
   * `POST /api/alerts/:id/update`: writes an Update of an issued alert (pending approval like any alert;
   * on issue it supersedes it and carries its `references`).
   * @throws StateConflict (409) when the alert is not issued and current
   * @throws InvalidInput (400) naming `status` when the update would change Actual to Exercise or back
   */
  async update(id: string, d: AlertDraftDto, actor: AlertActor): Promise<AlertView> {
    const previous = await this.get(id);
    if (previous.direction !== 'issued' || previous.state !== 'issued' || previous.msgType === 'Cancel') {
      throw new StateConflict(`alert ${id} is ${previous.msgType === 'Cancel' ? 'a cancellation' : previous.state}: only a current issued alert can be updated`, { state: previous.state });
    }
    if (d.status !== previous.status) throw new InvalidInput(`status: an update keeps the alert's status (${previous.status})`);
    return this.storeDraft(d, actor, 'Update', previous);
  }

  /**
   * `POST /api/alerts/:id/cancel`: one action, by any city commander, no second approval (a false
   * alert must be withdrawn at once: Hawaii, 13 January 2018, took 38 minutes). An issued alert gets a
   * Cancel message referencing it, issued immediately, and leaves the public page; a pending draft is
   * withdrawn (nothing was sent); pending updates of the cancelled alert are withdrawn too.
   * @throws StateConflict (409) when it is already cancelled, superseded or withdrawn
   */
  async cancel(id: string, actor: AlertActor, reason?: string): Promise<AlertView> {
    const row = await this.get(id);
    if (row.direction !== 'issued') throw new StateConflict(`alert ${id} was received from ${row.sender}: only its sender can cancel it`);
    if (row.state === 'pending') {
      if (!(await this.repo.transition(id, ['pending'], { state: 'withdrawn', approver: actor.username }))) throw new StateConflict(`alert ${id} is no longer pending`);
      return alertView((await this.repo.find(id))!);
    }
    if (row.state !== 'issued' || row.msgType === 'Cancel') throw new StateConflict(`alert ${id} is ${row.msgType === 'Cancel' ? 'a cancellation' : row.state}: nothing to cancel`, { state: row.state });
    const draft = row.draft as unknown as StoredDraft;
    const sent = new Date();
    const identifier = `cad-${randomUUID()}`;
    const cap = draftToCap(draft, this.header(identifier, sent, 'Cancel', draft, row, reason));
    const xml = await this.validator.writeValid(cap);
    const cancel = await this.repo.ds.transaction(async (m) => {
      if (!(await this.repo.transition(id, ['issued'], { state: 'cancelled' }, m))) throw new StateConflict(`alert ${id} was cancelled or updated by someone else a moment ago`);
      await m.query(`UPDATE cap_alert SET state = 'withdrawn' WHERE previous_id = $1 AND state = 'pending'`, [id]);
      return this.repo.insertNew(
        {
          direction: 'issued',
          state: 'issued',
          version: '1.2',
          sender: cap.sender,
          identifier,
          sent: cap.sent,
          sentAt: sent,
          status: row.status,
          msgType: 'Cancel',
          scope: 'Public',
          references: cap.references ?? null,
          previousId: id,
          xml,
          draft: row.draft,
          infos: cap.infos.map(({ areas: _areas, ...info }) => info as unknown as Record<string, unknown>),
          geometry: row.geometry,
          areaDesc: row.areaDesc,
          expiresAt: new Date(cap.infos[0]?.expires ?? sent),
          author: actor.username,
          approver: actor.username,
          incidentId: row.incidentId,
        },
        m,
      );
    });
    this.publicAlerts.invalidate();
    return alertView(cancel!);
  }
}
