import { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import IORedis from 'ioredis';

/** What a throttler storage answers for one hit (the throttler's own record type). */
type StorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Rate-limit counters shared by every API node: kept in Redis (`@nest-lab/throttler-storage-redis`,
 * one atomic Lua script per hit) under `<REDIS_PREFIX>:throttle:`, so two nodes together allow what one
 * would. While Redis does not answer, each node counts in its own memory instead (the limits then
 * hold per node), so that an outage of Redis never refuses sign-ins or calls for service by itself.
 */
export class ClusterThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly redis: IORedis;
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();

  /**
   * @param redisUrl the Redis the queues use
   * @param prefix key prefix (`REDIS_PREFIX`)
   */
  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    // No offline queue: while disconnected a hit fails at once and is counted locally.
    this.redis = new IORedis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.redis.on('error', () => undefined);
    this.shared = new ThrottlerStorageRedisService(this.redis);
  }

  /** Counts one hit of `key` for throttler `name` (ttl and block in ms, as the throttler passes them). */
  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<StorageRecord> {
    if (this.redis.status === 'ready') {
      try {
        return await this.shared.increment(`${this.prefix}:throttle:${key}`, ttl, limit, blockDuration, name);
      } catch {
        // Redis went away mid-call: count this hit locally.
      }
    }
    return this.local.increment(key, ttl, limit, blockDuration, name);
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
    this.redis.disconnect();
  }
}
