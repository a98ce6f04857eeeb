import { Inject, Injectable } from '@nestjs/common';
import * as turf from '@turf/turf';
import { CapAlertRow } from '@cad/db';
import { XMLBuilder } from 'fast-xml-parser';
import { createHash } from 'node:crypto';
import { AppConfig } from '../config/config';
import { AlertsRepository } from './alerts.repository';

/** How many of the newest public messages the feed carries (and serves at their own URLs). */
export const FEED_SIZE = 100;

/** What the public sees, built from the record at most once per `PUBLIC_CACHE_S` per process. */
export interface PublicSnapshot {
  builtAt: number;
  /** Active Actual alerts (issued, not cancelled or superseded, not expired) as JSON for the public page. */
  json: string;
  /** The Atom feed of the newest messages (Alert, Update, Cancel). */
  atom: string;
  /** Each message of the feed by its row id, as CAP XML. */
  cap: Map<string, string>;
  etag: string;
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * The public alert pages, served from memory so that a flood of readers never reaches the record: the
 * snapshot is rebuilt when older than `PUBLIC_CACHE_S` (one query, however many readers ask at once:
 * concurrent readers wait for the same rebuild) or at once on this process when an alert is issued or
 * cancelled here. Drill (`Exercise`) messages are never in it.
 */
@Injectable()
export class PublicAlertsService {
  private snapshotPromise: Promise<PublicSnapshot> | null = null;
  private current: PublicSnapshot | null = null;
  private city: unknown = null;

  constructor(
    private readonly repo: AlertsRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Forgets the snapshot: the next reader rebuilds it. */
  invalidate(): void {
    this.current = null;
  }

  /** The current snapshot, rebuilt when older than `PUBLIC_CACHE_S` (single flight). */
  async snapshot(): Promise<PublicSnapshot> {
    const fresh = this.current && Date.now() - this.current.builtAt < this.config.PUBLIC_CACHE_S * 1000;
    if (fresh) return this.current!;
    if (!this.snapshotPromise) {
      this.snapshotPromise = this.build()
        .then((s) => (this.current = s))
        .finally(() => (this.snapshotPromise = null));
    }
    return this.snapshotPromise;
  }

  private async build(): Promise<PublicSnapshot> {
    const builtAt = Date.now();
    const rows = await this.repo.publicMessages(FEED_SIZE);
    const active = rows.filter((r) => r.state === 'issued' && r.msgType !== 'Cancel' && (!r.expiresAt || r.expiresAt.getTime() > builtAt));
    if (this.city === null) {
      const city = await this.repo.city();
      this.city = city ? turf.simplify(turf.feature(city), { tolerance: 0.0005, highQuality: true }).geometry : undefined;
    }
    const json = JSON.stringify({
      sender: this.config.ALERT_SENDER_NAME,
      city: this.city ?? null,
      alerts: active.map((r) => ({ id: r.id, msgType: r.msgType, sent: r.sent, expires: r.expiresAt?.toISOString() ?? null, areaDesc: r.areaDesc, geometry: r.geometry, infos: r.infos, cap: `/public/alerts/${r.id}.cap` })),
    });
    const atom = this.atom(rows, builtAt);
    return { builtAt, json, atom, cap: new Map(rows.map((r) => [r.id, r.xml!])), etag: `"${createHash('sha1').update(json).update(atom).digest('base64url')}"` };
  }

  /**
   * Atom 1.0 (RFC 4287) feed of CAP messages: one entry per message, its `link` to the message's own
   * URL (`/public/alerts/<id>.cap`, `application/cap+xml`), newest first. Entry ids are the messages'
   * CAP identities as URNs, stable across rebuilds.
   */
  private atom(rows: CapAlertRow[], now: number): string {
    const entry = (r: CapAlertRow) => {
      const info = (r.infos[0] ?? {}) as { headline?: string; description?: string; event?: string };
      return {
        id: `urn:cap:${encodeURIComponent(r.sender)}:${encodeURIComponent(r.identifier)}:${encodeURIComponent(r.sent!)}`,
        title: `${r.msgType === 'Cancel' ? '' : r.msgType === 'Update' ? 'Update: ' : ''}${info.headline ?? info.event ?? 'Alert'}`,
        updated: rfc3339(r.sentAt!),
        link: { '@_rel': 'alternate', '@_type': 'application/cap+xml', '@_href': `/public/alerts/${r.id}.cap` },
        category: { '@_term': r.msgType },
        summary: `${r.areaDesc}${info.description ? `: ${info.description}` : ''}`.slice(0, 1000),
      };
    };
    const feed = {
      '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
      feed: {
        '@_xmlns': 'http://www.w3.org/2005/Atom',
        id: `urn:cap:${encodeURIComponent(this.config.ALERT_SENDER)}:alerts`,
        title: `${this.config.ALERT_SENDER_NAME}: public alerts`,
        updated: rfc3339(rows[0]?.sentAt ?? new Date(now)),
        link: { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': '/public/alerts.atom' },
        author: { name: this.config.ALERT_SENDER_NAME },
        entry: rows.map(entry),
      },
    };
    return new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true }).build(feed) as string;
  }
}
