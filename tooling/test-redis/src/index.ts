export { generateTestCertificates, type TlsMaterial } from './certificates.js';
export { freePort } from './free-port.js';
export { startRedis, type RedisAclUser, type RedisTestServer, type StartRedisOptions } from './redis-server.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export { startRedisCluster, type RedisTestCluster } from './redis-cluster.js';
export {
  startRedisSentinelSet,
  type RedisAddress,
  type RedisSentinelSet,
  type StartRedisSentinelSetOptions,
} from './redis-sentinel.js';
export { TestFixture, recordingLogger, testEnv, uniquePrefix, until, type Disconnectable, type RecordingLogger } from './test-fixture.js';
