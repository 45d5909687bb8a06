/** Lifecycle of the Redis connection (R5–R10); anything but `ready` means degraded mode. */
export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closed' | 'failed';
