import type { Server } from './server';

/** The steps left, in order, from a task's status to available (the server refuses a skipped one). */
const REST: Record<string, string[]> = {
  dispatched: ['acknowledged', 'en_route', 'on_scene', 'cleared'],
  acknowledged: ['en_route', 'on_scene', 'cleared'],
  en_route: ['on_scene', 'cleared'],
  on_scene: ['cleared'],
  transporting: ['at_hospital', 'cleared'],
  at_hospital: ['cleared'],
};

/**
 * Reports a crew's remaining steps from `from` to available, one at a time (`PATCH /api/assignments/:id`),
 * as its phone would. A step refused (the task moved meanwhile) stops the walk: the caller polls again.
 */
export async function walkToAvailable(server: Pick<Server, 'request'>, assignmentId: string, from: string): Promise<void> {
  for (const status of REST[from] ?? []) {
    const r = await server.request('PATCH', `/api/assignments/${encodeURIComponent(assignmentId)}`, { status });
    if (r.status !== 200) return;
  }
}
