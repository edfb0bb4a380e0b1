// @vitest-environment jsdom
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setSessionExpiredHandler } from "@/lib/api-client.ts";
import { buildMe } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { server } from "@/testing/server.ts";
import { SessionDownloadLink } from "./session-download-link.tsx";

afterEach(() => {
  setSessionExpiredHandler(null);
  vi.restoreAllMocks();
});

/** Records the links the component follows, instead of letting jsdom try to navigate. */
function spyOnFollowedLinks() {
  const followed: { href: string; download: string }[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    followed.push({ href: new URL(this.href).pathname, download: this.download });
  });
  return followed;
}

describe("SessionDownloadLink", () => {
  it("renews an expired access cookie before the browser fetches the file", async () => {
    const calls: string[] = [];
    let isExpired = true;
    server.use(
      http.get("/api/v1/auth/me", () => {
        calls.push("me");
        return isExpired
          ? problemResponse({ status: 401, code: "token_expired", title: "Token expired" })
          : HttpResponse.json(buildMe());
      }),
      http.post("/api/v1/auth/refresh", () => {
        calls.push("refresh");
        isExpired = false;
        return HttpResponse.json({ user: buildMe(), expiresAt: "2030-01-01T00:00:00Z" });
      }),
    );
    const followed = spyOnFollowedLinks();
    render(
      <SessionDownloadLink href="/api/v1/evidence-packs/p1/download" download="pack.zip">
        Download
      </SessionDownloadLink>,
    );

    await userEvent.click(screen.getByRole("link", { name: "Download" }));

    await vi.waitFor(() =>
      expect(followed).toEqual([{ href: "/api/v1/evidence-packs/p1/download", download: "pack.zip" }]),
    );
    expect(calls).toEqual(["me", "refresh", "me"]);
  });

  it("does not follow the link when the session cannot be renewed, and hands over to sign-in", async () => {
    const onExpired = vi.fn();
    setSessionExpiredHandler(onExpired);
    server.use(
      http.get("/api/v1/auth/me", () =>
        problemResponse({ status: 401, code: "token_expired", title: "Token expired" }),
      ),
      http.post("/api/v1/auth/refresh", () =>
        problemResponse({ status: 401, code: "unauthenticated", title: "Authentication required" }),
      ),
    );
    const followed = spyOnFollowedLinks();
    render(<SessionDownloadLink href="/api/v1/catalogs/c1/report?format=pdf">Download PDF</SessionDownloadLink>);

    await userEvent.click(screen.getByRole("link", { name: "Download PDF" }));

    await vi.waitFor(() => expect(onExpired).toHaveBeenCalledOnce());
    expect(followed).toEqual([]);
  });
});
