import { JurisdictionIndex, type CallAnswerView, type CallerView, type NarrativeEntry } from '@cad/domain';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Incident } from '@cad/db';
import { InvalidInput, NotFound } from '../common/errors';
import { AppConfig } from '../config/config';
import { EventsService } from '../events/events.service';
import { CallRecordRepository } from './call-record.repository';
import { CallTakingQuestion, CallTakingSets, loadCallTaking, questionsFor } from './call-taking';

/** Fewest and most digits of a callback number (ITU-T E.164: at most 15; 3 allows short codes such as 911). */
const MIN_DIGITS = 3;
const MAX_DIGITS = 15;

/** One day, milliseconds. */
const DAY_MS = 86_400_000;

/**
 * The call record of an incident: its callers (kept apart from the event log, never in an event
 * payload) and its narrative (each entry also an `incident.narrative` event, so every console sees
 * it live).
 */
@Injectable()
export class CallRecordService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: CallRecordRepository,
    private readonly events: EventsService,
    private readonly index: JurisdictionIndex,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.sets = loadCallTaking(config.CALL_TAKING_FILE);
  }

  private readonly sets: CallTakingSets;

  /**
   * The incident a call belongs to (null while intake is still placing it).
   * @throws NotFound for an unknown call
   */
  async incidentOfCall(callId: string): Promise<string | null> {
    const incidentId = await this.repo.incidentOfCall(callId);
    if (incidentId === undefined) throw new NotFound('call', callId);
    return incidentId;
  }

  /**
   * Records who called on `callId` and the number to call back.
   * @returns the incident the call belongs to (null while intake is still placing it)
   * @throws NotFound for an unknown call
   * @throws InvalidInput (400) naming `callbackNumber` when it has fewer than 3 or more than 15 digits
   */
  async recordCaller(callId: string, callerName: string | null, callbackNumber: string, by: string): Promise<string | null> {
    const incidentId = await this.incidentOfCall(callId);
    const digits = callbackNumber.replace(/\D/g, '').length;
    if (digits < MIN_DIGITS || digits > MAX_DIGITS) throw new InvalidInput(`callbackNumber must hold ${MIN_DIGITS} to ${MAX_DIGITS} digits (it has ${digits})`);
    await this.repo.upsertCaller(callId, callerName || null, callbackNumber, by);
    return incidentId;
  }

  /**
   * Records answers to the call-taking questions on `callId`; the call's dispatch never waits for them.
   * @returns the incident the call belongs to (null while intake is still placing it)
   * @throws NotFound for an unknown call
   * @throws InvalidInput (400) naming `answers[i].questionId` when a question is not in the set of the call's type
   */
  async recordAnswers(callId: string, answers: { questionId: string; answer: string }[], by: string): Promise<string | null> {
    const call = await this.repo.callTypeOf(callId);
    if (!call) throw new NotFound('call', callId);
    const ids = new Set(questionsFor(this.sets, call.type).map((q) => q.id));
    const bad = answers.findIndex((a) => !ids.has(a.questionId));
    if (bad >= 0) throw new InvalidInput(`answers[${bad}].questionId "${answers[bad].questionId}" is not a question for ${call.type} (${[...ids].join(', ') || 'none'})`);
    await this.repo.upsertAnswers(callId, answers, by);
    return call.incidentId;
  }

  /** The questions for a call type (its own set, else the `*` set). */
  questions(type: string): CallTakingQuestion[] {
    return questionsFor(this.sets, type);
  }

  /** Answers on the incident's calls (access is checked by the caller of this method). */
  answers(incidentId: string): Promise<CallAnswerView[]> {
    return this.repo.answersOf(incidentId);
  }

  /** Callers of the incident's calls (access is checked by the caller of this method). */
  callers(incidentId: string): Promise<CallerView[]> {
    return this.repo.callersOf(incidentId);
  }

  /**
   * Appends a narrative entry by `author` and its `incident.narrative` event (payload: the entry) in one
   * transaction. A drill incident's entry is dated now (wall clock) like the dispatcher who wrote it.
   * @throws NotFound for an unknown incident
   */
  async addNarrative(incidentId: string, author: string, text: string): Promise<NarrativeEntry> {
    return this.ds.transaction(async (m) => {
      const incident = await m.findOneBy(Incident, { id: incidentId });
      if (!incident) throw new NotFound('incident', incidentId);
      const at = new Date();
      const entry = await this.repo.addNarrative(m, incidentId, author, text, at);
      await this.events.append(m, { type: 'incident.narrative', incidentId, jurisdictionIds: this.index.chain(incident.streetId), at, actor: author, payload: entry });
      return entry;
    });
  }

  /** The incident's narrative, oldest first. */
  narrative(incidentId: string): Promise<NarrativeEntry[]> {
    return this.repo.narrativeOf(incidentId);
  }
}

/**
 * Deletes callers' names and numbers `CALLER_RETENTION_DAYS` after they were recorded: at start-up and
 * every hour, in processes that run workers. Deleting is idempotent, so several workers may purge at once.
 */
@Injectable()
export class CallerRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('CallerRetention');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repo: CallRecordRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.RUN_WORKERS) return;
    this.timer = setInterval(() => void this.purgeQuietly(), 3600_000);
    this.timer.unref();
    void this.purgeQuietly();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Deletes the callers recorded more than `CALLER_RETENTION_DAYS` days before `now`.
   * @returns how many were deleted
   */
  async purge(now: Date = new Date()): Promise<number> {
    const deleted = await this.repo.deleteCallersBefore(new Date(now.getTime() - this.config.CALLER_RETENTION_DAYS * DAY_MS));
    if (deleted) this.log.log(`${deleted} caller record(s) past ${this.config.CALLER_RETENTION_DAYS} days deleted`);
    return deleted;
  }

  private async purgeQuietly(): Promise<void> {
    try {
      await this.purge();
    } catch (e) {
      this.log.warn(`caller retention purge failed, retried within the hour: ${(e as Error).message}`);
    }
  }
}
