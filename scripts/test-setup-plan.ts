/**
 * What `npm test` must do to the machine before the suites run, decided from what is there (scripts/test-setup.ts
 * gathers the facts and carries the plan out). Kept free of I/O so that every branch is a unit test
 * (test/test-setup.test.ts).
 */

/** A Debian package a suite needs, the file whose presence says it is installed, and who needs it. */
export interface RequiredPackage {
  name: string;
  binaries: string[];
  neededBy: string;
  /** Installed with --no-install-recommends (prometheus would otherwise pull in exporters we never run). */
  noRecommends?: boolean;
}

/**
 * The binaries come from the same variables the suites read (apps/api/test/nginx-harness.ts, apps/api/e2e/browser.ts,
 * deploy-prometheus.int.test.ts), so a binary installed elsewhere and named there counts as present.
 */
export function requiredPackages(env: Record<string, string | undefined>): RequiredPackage[] {
  return [
    { name: "chromium", binaries: [env.CHROMIUM_PATH ?? "/usr/bin/chromium"], neededBy: "the browser suite (e2e)" },
    { name: "nginx", binaries: [env.NGINX_BINARY ?? "/usr/sbin/nginx"], neededBy: "the reverse-proxy tests" },
    {
      name: "prometheus",
      binaries: [env.PROMETHEUS_BINARY ?? "/usr/bin/prometheus", env.PROMTOOL_BINARY ?? "/usr/bin/promtool"],
      neededBy: "the Prometheus test",
      noRecommends: true,
    },
    { name: "openssl", binaries: ["/usr/bin/openssl"], neededBy: "the TLS tests (self-signed certificates)" },
  ];
}

/** A loopback service the integration tests talk to. */
export interface ServiceFacts {
  /** Answers on its address now. */
  up: boolean;
  /** The address is on this machine (a remote TEST_POSTGRES_URL is never ours to start). */
  loopback: boolean;
  /** The command that starts the installed server, or undefined when it is not installed. */
  startCommand: string[] | undefined;
}

export interface MachineFacts {
  isRoot: boolean;
  /** Every path that exists among the binaries of requiredPackages(). */
  present: ReadonlySet<string>;
  postgres: ServiceFacts & { address: string };
  redis: ServiceFacts & { address: string };
}

export type Action =
  | { kind: "start"; service: "postgres" | "redis"; command: string[] }
  | { kind: "install"; packages: string[]; commands: string[][] };

export interface SetupPlan {
  actions: Action[];
  /** What the set-up cannot do itself, each with the exact command to run; non-empty fails the run before it starts. */
  problems: string[];
}

const APT_ENV = ["env", "DEBIAN_FRONTEND=noninteractive"];

/** The apt-get commands that install these packages: one update, then one install per recommends policy. */
export function aptCommands(packages: RequiredPackage[]): string[][] {
  if (packages.length === 0) return [];
  const commands: string[][] = [["apt-get", "update", "-qq"]];
  const withRecommends = packages.filter((p) => !p.noRecommends).map((p) => p.name);
  const without = packages.filter((p) => p.noRecommends).map((p) => p.name);
  if (withRecommends.length > 0) commands.push([...APT_ENV, "apt-get", "install", "-y", "-qq", ...withRecommends]);
  if (without.length > 0)
    commands.push([...APT_ENV, "apt-get", "install", "-y", "-qq", "--no-install-recommends", ...without]);
  return commands;
}

/** A command as a person would type it, with sudo in front (the set-up runs them itself only as root). */
export function asSudoLine(commands: string[][]): string {
  return commands.map((command) => ["sudo", ...command].join(" ")).join(" && ");
}

function planService(
  name: "postgres" | "redis",
  facts: ServiceFacts & { address: string },
  installHint: string,
  isRoot: boolean,
): { action?: Action; problem?: string } {
  if (facts.up) return {};
  if (!facts.loopback)
    return { problem: `${name} does not answer at ${facts.address}, and that address is not this machine's to start` };
  if (!facts.startCommand)
    return {
      problem:
        `${name} does not answer at ${facts.address} and is not installed; install it with ` +
        `\`${installHint}\`${name === "postgres" ? POSTGRES_AUTH_HINT : ""}`,
    };
  // Starting a server as another user works only when we are root (pg_ctlcluster switches to postgres) or own it.
  if (name === "postgres" && !isRoot)
    return { problem: `postgres is installed but stopped; start it with \`sudo ${facts.startCommand.join(" ")}\`` };
  return { action: { kind: "start", service: name, command: facts.startCommand } };
}

const POSTGRES_AUTH_HINT =
  " and let user postgres in without a password from 127.0.0.1 (pg_hba.conf: `host all all 127.0.0.1/32 trust`), " +
  "or point TEST_POSTGRES_URL at a server that does";

export function planSetup(facts: MachineFacts, env: Record<string, string | undefined>): SetupPlan {
  const actions: Action[] = [];
  const problems: string[] = [];
  for (const [name, service, hint] of [
    ["postgres", facts.postgres, "sudo apt-get install -y postgresql"],
    ["redis", facts.redis, "sudo apt-get install -y redis-server"],
  ] as const) {
    const { action, problem } = planService(name, service, hint, facts.isRoot);
    if (action) actions.push(action);
    if (problem) problems.push(problem);
  }

  const missing = requiredPackages(env).filter((p) => p.binaries.some((binary) => !facts.present.has(binary)));
  if (missing.length > 0) {
    const commands = aptCommands(missing);
    if (facts.isRoot) actions.push({ kind: "install", packages: missing.map((p) => p.name), commands });
    else
      problems.push(
        `missing ${missing.map((p) => `${p.name} (${p.neededBy})`).join(", ")}; install with \`${asSudoLine(commands)}\``,
      );
  }
  return { actions, problems };
}

/**
 * The .env an admin would write for the compose files: .env.example with a generated value for every variable that
 * docker-compose.prod.yml requires (`${NAME:?…}`), so the doctor fails only on what is really wrong.
 */
export function doctorEnvironment(envExample: string, prodCompose: string, secret: () => string): string {
  const required = new Set<string>();
  for (const line of prodCompose.split("\n")) {
    if (line.trimStart().startsWith("#")) continue;
    for (const match of line.matchAll(/\$\{([A-Z_][A-Z0-9_]*):\?/g)) required.add(match[1]!);
  }
  // Only the variables .env.example lists get a value: one it forgot is a gap the doctor must report.
  return envExample
    .split("\n")
    .map((line) => {
      const name = /^([A-Z_][A-Z0-9_]*)=/.exec(line)?.[1];
      return name && required.has(name) ? `${name}=${secret()}` : line;
    })
    .join("\n");
}
