import { Injectable } from '@nestjs/common';
import { CapAlertRow } from '@cad/db';
import type { Polygon, MultiPolygon } from 'geojson';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** An alert as the API answers it (issued or received). */
export interface AlertView {
  id: string;
  direction: string;
  state: string;
  version: string;
  sender: string;
  identifier: string;
  sent: string | null;
  status: string;
  msgType: string;
  scope: string;
  references: string | null;
  previousId: string | null;
  infos: Record<string, unknown>[];
  areaDesc: string;
  geometry: unknown;
  expiresAt: string | null;
  author: string | null;
  approver: string | null;
  incidentId: string | null;
  draft: Record<string, unknown> | null;
  createdAt: string;
}

/** The row as the API answers it (the XML is served on its own URL). */
export function alertView(r: CapAlertRow): AlertView {
  return {
    id: r.id,
    direction: r.direction,
    state: r.state,
    version: r.version,
    sender: r.sender,
    identifier: r.identifier,
    sent: r.sent,
    status: r.status,
    msgType: r.msgType,
    scope: r.scope,
    references: r.references,
    previousId: r.previousId,
    infos: r.infos,
    areaDesc: r.areaDesc,
    geometry: r.geometry,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    author: r.author,
    approver: r.approver,
    incidentId: r.incidentId,
    draft: r.draft,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The SQL of CAP alerts: rows of `cap_alert`, by id, identity or reference. */
@Injectable()
export class AlertsRepository {
  private cityBoundary: Polygon | MultiPolygon | null = null;

  constructor(readonly ds: DataSource) {}

  repo(m: EntityManager = this.ds.manager) {
    return m.getRepository(CapAlertRow);
  }

  /** One row, or null. */
  find(id: string, m?: EntityManager): Promise<CapAlertRow | null> {
    return this.repo(m).findOneBy({ id });
  }

  /** The row of a CAP identity (sender + identifier + sent), or null. */
  findIdentity(sender: string, identifier: string, sent: string, m?: EntityManager): Promise<CapAlertRow | null> {
    return this.repo(m).findOneBy({ sender, identifier, sent });
  }

  /** The newest rows first, of one direction or both, at most `limit`. */
  list(direction: 'issued' | 'received' | undefined, limit: number): Promise<CapAlertRow[]> {
    return this.repo().find({ where: direction ? { direction } : {}, order: { createdAt: 'DESC' }, take: limit });
  }

  /** The newest messages of ours that the public may see (Actual, Public scope, sent), at most `limit`. */
  publicMessages(limit: number): Promise<CapAlertRow[]> {
    return this.repo()
      .createQueryBuilder('a')
      .where(`a.direction = 'issued' AND a.status = 'Actual' AND a.scope = 'Public' AND a.sent IS NOT NULL`)
      .orderBy('a.sent_at', 'DESC')
      .addOrderBy('a.created_at', 'DESC')
      .take(limit)
      .getMany();
  }

  /**
   * Inserts a row unless its identity is already stored.
   * @returns the new row, or null when the identity was already there
   */
  async insertNew(row: Partial<CapAlertRow>, m: EntityManager = this.ds.manager): Promise<CapAlertRow | null> {
    const r = await m.createQueryBuilder().insert().into(CapAlertRow).values(row as QueryDeepPartialEntity<CapAlertRow>).orIgnore().returning('id').execute();
    const id = (r.raw as { id: string }[])[0]?.id;
    return id ? this.find(id, m) : null;
  }

  /**
   * Moves a row from one state to another only if it is still in `from` (a compare-and-set, so of two
   * commanders acting at once exactly one wins).
   * @returns whether this call moved it
   */
  async transition(id: string, from: string[], set: Partial<CapAlertRow>, m: EntityManager = this.ds.manager): Promise<boolean> {
    const r = await m.createQueryBuilder().update(CapAlertRow).set(set as QueryDeepPartialEntity<CapAlertRow>).where('id = :id AND state IN (:...from)', { id, from }).execute();
    return (r.affected ?? 0) > 0;
  }

  /** The boundary of the city (the top of the command chain), read once. */
  async city(): Promise<Polygon | MultiPolygon | null> {
    if (!this.cityBoundary) {
      const [row] = await this.ds.query(`SELECT boundary FROM jurisdiction WHERE level = 'city' ORDER BY id LIMIT 1`);
      this.cityBoundary = (row?.boundary as Polygon | MultiPolygon | undefined) ?? null;
    }
    return this.cityBoundary;
  }

  /** Whether an incident exists. */
  async incidentExists(id: string): Promise<boolean> {
    return (await this.ds.query(`SELECT 1 FROM incident WHERE id = $1`, [id])).length > 0;
  }

  /** A jurisdiction's name and boundary, or null. */
  async jurisdiction(id: string): Promise<{ name: string; boundary: Polygon | MultiPolygon } | null> {
    const [row] = await this.ds.query(`SELECT name, boundary FROM jurisdiction WHERE id = $1`, [id]);
    return row ?? null;
  }
}
