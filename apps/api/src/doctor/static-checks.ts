import { ConfigError, INTEGRATION_VARIABLES, loadConfig, type Config } from "../config.ts";
import { checkStartup, type ProcessRole } from "../startup-checks.ts";
import { readRepoFile, REPO_ROOT } from "./compose-files.ts";
import { composeDefaults } from "./compose-interpolation.ts";
import {
  readComposeSetup,
  readEnvExample,
  serviceEnvironment,
  STATUS_SERVICES,
  type ComposeSetup,
} from "./compose-environment.ts";
import type { Finding } from "./findings.ts";
import { checkCertificates } from "./tls-checks.ts";

/** The integrations each process is wired to: a worker never calls Grafana, GitHub or the AI server. */
const WIRED: Record<ProcessRole, (keyof typeof INTEGRATION_VARIABLES)[]> = {
  api: ["database", "cache", "node-red", "grafana", "registry", "director", "metrics", "ai", "github", "oidc"],
  worker: ["database", "cache", "node-red", "registry", "director", "metrics"],
};

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY/;
const TRIVIAL_SECRETS = new Set(["changeme", "change-me", "password", "secret", "admin", "postgres", "example"]);
// Characters a value may have where the compose file puts it inside a connection URL unencoded.
const URL_SAFE = /^[A-Za-z0-9._~-]*$/;

/** What a service's environment gives the real config loader and start-up checks. */
function checkService(name: string, role: ProcessRole, environment: Record<string, string>): Finding[] {
  let config: Config;
  try {
    config = loadConfig(environment);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => ({ severity: "error", subject: name, message: issue }));
  }
  const report = checkStartup(config, role);
  const findings: Finding[] = [
    ...report.errors.map((message): Finding => ({ severity: "error", subject: name, message })),
    ...report.warnings.map((message): Finding => ({ severity: "warning", subject: name, message })),
  ];
  for (const integration of WIRED[role]) {
    for (const variable of INTEGRATION_VARIABLES[integration]) {
      if (variable in environment) continue;
      findings.push({
        severity: "error",
        subject: name,
        message: `the compose file passes no ${variable}: the ${integration} integration is not wired`,
        fix: `add ${variable} to the service's environment`,
      });
    }
  }
  if (report.errors.length === 0)
    findings.push({ severity: "ok", subject: name, message: `configuration valid (${config.env})` });
  return findings;
}

/** The compose variables that end up inside a connection URL (`scheme://…${NAME}…`), unencoded. */
function variablesInUrls(texts: string[]): Set<string> {
  const names = new Set<string>();
  for (const text of texts)
    for (const url of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s"']*/g))
      for (const reference of url[0].matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(reference[1]!);
  return names;
}

async function checkSecrets(setup: ComposeSetup, env: Record<string, string>, root: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const isProduction = serviceEnvironment(setup.document.services["status-backend"] ?? {}).NODE_ENV === "production";
  const developmentDefaults = composeDefaults(await readRepoFile("docker-compose.dev.yml", root));
  for (const name of variablesInUrls(setup.texts)) {
    const value = env[name];
    if (value && !URL_SAFE.test(value))
      findings.push({
        severity: "error",
        subject: name,
        message: "goes into a connection URL unencoded and has characters that break it",
        fix: "use letters, digits and . _ ~ - only (openssl rand -hex 32)",
      });
  }
  if (!isProduction) return findings;
  for (const [name, value] of Object.entries(env)) {
    if (!SECRET_NAME.test(name) || !value || !setup.referenced.has(name)) continue;
    const isDevelopmentDefault = [...developmentDefaults.values()].includes(value);
    if (isDevelopmentDefault || TRIVIAL_SECRETS.has(value.toLowerCase()))
      findings.push({
        severity: "error",
        subject: name,
        message: isDevelopmentDefault ? "is a development default of docker-compose.dev.yml" : "is a guessable value",
        fix: "openssl rand -hex 32",
      });
    else if (value.length < 16)
      findings.push({ severity: "warning", subject: name, message: `has ${value.length} characters; use at least 16` });
  }
  return findings;
}

/** Variables set in .env that nothing reads: usually a typo. */
async function checkUnknownVariables(env: Record<string, string>, root: string): Promise<Finding[]> {
  const documented = await readEnvExample(root);
  return Object.keys(env)
    .filter((name) => !(name in documented))
    .map((name) => ({
      severity: "warning",
      subject: name,
      message: "is set in .env but .env.example documents no such variable (a typo?)",
    }));
}

/**
 * Checks a .env against what one compose file needs, without starting anything: the variables Compose requires, the
 * environment of the API and of the worker through the real config loader and start-up checks, that every
 * integration's variables reach them, secrets that are development defaults or guessable, values that would break a
 * connection URL, and the reverse proxy's certificate.
 */
export async function checkComposeSetup(input: {
  file: string;
  /** What Compose interpolates with: the .env file, and the shell's variables over it. */
  env: Record<string, string>;
  /** The .env file's own variables (checked for typos); default `env`. */
  fileEnv?: Record<string, string>;
  root?: string;
}): Promise<Finding[]> {
  const root = input.root ?? REPO_ROOT;
  const setup = await readComposeSetup(input.file, input.env, root);
  // Compose's own message says what to set.
  const findings: Finding[] = setup.missing.map((item) => ({
    severity: "error",
    subject: item.name,
    message: `missing: ${item.message}`,
  }));
  for (const [name, role] of Object.entries(STATUS_SERVICES)) {
    const service = setup.document.services[name];
    if (service) findings.push(...checkService(name, role, serviceEnvironment(service)));
  }
  findings.push(...(await checkSecrets(setup, input.env, root)));
  if (setup.document.services["reverse-proxy"]) findings.push(...(await checkCertificates(input.env, root)));
  findings.push(...(await checkUnknownVariables(input.fileEnv ?? input.env, root)));
  return findings;
}
