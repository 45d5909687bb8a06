export { generateTestCertificates, type TlsMaterial } from './certificates.js';
export { freePort } from './free-port.js';
export { startRedis, type RedisAclUser, type RedisTestServer, type StartRedisOptions } from './redis-server.js';
