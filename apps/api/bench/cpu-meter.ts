import { readFile, writeFile } from "node:fs/promises";
import { Session } from "node:inspector";
import pg from "pg";

/**
 * CPU time spent by each side of a benchmark phase: this process, the Node-RED child and the Postgres backends of the
 * scratch database, read from /proc (Linux; elsewhere only this process is counted). Wall-clock rates swing with
 * whatever else the machine runs, CPU time per run much less, so the benchmarks print both. Also counts the
 * statements this process sends to Postgres (every pg client's query, pooled or in a transaction).
 */
export interface CpuSample {
  selfMs: number;
  nodeRedMs: number;
  postgresMs: number;
  statements: number;
}

const CLOCK_TICKS_PER_SECOND = 100;
let statementCount = 0;
let isCounting = false;

/** Counts every query of every pg client in this process from now on. */
export function countStatements(): void {
  if (isCounting) return;
  isCounting = true;
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    statementCount += 1;
    return original.apply(this, args);
  };
}

/** The statements counted so far (after `countStatements()`), also for a process that reports them to another. */
export function statementsSoFar(): number {
  return statementCount;
}

async function processCpuMs(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** A meter over one database: `sample()` now, `since(earlier)` for the CPU each side spent in between. */
export function createCpuMeter(db: pg.Pool, databaseName: string, nodeRedPid: () => number | undefined) {
  const backendCpu = new Map<number, number>();
  async function postgresMs(): Promise<number> {
    const { rows } = await db.query<{ pid: number }>("select pid from pg_stat_activity where datname = $1", [
      databaseName,
    ]);
    for (const { pid } of rows) backendCpu.set(pid, await processCpuMs(pid));
    // Backends that closed keep their last reading, so a connection closed mid-phase still counts what it spent.
    return [...backendCpu.values()].reduce((sum, ms) => sum + ms, 0);
  }
  return {
    async sample(): Promise<CpuSample> {
      const usage = process.cpuUsage();
      return {
        selfMs: (usage.user + usage.system) / 1000,
        nodeRedMs: await processCpuMs(nodeRedPid()),
        postgresMs: await postgresMs(),
        statements: statementCount,
      };
    },
    /** `count` things done between the two samples: the CPU and statements each cost, as a printable line. */
    perItem(from: CpuSample, to: CpuSample, count: number): string {
      const per = (key: keyof CpuSample) => (to[key] - from[key]) / count;
      return `${per("selfMs").toFixed(3)} ms this process, ${per("nodeRedMs").toFixed(3)} ms Node-RED, ${per("postgresMs").toFixed(3)} ms Postgres; ${per("statements").toFixed(2)} statements`;
    },
  };
}

/** Profiles this process's CPU until `stop()`, which writes the profile (DevTools' .cpuprofile format) to `file`. */
export async function startProfiler(file: string): Promise<{ stop: () => Promise<void> }> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string) =>
    new Promise<T>((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))),
    );
  await post("Profiler.enable");
  await post("Profiler.start");
  return {
    async stop() {
      const { profile } = await post<{ profile: object }>("Profiler.stop");
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
