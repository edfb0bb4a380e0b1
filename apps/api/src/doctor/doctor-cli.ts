import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { shellVariables } from "../config.ts";
import { COMPOSE_FILES, REPO_ROOT } from "./compose-files.ts";
import { readEnvFile } from "./compose-environment.ts";
import { formatFindings, hasErrors, type Finding } from "./findings.ts";
import { checkLive } from "./live-checks.ts";
import { checkComposeSetup } from "./static-checks.ts";

const USAGE = `npm run doctor [-- options]

Before \`docker compose up\`: checks .env against what each compose file needs (missing, malformed and default
secrets; the API's and the worker's environments through the real config loader; the reverse proxy's certificate).
With --live, where the API runs (docker compose exec status-backend node --import tsx src/doctor/doctor-cli.ts --live):
checks every configured dependency with latency and version, and says what to fix.

  --env <file>        the .env to check (default: .env beside the compose files)
  --compose <file>    a compose file to check against (repeatable; default: both)
  --live              check the running dependencies with this process's environment instead
  --help`;

async function checkFiles(envFile: string, composeFiles: string[]): Promise<Finding[][]> {
  if (!existsSync(envFile)) {
    const message = `${envFile} does not exist`;
    const findings: Finding[] = [
      { severity: "error", subject: ".env", message, fix: "cp .env.example .env, then fill in the secrets" },
    ];
    console.log(formatFindings("STATUS doctor", findings));
    return [findings];
  }
  const fileEnv = await readEnvFile(envFile);
  // As with Compose, variables exported in the shell win over .env.
  const env = { ...fileEnv, ...shellVariables() };
  const results: Finding[][] = [];
  for (const file of composeFiles) {
    const findings = await checkComposeSetup({ file, env, fileEnv });
    console.log(formatFindings(`STATUS doctor: ${file} with ${envFile}`, findings));
    results.push(findings);
  }
  return results;
}

const { values } = parseArgs({
  options: {
    env: { type: "string" },
    compose: { type: "string", multiple: true },
    live: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
async function run(): Promise<Finding[][]> {
  if (!values.live) {
    const envFile = path.resolve(values.env ?? path.join(REPO_ROOT, ".env"));
    return checkFiles(envFile, values.compose ?? [...COMPOSE_FILES]);
  }
  const findings = await checkLive();
  console.log(formatFindings("STATUS doctor --live: the dependencies of this process's configuration", findings));
  return [findings];
}

try {
  process.exit((await run()).some(hasErrors) ? 1 : 0);
} catch (error) {
  // A check that could not run is a finding too, not a stack trace.
  console.log(formatFindings("STATUS doctor", [{ severity: "error", subject: "doctor", message: String(error) }]));
  process.exit(1);
}
