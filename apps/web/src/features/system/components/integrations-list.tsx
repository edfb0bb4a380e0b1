import { Badge } from "@/components/ui/badge.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { useCapabilities } from "../api/get-capabilities.ts";
import { VariableList } from "./integration-notice.tsx";

/** Settings: every integration, configured or not, and for those that are not what to set and where it is explained. */
export function IntegrationsList() {
  const query = useCapabilities();
  if (query.isPending) return <Spinner label="Loading integrations" />;
  if (query.isError)
    return (
      <LoadError
        title="The integrations could not be loaded"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  return (
    <ul
      aria-label="Integrations"
      className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
    >
      {query.data.integrations.map((integration) => (
        <li key={integration.name} className="space-y-1 px-4 py-3 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{integration.label}</span>
            <Badge tone={integration.isConfigured ? "success" : "neutral"}>
              {integration.isConfigured ? "Configured" : "Not configured"}
            </Badge>
            <span className="text-zinc-600 dark:text-zinc-400">{integration.enables}</span>
          </div>
          {!integration.isConfigured && (
            <p className="text-zinc-600 dark:text-zinc-400">
              Set <VariableList variables={integration.variables} />; README “{integration.readmeSection}”.
              {integration.alternative && ` ${integration.alternative}.`}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
