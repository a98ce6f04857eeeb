/**
 * Named points inside jobs where the fault tests stop a worker (a crash between a write and its
 * commit, or between a commit and the job's completion). Production code only marks the points;
 * what happens there is decided by a handler that only the test-only `FaultInjectionModule`
 * (`apps/api/src/faults/`, started by the test worker entry `faults/fault-worker.ts`) installs. The
 * production entry points (`main.ts`, `worker.ts`, `AppModule`) never install one, so a marked point
 * is a no-op there, whatever the environment says.
 */

/**
 * - `dispatch.assignments-written`: a dispatch transaction has written its assignments (at least one)
 *   and not yet committed.
 * - `escalation.committed`: a deadline's escalation has committed and its job is not yet complete.
 * - `intake.batch-placed`: an intake transaction has placed every call of its batch and not yet committed.
 */
export const FAULT_POINTS = ['dispatch.assignments-written', 'escalation.committed', 'intake.batch-placed'] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

let handler: ((point: FaultPoint) => void) | null = null;

/** Marks that a job reached `point`: runs the installed handler, if any (none in production). */
export function faultPoint(point: FaultPoint): void {
  handler?.(point);
}

/**
 * Installs the handler run at every marked point, or removes it (`null`). For test-only wiring:
 * only `FaultInjectionModule` calls it.
 */
export function setFaultHandler(h: ((point: FaultPoint) => void) | null): void {
  handler = h;
}
