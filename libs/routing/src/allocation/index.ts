/**
 * Allocation: min-cost assignment core (`solveAssignment`), multi-incident allocation by priority
 * class within command-tier scopes (`allocateIncidents`), NFPA 1710 coverage (`computeCoverage`) and
 * move-up recommendations (`recommendMoveUps`, off the event loop with `MoveUpWorker` /
 * `solveMoveUpsInWorker`), and travel-time matrices from a `RoadNetwork`. Seconds throughout.
 */
export { solveAssignment } from './lap';
export type { AssignmentSolution } from './lap';
export { allocateIncidents } from './allocate-incidents';
export type {
  AllocationIncident,
  AllocationOptions,
  AllocationResult,
  AllocationUnit,
  AssignedSlot,
  ChoiceReason,
  IncidentAllocation,
  ReassignmentRecommendation,
  TierScope,
  TravelMatrix,
  TravelSeconds,
  UnfilledCode,
  UnfilledSlot,
} from './allocate-incidents';
export { solveDispatchRound } from './dispatch-round';
export type { RoundDecision, RoundProblemIncident } from './dispatch-round';
export { computeCoverage, recommendMoveUps } from './coverage';
export type {
  CoverageInput,
  CoverageResult,
  CoverageTargets,
  CoverageUnit,
  DemandZone,
  MoveUp,
  MoveUpInput,
  MoveUpResult,
  MoveUpStation,
  ZoneCoverage,
} from './coverage';
export { MoveUpWorker, solveMoveUpsInWorker } from './move-up-worker';
export { positionToZoneSeconds, travelSecondsToTargets } from './travel-matrix';
