import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { readRepoFile, REPO_ROOT } from "./deploy-files.ts";
import { freeLoopbackPort } from "./node-red-harness.ts";

export const NGINX_BINARY = process.env.NGINX_BINARY ?? "/usr/sbin/nginx";

export interface NginxOptions {
  /**
   * The compose addresses of nginx/status.conf's upstreams (e.g. `status-backend:3001`) → a loopback `host:port`.
   * `status-frontend:80` is always the web.conf server started here.
   */
  upstreams: Record<string, string>;
  /** The built SPA, served by a second server rendered from nginx/web.conf (the status-frontend image). */
  webRoot: string;
  /** Extra literal replacements applied to status.conf and status-routes.conf (test-only stand-ins). */
  replacements?: [from: string, to: string][];
  /**
   * The directory mounted as the proxy's certificate directory (fullchain.pem, privkey.pem). nginx/40-status-tls.sh
   * chooses the servers from it as in the container: TLS with both files, plain http without. Default: an empty one.
   */
  tlsDir?: string;
}

export interface RunningNginx {
  /** The reverse proxy's http server (on a free loopback port instead of 3000): STATUS, or the https redirect. */
  baseUrl: string;
  /** The https server (8443 in the container) when the script found a certificate. */
  tlsUrl: string | undefined;
  /** What nginx/40-status-tls.sh printed. */
  modeMessage: string;
  /** Where Let's Encrypt's challenge files go (nginx/acme, mounted at /var/www/acme in the container). */
  acmeDir: string;
  /** The status-frontend server of web.conf, on its own free loopback port. */
  webUrl: string;
  /** What nginx wrote to its error log so far (for failure messages). */
  errors(): string;
  stop(): Promise<void>;
}

function replaceExactly(text: string, from: string, to: string, file: string): string {
  if (!text.includes(from)) throw new Error(`${file} no longer contains "${from}"; update the deploy test's rendering`);
  return text.split(from).join(to);
}

/**
 * Runs the repository's nginx configuration for real: nginx/nginx.conf, status.conf, status-routes.conf, the two
 * servers files and web.conf are rendered into a temporary prefix with loopback addresses for the compose service
 * names and free loopback ports for the listeners, nginx/40-status-tls.sh picks the servers file as the container's
 * entrypoint does, and nginx runs as a non-daemon child until stop().
 */
export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  if (!existsSync(NGINX_BINARY))
    throw new Error(
      `nginx is not installed at ${NGINX_BINARY} (apt-get install nginx; npm test's set-up, scripts/test-setup.ts, does as root)`,
    );
  const prefix = await mkdtemp(path.join(os.tmpdir(), "status-nginx-"));
  // Worker processes may run as another user than the test (nginx started by root): they read the SPA and write temp
  // files here.
  await chmod(prefix, 0o755);
  const [proxyPort, webPort, tlsPort] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
  const acmeDir = path.join(prefix, "acme");
  await mkdir(acmeDir);

  let statusConf = await readRepoFile("nginx/status.conf");
  statusConf = replaceExactly(
    statusConf,
    "server status-frontend:80;",
    `server 127.0.0.1:${webPort};`,
    "nginx/status.conf",
  );
  for (const [address, loopback] of Object.entries(options.upstreams))
    statusConf = replaceExactly(statusConf, `server ${address};`, `server ${loopback};`, "nginx/status.conf");
  const serversFile = path.join(prefix, "status-servers.conf");
  statusConf = replaceExactly(
    statusConf,
    "include /tmp/status-servers.conf;",
    `include ${serversFile};`,
    "status.conf",
  );
  let routesConf = await readRepoFile("nginx/status-routes.conf");
  routesConf = replaceExactly(routesConf, "root /var/www/acme;", `root ${acmeDir};`, "nginx/status-routes.conf");
  for (const [from, to] of options.replacements ?? []) {
    if (!statusConf.includes(from) && !routesConf.includes(from))
      throw new Error(`nginx/status.conf and status-routes.conf no longer contain "${from}"`);
    statusConf = statusConf.split(from).join(to);
    routesConf = routesConf.split(from).join(to);
  }
  const tlsDir = options.tlsDir ?? path.join(prefix, "no-certificate");
  await mkdir(tlsDir, { recursive: true });
  for (const [file, mode] of [
    ["nginx/servers-plain.conf", "plain"],
    ["nginx/servers-tls.conf", "tls"],
  ] as const) {
    let servers = await readRepoFile(file);
    servers = replaceExactly(servers, "listen 3000;", `listen 127.0.0.1:${proxyPort};`, file);
    servers = replaceExactly(
      servers,
      "include /etc/nginx/status-routes.conf;",
      `include ${prefix}/status-routes.conf;`,
      file,
    );
    if (mode === "tls") {
      servers = replaceExactly(servers, "listen 8443 ssl http2;", `listen 127.0.0.1:${tlsPort} ssl http2;`, file);
      servers = replaceExactly(servers, "/etc/nginx/tls/", `${tlsDir}/`, file);
      servers = replaceExactly(servers, "root /var/www/acme;", `root ${acmeDir};`, file);
    }
    await writeFile(path.join(prefix, path.basename(file)), servers);
  }
  // The container's entrypoint runs this before nginx; here it chooses between the two files rendered above.
  const { stdout: modeMessage } = await promisify(execFile)("sh", [path.join(REPO_ROOT, "nginx/40-status-tls.sh")], {
    env: {
      ...process.env,
      STATUS_NGINX_TLS_DIR: tlsDir,
      STATUS_NGINX_CONF_DIR: prefix,
      STATUS_NGINX_SERVERS_FILE: serversFile,
    },
  });

  let webConf = await readRepoFile("nginx/web.conf");
  webConf = replaceExactly(webConf, "listen 80;", `listen 127.0.0.1:${webPort};`, "nginx/web.conf");
  webConf = replaceExactly(webConf, "root /usr/share/nginx/html;", `root ${options.webRoot};`, "nginx/web.conf");

  let mainConf = await readRepoFile("nginx/nginx.conf");
  mainConf = replaceExactly(mainConf, "pid /tmp/nginx.pid;", `pid ${prefix}/nginx.pid;`, "nginx/nginx.conf");
  mainConf = replaceExactly(
    mainConf,
    "error_log /dev/stderr warn;",
    `error_log ${prefix}/error.log warn;`,
    "nginx/nginx.conf",
  );
  mainConf = replaceExactly(mainConf, "access_log /dev/stdout status;", "access_log off;", "nginx/nginx.conf");
  mainConf = replaceExactly(mainConf, "worker_processes auto;", "worker_processes 1;", "nginx/nginx.conf");
  for (const temp of ["client_temp", "proxy_temp", "fastcgi_temp", "uwsgi_temp", "scgi_temp"]) {
    await mkdir(path.join(prefix, temp), { mode: 0o777 });
    await chmod(path.join(prefix, temp), 0o777);
    mainConf = replaceExactly(mainConf, `/tmp/${temp};`, `${prefix}/${temp};`, "nginx/nginx.conf");
  }
  // The status-frontend image includes web.conf from its own nginx.conf; here both servers share one nginx.
  mainConf = replaceExactly(
    mainConf,
    "include /etc/nginx/status.conf;",
    `include ${prefix}/status.conf;\n    include ${prefix}/web.conf;`,
    "nginx/nginx.conf",
  );

  await writeFile(path.join(prefix, "status.conf"), statusConf);
  await writeFile(path.join(prefix, "status-routes.conf"), routesConf);
  await writeFile(path.join(prefix, "web.conf"), webConf);
  await writeFile(path.join(prefix, "nginx.conf"), mainConf);

  const errorLog = path.join(prefix, "error.log");
  let output = "";
  const child: ChildProcess = spawn(
    NGINX_BINARY,
    ["-p", prefix, "-c", path.join(prefix, "nginx.conf"), "-e", errorLog, "-g", "daemon off;"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const baseUrl = `http://127.0.0.1:${proxyPort}`;
  const readErrors = async () => output + (existsSync(errorLog) ? await readFile(errorLog, "utf8") : "");
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${await readErrors()}`);
    const isUp = await fetch(`${baseUrl}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (isUp) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`nginx did not answer within 10 s:\n${await readErrors()}`);
    }
    await sleep(50);
  }

  let errorsSoFar = "";
  return {
    baseUrl,
    tlsUrl: modeMessage.includes("https on 8443") ? `https://127.0.0.1:${tlsPort}` : undefined,
    modeMessage,
    acmeDir,
    webUrl: `http://127.0.0.1:${webPort}`,
    errors: () => errorsSoFar,
    async stop() {
      errorsSoFar = await readErrors();
      if (child.exitCode === null) {
        // SIGQUIT: graceful shutdown; SIGKILL if it lingers (open keep-alive or WebSocket connections).
        child.kill("SIGQUIT");
        const code = await Promise.race([exited, sleep(5_000).then(() => "timeout" as const)]);
        if (code === "timeout") {
          child.kill("SIGKILL");
          await exited;
        }
      }
      await rm(prefix, { recursive: true, force: true });
    },
  };
}
