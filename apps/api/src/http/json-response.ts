import type { Application, Express, Response } from "express";

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
  const setting = settingExpressApplies(app);
  if (setting) throw new Error(`answerJsonDirectly writes what Express would without "${setting}"`);
  const viaExpress = app.response.json;
  app.response.json = function json(this: Response, value: unknown): Response {
    if (!isPlain(this)) return viaExpress.call(this, value);
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined) return viaExpress.call(this, value);
    return writeJsonText(this, text);
  };
}

/**
 * Answers JSON text that is already what `JSON.stringify` writes for the answer (e.g. built by Postgres, see
 * `db/json-text.ts`) with the headers and bytes `res.json` of that value writes, skipping its parse and stringify.
 * Where Express would do more than write it (see `answerJsonDirectly`), the value goes through `res.json`.
 */
export function sendJsonText(res: Response, text: string): Response {
  if (!isPlain(res) || settingExpressApplies(res.app)) return res.json(JSON.parse(text));
  return writeJsonText(res, text);
}

function settingExpressApplies(app: Application): string | undefined {
  return ["etag fn", "json escape", "json replacer", "json spaces"].find((setting) => app.get(setting));
}

function writeJsonText(res: Response, text: string): Response {
  res.setHeader("Content-Type", JSON_CONTENT_TYPE);
  res.setHeader("Content-Length", String(Buffer.byteLength(text)));
  if (res.req.method === "HEAD") res.end();
  else res.end(text);
  return res;
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
