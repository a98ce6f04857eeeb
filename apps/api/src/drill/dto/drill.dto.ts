import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { DRILL_POLICIES } from '../drill-run';
import { MAX_SURGE } from '../surge';
import { DRILL_PLAN_SOURCES, DrillPlanSource } from '../replayed-first-alarm';
import { calendarDay } from '../../common/validation';

/** `speed`: simulated seconds per real second (1..100000) or `"max"`. */
const isSpeed = (v: unknown) => v === 'max' || (typeof v === 'number' && Number.isFinite(v) && v >= 1 && v <= 100000);

/** `POST /api/drills`: what to replay. */
export class StartDrillDto {
  /** Scenario name (`db/scenarios/<name>.yaml`), default `sf-north`. */
  @IsOptional() @IsString() @MaxLength(80) @Matches(/^[\w.-]+$/, { message: 'scenario must be a scenario name (letters, digits, . - _)' })
  scenario?: string;
  /** First local day, `YYYY-MM-DD`. */
  @calendarDay('day') day: string;
  @IsOptional() @calendarDay('toDay') toDay?: string;
  /** Simulated seconds per real second, or `"max"`. */
  @ValidateIf((o: StartDrillDto) => !isSpeed(o.speed)) @IsIn(['max'], { message: 'speed must be a number from 1 to 100000 or "max"' })
  speed: number | 'max';
  @IsOptional() @IsIn([...DRILL_POLICIES]) policy?: string;
  @IsOptional() @IsInt() @Min(0) @Max(2 ** 31 - 1) seed?: number;
  /** Replay only the first `limit` calls. */
  @IsOptional() @IsInt() @Min(1) limit?: number;
  /** Surge factor: the calls arrive this many times sooner (1..MAX_SURGE; default 1). */
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1) @Max(MAX_SURGE) surge?: number;
  /** Each incident's first alarm: `history` (default: what history sent to its call) or `city` (the city's response plans). */
  @IsOptional() @IsIn([...DRILL_PLAN_SOURCES], { message: `plans must be one of ${DRILL_PLAN_SOURCES.join(', ')}` }) plans?: DrillPlanSource;
}

/** `PATCH /api/drills/:id`: change the speed. */
export class PatchDrillDto {
  @ValidateIf((o: PatchDrillDto) => !isSpeed(o.speed)) @IsIn(['max'], { message: 'speed must be a number from 1 to 100000 or "max"' })
  speed: number | 'max';
}
