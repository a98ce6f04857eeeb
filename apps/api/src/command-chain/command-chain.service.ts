import { Agency, AgencyRules, agencyTravelTargets, childTier, isOpenIncident, DEFAULT_ESCALATION_POLICY, EscalationPolicy, currentTier, JurisdictionIndex, parentTier, Tier } from '@cad/domain';
import type { TierScope } from '@cad/routing';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Escalation, Incident, readCityProfile } from '@cad/db';
import { NotFound, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { ClockService } from '../platform/clock/clock.service';
import { EventsService } from '../events/events.service';

/** What to record when an incident moves in the chain. */
export interface EscalationRequest {
  /** `plan_not_coverable`, `not_acknowledged`, `no_unit_in_time`, `manual`, `deescalated`. */
  reason: string;
  detail: string;
  /** Business key of the cause: unique, so the same cause escalates once however often it runs. */
  key: string;
  actor: string;
  /** When it happened (simulated time in a drill). */
  at: Date;
  /** Target tier; defaults to the parent of the current tier. */
  toTier?: Tier;
}

/**
 * The three-tier command chain: which units a tier may draw on, and escalation and de-escalation with
 * their reasons. The deadlines that escalate an incident when nobody acts in time are
 * {@link DeadlinesService}'s (`deadlines.service.ts`).
 */
@Injectable()
export class CommandChainService {
  /** Escalation time limits (NFPA 1710 travel targets; ack and pending limits from config). */
  readonly policy: EscalationPolicy;
  /** Each agency's rules from the city profile (acknowledgement timeouts, travel targets, dispatch mode). */
  readonly agencyRules: Partial<Record<Agency, AgencyRules>>;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    private readonly index: JurisdictionIndex,
    private readonly ds: DataSource,
    private readonly clock: ClockService,
    private readonly events: EventsService,
  ) {
    this.agencyRules = readCityProfile(config.CITY_PROFILE).agencies;
    this.policy = {
      ...DEFAULT_ESCALATION_POLICY,
      firstEngineTravelS: config.FIRST_ENGINE_TRAVEL_S,
      fullFirstAlarmTravelS: config.FULL_ALARM_TRAVEL_S,
      ackTimeoutS: config.ACK_TIMEOUT_S,
      pendingTimeoutS: config.PENDING_TIMEOUT_S,
      // Each agency's own first-unit target (fire's is FIRST_ENGINE_TRAVEL_S, which the profile sets).
      agencyTravelS: agencyTravelTargets(this.agencyRules),
    };
  }

  /** The jurisdiction that commands an incident at `tier` (its street, its district, or the city). */
  jurisdictionAt(incident: Pick<Incident, 'streetId' | 'districtId' | 'cityId'>, tier: Tier): string {
    if (tier === 'street' && incident.streetId) return incident.streetId;
    if (tier !== 'city' && incident.districtId) return incident.districtId;
    return incident.cityId;
  }

  /**
   * True when a unit based in street `homeStreetId` belongs to the subtree of jurisdiction `jurisdictionId`
   * at `tier`: a street draws on its own units, a district on all its streets' units, the city on all.
   */
  inScope(homeStreetId: string | null, tier: Tier, jurisdictionId: string): boolean {
    if (tier === 'city') return true;
    if (!homeStreetId) return false;
    if (tier === 'street') return homeStreetId === jurisdictionId;
    return this.index.chain(homeStreetId).includes(jurisdictionId);
  }

  /**
   * The allocator's scopes for an incident: its commanding tier's subtree, then its parents' (the
   * allocator widens only for slots the narrower tier cannot fill).
   * @param homeOf a unit's home street id (null when it has none)
   */
  scopesOf(incident: Pick<Incident, 'commandingTier' | 'streetId' | 'districtId' | 'cityId'>, homeOf: (unitId: string) => string | null): TierScope[] {
    const out: TierScope[] = [];
    for (let tier: Tier | null = currentTier(incident); tier; tier = parentTier(tier)) {
      const t = tier;
      const jid = this.jurisdictionAt(incident, t);
      out.push({ tier: t, allows: (unitId: string) => this.inScope(homeOf(unitId), t, jid) });
    }
    return out;
  }

  /**
   * Moves an incident to another tier inside the caller's transaction: records an `escalation` row
   * (unique by `req.key`), sets the commanding tier and jurisdiction, bumps the revision and appends
   * `incident.escalated` (or `incident.deescalated`). The incident must be locked by the caller.
   * @returns the escalation, or null when there is no tier to go to or the key was already recorded
   */
  async move(m: EntityManager, incident: Incident, req: EscalationRequest): Promise<Escalation | null> {
    const from = currentTier(incident);
    const to = req.toTier ?? parentTier(from);
    if (!to || to === from) return null;
    const toJurisdictionId = this.jurisdictionAt(incident, to);
    // Plain SQL, the statements TypeORM's builders sent (issue 19's profile of the drill: their CPU on the dispatch decision's path).
    const inserted: { id: string; recorded_at: Date }[] = await m.query(
      `INSERT INTO escalation (incident_id, key, from_tier, to_tier, to_jurisdiction_id, reason, detail, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT DO NOTHING RETURNING id, recorded_at`,
      [incident.id, req.key, from, to, toJurisdictionId, req.reason, req.detail, req.actor, req.at],
    );
    if (!inserted.length) return null;
    incident.commandingTier = to;
    incident.commandingJurisdictionId = toJurisdictionId;
    incident.revision += 1;
    await m.query(`UPDATE incident SET commanding_tier = $1, commanding_jurisdiction_id = $2, revision = $3, updated_at = CURRENT_TIMESTAMP WHERE id = $4`, [
      to,
      toJurisdictionId,
      incident.revision,
      incident.id,
    ]);
    // The row as stored, from what was inserted and what the INSERT returned (no second read).
    const escalation = m.create(Escalation, { id: inserted[0].id, recordedAt: new Date(inserted[0].recorded_at), incidentId: incident.id, key: req.key, fromTier: from, toTier: to, toJurisdictionId, reason: req.reason, detail: req.detail, actor: req.actor, at: req.at });
    await this.events.append(m, this.moveEvent(incident, req, from, to, toJurisdictionId, incident.revision));
    return escalation;
  }

  /** The event of a tier move (`incident.escalated` up the chain, `incident.deescalated` down), to the incident's jurisdictions. */
  private moveEvent(incident: Incident, req: EscalationRequest, from: Tier, to: Tier, toJurisdictionId: string, revision: number) {
    return {
      type: TIER_RANK[to] > TIER_RANK[from] ? ('incident.escalated' as const) : ('incident.deescalated' as const),
      incidentId: incident.id,
      jurisdictionIds: this.index.chain(incident.streetId),
      at: req.at,
      actor: req.actor,
      payload: { incidentId: incident.id, fromTier: from, toTier: to, toJurisdictionId, reason: req.reason, detail: req.detail, revision },
    };
  }

  /**
   * Records several tier moves in one INSERT inside the caller's transaction, in the order given (moves
   * of one incident in sequence: each starts at the tier the one before reached), with their events
   * (`incident.escalated`/`incident.deescalated`, appended in the same order). The incidents are changed
   * in memory only (tier, commanding jurisdiction, revision + 1 per move): the caller writes them, which
   * lets a dispatch round record a batch of held decisions in one `UPDATE` (issue 19).
   * @param moves each incident (the locked row, as held) and its move; `toTier` is required
   * @throws Error when a move's key was recorded already (the caller's transaction must roll back: its
   *   in-memory incidents no longer match what a single {@link move} would have written)
   */
  async recordMoves(m: EntityManager, moves: readonly { incident: Incident; req: EscalationRequest & { toTier: Tier } }[]): Promise<void> {
    // A move to the tier the incident is at is none (as in `move`): no row, no event, no new revision.
    const rows = moves.flatMap(({ incident, req }) => {
      const from = currentTier(incident);
      const to = req.toTier;
      if (to === from) return [];
      const toJurisdictionId = this.jurisdictionAt(incident, to);
      incident.commandingTier = to;
      incident.commandingJurisdictionId = toJurisdictionId;
      incident.revision += 1;
      return [{ incident, req, from, to, toJurisdictionId, revision: incident.revision }];
    });
    if (!rows.length) return;
    const inserted = await m
      .createQueryBuilder()
      .insert()
      .into(Escalation)
      .values(rows.map((r) => ({ incidentId: r.incident.id, key: r.req.key, fromTier: r.from, toTier: r.to, toJurisdictionId: r.toJurisdictionId, reason: r.req.reason, detail: r.req.detail, actor: r.req.actor, at: r.req.at })))
      .orIgnore()
      .returning(['id'])
      .execute();
    if ((inserted.raw?.length ?? 0) !== rows.length) throw new Error(`${rows.length - (inserted.raw?.length ?? 0)} of ${rows.length} escalations were recorded already`);
    await this.events.appendAll(m, rows.map((r) => this.moveEvent(r.incident, r.req, r.from, r.to, r.toJurisdictionId, r.revision)));
  }

  /**
   * Escalates or de-escalates an incident by hand (a dispatcher or commander).
   * @param direction `up` to the parent tier, `down` to the child tier
   * @returns the incident's new revision
   * @throws NotFound for an unknown incident
   * @throws StateConflict (409) when there is no tier in that direction, naming the current tier
   */
  async moveByHand(incidentId: string, direction: 'up' | 'down', reason: string, actor: string): Promise<number> {
    return this.ds.transaction(async (m) => {
      const incident = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!incident) throw new NotFound('incident', incidentId);
      if (!isOpenIncident(incident.status)) {
        const where = incident.status === 'merged' && incident.mergedIntoId ? ` into ${incident.mergedIntoId}` : '';
        throw new StateConflict(`incident is ${incident.status}${where}: command can no longer move`, incident.status);
      }
      const tier = currentTier(incident);
      const to = direction === 'up' ? parentTier(tier) : childTier(tier);
      if (!to) throw new StateConflict(`incident is commanded at ${tier} level: cannot ${direction === 'up' ? 'escalate' : 'de-escalate'} further`, tier);
      const when = this.clock.timeFor(incident);
      const moved = await this.move(m, incident, {
        reason: direction === 'up' ? 'manual' : 'deescalated',
        detail: reason,
        key: `manual-${incident.id}-r${incident.revision}-${direction}`,
        actor,
        at: when,
        toTier: to,
      });
      if (!moved) throw new StateConflict(`incident ${incidentId} changed concurrently; retry`, tier);
      return incident.revision;
    });
  }
}

const TIER_RANK: Record<Tier, number> = { street: 0, district: 1, city: 2 };
