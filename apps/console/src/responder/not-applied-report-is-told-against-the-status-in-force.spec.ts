import { notAppliedText } from './outbox';

describe('a status report the server recorded but did not apply', () => {
  it('is told against the status in force on the same task', () => {
    expect(notAppliedText({ assignmentId: 'a1', status: 'en_route' }, { assignmentId: 'a1', status: 'on_scene' })).toBe(
      'En route recorded but not applied: the task is already on scene (shown above).',
    );
  });

  it('says the task ended when the unit no longer has it', () => {
    expect(notAppliedText({ assignmentId: 'a1', status: 'on_scene' }, null)).toBe('On scene recorded but not applied: that task has ended.');
    expect(notAppliedText({ assignmentId: 'a1', status: 'cleared' }, { assignmentId: 'a2', status: 'dispatched' })).toBe(
      'Available recorded but not applied: that task has ended.',
    );
  });
});
