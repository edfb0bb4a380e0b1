import { request, type RequestOptions, type TestResponse } from "./http-client.ts";
import type { TestApp } from "./test-app.ts";

/** One `Set-Cookie` header, split into its name, value and (lower-cased) attributes. */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Map<string, string>;
  /** True when the header deletes the cookie (an expiry in the past, or Max-Age=0). */
  isDeletion: boolean;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = "", ...parts] = header.split(";");
  const separator = pair.indexOf("=");
  const name = pair.slice(0, separator).trim();
  const value = decodeURIComponent(pair.slice(separator + 1).trim());
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const [key = "", ...rest] = part.split("=");
    attributes.set(key.trim().toLowerCase(), rest.join("=").trim());
  }
  const expires = attributes.get("expires");
  const isDeletion = attributes.get("max-age") === "0" || (expires !== undefined && Date.parse(expires) <= Date.now());
  return { name, value, attributes, isDeletion };
}

/** The `Set-Cookie` headers of a response, by cookie name. */
export function setCookiesOf(response: { headers: Headers }): Map<string, SetCookie> {
  return new Map(
    response.headers.getSetCookie().map((header) => {
      const cookie = parseSetCookie(header);
      return [cookie.name, cookie] as const;
    }),
  );
}

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * A browser's cookie jar, reduced to what the API relies on: cookies are stored and deleted from responses and sent
 * only to paths under their `Path`, so the refresh and OAuth-state cookies reach only their own routes.
 */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  /** Applies a response's `Set-Cookie` headers. */
  store(response: { headers: Headers }): void {
    for (const cookie of setCookiesOf(response).values()) {
      if (cookie.isDeletion) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, { value: cookie.value, path: cookie.attributes.get("path") || "/" });
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  set(name: string, value: string, path = "/"): void {
    this.cookies.set(name, { value, path });
  }

  delete(name: string): void {
    this.cookies.delete(name);
  }

  /** The `Cookie` header a browser would send to `requestPath`. */
  headerFor(requestPath: string): string {
    const pathname = requestPath.split("?")[0] ?? "/";
    return [...this.cookies]
      .filter(
        ([, cookie]) =>
          pathname === cookie.path || pathname.startsWith(cookie.path.endsWith("/") ? cookie.path : `${cookie.path}/`),
      )
      .map(([name, cookie]) => `${name}=${encodeURIComponent(cookie.value)}`)
      .join("; ");
  }
}

/** A request made the way a browser would: with the jar's cookies for that path, storing the cookies it answers. */
export async function browserRequest<T = any>(
  app: TestApp,
  jar: CookieJar,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<TestResponse<T>> {
  const cookie = jar.headerFor(path);
  const headers = { ...(options.headers ?? {}), ...(cookie ? { cookie } : {}) };
  const response = await request<T>(app, method, path, { ...options, headers });
  jar.store(response);
  return response;
}
