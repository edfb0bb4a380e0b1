import { Link } from "react-router";

/** Where integrators go next: the OpenAPI documentation and personal API tokens. */
export function DeveloperLinksSection() {
  return (
    <section aria-labelledby="api-access-heading" className="space-y-3">
      <h2 id="api-access-heading" className="text-lg font-semibold">
        API access
      </h2>
      <ul className="space-y-1 text-sm">
        <li>
          <a href="/api/v1/docs" className="text-indigo-700 underline dark:text-indigo-300">
            API documentation
          </a>{" "}
          — every route, generated from the schemas the server checks with (OpenAPI at /api/v1/openapi.json).
        </li>
        <li>
          <Link to="/api-tokens" className="text-indigo-700 underline dark:text-indigo-300">
            API tokens
          </Link>{" "}
          — personal tokens for scripts and CI, acting as you.
        </li>
      </ul>
    </section>
  );
}
