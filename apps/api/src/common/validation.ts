import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';
import { Matches, ValidateBy, ValidationArguments } from 'class-validator';

/** No C0 control characters (NUL and the like) and no DEL in free text; tab, newline and CR are fine. */
export const NO_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

/**
 * class-validator rule for free text, with one message naming the field: `is required` when missing
 * (optional fields skip every rule when absent), `must be a string`, or `must not contain control
 * characters`. Declare it last on the property: class-validator checks the last-declared rule first
 * and reports only the first failure, so a missing field is reported as missing.
 */
export const noControl = (field: string) =>
  ValidateBy({
    name: 'noControl',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && NO_CONTROL.test(v),
      defaultMessage: (a?: ValidationArguments) =>
        a?.value === undefined || a?.value === null
          ? `${field} is required`
          : typeof a.value !== 'string'
            ? `${field} must be a string`
            : `${field} must not contain control characters`,
    },
  });

/** Text with at least one visible character (not only spaces, tabs or line breaks). */
export const notBlank = (field: string) => Matches(/\S/, { message: `${field} must not be blank` });

/** A unit id as used on the radio (`E38`, `AM28`, `KM01`): letters, digits, `_` and `-`, 1 to 40 long. */
export const UNIT_ID = /^[A-Za-z0-9_-]{1,40}$/;

/** class-validator rule for a unit id (or, with `each`, a list of them), naming the field. */
export const isUnitId = (field: string, each = false) => Matches(UNIT_ID, { each, message: `${field} must be ${each ? 'unit ids' : 'a unit id'} such as E38` });

/**
 * Path-parameter pipe for ids that are UUIDs: a malformed one answers 400 naming the parameter
 * (`id: must be a UUID (an incident id)`) instead of Nest's generic message.
 */
export const uuidParam = (what: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`id: must be a UUID (${what})`) });
