/** The system feature's public entry for other features: which integrations are configured, and the notice. */
export { isUnconfigured, useIntegration } from "./api/get-capabilities.ts";
export { IntegrationNotice } from "./components/integration-notice.tsx";
