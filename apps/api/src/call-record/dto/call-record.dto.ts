import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { noControl, notBlank } from '../../common/validation';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value);

/**
 * A callback number as call-takers type it: an optional leading `+`, then digits with spaces, `-`,
 * `.`, `(` and `)` between them, 3 to 15 digits in all (ITU-T E.164 allows at most 15 digits).
 */
export const CALLBACK_NUMBER = /^\+?[0-9 ().-]{3,30}$/;

/** `PUT /api/calls/:id/caller`: who called and the number to call them back on. */
export class CallerDto {
  /** The caller's name as given (any script); optional: many callers do not give it. */
  @IsOptional() @Transform(trimmed) @IsString() @MaxLength(120) @noControl('callerName') callerName?: string;
  @Transform(trimmed)
  @IsString()
  @Matches(CALLBACK_NUMBER, { message: 'callbackNumber must be a phone number: digits with an optional leading +, spaces, dashes or brackets (3 to 15 digits)' })
  @noControl('callbackNumber')
  callbackNumber: string;
}

/** `POST /api/incidents/:id/narrative`: one narrative entry. */
export class NarrativeDto {
  @Transform(trimmed) @IsString() @Length(1, 2000) @notBlank('text') @noControl('text') text: string;
}

/** One answer: the question's id (from the set of the call's type) and what the caller said. */
export class AnswerDto {
  @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/, { message: 'questionId must be a question id such as conscious' }) questionId: string;
  @Transform(trimmed) @IsString() @Length(1, 500) @notBlank('answer') @noControl('answer') answer: string;
}

/** `PUT /api/calls/:id/answers`: answers to the call-taking questions of the call's type. */
export class AnswersDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => AnswerDto) answers: AnswerDto[];
}

/** Query of `GET /api/call-taking/questions`. */
export class QuestionsQuery {
  @Transform(trimmed) @IsString() @Length(1, 120) @noControl('type') type: string;
}
