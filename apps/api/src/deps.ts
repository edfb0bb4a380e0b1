import type pg from "pg";
import type { Cache } from "./cache/cache.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";

/** What every service receives: the frozen config and the shared clients. Nothing else reaches the environment. */
export interface AppDeps {
  config: Config;
  db: pg.Pool;
  cache: Cache;
  log: Logger;
  /** The current time; injected so tests can move it. */
  now: () => Date;
}
