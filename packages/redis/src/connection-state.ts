/** Lifecycle of the Redis connection; anything but `ready` means degraded mode. */
export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closed' | 'failed';
