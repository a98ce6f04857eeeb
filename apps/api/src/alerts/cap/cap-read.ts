import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InvalidInput } from '../../common/errors';
import { CAP11_NS, CAP12_NS, CapAlert, CapArea, CapInfo } from './cap-message';
import type { CapVersion } from './cap-validator';

/** Largest CAP message read, bytes (the largest real agency samples are about 10 kB). */
export const MAX_CAP_BYTES = 1_000_000;

const LISTS = new Set(['info', 'category', 'responseType', 'area', 'polygon', 'circle', 'geocode', 'parameter', 'eventCode', 'resource', 'code']);

/**
 * fast-xml-parser set up for messages from outside: namespace prefixes dropped (`cap:alert` is
 * `alert`), every value kept as text, repeatable CAP elements always arrays. Entity expansion is safe
 * because {@link checkCapEnvelope} refuses any DOCTYPE first: with no DTD there are no declared or
 * external entities, only XML's five predefined ones and character references.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => LISTS.has(name),
});

/**
 * The envelope checks made before any parsing: size, no DOCTYPE (so no entity expansion, no external
 * entity), well-formed XML, a root `alert` in the CAP 1.1 or 1.2 namespace.
 * @returns the CAP version the namespace declares
 * @throws InvalidInput (400) naming what is wrong (`body`, `DOCTYPE`, `alert`)
 */
export function checkCapEnvelope(xml: string): CapVersion {
  if (!xml.trim()) throw new InvalidInput('body: a CAP message (XML) is required');
  if (Buffer.byteLength(xml) > MAX_CAP_BYTES) throw new InvalidInput(`body: a CAP message is at most ${MAX_CAP_BYTES} bytes`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new InvalidInput('DOCTYPE: a CAP message has no document type; DOCTYPE and ENTITY declarations are refused (no entity expansion, no external entities)');
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) throw new InvalidInput(`body: not well-formed XML (line ${wellFormed.err.line}: ${wellFormed.err.msg})`);
  const root = /<(?:([\w.-]+):)?alert\b[^>]*>/.exec(xml);
  if (!root) throw new InvalidInput('alert: the root element must be a CAP alert');
  const prefix = root[1] ? `:${root[1]}` : '';
  const ns = new RegExp(`xmlns${prefix}\\s*=\\s*["']([^"']+)["']`).exec(root[0])?.[1];
  if (ns === CAP12_NS) return '1.2';
  if (ns === CAP11_NS) return '1.1';
  throw new InvalidInput(`alert: namespace ${ns ?? '(none)'} is neither CAP 1.2 (${CAP12_NS}) nor CAP 1.1 (${CAP11_NS})`);
}

type Node = Record<string, unknown>;
const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'object' ? String((v as Node)['#text'] ?? '') : String(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const pairs = (v: unknown) => list(v).map((p) => ({ valueName: text((p as Node).valueName) ?? '', value: text((p as Node).value) ?? '' }));

/** `lat,lon lat,lon ...` as `[lat, lon]` points; unreadable pairs are dropped. */
function readRing(s: string): [number, number][] {
  return s
    .trim()
    .split(/\s+/)
    .map((p) => p.split(',').map(Number) as [number, number])
    .filter((p) => p.length === 2 && p.every(Number.isFinite));
}

function readArea(a: Node): CapArea {
  return {
    areaDesc: text(a.areaDesc) ?? '',
    polygons: list(a.polygon).map((p) => readRing(text(p) ?? '')).filter((r) => r.length >= 4),
    circles: list(a.circle)
      .map((c) => {
        const [centre, radius] = (text(c) ?? '').trim().split(/\s+/);
        const [lat, lon] = (centre ?? '').split(',').map(Number);
        return { lat, lon, radiusKm: Number(radius) };
      })
      .filter((c) => [c.lat, c.lon, c.radiusKm].every(Number.isFinite)),
    geocodes: pairs(a.geocode),
  };
}

/**
 * A CAP 1.1 or 1.2 message, already schema-valid, as a {@link CapAlert} (CAP 1.1 has the same elements
 * this system reads). Call {@link checkCapEnvelope} and the schema check first.
 */
export function readCap(xml: string): CapAlert {
  const doc = parser.parse(xml) as Node;
  const a = doc.alert as Node;
  const infos: CapInfo[] = list(a.info).map((raw) => {
    const i = raw as Node;
    return {
      language: text(i.language) ?? 'en-US',
      category: list(i.category).map((c) => text(c) ?? ''),
      event: text(i.event) ?? '',
      responseType: list(i.responseType).map((c) => text(c) ?? ''),
      urgency: text(i.urgency) ?? 'Unknown',
      severity: text(i.severity) ?? 'Unknown',
      certainty: text(i.certainty) ?? 'Unknown',
      effective: text(i.effective),
      expires: text(i.expires),
      senderName: text(i.senderName),
      headline: text(i.headline),
      description: text(i.description),
      instruction: text(i.instruction),
      web: text(i.web),
      parameters: pairs(i.parameter),
      areas: list(i.area).map((ar) => readArea(ar as Node)),
    };
  });
  return {
    identifier: text(a.identifier) ?? '',
    sender: text(a.sender) ?? '',
    sent: text(a.sent) ?? '',
    status: text(a.status) ?? '',
    msgType: text(a.msgType) ?? '',
    source: text(a.source),
    scope: text(a.scope) ?? '',
    restriction: text(a.restriction),
    note: text(a.note),
    references: text(a.references),
    incidents: text(a.incidents),
    infos,
  };
}

/** The references of a message as identities (`{sender, identifier, sent}`); malformed entries are skipped. */
export function parseReferences(references: string | undefined | null): { sender: string; identifier: string; sent: string }[] {
  return (references ?? '')
    .trim()
    .split(/\s+/)
    .map((r) => r.split(','))
    .filter((p) => p.length === 3 && p.every(Boolean))
    .map(([sender, identifier, sent]) => ({ sender, identifier, sent }));
}
