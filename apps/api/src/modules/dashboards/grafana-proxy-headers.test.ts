import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { grafanaRequestHeaders, grafanaResponseHeaders } from "./grafana-proxy-headers.ts";

function incoming(headers: Record<string, string>): IncomingMessage {
  return { headers, socket: { remoteAddress: "10.0.0.7" } } as unknown as IncomingMessage;
}

const IDENTITY = { "X-WEBAUTH-USER": "dana", "X-WEBAUTH-ROLE": "Editor" };

describe("headers towards Grafana", () => {
  it("replaces any client-sent X-WEBAUTH-* header with the identity STATUS vouches for", () => {
    const headers = grafanaRequestHeaders(
      incoming({
        "x-webauth-user": "admin",
        "x-webauth-role": "Admin",
        "x-webauth-email": "evil@example.test",
        host: "status.example",
      }),
      IDENTITY,
      false,
    );

    expect(headers["x-webauth-user"]).toBe("dana");
    expect(headers["x-webauth-role"]).toBe("Editor");
    expect(headers["x-webauth-email"]).toBeUndefined();
    expect(headers.host).toBe("status.example");
    expect(headers["x-forwarded-for"]).toBe("10.0.0.7");
  });

  it("drops STATUS credentials and cookies other than Grafana's", () => {
    const headers = grafanaRequestHeaders(
      incoming({
        authorization: "Bearer stt_abc",
        "x-access-token": "jwt",
        "x-csrf-token": "c",
        cookie: "status_at=jwt; grafana_session=g1; status_csrf=c",
        connection: "keep-alive",
      }),
      IDENTITY,
      false,
    );

    expect(headers.authorization).toBeUndefined();
    expect(headers["x-access-token"]).toBeUndefined();
    expect(headers["x-csrf-token"]).toBeUndefined();
    expect(headers.connection).toBeUndefined();
    expect(headers.cookie).toBe("grafana_session=g1");
  });

  it("asks for the upgrade on WebSocket handshakes", () => {
    const headers = grafanaRequestHeaders(incoming({ upgrade: "websocket", connection: "Upgrade" }), IDENTITY, true);

    expect(headers).toMatchObject({ connection: "Upgrade", upgrade: "websocket" });
  });
});

describe("headers towards the browser", () => {
  it("moves redirects from Grafana's sub path to the public one, and keeps them when both are the same", () => {
    expect(
      grafanaResponseHeaders({ location: "/grafana/login" }, { upstream: "/grafana", public: "/charts" }).location,
    ).toBe("/charts/login");
    expect(
      grafanaResponseHeaders({ location: "/grafana/login" }, { upstream: "/grafana", public: "/grafana" }).location,
    ).toBe("/grafana/login");
    expect(
      grafanaResponseHeaders({ location: "https://elsewhere.example/" }, { upstream: "/grafana", public: "/charts" })
        .location,
    ).toBe("https://elsewhere.example/");
  });

  it("drops hop-by-hop headers", () => {
    expect(
      grafanaResponseHeaders(
        { "transfer-encoding": "chunked", "content-type": "text/html" },
        { upstream: "", public: "/grafana" },
      ),
    ).toEqual({ "content-type": "text/html" });
  });
});
