import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import IORedis from 'ioredis';

/**
 * socket.io on the Redis adapter, so a message one API process broadcasts (live AVL) reaches consoles
 * connected to every other API process. Sequenced events do not use it: every API process relays the
 * event log itself to its own clients (`server.local`), so each event reaches each console once.
 * Pub/sub channels are prefixed with `REDIS_PREFIX`, so test runs and deployments do not mix.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly pub: IORedis;
  private readonly sub: IORedis;

  /**
   * @param redisUrl the Redis the queues use
   * @param prefix key prefix (`REDIS_PREFIX`)
   */
  constructor(
    app: INestApplicationContext,
    redisUrl: string,
    private readonly prefix: string,
  ) {
    super(app);
    this.pub = new IORedis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.sub = this.pub.duplicate();
    // Outages are reported by the queues; these clients just reconnect.
    for (const c of [this.pub, this.sub]) c.on('error', () => undefined);
  }

  override createIOServer(port: number, options?: Parameters<IoAdapter['createIOServer']>[1]): ReturnType<IoAdapter['createIOServer']> {
    const server = super.createIOServer(port, options);
    server.adapter(createAdapter(this.pub, this.sub, { key: `${this.prefix}:socket.io` }));
    return server;
  }

  override async close(server: Parameters<IoAdapter['close']>[0]): Promise<void> {
    await super.close(server);
    await Promise.all([this.pub.quit().catch(() => undefined), this.sub.quit().catch(() => undefined)]);
  }
}
