import type { CallAnswerView, CallerView, NarrativeEntry } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** SQL of the call record: `caller_contact` and `incident_narrative`. */
@Injectable()
export class CallRecordRepository {
  constructor(private readonly ds: DataSource) {}

  /** The call's incident id (null while intake places it), or undefined when there is no such call. */
  async incidentOfCall(callId: string): Promise<string | null | undefined> {
    const [row] = await this.ds.query(`SELECT incident_id FROM call WHERE id = $1`, [callId]);
    return row ? (row.incident_id as string | null) : undefined;
  }

  /** Records or replaces the caller of a call (the last correction wins; its retention counts anew). */
  async upsertCaller(callId: string, callerName: string | null, callbackNumber: string, by: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO caller_contact (call_id, caller_name, callback_number, recorded_at, recorded_by) VALUES ($1, $2, $3, now(), $4)
       ON CONFLICT (call_id) DO UPDATE SET caller_name = EXCLUDED.caller_name, callback_number = EXCLUDED.callback_number, recorded_at = now(), recorded_by = EXCLUDED.recorded_by`,
      [callId, callerName, callbackNumber, by],
    );
  }

  /** Callers of every call of the incident (linked duplicates too), first call first. */
  async callersOf(incidentId: string): Promise<CallerView[]> {
    const rows: { call_id: string; call_number: string | null; caller_name: string | null; callback_number: string; recorded_at: Date; recorded_by: string }[] = await this.ds.query(
      `SELECT cc.call_id, c.call_number, cc.caller_name, cc.callback_number, cc.recorded_at, cc.recorded_by
         FROM caller_contact cc JOIN call c ON c.id = cc.call_id
        WHERE c.incident_id = $1 ORDER BY c.received_at, c.id`,
      [incidentId],
    );
    return rows.map((r) => ({ callId: r.call_id, callNumber: r.call_number, callerName: r.caller_name, callbackNumber: r.callback_number, recordedAt: r.recorded_at.toISOString(), recordedBy: r.recorded_by }));
  }

  /**
   * Deletes callers recorded before `before`.
   * @returns how many were deleted
   */
  async deleteCallersBefore(before: Date): Promise<number> {
    const [{ n }] = await this.ds.query(`WITH d AS (DELETE FROM caller_contact WHERE recorded_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [before]);
    return n as number;
  }

  /** The call's type and incident, or undefined when there is no such call. */
  async callTypeOf(callId: string): Promise<{ type: string; incidentId: string | null } | undefined> {
    const [row] = await this.ds.query(`SELECT type, incident_id FROM call WHERE id = $1`, [callId]);
    return row ? { type: row.type as string, incidentId: row.incident_id as string | null } : undefined;
  }

  /** Records answers on a call in one transaction (an answer given again replaces the earlier one). */
  async upsertAnswers(callId: string, answers: { questionId: string; answer: string }[], by: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      for (const a of answers) {
        await m.query(
          `INSERT INTO call_answer (call_id, question_id, answer, answered_at, answered_by) VALUES ($1, $2, $3, now(), $4)
           ON CONFLICT (call_id, question_id) DO UPDATE SET answer = EXCLUDED.answer, answered_at = now(), answered_by = EXCLUDED.answered_by`,
          [callId, a.questionId, a.answer, by],
        );
      }
    });
  }

  /** Answers on the incident's calls, first call first, in the order answered. */
  async answersOf(incidentId: string): Promise<CallAnswerView[]> {
    const rows: { call_id: string; question_id: string; answer: string; answered_at: Date; answered_by: string }[] = await this.ds.query(
      `SELECT a.call_id, a.question_id, a.answer, a.answered_at, a.answered_by FROM call_answer a JOIN call c ON c.id = a.call_id
        WHERE c.incident_id = $1 ORDER BY c.received_at, c.id, a.answered_at, a.question_id`,
      [incidentId],
    );
    return rows.map((r) => ({ callId: r.call_id, questionId: r.question_id, answer: r.answer, answeredAt: r.answered_at.toISOString(), answeredBy: r.answered_by }));
  }

  /** Appends a narrative entry inside the caller's transaction. */
  async addNarrative(m: EntityManager, incidentId: string, author: string, text: string, at: Date): Promise<NarrativeEntry> {
    const [row] = await m.query(`INSERT INTO incident_narrative (incident_id, author, text, at) VALUES ($1, $2, $3, $4) RETURNING id, at`, [incidentId, author, text, at]);
    return { id: String(row.id), incidentId, at: (row.at as Date).toISOString(), author, text };
  }

  /** The incident's narrative, oldest first (ties in the order written). */
  async narrativeOf(incidentId: string): Promise<NarrativeEntry[]> {
    const rows: { id: string; at: Date; author: string; text: string }[] = await this.ds.query(
      `SELECT id, at, author, text FROM incident_narrative WHERE incident_id = $1 ORDER BY at, id`,
      [incidentId],
    );
    return rows.map((r) => ({ id: String(r.id), incidentId, at: r.at.toISOString(), author: r.author, text: r.text }));
  }
}
