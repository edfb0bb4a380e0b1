import type { EncryptedColumn } from "../../domain/encrypted-column.ts";
import {
  listEncryptedGrafanaTokensForUpdate,
  writeEncryptedGrafanaToken,
} from "./grafana-service-account.repository.ts";

/** The token of the Grafana service account STATUS made for itself. */
export const grafanaServiceAccountTokenColumn: EncryptedColumn = {
  name: "grafana_service_account.token_encrypted",
  listForUpdate: listEncryptedGrafanaTokensForUpdate,
  write: (tx, _id, blob) => writeEncryptedGrafanaToken(tx, blob),
};
