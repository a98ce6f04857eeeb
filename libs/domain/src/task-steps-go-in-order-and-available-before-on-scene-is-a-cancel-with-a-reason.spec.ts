import { InvalidTransition, nextAssignmentStatus, TASK_CANCEL_REASONS, TASK_ORDER_RULE } from './status';

describe('a task goes one step at a time, and available before on scene is a cancel with a reason', () => {
  it('walks acknowledged, en route, on scene, then available or transporting, at hospital, available', () => {
    const engine = ['dispatched', 'acknowledged', 'en_route', 'on_scene', 'cleared'] as const;
    for (let i = 1; i < engine.length; i++) expect(nextAssignmentStatus(engine[i - 1], engine[i])).toBe(engine[i]);
    const ambulance = ['on_scene', 'transporting', 'at_hospital', 'cleared'] as const;
    for (let i = 1; i < ambulance.length; i++) expect(nextAssignmentStatus(ambulance[i - 1], ambulance[i])).toBe(ambulance[i]);
  });

  it('refuses a skipped step, naming the rule', () => {
    expect(() => nextAssignmentStatus('dispatched', 'en_route')).toThrow(TASK_ORDER_RULE);
    expect(() => nextAssignmentStatus('dispatched', 'on_scene')).toThrow(InvalidTransition);
    expect(() => nextAssignmentStatus('acknowledged', 'on_scene')).toThrow('assignment cannot go from acknowledged to on_scene');
    expect(() => nextAssignmentStatus('on_scene', 'at_hospital')).toThrow(TASK_ORDER_RULE);
    expect(() => nextAssignmentStatus('transporting', 'cleared')).toThrow(TASK_ORDER_RULE);
  });

  it('refuses available straight after acknowledge without a reason, and takes it as a cancel with one', () => {
    expect(() => nextAssignmentStatus('acknowledged', 'cleared')).toThrow(TASK_ORDER_RULE);
    expect(() => nextAssignmentStatus('dispatched', 'cleared', null)).toThrow(TASK_ORDER_RULE);
    for (const from of ['dispatched', 'acknowledged', 'en_route'] as const) {
      for (const reason of TASK_CANCEL_REASONS) expect(nextAssignmentStatus(from, 'cleared', reason)).toBe('cleared');
    }
  });

  it('refuses a cancel reason on anything but available before on scene', () => {
    expect(() => nextAssignmentStatus('on_scene', 'cleared', 'not_needed')).toThrow('a cancelReason is only for available (cleared) before on scene');
    expect(() => nextAssignmentStatus('dispatched', 'acknowledged', 'not_needed')).toThrow(InvalidTransition);
    expect(() => nextAssignmentStatus('transporting', 'cleared', 'cancelled_by_dispatch')).toThrow(InvalidTransition);
  });
});
