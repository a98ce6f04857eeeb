import { anAssignment, anEvent, anIncident } from '../testing/views';
import type { Unit } from '../types';
import { TaskFeed } from './task-feed';

/**
 * A later change of the task's incident (`incident.updated`, its whole view, now sent to the rooms of
 * its crews) is applied on the phone from its payload: the new address, priority and notes show on
 * the task card with no REST read. An older view never overwrites a newer one, a change of another
 * incident is ignored, and a task step pushed after the view was taken keeps what it said.
 */
const E01: Unit = { id: 'E01', callsign: 'E01', unitType: 'engine', capabilities: ['engine'], status: 'dispatched', lat: 37.8, lon: -122.43, stationId: 's1' };

async function loaded() {
  let reads = 0;
  const feed = new TaskFeed('E01', async () => {
    reads++;
    return { task: { assignment: anAssignment(), incident: anIncident({ address: '550 Columbus Ave', priority: 3, assignments: [anAssignment()] }) }, units: [{ ...E01 }] };
  });
  await feed.reload();
  return { feed, reads: () => reads };
}
const changed = (seq: number, over: Parameters<typeof anIncident>[0]) => anEvent(seq, 'incident.updated', anIncident({ assignments: [anAssignment()], ...over }));

it('applies the new address and priority of its incident from the pushed view, with no REST read', async () => {
  const { feed, reads } = await loaded();
  expect(feed.apply(changed(50, { address: '1900 Pacific Ave', priority: 1 }))).toBe('applied');
  expect(feed.task?.incident).toMatchObject({ address: '1900 Pacific Ave', priority: 1 });
  expect(feed.task?.assignment.id).toBe('a1');
  expect(reads()).toBe(1);
});

it('hostile: an older view after a newer one, a view of another incident, or a malformed one changes nothing', async () => {
  const { feed } = await loaded();
  feed.apply(changed(60, { address: '1900 Pacific Ave' }));
  expect(feed.apply(changed(59, { address: '550 Columbus Ave' }))).toBe('ignored');
  expect(feed.task?.incident.address).toBe('1900 Pacific Ave');
  expect(feed.apply(anEvent(61, 'incident.updated', anIncident({ id: 'i9', address: '1 Elsewhere St' }), { incidentId: 'i9' }))).toBe('ignored');
  expect(feed.apply(anEvent(62, 'incident.updated', { id: 'i1' } as never))).toBe('ignored');
  expect(feed.task?.incident.address).toBe('1900 Pacific Ave');
});

it('hostile: a task step pushed after the view was taken keeps what it said', async () => {
  const { feed } = await loaded();
  feed.apply(anEvent(71, 'assignment.updated', { incidentId: 'i1', assignment: anAssignment({ status: 'en_route' }) }, { unitId: 'E01' }));
  // The view was taken before the step (seq 70) and reached the phone after it: its address is
  // applied, its older word on the task is not.
  expect(feed.apply(changed(70, { address: '2 Bay St' }))).toBe('applied');
  expect(feed.task?.incident.address).toBe('2 Bay St');
  expect(feed.task?.incident.assignments.find((a) => a.id === 'a1')?.status).toBe('en_route');
  expect(feed.task?.assignment.status).toBe('en_route');
  // A view taken after the step carries it.
  expect(feed.apply(changed(72, { address: '4 Bay St', assignments: [anAssignment({ status: 'en_route' })] }))).toBe('applied');
  expect(feed.task?.incident).toMatchObject({ address: '4 Bay St' });
  expect(feed.task?.incident.assignments.find((a) => a.id === 'a1')?.status).toBe('en_route');
});
