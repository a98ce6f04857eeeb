import { BadRequestException, ParseUUIDPipe, ValidationPipeOptions } from '@nestjs/common';
import { Matches, ValidateBy, ValidationArguments } from 'class-validator';

/**
 * The API's global validation of request bodies (`ValidationPipe`): unknown fields refused, bodies
 * transformed to their DTO classes, one message per field (the first rule it breaks). The drill's
 * in-process call poster validates its calls with the same options.
 */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  forbidUnknownValues: true,
  // One message per field: the first rule it breaks.
  stopAtFirstError: true,
};

/** No C0 control characters (NUL and the like), no DEL and no bidi controls in free text; tab, newline and CR are fine. */
export const NO_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]*$/;

/** A rule's message: `<field> is required` when the value is missing (undefined or null), else `otherwise(value)`. */
function requiredOr(field: string, a: ValidationArguments | undefined, otherwise: (value: unknown) => string): string {
  return a?.value === undefined || a?.value === null ? `${field} is required` : otherwise(a.value);
}

/**
 * class-validator rule for free text, with one message naming the field: `is required` when missing
 * (optional fields skip every rule when absent), `must be a string`, or `must not contain control
 * characters` (C0 controls but tab and line breaks, DEL, and the Unicode bidi embedding, override and
 * isolate controls, which could make text read backwards on a dispatcher's screen; right-to-left
 * scripts need none of them). Declare it last on the property: class-validator checks the
 * last-declared rule first and reports only the first failure, so a missing field is reported as missing.
 */
export const noControl = (field: string) =>
  ValidateBy({
    name: 'noControl',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && NO_CONTROL.test(v),
      defaultMessage: (a?: ValidationArguments) =>
        requiredOr(field, a, (v) =>
          typeof v !== 'string' ? `${field} must be a string` : `${field} must not contain control characters (including bidi overrides, U+202A–U+202E and U+2066–U+2069)`,
        ),
    },
  });

/** Unicode format characters (general category Cf: zero-width space U+200B, joiners, LRM/RLM, soft hyphen, BOM U+FEFF, ...). */
export const FORMAT_CHARACTER = /\p{Cf}/u;

/**
 * class-validator rule for an identity field (a call type, an address, a roadway: text that is compared,
 * grouped or looked up): no invisible Unicode format characters (`\p{Cf}`), which make
 * `Medical\u200BIncident` a call type of its own that reads as `Medical Incident`. `400` naming the
 * field and the code point. Free text (notes) may keep them.
 */
export const noInvisible = (field: string) =>
  ValidateBy({
    name: 'noInvisible',
    validator: {
      validate: (v: unknown) => typeof v !== 'string' || !FORMAT_CHARACTER.test(v),
      defaultMessage: (a?: ValidationArguments) => {
        const c = typeof a?.value === 'string' ? a.value.match(FORMAT_CHARACTER)?.[0] : undefined;
        const code = c ? `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : 'a format character';
        return `${field} must not contain invisible format characters (found ${code}, e.g. a zero-width space)`;
      },
    },
  });

/** Text with at least one visible character (not only spaces, tabs or line breaks). */
export const notBlank = (field: string) => Matches(/\S/, { message: `${field} must not be blank` });

/** A unit id as used on the radio (`E38`, `AM28`, `KM01`): letters, digits, `_` and `-`, 1 to 40 long. */
export const UNIT_ID = /^[A-Za-z0-9_-]{1,40}$/;
/** A world: `live`, or a drill run id (`drill-<day>-<policy>-s<seed>-<base36 time>`). */
export const WORLD_ID = /^(live|drill-[A-Za-z0-9-]{1,74})$/;
/** `field` must name a world (`live` or a drill run id). */
export const isWorld = (field: string) => Matches(WORLD_ID, { message: `${field} must be live or a drill run id such as drill-2024-07-04-nearest-s1-m9x2k` });

/** class-validator rule for a unit id (or, with `each`, a list of them), naming the field. */
export const isUnitId = (field: string, each = false) => Matches(UNIT_ID, { each, message: `${field} must be ${each ? 'unit ids' : 'a unit id'} such as E38` });

/**
 * Path-parameter pipe for ids that are UUIDs: a malformed one answers 400 naming the parameter
 * (`id: must be a UUID (an incident id)`) instead of Nest's generic message.
 */
export const uuidParam = (what: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`id: must be a UUID (${what})`) });

/**
 * class-validator rule for a WGS84 coordinate (`lat` in -90..90 or `lon` in -180..180 degrees), with
 * one message naming the field: `is required`, `must be a number (WGS84 degrees)`, or the range with
 * a hint that lat and lon may be swapped. Declare it last on the property (checked first); with
 * `@IsOptional()` an absent value passes.
 * @param field `lat` or `lon` (the JSON field name)
 */
export const wgs84 = (field: 'lat' | 'lon') => {
  const max = field === 'lat' ? 90 : 180;
  return ValidateBy({
    name: 'wgs84',
    validator: {
      validate: (v: unknown) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= max,
      defaultMessage: (a?: ValidationArguments) =>
        requiredOr(field, a, (v) =>
          typeof v !== 'number' || !Number.isFinite(v)
            ? `${field} must be a number (WGS84 degrees)`
            : `${field} must be a ${field === 'lat' ? 'latitude' : 'longitude'} in WGS84 degrees (-${max}..${max}); check that lat and lon are not swapped`,
        ),
    },
  });
};

/**
 * class-validator rule for a calendar day `YYYY-MM-DD` that exists (`2017-13-45` does not).
 * @param field the JSON field name, for the message
 */
export const calendarDay = (field: string) =>
  ValidateBy({
    name: 'calendarDay',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
      defaultMessage: (a?: ValidationArguments) => requiredOr(field, a, (v) => `${field} must be a calendar day YYYY-MM-DD (got ${String(v).slice(0, 40)})`),
    },
  });
