/**
 * The call record's shapes, shared by the API (`apps/api/src/call-record/`) and the console
 * (`apps/console/src/call-record.ts`).
 */

/** A caller of one of an incident's calls (`GET /api/incidents/:id/callers`): dispatchers and the incident's crews only. */
export interface CallerView {
  callId: string;
  callNumber: string | null;
  callerName: string | null;
  callbackNumber: string;
  /** When it was recorded (its retention counts from here), ISO-8601 UTC. */
  recordedAt: string;
  recordedBy: string;
}

/** The answer to one call-taking question on a call (`GET /api/incidents/:id/answers`). */
export interface CallAnswerView {
  callId: string;
  questionId: string;
  answer: string;
  /** ISO-8601 UTC. */
  answeredAt: string;
  answeredBy: string;
}

/** One narrative entry (`GET /api/incidents/:id/narrative`, and the payload of `incident.narrative`). */
export interface NarrativeEntry {
  id: string;
  incidentId: string;
  /** ISO-8601 UTC. */
  at: string;
  /** Username of who wrote it. */
  author: string;
  text: string;
}
