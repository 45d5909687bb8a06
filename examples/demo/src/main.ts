// The README's main job: cache "LLM" answers with the @cache layers, first in memory, then on a
// secure redis-server that the demo starts itself (skipped with a note when redis-server is missing).
import { memoryDemo } from './memory-demo.js';
import { redisDemo } from './redis-demo.js';

await memoryDemo();
await redisDemo();
