import { cancelChoiceHtml, mayCancel, reasonOf, stepAllowed, stepButtonsHtml } from './task-steps';

const ALL = { acknowledged: true, transporting: true };

/** The buttons enabled in `html` (their statuses), and whether it offers Cancel. */
function enabled(html: string): string[] {
  return [...html.matchAll(/data-status="(\w+)" (disabled)?/g)].filter((m) => !m[2]).map((m) => m[1]);
}

/**
 * Issue 26 part 6: the responder's status buttons enable only the task's next step, in order; Available
 * only from on scene or at hospital; before that, Cancel, which asks for a reason from the list.
 */
describe('the responder status buttons go in order, and available before on scene is a cancel with a reason', () => {
  it('enables only the next step: acknowledge, then en route, then on scene', () => {
    expect(enabled(stepButtonsHtml('dispatched', ALL))).toEqual(['acknowledged']);
    expect(enabled(stepButtonsHtml('acknowledged', ALL))).toEqual(['en_route']);
    expect(enabled(stepButtonsHtml('en_route', ALL))).toEqual(['on_scene']);
    expect(enabled(stepButtonsHtml('on_scene', ALL))).toEqual(['transporting', 'cleared']);
    expect(enabled(stepButtonsHtml('transporting', ALL))).toEqual(['at_hospital']);
    expect(enabled(stepButtonsHtml('at_hospital', ALL))).toEqual(['cleared']);
  });

  it('never enables Available straight after acknowledge: it offers Cancel instead, until on scene', () => {
    expect(stepAllowed('acknowledged', 'cleared', ALL)).toBe(false);
    expect(stepButtonsHtml('acknowledged', ALL)).toContain('data-cancel-task');
    expect(stepButtonsHtml('en_route', ALL)).toContain('data-cancel-task');
    expect(stepButtonsHtml('on_scene', ALL)).not.toContain('data-cancel-task');
    expect(mayCancel('transporting')).toBe(false);
  });

  it('lists every reason, and takes only a reason of the list', () => {
    const html = cancelChoiceHtml();
    for (const r of ['cancelled_by_dispatch', 'not_needed', 'unable_to_locate', 'handled_by_another_unit']) expect(html).toContain(`data-cancel-reason="${r}"`);
    expect(reasonOf('not_needed')).toBe('not_needed');
    expect(reasonOf('<img onerror=x>')).toBeNull();
    expect(reasonOf(undefined)).toBeNull();
  });

  it('on an older server without acknowledgement, en route comes straight after dispatch', () => {
    expect(enabled(stepButtonsHtml('dispatched', { acknowledged: false, transporting: false }))).toEqual(['en_route']);
  });
});
