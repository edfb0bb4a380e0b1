import { isRouteErrorResponse, Link, useRouteError } from "react-router";
import { ApiError } from "@/lib/api-client.ts";
import { Alert } from "../ui/alert.tsx";

function describe(error: unknown): { title: string; detail: string } {
  if (isRouteErrorResponse(error))
    return { title: `${error.status} ${error.statusText}`, detail: String(error.data ?? "") };
  if (error instanceof ApiError) return { title: error.title, detail: error.detail ?? "" };
  return { title: "Something went wrong", detail: "This page could not be shown. Reloading usually helps." };
}

/** Route-level error boundary: the shell and navigation stay usable when one page fails. */
export function RouteErrorBoundary() {
  const { title, detail } = describe(useRouteError());
  return (
    <div className="mx-auto max-w-xl py-10">
      <Alert title={title}>
        {detail && <p>{detail}</p>}
        <p className="mt-3 flex gap-4">
          <button type="button" className="underline" onClick={() => window.location.reload()}>
            Reload
          </button>
          <Link to="/" className="underline">
            Go to overview
          </Link>
        </p>
      </Alert>
    </div>
  );
}
