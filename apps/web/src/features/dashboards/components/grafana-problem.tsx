import { Alert } from "@/components/ui/alert.tsx";
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
          internal address, e.g. <code>http://grafana:3000/grafana</code>) and{" "}
          <code>GRAFANA_SERVICE_ACCOUNT_TOKEN</code> (a Grafana service-account token) for the API, with Grafana's auth
          proxy enabled so that STATUS users are signed in to it. See <code>.env.example</code>.
        </p>
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
