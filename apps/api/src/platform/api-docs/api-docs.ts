import { INestApplication } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ResponsesObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- class-transformer ships no typings for its metadata storage, which nested DTOs (@Type) need
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: never };
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { defaultConverters } from 'class-validator-jsonschema/build/defaultConverters';
import { IS_PUBLIC } from '../../auth/principal';
import { ControllerRoute, controllerRoutes } from './routes';

/** Where the UI and the OpenAPI document are served. */
export const API_DOCS_PATH = 'api/docs';
export const API_DOCS_JSON_PATH = 'api/docs-json';

/** Routes behind a rate limit (the throttlers of `app.module.ts`): they may answer `429`. */
const THROTTLED = new Set(['post /api/auth/sign-in', 'post /api/calls', 'post /api/units/:id/position']);

/** The error body every error answer has (the domain exception filter's and Nest's). */
const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['statusCode', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    code: { type: 'string', description: 'domain error code, when a domain rule refused' },
    error: { type: 'string' },
    message: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'what is wrong, naming the field or the state' },
  },
};

/**
 * The error answers a route can give, from what it is: `400` (bad input naming the field) for routes with
 * a body, query or path parameter; `401`/`403` unless public; `404` with a path parameter; `409` for
 * changes; `415` with a body; `429` when rate-limited; `503` (PostgreSQL or Redis unavailable, with
 * `Retry-After`) for every route but liveness.
 */
export function errorAnswers(r: ControllerRoute, isPublic: boolean): ResponsesObject {
  const ref = { $ref: '#/components/schemas/ErrorBody' };
  const answer = (description: string) => ({ description, content: { 'application/json': { schema: ref } } });
  const hasParams = r.path.includes('/:');
  const out: ResponsesObject = {};
  if (r.body || r.query || hasParams) out['400'] = answer('bad input: the message names the field and the rule it breaks');
  if (!isPublic) {
    out['401'] = answer('no sign-in token, or a token expired or rejected');
    out['403'] = answer("the signed-in post may not do this (outside its jurisdiction, an observer's change, or another role's route)");
  } else if (r.path === '/api/auth/sign-in') out['401'] = answer('username or password is wrong');
  if (hasParams) out['404'] = answer('no such record: the message names the id');
  if (r.method !== 'get' && !isPublic) out['409'] = answer('conflicts with the current state (the message names it: a status, the unit holding a task, ...)');
  if (r.body) out['415'] = answer('the body is not JSON (Content-Type: application/json)');
  if (THROTTLED.has(`${r.method} ${r.path}`)) out['429'] = answer('too many requests from this address (or account): wait and retry');
  if (r.path !== '/api/health/live') out['503'] = answer('PostgreSQL or Redis is unavailable (Retry-After given); nothing was changed');
  return out;
}

/**
 * Builds the OpenAPI 3 document of every controller route: paths and parameters from Nest's metadata
 * (`@nestjs/swagger`), request bodies and query parameters from the DTOs' class-validator rules
 * (`class-validator-jsonschema`, so the docs say what validation enforces), the bearer scheme on every
 * route not marked public, and the error answers of {@link errorAnswers}.
 */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('City CAD API')
      .setDescription('Emergency command and dispatch: calls for service, incidents, units, the command chain, drills. Sign in with POST /api/auth/sign-in and send the token as a bearer.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
    { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` },
  );
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: {
      // The project's own rules (`common/validation.ts`) say their range too.
      [ValidationTypes.CUSTOM_VALIDATION]: (meta, options) => {
        const rule = getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls)[0]?.name;
        if (rule === 'wgs84') {
          const max = /lon/i.test(meta.propertyName) ? 180 : 90;
          return { type: 'number', minimum: -max, maximum: max, description: 'WGS84 degrees' };
        }
        const fallback = defaultConverters[ValidationTypes.CUSTOM_VALIDATION];
        return typeof fallback === 'function' ? fallback(meta, options) : {};
      },
    },
  }) as Record<string, SchemaObject>;
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...schemas, ErrorBody: ERROR_SCHEMA } };
  const reflector = new Reflector();
  for (const r of controllerRoutes(app.get(ModulesContainer), 'api')) {
    // Routes excluded from the global prefix (the public alert page and feeds) are documented without it.
    const key = r.path.replace(/:(\w+)/g, '{$1}');
    const op = ((doc.paths[key] ?? doc.paths[key.replace(/^\/api\//, '/')]) as Record<string, OperationObject> | undefined)?.[r.method];
    if (!op) continue;
    const isPublic = !!reflector.getAllAndOverride<boolean>(IS_PUBLIC, [r.controller.prototype[r.handler as never], r.controller]);
    op.security = isPublic ? [] : [{ bearer: [] }];
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${r.body.name}` } } } };
    if (r.query) {
      const s = schemas[r.query.name] ?? {};
      const named = ((op.parameters ?? []) as ParameterObject[]).filter((p) => p.in !== 'query' || (p.name && !s.properties?.[p.name]));
      op.parameters = [
        ...named,
        ...Object.entries(s.properties ?? {}).map(([name, schema]) => ({ name, in: 'query' as const, required: s.required?.includes(name) ?? false, schema: schema as SchemaObject })),
      ];
    }
    op.responses = { ...op.responses, ...errorAnswers(r, isPublic) };
  }
  return doc;
}

/** Serves the Swagger UI at `/api/docs` and the document at `/api/docs-json` (public: the API's shape, no data). */
export function serveApiDocs(app: INestApplication): void {
  SwaggerModule.setup(API_DOCS_PATH, app, () => buildApiDocument(app), {
    jsonDocumentUrl: API_DOCS_JSON_PATH,
    useGlobalPrefix: false,
    customSiteTitle: 'City CAD API',
    // Sections in alphabetical order (Calls, Incidents, Units…), not in the order the modules load.
    swaggerOptions: { tagsSorter: 'alpha', operationsSorter: 'alpha' },
  });
}
