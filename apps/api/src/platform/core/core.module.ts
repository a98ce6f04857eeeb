import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource } from '@cad/db';
import { AppConfig } from '../../config/config';
import type { ProcessRole } from '../logging/logger';

/** Token of the process's role (`api`, `worker`, `drill`, ...): a {@link ProcessRole}. */
export const PROCESS_ROLE = 'cad:process-role';

/** Closes the record's connection pool on shutdown. */
@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/**
 * The core every room uses, and the only global module of the application besides the cross-cutting
 * ones (logging, the throttler, the guards): the validated configuration (`AppConfig`), the process
 * role (`PROCESS_ROLE`), the record (TypeORM `DataSource`, closed on shutdown) and the token signer
 * (`JwtService`). Everything else is imported from the room that owns it.
 */
@Module({})
export class CoreModule {
  /**
   * @param config the configuration, DATABASE_URL and REDIS_URL already resolved, the schema migrated
   * @param role what this process is (its logs and its outage heartbeats name it)
   */
  static register(config: AppConfig, role: ProcessRole): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: PROCESS_ROLE, useValue: role },
        { provide: DataSource, useFactory: () => createDataSource(config.DATABASE_URL!).initialize() },
        DataSourceCloser,
        {
          // The token signing secret: JWT_SECRET, else a random one kept in the record so every API and worker process shares it.
          provide: JwtService,
          inject: [DataSource],
          useFactory: async (ds: DataSource) => {
            let secret = config.JWT_SECRET;
            if (!secret) {
              await ds.query(`INSERT INTO app_setting (key, value) VALUES ('jwt_secret', $1) ON CONFLICT (key) DO NOTHING`, [randomBytes(48).toString('base64url')]);
              [{ value: secret }] = await ds.query(`SELECT value FROM app_setting WHERE key = 'jwt_secret'`);
            }
            // A KeyObject, not the string: given a string, jsonwebtoken tries (and fails) to parse it as a
            // public key on every verify, a thrown error per request that was 7% of the API's CPU under load (issue 19).
            return new JwtService({ secret: createSecretKey(Buffer.from(secret!)), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } });
          },
        },
      ],
      exports: [AppConfig, PROCESS_ROLE, DataSource, JwtService],
    };
  }
}
