import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  aptCommands,
  doctorEnvironment,
  planSetup,
  requiredPackages,
  type MachineFacts,
} from "../scripts/test-setup-plan.ts";

/** The decisions of npm test's set-up (scripts/test-setup.ts), from the facts it gathers about the machine. */
const root = path.resolve(import.meta.dirname, "..");
const allBinaries = requiredPackages({}).flatMap((p) => p.binaries);
const pgStart = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start"];
const redisStart = ["/usr/bin/redis-server", "--daemonize", "yes"];

function facts(overrides: Partial<MachineFacts> = {}): MachineFacts {
  return {
    isRoot: true,
    present: new Set(allBinaries),
    postgres: { up: true, loopback: true, startCommand: pgStart, address: "127.0.0.1:5432" },
    redis: { up: true, loopback: true, startCommand: redisStart, address: "127.0.0.1:6379" },
    ...overrides,
  };
}

describe("npm test's set-up plan", () => {
  it("does nothing on a machine that has everything running", () => {
    expect(planSetup(facts(), {})).toEqual({ actions: [], problems: [] });
  });

  it("starts an installed but stopped Postgres and Redis", () => {
    const plan = planSetup(
      facts({
        postgres: { up: false, loopback: true, startCommand: pgStart, address: "127.0.0.1:5432" },
        redis: { up: false, loopback: true, startCommand: redisStart, address: "127.0.0.1:6379" },
      }),
      {},
    );
    expect(plan.problems).toEqual([]);
    expect(plan.actions).toEqual([
      { kind: "start", service: "postgres", command: pgStart },
      { kind: "start", service: "redis", command: redisStart },
    ]);
  });

  it("says how to install a server that is not installed, and how to start Postgres without root", () => {
    const plan = planSetup(
      facts({
        isRoot: false,
        postgres: { up: false, loopback: true, startCommand: pgStart, address: "127.0.0.1:5432" },
        redis: { up: false, loopback: true, startCommand: undefined, address: "127.0.0.1:6379" },
      }),
      {},
    );
    expect(plan.actions).toEqual([]);
    expect(plan.problems).toEqual([
      `postgres is installed but stopped; start it with \`sudo ${pgStart.join(" ")}\``,
      "redis does not answer at 127.0.0.1:6379 and is not installed; install it with `sudo apt-get install -y redis-server`",
    ]);
  });

  it("never tries to start a server behind a remote TEST_POSTGRES_URL", () => {
    const plan = planSetup(
      facts({ postgres: { up: false, loopback: false, startCommand: pgStart, address: "db.example:5432" } }),
      {},
    );
    expect(plan.actions).toEqual([]);
    expect(plan.problems[0]).toMatch(/^postgres does not answer at db\.example:5432, and that address is not/);
  });

  it("installs the missing packages from Debian as root, prometheus without its recommends", () => {
    const present = new Set(allBinaries.filter((b) => !/chromium|promtool/.test(b)));
    const plan = planSetup(facts({ present }), {});
    expect(plan.problems).toEqual([]);
    expect(plan.actions).toEqual([
      {
        kind: "install",
        packages: ["chromium", "prometheus"],
        commands: [
          ["apt-get", "update", "-qq"],
          ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "chromium"],
          [
            "env",
            "DEBIAN_FRONTEND=noninteractive",
            "apt-get",
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "prometheus",
          ],
        ],
      },
    ]);
  });

  it("prints the exact install command and fails when not root", () => {
    const present = new Set(allBinaries.filter((b) => !b.endsWith("nginx")));
    const plan = planSetup(facts({ isRoot: false, present }), {});
    expect(plan.actions).toEqual([]);
    expect(plan.problems).toEqual([
      "missing nginx (the reverse-proxy tests); install with " +
        "`sudo apt-get update -qq && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx`",
    ]);
  });

  it("looks for the binaries where the suites' variables say they are", () => {
    const env = { NGINX_BINARY: "/opt/nginx/sbin/nginx", CHROMIUM_PATH: "/opt/chrome/chrome" };
    const present = new Set([...allBinaries, "/opt/chrome/chrome"]);
    const plan = planSetup(facts({ present }), env);
    expect(plan.actions).toEqual([
      { kind: "install", packages: ["nginx"], commands: aptCommands(requiredPackages(env).slice(1, 2)) },
    ]);
  });
});

describe("the doctor's environment", () => {
  it("gives every variable the production compose file requires a generated value, and leaves the rest alone", async () => {
    const [example, prod] = await Promise.all([
      readFile(path.join(root, ".env.example"), "utf8"),
      readFile(path.join(root, "docker-compose.prod.yml"), "utf8"),
    ]);
    let n = 0;
    const result = doctorEnvironment(example, prod, () => `generated-${(n += 1)}`);
    const uncommented = prod
      .split("\n")
      .filter((line) => !line.trimStart().startsWith("#"))
      .join("\n");
    const required = [...uncommented.matchAll(/\$\{([A-Z_][A-Z0-9_]*):\?/g)].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    for (const name of required) expect(result).toMatch(new RegExp(`^${name}=generated-\\d+$`, "m"));
    // Every other line is .env.example's own.
    const changed = example.split("\n").filter((line, i) => line !== result.split("\n")[i]);
    expect(changed.every((line) => required.some((name) => line.startsWith(`${name}=`)))).toBe(true);
  });

  it("ignores requirements in comments", () => {
    const prod = "services:\n  # ${COMMENTED:?no}\n  a: ${REAL:?set it}\n";
    expect(doctorEnvironment("COMMENTED=x\nREAL=\nOTHER=y", prod, () => "s")).toBe("COMMENTED=x\nREAL=s\nOTHER=y");
  });
});
