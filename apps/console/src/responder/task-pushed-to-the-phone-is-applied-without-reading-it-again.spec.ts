import { anAssignment, anEvent, anIncident } from '../testing/views';
import type { Assignment, AssignmentStatus, Unit, UnitTask } from '../types';
import { TaskFeed, type TaskAndUnits } from './task-feed';

/**
 * The responder's phone applies the task, unit and location its socket pushes (the payload carries
 * them) instead of reading its task again over REST after every event; REST is read on (re)connect and
 * resync, and when a payload cannot say what changed. An event older than one already applied never
 * overwrites the newer state, and a slow REST read never undoes an event pushed while it was on its way.
 */
const E01: Unit = { id: 'E01', callsign: 'E01', unitType: 'engine', capabilities: ['engine'], status: 'dispatched', lat: 37.8, lon: -122.43, stationId: 's1' };

function loaded(task: UnitTask | null = { assignment: anAssignment(), incident: anIncident({ assignments: [anAssignment()] }) }): { feed: TaskFeed; reads: () => number } {
  let reads = 0;
  const feed = new TaskFeed('E01', async () => {
    reads++;
    return { task, units: [{ ...E01 }] };
  });
  return { feed, reads: () => reads };
}

const taskUpdate = (seq: number, status: AssignmentStatus, over: Partial<Assignment> = {}) =>
  anEvent(seq, 'assignment.updated', { incidentId: 'i1', assignment: anAssignment({ status, ...over }) }, { unitId: 'E01' });

describe('the task pushed to the phone is applied without reading it again', () => {
  it('applies a task update from its payload, with no REST read', async () => {
    const { feed, reads } = loaded();
    await feed.reload();
    expect(reads()).toBe(1);

    expect(feed.apply(taskUpdate(11, 'en_route', { enRouteAt: '2026-11-29T17:01:00Z' }))).toBe('applied');
    expect(feed.task?.assignment).toMatchObject({ status: 'en_route', enRouteAt: '2026-11-29T17:01:00Z' });
    expect(feed.task?.incident.assignments.find((a) => a.id === 'a1')?.status).toBe('en_route');
    expect(feed.apply(anEvent(12, 'unit.status', { unitId: 'E01', status: 'en_route', lat: 37.81, lon: -122.42 }, { unitId: 'E01' }))).toBe('applied');
    expect(feed.unit()).toMatchObject({ status: 'en_route', lat: 37.81, lon: -122.42 });
    expect(reads()).toBe(1);
  });

  it('moves the incident of a location alert and ends the task when it is cleared', async () => {
    const { feed } = loaded();
    await feed.reload();
    const moved = { lat: 37.79, lon: -122.41, address: '2 Bay St' };
    expect(feed.apply(anEvent(13, 'assignment.location_alert', { incidentId: 'i1', assignmentId: 'a1', unitId: 'E01', new: moved }, { unitId: 'E01' }))).toBe('applied');
    expect(feed.task?.incident).toMatchObject(moved);
    expect(feed.apply(taskUpdate(14, 'cleared', { cancelReason: 'not_needed' }))).toBe('applied');
    expect(feed.task).toBeNull();
  });

  it('keeps another unit’s task on the same incident in the incident, and ignores events about other incidents', async () => {
    const { feed } = loaded();
    await feed.reload();
    const other = anAssignment({ id: 'a2', unitId: 'M07' });
    expect(feed.apply(anEvent(15, 'assignment.created', { incidentId: 'i1', assignment: other }, { unitId: 'M07' }))).toBe('applied');
    expect(feed.task?.assignment.id).toBe('a1');
    expect(feed.task?.incident.assignments.map((a) => a.id).sort()).toEqual(['a1', 'a2']);
    expect(feed.apply(anEvent(16, 'assignment.created', { incidentId: 'i9', assignment: anAssignment({ id: 'a9', unitId: 'M07', incidentId: 'i9' }) }))).toBe('ignored');
    expect(feed.apply(anEvent(17, 'unit.message', { unitId: 'E01' }, { unitId: 'E01' }))).toBe('ignored');
  });

  it('reads REST only when the payload cannot say what changed: a task on an incident never seen, a unit not listed', async () => {
    const { feed } = loaded(null);
    await feed.reload();
    const fresh = anAssignment({ id: 'a5', incidentId: 'i5' });
    expect(feed.apply(anEvent(20, 'assignment.created', { incidentId: 'i5', assignment: fresh }, { unitId: 'E01' }))).toBe('reload');
    const stranger = new TaskFeed('E02', async () => ({ task: null, units: [E01] }));
    await stranger.reload();
    expect(stranger.apply(anEvent(21, 'unit.status', { unitId: 'E02', status: 'available', lat: 1, lon: 2 }, { unitId: 'E02' }))).toBe('reload');
  });

  it('never lets an older event overwrite a newer one (out of order, or replayed after a reconnect)', async () => {
    const { feed } = loaded();
    await feed.reload();
    feed.apply(taskUpdate(30, 'on_scene'));
    expect(feed.apply(taskUpdate(29, 'en_route'))).toBe('ignored');
    expect(feed.task?.assignment.status).toBe('on_scene');
    feed.apply(anEvent(32, 'unit.status', { unitId: 'E01', status: 'on_scene', lat: 37.8, lon: -122.43 }, { unitId: 'E01' }));
    expect(feed.apply(anEvent(31, 'unit.status', { unitId: 'E01', status: 'en_route', lat: 0, lon: 0 }, { unitId: 'E01' }))).toBe('ignored');
    expect(feed.unit()).toMatchObject({ status: 'on_scene', lat: 37.8 });
    // An older task's clearing for a task no longer shown does not end the current one.
    expect(feed.apply(anEvent(33, 'assignment.updated', { incidentId: 'i0', assignment: anAssignment({ id: 'a0', incidentId: 'i0', status: 'cleared' }) }, { unitId: 'E01' }))).toBe('ignored');
    expect(feed.task?.assignment.id).toBe('a1');
  });

  it('a REST read answered before an event pushed meanwhile does not undo the event', async () => {
    let answer: (v: TaskAndUnits) => void = () => undefined;
    const feed = new TaskFeed('E01', () => new Promise<TaskAndUnits>((r) => (answer = r)));
    const reading = feed.reload();
    // The read left; the crew's en route is pushed before its (older) answer arrives.
    feed.apply(taskUpdate(40, 'en_route'));
    answer({ task: { assignment: anAssignment(), incident: anIncident({ assignments: [anAssignment()] }) }, units: [{ ...E01 }] });
    await reading;
    expect(feed.task?.assignment.status).toBe('en_route');
  });
});
