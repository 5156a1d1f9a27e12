// Discord ids: 64-bit snowflakes (ms since 2015-01-01 << 22 | worker | process | increment),
// as decimal strings. Real-looking ids matter: discord.js takes rate-limit major parameters
// from 17-19 digit ids in the path, and reads creation times back out of them.

export const DISCORD_EPOCH = 1420070400000n;

export interface SnowflakeSource {
  next(): string;
}

export function createSnowflakes(now: () => number, workerId = 1): SnowflakeSource {
  let increment = 0n;
  return {
    next() {
      const ms = BigInt(Math.floor(now())) - DISCORD_EPOCH;
      const id = (ms << 22n) | (BigInt(workerId & 0x1f) << 17n) | (increment & 0xfffn);
      increment++;
      return id.toString();
    },
  };
}

/** Milliseconds since the epoch at which a snowflake was made. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
