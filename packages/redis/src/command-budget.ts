import type { Command, Redis, RedisOptions } from 'ioredis';

/** ioredis' own message for a command past its budget (what `classifyRedisError` reads as a timeout). */
const TIMED_OUT = 'Command timed out';
/** Settled entries at the front are compacted away once there are this many (and they are most of the queue). */
const COMPACT_FROM = 1024;

/** The budget each client enforced by {@link enforceCommandBudget} keeps, for its duplicates. */
const budgets = new WeakMap<Redis, number>();

/**
 * Makes every command of `client` (a single-node client the cache owns, built without ioredis'
 * `commandTimeout`) fail with ioredis' own `Command timed out` error when it is not answered
 * within `ms` of being sent; a late reply is then ignored, exactly as with `commandTimeout`. One
 * timer serves all commands in flight, where `commandTimeout` arms and clears a timer per command
 * (≈ 0.8 µs of CPU per 1 KB get at 1 000 in flight). Commands are watched in the order they are
 * sent, so their deadlines are in order: the timer waits for the oldest unsettled one, and settled
 * ones are dropped from the front as further commands are sent, so the watch list holds about the
 * commands in flight. The timer never keeps the process alive (a command in flight has an open
 * socket that does).
 */
export function enforceCommandBudget(client: Redis, ms: number): void {
  budgets.set(client, ms);
  const commands: Command[] = [];
  const deadlines: number[] = [];
  let head = 0;
  let timer: NodeJS.Timeout | null = null;

  /** Drops settled commands from the front and, from `now` on, rejects those past their deadline. */
  const sweep = (now: number): void => {
    while (head < commands.length) {
      const command = commands[head] as Command;
      if (!command.isSettled) {
        if ((deadlines[head] as number) > now) break;
        command.reject(new Error(TIMED_OUT));
      }
      commands[head] = undefined as unknown as Command;
      head++;
    }
    if (head === commands.length) {
      commands.length = 0;
      deadlines.length = 0;
      head = 0;
    } else if (head >= COMPACT_FROM && head * 2 >= commands.length) {
      commands.splice(0, head);
      deadlines.splice(0, head);
      head = 0;
    }
  };

  const arm = (now: number): void => {
    if (timer !== null || head === commands.length) return;
    timer = setTimeout(expire, Math.max(1, Math.ceil((deadlines[head] as number) - now)));
    timer.unref();
  };

  const expire = (): void => {
    timer = null;
    const now = performance.now();
    sweep(now);
    arm(now);
  };

  const send = client.sendCommand;
  client.sendCommand = function sendWithinBudget(this: Redis, command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    const result = send.call(this, command, stream);
    if (!command.isSettled) {
      const now = performance.now();
      sweep(-Infinity);
      commands.push(command);
      deadlines.push(now + ms);
      arm(now);
    }
    return result;
  };
}

/**
 * Options that give a duplicate of `client` (a subscriber connection) the budget `client` keeps
 * through {@link enforceCommandBudget}, as ioredis' own `commandTimeout`; nothing for other clients
 * (their duplicates inherit their options).
 */
export function budgetOptions(client: Redis): Partial<RedisOptions> {
  const ms = budgets.get(client);
  return ms === undefined ? {} : { commandTimeout: ms };
}
