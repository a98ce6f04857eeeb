import { anAssignment, anEvent, anIncident } from '../testing/views';
import type { UnitTask } from '../types';
import { TaskFeed } from './task-feed';

/**
 * A dispatcher merged the phone's incident (A, P3 at a wrong address) into another (B, P1 Structure
 * Fire): the task's `assignment.updated` carries the survivor's view, and the phone shows B at once
 * (no reload), so a later location alert on B moves it too. Hostile twins: a task moved to an incident
 * the payload does not describe is read again over REST (never shown under A), and an older merge
 * event replayed after a newer view of B does not bring an older B back.
 */
const A = anIncident({ id: 'iA', type: 'Medical Incident', priority: 3, address: '10 DUPLICATE ST (wrong)', assignments: [anAssignment({ incidentId: 'iA' })] });
const B = anIncident({ id: 'iB', type: 'Structure Fire', priority: 1, address: '2000 REAL FIRE ST', lat: 37.7725, lon: -122.4215, assignments: [anAssignment({ id: 'a7', unitId: 'T03', incidentId: 'iB' })] });

async function onA(): Promise<TaskFeed> {
  const task: UnitTask = { assignment: anAssignment({ incidentId: 'iA', status: 'acknowledged' }), incident: A };
  const feed = new TaskFeed('E01', async () => ({ task, units: [] }));
  await feed.reload();
  return feed;
}

const mergedInto = (seq: number, incident?: typeof B) =>
  anEvent(seq, 'assignment.updated', { incidentId: 'iB', assignment: anAssignment({ incidentId: 'iB', status: 'acknowledged' }), incident, reason: 'merged' }, { unitId: 'E01', incidentId: 'iB' });

describe('a task moved by a merge shows the surviving incident', () => {
  it('replaces the merged-away incident with the survivor carried in the payload, and follows it after', async () => {
    const feed = await onA();
    expect(feed.apply(mergedInto(10, B))).toBe('applied');
    expect(feed.task?.incident).toMatchObject({ id: 'iB', type: 'Structure Fire', priority: 1, address: '2000 REAL FIRE ST' });
    expect(feed.task?.assignment).toMatchObject({ id: 'a1', incidentId: 'iB', status: 'acknowledged' });
    expect(feed.task?.incident.assignments.map((a) => a.id).sort()).toEqual(['a1', 'a7']);

    const moved = { lat: 37.774, lon: -122.423, address: '2100 MOVED FIRE ST' };
    expect(feed.apply(anEvent(11, 'assignment.location_alert', { incidentId: 'iB', assignmentId: 'a1', unitId: 'E01', new: moved }, { unitId: 'E01' }))).toBe('applied');
    expect(feed.task?.incident).toMatchObject({ id: 'iB', ...moved });
    // The crew's next report keeps B.
    expect(feed.apply(anEvent(12, 'assignment.updated', { incidentId: 'iB', assignment: anAssignment({ incidentId: 'iB', status: 'en_route' }) }, { unitId: 'E01' }))).toBe('applied');
    expect(feed.task?.incident).toMatchObject({ id: 'iB', address: '2100 MOVED FIRE ST' });
    expect(feed.task?.assignment.status).toBe('en_route');
  });

  it('reads the task again when it moved to an incident the payload does not describe, never keeping A', async () => {
    const feed = await onA();
    expect(feed.apply(mergedInto(10))).toBe('reload');
  });

  it('does not let an older event bring back an older view of the survivor', async () => {
    const feed = await onA();
    feed.apply(mergedInto(20, { ...B, address: '2100 MOVED FIRE ST' }));
    expect(feed.apply(mergedInto(15, B))).toBe('ignored');
    expect(feed.task?.incident.address).toBe('2100 MOVED FIRE ST');
  });
});
