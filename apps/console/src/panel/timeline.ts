/**
 * The incident timeline as people read it: one line per event, in plain words. The server records
 * some happenings twice over (a task's step is an `assignment.updated` and the unit's own
 * `unit.status`; every dispatch round republishes the incident as `incident.updated`): those echoes
 * are folded into the line of the event they repeat.
 */
import type { CadEvent } from '../types';

/** How far apart, in milliseconds, a unit's status may be from its task's step and still be its echo. */
const ECHO_MS = 2000;

/**
 * The events of `events` (in sequence order) that get a line of their own:
 * - a `unit.status` of a unit whose task changed within {@link ECHO_MS} (the task's line says it);
 * - an `incident.updated` that leaves the incident's status as the last line gave it (a republished
 *   view: "Incident received" once, not once per dispatch round), and one without a status right
 *   after another;
 * are left out. Every other event is kept, in order.
 */
export function timelineEvents(events: readonly CadEvent[]): CadEvent[] {
  const taskChanges = new Map<string, number[]>();
  for (const ev of events) {
    if (!ev.type.startsWith('assignment.')) continue;
    const unit = unitOf(ev);
    if (unit) taskChanges.set(unit, [...(taskChanges.get(unit) ?? []), Date.parse(ev.at)]);
  }
  const kept: CadEvent[] = [];
  let status: string | undefined;
  let lastType = '';
  for (const ev of events) {
    if (ev.type === 'unit.status') {
      const unit = unitOf(ev);
      const at = Date.parse(ev.at);
      if (unit && (taskChanges.get(unit) ?? []).some((t) => Math.abs(t - at) <= ECHO_MS)) continue;
    } else if (ev.type === 'incident.created') {
      status = ev.payload?.status ?? 'received';
    } else if (ev.type === 'incident.updated') {
      const next = ev.payload?.status;
      if (next ? next === status : lastType === 'incident.updated') continue;
      if (next) status = next;
    }
    lastType = ev.type;
    kept.push(ev);
  }
  return kept;
}

function unitOf(ev: CadEvent): string | undefined {
  if (ev.unitId) return ev.unitId;
  const p: unknown = ev.payload;
  if (!p || typeof p !== 'object') return undefined;
  const a = 'assignment' in p && p.assignment && typeof p.assignment === 'object' ? p.assignment : undefined;
  if (a && 'unitId' in a && typeof a.unitId === 'string') return a.unitId;
  return 'unitId' in p && typeof p.unitId === 'string' ? p.unitId : undefined;
}
