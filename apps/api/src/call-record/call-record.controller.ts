import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { Forbidden } from '../common/errors';
import { uuidParam } from '../common/validation';
import { AppConfig } from '../config/config';
import { CallRecordService } from './call-record.service';
import { parseDispositionCodes } from './dispositions';
import { AnswersDto, CallerDto, NarrativeDto, QuestionsQuery } from './dto/call-record.dto';

const incidentUuid = uuidParam('an incident id');

/**
 * The call record: callers' names and callback numbers (dispatchers and the incident's crews only),
 * narrative entries, and the disposition codes a dispatcher closes an incident with.
 */
@Controller()
export class CallRecordController {
  constructor(
    private readonly record: CallRecordService,
    private readonly access: AccessService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * `PUT /api/calls/:id/caller {callerName?, callbackNumber}`: who called on this call. `200
   * {callId, incidentId}`; `400` naming the field; `404` for an unknown call; `403` outside the
   * dispatcher's jurisdiction.
   */
  @Put('calls/:id/caller')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async recordCaller(@Param('id', uuidParam('a call id')) id: string, @Body() dto: CallerDto, @CurrentUser() user: Principal) {
    // Placed already: the dispatcher must cover it, checked before anything is written.
    const placed = await this.record.incidentOfCall(id);
    if (placed) await this.access.assertIncident(user, placed);
    const incidentId = await this.record.recordCaller(id, dto.callerName ?? null, dto.callbackNumber, actorOf(user));
    return { callId: id, incidentId };
  }

  /**
   * `PUT /api/calls/:id/answers {answers: [{questionId, answer}]}`: the caller's answers to the questions
   * of the call's type. `200 {callId, incidentId}`; `400` naming the field or the question not in the set.
   */
  @Put('calls/:id/answers')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async recordAnswers(@Param('id', uuidParam('a call id')) id: string, @Body() dto: AnswersDto, @CurrentUser() user: Principal) {
    const placed = await this.record.incidentOfCall(id);
    if (placed) await this.access.assertIncident(user, placed);
    const incidentId = await this.record.recordAnswers(id, dto.answers, actorOf(user));
    return { callId: id, incidentId };
  }

  /** `GET /api/call-taking/questions?type=`: the questions to ask for a call type (`400` without a type). */
  @Get('call-taking/questions')
  questions(@Query() q: QuestionsQuery) {
    return { type: q.type, questions: this.record.questions(q.type) };
  }

  /** `GET /api/incidents/:id/answers`: answers on the incident's calls, for dispatchers covering it and its crews; `403` for observers. */
  @Get('incidents/:id/answers')
  async listAnswers(@Param('id', incidentUuid) id: string, @CurrentUser() user: Principal) {
    if (user.role === 'observer') throw new Forbidden('call-taking answers are for dispatchers and the incident\u2019s crews only');
    await this.access.assertIncident(user, id);
    return this.record.answers(id);
  }

  /**
   * `GET /api/incidents/:id/callers`: callers of the incident's calls, for dispatchers covering it and
   * the crews assigned to it; `403` for observers (and anyone else).
   */
  @Get('incidents/:id/callers')
  async listCallers(@Param('id', incidentUuid) id: string, @CurrentUser() user: Principal) {
    if (user.role === 'observer') throw new Forbidden('callers\u2019 names and numbers are for dispatchers and the incident\u2019s crews only');
    await this.access.assertIncident(user, id);
    return this.record.callers(id);
  }

  /** `POST /api/incidents/:id/narrative {text}`: a narrative entry by the signed-in dispatcher or crew. `201` with the entry. */
  @Post('incidents/:id/narrative')
  @Allow(...DISPATCHERS, 'responder')
  async addNarrative(@Param('id', incidentUuid) id: string, @Body() dto: NarrativeDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.record.addNarrative(id, actorOf(user), dto.text);
  }

  /** `GET /api/incidents/:id/narrative`: the incident's narrative entries, oldest first. */
  @Get('incidents/:id/narrative')
  async narrative(@Param('id', incidentUuid) id: string, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.record.narrative(id);
  }

  /** `GET /api/dispositions`: the disposition codes an incident is closed with (`DISPOSITION_CODES`), in order. */
  @Get('dispositions')
  dispositions(): { codes: string[] } {
    return { codes: parseDispositionCodes(this.config.DISPOSITION_CODES) };
  }
}
