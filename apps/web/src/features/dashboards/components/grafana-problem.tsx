import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { isApiError } from "@/lib/api-client.ts";

/**
 * Why dashboards cannot be shown: Grafana not configured (and how to enable it), or Grafana failing. The API answers
 * with stable codes for each; anything else shows the server's message.
 */
export function GrafanaProblem({ error, what, onRetry }: { error: Error; what: string; onRetry: () => void }) {
  if (isApiError(error, "grafana_not_configured")) {
    return (
      <Alert variant="info" title="Grafana is not connected">
        <p>
          Dashboards live in Grafana. An administrator enables them by setting <code>GRAFANA_URL</code> (Grafana's
          internal address, e.g. <code>http://grafana:3000/grafana</code>) and <code>GRAFANA_ADMIN_PASSWORD</code>{" "}
          (STATUS then makes its own Grafana service account) or <code>GRAFANA_SERVICE_ACCOUNT_TOKEN</code> for the API,
          with Grafana's auth proxy enabled so that STATUS users are signed in to it. See <code>.env.example</code>.
        </p>
      </Alert>
    );
  }
  if (isApiError(error, "grafana_pending")) {
    return (
      <Alert variant="info" title="Grafana is starting">
        <p>
          Grafana has not answered yet. STATUS connects to it (and makes its own Grafana service account) as soon as it
          does; this usually takes a minute after the system starts.
        </p>
        <Button variant="secondary" size="sm" className="mt-3" onClick={onRetry}>
          Try again
        </Button>
      </Alert>
    );
  }
  const isGrafanaDown =
    isApiError(error, "grafana_unreachable") ||
    isApiError(error, "grafana_timeout") ||
    isApiError(error, "grafana_auth_failed");
  return (
    <LoadError
      title={isGrafanaDown ? "Grafana is not answering" : `The ${what} could not be loaded`}
      error={error}
      onRetry={onRetry}
    />
  );
}
