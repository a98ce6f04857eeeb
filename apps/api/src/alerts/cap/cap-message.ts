import { XMLBuilder } from 'fast-xml-parser';

/**
 * The parts of an OASIS CAP 1.2 message this system writes and reads, in the schema's element order.
 * Source: OASIS Common Alerting Protocol v1.2 (2010), http://docs.oasis-open.org/emergency/cap/v1.2/CAP-v1.2-os.html
 */
export const CAP12_NS = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP11_NS = 'urn:oasis:names:tc:emergency:cap:1.1';

export const CAP_STATUS = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export const CAP_MSG_TYPE = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export const CAP_SCOPE = ['Public', 'Restricted', 'Private'] as const;
export const CAP_CATEGORY = ['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'] as const;
export const CAP_RESPONSE_TYPE = ['Shelter', 'Evacuate', 'Prepare', 'Execute', 'Avoid', 'Monitor', 'Assess', 'AllClear', 'None'] as const;
export const CAP_URGENCY = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const CAP_SEVERITY = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const CAP_CERTAINTY = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;

/** A CAP `<area>`: polygons are rings of `[lat, lon]` WGS84 degrees (first = last); circles have a radius in km. */
export interface CapArea {
  areaDesc: string;
  polygons: [number, number][][];
  circles: { lat: number; lon: number; radiusKm: number }[];
  geocodes?: { valueName: string; value: string }[];
}

/** A CAP `<info>` block: one per language. Times are CAP date-times (`2026-12-04T02:00:00-00:00`). */
export interface CapInfo {
  language: string;
  category: string[];
  event: string;
  responseType?: string[];
  urgency: string;
  severity: string;
  certainty: string;
  effective?: string;
  expires?: string;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  web?: string;
  parameters?: { valueName: string; value: string }[];
  areas: CapArea[];
}

/** A CAP `<alert>`. `references` is the CAP list `sender,identifier,sent` separated by spaces. */
export interface CapAlert {
  identifier: string;
  sender: string;
  sent: string;
  status: string;
  msgType: string;
  source?: string;
  scope: string;
  restriction?: string;
  note?: string;
  references?: string;
  incidents?: string;
  infos: CapInfo[];
}

/**
 * CAP date-time of an instant: `YYYY-MM-DDThh:mm:ss-00:00` in UTC, no fractions, never `Z` (CAP 1.2
 * §3.3.2 forbids `Z` and says `-00:00` for UTC).
 * @param t a Date or an ISO-8601 string
 */
export function capTime(t: Date | string): string {
  const iso = (typeof t === 'string' ? new Date(t) : t).toISOString();
  return iso.replace(/\.\d+Z$/, 'Z').replace(/Z$/, '-00:00');
}

/** The CAP reference of a message (`sender,identifier,sent`), as `references` lists it. */
export function capReference(m: { sender: string; identifier: string; sent: string }): string {
  return `${m.sender},${m.identifier},${m.sent}`;
}

const fmt = (n: number) => String(Number(n.toFixed(6)));

/** `lat,lon lat,lon ...` of a ring of `[lat, lon]` points (CAP §3.2.4 polygon). */
export function capPolygon(ring: [number, number][]): string {
  return ring.map(([lat, lon]) => `${fmt(lat)},${fmt(lon)}`).join(' ');
}

/** `lat,lon radius` of a circle, radius in km (CAP §3.2.4 circle). */
export function capCircle(c: { lat: number; lon: number; radiusKm: number }): string {
  return `${fmt(c.lat)},${fmt(c.lon)} ${fmt(c.radiusKm)}`;
}

const valuePairs = (list: { valueName: string; value: string }[] | undefined) => (list?.length ? list.map((p) => ({ valueName: p.valueName, value: p.value })) : undefined);

/**
 * The one CAP writer: a message as CAP 1.2 XML (UTF-8), elements in the order the schema's sequences
 * require, optional elements left out when empty. Text is escaped by the builder. It does not check the
 * message: {@link CapValidator} does, against the schema and the rules the schema cannot state.
 */
export function writeCap(a: CapAlert): string {
  const drop = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
  const alert = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    alert: drop({
      '@_xmlns': CAP12_NS,
      identifier: a.identifier,
      sender: a.sender,
      sent: a.sent,
      status: a.status,
      msgType: a.msgType,
      source: a.source,
      scope: a.scope,
      restriction: a.restriction,
      note: a.note,
      references: a.references,
      incidents: a.incidents,
      info: a.infos.map((i) =>
        drop({
          language: i.language,
          category: i.category,
          event: i.event,
          responseType: i.responseType?.length ? i.responseType : undefined,
          urgency: i.urgency,
          severity: i.severity,
          certainty: i.certainty,
          effective: i.effective,
          expires: i.expires,
          senderName: i.senderName,
          headline: i.headline,
          description: i.description,
          instruction: i.instruction,
          web: i.web,
          parameter: valuePairs(i.parameters),
          area: i.areas.map((ar) =>
            drop({
              areaDesc: ar.areaDesc,
              polygon: ar.polygons.length ? ar.polygons.map(capPolygon) : undefined,
              circle: ar.circles.length ? ar.circles.map(capCircle) : undefined,
              geocode: valuePairs(ar.geocodes),
            }),
          ),
        }),
      ),
    }),
  };
  return new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true, processEntities: true }).build(alert) as string;
}
