import { XMLBuilder } from 'fast-xml-parser';
import type { IncidentView } from '../incidents/incident.view';

/** CAP wants `YYYY-MM-DDThh:mm:ss-00:00` for UTC (no `Z`, no fractions): OASIS CAP 1.2 §3.3.2. */
export function capTime(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/Z$/, '-00:00');
}

const CATEGORY: [RegExp, string][] = [
  [/medical|ems|injur|sick/i, 'Health'],
  [/fire|smoke|alarm|explosion/i, 'Fire'],
  [/hazmat|gas|chemical|fuel/i, 'CBRNE'],
  [/rescue|water|elevator|trapped|extrication/i, 'Rescue'],
  [/traffic|vehicle|collision/i, 'Transport'],
];

/**
 * An incident as an OASIS Common Alerting Protocol 1.2 alert (XML). Drill incidents have
 * `<status>Exercise</status>` and a `<note>` naming the drill; live ones `Actual`. Priority maps to
 * urgency/severity (1 → Immediate/Severe, 2 → Expected/Moderate, 3 → Future/Minor); the area is a
 * 100 m circle around the incident (`lat,lon radius-km`, WGS84).
 * Source: OASIS CAP v1.2 (2010), http://docs.oasis-open.org/emergency/cap/v1.2/CAP-v1.2-os.html
 */
export function incidentToCap(i: IncidentView, sender: string): string {
  const [urgency, severity] = i.priority === 1 ? ['Immediate', 'Severe'] : i.priority === 2 ? ['Expected', 'Moderate'] : ['Future', 'Minor'];
  const category = CATEGORY.find(([re]) => re.test(i.type))?.[1] ?? 'Other';
  const place = [i.address, i.street?.name, i.district?.name].filter(Boolean).join(', ');
  const alert = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    alert: {
      '@_xmlns': 'urn:oasis:names:tc:emergency:cap:1.2',
      identifier: `${sender}-incident-${i.id}`,
      sender,
      sent: capTime(i.receivedAt),
      status: i.exercise ? 'Exercise' : 'Actual',
      msgType: 'Alert',
      source: i.exercise ? 'drill' : 'cad',
      scope: 'Restricted',
      restriction: 'Emergency services only',
      ...(i.exercise ? { note: `Drill ${i.drillId ?? ''}: exercise incident, not a real emergency` } : {}),
      incidents: i.id,
      info: {
        language: 'en-US',
        category,
        event: i.type,
        responseType: 'Monitor',
        urgency,
        severity,
        certainty: 'Observed',
        senderName: 'City CAD',
        headline: `${i.type} at ${place || `${i.lat}, ${i.lon}`}`,
        parameter: [
          { valueName: 'priority', value: String(i.priority) },
          { valueName: 'incidentStatus', value: i.status },
          { valueName: 'units', value: i.assignments.map((a) => a.unitId).join(' ') },
          // The world of the incident and its units: `live`, or the drill run whose simulated fleet they are.
          { valueName: 'world', value: i.drillId ?? 'live' },
        ],
        area: { areaDesc: place || 'unknown', circle: `${i.lat},${i.lon} 0.1` },
      },
    },
  };
  return new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true }).build(alert) as string;
}
