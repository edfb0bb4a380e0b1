import type { Express, Response } from "express";

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/**
 * Gives the app's `res.json` a direct path for the answers the API gives. Express's own derives the content type twice
 * (a MIME look-up, then a charset parse and format), reads three settings, and asks whether the request is fresh,
 * which no API answer can be (there is no ETag or Last-Modified: etag is off). The direct path writes the headers
 * and body Express would have written; anything it does not cover goes through Express as before: a content type or
 * transfer encoding already set, a status without a body (204, 205, 304), a conditional request (If-None-Match: *
 * alone makes Express answer 304), or a value JSON cannot represent.
 *
 * Installed once the app's JSON settings are final; it refuses to install where Express would do more (an ETag
 * function, json spaces, a replacer or escaping).
 */
export function answerJsonDirectly(app: Express): void {
  for (const setting of ["etag fn", "json escape", "json replacer", "json spaces"]) {
    if (app.get(setting)) throw new Error(`answerJsonDirectly writes what Express would without "${setting}"`);
  }
  const viaExpress = app.response.json;
  app.response.json = function json(this: Response, value: unknown): Response {
    if (!isPlain(this)) return viaExpress.call(this, value);
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined) return viaExpress.call(this, value);
    this.setHeader("Content-Type", JSON_CONTENT_TYPE);
    this.setHeader("Content-Length", String(Buffer.byteLength(text)));
    if (this.req.method === "HEAD") this.end();
    else this.end(text);
    return this;
  };
}

function isPlain(res: Response): boolean {
  const status = res.statusCode;
  const { headers } = res.req;
  return (
    status !== 204 &&
    status !== 205 &&
    status !== 304 &&
    headers["if-none-match"] === undefined &&
    headers["if-modified-since"] === undefined &&
    !res.hasHeader("content-type") &&
    !res.hasHeader("transfer-encoding")
  );
}
