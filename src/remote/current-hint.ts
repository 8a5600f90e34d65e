import { redisConnection } from '../ingest/bullmq-queue.ts';
import type { ObjectStore } from './object-store.ts';
import type { CurrentAnnouncer } from './publish-build.ts';

/**
 * A hint on Redis pub/sub that CURRENT moved, so replicas fetch a new build at
 * once instead of at their next poll. Only a hint: a missed message (a replica
 * reconnecting, Redis down) costs one poll interval, never a build, because the
 * store's CURRENT stays the truth and replicas keep polling it.
 */
export function currentChannel(queuePrefix: string, store: ObjectStore): string {
  return `${queuePrefix}:current:${store.url}`;
}

export interface CurrentHint extends CurrentAnnouncer {
  /** Calls `onHint` with the build id each time a publisher announces one. */
  subscribe(onHint: (buildId: string) => void): Promise<void>;
  close(): Promise<void>;
}

export function redisCurrentHint(redisUrl: string, queuePrefix: string, store: ObjectStore): CurrentHint {
  const channel = currentChannel(queuePrefix, store);
  // A subscribed connection can do nothing else, so publishing and subscribing get one each, made on first use.
  let publisher: ReturnType<typeof redisConnection> | null = null;
  let subscriber: ReturnType<typeof redisConnection> | null = null;
  return {
    async announce(buildId) {
      publisher ??= redisConnection(redisUrl);
      await publisher.publish(channel, buildId);
    },
    async subscribe(onHint) {
      subscriber ??= redisConnection(redisUrl);
      subscriber.on('message', (from: string, message: string) => {
        if (from === channel) onHint(message);
      });
      await subscriber.subscribe(channel);
    },
    async close() {
      await Promise.all([publisher?.quit(), subscriber?.quit()].map((p) => p?.catch(() => {})));
    },
  };
}
