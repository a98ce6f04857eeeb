import type { AssignmentStatus } from '@cad/domain';
import type { Assignment } from '@cad/db';

/** The task column each reported status stamps with its time (a report, or a crew's late taps given back). */
export const STATUS_STAMP: Partial<Record<AssignmentStatus, keyof Assignment>> = {
  acknowledged: 'acknowledgedAt',
  en_route: 'enRouteAt',
  on_scene: 'onSceneAt',
  transporting: 'transportingAt',
  at_hospital: 'atHospitalAt',
  cleared: 'clearedAt',
};
