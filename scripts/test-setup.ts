/**
 * The set-up `npm test` runs before the suites (package.json "test"): start the loopback PostgreSQL and Redis when they
 * are installed but stopped, install the Debian packages the suites drive (chromium, nginx, prometheus, openssl) when
 * they are missing and we are root (otherwise print the exact command and fail), and run `npm run doctor` against both
 * compose files. When everything is there it only probes, so a warm run adds about two seconds (the doctor's).
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { planSetup, requiredPackages, doctorEnvironment, type MachineFacts } from "./test-setup-plan.ts";

const root = path.resolve(import.meta.dirname, "..");
const env = process.env;
const postgresUrl = new URL(env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
const redisUrl = new URL(env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379");

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || host.startsWith("127.");
}

function endpoint(url: URL, defaultPort: number): { host: string; port: number } {
  return { host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || defaultPort) };
}

/** Sends `probe` and resolves whether the reply passes `expect` (a bare TCP connect would pass a starting server). */
function answers(host: string, port: number, probe: Buffer, expect: (reply: Buffer) => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write(probe));
    socket.once("data", (reply) => done(expect(reply)));
  });
}

/** PostgreSQL answers an SSLRequest with one byte, S or N, once its postmaster accepts connections. */
function postgresUp(): Promise<boolean> {
  const { host, port } = endpoint(postgresUrl, 5432);
  const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
  return answers(host, port, sslRequest, (reply) => reply[0] === 0x53 || reply[0] === 0x4e);
}

/** Redis answers an inline PING with +PONG, or -NOAUTH when it wants a password (still up). */
function redisUp(): Promise<boolean> {
  const { host, port } = endpoint(redisUrl, 6379);
  return answers(host, port, Buffer.from("PING\r\n"), (reply) => /^(\+PONG|-NOAUTH)/.test(reply.toString()));
}

/** Debian's newest cluster, started through pg_ctlcluster (which works without systemd, as in containers). */
function postgresStartCommand(): string[] | undefined {
  if (!existsSync("/usr/bin/pg_ctlcluster") || !existsSync("/etc/postgresql")) return undefined;
  const versions = readdirSync("/etc/postgresql")
    .filter((v) => existsSync(path.join("/etc/postgresql", v, "main")))
    .sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  return newest ? ["pg_ctlcluster", "--skip-systemctl-redirect", newest, "main", "start"] : undefined;
}

function redisStartCommand(): string[] | undefined {
  const binary = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((b) => existsSync(b));
  const { port } = endpoint(redisUrl, 6379);
  // A throwaway cache for tests: nothing is persisted.
  return binary
    ? [binary, "--daemonize", "yes", "--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"]
    : undefined;
}

function run(command: string[]): void {
  console.log(`test set-up: ${command.join(" ")}`);
  const result = spawnSync(command[0]!, command.slice(1), { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error(`\`${command.join(" ")}\` failed (exit ${result.status ?? result.signal})`);
}

async function waitFor(name: string, probe: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    if (await probe()) return;
    await sleep(500);
  }
  throw new Error(`${name} was started but does not answer after 30 s`);
}

async function gatherFacts(): Promise<MachineFacts> {
  const binaries = requiredPackages(env).flatMap((p) => p.binaries);
  const [pgUp, rdUp] = await Promise.all([postgresUp(), redisUp()]);
  return {
    isRoot: process.getuid?.() === 0,
    present: new Set(binaries.filter((b) => existsSync(b))),
    postgres: {
      up: pgUp,
      loopback: isLoopback(postgresUrl.hostname),
      startCommand: postgresStartCommand(),
      address: postgresUrl.host,
    },
    redis: {
      up: rdUp,
      loopback: isLoopback(redisUrl.hostname),
      startCommand: redisStartCommand(),
      address: redisUrl.host,
    },
  };
}

/** `npm run doctor` against both compose files with the .env an admin would write (see doctorEnvironment). */
async function runDoctor(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "status-doctor-"));
  try {
    const envFile = path.join(dir, ".env");
    const [example, prod] = await Promise.all([
      readFile(path.join(root, ".env.example"), "utf8"),
      readFile(path.join(root, "docker-compose.prod.yml"), "utf8"),
    ]);
    await writeFile(
      envFile,
      doctorEnvironment(example, prod, () => randomBytes(32).toString("hex")),
      { mode: 0o600 },
    );
    const tsx = path.join(root, "apps/api/node_modules/.bin/tsx");
    const child = spawn(tsx, [path.join(root, "apps/api/src/doctor/doctor-cli.ts"), "--env", envFile], {
      cwd: root,
      stdio: "inherit",
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    if (code !== 0) throw new Error("npm run doctor found errors in the compose files (above)");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const plan = planSetup(await gatherFacts(), env);
  if (plan.problems.length > 0) {
    console.error("npm test cannot set up this machine by itself:");
    for (const problem of plan.problems) console.error(`  - ${problem}`);
    process.exit(1);
  }
  for (const action of plan.actions) {
    if (action.kind === "start") {
      run(action.command);
      await waitFor(action.service, action.service === "postgres" ? postgresUp : redisUp);
    } else {
      console.log(`test set-up: installing ${action.packages.join(", ")} from Debian's packages`);
      for (const command of action.commands) run(command);
    }
  }
  await runDoctor();
  console.log(`test set-up: ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
