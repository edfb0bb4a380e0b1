import type { IntegrationCapability, SystemCapabilities } from "@status/shared";
import { INTEGRATION_VARIABLES } from "../../config.ts";
import type { AppDeps } from "../../deps.ts";
import { MCP_PATH } from "../../mcp/mcp-endpoint.ts";
import { getAiSettings } from "../ai/index.ts";

type Entry = Omit<IntegrationCapability, "variables"> & { variables: readonly string[] };

/**
 * Which integrations this installation has configured, for the SPA to learn once: an unconfigured one is announced up
 * front (with what to set and where it is documented) and its actions are disabled, instead of failing with a 503
 * after a form was filled. SMTP and later integrations join this list when they land.
 */
export async function listCapabilities(deps: AppDeps): Promise<SystemCapabilities> {
  const { config } = deps;
  const ai = await getAiSettings(deps);
  const entries: Entry[] = [
    {
      name: "grafana",
      label: "Grafana",
      enables: "Dashboards and the panels on control pages",
      isConfigured: config.grafana.isEnabled,
      variables: INTEGRATION_VARIABLES.grafana,
      alternative: null,
      readmeSection: "Dashboards and Grafana",
      readmeAnchor: "dashboards-and-grafana",
    },
    {
      name: "ai",
      label: "AI",
      enables: "AI assistants and their chat",
      isConfigured: ai.apiKeySet,
      variables: ["OPENAI_API_KEY", "OPENAI_BASE_URL"],
      alternative: "An administrator can enter the API key in Settings → AI instead",
      readmeSection: "AI assistants",
      readmeAnchor: "ai-assistants",
    },
    {
      name: "registry",
      label: "Governify registry",
      enables: "Publishing catalogs to the registry and syncing its results",
      isConfigured: config.registry.url !== undefined,
      variables: INTEGRATION_VARIABLES.registry,
      alternative: null,
      readmeSection: "Governify registry and director",
      readmeAnchor: "governify-registry-and-director",
    },
    {
      name: "director",
      label: "Governify director",
      enables: "The director's status on the System page",
      isConfigured: config.director.url !== undefined,
      variables: INTEGRATION_VARIABLES.director,
      alternative: null,
      readmeSection: "Governify registry and director",
      readmeAnchor: "governify-registry-and-director",
    },
    {
      name: "github",
      label: "GitHub sign-in",
      enables: "Signing in with GitHub and linking a GitHub account on the profile",
      isConfigured: config.github.enabled,
      variables: INTEGRATION_VARIABLES.github,
      alternative: null,
      readmeSection: "GitHub sign-in",
      readmeAnchor: "github-sign-in",
    },
    {
      name: "oidc",
      label: "Single sign-on (OpenID Connect)",
      enables: "Signing in through your identity provider",
      isConfigured: config.oidc.isEnabled,
      variables: INTEGRATION_VARIABLES.oidc,
      alternative: null,
      readmeSection: "Single sign-on (OpenID Connect)",
      readmeAnchor: "single-sign-on-openid-connect",
    },
    {
      name: "smtp",
      label: "E-mail (SMTP)",
      enables: "Notification e-mail: each user's choice on Profile → Notifications",
      isConfigured: config.mail.isEnabled,
      variables: ["SMTP_URL", "SMTP_FROM"],
      alternative: null,
      readmeSection: "E-mail and Grafana alerts",
      readmeAnchor: "e-mail-and-grafana-alerts",
    },
  ];
  return {
    integrations: entries.map((entry) => ({ ...entry, variables: [...entry.variables] })),
    // Always served (app.ts mounts it); a client learns its address here rather than from the README.
    features: { mcp: { isEnabled: true, endpoint: `/api/v1${MCP_PATH}` } },
  };
}
