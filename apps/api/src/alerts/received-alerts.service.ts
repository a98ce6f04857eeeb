import { Inject, Injectable, Logger } from '@nestjs/common';
import { CapAlertRow } from '@cad/db';
import { createHash } from 'node:crypto';
import { CallsService } from '../calls/calls.service';
import { DomainError, Forbidden, InvalidInput } from '../common/errors';
import { AppConfig } from '../config/config';
import { AlertsRepository } from './alerts.repository';
import { capAreasToGeometry, pointOfAreaWithin } from './cap/cap-geometry';
import { CapAlert, capReference } from './cap/cap-message';
import { checkCapEnvelope, parseReferences, readCap } from './cap/cap-read';
import { checkCapSignature, readSenderKeys, type SignatureCheck } from './cap/cap-signature';
import { CapValidator } from './cap/cap-validator';

/** What receiving a message did. */
export interface ReceivedResult {
  id: string;
  /** The identity (sender + identifier + sent) was already stored: nothing changed. */
  duplicate: boolean;
  version: string;
  state: string;
  /** The call for service the message opened (by rule), if any. */
  callId: string | null;
  /** The XML-DSig check: `verified` with the sender's configured key, `unsigned`, or `unverified` (signed, no key configured). */
  signature: SignatureCheck;
}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/**
 * Other agencies' CAP 1.1 and 1.2 messages, posted or pulled: checked (envelope, configured sender,
 * the schema of their version), stored once per identity, applied to the messages they reference
 * (an Update supersedes, a Cancel cancels, in whatever order they arrive), and, by rule, opening an
 * incident when a severe Actual alert covers the city.
 */
@Injectable()
export class ReceivedAlertsService {
  private readonly log = new Logger('Alerts');
  /** Sender → the PEM key its messages must be signed with (`ALERT_SENDER_KEYS`, read once at start). */
  private readonly senderKeys: Map<string, string>;

  constructor(
    private readonly repo: AlertsRepository,
    private readonly validator: CapValidator,
    private readonly calls: CallsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.senderKeys = readSenderKeys(config.ALERT_SENDER_KEYS);
  }

  /**
   * Receives one CAP message (XML text).
   * @throws InvalidInput (400) naming what is wrong: `body`, `DOCTYPE`, `alert` (not CAP), or the schema's
   *   element (`scope: not valid CAP 1.2 ...`)
   * @throws Forbidden (403) naming `sender` when the sender is not in `ALERT_TRUSTED_SENDERS`
   * @throws Forbidden (403) naming `Signature` when the sender has a key in `ALERT_SENDER_KEYS` and the
   *   message is unsigned or its signature does not verify; 400 naming `Signature` for a signature that
   *   does not cover the whole message ({@link checkCapSignature})
   */
  async receive(xml: string): Promise<ReceivedResult> {
    const version = checkCapEnvelope(xml);
    let alert: CapAlert;
    try {
      alert = readCap(xml);
    } catch (e) {
      throw new InvalidInput(`body: unreadable CAP ${version} (${(e as Error).message})`);
    }
    if (!list(this.config.ALERT_TRUSTED_SENDERS).includes(alert.sender)) {
      throw new Forbidden(`sender: ${alert.sender.slice(0, 200) || '(none)'} is not a configured sender (ALERT_TRUSTED_SENDERS)`);
    }
    // A sender with a configured key must sign; a verified message is read from what was signed only.
    const signed = checkCapSignature(xml, alert.sender, this.senderKeys);
    if (signed.signature === 'verified') {
      alert = readCap(signed.xml);
      if (!list(this.config.ALERT_TRUSTED_SENDERS).includes(alert.sender)) throw new Forbidden(`sender: the signed content names ${alert.sender.slice(0, 200) || '(none)'}, not a configured sender`);
    }
    const errors = await this.validator.schemaErrors(signed.xml, version);
    if (errors.length) throw new InvalidInput(errors.map((e) => `${e.field}: not valid CAP ${version} (${e.message})`).join('; '));
    const sentAt = new Date(alert.sent);
    if (Number.isNaN(sentAt.getTime())) throw new InvalidInput(`sent: not a date-time (${alert.sent})`);

    const { row, duplicate } = await this.repo.ds.transaction(async (m) => {
      // Reordered delivery: a later Update or Cancel that arrived first already names this message.
      const [later] = await m.query(`SELECT msg_type FROM cap_alert WHERE direction = 'received' AND $1 = ANY(string_to_array("references", ' ')) ORDER BY sent_at DESC LIMIT 1`, [capReference(alert)]);
      const areas = alert.infos.flatMap((i) => i.areas).filter((a, i, all) => all.findIndex((b) => JSON.stringify(b) === JSON.stringify(a)) === i);
      const expires = alert.infos.map((i) => (i.expires ? Date.parse(i.expires) : NaN)).filter(Number.isFinite);
      const inserted = await this.repo.insertNew(
        {
          direction: 'received',
          state: later ? (later.msg_type === 'Cancel' ? 'cancelled' : 'superseded') : 'issued',
          version,
          sender: alert.sender,
          identifier: alert.identifier,
          sent: alert.sent,
          sentAt,
          status: alert.status,
          msgType: alert.msgType,
          scope: alert.scope,
          references: alert.references ?? null,
          previousId: null,
          xml,
          draft: null,
          infos: alert.infos.map(({ areas: _a, ...info }) => info as unknown as Record<string, unknown>),
          geometry: capAreasToGeometry(areas),
          areaDesc: areas.map((a) => a.areaDesc).join('; ').slice(0, 2000),
          expiresAt: expires.length ? new Date(Math.max(...expires)) : null,
          author: null,
          approver: null,
          incidentId: null,
        },
        m,
      );
      if (!inserted) return { row: (await this.repo.findIdentity(alert.sender, alert.identifier, alert.sent, m))!, duplicate: true };
      if (alert.msgType === 'Update' || alert.msgType === 'Cancel') {
        for (const ref of parseReferences(alert.references)) {
          await m.query(`UPDATE cap_alert SET state = $4 WHERE sender = $1 AND identifier = $2 AND sent = $3 AND direction = 'received' AND state = 'issued'`, [
            ref.sender,
            ref.identifier,
            ref.sent,
            alert.msgType === 'Cancel' ? 'cancelled' : 'superseded',
          ]);
        }
      }
      return { row: inserted, duplicate: false };
    });
    const callId = duplicate ? null : await this.openIncidentByRule(alert, row);
    if (signed.signature === 'unverified') this.log.warn(`CAP message ${alert.identifier} of ${alert.sender} is signed, but no key is configured for its sender (ALERT_SENDER_KEYS): signature not verified`);
    return { id: row.id, duplicate, version, state: row.state, callId, signature: signed.signature };
  }

  /**
   * The rule that turns a received alert into a call for service: an Actual Alert or Update, severity in
   * `ALERT_INCIDENT_SEVERITIES`, urgency Immediate or Expected, whose area reaches the city (a tsunami
   * warning over the coast). The call is placed at a point of the area inside the city; its number is
   * derived from the sender and the first message of the chain, so an Update of an alert that already
   * opened an incident adds nothing.
   * @returns the call id, or null when the rule does not apply or the call was not accepted (logged)
   */
  private async openIncidentByRule(a: CapAlert, row: CapAlertRow): Promise<string | null> {
    const info = a.infos.find((i) => list(this.config.ALERT_INCIDENT_SEVERITIES).includes(i.severity) && ['Immediate', 'Expected'].includes(i.urgency));
    if (a.status !== 'Actual' || !['Alert', 'Update'].includes(a.msgType) || !info || !row.geometry || row.state !== 'issued') return null;
    const city = await this.repo.city();
    const at = city && pointOfAreaWithin(row.geometry, city);
    if (!at) return null;
    const root = parseReferences(a.references)[0]?.identifier ?? a.identifier;
    const callNumber = `CAP-${createHash('sha1').update(`${a.sender}\n${root}`).digest('hex').slice(0, 24)}`;
    try {
      const r = await this.calls.accept({
        callNumber,
        type: `CAP ${info.event}`.slice(0, 120),
        priority: info.severity === 'Extreme' ? 1 : 2,
        lat: at.lat,
        lon: at.lon,
        address: row.areaDesc.slice(0, 300) || undefined,
        notes: `${a.sender}: ${info.headline ?? info.event}`.slice(0, 4000),
        source: 'api',
      });
      return r.id;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      this.log.warn(`alert ${row.id} from ${a.sender} meets the incident rule but its call was not accepted: ${e.message}`);
      return null;
    }
  }
}
