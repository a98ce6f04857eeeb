import { incidentStatusFromAssignments, incidentStatusFromTasks, InvalidTransition, nextAssignmentStatus, unitStatusFor } from './status';

describe('incident status follows its assignments and never moves backwards', () => {
  it('is on scene when any unit is on scene, resolved when every unit cleared', () => {
    expect(incidentStatusFromAssignments('dispatched', ['dispatched', 'en_route'])).toBe('en_route');
    expect(incidentStatusFromAssignments('en_route', ['on_scene', 'en_route'])).toBe('on_scene');
    expect(incidentStatusFromAssignments('on_scene', ['cleared', 'cleared'])).toBe('resolved');
  });

  it('leaves out tasks taken back: a recalled unit that had arrived does not make the incident on scene, nor does a cleared one resolve it', () => {
    const tasks = [
      { status: 'on_scene' as const, releasedReason: 'not_acknowledged' },
      { status: 'en_route' as const, releasedReason: null },
    ];
    expect(incidentStatusFromTasks('dispatched', tasks)).toBe('en_route');
    expect(incidentStatusFromTasks('dispatched', [{ status: 'cleared', releasedReason: 'cancelled' }, { status: 'dispatched' }])).toBe('dispatched');
    expect(incidentStatusFromTasks('dispatched', [{ status: 'on_scene', releasedReason: 'cancelled' }])).toBe('dispatched');
    expect(incidentStatusFromTasks('dispatched', [{ status: 'on_scene' }, { status: 'cleared' }])).toBe('on_scene');
  });

  it('does not move back when a late unit is still en route', () => {
    expect(incidentStatusFromAssignments('on_scene', ['cleared', 'en_route'])).toBe('on_scene');
  });

  it('keeps terminal statuses', () => {
    expect(incidentStatusFromAssignments('cancelled', ['en_route'])).toBe('cancelled');
  });

  it('rejects an assignment going backwards, naming both states', () => {
    expect(() => nextAssignmentStatus('on_scene', 'en_route')).toThrow(InvalidTransition);
    expect(() => nextAssignmentStatus('cleared', 'on_scene')).toThrow('cannot go from cleared to on_scene');
    expect(nextAssignmentStatus('acknowledged', 'en_route')).toBe('en_route');
  });

  it('frees the unit when its assignment clears', () => {
    expect(unitStatusFor('cleared')).toBe('available');
    expect(unitStatusFor('en_route')).toBe('en_route');
  });
});
