import net, { type AddressInfo } from "node:net";

/**
 * A loopback TCP proxy in front of a shared server (Postgres), so a test can cut the connection without touching the
 * server itself: `cut` refuses new connections and drops the open ones (a restart), `hang` keeps accepting but lets
 * nothing through (a server that stopped answering), `restore` forwards again on the same port.
 */
export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  cut(): Promise<void>;
  hang(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let isHanging = false;
  let server = createListener();
  let port = 0;

  function createListener(): net.Server {
    return net.createServer((client) => {
      sockets.add(client);
      client.on("close", () => sockets.delete(client));
      client.on("error", () => undefined);
      if (isHanging) return; // accepted, never answered
      const upstream = net.connect(target.port, target.host);
      sockets.add(upstream);
      upstream.on("close", () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  async function listen(onPort: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(onPort, "127.0.0.1", () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  }

  function dropAll(): void {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  }

  await listen(0);
  return {
    get port() {
      return port;
    },
    urlFor(url) {
      const proxied = new URL(url);
      proxied.hostname = "127.0.0.1";
      proxied.port = String(port);
      return proxied.toString();
    },
    async cut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      dropAll();
      await closed;
    },
    hang() {
      isHanging = true;
      // Open connections stay open but go silent: nothing is forwarded either way.
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
      }
    },
    async restore() {
      isHanging = false;
      dropAll();
      if (server.listening) return;
      server = createListener();
      await listen(port);
    },
    async close() {
      dropAll();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
