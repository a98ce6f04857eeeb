import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';

/** One controller route as Nest maps it. */
export interface ControllerRoute {
  /** HTTP method in lower case (`get`, `post`...). */
  method: string;
  /** Full path with the global prefix and Express-style parameters (`/api/incidents/:id`). */
  path: string;
  controller: Type<unknown>;
  handler: string;
  /** The classes of its `@Body()` and `@Query()` parameters (DTOs), when the parameter takes the whole object. */
  body?: Type<unknown>;
  query?: Type<unknown>;
}

const join = (...parts: string[]) => '/' + parts.flatMap((p) => p.split('/')).filter(Boolean).join('/');

/**
 * Every route of every controller registered in the application, read from Nest's metadata (controller
 * path × method paths, as Nest's router maps them), with the DTO classes of its body and query.
 * @param prefix the global prefix (`api`)
 */
export function controllerRoutes(modules: ModulesContainer, prefix: string): ControllerRoute[] {
  const out: ControllerRoute[] = [];
  for (const mod of modules.values()) {
    for (const wrapper of mod.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller) continue;
      const base = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const proto = controller.prototype as Record<string, unknown>;
      for (const handler of Object.getOwnPropertyNames(proto)) {
        const fn = proto[handler];
        if (handler === 'constructor' || typeof fn !== 'function') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
        const verb = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (paths === undefined || verb === undefined) continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, { index: number; data?: unknown }>;
        const types = (Reflect.getMetadata('design:paramtypes', proto, handler) ?? []) as Type<unknown>[];
        const dto = (kind: RouteParamtypes) => {
          const arg = Object.entries(args).find(([k, v]) => k.startsWith(`${kind}:`) && v.data === undefined)?.[1];
          const t = arg ? types[arg.index] : undefined;
          return t && ![Object, String, Number, Boolean].includes(t as never) ? t : undefined;
        };
        for (const b of base) {
          for (const p of ([] as string[]).concat(paths)) {
            out.push({ method: RequestMethod[verb].toLowerCase(), path: join(prefix, b, p), controller, handler, body: dto(RouteParamtypes.BODY), query: dto(RouteParamtypes.QUERY) });
          }
        }
      }
    }
  }
  return out;
}
