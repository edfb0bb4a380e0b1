import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readCompose, resolveExtends, type ComposeFile } from "../deploy-files.ts";

/**
 * The `extends` resolver the deployment tests read the compose files through, checked against the examples of the
 * Compose Specification (05-services.md, "extends": merging service definitions) and against the keys it refuses.
 */
function documents(files: Record<string, string>): Map<string, ComposeFile> {
  return new Map(Object.entries(files).map(([file, text]) => [file, parse(text, { merge: true }) as ComposeFile]));
}

describe("resolveExtends", () => {
  it("merges environment by name, the extending value winning, in mapping or list form (the spec's example)", () => {
    const files = documents({
      "compose.yml": `
services:
  common: { image: busybox, environment: { TZ: utc, PORT: 80 } }
  cli: { extends: { service: common }, environment: { PORT: 8080 } }
  listed: { extends: common, environment: ["PORT=8080", "EMPTY"] }
`,
    });

    const { services } = resolveExtends("compose.yml", files);

    expect(services.cli).toEqual({ image: "busybox", environment: { TZ: "utc", PORT: 8080 } });
    expect(services.listed).toEqual({ image: "busybox", environment: { TZ: "utc", PORT: "8080", EMPTY: null } });
  });

  it("takes keys the extending service lacks from the base, replaces scalars and commands, and resolves chains", () => {
    const files = documents({
      "compose.yml": `
services:
  api:
    extends: { file: shared/base.yml, service: api }
    image: example/api:2
    command: ["node", "worker.js"]
    mem_limit: 768m
`,
      "shared/base.yml": `
services:
  node: { user: node, init: true }
  api:
    extends: node
    image: example/api:1
    command: ["node", "main.js"]
    networks: [db_network]
    healthcheck: { test: ["CMD", "true"], interval: 15s }
`,
    });

    const { services } = resolveExtends("compose.yml", files);

    expect(services).toEqual({
      api: {
        user: "node",
        init: true,
        image: "example/api:2",
        command: ["node", "worker.js"],
        mem_limit: "768m",
        networks: ["db_network"],
        healthcheck: { test: ["CMD", "true"], interval: "15s" },
      },
    });
  });

  it("keeps the extending file's own networks, volumes and services: nothing else comes from the base file", () => {
    const files = documents({
      "compose.yml": `
services:
  web: { extends: { file: base.yml, service: web } }
networks: { front: {} }
`,
      "base.yml": `
services:
  web: { image: nginx, networks: [front] }
  unused: { image: busybox }
networks: { back: {} }
volumes: { data: {} }
`,
    });

    const resolved = resolveExtends("compose.yml", files);

    expect(resolved).toEqual({ services: { web: { image: "nginx", networks: ["front"] } }, networks: { front: {} } });
  });

  it.each([
    ["depends_on", "depends_on: [db]"],
    ["links", "links: [db]"],
    ["volumes_from", "volumes_from: [db]"],
    ["network_mode: service:", "network_mode: service:db"],
  ])("refuses a base service that sets %s, which Compose versions carry differently", (key, line) => {
    const files = documents({
      "compose.yml": "services:\n  app: { extends: { file: base.yml, service: app } }\n",
      "base.yml": `services:\n  app:\n    image: busybox\n    ${line}\n`,
    });

    expect(() => resolveExtends("compose.yml", files)).toThrow(key);
  });

  it.each([
    ["networks", "[a]", "[b]"],
    ["volumes", "['data:/data']", "['other:/data']"],
    ["ports", "['80:80']", "['81:80']"],
    ["healthcheck", "{ test: [CMD, 'true'] }", "{ interval: 5s }"],
  ])("refuses %s set on both sides, which Compose versions merge differently", (key, baseValue, localValue) => {
    const files = documents({
      "compose.yml": `services:\n  app:\n    extends: base\n    ${key}: ${localValue}\n  base:\n    image: busybox\n    ${key}: ${baseValue}\n`,
    });

    expect(() => resolveExtends("compose.yml", files)).toThrow(`${key} is set both here and in the base service`);
  });

  it("reports a cycle, a missing service and a file that was not read", () => {
    const cycle = documents({ "compose.yml": "services:\n  a: { extends: b }\n  b: { extends: a }\n" });
    const missing = documents({ "compose.yml": "services:\n  a: { extends: nowhere }\n" });
    const unread = documents({ "compose.yml": "services:\n  a: { extends: { file: other.yml, service: a } }\n" });

    expect(() => resolveExtends("compose.yml", cycle)).toThrow("extends cycle");
    expect(() => resolveExtends("compose.yml", missing)).toThrow("compose.yml#nowhere, which does not exist");
    expect(() => resolveExtends("compose.yml", unread)).toThrow("other.yml, which was not read");
  });
});

describe("readCompose", () => {
  it("reads the base file a compose file extends, and gives the services it takes from there", async () => {
    const { sources, document } = await readCompose("docker-compose.prod.yml");

    expect(sources.map((source) => source.file)).toEqual(["docker-compose.prod.yml", "docker-compose.base.yml"]);
    expect(sources[0]!.document.services.dragonfly).toEqual({
      extends: { file: "docker-compose.base.yml", service: "dragonfly" },
    });
    expect(document.services.dragonfly).toEqual(sources[1]!.document.services.dragonfly);
    expect(document.services.grafana!.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
  });

  it("interpolates every file before merging, as Compose does", async () => {
    const { document } = await readCompose("docker-compose.prod.yml", {
      interpolate: (text) => text.replaceAll("${OPENAI_API_KEY:-}", "from-the-base-file"),
    });

    expect(document.services["status-backend"]!.environment).toMatchObject({ OPENAI_API_KEY: "from-the-base-file" });
  });
});
