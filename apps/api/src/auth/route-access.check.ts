import { Injectable, type OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Role } from '@bousai/domain';
import { IS_PUBLIC_KEY, RESIDENT_KEY, ROLES_KEY } from './access.decorators';

export interface RouteAccess {
  controller: string;
  handler: string;
  method: string;
  path: string;
  access: { public: boolean; role?: Role; resident: boolean };
}

const PATH_METADATA = 'path';
const METHOD_METADATA = 'method';

/** Lists every HTTP route with its declared access rule. */
@Injectable()
export class RouteAccessCatalog {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): RouteAccess[] {
    const out: RouteAccess[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.metatype) continue;
      const cls = wrapper.metatype;
      const prefix = (Reflect.getMetadata(PATH_METADATA, cls) as string | string[] | undefined) ?? '';
      const proto = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const handler = (proto as Record<string, unknown>)[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (path === undefined) continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const targets = [handler as () => void, cls];
        out.push({
          controller: cls.name,
          handler: name,
          method: RequestMethod[method],
          path: `/${[prefix, path].flat().join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1'),
          access: {
            public: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) ?? false,
            role: this.reflector.getAllAndOverride<Role | undefined>(ROLES_KEY, targets),
            resident: this.reflector.getAllAndOverride<boolean>(RESIDENT_KEY, targets) ?? false,
          },
        });
      }
    }
    return out;
  }
}

/** Refuses to boot when a route declares neither `@Roles(...)`, `@ResidentAccess()` nor `@Public()`. */
@Injectable()
export class RouteAccessCheck implements OnApplicationBootstrap {
  constructor(private readonly catalog: RouteAccessCatalog) {}

  onApplicationBootstrap(): void {
    const undeclared = this.catalog
      .routes()
      .filter((r) => !r.access.public && !r.access.role && !r.access.resident);
    if (undeclared.length) {
      throw new Error(
        'Routes without an access rule (@Roles, @ResidentAccess or @Public):\n' +
          undeclared.map((r) => `  ${r.method} ${r.path} (${r.controller}.${r.handler})`).join('\n'),
      );
    }
  }
}
