import type { IncidentView } from '../incidents/incident.view';
import { CapAlert, capTime } from '../alerts/cap/cap-message';

export { capTime };

const CATEGORY: [RegExp, string][] = [
  [/medical|ems|injur|sick/i, 'Health'],
  [/fire|smoke|alarm|explosion/i, 'Fire'],
  [/hazmat|gas|chemical|fuel/i, 'CBRNE'],
  [/rescue|water|elevator|trapped|extrication/i, 'Rescue'],
  [/traffic|vehicle|collision/i, 'Transport'],
];

/**
 * An incident as an OASIS Common Alerting Protocol 1.2 message for emergency services (`scope`
 * Restricted), written by the one CAP writer (`alerts/cap/cap-message.ts`, validated by `CapValidator`).
 * Drill incidents have `<status>Exercise</status>` and a `<note>` naming the drill; live ones `Actual`.
 * Priority maps to urgency/severity (1 → Immediate/Severe, 2 → Expected/Moderate, 3 → Future/Minor); the
 * area is a 100 m circle around the incident (`lat,lon radius-km`, WGS84); the message expires 12 hours
 * after the call was received.
 * Source: OASIS CAP v1.2 (2010), http://docs.oasis-open.org/emergency/cap/v1.2/CAP-v1.2-os.html
 */
export function incidentToCap(i: IncidentView, sender: string): CapAlert {
  const [urgency, severity] = i.priority === 1 ? ['Immediate', 'Severe'] : i.priority === 2 ? ['Expected', 'Moderate'] : ['Future', 'Minor'];
  const category = CATEGORY.find(([re]) => re.test(i.type))?.[1] ?? 'Other';
  const place = [i.address, i.street?.name, i.district?.name].filter(Boolean).join(', ');
  const sent = capTime(i.receivedAt);
  return {
    identifier: `${sender}-incident-${i.id}`,
    sender,
    sent,
    status: i.exercise ? 'Exercise' : 'Actual',
    msgType: 'Alert',
    source: i.exercise ? 'drill' : 'cad',
    scope: 'Restricted',
    restriction: 'Emergency services only',
    note: i.exercise ? `Drill ${i.drillId ?? ''}: exercise incident, not a real emergency` : undefined,
    incidents: i.id,
    infos: [
      {
        language: 'en-US',
        category: [category],
        event: i.type,
        responseType: ['Monitor'],
        urgency,
        severity,
        certainty: 'Observed',
        expires: capTime(new Date(Date.parse(i.receivedAt) + 12 * 3600_000)),
        senderName: 'City CAD',
        headline: `${i.type} at ${place || `${i.lat}, ${i.lon}`}`,
        parameters: [
          { valueName: 'priority', value: String(i.priority) },
          { valueName: 'incidentStatus', value: i.status },
          { valueName: 'units', value: i.assignments.map((a) => a.unitId).join(' ') },
          // The world of the incident and its units: `live`, or the drill run whose simulated fleet they are.
          { valueName: 'world', value: i.drillId ?? 'live' },
        ],
        areas: [{ areaDesc: place || 'unknown', polygons: [], circles: [{ lat: i.lat, lon: i.lon, radiusKm: 0.1 }] }],
      },
    ],
  };
}
