import type { IntegrationCapability } from "@status/shared";
import { Alert } from "@/components/ui/alert.tsx";

/** The variables an unconfigured integration needs, as inline code, joined in prose. */
export function VariableList({ variables }: { variables: readonly string[] }) {
  return (
    <>
      {variables.map((variable, index) => (
        <span key={variable}>
          {index > 0 && (index === variables.length - 1 ? " and " : ", ")}
          <code className="rounded bg-zinc-100 px-1 py-0.5 text-xs dark:bg-zinc-800">{variable}</code>
        </span>
      ))}
    </>
  );
}

/**
 * Says up front that an integration is not configured, what it would enable, which variables to set and where the
 * README explains them — shown instead of a spinner or a form that can only fail.
 */
export function IntegrationNotice({ integration }: { integration: IntegrationCapability }) {
  return (
    <Alert variant="info" title={`${integration.label} is not configured`}>
      <p>
        Used for: {integration.enables}. To turn it on, set <VariableList variables={integration.variables} /> and
        restart STATUS; the README section “{integration.readmeSection}” (
        <code className="text-xs">#{integration.readmeAnchor}</code>) explains each.
        {integration.alternative && ` ${integration.alternative}.`}
      </p>
    </Alert>
  );
}
