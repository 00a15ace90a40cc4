import { Redis } from 'ioredis';

/**
 * The command line of a benchmark: `--flag value` pairs and the `switches`, which take no value; an unknown flag
 * is refused. `--env KEY=VALUE,…` gives settings for the apps, each key matching `keys`.
 */
export function parseFlags(
  argv: readonly string[],
  known: readonly string[],
  switches: readonly string[] = [],
) {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (switches.includes(arg)) {
      flags.set(arg, 'true');
      continue;
    }
    if (!known.includes(arg)) throw new Error(`unknown flag ${arg}`);
    if (argv[i + 1] === undefined) throw new Error(`${arg} needs a value`);
    flags.set(arg, argv[++i]);
  }
  return {
    has: (flag: string) => flags.has(flag),
    get: (flag: string) => flags.get(flag),
    int(flag: string, fallback: number, min = 0): number {
      const n = Number(flags.get(flag) ?? fallback);
      if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}`);
      return n;
    },
    env(keys = /^[A-Z][A-Z0-9_]*$/): Record<string, string> {
      const env: Record<string, string> = {};
      for (const pair of (flags.get('--env') ?? '').split(',').filter(Boolean)) {
        const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair.trim());
        if (!match || !keys.test(match[1]))
          throw new Error(`--env: ${pair} is not KEY=VALUE with KEY ${keys}`);
        env[match[1]] = match[2];
      }
      return env;
    },
  };
}

/** Removes a benchmark's keys from its Redis db (a run that died leaves jobs behind). */
export async function clearRedis(url: string, prefixes: readonly string[]): Promise<void> {
  const redis = new Redis(url);
  try {
    for (const prefix of prefixes) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** POSTs JSON to the api and returns the answer's body; any status ≥ 300 throws. */
export async function postJson<T>(url: string, path: string, body: object, token?: string): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
