import { existsSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  COMPOSE_BASE_FILE,
  COMPOSE_FILES,
  REPO_ROOT,
  readCompose,
  readRepoFile,
  serviceNetworks,
  type ComposeFile,
  type ComposeService,
  type ComposeSource,
} from "../deploy-files.ts";

/**
 * The compose files, checked without a Docker engine: against the Compose Specification's JSON schema (vendored, see
 * fixtures/deploy/compose-spec.SOURCE.md), against the architecture's network assignment, and against the rules of
 * issue 5 (health checks, restart policies, memory limits, named volumes, no default secrets in production).
 * Each file is checked as Compose runs it: with the services it extends from docker-compose.base.yml merged in.
 */

// The architecture's network assignment (seed 001): exactly these services on each network.
const NETWORKS: Record<string, string[]> = {
  web_network: ["status-frontend", "status-backend", "reverse-proxy", "nodered", "grafana"],
  db_network: ["status-backend", "postgres", "grafana", "dragonfly", "director", "registry", "mongo-registry"],
  nodered_network: ["status-backend", "nodered"],
};
// The services of seed 000, plus the API again as a scalable worker and Prometheus (issue 14). The reverse proxy
// exists in production only.
const PROD_SERVICES = [
  "director",
  "dragonfly",
  "grafana",
  "mongo-registry",
  "nodered",
  "postgres",
  "prometheus",
  "registry",
  "reverse-proxy",
  "status-backend",
  "status-frontend",
  "worker",
];
const DEV_SERVICES = PROD_SERVICES.filter((name) => name !== "reverse-proxy");
// Not in seed 001's table, so it stays exact: the worker (the API image again) joins a subset of the API's networks,
// Prometheus db_network only (where it reaches the API and the workers, and Grafana reaches it).
const EXTRA_SERVICES = new Set(["worker", "prometheus"]);

// Substitutes Compose variables the way `docker compose config` would with an .env that sets every required one.
function interpolate(text: string): string {
  return text.replace(
    /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}/g,
    (_all, name: string, operator: string | undefined, operand: string | undefined) => {
      if (operator?.endsWith("-")) return operand ?? "";
      return `value-of-${name.toLowerCase()}`;
    },
  );
}

async function loadSchemaValidator() {
  const schema = JSON.parse(await readRepoFile("apps/api/test/fixtures/deploy/compose-spec.schema.json"));
  // The schema declares draft-07 by its https URL and uses formats of its own ("duration"); only the structure matters
  // here.
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, validateFormats: false });
  return ajv.compile(schema);
}

function isNamedVolume(source: string): boolean {
  return !source.startsWith(".") && !source.startsWith("/") && !source.startsWith("~");
}

function volumeSources(service: ComposeService): string[] {
  return (service.volumes ?? []).map((volume) =>
    typeof volume === "string" ? volume.split(":")[0]! : (volume.source ?? ""),
  );
}

function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment))
    return Object.fromEntries(environment.map((entry) => [entry.split("=")[0]!, entry.split("=").slice(1).join("=")]));
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value)]));
}

/**
 * The secret-looking variable references of a compose text: `${NAME…}` whose name says password, secret, token or key.
 */
function secretReferences(text: string) {
  const references = [...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}/g)];
  return references.filter(([, name]) => /PASSWORD|SECRET|TOKEN|KEY/.test(name!));
}

/** Required (`${VAR:?…}`), or one of the optional integrations left empty (`${VAR:-}`): never a default secret. */
function isSafeSecretReference([, name, operator, operand]: RegExpExecArray | RegExpMatchArray): boolean {
  const isRequired = operator === ":?";
  const isOptionalEmpty =
    operator === ":-" &&
    operand === "" &&
    /^(GITHUB_CLIENT_SECRET|OIDC_CLIENT_SECRET|GRAFANA_SERVICE_ACCOUNT_TOKEN|GRAFANA_ALERT_WEBHOOK_TOKEN|OPENAI_API_KEY|REGISTRY_COLLECTOR_TOKEN)$/.test(
      name!,
    );
  return isRequired || isOptionalEmpty;
}

/** Whether an IPv4 address lies in a CIDR subnet. */
function isInSubnet(address: string, cidr: string): boolean {
  const toNumber = (ip: string) => ip.split(".").reduce((total, part) => total * 256 + Number(part), 0);
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(toNumber(base!) / size) * size;
  return toNumber(address) >= start && toNumber(address) < start + size;
}

describe.each(COMPOSE_FILES)("%s", (file) => {
  let text: string;
  let sources: ComposeSource[];
  let compose: ComposeFile;
  const isProduction = file.includes("prod");

  beforeAll(async () => {
    ({ text, sources, document: compose } = await readCompose(file));
  });

  it("validates against the Compose Specification schema as written, as Compose runs it, and after interpolation", async () => {
    const validate = await loadSchemaValidator();
    const { document: interpolated } = await readCompose(file, { interpolate });

    for (const [form, document] of [
      ["as written", sources[0]!.document],
      ["with extends applied", compose],
      ["interpolated, with extends applied", interpolated],
    ] as const) {
      const isValid = validate(document);
      expect({ form, errors: validate.errors ?? [] }).toEqual({ form, errors: [] });
      expect({ form, isValid }).toEqual({ form, isValid: true });
    }
    expect(sources.map((source) => source.file)).toEqual([file, COMPOSE_BASE_FILE]);
  });

  it("is refused by the same schema when a service is malformed (the validator is not a no-op)", async () => {
    const validate = await loadSchemaValidator();
    const broken = structuredClone(compose);
    (broken.services["status-backend"] as Record<string, unknown>).restart_policy = "always";
    (broken.services.postgres as Record<string, unknown>).healthcheck = { test: ["CMD", "pg_isready"], interval: 10 };

    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toEqual(
      expect.arrayContaining(["/services/status-backend", "/services/postgres/healthcheck/interval"]),
    );
  });

  it("has exactly the services of the architecture", () => {
    expect(Object.keys(compose.services).sort()).toEqual(isProduction ? PROD_SERVICES : DEV_SERVICES);
  });

  it("puts each service on exactly the networks of seed 001, and the worker only on networks of the API", () => {
    expect(Object.keys(compose.networks ?? {}).sort()).toEqual(Object.keys(NETWORKS).sort());
    for (const [network, expected] of Object.entries(NETWORKS)) {
      const members = Object.entries(compose.services)
        .filter(([name, service]) => !EXTRA_SERVICES.has(name) && serviceNetworks(service).includes(network))
        .map(([name]) => name);
      expect({ network, members: members.sort() }).toEqual({
        network,
        members: expected.filter((name) => name in compose.services).sort(),
      });
    }
    const apiNetworks = serviceNetworks(compose.services["status-backend"]!);
    expect(serviceNetworks(compose.services.worker!).every((network) => apiNetworks.includes(network))).toBe(true);
    expect(serviceNetworks(compose.services.prometheus!)).toEqual(["db_network"]);
    for (const [name, service] of Object.entries(compose.services))
      expect({ name, networks: serviceNetworks(service).length > 0 }).toEqual({ name, networks: true });
  });

  it("gives every service a health check, a restart policy and a memory limit", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect({
        name,
        healthcheck:
          Array.isArray(service.healthcheck?.test) &&
          service.healthcheck.test.length > 1 &&
          !service.healthcheck.disable,
      }).toEqual({ name, healthcheck: true });
      expect({ name, restart: service.restart }).toEqual({ name, restart: "unless-stopped" });
      expect({ name, memory: String(service.mem_limit ?? service.deploy?.resources?.limits?.memory ?? "") }).toEqual({
        name,
        memory: expect.stringMatching(/^\d+[mg]$/),
      });
    }
  });

  it("keeps data in named volumes that are declared, and mounts only files that exist", async () => {
    // Interpolated: a mount's source may come from .env (STATUS_TLS_DIR), with a repository directory as default.
    const { document: compose } = await readCompose(file, { interpolate });
    const declared = Object.keys(compose.volumes ?? {});
    const used = new Set<string>();
    for (const [name, service] of Object.entries(compose.services)) {
      for (const source of volumeSources(service)) {
        if (isNamedVolume(source)) {
          expect({ name, volume: source, declared: declared.includes(source) }).toEqual({
            name,
            volume: source,
            declared: true,
          });
          used.add(source);
        } else {
          expect({ name, source, exists: existsSync(path.join(REPO_ROOT, source)) }).toEqual({
            name,
            source,
            exists: true,
          });
        }
      }
    }
    expect([...used].sort()).toEqual(declared.sort());
    for (const store of ["postgres", "dragonfly", "grafana", "nodered", "mongo-registry", "prometheus"]) {
      expect({ store, named: volumeSources(compose.services[store]!).some(isNamedVolume) }).toEqual({
        store,
        named: true,
      });
    }
  });

  it("lets the worker be scaled: no fixed container name anywhere and no published port on the worker", () => {
    for (const [name, service] of Object.entries(compose.services))
      expect({ name, containerName: service.container_name }).toEqual({ name, containerName: undefined });
    expect(compose.services.worker!.ports).toBeUndefined();
    expect(compose.services.worker!.command).toEqual(
      expect.arrayContaining([expect.stringMatching(/worker\.(ts|js)$/)]),
    );
  });

  it("runs the API on 3001, migrating before it starts, and the workers from the same image without the in-process worker", () => {
    const api = compose.services["status-backend"]!;
    const worker = compose.services.worker!;
    expect(environmentOf(api).PORT).toBe("3001");
    expect(environmentOf(api).RUN_WORKER).toBe("false");
    expect(JSON.stringify(api.command)).toMatch(/migrate.*&&.*(main\.(ts|js)|dev)/);
    expect(worker.image ?? JSON.stringify(worker.build)).toBe(api.image ?? JSON.stringify(api.build));
    expect(environmentOf(worker).DATABASE_URL).toBe(environmentOf(api).DATABASE_URL);
    expect(environmentOf(api).NODE_RED_URL).toBe("http://nodered:1880");
    expect(environmentOf(api).REDIS_URL).toBe("redis://dragonfly:6379");
  });

  it("connects the registry to mongo-registry explicitly, with that MongoDB's root user and password", async () => {
    const { document: resolved } = await readCompose(file, { interpolate });
    const registry = resolved.services.registry!;
    const mongo = environmentOf(resolved.services["mongo-registry"]!);

    // NODE_ENV picks a configuration of the registry's own whose MongoDB host is not this file's; these override it.
    expect(environmentOf(registry)).toMatchObject({
      GOV_CONFIG_main_database_host: "mongo-registry",
      GOV_CONFIG_main_database_port: "27017",
      GOV_CONFIG_main_database_name: "registry",
      DB_HOST: "mongo-registry",
      MONGOADMIN: mongo.MONGO_INITDB_ROOT_USERNAME,
      MONGOPASS: mongo.MONGO_INITDB_ROOT_PASSWORD,
    });
    expect(serviceNetworks(resolved.services["mongo-registry"]!)).toEqual(
      expect.arrayContaining(serviceNetworks(registry)),
    );
    expect(registry.depends_on).toEqual({ "mongo-registry": { condition: "service_healthy" } });
  });

  it("gives Prometheus the token the API and the workers serve their metrics with, and scrapes where they listen", async () => {
    const { document: resolved, text: written } = await readCompose(file, { interpolate });
    const api = environmentOf(resolved.services["status-backend"]!);
    const worker = environmentOf(resolved.services.worker!);
    const prometheusConfig = parse(await readRepoFile("prometheus/prometheus.yml"));
    const jobs = Object.fromEntries(
      (prometheusConfig.scrape_configs as { job_name: string }[]).map((job) => [job.job_name, job]),
    ) as Record<string, any>;
    const secret = (resolved as { secrets?: Record<string, { file?: string; environment?: string }> }).secrets!
      .metrics_token!;

    expect(resolved.services.prometheus!.secrets).toEqual(["metrics_token"]);
    expect(worker.METRICS_TOKEN).toBe(api.METRICS_TOKEN);
    if (isProduction) {
      expect(secret).toEqual({ environment: "METRICS_TOKEN" });
      expect(written).toContain("METRICS_TOKEN: ${METRICS_TOKEN:?");
    } else {
      expect((await readRepoFile(secret.file!.replace(/^\.\//, ""))).trim()).toBe(api.METRICS_TOKEN);
    }
    expect(jobs["status-api"].static_configs[0].targets).toEqual([`status-backend:${api.PORT}`]);
    expect(jobs["status-worker"].dns_sd_configs[0]).toMatchObject({
      names: ["worker"],
      port: Number(worker.METRICS_PORT),
    });
    for (const job of ["status-api", "status-worker"])
      expect(jobs[job].authorization).toEqual({ type: "Bearer", credentials_file: "/run/secrets/metrics_token" });
    expect(api.METRICS_PORT).toBeUndefined();
  });

  it("runs Postgres 17 initialised by postgres/init.sql, and Grafana provisioned from grafana/", () => {
    expect(compose.services.postgres!.image).toMatch(/^postgres:17(\.|$)/);
    expect(volumeSources(compose.services.postgres!)).toEqual(
      expect.arrayContaining(["./postgres/init.sql", "./postgres/initdb.d"]),
    );
    expect(volumeSources(compose.services.grafana!)).toEqual(
      expect.arrayContaining(["./grafana/provisioning", "./grafana/dashboards"]),
    );
    const grafana = environmentOf(compose.services.grafana!);
    expect(grafana).toMatchObject({
      GF_AUTH_PROXY_ENABLED: "true",
      GF_AUTH_PROXY_HEADER_NAME: "X-WEBAUTH-USER",
      GF_AUTH_PROXY_HEADER_PROPERTY: "username",
      GF_AUTH_PROXY_AUTO_SIGN_UP: "true",
      GF_AUTH_PROXY_HEADERS: "Name:X-WEBAUTH-NAME Email:X-WEBAUTH-EMAIL Role:X-WEBAUTH-ROLE",
      GF_SERVER_SERVE_FROM_SUB_PATH: "true",
      GF_SECURITY_ALLOW_EMBEDDING: "true",
      GF_AUTH_DISABLE_LOGIN_FORM: "true",
    });
    expect(grafana.GF_SERVER_ROOT_URL).toMatch(/\/grafana\/$/);
  });

  if (isProduction) {
    it("uses published images only and publishes only the reverse proxy, on 3000", () => {
      for (const [name, service] of Object.entries(compose.services)) {
        expect({ name, build: service.build, image: typeof service.image }).toEqual({
          name,
          build: undefined,
          image: "string",
        });
        if (name !== "reverse-proxy") expect({ name, ports: service.ports }).toEqual({ name, ports: undefined });
      }
      // http on 3000 (plain, or redirecting once TLS is on); https on 8443, published on loopback until it is set up.
      expect(compose.services["reverse-proxy"]!.ports).toEqual([
        "${STATUS_HTTP_PORT:-3000}:3000",
        "${STATUS_HTTPS_PORT:-127.0.0.1:8443}:8443",
      ]);
      expect(volumeSources(compose.services["reverse-proxy"]!)).toEqual(
        expect.arrayContaining(["./nginx/nginx.conf", "./nginx/status.conf"]),
      );
    });

    it("mounts every nginx file the proxy includes, the TLS script where the image runs it, and the certificates", () => {
      const mounts = (compose.services["reverse-proxy"]!.volumes ?? []) as string[];
      expect(mounts).toEqual([
        "./nginx/nginx.conf:/etc/nginx/nginx.conf:ro",
        "./nginx/status.conf:/etc/nginx/status.conf:ro",
        "./nginx/status-routes.conf:/etc/nginx/status-routes.conf:ro",
        "./nginx/servers-plain.conf:/etc/nginx/servers-plain.conf:ro",
        "./nginx/servers-tls.conf:/etc/nginx/servers-tls.conf:ro",
        "./nginx/40-status-tls.sh:/docker-entrypoint.d/40-status-tls.sh:ro",
        "${STATUS_TLS_DIR:-./nginx/tls}:/etc/nginx/tls:ro",
        "./nginx/acme:/var/www/acme:ro",
      ]);
    });

    it("lets Grafana take sign-in headers only from the reverse proxy's fixed address on web_network", async () => {
      const { document: resolved } = await readCompose(file, { interpolate });
      const proxyNetworks = resolved.services["reverse-proxy"]!.networks as Record<string, { ipv4_address?: string }>;
      const address = proxyNetworks.web_network!.ipv4_address!;
      const subnet = (resolved.networks!.web_network as { ipam: { config: { subnet: string }[] } }).ipam.config[0]!
        .subnet;

      expect(environmentOf(resolved.services.grafana!).GF_AUTH_PROXY_WHITELIST).toBe(address);
      expect(subnet).toMatch(/^\d+\.\d+\.\d+\.0\/24$/);
      expect(address.split(".").slice(0, 3).join(".")).toBe(subnet.split(".").slice(0, 3).join("."));
    });

    it("contains no default secret: every password, secret and key is required (${VAR:?…}) or optional and empty", () => {
      // The base file counts too: production runs what it holds.
      const secretish = sources.flatMap((source) => secretReferences(source.text));
      expect(secretish.length).toBeGreaterThan(5);
      for (const reference of secretish) {
        expect({ reference: reference[0], safe: isSafeSecretReference(reference) }).toEqual({
          reference: reference[0],
          safe: true,
        });
      }
      for (const required of [
        "JWT_SECRET",
        "STATUS_ENCRYPTION_KEY",
        "POSTGRES_PASSWORD",
        "STATUS_DB_PASSWORD",
        "GRAFANA_DB_PASSWORD",
        "GRAFANA_ADMIN_PASSWORD",
        "MONGO_ROOT_PASSWORD",
        "NODE_RED_SERVICE_PASSWORD",
        "NODE_RED_CREDENTIAL_SECRET",
        "STATUS_ADMIN_PASSWORD",
        "METRICS_TOKEN",
      ]) {
        expect(text).toContain(`\${${required}:?`);
      }
      expect(environmentOf(compose.services["status-backend"]!).NODE_ENV).toBe("production");
    });
  } else {
    it("builds the api, web and nodered images from this repository and mounts their sources for hot reload", () => {
      for (const [name, dockerfile] of [
        ["status-backend", "apps/api/Dockerfile"],
        ["worker", "apps/api/Dockerfile"],
        ["status-frontend", "apps/web/Dockerfile"],
        ["nodered", "apps/nodered/Dockerfile"],
      ] as const) {
        const build = compose.services[name]!.build;
        expect({ name, build }).toEqual({ name, build: expect.objectContaining({ context: ".", dockerfile }) });
        expect(existsSync(path.join(REPO_ROOT, dockerfile))).toBe(true);
      }
      expect(volumeSources(compose.services["status-backend"]!)).toContain("./apps/api/src");
      expect(volumeSources(compose.services["status-frontend"]!)).toContain("./apps/web/src");
      expect(JSON.stringify(compose.services["status-backend"]!.command)).toContain("dev");
    });

    it("publishes the direct ports of seed 000 on loopback only", () => {
      const published = Object.fromEntries(
        Object.entries(compose.services)
          .filter(([, service]) => service.ports)
          .map(([name, service]) => [
            name,
            service.ports!.map((port) => (typeof port === "string" ? port : JSON.stringify(port))),
          ]),
      );
      expect(published).toEqual({
        "status-frontend": ["127.0.0.1:3000:3000"],
        "status-backend": ["127.0.0.1:3001:3001"],
        nodered: ["127.0.0.1:1880:1880"],
        postgres: ["127.0.0.1:5432:5432"],
        dragonfly: ["127.0.0.1:6379:6379"],
        grafana: ["127.0.0.1:3100:3000"],
        "mongo-registry": ["127.0.0.1:5001:27017"],
        registry: ["127.0.0.1:5400:80"],
        director: ["127.0.0.1:5800:80"],
        prometheus: ["127.0.0.1:9090:9090"],
      });
    });

    it("lets Grafana take sign-in headers only from the API's fixed addresses on the networks they share", async () => {
      const { document: resolved } = await readCompose(file, { interpolate });
      const api = resolved.services["status-backend"]!.networks as Record<string, { ipv4_address?: string } | null>;
      const shared = serviceNetworks(resolved.services.grafana!).filter((network) => network in api);
      const addresses = shared.map((network) => api[network]?.ipv4_address);
      const whitelist = environmentOf(resolved.services.grafana!).GF_AUTH_PROXY_WHITELIST!.split(/,\s*/);

      expect(shared.sort()).toEqual(["db_network", "web_network"]);
      expect(addresses.every((address) => address && /^\d+\.\d+\.\d+\.\d+$/.test(address))).toBe(true);
      expect(whitelist.sort()).toEqual([...addresses].sort());
      for (const network of shared) {
        const subnet = (resolved.networks![network] as { ipam: { config: { subnet: string }[] } }).ipam.config[0]!
          .subnet;
        expect({ network, inSubnet: isInSubnet(api[network]!.ipv4_address!, subnet) }).toEqual({
          network,
          inSubnet: true,
        });
      }
    });
  }

  it("names the target stages its Dockerfiles define", async () => {
    for (const service of Object.values(compose.services)) {
      if (typeof service.build !== "object" || !service.build.target) continue;
      const dockerfile = await readRepoFile(service.build.dockerfile!);
      expect(dockerfile).toMatch(new RegExp(`^FROM .+ AS ${service.build.target}$`, "m"));
    }
  });
});

describe(COMPOSE_BASE_FILE, () => {
  let text: string;
  let base: ComposeFile;

  beforeAll(async () => {
    text = await readRepoFile(COMPOSE_BASE_FILE);
    base = parse(text, { merge: true }) as ComposeFile;
  });

  it("validates against the Compose Specification schema, before and after interpolation", async () => {
    const validate = await loadSchemaValidator();

    for (const [form, document] of [
      ["as written", base],
      ["interpolated", parse(interpolate(text), { merge: true })],
    ] as const) {
      const isValid = validate(document);
      expect({ form, errors: validate.errors ?? [] }).toEqual({ form, errors: [] });
      expect({ form, isValid }).toEqual({ form, isValid: true });
    }
  });

  it("is extended service by service by both compose files, and leaves the startup order to them", async () => {
    const names = Object.keys(base.services).sort();

    for (const file of COMPOSE_FILES) {
      const { sources } = await readCompose(file);
      const extended = Object.entries(sources[0]!.document.services)
        .filter(([, service]) => typeof service.extends === "object" && service.extends.file === COMPOSE_BASE_FILE)
        .map(([name, service]) => [name, (service.extends as { service: string }).service]);
      expect({ file, extended: extended.sort() }).toEqual({ file, extended: names.map((name) => [name, name]) });
    }
    for (const [name, service] of Object.entries(base.services)) {
      expect({
        name,
        keys: Object.keys(service).filter((key) => /^(depends_on|links|volumes_from|extends)$/.test(key)),
      }).toEqual({ name, keys: [] });
    }
  });

  it("holds no default secret, since production runs what it holds", () => {
    const secretish = secretReferences(text);

    expect(secretish.length).toBeGreaterThan(0);
    for (const reference of secretish) {
      expect({ reference: reference[0], safe: isSafeSecretReference(reference) }).toEqual({
        reference: reference[0],
        safe: true,
      });
    }
    expect(text).not.toMatch(/\$\{[A-Za-z_][A-Za-z0-9_]*:\?/);
  });
});
